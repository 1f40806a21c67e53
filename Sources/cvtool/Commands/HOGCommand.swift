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
        abstract: "Compute HOG descriptors of images into a feature table (CSV, NPY, LIBSVM or Arrow).",
        usage: """
        cvtool hog <inputs> ... [-o <path>] [--labels <path>] [--resize <WxH>]
                   [--visualize <path>] [<options>]
        """,
        discussion: """
        INPUT is any mix of image files, directories (searched recursively for png, jpg, jpeg, \
        pgm, ppm, pnm, npy) and IDX image files (MNIST format, gzip or not, recognised by \
        content; each image is one row). Rows keep the input order. Colour images use the \
        strongest channel per pixel (alpha is dropped).

        Output (-o, format from the extension; default CSV on standard output):

        .csv: header `path,label,f0,f1,...`, one row per image (IDX rows: `FILE#index`).

        .npy: the float32 matrix (rows x features). When labels are known, also \
        OUT.labels.npy beside it: int64, one per row. Integer labels are stored as they are; \
        text labels (e.g. folder names) as their index in sorted order, with the names in \
        OUT.classes.txt (line k = class k). Rows without a label get -1.

        .libsvm: `label idx:val ...` with 1-based indices, zeros omitted; text labels become \
        their index in sorted order.

        .arrow: Arrow IPC file (path, label, features: fixed_size_list<float32>[d]); pyarrow, \
        pandas and Spark read it.

        Worker mode (--stream; --records implies it): an Arrow IPC stream on standard output, \
        written batch by batch with bounded memory, with an `error` column: an input that \
        cannot be read or described is an error row (path, message, null features) instead \
        of being skipped. Inputs: INPUT paths, --files-from FILE|- (one path a line, or \
        NUL-separated with --null) or --records (framed path+bytes records on standard \
        input; format in docs/spark.md). docs/spark.md shows it driven by Spark.

        Labels: --labels FILE gives an IDX label file (for an IDX input), a 1-D .npy or a text \
        file with one label per line (one per row, in order); --labels-from-dirs uses the \
        first-level folder name under each directory INPUT.

        --resize WxH resizes every image to WxH pixels first (antialiased Lanczos-3 when \
        shrinking, Catmull-Rom when enlarging: `cvtool resize`'s default), so images of mixed \
        sizes fit one table.

        Unreadable files (and entries of a folder that are not regular files: FIFOs, devices) \
        are reported on stderr and skipped, with a count at the end; with --strict the first \
        one fails the run (exit status 1) and nothing is written. The table, the files beside \
        it and the --visualize picture appear together or not at all, and none may name an \
        input (--labels included). Work runs \
        on all cores (--threads to limit) with a progress bar on stderr when it is a terminal.

        Examples:
          cvtool hog photo.png
          cvtool hog /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\
              --labels /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz \\
              --cell 7x7 --block 2x2 -o train.npy
          cvtool hog shapes/ --labels-from-dirs -o shapes.libsvm
          cvtool hog person.png --preset dalal-triggs --window 64x128 --stride 8x8 \\
              -o dense.npy
          cvtool hog photos/ --resize 128x128 --labels-from-dirs -o photos.npy
          cvtool hog photo.png --cell 16x16 --visualize glyphs.png --overlay
          cvtool hog t10k-images-idx3-ubyte.gz --cell 7x7 --visualize item0.png \\
              --overlay -o t10k.npy
        """
    )

    @Argument(help: "Image files, directories or IDX image files.")
    var inputs: [String] = []

    @OptionGroup var worker: HOGWorkerOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: .output("CSV to standard output; .npy, .libsvm, .arrow: by extension"))
    var outputOption: String?

    /// The table's path (`-`: standard output).
    var output: String { outputOption ?? "-" }

    @OptionGroup var hog: HOGOptions

    @Option(help: ArgumentHelp("Labels: an IDX label file, a 1-D .npy or a text file with one label per line.", valueName: "path"))
    var labels: String?

    @Flag(name: .customLong("labels-from-dirs"), help: "Label each file by its first-level folder under the directory INPUT.")
    var labelsFromDirs = false

    @Option(help: "Resize every image to WxH pixels before computing descriptors (antialiased default filter).")
    var resize: String?

    @Option(help: ArgumentHelp("Write the HOG glyph picture of the first image to this PNG.", valueName: "path"))
    var visualize: String?

    @Flag(help: "With --visualize: draw the glyphs over the (dimmed) image.")
    var overlay = false

    @Option(name: .customLong("visualize-scale"), help: "With --visualize: magnify the picture N times, 1...16 (default: cells at least 16 and images at least 256 pixels across; at most 8x and 4096 pixels).")
    var visualizeScale: Int?

    @Flag(help: "Fail on the first unreadable input instead of skipping it.")
    var strict = false

    @Option(help: "Worker threads, 1...256 (default: all cores).")
    var threads: Int?

    func validate() throws {
        _ = try hog.parameters()
        try ThreadCount.validate(threads)
        if output != "-" {
            let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
            guard ["csv", "npy", "libsvm", "svm", "arrow"].contains(ext) else {
                throw ValidationError("-o must end in .csv, .npy, .libsvm or .arrow, got '\(output)'")
            }
        }
        try worker.validate(inputs: inputs, output: output, visualize: visualize)
        try CommandIO.refuseOverwriting(inputs: inputs.map(Optional.some) + [labels], outputs: outputPaths)
        if overlay && visualize == nil { throw ValidationError("--overlay needs --visualize OUT.png") }
        if let visualizeScale, !(1...16).contains(visualizeScale) { throw ValidationError("--visualize-scale must be 1...16") }
        if let resize { _ = try HOGOptions.size(resize, "--resize") }
    }

    /// The descriptors of the rows that could be read, in input order.
    struct DescriptorTable {
        var names: [String] = []
        var labels: [String?] = []
        /// `names.count × length` values, row-major.
        var values: [Float] = []
        /// Descriptor length (0 when no row could be read).
        var length = 0
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        if worker.isStreaming { return try runWorker() }
        let params = try hog.parameters()
        let engine = try HOG(params)
        let windowSpec = try hog.windowSpec(params)
        let size = try resize.map { try HOGOptions.size($0, "--resize") }.map { (width: $0.width, height: $0.height) }

        // 1. Collect the rows: files, folders, IDX image sets, and their labels.
        let rows = try collectRows()
        guard !rows.items.isEmpty else { throw HOGRunError("no input images found in \(inputs.joined(separator: " "))") }
        let load = { (row: Int) in try rows.load(row, resizedTo: size) }

        try CommandIO.refuseOverwriting(inputs: rows.filePaths, outputs: outputPaths)

        // 2. The glyph picture of the first readable image.
        let picture = try visualize.map { try visualization(rows: rows.items.count, load: load, engine: engine, for: $0) }

        // 3. Descriptors: one row per image, or per window with --window.
        var problems = rows.problems
        let progress = ProgressBar(total: rows.items.count)
        let table: DescriptorTable
        if let spec = windowSpec {
            table = try extractWindows(rows, load: load, engine: engine, spec: spec, problems: &problems, progress: progress)
        } else {
            table = try extractWholeImages(rows, load: load, engine: engine, problems: &problems, progress: progress)
        }
        progress.finish()
        Self.report(problems)

        // 4. The table, the labels beside an NPY table and the glyph picture, all or none.
        try write(table, picture: picture)
        if !problems.isEmpty {
            CommandIO.writeStandardError("hog: \(problems.count) input(s) skipped; \(table.names.count) row(s) written\n")
        }
        CommandIO.announce(output)
    }

    /// The rows of the inputs, labelled by --labels-from-dirs or --labels.
    private func collectRows() throws -> ImageInputs {
        var rows = try ImageInputs.collect(inputs + worker.listedPaths(), labelsFromDirs: labelsFromDirs, strict: strict)
        if let labels { try rows.assignLabels(try LearnIO.readLabels(labels), from: labels) }
        return rows
    }

    private static func report(_ problems: [String]) {
        for p in problems { CommandIO.writeStandardError("hog: skipped \(p)\n") }
    }

    // MARK: - Visualization

    /// The PNG bytes of the glyph picture of the first readable row: glyphs normalized for
    /// display (99th percentile, brightest line per pixel), magnified for small images.
    private func visualization(rows: Int, load: (Int) throws -> Image<UInt8>, engine: HOG, for path: String) throws -> [UInt8] {
        var img: Image<UInt8>?
        for row in 0..<rows {
            do { img = try load(row); break } catch { if strict { throw error } }
        }
        guard let img else { throw HOGRunError("none of the \(rows) inputs could be read") }
        let hist = try engine.cellHistograms(img)
        let scale = visualizeScale ?? Self.visualizationScale(width: img.width, height: img.height, cell: engine.parameters.cellSize)
        let pic = overlay ? try HOGVisualization.overlay(hist, on: img, scale: scale)
            : try HOGVisualization.image(hist, width: img.width, height: img.height, scale: scale)
        return try CommandIO.encodeImage(.uint8(pic), for: path)
    }

    /// Default magnification of the glyph picture: cells at least 16 pixels on screen and
    /// images at least 256 pixels across, at most 8× and at most 4096 pixels across.
    static func visualizationScale(width: Int, height: Int, cell: HOGSize) -> Int {
        let forCells = (16 + min(cell.width, cell.height) - 1) / min(cell.width, cell.height)
        let forImage = (256 + min(width, height) - 1) / max(1, min(width, height))
        let cap = max(1, 4096 / max(1, max(width, height)))
        return max(1, min(8, cap, max(forCells, forImage)))
    }

    // MARK: - Extraction

    /// Dense mode: every window of every row, one after the other (each image's windows are
    /// computed in parallel by the engine). Row names are `NAME@x,y`.
    private func extractWindows(_ rows: ImageInputs, load: (Int) throws -> Image<UInt8>, engine: HOG,
                                spec: (window: HOGSize, stride: HOGSize),
                                problems: inout [String], progress: ProgressBar) throws -> DescriptorTable {
        var table = DescriptorTable()
        for row in rows.items.indices {
            do {
                let w = try engine.windows(try load(row), window: spec.window, stride: spec.stride)
                if table.length == 0 { table.length = w.grid.descriptorLength }
                for wy in 0..<w.windowsY {
                    for wx in 0..<w.windowsX {
                        table.names.append("\(rows.name(row))@\(wx * spec.stride.width),\(wy * spec.stride.height)")
                        table.labels.append(rows.label(row))
                    }
                }
                table.values += w.values
            } catch {
                if strict { throw error }
                problems.append("\(error)")
            }
            progress.step()
        }
        return table
    }

    /// One descriptor per row, rows in parallel. The table's image size comes from the first
    /// readable row; a row of another size is an error (use --resize).
    private func extractWholeImages(_ rows: ImageInputs, load: (Int) throws -> Image<UInt8>, engine: HOG,
                                    problems: inout [String], progress: ProgressBar) throws -> DescriptorTable {
        // 1. The first readable row sets the image size and the descriptor length.
        var first: Image<UInt8>?
        var firstRow = 0
        while first == nil && firstRow < rows.items.count {
            do { first = try load(firstRow) } catch {
                if strict { throw error }
                problems.append("\(error)"); firstRow += 1
            }
        }
        guard let first else {
            progress.finish()
            Self.report(problems)
            throw HOGRunError("none of the \(rows.items.count) inputs could be read")
        }
        let length = try engine.parameters.grid(width: first.width, height: first.height).descriptorLength
        // 2. Every row into its slot of the table.
        let n = rows.items.count
        var values = [Float](repeating: 0, count: n * length)
        var ok = [Bool](repeating: false, count: n)
        let lock = NSLock()
        var errors: [(Int, Error)] = []
        values.withUnsafeMutableBufferPointer { tp in
            ok.withUnsafeMutableBufferPointer { okp in
                let base = tp.baseAddress!, okBase = okp.baseAddress!
                Parallel.forEach(count: n - firstRow, chunk: 64) { k in
                    let i = k + firstRow
                    do {
                        let img = i == firstRow ? first : try load(i)
                        guard img.width == first.width, img.height == first.height else {
                            throw CVError.invalidParameter(name: rows.name(i), reason: "is \(img.width)x\(img.height), the table's images are \(first.width)x\(first.height) (use --resize WxH)")
                        }
                        try engine.compute(img, into: UnsafeMutableBufferPointer(start: base + i * length, count: length), parallel: false)
                        okBase[i] = true
                    } catch {
                        lock.lock(); errors.append((i, error)); lock.unlock()
                    }
                    progress.step()
                }
            }
        }
        // 3. Failures in input order; a file that fails under --strict fails the run (exit 1).
        errors.sort { $0.0 < $1.0 }
        if strict, let e = errors.first { progress.finish(); throw e.1 }
        problems += errors.map { "\($0.1)" }
        // 4. The readable rows, in input order.
        var table = DescriptorTable(length: length)
        for i in 0..<n where ok[i] {
            table.names.append(rows.name(i))
            table.labels.append(rows.label(i))
            table.values.append(contentsOf: values[i * length..<(i + 1) * length])
        }
        return table
    }

    // MARK: - Writing

    /// Every file the run may write: the table, with an NPY table `OUT.labels.npy` and
    /// `OUT.classes.txt` beside it, and the glyph picture.
    var outputPaths: [String?] {
        var paths: [String?] = [output, visualize]
        if CommandIO.isNPY(output) {
            let base = URL(fileURLWithPath: output).deletingPathExtension().path
            paths += [base + ".labels.npy", base + ".classes.txt"]
        }
        return paths
    }

    /// Writes the table in the format of `output`'s extension (CSV on standard output), with
    /// the labels beside an NPY table and the glyph picture, as one set: all appear or none.
    private func write(_ table: DescriptorTable, picture: [UInt8]?) throws {
        var files: [(path: String, bytes: [UInt8])] = []
        if let picture, let visualize { files.append((visualize, picture)) }
        if CommandIO.isNPY(output) && table.labels.contains(where: { $0 != nil }) {
            files += Self.npyLabelFiles(table.labels, beside: output)
        }
        var producers: [(path: String, produce: FileBytes.Producer)] = files.map { file in (file.path, { try file.bytes.withUnsafeBytes($0) }) }
        // An Arrow table goes to its file a column buffer at a time, never assembled.
        let isArrow = output != "-" && URL(fileURLWithPath: output).pathExtension.lowercased() == "arrow"
        let main: [UInt8] = isArrow ? [] : encoded(table)
        producers.append((output, isArrow ? { try Self.writeArrowFile(table, to: $0) } : { try main.withUnsafeBytes($0) }))
        try CommandIO.writeTogether(producing: producers)
        for file in files.dropLast() {
            if file.path == visualize { CommandIO.writeStandardError("\(file.path)\n") } else { CommandIO.announce(file.path) }
        }
    }

    /// The table in the format of `output`'s extension (CSV on standard output).
    private func encoded(_ table: DescriptorTable) -> [UInt8] {
        let ext = output == "-" ? "csv" : URL(fileURLWithPath: output).pathExtension.lowercased()
        let rows = table.names.count, d = table.length
        return table.values.withUnsafeBufferPointer { values in
            switch ext {
            case "npy": return NPY.encode(NPYArray(shape: [rows, d], floats: table.values))
            case "libsvm", "svm": return TableText.libsvm(labels: Self.libsvmLabels(table.labels), values: values, columns: d)
            default:
                let header = ["path", "label"] + (0..<d).map { "f\($0)" }
                return TableText.csv(header: header, values: values, rows: rows, columns: d) { [table.names[$0], table.labels[$0] ?? ""] }
            }
        }
    }

    /// LIBSVM labels: numbers as they are (a missing label is 0), else every label's index
    /// in sorted order.
    static func libsvmLabels(_ labels: [String?]) -> [String] {
        let texts = labels.map { $0 ?? "0" }
        guard !texts.allSatisfy({ Double($0) != nil }) else { return texts }
        let classes = Array(Set(texts)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, String($0)) })
        return texts.map { index[$0]! }
    }

    /// `OUT.labels.npy` (int64, one per row) for `OUT.npy`; text labels become their index in
    /// sorted order and their names go to `OUT.classes.txt` (first in the list). Missing
    /// labels are -1.
    static func npyLabelFiles(_ labels: [String?], beside output: String) -> [(path: String, bytes: [UInt8])] {
        let base = URL(fileURLWithPath: output).deletingPathExtension().path
        let numeric = labels.allSatisfy { $0 == nil || Int64($0!) != nil }
        var values = [Int64](repeating: -1, count: labels.count)
        var files: [(path: String, bytes: [UInt8])] = []
        if numeric {
            for (i, l) in labels.enumerated() { if let l { values[i] = Int64(l)! } }
        } else {
            let classes = Array(Set(labels.compactMap { $0 })).sorted()
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int64($0)) })
            for (i, l) in labels.enumerated() { if let l { values[i] = index[l]! } }
            files.append((base + ".classes.txt", Array(classes.map { $0 + "\n" }.joined().utf8)))
        }
        files.append((base + ".labels.npy", NPY.encode(NPYArray(shape: [labels.count], int64s: values))))
        return files
    }
}

/// A run that failed on its inputs (exit status 1, as opposed to a usage error's 64).
struct HOGRunError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
