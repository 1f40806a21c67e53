import ArgumentParser
import ClassicCV
import Foundation

/// Options of `blur` (reused by the `blur` bench op), parsed into `GaussianParameters`;
/// `gaussianBlurred` validates them.
struct BlurOptions: ParsableArguments, SampleTypeFilter {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Gaussian standard deviation along x, in pixels; 0 derives it from --ksize.", valueName: "S"))
    var sigma: Double = 1

    @Option(name: .customLong("sigma-y"), parsing: .unconditional,
            help: ArgumentHelp("Standard deviation along y (default: same as --sigma).", valueName: "S"))
    var sigmaY: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Odd kernel size (default: OpenCV's rule from sigma).", valueName: "K"))
    var ksize: Int?

    @Option(help: ArgumentHelp("Border: reflect101, reflect, replicate, constant[:V] or wrap "
                               + "(default: reflect101; replicate with --preset scikit-image).", valueName: "mode"))
    var border: BorderMode?

    @Option(help: ArgumentHelp("Whose conventions: bit-exact cv2.GaussianBlur, or skimage.filters.gaussian (truncate 4).",
                               valueName: "name"))
    var preset: GaussianParameters.Convention = .opencv

    @Option(help: ArgumentHelp("Filtering method; auto is the O(1) approximation for sigma >= 8, exact below.", valueName: "name"))
    var method: GaussianParameters.Method = .automatic

    /// The library's parameter names spelled as this command's options.
    static let optionNames = ["sigma": "--sigma", "sigmaY": "--sigma-y", "kernelWidth": "--ksize", "kernelHeight": "--ksize"]

    func validate() throws { _ = try parameters() }

    /// - Throws: `ValidationError` when --ksize is given with the scikit-image preset (which
    ///   has no kernel size); everything else is checked by `gaussianBlurred`.
    func parameters() throws -> GaussianParameters {
        if ksize != nil, preset != .opencv { throw ValidationError("--ksize applies to the opencv preset only") }
        let defaultBorder: BorderMode = preset == .opencv ? .reflect101 : .replicate
        return GaussianParameters(sigma: sigma, sigmaY: sigmaY ?? 0, kernelWidth: ksize ?? 0, kernelHeight: ksize ?? 0,
                                  border: border ?? defaultBorder, convention: preset, method: method)
    }

    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P> { try image.gaussianBlurred(try parameters()) }
}

struct BlurCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "blur",
        abstract: "Gaussian blur (bit-exact cv2.GaussianBlur on 8- and 16-bit images).",
        usage: "cvtool blur <input> [-o <path>] [--sigma <S>] [<options>]",
        discussion: """
        The kernel size defaults to OpenCV's rule round(sigma*(8-bit ? 3 : 4)*2 + 1) | 1. \
        8-bit and 16-bit images are filtered in OpenCV's fixed point and match it bit for bit; \
        float images in single precision. With --preset scikit-image the kernel is SciPy's \
        (radius int(4*sigma + 0.5)) and the default border is 'nearest' (replicate). For \
        sigma >= 8 the default --method auto uses an O(1) four-pass box approximation.

        Examples:
          cvtool blur photo.jpg --sigma 2
          cvtool blur photo.png --sigma 1.5 --sigma-y 4 --border replicate -o soft.png
          cvtool blur scan.png --ksize 5 --sigma 0
          cvtool blur big.png --sigma 24 --method exact
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.blur.png")) var output: String?
    @OptionGroup var options: BlurOptions

    var outputSuffix: String { "blur" }
    static var optionNames: [String: String] { BlurOptions.optionNames }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(try options.apply(image)) }
}
