import CVCore
import Foundation

/// Gaussian Naive Bayes, matching scikit-learn's `GaussianNB` (fit, `partial_fit`, priors and
/// `var_smoothing`).
///
/// Recipe (fit = one `partialFit` from scratch):
/// 1. `epsilon = varSmoothing · max_j Var(X[:, j])` over the batch (population variance).
/// 2. Per class, the batch mean and population variance; merged with earlier batches by Chan,
///    Golub & LeVeque's pairwise update (`total_ssd = n_past·var + n_new·var_new +
///    n_new·n_past/n·(μ − μ_new)²`), exactly as sklearn's `_update_mean_variance`.
/// 3. `variance = var + epsilon` (on later batches sklearn first subtracts the *new* epsilon from
///    the stored variances — a quirk reproduced here for identical results).
/// 4. Priors: the given ones, or class frequencies.
///
/// Prediction: `jll[c] = log prior_c − ½Σ_j log(2π σ²_cj) − ½Σ_j (x_j − θ_cj)²/σ²_cj`, evaluated
/// directly (not by the GEMM expansion `x²·(1/σ²) − 2x·(θ/σ²) + …`, whose cancellation would cost
/// digits on near-constant features); rows are processed in parallel.
///
/// Input of either precision is accumulated in `Double` (sklearn keeps float32 data in float32).
///
/// - Complexity: fit O(n·d), predict O(n·d·C).
/// - Reference: T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a pairwise
///   algorithm for computing sample variances", Stanford CS-79-773 (1979).
public struct GaussianNB: NaiveBayesModel, Hashable {
    public static let kind = ClassifierKind.gaussianNB

    /// Hyper-parameters.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Fixed class priors (must sum to 1), or nil to use class frequencies. Default nil.
        public var priors: [Double]?
        /// Share of the largest feature variance added to every variance. Default 1e-9.
        public var varSmoothing: Double
        public init(priors: [Double]? = nil, varSmoothing: Double = 1e-9) {
            self.priors = priors
            self.varSmoothing = varSmoothing
        }

        /// Checks the smoothing and the priors (non-negative, summing to 1).
        /// - Parameter classCount: the number of classes `priors` must match, or nil (default)
        ///   before the data is known.
        /// - Throws: `LearnError.invalidParameter` naming the bad parameter.
        public func validate(classCount: Int? = nil) throws {
            guard varSmoothing >= 0, varSmoothing.isFinite else {
                throw LearnError.invalidParameter(name: "varSmoothing", reason: "must be a finite value ≥ 0, got \(varSmoothing)")
            }
            guard let p = priors else { return }
            if let classCount, p.count != classCount {
                throw LearnError.invalidParameter(name: "priors", reason: "\(p.count) priors for \(classCount) classes")
            }
            guard p.allSatisfy({ $0 >= 0 }) else { throw LearnError.invalidParameter(name: "priors", reason: "priors must be non-negative") }
            guard abs(p.reduce(0, +) - 1) <= 1e-8 + 1e-5 else {
                throw LearnError.invalidParameter(name: "priors", reason: "priors sum to \(p.reduce(0, +)), not 1")
            }
        }
    }

    public let parameters: Parameters
    public let classCount: Int
    public let featureCount: Int
    /// Per-class feature means (`theta_`), `classCount × featureCount` row-major.
    public private(set) var theta: [Double]
    /// Per-class feature variances including `epsilon` (`var_`), same layout.
    public private(set) var variance: [Double]
    /// Samples seen per class (`class_count_`).
    public private(set) var classCounts: [Double]
    /// Class priors used for prediction (`class_prior_`).
    public private(set) var classPrior: [Double]
    /// The absolute variance added (`epsilon_`).
    public private(set) var epsilon: Double

    /// Fits on `x` (rows = samples) with class indices `y` in `0..<classCount`.
    /// - Throws: `LearnError.invalidParameter` for bad priors/smoothing, `LearnError.invalidData`
    ///   for empty, non-finite or mislabelled data.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: Parameters = Parameters()) throws {
        try parameters.validate(classCount: classCount)
        self.parameters = parameters
        self.classCount = classCount
        self.featureCount = x.columns
        theta = [Double](repeating: 0, count: classCount * x.columns)
        variance = theta
        classCounts = [Double](repeating: 0, count: classCount)
        classPrior = parameters.priors ?? classCounts
        epsilon = 0
        try partialFit(x, labels: y)
    }

    /// Updates the model with another batch (sklearn's `partial_fit` after the first call).
    /// - Throws: `LearnError.mismatch` when the feature count differs; `LearnError.invalidData` as `init`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func partialFit<T: LearnScalar>(_ x: Matrix<T>, labels y: [Int]) throws {
        try requireColumns(x.columns, featureCount, "GaussianNB")
        try validateTargets(y, rows: x.rows, classCount: classCount)
        guard x.rows > 0 else { throw LearnError.invalidData(reason: "GaussianNB needs at least one sample") }
        let d = featureCount, n = x.rows
        let firstCall = classCounts.allSatisfy { $0 == 0 }
        // Batch statistics in two fused passes (per class and overall).
        var batchCount = [Int](repeating: 0, count: classCount)
        for c in y { batchCount[c] += 1 }
        let (sums, total) = try GroupedStatistics.sums(x, labels: y, classCount: classCount, nonNegative: nil)
        var classMean = sums
        for c in 0..<classCount where batchCount[c] > 0 { for j in 0..<d { classMean[c * d + j] /= Double(batchCount[c]) } }
        let mean = total.map { $0 / Double(n) }
        let (dev, totalDev) = GroupedStatistics.squaredDeviations(x, labels: y, classCount: classCount, classMeans: classMean, mean: mean)
        let allVar = totalDev.map { $0 / Double(n) }
        // 1. epsilon from the batch's largest variance.
        // sklearn overwrites epsilon_ before removing it from var_, so the *new* batch's epsilon
        // is subtracted (and added back below); reproduced as is.
        epsilon = parameters.varSmoothing * (allVar.max() ?? 0)
        if !firstCall { for k in 0..<variance.count { variance[k] -= epsilon } }
        // 2. per-class merge.
        for c in 0..<classCount where batchCount[c] > 0 {
            let nNew = Double(batchCount[c])
            let mu = Array(classMean[(c * d)..<((c + 1) * d)])
            let v = (0..<d).map { dev[c * d + $0] / nNew }
            let nPast = classCounts[c]
            if nPast == 0 {
                for j in 0..<d { theta[c * d + j] = mu[j]; variance[c * d + j] = v[j] }
            } else {
                let nTotal = nPast + nNew
                for j in 0..<d {
                    let oldMu = theta[c * d + j], oldVar = variance[c * d + j]
                    let totalMu = (nNew * mu[j] + nPast * oldMu) / nTotal
                    let diff = oldMu - mu[j]
                    let ssd = nPast * oldVar + nNew * v[j] + (nNew * nPast / nTotal) * (diff * diff)
                    theta[c * d + j] = totalMu
                    variance[c * d + j] = ssd / nTotal
                }
            }
            classCounts[c] += nNew
        }
        // 3. smoothing.
        for k in 0..<variance.count { variance[k] += epsilon }
        // 4. priors.
        if parameters.priors == nil {
            let total = classCounts.reduce(0, +)
            classPrior = classCounts.map { $0 / total }
        }
    }

    /// Joint log-likelihood `log P(c) + log P(x | c)` per row and class (`rows × classCount`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func jointLogLikelihood<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireFeatures(x)
        let d = featureCount, C = classCount, n = x.rows
        // Per class: constant term and reciprocal variances.
        var constant = [Double](repeating: 0, count: C)
        var inv = [Double](repeating: 0, count: C * d)
        for c in 0..<C {
            var s = 0.0
            for j in 0..<d { s += log(2.0 * Double.pi * variance[c * d + j]); inv[c * d + j] = 1 / variance[c * d + j] }
            constant[c] = log(classPrior[c]) - 0.5 * s
        }
        var out = Matrix<Double>(rows: n, columns: C)
        x.withUnsafeRows { xp in
            theta.withUnsafeBufferPointer { th in
                inv.withUnsafeBufferPointer { iv in
                    out.withUnsafeMutableRows { op in
                        let xb = xp.baseAddress!, ob = op.baseAddress!, tb = th.baseAddress!, ib = iv.baseAddress!
                        Parallel.forEachStripe(rows: n, minRowsPerStripe: 64, stripesPerThread: 1, threads: LinearAlgebra.threadCount) { range in
                            for i in range {
                                let r = xb + i * d
                                for c in 0..<C {
                                    let t = tb + c * d, w = ib + c * d
                                    var acc = SIMD4<Double>(repeating: 0)
                                    var j = 0
                                    while j + 4 <= d {
                                        let diff = SIMD4<Double>(Double(r[j]), Double(r[j + 1]), Double(r[j + 2]), Double(r[j + 3])) - SIMD4<Double>(t[j], t[j + 1], t[j + 2], t[j + 3])
                                        acc += diff * diff * SIMD4<Double>(w[j], w[j + 1], w[j + 2], w[j + 3])
                                        j += 4
                                    }
                                    var s = acc.sum()
                                    while j < d { let df = Double(r[j]) - t[j]; s += df * df * w[j]; j += 1 }
                                    ob[i * C + c] = constant[c] - 0.5 * s
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
