import ArgumentParser
import ClassicCV

/// Bench ops of CVFilters; each takes the options of the matching subcommand.
/// `sobel` and `canny` run on the gray image (converted once, outside the timing).
enum FilterBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "blur", summary: "Gaussian blur (options of `cvtool blur`)") { ctx in
            let o = try BlurOptions.parse(ctx.arguments)
            let image = ctx.decoded
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "box", summary: "box filter (options of `cvtool box`)") { ctx in
            let o = try BoxOptions.parse(ctx.arguments)
            let image = ctx.decoded
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "guided", summary: "guided filter, self-guided (options of `cvtool guided`)") { ctx in
            let o = try GuidedOptions.parse(ctx.arguments)
            let image = ctx.decoded
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image, guide: nil) }
        },
        BenchOp(name: "sobel", summary: "Sobel derivative of the gray image, Int16 for 8-bit input (options of `cvtool sobel`)") { ctx in
            let o = try SobelOptions.parse(ctx.arguments)
            let p = try o.parameters()
            let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
            return BenchCase(pixels: gray.width * gray.height) { _ = try sobelInt16(gray, p) }
        },
        BenchOp(name: "canny", summary: "Canny on the gray image (options of `cvtool canny`)") { ctx in
            let o = try CannyOptions.parse(ctx.arguments)
            let p = try o.parameters()
            let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
            return BenchCase(pixels: gray.width * gray.height) { _ = try canny(gray, p) }
        },
    ]
}
