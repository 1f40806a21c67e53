import CVCore
import CVFormats
import Foundation

/// Face-verification style evaluation of an embedding: pairs of rows of the same class should
/// score higher than pairs of different classes. From a feature table, a metric and a choice
/// of pairs, the ROC curve (scikit-learn's `roc_curve`), its AUC (`roc_auc_score`), the equal
/// error rate and the true accept rate at given false accept rates.
///
/// Recipe:
/// 1. Pair scores (`PairScorer`): cosine similarity or negated Euclidean distance, by blocks
///    of rows (one DGEMM each, blocks spread over `Parallel`'s workers).
/// 2. Each pair's score goes to the same-class or the different-class list.
/// 3. The ROC curve of the two lists (`ROCCurve`), its area, EER and TAR at each FAR.
///
/// Pairs: `.all` is every unordered pair i < j (n(n−1)/2); `.sampled(count:seed:)` draws that
/// many pairs i ≠ j uniformly with replacement from `SplitMix64(seed:)`.
///
/// - Complexity: all pairs O(n²·d) for the scores plus O(P log P) for sorting the P = n(n−1)/2
///   scores; memory 8 bytes per pair (the scores are kept to reproduce scikit-learn's curve,
///   whose intermediate points depend on every distinct score), at most
///   `maximumPairs` (1.25·10⁸ pairs, 1 GB: about 15,800 rows); beyond that, sample.
/// - Reference: G. B. Huang et al., "Labeled Faces in the Wild", UMass TR 07-49, 2007 (the
///   protocol); T. Fawcett, Pattern Recognition Letters 27(8), 2006 (ROC analysis).
public enum Verification {
    /// Which pairs are scored.
    public enum Pairs: Sendable, Hashable {
        /// Every unordered pair of rows.
        case all
        /// `count` pairs drawn with replacement, seeded.
        case sampled(count: Int, seed: UInt64)
    }

    /// Most pairs scored (1 GB of scores).
    public static let maximumPairs = 125_000_000

    /// The evaluation.
    public struct Report: Sendable, Hashable {
        public let roc: ROCCurve
        /// `roc_auc_score`.
        public let auc: Double
        /// Equal error rate (`ROCCurve.equalErrorRate`).
        public let equalErrorRate: Double
        /// (false accept rate, true accept rate at it), one per requested FAR.
        public let trueAcceptRates: [FalseAcceptPoint]
        public let positivePairs: Int
        public let negativePairs: Int
    }

    /// A true accept rate read at a false accept rate.
    public struct FalseAcceptPoint: Sendable, Hashable {
        public let falseAcceptRate: Double
        public let trueAcceptRate: Double
    }

    /// Scores the pairs of `x` and evaluates them.
    /// - Parameters:
    ///   - x: one row per item (an embedding), either precision, finite.
    ///   - labels: class index of each row.
    ///   - metric: `.cosine` (similarity) or `.euclidean` (negated distance). Default `.cosine`.
    ///   - pairs: `.all` (default) or a seeded sample.
    ///   - falseAcceptRates: FARs at which to read the TAR, each in (0, 1]. Default [1e-3, 1e-2].
    /// - Returns: the ROC curve, AUC, EER and TARs.
    /// - Throws: `LearnError.invalidParameter` for a sample count outside 1...`maximumPairs`, too
    ///   many rows for all pairs, or a FAR outside (0, 1]; `LearnError.invalidData` for fewer
    ///   than two rows, a zero row under cosine, non-finite values, or no same-class (or no
    ///   different-class) pair.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func evaluate<T: LearnScalar>(_ x: Matrix<T>, labels: [Int], metric: NeighborMetric = .cosine, pairs: Pairs = .all,
                                                falseAcceptRates: [Double] = [1e-3, 1e-2]) throws -> Report {
        try validate(rows: x.rows, labels: labels, pairs: pairs, falseAcceptRates: falseAcceptRates)
        let scorer = try PairScorer(x, metric: metric)
        let (pos, neg) = switch pairs {
        case .all: allPairScores(scorer, labels: labels)
        case let .sampled(count, seed): sampledPairScores(scorer, labels: labels, count: count, seed: seed)
        }
        let roc = try ROCCurve(positiveScores: pos, negativeScores: neg)
        return Report(roc: roc, auc: roc.area, equalErrorRate: roc.equalErrorRate,
                      trueAcceptRates: falseAcceptRates.map { FalseAcceptPoint(falseAcceptRate: $0, trueAcceptRate: roc.truePositiveRate(atFalsePositiveRate: $0)) },
                      positivePairs: pos.count, negativePairs: neg.count)
    }

    /// The checks of `evaluate`, before any work.
    private static func validate(rows n: Int, labels: [Int], pairs: Pairs, falseAcceptRates: [Double]) throws {
        guard labels.count == n else { throw LearnError.invalidData(reason: "\(labels.count) labels for \(n) rows") }
        guard n >= 2 else { throw LearnError.invalidData(reason: "verification needs at least two rows, got \(n)") }
        switch pairs {
        case .all:
            let (p, overflow) = n.multipliedReportingOverflow(by: n - 1)
            guard !overflow, p / 2 <= maximumPairs else {
                throw LearnError.invalidParameter(name: "pairs", reason: "all pairs of \(n) rows are more than \(maximumPairs); sample a number of pairs instead")
            }
        case let .sampled(count, _):
            guard (1...maximumPairs).contains(count) else {
                throw LearnError.invalidParameter(name: "pairs", reason: "must be all or a count in 1...\(maximumPairs), got \(count)")
            }
        }
        for f in falseAcceptRates where !(f > 0 && f <= 1) {
            throw LearnError.invalidParameter(name: "falseAcceptRates", reason: "each must be in (0, 1], got \(f)")
        }
    }

    /// Steps 1–2 for every pair i < j: blocks of rows against all rows, on the workers.
    private static func allPairScores(_ scorer: PairScorer, labels: [Int]) -> (positive: [Double], negative: [Double]) {
        let n = scorer.count, b = scorer.blockRows
        let blocks = (n + b - 1) / b
        let workers = max(1, min(Parallel.threadCount, blocks))
        let parts = PairLists(workers)
        withWorkers(workers, tasks: blocks, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { w, queue in
            var scratch = [Double](repeating: 0, count: b * n)
            var pos: [Double] = [], neg: [Double] = []
            while let t = queue.next() {
                let range = (t * b)..<min(n, (t + 1) * b)
                scratch.withUnsafeMutableBufferPointer { s in
                    scorer.scores(range, into: s.baseAddress!)
                    for (k, i) in range.enumerated() {
                        for j in (i + 1)..<max(n, i + 1) {
                            if labels[i] == labels[j] { pos.append(s[k * n + j]) } else { neg.append(s[k * n + j]) }
                        }
                    }
                }
            }
            parts.store(w, pos, neg)
        }
        return parts.joined()
    }

    /// Steps 1–2 for `count` seeded pairs i ≠ j (scored one by one: a dot product each, O(d)).
    private static func sampledPairScores(_ scorer: PairScorer, labels: [Int], count: Int, seed: UInt64) -> (positive: [Double], negative: [Double]) {
        var rng = SplitMix64(seed: seed)
        let n = scorer.count
        var pos: [Double] = [], neg: [Double] = []
        for _ in 0..<count {
            let i = Int(rng.next() % UInt64(n))
            var j = Int(rng.next() % UInt64(n - 1))
            if j >= i { j += 1 }
            let s = scorer.score(i, j)
            if labels[i] == labels[j] { pos.append(s) } else { neg.append(s) }
        }
        return (pos, neg)
    }

    /// Per-worker score lists, joined in worker order.
    private final class PairLists: @unchecked Sendable {
        private var pos: [[Double]], neg: [[Double]]
        init(_ workers: Int) { pos = Array(repeating: [], count: workers); neg = pos }
        func store(_ w: Int, _ p: [Double], _ n: [Double]) { pos[w] = p; neg[w] = n }
        func joined() -> ([Double], [Double]) { (pos.flatMap { $0 }, neg.flatMap { $0 }) }
    }
}
