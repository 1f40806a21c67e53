import CVCore
import Foundation

/// The distance of nearest-neighbour search and of verification scores.
public enum NeighborMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// ‖a − b‖₂ (scikit-learn `metric="euclidean"`).
    case euclidean
    /// 1 − a·b / (‖a‖‖b‖), clipped to [0, 2] (scikit-learn `metric="cosine"`, `cosine_distances`).
    case cosine
}

/// Brute-force k-nearest-neighbour search as scikit-learn's `ArgKmin` runs it: distances of a
/// block of queries to every training row from one DGEMM (‖a‖² + (−2ab) + ‖b‖², clipped at 0,
/// then the square root), and per query the max-heap of scikit-learn's `heap_push` fed the
/// training rows in increasing order, so ties at the k-th distance resolve as there (a value
/// equal to the root is rejected: the earlier row stays).
///
/// Blocks of queries go to the workers of `Parallel` (each with its own scratch and a
/// single-threaded DGEMM); memory is `workers × blockRows × trainingRows` doubles besides the
/// Double copy of the training rows.
package struct NeighborSearch: Sendable {
    /// Training rows in Double (cosine: divided by their norms), `count × dimension`.
    let reference: [Double]
    /// ‖row‖² of each training row (Euclidean; unused for cosine).
    let referenceNorms: [Double]
    package let count: Int
    package let dimension: Int
    package let metric: NeighborMetric

    /// Most scratch doubles per worker (32 MB): a block of queries × every training row.
    static let scratchDoubles = 1 << 22

    /// Prepares `rows` (`count × dimension`, Double) for searches under `metric`: divided by
    /// their norms (cosine), or with their squared norms beside them (Euclidean).
    /// - Parameter what: how an error names a row (default "training row").
    /// - Throws: `LearnError.invalidData` for a zero row under the cosine metric.
    package init(rows: [Double], count: Int, dimension: Int, metric: NeighborMetric, what: String = "training row") throws {
        self.count = count
        self.dimension = dimension
        self.metric = metric
        switch metric {
        case .euclidean:
            reference = rows
            referenceNorms = Self.squaredNorms(rows, count: count, dimension: dimension)
        case .cosine:
            reference = try Self.normalized(rows, count: count, dimension: dimension, what: what)
            referenceNorms = []
        }
    }

    /// The `k` nearest training rows of every query row, nearest first (equal distances: lower
    /// index first). scikit-learn: `kneighbors(X, k)` with `algorithm="brute"`.
    /// - Returns: `distances` and `indices`, both `queries × k` row-major.
    /// - Throws: `LearnError.invalidData` for a zero query row under the cosine metric.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package func nearest<T: LearnScalar>(_ x: Matrix<T>, k: Int) throws -> (distances: [Double], indices: [Int]) {
        let n = x.rows, d = dimension
        var queries = x.storage.map { Double($0) }
        if metric == .cosine { queries = try Self.normalized(queries, count: n, dimension: d, what: "query row") }
        let queryNorms = metric == .euclidean ? Self.squaredNorms(queries, count: n, dimension: d) : []
        var distances = [Double](repeating: 0, count: n * k)
        var indices = [Int](repeating: 0, count: n * k)
        let blockRows = max(1, min(256, Self.scratchDoubles / max(count, 1)))
        let blocks = (n + blockRows - 1) / blockRows
        let workers = max(1, min(Parallel.threadCount, blocks))
        queries.withUnsafeBufferPointer { q in
            distances.withUnsafeMutableBufferPointer { dist in
                indices.withUnsafeMutableBufferPointer { idx in
                    let out = Output(distances: dist.baseAddress!, indices: idx.baseAddress!)
                    withWorkers(workers, tasks: blocks, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { _, queue in
                        var scratch = [Double](repeating: 0, count: blockRows * count)
                        var heap = KSmallest(k: k)
                        while let b = queue.next() {
                            let start = b * blockRows, rows = min(blockRows, n - start)
                            blockDistances(q.baseAddress! + start * d, rows: rows, norms: queryNorms, firstRow: start, into: &scratch)
                            select(scratch, rows: rows, firstRow: start, heap: &heap, out: out)
                        }
                    }
                }
            }
        }
        return (distances, indices)
    }

    /// Where the workers write their rows (disjoint per block).
    private struct Output: @unchecked Sendable {
        let distances: UnsafeMutablePointer<Double>
        let indices: UnsafeMutablePointer<Int>
    }

    /// Step 1: the block's surrogate distances, `rows × count`: squared Euclidean
    /// (‖a‖² + (−2ab) + ‖b‖², summed in scikit-learn's order, clipped at 0) or the cosine
    /// distance 1 − a·b of the normalised rows, clipped to [0, 2].
    private func blockDistances(_ q: UnsafePointer<Double>, rows: Int, norms: [Double], firstRow: Int, into scratch: inout [Double]) {
        let d = dimension, m = count
        reference.withUnsafeBufferPointer { r in
            scratch.withUnsafeMutableBufferPointer { s in
                let alpha: Double = metric == .euclidean ? -2 : 1
                Double.gemm(transA: false, transB: true, m: rows, n: m, k: d, alpha: alpha, a: q, lda: max(d, 1),
                            b: r.baseAddress!, ldb: max(d, 1), beta: 0, c: s.baseAddress!, ldc: max(m, 1))
                switch metric {
                case .euclidean:
                    referenceNorms.withUnsafeBufferPointer { yn in
                        for i in 0..<rows {
                            let xn = norms[firstRow + i], row = s.baseAddress! + i * m
                            for j in 0..<m { row[j] = max(0, xn + row[j] + yn[j]) }
                        }
                    }
                case .cosine:
                    for t in 0..<(rows * m) { s[t] = min(max(1 - s[t], 0), 2) }
                }
            }
        }
    }

    /// Step 2: per query row, the k smallest (distance, index) pairs, sorted, as distances.
    private func select(_ scratch: [Double], rows: Int, firstRow: Int, heap: inout KSmallest, out: Output) {
        let m = count, k = heap.k
        scratch.withUnsafeBufferPointer { s in
            for i in 0..<rows {
                heap.reset()
                let row = s.baseAddress! + i * m
                for j in 0..<m { heap.push(row[j], j) }
                heap.sortAscending()
                let o = (firstRow + i) * k
                for t in 0..<k {
                    let v = heap.values[t]
                    out.distances[o + t] = metric == .euclidean ? v.squareRoot() : v
                    out.indices[o + t] = heap.indices[t]
                }
            }
        }
    }

    /// ‖row‖² of each row.
    static func squaredNorms(_ a: [Double], count: Int, dimension d: Int) -> [Double] {
        a.withUnsafeBufferPointer { p in
            (0..<count).map { i in
                var s = 0.0
                for j in 0..<d { s += p[i * d + j] * p[i * d + j] }
                return s
            }
        }
    }

    /// The rows divided by their Euclidean norms (scikit-learn's `normalize`).
    /// - Throws: `LearnError.invalidData` naming the first zero row: its cosine is undefined.
    static func normalized(_ a: [Double], count: Int, dimension d: Int, what: String) throws -> [Double] {
        var out = a
        let norms = squaredNorms(a, count: count, dimension: d)
        for i in 0..<count {
            let r = norms[i].squareRoot()
            guard r > 0 else {
                throw LearnError.invalidData(reason: "\(what) \(i) is all zeros: the cosine metric is undefined for it (use --metric euclidean)")
            }
            for j in 0..<d { out[i * d + j] /= r }
        }
        return out
    }
}

/// The k smallest (value, index) pairs seen, as scikit-learn's `heap_push` keeps them: a
/// max-heap keyed by value that rejects a value equal to its root.
struct KSmallest {
    let k: Int
    var values: [Double]
    var indices: [Int]

    init(k: Int) {
        self.k = k
        values = [Double](repeating: .infinity, count: k)
        indices = [Int](repeating: -1, count: k)
    }

    mutating func reset() {
        for t in 0..<k { values[t] = .infinity; indices[t] = -1 }
    }

    @inline(__always)
    mutating func push(_ value: Double, _ index: Int) {
        guard value < values[0] else { return }
        values[0] = value
        indices[0] = index
        siftDown()
    }

    /// Restores the heap after the root was replaced (scikit-learn's sift: the larger child
    /// moves up while it is larger than the new value).
    private mutating func siftDown() {
        let value = values[0], index = indices[0]
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            guard l < k else { break }
            let c = r >= k || values[l] >= values[r] ? l : r
            guard values[c] > value else { break }
            values[i] = values[c]; indices[i] = indices[c]
            i = c
        }
        values[i] = value; indices[i] = index
    }

    /// Orders the kept pairs by (value, index).
    mutating func sortAscending() {
        let order = (0..<k).sorted { (values[$0], indices[$0]) < (values[$1], indices[$1]) }
        values = order.map { values[$0] }
        indices = order.map { indices[$0] }
    }
}
