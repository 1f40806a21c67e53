import ArgumentParser
import ClassicCV
import Foundation

/// Options of `blur` (reused by the `blur` bench op).
struct BlurOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Gaussian standard deviation along x, in pixels (0: derive from --ksize).", valueName: "S"))
    var sigma: Double = 1

    @Option(name: .customLong("sigma-y"), help: ArgumentHelp("Standard deviation along y (default: same as --sigma).", valueName: "S"))
    var sigmaY: Double = 0

    @Option(help: ArgumentHelp("Odd kernel size (default: OpenCV's rule from sigma).", valueName: "K"))
    var ksize: Int = 0

    @Option(help: "Border: reflect101, reflect, replicate, constant[:V] or wrap.")
    var border: String = "reflect101"

    @Option(help: "Conventions: opencv (bit-exact cv2.GaussianBlur) or scikit-image (skimage.filters.gaussian, truncate 4).")
    var preset: String = "opencv"

    @Option(help: "auto (O(1) approximation for sigma >= 8), exact or fast.")
    var method: String = "auto"

    func validate() throws { _ = try parameters() }

    func parameters() throws -> GaussianParameters {
        guard let b = BorderMode(name: border) else { throw ValidationError("unknown --border '\(border)'") }
        let m: GaussianParameters.Method
        switch method {
        case "auto", "automatic": m = .automatic
        case "exact": m = .exact
        case "fast": m = .fastApproximate
        default: throw ValidationError("--method must be auto, exact or fast, got '\(method)'")
        }
        var p: GaussianParameters
        switch preset {
        case "opencv": p = .opencv(sigma: sigma, sigmaY: sigmaY, kernelWidth: ksize, kernelHeight: ksize, border: b)
        case "scikit-image", "skimage":
            guard ksize == 0 else { throw ValidationError("--ksize applies to the opencv preset only") }
            p = .scikitImage(sigma: sigma, sigmaY: sigmaY, mode: border == "reflect101" ? .replicate : b)
        default: throw ValidationError("--preset must be opencv or scikit-image, got '\(preset)'")
        }
        p.method = m
        guard sigma >= 0, sigmaY >= 0, sigma.isFinite, sigmaY.isFinite else { throw ValidationError("--sigma must be >= 0") }
        guard ksize == 0 || (ksize > 0 && ksize % 2 == 1) else { throw ValidationError("--ksize must be a positive odd number") }
        guard sigma > 0 || ksize > 0 else { throw ValidationError("give --sigma > 0 or --ksize") }
        return p
    }

    func apply(_ image: AnyImage) throws -> AnyImage {
        let p = try parameters()
        switch image {
        case .uint8(let i): return .uint8(try gaussianBlur(i, p))
        case .uint16(let i): return .uint16(try gaussianBlur(i, p))
        case .float32(let i): return .float32(try gaussianBlur(i, p))
        }
    }
}

struct BlurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blur",
        abstract: "Gaussian blur (bit-exact cv2.GaussianBlur on 8- and 16-bit images).",
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

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: "Output image (default: IN.blur.png).")
    var output: String?

    @OptionGroup var options: BlurOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "blur", defaultExtension: "png")
        let image = try CommandIO.loadImage(input).image
        try CommandIO.writeImage(try options.apply(image), to: out)
        CommandIO.announce(out)
    }
}
