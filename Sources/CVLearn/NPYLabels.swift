import Foundation

/// The labels that travel with an NPY feature table `X.npy`: `X.labels.npy` (one int64 class
/// index per row, -1 for unknown) and, for text labels, `X.classes.txt` (line k names class k).
/// `cvtool hog` writes them; every reader of `X.npy` reads them, so class numbers never leave
/// the table without their names.
package enum NPYLabels {
    /// The paths of the labels and class names beside `tablePath` (`X.npy` → `X.labels.npy`,
    /// `X.classes.txt`).
    static func paths(beside tablePath: String) -> (labels: String, classes: String) {
        let stem = tablePath.lowercased().hasSuffix(".npy") ? String(tablePath.dropLast(4)) : tablePath
        return (stem + ".labels.npy", stem + ".classes.txt")
    }

    /// The labels beside the table, or nil when there is no `X.labels.npy` or a named table has
    /// a row labelled -1.
    /// - Throws: `LearnError.decoding` naming the file when the count differs from `rows`, a
    ///   value is not an integer, or an index has no line in `X.classes.txt`.
    static func readBeside(tablePath: String, rows: Int) throws -> [String]? {
        let labelsPath = paths(beside: tablePath).labels
        guard FileManager.default.fileExists(atPath: labelsPath) else { return nil }
        let labels = try read(labelsPath: labelsPath)
        guard labels.count == rows else {
            throw LearnError.decoding(source: labelsPath, reason: "\(labels.count) labels for the \(rows) rows of \(tablePath)")
        }
        return labels.contains(where: { $0 == nil }) ? nil : labels.map { $0! }
    }

    /// The labels in an `X.labels.npy` file, named by `X.classes.txt` beside it when that exists
    /// (then -1 marks a row without a label: nil).
    /// - Throws: `LearnError.decoding` naming the file for a value that is not a class index or
    ///   an index with no name.
    package static func read(labelsPath: String) throws -> [String?] {
        let raw = try FeatureTable.readLabels(path: labelsPath)
        let stem = String(labelsPath.dropLast(".labels.npy".count))
        let classesPath = stem + ".classes.txt"
        guard labelsPath.lowercased().hasSuffix(".labels.npy"), FileManager.default.fileExists(atPath: classesPath) else {
            return raw  // integer labels stand for themselves (-1 may be a class, as in LIBSVM's ±1)
        }
        let names = try FeatureTable.readLabels(path: classesPath)
        return try raw.enumerated().map { row, label in
            guard let i = Int(label), i >= -1 else {
                throw LearnError.decoding(source: labelsPath, reason: "row \(row): '\(label)' is not a class index (-1 for unknown)")
            }
            guard i < names.count else {
                throw LearnError.decoding(source: labelsPath, reason: "row \(row): class \(i) has no name in \(classesPath) (\(names.count) lines)")
            }
            return i < 0 ? nil : names[i]
        }
    }

    /// The files that carry `labels` beside the NPY table at `tablePath`: `X.labels.npy` (int64),
    /// plus `X.classes.txt` when the labels are not all integers (class k = the k-th label in
    /// `LabelEncoder` order). With no labels, nothing is written and stale files are listed for
    /// removal, so a table never reads back labels that are not its own.
    /// - Returns: the path and bytes of each file to write, and the paths to remove.
    package static func files(for labels: [String]?, beside tablePath: String) -> (write: [(String, [UInt8])], remove: [String]) {
        let (labelsPath, classesPath) = paths(beside: tablePath)
        guard let labels, !labels.isEmpty else { return ([], [labelsPath, classesPath]) }
        let integers = labels.compactMap { Int64($0) }
        if integers.count == labels.count {
            return ([(labelsPath, NPYFile.encode(int64s: integers))], [classesPath])
        }
        let classes = LabelEncoder.sorted(Array(Set(labels)))
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int64($0)) })
        let names = Array(classes.map { $0 + "\n" }.joined().utf8)
        return ([(classesPath, names), (labelsPath, NPYFile.encode(int64s: labels.map { index[$0]! }))], [])
    }
}
