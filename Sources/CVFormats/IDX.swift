import CCodecs
import CVCore

/// An array in the IDX format of the MNIST family (big-endian, magic `00 00 type ndim`).
public struct IDXArray: Sendable {
    /// Element types of the IDX format (the third magic byte).
    public enum DType: UInt8, Sendable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E
        var size: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }
    }
    /// Extent of each axis, outermost first.
    public var dims: [Int]
    /// Element type.
    public var dtype: DType
    /// Element bytes as stored (big-endian).
    public var data: [UInt8]
}

/// Reads and writes IDX files (LeCun's MNIST format), gzip-compressed (as Debian's
/// `dataset-fashion-mnist` ships them) or not.
public enum IDX {
    /// Largest decompressed file accepted (2 GiB); protects against gzip bombs.
    public static let maxDecompressedBytes = 1 << 31

    /// Reads an IDX file (see ``decode(_:source:)``).
    /// - Throws: `CVError.io` when the file cannot be read, else as ``decode(_:source:)``.
    public static func read(path: String) throws -> IDXArray {
        try decode(try FileBytes.read(path), source: path)
    }

    /// Parses IDX bytes, gzip-compressed or raw.
    /// - Parameters:
    ///   - raw: the whole file.
    ///   - source: the name errors carry (default `<memory>`).
    /// - Returns: the array, `data.count == product(dims) · element size`.
    /// - Throws: `CVError.decoding` for bad magic, unknown types, a corrupt gzip stream or a
    ///   size that does not match the dimensions; `CVError.limitExceeded` for oversized data.
    /// - Complexity: O(n) in the decompressed size.
    public static func decode(_ raw: [UInt8], source: String = "<memory>") throws -> IDXArray {
        let bytes = isGzip(raw) ? try gunzip(raw, source: source) : raw
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw CVError.decoding(source: source, reason: "IDX: bad magic (expected 00 00 type ndim)")
        }
        guard let dtype = IDXArray.DType(rawValue: bytes[2]) else {
            throw CVError.decoding(source: source, reason: "IDX: unknown element type 0x\(String(bytes[2], radix: 16))")
        }
        let ndim = Int(bytes[3])
        guard ndim >= 1, bytes.count >= 4 + 4 * ndim else { throw CVError.decoding(source: source, reason: "IDX: header is truncated") }
        let (dims, count) = try dimensions(bytes, ndim: ndim, source: source)
        let start = 4 + 4 * ndim
        let need = count * dtype.size
        guard bytes.count - start == need else {
            throw CVError.decoding(source: source, reason: "IDX: dimensions \(dims) need \(need) data bytes, file has \(bytes.count - start)")
        }
        return IDXArray(dims: dims, dtype: dtype, data: Array(bytes[start...]))
    }

    /// An image file: `count` images of `height × width` UInt8 pixels, concatenated row-major.
    /// - Throws: `CVError.decoding` unless the file is 3-D unsigned bytes; as ``read(path:)``.
    public static func readImages(path: String) throws -> (count: Int, height: Int, width: Int, pixels: [UInt8]) {
        let a = try read(path: path)
        guard a.dtype == .uint8, a.dims.count == 3 else {
            throw CVError.decoding(source: path, reason: "IDX: expected a 3-D unsigned-byte image file, found \(a.dims.count)-D type \(a.dtype)")
        }
        return (a.dims[0], a.dims[1], a.dims[2], a.data)
    }

    /// A label file: one unsigned byte per item.
    /// - Throws: `CVError.decoding` unless the file is 1-D unsigned bytes; as ``read(path:)``.
    public static func readLabels(path: String) throws -> [UInt8] {
        let a = try read(path: path)
        guard a.dtype == .uint8, a.dims.count == 1 else {
            throw CVError.decoding(source: path, reason: "IDX: expected a 1-D unsigned-byte label file, found \(a.dims.count)-D type \(a.dtype)")
        }
        return a.data
    }

    /// A raw (uncompressed) IDX file of unsigned bytes: magic `00 00 08 ndim`, the dimensions
    /// as big-endian 32-bit integers, then `data`.
    /// - Precondition: `data.count` is the product of `dims`, each below 2³¹.
    /// - Complexity: O(`data.count`).
    public static func encode(dims: [Int], uint8s data: [UInt8]) -> [UInt8] {
        precondition(dims.reduce(1, *) == data.count, "dimensions \(dims) do not match \(data.count) bytes")
        var out: [UInt8] = [0, 0, IDXArray.DType.uint8.rawValue, UInt8(dims.count)]
        out.reserveCapacity(out.count + 4 * dims.count + data.count)
        for d in dims { out += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return out + data
    }

    /// Whether the file at `path` is an IDX file, judged by content alone: it starts with the
    /// IDX magic (`00 00`, a known element type, at least one dimension), directly or after
    /// inflating it when it is gzip-compressed.
    ///
    /// The name is never consulted: `train-images-idx3-ubyte.gz` is IDX because of what it
    /// inflates to, and a `.gz` name alone means nothing (a gzip-compressed text file is not
    /// IDX; a gzip file whose first block cannot be inflated is not either, and readers then
    /// report it as the format its name suggests). Only the first 4 KiB are read.
    /// - Returns: false as well when the file cannot be read.
    /// - Complexity: O(1).
    public static func isIDX(path: String) -> Bool {
        guard let head = FileBytes.head(path, count: 4096) else { return false }
        let magic = isGzip(head) ? inflatedHead(head, count: 4) : Array(head.prefix(4))
        return magic.count == 4 && magic[0] == 0 && magic[1] == 0
            && IDXArray.DType(rawValue: magic[2]) != nil && magic[3] >= 1
    }

    // MARK: - Steps

    private static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    private static func dimensions(_ bytes: [UInt8], ndim: Int, source: String) throws -> (dims: [Int], count: Int) {
        var dims: [Int] = []
        var count = 1
        for i in 0..<ndim {
            let p = 4 + 4 * i
            let d = Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
            dims.append(d)
            // A zero extent would make an empty array whose other extents nobody checks
            // (2^31 images of 0x0 pixels); the format has no use for it.
            guard d > 0 else { throw CVError.decoding(source: source, reason: "IDX: dimension \(i + 1) of \(dims) is zero") }
            let (m, o) = count.multipliedReportingOverflow(by: d)
            guard !o, m <= maxDecompressedBytes else {
                throw CVError.limitExceeded(source: source, reason: "IDX: dimensions \(dims) exceed \(maxDecompressedBytes) elements")
            }
            count = m
        }
        return (dims, count)
    }

    /// The whole gzip stream inflated, at most ``maxDecompressedBytes``.
    private static func gunzip(_ raw: [UInt8], source: String) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var err = cc_error()
        let rc = raw.withUnsafeBufferPointer { cc_gunzip($0.baseAddress, $0.count, maxDecompressedBytes, &out, &size, &err) }
        defer { cc_free(out) }
        guard rc == 0 else {
            let message = withUnsafeBytes(of: &err.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let reason = message.isEmpty ? "gzip error \(rc)" : "gzip: \(message)"
            switch Int(rc) {
            case Int(CC_ERR_LIMIT): throw CVError.limitExceeded(source: source, reason: reason)
            case Int(CC_ERR_NOMEM): throw CVError.limitExceeded(source: source, reason: "out of memory: \(reason)")
            default: throw CVError.decoding(source: source, reason: reason)
            }
        }
        guard let out, size > 0 else { return [] }
        return [UInt8](UnsafeBufferPointer(start: out, count: size))
    }

    /// The first `count` inflated bytes of a gzip stream's prefix (fewer when it is corrupt).
    private static func inflatedHead(_ gz: [UInt8], count: Int) -> [UInt8] {
        var head = [UInt8](repeating: 0, count: count)
        var produced = 0
        let rc = gz.withUnsafeBufferPointer { src in
            head.withUnsafeMutableBufferPointer { cc_gunzip_head(src.baseAddress, src.count, $0.baseAddress, count, &produced) }
        }
        return rc == 0 ? Array(head.prefix(produced)) : []
    }
}
