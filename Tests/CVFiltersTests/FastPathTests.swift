@testable import CVFilters
import CKernels
import CVCore
import CVFormats
import CVTestSupport
import XCTest

/// The vectorised fast paths against the readable paths they replace, on random images larger
/// than one stripe (so the 2-thread split is exercised), for every border mode.
final class FastPathTests: XCTestCase {
    static let borders: [BorderMode] = [.reflect101, .reflect, .replicate, .constant(0), .constant(7), .wrap]

    func randomImage(_ w: Int, _ h: Int, channels: Int = 1, seed: UInt64) -> Image<UInt8> {
        var rng = SplitMix64(seed: seed)
        return rng.noiseImage(width: w, height: h, channels: channels)
    }

    func testFused3x3DerivativesMatchGenericPath() throws {
        for (t, border) in Self.borders.enumerated() {
            for cn in [1, 3] {
                let w = [1, 2, 5, 97][t % 4], h = 70
                let img = randomImage(w, h, channels: cn, seed: UInt64(t * 10 + cn))
                for (dx, dy, k) in [(1, 0, 3), (0, 1, 3), (1, 1, 3), (2, 0, 3), (1, 0, -1), (0, 1, -1)] {
                    let p = DerivativeParameters(dx: dx, dy: dy, ksize: k, border: border)
                    let (kx, ky) = try p.kernels()
                    var generic = [Int16](repeating: 0, count: w * h * cn)
                    img.withUnsafePixels { src, ss in
                        generic.withUnsafeMutableBufferPointer { buf in
                            integerDerivative(src, ss, buf.baseAddress!, w * cn, width: w, height: h, channels: cn,
                                              kx: kx, ky: ky, border: border) { Int16(clamping: $0) }
                        }
                    }
                    XCTAssertTrue(try img.sobelDerivativeInt16(p).samples == generic, "border \(border) cn \(cn) dx \(dx) dy \(dy) k \(k)")
                }
            }
        }
    }

    func testCannyFastPathMatchesGeneralPath() throws {
        for trial in 0..<4 {
            let w = [3, 64, 131, 200][trial], h = [90, 140, 67, 129][trial]
            var img = randomImage(w, h, seed: UInt64(100 + trial))
            img = try img.gaussianBlurred(.opencv(sigma: 1.2))
            for l2 in [false, true] {
                let fast = try img.cannyEdges(.opencv(low: 20, high: 60, l2Gradient: l2)).samples
                let ref = CannyTests.referenceCanny(img, low: 20, high: 60, aperture: 3, l2: l2)
                let differing = zip(fast, ref).filter { $0 != $1 }.count
                XCTAssertEqual(differing, 0, "trial \(trial) l2 \(l2): \(differing) pixels differ")
            }
        }
    }

    func testGaussianUInt8MatchesReference() throws {
        for (t, border) in Self.borders.enumerated() {
            for cn in [1, 3] {
                let w = [1, 4, 13, 90, 77][t % 5], h = 75
                let img = randomImage(w, h, channels: cn, seed: UInt64(200 + t * 10 + cn))
                for sigma in [0.5, 0.8, 1.0, 2.0, 3.0, 6.0] {
                    let p = GaussianParameters.opencv(sigma: sigma, border: border)
                    let plan = try GaussianPlan(p, pixel: UInt8.self, width: w, height: h)
                    guard case let .fixed8(kx, ky) = plan.taps else { return XCTFail("expected 8-bit taps") }
                    let fast = try img.gaussianBlurred(p)
                    // Readable statement: padded rows through runSeparable, verticalFixed8.
                    var ref = Image<UInt8>(width: w, height: h, channels: cn)
                    let rx = kx.count / 2, ry = ky.count / 2, n = w * cn
                    img.withUnsafePixels { src, ss in
                        ref.withUnsafeMutablePixels { dst, ds in
                            ky.withUnsafeBufferPointer { kyb in
                                runSeparable(source: src, sourceStride: ss, destination: dst, destinationStride: ds,
                                             width: w, height: h, channels: cn, rx: rx, ry: ry, border: border,
                                             constant: border.constantValue(UInt8.self), intermediate: UInt16.self,
                                             horizontal: { pad, out in
                                                 for i in 0..<n {
                                                     var s = 0
                                                     for t in 0...(2 * rx) { s += Int(kx[t]) * Int(pad[i + t * cn]) }
                                                     out[i] = UInt16(s)
                                                 }
                                             },
                                             vertical: { rows, out in
                                                 verticalFixed8(rows, out, count: n, ry: ry, ky: kyb.baseAddress!)
                                             })
                            }
                        }
                    }
                    XCTAssertTrue(fast.samples == ref.samples, "border \(border) cn \(cn) σ \(sigma) w \(w)")
                }
            }
        }
    }

    /// The Float driver (`ck_sep_f32_rows`: column tiles, two-row vertical kernel, FMA) against
    /// the readable `horizontalFloat` / `verticalFloat` through the row-ring driver, with UInt8,
    /// UInt16 and Float inputs, UInt8 and Float outputs, odd widths (vector tails), rows wider
    /// than one tile, odd heights (a last single row), asymmetric and symmetric taps.
    func testFloatSeparableMatchesReadableStatement() throws {
        let symmetric17: [Float] = (0..<17).map { Float(exp(-Double(($0 - 8) * ($0 - 8)) / 18)) / 5.3 }
        let tapSets: [([Float], [Float])] = [
            ([0.1, -0.25, 0.3, 0.5, 0.05, 0.2, 0.1], [0.2, 0.6, -0.1, 0.3, 0.0]),
            (symmetric17, symmetric17),
            ([0.25, 0.5, 0.25], [-1, 0, 1]),
        ]
        for (t, border) in Self.borders.enumerated() {
            for (cn, (kx, ky)) in [(1, tapSets[0]), (3, tapSets[0]), (3, tapSets[1]), (4, tapSets[2]), (1, tapSets[1])] {
                let w = [1, 5, 37, 101, 400][(t + cn) % 5], h = 67
                let img8 = randomImage(w, h, channels: cn, seed: UInt64(600 + t * 10 + cn))
                let imgF = try Image<Float>(width: w, height: h, channels: cn, samples: img8.samples.map { Float($0) })
                let img16 = try Image<UInt16>(width: w, height: h, channels: cn, samples: img8.samples.map { UInt16($0) * 7 })
                let rx = kx.count / 2, ry = ky.count / 2, n = w * cn
                func reference(_ source: Image<Float>) -> Image<Float> {
                    var ref = Image<Float>(width: w, height: h, channels: cn)
                    source.withUnsafePixels { src, ss in
                        ref.withUnsafeMutablePixels { dst, ds in
                            kx.withUnsafeBufferPointer { kxb in
                                ky.withUnsafeBufferPointer { kyb in
                                    runSeparable(source: src, sourceStride: ss, destination: dst, destinationStride: ds,
                                                 width: w, height: h, channels: cn, rx: rx, ry: ry, border: border,
                                                 constant: border.constantValue(Float.self), intermediate: Float.self,
                                                 horizontal: { pad, out in
                                                     horizontalFloat(pad, out, count: n, channels: cn, taps: kx.count, k: kxb.baseAddress!)
                                                 },
                                                 vertical: { rows, out in
                                                     verticalFloat(rows, out, count: n, taps: ky.count, k: kyb.baseAddress!, delta: 0.01)
                                                 })
                                }
                            }
                        }
                    }
                    return ref
                }
                func fast<P: PixelScalar, D: PixelScalar>(_ source: Image<P>, _: D.Type) -> Image<D> {
                    var out = Image<D>(width: w, height: h, channels: cn)
                    source.withUnsafePixels { src, ss in
                        out.withUnsafeMutablePixels { dst, ds in
                            separableFloat(src, ss, dst, ds, width: w, height: h, channels: cn, kx: kx, ky: ky,
                                           border: border, delta: 0.01)
                        }
                    }
                    return out
                }
                let b = reference(imgF).samples, b16 = reference(try Image<Float>(width: w, height: h, channels: cn, samples: img16.samples.map { Float($0) })).samples
                let a = fast(img8, Float.self).samples, aF = fast(imgF, Float.self).samples
                let a16 = fast(img16, Float.self).samples, c = fast(img8, UInt8.self).samples
                let where_ = "border \(border) cn \(cn) w \(w) taps \(kx.count)x\(ky.count)"
                for i in a.indices {
                    XCTAssertEqual(a[i], b[i], accuracy: 2e-5 * max(1, abs(b[i])), "\(where_) sample \(i)")
                    XCTAssertEqual(aF[i], a[i], "\(where_) sample \(i): Float and UInt8 sources differ")
                    XCTAssertEqual(a16[i], b16[i], accuracy: 2e-5 * max(1, abs(b16[i])), "\(where_) sample \(i) (UInt16)")
                    XCTAssertEqual(c[i], UInt8(clampingRounded: a[i]), "\(where_) sample \(i)")
                }
            }
        }
    }

    /// The horizontal Float kernel's paths (register-window streams for radius 1–9 with AVX-512,
    /// eight-accumulator blocks, the scalar tail) against `horizontalFloat`, for every radius
    /// up to 12, 1–4 channels and lengths around the 8-sample steps.
    func testHorizontalFloatKernelMatchesReadableStatement() {
        var rng = SplitMix64(seed: 91)
        for r in 1...12 {
            let half = (0...r).map { _ in Float.random(in: 0.01...1, using: &rng) }
            let taps = half + half.dropLast().reversed()
            for cn in 1...4 {
                for n in [7, 8, 9, 24, 61, 389] {
                    let pad = (0..<(n + 2 * r * cn)).map { _ in Float(UInt8.random(in: 0...255, using: &rng)) }
                    var fast = [Float](repeating: .nan, count: n), slow = fast
                    ck_conv_h_f32(pad, &fast, n, cn, taps, Int32(taps.count))
                    horizontalFloat(pad, &slow, count: n, channels: cn, taps: taps.count, k: taps)
                    for i in 0..<n {
                        XCTAssertEqual(fast[i], slow[i], accuracy: 1e-5 * max(1, abs(slow[i])), "r \(r) cn \(cn) n \(n) i \(i)")
                    }
                }
            }
        }
    }

    /// The scikit-image Canny row kernels' vector paths against their scalar statements: the
    /// Sobel row (`ck_sobel3_f32_row`) against SciPy's formulas written out, for widths around
    /// the 8-pixel steps; the unmasked NMS (vector, skipping blocks below `low`, seeds collected
    /// in the same pass) against the masked scalar loop with an all-ones mask and `ck_find_u8`.
    func testScikitCannyRowKernelsMatchScalarStatements() {
        var rng = SplitMix64(seed: 77)
        for w in [1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 25, 64, 101] {
            let rows = (0..<3).map { _ in (0..<w).map { _ in Float.random(in: 0...1, using: &rng) } }
            var iv = [Float](repeating: 0, count: w), jv = iv, mag = iv
            var scratch = [Float](repeating: 0, count: 2 * (w + 2))
            ck_sobel3_f32_row(rows[0], rows[1], rows[2], &iv, &jv, &mag, w, &scratch)
            func s(_ x: Int) -> Float { let c = min(max(x, 0), w - 1); return rows[0][c] + 2 * rows[1][c] + rows[2][c] }
            func d(_ x: Int) -> Float { let c = min(max(x, 0), w - 1); return rows[2][c] - rows[0][c] }
            for x in 0..<w {
                let j = s(x + 1) - s(x - 1), i = d(x - 1) + 2 * d(x) + d(x + 1)
                XCTAssertEqual(jv[x], j, "w \(w) x \(x)")
                XCTAssertEqual(iv[x], i, "w \(w) x \(x)")
                XCTAssertEqual(mag[x], (i * i + j * j).squareRoot(), "w \(w) x \(x)")
            }
        }
        for w in [1, 7, 8, 9, 15, 16, 17, 40, 203] {
            // Magnitudes with long runs below `low`, so whole blocks are skipped, and ties.
            let pad = { (_: Int) -> [Float] in
                (0..<(w + 2)).map { _ in
                    let u = Float.random(in: 0...1, using: &rng)
                    return u < 0.5 ? u * 0.1 : (u < 0.6 ? 0.5 : u)
                }
            }
            let mp = pad(0), ma = pad(1), mn = pad(2)
            let iv = (0..<w).map { _ in Float.random(in: -1...1, using: &rng) }
            let jv = (0..<w).map { x in x % 5 == 0 ? iv[x] : Float.random(in: -1...1, using: &rng) }
            let ones = [UInt8](repeating: 1, count: w)
            var fast = [UInt8](repeating: 9, count: w), slow = fast
            var seedsFast = [Int64](repeating: -1, count: w), seedsSlow = seedsFast
            // Rows padded by one on each side: the kernel reads index −1 and w.
            func nms(_ allowed: [UInt8]?, _ map: inout [UInt8], _ seeds: inout [Int64]) -> Int {
                mp.withUnsafeBufferPointer { p in ma.withUnsafeBufferPointer { a in mn.withUnsafeBufferPointer { n in
                    ck_skcanny_nms_row(p.baseAddress! + 1, a.baseAddress! + 1, n.baseAddress! + 1, iv, jv, allowed, &map, w,
                                       0.2, 0.7, 1000, &seeds)
                } } }
            }
            let nFast = nms(nil, &fast, &seedsFast), nSlow = nms(ones, &slow, &seedsSlow)
            XCTAssertEqual(fast, slow, "w \(w)")
            XCTAssertEqual(nFast, nSlow, "w \(w)")
            XCTAssertEqual(Array(seedsFast[..<nFast]), Array(seedsSlow[..<nSlow]), "w \(w)")
            XCTAssertTrue(slow.contains(2) && slow.contains(0) && slow.contains(1) || w < 16, "w \(w): every outcome occurs")
        }
    }

    func testLargeSigmaUInt8PathMatchesFloatPath() throws {
        for (t, border) in [BorderMode.reflect101, .reflect, .replicate, .constant(0), .wrap].enumerated() {
            for cn in [1, 3] {
                var rng = SplitMix64(seed: UInt64(300 + t))
                let w = [40, 150][cn == 1 ? 0 : 1], h = 110
                var img = Image<UInt8>(width: w, height: h, channels: cn)
                img.withUnsafeMutablePixels { p, s in
                    for y in 0..<h { for i in 0..<(w * cn) { p[y * s + i] = UInt8(clamping: (i + 2 * y) % 200 + Int.random(in: 0...50, using: &rng)) } }
                }
                for sigma in [8.0, 12.5] {
                    let p = GaussianParameters(sigma: sigma, border: border, method: .fastApproximate)
                    let fast = try img.gaussianBlurred(p)
                    let viaFloat = try img.converted(to: Float.self).gaussianBlurred(p)
                    let a = fast.samples, b = viaFloat.samples
                    var worst = 0
                    for i in a.indices { worst = max(worst, abs(Int(a[i]) - Int(UInt8(clampingRounded: b[i] * 255)))) }
                    XCTAssertLessThanOrEqual(worst, 1, "border \(border) cn \(cn) σ \(sigma)")
                }
            }
        }
    }

    func testGuidedFastPathMatchesPlanes() throws {
        let w = 83, h = 101
        for (gc, sc, selfGuided) in [(1, 1, true), (3, 3, true), (1, 3, false), (3, 1, false), (3, 2, false), (4, 4, true)] {
            let src = randomImage(w, h, channels: sc, seed: UInt64(400 + gc * 10 + sc))
            let guide = selfGuided ? src : randomImage(w, h, channels: gc, seed: UInt64(500 + gc))
            for r in [1, 4, 9] {
                let p = GuidedParameters(radius: r, epsilon: 0.02)
                let fast = selfGuided ? try src.guidedFiltered(p) : try src.guidedFiltered(guide: guide, p)
                let gPlanes = Array(planes(of: guide).prefix(3))
                let ref = guidedPlanes(guide: gPlanes, sources: planes(of: src), width: w, height: h, radius: r,
                                       eps: 0.02 * 255 * 255, subsample: 1)
                let f = fast.samples
                var worst: Float = 0
                for y in 0..<h { for x in 0..<w { for c in 0..<sc {
                        let expected = min(255, max(0, ref[c][y * w + x].rounded()))
                    worst = max(worst, abs(Float(f[(y * w + x) * sc + c]) - expected))
                } } }
                XCTAssertLessThanOrEqual(worst, 1, "guide \(gc) source \(sc) r \(r)")
            }
        }
    }
}
