import CVCore
import CVFormats
import CVTestSupport
import XCTest
import CVFilters

final class DehazeTests: XCTestCase {
    /// Against the NumPy/OpenCV statement of the steps (cv2.erode, cv2.ximgproc.guidedFilter).
    func testMatchesOpenCVComposition() throws {
        let c = try XCTUnwrap(KernelFixtures.cases("dehaze").first)
        let hazy = try Fixtures.load(c["input"] as! String).uint8Image()
        let result = try hazy.dehazed()
        // NumPy scales u8/255 in float64 before rounding to float32: an ulp apart at most.
        for (got, want) in zip(result.atmosphericLight, c["light"] as! [Double]) { XCTAssertEqual(Double(got), want, accuracy: 1e-6) }
        let dImage = maxAbsDiff(result.image.doubles, try Fixtures.load(c["output"] as! String).doubles)
        let dT = maxAbsDiff(result.transmission.doubles, try Fixtures.load(c["transmission"] as! String).doubles)
        print("dehaze vs NumPy/OpenCV: image max abs diff \(dImage), transmission max abs diff \(dT)")
        XCTAssertLessThanOrEqual(dImage, 1)
        XCTAssertLessThanOrEqual(dT, 1e-4)
    }

    /// A haze-free scene J with dark pixels in every patch (the prior holds) under a band of
    /// sky (t = 0, pure airlight A), hazed with a known t and A: the recovery finds A and brings
    /// J back below the sky.
    func testRecoversASyntheticScene() throws {
        let w = 96, h = 64, sky = 8
        var rng = SplitMix64(seed: 77)
        var scene = [Float](repeating: 0, count: w * h * 3), hazy = scene
        let light: [Float] = [0.9, 0.92, 0.95]
        for y in 0..<h { for x in 0..<w {
            let t: Float = y < sky ? 0 : 0.4 + 0.5 * Float(x) / Float(w)   // sky, then 0.4 … 0.9
            for c in 0..<3 {
                // Dark texture on every 4th pixel keeps the dark channel near 0 (the prior).
                let j: Float = (x + y) % 4 == 0 ? 0.02 : Float.random(in: 0.2...0.7, using: &rng)
                scene[(y * w + x) * 3 + c] = j
                hazy[(y * w + x) * 3 + c] = j * t + light[c] * (1 - t)
            }
        } }
        let input = try Image<Float>(width: w, height: h, channels: 3, samples: hazy)
        let truth = try Image<Float>(width: w, height: h, channels: 3, samples: scene)
        let result = try input.dehazed(DehazeParameters(patchSize: 7, radius: 8, epsilon: 1e-3))
        for c in 0..<3 { XCTAssertEqual(result.atmosphericLight[c], light[c], accuracy: 0.03) }
        let below = sky * w * 3  // the scene under the sky band
        func meanError(_ a: Image<Float>) -> Double {
            zip(a.doubles[below...], truth.doubles[below...]).map { abs($0 - $1) }.reduce(0, +) / Double(a.doubles.count - below)
        }
        let before = meanError(input), after = meanError(result.image)
        print("dehaze synthetic: mean abs error hazy \(before), recovered \(after)")
        XCTAssertLessThan(after, 0.05)
        XCTAssertLessThan(after, before / 4)
    }

    /// The documented defaults are the paper's (and the other guided applications' too).
    func testDefaults() {
        let d = DehazeParameters()
        XCTAssertEqual([Double(d.patchSize), d.omega, d.brightestFraction, d.minTransmission, Double(d.radius), d.epsilon],
                       [15, 0.95, 0.001, 0.1, 60, 1e-4])
        let e = DetailEnhancementParameters(), f = FeatheringParameters(), k = Filter2DParameters()
        XCTAssertEqual([e.amount, Double(e.radius), e.epsilon, Double(f.radius), f.epsilon], [5, 16, 0.01, 60, 1e-6])
        XCTAssertEqual(k.delta, 0)
        XCTAssertEqual(k.border, .reflect101)
        XCTAssertEqual(k.method, .direct)
        XCTAssertEqual(k.rankTolerance, 1e-6)
    }

    func testRefusals() throws {
        let image = Image<UInt8>(width: 8, height: 8, channels: 3)
        for bad in [0, 4, -3, 1_000_001] {
            XCTAssertThrowsError(try image.dehazed(DehazeParameters(patchSize: bad))) { assertNames($0, "patchSize") }
        }
        for bad in [0, -0.5, .nan, 1.5] {
            XCTAssertThrowsError(try image.dehazed(DehazeParameters(omega: bad))) { assertNames($0, "omega") }
            XCTAssertThrowsError(try image.dehazed(DehazeParameters(minTransmission: bad))) { assertNames($0, "minTransmission") }
            XCTAssertThrowsError(try image.dehazed(DehazeParameters(brightestFraction: bad))) { assertNames($0, "brightestFraction") }
        }
        XCTAssertThrowsError(try image.dehazed(DehazeParameters(radius: 0))) { assertNames($0, "radius") }
        XCTAssertThrowsError(try image.dehazed(DehazeParameters(epsilon: .infinity))) { assertNames($0, "epsilon") }
    }
}
