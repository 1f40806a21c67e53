import ArgumentParser
import ClassicCV
import Foundation

/// Options of `sobel` (reused by the `sobel` bench op).
struct SobelOptions: ParsableArguments {
    @Option(help: "Order of the x derivative.")
    var dx: Int = 1

    @Option(help: "Order of the y derivative.")
    var dy: Int = 0

    // `.unconditional` so that `--ksize -1` reads -1 as the value, not as an option.
    @Option(parsing: .unconditional, help: "Aperture 1, 3, 5 or 7; -1 means Scharr 3x3.")
    var ksize: Int = 3

    @Option(help: "Multiplier of the derivative.")
    var scale: Double = 1

    @Option(help: "Border: reflect101, reflect, replicate, constant[:V] or wrap.")
    var border: String = "reflect101"

    func validate() throws {
        let p = try parameters()
        do { try p.validate() } catch { throw ValidationError("\(error)") }
    }

    func parameters() throws -> DerivativeParameters {
        guard let b = BorderMode(name: border) else { throw ValidationError("unknown --border '\(border)'") }
        return DerivativeParameters(dx: dx, dy: dy, ksize: ksize, scale: scale, border: b)
    }

    /// The derivative of the gray image (OpenCV weights), in Float.
    func apply(_ image: AnyImage) throws -> Image<Float> {
        let p = try parameters()
        switch image {
        case .uint8(let i): return try sobel(i.droppingAlpha().grayscale(), p)
        case .uint16(let i): return try sobel(i.droppingAlpha().grayscale(), p)
        case .float32(let i): return try sobel(i.droppingAlpha().grayscale(), p)
        }
    }
}

struct SobelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sobel",
        abstract: "Sobel / Scharr derivative of the gray image (cv2.Sobel / cv2.Scharr).",
        discussion: """
        OUT.npy holds the raw Float32 derivative (in the input's sample units: a step of 1 in \
        an 8-bit image gives 4 with ksize 3). OUT.png holds a viewable image: |derivative| \
        scaled so the largest value is 255.

        Examples:
          cvtool sobel photo.jpg --dx 1 --dy 0 -o gx.npy
          cvtool sobel photo.jpg --dx 0 --dy 1 --ksize -1 -o gy.png      # Scharr
          cvtool sobel photo.jpg --dx 2 --dy 0 --ksize 5 -o dxx.npy
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: "Output: .npy (raw Float32) or .png (scaled magnitude). Default: IN.sobel.png.")
    var output: String?

    @OptionGroup var options: SobelOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "sobel", defaultExtension: "png")
        let image = try CommandIO.loadImage(input).image
        let d = try options.apply(image)
        if out.lowercased().hasSuffix(".npy") {
            try CommandIO.write(NPY.encode(NPYArray(shape: [d.height, d.width], floats: d.samples)), to: out)
        } else {
            let m = d.samples.map { abs($0) }.max() ?? 0
            let k: Float = m > 0 ? 255 / m : 0
            let view = try Image<UInt8>(width: d.width, height: d.height, samples: d.samples.map { UInt8(clampingRounded: abs($0) * k) })
            try CommandIO.writeImage(.uint8(view), to: out)
        }
        CommandIO.announce(out)
    }
}
