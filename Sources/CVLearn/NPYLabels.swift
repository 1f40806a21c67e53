import Foundation

/// The labels that travel with an NPY feature table `X.npy`: `X.labels.npy` (one int64 class
/// index per row, -1 for unknown) and, for text labels, `X.classes.txt` (line k names class k).
/// `cvtool hog` writes them; every reader of `X.npy` reads them, so class numbers never leave
/// the table without their names.
enum NPYLabels {
    /// The paths of the labels and class names beside `tablePath` (`X.npy` → `X.labels.npy`,
    /// `X.classes.txt`).
    static func paths(beside tablePath: String) -> (labels: String, classes: String) {
        let stem = tablePath.lowercased().hasSuffix(".npy") ? String(tablePath.dropLast(4)) : tablePath
        return (stem + ".labels.npy", stem + ".classes.txt")
    }

    /// The labels beside the table, or nil when there is no `X.labels.npy` or every row is -1.
    /// - Throws: `LearnError.decoding` naming the file when the count differs from `rows`, a
    ///   value is not an integer, or an index has no line in `X.classes.txt`.
    static func readBeside(tablePath: String, rows: Int) throws -> [String]? {
        let (labelsPath, classesPath) = paths(beside: tablePath)
        guard FileManager.default.fileExists(atPath: labelsPath) else { return nil }
        let raw = try FeatureTable.readLabels(path: labelsPath)
        guard raw.count == rows else {
            throw LearnError.decoding(source: labelsPath, reason: "\(raw.count) labels for the \(rows) rows of \(tablePath)")
        }
        let indices = try raw.enumerated().map { row, label -> Int in
            guard let i = Int(label), i >= -1 else {
                throw LearnError.decoding(source: labelsPath, reason: "row \(row): '\(label)' is not a class index (-1 for unknown)")
            }
            return i
        }
        guard indices.contains(where: { $0 >= 0 }), !indices.contains(-1) else { return nil }
        guard FileManager.default.fileExists(atPath: classesPath) else { return raw }
        let names = try FeatureTable.readLabels(path: classesPath)
        return try indices.enumerated().map { row, i in
            guard i < names.count else {
                throw LearnError.decoding(source: labelsPath, reason: "row \(row): class \(i) has no name in \(classesPath) (\(names.count) lines)")
            }
            return names[i]
        }
    }
}
