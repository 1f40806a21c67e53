import CCodecs
import CVCore

/// An array in the IDX format of the MNIST family (big-endian, magic `00 00 type ndim`).
public struct IDXArray: Sendable {
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
    public var dims: [Int]
    public var dtype: DType
    /// Element bytes as stored (big-endian).
    public var data: [UInt8]
}

/// Reads IDX files, gzip-compressed (as Debian's `dataset-fashion-mnist` ships them) or not.
public enum IDX {
    /// Largest decompressed file accepted (2 GiB); protects against gzip bombs.
    public static let maxDecompressedBytes = 1 << 31

    public static func read(path: String) throws -> IDXArray {
        try decode(try FileIO.readAll(path), source: path)
    }

    /// Parses IDX bytes (gzip-compressed or raw).
    /// - Throws: `CVError.decoding` for bad magic, unknown types or a size that does not match
    ///   the dimensions; `CVError.limitExceeded` for oversized decompressed data.
    public static func decode(_ raw: [UInt8], source: String = "<memory>") throws -> IDXArray {
        var bytes = raw
        if raw.count >= 2 && raw[0] == 0x1F && raw[1] == 0x8B {
            var out: UnsafeMutablePointer<UInt8>?
            var size = 0
            var err = cc_error()
            let rc = raw.withUnsafeBufferPointer { cc_gunzip($0.baseAddress, $0.count, maxDecompressedBytes, &out, &size, &err) }
            try check(rc, err, source: source, format: "gzip")
            bytes = takeBuffer(out, size)
        }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw CVError.decoding(source: source, reason: "IDX: bad magic (expected 00 00 type ndim)")
        }
        guard let dtype = IDXArray.DType(rawValue: bytes[2]) else {
            throw CVError.decoding(source: source, reason: "IDX: unknown element type 0x\(String(bytes[2], radix: 16))")
        }
        let ndim = Int(bytes[3])
        guard ndim >= 1, bytes.count >= 4 + 4 * ndim else { throw CVError.decoding(source: source, reason: "IDX: header is truncated") }
        var dims: [Int] = []
        var count = 1
        for i in 0..<ndim {
            let p = 4 + 4 * i
            let d = Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
            dims.append(d)
            let (m, o) = count.multipliedReportingOverflow(by: d)
            guard !o, m <= maxDecompressedBytes else {
                throw CVError.limitExceeded(source: source, reason: "IDX: dimensions \(dims) exceed \(maxDecompressedBytes) elements")
            }
            count = m
        }
        let start = 4 + 4 * ndim
        let need = count * dtype.size
        guard bytes.count - start == need else {
            throw CVError.decoding(source: source, reason: "IDX: dimensions \(dims) need \(need) data bytes, file has \(bytes.count - start)")
        }
        return IDXArray(dims: dims, dtype: dtype, data: Array(bytes[start...]))
    }

    /// An image file: `count` images of `height × width` UInt8 pixels, concatenated row-major.
    /// - Throws: `CVError.decoding` unless the file is 3-D unsigned bytes.
    public static func readImages(path: String) throws -> (count: Int, height: Int, width: Int, pixels: [UInt8]) {
        let a = try read(path: path)
        guard a.dtype == .uint8, a.dims.count == 3 else {
            throw CVError.decoding(source: path, reason: "IDX: expected a 3-D unsigned-byte image file, found \(a.dims.count)-D type \(a.dtype)")
        }
        return (a.dims[0], a.dims[1], a.dims[2], a.data)
    }

    /// The images of an image file as 1-channel `Image<UInt8>`s.
    public static func images(path: String) throws -> [Image<UInt8>] {
        let f = try readImages(path: path)
        let n = f.height * f.width
        return try (0..<f.count).map { i in
            try Image(width: f.width, height: f.height, channels: 1, samples: Array(f.pixels[i * n..<(i + 1) * n]))
        }
    }

    /// A label file: one unsigned byte per item.
    /// - Throws: `CVError.decoding` unless the file is 1-D unsigned bytes.
    public static func readLabels(path: String) throws -> [UInt8] {
        let a = try read(path: path)
        guard a.dtype == .uint8, a.dims.count == 1 else {
            throw CVError.decoding(source: path, reason: "IDX: expected a 1-D unsigned-byte label file, found \(a.dims.count)-D type \(a.dtype)")
        }
        return a.data
    }
}
