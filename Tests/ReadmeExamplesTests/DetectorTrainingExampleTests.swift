import ClassicCV
import XCTest

final class DetectorTrainingExampleTests: XCTestCase {
    /// Legs (two dark bars) on a seeded noisy ground; the scene holds one at (40, 30).
    func testTrainingExample() throws {
        var g = LegsScenes(rng: SplitMix64(seed: 4))
        let positives = (0..<30).map { _ in g.legs() }
        let negatives = (0..<6).map { _ in g.noise(96, 112) }
        var scene = g.noise(128, 128)
        LegsScenes.paste(g.legs(), into: &scene, x: 40, y: 30)
        let r = try trainDetector(positives: positives, negatives: negatives, scene: scene)
        XCTAssertEqual(r.model.training?.rounds.count, 2)
        let best = try XCTUnwrap(r.found.max { $0.score < $1.score })
        XCTAssertLessThanOrEqual(abs(best.x - 40) + abs(best.y - 30), 16, "\(best)")
        XCTAssertTrue(r.yaml.hasPrefix("%YAML:1.0"))
    }
}
