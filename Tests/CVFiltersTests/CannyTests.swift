import CVCore
import CVFormats
import CVTestSupport
import XCTest
@testable import CVFilters
import CVTestSupport

final class CannyTests: XCTestCase {
    func testOpenCVFixtures() throws {
        var worstAgree = 1.0, worstCount = 0.0, n = 0
        for c in try Fixtures.cases("canny") {
            let input = try Fixtures.load(c["input"] as! String).uint8Image()
            let ref = try Fixtures.load(c["output"] as! String).values(UInt8.self)
            let p = CannyParameters.opencv(low: c["low"] as! Double, high: c["high"] as! Double,
                                           aperture: c["aperture"] as! Int, l2Gradient: c["l2"] as! Bool)
            let out = try input.cannyEdges(p).samples
            let agree = Double(zip(out, ref).filter { $0 == $1 }.count) / Double(ref.count)
            let refEdges = Double(ref.filter { $0 != 0 }.count), outEdges = Double(out.filter { $0 != 0 }.count)
            let countErr = refEdges == 0 ? outEdges : abs(outEdges - refEdges) / refEdges
            worstAgree = min(worstAgree, agree)
            worstCount = max(worstCount, countErr)
            XCTAssertGreaterThanOrEqual(agree, 0.999, "\(c["output"]!)")
            XCTAssertLessThanOrEqual(countErr, 0.005, "\(c["output"]!)")
            n += 1
        }
        print("Canny OpenCV: \(n) cases, worst agreement \(worstAgree * 100)%, worst edge-count error \(worstCount * 100)%")
    }

    func testScikitImageFixtures() throws {
        var worst = 1.0
        for c in try Fixtures.cases("skcanny") {
            let inputNPY = try Fixtures.load(c["input"] as! String)
            let ref = try Fixtures.load(c["output"] as! String).values(UInt8.self)
            let p = CannyParameters.scikitImage(sigma: c["sigma"] as! Double, low: c["low"] as? Double,
                                                high: c["high"] as? Double, useQuantiles: c["quantiles"] as! Bool)
            let mask = try (c["mask"] as? String).map { try Fixtures.load($0).uint8Image() }
            let out = inputNPY.dtype.descr == "|u1" ? try inputNPY.uint8Image().cannyEdges(p, mask: mask).samples
                                               : try inputNPY.floatImage().cannyEdges(p, mask: mask).samples
            let agree = Double(zip(out, ref).filter { $0 == $1 }.count) / Double(ref.count)
            worst = min(worst, agree)
            XCTAssertGreaterThanOrEqual(agree, 0.995, "\(c["output"]!)")
        }
        print("Canny scikit-image: worst agreement \(worst * 100)%")
    }

    /// Slow, readable reference of cv2.Canny: full-image arrays, per-pixel rules, BFS.
    static func referenceCanny(_ img: Image<UInt8>, low: Double, high: Double, aperture: Int, l2: Bool) -> [UInt8] {
        let w = img.width, h = img.height
        let (dxI, dyI) = cannyDerivatives(img, aperture: aperture)
        let (lo, hi) = opencvIntegerThresholds(low: low, high: high, aperture: aperture, l2: l2)
        func mag(_ x: Int, _ y: Int) -> Int {
            guard x >= 0, x < w, y >= 0, y < h else { return 0 }
            let a = Int(dxI[x, y]), b = Int(dyI[x, y])
            return l2 ? a * a + b * b : abs(a) + abs(b)
        }
        var state = [Int](repeating: 0, count: w * h)  // 0 no, 1 weak, 2 strong
        for y in 0..<h {
            for x in 0..<w {
                let m = mag(x, y)
                guard m > Int(lo) else { continue }
                let gx = Double(dxI[x, y]), gy = Double(dyI[x, y])
                let t = abs(gy) / max(abs(gx), 1e-300)
                let keep: Bool
                if abs(gy) * 32768 < abs(gx) * 13573 {           // horizontal gradient
                    keep = m > mag(x - 1, y) && m >= mag(x + 1, y)
                } else if abs(gy) * 32768 > abs(gx) * (13573 + 65536) {  // vertical gradient
                    keep = m > mag(x, y - 1) && m >= mag(x, y + 1)
                } else {                                             // diagonal
                    let s = (gx < 0) != (gy < 0) ? -1 : 1
                    keep = m > mag(x - s, y - 1) && m > mag(x + s, y + 1)
                }
                _ = t
                if keep { state[y * w + x] = m > Int(hi) ? 2 : 1 }
            }
        }
        var queue = (0..<(w * h)).filter { state[$0] == 2 }
        while let i = queue.popLast() {
            let x = i % w, y = i / w
            for yy in max(0, y - 1)...min(h - 1, y + 1) {
                for xx in max(0, x - 1)...min(w - 1, x + 1) where state[yy * w + xx] == 1 {
                    state[yy * w + xx] = 2
                    queue.append(yy * w + xx)
                }
            }
        }
        return state.map { $0 == 2 ? 255 : 0 }
    }

    func testFastMatchesReferenceOnRandomImages() throws {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<10 {
            let w = Int.random(in: 3...60, using: &rng), h = Int.random(in: 3...50, using: &rng)
            var img = rng.noiseImage(width: w, height: h)
            img = try img.gaussianBlurred(.opencv(sigma: 1))
            let aperture = [3, 5, 7][trial % 3]
            let l2 = trial % 2 == 1
            let scale = [3: 1.0, 5: 6.0, 7: 16.0][aperture]!
            let lo = 20 * scale, hi = 60 * scale
            let fast = try img.cannyEdges(.opencv(low: lo, high: hi, aperture: aperture, l2Gradient: l2)).samples
            XCTAssertEqual(fast, Self.referenceCanny(img, low: lo, high: hi, aperture: aperture, l2: l2), "trial \(trial)")
        }
    }

    /// The Float scikit-image pipeline against its Double statement on random images (every
    /// border mode, masks, quantiles, UInt8 and Float input). Float rounding may flip a pixel
    /// whose NMS comparison or threshold is a near-tie; at most 0.1% may differ.
    func testScikitImageFastMatchesDoubleReference() throws {
        var rng = SplitMix64(seed: 23)
        var worst = 1.0, edges = 0
        for trial in 0..<12 {
            let w = Int.random(in: 3...90, using: &rng), h = Int.random(in: 3...70, using: &rng)
            var img = rng.noiseImage(width: w, height: h)
            img = try img.gaussianBlurred(.opencv(sigma: 1.5))
            let modes: [BorderMode] = [.constant(0), .reflect, .replicate, .wrap, .constant(0.3), .reflect101]
            var mask: Image<UInt8>? = nil
            if trial % 4 == 3 {
                var m = Image<UInt8>(width: w, height: h)
                for y in 0..<h { for x in 0..<w { m[x, y] = (x * 7 + y * 3) % 11 == 0 ? 0 : 1 } }
                mask = m
            }
            let p = CannyParameters.scikitImage(sigma: [1, 1.5, 2][trial % 3], low: trial % 5 == 4 ? 0.3 : nil,
                                                high: trial % 5 == 4 ? 0.7 : nil, useQuantiles: trial % 5 == 4,
                                                mode: modes[trial % modes.count])
            for floatInput in [false, true] {
                let fast = floatInput ? try img.converted(to: Float.self).cannyEdges(p, mask: mask).samples : try img.cannyEdges(p, mask: mask).samples
                let ref = floatInput ? try cannyScikitImageReference(img.converted(to: Float.self), p, mask: mask).samples
                                     : try cannyScikitImageReference(img, p, mask: mask).samples
                let agree = Double(zip(fast, ref).filter { $0 == $1 }.count) / Double(ref.count)
                worst = min(worst, agree)
                XCTAssertGreaterThanOrEqual(agree, 0.999, "trial \(trial) \(w)x\(h) float \(floatInput)")
                edges += ref.filter { $0 != 0 }.count
            }
        }
        XCTAssertGreaterThan(edges, 500, "the random images should have edges to compare")
        print("Canny scikit-image fast vs Double reference: worst agreement \(worst * 100)%, \(edges) edge pixels")
    }

    func testDefaultsAndErrors() throws {
        guard case .opencv(let p) = CannyParameters().convention else { return XCTFail("the default is OpenCV's") }
        XCTAssertNil(p.low)
        XCTAssertNil(p.high)
        XCTAssertEqual(p.aperture, 3)
        XCTAssertFalse(p.l2Gradient)
        XCTAssertEqual(p.sigma, 1.4)
        XCTAssertEqual(p.autoThreshold, .median(spread: 0.33))
        guard case .scikitImage(let sk) = CannyParameters.scikitImage().convention else { return XCTFail("scikit-image") }
        XCTAssertEqual(sk.sigma, 1)
        XCTAssertEqual(sk.mode, .constant(0))
        let img = Image<UInt8>(width: 16, height: 16)
        XCTAssertThrowsError(try img.cannyEdges(.opencv(low: 100, high: 50)))
        XCTAssertThrowsError(try img.cannyEdges(.opencv(low: 10, high: 50, aperture: 4)))
        XCTAssertThrowsError(try img.cannyEdges(.opencv(low: -1, high: 50)))
        XCTAssertThrowsError(try img.cannyEdges(.scikitImage(low: 0.5, high: 1.5, useQuantiles: true)))
        XCTAssertThrowsError(try Image<UInt8>(width: 4, height: 4, channels: 3).cannyEdges(.scikitImage()))
        // Photo default on a flat image: no edges, no crash.
        XCTAssertEqual(try img.cannyEdges().samples.filter { $0 != 0 }.count, 0)
    }

    /// Each convention carries its own documented defaults, and `validate()` throws what the
    /// pipeline would throw.
    func testConventionDefaultsAndValidation() throws {
        let o = OpenCVCanny()
        XCTAssertEqual(o, OpenCVCanny(low: nil, high: nil, aperture: 3, l2Gradient: false, sigma: 1.4,
                                      autoThreshold: .median(spread: 0.33)))
        guard case .opencv(let cv) = CannyParameters.opencv(low: 10, high: 20).convention else { return XCTFail("opencv") }
        XCTAssertEqual(cv.sigma, 0)
        let s = ScikitImageCanny()
        XCTAssertEqual(s, ScikitImageCanny(sigma: 1, low: nil, high: nil, useQuantiles: false, mode: .constant(0)))
        XCTAssertNoThrow(try CannyParameters().validate())
        XCTAssertThrowsError(try CannyParameters.opencv(low: 100, high: 50).validate())
        XCTAssertThrowsError(try CannyParameters.scikitImage(low: 0.3, high: 0.2).validate())
        XCTAssertThrowsError(try CannyParameters(.opencv(OpenCVCanny(sigma: -1))).validate())
        XCTAssertThrowsError(try CannyParameters.scikitImage(sigma: .nan).validate())
        XCTAssertThrowsError(try Image<UInt8>(width: 8, height: 8).cannyEdges(.opencv(low: 1, high: 2), mask: Image<UInt8>(width: 8, height: 8)))
    }

    func testAutomaticThresholds() {
        var img = Image<UInt8>(width: 10, height: 1)
        for x in 0..<10 { img[x, 0] = UInt8(x * 20) }
        let (l, h) = automaticThresholds(img, .median(spread: 0.5))
        XCTAssertEqual(l, 45)
        XCTAssertEqual(h, 135)
        var hist = [Int](repeating: 0, count: 256)
        hist[10] = 50; hist[200] = 50
        let t = otsuThreshold(hist)
        XCTAssertTrue((10..<200).contains(t))
    }
}
