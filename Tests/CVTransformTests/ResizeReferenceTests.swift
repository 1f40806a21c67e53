import CVCore
@testable import CVTransform
import Foundation
import XCTest

/// Slow, readable reference implementations, compared with the fast kernels on random inputs.
enum ResizeReference {
    /// Pillow-style resampling written directly from the definition: for every output pixel,
    /// weights `k((i - centre + 0.5)/s)` over the source pixels inside the image, normalised,
    /// quantised to 22 bits, two passes with an 8-bit intermediate; vertical pass first when
    /// the height shrinks and `2·outW − outH > 2·inW − inH` (Pillow 13), else horizontal first.
    static func pillowU8(_ src: Image<UInt8>, width: Int, height: Int, kernel: ResizeKernel) -> Image<UInt8> {
        func weights(_ inSize: Int, _ outSize: Int, _ d: Int) -> (Int, [Int64]) {
            if inSize == outSize { return (d, [Int64(1 << 22)]) }
            let scale = Double(inSize) / Double(outSize)
            let s = max(scale, 1)
            let support = kernel.support * s
            let centre = (Double(d) + 0.5) * scale
            let lo = max(0, Int(centre - support + 0.5))
            let hi = min(inSize, Int(centre + support + 0.5))
            var w = (lo..<hi).map { kernel((Double($0) - centre + 0.5) / s) }
            let sum = w.reduce(0, +)
            if sum != 0 { w = w.map { $0 / sum } }
            return (lo, w.map { v in Int64(v < 0 ? (v * 4194304 - 0.5).rounded(.towardZero) : (v * 4194304 + 0.5).rounded(.towardZero)) })
        }
        func clip(_ v: Int64) -> UInt8 { UInt8(max(0, min(255, v >> 22))) }
        let C = src.channels
        func horizontal(_ img: Image<UInt8>) -> Image<UInt8> {
            var out = Image<UInt8>(width: width, height: img.height, channels: C)
            for y in 0..<img.height {
                for x in 0..<width {
                    let (lo, w) = weights(img.width, width, x)
                    for c in 0..<C {
                        var acc: Int64 = 1 << 21
                        for (k, wk) in w.enumerated() { acc += Int64(img[lo + k, y, c]) * wk }
                        out[x, y, c] = clip(acc)
                    }
                }
            }
            return out
        }
        func vertical(_ img: Image<UInt8>) -> Image<UInt8> {
            var out = Image<UInt8>(width: img.width, height: height, channels: C)
            for y in 0..<height {
                let (lo, w) = weights(img.height, height, y)
                for x in 0..<img.width {
                    for c in 0..<C {
                        var acc: Int64 = 1 << 21
                        for (k, wk) in w.enumerated() { acc += Int64(img[x, lo + k, c]) * wk }
                        out[x, y, c] = clip(acc)
                    }
                }
            }
            return out
        }
        let verticalFirst = src.width != width && src.height != height && height < src.height
            && 2 * width - height > 2 * src.width - src.height
        return verticalFirst ? horizontal(vertical(src)) : vertical(horizontal(src))
    }

    /// OpenCV bilinear on Float from the definition: sample at `(x + 0.5)·sx − 0.5`, replicate
    /// the border, interpolate linearly.
    static func opencvBilinearFloat(_ src: Image<Float>, width: Int, height: Int) -> Image<Float> {
        let sx = Double(src.width) / Double(width), sy = Double(src.height) / Double(height)
        var out = Image<Float>(width: width, height: height, channels: src.channels)
        func clampX(_ i: Int) -> Int { min(max(i, 0), src.width - 1) }
        func clampY(_ i: Int) -> Int { min(max(i, 0), src.height - 1) }
        for y in 0..<height {
            let fy = (Double(y) + 0.5) * sy - 0.5
            let y0 = Int(fy.rounded(.down)), ty = fy - Double(y0)
            for x in 0..<width {
                let fx = (Double(x) + 0.5) * sx - 0.5
                let x0 = Int(fx.rounded(.down))
                var tx = fx - Double(x0)
                var xa = x0, xb = x0 + 1
                if x0 < 0 { xa = 0; xb = 0; tx = 0 }
                if x0 >= src.width - 1 { xa = src.width - 1; xb = xa; tx = 0 }
                for c in 0..<src.channels {
                    func row(_ r: Int) -> Double {
                        Double(src[clampX(xa), clampY(r), c]) * (1 - tx) + Double(src[clampX(xb), clampY(r), c]) * tx
                    }
                    out[x, y, c] = Float(row(y0) * (1 - ty) + row(y0 + 1) * ty)
                }
            }
        }
        return out
    }
}

final class ResizeReferenceTests: XCTestCase {
    func randomImage(_ w: Int, _ h: Int, _ c: Int, seed: UInt64) -> Image<UInt8> {
        var state = seed
        var samples = [UInt8](repeating: 0, count: w * h * c)
        for i in samples.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            samples[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return try! Image(width: w, height: h, channels: c, samples: samples)
    }

    func testPillowEngineMatchesReference() throws {
        let cases: [(Int, Int, Int, Int, Int)] = [(23, 17, 9, 5, 1), (23, 17, 40, 30, 3), (31, 11, 13, 29, 4), (16, 16, 16, 7, 2)]
        let filters: [ResizeFilter] = [.box, .bilinear, .hamming, .bicubic, .lanczos3]
        for (i, (w, h, ow, oh, c)) in cases.enumerated() {
            let src = randomImage(w, h, c, seed: UInt64(i + 1))
            for f in filters {
                var p = ResizeParameters.pillow(f)
                p.alpha = .independent
                let fast = try src.resized(to: .size(width: ow, height: oh), parameters: p)
                let slow = ResizeReference.pillowU8(src, width: ow, height: oh, kernel: ResizeKernel.generic(f, shrinking: true))
                XCTAssertEqual(fast, slow, "\(f) \(w)x\(h)x\(c) -> \(ow)x\(oh)")
            }
        }
    }

    func testOpenCVFloatBilinearMatchesReference() throws {
        let src = randomImage(29, 21, 3, seed: 7).converted(to: Float.self)
        for (ow, oh) in [(13, 9), (50, 40), (29, 60), (7, 21)] {
            let fast = try src.resized(to: .size(width: ow, height: oh), parameters: .opencv(.bilinear))
            let slow = ResizeReference.opencvBilinearFloat(src, width: ow, height: oh)
            var maxErr: Float = 0
            for (a, b) in zip(fast.samples, slow.samples) { maxErr = max(maxErr, abs(a - b)) }
            XCTAssertLessThanOrEqual(maxErr, 1e-5, "\(ow)x\(oh)")
        }
    }

    /// Multi-threaded and single-threaded runs agree bit for bit.
    func testThreadCountDoesNotChangeResults() throws {
        let src = randomImage(97, 83, 3, seed: 11)
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for p in [ResizeParameters.quality, .opencv(.bicubic), .pillow(.lanczos3), .opencv(.area)] {
            Parallel.threadCount = 1
            let a = try src.resized(to: .size(width: 41, height: 190), parameters: p)
            Parallel.threadCount = 4
            let b = try src.resized(to: .size(width: 41, height: 190), parameters: p)
            XCTAssertEqual(a, b)
        }
    }
}
