import ArgumentParser
import ClassicCV
import Foundation

/// HOG options shared by `cvtool hog` and `cvtool bench hog`.
struct HOGOptions: ParsableArguments {
    @Option(help: "Preset: scikit-image (skimage.feature.hog defaults) or dalal-triggs (cv2.HOGDescriptor()).")
    var preset: String = "scikit-image"

    @Option(help: "Orientation bins (default: the preset's, 9).")
    var orientations: Int?

    @Option(help: "Cell size in pixels, WxH (default: the preset's, 8x8).")
    var cell: String?

    @Option(help: "Block size in cells, WxH (default: 3x3 scikit-image, 2x2 dalal-triggs).")
    var block: String?

    @Option(name: .customLong("block-stride"), help: "Block stride in cells, WxH (default 1x1).")
    var blockStride: String?

    @Option(help: "Block norm: L1, L1-sqrt, L2 or L2-Hys (default L2-Hys).")
    var norm: String?

    @Flag(help: "Square root of the samples before the gradients (on in dalal-triggs).")
    var sqrt = false

    @Flag(help: "Signed gradients (bins over 360 degrees).")
    var signed = false

    @Option(help: "Dense extraction: window size in pixels, WxH (one row per window).")
    var window: String?

    @Option(help: "Dense extraction: window stride in pixels, WxH (default: the block stride).")
    var stride: String?

    static func size(_ text: String, _ name: String) throws -> HOGSize {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else {
            throw ValidationError("\(name) must look like WxH with positive integers, got '\(text)'")
        }
        return HOGSize(w, h)
    }

    func parameters() throws -> HOGParameters {
        var p: HOGParameters
        switch preset.lowercased() {
        case "scikit-image", "skimage", "scikitimage": p = .scikitImage
        case "dalal-triggs", "dalaltriggs", "opencv": p = .dalalTriggs
        default: throw ValidationError("--preset must be scikit-image or dalal-triggs, got '\(preset)'")
        }
        if let orientations { p.orientations = orientations }
        if let cell { p.cellSize = try Self.size(cell, "--cell") }
        if let block { p.blockSize = try Self.size(block, "--block") }
        if let blockStride { p.blockStride = try Self.size(blockStride, "--block-stride") }
        if let norm {
            guard let n = HOGBlockNorm(name: norm) else { throw ValidationError("--norm must be L1, L1-sqrt, L2 or L2-Hys, got '\(norm)'") }
            p.blockNorm = n
        }
        if sqrt { p.transformSqrt = true }
        if signed { p.signedGradients = true }
        do { try p.validate() } catch { throw ValidationError("\(error)") }
        return p
    }

    func windowSpec(_ p: HOGParameters) throws -> (window: HOGSize, stride: HOGSize)? {
        guard let window else {
            if stride != nil { throw ValidationError("--stride needs --window") }
            return nil
        }
        let w = try Self.size(window, "--window")
        let s = try stride.map { try Self.size($0, "--stride") } ?? p.blockStridePixels
        return (w, s)
    }
}

struct HOGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hog",
        abstract: "Compute HOG descriptors of images into a feature table (CSV, NPY or LIBSVM).",
        discussion: """
        INPUT is any mix of image files, directories (searched recursively for png, jpg, jpeg, \
        pgm, ppm, pnm, npy) and IDX image files (MNIST format, gzip or not; each image is one \
        row). Rows keep the input order. Colour images use the strongest channel per pixel \
        (alpha is dropped).

        Output (-o, format from the extension; default CSV on standard output):
          .csv     header `path,label,f0,f1,...`, one row per image (IDX rows: `FILE#index`)
          .npy     the float32 matrix (rows x features). When labels are known, also
                   OUT.labels.npy beside it: int64, one per row. Integer labels are stored as
                   they are; text labels (e.g. folder names) as their index in sorted order,
                   with the names in OUT.classes.txt (line k = class k). Rows without a label
                   get -1.
          .libsvm  `label idx:val ...` with 1-based indices, zeros omitted; text labels become
                   their index in sorted order

        Labels: --labels FILE gives an IDX label file (for an IDX input) or a text file with one \
        label per line (one per row, in order); --labels-from-dirs uses the first-level folder \
        name under each directory INPUT.

        --resize WxH resizes every image to WxH pixels first (antialiased Lanczos-3 when \
        shrinking, Catmull-Rom when enlarging: `cvtool resize`'s default), so images of mixed \
        sizes fit one table.

        Unreadable files are reported on stderr and skipped, with a count at the end; with \
        --strict the first one fails the run (exit status 1) and nothing is written. Work runs \
        on all cores (--threads to limit) with a progress bar on stderr when it is a terminal.

        Examples:
          cvtool hog photo.png
          cvtool hog /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\
              --labels /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz \\
              --cell 7x7 --block 2x2 -o train.npy
          cvtool hog shapes/ --labels-from-dirs -o shapes.libsvm
          cvtool hog person.png --preset dalal-triggs --window 64x128 --stride 8x8 -o dense.npy
          cvtool hog photos/ --resize 128x128 --labels-from-dirs -o photos.npy
          cvtool hog photo.png --cell 16x16 --visualize glyphs.png --overlay
          cvtool hog t10k-images-idx3-ubyte.gz --cell 7x7 --visualize item0.png --overlay -o t10k.npy
        """
    )

    @Argument(help: "Image files, directories or IDX image files.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output table: .csv, .npy or .libsvm (default: CSV to standard output).")
    var output: String = "-"

    @OptionGroup var hog: HOGOptions

    @Option(help: "Labels: an IDX label file or a text file with one label per line.")
    var labels: String?

    @Flag(name: .customLong("labels-from-dirs"), help: "Label each file by its first-level folder under the directory INPUT.")
    var labelsFromDirs = false

    @Option(help: "Resize every image to WxH pixels before computing descriptors (antialiased default filter).")
    var resize: String?

    @Option(help: "Write the HOG glyph picture of the first image to this PNG.")
    var visualize: String?

    @Flag(help: "With --visualize: draw the glyphs over the (dimmed) image.")
    var overlay = false

    @Option(name: .customLong("visualize-scale"), help: "With --visualize: magnify the picture N times, 1...16 (default: cells at least 16 and images at least 256 pixels across; at most 8x and 4096 pixels).")
    var visualizeScale: Int?

    @Flag(help: "Fail on the first unreadable input instead of skipping it.")
    var strict = false

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        _ = try hog.parameters()
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if output != "-" {
            let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
            guard ["csv", "npy", "libsvm", "svm"].contains(ext) else {
                throw ValidationError("-o must end in .csv, .npy or .libsvm, got '\(output)'")
            }
            try CommandIO.refuseOverwritingInput(output: output, inputs: inputs)
        }
        if overlay && visualize == nil { throw ValidationError("--overlay needs --visualize OUT.png") }
        if let visualizeScale, !(1...16).contains(visualizeScale) { throw ValidationError("--visualize-scale must be 1...16") }
        if let resize { _ = try HOGOptions.size(resize, "--resize") }
    }

    /// One row source.
    enum Item {
        case file(path: String, label: String?)
        case idx(set: Int, index: Int, label: String?)
    }

    struct IDXSet {
        let path: String
        let count: Int, width: Int, height: Int
        let pixels: [UInt8]
    }

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "pgm", "ppm", "pnm", "npy"]

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        let params = try hog.parameters()
        let engine = try HOG(params)
        let windowSpec = try hog.windowSpec(params)
        let resizeTo = try resize.map { try HOGOptions.size($0, "--resize") }

        // 1. Collect rows.
        var items: [Item] = []
        var idxSets: [IDXSet] = []
        var problems: [String] = []
        for input in inputs {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
                if strict { throw CVError.io(path: input, reason: "no such file or directory") }
                problems.append("\(input): no such file or directory")
                continue
            }
            if isDir.boolValue {
                for (path, label) in Self.listImages(in: input) { items.append(.file(path: path, label: labelsFromDirs ? label : nil)) }
            } else if Self.looksLikeIDX(input) {
                let f: (count: Int, height: Int, width: Int, pixels: [UInt8])
                do { f = try IDX.readImages(path: input) } catch {
                    if strict { throw error }
                    problems.append("\(error)")
                    continue
                }
                idxSets.append(IDXSet(path: input, count: f.count, width: f.width, height: f.height, pixels: f.pixels))
                for i in 0..<f.count { items.append(.idx(set: idxSets.count - 1, index: i, label: nil)) }
            } else {
                items.append(.file(path: input, label: nil))
            }
        }
        if let labels {
            let list = try Self.readLabels(labels)
            guard list.count == items.count else {
                throw CVError.invalidParameter(name: labels, reason: "has \(list.count) labels for \(items.count) rows")
            }
            for i in items.indices {
                switch items[i] {
                case .file(let p, _): items[i] = .file(path: p, label: list[i])
                case .idx(let s, let j, _): items[i] = .idx(set: s, index: j, label: list[i])
                }
            }
        }
        guard !items.isEmpty else { throw HOGRunError("no input images found in \(inputs.joined(separator: " "))") }

        func load(_ item: Item) throws -> Image<UInt8> {
            let img = try loadOriginal(item)
            guard let r = resizeTo, r.width != img.width || r.height != img.height else { return img }
            return try img.resized(to: .size(width: r.width, height: r.height))
        }
        func loadOriginal(_ item: Item) throws -> Image<UInt8> {
            switch item {
            case .file(let path, _):
                let img = try CommandIO.loadImage(path).image.asUInt8
                return img.channels == 2 ? img.channel(0) : (img.channels == 4 ? img.droppingAlpha() : img)
            case .idx(let s, let i, _):
                let set = idxSets[s]
                let n = set.width * set.height
                return try Image(width: set.width, height: set.height, channels: 1, samples: Array(set.pixels[i * n..<(i + 1) * n]))
            }
        }
        func name(_ item: Item) -> String {
            switch item {
            case .file(let p, _): return p
            case .idx(let s, let i, _): return "\(idxSets[s].path)#\(i)"
            }
        }
        func label(_ item: Item) -> String? {
            switch item { case .file(_, let l): return l; case .idx(_, _, let l): return l }
        }

        // 2. Visualization of the first readable image: glyphs normalized for display (99th
        //    percentile, brightest line per pixel), magnified for small images.
        if let visualize {
            var img: Image<UInt8>?
            for item in items {
                do { img = try load(item); break } catch { if strict { throw error } }
            }
            guard let img else { throw HOGRunError("none of the \(items.count) inputs could be read") }
            let hist = try engine.cellHistograms(img)
            let scale = visualizeScale ?? Self.visualizationScale(width: img.width, height: img.height, cell: params.cellSize)
            let pic = overlay ? try HOGVisualization.overlay(hist, on: img, scale: scale)
                : try HOGVisualization.image(hist, width: img.width, height: img.height, scale: scale)
            try CommandIO.writeImage(.uint8(pic), to: visualize)
            FileHandle.standardError.write(Data("\(visualize)\n".utf8))
        }

        // 3. Descriptors. The row length comes from the first readable image.
        var rowNames: [String] = []
        var rowLabels: [String?] = []
        var matrix: [Float] = []
        var D = 0
        var failed = problems.count
        let progress = HOGProgressBar(total: items.count)
        if let spec = windowSpec {
            for item in items {
                do {
                    let img = try load(item)
                    let w = try engine.windows(img, window: spec.window, stride: spec.stride)
                    if D == 0 { D = w.grid.descriptorLength }
                    for wy in 0..<w.windowsY {
                        for wx in 0..<w.windowsX {
                            rowNames.append("\(name(item))@\(wx * spec.stride.width),\(wy * spec.stride.height)")
                            rowLabels.append(label(item))
                        }
                    }
                    matrix += w.values
                } catch {
                    if strict { throw error }
                    problems.append("\(error)")
                    failed += 1
                }
                progress.step()
            }
        } else {
            // Size of the table from the first image that loads.
            var first: Image<UInt8>?
            var firstIndex = 0
            while first == nil && firstIndex < items.count {
                do { first = try load(items[firstIndex]) } catch {
                    if strict { throw error }
                    problems.append("\(error)"); failed += 1; firstIndex += 1
                }
            }
            guard let first else {
                progress.finish()
                for p in problems { FileHandle.standardError.write(Data("hog: skipped \(p)\n".utf8)) }
                throw HOGRunError("none of the \(items.count) inputs could be read")
            }
            D = try engine.parameters.grid(width: first.width, height: first.height).descriptorLength
            let n = items.count
            var table = [Float](repeating: 0, count: n * D)
            var ok = [Bool](repeating: false, count: n)
            let lock = NSLock()
            var errors: [(Int, Error)] = []
            table.withUnsafeMutableBufferPointer { tp in
                ok.withUnsafeMutableBufferPointer { okp in
                    let base = tp.baseAddress!, okBase = okp.baseAddress!
                    Parallel.forEach(count: n - firstIndex, chunk: 64) { k in
                        let i = k + firstIndex
                        do {
                            let img = i == firstIndex ? first : try load(items[i])
                            guard img.width == first.width, img.height == first.height else {
                                throw CVError.invalidParameter(name: name(items[i]), reason: "is \(img.width)x\(img.height), the table's images are \(first.width)x\(first.height) (use --resize WxH)")
                            }
                            try engine.compute(img, into: UnsafeMutableBufferPointer(start: base + i * D, count: D), parallel: false)
                            okBase[i] = true
                        } catch {
                            lock.lock(); errors.append((i, error)); lock.unlock()
                        }
                        progress.step()
                    }
                }
            }
            errors.sort { $0.0 < $1.0 }
            // A file that fails is a failed run (exit status 1), not a usage error.
            if strict, let e = errors.first { progress.finish(); throw e.1 }
            problems += errors.map { "\($0.1)" }
            failed += errors.count
            for i in 0..<n where ok[i] {
                rowNames.append(name(items[i]))
                rowLabels.append(label(items[i]))
                matrix.append(contentsOf: table[i * D..<(i + 1) * D])
            }
        }
        progress.finish()
        for p in problems { FileHandle.standardError.write(Data("hog: skipped \(p)\n".utf8)) }

        // 4. Write the table.
        let ext = output == "-" ? "csv" : URL(fileURLWithPath: output).pathExtension.lowercased()
        let rows = rowNames.count
        let bytes: [UInt8]
        switch ext {
        case "npy":
            bytes = NPY.encode(NPYArray(shape: [rows, D], floats: matrix))
            if rowLabels.contains(where: { $0 != nil }) {
                try Self.writeNPYLabels(rowLabels, beside: output)
            }
        case "libsvm", "svm":
            bytes = Self.libsvm(matrix, rows: rows, cols: D, labels: rowLabels)
        default:
            bytes = Self.csv(matrix, rows: rows, cols: D, names: rowNames, labels: rowLabels)
        }
        try CommandIO.write(bytes, to: output)
        if failed > 0 {
            FileHandle.standardError.write(Data("hog: \(failed) input(s) skipped; \(rows) row(s) written\n".utf8))
        }
        CommandIO.announce(output)
    }

    /// Default magnification of the glyph picture: cells at least 16 pixels on screen and
    /// images at least 256 pixels across, at most 8× and at most 4096 pixels across.
    static func visualizationScale(width: Int, height: Int, cell: HOGSize) -> Int {
        let forCells = (16 + min(cell.width, cell.height) - 1) / min(cell.width, cell.height)
        let forImage = (256 + min(width, height) - 1) / max(1, min(width, height))
        let cap = max(1, 4096 / max(1, max(width, height)))
        return max(1, min(8, cap, max(forCells, forImage)))
    }

    // MARK: - Inputs

    /// Image files under `dir`, sorted, with their first-level folder name.
    static func listImages(in dir: String) -> [(String, String?)] {
        let root = URL(fileURLWithPath: dir)
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [(String, String?)] = []
        let rootComponents = root.standardizedFileURL.pathComponents.count
        for case let url as URL in e where imageExtensions.contains(url.pathExtension.lowercased()) {
            let comps = url.standardizedFileURL.pathComponents
            let label = comps.count > rootComponents + 1 ? comps[rootComponents] : nil
            out.append((url.path, label))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// An IDX file: magic `00 00 08 0N` (after gzip), or the MNIST naming.
    static func looksLikeIDX(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.contains("idx") && lower.contains("ubyte") { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let b = [UInt8](h.readData(ofLength: 4))
        return b.count == 4 && b[0] == 0 && b[1] == 0 && b[2] == 8 && (1...4).contains(b[3])
    }

    static func readLabels(_ path: String) throws -> [String] {
        if looksLikeIDX(path) || path.lowercased().hasSuffix(".gz") {
            return try IDX.readLabels(path: path).map { String($0) }
        }
        let text = String(decoding: try FileIO.readAll(path), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: - Tables

    /// `OUT.labels.npy` (int64, one per row) beside `OUT.npy`; text labels become their index
    /// in sorted order and their names go to `OUT.classes.txt`. Missing labels are -1.
    static func writeNPYLabels(_ labels: [String?], beside output: String) throws {
        let base = URL(fileURLWithPath: output).deletingPathExtension().path
        let numeric = labels.allSatisfy { $0 == nil || Int64($0!) != nil }
        var values = [Int64](repeating: -1, count: labels.count)
        if numeric {
            for (i, l) in labels.enumerated() { if let l { values[i] = Int64(l)! } }
        } else {
            let classes = Array(Set(labels.compactMap { $0 })).sorted()
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int64($0)) })
            for (i, l) in labels.enumerated() { if let l { values[i] = index[l]! } }
            let names = classes.map { $0 + "\n" }.joined()
            try CommandIO.write(Array(names.utf8), to: base + ".classes.txt")
            CommandIO.announce(base + ".classes.txt")
        }
        try CommandIO.write(NPY.encode(NPYArray(shape: [labels.count], int64s: values)), to: base + ".labels.npy")
        CommandIO.announce(base + ".labels.npy")
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func csv(_ m: [Float], rows: Int, cols: Int, names: [String], labels: [String?]) -> [UInt8] {
        var header = "path,label"
        for j in 0..<cols { header += ",f\(j)" }
        header += "\n"
        var chunks = [[UInt8]](repeating: [], count: rows)
        chunks.withUnsafeMutableBufferPointer { cp in
            let c = cp.baseAddress!
            m.withUnsafeBufferPointer { mp in
                Parallel.forEach(count: rows, chunk: 256) { i in
                    var line = csvField(names[i]) + "," + csvField(labels[i] ?? "")
                    for j in 0..<cols { line += ","; line += "\(mp[i * cols + j])" }
                    line += "\n"
                    c[i] = Array(line.utf8)
                }
            }
        }
        var out = Array(header.utf8)
        for c in chunks { out += c }
        return out
    }

    static func libsvm(_ m: [Float], rows: Int, cols: Int, labels: [String?]) -> [UInt8] {
        let texts = labels.map { $0 ?? "0" }
        let numeric = texts.allSatisfy { Double($0) != nil }
        let classes = numeric ? [] : Array(Set(texts)).sorted()
        var out: [UInt8] = []
        for i in 0..<rows {
            var line = numeric ? texts[i] : String(classes.firstIndex(of: texts[i])!)
            for j in 0..<cols where m[i * cols + j] != 0 { line += " \(j + 1):\(m[i * cols + j])" }
            line += "\n"
            out += Array(line.utf8)
        }
        return out
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
final class HOGProgressBar: @unchecked Sendable {
    let total: Int
    private var done = 0
    private var lastDrawn = -1
    private let lock = NSLock()
    private let enabled = isatty(2) != 0

    init(total: Int) { self.total = total }

    func step() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        done += 1
        let permille = total > 0 ? done * 1000 / total : 1000
        if permille != lastDrawn {
            lastDrawn = permille
            let filled = permille * 30 / 1000
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if lastDrawn >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
        lastDrawn = -1
    }
}

/// A run that failed on its inputs (exit status 1, as opposed to a usage error's 64).
struct HOGRunError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
