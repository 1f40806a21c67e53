import ArgumentParser
import ClassicCV
import Foundation

/// Shared options of the learning commands (train, predict, evaluate, pca).
struct LearnInputOptions: ParsableArguments {
    @Option(help: "Labels for FEATURES when the table has none: an IDX label file, a 1-D .npy, or text with one label per line.")
    var labels: String?

    @Option(help: "Threads for BLAS and CVLearn's loops, 1...256 (default: OPENBLAS_NUM_THREADS, else all cores).")
    var threads: Int?

    func validate() throws {
        try ThreadCount.validate(threads)
    }

    /// Applies --threads to OpenBLAS, CVLearn and the image kernels.
    func applyThreads() {
        if let threads {
            LinearAlgebra.threadCount = threads
            Parallel.threadCount = threads
        }
    }
}

/// Loading tables, timing, progress and JSON helpers for the learning commands.
enum LearnIO {
    /// Reads a feature table: CSV, LIBSVM/SVMlight, NPY (with `X.labels.npy` and
    /// `X.classes.txt` beside it when present), or an IDX image file (each image one row of raw
    /// pixel values, e.g. Fashion-MNIST's train-images-idx3-ubyte.gz). `labels` overrides or
    /// supplies the label column.
    static func loadTable(_ path: String, labels: String? = nil) throws -> FeatureTable {
        inputsRead.append(path)
        if labels == nil, CommandIO.isNPY(path) {
            let stem = String(path.dropLast(4))
            inputsRead += [stem + ".labels.npy", stem + ".classes.txt"]
        }
        var table: FeatureTable
        if IDX.isIDX(path: path) {
            let idx = try IDX.readImages(path: path)
            let m = try Matrix<Float>(rows: idx.count, columns: idx.height * idx.width, values: idx.pixels.map { Float($0) })
            table = FeatureTable(features: .float(m))
        } else {
            table = try FeatureTable.read(path: path, labelsBeside: labels == nil)
        }
        if let labels {
            let l = try readLabels(labels)
            guard l.count == table.count else {
                throw LearnError.invalidData(reason: "\(labels) has \(l.count) labels but \(path) has \(table.count) rows")
            }
            table.labels = l
        }
        return table
    }

    /// Reads a labels file: an IDX label file (recognised by content, gzip or not: see
    /// `IDX.isIDX(path:)`), a 1-D .npy (`X.labels.npy` named by `X.classes.txt` beside it, as
    /// `cvtool hog` writes them), or text with one label per line.
    static func readLabels(_ path: String) throws -> [String] {
        inputsRead.append(path)
        if IDX.isIDX(path: path) { return try IDX.readLabels(path: path).map { String($0) } }
        if path.lowercased().hasSuffix(".labels.npy") {
            inputsRead.append(String(path.dropLast(".labels.npy".count)) + ".classes.txt")
            let labels = try NPYLabels.read(labelsPath: path)
            if let row = labels.firstIndex(of: nil) { throw LearnError.invalidData(reason: "\(path): row \(row) has no label (-1)") }
            return labels.map { $0! }
        }
        return try FeatureTable.readLabels(path: path)
    }

    /// Labels of a table, or a data error (exit 1) naming the file.
    static func requireLabels(_ table: FeatureTable, _ path: String) throws -> [String] {
        // A header-only table would otherwise fail later with an error that names no file.
        guard table.count > 0 else { throw LearnError.invalidData(reason: "\(path) has no rows") }
        guard let l = table.labels else {
            throw LearnError.invalidData(reason: "\(path) has no label column; add one or pass --labels FILE")
        }
        return l
    }

    /// Runs `body` and returns its result with the elapsed wall time in milliseconds.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        return (r, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }

    /// True when standard error is a terminal (progress is shown only then).
    static let stderrIsTerminal = isatty(2) != 0

    /// One progress line on stderr (overwritten in place), only on a terminal.
    static func progress(_ message: String) {
        guard stderrIsTerminal else { return }
        CommandIO.writeStandardError("\r\u{1B}[K\(message)")
    }

    /// Ends a progress line.
    static func progressDone() {
        guard stderrIsTerminal else { return }
        CommandIO.writeStandardError("\r\u{1B}[K")
    }

    /// JSON string literal.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// JSON number (non-finite values become null).
    static func json(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }

    static func json(_ a: [Double]) -> String { "[" + a.map { json($0) }.joined(separator: ", ") + "]" }

    /// A JSON object from ordered key/value pairs whose values are already JSON.
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(json($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Output table format from a path (CSV for `-`).
    static func tableFormat(_ path: String) throws -> FeatureTable.Format {
        if path == "-" { return .csv }
        do { return try FeatureTable.Format(pathExtensionOf: path) } catch { throw ValidationError("\(error)") }
    }

    /// The tables and label files this run read (`loadTable`, `readLabels`), with the label
    /// files beside NPY tables: `writeTable` never writes or removes one of them.
    nonisolated(unsafe) static var inputsRead: [String] = []

    /// Writes a table to a path or standard output; an NPY table's labels go beside it
    /// (`X.labels.npy`, `X.classes.txt`; stale ones are removed), never over an input.
    static func writeTable(_ table: FeatureTable, to path: String) throws {
        let format = try tableFormat(path)
        let bytes = try table.encoded(as: format)
        if format == .npy && path != "-" {
            let side = NPYLabels.files(for: table.labels, beside: path)
            for (p, _) in side.write { try CommandIO.refuseOverwritingInput(output: p, inputs: inputsRead) }
            for (p, b) in side.write { try CommandIO.write(b, to: p) }
            for p in side.remove where (try? CommandIO.refuseOverwritingInput(output: p, inputs: inputsRead)) != nil {
                try? FileManager.default.removeItem(atPath: p)
            }
        }
        try CommandIO.write(bytes, to: path)
    }
}

// MARK: - Drawing (confusion heat map, compression strip)

/// A minimal RGB canvas for the learning commands' pictures, with a 3×5 bitmap font for digits.
struct Canvas {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, background: (UInt8, UInt8, UInt8) = (255, 255, 255)) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, w: width, h: height, background)
    }

    /// Fills the part of the rectangle that lies on the canvas (nothing when none does).
    mutating func fill(x: Int, y: Int, w: Int, h: Int, _ c: (UInt8, UInt8, UInt8)) {
        let y0 = max(0, y), y1 = min(height, y + h), x0 = max(0, x), x1 = min(width, x + w)
        guard y0 < y1, x0 < x1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 {
                let o = (yy * width + xx) * 3
                pixels[o] = c.0; pixels[o + 1] = c.1; pixels[o + 2] = c.2
            }
        }
    }

    static let glyphs: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 1, 1], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        ".": [0, 0, 0, 0, 2], "-": [0, 0, 7, 0, 0], "k": [4, 5, 6, 5, 5], "=": [0, 7, 0, 7, 0], "d": [1, 1, 7, 5, 7],
        "B": [6, 5, 6, 5, 6], " ": [0, 0, 0, 0, 0],
    ]

    /// Width in pixels of `text` at `scale`.
    static func textWidth(_ text: String, scale: Int) -> Int { max(0, text.count * 4 * scale - scale) }

    /// Draws `text` (digits, '.', '-', 'k', '=', 'd', 'B', space) with its top-left at (x, y).
    mutating func text(_ text: String, x: Int, y: Int, scale: Int, color: (UInt8, UInt8, UInt8)) {
        var cx = x
        for ch in text {
            if let g = Canvas.glyphs[ch] {
                for (row, bits) in g.enumerated() {
                    for col in 0..<3 where bits & (4 >> col) != 0 {
                        fill(x: cx + col * scale, y: y + row * scale, w: scale, h: scale, color)
                    }
                }
            }
            cx += 4 * scale
        }
    }

    var image: AnyImage {
        .uint8(try! Image<UInt8>(width: width, height: height, channels: 3, samples: pixels))
    }
}

enum LearnPictures {
    /// Confusion-matrix heat map: cells shaded by the row-normalized count (white → dark blue),
    /// counts printed in the cells, class indices along the axes (rows: true, columns: predicted).
    static func confusionHeatMap(_ confusion: [[Int]]) -> Canvas {
        let c = confusion.count
        let maxCount = confusion.flatMap { $0 }.max() ?? 0
        let digits = max(1, String(maxCount).count)
        let scale = c <= 12 ? 2 : 1
        let cell = max(16, Canvas.textWidth(String(repeating: "8", count: digits), scale: scale) + 6)
        let margin = Canvas.textWidth(String(c - 1), scale: scale) + 8
        var canvas = Canvas(width: margin + c * cell + 1, height: margin + c * cell + 1)
        for t in 0..<c {
            let total = max(1, confusion[t].reduce(0, +))
            for p in 0..<c {
                let v = Double(confusion[t][p]) / Double(total)
                let color = (UInt8(255 - 247 * v), UInt8(255 - 207 * v), UInt8(255 - 148 * v))
                let x = margin + p * cell, y = margin + t * cell
                canvas.fill(x: x, y: y, w: cell, h: cell, color)
                let s = String(confusion[t][p])
                let ink: (UInt8, UInt8, UInt8) = v > 0.5 ? (255, 255, 255) : (40, 40, 40)
                canvas.text(s, x: x + (cell - Canvas.textWidth(s, scale: scale)) / 2, y: y + (cell - 5 * scale) / 2, scale: scale, color: ink)
            }
            let label = String(t)
            canvas.text(label, x: (margin - Canvas.textWidth(label, scale: scale)) / 2, y: margin + t * cell + (cell - 5 * scale) / 2, scale: scale, color: (0, 0, 0))
            canvas.text(label, x: margin + t * cell + (cell - Canvas.textWidth(label, scale: scale)) / 2, y: (margin - 5 * scale) / 2, scale: scale, color: (0, 0, 0))
        }
        for i in 0...c {
            canvas.fill(x: margin + i * cell, y: margin, w: 1, h: c * cell + 1, (160, 160, 160))
            canvas.fill(x: margin, y: margin + i * cell, w: c * cell + 1, h: 1, (160, 160, 160))
        }
        return canvas
    }
}
