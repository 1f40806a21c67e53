import CVCore
import CVFormats
import XCTest
@testable import CVFilters

final class SmoothingTests: XCTestCase {
    func testBoxFixtures() throws {
        var worstInt = 0.0, worstFloat = 0.0
        for c in try Fixtures.cases("box") {
            let input = try Fixtures.load(c["input"] as! String)
            let ref = try Fixtures.load(c["output"] as! String)
            let p = BoxParameters(radius: c["radius"] as! Int, normalize: c["normalize"] as! Bool,
                                  border: Fixtures.border(c["border"] as! String))
            if input.dtype.descr == "|u1" {
                let d = maxAbsDiff(try input.uint8Image().boxFiltered(p).doubles, ref.doubles)
                worstInt = max(worstInt, d)
                XCTAssertLessThanOrEqual(d, 1, "\(c["output"]!)")
            } else {
                let e = relativeError(try input.floatImage().boxFiltered(p).doubles, ref.doubles)
                worstFloat = max(worstFloat, e)
                XCTAssertLessThanOrEqual(e, 1e-5, "\(c["output"]!)")
            }
        }
        print("Box: UInt8 max abs diff \(worstInt), Float max rel err \(worstFloat)")
    }

    func testBoxMatchesDirectSum() throws {
        var rng = SplitMix64(seed: 5)
        let w = 17, h = 13
        let img = try Image<Float>(width: w, height: h, samples: (0..<(w * h)).map { _ in Float.random(in: 0...1, using: &rng) })
        for border in [BorderMode.reflect101, .reflect, .replicate, .constant(0.5), .wrap] {
            let r = 3
            let out = try img.boxFiltered(BoxParameters(radius: r, normalize: false, border: border))
            for y in 0..<h {
                for x in 0..<w {
                    var s: Float = 0
                    for yy in (y - r)...(y + r) {
                        for xx in (x - r)...(x + r) {
                            if let sy = border.sourceIndex(yy, count: h), let sx = border.sourceIndex(xx, count: w) { s += img[sx, sy] } else { s += 0.5 }
                        }
                    }
                    XCTAssertEqual(out[x, y], s, accuracy: 1e-4)
                }
            }
        }
        XCTAssertThrowsError(try img.boxFiltered(BoxParameters(radius: -1)))
    }

    /// The UInt8 integer path against the Double reference on random images: every border,
    /// narrow (shifted adds) and wide (doubling levels: 17, 21, 31, 33, 41, 203, 255 taps) windows, 1–4 channels, normalized or not.
    func testBoxUInt8MatchesReference() throws {
        var rng = SplitMix64(seed: 11)
        // Uniform noise, and 0/255 noise whose window sums reach the extremes the 16-bit
        // reciprocal must divide exactly.
        for (w, h, cn, binary) in [(37, 23, 1, false), (64, 40, 3, false), (9, 50, 4, false), (5, 3, 2, false),
                                   (41, 30, 3, true)] {
            let img = try Image<UInt8>(width: w, height: h, channels: cn, samples: (0..<(w * h * cn)).map { _ in
                binary ? (UInt8.random(in: 0...7, using: &rng) == 0 ? 0 : 255) : UInt8.random(in: 0...255, using: &rng)
            })
            for border in [BorderMode.reflect101, .reflect, .replicate, .constant(200), .wrap] {
                // Areas 9, 25, 55, 63, 225 (16-bit columns), 203 (no 16-bit reciprocal), 289 and
                // more (32-bit columns).
                for (rx, ry) in [(0, 0), (1, 1), (2, 2), (2, 5), (7, 3), (3, 4), (7, 7), (101, 0), (8, 8), (10, 1), (15, 2),
                                 (16, 0), (20, 2), (127, 1)] {
                    for normalize in [true, false] {
                        let p = BoxParameters(radius: rx, radiusY: ry, normalize: normalize, border: border)
                        let fast = try img.boxFiltered(p), slow = try boxFilterReference(img, p)
                        XCTAssertEqual(fast.samples, slow.samples, "\(w)x\(h)x\(cn) \(border) r=\(rx),\(ry) norm=\(normalize)")
                    }
                }
            }
        }
    }

    /// The 16-bit reciprocal divides every numerator a rounded UInt8 box mean can have, for
    /// every odd area it accepts (checked exhaustively).
    func testBoxReciprocal16IsExact() {
        var accepted = 0
        for area in stride(from: 3, through: 255, by: 2) {
            guard let r = BoxReciprocal16(area: area) else { continue }
            accepted += 1
            for t in 0...(255 * area + area / 2) {
                let q = ((t * Int(r.magic)) >> 16) >> Int(r.shift)
                if q != t / area { XCTFail("area \(area): t = \(t) gives \(q)"); break }
            }
        }
        XCTAssertEqual(accepted, 115, "odd areas 3...255 with a 16-bit reciprocal")
        XCTAssertNil(BoxReciprocal16(area: 203))
    }

    func testGuidedFixtures() throws {
        var worstInt = 0.0, worstFloat = 0.0
        for c in try Fixtures.cases("guided") {
            let src = try Fixtures.load(c["input"] as! String)
            let guide = try Fixtures.load(c["guide"] as! String)
            let ref = try Fixtures.load(c["output"] as! String)
            let p = GuidedParameters(radius: c["radius"] as! Int, epsilon: c["eps"] as! Double)
            if src.dtype.descr == "|u1" {
                let d = maxAbsDiff(try src.uint8Image().guidedFiltered(guide: guide.uint8Image(), p).doubles, ref.doubles)
                worstInt = max(worstInt, d)
                XCTAssertLessThanOrEqual(d, 1, "\(c["output"]!)")
            } else {
                let d = maxAbsDiff(try src.floatImage().guidedFiltered(guide: guide.floatImage(), p).doubles, ref.doubles)
                worstFloat = max(worstFloat, d)
                XCTAssertLessThanOrEqual(d, 1e-4, "\(c["output"]!)")
            }
        }
        print("Guided: UInt8 max abs diff \(worstInt), Float max abs diff \(worstFloat)")
    }

    func testGuidedDefaultsErrorsAndSubsampling() throws {
        let p = GuidedParameters()
        XCTAssertEqual(p.radius, 4)
        XCTAssertEqual(p.epsilon, 0.01)
        XCTAssertEqual(p.subsample, 1)
        let img = try Fixtures.load("in_gray.npy").uint8Image()
        XCTAssertThrowsError(try img.guidedFiltered(GuidedParameters(radius: 0)))
        XCTAssertThrowsError(try img.guidedFiltered(GuidedParameters(epsilon: 0)))
        XCTAssertThrowsError(try img.guidedFiltered(GuidedParameters(subsample: 0)))
        XCTAssertThrowsError(try img.guidedFiltered(guide: Image<UInt8>(width: 3, height: 3), p))
        let exact = try img.guidedFiltered(GuidedParameters(radius: 4, epsilon: 0.01))
        let fast = try img.guidedFiltered(GuidedParameters(radius: 4, epsilon: 0.01, subsample: 2))
        let mean = zip(exact.samples, fast.samples).map { Double(abs(Int($0) - Int($1))) }.reduce(0, +) / Double(img.pixelCount)
        XCTAssertLessThan(mean, 3)
    }
}
