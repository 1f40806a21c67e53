import ArgumentParser
import ClassicCV
import Foundation

/// Options of `canny` (reused by the `canny` bench op).
struct CannyOptions: ParsableArguments {
    @Option(help: "opencv (cv2.Canny; default) or scikit-image (skimage.feature.canny).")
    var preset: String = "opencv"

    @Option(help: ArgumentHelp("Low threshold (opencv: on the Sobel magnitude; scikit-image: image units, or a quantile with --quantiles).", valueName: "L"))
    var low: Double?

    @Option(help: ArgumentHelp("High threshold.", valueName: "H"))
    var high: Double?

    @Option(help: "Sobel aperture 3, 5 or 7 (opencv preset).")
    var aperture: Int = 3

    @Flag(help: "Use the L2 gradient magnitude (opencv preset).")
    var l2 = false

    @Option(help: ArgumentHelp("Gaussian pre-blur sigma (default: 1.4 for opencv without thresholds, 0 with thresholds; 1 for scikit-image).", valueName: "S"))
    var sigma: Double?

    @Option(help: "Automatic thresholds when --low/--high are missing: median or otsu.")
    var auto: String = "median"

    @Flag(help: "scikit-image preset: --low/--high are quantiles of the gradient magnitude.")
    var quantiles = false

    func validate() throws { _ = try parameters() }

    func parameters() throws -> CannyParameters {
        var p: CannyParameters
        switch preset {
        case "opencv":
            p = CannyParameters()
            p.low = low
            p.high = high
            p.aperture = aperture
            p.l2Gradient = l2
            // With explicit thresholds behave like cv2.Canny (no blur) unless asked.
            p.sigma = sigma ?? (low != nil && high != nil ? 0 : 1.4)
            switch auto {
            case "median": p.autoThreshold = .median(spread: 0.33)
            case "otsu": p.autoThreshold = .otsu
            default: throw ValidationError("--auto must be median or otsu, got '\(auto)'")
            }
            guard [3, 5, 7].contains(aperture) else { throw ValidationError("--aperture must be 3, 5 or 7") }
        case "scikit-image", "skimage":
            p = .scikitImage(sigma: sigma ?? 1, low: low, high: high, useQuantiles: quantiles)
        default:
            throw ValidationError("--preset must be opencv or scikit-image, got '\(preset)'")
        }
        if let low, let high, low > high { throw ValidationError("--low (\(low)) must not exceed --high (\(high))") }
        if let s = sigma, !(s >= 0 && s.isFinite) { throw ValidationError("--sigma must be >= 0") }
        return p
    }

    /// Edges of the gray image (OpenCV weights), 0/255.
    func apply(_ image: AnyImage) throws -> Image<UInt8> {
        let p = try parameters()
        switch image {
        case .uint8(let i): return try canny(i.droppingAlpha().grayscale(), p)
        case .uint16(let i): return try canny(i.droppingAlpha().grayscale(), p)
        case .float32(let i): return try canny(i.droppingAlpha().grayscale(), p)
        }
    }
}

struct CannyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canny",
        abstract: "Canny edges of the gray image: 255 on edges, 0 elsewhere.",
        discussion: """
        With no options: OpenCV's Canny after a sigma 1.4 Gaussian, thresholds 0.67x and 1.33x \
        the median intensity — clean, thin edges on photographs. Giving --low and --high runs \
        exactly cv2.Canny(gray, low, high, apertureSize, L2gradient) (no pre-blur unless \
        --sigma). --preset scikit-image runs skimage.feature.canny (sigma 1, thresholds 0.1 and \
        0.2 of the [0, 1] range unless given).

        Examples:
          cvtool canny photo.jpg
          cvtool canny photo.jpg --low 50 --high 150 -o edges.png
          cvtool canny photo.jpg --low 100 --high 300 --aperture 5 --l2
          cvtool canny photo.jpg --auto otsu
          cvtool canny photo.jpg --preset scikit-image --sigma 2
          cvtool canny photo.jpg --preset scikit-image --quantiles --low 0.8 --high 0.95
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: "Output image (default: IN.canny.png).")
    var output: String?

    @OptionGroup var options: CannyOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "canny", defaultExtension: "png")
        let image = try CommandIO.loadImage(input).image
        try CommandIO.writeImage(.uint8(try options.apply(image)), to: out)
        CommandIO.announce(out)
    }
}
