import ArgumentParser
import ClassicCV
import Foundation

/// Options of `dog` (reused by the `dog` bench op), parsed into `DifferenceOfGaussiansParameters`.
struct DoGOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Sigma of the narrower Gaussian, in pixels.", valueName: "S"))
    var low: Double = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Sigma of the wider Gaussian (default: 1.6 x --low).", valueName: "S"))
    var high: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel radius in sigmas (scipy's truncate).", valueName: "T"))
    var truncate: Double = 4

    @Option(help: ArgumentHelp("Border: replicate (scikit-image's nearest), reflect, reflect101, constant[:V], wrap.",
                               valueName: "mode"))
    var border: BorderMode = .replicate

    @Option(help: ArgumentHelp("unit: integers scaled to [0, 1] (scikit-image); raw: the sample values (scipy).", valueName: "scale"))
    var intensity: IntensityScale = .unitRange

    static let optionNames = ["lowSigma": "--low", "highSigma": "--high", "truncate": "--truncate", "border": "--border"]

    var parameters: DifferenceOfGaussiansParameters {
        DifferenceOfGaussiansParameters(lowSigma: low, highSigma: high, truncate: truncate, border: border, intensity: intensity)
    }

    func apply(_ image: AnyImage) throws -> Image<Float> {
        switch image {
        case .uint8(let i): return try i.differenceOfGaussians(parameters)
        case .uint16(let i): return try i.differenceOfGaussians(parameters)
        case .float32(let i): return try i.differenceOfGaussians(parameters)
        }
    }
}

struct DoGCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "dog",
        abstract: "Difference of Gaussians band-pass (skimage.filters.difference_of_gaussians).",
        usage: "cvtool dog <input> [-o <path>] [--low <S>] [--high <S>] [<options>]",
        discussion: """
        scikit-image's conventions: 8-bit input is scaled to [0, 1] first, --high defaults to \
        1.6 x --low, border 'nearest'. OUT.npy holds the raw Float32 result; an image output \
        shows it signed (mid-gray is 0).

        Examples:
          cvtool dog photo.png --low 1 --high 3 -o band.npy
          cvtool dog scan.png --low 2 -o dog.png
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.dog.png; .npy: raw Float32")) var output: String?
    @OptionGroup var options: DoGOptions

    var outputSuffix: String { "dog" }
    static var optionNames: [String: String] { DoGOptions.optionNames }

    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput {
        SignedResponse.output(try options.apply(image), for: path)
    }
}
