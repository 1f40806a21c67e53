import CVCore
import Foundation

/// Similarity scores between the rows of one table, higher = more alike: the cosine similarity
/// a·b / (‖a‖‖b‖), or the negated Euclidean distance −√(‖a‖² + ‖b‖² − 2ab) (clipped at 0
/// under the root). A block of rows against every row is one DGEMM.
package struct PairScorer: Sendable {
    /// The rows, prepared as for a neighbour search (normalised, or with their norms).
    let table: NeighborSearch
    package var count: Int { table.count }
    package var dimension: Int { table.dimension }
    package var metric: NeighborMetric { table.metric }

    /// - Throws: `LearnError.invalidData` for a non-finite value, or an all-zero row under cosine.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package init<T: LearnScalar>(_ x: Matrix<T>, metric: NeighborMetric) throws {
        try x.requireFinite()
        table = try NeighborSearch(rows: x.storage.map { Double($0) }, count: x.rows, dimension: x.columns, metric: metric, what: "row")
    }

    /// Scores of rows `range` against every row, `range.count × count` row-major, into `out`
    /// (which must hold that many values).
    package func scores(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let d = dimension, m = count, r = range.count
        guard r > 0, m > 0 else { return }
        table.reference.withUnsafeBufferPointer { p in
            let alpha: Double = metric == .euclidean ? -2 : 1
            Double.gemm(transA: false, transB: true, m: r, n: m, k: d, alpha: alpha, a: p.baseAddress! + range.lowerBound * d, lda: max(d, 1),
                        b: p.baseAddress!, ldb: max(d, 1), beta: 0, c: out, ldc: m)
        }
        guard metric == .euclidean else { return }
        table.referenceNorms.withUnsafeBufferPointer { nb in
            for (k, i) in range.enumerated() {
                let row = out + k * m, xn = nb[i]
                for j in 0..<m { row[j] = -max(0, xn + row[j] + nb[j]).squareRoot() }
            }
        }
    }

    /// The score of the pair (i, j), by the same formula as `scores(_:into:)` (the dot product
    /// summed in order rather than by DGEMM).
    package func score(_ i: Int, _ j: Int) -> Double {
        let d = dimension
        var dot = 0.0
        table.reference.withUnsafeBufferPointer { p in
            for t in 0..<d { dot += p[i * d + t] * p[j * d + t] }
        }
        let norms = table.referenceNorms
        return metric == .cosine ? dot : -max(0, norms[i] + -2 * dot + norms[j]).squareRoot()
    }

    /// Rows per block so that one block of scores stays within 32 MB.
    package var blockRows: Int { max(1, min(512, (1 << 22) / max(count, 1))) }
}
