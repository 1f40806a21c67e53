import CVCore
import Foundation

/// A LIBSVM / SVMlight table as read: one label per row and the dense feature values.
package struct LIBSVMContents {
    /// The first token of every row.
    package var labels: [String]
    /// Features per row.
    package var columns: Int
    /// `labels.count × columns` values, row-major.
    package var values: [Double]
}

extension TableText {
    /// Parses LIBSVM / SVMlight text as scikit-learn's `load_svmlight_file` does: `label
    /// index:value …` with 1-based increasing indices, absent indices zero, `qid:` fields and
    /// `#` comments ignored, blank lines skipped.
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - featureCount: the number of columns (default: the largest index present).
    /// - Returns: the labels and the dense row-major values.
    /// - Throws: `CVError.decoding` (source `<memory>`) naming the line at fault;
    ///   `CVError.limitExceeded` when the dense matrix would pass `denseTableMegabytes`, or —
    ///   unless `featureCount` or `CLASSICCV_TABLE_MB` says the width is wanted — when it
    ///   would hold more than ``denseCellsPerTextByte`` cells per byte of text.
    /// - Complexity: O(n) in the text size plus O(rows · columns) for the dense matrix.
    package static func parseLIBSVM(_ bytes: [UInt8], featureCount: Int? = nil) throws -> LIBSVMContents {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw CVError.decoding(source: "<memory>", reason: "LIBSVM text is not UTF-8")
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
                    throw CVError.decoding(source: "<memory>", reason: "line \(lineNumber): \(quotedForMessage(tok)) is not index:value")
                }
                let key = tok[..<colon]
                if key == "qid" { continue }
                guard let idx = Int(key), idx >= 1 else {
                    throw CVError.decoding(source: "<memory>", reason: "line \(lineNumber): feature index \(quotedForMessage(key)) is not a positive integer (indices are 1-based)")
                }
                guard idx > last else {
                    throw CVError.decoding(source: "<memory>", reason: "line \(lineNumber): feature index \(idx) does not increase (previous \(last))")
                }
                guard let v = Double(tok[tok.index(after: colon)...]) else {
                    throw CVError.decoding(source: "<memory>", reason: "line \(lineNumber), feature \(idx): \(quotedForMessage(tok[tok.index(after: colon)...])) is not a number")
                }
                guard idx <= 10_000_000 else {
                    throw CVError.decoding(source: "<memory>", reason: "line \(lineNumber): feature index \(idx) exceeds the limit of 10000000")
                }
                last = idx
                maxIndex = max(maxIndex, idx)
                row.append((idx - 1, v))
            }
            entries.append(row)
        }
        let columns = featureCount ?? maxIndex
        if let featureCount, maxIndex > featureCount {
            throw CVError.decoding(source: "<memory>", reason: "feature index \(maxIndex) exceeds the expected \(featureCount) features")
        }
        try checkDenseBudget(rows: entries.count, columns: columns, textBytes: featureCount == nil ? bytes.count : nil)
        var values = [Double](repeating: 0, count: entries.count * columns)
        for (r, row) in entries.enumerated() { for (c, v) in row { values[r * columns + c] = v } }
        return LIBSVMContents(labels: labels, columns: columns, values: values)
    }

    /// The memory budget, in megabytes, of the dense matrix a sparse table becomes: 1024 by
    /// default, or the value of the environment variable `CLASSICCV_TABLE_MB` (a positive
    /// integer) to raise or lower it. A LIBSVM file is sparse, so a few short lines can name a
    /// feature index that would make `rows × index` doubles; the budget refuses those before
    /// allocating.
    package static var denseTableMegabytes: Int {
        if let v = ProcessInfo.processInfo.environment["CLASSICCV_TABLE_MB"], let mb = Int(v), mb > 0 { return mb }
        return 1024
    }

    /// How many dense cells a LIBSVM table may have per byte of its text when its width comes
    /// from the largest index present: 1024, with a floor of 2^20 cells (8 MB). Real sparse
    /// tables that this dense learning module can use stay far below it (MNIST in LIBSVM
    /// text has under one cell per byte; one value per line at index 5,000 has about 400),
    /// while a 20-byte line naming feature 7,000,000 would otherwise cost a 56 MB matrix.
    /// An explicit `featureCount` or `CLASSICCV_TABLE_MB` lifts this rule (the budget stays).
    package static let denseCellsPerTextByte = 1024

    /// Throws unless `rows × columns` doubles fit in `denseTableMegabytes` and, when
    /// `textBytes` is given and no budget was set explicitly, in ``denseCellsPerTextByte``
    /// cells per byte of text.
    private static func checkDenseBudget(rows: Int, columns: Int, textBytes: Int?) throws {
        let budget = denseTableMegabytes
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        if !overflow, let textBytes, !budgetIsExplicit {
            let allowed = Swift.max(1 << 20, textBytes.multipliedReportingOverflow(by: denseCellsPerTextByte).partialValue)
            if count > allowed {
                throw CVError.limitExceeded(source: "<memory>", reason: "\(rows)x\(columns) dense matrix from \(textBytes) bytes of LIBSVM text (over \(denseCellsPerTextByte) cells a byte); give the feature count or set CLASSICCV_TABLE_MB to accept it")
            }
        }
        guard overflow || count > Swift.min(budget, Int.max >> 18) << 17 else { return }  // 2^17 doubles a megabyte
        let needed = overflow ? "more than \(Int.max >> 20)" : "\(count >> 17)"
        throw CVError.limitExceeded(source: "<memory>", reason: "\(rows)x\(columns) dense matrix needs \(needed) MB, over the \(budget) MB table budget (set CLASSICCV_TABLE_MB to raise it)")
    }

    /// Whether `CLASSICCV_TABLE_MB` holds a budget the user chose.
    private static var budgetIsExplicit: Bool {
        guard let v = ProcessInfo.processInfo.environment["CLASSICCV_TABLE_MB"], let mb = Int(v) else { return false }
        return mb > 0
    }
}
