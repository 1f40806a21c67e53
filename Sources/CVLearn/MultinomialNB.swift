import Foundation

/// Multinomial Naive Bayes for count-like features, matching scikit-learn's `MultinomialNB`.
///
/// Recipe: 1. `feature_count = Yᵀ·X` (one DGEMM with one-hot Y), refusing negative features;
/// 2. `log θ_cj = log(N_cj + α) − log Σ_j (N_cj + α)`; 3. class log priors (fitted, uniform or
/// given). Prediction: `jll = X·log θᵀ + log prior` (one DGEMM).
///
/// - Complexity: O(n·d·C) in BLAS for both fit and predict.
/// - Reference: McCallum & Nigam, "A comparison of event models for Naive Bayes text
///   classification", AAAI-98 workshop (1998).
public struct MultinomialNB: NaiveBayesModel, Hashable {
    public static let kind = ClassifierKind.multinomialNB

    public let parameters: DiscreteNBParameters
    public let classCount: Int
    public let featureCount: Int
    /// Per-class feature sums (`feature_count_`), `classCount × featureCount`.
    public let featureCounts: [Double]
    /// Samples per class (`class_count_`).
    public let classCounts: [Double]
    /// `feature_log_prob_`, `classCount × featureCount`.
    public let featureLogProb: [Double]
    /// `class_log_prior_`.
    public let classLogPrior: [Double]

    /// Fits on non-negative `x` with class indices `y`.
    /// - Throws: `LearnError.invalidData` naming the row and column of a negative feature;
    ///   `LearnError.invalidParameter` for a bad alpha or prior.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: DiscreteNBParameters = DiscreteNBParameters()) throws {
        let counts = try DiscreteNB.fitCounts(x, labels: y, classCount: classCount, parameters: parameters, who: "multinomial-nb")
        let fc = counts.featureCounts, alpha = counts.alpha, d = x.columns
        var flp = [Double](repeating: 0, count: fc.count)
        for c in 0..<classCount {
            var total = 0.0
            for j in 0..<d { total += fc[c * d + j] + alpha }
            let lt = log(total)
            for j in 0..<d { flp[c * d + j] = log(fc[c * d + j] + alpha) - lt }
        }
        self.parameters = parameters
        self.classCount = classCount
        featureCount = d
        featureCounts = fc
        classCounts = counts.classCounts
        featureLogProb = flp
        classLogPrior = counts.classLogPrior
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func jointLogLikelihood<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireFeatures(x)
        return DiscreteNB.linearScores(x, weights: featureLogProb, classCount: classCount, bias: classLogPrior)
    }
}
