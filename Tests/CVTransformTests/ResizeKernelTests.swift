import CKernels
import CVCore
@testable import CVTransform
import Foundation
import XCTest

/// The vectorised C row kernels (resize_rows.c) against the scalar Swift loops they replace, on
/// random images wide enough to run every vector loop and its tail, and Pillow's pass order.
final class ResizeKernelTests: XCTestCase {
    func randomImage(_ w: Int, _ h: Int, _ c: Int, seed: UInt64) -> Image<UInt8> {
        var state = seed
        var samples = [UInt8](repeating: 0, count: w * h * c)
        for i in samples.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            samples[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return try! Image(width: w, height: h, channels: c, samples: samples)
    }

    /// OpenCV's separable 8-bit path with the Swift scalar loops only (the pre-C kernels).
    func opencvScalar(_ src: Image<UInt8>, kind: ResizeAxisTable.OpenCVKind, width: Int, height: Int) -> Image<UInt8> {
        let W = src.width, H = src.height, C = src.channels
        let sx = Double(W) / Double(width), sy = Double(H) / Double(height)
        let ht = ResizeAxisTable.opencv(inSize: W, outSize: width, scale: sx, inverseScale: 1 / sx, kind: kind, vertical: false).folded()
        let vt = ResizeAxisTable.opencv(inSize: H, outSize: height, scale: sy, inverseScale: 1 / sy, kind: kind, vertical: true)
        var out = Image<UInt8>(width: width, height: height, channels: C)
        let n = width * C
        var mid = [Int32](repeating: 0, count: n * H)
        src.withUnsafePixels { sp, ss in
            mid.withUnsafeMutableBufferPointer { m in
                for r in 0..<H { ResizeHorizontal.u8ToI32(sp + r * ss, m.baseAddress! + r * n, ht, channels: C) }
            }
        }
        mid.withUnsafeBufferPointer { m in
            out.withUnsafeMutablePixels { dp, ds in
                var rows = [UnsafePointer<Int32>](repeating: m.baseAddress!, count: vt.taps)
                var acc = [Float](repeating: 0, count: n)
                var iacc = [Int32](repeating: 0, count: n)
                for y in 0..<height {
                    let k = Int(vt.count[y])
                    for j in 0..<k { rows[j] = m.baseAddress! + Int(vt.index[y * vt.taps + j]) * n }
                    rows.withUnsafeBufferPointer { r in
                        let w = vt.wi + y * vt.taps
                        switch kind {
                        case .linear, .areaLinear: ResizeVertical.opencvLinear(r.baseAddress!, w, dp + y * ds, n)
                        case .cubic: ResizeVertical.opencvFloatRound(r.baseAddress!, k, w, dp + y * ds, n, &acc)
                        case .lanczos4: ResizeVertical.opencvFixed(r.baseAddress!, k, w, dp + y * ds, n, &iacc)
                        }
                    }
                }
            }
        }
        return out
    }

    func testOpenCVSeparableKernelsMatchScalarLoops() throws {
        try checkOpenCVSeparable()
        // The baseline (SSE2) compilation as well, which AVX2 machines never pick on their own.
        ck_resize_force_baseline(1)
        defer { ck_resize_force_baseline(0) }
        try checkOpenCVSeparable()
        try testNearestAndHalvingMatchScalarLoops()
    }

    /// `ck_resize_h_pillow_u8` (AVX2 and baseline) against the Swift loop, row by row, for
    /// 1–4 channels, every Pillow filter, downscales (long windows) and upscales, rows whose
    /// last window ends at the row's end (the RGB path's 8-byte loads must stay inside).
    func testPillowHorizontalKernelMatchesScalarLoop() {
        let filters: [ResizeFilter] = [.box, .bilinear, .hamming, .bicubic, .lanczos3]
        for baseline in [false, true] {
            ck_resize_force_baseline(baseline ? 1 : 0)
            defer { ck_resize_force_baseline(0) }
            for c in 1...4 {
                for (i, (w, ow)) in [(203, 17), (203, 97), (64, 61), (9, 40), (1000, 7), (3, 2)].enumerated() {
                    let src = randomImage(w, 1, c, seed: UInt64(500 + 10 * c + i))
                    for filter in filters {
                        let t = ResizePillow.table(inSize: w, outSize: ow, filter: filter, antialias: true)
                        var fast = [UInt8](repeating: 0, count: ow * c), slow = fast
                        src.withUnsafePixels { sp, _ in
                            fast.withUnsafeMutableBufferPointer { ResizeHorizontal.pillowU8(sp, w * c, $0.baseAddress!, t, channels: c) }
                            slow.withUnsafeMutableBufferPointer { ResizeHorizontal.u8ToU8(sp, $0.baseAddress!, t, channels: c) }
                        }
                        XCTAssertEqual(fast, slow, "\(filter) \(w)->\(ow) c=\(c) baseline=\(baseline)")
                    }
                }
            }
        }
    }

    func checkOpenCVSeparable() throws {
        let sizes = [(203, 37, 97, 61), (203, 37, 611, 80), (64, 9, 21, 4), (9, 8, 40, 17), (130, 12, 129, 13)]
        let kinds: [(ResizeFilter, ResizeAxisTable.OpenCVKind)] = [(.bilinear, .linear), (.bicubic, .cubic), (.lanczos4, .lanczos4)]
        for c in 1...4 {
            for (i, (w, h, ow, oh)) in sizes.enumerated() {
                let src = randomImage(w, h, c, seed: UInt64(100 * c + i))
                for (filter, kind) in kinds {
                    let fast = try src.resized(to: .size(width: ow, height: oh), parameters: .opencv(filter))
                    let slow = opencvScalar(src, kind: kind, width: ow, height: oh)
                    XCTAssertEqual(fast, slow, "\(filter) \(w)x\(h)x\(c) -> \(ow)x\(oh)")
                }
            }
        }
    }

    /// Edge windows slid inside the row keep the folded weights (bilinear upscale reads the
    /// last pixel twice; bicubic's first windows fold three taps onto pixel 0).
    func testHorizontalTableSlidesEdgeWindows() throws {
        let t = ResizeAxisTable.opencv(inSize: 10, outSize: 23, scale: 10.0 / 23, inverseScale: 2.3, kind: .cubic, vertical: false).folded()
        let row = try XCTUnwrap(ResizeHRowTable(folded: t, channels: 3))
        for x in 0..<23 {
            let ws = Int(row.xofs[x]) / 3
            XCTAssertTrue(ws >= 0 && ws + 4 <= 10)
            // The folded weights land on their own source pixels, zeros elsewhere.
            for k in 0..<4 {
                let j = ws + k - Int(t.start[x])
                let expected = j >= 0 && j < Int(t.count[x]) ? Int16(t.wi[x * 4 + j]) : 0
                XCTAssertEqual(row.wide[(x * 2 + k / 2) * 8 + (k & 1)], expected, "pixel \(x) tap \(k)")
            }
        }
        XCTAssertNil(ResizeHRowTable(folded: ResizeAxisTable.opencv(inSize: 3, outSize: 7, scale: 3.0 / 7, inverseScale: 7.0 / 3,
                                                                    kind: .cubic, vertical: false).folded(), channels: 3))
    }

    /// The generic (Swift) gather, whatever the sample type.
    func genericGather<T: PixelScalar>(_ src: Image<T>, xs: [Int], ys: [Int]) -> Image<T> {
        ResizeNearest.gather(src, xs: xs, ys: ys)
    }

    func testNearestAndHalvingMatchScalarLoops() throws {
        for c in 1...4 {
            for (i, (w, h, ow, oh)) in [(203, 37, 97, 61), (31, 17, 80, 40), (5, 3, 17, 9), (77, 41, 38, 20)].enumerated() {
                let src = randomImage(w, h, c, seed: UInt64(7 * c + i))
                let xs = ResizeNearest.opencv(inSize: w, outSize: ow, inverseScale: Double(ow) / Double(w))
                let ys = ResizeNearest.opencv(inSize: h, outSize: oh, inverseScale: Double(oh) / Double(h))
                XCTAssertEqual(ResizeRows.gather(src, xs: xs, ys: ys), genericGather(src, xs: xs, ys: ys))
                let px = ResizeNearest.pillow(inSize: w, outSize: ow), py = ResizeNearest.pillow(inSize: h, outSize: oh)
                XCTAssertEqual(ResizeRows.gather(src, xs: px, ys: py), genericGather(src, xs: px, ys: py))
                // 2×2 halving (odd sizes leave a cut edge cell) against the definition.
                let half = ResizeOpenCV.areaFastU8(src, ix: 2, iy: 2, width: (w + 1) / 2, height: (h + 1) / 2)
                for y in 0..<(h / 2) {
                    for x in 0..<(w / 2) {
                        for k in 0..<c where c != 2 {
                            let s = Int(src[2 * x, 2 * y, k]) + Int(src[2 * x + 1, 2 * y, k]) + Int(src[2 * x, 2 * y + 1, k]) + Int(src[2 * x + 1, 2 * y + 1, k])
                            XCTAssertEqual(Int(half[x, y, k]), (s + 2) >> 2)
                        }
                    }
                }
            }
        }
    }

    /// Pillow's pass order: the vertical pass first exactly when the height shrinks and
    /// `2·outW − outH > 2·inW − inH`.
    func testPillowPassOrder() throws {
        XCTAssertTrue(ResizePillow.verticalFirst(inWidth: 96, inHeight: 80, outWidth: 150, outHeight: 40))
        XCTAssertFalse(ResizePillow.verticalFirst(inWidth: 96, inHeight: 80, outWidth: 40, outHeight: 150))
        XCTAssertFalse(ResizePillow.verticalFirst(inWidth: 96, inHeight: 80, outWidth: 56, outHeight: 1))
        XCTAssertTrue(ResizePillow.verticalFirst(inWidth: 96, inHeight: 80, outWidth: 57, outHeight: 1))
        XCTAssertFalse(ResizePillow.verticalFirst(inWidth: 96, inHeight: 80, outWidth: 200, outHeight: 90))
        XCTAssertFalse(ResizePillow.verticalFirst(inWidth: 96, inHeight: 80, outWidth: 96, outHeight: 40))
        // Both orders through the slow reference, on cases either side of the boundary.
        let cases: [(Int, Int, Int, Int, Int)] = [(23, 17, 40, 9, 3), (31, 29, 29, 5, 4), (31, 29, 20, 5, 1), (40, 12, 90, 11, 3)]
        for (i, (w, h, ow, oh, c)) in cases.enumerated() {
            let src = randomImage(w, h, c, seed: UInt64(50 + i))
            for f in [ResizeFilter.bilinear, .bicubic, .lanczos3] {
                var p = ResizeParameters.pillow(f)
                p.alpha = .independent
                let fast = try src.resized(to: .size(width: ow, height: oh), parameters: p)
                let slow = ResizeReference.pillowU8(src, width: ow, height: oh, kernel: ResizeKernel.generic(f, shrinking: true))
                XCTAssertEqual(fast, slow, "\(f) \(w)x\(h)x\(c) -> \(ow)x\(oh)")
            }
        }
    }
}
