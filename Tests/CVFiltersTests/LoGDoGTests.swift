import CVCore
import CVFormats
import CVTestSupport
import XCTest
import CVFilters

final class LoGDoGTests: XCTestCase {
    /// scipy.ndimage.gaussian_laplace on the raw values (float64): ≤ 1e-5 of the largest magnitude.
    func testLaplacianOfGaussianMatchesSciPy() throws {
        var worst = 0.0
        let cases = KernelFixtures.cases("log")
        XCTAssertGreaterThan(cases.count, 8)
        for c in cases {
            let input = try Fixtures.load(c["input"] as! String), ref = try Fixtures.load(c["output"] as! String)
            let p = LaplacianOfGaussianParameters(sigma: c["sigma"] as! Double, border: Fixtures.border(c["mode"] as! String))
            let got = input.dtype.descr == "|u1" ? try input.uint8Image().laplacianOfGaussian(p)
                                                 : try input.floatImage().laplacianOfGaussian(p)
            let e = relativeError(got.doubles, ref.doubles)
            worst = max(worst, e)
            XCTAssertLessThanOrEqual(e, 1e-5, c["output"] as! String)
        }
        print("LoG vs scipy: max rel err \(worst)")
    }

    /// skimage.filters.difference_of_gaussians (img_as_float): ≤ 1e-5 of the largest magnitude.
    func testDifferenceOfGaussiansMatchesScikitImage() throws {
        var worst = 0.0
        for c in KernelFixtures.cases("dog") {
            let input = try Fixtures.load(c["input"] as! String), ref = try Fixtures.load(c["output"] as! String)
            let p = DifferenceOfGaussiansParameters(lowSigma: c["low"] as! Double, highSigma: c["high"] as? Double,
                                                    border: Fixtures.border(c["mode"] as! String))
            let got = input.dtype.descr == "|u1" ? try input.uint8Image().differenceOfGaussians(p)
                                                 : try input.floatImage().differenceOfGaussians(p)
            let e = relativeError(got.doubles, ref.doubles)
            worst = max(worst, e)
            XCTAssertLessThanOrEqual(e, 1e-5, c["output"] as! String)
        }
        print("DoG vs scikit-image: max rel err \(worst)")
    }

    /// The two conventions differ by the full scale exactly; the documented defaults.
    func testIntensityConventionsAndDefaults() throws {
        var rng = SplitMix64(seed: 4)
        let image = rng.image(30, 20, 1)
        let raw = try image.differenceOfGaussians(DifferenceOfGaussiansParameters(intensity: .raw))
        let unit = try image.differenceOfGaussians()
        XCTAssertLessThanOrEqual(relativeError(unit.doubles.map { $0 * 255 }, raw.doubles), 1e-5)
        let logUnit = try image.laplacianOfGaussian(LaplacianOfGaussianParameters(intensity: .unitRange))
        XCTAssertLessThanOrEqual(relativeError(logUnit.doubles.map { $0 * 255 }, try image.laplacianOfGaussian().doubles), 1e-5)
        let l = LaplacianOfGaussianParameters(), d = DifferenceOfGaussiansParameters()
        XCTAssertEqual(l.sigma, 1); XCTAssertEqual(l.truncate, 4); XCTAssertEqual(l.border, .reflect); XCTAssertEqual(l.intensity, .raw)
        XCTAssertEqual(d.lowSigma, 1); XCTAssertEqual(d.effectiveHighSigma, 1.6); XCTAssertEqual(d.border, .replicate)
        XCTAssertEqual(d.intensity, .unitRange)
    }

    func testRefusals() throws {
        let image = Image<UInt8>(width: 8, height: 8)
        for bad in [0, -1, .nan, .infinity, 1e9] {
            XCTAssertThrowsError(try image.laplacianOfGaussian(LaplacianOfGaussianParameters(sigma: bad))) { assertNames($0, "sigma") }
            XCTAssertThrowsError(try image.differenceOfGaussians(DifferenceOfGaussiansParameters(lowSigma: bad))) {
                assertNames($0, "lowSigma")
            }
        }
        XCTAssertThrowsError(try image.laplacianOfGaussian(LaplacianOfGaussianParameters(truncate: .nan))) { assertNames($0, "truncate") }
        XCTAssertThrowsError(try image.differenceOfGaussians(DifferenceOfGaussiansParameters(lowSigma: 2, highSigma: 1))) {
            assertNames($0, "highSigma")
        }
        XCTAssertThrowsError(try image.differenceOfGaussians(DifferenceOfGaussiansParameters(lowSigma: 2, highSigma: 1e12))) {
            assertNames($0, "highSigma")
        }
    }
}
