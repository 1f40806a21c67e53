import Foundation

/// Parameters shared by the count-based Naive Bayes models (sklearn's `_BaseDiscreteNB`).
public struct DiscreteNBParameters: Sendable, Hashable, Codable {
    /// Additive (Laplace/Lidstone) smoothing. Default 1.
    public var alpha: Double
    /// Keep `alpha` even when below 1e-10 (sklearn's `force_alpha`, default `true`); when
    /// `false`, smaller values are raised to 1e-10.
    public var forceAlpha: Bool
    /// Learn class priors from class frequencies (default `true`); `false` uses uniform priors.
    /// ComplementNB only uses priors when there is a single class.
    public var fitPrior: Bool
    /// Fixed class priors (not logged), overriding `fitPrior`. Default nil.
    public var classPrior: [Double]?

    public init(alpha: Double = 1, forceAlpha: Bool = true, fitPrior: Bool = true, classPrior: [Double]? = nil) {
        self.alpha = alpha
        self.forceAlpha = forceAlpha
        self.fitPrior = fitPrior
        self.classPrior = classPrior
    }

    func validatedAlpha() throws -> Double {
        guard alpha >= 0, alpha.isFinite else {
            throw LearnError.invalidParameter(name: "alpha", reason: "must be a finite value ≥ 0, got \(alpha)")
        }
        return (!forceAlpha && alpha < 1e-10) ? 1e-10 : alpha
    }
}

/// Counting step of Multinomial/Complement NB.
enum DiscreteNB {
    /// Rows converted to Double per DGEMM call when the input is Float (bounded scratch memory).
    static let chunkRows = 4096

    /// Calls `body(firstRow, rows, pointer)` with consecutive row blocks of `x` as Double.
    static func withDoubleChunks<T: LearnScalar>(_ x: Matrix<T>, _ body: (Int, Int, UnsafePointer<Double>) -> Void) {
        let d = x.columns
        if let xd = x as? Matrix<Double> {
            xd.withUnsafeRows { p in body(0, x.rows, p.baseAddress!) }
            return
        }
        var buf = [Double](repeating: 0, count: min(chunkRows, x.rows) * d)
        x.withUnsafeRows { p in
            buf.withUnsafeMutableBufferPointer { b in
                var start = 0
                while start < x.rows {
                    let rows = min(chunkRows, x.rows - start)
                    let src = p.baseAddress! + start * d
                    for k in 0..<(rows * d) { b[k] = Double(src[k]) }
                    body(start, rows, UnsafePointer(b.baseAddress!))
                    start += rows
                }
            }
        }
    }

    /// `feature_count_` (= `Yᵀ·X` for one-hot Y, as grouped sums) and `class_count_`; refuses
    /// negative or non-finite features naming the row and column.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func count<T: LearnScalar>(_ x: Matrix<T>, labels y: [Int], classCount: Int, who: String) throws -> (featureCount: [Double], classCount: [Double]) {
        try validateTargets(y, rows: x.rows, classCount: classCount)
        guard x.rows > 0 else { throw LearnError.invalidData(reason: "\(who) needs at least one sample") }
        let (fc, _) = try GroupedStatistics.sums(x, labels: y, classCount: classCount, nonNegative: who)
        var cc = [Double](repeating: 0, count: classCount)
        for c in y { cc[c] += 1 }
        return (fc, cc)
    }

    /// sklearn's `_update_class_log_prior`.
    static func classLogPrior(_ p: DiscreteNBParameters, classCounts: [Double]) throws -> [Double] {
        let n = classCounts.count
        if let prior = p.classPrior {
            guard prior.count == n else {
                throw LearnError.invalidParameter(name: "classPrior", reason: "\(prior.count) priors for \(n) classes")
            }
            return prior.map { log($0) }
        }
        if p.fitPrior {
            let total = log(classCounts.reduce(0, +))
            return classCounts.map { log($0) - total }
        }
        return [Double](repeating: -log(Double(n)), count: n)
    }

    /// `X · Wᵀ (+ bias)` through DGEMM (per row block for Float input): `rows × classCount`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func linearScores<T: LearnScalar>(_ x: Matrix<T>, weights: [Double], classCount: Int, bias: [Double]?) -> Matrix<Double> {
        let c = classCount, d = x.columns
        var out = Matrix<Double>(rows: x.rows, columns: c)
        guard x.rows > 0 else { return out }
        let rowsTotal = x.rows
        weights.withUnsafeBufferPointer { w in
            out.withUnsafeMutableRows { o in
                withDoubleChunks(x) { start, rows, p in
                    Double.gemm(transA: false, transB: true, m: rows, n: c, k: d, alpha: 1, a: p, lda: max(d, 1),
                                b: w.baseAddress!, ldb: max(d, 1), beta: 0, c: o.baseAddress! + start * c, ldc: c)
                }
                if let bias {
                    for i in 0..<rowsTotal { for j in 0..<c { o[i * c + j] += bias[j] } }
                }
            }
        }
        return out
    }
}
