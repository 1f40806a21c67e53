import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool detector`: the detector's life cycle, one subcommand a step: train, regress (box
/// regression), export (OpenCV YAML), evaluate (detections against annotations).
struct DetectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector",
        abstract: "Train, box-regress, export and evaluate an object detector (PASCAL VOC AP, miss rate against FPPI).",
        discussion: """
        Examples:
          cvtool detector train --positives pos/ --negatives neg/ --window 32x64 --rounds 3 -o model.json
          cvtool detector regress model.json scenes/train/images --annotations scenes/train/annotations.csv -o model-bbr.json
          cvtool detector export model.json --opencv model.yml
          cvtool detector evaluate model.json scenes/test/images --annotations scenes/test/annotations.csv
          cvtool detector evaluate --detections det.csv --annotations gt.csv
          cvtool detector evaluate --detections det.csv --annotations gt.csv --curve pr.png
        """,
        subcommands: [DetectorTrainCommand.self, DetectorRegressCommand.self, DetectorExportCommand.self, DetectorEvaluateCommand.self]
    )
}

/// `cvtool detector evaluate`: PASCAL VOC AP (all-point and 11-point) and the log-average
/// miss rate of a detections file against an annotations file.
struct DetectorEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score detections against ground truth: VOC AP, 11-point AP, log-average miss rate.",
        usage: """
        cvtool detector evaluate --detections <det.csv> --annotations <gt.csv>
        cvtool detector evaluate MODEL IMAGES... --annotations <gt.csv>
                [--hit-threshold 0] [--grouping rectangles]
        """,
        discussion: """
        Annotations: CSV `path,x,y,width,height[,class]`, one ground-truth box per line; \
        detections: CSV `path,x,y,width,height,score[,class]` as `cvtool detect` writes it. A \
        relative path is looked up beside the CSV, then in the current directory; every image \
        named must exist. The images evaluated are those named in either file (an image \
        without objects has detections only: list it with a detection or it counts as absent).

        A detection is a true positive when its best-overlapping ground-truth box of the same \
        image (and class) has IoU > --iou and is not taken by a higher-scoring detection \
        (VOC's voc_eval). Prints AP (all-point, VOC2010+), AP (11-point, VOC2007) and the \
        log-average miss rate over FPPI 1e-2..1e0 (Dollár et al. 2012); with a class column, \
        one line per class and their mean. --curve draws the precision-recall curve (one \
        class).

        MODEL IMAGES... instead of --detections: runs the detector (people, daimler or a \
        model JSON, with the detection options below, as `cvtool detect`) on the images \
        (files or folders) and scores its detections; the images evaluated are those given \
        (an image without annotations has no objects), annotations of other images are \
        left out.

        Examples:
          cvtool detector evaluate --detections det.csv --annotations scenes/test/annotations.csv
          cvtool detector evaluate --detections det.csv --annotations gt.csv --iou 0.7 --curve pr.png --json
          cvtool detector evaluate model.json scenes/test/images --annotations scenes/test/annotations.csv --hit-threshold -0.5
        """
    )

    @Argument(help: ArgumentHelp("MODEL IMAGES...: a detector (people, daimler, model JSON) and the images to run it on.", valueName: "model-and-images"))
    var modelAndImages: [String] = []

    @OptionGroup(title: "Detection options (with MODEL IMAGES...)") var detection: EvaluateDetectionOptions

    @Option(help: ArgumentHelp("Detections CSV (path,x,y,width,height,score[,class]).", valueName: "det.csv"))
    var detections: String?

    @Option(help: ArgumentHelp("Ground-truth CSV (path,x,y,width,height[,class]).", valueName: "gt.csv"))
    var annotations: String

    @Option(parsing: .unconditional, help: ArgumentHelp("A match needs IoU above this, 0...1.", valueName: "t"))
    var iou: Double = 0.5

    @Option(help: ArgumentHelp("Write the precision-recall curve as a PNG.", valueName: "pr.png"))
    var curve: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(name: .customLong("no-box-regression"), help: "Score the model's raw windows, without its box regression.")
    var noBoxRegression = false

    func validate() throws {
        if !modelAndImages.isEmpty {
            guard detections == nil else { throw ValidationError("give either MODEL IMAGES... or --detections, not both") }
            guard modelAndImages.count >= 2 else { throw ValidationError("MODEL needs at least one image (file or folder) after it") }
            let model = modelAndImages[0]
            if HOGDetectorModel.named(model) == nil && !FileManager.default.fileExists(atPath: model) {
                throw ValidationError("MODEL must be people, daimler or a model JSON file; '\(model)' does not exist")
            }
            if HOGDetectorModel.named(model) != nil { _ = try detection.detectOptions(model: model).detector() }
        } else if detections == nil {
            throw ValidationError("missing --detections <det.csv> (or MODEL IMAGES...)")
        }
        let inputs = [detections, annotations] + modelAndImages.map(Optional.some)
        if let curve { try CommandIO.refuseOverwriting(inputs: inputs, outputs: [curve]) }
    }

    func run() throws {
        try DetectorOutputs.refuseSpecialFiles([curve])
        let truth = try LabelledBoxes(csv: annotations, needsScore: false)
        let found: LabelledBoxes, images: [String]
        if let detections {
            found = try LabelledBoxes(csv: detections, needsScore: true)
            if truth.table.classes != nil && found.table.classes == nil {
                throw CVError.decoding(source: detections, reason: "the annotations have a `class` column, the detections none")
            }
            images = truth.images.union(found.images).sorted()
        } else {
            if truth.table.classes != nil {
                throw CVError.decoding(source: annotations, reason: "a HOG model finds one class; the annotations have a `class` column")
            }
            let detector = try detection.detectOptions(model: modelAndImages[0], noBoxRegression: noBoxRegression).detector()
            (found, images) = try LabelledBoxes.detecting(with: detector, in: Array(modelAndImages.dropFirst()))
            let skipped = truth.images.subtracting(images).count
            if skipped > 0 { CommandIO.writeStandardError("evaluate: \(skipped) annotated image(s) not among the inputs, left out\n") }
        }
        let classes: [Int?] = truth.table.classes.map { Array(Set($0)).sorted() } ?? [nil]
        if curve != nil && classes.count > 1 {
            throw CVError.invalidParameter(name: "--curve", reason: "draws one class; the annotations have \(classes.count)")
        }
        var results: [(Int?, DetectionEvaluation)] = []
        for c in classes {
            let e = try CommandIO.namingOptions(["iouThreshold": "--iou"]) {
                try evaluateDetections(found.perImage(images, class: c), groundTruth: truth.perImage(images, class: c), iouThreshold: iou)
            }
            results.append((c, e))
        }
        if let curve, let e = results.first?.1 {
            let title = String(format: "AP %.3f (11-pt %.3f), IoU > %g", e.averagePrecision, e.averagePrecision11Point, iou)
            try CommandIO.writeImage(PrecisionRecallChart(evaluation: e, title: title).render().image, to: curve)
        }
        print(json ? Self.json(results) : Self.text(results, iou: iou), terminator: "")
        if let curve, !json { CommandIO.announce(curve) }
    }

    static func text(_ results: [(Int?, DetectionEvaluation)], iou: Double) -> String {
        var s = ""
        for (c, e) in results {
            if let c { s += "class \(c)\n" }
            s += "images \(e.imageCount), ground truth \(e.groundTruthCount), detections \(e.detectionCount), true positives \(e.truePositives) (IoU > \(iou))\n"
            s += String(format: "AP (all-point, VOC2010+)   %.4f\n", e.averagePrecision)
            s += String(format: "AP (11-point, VOC2007)     %.4f\n", e.averagePrecision11Point)
            s += String(format: "log-average miss rate      %.4f (FPPI 1e-2..1e0)\n", e.logAverageMissRate)
        }
        if results.count > 1 {
            s += String(format: "mean AP %.4f over %d classes\n", results.map(\.1.averagePrecision).reduce(0, +) / Double(results.count), results.count)
        }
        return s
    }

    static func json(_ results: [(Int?, DetectionEvaluation)]) -> String {
        let items = results.map { c, e in
            "{" + (c.map { "\"class\": \($0), " } ?? "")
                + "\"images\": \(e.imageCount), \"ground_truth\": \(e.groundTruthCount), \"detections\": \(e.detectionCount), "
                + "\"true_positives\": \(e.truePositives), \"ap\": \(e.averagePrecision), \"ap_11_point\": \(e.averagePrecision11Point), "
                + "\"log_average_miss_rate\": \(e.logAverageMissRate)}"
        }
        let mean = results.map(\.1.averagePrecision).reduce(0, +) / Double(results.count)
        return "{\"mean_ap\": \(mean), \"classes\": [\(items.joined(separator: ", "))]}\n"
    }
}

/// The detection options of `cvtool detector evaluate MODEL IMAGES...` (those of `cvtool
/// detect`; `--nms-iou` is `detect`'s `--iou`, which here is the matching threshold).
struct EvaluateDetectionOptions: ParsableArguments {
    @Option(name: .customLong("hit-threshold"), parsing: .unconditional, help: "A window is a hit when its score is at least this.")
    var hitThreshold: Double = 0
    @Option(help: "Ratio between pyramid levels, 1...16.")
    var scale: Double = 1.05
    @Option(help: "Window step in pixels, WxH.")
    var stride: String = "8x8"
    @Option(help: "Pixels added around every level, WxH.")
    var padding: String = "8x8"
    @Option(name: .customLong("group-threshold"), help: "Clusters need more than this many hits.")
    var groupThreshold: Int = 2
    @Option(help: "rectangles, meanshift, nms or none.")
    var grouping: String = "rectangles"
    @Option(name: .customLong("nms-iou"), help: "IoU threshold of --grouping nms, 0...1.")
    var nmsIoU: Double = 0.5

    /// `cvtool detect`'s options with these values (validated there).
    func detectOptions(model: String, noBoxRegression: Bool = false) throws -> DetectOptions {
        // `--name=value`, so a negative value is not read as an option.
        try DetectOptions.parse(["--model=\(model)", "--hit-threshold=\(hitThreshold)", "--scale=\(scale)", "--stride=\(stride)",
                                 "--padding=\(padding)", "--group-threshold=\(groupThreshold)", "--grouping=\(grouping)",
                                 "--iou=\(nmsIoU)"] + (noBoxRegression ? ["--no-box-regression"] : []))
    }
}

/// A box table whose `path` column names images, each resolved to a file that exists.
struct LabelledBoxes {
    let table: DetectionCSV.Table
    /// The resolved image path of each row.
    let resolved: [String]
    var images: Set<String> { Set(resolved) }

    private init(table: DetectionCSV.Table, resolved: [String]) { self.table = table; self.resolved = resolved }

    /// The detections of `detector` on the images of `inputs` (files and folders), in
    /// parallel, and the images' resolved paths. An unreadable image stops the evaluation.
    static func detecting(with detector: HOGDetector, in inputs: [String]) throws -> (LabelledBoxes, [String]) {
        let (rows, paths) = try imageFiles(inputs)
        var found = [[Detection]](repeating: [], count: paths.count)
        var failures = [Error?](repeating: nil, count: paths.count)
        let progress = ProgressBar(total: paths.count)
        found.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { failed in
                Parallel.forEach(count: paths.count) { i in
                    do { out[i] = try detector.detect(in: rows.load(i, resizedTo: nil)) } catch { failed[i] = error }
                    progress.step()
                }
            }
        }
        progress.finish()
        if let error = failures.compactMap({ $0 }).first { throw error }
        let resolved = zip(paths, found).flatMap { p, boxes in boxes.map { _ in p } }
        let table = DetectionCSV.Table(boxes: found.flatMap { $0 }, classes: nil, paths: resolved, lines: resolved.map { _ in 0 })
        return (LabelledBoxes(table: table, resolved: resolved), paths)
    }

    /// The image files of `inputs` (files and folders) and their resolved paths; each image
    /// once, at least one.
    static func imageFiles(_ inputs: [String]) throws -> (ImageInputs, [String]) {
        let rows = try ImageInputs.collect(inputs, labelsFromDirs: false, strict: true)
        let paths = rows.filePaths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        guard !paths.isEmpty, paths.count == rows.items.count else {
            throw CVError.io(path: inputs.joined(separator: " "), reason: paths.isEmpty ? "no images found" : "evaluation reads image files, not IDX")
        }
        if let twice = Dictionary(grouping: paths, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw CVError.io(path: twice, reason: "the image is given twice")
        }
        return (rows, paths)
    }

    /// The images of `inputs` (files and folders), loaded, and their resolved paths.
    static func images(_ inputs: [String]) throws -> ([Image<UInt8>], [String]) {
        let (rows, paths) = try imageFiles(inputs)
        return (try (0..<paths.count).map { try rows.load($0, resizedTo: nil) }, paths)
    }

    init(csv: String, needsScore: Bool) throws {
        table = try DetectionCSV.read(csv, needsScore: needsScore, needsPath: true)
        let base = URL(fileURLWithPath: csv == "-" ? "." : csv).deletingLastPathComponent()
        var cache: [String: String] = [:]
        resolved = try zip(table.paths!, table.lines).map { path, line in
            if let r = cache[path] { return r }
            let r = try Self.resolve(path, base: base, csv: csv, line: line)
            cache[path] = r
            return r
        }
    }

    /// Beside the CSV first, then relative to the current directory.
    private static func resolve(_ path: String, base: URL, csv: String, line: Int) throws -> String {
        let candidates = path.hasPrefix("/") ? [path] : [base.appendingPathComponent(path).path, path]
        for c in candidates where FileManager.default.fileExists(atPath: c) {
            return URL(fileURLWithPath: c).standardizedFileURL.path
        }
        throw CVError.io(path: path, reason: "no such image (named on line \(line) of \(csv))")
    }

    /// The boxes of `images`, in that order, of one class (nil: all).
    func perImage(_ images: [String], class c: Int?) -> [[Detection]] {
        let slot = Dictionary(uniqueKeysWithValues: images.enumerated().map { ($1, $0) })
        var out = [[Detection]](repeating: [], count: images.count)
        for (i, d) in table.boxes.enumerated() where c == nil || table.classes?[i] == c {
            guard let s = slot[resolved[i]] else { continue }  // an annotated image not evaluated
            out[s].append(d)
        }
        return out
    }
}
