import ArgumentParser
import ClassicCV
import Foundation

/// Detector options shared by `cvtool detect` and `cvtool bench detect`.
struct DetectOptions: ParsableArguments {
    @Option(help: "people (OpenCV's HOG people detector, 64x128), daimler (48x96) or a model JSON file.")
    var model: String = "people"

    @Option(help: "Ratio between pyramid levels, 1...16 (1 = one level).")
    var scale: Double = 1.05

    @Option(help: "Window step in pixels, WxH, 1...512 (finer than the 8-pixel block stride costs more: 4x4 scans 4 block grids).")
    var stride: String = "8x8"

    @Option(help: "Pixels added around every level, WxH, 0...512 (rounded up to a multiple of gcd(stride, 8), as OpenCV does).")
    var padding: String = "8x8"

    @Option(name: .customLong("hit-threshold"), help: "A window is a hit when its score is at least this.")
    var hitThreshold: Double = 0

    @Option(name: .customLong("group-threshold"), help: "Clusters need more than this many hits (mean-shift: a density above it), 0...10000.")
    var groupThreshold: Int = 2

    @Option(help: "rectangles (OpenCV's groupRectangles), meanshift, nms (greedy IoU) or none (every raw hit).")
    var grouping: String = "rectangles"

    @Option(help: "IoU threshold of --grouping nms, 0...1.")
    var iou: Double = 0.5

    @Flag(name: .customLong("no-box-regression"), help: "Report the model's raw windows, without its box regression (if it has one).")
    var noBoxRegression = false

    /// `WxH` with whole numbers ≥ 0 (the library checks the ranges).
    static func size(_ text: String, _ name: String) throws -> HOGSize {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            throw ValidationError("\(name) must look like WxH with whole numbers, got '\(text)'")
        }
        return HOGSize(w, h)
    }

    /// The detector. A value the library refuses is `CVError.invalidParameter` naming the
    /// option (`--scale`; exit 1), one that does not parse a usage error (exit 64); a model
    /// file that cannot be read or is not a model is a data error naming the file (exit 1).
    func detector() throws -> HOGDetector {
        let model = try loadModel()
        var p = HOGDetectorParameters()
        p.scale = scale
        p.winStride = try Self.size(stride, "--stride")
        p.padding = try Self.size(padding, "--padding")
        p.hitThreshold = hitThreshold
        p.groupThreshold = groupThreshold
        switch grouping.lowercased() {
        case "rectangles", "groups": p.grouping = .rectangles
        case "meanshift", "mean-shift": p.grouping = .meanShift
        case "nms": p.grouping = .nms(iou: iou)
        case "none": p.grouping = .none
        default: throw ValidationError("--grouping must be rectangles, meanshift, nms or none, got '\(grouping)'")
        }
        do {
            try p.validate(for: model)
            return try HOGDetector(model: model, parameters: p)
        } catch let CVError.invalidParameter(name, reason) {
            throw CVError.invalidParameter(name: "--\(name)", reason: reason)
        }
    }

    /// A built-in model by name, else the JSON file; without its box regression under
    /// `--no-box-regression`.
    func loadModel() throws -> HOGDetectorModel {
        var loaded = try loadStoredModel()
        if noBoxRegression { loaded.boxRegression = nil }
        return loaded
    }

    private func loadStoredModel() throws -> HOGDetectorModel {
        if let builtin = HOGDetectorModel.named(model) { return builtin }
        let bytes = try CommandIO.readInput(model)
        do {
            return try HOGDetectorModel.decode(Data(bytes), source: model)
        } catch let CVError.invalidParameter(name, reason) {
            throw CVError.decoding(source: model, reason: "\(name): \(reason)")
        }
    }
}

struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find people (or what a HOG model was trained on) in images: cv2.HOGDescriptor.detectMultiScale.",
        usage: """
        cvtool detect <inputs> ... [--model people|daimler|MODEL.json]
                      [-o <path>] [--draw <path>] [--scale 1.05] [--stride 8x8]
                      [--padding 8x8] [--hit-threshold 0] [--group-threshold 2]
                      [--grouping rectangles|meanshift|nms|none]
        """,
        discussion: """
        Scans every image at every scale of a pyramid (levels 1.05 apart by default) with a \
        linear model over HOG features and groups the hits, as OpenCV's \
        HOGDescriptor.detectMultiScale does with the same options (identical boxes). INPUT is \
        any mix of image files and directories (searched recursively); several images run in \
        parallel with a progress bar on stderr.

        Output (-o, default CSV on standard output): .csv with the header \
        `path,x,y,width,height,score`, one row per detection (boxes in pixels, top-left \
        corner); .json: `[{"path": ..., "detections": [{"x", "y", "width", "height", "score"}]}]`.

        --draw OUT.png draws the boxes and scores on the image (one input); with several \
        inputs --draw names a folder, created if needed, that receives NAME.detections.png \
        per image. The table and the pictures appear together or not at all, and none may \
        name an input.

        Examples:
          cvtool detect street.jpg --draw street.people.png
          cvtool detect frames/ -o people.csv
          cvtool detect photo.png --model daimler --padding 32x32 --grouping meanshift -o found.json
        """
    )

    @Argument(help: "Image files or directories.")
    var inputs: [String]

    @OptionGroup var options: DetectOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: .output("CSV to standard output; .json by extension"))
    var outputOption: String?

    @Option(help: ArgumentHelp("Draw the detections: a PNG/JPEG for one input, a folder for several.", valueName: "path"))
    var draw: String?

    @Flag(help: "Fail on the first unreadable input instead of skipping it.")
    var strict = false

    @Option(help: "Worker threads, 1...256 (default: all cores).")
    var threads: Int?

    var output: String { outputOption ?? "-" }

    func validate() throws {
        try ThreadCount.validate(threads)
        _ = try DetectOptions.size(options.stride, "--stride")
        _ = try DetectOptions.size(options.padding, "--padding")
        guard ["rectangles", "groups", "meanshift", "mean-shift", "nms", "none"].contains(options.grouping.lowercased()) else {
            throw ValidationError("--grouping must be rectangles, meanshift, nms or none, got '\(options.grouping)'")
        }
        if output != "-" {
            let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
            guard ["csv", "json"].contains(ext) else { throw ValidationError("-o must end in .csv or .json, got '\(output)'") }
        }
        if HOGDetectorModel.named(options.model) == nil && !FileManager.default.fileExists(atPath: options.model) {
            throw ValidationError("--model must be people, daimler or a model JSON file; '\(options.model)' does not exist")
        }
        try CommandIO.refuseOverwriting(inputs: inputs.map(Optional.some) + [options.model], outputs: [output, draw])
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        let detector = try options.detector()
        // 1. The images.
        let rows = try ImageInputs.collect(inputs, labelsFromDirs: false, strict: strict)
        guard !rows.items.isEmpty else { throw CVError.io(path: inputs.joined(separator: " "), reason: "no input images found") }
        let drawFolder = draw != nil && rows.items.count > 1
        let pictures = try rows.filePaths.map { try picturePath(for: $0, folder: drawFolder) }
        try CommandIO.refuseOverwriting(inputs: rows.filePaths + [options.model], outputs: [output] + pictures.filter { !$0.isEmpty })
        // 2. Detection, images in parallel (each image's levels run serially then).
        let found = try detectAll(rows, detector: detector)
        // 3. The table and the pictures, all or none.
        var files: [(path: String, bytes: [UInt8])] = []
        if draw != nil {
            for (i, result) in found.enumerated() {
                guard let (image, boxes) = result.value, i < pictures.count else { continue }
                files.append((pictures[i], try CommandIO.encodeImage(.uint8(DetectionDrawing.draw(boxes, on: image)), for: pictures[i])))
            }
            if drawFolder, let draw { try FileManager.default.createDirectory(atPath: draw, withIntermediateDirectories: true) }
        }
        files.append((output, encoded(found)))
        try CommandIO.writeTogether(files)
        for file in files.dropLast() { CommandIO.writeStandardError("\(file.path)\n") }
        let skipped = found.filter { $0.value == nil }.count
        if skipped > 0 { CommandIO.writeStandardError("detect: \(skipped) input(s) skipped\n") }
        CommandIO.announce(output)
    }

    /// Where the picture of input `path` goes.
    private func picturePath(for path: String, folder: Bool) throws -> String {
        guard let draw else { return "" }
        guard folder else { return draw }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return URL(fileURLWithPath: draw).appendingPathComponent(base + ".detections.png").path
    }

    struct Found { let name: String; let value: (image: Image<UInt8>, boxes: [Detection])? }

    /// Every row's detections (nil for a row that could not be read, reported on stderr).
    private func detectAll(_ rows: ImageInputs, detector: HOGDetector) throws -> [Found] {
        let n = rows.items.count
        var results = [Found?](repeating: nil, count: n)
        var errors: [(Int, Error)] = []
        let lock = NSLock()
        let progress = ProgressBar(total: n)
        results.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(count: n) { i in
                do {
                    let image = try rows.load(i, resizedTo: nil)
                    let boxes = try detector.detect(in: image)
                    out[i] = Found(name: rows.name(i), value: (draw != nil ? image : Image<UInt8>(width: 0, height: 0), boxes))
                } catch {
                    out[i] = Found(name: rows.name(i), value: nil)
                    lock.lock(); errors.append((i, error)); lock.unlock()
                }
                progress.step()
            }
        }
        progress.finish()
        errors.sort { $0.0 < $1.0 }
        if let first = errors.first, strict || errors.count == n { throw first.1 }
        for (_, e) in errors { CommandIO.writeStandardError("detect: skipped \(e)\n") }
        for p in rows.problems { CommandIO.writeStandardError("detect: skipped \(p)\n") }
        return results.map { $0! }
    }

    /// The table: CSV (`path,x,y,width,height,score`) or JSON by `output`'s extension.
    private func encoded(_ found: [Found]) -> [UInt8] {
        let json = output != "-" && URL(fileURLWithPath: output).pathExtension.lowercased() == "json"
        let readable = found.compactMap { f in f.value.map { (f.name, $0.boxes) } }
        if json {
            let items = readable.map { path, boxes in
                "{\"path\":\(jsonString(path)),\"detections\":[" + boxes.map {
                    "{\"x\":\(number($0.x)),\"y\":\(number($0.y)),\"width\":\(number($0.width)),\"height\":\(number($0.height)),\"score\":\(number($0.score))}"
                }.joined(separator: ",") + "]}"
            }
            return Array(("[" + items.joined(separator: ",\n") + "]\n").utf8)
        }
        var text = "path,x,y,width,height,score\n"
        for (path, boxes) in readable {
            for b in boxes { text += "\(csvField(path)),\(number(b.x)),\(number(b.y)),\(number(b.width)),\(number(b.height)),\(number(b.score))\n" }
        }
        return Array(text.utf8)
    }

    private func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)" }
    private func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    private func jsonString(_ s: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [s])
        let text = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
        return String(text.dropFirst().dropLast())
    }
}

/// Boxes and scores drawn on an image (green frames, the score above each box).
enum DetectionDrawing {
    static func draw(_ boxes: [Detection], on image: Image<UInt8>) -> Image<UInt8> {
        var canvas = Canvas(width: image.width, height: image.height)
        let rgb = image.channels >= 3 ? image : image.channel(0)
        rgb.withUnsafePixels { src, stride in
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let o = (y * image.width + x) * 3
                    for c in 0..<3 { canvas.pixels[o + c] = src[y * stride + x * rgb.channels + (rgb.channels >= 3 ? c : 0)] }
                }
            }
        }
        let thickness = max(2, min(image.width, image.height) / 200)
        for b in boxes {
            let x = Int(b.x), y = Int(b.y), w = Int(b.width), h = Int(b.height)
            canvas.frame(x: x, y: y, w: w, h: h, color: (0, 230, 0), thickness: thickness)
            let text = String(format: "%.2f", b.score)
            let ty = max(0, y - 9 - thickness)
            canvas.fill(x: x, y: ty, w: BitmapFont.width(text) + 4, h: 11, (0, 230, 0))
            canvas.label(text, x: x + 2, y: ty + 2)
        }
        return canvas.image.asUInt8
    }
}
