import Foundation

/// The error type of CVLearn. Its cases mirror `CVError`'s and add the two that only tables
/// and models have (`invalidData`, `mismatch`); it stays a type of its own because callers
/// match on its cases. Every message is one line naming the file, row, column or parameter
/// at fault.
public enum LearnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A caller-supplied parameter is out of range or inconsistent. Never "fixed" silently.
    case invalidParameter(name: String, reason: String)
    /// The data handed to an estimator cannot be used (negative counts, NaN, wrong width...).
    case invalidData(reason: String)
    /// A table or model file could not be parsed; `source` is its path (or "<memory>").
    case decoding(source: String, reason: String)
    /// A table or model file could not be written.
    case encoding(target: String, reason: String)
    /// A model was applied to data it was not fitted for (wrong feature count, unfitted model).
    case mismatch(reason: String)
    /// The operating system refused a read or write.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, reason): return "invalid parameter '\(name)': \(reason)"
        case let .invalidData(reason): return "invalid data: \(reason)"
        case let .decoding(source, reason): return "\(source): cannot read: \(reason)"
        case let .encoding(target, reason): return "\(target): cannot write: \(reason)"
        case let .mismatch(reason): return "model mismatch: \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        }
    }

    /// The same error with its source replaced (used when a buffer parsed from memory came from a file).
    public func relabeled(_ name: String) -> LearnError {
        switch self {
        case let .decoding(_, r): return .decoding(source: name, reason: r)
        case let .encoding(_, r): return .encoding(target: name, reason: r)
        case let .io(_, r): return .io(path: name, reason: r)
        case let .mismatch(r): return .mismatch(reason: "\(name): \(r)")
        default: return self
        }
    }
}

extension LearnError: LocalizedError {
    public var errorDescription: String? { description }
}

/// Throws `LearnError.invalidParameter(name:…)` unless `value` is positive and finite.
func requirePositive(_ value: Double, _ name: String) throws {
    guard value > 0, value.isFinite else {
        throw LearnError.invalidParameter(name: name, reason: "must be a positive finite number, got \(value)")
    }
}

/// Checks per-class weights (scikit-learn's `class_weight`): one positive finite weight per
/// class. `classCount` nil (not yet known) checks only the values.
func validateClassWeights(_ weights: [Double]?, classCount: Int?) throws {
    guard let w = weights else { return }
    if let classCount, w.count != classCount {
        throw LearnError.invalidParameter(name: "classWeights", reason: "\(w.count) weights for \(classCount) classes")
    }
    guard w.allSatisfy({ $0 > 0 && $0.isFinite }) else {
        throw LearnError.invalidParameter(name: "classWeights", reason: "weights must be positive")
    }
}
