import Foundation

// `Classifier` conformances of the SVMs: model files, `Model.train`, `cvtool predict/evaluate`.

extension LinearSVM: Classifier {
    public static let kind = ClassifierKind.linearSVM

    /// Per-class scores: `w_c·x + b_c`; two classes `[−f, f]` (f > 0 → class 1).
    public func decisionFunction<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try classScores(x) }

    /// Linear SVMs have no probabilities: nil.
    public func predictLogProba<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? { nil }
}

extension LinearSVM: ArrayShapeCheckable {
    func checkShapes() throws { try checkLinearShapes() }
}

extension KernelSVM: Classifier {
    public static let kind = ClassifierKind.svm

    /// sklearn's `decision_function_shape="ovr"` scores (see `ovrScores`).
    public func decisionFunction<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try ovrScores(x) }

    /// Log of the Platt probabilities, or nil when the model was fitted without them.
    public func predictLogProba<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        guard var p = try probabilities(x) else { return nil }
        for i in 0..<p.storage.count { p.storage[i] = log(p.storage[i]) }
        return p
    }

    /// One-vs-one voting, as LIBSVM's `svm_predict` (not the probabilities).
    public func predictClasses<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] { try predictByVotes(x) }
}

extension KernelSVM: ArrayShapeCheckable {
    func checkShapes() throws { try checkSVMShapes() }
}
