import CVCore
import XCTest
@testable import CVFilters

/// Every absurd parameter value is refused with `CVError.invalidParameter` naming the parameter
/// as the caller wrote it, before any kernel is built or memory allocated.
final class ParameterLimitTests: XCTestCase {
    private let image = Image<UInt8>(width: 9, height: 7, channels: 1)

    private func assertInvalid<T>(_ name: String, line: UInt = #line, _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), line: line) { error in
            guard case let CVError.invalidParameter(n, _) = error else {
                return XCTFail("expected invalidParameter(\(name)), got \(error)", line: line)
            }
            XCTAssertEqual(n, name, line: line)
        }
    }

    func testGaussianRefusesAbsurdValues() {
        for sigma in [Double.nan, -1, .infinity, 1e9, GaussianParameters.maxSigma * 2] {
            assertInvalid("sigma") { try GaussianParameters(sigma: sigma).validate() }
            assertInvalid("sigma") { try image.gaussianBlurred(GaussianParameters(sigma: sigma)) }
            assertInvalid("sigmaY") { try image.gaussianBlurred(GaussianParameters(sigma: 1, sigmaY: sigma)) }
            assertInvalid("sigma") { try image.gaussianBlurred(.scikitImage(sigma: sigma)) }
        }
        assertInvalid("sigma") { try image.gaussianBlurred(GaussianParameters(sigma: 0)) }
        for k in [-3, 4, 0x7fff_ffff_ffff_ffff, GaussianParameters.maxExactKernelSize + 2] {
            assertInvalid("kernelWidth") { try image.gaussianBlurred(GaussianParameters(sigma: 1, kernelWidth: k)) }
            assertInvalid("kernelHeight") { try image.gaussianBlurred(GaussianParameters(sigma: 1, kernelHeight: k)) }
        }
        for t in [Double.nan, 0, -1, .infinity] {
            assertInvalid("truncate") { try image.gaussianBlurred(.scikitImage(sigma: 1, truncate: t)) }
        }
        assertInvalid("truncate") { try image.gaussianBlurred(.scikitImage(sigma: 1, truncate: 1e12)) }
        // The exact method refuses kernels it could not run in reasonable time; the O(1)
        // path takes the same σ.
        assertInvalid("sigma") { try image.gaussianBlurred(GaussianParameters(sigma: 1_000, method: .exact)) }
        assertInvalid("sigmaY") { try image.gaussianBlurred(.opencv(sigma: 1, sigmaY: 1_000)) }
        XCTAssertNoThrow(try image.gaussianBlurred(GaussianParameters(sigma: 1_000)))
    }

    func testBoxRefusesAbsurdRadii() {
        for r in [-1, BoxParameters.maxRadius + 1, Int.max] {
            assertInvalid("radius") { try image.boxFiltered(BoxParameters(radius: r)) }
        }
        for r in [-2, BoxParameters.maxRadius + 1, Int.max] {
            assertInvalid("radiusY") { try image.boxFiltered(BoxParameters(radius: 1, radiusY: r)) }
        }
        XCTAssertNoThrow(try image.boxFiltered(BoxParameters(radius: 1_000)))
    }

    func testGuidedRefusesAbsurdValues() {
        for r in [0, -1, GuidedParameters.maxRadius + 1, Int.max] {
            assertInvalid("radius") { try image.guidedFiltered(GuidedParameters(radius: r)) }
        }
        for eps in [Double.nan, 0, -1, .infinity, 1e300] {
            assertInvalid("epsilon") { try image.guidedFiltered(GuidedParameters(epsilon: eps)) }
        }
        for s in [0, -1, GuidedParameters.maxSubsample + 1, Int.max] {
            assertInvalid("subsample") { try image.guidedFiltered(GuidedParameters(subsample: s)) }
        }
    }
}
