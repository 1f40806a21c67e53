import Foundation

// `Classifier` conformances of the SVMs: model files, `Model.train`, `cvtool predict/evaluate`.
// `predict`, `decisionValues` and `probabilities` live beside each model's arithmetic.

extension LinearSVM: Classifier {
    public static let kind = ClassifierKind.linearSVM

    /// Linear SVMs have no probabilities: nil.
    public func logProbabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? { nil }
}

extension LinearSVM: ArrayShapeCheckable {
    func checkShapes() throws { try checkLinearShapes() }
}

extension KernelSVM: Classifier {
    public static let kind = ClassifierKind.svm

    /// Log of the Platt probabilities, or nil when the model was fitted without them.
    /// scikit-learn: `SVC.predict_log_proba`.
    public func logProbabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        guard var p = try probabilities(x) else { return nil }
        for i in 0..<p.storage.count { p.storage[i] = log(p.storage[i]) }
        return p
    }

    @available(*, deprecated, renamed: "predict(_:)")
    public func predictByVotes<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] { try predict(x) }

    @available(*, deprecated, renamed: "decisionValues(_:)")
    public func ovrScores<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try decisionValues(x) }

    @available(*, deprecated, renamed: "oneVsOneDecisionValues(_:)")
    public func oneVsOneDecision<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try oneVsOneDecisionValues(x) }

    @available(*, deprecated, renamed: "binaryDecisionValues(_:)")
    public func binaryDecision<T: LearnScalar>(_ x: Matrix<T>) throws -> [Double] { try binaryDecisionValues(x) }
}

extension KernelSVM: ArrayShapeCheckable {
    func checkShapes() throws { try checkSVMShapes() }
}
