import ClassicCV

/// Bench ops of the foundation: codecs and colour conversion.
enum CoreBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "decode-png", summary: "decode the PNG file from memory") { ctx in
            try requireFormat(.png, ctx)
            return BenchCase(pixels: ctx.decoded.width * ctx.decoded.height) { _ = try PNGCodec.decode(ctx.bytes) }
        },
        BenchOp(name: "decode-jpeg", summary: "decode the JPEG file from memory") { ctx in
            try requireFormat(.jpeg, ctx)
            return BenchCase(pixels: ctx.decoded.width * ctx.decoded.height) {
                _ = try JPEGCodec.decode(ctx.bytes, options: DecodeOptions(orientation: .ignore))
            }
        },
        BenchOp(name: "encode-png", summary: "encode the decoded image as PNG (OpenCV's default settings)") { ctx in
            let image = ctx.decoded
            return BenchCase(pixels: image.width * image.height) { _ = try ImageIO.encode(image, as: .png) }
        },
        BenchOp(name: "encode-jpeg", summary: "encode the decoded image as JPEG, quality 95, 4:2:0") { ctx in
            let image = AnyImage.uint8(ctx.decoded.asUInt8.droppingAlpha())
            return BenchCase(pixels: image.width * image.height) { _ = try ImageIO.encode(image, as: .jpeg) }
        },
        BenchOp(name: "gray", summary: "RGB to gray with OpenCV's weights") { ctx in
            let image = ctx.decoded
            return BenchCase(pixels: image.width * image.height) {
                switch image {
                case .uint8(let i): _ = i.grayscale()
                case .uint16(let i): _ = i.grayscale()
                case .float32(let i): _ = i.grayscale()
                }
            }
        },
    ]

    static func requireFormat(_ format: ImageFormat, _ ctx: BenchContext) throws {
        guard ImageFormat.detect(ctx.bytes) == format else {
            throw CVError.invalidParameter(name: "IMAGE", reason: "\(ctx.path) is not a \(format.rawValue.uppercased()) file")
        }
    }
}
