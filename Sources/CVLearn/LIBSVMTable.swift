import CVFormats
import Foundation

/// LIBSVM / SVMlight sparse text: `label index:value index:value … [# comment]`, 1-based
/// increasing indices, absent indices are zero.
enum LIBSVMTable {
    static func parse(_ bytes: [UInt8], featureCount: Int? = nil) throws -> FeatureTable {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw LearnError.decoding(source: "<memory>", reason: "LIBSVM text is not UTF-8")
        }
        var labels: [String] = []
        var entries: [[(Int, Double)]] = []
        var maxIndex = 0
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = tokens.first else { continue }
            labels.append(String(first))
            var row: [(Int, Double)] = []
            var last = 0
            for tok in tokens.dropFirst() {
                guard let colon = tok.firstIndex(of: ":") else {
                    throw LearnError.decoding(source: "<memory>", reason: "line \(lineNumber): '\(tok)' is not index:value")
                }
                let key = tok[..<colon]
                if key == "qid" { continue }
                guard let idx = Int(key), idx >= 1 else {
                    throw LearnError.decoding(source: "<memory>", reason: "line \(lineNumber): feature index '\(key)' is not a positive integer (indices are 1-based)")
                }
                guard idx > last else {
                    throw LearnError.decoding(source: "<memory>", reason: "line \(lineNumber): feature index \(idx) does not increase (previous \(last))")
                }
                guard let v = Double(tok[tok.index(after: colon)...]) else {
                    throw LearnError.decoding(source: "<memory>", reason: "line \(lineNumber), feature \(idx): '\(tok[tok.index(after: colon)...])' is not a number")
                }
                guard idx <= 10_000_000 else {
                    throw LearnError.decoding(source: "<memory>", reason: "line \(lineNumber): feature index \(idx) exceeds the limit of 10000000")
                }
                last = idx
                maxIndex = max(maxIndex, idx)
                row.append((idx - 1, v))
            }
            entries.append(row)
        }
        let columns = featureCount ?? maxIndex
        if let featureCount, maxIndex > featureCount {
            throw LearnError.decoding(source: "<memory>", reason: "feature index \(maxIndex) exceeds the expected \(featureCount) features")
        }
        guard entries.count.multipliedReportingOverflow(by: max(columns, 1)).partialValue <= 1 << 31 else {
            throw LearnError.decoding(source: "<memory>", reason: "\(entries.count)x\(columns) dense matrix is too large")
        }
        var m = Matrix<Double>(rows: entries.count, columns: columns)
        for (r, row) in entries.enumerated() { for (c, v) in row { m[r, c] = v } }
        return FeatureTable(features: .double(m), labels: labels)
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
