import ClassicCV
import Foundation

/// Bench ops of CVFeatures (HOG). Options after IMAGE are `cvtool hog`'s (see HOGOptions).
enum HOGBenchOps {
    static let fashionMNIST = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"

    static let all: [BenchOp] = [
        BenchOp(name: "hog", summary: "HOG descriptor of the whole image (gray; with --window/--stride: dense windows)") { ctx in
            let opts = try HOGOptions.parse(ctx.arguments)
            let params = try opts.parameters()
            let hog = try HOG(params)
            let image = ctx.decoded.asUInt8.grayscaleIfColor()
            if let spec = try opts.windowSpec(params) {
                return BenchCase(pixels: image.pixelCount) { _ = try hog.windows(image, window: spec.window, stride: spec.stride) }
            }
            return BenchCase(pixels: image.pixelCount) { _ = try hog.descriptor(image) }
        },
        BenchOp(name: "hog-window", summary: "HOG of the top-left 64x128 gray window (default preset dalal-triggs)") { ctx in
            var args = ctx.arguments
            if !args.contains("--preset") { args += ["--preset", "dalal-triggs"] }
            let hog = try HOG(try HOGOptions.parse(args).parameters())
            let gray = ctx.decoded.asUInt8.grayscaleIfColor()
            let win = try gray.cropped(x: 0, y: 0, width: 64, height: 128).copy()
            return BenchCase(pixels: win.pixelCount) { _ = try hog.descriptor(win) }
        },
        BenchOp(name: "hog-mnist", summary: "HOG feature table of Fashion-MNIST t10k (10,000 28x28 images; IMAGE is ignored; --idx FILE; default --cell 7x7 --block 2x2)") { ctx in
            var args = ctx.arguments
            var path = fashionMNIST
            if let i = args.firstIndex(of: "--idx"), i + 1 < args.count { path = args[i + 1]; args.removeSubrange(i...(i + 1)) }
            if !args.contains("--cell") { args += ["--cell", "7x7"] }
            if !args.contains("--block") { args += ["--block", "2x2"] }
            let hog = try HOG(try HOGOptions.parse(args).parameters())
            let f = try IDX.readImages(path: path)
            let n = f.width * f.height
            let images = try (0..<f.count).map { i in
                try Image(width: f.width, height: f.height, channels: 1, samples: Array(f.pixels[i * n..<(i + 1) * n]))
            }
            let D = try hog.parameters.grid(width: f.width, height: f.height).descriptorLength
            var table = [Float](repeating: 0, count: f.count * D)
            return BenchCase(pixels: f.count * n) {
                try table.withUnsafeMutableBufferPointer { tp in
                    let base = tp.baseAddress!
                    var failure: Error?
                    Parallel.forEach(count: images.count, chunk: 64) { i in
                        do { try hog.compute(images[i], into: UnsafeMutableBufferPointer(start: base + i * D, count: D), parallel: false) } catch { failure = error }
                    }
                    if let failure { throw failure }
                }
            }
        },
    ]
}

extension Image where Pixel == UInt8 {
    /// Gray for colour images (alpha dropped), unchanged for gray.
    func grayscaleIfColor() -> Image<UInt8> {
        switch channels {
        case 1: return self
        case 2: return channel(0)
        default: return droppingAlpha().grayscale()
        }
    }
}
