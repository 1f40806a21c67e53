import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool detector`: the detector's life cycle. Each step is a subcommand; `evaluate` scores
/// detections against annotations (training and export join this group as their own
/// subcommands).
struct DetectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector",
        abstract: "Evaluate an object detector (PASCAL VOC AP, miss rate against FPPI).",
        discussion: """
        Examples:
          cvtool detector evaluate --detections det.csv --annotations gt.csv
          cvtool detector evaluate --detections det.csv --annotations gt.csv --curve pr.png
        """,
        subcommands: [DetectorEvaluateCommand.self]
    )
}

/// `cvtool detector evaluate`: PASCAL VOC AP (all-point and 11-point) and the log-average
/// miss rate of a detections file against an annotations file.
struct DetectorEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score detections against ground truth: VOC AP, 11-point AP, log-average miss rate.",
        usage: "cvtool detector evaluate --detections <det.csv> --annotations <gt.csv>",
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

        Examples:
          cvtool detector evaluate --detections det.csv --annotations scenes/test/annotations.csv
          cvtool detector evaluate --detections det.csv --annotations gt.csv --iou 0.7 --curve pr.png --json
        """
    )

    @Argument(help: ArgumentHelp("MODEL IMAGES... (detecting here needs the detector; use --detections).", valueName: "model-and-images"))
    var modelAndImages: [String] = []

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

    func validate() throws {
        if !modelAndImages.isEmpty {
            throw ValidationError("evaluating MODEL IMAGES... needs a detections file for now: run `cvtool detect IMAGES... -o det.csv` and pass --detections det.csv")
        }
        guard let detections else { throw ValidationError("missing --detections <det.csv>") }
        if let curve { try CommandIO.refuseOverwriting(inputs: [detections, annotations], outputs: [curve]) }
    }

    func run() throws {
        let truth = try LabelledBoxes(csv: annotations, needsScore: false)
        let found = try LabelledBoxes(csv: detections!, needsScore: true)
        if truth.table.classes != nil && found.table.classes == nil {
            throw CVError.decoding(source: detections!, reason: "the annotations have a `class` column, the detections none")
        }
        let images = truth.images.union(found.images).sorted()
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

/// A box table whose `path` column names images, each resolved to a file that exists.
private struct LabelledBoxes {
    let table: DetectionCSV.Table
    /// The resolved image path of each row.
    let resolved: [String]
    var images: Set<String> { Set(resolved) }

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
            out[slot[resolved[i]]!].append(d)
        }
        return out
    }
}
