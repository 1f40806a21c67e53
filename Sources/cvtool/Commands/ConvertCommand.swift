import ArgumentParser
import ClassicCV

/// Bits per sample of `convert`'s output.
enum OutputDepth: Int, CaseIterable, ExpressibleByArgument {
    case eight = 8, sixteen = 16
}

struct ConvertCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an image between PNG, JPEG, PNM and NPY.",
        usage: "cvtool convert <input> <output> [--gray] [<options>]",
        discussion: """
        The output format comes from OUTPUT's extension (png, jpg/jpeg, pgm/ppm/pnm, npy); `-` \
        writes PNG to standard output. JPEG EXIF orientation is applied on read.

        Examples:
          cvtool convert photo.jpg photo.png
          cvtool convert photo.png gray.pgm --gray
          cvtool convert scan.png scan16.png --depth 16
          cvtool convert photo.png small.jpg --quality 80 --progressive
        """
    )

    @Argument(help: .inputImage) var input: String

    @Argument(help: ArgumentHelp("Output image (`-` for standard output).", valueName: "output"))
    var destination: String

    @Flag(help: "Convert to gray (OpenCV's RGB2GRAY weights).")
    var gray = false

    @Option(parsing: .unconditional, help: ArgumentHelp("JPEG quality 1-100.", valueName: "Q"))
    var quality: Int = 95

    @Flag(help: "Write a progressive JPEG.")
    var progressive = false

    @Option(help: ArgumentHelp("JPEG chroma subsampling.", valueName: "mode"))
    var subsampling: EncodeOptions.ChromaSubsampling = .s420

    @Option(parsing: .unconditional, help: ArgumentHelp("PNG zlib compression level 0-9.", valueName: "level"))
    var compression: Int = 1

    @Option(help: ArgumentHelp("Output bits per sample (default: keep; JPEG is always 8).", valueName: "bits"))
    var depth: OutputDepth?

    var output: String? { destination }
    var outputSuffix: String { "converted" }

    /// The encoder checks quality and compression only for the format that uses them; they are
    /// refused here whatever the output format, so a typo never passes silently.
    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1...100, got \(quality)") }
        guard (0...9).contains(compression) else { throw ValidationError("--compression must be 0...9, got \(compression)") }
        if destination != "-" {
            do { _ = try ImageFormat(pathExtensionOf: destination) } catch { throw ValidationError("\(error)") }
        }
    }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput {
        var image = image
        if gray {
            switch image {
            case .uint8(let i): image = .uint8(i.grayscale())
            case .uint16(let i): image = .uint16(i.grayscale())
            case .float32(let i): image = .float32(i.grayscale())
            }
        }
        switch depth {
        case .eight?: image = .uint8(image.asUInt8)
        case .sixteen?: image = .uint16(image.asUInt16)
        case nil: break
        }
        let options = EncodeOptions(pngCompressionLevel: compression, jpegQuality: quality, jpegProgressive: progressive,
                                    jpegSubsampling: subsampling)
        return .image(image, options: options)
    }
}
