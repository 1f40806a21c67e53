import CVCore
import CVDetect
import CVFeatures
import CVFormats
import CVIO
import CVTestSupport
import Foundation
import XCTest

/// Training a HOG detector: descriptors against `cv2.HOGDescriptor.compute` (references from
/// Tools/fixtures_detector_training.py, within 1e-4 per value), a training descriptor scoring
/// exactly what the detector scores, the sign convention, mining rounds and refusals.
final class DetectorTrainingTests: XCTestCase {
    static let window = HOGDetectorModel.WindowSize(width: 32, height: 64)

    func describer(_ window: HOGDetectorModel.WindowSize = window) throws -> HOGWindowDescriber {
        try HOGWindowDescriber(model: HOGDetectorTrainingParameters(window: window).untrainedModel())
    }

    func testDescriptorsMatchOpenCVCompute() throws {
        let cases: [(String, String, HOGDetectorModel.WindowSize)] = [
            ("window_gray.png", "window_gray.npy", Self.window), ("window_rgb.png", "window_rgb.npy", Self.window),
            ("people_window.png", "people_window.npy", .init(width: 64, height: 128)),
        ]
        for (image, reference, window) in cases {
            let img = try ImageIO.read(path: FixturePaths.path("detect/training/\(image)")).image.asUInt8
            let ours = try describer(window).describe(img)
            let theirs = try NPYArray.fixture("detect/training/\(reference)").values(Float.self)
            XCTAssertEqual(ours.count, theirs.count, image)
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-4, "\(image): largest difference from cv2.HOGDescriptor.compute")
        }
    }

    /// The descriptor a window is trained on gives the detector's score for it: the same sum, in
    /// OpenCV's order on one side and by block slot on the other (AVX-512), so within 1e-5.
    func testTrainingDescriptorGivesTheDetectorsScore() throws {
        var rng = SplitMix64(seed: 7)
        for (window, channels) in [(Self.window, 1), (Self.window, 3), (HOGDetectorModel.WindowSize(width: 64, height: 128), 3)] {
            var model = try HOGDetectorTrainingParameters(window: window).untrainedModel()
            model.weights = model.weights.map { _ in Float(Int(rng.next() % 2001) - 1000) / 10_000 }
            model.bias = -0.3
            let d = try HOGDetector(model: model, parameters: HOGDetectorParameters(hitThreshold: -1e9, padding: HOGSize(0, 0), scale: 1,
                                                                                 groupThreshold: 0, grouping: .none))
            for _ in 0..<3 {
                let image = rng.image(window.width, window.height, channels)
                let hits = try d.windowHits(in: image)
                XCTAssertEqual(hits.count, 1)
                let descriptor = try HOGWindowDescriber(model: model).describe(image)
                XCTAssertEqual(model.score(descriptor), hits[0].score, accuracy: 1e-5, "\(window) \(channels) channels: not the detector's score")
            }
        }
    }

    /// Bars like legs against textured backgrounds: positives score above 0 (class 1 = object),
    /// the model finds a pasted object, the rounds are recorded.
    func testTrainingFindsTheObjectWithPositiveScores() throws {
        var rng = SplitMix64(seed: 3)
        let positives = (0..<40).map { _ in Self.legs(&rng, width: 32, height: 64) }
        let negatives = (0..<12).map { _ in rng.image(96, 128, 1) }
        var p = HOGDetectorTrainingParameters(window: Self.window, C: 0.1, rounds: 2, negativesPerImage: 10, mirrorPositives: true, seed: 5)
        p.hardNegativesPerImage = 5
        p.miningThreshold = -0.5
        var rounds: [HOGTrainingRecord.Round] = []
        let model = try HOGDetectorTrainer(parameters: p).train(positives: positives, negatives: negatives) { rounds.append($0) }
        let record = try XCTUnwrap(model.training)
        XCTAssertEqual(record.positives, 80)
        XCTAssertEqual(record.randomNegatives, 120)
        XCTAssertEqual(record.rounds, rounds)
        XCTAssertEqual(rounds.map(\.round), [1, 2])
        for r in rounds { XCTAssertLessThanOrEqual(r.added, min(r.falsePositives, 5 * 12)) }
        XCTAssertEqual(rounds.last?.negatives, 120 + rounds.map(\.added).reduce(0, +))
        let describer = try HOGWindowDescriber(model: model)
        let fresh = (0..<20).map { _ in Self.legs(&rng, width: 32, height: 64) }
        XCTAssertGreaterThanOrEqual(try fresh.filter { model.score(try describer.describe($0)) > 0 }.count, 18, "positives must score > 0")
        // The exported coefficients carry the same sign: bias last, positive = object.
        let exported = try HOGDetectorModel(opencvYAML: model.opencvYAML(), source: "memory")
        XCTAssertEqual(exported.bias, model.bias)
        // A scene: one object pasted on a fresh background is found where it is.
        var scene = rng.image(160, 160, 1)
        Self.paste(Self.legs(&rng, width: 32, height: 64), into: &scene, x: 64, y: 48)
        let found = try HOGDetector(model: model, parameters: HOGDetectorParameters(groupThreshold: 0, grouping: .nms(iou: 0.3)))
            .detect(in: scene).max { $0.score < $1.score }
        let best = try XCTUnwrap(found)
        XCTAssertLessThanOrEqual(abs(best.x - 64) + abs(best.y - 48), 16, "\(best)")
    }

    func testModelFileRecordsTheTraining() throws {
        var rng = SplitMix64(seed: 11)
        let p = HOGDetectorTrainingParameters(window: Self.window, C: 0.05, rounds: 1, negativesPerImage: 4, seed: 9)
        let model = try HOGDetectorTrainer(parameters: p).train(positives: (0..<10).map { _ in Self.legs(&rng, width: 32, height: 64) },
                                                                negatives: (0..<4).map { _ in rng.image(80, 100, 3) })
        let back = try HOGDetectorModel.decode(model.encoded(), source: "memory")
        XCTAssertEqual(back, model)
        XCTAssertEqual(back.training?.C, 0.05)
        XCTAssertEqual(back.training?.seed, 9)
        XCTAssertEqual(back.training?.rounds.count, 1)
        // Same seed, same model.
        var again = SplitMix64(seed: 11)
        let twice = try HOGDetectorTrainer(parameters: p).train(positives: (0..<10).map { _ in Self.legs(&again, width: 32, height: 64) },
                                                                negatives: (0..<4).map { _ in again.image(80, 100, 3) })
        XCTAssertEqual(twice, model)
    }

    func testBadOptionsNameTheParameter() throws {
        func refused(_ name: String, _ change: (inout HOGDetectorTrainingParameters) -> Void, file: StaticString = #filePath, line: UInt = #line) {
            var p = HOGDetectorTrainingParameters(window: Self.window)
            change(&p)
            XCTAssertThrowsError(try HOGDetectorTrainer(parameters: p), file: file, line: line) { error in
                guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)", file: file, line: line) }
                XCTAssertEqual(n, name, file: file, line: line)
            }
        }
        for c in [Double.nan, 0, -1, 1e9, .infinity] { refused("C") { $0.C = c } }
        for r in [-1, 101, Int.max] { refused("rounds") { $0.rounds = r } }
        for n in [-1, 10_001] { refused("negatives-per-image") { $0.negativesPerImage = n } }
        refused("hard-per-image") { $0.hardNegativesPerImage = 0 }
        refused("mining-threshold") { $0.miningThreshold = .nan }
        refused("scale") { $0.mining.scale = 0.5 }
        for j in [-1, 101] { refused("jitter") { $0.positiveJitter = j } }
        for a in [Double.nan, -0.1, 0.6] { refused("jitter-amplitude") { $0.jitterAmplitude = a } }
        for r in [(-1, 0, 32, 64), (0, 0, 0, 64), (0, 0, 32, 5000)] {
            refused("positive-region") { $0.positiveRegion = .init(x: r.0, y: r.1, width: r.2, height: r.3) }
        }
        for w in [(0, 0), (-32, 64), (33, 64), (1_000_000_000, 1_000_000_000), (Int.max, 64)] {
            refused("window") { $0.window = .init(width: w.0, height: w.1) }
        }
        var rng = SplitMix64(seed: 1)
        let trainer = try HOGDetectorTrainer(parameters: HOGDetectorTrainingParameters(window: Self.window))
        XCTAssertThrowsError(try trainer.train(positives: [], negatives: [rng.image(64, 64, 1)]))
        XCTAssertThrowsError(try trainer.train(positives: [rng.image(32, 64, 1)], negatives: [rng.image(16, 16, 1)]),
                             "no negative window fits") { error in
            guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(n, "negatives")
        }
        XCTAssertThrowsError(try trainer.train(positives: [Image<UInt8>(width: 0, height: 0)], negatives: [rng.image(64, 64, 1)]))
    }

    /// One jittered copy against `scipy.ndimage.map_coordinates(order=1, mode="mirror")` at the
    /// same coordinates (Tools/fixtures_positive_jitter.py): sub-pixel shifts, the largest
    /// shifts and scales the options allow (reflection on every side), gray and RGB. Ours is
    /// the reference rounded to nearest: within 0.5 (+1e-3 for the float32 storage).
    func testJitterResampleMatchesSciPy() throws {
        let params = try NPYArray.fixture("detect/training/jitter_params.npy").toDoubles()
        for name in ["gray", "rgb"] {
            let image = try ImageIO.read(path: FixturePaths.path("detect/training/window_\(name).png")).image.asUInt8
            let reference = try NPYArray.fixture("detect/training/jitter_\(name).npy").toDoubles()
            let size = image.width * image.height * image.channels
            XCTAssertEqual(reference.count, params.count / 3 * size)
            for k in 0..<(params.count / 3) {
                let ours = jitterResampled(image, shiftX: params[3 * k], shiftY: params[3 * k + 1], scale: params[3 * k + 2])
                let theirs = reference[(k * size)..<((k + 1) * size)]
                let worst = zip(ours.samples, theirs).map { abs(Double($0) - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(worst, 0.501, "\(name), case \(k) \(params[(3 * k)..<(3 * k + 3)])")
            }
        }
    }

    /// Jittered copies: amplitude 0 gives the positive back pixel for pixel (the sampling grid
    /// sits on the pixel centres), a real amplitude moves it, the same seed the same copies.
    func testJitteredPositives() throws {
        var rng = SplitMix64(seed: 4)
        let positives = (0..<6).map { _ in Self.legs(&rng, width: 32, height: 64) }
        XCTAssertEqual(jitteredPositives(positives, copies: 2, amplitude: 0, seed: 1), positives.flatMap { [$0, $0] })
        let moved = jitteredPositives(positives, copies: 2, amplitude: 0.1, seed: 1)
        XCTAssertEqual(moved.count, 12)
        XCTAssertEqual(moved.map(\.width), [Int](repeating: 32, count: 12))
        XCTAssertEqual(moved.filter { m in positives.contains(m) }.count, 0)
        XCTAssertEqual(jitteredPositives(positives, copies: 2, amplitude: 0.1, seed: 1), moved)
        XCTAssertNotEqual(jitteredPositives(positives, copies: 2, amplitude: 0.1, seed: 2), moved)
    }

    /// Jitter, a positive region as the window, and easy negatives pruned before each round,
    /// all recorded in the model.
    func testJitterRegionAndPruning() throws {
        var rng = SplitMix64(seed: 3)
        let positives = (0..<30).map { _ in Self.legs(&rng, width: 32, height: 64) }
        let negatives = (0..<8).map { _ in rng.image(96, 128, 1) }
        var p = HOGDetectorTrainingParameters(window: .init(width: 24, height: 64), C: 0.1, rounds: 2, negativesPerImage: 10, seed: 5)
        p.positiveJitter = 2
        p.positiveRegion = .init(x: 4, y: 0, width: 24, height: 64)
        p.pruneEasyNegatives = true
        p.miningThreshold = -0.5
        let model = try HOGDetectorTrainer(parameters: p).train(positives: positives, negatives: negatives)
        XCTAssertEqual(model.window, .init(width: 24, height: 64))
        let record = try XCTUnwrap(model.training)
        XCTAssertEqual(record.positives, 90)
        XCTAssertEqual(record.jitter, 2)
        XCTAssertEqual(record.positiveRegion, p.positiveRegion)
        var negativesBefore = record.randomNegatives
        for round in record.rounds {
            let pruned = try XCTUnwrap(round.pruned)
            XCTAssertEqual(round.negatives, negativesBefore - pruned + round.added)
            negativesBefore = round.negatives
        }
        XCTAssertGreaterThan(record.rounds[0].pruned ?? 0, 0, "random noise windows lie far outside the margin")
        // A region that does not fit in the positives is named.
        p.positiveRegion = .init(x: 16, y: 0, width: 24, height: 64)
        XCTAssertThrowsError(try HOGDetectorTrainer(parameters: p).train(positives: positives, negatives: negatives)) { error in
            guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(n, "positive-region")
        }
    }

    /// Two dark vertical bars (legs) joined at the top on a light noisy ground, jittered.
    static func legs(_ rng: inout SplitMix64, width: Int, height: Int) -> Image<UInt8> {
        var img = rng.image(width, height, 1)
        let jitter = Int(rng.next() % 5) - 2
        img.withUnsafeMutablePixels { p, s in
            for y in 4..<(height - 4) {
                for x in 0..<width {
                    let inLeft = (8 + jitter)..<(14 + jitter), inRight = (18 + jitter)..<(24 + jitter)
                    let top = y < 16 && (8 + jitter)..<(24 + jitter) ~= x
                    if inLeft ~= x || inRight ~= x || top { p[y * s + x] = UInt8(20 + rng.next() % 20) }
                }
            }
        }
        return img
    }

    static func paste(_ object: Image<UInt8>, into scene: inout Image<UInt8>, x: Int, y: Int) {
        object.withUnsafePixels { src, ss in
            scene.withUnsafeMutablePixels { dst, ds in
                for r in 0..<object.height { for c in 0..<object.width { dst[(y + r) * ds + x + c] = src[r * ss + c] } }
            }
        }
    }
}
