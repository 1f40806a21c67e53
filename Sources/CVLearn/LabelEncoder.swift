/// Maps string class labels to class indices `0..<classes.count` and back.
///
/// The class order is scikit-learn's (`np.unique` of the labels): when every label is a number
/// ("3", "-1", "0.5") the classes sort numerically — so the digits 0…9 come out in the same order
/// as `sklearn`'s `classes_` for integer `y` — otherwise they sort by Unicode code points (as
/// NumPy sorts strings). The encoder is stored inside model files so predictions print the
/// original labels.
public struct LabelEncoder: Sendable, Equatable, Codable {
    /// The distinct labels in class-index order.
    public let classes: [String]

    /// Learns the classes from `labels`.
    /// - Throws: `LearnError.invalidData` when `labels` is empty.
    public init(fitting labels: [String]) throws {
        guard !labels.isEmpty else { throw LearnError.invalidData(reason: "no labels to encode") }
        self.classes = LabelEncoder.sorted(Array(Set(labels)))
    }

    /// An encoder with the given class order (e.g. read back from a model file).
    /// - Throws: `LearnError.invalidParameter` when `classes` is empty or has duplicates.
    public init(classes: [String]) throws {
        guard !classes.isEmpty else { throw LearnError.invalidParameter(name: "classes", reason: "empty") }
        guard Set(classes).count == classes.count else {
            throw LearnError.invalidParameter(name: "classes", reason: "duplicate class labels")
        }
        self.classes = classes
    }

    /// Class index of every label.
    /// - Throws: `LearnError.invalidData` naming the first label (and its row) that is not a known class.
    public func encode(_ labels: [String]) throws -> [Int] {
        var index: [String: Int] = [:]
        for (i, c) in classes.enumerated() { index[c] = i }
        return try labels.enumerated().map { row, label in
            guard let i = index[label] else {
                throw LearnError.invalidData(reason: "label '\(label)' in row \(row) is not one of the model's classes (\(LabelEncoder.preview(classes)))")
            }
            return i
        }
    }

    /// The labels of class indices.
    public func decode(_ indices: [Int]) -> [String] { indices.map { classes[$0] } }

    /// Sorting rule described on the type.
    static func sorted(_ labels: [String]) -> [String] {
        let numbers = labels.map { Double($0.trimmingSpaces) }
        if numbers.allSatisfy({ $0 != nil && !$0!.isNaN }) {
            return zip(labels, numbers).sorted { a, b in
                a.1! != b.1! ? a.1! < b.1! : codePointLess(a.0, b.0)
            }.map(\.0)
        }
        return labels.sorted(by: codePointLess)
    }

    static func codePointLess(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    static func preview(_ classes: [String]) -> String {
        classes.count <= 12 ? classes.joined(separator: ", ") : classes.prefix(12).joined(separator: ", ") + ", …"
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
