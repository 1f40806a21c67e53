import CVFormats
import Foundation

/// LIBSVM / SVMlight sparse text: `label index:value index:value … [# comment]`, 1-based
/// increasing indices, absent indices are zero.
enum LIBSVMTable {
    /// Parses LIBSVM text with CVFormats' one LIBSVM reader.
    static func parse(_ bytes: [UInt8], featureCount: Int? = nil) throws -> FeatureTable {
        let t = try LearnError.mapping { try TableText.parseLIBSVM(bytes, featureCount: featureCount) }
        let m = try Matrix<Double>(rows: t.labels.count, columns: t.columns, values: t.values)
        return FeatureTable(features: .double(m), labels: t.labels)
    }

    /// Encodes the rows through CVFormats' one LIBSVM writer; spaces in labels become `_`
    /// (a label is one token). Float tables are written as their Double values.
    /// - Throws: `LearnError.encoding` when the table has no labels.
    static func encode(_ table: FeatureTable) throws -> [UInt8] {
        guard let labels = table.labels else {
            throw LearnError.encoding(target: "<memory>", reason: "LIBSVM needs a label on every row; the table has none")
        }
        let tokens = labels.map { $0.contains(where: { $0 == " " || $0 == "\t" }) ? $0.replacingOccurrences(of: " ", with: "_") : $0 }
        let m = table.features.asDouble
        return m.withUnsafeRows { TableText.libsvm(labels: tokens, values: $0, columns: m.columns) }
    }
}
