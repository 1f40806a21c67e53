import CVCore
import XCTest
@testable import CVFilters

final class DerivativeTests: XCTestCase {
    func params(_ c: [String: Any]) -> DerivativeParameters {
        DerivativeParameters(dx: c["dx"] as! Int, dy: c["dy"] as! Int, ksize: c["ksize"] as! Int,
                             scale: c["scale"] as! Double, delta: c["delta"] as! Double,
                             border: Fixtures.border(c["border"] as! String))
    }

    func testSobelInt16Fixtures() throws {
        var n = 0
        for c in try Fixtures.cases("sobel16") {
            let input = try Fixtures.load(c["input"] as! String).uint8Image()
            let ref = try Fixtures.load(c["output"] as! String)
            let out = try input.sobelDerivativeInt16(params(c))
            XCTAssertEqual(out.samples, ref.values(Int16.self), "\(c["output"]!)")
            n += 1
        }
        XCTAssertGreaterThan(n, 30)
        print("Sobel/Scharr Int16: \(n) cases identical")
    }

    func testSobelFloatFixtures() throws {
        var worst = 0.0
        for c in try Fixtures.cases("sobel32") {
            let inputNPY = try Fixtures.load(c["input"] as! String)
            let ref = try Fixtures.load(c["output"] as! String)
            let out = inputNPY.dtype.descr == "|u1" ? try inputNPY.uint8Image().sobelDerivative(params(c)) : try inputNPY.floatImage().sobelDerivative(params(c))
            let e = relativeError(out.doubles, ref.doubles)
            worst = max(worst, e)
            XCTAssertLessThanOrEqual(e, 1e-5, "\(c["output"]!)")
        }
        print("Sobel/Scharr Float: max rel err \(worst)")
    }

    func testLaplacianFixtures() throws {
        for c in try Fixtures.cases("laplacian") {
            let input = try Fixtures.load(c["input"] as! String).uint8Image()
            let ref = try Fixtures.load(c["output"] as! String)
            let out = try input.laplacian(ksize: c["ksize"] as! Int)
            XCTAssertLessThanOrEqual(relativeError(out.doubles, ref.doubles), 1e-5, "\(c["output"]!)")
        }
    }

    func testPrewittAndGradient() throws {
        let img = try Image<Float>(width: 4, height: 3, samples: [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        let gx = try img.prewitt()
        XCTAssertEqual(gx[1, 1], 6)  // (2 - 0)·3
        let gy = try img.prewitt(dx: 0, dy: 1)
        XCTAssertEqual(gy[1, 1], 0)
        let mag = try Image<Float>.gradientMagnitude(dx: gx, dy: gy)
        XCTAssertEqual(mag[1, 1], 6)
        let angle = try Image<Float>.gradientOrientation(dx: gy, dy: gx, degrees: true)
        XCTAssertEqual(angle[1, 1], 90, accuracy: 1e-4)
        XCTAssertThrowsError(try img.prewitt(dx: 1, dy: 1))
    }

    func testDefaultsAndErrors() throws {
        let p = DerivativeParameters()
        XCTAssertEqual([p.dx, p.dy, p.ksize], [1, 0, 3])
        XCTAssertEqual(p.scale, 1)
        XCTAssertEqual(p.delta, 0)
        XCTAssertEqual(p.border, .reflect101)
        let img = Image<UInt8>(width: 5, height: 5)
        XCTAssertThrowsError(try img.sobelDerivativeInt16(DerivativeParameters(ksize: 4)))
        XCTAssertThrowsError(try img.sobelDerivativeInt16(DerivativeParameters(dx: 0, dy: 0)))
        XCTAssertThrowsError(try img.sobelDerivativeInt16(DerivativeParameters(dx: 3, dy: 0, ksize: 3)))
        XCTAssertThrowsError(try img.sobelDerivativeInt16(.scharr(dx: 1, dy: 1)))
        XCTAssertThrowsError(try img.laplacian(ksize: 2))
        XCTAssertEqual(DerivativeParameters.sobelKernel(size: 5, order: 1), [-1, -2, 0, 2, 1])
        XCTAssertEqual(DerivativeParameters.sobelKernel(size: 7, order: 0), [1, 6, 15, 20, 15, 6, 1])
    }
}
