import ArgumentParser
import ClassicCV
import Foundation

/// Options of `guided` (reused by the `guided` bench op).
struct GuidedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Window radius r.", valueName: "R"))
    var radius: Int = 4

    @Option(help: ArgumentHelp("Regularization epsilon for intensities in [0, 1] (OpenCV's eps / 255^2 for 8-bit).", valueName: "E"))
    var eps: Double = 0.01

    @Option(help: ArgumentHelp("Guide image (default: the input itself).", valueName: "G"))
    var guide: String?

    @Option(help: ArgumentHelp("Fast Guided Filter subsampling factor (1 = exact).", valueName: "S"))
    var subsample: Int = 1

    func validate() throws { _ = try parameters() }

    func parameters() throws -> GuidedParameters {
        guard radius >= 1 else { throw ValidationError("--radius must be >= 1") }
        guard eps > 0, eps.isFinite else { throw ValidationError("--eps must be > 0") }
        guard subsample >= 1 else { throw ValidationError("--subsample must be >= 1") }
        return GuidedParameters(radius: radius, epsilon: eps, subsample: subsample)
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

struct GuidedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guided",
        abstract: "Guided filter (He, Sun, Tang): edge-preserving smoothing, O(1) per pixel in r.",
        discussion: """
        Matches cv2.ximgproc.guidedFilter(guide, src, r, eps*255^2) on 8-bit images. A colour \
        guide uses the full 3x3 colour covariance. --subsample S runs the Fast Guided Filter.

        Examples:
          cvtool guided photo.jpg --radius 8 --eps 0.02                 # self-guided smoothing
          cvtool guided depth.png --guide photo.png --radius 4 --eps 0.001
          cvtool guided big.jpg --radius 16 --eps 0.01 --subsample 4
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: "Output image (default: IN.guided.png).")
    var output: String?

    @OptionGroup var options: GuidedOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "guided", defaultExtension: "png")
        let image = try CommandIO.loadImage(input).image
        let guide = try options.guide.map { try CommandIO.loadImage($0).image }
        try CommandIO.writeImage(try options.apply(image, guide: guide), to: out)
        CommandIO.announce(out)
    }
}
