import CCodecs
import CVCore

/// PNG over libpng.
///
/// Decoding returns what `cv2.imread(path, cv2.IMREAD_UNCHANGED)` returns, in RGB(A) order
/// and keeping gray+alpha as 2 channels: palette → RGB (RGBA when tRNS is present), gray of
/// 1/2/4 bits → 8 bits scaled to 0…255, an RGB tRNS colour key → an alpha channel (a gray
/// key is ignored, as OpenCV does), 16-bit kept as
/// 16-bit. Adam7 interlacing is handled. Trailing chunks and IEND are validated.
public enum PNGCodec {
    public static func readHeader(_ bytes: [UInt8], source: String = "<memory>", limits: DecodeLimits = DecodeLimits()) throws -> ImageHeader {
        let info = try limits.readInfo(bytes, cc_png_info(), source: source, format: "PNG", cc_png_read_info)
        let models = [0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"]
        var model = models[Int(info.source_color_type)] ?? "?"
        if info.has_trns != 0 { model += " +tRNS" }
        if info.interlaced != 0 { model += ", Adam7" }
        return ImageHeader(format: .png, width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
                           bitDepth: Int(info.source_bit_depth), orientation: 1, colorModel: model)
    }

    /// Decodes a PNG held in memory.
    /// - Throws: `CVError.decoding` with libpng's message for corrupt or truncated data,
    ///   `CVError.limitExceeded` when the header exceeds `limits` (checked before allocation).
    public static func decode(_ bytes: [UInt8], source: String = "<memory>", limits: DecodeLimits = DecodeLimits()) throws -> DecodedImage {
        var info = try limits.readInfo(bytes, cc_png_info(), source: source, format: "PNG", cc_png_read_info)
        var err = cc_error()
        let w = Int(info.width), h = Int(info.height), c = Int(info.channels)
        try limits.check(width: w, height: h, source: source)
        let image: AnyImage
        let rc: Int32
        if info.bit_depth == 16 {
            var img = Image<UInt16>.uninitialized(width: w, height: h, channels: c)
            rc = img.withUnsafeMutablePixels { p, stride in
                bytes.withUnsafeBufferPointer {
                    cc_png_decode($0.baseAddress, $0.count, limits.c, UnsafeMutableRawPointer(p).assumingMemoryBound(to: UInt8.self),
                                  stride * 2, &info, &err)
                }
            }
            image = .uint16(img)
        } else {
            var img = Image<UInt8>.uninitialized(width: w, height: h, channels: c)
            rc = img.withUnsafeMutablePixels { p, stride in
                bytes.withUnsafeBufferPointer { cc_png_decode($0.baseAddress, $0.count, limits.c, p, stride, &info, &err) }
            }
            image = .uint8(img)
        }
        try check(rc, err, source: source, format: "PNG")
        return DecodedImage(image: image, format: .png, sourceBitDepth: Int(info.source_bit_depth), orientation: 1, orientationApplied: false)
    }

    /// Encodes an 8- or 16-bit image with 1–4 channels (Float images are converted to 16-bit by the caller).
    public static func encode<P: PixelScalar>(_ image: Image<P>, options: EncodeOptions = EncodeOptions(), target: String = "<memory>") throws -> [UInt8] {
        guard P.depth != .float32 else {
            throw CVError.encoding(target: target, reason: "PNG holds 8- or 16-bit samples; convert Float images first")
        }
        guard (0...9).contains(options.pngCompressionLevel) else {
            throw CVError.invalidParameter(name: "pngCompressionLevel", reason: "must be 0...9, got \(options.pngCompressionLevel)")
        }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var err = cc_error()
        let rc = image.withUnsafePixels { p, stride in
            cc_png_encode(UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), UInt32(image.width), UInt32(image.height),
                          stride * MemoryLayout<P>.size, Int32(image.channels), Int32(P.depth.bits),
                          Int32(options.pngCompressionLevel), Int32(options.pngStrategy), Int32(options.pngFilters), &out, &size, &err)
        }
        try check(rc, err, source: target, format: "PNG")
        return takeBuffer(out, size)
    }
}
