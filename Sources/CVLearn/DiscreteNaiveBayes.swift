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
    /// Rows converted to Double per DGEMM call when the input is Float: 256 rows of a few
    /// hundred features stay in the L2 cache between the conversion and the product.
    static let blockRows = 256

    /// What both count models fit before their own weights.
    struct Counts {
        /// The smoothing actually used (`alpha`, raised to 1e-10 unless `forceAlpha`).
        let alpha: Double
        /// `feature_count_` (= `Yᵀ·X` for one-hot Y), `classCount × d`.
        let featureCounts: [Double]
        /// `class_count_`.
        let classCounts: [Double]
        /// `class_log_prior_`.
        let classLogPrior: [Double]
    }

    /// Steps shared by `MultinomialNB` and `ComplementNB`: validate alpha, count (refusing
    /// negative or non-finite features, naming the row and column), and the class log priors.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func fitCounts<T: LearnScalar>(_ x: Matrix<T>, labels y: [Int], classCount: Int, parameters: DiscreteNBParameters,
                                          who: String) throws -> Counts {
        let alpha = try parameters.validatedAlpha()
        let (fc, cc) = try count(x, labels: y, classCount: classCount, who: who)
        return Counts(alpha: alpha, featureCounts: fc, classCounts: cc, classLogPrior: try classLogPrior(parameters, classCounts: cc))
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
        let c = classCount, d = x.columns, n = x.rows
        var out = Matrix<Double>(rows: n, columns: c)
        guard n > 0 else { return out }
        // Row blocks, converted to Double (scikit-learn's float64 product) and multiplied by
        // single-threaded DGEMMs on every thread at once: with 10 classes the product is
        // memory-bound (notes in docs/performance.md).
        let blocks = (n + blockRows - 1) / blockRows
        let workers = max(1, min(LinearAlgebra.threadCount, blocks))
        let isDouble = T.self == Double.self
        weights.withUnsafeBufferPointer { w in
            out.withUnsafeMutableRows { o in
                let outBase = o.baseAddress!
                x.withUnsafeRows { p in
                    let base = p.baseAddress!
                    withWorkers(workers, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { worker in
                        var scratch = [Double](repeating: 0, count: isDouble ? 0 : blockRows * d)
                        scratch.withUnsafeMutableBufferPointer { buf in
                            var block = worker
                            while block < blocks {
                                let start = block * blockRows, rows = min(blockRows, n - start)
                                let src = base + start * d
                                let a: UnsafePointer<Double>
                                if isDouble {
                                    a = UnsafeRawPointer(src).assumingMemoryBound(to: Double.self)
                                } else {
                                    for k in 0..<(rows * d) { buf[k] = Double(src[k]) }
                                    a = UnsafePointer(buf.baseAddress!)
                                }
                                Double.gemm(transA: false, transB: true, m: rows, n: c, k: d, alpha: 1, a: a, lda: max(d, 1),
                                            b: w.baseAddress!, ldb: max(d, 1), beta: 0, c: outBase + start * c, ldc: c)
                                block += workers
                            }
                        }
                    }
                }
                if let bias {
                    for i in 0..<n { for j in 0..<c { o[i * c + j] += bias[j] } }
                }
            }
        }
        return out
    }
}
