import CVFormats

/// Feature matrices and label vectors as NumPy `.npy` files, on top of CVFormats' one NPY
/// reader and writer (versions 1–3, either byte order, C or Fortran order); errors come out
/// as `LearnError`, like every CVLearn entry point.
public enum NPYFile {
    /// Largest array accepted (elements), to keep a corrupt header from allocating wildly.
    public static let maxElements = NPY.maxElements

    /// Parses a 2-D (or 1-D, as one column) array: float32 stays `Float`, every other real
    /// dtype becomes `Double`.
    static func parseMatrix(_ b: [UInt8]) throws -> AnyMatrix {
        let h = try LearnError.mapping { try NPY.header(of: b) }
        try checkReal(h.dtype)
        guard h.shape.count == 2 || h.shape.count == 1 else {
            throw LearnError.decoding(source: "<memory>", reason: "NPY: a feature table must be 2-D (samples x features), got shape \(h.shape)")
        }
        let rows = h.shape[0], cols = h.shape.count == 2 ? h.shape[1] : 1
        if h.dtype == .float32 && !h.bigEndian && !h.fortran {
            // The common case (`cvtool hog`, NumPy float32) copies the file's bytes once.
            var out = [Float](repeating: 0, count: h.count)
            out.withUnsafeMutableBytes { dst in
                b.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[h.dataStart..<h.dataStart + 4 * h.count])) }
            }
            return .float(try Matrix(rows: rows, columns: cols, values: out))
        }
        let a = try LearnError.mapping { try NPY.decode(b) }
        if a.dtype == .float32 {
            return .float(try Matrix(rows: rows, columns: cols, values: a.toFloats()))
        }
        return .double(try Matrix(rows: rows, columns: cols, values: a.toDoubles()))
    }

    /// Parses a 1-D array of class labels (integral values print without `.0`).
    static func parseLabels(_ b: [UInt8]) throws -> [String] {
        let a = try decodeReal(b)
        guard a.shape.count == 1 || (a.shape.count == 2 && a.shape[1] == 1) else {
            throw LearnError.decoding(source: "<memory>", reason: "NPY: labels must be 1-D, got shape \(a.shape)")
        }
        return a.toDoubles().map { v in
            v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        }
    }

    /// The array, refusing complex dtypes (a feature table is real).
    private static func decodeReal(_ b: [UInt8]) throws -> NPYArray {
        let a = try LearnError.mapping { try NPY.decode(b) }
        try checkReal(a.dtype)
        return a
    }

    private static func checkReal(_ dtype: NPYDType) throws {
        guard !dtype.isComplex else {
            throw LearnError.decoding(source: "<memory>", reason: "NPY: unsupported dtype '\(dtype.descr)' (need a numeric float/int array)")
        }
    }

    /// Reads a matrix from an NPY file.
    /// - Returns: `.float` for float32 files, `.double` otherwise; a 1-D array is one column.
    /// - Throws: `LearnError.io` when the file cannot be read, `LearnError.decoding` naming it
    ///   when it is malformed or not 1-D/2-D.
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
        NPY.encode(NPYArray(shape: [int64s.count], int64s: int64s))
    }

    /// Encodes raw little-endian C-order `payload` of a real dtype named by `descr` (`<f8`, …).
    static func encode(shape: [Int], descr: String, payload: [UInt8]) -> [UInt8] {
        guard let dtype = NPYDType(rawValue: String(descr.dropFirst())),
              let array = try? NPYArray(shape: shape, dtype: dtype, bytes: payload) else {
            preconditionFailure("\(payload.count) bytes of \(descr) do not hold shape \(shape)")
        }
        return NPY.encode(array)
    }

    /// Writes a matrix as NPY atomically.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func write<T: LearnScalar>(_ m: Matrix<T>, to path: String) throws {
        try writeFileAtomically(encode(m), to: path)
    }
}
