import ClassicCV
import XCTest

final class DetectorTrainingExampleTests: XCTestCase {
    /// Legs (two dark bars) on a seeded noisy ground; the scene holds one at (40, 30).
    func testTrainingExample() throws {
        var rng = SplitMix64(seed: 4)
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
        let positives = (0..<30).map { _ in legs() }
        let negatives = (0..<6).map { _ in noise(96, 112) }
        var scene = noise(128, 128)
        let object = legs()
        object.withUnsafePixels { src, ss in
            scene.withUnsafeMutablePixels { dst, ds in
                for r in 0..<64 { for c in 0..<32 { dst[(30 + r) * ds + 40 + c] = src[r * ss + c] } }
            }
        }
        let r = try trainDetector(positives: positives, negatives: negatives, scene: scene)
        XCTAssertEqual(r.model.training?.rounds.count, 2)
        let best = try XCTUnwrap(r.found.max { $0.score < $1.score })
        XCTAssertLessThanOrEqual(abs(best.x - 40) + abs(best.y - 30), 16, "\(best)")
        XCTAssertTrue(r.yaml.hasPrefix("%YAML:1.0"))
    }
}
