import ArgumentParser
import ClassicCV

/// Options of `bilateral` (reused by the `bilateral` bench op), parsed into
/// `BilateralParameters`; `bilateralFiltered` validates them.
struct BilateralOptions: ParsableArguments, SampleTypeFilter {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Odd window diameter; 0 derives it from --sigma-space (radius round(1.5*S)).", valueName: "D"))
    var diameter: Int = 9

    @Option(name: .customLong("sigma-color"), parsing: .unconditional,
            help: ArgumentHelp("Colour standard deviation, in sample units (0-255 for 8-bit).", valueName: "S"))
    var sigmaColor: Double = 75

    @Option(name: .customLong("sigma-space"), parsing: .unconditional,
            help: ArgumentHelp("Spatial standard deviation, in pixels.", valueName: "S"))
    var sigmaSpace: Double = 75

    @Option(help: ArgumentHelp("Border: reflect101, reflect, replicate, constant[:V] or wrap.", valueName: "mode"))
    var border: BorderMode = .reflect101

    @Flag(help: "Constant-time approximation (cost independent of the diameter and --sigma-space).")
    var fast = false

    static let optionNames = ["diameter": "--diameter", "sigmaColor": "--sigma-color", "sigmaSpace": "--sigma-space"]

    func parameters() -> BilateralParameters {
        BilateralParameters(diameter: diameter, sigmaColor: sigmaColor, sigmaSpace: sigmaSpace, border: border,
                            method: fast ? .fastApproximate : .exact)
    }

    /// Alpha is dropped first: OpenCV filters 1 or 3 channels.
    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P> {
        let input = image.channels == 2 || image.channels == 4 ? image.droppingAlpha() : image
        return try input.bilateralFiltered(parameters())
    }
}

struct BilateralCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilateral",
        abstract: "Edge-preserving bilateral filter, identical to cv2.bilateralFilter (8-bit or float, gray or RGB).",
        usage: "cvtool bilateral <input> [-o <path>] [--diameter <D>] [<options>]",
        discussion: """
        The exact filter weighs the disc of diameter D by distance and colour difference as \
        OpenCV does (its tables and arithmetic). --fast blurs a bilateral grid subsampled in space \
        and range (Paris & Durand 2009): its cost does not grow with D; the error is in docs/fidelity.md. \
        16-bit images are refused (as by OpenCV): convert them first.

        Examples:
          cvtool bilateral photo.jpg
          cvtool bilateral photo.jpg --diameter 5 --sigma-color 30 --sigma-space 5 -o soft.png
          cvtool bilateral portrait.png --diameter 41 --sigma-color 40 --fast
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.bilateral.png")) var output: String?
    @OptionGroup var options: BilateralOptions

    var outputSuffix: String { "bilateral" }
    static var optionNames: [String: String] { BilateralOptions.optionNames }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(try options.apply(image)) }
}
