import ClassicCV
import CVDetect
import CVFormats
import Foundation

/// Box tables as CSV, read by `cvtool nms` and `cvtool detector evaluate`: a header naming
/// `x,y,width,height` (or the corners `x1,y1,x2,y2`), optionally `score`, `class` and `path`,
/// in any order; one box per line. Every error names the file and the line.
enum DetectionCSV {
    struct Table {
        var boxes: [Detection]
        /// The `class` column (whole numbers), nil when absent.
        var classes: [Int]?
        /// The `path` column, nil when absent.
        var paths: [String]?
        /// The line each box is on.
        var lines: [Int]
    }

    /// Reads a box table.
    /// - Parameters:
    ///   - path: the file (`-` for standard input).
    ///   - needsScore: refuse a table without a `score` column (else scores are 0).
    ///   - needsPath: refuse a table without a `path` column.
    /// - Throws: `CVError.decoding` naming the file and line: a missing column, a value that is
    ///   not a number, a NaN or infinite value, a negative size, a class that is not a whole number.
    static func read(_ path: String, needsScore: Bool, needsPath: Bool) throws -> Table {
        let source = path == "-" ? "<stdin>" : path
        let csv: CSVContents
        do {
            csv = try TableText.parseCSV(try CommandIO.readInput(path))
        } catch let CVError.decoding(_, reason) {
            throw CVError.decoding(source: source, reason: reason)
        }
        let columns = try Columns(csv.featureNames, source: source, needsScore: needsScore)
        if needsPath && csv.paths == nil {
            throw CVError.decoding(source: source, reason: "the header has no `path` column")
        }
        var table = Table(boxes: [], classes: columns.classIndex == nil ? nil : [], paths: csv.paths, lines: csv.lines)
        table.boxes.reserveCapacity(csv.rows)
        let width = csv.featureNames.count
        for r in 0..<csv.rows {
            let row = Array(csv.values[r * width..<(r + 1) * width])
            let line = csv.lines[r]
            table.boxes.append(try columns.box(row, line: line, source: source))
            if let c = columns.classIndex {
                guard let k = Int(exactly: row[c]) else {
                    throw CVError.decoding(source: source, reason: "line \(line): class \(row[c]) is not a whole number")
                }
                table.classes!.append(k)
            }
        }
        return table
    }

    /// Where the box columns are.
    private struct Columns {
        var a: [Int]  // x, y, width, height or x1, y1, x2, y2
        var corners: Bool
        var scoreIndex: Int?
        var classIndex: Int?

        init(_ names: [String], source: String, needsScore: Bool) throws {
            func find(_ set: [String]) -> [Int]? {
                let found = set.compactMap { names.firstIndex(of: $0) }
                return found.count == set.count ? found : nil
            }
            if let s = find(["x", "y", "width", "height"]) {
                a = s; corners = false
            } else if let s = find(["x1", "y1", "x2", "y2"]) {
                a = s; corners = true
            } else {
                throw CVError.decoding(source: source, reason: "the header needs the columns x,y,width,height or x1,y1,x2,y2 (it has \(names.joined(separator: ",")))")
            }
            scoreIndex = names.firstIndex(of: "score")
            classIndex = names.firstIndex(of: "class")
            if needsScore && scoreIndex == nil {
                throw CVError.decoding(source: source, reason: "the header has no `score` column")
            }
        }

        func box(_ row: [Double], line: Int, source: String) throws -> Detection {
            let v = a.map { row[$0] }
            let score = scoreIndex.map { row[$0] } ?? 0
            for x in v where !(abs(x) <= NMSValidation.coordinateLimit) {
                throw CVError.decoding(source: source, reason: "line \(line): coordinate \(x) is not a finite number within ±1e12")
            }
            guard score.isFinite else { throw CVError.decoding(source: source, reason: "line \(line): score \(score) is not finite") }
            let d = corners ? Detection(x: v[0], y: v[1], width: v[2] - v[0], height: v[3] - v[1], score: score)
                : Detection(x: v[0], y: v[1], width: v[2], height: v[3], score: score)
            guard d.width >= 0, d.height >= 0 else {
                throw CVError.decoding(source: source, reason: "line \(line): negative box size \(d.width)×\(d.height)")
            }
            return d
        }
    }
}
