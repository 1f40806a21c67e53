import ArgumentParser
import ClassicCV
import Foundation

/// Options of `resize` (reused by the `resize` bench op), parsed into `ResizeTarget` and
/// `ResizeParameters`; `resized(to:parameters:)` validates them.
struct ResizeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Exact output size.", valueName: "WxH"),
            transform: { try ResizeOptions.pair($0) })
    var size: (Int, Int)?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Scale factor F (or FXxFY); with --compat opencv also the mapping scale, as "
                               + "cv2.resize(fx=, fy=).", valueName: "F"),
            transform: { try ResizeOptions.factors($0) })
    var scale: (Double, Double)?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest size inside WxH keeping the aspect ratio.", valueName: "WxH"),
            transform: { try ResizeOptions.pair($0) })
    var fit: (Int, Int)?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Cover WxH keeping the aspect ratio, then crop the centre.", valueName: "WxH"),
            transform: { try ResizeOptions.pair($0) })
    var fill: (Int, Int)?

    @Option(help: ArgumentHelp("Resampling kernel (default: auto = antialiased Lanczos-3 down, Catmull-Rom up; "
                               + "with --compat: bilinear).", valueName: "name"))
    var filter: ResizeFilter?

    @Option(help: ArgumentHelp("Reproduce cv2.resize (opencv) or PIL.Image.resize (pillow) exactly (default: the "
                               + "generic antialiased engine).", valueName: "lib"))
    var compat: ResizeCompatibility?

    @Option(help: ArgumentHelp("Alpha handling for 2- and 4-channel images (default: auto).", valueName: "mode"))
    var alpha: ResizeAlphaMode?

    @Flag(name: .customLong("no-antialias"), help: "Generic engine: do not widen the kernel when shrinking.")
    var noAntialias = false

    /// The library's parameter names spelled as this command's options.
    static let optionNames = ["scale": "--scale", "size": "--size", "filter": "--filter"]

    func validate() throws { _ = try target() }

    /// `WxH`: two integers; their range is the library's to check.
    static func pair(_ s: String) throws -> (Int, Int) {
        let parts = s.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            throw ValidationError("expected WxH with integers W and H, such as 640x480")
        }
        return (w, h)
    }

    /// `F` or `FXxFY`: one factor for both axes, or one per axis.
    static func factors(_ s: String) throws -> (Double, Double) {
        let parts = s.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Double($0) }
        guard parts.count == 1 || parts.count == 2, let x = parts[0], let y = parts[parts.count - 1] else {
            throw ValidationError("expected a number F or FXxFY, such as 0.5 or 2x1.5")
        }
        return (x, y)
    }

    /// - Throws: `ValidationError` unless exactly one of --size, --scale, --fit, --fill is given.
    func target() throws -> ResizeTarget {
        switch (size, scale, fit, fill) {
        case let (s?, nil, nil, nil): return .size(width: s.0, height: s.1)
        case let (nil, s?, nil, nil): return .scale(x: s.0, y: s.1)
        case let (nil, nil, s?, nil): return .fit(width: s.0, height: s.1)
        case let (nil, nil, nil, s?): return .fill(width: s.0, height: s.1)
        default: throw ValidationError("give exactly one of --size, --scale, --fit, --fill")
        }
    }

    func parameters() throws -> ResizeParameters {
        let compatibility = compat ?? .none
        let defaultFilter: ResizeFilter = compatibility == .none ? .auto : .bilinear
        return ResizeParameters(filter: filter ?? defaultFilter, compatibility: compatibility,
                                antialias: !noAntialias, alpha: alpha ?? .automatic)
    }

    func apply(_ image: AnyImage) throws -> AnyImage {
        try image.resized(to: try target(), parameters: try parameters())
    }
}

struct ResizeCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Resize an image (cv2.resize- and Pillow-exact modes, antialiased default).",
        usage: "cvtool resize <input> (--size|--scale|--fit|--fill) <v> [<options>]",
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

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.resized.png")) var output: String?
    @OptionGroup var options: ResizeOptions

    var outputSuffix: String { "resized" }
    static var optionNames: [String: String] { ResizeOptions.optionNames }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput { .image(try options.apply(image)) }
}
