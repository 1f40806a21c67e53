import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool detector regress`: fits bounding-box regression for a trained model on annotated
/// scenes and writes the model with it (Felzenszwalb et al. 2010; R-CNN's Appendix C).
struct DetectorRegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Fit bounding-box regression for a trained HOG model on annotated images.",
        usage: """
        cvtool detector regress MODEL IMAGES... --annotations <gt.csv> -o <model.json>
                [--features hog] [--alpha 10] [--min-iou 0.4] [detection options]
        """,
        discussion: """
        Runs MODEL on the images (files or folders) with the detection options (those of \
        `cvtool detector evaluate`: use the ones you will detect with), pairs every raw hit \
        with the annotated box it overlaps most when their IoU is at least --min-iou, and \
        fits a ridge regression (penalty --alpha) from the hit's features to the box \
        offsets dx/w, dy/h, log(w'/w), log(h'/h). --features hog reads the window's HOG \
        descriptor; constant fits four constant offsets. The model is written with a \
        `boxRegression` field; `cvtool detect` and `cvtool detector evaluate` then move every \
        raw hit before grouping (--no-box-regression on either gives the raw windows). Fit \
        on training scenes, never on the scenes you test on. The OpenCV export keeps the raw \
        windows.

        Examples:
          cvtool detector regress model.json scenes/train/images --annotations scenes/train/annotations.csv \\
              --hit-threshold=-1 --scale 1.02 -o model-bbr.json
        """
    )

    @Argument(help: ArgumentHelp("MODEL IMAGES...: a model JSON and the annotated images to run it on.", valueName: "model-and-images"))
    var modelAndImages: [String] = []

    @OptionGroup(title: "Detection options") var detection: EvaluateDetectionOptions

    @Option(help: ArgumentHelp("Ground-truth CSV (path,x,y,width,height).", valueName: "gt.csv"))
    var annotations: String

    @Option(help: "What the regression reads from a window: hog or constant.")
    var features: String = "hog"

    @Option(parsing: .unconditional, help: "Ridge penalty, 0...1e12.")
    var alpha: Double = 10

    @Option(name: .customLong("min-iou"), parsing: .unconditional, help: "A hit is a training pair when its IoU with a box is at least this, (0, 1].")
    var minIoU: Double = 0.4

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The model with its regression (JSON).", valueName: "model.json"))
    var output: String

    @Option(help: "Worker threads, 1...256 (default: all cores).")
    var threads: Int?

    func validate() throws {
        try ThreadCount.validate(threads)
        guard modelAndImages.count >= 2 else { throw ValidationError("MODEL needs at least one image (file or folder) after it") }
        _ = try parameters()
        try CommandIO.refuseOverwriting(inputs: modelAndImages.map(Optional.some) + [annotations], outputs: [output])
    }

    /// The fit's options, or a usage error naming the option.
    func parameters() throws -> HOGBoxRegressionParameters {
        guard let f = HOGBoxRegression.Features(rawValue: features.lowercased()) else {
            throw ValidationError("--features must be hog or constant, got '\(features)'")
        }
        let p = HOGBoxRegressionParameters(features: f, alpha: alpha, minimumIoU: minIoU)
        do { try p.validate() } catch let CVError.invalidParameter(name, reason) { throw ValidationError("--\(name): \(reason)") }
        return p
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        try DetectorOutputs.refuseSpecialFiles([output])
        let start = Date()
        let detector = try detection.detectOptions(model: modelAndImages[0]).detector()
        let truth = try LabelledBoxes(csv: annotations, needsScore: false)
        if truth.table.classes != nil {
            throw CVError.decoding(source: annotations, reason: "a HOG model finds one class; the annotations have a `class` column")
        }
        let (images, paths) = try LabelledBoxes.images(Array(modelAndImages.dropFirst()))
        if output != "-" { try CommandIO.refuseOverwriting(inputs: paths, outputs: [output]) }
        let regression = try fitBoxRegression(detector: detector, images: images, groundTruth: truth.perImage(paths, class: nil),
                                              parameters: try parameters())
        var model = detector.model
        model.boxRegression = regression
        try CommandIO.write(Array(try model.encoded()), to: output)
        CommandIO.writeStandardError(String(format: "regress: %d images, %d pairs (IoU >= %g), %@ features, alpha %g: %.1f s\n",
                                            images.count, regression.pairs, minIoU, regression.features.rawValue, alpha,
                                            Date().timeIntervalSince(start)))
        CommandIO.announce(output)
    }
}
