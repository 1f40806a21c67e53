import ArgumentParser
import ClassicCV

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an image between PNG, JPEG, PNM and NPY.",
        discussion: """
        The output format comes from OUT's extension (png, jpg/jpeg, pgm/ppm/pnm, npy); `-` \
        writes PNG to standard output. JPEG EXIF orientation is applied on read.

        Examples:
          cvtool convert photo.jpg photo.png
          cvtool convert photo.png gray.pgm --gray
          cvtool convert scan.png scan16.png --depth 16
          cvtool convert photo.png small.jpg --quality 80 --progressive
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Argument(help: "Output image (`-` for standard output).")
    var output: String

    @Flag(help: "Convert to gray (OpenCV's RGB2GRAY weights).")
    var gray = false

    @Option(help: "JPEG quality 1-100.")
    var quality: Int = 95

    @Flag(help: "Write a progressive JPEG.")
    var progressive = false

    @Option(help: "JPEG chroma subsampling: 444, 422 or 420.")
    var subsampling: Int = 420

    @Option(help: "PNG zlib compression level 0-9.")
    var compression: Int = 1

    @Option(help: "Output bits per sample: 8 or 16 (default: keep; JPEG is always 8).")
    var depth: Int?

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1...100, got \(quality)") }
        guard (0...9).contains(compression) else { throw ValidationError("--compression must be 0...9, got \(compression)") }
        guard EncodeOptions.ChromaSubsampling(rawValue: subsampling) != nil else {
            throw ValidationError("--subsampling must be 444, 422 or 420, got \(subsampling)")
        }
        if let depth, depth != 8 && depth != 16 { throw ValidationError("--depth must be 8 or 16, got \(depth)") }
        if output != "-" {
            do { _ = try ImageFormat(pathExtensionOf: output) } catch { throw ValidationError("\(error)") }
        }
        try CommandIO.refuseOverwritingInput(output: output, inputs: [input])
    }

    func run() throws {
        var image = try CommandIO.loadImage(input).image
        if gray {
            switch image {
            case .uint8(let i): image = .uint8(i.grayscale())
            case .uint16(let i): image = .uint16(i.grayscale())
            case .float32(let i): image = .float32(i.grayscale())
            }
        }
        if depth == 8 { image = .uint8(image.asUInt8) }
        if depth == 16 { image = .uint16(image.asUInt16) }
        let options = EncodeOptions(pngCompressionLevel: compression, jpegQuality: quality, jpegProgressive: progressive,
                                    jpegSubsampling: EncodeOptions.ChromaSubsampling(rawValue: subsampling)!)
        try CommandIO.writeImage(image, to: output, options: options)
        CommandIO.announce(output)
    }
}
