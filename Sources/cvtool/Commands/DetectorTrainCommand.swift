import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool detector train`: a HOG + linear SVM detector from positive windows and negative
/// images, with hard-negative mining rounds (Dalal & Triggs 2005).
struct DetectorTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a HOG detector: positives, random negatives, a linear SVM, hard-negative rounds.",
        usage: """
        cvtool detector train --positives <dir|idx> --negatives <dir>
                --window WxH -o <model.json> [--rounds 2] [-C 0.01]
                [--negatives-per-image 10] [--mirror] [--jitter 0] [--seed 0]
        """,
        discussion: """
        Positives: windows of the object (image files in a folder, searched recursively, or \
        an IDX image file), resized to the window when they are another size; --mirror adds \
        each one's mirror image; --jitter N adds N copies of each, shifted and scaled by up to \
        --jitter-amplitude (Dalal & Triggs' jittered positives). Negatives: images without the object. The first fit uses \
        --negatives-per-image random windows of every negative image; then each round scans \
        the negative images with the current model at every scale (--mining-scale, stride \
        8x8, --mining-padding) and adds the raw hits scoring at least --mining-threshold (the best \
        --hard-per-image per image), then refits. Each round prints how many false positives \
        it found and added; the model file records the rounds, C, window and seed.

        The model (JSON) is what `cvtool detect --model` reads; `cvtool detector export` \
        turns it into OpenCV's HOGDescriptor YAML. Scores are w.x + b, positive = object.

        Examples:
          cvtool detector train --positives scenes/train/positives --negatives scenes/train/negatives \\
              --window 32x64 --rounds 3 -C 0.01 -o trousers.json
          cvtool detector train --positives crops.idx --negatives backgrounds/ --window 32x64 --mirror -o m.json
        """
    )

    @Option(help: ArgumentHelp("Object windows: a folder of images or an IDX image file.", valueName: "dir|idx"))
    var positives: String

    @Option(help: ArgumentHelp("Images without the object: a folder (or image files).", valueName: "dir"))
    var negatives: [String]

    @Option(help: ArgumentHelp("Detection window, WxH, whole 16-pixel blocks 8 apart (e.g. 64x128).", valueName: "WxH"))
    var window: String

    @Option(help: "Hard-negative mining rounds, 0...100.")
    var rounds: Int = 2

    @Option(name: .customShort("C"), parsing: .unconditional, help: "The linear SVM's C, (0, 1e6].")
    var c: Double = 0.01

    @Option(name: .customLong("negatives-per-image"), help: "Random windows per negative image for the first fit, 0...10000.")
    var negativesPerImage: Int = 10

    @Option(name: .customLong("hard-per-image"), help: "Most false positives added per negative image and round, 1...100000.")
    var hardPerImage: Int = 50

    @Option(name: .customLong("mining-threshold"), parsing: .unconditional, help: "A hit scoring at least this is a false positive.")
    var miningThreshold: Double = 0

    @Option(name: .customLong("mining-scale"), help: "Pyramid scale of the mining scans, 1...16.")
    var miningScale: Double = 1.05

    @Option(name: .customLong("mining-padding"), help: "Pixels added around every level of the mining scans, WxH, 0...512.")
    var miningPadding: String = "0x0"

    @Flag(help: "Add each positive's mirror image.")
    var mirror = false

    @Option(name: .customLong("positive-region"), help: ArgumentHelp("The part of each positive that is the window, X,Y,WxH (default: all of it).", valueName: "x,y,WxH"))
    var positiveRegion: String?

    @Flag(name: .customLong("prune-easy"), help: "Before each round, drop the negatives the model scores below -1.")
    var pruneEasy = false

    @Option(help: "Jittered copies per positive (shifted and scaled by up to --jitter-amplitude), 0...100.")
    var jitter: Int = 0

    @Option(name: .customLong("jitter-amplitude"), help: "Largest shift (fraction of the side) and scale change of a jittered copy, 0...0.5.")
    var jitterAmplitude: Double = 0.05

    @Option(help: "Seed of the random negative windows and the SVM.")
    var seed: UInt64 = 0

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The model file (JSON).", valueName: "model.json"))
    var output: String

    @Option(help: "Worker threads, 1...256 (default: all cores).")
    var threads: Int?

    func validate() throws {
        try ThreadCount.validate(threads)
        _ = try trainer()
        guard output != "-" else { return }
        try CommandIO.refuseOverwriting(inputs: [positives] + negatives, outputs: [output])
    }

    /// The trainer, or a usage error (exit 64) naming the option.
    func trainer() throws -> HOGDetectorTrainer {
        let size = try DetectOptions.size(window, "--window")
        var p = HOGDetectorTrainingParameters(window: .init(width: size.width, height: size.height), C: c, rounds: rounds,
                                              negativesPerImage: negativesPerImage, mirrorPositives: mirror, seed: seed)
        p.hardNegativesPerImage = hardPerImage
        p.positiveJitter = jitter
        p.pruneEasyNegatives = pruneEasy
        p.positiveRegion = try positiveRegion.map(Self.region)
        p.jitterAmplitude = jitterAmplitude
        p.miningThreshold = miningThreshold
        p.mining.scale = miningScale
        p.mining.padding = try DetectOptions.size(miningPadding, "--mining-padding")
        let names = ["C": "-C", "window": "--window", "hog": "--window", "weights": "--window", "scale": "--mining-scale", "padding": "--mining-padding"]
        do {
            return try HOGDetectorTrainer(parameters: p)
        } catch let CVError.invalidParameter(name, reason) {
            let option = names[name] ?? "--\(name)"
            throw ValidationError("\(option): \(reason)")
        }
    }

    /// `X,Y,WxH` as a region, or a usage error naming --positive-region.
    static func region(_ text: String) throws -> HOGDetectorTrainingParameters.Region {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 3, let x = Int(parts[0]), let y = Int(parts[1]) else {
            throw ValidationError("--positive-region: expected X,Y,WxH (e.g. 4,4,24x56), got '\(text)'")
        }
        let size = try DetectOptions.size(String(parts[2]), "--positive-region")
        return .init(x: x, y: y, width: size.width, height: size.height)
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        try DetectorOutputs.refuseSpecialFiles([output])
        let trainer = try trainer()
        let start = Date()
        let (pos, posFiles) = try Self.images(of: [positives], what: "--positives")
        let (neg, negFiles) = try Self.images(of: negatives, what: "--negatives")
        if output != "-" { try CommandIO.refuseOverwriting(inputs: posFiles + negFiles, outputs: [output]) }
        CommandIO.writeStandardError("train: \(pos.count) positives\(mirror ? " (and their mirrors)" : ""), \(neg.count) negative images\n")
        var model = try trainer.train(positives: pos, negatives: neg) { round in
            CommandIO.writeStandardError("round \(round.round): \(round.falsePositives) false positives, \(round.added) added (negatives now \(round.negatives))\n")
        }
        model.name = URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        try CommandIO.write(Array(try model.encoded()), to: output)
        CommandIO.writeStandardError(String(format: "train: %.1f s\n", Date().timeIntervalSince(start)))
        CommandIO.announce(output)
    }

    /// Every image of `inputs` (strict: an unreadable file stops training), and the files read.
    /// Each input must hold at least one image: a folder given by mistake (empty, or of other
    /// files) is named rather than silently left out.
    static func images(of inputs: [String], what: String) throws -> ([Image<UInt8>], [String?]) {
        var images: [Image<UInt8>] = [], files: [String?] = []
        for input in inputs {
            let rows = try ImageInputs.collect([input], labelsFromDirs: false, strict: true)
            guard !rows.items.isEmpty else { throw CVError.io(path: input, reason: "no images found (\(what))") }
            images += try (0..<rows.items.count).map { try rows.load($0, resizedTo: nil) }
            files += rows.filePaths
        }
        return (images, files)
    }
}

/// The detector commands' outputs, checked before any work: an existing directory, device,
/// FIFO or socket is refused up front (the atomic write would refuse it too, but only after
/// minutes of training or evaluation).
enum DetectorOutputs {
    /// - Throws: `CVError.io` naming the first output that exists and is not a regular file.
    static func refuseSpecialFiles(_ outputs: [String?]) throws {
        for case let path? in outputs where path != "-" {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR { throw CVError.io(path: path, reason: "is a directory; the output must be a file") }
            if info.st_mode & S_IFMT != S_IFREG {
                throw CVError.io(path: path, reason: "is not a regular file (a device, FIFO or socket); outputs are written as regular files")
            }
        }
    }
}

/// `cvtool detector export`: a model JSON as OpenCV's HOGDescriptor YAML.
struct DetectorExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a detector model as OpenCV's HOGDescriptor YAML (cv2.HOGDescriptor.load reads it).",
        discussion: """
        MODEL is a model JSON (from `cvtool detector train`) or people/daimler. The YAML holds \
        winSize, blockSize, blockStride, cellSize, nbins, derivAperture, winSigma, \
        histogramNormType, L2HysThreshold, gammaCorrection, nlevels, signedGradient and \
        SVMDetector (the weights, the bias last); detectMultiScale with it finds what \
        `cvtool detect --model MODEL` finds.

        Examples:
          cvtool detector export trousers.json --opencv trousers.yml
          python -c "import cv2; h = cv2.HOGDescriptor(); h.load('trousers.yml')"
        """
    )

    @Argument(help: ArgumentHelp("The model: a JSON file, people or daimler.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The OpenCV YAML to write.", valueName: "out.yml"))
    var opencv: String

    func validate() throws {
        if HOGDetectorModel.named(model) == nil && !FileManager.default.fileExists(atPath: model) {
            throw ValidationError("MODEL must be people, daimler or a model JSON file; '\(model)' does not exist")
        }
        try CommandIO.refuseOverwriting(inputs: [model], outputs: [opencv])
    }

    func run() throws {
        try DetectorOutputs.refuseSpecialFiles([opencv])
        let loaded = try DetectOptions.parse(["--model=\(model)"]).loadModel()
        try CommandIO.write(Array(loaded.opencvYAML().utf8), to: opencv)
        if loaded.boxRegression != nil {
            CommandIO.writeStandardError("export: OpenCV's HOGDescriptor has no box regression; \(opencv) gives the model's raw windows (detect and evaluate --no-box-regression)\n")
        }
        CommandIO.announce(opencv)
    }
}
