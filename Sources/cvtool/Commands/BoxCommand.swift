import ArgumentParser
import ClassicCV
import Foundation

/// Options of `box` (reused by the `box` bench op).
struct BoxOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Window radius: the window is (2R+1)x(2R+1).", valueName: "R"))
    var radius: Int = 1

    @Option(help: "Border: reflect101, reflect, replicate, constant[:V] or wrap.")
    var border: String = "reflect101"

    @Flag(name: .customLong("sum"), help: "Window sums instead of means (saturating on integer images).")
    var sum = false

    func validate() throws { _ = try parameters() }

    func parameters() throws -> BoxParameters {
        guard let b = BorderMode(name: border) else { throw ValidationError("unknown --border '\(border)'") }
        guard radius >= 0 else { throw ValidationError("--radius must be >= 0") }
        return BoxParameters(radius: radius, normalize: !sum, border: b)
    }

    func apply(_ image: AnyImage) throws -> AnyImage {
        let p = try parameters()
        switch image {
        case .uint8(let i): return .uint8(try boxFilter(i, p))
        case .uint16(let i): return .uint16(try boxFilter(i, p))
        case .float32(let i): return .float32(try boxFilter(i, p))
        }
    }
}

struct BoxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "box",
        abstract: "Box (mean) filter, O(1) per pixel whatever the radius (cv2.blur / cv2.boxFilter).",
        discussion: """
        Examples:
          cvtool box photo.jpg --radius 3
          cvtool box mask.png --radius 10 --border replicate -o smooth.png
          cvtool box counts.png --radius 1 --sum
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: "Output image (default: IN.box.png).")
    var output: String?

    @OptionGroup var options: BoxOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "box", defaultExtension: "png")
        let image = try CommandIO.loadImage(input).image
        try CommandIO.writeImage(try options.apply(image), to: out)
        CommandIO.announce(out)
    }
}
