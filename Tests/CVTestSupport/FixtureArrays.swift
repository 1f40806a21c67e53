import CVCore
import CVFormats

/// Reference arrays as the tests use them: NumPy H×W(×C) arrays read by the one NPY reader
/// and viewed as images of a chosen sample type.
extension NPYArray {
    /// The array stored at `Fixtures/<relative>`.
    package static func fixture(_ relative: String) throws -> NPYArray {
        try NPY.read(path: FixturePaths.path(relative))
    }

    /// Rows of an H×W(×C) array.
    package var height: Int { shape[0] }
    /// Columns of an H×W(×C) array.
    package var width: Int { shape[1] }
    /// Channels of an H×W(×C) array (1 for H×W).
    package var channels: Int { shape.count > 2 ? shape[2] : 1 }

    /// The elements reinterpreted as `T` (whose size must be the dtype's).
    package func values<T>(_: T.Type) -> [T] {
        precondition(MemoryLayout<T>.stride == dtype.size, "values(\(T.self)) of \(dtype.descr)")
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    /// A uint8 / bool array as a `UInt8` image.
    package func uint8Image() -> Image<UInt8> {
        precondition(dtype == .uint8 || dtype == .bool, "uint8Image of \(dtype.descr)")
        return try! Image(width: width, height: height, channels: channels, samples: bytes)
    }

    /// A uint16 array as a `UInt16` image.
    package func uint16Image() -> Image<UInt16> {
        precondition(dtype == .uint16, "uint16Image of \(dtype.descr)")
        return try! Image(width: width, height: height, channels: channels, samples: bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) })
    }

    /// Any real array as a `Float` image (values converted).
    package func floatImage() -> Image<Float> {
        try! Image(width: width, height: height, channels: channels, samples: toFloats())
    }
}
