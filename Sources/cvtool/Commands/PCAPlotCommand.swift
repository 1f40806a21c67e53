import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool pca plot`: the explained-variance curve of a fitted PCA as a PNG line chart.
struct PCAPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the explained-variance curve of a fitted PCA (PNG).",
        discussion: """
        Plots, against the component number k, the cumulative explained-variance ratio (the \
        share of the variance the first k components keep) and each component's own ratio, \
        with dashed reference lines (default 0.9 and 0.95) and the number of components each \
        one needs printed on standard output. PCA.json comes from `cvtool pca fit` (fit with \
        all components, or enough of them, to see the whole curve) or is a model with a PCA step.

        Examples:
          cvtool pca fit train-images-idx3-ubyte.gz -o pixels.pca.json
          cvtool pca plot pixels.pca.json -o variance.png
          cvtool pca plot hog.pca.json -o variance.png --max-components 200
        """
    )

    @Argument(help: "PCA file from `cvtool pca fit` (or a model with a PCA step).")
    var pcaFile: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output picture (.png).", valueName: "path"))
    var output: String

    @Option(name: .customLong("max-components"), help: "Plot only the first N components (all fitted when omitted).")
    var maxComponents: Int?

    @Option(help: "Reference levels of cumulative variance, comma separated.")
    var references: String = "0.9,0.95"

    @Option(help: "Chart title.")
    var title: String = "PCA explained variance"

    @Option(help: "Picture size WxH in pixels.")
    var size: String = "640x400"

    func parsedSize() throws -> (Int, Int) {
        let s = try HOGOptions.size(size, "--size")
        guard s.width >= 240, s.height >= 160, s.width <= 4096, s.height <= 4096 else {
            throw ValidationError("--size must be between 240x160 and 4096x4096, got '\(size)'")
        }
        return (s.width, s.height)
    }

    func parsedReferences() throws -> [Double] {
        try references.split(separator: ",").map {
            guard let v = Double($0.trimmingCharacters(in: .whitespaces)), v > 0, v < 1 else {
                throw ValidationError("--references must be fractions in (0, 1) separated by commas, got '\(references)'")
            }
            return v
        }
    }

    func validate() throws {
        _ = try parsedSize()
        _ = try parsedReferences()
        if let maxComponents, maxComponents < 2 { throw ValidationError("--max-components must be at least 2") }
        try LearnIO.validateOutput(output, inputs: [pcaFile])
    }

    func run() throws {
        let p = try ModelFile.readPCA(path: pcaFile)
        let n = min(p.componentCount, maxComponents ?? p.componentCount)
        let ratios = Array(p.explainedVarianceRatio.prefix(n))
        var cumulative: [Double] = []
        var sum = 0.0
        for r in ratios { sum += r; cumulative.append(sum) }
        let refs = try parsedReferences()
        let (w, h) = try parsedSize()
        var chart = LineChart(title: title, xTitle: "number of components k (of \(p.featureCount) features)",
                              yTitle: "explained variance ratio",
                              series: [.init(name: "cumulative", values: cumulative, color: (31, 119, 180)),
                                       .init(name: "per component", values: ratios, color: (214, 39, 40))])
        chart.references = refs
        chart.width = w
        chart.height = h
        try CommandIO.writeImage(chart.render().image, to: output)
        for r in refs {
            if let k = cumulative.firstIndex(where: { $0 >= r }) {
                print("\(k + 1) components explain \(String(format: "%.3f", cumulative[k])) >= \(r) of the variance")
            } else {
                print("the \(n) plotted components explain \(String(format: "%.3f", sum)) < \(r) of the variance")
            }
        }
        CommandIO.announce(output)
    }
}

/// `cvtool pca eigenimages`: the mean and the first principal components shown as images.
struct PCAEigenimagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eigenimages",
        abstract: "Show the mean and the first principal components of a pixel PCA as images (PNG grid).",
        discussion: """
        For a PCA fitted on raw pixels (e.g. an IDX image file, one image per row), each \
        component is a WxH image. The first tile is the mean image; then components 1, 2, ... \
        each mapped to gray symmetrically (0 → mid gray, the largest |value| → black or white), \
        captioned with its explained-variance percentage.

        Examples:
          cvtool pca fit train-images-idx3-ubyte.gz -o pixels.pca.json --components 50
          cvtool pca eigenimages pixels.pca.json --shape 28x28 -o eigen.png
          cvtool pca eigenimages faces.pca.json --shape 25x25 --count 8 -o faces.png
        """
    )

    @Argument(help: "PCA file from `cvtool pca fit` on pixel rows.")
    var pcaFile: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output picture (.png).", valueName: "path"))
    var output: String

    @Option(help: "Image size WxH of one row (default: square when the feature count is a square).")
    var shape: String?

    @Option(help: "Number of components to show.")
    var count: Int = 15

    @Option(help: "Tiles per row.")
    var columns: Int = 8

    @Option(help: "Magnification of each tile, 1...16 (default: at least 64 pixels across).")
    var scale: Int?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard columns >= 1 else { throw ValidationError("--columns must be at least 1") }
        if let scale, !(1...16).contains(scale) { throw ValidationError("--scale must be 1...16") }
        if let shape { _ = try HOGOptions.size(shape, "--shape") }
        try LearnIO.validateOutput(output, inputs: [pcaFile])
    }

    func run() throws {
        let p = try ModelFile.readPCA(path: pcaFile)
        let d = p.featureCount
        let w: Int, h: Int
        if let shape {
            let s = try HOGOptions.size(shape, "--shape")
            (w, h) = (s.width, s.height)
        } else {
            let r = Int(Double(d).squareRoot().rounded())
            guard r * r == d else { throw ValidationError("\(pcaFile) has \(d) features, not a square image: pass --shape WxH") }
            (w, h) = (r, r)
        }
        guard w * h == d else { throw ValidationError("--shape \(w)x\(h) has \(w * h) pixels but \(pcaFile) has \(d) features") }
        let k = min(count, p.componentCount)
        let s = scale ?? max(1, min(16, (64 + w - 1) / w))
        let tw = w * s, th = h * s
        let gap = 6, caption = 12
        let tiles = k + 1
        let cols = min(columns, tiles), rows = (tiles + cols - 1) / cols
        var canvas = Canvas(width: cols * (tw + gap) + gap, height: rows * (th + caption + gap) + gap)
        for t in 0..<tiles {
            let values: ArraySlice<Double> = t == 0 ? p.mean[...] : p.components[(t - 1) * d..<t * d]
            var samples = [UInt8](repeating: 0, count: d)
            if t == 0 {
                let lo = values.min() ?? 0, hi = values.max() ?? 1
                let span = hi > lo ? hi - lo : 1
                for (i, v) in values.enumerated() { samples[i] = UInt8(min(255, max(0, ((v - lo) / span * 255).rounded()))) }
            } else {
                let m = max(values.map { abs($0) }.max() ?? 1, 1e-300)
                for (i, v) in values.enumerated() { samples[i] = UInt8(min(255, max(0, (127.5 + 127.5 * v / m).rounded()))) }
            }
            let x = gap + (t % cols) * (tw + gap), y = gap + (t / cols) * (th + caption + gap)
            canvas.blitGray(samples, width: w, height: h, x: x, y: y, scale: s)
            let text = t == 0 ? "mean" : "\(t): " + String(format: "%.1f%%", 100 * p.explainedVarianceRatio[t - 1])
            canvas.label(text, x: x + max(0, (tw - BitmapFont.width(text)) / 2), y: y + th + 3, color: (0, 0, 0))
        }
        try CommandIO.writeImage(canvas.image, to: output)
        CommandIO.announce(output)
    }
}
