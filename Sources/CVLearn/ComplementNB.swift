import Foundation

/// Complement Naive Bayes, matching scikit-learn's `ComplementNB`.
///
/// Recipe: 1. `feature_count = Yᵀ·X` (DGEMM), refusing negative features; 2. complement counts
/// `N̄_cj = Σ_c' N_c'j + α − N_cj`; 3. `w_cj = log(N̄_cj / Σ_j N̄_cj)`; 4. with `norm`,
/// `w_cj /= Σ_j w_cj`, otherwise `w = −w`. Prediction: `jll = X·wᵀ` (DGEMM), plus the class log
/// prior only when there is a single class (as sklearn).
///
/// - Complexity: O(n·d·C) in BLAS.
/// - Reference: J. D. M. Rennie, L. Shih, J. Teevan, D. R. Karger, "Tackling the poor assumptions
///   of naive Bayes text classifiers", ICML 2003.
public struct ComplementNB: NaiveBayesModel, Hashable {
    public static let kind = ClassifierKind.complementNB

    /// Count-model parameters (alpha, fitPrior, classPrior).
    public let parameters: DiscreteNBParameters
    /// Second normalization of the weights (sklearn's `norm`). Default `false`.
    public let norm: Bool
    public let classCount: Int
    public let featureCount: Int
    /// `feature_count_`, `classCount × featureCount`.
    public let featureCounts: [Double]
    /// `class_count_`.
    public let classCounts: [Double]
    /// `feature_log_prob_` (the weights w), `classCount × featureCount`.
    public let featureLogProb: [Double]
    /// `class_log_prior_`.
    public let classLogPrior: [Double]

    /// Fits on non-negative `x` with class indices `y`.
    /// - Throws: `LearnError.invalidData` naming the row and column of a negative feature.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int,
                                parameters: DiscreteNBParameters = DiscreteNBParameters(), norm: Bool = false) throws {
        let counts = try DiscreteNB.fitCounts(x, labels: y, classCount: classCount, parameters: parameters, who: "complement-nb")
        let fc = counts.featureCounts, alpha = counts.alpha, d = x.columns
        var all = [Double](repeating: 0, count: d)
        for c in 0..<classCount { for j in 0..<d { all[j] += fc[c * d + j] } }
        var w = [Double](repeating: 0, count: fc.count)
        for c in 0..<classCount {
            var total = 0.0
            for j in 0..<d { let v = all[j] + alpha - fc[c * d + j]; w[c * d + j] = v; total += v }
            var logged = 0.0
            for j in 0..<d { w[c * d + j] = log(w[c * d + j] / total); logged += w[c * d + j] }
            for j in 0..<d { w[c * d + j] = norm ? w[c * d + j] / logged : -w[c * d + j] }
        }
        self.parameters = parameters
        self.norm = norm
        self.classCount = classCount
        featureCount = d
        featureCounts = fc
        classCounts = counts.classCounts
        featureLogProb = w
        classLogPrior = counts.classLogPrior
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func jointLogLikelihood<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireFeatures(x)
        return DiscreteNB.linearScores(x, weights: featureLogProb, classCount: classCount, bias: classCount == 1 ? classLogPrior : nil)
    }
}
