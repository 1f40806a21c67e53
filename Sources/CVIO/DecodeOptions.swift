import CCodecs
import CVCore

/// Size limits checked from a file's header before any large allocation.
///
/// Defaults: 262,144 pixels wide or high at most and 2^28 (268 million) pixels in all,
/// enough for any camera and small enough that a hostile header cannot exhaust memory.
public struct DecodeLimits: Sendable, Hashable {
    /// Maximum width in pixels (default 262,144).
    public var maxWidth: Int
    /// Maximum height in pixels (default 262,144).
    public var maxHeight: Int
    /// Maximum width × height (default 2^28).
    public var maxPixels: Int

    public init(maxWidth: Int = 1 << 18, maxHeight: Int = 1 << 18, maxPixels: Int = 1 << 28) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
    }

    /// No limits beyond what the formats themselves allow. Only for trusted input.
    public static let unlimited = DecodeLimits(maxWidth: Int.max, maxHeight: Int.max, maxPixels: Int.max)

    func check(width: Int, height: Int, source: String) throws {
        guard width > 0, height > 0 else {
            throw CVError.decoding(source: source, reason: "image has zero width or height (\(width)x\(height))")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if width > maxWidth || height > maxHeight || overflow || pixels > maxPixels {
            throw CVError.limitExceeded(
                source: source, reason: "\(width)x\(height) exceeds the decode limits (max \(maxWidth)x\(maxHeight), \(maxPixels) pixels)")
        }
    }

    var c: cc_limits {
        cc_limits(max_width: UInt64(clamping: maxWidth), max_height: UInt64(clamping: maxHeight), max_pixels: UInt64(clamping: maxPixels))
    }

    /// Reads a file's header under these limits with a codec's `cc_*_read_info` (PNG, JPEG).
    /// - Throws: the `CVError` that the codec's status stands for (see `check` in CodecSupport).
    func readInfo<Info>(_ bytes: [UInt8], _ empty: Info, source: String, format: String,
                        _ read: (UnsafePointer<UInt8>?, Int, cc_limits, UnsafeMutablePointer<Info>?,
                                 UnsafeMutablePointer<cc_error>?) -> Int32) throws -> Info {
        var info = empty
        var err = cc_error()
        let rc = bytes.withUnsafeBufferPointer { read($0.baseAddress, $0.count, c, &info, &err) }
        try CVIO.check(rc, err, source: source, format: format)
        return info
    }
}

/// What to do with a JPEG's EXIF orientation tag.
public enum OrientationHandling: String, Sendable, Hashable {
    /// Rotate/flip the pixels upright (the default, as Pillow's `ImageOps.exif_transpose` and
    /// OpenCV's `imread` do).
    case apply
    /// Read and report the tag in ``DecodedImage/orientation`` but leave pixels as stored.
    case report
    /// Do not read the tag (``DecodedImage/orientation`` is 1).
    case ignore
}

/// How PNM samples with a maxval other than 255 or 65535 become pixel values.
public enum PNMScaling: String, Sendable, Hashable {
    /// Exactly what `cv2.imread(path, IMREAD_UNCHANGED)` returns: maxval ≤ 255 gives 8-bit,
    /// larger gives 16-bit; plain (ASCII) files with maxval < 255 are rescaled with
    /// `⌊v · 255 / maxval⌋`, raw (binary) files and maxval > 255 keep the stored values.
    case opencv
    /// Full range whatever the encoding: `round(v · 255 / maxval)` for maxval ≤ 255,
    /// `round(v · 65535 / maxval)` above (the Netpbm reading of maxval).
    case fullRange
}

/// Options for ``ImageIO/decode(_:source:options:)``.
public struct DecodeOptions: Sendable, Hashable {
    /// Size limits (default ``DecodeLimits/init(maxWidth:maxHeight:maxPixels:)`` defaults).
    public var limits: DecodeLimits
    /// EXIF orientation handling (default ``OrientationHandling/apply``).
    public var orientation: OrientationHandling
    /// PNM maxval handling (default ``PNMScaling/opencv``).
    public var pnmScaling: PNMScaling

    public init(limits: DecodeLimits = DecodeLimits(), orientation: OrientationHandling = .apply, pnmScaling: PNMScaling = .opencv) {
        self.limits = limits
        self.orientation = orientation
        self.pnmScaling = pnmScaling
    }
}

/// A decoded image and what the file said about it.
public struct DecodedImage: Sendable {
    public var image: AnyImage
    public var format: ImageFormat
    /// Bits per sample as stored in the file (1, 2, 4, 8, 16, or 32/64 for NPY floats).
    public var sourceBitDepth: Int
    /// EXIF orientation 1–8 as stored (1 when absent, ignored, or not a JPEG).
    public var orientation: Int
    /// True when the pixels were rotated/flipped to undo ``orientation``.
    public var orientationApplied: Bool
}

/// What a file's header says, without decoding its pixels.
public struct ImageHeader: Sendable, Hashable {
    public var format: ImageFormat
    /// Width and height as stored (before EXIF orientation).
    public var width: Int
    public var height: Int
    /// Channels the decoder will return.
    public var channels: Int
    /// Bits per sample as stored.
    public var bitDepth: Int
    /// EXIF orientation 1–8 (1 when absent).
    public var orientation: Int
    /// A short description of the stored colour layout ("palette", "YCbCr 4:2:0", ...).
    public var colorModel: String
}

/// Options for ``ImageIO/encode(_:as:options:target:)``.
///
/// Defaults match OpenCV's `imencode`: PNG zlib level 1, RLE strategy, the Sub row filter; JPEG quality 95
/// with 4:2:0 chroma subsampling, baseline, no Huffman optimisation.
public struct EncodeOptions: Sendable, Hashable {
    /// zlib level 0–9 (default 1, OpenCV's `IMWRITE_PNG_COMPRESSION` default).
    public var pngCompressionLevel: Int
    /// zlib strategy: 0 default, 1 filtered, 2 Huffman only, 3 RLE, 4 fixed (default 3, OpenCV's).
    public var pngStrategy: Int
    /// PNG row filters as a libpng `PNG_FILTER_*` mask (default 0x10, Sub only, as OpenCV at its
    /// default level), or -1 to let libpng try all five filters per row (smaller, slower).
    public var pngFilters: Int
    /// JPEG quality 1–100 (default 95, OpenCV's).
    public var jpegQuality: Int
    /// Write a progressive JPEG (default false).
    public var jpegProgressive: Bool
    /// Chroma subsampling (default 4:2:0).
    public var jpegSubsampling: ChromaSubsampling
    /// Optimised Huffman tables (default false, as OpenCV).
    public var jpegOptimize: Bool

    public enum ChromaSubsampling: Int, Sendable, Hashable {
        case s444 = 444, s422 = 422, s420 = 420
    }

    public init(pngCompressionLevel: Int = 1, pngStrategy: Int = 3, pngFilters: Int = 0x10, jpegQuality: Int = 95,
                jpegProgressive: Bool = false, jpegSubsampling: ChromaSubsampling = .s420, jpegOptimize: Bool = false) {
        self.pngCompressionLevel = pngCompressionLevel
        self.pngStrategy = pngStrategy
        self.pngFilters = pngFilters
        self.jpegQuality = jpegQuality
        self.jpegProgressive = jpegProgressive
        self.jpegSubsampling = jpegSubsampling
        self.jpegOptimize = jpegOptimize
    }
}
