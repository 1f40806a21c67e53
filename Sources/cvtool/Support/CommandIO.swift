import ArgumentParser
import ClassicCV
import Foundation

/// File conventions shared by every subcommand (see `cvtool --help`).
enum CommandIO {
    /// Reads a whole file, or standard input for `-`.
    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        return try FileIO.readAll(path)
    }

    /// Decodes an image file (or `-`), naming the file in any error.
    static func loadImage(_ path: String, options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        let bytes = try readInput(path)
        return try ImageIO.decode(bytes, source: path == "-" ? "<stdin>" : path, options: options)
    }

    /// The output path: `explicit` when given, otherwise `input` with its extension replaced by
    /// `.suffix.ext` (photo.jpg -> photo.canny.png). Refuses to name the input itself.
    static func outputPath(input: String, explicit: String?, suffix: String, defaultExtension: String) throws -> String {
        let out: String
        if let explicit {
            out = explicit
        } else if input == "-" {
            out = "-"
        } else {
            let url = URL(fileURLWithPath: input)
            let stem = url.deletingPathExtension().lastPathComponent
            out = url.deletingLastPathComponent().appendingPathComponent("\(stem).\(suffix).\(defaultExtension)").path
        }
        try refuseOverwritingInput(output: out, inputs: [input])
        return out
    }

    static func refuseOverwritingInput(output: String, inputs: [String]) throws {
        guard output != "-" else { return }
        let o = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        for input in inputs where input != "-" {
            let i = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
            if i == o {
                throw ValidationError("output \(output) is the input file; refusing to overwrite it")
            }
        }
    }

    /// Writes bytes atomically to `path`, or to standard output for `-`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
        } else {
            try FileIO.writeAtomically(bytes, to: path)
        }
    }

    /// Encodes and writes an image; the format comes from the extension (PNG for `-`).
    static func writeImage(_ image: AnyImage, to path: String, options: EncodeOptions = EncodeOptions()) throws {
        let format: ImageFormat = path == "-" ? .png : try ImageFormat(pathExtensionOf: path)
        let bytes = try ImageIO.encode(image, as: format, options: options, target: path)
        try write(bytes, to: path)
    }

    /// Prints the path of a file just written (not when writing to standard output).
    static func announce(_ path: String) {
        if path != "-" { print(path) }
    }
}
