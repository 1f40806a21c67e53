import CVCore
import CVFormats
import CVTestSupport
import XCTest
import CVFilters

final class KernelTests: XCTestCase {
    let sobelX = try! Kernel(rows: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    let gaussian5 = try! Kernel(row: GaussianKernel.opencvTaps(size: 5, sigma: 1.2),
                                column: GaussianKernel.opencvTaps(size: 5, sigma: 1.2))

    private func rebuilt(_ terms: [SeparableTerm], width: Int, height: Int) -> [Double] {
        var c = [Double](repeating: 0, count: width * height)
        for t in terms { for y in 0..<height { for x in 0..<width { c[y * width + x] += t.column[y] * t.row[x] } } }
        return c
    }

    func testSVDFindsTheRank() throws {
        var rng = SplitMix64(seed: 3)
        func vector(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
        XCTAssertEqual(sobelX.separableTerms().count, 1)
        XCTAssertEqual(gaussian5.separableTerms().count, 1)
        // A sum of two outer products, in both orientations (wide and tall).
        for (w, h) in [(7, 4), (4, 7), (6, 6)] {
            let k = try Kernel(row: vector(w), column: vector(h)) + Kernel(row: vector(w), column: vector(h))
            let terms = k.separableTerms()
            XCTAssertEqual(terms.count, 2, "\(w)x\(h)")
            XCTAssertLessThanOrEqual(maxAbsDiff(rebuilt(terms, width: w, height: h), k.coefficients), 1e-12)
            let full = try Kernel(width: w, height: h, coefficients: vector(w * h))
            let all = full.separableTerms()
            XCTAssertEqual(all.count, min(w, h))
            XCTAssertLessThanOrEqual(maxAbsDiff(rebuilt(all, width: w, height: h), full.coefficients), 1e-12)
        }
        XCTAssertTrue(try Kernel(rows: [[0, 0], [0, 0]]).separableTerms().isEmpty)
    }

    func testAlgebraIdentities() throws {
        var rng = SplitMix64(seed: 8)
        let image = rng.image(41, 29, 3).converted(to: Float.self)
        let a = try Kernel(rows: [[1, 2, 0], [0, -1, 3]], anchorX: 0, anchorY: 1)
        let b = try Kernel(rows: [[0.5], [0.25], [-2]])
        let p = Filter2DParameters(border: .replicate)
        // Parallel branches: filtering with a + b is filtering with a plus filtering with b.
        let sum = try image.filtered2D(a + b, p).doubles
        let parts = zip(try image.filtered2D(a, p).doubles, try image.filtered2D(b, p).doubles).map { $0 + $1 }
        XCTAssertLessThanOrEqual(relativeError(sum, parts), 1e-6)
        // Scaling.
        let scaled = try image.filtered2D(2.5 * a, p).doubles
        XCTAssertLessThanOrEqual(relativeError(scaled, try image.filtered2D(a, p).doubles.map { 2.5 * $0 }), 1e-6)
        // Flipping twice is the identity; convolution of an impulse gives the kernel back.
        XCTAssertEqual(a.flipped.flipped, a)
        var impulse = Image<Float>(width: 7, height: 7)
        impulse.withUnsafeMutablePixels { p, s in p[3 * s + 3] = 1 }
        let response = try impulse.filtered2D(a.flipped, Filter2DParameters(border: .constant(0))).samples
        XCTAssertEqual(response[(3 - 1) * 7 + 3 + 0], Float(a[0, 0]))  // K[0][0] lands anchor-relative
        XCTAssertEqual(response[(3 + 0) * 7 + 3 + 2], Float(a[2, 1]))
    }

    /// Gaussian → Sobel as one kernel (rank 1, so two 1-D passes of 7 taps) against the two
    /// filters run one after the other: equal within Float rounding away from the border.
    func testFusedChainEqualsTwoPasses() throws {
        var rng = SplitMix64(seed: 12)
        let image = rng.image(64, 48, 1).converted(to: Float.self)
        let fused = try gaussian5.then(sobelX)
        XCTAssertEqual(fused.width, 7)
        XCTAssertEqual(fused.separableTerms().count, 1)
        let p = Filter2DParameters(method: .automatic)
        let one = try image.filtered2D(fused, p)
        let two = try image.filtered2D(gaussian5).filtered2D(sobelX)
        let margin = 3
        var worst = 0.0, scale = 0.0
        for y in margin..<(48 - margin) { for x in margin..<(64 - margin) {
            worst = max(worst, Double(abs(one[x, y] - two[x, y])))
            scale = max(scale, Double(abs(two[x, y])))
        } }
        XCTAssertLessThanOrEqual(worst / scale, 1e-5)
        print("Gaussian→Sobel fused vs two passes (interior): max rel diff \(worst / scale)")
    }

    /// The automatic method (separable where cheaper) against the direct sum.
    func testAutomaticMatchesDirect() throws {
        var rng = SplitMix64(seed: 21)
        let image = rng.image(53, 37, 3)
        let log = try Kernel(row: GaussianKernel.scipySecondDerivativeTaps(sigma: 1.5, truncate: 3),
                             column: GaussianKernel.scipyTaps(sigma: 1.5, truncate: 3))
            + Kernel(row: GaussianKernel.scipyTaps(sigma: 1.5, truncate: 3),
                     column: GaussianKernel.scipySecondDerivativeTaps(sigma: 1.5, truncate: 3))
        XCTAssertEqual(log.separableTerms().count, 2)
        for kernel in [gaussian5, try gaussian5.then(sobelX), log] {
            for border in [BorderMode.reflect101, .constant(0)] {
                let direct = try image.filtered2D(kernel, as: Float.self, Filter2DParameters(delta: 1, border: border))
                let auto = try image.filtered2D(kernel, as: Float.self,
                                                Filter2DParameters(delta: 1, border: border, method: .automatic))
                XCTAssertLessThanOrEqual(relativeError(auto.doubles, direct.doubles), 1e-5, "\(kernel) \(border)")
                let direct8 = try image.filtered2D(kernel, Filter2DParameters(delta: 1, border: border))
                let auto8 = try image.filtered2D(kernel, Filter2DParameters(delta: 1, border: border, method: .automatic))
                XCTAssertLessThanOrEqual(maxAbsDiff(auto8.doubles, direct8.doubles), 1)
            }
        }
    }

    func testAlgebraRefusesOversizedResults() throws {
        let wide = try Kernel(width: 4_000, height: 1, coefficients: .init(repeating: 1, count: 4_000))
        XCTAssertThrowsError(try wide.then(wide)) { assertNames($0, "kernel") }
        let square = try Kernel(width: 100, height: 100, coefficients: .init(repeating: 1, count: 10_000))
        XCTAssertThrowsError(try square.then(square)) { assertNames($0, "kernel") }
    }
}
