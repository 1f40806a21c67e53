import ArgumentParser
import ClassicCV
import Foundation

/// The apertures `cv2.Sobel` offers; -1 is Scharr 3x3.
enum SobelAperture: Int, CaseIterable, ExpressibleByArgument {
    case scharr = -1, one = 1, three = 3, five = 5, seven = 7
}

/// Options of `sobel` (reused by the `sobel` bench op), parsed into `DerivativeParameters`;
/// `sobel` validates them.
struct SobelOptions: ParsableArguments, GrayImageOperation {
    @Option(parsing: .unconditional, help: ArgumentHelp("Order of the x derivative.", valueName: "N"))
    var dx: Int = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Order of the y derivative.", valueName: "N"))
    var dy: Int = 0

    // `.unconditional` so that `--ksize -1` reads -1 as the value, not as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Aperture; -1 means Scharr 3x3.", valueName: "K"))
    var ksize: SobelAperture = .three

    @Option(parsing: .unconditional, help: ArgumentHelp("Multiplier of the derivative.", valueName: "F"))
    var scale: Double = 1

    @Option(help: ArgumentHelp("Border: reflect101, reflect, replicate, constant[:V] or wrap.", valueName: "mode"))
    var border: BorderMode = .reflect101

    func parameters() throws -> DerivativeParameters {
        DerivativeParameters(dx: dx, dy: dy, ksize: ksize.rawValue, scale: scale, border: border)
    }

    /// The derivative of the gray image (OpenCV weights), in Float.
    func run<P: PixelScalar>(onGray gray: Image<P>) throws -> Image<Float> { try gray.sobelDerivative(try parameters()) }
}

struct SobelCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "sobel",
        abstract: "Sobel / Scharr derivative of the gray image (cv2.Sobel / cv2.Scharr).",
        usage: "cvtool sobel <input> [-o <path>] [--dx <N>] [--dy <N>] [<options>]",
        discussion: """
        OUT.npy holds the raw Float32 derivative (in the input's sample units: a step of 1 in \
        an 8-bit image gives 4 with ksize 3). OUT.png holds a viewable image: |derivative| \
        scaled so the largest value is 255.

        Examples:
          cvtool sobel photo.jpg --dx 1 --dy 0 -o gx.npy
          cvtool sobel photo.jpg --dx 0 --dy 1 --ksize -1 -o gy.png      # Scharr
          cvtool sobel photo.jpg --dx 2 --dy 0 --ksize 5 -o dxx.npy
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long],
            help: .output("IN.sobel.png; .npy: raw Float32, image: scaled magnitude")) var output: String?
    @OptionGroup var options: SobelOptions

    var outputSuffix: String { "sobel" }
    static var optionNames: [String: String] { ["dx/dy": "--dx/--dy", "scale": "--scale", "ksize": "--ksize"] }

    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput {
        let d = try image.gray(through: options)
        if CommandIO.isNPY(path) { return .bytes(NPY.encode(NPYArray(shape: [d.height, d.width], floats: d.samples))) }
        return .image(.uint8(try Self.magnitudeView(d)))
    }

    /// |derivative| scaled so the largest finite value is 255 (an infinite one is 255 too).
    private static func magnitudeView(_ d: Image<Float>) throws -> Image<UInt8> {
        let m = d.samples.lazy.map { abs($0) }.filter(\.isFinite).max() ?? 0
        let k: Float = m > 0 ? 255 / m : 0
        let samples = d.samples.map { v -> UInt8 in
            let a = abs(v)
            return a.isFinite ? UInt8(clampingRounded: a * k) : (a.isNaN ? 0 : 255)
        }
        return try Image<UInt8>(width: d.width, height: d.height, samples: samples)
    }
}
