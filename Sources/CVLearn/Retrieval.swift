import CVCore
import Foundation

/// Retrieval evaluation of an embedding: every row in turn is a query against all the other
/// rows, ranked by score (cosine similarity or negated Euclidean distance, higher first; equal
/// scores by row index). Reports recall@k — the share of queries with a row of their class
/// among the first k — and the mean average precision, each query's AP being scikit-learn's
/// `average_precision_score(same_class, scores)` (equal scores form one step).
///
/// Queries with no other row of their class have no relevant item: they are left out of both
/// figures and counted in `queriesWithoutMatch`.
///
/// Recipe: 1. scores of a block of queries against all rows (one DGEMM, blocks on `Parallel`'s
/// workers); 2. per query, the others sorted by decreasing score; 3. hits within each k and the
/// average precision; 4. means over the queries.
///
/// - Complexity: O(n²·d) for the scores plus O(n² log n) for the rankings; memory 32 MB of
///   scores per worker plus O(n) per query.
/// - Reference: C. D. Manning, P. Raghavan, H. Schütze, *Introduction to Information
///   Retrieval*, Cambridge 2008, §8.4 (average precision).
public enum Retrieval {
    /// The evaluation.
    public struct Report: Sendable, Hashable {
        /// (k, recall@k), one per requested k.
        public let recallAtK: [RecallPoint]
        /// Mean over queries of the average precision.
        public let meanAveragePrecision: Double
        /// Queries evaluated (those with at least one other row of their class).
        public let queries: Int
        /// Queries left out: no other row of their class.
        public let queriesWithoutMatch: Int
    }

    /// Recall at one cut-off.
    public struct RecallPoint: Sendable, Hashable {
        public let k: Int
        public let recall: Double
    }

    /// Evaluates `x` (one row per item) with class indices `labels`.
    /// - Parameters:
    ///   - metric: `.cosine` (default) or `.euclidean`.
    ///   - ks: cut-offs, each in 1...rows − 1, or nil (default) for those of 1, 5, 10 below rows.
    /// - Returns: recall@k per cut-off and the mAP.
    /// - Throws: `LearnError.invalidParameter` for a cut-off outside 1...rows − 1;
    ///   `LearnError.invalidData` for fewer than two rows, non-finite values, a zero row under
    ///   cosine, or no query with a match.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func evaluate<T: LearnScalar>(_ x: Matrix<T>, labels: [Int], metric: NeighborMetric = .cosine,
                                                ks: [Int]? = nil) throws -> Report {
        let n = x.rows
        let ks = ks ?? [1, 5, 10].filter { $0 < n }
        guard labels.count == n else { throw LearnError.invalidData(reason: "\(labels.count) labels for \(n) rows") }
        guard n >= 2 else { throw LearnError.invalidData(reason: "retrieval needs at least two rows, got \(n)") }
        for k in ks where !(1..<n).contains(k) {
            throw LearnError.invalidParameter(name: "k", reason: "each cut-off must be in 1...\(n - 1) (rows − 1), got \(k)")
        }
        let scorer = try PairScorer(x, metric: metric)
        var firstHit = [Int](repeating: -1, count: n)
        var ap = [Double](repeating: 0, count: n)
        rankAll(scorer, labels: labels, firstHit: &firstHit, averagePrecision: &ap)
        let evaluated = (0..<n).filter { firstHit[$0] >= 0 }
        guard !evaluated.isEmpty else { throw LearnError.invalidData(reason: "no row has another row of its class: nothing can be retrieved") }
        let q = Double(evaluated.count)
        return Report(recallAtK: ks.map { k in RecallPoint(k: k, recall: Double(evaluated.filter { firstHit[$0] < k }.count) / q) },
                      meanAveragePrecision: evaluated.reduce(0.0) { $0 + ap[$1] } / q,
                      queries: evaluated.count, queriesWithoutMatch: n - evaluated.count)
    }

    /// Steps 1–3 for every query: the rank of its first match (−1: none) and its AP.
    private static func rankAll(_ scorer: PairScorer, labels: [Int], firstHit: inout [Int], averagePrecision: inout [Double]) {
        let n = scorer.count, b = scorer.blockRows
        let blocks = (n + b - 1) / b
        let workers = max(1, min(Parallel.threadCount, blocks))
        firstHit.withUnsafeMutableBufferPointer { fh in
            averagePrecision.withUnsafeMutableBufferPointer { apb in
                let out = QueryOutput(firstHit: fh.baseAddress!, averagePrecision: apb.baseAddress!)
                withWorkers(workers, tasks: blocks, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { _, queue in
                    var scratch = [Double](repeating: 0, count: b * n)
                    var order = [Int](repeating: 0, count: n - 1)
                    while let t = queue.next() {
                        let range = (t * b)..<min(n, (t + 1) * b)
                        scratch.withUnsafeMutableBufferPointer { s in
                            scorer.scores(range, into: s.baseAddress!)
                            for (k, i) in range.enumerated() {
                                let row = UnsafeBufferPointer(start: s.baseAddress! + k * n, count: n)
                                rank(row, query: i, labels: labels, order: &order, out: out)
                            }
                        }
                    }
                }
            }
        }
    }

    private struct QueryOutput: @unchecked Sendable {
        let firstHit: UnsafeMutablePointer<Int>
        let averagePrecision: UnsafeMutablePointer<Double>
    }

    /// Steps 2–3 for one query: rank the others, find the first match, sum precision × Δrecall
    /// over the groups of equal scores.
    private static func rank(_ scores: UnsafeBufferPointer<Double>, query i: Int, labels: [Int], order: inout [Int], out: QueryOutput) {
        let n = scores.count
        var t = 0
        for j in 0..<n where j != i { order[t] = j; t += 1 }
        order.sort { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let relevant = order.reduce(0) { $0 + (labels[$1] == labels[i] ? 1 : 0) }
        guard relevant > 0 else { out.firstHit[i] = -1; return }
        out.firstHit[i] = order.firstIndex { labels[$0] == labels[i] }!
        var tp = 0, seen = 0, ap = 0.0, previousRecall = 0.0
        var g = 0
        while g < order.count {
            let v = scores[order[g]]
            while g < order.count && scores[order[g]] == v {
                if labels[order[g]] == labels[i] { tp += 1 }
                seen += 1; g += 1
            }
            let recall = Double(tp) / Double(relevant)
            ap += (recall - previousRecall) * (Double(tp) / Double(seen))
            previousRecall = recall
        }
        out.averagePrecision[i] = ap
    }
}
