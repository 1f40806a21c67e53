import ArgumentParser
import ClassicCV
import Foundation

/// Options of `resize` (reused by the `resize` bench op).
struct ResizeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Exact output size.", valueName: "WxH"))
    var size: String?

    @Option(help: ArgumentHelp("Scale factor F (or FXxFY); with --compat opencv also the mapping scale, as cv2.resize(fx=, fy=).", valueName: "F"))
    var scale: String?

    @Option(help: ArgumentHelp("Largest size inside WxH keeping the aspect ratio.", valueName: "WxH"))
    var fit: String?

    @Option(help: ArgumentHelp("Cover WxH keeping the aspect ratio, then crop the centre.", valueName: "WxH"))
    var fill: String?

    @Option(help: ArgumentHelp("nearest, nearest-exact, box, bilinear, hamming, bicubic, area, lanczos3, lanczos4, mitchell, catmull-rom or auto (default: auto = antialiased Lanczos-3 down, Catmull-Rom up; with --compat: bilinear).", valueName: "NAME"))
    var filter: String?

    @Option(help: ArgumentHelp("Reproduce opencv (cv2.resize) or pillow (Image.resize) exactly; default: the generic antialiased engine.", valueName: "LIB"))
    var compat: String?

    @Option(help: "Alpha handling for 2/4-channel images: auto, premultiply or independent.")
    var alpha: String = "auto"

    @Flag(name: .customLong("no-antialias"), help: "Generic engine: do not widen the kernel when shrinking.")
    var noAntialias = false

    func validate() throws {
        _ = try target()
        _ = try parameters()
    }

    static func parsePair(_ s: String, _ name: String) throws -> (Int, Int) {
        let parts = s.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else {
            throw ValidationError("--\(name) must be WxH with positive integers, got '\(s)'")
        }
        return (w, h)
    }

    func target() throws -> ResizeTarget {
        let given = [size, scale, fit, fill].compactMap { $0 }
        guard given.count == 1 else { throw ValidationError("give exactly one of --size, --scale, --fit, --fill") }
        if let size { let (w, h) = try Self.parsePair(size, "size"); return .size(width: w, height: h) }
        if let fit { let (w, h) = try Self.parsePair(fit, "fit"); return .fit(width: w, height: h) }
        if let fill { let (w, h) = try Self.parsePair(fill, "fill"); return .fill(width: w, height: h) }
        let parts = scale!.lowercased().split(separator: "x").map { Double($0) }
        guard (parts.count == 1 || parts.count == 2), let x = parts[0], let y = parts.last!, x > 0, y > 0, x.isFinite, y.isFinite else {
            throw ValidationError("--scale must be a positive number F or FXxFY, got '\(scale!)'")
        }
        return .scale(x: x, y: y)
    }

    func parameters() throws -> ResizeParameters {
        var p = ResizeParameters()
        if let compat {
            guard let c = ResizeCompatibility(rawValue: compat), c != .none else {
                throw ValidationError("--compat must be opencv or pillow, got '\(compat)'")
            }
            p.compatibility = c
            p.filter = .bilinear
        }
        if let filter {
            guard let f = ResizeFilter(rawValue: filter) else {
                throw ValidationError("unknown --filter '\(filter)'; known: \(ResizeFilter.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            p.filter = f
        }
        switch alpha {
        case "auto", "automatic": p.alpha = .automatic
        case "premultiply": p.alpha = .premultiply
        case "independent": p.alpha = .independent
        default: throw ValidationError("--alpha must be auto, premultiply or independent, got '\(alpha)'")
        }
        p.antialias = !noAntialias
        do { try p.validate() } catch let e as CVError { throw ValidationError("\(e)") }
        return p
    }

    func apply(_ image: AnyImage) throws -> AnyImage {
        try image.resized(to: try target(), parameters: try parameters())
    }
}

struct ResizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Resize an image (cv2.resize- and Pillow-exact modes, antialiased default).",
        discussion: """
        Give exactly one of --size WxH, --scale F, --fit WxH or --fill WxH. Without --compat \
        the generic engine runs: antialiased Lanczos-3 where an axis shrinks, Catmull-Rom where \
        it grows, alpha premultiplied. --compat opencv reproduces cv2.resize (filters nearest, \
        nearest-exact, bilinear, bicubic, area, lanczos4; default bilinear) and --compat pillow \
        reproduces PIL.Image.resize (nearest, box, bilinear, hamming, bicubic, lanczos3; \
        default bilinear).

        Examples:
          cvtool resize photo.jpg --fit 320x320
          cvtool resize photo.png --scale 0.5 --compat opencv --filter area -o half.png
          cvtool resize photo.png --size 1280x720 --compat pillow --filter lanczos3
          cvtool resize logo.png --scale 4 --filter mitchell
          cvtool resize photo.jpg --fill 256x256 -o square.png
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .shortAndLong, help: "Output image (default: INPUT.resized.png beside the input).")
    var output: String?

    @OptionGroup var options: ResizeOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "resized", defaultExtension: "png")
        let image = try CommandIO.loadImage(input).image
        let resized = try options.apply(image)
        try CommandIO.writeImage(resized, to: out)
        CommandIO.announce(out)
    }
}
