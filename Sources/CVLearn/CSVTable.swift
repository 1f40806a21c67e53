import CVFormats
import Foundation

/// CSV feature tables: header line, optional `label` and `path` columns, numeric features.
enum CSVTable {
    /// Parses a CSV table (see `FeatureTable` for the layout) with CVFormats' one CSV reader.
    static func parse(_ input: [UInt8]) throws -> FeatureTable {
        let c = try LearnError.mapping { try TableText.parseCSV(input) }
        let m = try Matrix<Double>(rows: c.rows, columns: c.featureNames.count, values: c.values)
        return FeatureTable(features: .double(m), labels: c.labels, paths: c.paths, featureNames: c.featureNames)
    }

    /// Encodes `path` (when present), `label` (when present) and the features, in that order,
    /// through CVFormats' one CSV writer (shortest round-trip numbers, RFC 4180 quoting).
    static func encode(_ table: FeatureTable) -> [UInt8] {
        var header: [String] = []
        if table.paths != nil { header.append("path") }
        if table.labels != nil { header.append("label") }
        header += table.featureNames
        let text = { (r: Int) -> [String] in (table.paths.map { [$0[r]] } ?? []) + (table.labels.map { [$0[r]] } ?? []) }
        switch table.features {
        case let .float(m):
            return m.withUnsafeRows { TableText.csv(header: header, values: $0, rows: m.rows, columns: m.columns, text: text) }
        case let .double(m):
            return m.withUnsafeRows { TableText.csv(header: header, values: $0, rows: m.rows, columns: m.columns, text: text) }
        }
    }
}
