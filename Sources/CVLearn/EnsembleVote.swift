/// Combining the predictions of several classifiers on the same rows: a plurality vote of
/// their labels, or the argmax of their averaged class probabilities.
///
/// Vote ties go to the tied label that the earliest model in the list predicted, so listing
/// the strongest model first makes it the tie-breaker (scikit-learn's
/// `VotingClassifier(voting="hard")` gives ties to the smallest label instead). Probability
/// ties go to the first class in the tables' column order, as its `voting="soft"` argmax.
///
/// References: L. Breiman, "Bagging predictors", Machine Learning 24, 1996,
/// doi:10.1007/BF00058655 (voting); scikit-learn `VotingClassifier` (hard and soft voting).
public enum EnsembleVote {
    /// The plurality vote of `predictions` (one label list per model, all of the same length).
    /// - Parameters:
    ///   - predictions: at least one model's labels, one per row.
    ///   - weights: one weight per model, finite and ≥ 0 (default: 1 each).
    /// - Returns: one label per row.
    /// - Throws: `LearnError.invalidParameter` for no models, lists of different lengths or bad weights.
    /// - Complexity: O(rows · models²).
    public static func vote(_ predictions: [[String]], weights: [Double]? = nil) throws -> [String] {
        let w = try checkedWeights(weights, models: predictions.count, rows: predictions.map(\.count))
        let rows = predictions[0].count
        return (0..<rows).map { r in
            var best = predictions[0][r], bestScore = -1.0
            for m in predictions.indices {
                let label = predictions[m][r]
                var score = 0.0
                for k in predictions.indices where predictions[k][r] == label { score += w[k] }
                if score > bestScore { best = label; bestScore = score }
            }
            return best
        }
    }

    /// The class of largest weighted mean probability per row.
    /// - Parameters:
    ///   - probabilities: one `rows`×`classes` table per model, same shape and column order.
    ///   - classes: the column labels.
    ///   - weights: as in ``vote(_:weights:)``.
    /// - Returns: one label per row.
    /// - Throws: `LearnError.invalidParameter` for no models, mismatched shapes or bad weights.
    /// - Complexity: O(rows · classes · models).
    public static func averageProbabilities(_ probabilities: [Matrix<Double>], classes: [String], weights: [Double]? = nil) throws -> [String] {
        let w = try checkedWeights(weights, models: probabilities.count, rows: probabilities.map(\.rows))
        guard probabilities.allSatisfy({ $0.columns == classes.count }), !classes.isEmpty else {
            throw LearnError.invalidParameter(name: "probabilities", reason: "every table needs one column per class (\(classes.count))")
        }
        return (0..<probabilities[0].rows).map { r in
            var best = 0, bestScore = -Double.infinity
            for c in classes.indices {
                var s = 0.0
                for m in probabilities.indices { s += w[m] * probabilities[m][r, c] }
                if s > bestScore { best = c; bestScore = s }
            }
            return classes[best]
        }
    }

    private static func checkedWeights(_ weights: [Double]?, models: Int, rows: [Int]) throws -> [Double] {
        guard models >= 1 else { throw LearnError.invalidParameter(name: "predictions", reason: "need at least one model") }
        guard Set(rows).count == 1 else {
            throw LearnError.invalidParameter(name: "predictions", reason: "the models predict different numbers of rows: \(rows)")
        }
        let w = weights ?? Array(repeating: 1, count: models)
        guard w.count == models else {
            throw LearnError.invalidParameter(name: "weights", reason: "need one weight per model (\(models)), got \(w.count)")
        }
        guard w.allSatisfy({ $0.isFinite && $0 >= 0 }), w.contains(where: { $0 > 0 }) else {
            throw LearnError.invalidParameter(name: "weights", reason: "must be finite, ≥ 0 and not all 0, got \(w)")
        }
        return w
    }
}
