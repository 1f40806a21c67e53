import ArgumentParser
import ClassicCV
import Foundation

extension IntensityScale: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "raw": self = .raw
        case "unit": self = .unitRange
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["raw", "unit"] }
    public var defaultValueDescription: String { self == .raw ? "raw" : "unit" }
}

/// Options of `log` (reused by the `log` bench op), parsed into `LaplacianOfGaussianParameters`.
struct LoGOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Gaussian standard deviation, in pixels.", valueName: "S"))
    var sigma: Double = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel radius in sigmas (scipy's truncate).", valueName: "T"))
    var truncate: Double = 4

    @Option(help: ArgumentHelp("Border: reflect (scipy's), reflect101 (mirror), replicate (nearest), constant[:V], wrap.",
                               valueName: "mode"))
    var border: BorderMode = .reflect

    @Option(help: ArgumentHelp("raw: the sample values (scipy); unit: integers scaled to [0, 1] (scikit-image).", valueName: "scale"))
    var intensity: IntensityScale = .raw

    static let optionNames = ["sigma": "--sigma", "truncate": "--truncate", "border": "--border"]

    var parameters: LaplacianOfGaussianParameters {
        LaplacianOfGaussianParameters(sigma: sigma, truncate: truncate, border: border, intensity: intensity)
    }

    func apply(_ image: AnyImage) throws -> Image<Float> {
        switch image {
        case .uint8(let i): return try i.laplacianOfGaussian(parameters)
        case .uint16(let i): return try i.laplacianOfGaussian(parameters)
        case .float32(let i): return try i.laplacianOfGaussian(parameters)
        }
    }
}

struct LoGCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Laplacian of Gaussian (scipy.ndimage.gaussian_laplace), each channel on its own.",
        usage: "cvtool log <input> [-o <path>] [--sigma <S>] [<options>]",
        discussion: """
        OUT.npy holds the raw Float32 response (scipy's convention: computed on the sample \
        values, so 8-bit input gives responses in units of 0..255). An image output shows it \
        signed: mid-gray is 0, the largest magnitude reaches black or white.

        Examples:
          cvtool log photo.png --sigma 2 -o log.npy
          cvtool log cells.png --sigma 3 --border replicate -o log.png
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.log.png; .npy: raw Float32")) var output: String?
    @OptionGroup var options: LoGOptions

    var outputSuffix: String { "log" }
    static var optionNames: [String: String] { LoGOptions.optionNames }

    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput {
        SignedResponse.output(try options.apply(image), for: path)
    }
}

/// How `log` and `dog` write a signed Float response.
enum SignedResponse {
    /// Raw NPY for `.npy` paths, else an 8-bit view: 128 + 127·v / max|v| (0 stays mid-gray).
    static func output(_ r: Image<Float>, for path: String) -> CommandOutput {
        if CommandIO.isNPY(path) { return .bytes(NPY.encode(NPYArray(image: .float32(r)))) }
        let m = r.samples.lazy.map { abs($0) }.filter(\.isFinite).max() ?? 0
        let k: Float = m > 0 ? 127 / m : 0
        let view = r.samples.map { UInt8(clampingRounded: 128 + $0 * k) }
        // Safe: the sample count is the response's own.
        return .image(.uint8(try! Image(width: r.width, height: r.height, channels: r.channels, samples: view)))
    }
}
