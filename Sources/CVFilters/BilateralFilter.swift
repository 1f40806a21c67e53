import CVCore
import Foundation

/// Parameters of ``CVCore/Image/bilateralFiltered(_:)``: `cv2.bilateralFilter(src, d,
/// sigmaColor, sigmaSpace, borderType)`.
public struct BilateralParameters: Sendable, Hashable {
    /// How to filter.
    public enum Method: Sendable, Hashable {
        /// `cv2.bilateralFilter` itself: every pixel of the disc of radius d/2, O(d²) per pixel.
        case exact
        /// The bilateral-grid approximation (``CVCore/Image/bilateralFiltered(_:)`` describes
        /// it and its error): O(1) per pixel, cost flat or falling as the diameter and σ_space
        /// grow; up to d = 5 the exact filter, which is cheaper there.
        case fastApproximate
    }

    /// Window diameter d, odd: the disc of radius d/2 around each pixel. Default: 9. `0` derives
    /// the radius from ``sigmaSpace`` as OpenCV does for d ≤ 0: round(1.5·σ_space), at least 1.
    public var diameter: Int
    /// Standard deviation of the colour (range) weight, in sample units (0…255 for UInt8).
    /// Default: 75.
    public var sigmaColor: Double
    /// Standard deviation of the spatial weight, in pixels. Default: 75.
    public var sigmaSpace: Double
    /// Border handling. Default: ``BorderMode/reflect101`` (OpenCV's default).
    public var border: BorderMode
    /// Default: ``Method/exact``.
    public var method: Method

    /// - Parameters: see the properties; defaults d = 9, σ_color = σ_space = 75, reflect101, exact.
    public init(diameter: Int = 9, sigmaColor: Double = 75, sigmaSpace: Double = 75, border: BorderMode = .reflect101,
                method: Method = .exact) {
        self.diameter = diameter
        self.sigmaColor = sigmaColor
        self.sigmaSpace = sigmaSpace
        self.border = border
        self.method = method
    }

    /// Largest diameter (given, or derived from σ_space) of the exact method: 65, 3,300 taps
    /// per pixel. ``Method/fastApproximate`` costs the same whatever the diameter is.
    public static let maxExactDiameter = 65
    /// Largest diameter and σ (colour or space) either method accepts: 4,096.
    public static let maxValue = 4_096.0

    /// Whether ``Method/fastApproximate`` runs the bilateral grid: up to radius 2 (d ≤ 5) the
    /// exact filter is cheaper than any grid (its cells would be 2 pixels; docs/performance.md)
    /// and runs instead.
    var usesGrid: Bool { method == .fastApproximate && radius > 2 }

    /// The window radius OpenCV uses: d/2 for d > 0, else round(1.5·σ_space), at least 1.
    public var radius: Int {
        let r = diameter > 0 ? diameter / 2 : Int((sigmaSpace * 1.5).rounded(.toNearestOrEven))
        return max(r, 1)
    }

    /// Checks every parameter, naming it as written in ``init(diameter:sigmaColor:sigmaSpace:border:method:)``.
    /// - Throws: `CVError.invalidParameter` naming `diameter` (negative, even, or above
    ///   ``maxValue``; above ``maxExactDiameter`` for the exact method), `sigmaColor` or
    ///   `sigmaSpace` (NaN, infinite, ≤ 0, above ``maxValue``), or `sigmaSpace` when d = 0 derives
    ///   an exact window wider than ``maxExactDiameter``.
    public func validate() throws {
        for (name, value) in [("sigmaColor", sigmaColor), ("sigmaSpace", sigmaSpace)] {
            guard value.isFinite, value > 0 else {
                throw CVError.invalidParameter(name: name, reason: "must be finite and > 0, got \(value)")
            }
            guard value <= Self.maxValue else {
                throw CVError.invalidParameter(name: name, reason: "must be at most \(Int(Self.maxValue)), got \(value)")
            }
        }
        guard diameter >= 0, diameter == 0 || diameter % 2 == 1 else {
            throw CVError.invalidParameter(
                name: "diameter", reason: "must be 0 (derive from sigmaSpace) or a positive odd number, got \(diameter)")
        }
        guard Double(diameter) <= Self.maxValue else {
            throw CVError.invalidParameter(name: "diameter", reason: "must be at most \(Int(Self.maxValue)), got \(diameter)")
        }
        if method == .exact, 2 * radius + 1 > Self.maxExactDiameter {
            throw CVError.invalidParameter(
                name: diameter > 0 ? "diameter" : "sigmaSpace",
                reason: "needs a window of \(2 * radius + 1) pixels; the exact method takes at most \(Self.maxExactDiameter) "
                    + "(method .fastApproximate costs the same whatever the window is)")
        }
    }
}

/// OpenCV's tables for one bilateral filter: the disc's taps with their spatial weights
/// (`bilateral_filter.dispatch.cpp`). Float images leave out the centre tap, whose weight
/// OpenCV adds as 1 at the end.
struct BilateralTaps {
    var radius: Int
    var ty: [Int32] = [], tx: [Int32] = []
    var space: [Float] = []

    init(radius r: Int, sigmaSpace: Double, depth: PixelDepth) {
        radius = r
        // OpenCV rounds the coefficient to Float for 8-bit images, keeps it Double for Float ones.
        let coefficient = -0.5 / (sigmaSpace * sigmaSpace)
        let c = depth == .uint8 ? Double(Float(coefficient)) : coefficient
        for i in -r...r {
            for j in -r...r {
                let d = (Double(i * i) + Double(j * j)).squareRoot()
                if d > Double(r) || (depth != .uint8 && i == 0 && j == 0) { continue }
                space.append(Float(exp(d * d * c)))
                ty.append(Int32(i + r)); tx.append(Int32(j + r))
            }
        }
    }

    /// OpenCV's unrolled vector path for 8-bit gray windows of 13 taps (radius 2) visits the rows
    /// in the order 0, 4, 1, 3, 2: the same sums in another order, so the same order here.
    var vectorOrder: [Int32]? {
        guard space.count == 13 else { return nil }
        return [0, 12, 1, 2, 3, 9, 10, 11, 4, 5, 6, 7, 8]
    }
}

extension Image {
    /// Bilateral filter: each pixel becomes the mean of the disc around it weighted by distance
    /// (σ_space) and by colour difference (σ_color), so edges stay sharp while flat areas smooth.
    ///
    /// The ``BilateralParameters/Method/exact`` method is `cv2.bilateralFilter` with its tables
    /// and arithmetic: radius d/2 (or round(1.5·σ_space) for d = 0), Float spatial weights over the
    /// disc, and for 8-bit images a colour weight table indexed by the absolute difference
    /// summed over the channels, Float sums with fused multiply-adds, rounding ties to even —
    /// outputs identical to OpenCV's on the fixtures. Float images use OpenCV's 4096-bins-per-
    /// channel table over the image's value range with linear interpolation (relative error
    /// ~1e-7 against OpenCV).
    ///
    /// ``BilateralParameters/Method/fastApproximate`` is Paris & Durand's signal-processing
    /// approximation on a bilateral grid (Chen, Paris & Durand): the pixels are splatted into a
    /// grid subsampled in space (a cell of about 1.7 × the exact window's spatial spread) and in
    /// range (one level per σ_color, at most 64), the grid is blurred by a 3-D Gaussian sized so
    /// that splat, blur and slice together spread as far as the exact window and σ_color, and each
    /// pixel reads back (slices) the blurred weighted sum over the blurred weight, interpolated
    /// linearly in space and range. Colour images take the sum of their channels as the value the
    /// colour weight compares (a lower bound of OpenCV's summed difference). Its error against the
    /// exact filter is in `docs/fidelity.md`. Up to radius 2 (d ≤ 5) the exact filter runs
    /// instead: it is faster there.
    ///
    /// `self`: UInt8 or Float image, 1 or 3 channels (as OpenCV).
    ///
    /// - Parameters:
    ///   - parameters: diameter, σ_color, σ_space, border, method (defaults d = 9, σ 75/75,
    ///     reflect101, exact).
    /// - Returns: an image of the same size, channel count and sample type.
    /// - Throws: `CVError.invalidParameter` for any value ``BilateralParameters/validate()``
    ///   refuses; `CVError.unsupported` for UInt16 images or 2 or 4 channels.
    /// - Complexity: exact: O(width·height·channels·d²); fast: O(width·height·channels) for the
    ///   splat and slice plus O(grid cells · taps) for the blur, where the grid has
    ///   (width·height / cell²) · levels cells: the cost stays flat (falls) as d and σ_space grow.
    ///   Rows run in parallel stripes (exact) or bands of grid rows (fast).
    ///
    /// References: C. Tomasi and R. Manduchi, "Bilateral Filtering for Gray and Color Images",
    /// ICCV 1998, doi:10.1109/ICCV.1998.710815; OpenCV `imgproc/src/bilateral_filter.dispatch.cpp`;
    /// S. Paris and F. Durand, "A Fast Approximation of the Bilateral Filter using a Signal
    /// Processing Approach", IJCV 81(1), 2009, doi:10.1007/s11263-007-0110-8 (ECCV 2006);
    /// J. Chen, S. Paris and F. Durand, "Real-time edge-aware image processing with the
    /// bilateral grid", SIGGRAPH 2007, doi:10.1145/1275808.1276506.
    public func bilateralFiltered(_ parameters: BilateralParameters = BilateralParameters()) throws -> Image<Pixel> {
        try parameters.validate()
        guard channels == 1 || channels == 3 else {
            throw CVError.unsupported(source: "image", reason: "the bilateral filter takes 1 or 3 channels, got \(channels)")
        }
        if width == 0 || height == 0 { return copy() }
        switch self {
        case let u8 as Image<UInt8>:
            if parameters.usesGrid { return try bilateralFast(u8, parameters) as! Image<Pixel> }
            return bilateralExactUInt8(u8, parameters) as! Image<Pixel>
        case let f as Image<Float>:
            if parameters.usesGrid { return try bilateralFast(f, parameters) as! Image<Pixel> }
            return bilateralExactFloat(f, parameters) as! Image<Pixel>
        default:
            throw CVError.unsupported(source: "image", reason: "the bilateral filter takes UInt8 or Float samples (as OpenCV)")
        }
    }
}
