import CVCore

/// OpenCV's Canny convention (`cv2.Canny`), optionally after a Gaussian pre-blur and with
/// automatic thresholds. Every field documents its default; `OpenCVCanny()` is the photo
/// default of ``CannyParameters/init()``.
public struct OpenCVCanny: Sendable, Hashable {
    /// Low hysteresis threshold on the Sobel magnitude (`|dx| + |dy|`, or `√(dx² + dy²)` with
    /// ``l2Gradient``). Default `nil`: chosen by ``autoThreshold``. Must be finite and ≥ 0.
    public var low: Double?
    /// High hysteresis threshold; see ``low``. Default `nil`. Must not be below ``low``.
    public var high: Double?
    /// Sobel aperture: 3, 5 or 7. Default 3.
    public var aperture: Int
    /// Use `√(dx² + dy²)` instead of `|dx| + |dy|`. Default `false`.
    public var l2Gradient: Bool
    /// Gaussian pre-blur σ (``CVCore/Image/gaussianBlurred(_:)`` with OpenCV's kernel); 0 means none.
    /// Default 1.4 (the photo default); ``CannyParameters/opencv(low:high:aperture:l2Gradient:)``
    /// sets 0, as `cv2.Canny` does not blur.
    public var sigma: Double
    /// How missing thresholds are chosen from the (pre-blurred) 8-bit image.
    /// Default `.median(spread: 0.33)`.
    public var autoThreshold: CannyParameters.AutoThreshold

    /// - Parameters: as the fields, with their defaults.
    public init(low: Double? = nil, high: Double? = nil, aperture: Int = 3, l2Gradient: Bool = false,
                sigma: Double = 1.4, autoThreshold: CannyParameters.AutoThreshold = .median(spread: 0.33)) {
        self.low = low
        self.high = high
        self.aperture = aperture
        self.l2Gradient = l2Gradient
        self.sigma = sigma
        self.autoThreshold = autoThreshold
    }
}

/// scikit-image's Canny convention (`skimage.feature.canny`). Every field documents its default.
public struct ScikitImageCanny: Sendable, Hashable {
    /// Gaussian pre-blur σ (SciPy taps, truncate 4). Default 1. Must be finite and ≥ 0.
    public var sigma: Double
    /// Low threshold in the image's own units (divided by 255 for UInt8 and 65535 for UInt16,
    /// as skimage does), or a quantile in [0, 1] with ``useQuantiles``. Default `nil`: 0.1.
    public var low: Double?
    /// High threshold; see ``low``. Default `nil`: 0.2.
    public var high: Double?
    /// ``low`` and ``high`` are quantiles of the gradient magnitude. Default `false`.
    public var useQuantiles: Bool
    /// Border mode of the pre-blur (`mode`). Default `.constant(0)`, with skimage's bleed-over
    /// normalisation.
    public var mode: BorderMode

    /// - Parameters: as the fields, with their defaults.
    public init(sigma: Double = 1, low: Double? = nil, high: Double? = nil, useQuantiles: Bool = false,
                mode: BorderMode = .constant(0)) {
        self.sigma = sigma
        self.low = low
        self.high = high
        self.useQuantiles = useQuantiles
        self.mode = mode
    }
}

/// Parameters of ``CVCore/Image/cannyEdges(_:mask:)``: one of the anchors' conventions, each
/// carrying only its own fields.
///
/// Build them with the presets:
/// - ``opencv(low:high:aperture:l2Gradient:)``: `cv2.Canny(image, low, high, apertureSize, L2gradient)`
///   — no pre-blur, thresholds on the Sobel magnitude.
/// - ``scikitImage(sigma:low:high:useQuantiles:mode:)``: `skimage.feature.canny` — Gaussian
///   pre-blur, thresholds on the gradient of the [0, 1] image, optional quantile thresholds.
/// - The default ``init()`` is for photographs: OpenCV's Canny after a σ = 1.4 Gaussian, with
///   median-based automatic thresholds (``OpenCVCanny``'s defaults).
///
/// ``validate()`` checks the fields once; bad values throw `CVError.invalidParameter`, and
/// swapped thresholds are refused rather than swapped (OpenCV swaps them silently).
public struct CannyParameters: Sendable, Hashable {
    /// Which anchor's pipeline runs, with that pipeline's fields.
    public enum Convention: Sendable, Hashable {
        /// OpenCV: integer Sobel (replicate border), 8-bit fixed-point NMS with tan 22.5°
        /// sectors, thresholds on the magnitude, 8-connected hysteresis.
        case opencv(OpenCVCanny)
        /// scikit-image: Gaussian pre-blur with bleed-over correction, SciPy Sobel, bilinear NMS.
        case scikitImage(ScikitImageCanny)
    }

    /// How to choose thresholds when `low` / `high` are not given (OpenCV convention).
    public enum AutoThreshold: Sendable, Hashable {
        /// `low = (1 − spread)·m`, `high = (1 + spread)·m` (clamped to 0…255), where m is the
        /// median intensity of the (pre-blurred) 8-bit image. Default spread 0.33.
        case median(spread: Double)
        /// `high = t`, `low = t / 2`, where t is Otsu's threshold of the (pre-blurred) 8-bit image.
        case otsu
    }

    /// The pipeline and its fields. Default `.opencv(OpenCVCanny())`.
    public var convention: Convention

    /// The photo default: OpenCV pipeline, σ = 1.4 pre-blur, aperture 3, L1 magnitude,
    /// median-based automatic thresholds.
    public init() { convention = .opencv(OpenCVCanny()) }

    /// Parameters of the given convention.
    public init(_ convention: Convention) { self.convention = convention }

    /// `cv2.Canny(image, low, high, apertureSize=aperture, L2gradient=l2Gradient)`: no pre-blur.
    public static func opencv(low: Double, high: Double, aperture: Int = 3, l2Gradient: Bool = false) -> CannyParameters {
        CannyParameters(.opencv(OpenCVCanny(low: low, high: high, aperture: aperture, l2Gradient: l2Gradient, sigma: 0)))
    }

    /// `skimage.feature.canny(image, sigma, low_threshold, high_threshold, use_quantiles=…, mode=…)`.
    public static func scikitImage(sigma: Double = 1, low: Double? = nil, high: Double? = nil,
                                   useQuantiles: Bool = false, mode: BorderMode = .constant(0)) -> CannyParameters {
        CannyParameters(.scikitImage(ScikitImageCanny(sigma: sigma, low: low, high: high, useQuantiles: useQuantiles, mode: mode)))
    }

    /// Checks every field on its own (no image involved).
    /// - Throws: `CVError.invalidParameter` naming the first bad field: a σ that is negative or
    ///   not finite, a negative or non-finite threshold, `low > high`, an aperture other than
    ///   3, 5 or 7, or quantiles outside [0, 1].
    public func validate() throws { _ = try CannySpec(self) }
}

/// Validated parameters: what the pipelines read. Built once per call by ``CannySpec/init(_:)``.
enum CannySpec {
    case opencv(OpenCVCanny)
    case scikitImage(ScikitImageCanny)

    init(_ p: CannyParameters) throws {
        switch p.convention {
        case .opencv(let o):
            try Self.check(sigma: o.sigma, low: o.low, high: o.high)
            guard [3, 5, 7].contains(o.aperture) else {
                throw CVError.invalidParameter(name: "aperture", reason: "must be 3, 5 or 7, got \(o.aperture)")
            }
            self = .opencv(o)
        case .scikitImage(let s):
            try Self.check(sigma: s.sigma, low: s.low, high: s.high)
            if s.useQuantiles {
                let low = s.low ?? 0.1, high = s.high ?? 0.2
                guard (0...1).contains(low), (0...1).contains(high) else {
                    throw CVError.invalidParameter(name: "low/high", reason: "quantile thresholds must be in [0, 1], got \(low), \(high)")
                }
            }
            self = .scikitImage(s)
        }
    }

    /// The checks both conventions share.
    private static func check(sigma: Double, low: Double?, high: Double?) throws {
        guard sigma.isFinite, sigma >= 0 else {
            throw CVError.invalidParameter(name: "sigma", reason: "must be finite and >= 0, got \(sigma)")
        }
        for (name, v) in [("low", low), ("high", high)] {
            if let v, !(v.isFinite && v >= 0) {
                throw CVError.invalidParameter(name: name, reason: "threshold must be finite and >= 0, got \(v)")
            }
        }
        if let l = low, let h = high, l > h {
            throw CVError.invalidParameter(name: "low", reason: "low threshold \(l) is above high threshold \(h); swap them")
        }
    }
}

// MARK: - Deprecated flat fields

extension CannyParameters {
    /// The pipelines, without their fields. Use ``convention``.
    @available(*, deprecated, message: "use CannyParameters.Convention")
    public enum Preset: Sendable, Hashable {
        /// ``CannyParameters/Convention/opencv(_:)``.
        case opencv
        /// ``CannyParameters/Convention/scikitImage(_:)``.
        case scikitImage
    }

    /// Which pipeline runs. Setting it starts that convention from its defaults.
    @available(*, deprecated, renamed: "convention")
    public var preset: Preset {
        get { if case .opencv = convention { return .opencv } else { return .scikitImage } }
        set {
            guard newValue != preset else { return }
            convention = newValue == .opencv ? .opencv(OpenCVCanny()) : .scikitImage(ScikitImageCanny())
        }
    }

    /// The convention's `low`.
    @available(*, deprecated, message: "use convention: OpenCVCanny.low / ScikitImageCanny.low")
    public var low: Double? {
        get { switch convention { case .opencv(let o): o.low; case .scikitImage(let s): s.low } }
        set { update(opencv: { $0.low = newValue }, scikitImage: { $0.low = newValue }) }
    }

    /// The convention's `high`.
    @available(*, deprecated, message: "use convention: OpenCVCanny.high / ScikitImageCanny.high")
    public var high: Double? {
        get { switch convention { case .opencv(let o): o.high; case .scikitImage(let s): s.high } }
        set { update(opencv: { $0.high = newValue }, scikitImage: { $0.high = newValue }) }
    }

    /// The convention's `sigma`.
    @available(*, deprecated, message: "use convention: OpenCVCanny.sigma / ScikitImageCanny.sigma")
    public var sigma: Double {
        get { switch convention { case .opencv(let o): o.sigma; case .scikitImage(let s): s.sigma } }
        set { update(opencv: { $0.sigma = newValue }, scikitImage: { $0.sigma = newValue }) }
    }

    /// OpenCV only (3 for scikit-image).
    @available(*, deprecated, message: "use convention: OpenCVCanny.aperture")
    public var aperture: Int {
        get { if case .opencv(let o) = convention { o.aperture } else { 3 } }
        set { update(opencv: { $0.aperture = newValue }, scikitImage: { _ in }) }
    }

    /// OpenCV only (`false` for scikit-image).
    @available(*, deprecated, message: "use convention: OpenCVCanny.l2Gradient")
    public var l2Gradient: Bool {
        get { if case .opencv(let o) = convention { o.l2Gradient } else { false } }
        set { update(opencv: { $0.l2Gradient = newValue }, scikitImage: { _ in }) }
    }

    /// OpenCV only (the default for scikit-image).
    @available(*, deprecated, message: "use convention: OpenCVCanny.autoThreshold")
    public var autoThreshold: AutoThreshold {
        get { if case .opencv(let o) = convention { o.autoThreshold } else { .median(spread: 0.33) } }
        set { update(opencv: { $0.autoThreshold = newValue }, scikitImage: { _ in }) }
    }

    /// scikit-image only (`false` for OpenCV).
    @available(*, deprecated, message: "use convention: ScikitImageCanny.useQuantiles")
    public var useQuantiles: Bool {
        get { if case .scikitImage(let s) = convention { s.useQuantiles } else { false } }
        set { update(opencv: { _ in }, scikitImage: { $0.useQuantiles = newValue }) }
    }

    /// scikit-image only (`.constant(0)` for OpenCV).
    @available(*, deprecated, message: "use convention: ScikitImageCanny.mode")
    public var mode: BorderMode {
        get { if case .scikitImage(let s) = convention { s.mode } else { .constant(0) } }
        set { update(opencv: { _ in }, scikitImage: { $0.mode = newValue }) }
    }

    private mutating func update(opencv: (inout OpenCVCanny) -> Void, scikitImage: (inout ScikitImageCanny) -> Void) {
        switch convention {
        case .opencv(var o): opencv(&o); convention = .opencv(o)
        case .scikitImage(var s): scikitImage(&s); convention = .scikitImage(s)
        }
    }
}
