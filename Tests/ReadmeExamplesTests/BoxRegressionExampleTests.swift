import ClassicCV
import XCTest

final class BoxRegressionExampleTests: XCTestCase {
    /// Legs (two dark bars, 16×56) in 32×64 windows on seeded noise: the README's training
    /// example, then box regression fitted on 30 scenes; the best box on a new scene fits the
    /// bars (IoU > 0.5), which the 32×64 window cannot (at most 0.44).
    func testBoxRegressionExample() throws {
        var rng = SplitMix64(seed: 6)
        func noise(_ w: Int, _ h: Int) -> Image<UInt8> {
            try! Image(width: w, height: h, samples: (0..<(w * h)).map { _ in UInt8(120 + rng.next() % 100) })
        }
        func legs() -> Image<UInt8> {
            var img = noise(32, 64)
            img.withUnsafeMutablePixels { p, s in
                for y in 4..<60 { for x in 0..<32 where (8..<14) ~= x || (18..<24) ~= x || (y < 16 && (8..<24) ~= x) { p[y * s + x] = 30 } }
            }
            return img
        }
        func scene() -> (Image<UInt8>, Detection) {
            var image = noise(128, 128)
            let (x, y) = (Int(rng.next() % 90), Int(rng.next() % 60))
            let object = legs()
            object.withUnsafePixels { src, ss in
                image.withUnsafeMutablePixels { dst, ds in
                    for r in 0..<64 { for c in 0..<32 { dst[(y + r) * ds + x + c] = src[r * ss + c] } }
                }
            }
            return (image, Detection(x: Double(x + 8), y: Double(y + 4), width: 16, height: 56, score: 0))
        }
        let trained = try trainDetector(positives: (0..<30).map { _ in legs() }, negatives: (0..<6).map { _ in noise(96, 112) },
                                        scene: noise(64, 64)).model
        let training = (0..<30).map { _ in scene() }
        let (test, truth) = scene()
        let r = try addBoxRegression(to: trained, scenes: training.map(\.0), boxes: training.map { [$0.1] }, test: test)
        XCTAssertNotNil(r.model.boxRegression)
        let best = try XCTUnwrap(r.found.max { $0.score < $1.score })
        let w = max(0, min(best.maxX, truth.maxX) - max(best.x, truth.x)), h = max(0, min(best.maxY, truth.maxY) - max(best.y, truth.y))
        XCTAssertGreaterThan(w * h / (best.area + truth.area - w * h), 0.5, "\(best) against \(truth)")
    }
}
