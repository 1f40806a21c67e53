import CVCore
import CVFilters
import CVFormats
import XCTest

/// The fast Gaussian's Float path (four box passes through the C box rows) against the generic
/// path it replaced, which UInt16 images still take: on integer-valued samples both compute the
/// same Double sums, so the UInt16 output is the Float output rounded.
final class GaussianFastFloatTests: XCTestCase {
    func testFloatPathIsTheUInt16PathUnrounded() throws {
        var rng = SplitMix64(seed: 41)
        let borders: [BorderMode] = [.reflect101, .reflect, .replicate, .constant(7), .wrap]
        for (w, h, cn) in [(97, 61, 1), (40, 33, 3), (7, 50, 1)] {
            let values = (0..<(w * h * cn)).map { _ in UInt16(rng.byte()) * 3 }
            let u16 = try Image<UInt16>(width: w, height: h, channels: cn, samples: values)
            let f32 = try Image<Float>(width: w, height: h, channels: cn, samples: values.map { Float($0) })
            for border in borders {
                for (sx, sy) in [(9.0, 9.0), (12.0, 8.5), (20.0, 30.0)] {
                    let p = GaussianParameters(sigma: sx, sigmaY: sy, border: border, method: .fastApproximate)
                    let a = try u16.gaussianBlurred(p).samples
                    let b = try f32.gaussianBlurred(p).samples
                    let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
                    XCTAssertLessThanOrEqual(worst, 0.5 + 1e-3, "\(w)×\(h)×\(cn) \(border) σ \(sx)/\(sy)")
                }
            }
        }
    }
}
