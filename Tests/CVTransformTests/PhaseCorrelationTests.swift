import Foundation
import CVFormats
import XCTest
import CVCore
@testable import CVTransform

final class PhaseCorrelationTests: XCTestCase {
    struct Pair: Decodable {
        let tag: String; let dx: Double; let dy: Double
        let skimage: [Double]; let opencv: [Double]
    }
    struct Results: Decodable { let pairs: [Pair] }

    /// Photo crops shifted by known sub-pixel amounts (Fourier shift, Tools/fixtures_fft.py):
    /// every estimate within 0.25 px (Euclidean). Prints ours beside skimage (upsample 100) and cv2.
    func testRecoversKnownSubPixelShifts() throws {
        let data = try Data(contentsOf: fftFixtures.appendingPathComponent("phase/phase_results.json"))
        let results = try JSONDecoder().decode(Results.self, from: data)
        var ours: [Double] = [], sk: [Double] = [], cv: [Double] = []
        for p in results.pairs {
            let a = try FFTTestNPY("phase/\(p.tag)_a.npy").realArray(Double.self)
            let b = try FFTTestNPY("phase/\(p.tag)_b.npy").realArray(Double.self)
            let r = try PhaseCorrelation.estimate(from: a, to: b)
            let e = hypot(r.dx - p.dx, r.dy - p.dy)
            ours.append(e)
            sk.append(hypot(p.skimage[0] - p.dx, p.skimage[1] - p.dy))
            cv.append(hypot(p.opencv[0] - p.dx, p.opencv[1] - p.dy))
            XCTAssertLessThanOrEqual(e, 0.25, "\(p.tag): got (\(r.dx), \(r.dy)), truth (\(p.dx), \(p.dy))")
            XCTAssertGreaterThan(r.response, 0.05)
            XCTAssertLessThanOrEqual(r.response, 1.0001)
        }
        func fmt(_ v: [Double]) -> String { String(format: "max %.4f mean %.4f", v.max()!, v.reduce(0, +) / Double(v.count)) }
        print("phase correlation error px (\(ours.count) pairs): ours \(fmt(ours)); skimage(up=100) \(fmt(sk)); cv2.phaseCorrelate \(fmt(cv))")
    }

    func testIntegerCircularShiftIsExact() throws {
        var rng = SplitMix64(seed: 3)
        let h = 24, w = 30
        let a = (0..<(h * w)).map { _ in Double.random(in: 0...1, using: &rng) }
        var b = [Double](repeating: 0, count: h * w)
        let (sx, sy) = (5, -3)
        for y in 0..<h { for x in 0..<w { b[((y + sy + h) % h) * w + (x + sx + w) % w] = a[y * w + x] } }
        let p = PhaseCorrelationParameters(window: .none, subtractMean: false)
        let r = try PhaseCorrelation.estimate(from: FFTArray(shape: [h, w], elements: a), to: FFTArray(shape: [h, w], elements: b), parameters: p)
        XCTAssertEqual(r.dx, 5, accuracy: 1e-9); XCTAssertEqual(r.dy, -3, accuracy: 1e-9)
        XCTAssertEqual(r.response, 1, accuracy: 1e-9)
        XCTAssertThrowsError(try PhaseCorrelation.estimate(from: FFTArray(shape: [h, w], elements: a), to: FFTArray(shape: [w, h], elements: a)))
        XCTAssertThrowsError(try PhaseCorrelation.estimate(from: FFTArray(shape: [h, w], elements: a), to: FFTArray(shape: [h, w], elements: a),
                                                           parameters: PhaseCorrelationParameters(upsampleFactor: 0)))
    }
}
