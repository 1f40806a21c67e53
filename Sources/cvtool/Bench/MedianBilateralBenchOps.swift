import ArgumentParser
import ClassicCV

/// Bench ops of the median and bilateral filters; each takes the options of the matching
/// subcommand, on the decoded image or (bench-only flag `--gray`) its 8-bit gray version.
enum MedianBilateralBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "median", summary: "median filter (options of `cvtool median`; --gray: on the gray image)") { ctx in
            let (args, image) = FilterBenchOps.input(ctx)
            let o = try MedianOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "bilateral", summary: "bilateral filter (options of `cvtool bilateral`; --gray: on the gray image)") { ctx in
            let (args, image) = FilterBenchOps.input(ctx)
            let o = try BilateralOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
    ]
}
