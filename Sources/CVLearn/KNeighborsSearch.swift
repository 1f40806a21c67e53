import CVCore
import Foundation

/// The distance of nearest-neighbour search and of verification scores.
public enum NeighborMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// ‖a − b‖₂ (scikit-learn `metric="euclidean"`).
    case euclidean
    /// 1 − a·b / (‖a‖‖b‖), clipped to [0, 2] (scikit-learn `metric="cosine"`, `cosine_distances`).
    case cosine
}

/// Brute-force k-nearest-neighbour search with scikit-learn's `ArgKmin` results: for each
/// query, the k training rows of smallest Double distance (‖a‖² + (−2ab) + ‖b‖², clipped at
/// 0, then the square root; cosine: 1 − a·b of the normalised rows, clipped to [0, 2]), chosen
/// by scikit-learn's `heap_push` fed the training rows in increasing order. Ties at the k-th
/// distance resolve as there: a value equal to the root is rejected, and which of several
/// tied rows sits at the root depends on every earlier push, so the heap must see exactly the
/// pushes scikit-learn's sees.
///
/// The matrix product dominates and SGEMM has twice DGEMM's throughput, so the distances are
/// screened in float32 and computed in Double only where a push could happen:
/// 1. **Screen**: one SGEMM per block of queries gives −2·a·bⱼ (cosine: −a·bⱼ) in float32;
///    the scan of step 2 adds ‖bⱼ‖² in float32 to form sⱼ'.
/// 2. **Select**: per query, the training rows in increasing order; a row whose surrogate
///    exceeds (root − ‖a‖²) + E (cosine: root − 1 + E) cannot be below the heap's root and is
///    skipped; any other row gets its Double distance and goes through `heap_push`.
///
/// Skipping is exact, not approximate: |sⱼ' − sⱼ| ≤ E for the exact sⱼ, so a skipped row's
/// Double distance is above the root, and `heap_push` would have rejected it. With
/// u = 2⁻²⁴, d the dimension, a the query and B the largest training-row norm: the float32
/// dot product of the rounded inputs is within (d + 2)·u·‖a‖‖bⱼ‖ of the exact one (Higham,
/// *Accuracy and Stability of Numerical Algorithms*, §3.1, any summation order, plus 2u for
/// rounding a and bⱼ to float32); rounding ‖bⱼ‖² to float32 and the one float32 addition add
/// at most 2u·(‖bⱼ‖² + 2‖a‖‖bⱼ‖); the Double evaluation is within 2⁻²⁹ of that of the exact
/// value. So E = (d + 8)·u·(‖a‖ + B)² (plus an underflow term, and infinite — nothing
/// skipped — where float32 could overflow). A loose bound only costs Double distances.
///
/// Blocks of queries go to the workers of `Parallel` (each with its own scratch and a
/// single-threaded SGEMM). Within a block, the training rows are taken in tiles, in order: one
/// SGEMM per tile, whose scores are scanned while they are still in L2 (a block × all training
/// rows was 32 MB per worker, written and re-read through memory, and two workers shared its
/// bandwidth); each query's heap and threshold carry over to the next tile, so the pushes are
/// those of one scan. Memory is `workers × tileFloats` floats besides the Double and float32
/// copies of the training rows.
package struct NeighborSearch: Sendable {
    /// Training rows in Double (cosine: divided by their norms), `count × dimension`.
    let reference: [Double]
    /// ‖row‖² of each training row (Euclidean; unused for cosine).
    let referenceNorms: [Double]
    /// `reference` rounded to float32, for the screening SGEMM.
    let referenceSingle: [Float]
    /// `referenceNorms` rounded to float32.
    let referenceNormsSingle: [Float]
    /// The largest ‖row‖ (B of the screening bound).
    let largestNorm: Double
    package let count: Int
    package let dimension: Int
    package let metric: NeighborMetric

    /// Most queries per block (one parallel task).
    static let blockRowsLimit = 256
    /// Scratch floats per worker (1 MB, half an L2): a block of queries × one tile of
    /// training rows.
    static let tileFloats = 1 << 18

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
        referenceSingle = reference.map { Float($0) }
        referenceNormsSingle = referenceNorms.map { Float($0) }
        largestNorm = metric == .cosine ? 1 : (referenceNorms.max() ?? 0).squareRoot()
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
        let queryNorms = Self.squaredNorms(queries, count: n, dimension: d)
        let single = queries.map { Float($0) }
        var distances = [Double](repeating: 0, count: n * k)
        var indices = [Int](repeating: 0, count: n * k)
        let plan = Tiling(queries: n, references: count)
        let workers = max(1, min(Parallel.threadCount, plan.blocks))
        queries.withUnsafeBufferPointer { q in
            single.withUnsafeBufferPointer { qs in
                distances.withUnsafeMutableBufferPointer { dist in
                    indices.withUnsafeMutableBufferPointer { idx in
                        let out = Output(distances: dist.baseAddress!, indices: idx.baseAddress!)
                        withWorkers(workers, tasks: plan.blocks, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { _, queue in
                            var state = BlockState(plan: plan, k: k)
                            while let b = queue.next() {
                                let start = b * plan.blockRows, rows = min(plan.blockRows, n - start)
                                let block = (0..<rows).map { i in
                                    Query(values: q.baseAddress! + (start + i) * d, squaredNorm: queryNorms[start + i])
                                }
                                searchBlock(block, single: qs.baseAddress! + start * d, state: &state)
                                for i in 0..<rows {
                                    state.heaps[i].sortAscending()
                                    state.heaps[i].write(to: out, row: start + i, squareRoot: metric == .euclidean)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (distances, indices)
    }

    /// One query row in Double and its ‖a‖².
    private struct Query {
        let values: UnsafePointer<Double>
        let squaredNorm: Double
    }

    /// How the queries and training rows are cut: blocks of queries (the parallel tasks) and,
    /// inside a block, tiles of training rows whose screened scores (`blockRows × tileRows`
    /// floats) stay in L2 while step 2 reads them.
    struct Tiling {
        let blockRows: Int
        let tileRows: Int
        let blocks: Int

        init(queries n: Int, references count: Int) {
            blockRows = max(1, min(NeighborSearch.blockRowsLimit, n))
            tileRows = max(1, min(count, NeighborSearch.tileFloats / blockRows))
            blocks = (n + blockRows - 1) / blockRows
        }
    }

    /// A worker's scratch: one tile of screened scores, and each query's heap, screening
    /// bound and limit, carried from tile to tile.
    struct BlockState {
        var scratch: [Float]
        var heaps: [KSmallest]
        var bounds: [Double]
        var limits: [Float]

        init(plan: Tiling, k: Int) {
            scratch = [Float](repeating: 0, count: plan.blockRows * plan.tileRows)
            heaps = (0..<plan.blockRows).map { _ in KSmallest(k: k) }
            bounds = [Double](repeating: 0, count: plan.blockRows)
            limits = [Float](repeating: .infinity, count: plan.blockRows)
        }
    }

    /// Steps 1 and 2 for a block of queries, tile by tile of training rows in increasing
    /// order, so each query's heap sees its pushes in the order of an untiled scan.
    private func searchBlock(_ block: [Query], single: UnsafePointer<Float>, state: inout BlockState) {
        let tileRows = state.scratch.count / max(state.heaps.count, 1)
        for i in block.indices {
            state.heaps[i].reset()
            state.bounds[i] = screeningBound(block[i])
            state.limits[i] = .infinity
        }
        var first = 0
        while first < count {
            let columns = min(tileRows, count - first)
            screenTile(single, rows: block.count, first: first, columns: columns, into: &state.scratch)
            state.scratch.withUnsafeBufferPointer { s in
                for i in block.indices {
                    select(block[i], screened: s.baseAddress! + i * columns, first: first, columns: columns,
                           bound: state.bounds[i], limit: &state.limits[i], heap: &state.heaps[i])
                }
            }
            first += columns
        }
    }

    /// Step 1 for a block and a tile: −2ab (cosine: −ab) in float32, `rows × columns`; step 2
    /// adds ‖b‖² as it reads each value (a separate pass cost as much as the scan).
    private func screenTile(_ q: UnsafePointer<Float>, rows: Int, first: Int, columns: Int, into scratch: inout [Float]) {
        let d = dimension
        referenceSingle.withUnsafeBufferPointer { r in
            scratch.withUnsafeMutableBufferPointer { s in
                let alpha: Float = metric == .euclidean ? -2 : -1
                Float.gemm(transA: false, transB: true, m: rows, n: columns, k: d, alpha: alpha, a: q, lda: max(d, 1),
                           b: r.baseAddress! + first * d, ldb: max(d, 1), beta: 0, c: s.baseAddress!, ldc: max(columns, 1))
            }
        }
    }

    /// Step 2 for one query and one tile (training rows `first ..< first + columns`): the rows
    /// whose surrogate allows a push, through `heap_push` in Double. `limit` is the screening
    /// threshold left by the previous tile. (`!(s > limit)` keeps NaN surrogates, which only
    /// arise beside an infinite bound.)
    private func select(_ query: Query, screened s: UnsafePointer<Float>, first: Int, columns: Int,
                        bound: Double, limit: inout Float, heap: inout KSmallest) {
        let offset = metric == .euclidean ? query.squaredNorm : 1
        var threshold = limit
        referenceNormsSingle.withUnsafeBufferPointer { norms in
            let euclidean = metric == .euclidean
            let yn = euclidean ? norms.baseAddress! + first : norms.baseAddress!
            for j in 0..<columns where !((euclidean ? s[j] + yn[j] : s[j]) > threshold) {
                let v = exactDistance(query, first + j)
                guard v < heap.values[0] else { continue }
                heap.push(v, first + j)
                if heap.values[0] < .infinity { threshold = Self.roundedUp(heap.values[0] - offset + bound) }
            }
        }
        limit = threshold
    }

    /// E of the type comment: (d + 8)·2⁻²⁴·(‖a‖ + B)², plus (d + 8)·2⁻¹⁴⁰·(1 + ‖a‖ + B) for
    /// float32 underflow (inputs and products below 2⁻¹²⁶ lose up to 2⁻¹⁵⁰ each). Infinite —
    /// every row a candidate — when ‖a‖ + B ≥ 10¹⁸, where float32 squares could overflow.
    private func screeningBound(_ query: Query) -> Double {
        let a = metric == .cosine ? 1 : query.squaredNorm.squareRoot()
        let scale = a + largestNorm
        guard scale < 1e18 else { return .infinity }
        return Double(dimension + 8) * (0x1p-24 * scale * scale + 0x1p-140 * (1 + scale))
    }

    /// The smallest float32 at or above `x`.
    private static func roundedUp(_ x: Double) -> Float {
        let f = Float(x)
        return Double(f) >= x ? f : f.nextUp
    }

    /// Step 2's Double distance surrogate of query and training row j: squared Euclidean
    /// max(0, ‖a‖² + (−2ab) + ‖b‖²) or the cosine distance min(max(1 − ab, 0), 2).
    private func exactDistance(_ query: Query, _ j: Int) -> Double {
        let d = dimension
        var dot = 0.0
        reference.withUnsafeBufferPointer { r in
            let b = r.baseAddress! + j * d
            for t in 0..<d { dot += query.values[t] * b[t] }
        }
        switch metric {
        case .euclidean: return max(0, query.squaredNorm + -2 * dot + referenceNorms[j])
        case .cosine: return min(max(1 - dot, 0), 2)
        }
    }

    /// Where the workers write their rows (disjoint per block).
    fileprivate struct Output: @unchecked Sendable {
        let distances: UnsafeMutablePointer<Double>
        let indices: UnsafeMutablePointer<Int>
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

    /// Orders the kept pairs by (value, index): insertion sort for the usual small k (no
    /// allocation), a full sort beyond 32.
    mutating func sortAscending() {
        guard k <= 32 else {
            let order = (0..<k).sorted { (values[$0], indices[$0]) < (values[$1], indices[$1]) }
            values = order.map { values[$0] }
            indices = order.map { indices[$0] }
            return
        }
        for t in 1..<max(k, 1) {
            let v = values[t], i = indices[t]
            var s = t
            while s > 0, (values[s - 1], indices[s - 1]) > (v, i) {
                values[s] = values[s - 1]; indices[s] = indices[s - 1]
                s -= 1
            }
            values[s] = v; indices[s] = i
        }
    }
}

extension KSmallest {
    /// Writes the sorted pairs as row `row` of the output (distances square-rooted when asked).
    fileprivate func write(to out: NeighborSearch.Output, row: Int, squareRoot: Bool) {
        let o = row * k
        for t in 0..<k {
            out.distances[o + t] = squareRoot ? values[t].squareRoot() : values[t]
            out.indices[o + t] = indices[t]
        }
    }
}
