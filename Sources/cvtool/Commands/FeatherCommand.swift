import ArgumentParser
import ClassicCV
import Foundation

/// Options of `feather` (reused by the `feather` bench op), parsed into `FeatheringParameters`.
struct FeatherOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Guided-filter radius: how far the mask's edge may move.", valueName: "R"))
    var radius: Int = 60

    @Option(parsing: .unconditional, help: ArgumentHelp("Guided-filter epsilon (intensities in [0, 1]).", valueName: "E"))
    var eps: Double = 1e-6

    static let optionNames = ["radius": "--radius", "epsilon": "--eps", "mask": "--mask"]

    var parameters: FeatheringParameters { FeatheringParameters(radius: radius, epsilon: eps) }

    /// The soft mask of `mask` (its gray channel) along `image`'s edges.
    func apply(_ image: AnyImage, mask: AnyImage) throws -> Image<Float> {
        let m = mask.asFloat.droppingAlpha().grayscale()
        switch image {
        case .uint8(let i): return try i.featheredMask(m, parameters)
        case .uint16(let i): return try i.featheredMask(m, parameters)
        case .float32(let i): return try i.featheredMask(m, parameters)
        }
    }
}

struct FeatherCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "feather",
        abstract: "Refine a rough binary mask along the image's edges with the guided filter (feathering).",
        usage: "cvtool feather <input> --mask <path> [-o <path>] [<options>]",
        discussion: """
        The mask (white = inside) is guided-filtered with the image as guide (He, Sun & Tang), \
        so its edge snaps onto the image's edges and fine structure gets fractional values. \
        The output is the soft mask: 8-bit image, or raw Float32 in [0, 1] for OUT.npy.

        Examples:
          cvtool feather photo.png --mask rough.png -o alpha.png
          cvtool feather photo.png --mask rough.png --radius 20 --eps 1e-4 -o alpha.npy
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(help: ArgumentHelp("The rough mask, same size as the input (white = inside).", valueName: "path")) var mask: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.feather.png; .npy: raw Float32")) var output: String?
    @OptionGroup var options: FeatherOptions

    var outputSuffix: String { "feather" }
    static var optionNames: [String: String] { FeatherOptions.optionNames }
    var otherInputs: [String] { [mask] }

    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput {
        let soft = try options.apply(image, mask: try CommandIO.loadImage(mask).image)
        if CommandIO.isNPY(path) { return .bytes(NPY.encode(NPYArray(image: .float32(soft)))) }
        return .image(.uint8(soft.converted(to: UInt8.self)))
    }
}
