import ClassicCV
import Foundation

/// Bench ops of the SimCLR augmentation (CVTransform). Options after IMAGE: `--views N`
/// (default 8), `--size WxH` (default 224x224), `--seed S` (default 0).
enum AugmentBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "simclr", summary: "SimCLR views of the image (RGB; default 8 views of 224x224)") { ctx in
            let opts = try SimCLROptions.parse(ctx.arguments)
            let size: (width: Int, height: Int) = try opts.size.map(SimCLROptions.viewSize) ?? (224, 224)
            let augment = try SimCLRAugmentation(try opts.parameters(width: size.width, height: size.height))
            var image = ctx.decoded.asUInt8
            if image.channels == 4 { image = image.droppingAlpha() }
            let rgb = image
            return BenchCase(pixels: opts.views * size.width * size.height) {
                _ = try augment.views(of: rgb, count: opts.views, seed: opts.seed)
            }
        },
    ]
}
