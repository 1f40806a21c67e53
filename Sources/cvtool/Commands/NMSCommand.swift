import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool nms`: non-maximum suppression of a CSV table of scored boxes.
struct NMSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nms",
        abstract: "Non-maximum suppression of scored boxes (torchvision, OpenCV, dlib, Soft-NMS).",
        usage: "cvtool nms <boxes.csv> -o <path> [--method <method>] [<options>]",
        discussion: """
        Input: a CSV whose header names x,y,width,height (or the corners x1,y1,x2,y2) and \
        score, optionally class (a whole number: with --class-aware, boxes of different \
        classes never suppress each other) and path (boxes of different images never \
        suppress each other: a `cvtool detect` file); other columns are ignored. Output: a CSV \
        `index,score`, one row per kept box in the order kept: its 0-based row in the input and \
        its score (Soft-NMS: the decayed score).

        Methods: greedy (torchvision.ops.nms; default IoU 0.5), opencv (cv2.dnn.NMSBoxes; \
        strict score threshold, default 0; --eta, --top-k), dlib (test_box_overlap; --covered), \
        soft-linear and soft-gaussian (cv2.dnn.softNMSBoxes; default IoU 0.3, sigma 0.5, score \
        threshold 0).

        Examples:
          cvtool nms boxes.csv -o kept.csv
          cvtool nms boxes.csv --method opencv --score-threshold 0.3 --iou 0.45 --top-k 200 -o kept.csv
          cvtool nms boxes.csv --method soft-gaussian --sigma 0.5 -o kept.csv
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case greedy, opencv, dlib
        case softLinear = "soft-linear"
        case softGaussian = "soft-gaussian"
    }

    @Argument(help: ArgumentHelp("CSV of boxes with a header (`-` for standard input).", valueName: "boxes.csv"))
    var boxes: String

    @Option(help: "greedy | opencv | dlib | soft-linear | soft-gaussian.")
    var method: Method = .greedy

    @Option(parsing: .unconditional, help: ArgumentHelp("IoU threshold, 0...1 (default 0.5; soft-*: 0.3).", valueName: "t"))
    var iou: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Score threshold: opencv keeps score > s, soft-* stop below s (both 0 if not given); greedy and dlib have none unless given.", valueName: "s"))
    var scoreThreshold: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Gaussian Soft-NMS decay exp(-IoU²/sigma), (0, 1e6] (default 0.5).", valueName: "s"))
    var sigma: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Keep at most k boxes (opencv: the k best enter suppression; 0 = all).", valueName: "k"))
    var topK: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("OpenCV's adaptive threshold factor, (0, 1] (default 1).", valueName: "e"))
    var eta: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("dlib: also suppress when the intersection covers more than c of either box, 0...1 (default 1 = never).", valueName: "c"))
    var covered: Double?

    @Flag(help: "Boxes of different classes (the `class` column) never suppress each other.")
    var classAware = false

    @Option(name: [.short, .long], help: ArgumentHelp("Output CSV (`index,score`; `-` for standard output).", valueName: "path"))
    var output: String

    func validate() throws {
        let soft = method == .softLinear || method == .softGaussian
        if sigma != nil && method != .softGaussian { throw ValidationError("--sigma applies to --method soft-gaussian only") }
        if eta != nil && method != .opencv { throw ValidationError("--eta applies to --method opencv only") }
        if covered != nil && method != .dlib { throw ValidationError("--covered applies to --method dlib only") }
        if classAware && soft { throw ValidationError("--class-aware applies to greedy, opencv and dlib") }
        try CommandIO.refuseOverwritingInput(output: output, inputs: [boxes])
    }

    static let optionNames = ["iouThreshold": "--iou", "scoreThreshold": "--score-threshold", "sigma": "--sigma",
                              "topK": "--top-k", "eta": "--eta", "coveredThreshold": "--covered"]

    func run() throws {
        let table = try DetectionCSV.read(boxes, needsScore: true, needsPath: false)
        if classAware && table.classes == nil {
            throw CVError.decoding(source: boxes == "-" ? "<stdin>" : boxes, reason: "--class-aware needs a `class` column")
        }
        let kept = try CommandIO.namingOptions(Self.optionNames) { try suppress(table) }
        var text = "index,score\n"
        let soft = method == .softLinear || method == .softGaussian
        // Soft-NMS scores are Float, as OpenCV's: printed as the Float they are.
        for k in kept { text += soft ? "\(k.index),\(Float(k.score))\n" : "\(k.index),\(k.score)\n" }
        try CommandIO.write(Array(text.utf8), to: output)
        CommandIO.announce(output)
    }

    /// The groups whose boxes may suppress each other: one per image of a `path` column (a
    /// detections file holds many images), split by class with --class-aware; nil for one group.
    private func groups(_ table: DetectionCSV.Table) -> [Int]? {
        let classes = classAware ? table.classes : nil
        guard let paths = table.paths else { return classes }
        var ids: [String: Int] = [:]
        return paths.indices.map { i in
            let key = classes.map { "\($0[i])\u{0}\(paths[i])" } ?? paths[i]
            if let id = ids[key] { return id }
            ids[key] = ids.count
            return ids.count - 1
        }
    }

    /// The library call for the chosen method, with the options as typed.
    private func suppress(_ table: DetectionCSV.Table) throws -> [SoftNMSSelection] {
        let classes = groups(table)
        var p: NMSParameters
        switch method {
        case .greedy:
            p = .torchvision(iouThreshold: iou ?? 0.5)
            p.scoreThreshold = scoreThreshold
            p.topK = topK ?? 0
        case .opencv:
            p = .opencv(scoreThreshold: scoreThreshold ?? 0, iouThreshold: iou ?? 0.5, eta: eta ?? 1, topK: topK ?? 0)
        case .dlib:
            p = .dlib(iouThreshold: iou ?? 0.5, coveredThreshold: covered ?? 1)
            p.scoreThreshold = scoreThreshold
            p.topK = topK ?? 0
        case .softLinear, .softGaussian:
            let s = SoftNMSParameters.opencv(decay: method == .softLinear ? .linear : .gaussian, scoreThreshold: scoreThreshold ?? 0,
                                             iouThreshold: iou ?? 0.3, sigma: sigma ?? 0.5, topK: topK ?? 0)
            guard let classes else { return try softNonMaximumSuppression(table.boxes, parameters: s) }
            // Soft-NMS has no classes: each image runs on its own, in the order images appear.
            var members = [[Int]](repeating: [], count: (classes.max() ?? -1) + 1)
            for (i, g) in classes.enumerated() { members[g].append(i) }
            return try members.flatMap { rows in
                try softNonMaximumSuppression(rows.map { table.boxes[$0] }, parameters: s)
                    .map { SoftNMSSelection(index: rows[$0.index], score: $0.score) }
            }
        }
        return try nonMaximumSuppression(table.boxes, classes: classes, parameters: p).map { SoftNMSSelection(index: $0, score: table.boxes[$0].score) }
    }
}
