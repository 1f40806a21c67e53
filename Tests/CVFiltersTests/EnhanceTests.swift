import CVCore
import CVFormats
import CVTestSupport
import XCTest
import CVFilters

final class EnhanceTests: XCTestCase {
    /// Against the NumPy composition of cv2.ximgproc.guidedFilter per channel: ≤ 1 level.
    func testMatchesOpenCVComposition() throws {
        var worst = 0.0
        for c in KernelFixtures.cases("enhance") {
            let input = try Fixtures.load(c["input"] as! String).uint8Image()
            let ref = try Fixtures.load(c["output"] as! String)
            let p = DetailEnhancementParameters(amount: c["amount"] as! Double, radius: c["radius"] as! Int,
                                                epsilon: c["eps"] as! Double)
            let d = maxAbsDiff(try input.detailEnhanced(p).doubles, ref.doubles)
            worst = max(worst, d)
            XCTAssertLessThanOrEqual(d, 1, c["output"] as! String)
        }
        print("enhance vs cv2.ximgproc composition: max abs diff \(worst)")
    }

    func testAmountOneIsIdentityAndZeroIsTheBase() throws {
        var rng = SplitMix64(seed: 31)
        let image = rng.image(40, 30, 3)
        XCTAssertEqual(try image.detailEnhanced(DetailEnhancementParameters(amount: 1)), image)
        let base = try image.detailEnhanced(DetailEnhancementParameters(amount: 0, radius: 4))
        let gray = try image.channel(1).converted(to: Float.self).guidedFiltered(GuidedParameters(radius: 4, epsilon: 0.01))
        XCTAssertLessThanOrEqual(maxAbsDiff(base.channel(1).doubles, gray.converted(to: UInt8.self).doubles), 1)
        // More detail: the enhanced image strays further from the base than the input does.
        let strong = try image.detailEnhanced(DetailEnhancementParameters(amount: 3, radius: 4))
        func distance(_ a: Image<UInt8>) -> Double { zip(a.doubles, base.doubles).map { abs($0 - $1) }.reduce(0, +) }
        XCTAssertGreaterThan(distance(strong), 1.5 * distance(image))
    }

    func testKeepsAlphaAndRefuses() throws {
        var rng = SplitMix64(seed: 2)
        let rgba = rng.noiseImage(width: 12, height: 9, channels: 4)
        XCTAssertEqual(try rgba.detailEnhanced().channel(3), rgba.channel(3))
        for bad in [-1, .nan, 1e9] {
            XCTAssertThrowsError(try rgba.detailEnhanced(DetailEnhancementParameters(amount: bad))) { assertNames($0, "amount") }
        }
        XCTAssertThrowsError(try rgba.detailEnhanced(DetailEnhancementParameters(radius: 0))) { assertNames($0, "radius") }
        XCTAssertThrowsError(try rgba.detailEnhanced(DetailEnhancementParameters(epsilon: -1))) { assertNames($0, "epsilon") }
    }
}
