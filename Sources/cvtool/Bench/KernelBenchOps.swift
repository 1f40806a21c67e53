import ArgumentParser
import ClassicCV

/// Bench ops of the arbitrary-kernel filters, LoG/DoG and the guided-filter applications.
/// Each takes the options of its subcommand; `filter2d` also takes the bench-only
/// `--random K` (a K×K kernel of the formula `Tools/bench_ops_kernels.py` uses, so both sides
/// time the same coefficients) and, as the other filter ops, `--gray`.
enum KernelBenchOps {
    /// The K×K kernel ((7i + 3j) mod 11 − 5.5) / K², i the row and j the column: no zeros, so
    /// every coefficient costs a multiply-add on both sides.
    static func benchKernel(_ k: Int) throws -> Kernel {
        let n = Double(k * k)
        var rows: [[Double]] = []
        for i in 0..<k {
            var row: [Double] = []
            for j in 0..<k {
                let m: Int = (7 * i + 3 * j) % 11
                row.append((Double(m) - 5.5) / n)
            }
            rows.append(row)
        }
        return try Kernel(rows: rows)
    }

    /// Removes `--random K` from the arguments and returns the --kernel text it stands for.
    static func randomKernel(_ args: [String]) throws -> [String] {
        guard let i = args.firstIndex(of: "--random"), i + 1 < args.count, let k = Int(args[i + 1]), (1...128).contains(k) else {
            return args
        }
        let rows = try benchKernel(k)
        let text = (0..<k).map { y in (0..<k).map { x in "\(rows[x, y])" }.joined(separator: ",") }.joined(separator: ";")
        return Array(args[..<i]) + Array(args[(i + 2)...]) + ["--kernel", text]
    }

    /// The Gaussian 5×5 (σ 1.2) → Sobel dx chain of the fused-kernel demonstration.
    static func chain() throws -> (gaussian: Kernel, sobel: Kernel) {
        let g = GaussianKernel.opencvTaps(size: 5, sigma: 1.2)
        return (try Kernel(row: g, column: g), try Kernel(rows: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))
    }

    static let all: [BenchOp] = [
        BenchOp(name: "filter2d", summary: "filter2D / sepFilter2D (options of `cvtool filter`; --random K: a KxK kernel; --gray)") { ctx in
            let (args, image) = FilterBenchOps.input(ctx)
            let o = try FilterOptions.parse(try randomKernel(args))
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "chain-fused", summary: "Gaussian 5x5 -> Sobel dx as one fused kernel (separable passes), gray, Float out") { ctx in
            let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
            let (g, s) = try chain()
            let fused = try g.then(s), p = Filter2DParameters(method: .automatic)
            return BenchCase(pixels: gray.width * gray.height) { _ = try gray.filtered2D(fused, as: Float.self, p) }
        },
        BenchOp(name: "chain-two-pass", summary: "Gaussian 5x5 then Sobel dx as two filters, gray, Float out") { ctx in
            let gray = ctx.decoded.asUInt8.droppingAlpha().grayscale()
            let (g, s) = try chain(), p = Filter2DParameters(method: .automatic)
            return BenchCase(pixels: gray.width * gray.height) {
                _ = try gray.filtered2D(g, as: Float.self, p).filtered2D(s, p)
            }
        },
        BenchOp(name: "log", summary: "Laplacian of Gaussian (options of `cvtool log`; --gray)") { ctx in
            let (args, image) = FilterBenchOps.input(ctx)
            let o = try LoGOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "dog", summary: "difference of Gaussians (options of `cvtool dog`; --gray)") { ctx in
            let (args, image) = FilterBenchOps.input(ctx)
            let o = try DoGOptions.parse(args)
            return BenchCase(pixels: image.width * image.height) { _ = try o.apply(image) }
        },
        BenchOp(name: "enhance", summary: "detail enhancement (options of `cvtool enhance`)") { ctx in
            let o = try EnhanceOptions.parse(ctx.arguments)
            return BenchCase(pixels: ctx.decoded.width * ctx.decoded.height) { _ = try o.apply(ctx.decoded) }
        },
        BenchOp(name: "dehaze", summary: "dark-channel haze removal (options of `cvtool dehaze`)") { ctx in
            let o = try DehazeOptions.parse(ctx.arguments)
            return BenchCase(pixels: ctx.decoded.width * ctx.decoded.height) { _ = try o.apply(ctx.decoded) }
        },
    ]
}
