/// A dense, row-major matrix of `Float` or `Double`: one row per sample, one column per feature.
///
/// Storage is a single contiguous array (`rows × columns`, row stride = `columns`), which is the
/// layout CBLAS/LAPACKE expect with `CblasRowMajor` and the layout NumPy calls C order, so
/// tables, NPY files and BLAS calls share it without copies. Rows are viewed either as
/// `ArraySlice`s (`row(_:)`) or, in hot loops, through one unsafe pointer per matrix
/// (`withUnsafeRows`).
public struct Matrix<Element: LearnScalar>: Sendable, Equatable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// The elements, row after row (`rows * columns` values).
    public var storage: [Element]

    /// A `rows × columns` matrix filled with `value` (default 0).
    @inlinable
    public init(rows: Int, columns: Int, repeating value: Element = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative dimension")
        self.rows = rows
        self.columns = columns
        self.storage = [Element](repeating: value, count: rows * columns)
    }

    /// Wraps row-major `values`; `values.count` must be `rows * columns`.
    /// - Throws: `LearnError.invalidParameter` when the count does not match.
    public init(rows: Int, columns: Int, values: [Element]) throws {
        guard rows >= 0, columns >= 0, case let (size, false) = rows.multipliedReportingOverflow(by: columns), values.count == size else {
            throw LearnError.invalidParameter(name: "values", reason: "\(values.count) values cannot fill a \(rows)x\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.storage = values
    }

    /// Builds a matrix from equally long rows.
    /// - Throws: `LearnError.invalidParameter` when the rows differ in length.
    public init(rowArrays: [[Element]]) throws {
        let c = rowArrays.first?.count ?? 0
        var s: [Element] = []
        s.reserveCapacity(rowArrays.count * c)
        for (i, r) in rowArrays.enumerated() {
            guard r.count == c else {
                throw LearnError.invalidParameter(name: "rows", reason: "row \(i) has \(r.count) values, row 0 has \(c)")
            }
            s.append(contentsOf: r)
        }
        self.rows = rowArrays.count
        self.columns = c
        self.storage = s
    }

    /// Builds a matrix by calling `body(row, column)` for every element.
    public init(rows: Int, columns: Int, _ body: (Int, Int) -> Element) {
        var s: [Element] = []
        s.reserveCapacity(rows * columns)
        for i in 0..<rows { for j in 0..<columns { s.append(body(i, j)) } }
        self.rows = rows
        self.columns = columns
        self.storage = s
    }

    /// The element at (`row`, `column`).
    @inlinable
    public subscript(row: Int, column: Int) -> Element {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A view of row `i` (its `columns` values), indices `i*columns ..< (i+1)*columns`.
    @inlinable
    public func row(_ i: Int) -> ArraySlice<Element> {
        storage[(i * columns)..<((i + 1) * columns)]
    }

    /// Column `j` copied into an array.
    @inlinable
    public func column(_ j: Int) -> [Element] {
        (0..<rows).map { storage[$0 * columns + j] }
    }

    /// Calls `body` with a pointer to the first element; row `i` starts at `base + i*columns`.
    @inlinable
    public func withUnsafeRows<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Mutable variant of `withUnsafeRows`.
    @inlinable
    public mutating func withUnsafeMutableRows<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// The rows at `indices`, in that order (used for train/test splits and per-class subsets).
    @inlinable
    public func selectingRows<S: Sequence>(_ indices: S) -> Matrix<Element> where S.Element == Int {
        var s: [Element] = []
        for i in indices { s.append(contentsOf: storage[(i * columns)..<((i + 1) * columns)]) }
        return Matrix(uncheckedRows: s.count / Swift.max(columns, 1), columns: columns, storage: s)
    }

    /// The same values converted to another element type.
    @inlinable
    public func converted<T: LearnScalar>(to: T.Type = T.self) -> Matrix<T> {
        if let same = self as? Matrix<T> { return same }
        var out = [T](repeating: 0, count: storage.count)
        storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = T(src[i]) }
            }
        }
        return Matrix<T>(uncheckedRows: rows, columns: columns, storage: out)
    }

    /// The transpose (`columns × rows`).
    @inlinable
    public func transposed() -> Matrix<Element> {
        var out = [Element](repeating: 0, count: storage.count)
        storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows { for j in 0..<columns { dst[j * rows + i] = src[i * columns + j] } }
            }
        }
        return Matrix(uncheckedRows: columns, columns: rows, storage: out)
    }

    /// `self · other` (or with either side transposed) through CBLAS `?gemm`.
    /// - Precondition: the inner dimensions agree.
    @inlinable
    public func multiplied(by other: Matrix<Element>, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix<Element> {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let k2 = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == k2, "Matrix.multiplied: inner dimensions \(k) and \(k2) differ")
        var out = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 { return out }
        if k == 0 { return out }
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    Element.gemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k, alpha: 1,
                                 a: a.baseAddress!, lda: Swift.max(columns, 1), b: b.baseAddress!, ldb: Swift.max(other.columns, 1),
                                 beta: 0, c: c.baseAddress!, ldc: Swift.max(n, 1))
                }
            }
        }
        return out
    }

    /// Internal memberwise initializer without checks.
    @usableFromInline
    init(uncheckedRows rows: Int, columns: Int, storage: [Element]) {
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Throws unless every element is finite, naming the first offending row and column.
    @inlinable
    public func requireFinite(_ what: String = "X") throws {
        try storage.withUnsafeBufferPointer { p in
            // A branch-free pass over the exponent bits (it vectorises) first; the position
            // only when something is wrong.
            guard Self.anyNonFinite(UnsafeRawBufferPointer(p), Element.self) else { return }
            for i in 0..<p.count where !p[i].isFinite {
                throw LearnError.invalidData(reason: "\(what) has a non-finite value (\(p[i])) at row \(i / Swift.max(columns, 1)), column \(i % Swift.max(columns, 1))")
            }
        }
    }
}

extension Matrix {
    /// True when some element of `raw` (Float or Double samples) has an all-ones exponent
    /// (infinity or NaN).
    @inlinable
    static func anyNonFinite<T>(_ raw: UnsafeRawBufferPointer, _: T.Type) -> Bool {
        if T.self == Float.self {
            let bits = raw.bindMemory(to: UInt32.self)
            var bad: UInt32 = 0
            for b in bits { bad |= (b & 0x7f80_0000) == 0x7f80_0000 ? 1 : 0 }
            return bad != 0
        }
        let bits = raw.bindMemory(to: UInt64.self)
        var bad: UInt64 = 0
        for b in bits { bad |= (b & 0x7ff0_0000_0000_0000) == 0x7ff0_0000_0000_0000 ? 1 : 0 }
        return bad != 0
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String { "Matrix<\(Element.self)>(\(rows)x\(columns))" }
}

extension Matrix {
    /// A copy with `body` applied in place to each row (a pointer to its `columns` elements):
    /// the loop shape every per-feature transform (the scalers) shares.
    /// - Complexity: O(rows·columns) plus `body`'s work; `body` runs once per row.
    func mappingRows(_ body: (UnsafeMutablePointer<Element>) -> Void) -> Matrix {
        var out = self
        let d = columns, n = rows
        out.withUnsafeMutableRows { p in
            for i in 0..<n { body(p.baseAddress! + i * d) }
        }
        return out
    }
}
