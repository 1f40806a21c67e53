import CVCore

/// The text encodings of numeric tables: CSV with a header line (RFC 4180 quoting; pandas'
/// `read_csv` reads it as is) and LIBSVM / SVMlight sparse rows (scikit-learn's
/// `load_svmlight_file`, Spark's `libsvm` source). CVLearn's `FeatureTable` and `cvtool hog`
/// both write through here, so a table is spelled the same whichever tool wrote it.
///
/// Numbers print as Swift's shortest round-trip representation of the stored type (`0.1` for
/// the Float 0.1, `1e-05`, `inf`, `nan`), so reading a file back gives the same bits.
package enum TableText {
    /// A CSV field, quoted (with `"` doubled) when it holds a comma, quote or line break, or
    /// starts or ends with a space (which a reader would otherwise trim).
    package static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// A CSV table: the header line, then per row its text fields followed by its values.
    /// - Parameters:
    ///   - header: every column name, text columns first.
    ///   - values: `rows × columns` values, row-major.
    ///   - text: the (unquoted) text fields of row `r`; called concurrently.
    /// - Returns: UTF-8 text, every line ending in `\n`.
    /// - Complexity: O(rows · columns), rows formatted in parallel.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func csv<T: BinaryFloatingPoint & CustomStringConvertible>(
        header: [String], values: UnsafeBufferPointer<T>, rows: Int, columns: Int, text: (Int) -> [String]
    ) -> [UInt8] {
        precondition(values.count == rows * columns, "\(values.count) values for \(rows)x\(columns)")
        let head = Array((header.map(csvField).joined(separator: ",") + "\n").utf8)
        return head + joinedLines(count: rows) { r in
            var line = text(r).map(csvField).joined(separator: ",")
            for j in 0..<columns {
                if j > 0 || !line.isEmpty { line += "," }
                line += values[r * columns + j].description
            }
            return line
        }
    }

    /// LIBSVM / SVMlight rows: `label index:value …` with 1-based indices, zeros omitted.
    /// - Parameters:
    ///   - labels: one label per row, written as given (callers map them to numbers or
    ///     space-free tokens first).
    ///   - values: `labels.count × columns` values, row-major.
    /// - Returns: UTF-8 text, one line per row.
    /// - Complexity: O(rows · columns), rows formatted in parallel.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func libsvm<T: BinaryFloatingPoint & CustomStringConvertible>(
        labels: [String], values: UnsafeBufferPointer<T>, columns: Int
    ) -> [UInt8] {
        precondition(values.count == labels.count * columns, "\(values.count) values for \(labels.count)x\(columns)")
        return joinedLines(count: labels.count) { r in
            var line = labels[r]
            for j in 0..<columns where values[r * columns + j] != 0 { line += " \(j + 1):\(values[r * columns + j])" }
            return line
        }
    }

    /// A field of a malformed file as an error message shows it: in single quotes, control
    /// characters and line separators escaped (`\u{d}`), cut after 40 characters, so the
    /// message stays one line whatever bytes the file holds.
    package static func quotedForMessage<S: StringProtocol>(_ field: S) -> String {
        var out = ""
        for (i, u) in field.unicodeScalars.enumerated() {
            if i == 40 { out += "…"; break }
            let isBreak = u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
            out += isBreak ? "\\u{\(String(u.value, radix: 16))}" : String(u)
        }
        return "'" + out + "'"
    }

    /// `line(0) + "\n" + line(1) + "\n" + …`, the lines built in parallel.
    private static func joinedLines(count: Int, _ line: (Int) -> String) -> [UInt8] {
        guard count > 0 else { return [] }
        var chunks = [[UInt8]](repeating: [], count: count)
        chunks.withUnsafeMutableBufferPointer { cp in
            let c = cp.baseAddress!
            Parallel.forEach(count: count, chunk: 256) { i in c[i] = Array((line(i) + "\n").utf8) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for c in chunks { out += c }
        return out
    }
}
