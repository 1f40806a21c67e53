import ArgumentParser
import ClassicCV

/// Options of `median` (reused by the `median` bench op), parsed into `MedianParameters`;
/// `medianFiltered` validates them.
struct MedianOptions: ParsableArguments, SampleTypeFilter {
    /// Whose border convention: the median itself is the same in all three.
    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case opencv, scipy, scikitImage = "scikit-image"
    }

    @Option(name: [.customLong("size"), .customLong("ksize")], parsing: .unconditional,
            help: ArgumentHelp("Odd window side K (KxK); 8-bit images take up to 255, 16-bit and float 3 or 5.", valueName: "K"))
    var size: Int = 3

    @Option(help: ArgumentHelp("Border convention: opencv (replicate), scipy (reflect) or scikit-image (replicate).",
                               valueName: "name"))
    var preset: Preset = .opencv

    @Option(help: ArgumentHelp("Border: reflect101, reflect, replicate, constant[:V] or wrap (default: the preset's).",
                               valueName: "mode"))
    var border: BorderMode?

    static let optionNames = ["size": "--size"]

    func parameters() -> MedianParameters {
        switch preset {
        case .opencv: return MedianParameters(size: size, border: border ?? .replicate)
        case .scipy: return .scipy(size: size, mode: border ?? .reflect)
        case .scikitImage: return MedianParameters(size: size, border: border ?? .replicate)
        }
    }

    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P> { try image.medianFiltered(parameters()) }
}

struct MedianCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "median",
        abstract: "Median filter, identical to cv2.medianBlur (constant time per pixel for large 8-bit windows).",
        usage: "cvtool median <input> [-o <path>] [--size <K>] [<options>]",
        discussion: """
        Sizes 3 and 5 run sorting networks on every depth; larger odd sizes (8-bit images only, \
        as in OpenCV) the Perreault-Hebert histogram method, whose cost does not grow with K. \
        --preset scipy follows scipy.ndimage.median_filter's default 'reflect' border.

        Examples:
          cvtool median noisy.png --size 5
          cvtool median scan.jpg --size 31 -o clean.png
          cvtool median depth.png --size 3 --preset scipy
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.median.png")) var output: String?
    @OptionGroup var options: MedianOptions

    var outputSuffix: String { "median" }
    static var optionNames: [String: String] { MedianOptions.optionNames }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(try options.apply(image)) }
}
