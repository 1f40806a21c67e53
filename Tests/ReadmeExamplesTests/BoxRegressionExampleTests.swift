import ClassicCV
import XCTest

final class BoxRegressionExampleTests: XCTestCase {
    /// Legs (two dark bars, 16×56) in 32×64 windows on seeded noise: the README's training
    /// example, then box regression fitted on 30 scenes; the best box on a new scene fits the
    /// bars (IoU > 0.5), which the 32×64 window cannot (at most 0.44).
    func testBoxRegressionExample() throws {
        var g = LegsScenes(rng: SplitMix64(seed: 6))
        func scene() -> (Image<UInt8>, Detection) {
            var image = g.noise(128, 128)
            let (x, y) = (Int(g.rng.next() % 90), Int(g.rng.next() % 60))
            LegsScenes.paste(g.legs(), into: &image, x: x, y: y)
            return (image, Detection(x: Double(x + 8), y: Double(y + 4), width: 16, height: 56, score: 0))
        }
        let trained = try trainDetector(positives: (0..<30).map { _ in g.legs() }, negatives: (0..<6).map { _ in g.noise(96, 112) },
                                        scene: g.noise(64, 64)).model
        let training = (0..<30).map { _ in scene() }
        let (test, truth) = scene()
        let r = try addBoxRegression(to: trained, scenes: training.map(\.0), boxes: training.map { [$0.1] }, test: test)
        XCTAssertNotNil(r.model.boxRegression)
        let best = try XCTUnwrap(r.found.max { $0.score < $1.score })
        let w = max(0, min(best.maxX, truth.maxX) - max(best.x, truth.x)), h = max(0, min(best.maxY, truth.maxY) - max(best.y, truth.y))
        XCTAssertGreaterThan(w * h / (best.area + truth.area - w * h), 0.5, "\(best) against \(truth)")
    }
}
