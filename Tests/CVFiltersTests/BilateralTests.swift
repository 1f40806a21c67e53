import CVCore
import CVFilters
import CVFormats
import CVTestSupport
import Foundation
import XCTest

final class BilateralTests: XCTestCase {
    /// The parameters of a fixture case. OpenCV takes even diameters (d = 4 is radius 2); we
    /// refuse them, and d + 1 names the same window.
    private func parameters(_ c: MedianBilateralCase) -> BilateralParameters {
        let d = c.int("diameter")
        return BilateralParameters(diameter: d > 0 && d % 2 == 0 ? d + 1 : d, sigmaColor: c.double("sigmaColor"),
                                   sigmaSpace: c.double("sigmaSpace"), border: c.border)
    }

    /// 8-bit gray and colour against cv2.bilateralFilter: identical, sample for sample.
    func testUInt8MatchesOpenCV() throws {
        var checked = 0
        for c in try MedianBilateralCase.all("bilateral") {
            let input = try c.inputArray()
            guard input.dtype == .uint8, c.entry["ipp"] == nil else { continue }
            let got = try input.uint8Image().bilateralFiltered(parameters(c))
            let d = differences(got.doubles, try c.expected().doubles)
            XCTAssertEqual(d.count, 0, "\(c.output): \(d.count) samples differ, max \(d.max)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 50)
    }

    /// OpenCV's pip builds send 8-bit gray windows of radius ≤ 2 to Intel IPP, which truncates the
    /// weighted mean where OpenCV's own code rounds it: at most 1 lower, on about half the pixels.
    func testUInt8AgainstIPPDiffersByTruncationOnly() throws {
        var total = 0, differing = 0
        for c in try MedianBilateralCase.all("bilateral") where c.entry["ipp"] != nil {
            let got = try c.inputArray().uint8Image().bilateralFiltered(parameters(c)).doubles
            let ipp = try c.expected().doubles
            for i in got.indices where got[i] != ipp[i] {
                XCTAssertEqual(got[i] - ipp[i], 1, "\(c.output): IPP is only ever lower, by 1")
                differing += 1
            }
            total += got.count
        }
        XCTAssertGreaterThan(total, 0)
        print("bilateral vs IPP: \(differing) of \(total) samples differ by 1")
    }

    /// The constant-time approximation stays close to the exact filter on a photograph, and its
    /// cost does not depend on the window: a 61-pixel window is accepted (the exact method
    /// refuses it).
    func testFastApproximationIsCloseToExact() throws {
        let photo = try NPYArray.fixture("filters/median_bilateral/in_fruits.npy").uint8Image()
        for (d, sc) in [(9, 75.0), (15, 40.0)] {
            let p = BilateralParameters(diameter: d, sigmaColor: sc, sigmaSpace: Double(d))
            var fast = p
            fast.method = .fastApproximate
            let exact = try photo.bilateralFiltered(p).doubles, approx = try photo.bilateralFiltered(fast).doubles
            let mse = zip(exact, approx).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(exact.count)
            let psnr = 10 * log10(255 * 255 / mse)
            XCTAssertGreaterThan(psnr, 35, "d=\(d): PSNR \(psnr)")
            print("fast bilateral d=\(d) on the fruits crop: PSNR \(psnr) dB")
        }
        let wide = BilateralParameters(diameter: 61, sigmaColor: 40, sigmaSpace: 61, method: .fastApproximate)
        XCTAssertEqual(try photo.bilateralFiltered(wide).width, photo.width)
        XCTAssertThrowsError(try photo.bilateralFiltered(BilateralParameters(diameter: 67)))
    }

    func testDefaultsAndRefusals() throws {
        let p = BilateralParameters()
        XCTAssertEqual([p.diameter, p.radius], [9, 4])
        XCTAssertEqual(p.sigmaColor, 75)
        XCTAssertEqual(p.sigmaSpace, 75)
        XCTAssertEqual(p.border, .reflect101)
        XCTAssertEqual(p.method, .exact)
        XCTAssertEqual(BilateralParameters(diameter: 0, sigmaSpace: 3).radius, 4)   // round(4.5) to even
        XCTAssertEqual(BilateralParameters(diameter: 0, sigmaSpace: 0.2).radius, 1)
        let image = Image<UInt8>(width: 4, height: 4)
        let bad: [(BilateralParameters, String)] = [
            (BilateralParameters(diameter: -1), "diameter"), (BilateralParameters(diameter: 4), "diameter"),
            (BilateralParameters(diameter: 1_000_000_001), "diameter"),
            (BilateralParameters(sigmaColor: 0), "sigmaColor"), (BilateralParameters(sigmaColor: .nan), "sigmaColor"),
            (BilateralParameters(sigmaSpace: -1), "sigmaSpace"), (BilateralParameters(sigmaSpace: .infinity), "sigmaSpace"),
            (BilateralParameters(sigmaColor: 1e9), "sigmaColor"),
            (BilateralParameters(diameter: 0, sigmaSpace: 100), "sigmaSpace"),
        ]
        for (p, name) in bad {
            XCTAssertThrowsError(try image.bilateralFiltered(p)) { error in
                guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(n, name)
            }
        }
        XCTAssertThrowsError(try Image<UInt16>(width: 4, height: 4).bilateralFiltered()) { error in
            guard case CVError.unsupported = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Image<UInt8>(width: 4, height: 4, channels: 4).bilateralFiltered())
    }

    /// Float against cv2.bilateralFilter: relative error at most 1e-5.
    func testFloatMatchesOpenCV() throws {
        var checked = 0, worst = 0.0
        for c in try MedianBilateralCase.all("bilateral") {
            let input = try c.inputArray()
            guard input.dtype == .float32 else { continue }
            let got = try input.floatImage().bilateralFiltered(parameters(c))
            let err = relativeError(got.doubles, try c.expected().doubles)
            XCTAssertLessThanOrEqual(err, 1e-5, c.output)
            worst = max(worst, err)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10)
        print("bilateral Float: \(checked) cases, largest relative error \(worst)")
    }
}
