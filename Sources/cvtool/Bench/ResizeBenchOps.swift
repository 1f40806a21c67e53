import ArgumentParser
import ClassicCV

/// Bench op of the resize kernels; takes the options of `cvtool resize`. The work size is the
/// larger of the input and output pixel counts.
enum ResizeBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "resize", summary: "resize (options of `cvtool resize`)") { ctx in
            let o = try ResizeOptions.parse(ctx.arguments)
            let image = ctx.decoded
            let target = try o.target()
            let p = try o.parameters()
            let (w, h) = try target.outputSize(inputWidth: image.width, inputHeight: image.height)
            return BenchCase(pixels: max(image.width * image.height, w * h)) { _ = try image.resized(to: target, parameters: p) }
        },
    ]
}
