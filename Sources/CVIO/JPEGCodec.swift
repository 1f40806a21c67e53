import CCodecs
import CVCore

/// JPEG over libjpeg-turbo.
///
/// Decoding uses libjpeg's accurate integer IDCT (`JDCT_ISLOW`) and "fancy" (triangular)
/// chroma upsampling — the library defaults, which Pillow and OpenCV also use — so results
/// match Pillow's `Image.open(p).convert("RGB")` exactly with the same libjpeg-turbo build.
/// Gray files decode to 1 channel, everything else to RGB. CMYK and YCCK are converted to RGB
/// as Pillow does, `R = (255 − K)·(255 − C)/255`, after undoing Adobe's inverted storage.
/// A truncated scan or a corrupt Huffman code is an error (libjpeg would only warn and pad).
public enum JPEGCodec {
    public static func readHeader(_ bytes: [UInt8], source: String = "<memory>", limits: DecodeLimits = DecodeLimits()) throws -> ImageHeader {
        let info = try limits.readInfo(bytes, cc_jpeg_info(), source: source, format: "JPEG", cc_jpeg_read_info)
        let spaces: [Int32: String] = [1: "gray", 2: "RGB", 3: "YCbCr", 4: "CMYK", 5: "YCCK"]
        var model = spaces[info.jpeg_color_space] ?? "colour space \(info.jpeg_color_space)"
        if info.progressive != 0 { model += ", progressive" }
        return ImageHeader(format: .jpeg, width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
                           bitDepth: 8, orientation: Int(info.orientation), colorModel: model)
    }

    /// Decodes a JPEG held in memory, applying EXIF orientation unless told otherwise.
    /// - Throws: `CVError.decoding` with libjpeg's message, `CVError.limitExceeded` when the
    ///   header exceeds `limits`, `CVError.unsupported` for colour spaces other than gray,
    ///   YCbCr, RGB, CMYK and YCCK.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>", options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        let limits = options.limits
        var info = try limits.readInfo(bytes, cc_jpeg_info(), source: source, format: "JPEG", cc_jpeg_read_info)
        var err = cc_error()
        let w = Int(info.width), h = Int(info.height), c = Int(info.channels)
        try limits.check(width: w, height: h, source: source)
        var img = Image<UInt8>.uninitialized(width: w, height: h, channels: c)
        let rc = img.withUnsafeMutablePixels { p, stride in
            bytes.withUnsafeBufferPointer { cc_jpeg_decode($0.baseAddress, $0.count, limits.c, p, stride, &info, &err) }
        }
        try check(rc, err, source: source, format: "JPEG")
        let orientation = options.orientation == .ignore ? 1 : Int(info.orientation)
        var applied = false
        if options.orientation == .apply && orientation != 1 {
            img = img.orientedUpright(exifOrientation: orientation)
            applied = true
        }
        return DecodedImage(image: .uint8(img), format: .jpeg, sourceBitDepth: 8, orientation: orientation, orientationApplied: applied)
    }

    /// Encodes a gray or RGB 8-bit image (drop alpha first).
    public static func encode(_ image: Image<UInt8>, options: EncodeOptions = EncodeOptions(), target: String = "<memory>") throws -> [UInt8] {
        guard (1...100).contains(options.jpegQuality) else {
            throw CVError.invalidParameter(name: "quality", reason: "JPEG quality must be 1...100, got \(options.jpegQuality)")
        }
        guard image.channels == 1 || image.channels == 3 else {
            throw CVError.encoding(target: target, reason: "JPEG holds gray or RGB; this image has \(image.channels) channels (drop alpha first)")
        }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var err = cc_error()
        let rc = image.withUnsafePixels { p, stride in
            cc_jpeg_encode(p, UInt32(image.width), UInt32(image.height), stride, Int32(image.channels), Int32(options.jpegQuality),
                           options.jpegProgressive ? 1 : 0, Int32(options.jpegSubsampling.rawValue), options.jpegOptimize ? 1 : 0,
                           &out, &size, &err)
        }
        try check(rc, err, source: target, format: "JPEG")
        return takeBuffer(out, size)
    }
}
