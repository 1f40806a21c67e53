import ArgumentParser
import ClassicCV
import Foundation

/// Options of `enhance` (reused by the `enhance` bench op), parsed into `DetailEnhancementParameters`.
struct EnhanceOptions: ParsableArguments, SampleTypeFilter {
    @Option(parsing: .unconditional, help: ArgumentHelp("Detail gain K: out = base + K*(image - base); 1 keeps the image.",
                                                         valueName: "K"))
    var amount: Double = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Guided-filter window radius.", valueName: "R"))
    var radius: Int = 16

    @Option(parsing: .unconditional, help: ArgumentHelp("Guided-filter epsilon for intensities in [0, 1].", valueName: "E"))
    var eps: Double = 0.01

    static let optionNames = ["amount": "--amount", "radius": "--radius", "epsilon": "--eps"]

    var parameters: DetailEnhancementParameters { DetailEnhancementParameters(amount: amount, radius: radius, epsilon: eps) }

    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P> { try image.detailEnhanced(parameters) }
}

struct EnhanceCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "enhance",
        abstract: "Detail enhancement with the guided filter (He, Sun & Tang): base + K x detail.",
        usage: "cvtool enhance <input> [-o <path>] [--amount <K>] [<options>]",
        discussion: """
        Each colour channel is split into a base layer (the channel guided-filtered by itself, \
        which keeps edges) and a detail layer (channel - base); the detail is multiplied by K \
        and added back, clipped. No halos at edges. Alpha is kept.

        Examples:
          cvtool enhance photo.jpg --amount 5 -o crisp.png
          cvtool enhance scan.png --amount 3 --radius 8 --eps 0.001
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.enhance.png")) var output: String?
    @OptionGroup var options: EnhanceOptions

    var outputSuffix: String { "enhance" }
    static var optionNames: [String: String] { EnhanceOptions.optionNames }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(try options.apply(image)) }
}
