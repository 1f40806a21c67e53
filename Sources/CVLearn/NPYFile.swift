import Foundation

/// A minimal NPY reader/writer for feature matrices and label vectors (CVLearn does not depend
/// on CVIO). Reads format versions 1–3, little- or big-endian `f4`/`f8`/`i1`…`i8`/`u1`…`u8`/`b1`
/// arrays in C or Fortran order; writes version 1.0, little-endian, C order.
public enum NPYFile {
    /// Largest array accepted (elements), to keep a corrupt header from allocating wildly.
    public static let maxElements = 1 << 31

    struct Header {
        var kind: Character  // f, i, u, b
        var size: Int
        var bigEndian: Bool
        var fortran: Bool
        var shape: [Int]
        var dataOffset: Int
    }

    static func parseHeader(_ b: [UInt8]) throws -> Header {
        func fail(_ r: String) -> LearnError { .decoding(source: "<memory>", reason: "NPY: \(r)") }
        guard b.count >= 10, b[0] == 0x93, Array(b[1..<6]) == Array("NUMPY".utf8) else { throw fail("bad magic (not an NPY file)") }
        let major = b[6]
        let headerLen: Int, start: Int
        switch major {
        case 1: headerLen = Int(b[8]) | Int(b[9]) << 8; start = 10
        case 2, 3:
            guard b.count >= 12 else { throw fail("truncated header") }
            headerLen = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24; start = 12
        default: throw fail("unsupported format version \(major)")
        }
        guard b.count >= start + headerLen else { throw fail("header length \(headerLen) runs past the end of the file") }
        let dict = String(decoding: b[start..<(start + headerLen)], as: UTF8.self)
        func value(of key: String) throws -> Substring {
            guard let r = dict.range(of: "'\(key)'") else { throw fail("header has no '\(key)'") }
            var s = dict[r.upperBound...].drop(while: { $0 == " " || $0 == ":" })
            if s.first == "(" {
                guard let close = s.firstIndex(of: ")") else { throw fail("malformed shape") }
                return s[s.index(after: s.startIndex)..<close]
            }
            if s.first == "'" {
                s = s.dropFirst()
                guard let close = s.firstIndex(of: "'") else { throw fail("malformed descr") }
                return s[..<close]
            }
            return s.prefix(while: { $0 != "," && $0 != "}" })
        }
        let descr = try value(of: "descr")
        guard descr.count >= 3, let size = Int(descr.dropFirst(2)), let kind = descr.dropFirst().first else {
            throw fail("unsupported dtype '\(descr)'")
        }
        let order = descr.first!
        guard "fiub".contains(kind), [1, 2, 4, 8].contains(size), order == "<" || order == ">" || order == "|" || order == "=" else {
            throw fail("unsupported dtype '\(descr)' (need a numeric float/int array)")
        }
        if kind == "f" && size < 4 { throw fail("unsupported dtype '\(descr)' (float16)") }
        let fortran = try value(of: "fortran_order").trimmingCharacters(in: .whitespaces) == "True"
        let shapeText = try value(of: "shape")
        var shape: [Int] = []
        for part in shapeText.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let d = Int(t.hasSuffix("L") ? String(t.dropLast()) : t), d >= 0 else { throw fail("malformed shape (\(shapeText))") }
            shape.append(d)
        }
        var total = 1
        for d in shape {
            let (p, o) = total.multipliedReportingOverflow(by: d)
            guard !o, p <= maxElements else { throw fail("shape \(shape) is too large") }
            total = p
        }
        let need = start + headerLen + total * size
        guard b.count >= need else { throw fail("data is truncated: \(b.count - start - headerLen) bytes for shape \(shape) of \(descr)") }
        return Header(kind: kind, size: size, bigEndian: order == ">", fortran: fortran, shape: shape, dataOffset: start + headerLen)
    }

    static func values(_ b: [UInt8], _ h: Header, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        b.withUnsafeBytes { raw in
            let base = raw.baseAddress! + h.dataOffset
            for i in 0..<count {
                var bits: UInt64 = 0
                for k in 0..<h.size {
                    let byte = UInt64(base.load(fromByteOffset: i * h.size + (h.bigEndian ? h.size - 1 - k : k), as: UInt8.self))
                    bits |= byte << (8 * UInt64(k))
                }
                switch (h.kind, h.size) {
                case ("f", 4): out[i] = Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
                case ("f", 8): out[i] = Double(bitPattern: bits)
                case ("i", _):
                    let shift = UInt64(64 - 8 * h.size)
                    out[i] = Double(Int64(bitPattern: bits << shift) >> Int64(shift))
                default: out[i] = Double(bits)
                }
            }
        }
        return out
    }

    /// Parses a 2-D (or 1-D, as one column) array: float32 stays `Float`, everything else becomes `Double`.
    static func parseMatrix(_ b: [UInt8]) throws -> AnyMatrix {
        let h = try parseHeader(b)
        guard h.shape.count == 2 || h.shape.count == 1 else {
            throw LearnError.decoding(source: "<memory>", reason: "NPY: a feature table must be 2-D (samples x features), got shape \(h.shape)")
        }
        let rows = h.shape[0], cols = h.shape.count == 2 ? h.shape[1] : 1
        let count = rows * cols
        if h.kind == "f" && h.size == 4 && !h.bigEndian && !h.fortran {
            var out = [Float](repeating: 0, count: count)
            _ = out.withUnsafeMutableBytes { dst in b.withUnsafeBytes { src in memcpy(dst.baseAddress!, src.baseAddress! + h.dataOffset, count * 4) } }
            return .float(try Matrix(rows: rows, columns: cols, values: out))
        }
        var v = values(b, h, count: count)
        if h.fortran && h.shape.count == 2 {
            var t = [Double](repeating: 0, count: count)
            for j in 0..<cols { for i in 0..<rows { t[i * cols + j] = v[j * rows + i] } }
            v = t
        }
        if h.kind == "f" && h.size == 4 {
            return .float(try Matrix(rows: rows, columns: cols, values: v.map { Float($0) }))
        }
        return .double(try Matrix(rows: rows, columns: cols, values: v))
    }

    /// Parses a 1-D array of class labels (integral values print without `.0`).
    static func parseLabels(_ b: [UInt8]) throws -> [String] {
        let h = try parseHeader(b)
        guard h.shape.count == 1 || (h.shape.count == 2 && h.shape[1] == 1) else {
            throw LearnError.decoding(source: "<memory>", reason: "NPY: labels must be 1-D, got shape \(h.shape)")
        }
        return values(b, h, count: h.shape[0]).map { v in
            v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        }
    }

    /// Reads a matrix from an NPY file.
    public static func readMatrix(path: String) throws -> AnyMatrix {
        do { return try parseMatrix(try readFile(path)) } catch let e as LearnError { throw e.relabeled(path) }
    }

    /// Encodes a matrix as NPY version 1.0 (`<f4` or `<f8`, C order, shape (rows, columns)).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func encode<T: LearnScalar>(_ m: Matrix<T>) -> [UInt8] {
        encode(shape: [m.rows, m.columns], descr: T.npyDescr, payload: m.storage.withUnsafeBytes { Array($0) })
    }

    /// Encodes a 1-D integer vector as `<i8`.
    public static func encode(int64s: [Int64]) -> [UInt8] {
        encode(shape: [int64s.count], descr: "<i8", payload: int64s.withUnsafeBytes { Array($0) })
    }

    static func encode(shape: [Int], descr: String, payload: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let n = header.utf8.count
        out += [UInt8(n & 0xFF), UInt8(n >> 8)]
        out += Array(header.utf8)
        out += payload
        return out
    }

    /// Writes a matrix as NPY atomically.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func write<T: LearnScalar>(_ m: Matrix<T>, to path: String) throws {
        try writeFileAtomically(encode(m), to: path)
    }
}
