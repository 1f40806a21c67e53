import CKernels
import CVCore

/// Parameters of ``CVCore/Image/medianFiltered(_:)``.
///
/// Presets (which conventions the border follows; the median itself is the same everywhere):
/// - ``opencv(size:)``: `cv2.medianBlur(src, size)`, border `BORDER_REPLICATE`. The default.
/// - ``scipy(size:mode:)``: `scipy.ndimage.median_filter(image, size=(size, size[, 1]))`,
///   default mode `reflect` (``BorderMode/reflect``).
/// - ``scikitImage(size:)``: `skimage.filters.median(image, np.ones((size, size)))`, default
///   mode `nearest` (``BorderMode/replicate``).
public struct MedianParameters: Sendable, Hashable {
    /// Window side, odd: the median of `size × size` samples. Default: 3. UInt8 images take any
    /// odd size up to ``maxSize``; UInt16 and Float images take 3 or 5 (as `cv2.medianBlur`).
    public var size: Int
    /// Border handling. Default: ``BorderMode/replicate`` (OpenCV's only border for medianBlur).
    public var border: BorderMode

    /// - Parameters: see the properties; defaults size 3, replicate border.
    public init(size: Int = 3, border: BorderMode = .replicate) {
        self.size = size
        self.border = border
    }

    /// `cv2.medianBlur(src, size)`: replicate border.
    public static func opencv(size: Int) -> MedianParameters { MedianParameters(size: size, border: .replicate) }

    /// `scipy.ndimage.median_filter(image, size=…, mode=…)`; SciPy's default mode `reflect` is
    /// ``BorderMode/reflect`` (`mirror` ↔ ``BorderMode/reflect101``, `nearest` ↔
    /// ``BorderMode/replicate``, `constant` ↔ ``BorderMode/constant(_:)``, `wrap` ↔ ``BorderMode/wrap``).
    public static func scipy(size: Int, mode: BorderMode = .reflect) -> MedianParameters {
        MedianParameters(size: size, border: mode)
    }

    /// `skimage.filters.median(image, footprint=np.ones((size, size)))`, whose default mode is
    /// `nearest` (``BorderMode/replicate``).
    public static func scikitImage(size: Int) -> MedianParameters { MedianParameters(size: size, border: .replicate) }

    /// Largest window side: 255, so a window's 65,025 samples fit the histograms' 16-bit counters.
    public static let maxSize = 255

    /// Checks the size on its own, naming it as written in ``init(size:border:)``.
    /// ``CVCore/Image/medianFiltered(_:)`` also refuses sizes above 5 on UInt16 and Float images.
    /// - Throws: `CVError.invalidParameter` naming `size` (not a positive odd number up to ``maxSize``).
    public func validate() throws {
        guard size > 0, size % 2 == 1 else {
            throw CVError.invalidParameter(name: "size", reason: "must be a positive odd number, got \(size)")
        }
        guard size <= Self.maxSize else {
            throw CVError.invalidParameter(name: "size", reason: "must be at most \(Self.maxSize), got \(size)")
        }
    }
}

extension Image {
    /// Median filter: each sample becomes the median of the `size × size` window around it,
    /// every channel on its own.
    ///
    /// Equals `cv2.medianBlur(src, size)` sample for sample (the median of a window is exact, so
    /// there is no rounding to differ), and with the ``MedianParameters/scipy(size:mode:)`` or
    /// ``MedianParameters/scikitImage(size:)`` preset `scipy.ndimage.median_filter` /
    /// `skimage.filters.median` with a square footprint. Windows of 3 and 5 go through sorting
    /// networks on whole rows (the rows first sorted column by column, then a network of 12 or
    /// 146 min/max per window, vectorised; the 8-bit 3×3 makes two output rows per pass from
    /// the image rows in place, sharing their two common rows); larger 8-bit windows through
    /// the constant-time histogram method, whose cost per pixel does not grow with the size.
    ///
    /// `self`: UInt8 (any odd size up to 255), UInt16 or Float (size 3 or 5), 1–4 channels.
    ///
    /// - Parameters:
    ///   - parameters: window size and border (defaults: 3, replicate — OpenCV's).
    /// - Returns: an image of the same size, channel count and sample type.
    /// - Throws: `CVError.invalidParameter` naming `size` when ``MedianParameters/validate()``
    ///   refuses it, or when it is above 5 on a UInt16 or Float image.
    /// - Complexity: O(width·height·channels) for sizes 3 and 5 (a fixed network) and for larger
    ///   8-bit sizes (Perreault–Hébert: O(1) per pixel, plus O(size) per row and tile); rows run in
    ///   parallel stripes.
    ///
    /// Conventions: the window is centred; Float NaNs make the result unspecified.
    /// References: OpenCV `imgproc/src/median_blur.dispatch.cpp`; S. Perreault and P. Hébert,
    /// "Median Filtering in Constant Time", IEEE TIP 16(9), 2007, doi:10.1109/TIP.2007.902329;
    /// K. E. Batcher, "Sorting networks and their applications", AFIPS 1968.
    public func medianFiltered(_ parameters: MedianParameters = MedianParameters()) throws -> Image<Pixel> {
        try parameters.validate()
        let k = parameters.size
        if k == 1 || width == 0 || height == 0 { return copy() }
        switch self {
        case let u8 as Image<UInt8>:
            if k == 3 { return median3x3(u8, border: parameters.border) as! Image<Pixel> }
            if k <= 5 { return medianNetwork(u8, size: k, border: parameters.border, kernel: ck_median_net_u8) as! Image<Pixel> }
            return medianHistogram(u8, size: k, border: parameters.border) as! Image<Pixel>
        case let u16 as Image<UInt16>:
            try Self.checkNetworkSize(k)
            return medianNetwork(u16, size: k, border: parameters.border, kernel: ck_median_net_u16) as! Image<Pixel>
        case let f as Image<Float>:
            try Self.checkNetworkSize(k)
            return medianNetwork(f, size: k, border: parameters.border, kernel: ck_median_net_f32) as! Image<Pixel>
        default:
            throw CVError.unsupported(source: "image", reason: "no median filter for \(Pixel.self) samples")
        }
    }

    private static func checkNetworkSize(_ k: Int) throws {
        guard k <= 5 else {
            throw CVError.invalidParameter(
                name: "size", reason: "must be 3 or 5 for \(Pixel.depth.bits)-bit samples (as cv2.medianBlur), got \(k); "
                    + "larger windows need an 8-bit image")
        }
    }
}
