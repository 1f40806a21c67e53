import CVCore

/// Format-independent image reading and writing. The format is detected from the content.
///
/// ```swift
/// let photo = try ImageIO.read(path: "photo.jpg")            // EXIF orientation applied
/// let gray = photo.image.asUInt8.grayscale()
/// try ImageIO.write(.uint8(gray), to: "gray.png")
/// ```
public enum ImageIO {
    /// Reads and decodes a file (PNG, JPEG, PNM or NPY).
    /// - Throws: `CVError.io` when the file cannot be read, otherwise as ``decode(_:source:options:)``.
    public static func read(path: String, options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        try decode(try FileIO.readAll(path), source: path, options: options)
    }

    /// Decodes an image held in memory; `source` names it in errors.
    /// - Throws: `CVError.decoding` (unknown format, corrupt or truncated data),
    ///   `CVError.limitExceeded` (header beyond `options.limits`), `CVError.unsupported`.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>", options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        guard !bytes.isEmpty else { throw CVError.decoding(source: source, reason: "file is empty") }
        switch ImageFormat.detect(bytes) {
        case .png: return try PNGCodec.decode(bytes, source: source, limits: options.limits)
        case .jpeg: return try JPEGCodec.decode(bytes, source: source, options: options)
        case .pnm: return try PNMCodec.decode(bytes, source: source, limits: options.limits, scaling: options.pnmScaling)
        case .npy:
            let array = try NPY.decode(bytes, source: source)
            let image = try array.toImage(source: source)
            try options.limits.check(width: image.width, height: image.height, source: source)
            return DecodedImage(image: image, format: .npy, sourceBitDepth: array.dtype.size * 8, orientation: 1, orientationApplied: false)
        case nil:
            throw CVError.decoding(source: source, reason: "unknown image format (not PNG, JPEG, PNM or NPY)")
        }
    }

    /// Reads only the header: size, channels, bit depth, orientation.
    public static func readHeader(path: String, limits: DecodeLimits = DecodeLimits()) throws -> ImageHeader {
        try header(of: try FileIO.readAll(path), source: path, limits: limits)
    }

    public static func header(of bytes: [UInt8], source: String = "<memory>", limits: DecodeLimits = DecodeLimits()) throws -> ImageHeader {
        guard !bytes.isEmpty else { throw CVError.decoding(source: source, reason: "file is empty") }
        switch ImageFormat.detect(bytes) {
        case .png: return try PNGCodec.readHeader(bytes, source: source, limits: limits)
        case .jpeg: return try JPEGCodec.readHeader(bytes, source: source, limits: limits)
        case .pnm: return try PNMCodec.readHeader(bytes, source: source, limits: limits)
        case .npy:
            let a = try NPY.decode(bytes, source: source)
            let (h, w, c) = try a.imageLayout(source: source)
            try limits.check(width: w, height: h, source: source)
            return ImageHeader(format: .npy, width: w, height: h, channels: c,
                               bitDepth: a.dtype.size * 8, orientation: 1, colorModel: a.dtype.descr)
        case nil:
            throw CVError.decoding(source: source, reason: "unknown image format (not PNG, JPEG, PNM or NPY)")
        }
    }

    /// Encodes an image. PNG and PNM keep 8 or 16 bits (Float is written as 16-bit);
    /// JPEG takes 8-bit gray or RGB (other depths converted, alpha dropped); NPY keeps the type.
    public static func encode(_ image: AnyImage, as format: ImageFormat, options: EncodeOptions = EncodeOptions(), target: String = "<memory>") throws -> [UInt8] {
        switch format {
        case .png:
            switch image {
            case .uint8(let i): return try PNGCodec.encode(i, options: options, target: target)
            case .uint16(let i): return try PNGCodec.encode(i, options: options, target: target)
            case .float32: return try PNGCodec.encode(image.asUInt16, options: options, target: target)
            }
        case .jpeg:
            return try JPEGCodec.encode(image.asUInt8.droppingAlpha(), options: options, target: target)
        case .pnm:
            switch image {
            case .uint8(let i): return try PNMCodec.encode(i.droppingAlpha(), target: target)
            case .uint16(let i): return try PNMCodec.encode(i.droppingAlpha(), target: target)
            case .float32: return try PNMCodec.encode(image.asUInt16.droppingAlpha(), target: target)
            }
        case .npy:
            return NPY.encode(NPYArray(image: image))
        }
    }

    /// Encodes and writes atomically; the format comes from the path's extension.
    public static func write(_ image: AnyImage, to path: String, options: EncodeOptions = EncodeOptions()) throws {
        let format = try ImageFormat(pathExtensionOf: path)
        try FileIO.writeAtomically(try encode(image, as: format, options: options, target: path), to: path)
    }
}
