import ArgumentParser
import ClassicCV
import Foundation

/// Options of `phase-correlate`, parsed into `PhaseCorrelationParameters`, which
/// `PhaseCorrelation.estimate` validates.
struct PhaseCorrelateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Window applied before the transform.", valueName: "name"))
    var window: PhaseCorrelationParameters.Window = .hann

    @Option(parsing: .unconditional, help: ArgumentHelp("Sub-pixel resolution 1/N px, 1...\(PhaseCorrelationParameters.maxUpsampleFactor) "
                                                                       + "(1: integer peak only).", valueName: "N"))
    var upsample: Int = 100

    func parameters() throws -> PhaseCorrelationParameters {
        PhaseCorrelationParameters(window: window, upsampleFactor: upsample)
    }
}

struct PhaseCorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase-correlate",
        abstract: "Sub-pixel translation between two images by phase correlation.",
        usage: "cvtool phase-correlate <a> <b> [--json] [--upsample <N>] [<options>]",
        discussion: """
        Prints `dx dy response`: the shift that moves A onto B (B(x, y) ~ A(x - dx, y - dy); \
        x to the right, y down; the sign of cv2.phaseCorrelate(A, B)) and the phase-correlation \
        peak (1 for a pure circular shift, near 0 for unrelated images). The gray images must \
        have the same size. Means are removed, a Hann window applied, and the peak refined by \
        the upsampled matrix-multiply DFT of Guizar-Sicairos et al. (2008) to 1/--upsample px.

        Examples:
          cvtool phase-correlate frame1.png frame2.png
          cvtool phase-correlate a.png b.png --json   # {"dx": 3.41, "dy": -1.07, ...}
          cvtool phase-correlate a.png b.png --window none --upsample 20
        """
    )

    @Argument(help: "Reference image A.")
    var a: String

    @Argument(help: "Moved image B.")
    var b: String

    @Flag(help: "Print one JSON object with dx, dy and response.")
    var json = false

    @OptionGroup var options: PhaseCorrelateOptions
    @OptionGroup var planning: FFTPlanningOptions

    func run() throws {
        let parameters = try options.parameters()
        let ga = try FFTCommandSupport.grayPlane(try CommandIO.loadImage(a).image)
        let gb = try FFTCommandSupport.grayPlane(try CommandIO.loadImage(b).image)
        guard ga.shape == gb.shape else {
            throw CVError.invalidParameter(
                name: "B", reason: "\(b) is \(gb.columns)x\(gb.rows) but \(a) is \(ga.columns)x\(ga.rows); phase correlation needs equal sizes")
        }
        let r = try CommandIO.namingOptions(["upsampleFactor": "--upsample"]) {
            try planning.planning { try PhaseCorrelation.estimate(from: ga, to: gb, parameters: parameters) }
        }
        let format = json ? "{\"dx\": %.4f, \"dy\": %.4f, \"response\": %.6f}" : "%.4f %.4f %.6f"
        print(String(format: format, r.dx, r.dy, r.response))
    }
}
