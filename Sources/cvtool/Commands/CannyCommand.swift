import ArgumentParser
import ClassicCV
import Foundation

/// Options of `canny` (reused by the `canny` bench op).
struct CannyOptions: ParsableArguments, GrayImageOperation {
    @Option(help: ArgumentHelp("opencv (cv2.Canny) or scikit-image (skimage.feature.canny).", valueName: "name"))
    var preset: String = "opencv"

    @Option(help: ArgumentHelp("Low threshold: Sobel magnitude (opencv), image units or a quantile (scikit-image).",
                               valueName: "L"))
    var low: Double?

    @Option(help: ArgumentHelp("High threshold, in the units of --low.", valueName: "H"))
    var high: Double?

    @Option(help: ArgumentHelp("Sobel aperture: 3, 5 or 7 (opencv).", valueName: "n"))
    var aperture: Int = 3

    @Flag(help: "Use the L2 gradient magnitude (opencv).")
    var l2 = false

    @Option(help: ArgumentHelp("Gaussian pre-blur sigma. Default: opencv 1.4 without thresholds, 0 with them; scikit-image 1.",
                               valueName: "S"))
    var sigma: Double?

    @Option(help: ArgumentHelp("Thresholds when --low/--high are missing: median or otsu (opencv).", valueName: "rule"))
    var auto: String = "median"

    @Flag(help: "--low and --high are quantiles of the gradient magnitude (scikit-image).")
    var quantiles = false

    /// The library's parameter names spelled as this command's options.
    static let optionNames = ["aperture": "--aperture", "sigma": "--sigma", "low": "--low", "high": "--high",
                              "low/high": "--low/--high"]

    /// Refuses what the library refuses, naming the option, before any file is read. A usage
    /// error (exit 64), unlike the other filters' exit 1: CoreCommandTests asserts 64 for
    /// swapped thresholds.
    func validate() throws {
        do {
            try CommandIO.namingOptions(Self.optionNames) { try parameters().validate() }
        } catch let error as CVError {
            throw ValidationError(error.description)
        }
    }

    /// The parameters the options spell (names parsed here; values checked by the library).
    func parameters() throws -> CannyParameters {
        switch preset {
        case "opencv":
            let rule: CannyParameters.AutoThreshold
            switch auto {
            case "median": rule = .median(spread: 0.33)
            case "otsu": rule = .otsu
            default: throw ValidationError("--auto must be median or otsu, got '\(auto)'")
            }
            // With explicit thresholds behave like cv2.Canny (no blur) unless asked.
            let blur = sigma ?? (low != nil && high != nil ? 0 : 1.4)
            return CannyParameters(.opencv(OpenCVCanny(low: low, high: high, aperture: aperture, l2Gradient: l2,
                                                       sigma: blur, autoThreshold: rule)))
        case "scikit-image", "skimage":
            return .scikitImage(sigma: sigma ?? 1, low: low, high: high, useQuantiles: quantiles)
        default:
            throw ValidationError("--preset must be opencv or scikit-image, got '\(preset)'")
        }
    }

    /// Edges of the gray image (OpenCV weights), 0/255.
    func run<P: PixelScalar>(onGray gray: Image<P>) throws -> Image<UInt8> { try gray.cannyEdges(try parameters()) }
}

struct CannyCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "canny",
        abstract: "Canny edges of the gray image: 255 on edges, 0 elsewhere.",
        usage: """
        cvtool canny <input> [-o <path>] [--preset <name>]
                     [--low <L>] [--high <H>] [--aperture <n>] [--l2]
                     [--sigma <S>] [--auto <rule>] [--quantiles]
        """,
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

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.canny.png")) var output: String?
    @OptionGroup var options: CannyOptions

    var outputSuffix: String { "canny" }
    static var optionNames: [String: String] { CannyOptions.optionNames }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(.uint8(try image.gray(through: options))) }
}
