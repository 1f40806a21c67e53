import ArgumentParser
import ClassicCV
import Foundation

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print format, size, channels, bit depth and orientation of images.",
        discussion: """
        Decodes every file with the same checks and limits as `convert`, so a file that \
        cannot be converted is never described. Every file is reported; the exit status is 1 \
        if any could not be read.

        Examples:
          cvtool info photo.jpg
          cvtool info *.png --json
        """
    )

    @Argument(help: ArgumentHelp("Image files (PNG, JPEG, PNM, NPY; `-` for standard input).", valueName: "path"))
    var images: [String]

    @Flag(help: "Print one JSON object per line.")
    var json = false

    func run() throws {
        var failures = 0
        for path in images {
            do {
                print(try describe(path))
            } catch {
                failures += 1
                CommandIO.writeStandardError("cvtool: \(error)\n")
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    /// One line about the image at `path`: text, or a JSON object with `--json`.
    private func describe(_ path: String) throws -> String {
        let bytes = try CommandIO.readInput(path)
        let h = try ImageIO.header(of: bytes, source: path)
        // The header alone says nothing of truncated or corrupt pixel data.
        _ = try ImageIO.decode(bytes, source: path)
        if json {
            return "{\"path\": \(LearnIO.json(path)), \"format\": \"\(h.format.rawValue)\", \"width\": \(h.width), "
                + "\"height\": \(h.height), \"channels\": \(h.channels), \"bit_depth\": \(h.bitDepth), "
                + "\"orientation\": \(h.orientation), \"color_model\": \(LearnIO.json(h.colorModel))}"
        }
        return "\(path): \(h.format.rawValue.uppercased()) \(h.width)x\(h.height), \(h.channels) channel(s), "
            + "\(h.bitDepth)-bit, \(h.colorModel), orientation \(h.orientation)"
    }
}
