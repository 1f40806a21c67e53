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

    /// `image` filtered with `guide` (itself when `nil`).
    func apply(_ image: AnyImage, guide: AnyImage?) throws -> AnyImage {
        try image.filtered(by: GuidedFilterOperation(parameters: try parameters(), guide: guide))
    }
}

/// `guidedFilter` with a guide of any sample type, as a `SampleTypeFilter` of the source.
private struct GuidedFilterOperation: SampleTypeFilter {
    let parameters: GuidedParameters
    let guide: AnyImage?

    func filtered<P: PixelScalar>(_ source: Image<P>) throws -> Image<P> {
        switch guide {
        case nil: return try source.guidedFiltered(parameters)
        case .uint8(let g)?: return try source.guidedFiltered(guide: g, parameters)
        case .uint16(let g)?: return try source.guidedFiltered(guide: g, parameters)
        case .float32(let g)?: return try source.guidedFiltered(guide: g, parameters)
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
