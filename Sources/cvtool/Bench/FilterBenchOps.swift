import ArgumentParser
import ClassicCV

/// Bench ops of CVFilters; each takes the options of the matching subcommand.
/// `sobel` and `canny` run on the gray image (converted once, outside the timing); `blur`,
/// `box` and `guided` run on the decoded image, or on its 8-bit gray version with the extra
/// bench-only flag `--gray`.
enum FilterBenchOps {
    /// The arguments without `--gray`, and the image to time on.
    static func input(_ ctx: BenchContext) -> ([String], AnyImage) {
        guard ctx.arguments.contains("--gray") else { return (ctx.arguments, ctx.decoded) }
        let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
        return (ctx.arguments.filter { $0 != "--gray" }, .uint8(gray))
    }

    static let all: [BenchOp] = [
        BenchOp(name: "blur", summary: "Gaussian blur (options of `cvtool blur`; --gray: on the gray image)") { ctx in
            let (args, image) = input(ctx)
            let o = try BlurOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "box", summary: "box filter (options of `cvtool box`; --gray: on the gray image)") { ctx in
            let (args, image) = input(ctx)
            let o = try BoxOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "guided", summary: "guided filter, self-guided (options of `cvtool guided`; --gray: on the gray image)") { ctx in
            let (args, image) = input(ctx)
            let o = try GuidedOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image, guide: nil) }
        },
        BenchOp(name: "sobel", summary: "Sobel derivative of the gray image, Int16 for 8-bit input (options of `cvtool sobel`)") { ctx in
            let o = try SobelOptions.parse(ctx.arguments)
            let p = try o.parameters()
            let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
            return BenchCase(pixels: gray.width * gray.height) { _ = try gray.sobelDerivativeInt16(p) }
        },
        BenchOp(name: "canny", summary: "Canny on the gray image (options of `cvtool canny`)") { ctx in
            let o = try CannyOptions.parse(ctx.arguments)
            let p = try o.parameters()
            let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
            return BenchCase(pixels: gray.width * gray.height) { _ = try gray.cannyEdges(p) }
        },
    ]
}
