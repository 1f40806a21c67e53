import CVCore
import Foundation

/// A CSV feature table as read: the `label` and `path` columns (when the header has them)
/// and every other column as a numeric feature.
package struct CSVContents {
    /// Names of the feature columns, in file order.
    package var featureNames: [String]
    /// Data records (blank lines are skipped).
    package var rows: Int
    /// `rows × featureNames.count` values, row-major.
    package var values: [Double]
    /// The `label` column, or nil when the header has none.
    package var labels: [String]?
    /// The `path` column, or nil when the header has none.
    package var paths: [String]?
    /// The 1-based line each data record starts on (for messages naming a record's line).
    package var lines: [Int] = []
}

extension TableText {
    /// Parses a CSV table as pandas' `read_csv` would: a header line, RFC 4180 quoting, an
    /// optional UTF-8 byte-order mark, CRLF or LF line ends, blank lines skipped; `label` and
    /// `path` columns are text, every other column must be numeric (`strtod`).
    /// - Returns: the columns, features row-major.
    /// - Throws: `CVError.decoding` (source `<memory>`) naming the line and column at fault.
    /// - Complexity: O(n) in the text size.
    package static func parseCSV(_ input: [UInt8]) throws -> CSVContents {
        var bytes = input
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        bytes.append(0)  // terminator for strtod
        return try bytes.withUnsafeBufferPointer { buf -> CSVContents in
            var reader = CSVReader(buf: buf, end: buf.count - 1)
            guard let header = try reader.nextRecordStrings(), !(header.count == 1 && header[0].isEmpty) else {
                throw CVError.decoding(source: "<memory>", reason: "empty CSV (no header line)")
            }
            let names = header.map { String(trimmedSpaces($0)) }
            let labelColumn = names.firstIndex(of: "label")
            let pathColumn = names.firstIndex(of: "path")
            var isFeature = [Bool](repeating: true, count: names.count)
            if let l = labelColumn { isFeature[l] = false }
            if let p = pathColumn { isFeature[p] = false }
            var values: [Double] = [], labels: [String] = [], paths: [String] = []
            var rows = 0
            var lines: [Int] = []
            while true {
                let recordLine = reader.line
                guard let ok = try reader.nextRecord(columns: names.count, isFeature: isFeature, names: names, values: &values,
                                                     text: { col, s in
                                                         if col == labelColumn { labels.append(s) } else if col == pathColumn { paths.append(s) }
                                                     }) else { break }
                if ok { rows += 1; lines.append(recordLine) }  // false: a blank line
            }
            return CSVContents(featureNames: names.enumerated().filter { isFeature[$0.offset] }.map(\.element), rows: rows, values: values,
                               labels: labelColumn == nil ? nil : labels, paths: pathColumn == nil ? nil : paths, lines: lines)
        }
    }
}

/// `s` without leading spaces and tabs and without trailing spaces, tabs and carriage returns.
private func trimmedSpaces(_ s: String) -> Substring {
    var t = Substring(s)
    while let f = t.first, f == " " || f == "\t" { t.removeFirst() }
    while let l = t.last, l == " " || l == "\t" || l == "\r" { t.removeLast() }
    return t
}

/// A byte cursor over the CSV text.
private struct CSVReader {
    let buf: UnsafeBufferPointer<UInt8>
    let end: Int
    var pos = 0
    var line = 1

    /// One field as text (quotes removed), advancing past it; `atEnd` reports whether the record ended.
    mutating func textField() throws -> (String, recordEnded: Bool) {
        if pos < end && buf[pos] == UInt8(ascii: "\"") {
            pos += 1
            var bytes: [UInt8] = []
            while true {
                guard pos < end else { throw CVError.decoding(source: "<memory>", reason: "line \(line): unterminated quoted field") }
                let c = buf[pos]
                if c == UInt8(ascii: "\"") {
                    if pos + 1 < end && buf[pos + 1] == UInt8(ascii: "\"") { bytes.append(c); pos += 2; continue }
                    pos += 1
                    break
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                bytes.append(c)
                pos += 1
            }
            let s = String(decoding: bytes, as: UTF8.self)
            return (s, try finishField())
        }
        let start = pos
        while pos < end && buf[pos] != UInt8(ascii: ",") && buf[pos] != UInt8(ascii: "\n") { pos += 1 }
        var stop = pos
        if stop > start && buf[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
        let s = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<stop]), as: UTF8.self)
        return (s, try finishField())
    }

    /// After a field: consumes the separator; true when the record ended.
    mutating func finishField() throws -> Bool {
        while pos < end && (buf[pos] == UInt8(ascii: " ") || buf[pos] == UInt8(ascii: "\r")) { pos += 1 }
        if pos >= end { return true }
        if buf[pos] == UInt8(ascii: ",") { pos += 1; return false }
        if buf[pos] == UInt8(ascii: "\n") { pos += 1; line += 1; return true }
        throw CVError.decoding(source: "<memory>", reason: "line \(line): unexpected character after a quoted field")
    }

    /// The next record as strings (header), or nil at the end of input.
    mutating func nextRecordStrings() throws -> [String]? {
        guard pos < end else { return nil }
        var fields: [String] = []
        while true {
            let (s, ended) = try textField()
            fields.append(s)
            if ended { return fields }
        }
    }

    /// Parses one data record: numeric fields appended to `values`, the others handed to
    /// `text`. Returns nil at the end of input, false for a blank line.
    mutating func nextRecord(columns: Int, isFeature: [Bool], names: [String], values: inout [Double],
                             text: (Int, String) -> Void) throws -> Bool? {
        guard pos < end else { return nil }
        if buf[pos] == UInt8(ascii: "\n") { pos += 1; line += 1; return false }
        if buf[pos] == UInt8(ascii: "\r") && pos + 1 < end && buf[pos + 1] == UInt8(ascii: "\n") { pos += 2; line += 1; return false }
        let recordLine = line
        let mark = values.count
        var col = 0
        while true {
            guard col < columns else {
                throw CVError.decoding(source: "<memory>", reason: "line \(recordLine): more fields than the \(columns) header columns")
            }
            var ended: Bool
            if isFeature[col] && buf[pos] != UInt8(ascii: "\"") {
                var endPtr: UnsafeMutablePointer<CChar>? = nil
                let startPtr = UnsafeRawPointer(buf.baseAddress! + pos).assumingMemoryBound(to: CChar.self)
                var fieldEnd = pos
                while fieldEnd < end && buf[fieldEnd] != UInt8(ascii: ",") && buf[fieldEnd] != UInt8(ascii: "\n") { fieldEnd += 1 }
                let v = strtod(startPtr, &endPtr)
                var consumed = endPtr.map { UnsafeRawPointer($0) - UnsafeRawPointer(buf.baseAddress!) } ?? pos
                while consumed < fieldEnd && (buf[consumed] == UInt8(ascii: " ") || buf[consumed] == UInt8(ascii: "\r")) { consumed += 1 }
                if consumed != fieldEnd || endPtr.map({ UnsafeRawPointer($0) }) == UnsafeRawPointer(startPtr) || consumed > fieldEnd {
                    var stop = fieldEnd
                    if stop > pos && buf[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                    let raw = String(decoding: UnsafeBufferPointer(rebasing: buf[pos..<stop]), as: UTF8.self)
                    throw CVError.decoding(source: "<memory>", reason: "line \(recordLine), column \(TableText.quotedForMessage(names[col])): \(TableText.quotedForMessage(raw)) is not a number")
                }
                values.append(v)
                pos = fieldEnd
                ended = try finishField()
            } else {
                let (s, e) = try textField()
                ended = e
                if isFeature[col] {
                    guard let v = Double(trimmedSpaces(s)) else {
                        throw CVError.decoding(source: "<memory>", reason: "line \(recordLine), column \(TableText.quotedForMessage(names[col])): \(TableText.quotedForMessage(s)) is not a number")
                    }
                    values.append(v)
                } else {
                    text(col, s)
                }
            }
            col += 1
            if ended { break }
        }
        guard col == columns else {
            values.removeSubrange(mark...)
            throw CVError.decoding(source: "<memory>", reason: "line \(recordLine): \(col) fields, the header has \(columns)")
        }
        return true
    }
}
