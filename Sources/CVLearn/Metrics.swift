/// Precision, recall, F1 and support of one class.
public struct ClassMetrics: Sendable, Hashable, Codable {
    public var label: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int
}

/// Averages over classes (scikit-learn's `macro avg` / `weighted avg` rows).
public struct AveragedMetrics: Sendable, Hashable, Codable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int
}

/// Accuracy, confusion matrix and per-class precision/recall/F1 of a set of predictions, as
/// scikit-learn's `accuracy_score`, `confusion_matrix` and `classification_report` compute them
/// (with `zero_division=0`: a ratio with an empty denominator is 0).
///
/// - Complexity: O(n + C²).
public struct ClassificationReport: Sendable, Hashable, Codable {
    /// Class labels in index order.
    public let classes: [String]
    /// `confusion[t][p]`: samples of true class t predicted as p.
    public let confusion: [[Int]]
    /// Share of correct predictions.
    public let accuracy: Double
    /// One entry per class, in class order.
    public let perClass: [ClassMetrics]
    /// Unweighted mean over classes.
    public let macro: AveragedMetrics
    /// Mean weighted by support.
    public let weighted: AveragedMetrics

    /// Builds the report from true and predicted class indices.
    /// - Throws: `LearnError.invalidData` when the arrays differ in length or hold an index outside `classes`.
    public init(truth: [Int], predicted: [Int], classes: [String]) throws {
        guard truth.count == predicted.count else {
            throw LearnError.invalidData(reason: "\(truth.count) true labels but \(predicted.count) predictions")
        }
        let c = classes.count
        var m = [[Int]](repeating: [Int](repeating: 0, count: c), count: c)
        for (t, p) in zip(truth, predicted) {
            guard t >= 0, t < c, p >= 0, p < c else { throw LearnError.invalidData(reason: "class index outside 0..<\(c)") }
            m[t][p] += 1
        }
        let n = truth.count
        let correct = (0..<c).reduce(0) { $0 + m[$1][$1] }
        var rows: [ClassMetrics] = []
        for k in 0..<c {
            let tp = Double(m[k][k])
            let predictedK = Double((0..<c).reduce(0) { $0 + m[$1][k] })
            let support = m[k].reduce(0, +)
            let precision = predictedK > 0 ? tp / predictedK : 0
            let recall = support > 0 ? tp / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            rows.append(ClassMetrics(label: classes[k], precision: precision, recall: recall, f1: f1, support: support))
        }
        func avg(_ w: (ClassMetrics) -> Double) -> AveragedMetrics {
            let total = rows.reduce(0.0) { $0 + w($1) }
            func mean(_ f: (ClassMetrics) -> Double) -> Double { total > 0 ? rows.reduce(0.0) { $0 + w($1) * f($1) } / total : 0 }
            return AveragedMetrics(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: n)
        }
        self.classes = classes
        self.confusion = m
        self.accuracy = n > 0 ? Double(correct) / Double(n) : 0
        self.perClass = rows
        self.macro = avg { _ in 1 }
        self.weighted = avg { Double($0.support) }
    }

    /// A text table like `sklearn.metrics.classification_report`, followed by the confusion matrix.
    public func formatted(digits: Int = 4) -> String {
        let width = max(12, (classes.map(\.count).max() ?? 0) + 2)
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            s.count >= w ? s : (left ? s + String(repeating: " ", count: w - s.count) : String(repeating: " ", count: w - s.count) + s)
        }
        func num(_ v: Double) -> String { pad(formatFixed(v, digits), digits + 6) }
        var out = pad("", width) + pad("precision", digits + 6) + pad("recall", digits + 6) + pad("f1-score", digits + 6) + pad("support", 10) + "\n\n"
        for r in perClass {
            out += pad(r.label, width) + num(r.precision) + num(r.recall) + num(r.f1) + pad("\(r.support)", 10) + "\n"
        }
        let n = macro.support
        out += "\n" + pad("accuracy", width) + pad("", 2 * (digits + 6)) + num(accuracy) + pad("\(n)", 10) + "\n"
        out += pad("macro avg", width) + num(macro.precision) + num(macro.recall) + num(macro.f1) + pad("\(n)", 10) + "\n"
        out += pad("weighted avg", width) + num(weighted.precision) + num(weighted.recall) + num(weighted.f1) + pad("\(n)", 10) + "\n"
        out += "\nconfusion matrix (rows: true, columns: predicted)\n"
        let cw = max(6, (confusion.flatMap { $0 }.map { "\($0)".count }.max() ?? 1) + 1, (classes.map(\.count).max() ?? 0) + 1)
        out += pad("", width) + classes.map { pad($0, cw) }.joined() + "\n"
        for (k, row) in confusion.enumerated() { out += pad(classes[k], width) + row.map { pad("\($0)", cw) }.joined() + "\n" }
        return out
    }
}

/// `v` with `digits` decimals (no Foundation formatting needed).
func formatFixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "\(v)" }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (abs(v) * p).rounded()
    var whole = String(Int64(r / p))
    var frac = String(Int64(r.truncatingRemainder(dividingBy: p)))
    while frac.count < digits { frac = "0" + frac }
    if v < 0 && r != 0 { whole = "-" + whole }
    return digits > 0 ? whole + "." + frac : whole
}

/// Accuracy: share of positions where `truth` and `predicted` agree (0 for empty input).
public func accuracyScore(truth: [Int], predicted: [Int]) -> Double {
    precondition(truth.count == predicted.count, "accuracyScore: lengths differ")
    guard !truth.isEmpty else { return 0 }
    return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
}
