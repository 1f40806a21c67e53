import CVCore
import Foundation

/// Element types of NumPy arrays that ClassicCV reads and writes.
public enum NPYDType: String, Sendable, Hashable, CaseIterable {
    case bool = "b1", int8 = "i1", uint8 = "u1", int16 = "i2", uint16 = "u2", int32 = "i4", uint32 = "u4",
         int64 = "i8", uint64 = "u8", float32 = "f4", float64 = "f8", complex64 = "c8", complex128 = "c16"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .uint64, .float64, .complex64: return 8
        case .complex128: return 16
        }
    }

    /// Bytes per byte-swappable unit (the component size for complex numbers).
    var swapUnit: Int { self == .complex64 ? 4 : (self == .complex128 ? 8 : size) }

    /// Whether elements are (real, imaginary) pairs.
    public var isComplex: Bool { self == .complex64 || self == .complex128 }

    /// The NumPy `descr` string, little-endian (`<f4`, `|u1`, ...).
    public var descr: String { size == 1 ? "|\(rawValue)" : "<\(rawValue)" }
}

/// An n-dimensional array in NumPy's `.npy` format: C order, little-endian elements in `bytes`.
///
/// Files may be version 1.0, 2.0 or 3.0, little- or big-endian, C- or Fortran-ordered;
/// reading normalises to little-endian C order. Complex numbers are stored as
/// (real, imaginary) pairs, as NumPy does. CVIO adds the image view (`init(image:)`,
/// `toImage(source:)`); CVLearn reads matrices and label vectors through it.
public struct NPYArray: Sendable, Equatable {
    /// Extent of each axis, outermost first (NumPy's `shape`).
    public var shape: [Int]
    /// Element type.
    public var dtype: NPYDType
    /// Raw element bytes, little-endian, C (row-major) order.
    public var bytes: [UInt8]

    /// Number of elements (product of `shape`).
    public var count: Int { shape.reduce(1, *) }

    /// An array over raw little-endian C-order bytes.
    /// - Throws: `CVError.invalidParameter` when `bytes` does not hold `shape` elements of `dtype`.
    public init(shape: [Int], dtype: NPYDType, bytes: [UInt8]) throws {
        let n = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), bytes.count == n * dtype.size else {
            throw CVError.invalidParameter(name: "bytes", reason: "\(bytes.count) bytes do not hold shape \(shape) of \(dtype.descr)")
        }
        self.shape = shape
        self.dtype = dtype
        self.bytes = bytes
    }

    private init<T>(shape: [Int], dtype: NPYDType, values: [T]) {
        precondition(shape.reduce(1, *) * (dtype.isComplex ? 2 : 1) == values.count, "shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.dtype = dtype
        self.bytes = values.withUnsafeBytes { [UInt8]($0) }
    }

    // Typed arrays: `values` in C order, `shape.reduce(1, *)` of them (twice that for the
    // interleaved complex ones); a mismatch is a programmer error (precondition).

    /// A uint8 (`|u1`) array.
    public init(shape: [Int], uint8s: [UInt8]) { self.init(shape: shape, dtype: .uint8, values: uint8s) }
    /// A uint16 (`<u2`) array.
    public init(shape: [Int], uint16s: [UInt16]) { self.init(shape: shape, dtype: .uint16, values: uint16s) }
    /// An int16 (`<i2`) array.
    public init(shape: [Int], int16s: [Int16]) { self.init(shape: shape, dtype: .int16, values: int16s) }
    /// An int32 (`<i4`) array.
    public init(shape: [Int], int32s: [Int32]) { self.init(shape: shape, dtype: .int32, values: int32s) }
    /// An int64 (`<i8`) array.
    public init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, dtype: .int64, values: int64s) }
    /// A float32 (`<f4`) array.
    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, dtype: .float32, values: floats) }
    /// A float64 (`<f8`) array.
    public init(shape: [Int], doubles: [Double]) { self.init(shape: shape, dtype: .float64, values: doubles) }
    /// Complex128 from interleaved (re, im) pairs; `interleaved.count == 2 · count`.
    public init(shape: [Int], complexDoubles interleaved: [Double]) { self.init(shape: shape, dtype: .complex128, values: interleaved) }
    /// Complex64 from interleaved (re, im) pairs.
    public init(shape: [Int], complexFloats interleaved: [Float]) { self.init(shape: shape, dtype: .complex64, values: interleaved) }

    /// The elements as Double (complex: interleaved re, im).
    /// - Complexity: O(`count`).
    public func toDoubles() -> [Double] {
        bytes.withUnsafeBytes { raw -> [Double] in
            switch dtype {
            case .bool, .uint8: return raw.bindMemory(to: UInt8.self).map(Double.init)
            case .int8: return raw.bindMemory(to: Int8.self).map(Double.init)
            case .int16: return raw.bindMemory(to: Int16.self).map(Double.init)
            case .uint16: return raw.bindMemory(to: UInt16.self).map(Double.init)
            case .int32: return raw.bindMemory(to: Int32.self).map(Double.init)
            case .uint32: return raw.bindMemory(to: UInt32.self).map(Double.init)
            case .int64: return raw.bindMemory(to: Int64.self).map(Double.init)
            case .uint64: return raw.bindMemory(to: UInt64.self).map(Double.init)
            case .float32, .complex64: return raw.bindMemory(to: Float.self).map(Double.init)
            case .float64, .complex128: return Array(raw.bindMemory(to: Double.self))
            }
        }
    }

    /// The elements as Float (complex: interleaved re, im); float32 data is copied as is.
    /// - Complexity: O(`count`).
    public func toFloats() -> [Float] {
        if dtype == .float32 || dtype == .complex64 {
            return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        return toDoubles().map { Float($0) }
    }
}

/// Reads and writes NumPy `.npy` files (`numpy.save` / `numpy.load`).
public enum NPY {
    /// The six bytes every `.npy` file starts with (`\x93NUMPY`).
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Largest array accepted, in elements, so a corrupt header cannot ask for a wild allocation.
    public static let maxElements = 1 << 31

    /// Reads a `.npy` file (see ``decode(_:source:)``).
    /// - Throws: `CVError.io` when the file cannot be read, else as ``decode(_:source:)``.
    public static func read(path: String) throws -> NPYArray {
        try decode(try FileBytes.read(path), source: path)
    }

    /// Writes ``encode(_:)`` of `array` atomically (temporary file, then rename).
    /// - Throws: `CVError.io` naming the path.
    public static func write(_ array: NPYArray, to path: String) throws {
        try FileBytes.writeAtomically(encode(array), to: path)
    }

    /// Parses a `.npy` held in memory, as `numpy.load` does: header version 1.0–3.0, either
    /// byte order, C or Fortran order; the result is little-endian C order.
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - source: the name errors carry (default `<memory>`).
    /// - Returns: the array, `bytes.count == count · dtype.size`.
    /// - Throws: `CVError.decoding` for a malformed header or a data size that does not match
    ///   the shape (the message says "truncated" when data is missing); `CVError.unsupported`
    ///   for dtypes outside ``NPYDType`` (object, unicode, structured, float16).
    /// - Complexity: O(n) in the file size; a Fortran-ordered array costs one extra pass.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> NPYArray {
        // 1-3. Preamble, header dictionary, data size.
        let header = try self.header(of: bytes, source: source)
        // 4. Normalise to little-endian C order.
        var data = Array(bytes[header.dataStart...])
        if header.bigEndian { swapBytes(&data, unit: header.dtype.swapUnit) }
        if header.fortran && header.shape.count > 1 {
            data = fortranToC(data, shape: header.shape, elementSize: header.dtype.size)
        }
        return try NPYArray(shape: header.shape, dtype: header.dtype, bytes: data)
    }

    /// Serialises to `.npy` version 1.0 (2.0 when the header needs it), little-endian, C order,
    /// the header padded so the data starts 64-byte aligned, as `numpy.save` writes it.
    /// - Returns: the whole file.
    /// - Complexity: O(`array.bytes.count`).
    public static func encode(_ array: NPYArray) -> [UInt8] {
        let shapeText = array.shape.count == 1 ? "(\(array.shape[0]),)" : "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(array.dtype.descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let v1 = dict.utf8.count + 10 + 1 <= 65535 + 10
        let prefix = v1 ? 10 : 12
        let total = (prefix + dict.utf8.count + 1 + 63) / 64 * 64
        dict += String(repeating: " ", count: total - prefix - dict.utf8.count - 1) + "\n"
        var out = magic + [v1 ? 1 : 2, 0]
        let len = dict.utf8.count
        if v1 {
            out += [UInt8(len & 0xFF), UInt8(len >> 8)]
        } else {
            out += [UInt8(len & 0xFF), UInt8((len >> 8) & 0xFF), UInt8((len >> 16) & 0xFF), UInt8(len >> 24)]
        }
        out += Array(dict.utf8)
        out += array.bytes
        return out
    }

    /// The parsed header of a `.npy` held in memory, its data size checked: what a reader
    /// that copies the data straight into its own storage needs (CVLearn's float32 matrices).
    /// - Throws: as ``decode(_:source:)``.
    package static func header(of bytes: [UInt8], source: String = "<memory>") throws -> Header {
        // 1. Preamble: magic, version and header length.
        let (headerStart, headerLength) = try preamble(bytes, source: source)
        let dataStart = headerStart + headerLength
        // 2. The header dictionary: dtype, memory order, shape.
        var header = try Header(String(decoding: bytes[headerStart..<dataStart], as: UTF8.self), source: source)
        header.dataStart = dataStart
        // 3. The data must hold exactly the shape's elements.
        try header.checkDataSize(bytes.count - dataStart, source: source)
        return header
    }

    // MARK: - Decoding steps

    private static func failure(_ reason: String, _ source: String) -> CVError {
        .decoding(source: source, reason: "NPY: \(reason)")
    }

    /// Header text quoted in a message: control characters escaped and at most 60 characters,
    /// so an error stays one line whatever the file holds.
    private static func printable(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? $0.escaped(asASCII: true) : String($0) }.joined()
        return escaped.count > 60 ? escaped.prefix(60) + "..." : escaped
    }

    /// Where the header dictionary starts and how long it is.
    private static func preamble(_ bytes: [UInt8], source: String) throws -> (start: Int, length: Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw failure("bad magic (not a .npy file)", source) }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw failure("file is truncated", source) }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw failure("unknown format version \(major).\(bytes[7])", source)
        }
        guard headerStart + headerLength <= bytes.count else { throw failure("file is truncated inside the header", source) }
        return (headerStart, headerLength)
    }

    /// The parsed header dictionary and where the data starts.
    package struct Header {
        package var dtype: NPYDType
        package var descr: String
        package var bigEndian: Bool
        package var fortran: Bool
        package var shape: [Int]
        /// Elements (product of `shape`), at most ``NPY/maxElements``.
        package var count: Int
        /// Offset of the first data byte in the file.
        package var dataStart = 0

        init(_ text: String, source: String) throws {
            guard NPY.rawValue(text, key: "descr") != nil else { throw NPY.failure("header has no 'descr'", source) }
            guard let descr = NPY.stringValue(text, key: "descr") else {
                throw CVError.unsupported(source: source, reason: "NPY structured dtypes are not supported")
            }
            guard let fortranText = NPY.rawValue(text, key: "fortran_order") else { throw NPY.failure("header has no 'fortran_order'", source) }
            guard let shapeText = NPY.rawValue(text, key: "shape") else { throw NPY.failure("header has no 'shape'", source) }
            switch fortranText {
            case "True": fortran = true
            case "False": fortran = false
            default: throw NPY.failure("bad fortran_order '\(NPY.printable(fortranText))'", source)
            }
            let order = descr.first ?? " "
            guard let dtype = NPYDType(rawValue: String(descr.dropFirst())), "<>|=".contains(order) else {
                throw CVError.unsupported(source: source, reason: "NPY dtype '\(NPY.printable(descr))' (supported: bool, ints, uints, float32/64, complex64/128)")
            }
            self.dtype = dtype
            self.descr = descr
            bigEndian = order == ">"
            shape = try NPY.parseShape(shapeText, source: source)
            count = try NPY.elementCount(shape, source: source)
        }

        func checkDataSize(_ available: Int, source: String) throws {
            let need = count * dtype.size  // count ≤ maxElements: no overflow
            guard available == need else {
                let what = "shape \(shape) of \(descr) needs \(need) data bytes, file has \(available)"
                throw NPY.failure(available < need ? "data is truncated: \(what)" : what, source)
            }
        }
    }

    /// `(2, 3)`, `(5,)`, `()`; Python 2's `3L` longs are accepted.
    private static func parseShape(_ text: String, source: String) throws -> [Int] {
        guard text.hasPrefix("("), text.hasSuffix(")") else { throw failure("bad shape '\(printable(text))'", source) }
        var shape: [Int] = []
        for part in text.dropFirst().dropLast().split(separator: ",") {
            var t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if t.hasSuffix("L") { t.removeLast() }
            guard let v = Int(t), v >= 0 else { throw failure("bad shape '\(printable(text))'", source) }
            shape.append(v)
        }
        return shape
    }

    private static func elementCount(_ shape: [Int], source: String) throws -> Int {
        var count = 1
        for d in shape {
            let (m, o) = count.multipliedReportingOverflow(by: d)
            guard !o, m <= maxElements else { throw failure("shape \(shape) is too large", source) }
            count = m
        }
        return count
    }

    private static func swapBytes(_ data: inout [UInt8], unit: Int) {
        guard unit > 1 else { return }
        data.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count {
                var a = i, b = i + unit - 1
                while a < b { p.swapAt(a, b); a += 1; b -= 1 }
                i += unit
            }
        }
    }

    private static func fortranToC(_ data: [UInt8], shape: [Int], elementSize: Int) -> [UInt8] {
        let n = shape.reduce(1, *)
        var out = [UInt8](repeating: 0, count: data.count)
        var fStrides = [Int](repeating: 1, count: shape.count)
        for i in 1..<shape.count { fStrides[i] = fStrides[i - 1] * shape[i - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<n {
            var f = 0
            for i in 0..<shape.count { f += index[i] * fStrides[i] }
            for b in 0..<elementSize { out[c * elementSize + b] = data[f * elementSize + b] }
            var k = shape.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < shape[k] { break }
                index[k] = 0
                k -= 1
            }
        }
        return out
    }

    /// The text after `'key':` up to the next top-level comma or closing brace, trimmed.
    private static func rawValue(_ header: String, key: String) -> String? {
        guard let r = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[r.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        var depth = 0
        var end = rest.startIndex
        while end < rest.endIndex {
            let ch = rest[end]
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if depth == 0 && (ch == "," || ch == "}") { break }
            end = rest.index(after: end)
        }
        return String(rest[rest.startIndex..<end]).trimmingCharacters(in: .whitespaces)
    }

    private static func stringValue(_ header: String, key: String) -> String? {
        guard let raw = rawValue(header, key: key), raw.count >= 2 else { return nil }
        guard let q = raw.first, q == "'" || q == "\"", raw.last == q else { return nil }
        return String(raw.dropFirst().dropLast())
    }
}
