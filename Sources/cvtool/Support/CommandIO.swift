import ArgumentParser
import ClassicCV
import CVFormats
import Foundation

/// File conventions shared by every subcommand (see `cvtool --help`).
enum CommandIO {
    /// Reads a whole file, or standard input for `-`.
    /// - Throws: `CVError.io` naming the file when it cannot be read.
    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        return try FileIO.readAll(path)
    }

    /// Decodes an image file (or `-`), naming the file in any error.
    /// - Parameters:
    ///   - path: the file, or `-` for standard input.
    ///   - options: decode limits and orientation handling (default: `DecodeOptions()`).
    /// - Throws: `CVError` from reading or decoding, with the path (or `<stdin>`) in it.
    static func loadImage(_ path: String, options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        let bytes = try readInput(path)
        return try ImageIO.decode(bytes, source: path == "-" ? "<stdin>" : path, options: options)
    }

    /// The output path: `explicit` when given, otherwise `input` with its extension replaced by
    /// `.suffix.ext` (photo.jpg -> photo.canny.png); `-` for an input read from standard input.
    /// - Throws: `ValidationError` (exit 64) when the path names the input itself.
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

    /// Refuses an output that is one of `inputs`, however spelled (`./`, `..`, symbolic links).
    /// Standard output (`-`) is never an input.
    /// - Throws: `ValidationError` (exit 64) naming the output.
    static func refuseOverwritingInput(output: String, inputs: [String]) throws {
        try refuseOverwriting(inputs: inputs, outputs: [output])
    }

    /// Refuses any of `outputs` (the main one and the secondary ones: a glyph picture, a labels
    /// file) that is one of `inputs`, or that names the same file as another output, however
    /// spelled (`./`, `..`, symbolic links, hard links). `-` (standard input or output) and nil
    /// entries are skipped.
    /// - Throws: `ValidationError` (exit 64) naming the output.
    static func refuseOverwriting(inputs: [String?], outputs: [String?]) throws {
        let files = outputs.compactMap { $0 }.filter { $0 != "-" }
        guard !files.isEmpty else { return }
        let inputFiles = inputs.compactMap { $0 }.filter { $0 != "-" }.map(FileIdentity.init)
        var seen: [FileIdentity] = []
        for output in files {
            let o = FileIdentity(output)
            if inputFiles.contains(where: { $0.isSameFile(as: o) }) {
                throw ValidationError("output \(output) is the input file; refusing to overwrite it")
            }
            if let earlier = seen.first(where: { $0.isSameFile(as: o) }) {
                throw ValidationError("outputs \(earlier.path) and \(output) are the same file")
            }
            seen.append(o)
        }
    }

    /// Writes bytes atomically to `path`, or to standard output for `-`: a failed or killed run
    /// leaves no half-written file, and a failed write to standard output is an error line.
    /// - Throws: `CVError.io` naming the path (`<stdout>` for `-`).
    static func write(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            try FileBytes.writeStandardOutput(bytes)
        } else {
            try FileIO.writeAtomically(bytes, to: path)
        }
    }

    /// Writes files that belong together (a table and its labels) so that they appear together
    /// or not at all; a `-` entry goes to standard output after the files are in place.
    /// - Parameter outputs: paths and bytes, in the order they are put in place (the main
    ///   output last).
    /// - Throws: `CVError.io` naming the path that failed; no file of the set is then left.
    static func writeTogether(_ outputs: [(path: String, bytes: [UInt8])]) throws {
        try writeTogether(producing: outputs.map { output in (output.path, { sink in try output.bytes.withUnsafeBytes(sink) }) })
    }

    /// As `writeTogether(_:)`, each output's bytes handed over in pieces by its producer and
    /// written as they come (a large table is never assembled in memory).
    /// - Throws: `CVError.io` naming the path that failed; what a producer throws.
    static func writeTogether(producing outputs: [(path: String, produce: FileBytes.Producer)]) throws {
        try FileBytes.writeTogether(producing: outputs.filter { $0.path != "-" })
        for output in outputs where output.path == "-" { try output.produce { try FileBytes.writeStandardOutput($0) } }
    }

    /// Encodes and writes an image atomically; the format comes from the extension (PNG for `-`).
    /// - Throws: `CVError` for an unknown extension, an encoder refusal or a failed write.
    static func writeImage(_ image: AnyImage, to path: String, options: EncodeOptions = EncodeOptions()) throws {
        try write(try encodeImage(image, for: path, options: options), to: path)
    }

    /// The bytes `writeImage` would write: the format comes from the extension (PNG for `-`).
    /// - Throws: `CVError` for an unknown extension or an encoder refusal.
    static func encodeImage(_ image: AnyImage, for path: String, options: EncodeOptions = EncodeOptions()) throws -> [UInt8] {
        let format: ImageFormat = path == "-" ? .png : try ImageFormat(pathExtensionOf: path)
        return try ImageIO.encode(image, as: format, options: options, target: path)
    }

    /// Writes `text` to standard error as it is (add the newline). A failed write is ignored:
    /// there is nowhere left to report it, and `FileHandle.write` would trap.
    static func writeStandardError(_ text: String) {
        try? FileBytes.writeStandardError(Array(text.utf8))
    }

    /// Prints the path of a file just written (not when writing to standard output).
    static func announce(_ path: String) {
        if path != "-" { print(path) }
    }

    /// Whether `path` names a NumPy file (the raw-array output of `sobel` and `fft`).
    static func isNPY(_ path: String) -> Bool { path.lowercased().hasSuffix(".npy") }

    /// Runs `body`, renaming the parameter of a `CVError.invalidParameter` it throws from the
    /// library's spelling to the command-line option that sets it (`epsilon` -> `--eps`), so
    /// the error line names what the user typed.
    static func namingOptions<T>(_ optionNames: [String: String], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let CVError.invalidParameter(name, reason) {
            throw CVError.invalidParameter(name: optionNames[name] ?? name, reason: reason)
        }
    }
}

/// The range of every `--threads` option: beyond it a mistyped value would ask OpenBLAS and
/// the worker pool for more threads than they can represent.
enum ThreadCount {
    /// Most worker threads: 256.
    static let maximum = 256

    /// - Throws: `ValidationError` (exit 64) unless `threads` is nil or 1...256.
    static func validate(_ threads: Int?) throws {
        if let threads, !(1...maximum).contains(threads) {
            throw ValidationError("--threads must be 1...\(maximum), got \(threads)")
        }
    }
}

/// A path as `refuseOverwriting` compares it: an existing file by its device and inode (which
/// sees through `./`, `..`, symbolic and hard links), a missing one by its resolved path. One
/// `stat` per path, so checking the thousands of files found in a folder stays cheap.
private struct FileIdentity {
    let path: String
    private let inode: (device: UInt64, inode: UInt64)?
    /// Set only when the file does not exist.
    private let resolved: String?

    init(_ path: String) {
        self.path = path
        var info = stat()
        if stat(path, &info) == 0 {
            inode = (UInt64(info.st_dev), UInt64(info.st_ino))
            resolved = nil
        } else {
            inode = nil
            resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
    }

    /// An existing file and a missing one are never the same file.
    func isSameFile(as other: FileIdentity) -> Bool {
        if let a = inode, let b = other.inode { return a == b }
        if let a = resolved, let b = other.resolved { return a == b }
        return false
    }
}

/// What a one-image command writes: an image, encoded by the output's extension, or bytes
/// already encoded (an NPY array).
enum CommandOutput {
    case image(AnyImage, options: EncodeOptions = EncodeOptions())
    case bytes([UInt8])

    /// Writes atomically to `path` (standard output for `-`).
    func write(to path: String) throws {
        switch self {
        case let .image(image, options): try CommandIO.writeImage(image, to: path, options: options)
        case .bytes(let bytes): try CommandIO.write(bytes, to: path)
        }
    }
}

/// A subcommand that reads one image (`INPUT`, `-` for standard input) and writes one file
/// (`-o, --output <path>`, default `INPUT` renamed to `stem.<outputSuffix>.png` beside it).
///
/// The shared `run()` is the whole file convention: 1. name the output, refusing every input;
/// 2. decode the input; 3. compute; 4. write atomically; 5. print the output's path.
/// A conforming command supplies only step 3.
protocol ImageCommand: ParsableCommand {
    var input: String { get }
    var output: String? { get }
    /// The default output's suffix: photo.jpg -> photo.<suffix>.png.
    var outputSuffix: String { get }
    /// Files read besides `input` (a guide image), which the output must not overwrite either.
    var otherInputs: [String] { get }
    /// The library's parameter names mapped to the options that set them, for error lines.
    static var optionNames: [String: String] { get }
    /// Step 3: what to write to `path` for the decoded `image` (`path` tells .npy from images).
    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput
}

extension ImageCommand {
    static var optionNames: [String: String] { [:] }
    var otherInputs: [String] { [] }

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: outputSuffix, defaultExtension: "png")
        try CommandIO.refuseOverwritingInput(output: out, inputs: otherInputs)
        let image = try CommandIO.loadImage(input).image
        let result = try CommandIO.namingOptions(Self.optionNames) { try self.result(for: image, writingTo: out) }
        try result.write(to: out)
        CommandIO.announce(out)
    }
}

/// An image operation written once for every sample type that keeps the sample type, so a
/// command applies it to a decoded `AnyImage` with `AnyImage.filtered(by:)` and no switch.
protocol SampleTypeFilter {
    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P>
}

extension SampleTypeFilter {
    /// `image` through this filter, at its own sample type.
    func apply(_ image: AnyImage) throws -> AnyImage { try image.filtered(by: self) }
}

extension AnyImage {
    /// This image through `filter`, at its own sample type.
    func filtered(by filter: some SampleTypeFilter) throws -> AnyImage {
        switch self {
        case .uint8(let i): return .uint8(try filter.filtered(i))
        case .uint16(let i): return .uint16(try filter.filtered(i))
        case .float32(let i): return .float32(try filter.filtered(i))
        }
    }
}

/// An operation on the gray image of the input (alpha dropped, OpenCV's RGB→gray weights) at
/// the input's own sample type, so a command applies it with `AnyImage.gray(through:)`.
protocol GrayImageOperation {
    associatedtype Output
    func run<P: PixelScalar>(onGray gray: Image<P>) throws -> Output
}

extension AnyImage {
    /// The gray image of this one through `operation`.
    func gray<Operation: GrayImageOperation>(through operation: Operation) throws -> Operation.Output {
        switch self {
        case .uint8(let i): return try operation.run(onGray: i.droppingAlpha().grayscale())
        case .uint16(let i): return try operation.run(onGray: i.droppingAlpha().grayscale())
        case .float32(let i): return try operation.run(onGray: i.droppingAlpha().grayscale())
        }
    }
}

extension ArgumentHelp {
    /// Help of an `INPUT` image argument.
    static let inputImage = ArgumentHelp("Input image (`-` for standard input).", valueName: "input")

    /// Help of `-o, --output <path>`; `what` names the default (e.g. "IN.blur.png").
    static func output(_ what: String) -> ArgumentHelp {
        ArgumentHelp("Output file (default: \(what); `-`: standard output).", valueName: "path")
    }
}

// MARK: - Library types parsed straight from their command-line spelling

// A closed set of choices is parsed by ArgumentParser, so a misspelling is a usage error (exit
// 64) that lists the choices; every range is left to the library, whose `CVError` ends the run
// with one line and exit 1.

extension BorderMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { description }
}

extension FFTPlannerEffort: ExpressibleByArgument {}
extension FrequencyFilter.Kind: ExpressibleByArgument {}
extension PhaseCorrelationParameters.Window: ExpressibleByArgument {}
extension ResizeFilter: ExpressibleByArgument {}

extension GaussianParameters.Convention: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "opencv": self = .opencv
        case "scikit-image", "skimage": self = .scikitImage(truncate: 4)
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["opencv", "scikit-image"] }
    public var defaultValueDescription: String { self == .opencv ? "opencv" : "scikit-image" }
}

extension GaussianParameters.Method: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "auto", "automatic": self = .automatic
        case "exact": self = .exact
        case "fast": self = .fastApproximate
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["auto", "exact", "fast"] }
    public var defaultValueDescription: String {
        switch self {
        case .automatic: return "auto"
        case .exact: return "exact"
        case .fastApproximate: return "fast"
        }
    }
}

extension ResizeCompatibility: ExpressibleByArgument {
    /// `opencv` or `pillow`; leaving --compat out is the generic engine.
    public static var allValueStrings: [String] { ["opencv", "pillow"] }
    public init?(argument: String) {
        guard argument != Self.none.rawValue else { return nil }
        self.init(rawValue: argument)
    }
}

extension ResizeAlphaMode: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["auto", "premultiply", "independent"] }
    public init?(argument: String) {
        self.init(rawValue: argument == "auto" ? Self.automatic.rawValue : argument)
    }
    public static var allValueDescriptions: [String: String] { [:] }
}

extension EncodeOptions.ChromaSubsampling: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["444", "422", "420"] }
    public var defaultValueDescription: String { "\(rawValue)" }
}
