import ArgumentParser
import ClassicCV
import Foundation

struct PCACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pca",
        abstract: "Principal component analysis of feature tables, and PCA image compression.",
        discussion: """
        Examples:
          cvtool pca fit train.csv -o pca.json --components 0.95 --json
          cvtool pca transform pca.json test.csv -o test.pca.csv
          cvtool pca inverse pca.json test.pca.csv -o test.back.csv
          cvtool pca compress photo.png --components 4,16,64 -o strip.png
          cvtool pca plot pca.json -o variance.png
          cvtool pca eigenimages pixels.pca.json --shape 28x28 -o eigen.png
        """,
        subcommands: [PCAFitCommand.self, PCATransformCommand.self, PCAInverseCommand.self, PCACompressCommand.self,
                      PCAPlotCommand.self, PCAEigenimagesCommand.self]
    )
}

/// Options of `cvtool pca fit`.
struct PCAFitOptions: ParsableArguments {
    @Option(help: "Components: a count (e.g. 50) or a fraction of variance to explain (e.g. 0.95); all when omitted.")
    var components: String?

    @Flag(help: "Whiten: scale projections to unit variance.")
    var whiten = false

    @Option(help: "Solver (auto picks as scikit-learn does).")
    var solver: PCA.Solver = .auto

    @Option(help: "Randomized solver: seed of the random probes.")
    var seed: UInt64 = 0

    /// The options as CVLearn's parameters; `--components` is parsed (and checked) by CVLearn.
    func parameters() throws -> PCA.Parameters {
        PCA.Parameters(components: try components.map { try PCA.Components(parsing: $0) } ?? .all, whiten: whiten, solver: solver,
                       seed: seed)
    }
}

struct PCAFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit PCA on a feature table and save it as JSON.",
        discussion: """
        --json prints one object with `n_components`, `solver`, `explained_variance_ratio`, \
        `explained_variance`, `reconstruction_mse` (on the training rows) and `fit_ms` (in-process, \
        file I/O excluded). Float32 NPY tables are fitted in single precision (the covariance by \
        ssyrk), text tables in double.

        Examples:
          cvtool pca fit train.csv -o pca.json --components 40
          cvtool pca fit hog.npy -o pca.json --components 0.9 --whiten --json
        """
    )

    @Argument(help: "Feature table (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output PCA file (.json).", valueName: "path"))
    var output: String

    @OptionGroup var pca: PCAFitOptions
    @OptionGroup var input: LearnInputOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(name: .customLong("repeat"),
            help: "Benchmarking: fit once to warm up, then N more times; fit_ms is their median (as `cvtool bench` times image ops).")
    var repeats: Int = 0

    func validate() throws {
        _ = try pca.parameters()
        guard repeats >= 0 else { throw ValidationError("--repeat must be >= 0") }
        try LearnIO.validateOutput(output, inputs: [features])
    }

    func run() throws {
        let params = try pca.parameters()
        let table = try input.loadTable(features)
        LearnIO.progress("fitting PCA on \(table.count)x\(table.features.columns)…")
        func fit() throws -> (PCA, Double) { try LearnIO.timed { try table.features.fitPCA(params) } }
        var (fitted, ms) = try fit()
        if repeats > 0 {
            var times: [Double] = []
            for _ in 0..<repeats { let (f, t) = try fit(); fitted = f; times.append(t) }
            times.sort()
            ms = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        }
        LearnIO.progressDone()
        try CommandIO.write(try ModelFile.encode(fitted), to: output)
        let mse = try table.features.reconstructionError(fitted)
        if json {
            print(LearnIO.object([
                ("pca", LearnIO.json(output)), ("samples", "\(table.count)"), ("features", "\(fitted.featureCount)"),
                ("n_components", "\(fitted.componentCount)"), ("solver", LearnIO.json(fitted.solverUsed.rawValue)),
                ("whiten", "\(fitted.parameters.whiten)"), ("threads", "\(LinearAlgebra.threadCount)"),
                ("explained_variance_ratio", LearnIO.json(fitted.explainedVarianceRatio)),
                ("explained_variance", LearnIO.json(fitted.explainedVariance)),
                ("explained_variance_ratio_total", LearnIO.json(fitted.explainedVarianceRatio.reduce(0, +))),
                ("noise_variance", LearnIO.json(fitted.noiseVariance)), ("reconstruction_mse", LearnIO.json(mse)), ("fit_ms", LearnIO.json(ms)),
            ]))
        } else {
            print("PCA (\(fitted.solverUsed.rawValue)) on \(table.count)x\(fitted.featureCount): \(fitted.componentCount) components explain "
                  + "\(String(format: "%.4f", fitted.explainedVarianceRatio.reduce(0, +))) of the variance; reconstruction MSE \(mse); "
                  + "fit \(String(format: "%.1f", ms)) ms")
            CommandIO.announce(output)
        }
    }
}

struct PCATransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Project a feature table onto fitted principal components.",
        discussion: """
        OUT keeps the `path` and `label` columns; the features become pc0, pc1, ... The format \
        comes from OUT's extension (.csv, .npy, .svm/.libsvm; `-` writes CSV to standard output). \
        PCA.json may also be a model file with a PCA step.

        Example:
          cvtool pca transform pca.json test.csv -o test.pca.npy
        """
    )

    @Argument(help: "PCA file from `cvtool pca fit` (or a model with a PCA step).")
    var pcaFile: String

    @Argument(help: "Feature table.")
    var features: String

    @OptionGroup var table: PCATableOutput

    func validate() throws { try table.validate(inputs: [pcaFile, features]) }

    func run() throws { try table.map(features, with: pcaFile, inverse: false) }
}

struct PCAInverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inverse",
        abstract: "Map projections (pc0, pc1, ...) back to feature space.",
        discussion: """
        The inverse of `pca transform` (undoing whitening); labels and paths are kept.

        Example:
          cvtool pca inverse pca.json test.pca.csv -o test.back.csv
        """
    )

    @Argument(help: "PCA file from `cvtool pca fit`.")
    var pcaFile: String

    @Argument(help: "Table of projections (componentCount columns).")
    var projections: String

    @OptionGroup var table: PCATableOutput

    func validate() throws { try table.validate(inputs: [pcaFile, projections]) }

    func run() throws { try table.map(projections, with: pcaFile, inverse: true) }
}

/// The output and input options of `pca transform` and `pca inverse`, and the step they share:
/// read a PCA and a table, map the features, rename the columns, write the table.
struct PCATableOutput: ParsableArguments {
    @Option(name: [.customShort("o"), .long],
            help: ArgumentHelp("Output table (.csv, .npy, .svm/.libsvm); CSV to standard output when omitted.", valueName: "path"))
    var output: String?

    @OptionGroup var input: LearnInputOptions

    func validate(inputs: [String]) throws { try LearnIO.validateOutput(output, inputs: inputs) }

    /// Projects the table at `path` onto the PCA in `pcaFile` (`inverse`: back to feature space).
    func map(_ path: String, with pcaFile: String, inverse: Bool) throws {
        let p = try ModelFile.readPCA(path: pcaFile)
        var table = try input.loadTable(path)
        table.features = try table.features.projected(by: p, inverse: inverse)
        table.featureNames = inverse ? (0..<p.featureCount).map { "f\($0)" } : (0..<p.componentCount).map { "pc\($0)" }
        try LearnIO.writeTable(table, to: output ?? "-")
        CommandIO.announce(output ?? "-")
    }
}

struct PCACompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress",
        abstract: "Compress an image with PCA over its rows or patches; report PSNR against k.",
        discussion: """
        Each channel is compressed on its own: the samples are the image rows (default) or \
        non-overlapping PxP patches (--patch P, edges replicated), PCA keeps k components, and \
        the reconstruction is clipped to 0...255. Prints PSNR (dB) and the explained variance for \
        every k (--json: one object). OUT shows the original followed by one reconstruction per \
        k, left to right, each captioned with k and its PSNR.

        Examples:
          cvtool pca compress photo.png --components 8 -o photo.pca8.png
          cvtool pca compress photo.png --components 2,8,32 --patch 8 -o strip.png --json
        """
    )

    @Argument(help: "Input image.")
    var image: String

    @Option(help: "Component counts, comma separated (e.g. 4,16,64).")
    var components: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output picture (PNG).", valueName: "path"))
    var output: String?

    @Option(help: "Patch size P (samples are PxP patches instead of rows).")
    var patch: Int?

    @Flag(help: "Convert to gray first.")
    var gray = false

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Threads for BLAS.")
    var threads: Int?

    func counts() throws -> [Int] {
        let parts = components.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 1 }) else {
            throw ValidationError("--components must be counts ≥ 1 separated by commas, got '\(components)'")
        }
        return parts.map { $0! }
    }

    func validate() throws {
        _ = try counts()
        if let patch, patch < 1 { throw ValidationError("--patch must be at least 1") }
        try LearnIO.validateOutput(output, inputs: [image])
    }

    func run() throws {
        if let threads { LinearAlgebra.threadCount = threads; Parallel.threadCount = threads }
        let ks = try counts()
        var img = try CommandIO.loadImage(image).image.asUInt8
        if gray && img.channels >= 3 { img = img.grayscale() }
        let w = img.width, h = img.height, ch = min(img.channels, 3)
        let layout: PCACompression.Layout = patch.map { .patches(size: $0) } ?? .rows
        var planes = [[Float]](repeating: [Float](repeating: 0, count: w * h), count: ch)
        img.withUnsafePixels { p, stride in
            for y in 0..<h { for x in 0..<w { for c in 0..<ch { planes[c][y * w + x] = Float(p[y * stride + x * img.channels + c]) } } }
        }
        LearnIO.progress("PCA on \(ch) channel(s)…")
        var perChannel: [[PCACompression.Result]] = []
        for c in 0..<ch {
            perChannel.append(try PCACompression.compress(pixels: planes[c], width: w, height: h, layout: layout, componentCounts: ks))
        }
        LearnIO.progressDone()
        // PSNR over all channels together.
        var rows: [(k: Int, psnr: Double, evr: Double, mse: Double)] = []
        for (i, k) in ks.enumerated() {
            let mse = perChannel.map { $0[i].mse }.reduce(0, +) / Double(ch)
            let psnr = mse == 0 ? Double.infinity : 10 * log10(255 * 255 / mse)
            let evr = perChannel.map { $0[i].explainedVarianceRatio }.reduce(0, +) / Double(ch)
            rows.append((k, psnr, evr, mse))
        }
        if let output {
            try CommandIO.writeImage(strip(img: img, planes: planes, results: perChannel, rows: rows, channels: ch), to: output)
        }
        let sampleLength = patch.map { $0 * $0 } ?? w
        if json {
            print(LearnIO.object([
                ("image", LearnIO.json(image)), ("width", "\(w)"), ("height", "\(h)"), ("channels", "\(ch)"),
                ("layout", LearnIO.json(patch.map { "patches \($0)x\($0)" } ?? "rows")), ("sample_length", "\(sampleLength)"),
                ("components", "[" + rows.map { "\($0.k)" }.joined(separator: ", ") + "]"),
                ("psnr", LearnIO.json(rows.map(\.psnr))), ("mse", LearnIO.json(rows.map(\.mse))),
                ("explained_variance_ratio", LearnIO.json(rows.map(\.evr))),
            ]))
        } else {
            print("     k   PSNR (dB)   explained variance   kept values/sample")
            for r in rows {
                print(String(format: "%6d  %10.2f  %19.4f  %12d/%d", r.k, r.psnr, r.evr, r.k, sampleLength))
            }
            if let output { CommandIO.announce(output) }
        }
    }

    /// Original + reconstructions side by side, captioned "k=K dB".
    func strip(img: Image<UInt8>, planes: [[Float]], results: [[PCACompression.Result]], rows: [(k: Int, psnr: Double, evr: Double, mse: Double)], channels ch: Int) -> AnyImage {
        let w = img.width, h = img.height, gap = 6
        let scale = w >= 160 ? 2 : 1
        let caption = 5 * scale + 6
        var canvas = Canvas(width: (ks().count + 1) * (w + gap) - gap, height: h + caption)
        func blit(_ get: (Int, Int, Int) -> UInt8, at x0: Int) {
            for y in 0..<h { for x in 0..<w {
                let o = (y * canvas.width + x0 + x) * 3
                for c in 0..<3 { canvas.pixels[o + c] = get(x, y, ch == 1 ? 0 : c) }
            } }
        }
        blit({ x, y, c in UInt8(planes[c][y * w + x]) }, at: 0)
        for (i, r) in rows.enumerated() {
            let x0 = (i + 1) * (w + gap)
            blit({ x, y, c in UInt8(min(255, max(0, results[c][i].pixels[y * w + x].rounded()))) }, at: x0)
            let label = "k=\(r.k) " + (r.psnr.isFinite ? String(format: "%.1fdB", r.psnr) : "-dB")
            canvas.text(label, x: x0 + 2, y: h + 3, scale: scale, color: (0, 0, 0))
        }
        return canvas.image
    }

    func ks() -> [Int] { (try? counts()) ?? [] }
}
