import ArgumentParser
import ClassicCV
import Foundation

/// Options of `guided` (reused by the `guided` bench op), parsed into `GuidedParameters`;
/// `guidedFilter` validates them.
struct GuidedOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Window radius r.", valueName: "R"))
    var radius: Int = 4

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Regularization epsilon for intensities in [0, 1] (OpenCV's eps / 255^2 for 8-bit).", valueName: "E"))
    var eps: Double = 0.01

    @Option(help: ArgumentHelp("Guide image (default: the input itself).", valueName: "path"))
    var guide: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Fast Guided Filter subsampling factor (1 = exact).", valueName: "S"))
    var subsample: Int = 1

    /// The library's parameter names spelled as this command's options.
    static let optionNames = ["radius": "--radius", "epsilon": "--eps", "subsample": "--subsample", "guide": "--guide"]

    func parameters() throws -> GuidedParameters {
        GuidedParameters(radius: radius, epsilon: eps, subsample: subsample)
    }

    func apply(_ image: AnyImage, guide g: AnyImage?) throws -> AnyImage {
        let p = try parameters()
        func run<P: PixelScalar>(_ src: Image<P>) throws -> Image<P> {
            switch g {
            case nil: return try guidedFilter(src, p)
            case .uint8(let gi)?: return try guidedFilter(src, guide: gi, p)
            case .uint16(let gi)?: return try guidedFilter(src, guide: gi, p)
            case .float32(let gi)?: return try guidedFilter(src, guide: gi, p)
            }
        }
        switch image {
        case .uint8(let i): return .uint8(try run(i))
        case .uint16(let i): return .uint16(try run(i))
        case .float32(let i): return .float32(try run(i))
        }
    }
}

struct GuidedCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "guided",
        abstract: "Guided filter (He, Sun, Tang): edge-preserving smoothing, O(1) per pixel in r.",
        usage: "cvtool guided <input> [-o <path>] [--radius <R>] [--eps <E>] [<options>]",
        discussion: """
        Matches cv2.ximgproc.guidedFilter(guide, src, r, eps*255^2) on 8-bit images. A colour \
        guide uses the full 3x3 colour covariance. --subsample S runs the Fast Guided Filter.

        Examples:
          cvtool guided photo.jpg --radius 8 --eps 0.02         # self-guided smoothing
          cvtool guided depth.png --guide photo.png --radius 4 --eps 0.001
          cvtool guided big.jpg --radius 16 --eps 0.01 --subsample 4
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.guided.png")) var output: String?
    @OptionGroup var options: GuidedOptions

    var outputSuffix: String { "guided" }
    static var optionNames: [String: String] { GuidedOptions.optionNames }

    var otherInputs: [String] { options.guide.map { [$0] } ?? [] }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput {
        let guide = try options.guide.map { try CommandIO.loadImage($0).image }
        return .image(try options.apply(image, guide: guide))
    }
}
