import ClassicCV
import FuzzSupport

/// NPY bytes through every reader that takes them: the array decoder and its conversions, the
/// image view (`ImageIO.decode` sniffs NPY too) and the feature-table reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        _ = try? FeatureTable.decode(bytes, format: .npy)
        _ = try? ImageIO.decode(bytes, options: Fuzz.options)
        let array = try NPY.decode(bytes)
        _ = array.toDoubles()
        _ = array.toFloats()
        _ = try? array.imageLayout()
    }
}
