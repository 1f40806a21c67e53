import CVCore
import CVFormats
import CVTestSupport
import XCTest
@testable import CVFilters

final class GaussianTests: XCTestCase {
    func testOpenCVFixtures() throws {
        var worstInt = 0.0, worstFloat = 0.0, count = 0
        for c in try Fixtures.cases("gaussian") {
            let input = try Fixtures.load(c["input"] as! String)
            let ref = try Fixtures.load(c["output"] as! String)
            let p = GaussianParameters.opencv(sigma: c["sigma"] as! Double, sigmaY: c["sigmaY"] as! Double,
                                              kernelWidth: c["kw"] as! Int, kernelHeight: c["kh"] as! Int,
                                              border: Fixtures.border(c["border"] as! String))
            let label = "\(c["output"]!)"
            switch input.dtype.descr {
            case "|u1":
                let d = maxAbsDiff(try input.uint8Image().gaussianBlurred(p).doubles, ref.doubles)
                worstInt = max(worstInt, d)
                XCTAssertLessThanOrEqual(d, 1, label)
            case "<u2":
                let d = maxAbsDiff(try input.uint16Image().gaussianBlurred(p).doubles, ref.doubles)
                worstInt = max(worstInt, d)
                XCTAssertLessThanOrEqual(d, 1, label)
            default:
                let e = relativeError(try input.floatImage().gaussianBlurred(p).doubles, ref.doubles)
                worstFloat = max(worstFloat, e)
                XCTAssertLessThanOrEqual(e, 1e-5, label)
            }
            count += 1
        }
        XCTAssertGreaterThan(count, 100)
        print("Gaussian OpenCV: \(count) cases, integer max abs diff \(worstInt), float max rel err \(worstFloat)")
    }

    func testScikitImageFixtures() throws {
        var worst = 0.0
        for c in try Fixtures.cases("skgaussian") {
            let input = try Fixtures.load(c["input"] as! String).floatImage()
            let ref = try Fixtures.load(c["output"] as! String)
            let p = GaussianParameters.scikitImage(sigma: c["sigma"] as! Double, mode: Fixtures.border(c["mode"] as! String))
            let e = relativeError(try input.gaussianBlurred(p).doubles, ref.doubles)
            worst = max(worst, e)
            XCTAssertLessThanOrEqual(e, 1e-5, "\(c["output"]!)")
        }
        print("Gaussian scikit-image: max rel err \(worst)")
    }

    /// Slow, readable reference: a direct 2-D sum with the fixed-point formula.
    static func referenceFixed8(_ img: Image<UInt8>, kx: [Int64], ky: [Int64], border: BorderMode) -> Image<UInt8> {
        var out = Image<UInt8>(width: img.width, height: img.height, channels: img.channels)
        let rx = kx.count / 2, ry = ky.count / 2
        var cval: Int64 = 0
        if case .constant(let v) = border { cval = Int64(v) }
        for y in 0..<img.height {
            for x in 0..<img.width {
                for c in 0..<img.channels {
                    var total: Int64 = 0
                    for j in 0..<ky.count {
                        var rowSum: Int64 = 0
                        for i in 0..<kx.count {
                            let sy = border.sourceIndex(y + j - ry, count: img.height)
                            let sx = border.sourceIndex(x + i - rx, count: img.width)
                            let v: Int64 = (sy != nil && sx != nil) ? Int64(img[sx!, sy!, c]) : cval
                            rowSum += kx[i] * v
                        }
                        total += ky[j] * rowSum
                    }
                    out[x, y, c] = UInt8((total + (1 << 15)) >> 16)
                }
            }
        }
        return out
    }

    func testFastMatchesReferenceOnRandomImages() throws {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<12 {
            let w = Int.random(in: 1...23, using: &rng), h = Int.random(in: 1...19, using: &rng)
            let cn = [1, 3, 4][trial % 3]
            let img = rng.noiseImage(width: w, height: h, channels: cn)
            let borders: [BorderMode] = [.reflect101, .reflect, .replicate, .constant(0), .wrap, .constant(200)]
            let border = borders[trial % borders.count]
            let sigma = Double.random(in: 0.5...3, using: &rng)
            let p = GaussianParameters.opencv(sigma: sigma, border: border)
            let plan = try GaussianPlan(p, pixel: UInt8.self, width: w, height: h)
            let kx = GaussianKernel.opencvFixedPoint(size: plan.sizeX, sigma: sigma, fractionBits: 8)
            let ky = GaussianKernel.opencvFixedPoint(size: plan.sizeY, sigma: sigma, fractionBits: 8)
            let ref = Self.referenceFixed8(img, kx: kx, ky: ky, border: border)
            XCTAssertEqual(try img.gaussianBlurred(p), ref, "trial \(trial) \(w)x\(h)x\(cn) \(border)")
        }
    }

    func testKernelRules() {
        XCTAssertEqual(GaussianKernel.opencvSize(sigma: 1, depth: .uint8), 7)
        XCTAssertEqual(GaussianKernel.opencvSize(sigma: 1, depth: .float32), 9)
        XCTAssertEqual(GaussianKernel.opencvSigma(size: 5), 1.1, accuracy: 1e-12)
        XCTAssertEqual(GaussianKernel.opencvFixedPoint(size: 3, sigma: 0, fractionBits: 8), [64, 128, 64])
        XCTAssertEqual(GaussianKernel.opencvFixedPoint(size: 9, sigma: 2, fractionBits: 8).reduce(0, +), 256)
    }

    func testDefaultsAndErrors() throws {
        let p = GaussianParameters()
        XCTAssertEqual(p.sigma, 1)
        XCTAssertEqual(p.sigmaY, 0)
        XCTAssertEqual(p.kernelWidth, 0)
        XCTAssertEqual(p.border, .reflect101)
        XCTAssertEqual(p.convention, .opencv)
        XCTAssertEqual(p.method, .automatic)
        let img = Image<UInt8>(width: 8, height: 8)
        XCTAssertThrowsError(try img.gaussianBlurred(GaussianParameters(sigma: -1)))
        XCTAssertThrowsError(try img.gaussianBlurred(GaussianParameters(sigma: 1, kernelWidth: 4)))
        XCTAssertThrowsError(try img.gaussianBlurred(GaussianParameters(sigma: 0)))
        XCTAssertThrowsError(try img.gaussianBlurred(GaussianParameters(sigma: .nan)))
    }

    func testFastPathAccuracy() throws {
        // Smooth-ish random image: the fast path stays within a few levels of the exact filter.
        var rng = SplitMix64(seed: 3)
        let w = 120, h = 90
        var img = Image<UInt8>(width: w, height: h)
        for y in 0..<h { for x in 0..<w { img[x, y] = UInt8(clamping: (x * 2 + y) % 256 / 2 + Int.random(in: 0...60, using: &rng)) } }
        let exact = try img.gaussianBlurred(GaussianParameters(sigma: 10, method: .exact))
        let fast = try img.gaussianBlurred(GaussianParameters(sigma: 10, method: .fastApproximate))
        let diffs = zip(exact.samples, fast.samples).map { abs(Int($0) - Int($1)) }
        let mean = Double(diffs.reduce(0, +)) / Double(diffs.count)
        print("fast Gaussian σ=10 vs exact: max \(diffs.max()!), mean \(mean)")
        XCTAssertLessThan(mean, 1.5)
    }
}
