import CVCore

/// The interpolation kernels ``CVCore/Image/resized(to:parameters:)`` offers.
///
/// Which kernels are available depends on the compatibility mode (see ``ResizeCompatibility``):
///
/// | filter | `.opencv` (`cv2.resize`) | `.pillow` (`Image.resize`) | `.none` (generic engine) |
/// |---|---|---|---|
/// | `nearest` | `INTER_NEAREST` | `NEAREST` | yes |
/// | `nearestExact` | `INTER_NEAREST_EXACT` | – | yes (same as nearest) |
/// | `box` | – | `BOX` | yes |
/// | `bilinear` | `INTER_LINEAR` | `BILINEAR` | yes |
/// | `hamming` | – | `HAMMING` | yes |
/// | `bicubic` | `INTER_CUBIC` (a = −0.75) | `BICUBIC` (a = −0.5) | yes (a = −0.5) |
/// | `area` | `INTER_AREA` | – | yes (= box, antialiased) |
/// | `lanczos3` | – | `LANCZOS` | yes |
/// | `lanczos4` | `INTER_LANCZOS4` | – | yes |
/// | `mitchell` | – | – | yes (B = C = 1/3) |
/// | `catmullRom` | – | – | yes (B = 0, C = 1/2) |
/// | `auto` | – | – | the quality default (see ``ResizeParameters/quality``) |
public enum ResizeFilter: String, Sendable, Hashable, CaseIterable {
    case nearest
    case nearestExact = "nearest-exact"
    case box
    case bilinear
    case hamming
    case bicubic
    case area
    case lanczos3
    case lanczos4
    case mitchell
    case catmullRom = "catmull-rom"
    /// Antialiased Lanczos-3 on downscaled axes, Catmull-Rom on upscaled axes.
    case auto
}

/// Whose arithmetic a resize reproduces.
public enum ResizeCompatibility: String, Sendable, Hashable, CaseIterable {
    /// The generic separable engine: every filter, antialiased on downscale when
    /// ``ResizeParameters/antialias`` is set, exact premultiplied alpha.
    case none
    /// `cv2.resize` (OpenCV 4/5) bit for bit on UInt8 (±1 where OpenCV itself hands the work to
    /// Intel IPP): OpenCV's pixel-centre mapping `(x + 0.5)·scale − 0.5`, replicated borders,
    /// 11-bit fixed-point coefficients, no antialiasing.
    case opencv
    /// Pillow's `Image.resize`: support widened by the downscale factor, weights normalised
    /// per output pixel, 22-bit fixed point and an 8-bit intermediate image after the
    /// horizontal pass, RGBA/LA premultiplied with Pillow's rounding.
    case pillow
}

/// How 2- and 4-channel images treat their last (alpha) channel.
public enum ResizeAlphaMode: String, Sendable, Hashable, CaseIterable {
    /// `.none`: premultiply; `.pillow`: Pillow's own 8-bit premultiplication for RGBA/LA
    /// (as `Image.resize` does); `.opencv`: channels independent (as `cv2.resize` does).
    case automatic
    /// Colour channels are multiplied by alpha before filtering and divided after, in Float,
    /// so edges of transparent areas do not darken.
    case premultiply
    /// Every channel is filtered on its own.
    case independent
}

/// What size the output has.
public enum ResizeTarget: Sendable, Hashable {
    /// Exactly `width`×`height`.
    case size(width: Int, height: Int)
    /// Input size times the factors, rounded to nearest (ties to even, like `cvRound` and
    /// Python's `round`). With `.opencv` the factors are also the mapping scale, as
    /// `cv2.resize(src, None, fx=x, fy=y)` does.
    case scale(x: Double, y: Double)
    /// The largest size with the input's aspect ratio that fits inside `width`×`height`.
    case fit(width: Int, height: Int)
    /// Scale to cover `width`×`height` keeping the aspect ratio, then crop the centre to
    /// exactly `width`×`height`.
    case fill(width: Int, height: Int)
}

/// Parameters of ``CVCore/Image/resized(to:parameters:)``.
///
/// Presets: ``quality`` (the default), ``opencv(_:)`` and ``pillow(_:)``.
public struct ResizeParameters: Sendable, Hashable {
    /// The kernel. Default `.auto`.
    public var filter: ResizeFilter
    /// Whose arithmetic to reproduce. Default `.none`.
    public var compatibility: ResizeCompatibility
    /// Generic engine only: widen the kernel by the downscale factor so downscaling does not
    /// alias. Default `true`.
    public var antialias: Bool
    /// Alpha handling for 2- and 4-channel images. Default `.automatic`.
    public var alpha: ResizeAlphaMode

    /// - Parameters:
    ///   - filter: default `.auto`.
    ///   - compatibility: default `.none`.
    ///   - antialias: default `true` (generic engine only).
    ///   - alpha: default `.automatic`.
    public init(filter: ResizeFilter = .auto, compatibility: ResizeCompatibility = .none,
                antialias: Bool = true, alpha: ResizeAlphaMode = .automatic) {
        self.filter = filter
        self.compatibility = compatibility
        self.antialias = antialias
        self.alpha = alpha
    }

    /// The quality default: antialiased Lanczos-3 where an axis shrinks, Catmull-Rom where it
    /// grows, premultiplied alpha.
    public static let quality = ResizeParameters()

    /// `cv2.resize(..., interpolation=...)`: `.nearest`, `.nearestExact`, `.bilinear`,
    /// `.bicubic`, `.area` or `.lanczos4`.
    public static func opencv(_ filter: ResizeFilter) -> ResizeParameters {
        ResizeParameters(filter: filter, compatibility: .opencv)
    }

    /// `PIL.Image.resize(..., resample=...)`: `.nearest`, `.box`, `.bilinear`, `.hamming`,
    /// `.bicubic` or `.lanczos3`.
    public static func pillow(_ filter: ResizeFilter) -> ResizeParameters {
        ResizeParameters(filter: filter, compatibility: .pillow)
    }

    /// Filters each compatibility mode accepts.
    public static func supportedFilters(_ compatibility: ResizeCompatibility) -> [ResizeFilter] {
        switch compatibility {
        case .opencv: return [.nearest, .nearestExact, .bilinear, .bicubic, .area, .lanczos4]
        case .pillow: return [.nearest, .box, .bilinear, .hamming, .bicubic, .lanczos3]
        case .none: return ResizeFilter.allCases
        }
    }

    /// Throws `CVError.invalidParameter` when the filter is not offered by the mode.
    public func validate() throws {
        guard Self.supportedFilters(compatibility).contains(filter) else {
            throw CVError.invalidParameter(
                name: "filter",
                reason: "\(filter.rawValue) is not available with --compat \(compatibility.rawValue); use one of "
                    + Self.supportedFilters(compatibility).map(\.rawValue).joined(separator: ", "))
        }
    }
}

extension ResizeTarget {
    /// The output size (before any `fill` crop: the covering size) for an input of `w`×`h`.
    /// - Throws: `CVError.invalidParameter` for non-positive sizes or factors, an empty output,
    ///   or an output (the covering size for `fill`) beyond `ImageLimits` (262,144 pixels a
    ///   side, 2²⁸ in all), naming `width`, `height`, `scale` or `size`.
    public func outputSize(inputWidth w: Int, inputHeight h: Int) throws -> (width: Int, height: Int) {
        let size = try unlimitedOutputSize(inputWidth: w, inputHeight: h)
        switch self {
        case .scale:
            try ImageLimits.checkOutput(width: size.width, height: size.height, widthName: "scale", heightName: "scale",
                                        totalName: "scale")
        case .size, .fit, .fill:
            try ImageLimits.checkOutput(width: size.width, height: size.height, widthName: "width", heightName: "height",
                                        totalName: "size")
        }
        return size
    }

    /// ``outputSize(inputWidth:inputHeight:)`` before the size limits (each side still fits an `Int`).
    private func unlimitedOutputSize(inputWidth w: Int, inputHeight h: Int) throws -> (width: Int, height: Int) {
        func positive(_ v: Int, _ name: String) throws {
            guard v >= 1 else { throw CVError.invalidParameter(name: name, reason: "must be at least 1, got \(v)") }
        }
        func limit(_ v: Double, _ name: String) throws -> Int {
            guard v.isFinite, v < Double(1 << 30) else { throw CVError.invalidParameter(name: name, reason: "output too large") }
            let r = Int(v.rounded(.toNearestOrEven))
            guard r >= 1 else {
                throw CVError.invalidParameter(name: name, reason: "the output would be empty (\(v) rounds to \(r))")
            }
            return r
        }
        /// `v` rounded half away from zero, refused beyond any size the limits could allow.
        func whole(_ v: Double, _ name: String) throws -> Int {
            guard v < Double(1 << 30) else { throw CVError.invalidParameter(name: name, reason: "output too large") }
            return Int(v.rounded())
        }
        switch self {
        case let .size(width, height):
            try positive(width, "width"); try positive(height, "height")
            return (width, height)
        case let .scale(x, y):
            guard x > 0, y > 0, x.isFinite, y.isFinite else {
                throw CVError.invalidParameter(name: "scale", reason: "factors must be positive and finite, got \(x), \(y)")
            }
            return (try limit(Double(w) * x, "scale"), try limit(Double(h) * y, "scale"))
        case let .fit(width, height):
            try positive(width, "width"); try positive(height, "height")
            let s = min(Double(width) / Double(w), Double(height) / Double(h))
            return (min(width, max(1, try whole(Double(w) * s, "width"))), min(height, max(1, try whole(Double(h) * s, "height"))))
        case let .fill(width, height):
            try positive(width, "width"); try positive(height, "height")
            let s = max(Double(width) / Double(w), Double(height) / Double(h))
            return (max(width, try whole(Double(w) * s, "width")), max(height, try whole(Double(h) * s, "height")))
        }
    }
}
