import ClassicCV
import CVFormats
import Foundation

/// Bench ops of CVDetect's non-maximum suppression. IMAGE is ignored: the boxes are drawn from
/// a seed by `syntheticDetections`, which Tools/bench_ops_nms.py reproduces bit for bit.
/// Options: `--count N` (default 100000), `--method greedy|opencv|soft-linear|soft-gaussian`
/// (default opencv), `--iou T` (default 0.5; soft: 0.3).
enum NMSBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "nms", summary: "NMS of N synthetic detections in a 3840x2160 frame (IMAGE ignored; --count N, --method opencv|greedy|soft-linear|soft-gaussian, --iou T)") { ctx in
            let args = try Arguments(ctx.arguments)
            let boxes = syntheticDetections(count: args.count)
            switch args.method {
            case "opencv":
                let p = NMSParameters.opencv(scoreThreshold: 0, iouThreshold: args.iou ?? 0.5)
                return BenchCase(pixels: args.count) { _ = try nonMaximumSuppression(boxes, parameters: p) }
            case "greedy":
                let p = NMSParameters.torchvision(iouThreshold: args.iou ?? 0.5)
                return BenchCase(pixels: args.count) { _ = try nonMaximumSuppression(boxes, parameters: p) }
            case "soft-linear", "soft-gaussian":
                let p = SoftNMSParameters.opencv(decay: args.method == "soft-linear" ? .linear : .gaussian, scoreThreshold: 0.01,
                                                 iouThreshold: args.iou ?? 0.3)
                return BenchCase(pixels: args.count) { _ = try softNonMaximumSuppression(boxes, parameters: p) }
            default:
                throw CVError.invalidParameter(name: "--method", reason: "must be opencv, greedy, soft-linear or soft-gaussian, got \(args.method)")
            }
        },
    ]

    private struct Arguments {
        var count = 100_000
        var method = "opencv"
        var iou: Double?

        init(_ list: [String]) throws {
            var i = 0
            while i < list.count {
                guard i + 1 < list.count else { throw CVError.invalidParameter(name: list[i], reason: "needs a value") }
                let value = list[i + 1]
                switch list[i] {
                case "--count":
                    guard let n = Int(value), n >= 1, n <= 10_000_000 else {
                        throw CVError.invalidParameter(name: "--count", reason: "must be in 1...10000000, got \(value)")
                    }
                    count = n
                case "--method": method = value
                case "--iou": iou = Double(value)
                default: throw CVError.invalidParameter(name: list[i], reason: "unknown nms bench option")
                }
                i += 2
            }
        }
    }

    /// Detector-like boxes: clusters of 10 jittered boxes around `count / 10` random centres in
    /// a 3840×2160 frame, pedestrian-shaped (24–96 px wide, about twice as high), uniform
    /// scores rounded to Float. Drawn from `SplitMix64(seed: 20)` as 53-bit uniforms in the
    /// order of the Python twin in Tools/bench_ops_nms.py.
    static func syntheticDetections(count: Int) -> [Detection] {
        var rng = SplitMix64(seed: 20)
        func u() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        var out: [Detection] = []
        out.reserveCapacity(count)
        while out.count < count {
            let cx = u() * 3840, cy = u() * 2160, w = 24 + u() * 72, h = w * (1.8 + u() * 0.4)
            for _ in 0..<10 where out.count < count {
                let dx = (u() - 0.5) * 0.3 * w, dy = (u() - 0.5) * 0.3 * h
                let ww = w * (0.9 + 0.2 * u()), hh = h * (0.9 + 0.2 * u())
                out.append(Detection(x: cx + dx - ww / 2, y: cy + dy - hh / 2, width: ww, height: hh, score: Double(Float(u()))))
            }
        }
        return out
    }
}
