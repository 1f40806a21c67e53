import Foundation

/// A receiver operating characteristic curve, as scikit-learn's `roc_curve` computes it (with
/// `drop_intermediate=True`, its default), and the area under it as `roc_auc_score`.
///
/// Recipe:
/// 1. Both score lists sorted in decreasing order; one curve point per distinct score (its
///    true and false positives counted at and above it).
/// 2. `dropIntermediate`: a point is kept only where the count steps change (the second
///    differences of the false- and true-positive counts are not both 0), plus the ends — the
///    dropped points lie on the straight segments between kept ones.
/// 3. A first point (0, 0) with threshold +∞ (scikit-learn ≥ 1.3), then the counts divided by
///    their totals.
/// 4. AUC: the trapezoidal rule summed pairwise as NumPy's `add.reduce` sums, so the value is
///    scikit-learn's to the bit.
///
/// - Complexity: O((p + n) log(p + n)) for p positive and n negative scores; memory: the two
///   sorted copies and the curve.
/// - Reference: T. Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters
///   27(8), 2006, doi:10.1016/j.patrec.2005.10.010.
public struct ROCCurve: Sendable, Hashable {
    /// False positive rate of each point, non-decreasing from 0 to 1 (`fpr`).
    public let falsePositiveRates: [Double]
    /// True positive rate of each point (`tpr`).
    public let truePositiveRates: [Double]
    /// The score at and above which a pair counts as positive; the first is +∞ (`thresholds`).
    public let thresholds: [Double]

    /// The curve of scores of positive (same-class) and negative (different-class) samples.
    /// - Parameters:
    ///   - positiveScores: scores of the positives; at least one, finite.
    ///   - negativeScores: scores of the negatives; at least one, finite.
    ///   - dropIntermediate: drop collinear points (default true, as scikit-learn).
    /// - Throws: `LearnError.invalidData` when a list is empty or holds a non-finite score.
    public init(positiveScores: [Double], negativeScores: [Double], dropIntermediate: Bool = true) throws {
        guard !positiveScores.isEmpty else { throw LearnError.invalidData(reason: "no positive (same-class) pairs: the ROC curve is undefined") }
        guard !negativeScores.isEmpty else { throw LearnError.invalidData(reason: "no negative (different-class) pairs: the ROC curve is undefined") }
        guard positiveScores.allSatisfy(\.isFinite), negativeScores.allSatisfy(\.isFinite) else {
            throw LearnError.invalidData(reason: "a score is not finite")
        }
        var (fps, tps, thr) = Self.countsAtThresholds(positiveScores.sorted(by: >), negativeScores.sorted(by: >))
        if dropIntermediate && fps.count > 2 { (fps, tps, thr) = Self.dropCollinear(fps, tps, thr) }
        let p = tps.last!, n = fps.last!
        falsePositiveRates = [0] + fps.map { $0 / n }
        truePositiveRates = [0] + tps.map { $0 / p }
        thresholds = [.infinity] + thr
    }

    /// The curve of `scores` whose class is `positive` (scikit-learn: `roc_curve(y_true, y_score)`).
    /// - Throws: `LearnError.invalidData` for differing lengths, a missing class or a non-finite score.
    public init(scores: [Double], positive: [Bool], dropIntermediate: Bool = true) throws {
        guard scores.count == positive.count else {
            throw LearnError.invalidData(reason: "\(scores.count) scores but \(positive.count) labels")
        }
        try self.init(positiveScores: zip(scores, positive).filter(\.1).map(\.0), negativeScores: zip(scores, positive).filter { !$0.1 }.map(\.0),
                      dropIntermediate: dropIntermediate)
    }

    /// Area under the curve by the trapezoidal rule (scikit-learn: `auc(fpr, tpr)`, the value
    /// of `roc_auc_score`).
    public var area: Double {
        let x = falsePositiveRates, y = truePositiveRates
        var terms = [Double](repeating: 0, count: x.count - 1)
        for i in 0..<terms.count {
            let width: Double = x[i + 1] - x[i], height: Double = y[i + 1] + y[i]
            terms[i] = width * height / 2.0
        }
        return terms.withUnsafeBufferPointer { pairwiseSum($0) }
    }

    /// The equal error rate: where the false positive rate equals the false negative rate
    /// (1 − TPR), read on the piecewise-linear curve.
    public var equalErrorRate: Double {
        let f = falsePositiveRates, t = truePositiveRates
        for i in 1..<f.count where f[i] >= 1 - t[i] {
            let d0 = f[i - 1] - (1 - t[i - 1]), d1 = f[i] - (1 - t[i])
            let s = d1 == d0 ? 0 : -d0 / (d1 - d0)
            return f[i - 1] + s * (f[i] - f[i - 1])
        }
        return 1
    }

    /// The true positive rate at false positive rate `far`, read on the piecewise-linear curve
    /// (the largest one where the curve rises vertically at `far`).
    public func truePositiveRate(atFalsePositiveRate far: Double) -> Double {
        let f = falsePositiveRates, t = truePositiveRates
        var best = 0.0
        for i in 0..<f.count {
            if f[i] <= far { best = max(best, t[i]); continue }
            let s = (far - f[i - 1]) / (f[i] - f[i - 1])
            return max(best, t[i - 1] + s * (t[i] - t[i - 1]))
        }
        return best
    }

    /// Step 1: cumulative false and true positive counts at each distinct score, decreasing.
    private static func countsAtThresholds(_ pos: [Double], _ neg: [Double]) -> ([Double], [Double], [Double]) {
        var fps: [Double] = [], tps: [Double] = [], thr: [Double] = []
        var i = 0, j = 0
        while i < pos.count || j < neg.count {
            let v = max(i < pos.count ? pos[i] : -.infinity, j < neg.count ? neg[j] : -.infinity)
            while i < pos.count && pos[i] == v { i += 1 }
            while j < neg.count && neg[j] == v { j += 1 }
            fps.append(Double(j)); tps.append(Double(i)); thr.append(v)
        }
        return (fps, tps, thr)
    }

    /// Step 2: scikit-learn's `optimal_idxs`.
    private static func dropCollinear(_ fps: [Double], _ tps: [Double], _ thr: [Double]) -> ([Double], [Double], [Double]) {
        var keep = [0]
        for k in 1..<(fps.count - 1) {
            let df = (fps[k + 1] - fps[k]) - (fps[k] - fps[k - 1]), dt = (tps[k + 1] - tps[k]) - (tps[k] - tps[k - 1])
            if df != 0 || dt != 0 { keep.append(k) }
        }
        keep.append(fps.count - 1)
        return (keep.map { fps[$0] }, keep.map { tps[$0] }, keep.map { thr[$0] })
    }
}

/// The sum of `a` in NumPy's pairwise order (`add.reduce` on a contiguous float64 array):
/// eight running sums in blocks of up to 128, halves above that — so sums over NumPy-made
/// terms agree bit for bit.
func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
    let n = a.count
    if n < 8 {
        var r = 0.0
        for v in a { r += v }
        return r
    }
    if n <= 128 {
        var r = (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
        var i = 8
        while i < n - n % 8 {
            r.0 += a[i]; r.1 += a[i + 1]; r.2 += a[i + 2]; r.3 += a[i + 3]
            r.4 += a[i + 4]; r.5 += a[i + 5]; r.6 += a[i + 6]; r.7 += a[i + 7]
            i += 8
        }
        var res = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
        while i < n { res += a[i]; i += 1 }
        return res
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(UnsafeBufferPointer(rebasing: a[0..<half])) + pairwiseSum(UnsafeBufferPointer(rebasing: a[half..<n]))
}
