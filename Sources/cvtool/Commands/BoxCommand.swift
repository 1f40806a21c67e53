import ArgumentParser
import ClassicCV
import Foundation

/// Options of `box` (reused by the `box` bench op), parsed into `BoxParameters`;
/// `boxFilter` validates them.
struct BoxOptions: ParsableArguments, SampleTypeFilter {
    @Option(parsing: .unconditional, help: ArgumentHelp("Window radius: the window is (2R+1)x(2R+1).", valueName: "R"))
    var radius: Int = 1

    @Option(help: ArgumentHelp("Border: reflect101, reflect, replicate, constant[:V] or wrap.", valueName: "mode"))
    var border: BorderMode = .reflect101

    @Flag(name: .customLong("sum"), help: "Window sums instead of means (saturating on integer images).")
    var sum = false

    func parameters() throws -> BoxParameters {
        BoxParameters(radius: radius, normalize: !sum, border: border)
    }

    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P> { try image.boxFiltered(try parameters()) }
}

struct BoxCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "box",
        abstract: "Box (mean) filter, O(1) per pixel whatever the radius (cv2.blur / cv2.boxFilter).",
        usage: "cvtool box <input> [-o <path>] [--radius <R>] [--border <mode>] [--sum]",
        discussion: """
        Examples:
          cvtool box photo.jpg --radius 3
          cvtool box mask.png --radius 10 --border replicate -o smooth.png
          cvtool box counts.png --radius 1 --sum
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.box.png")) var output: String?
    @OptionGroup var options: BoxOptions

    var outputSuffix: String { "box" }
    static var optionNames: [String: String] { ["radius": "--radius"] }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(try options.apply(image)) }
}
