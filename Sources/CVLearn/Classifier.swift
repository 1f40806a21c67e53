import Foundation

/// The classifier types CVLearn knows; the raw value is the `type` string in model files and
/// the `cvtool train --classifier` spelling.
///
/// Adding a classifier: add a case here, return its type from `classifierType`, and conform the
/// type to `Classifier` (fit, decision scores, Codable parameters + weights). Model files,
/// `cvtool predict/evaluate` and cross-validation then work unchanged.
public enum ClassifierKind: String, Sendable, CaseIterable, Codable {
    case gaussianNB = "gaussian-nb"
    case multinomialNB = "multinomial-nb"
    case complementNB = "complement-nb"
    case linearSVM = "linear-svm"
    case svm = "svm"
    case knn = "knn"
    case lda = "lda"

    /// The Swift type implementing this kind.
    public var classifierType: any Classifier.Type {
        switch self {
        case .gaussianNB: return GaussianNB.self
        case .multinomialNB: return MultinomialNB.self
        case .complementNB: return ComplementNB.self
        case .linearSVM: return LinearSVM.self
        case .svm: return KernelSVM.self
        case .knn: return KNeighborsClassifier.self
        case .lda: return LinearDiscriminantAnalysis.self
        }
    }
}

/// A fitted classifier over `featureCount` features and `classCount` classes (indices
/// `0..<classCount`; the string labels live in the model's `LabelEncoder`).
///
/// Conforming types encode their parameters and weights with `Codable`; `ModelFile` writes them
/// under `"classifier"` next to `"type": kind.rawValue`.
///
/// Vocabulary (scikit-learn's names in each doc comment): `predict(_:)`, `decisionValues(_:)`,
/// `probabilities(_:)`, `logProbabilities(_:)`.
public protocol Classifier: Sendable, Codable {
    /// The kind written to model files.
    static var kind: ClassifierKind { get }
    /// Number of input features.
    var featureCount: Int { get }
    /// Number of classes.
    var classCount: Int { get }
    /// Per-class scores; the predicted class is the first column with the largest score (kernel
    /// SVMs: the one-vs-rest aggregate of their votes). For Naive Bayes these are the joint
    /// log-likelihoods.
    ///
    /// scikit-learn: `decision_function` (Naive Bayes: `_joint_log_likelihood`).
    /// - Parameter x: `rows × featureCount`, either precision.
    /// - Returns: `rows × classCount`, always `Double`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    func decisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>
    /// Class log-probabilities, or nil when the classifier has none.
    ///
    /// scikit-learn: `predict_log_proba`.
    /// - Returns: `rows × classCount`, or nil.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    func logProbabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>?
    /// Class probabilities (rows sum to 1), or nil when the classifier has none. Default:
    /// `exp` of `logProbabilities(_:)`.
    ///
    /// scikit-learn: `predict_proba`.
    /// - Returns: `rows × classCount`, or nil.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>?
    /// Predicted class index per row. Default: the arg-max of `decisionValues(_:)` (first
    /// maximum, as NumPy's `argmax`); kernel SVMs vote one-vs-one as LIBSVM instead.
    ///
    /// scikit-learn: `predict` (as class indices).
    /// - Returns: `rows` indices in `0..<classCount`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    func predict<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int]
}

extension Classifier {
    public func predict<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] {
        argmaxRows(try decisionValues(x))
    }

    public func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        guard var m = try logProbabilities(x) else { return nil }
        for i in 0..<m.storage.count { m.storage[i] = exp(m.storage[i]) }
        return m
    }

    @available(*, deprecated, renamed: "predict(_:)")
    public func predictClasses<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] { try predict(x) }

    @available(*, deprecated, renamed: "decisionValues(_:)")
    public func decisionFunction<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try decisionValues(x) }

    @available(*, deprecated, renamed: "probabilities(_:)")
    public func predictProba<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? { try probabilities(x) }

    @available(*, deprecated, renamed: "logProbabilities(_:)")
    public func predictLogProba<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? { try logProbabilities(x) }

    func requireFeatures<T: LearnScalar>(_ x: Matrix<T>) throws {
        try requireColumns(x.columns, featureCount, "\(Self.kind.rawValue) model")
    }
}

/// Naive Bayes models share `logProbabilities = jll − logsumexp(jll)`.
protocol NaiveBayesModel: Classifier {
    func jointLogLikelihood<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>
}

extension NaiveBayesModel {
    /// The joint log-likelihoods `log P(c) + log P(x | c)`, `rows × classCount`.
    /// scikit-learn: `_joint_log_likelihood`.
    public func decisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try jointLogLikelihood(x) }

    /// `jll − logsumexp(jll)` per row, `rows × classCount`. scikit-learn: `predict_log_proba`.
    public func logProbabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        var jll = try jointLogLikelihood(x)
        let c = jll.columns, rows = jll.rows
        jll.withUnsafeMutableRows { p in
            for i in 0..<rows {
                let r = UnsafeMutableBufferPointer(rebasing: p[(i * c)..<((i + 1) * c)])
                let lse = logSumExp(UnsafeBufferPointer(r))
                for j in 0..<c { r[j] -= lse }
            }
        }
        return jll
    }
}

/// `log Σ exp(a)`, computed as scikit-learn's `_logsumexp`: the maximum entries are counted
/// (m), the rest summed after shifting, `log1p(s/m) + log(m) + max`.
public func logSumExp(_ a: UnsafeBufferPointer<Double>) -> Double {
    guard let mx = a.max() else { return -.infinity }
    var m = 0.0, s = 0.0
    let shift = mx.isFinite ? mx : 0
    for v in a {
        if v == mx { m += 1 } else { s += exp(v - shift) }
    }
    if s != 0 { s /= m }
    return log1p(s) + log(m) + mx
}

/// First arg-max of each row.
func argmaxRows(_ m: Matrix<Double>) -> [Int] {
    var out = [Int](repeating: 0, count: m.rows)
    let c = m.columns
    m.withUnsafeRows { p in
        for i in 0..<m.rows {
            var best = 0
            var bv = p[i * c]
            for j in 1..<max(c, 1) where j < c {
                let v = p[i * c + j]
                if v > bv || (bv.isNaN && !v.isNaN) { bv = v; best = j }
            }
            out[i] = best
        }
    }
    return out
}

/// A fitted classifier of any kind, as stored in model files.
public struct AnyClassifier: Sendable {
    public let base: any Classifier
    public init(_ base: any Classifier) { self.base = base }
    public var kind: ClassifierKind { type(of: base).kind }
}

/// Validates class indices against `classCount` and the row count.
func validateTargets(_ y: [Int], rows: Int, classCount: Int) throws {
    guard y.count == rows else {
        throw LearnError.invalidData(reason: "\(y.count) labels for \(rows) samples")
    }
    guard classCount >= 1 else { throw LearnError.invalidParameter(name: "classCount", reason: "must be at least 1") }
    if let bad = y.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
        throw LearnError.invalidData(reason: "label index \(y[bad]) in row \(bad) is outside 0..<\(classCount)")
    }
}

/// Throws when a matrix has a negative entry, naming row and column (Multinomial/Complement NB).
@_specialize(where T == Float)
@_specialize(where T == Double)
func requireNonNegative<T: LearnScalar>(_ x: Matrix<T>, _ who: String) throws {
    let c = max(x.columns, 1)
    try x.withUnsafeRows { p in
        for i in 0..<p.count where p[i] < 0 {
            throw LearnError.invalidData(reason: "\(who) needs non-negative features (counts or frequencies); row \(i / c), column \(i % c) is \(p[i]) — use --scale minmax or gaussian-nb")
        }
    }
}
