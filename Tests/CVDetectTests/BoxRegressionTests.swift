import CVCore
import CVDetect
import CVFeatures
import CVFormats
import CVTestSupport
import Foundation
import XCTest

/// Bounding-box regression: the stored offsets applied exactly as documented, the constant
/// fit equal to the mean offset of the pairs (computed here independently), a HOG fit that
/// tightens boxes on scenes it was not fitted on, the model file field and its refusals.
final class BoxRegressionTests: XCTestCase {
    static let window = HOGDetectorModel.WindowSize(width: 32, height: 64)
    static let options = HOGDetectorParameters(hitThreshold: 0, padding: HOGSize(8, 8), scale: 1.05, groupThreshold: 0,
                                               grouping: .nms(iou: 0.3))

    /// A small legs model (the training test's objects).
    static let model: HOGDetectorModel = {
        var rng = SplitMix64(seed: 3)
        let positives = (0..<60).map { _ in DetectorTrainingTests.legs(&rng, width: 32, height: 64) }
        let negatives = (0..<12).map { _ in rng.image(96, 128, 1) }
        var p = HOGDetectorTrainingParameters(window: window, C: 0.1, rounds: 2, negativesPerImage: 10, seed: 5)
        p.miningThreshold = -0.5
        return try! HOGDetectorTrainer(parameters: p).train(positives: positives, negatives: negatives)
    }()

    /// Scenes of 160×160 noise with one legs object each; the ground truth is the tight box of
    /// its bars (16×56 inside the 32×64 object image), so the window's IoU is at most 0.44.
    static func scenes(seed: UInt64, count: Int) -> ([Image<UInt8>], [[Detection]]) {
        var rng = SplitMix64(seed: seed)
        var images: [Image<UInt8>] = [], truth: [[Detection]] = []
        for _ in 0..<count {
            var scene = rng.image(160, 160, 1)
            let x = Int(rng.next() % 120), y = Int(rng.next() % 90)
            var object = rng.image(32, 64, 1)
            let j = Int(rng.next() % 5) - 2
            object.withUnsafeMutablePixels { p, s in
                for r in 4..<60 {
                    for c in 0..<32 where ((8 + j)..<(14 + j)) ~= c || ((18 + j)..<(24 + j)) ~= c || (r < 16 && ((8 + j)..<(24 + j)) ~= c) {
                        p[r * s + c] = UInt8(20 + rng.next() % 20)
                    }
                }
            }
            DetectorTrainingTests.paste(object, into: &scene, x: x, y: y)
            images.append(scene)
            truth.append([Detection(x: Double(x + 8 + j), y: Double(y + 4), width: 16, height: 56, score: 0)])
        }
        return (images, truth)
    }

    static func iou(_ a: Detection, _ b: Detection) -> Double {
        let w = max(0, min(a.maxX, b.maxX) - max(a.x, b.x)), h = max(0, min(a.maxY, b.maxY) - max(a.y, b.y))
        return w * h / (a.area + b.area - w * h)
    }

    func testStoredOffsetsAreAppliedToEveryRawHit() throws {
        var model = Self.model
        let t = [0.1, -0.05, log(0.5), log(1.25)]
        model.boxRegression = HOGBoxRegression(features: .constant, coefficients: [], intercepts: t, alpha: 0, minimumIoU: 0.5, pairs: 1)
        let (images, _) = Self.scenes(seed: 8, count: 1)
        let detector = try HOGDetector(model: model, parameters: Self.options)
        let raw = try detector.rawHits(in: images[0])
        XCTAssertFalse(raw.isEmpty)
        for (hit, moved) in zip(raw, try detector.regressed(raw, in: images[0])) {
            let b = hit.detection
            let (w, h) = (b.width.rounded() * 0.5, b.height.rounded() * 1.25)
            let cx = b.x.rounded() + b.width.rounded() * 0.6, cy = b.y.rounded() + b.height.rounded() * 0.45
            XCTAssertEqual(moved.detection.x, cx - w / 2, accuracy: 1e-9)
            XCTAssertEqual(moved.detection.y, cy - h / 2, accuracy: 1e-9)
            XCTAssertEqual(moved.detection.width, w, accuracy: 1e-9)
            XCTAssertEqual(moved.detection.height, h, accuracy: 1e-9)
            XCTAssertEqual(moved.detection.score, b.score)
        }
        // detect = group(regressed(raw hits)); without the field, the raw windows.
        XCTAssertEqual(try detector.detect(in: images[0]),
                       detector.group(try detector.regressed(raw, in: images[0]), imageWidth: 160, imageHeight: 160))
        XCTAssertEqual(try HOGDetector(model: Self.model, parameters: Self.options).detect(in: images[0]),
                       detector.group(raw, imageWidth: 160, imageHeight: 160))
    }

    /// With no features the ridge fit is the mean offset of the pairs, paired here by hand.
    func testConstantFitIsTheMeanOffsetOfThePairs() throws {
        let (images, truth) = Self.scenes(seed: 9, count: 12)
        let detector = try HOGDetector(model: Self.model, parameters: Self.options)
        let fit = try fitBoxRegression(detector: detector, images: images, groundTruth: truth,
                                       parameters: HOGBoxRegressionParameters(features: .constant, alpha: 5, minimumIoU: 0.3))
        var sums = [Double](repeating: 0, count: 4), n = 0
        for (image, gt) in zip(images, truth) {
            for hit in try detector.rawHits(in: image) {
                let d = hit.detection
                let b = Detection(x: d.x.rounded(), y: d.y.rounded(), width: d.width.rounded(), height: d.height.rounded(), score: 0)
                guard Self.iou(b, gt[0]) >= 0.3 else { continue }
                let g = gt[0]
                let gcx: Double = g.x + g.width / 2, gcy: Double = g.y + g.height / 2
                let bcx: Double = b.x + b.width / 2, bcy: Double = b.y + b.height / 2
                sums[0] += (gcx - bcx) / b.width
                sums[1] += (gcy - bcy) / b.height
                sums[2] += log(g.width / b.width); sums[3] += log(g.height / b.height)
                n += 1
            }
        }
        XCTAssertGreaterThan(n, 12)
        XCTAssertEqual(fit.pairs, n)
        for k in 0..<4 { XCTAssertEqual(fit.intercepts[k], sums[k] / Double(n), accuracy: 1e-9, "offset \(k)") }
        XCTAssertTrue(fit.coefficients.isEmpty)
    }

    /// Fitted on some scenes, the HOG regression brings the best detection of other scenes
    /// much closer to the tight box than the window is.
    func testHOGRegressionTightensBoxesOnOtherScenes() throws {
        let (images, truth) = Self.scenes(seed: 10, count: 40)
        let detector = try HOGDetector(model: Self.model, parameters: Self.options)
        var model = Self.model
        model.boxRegression = try fitBoxRegression(detector: detector, images: images, groundTruth: truth,
                                                   parameters: HOGBoxRegressionParameters(features: .hog, alpha: 1, minimumIoU: 0.3))
        let regressed = try HOGDetector(model: model, parameters: Self.options)
        let (test, testTruth) = Self.scenes(seed: 11, count: 15)
        func meanIoU(_ d: HOGDetector) throws -> Double {
            try zip(test, testTruth).map { image, gt in
                guard let best = try d.detect(in: image).max(by: { $0.score < $1.score }) else { return 0 }
                return Self.iou(best, gt[0])
            }.reduce(0, +) / Double(test.count)
        }
        let before = try meanIoU(detector), after = try meanIoU(regressed)
        XCTAssertLessThan(before, 0.45)
        XCTAssertGreaterThan(after, 0.6, "mean IoU \(before) -> \(after)")
    }

    func testModelFileFieldRoundTripsAndOlderFilesLoad() throws {
        var model = Self.model
        XCTAssertNil(try HOGDetectorModel.decode(model.encoded(), source: "memory").boxRegression)
        model.boxRegression = HOGBoxRegression(features: .hog, coefficients: (0..<(4 * model.weights.count)).map { Double($0) * 1e-6 },
                                               intercepts: [0, 0, 0.1, -0.1], alpha: 10, minimumIoU: 0.4, pairs: 7)
        XCTAssertEqual(try HOGDetectorModel.decode(model.encoded(), source: "memory"), model)
        // A file written before the field existed (no "boxRegression" key) still loads.
        var json = try JSONSerialization.jsonObject(with: model.encoded()) as! [String: Any]
        json.removeValue(forKey: "boxRegression")
        XCTAssertNil(try HOGDetectorModel.decode(JSONSerialization.data(withJSONObject: json), source: "old.json").boxRegression)
    }

    func testBadRegressionFieldsAndOptionsAreRefused() throws {
        func refusedModel(_ change: (inout HOGBoxRegression) -> Void, file: StaticString = #filePath, line: UInt = #line) {
            var model = Self.model
            var r = HOGBoxRegression(features: .hog, coefficients: [Double](repeating: 0, count: 4 * model.weights.count),
                                     intercepts: [0, 0, 0, 0], alpha: 1, minimumIoU: 0.4, pairs: 1)
            change(&r)
            model.boxRegression = r
            XCTAssertThrowsError(try model.validate(), file: file, line: line) { error in
                guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)", file: file, line: line) }
                XCTAssertEqual(n, "boxRegression", file: file, line: line)
            }
            XCTAssertThrowsError(try HOGDetector(model: model), file: file, line: line)
            // JSON has no NaN or infinity: only the size errors can come from a file.
            if let data = try? model.encoded() { XCTAssertThrowsError(try HOGDetectorModel.decode(data, source: "m.json"), file: file, line: line) }
        }
        refusedModel { $0.coefficients.removeLast() }
        refusedModel { $0.intercepts = [0, 0, 0] }
        refusedModel { $0.features = .constant }
        refusedModel { $0.coefficients[3] = .nan }
        refusedModel { $0.intercepts[0] = .infinity }
        func refusedOption(_ name: String, _ change: (inout HOGBoxRegressionParameters) -> Void, file: StaticString = #filePath, line: UInt = #line) {
            var p = HOGBoxRegressionParameters()
            change(&p)
            XCTAssertThrowsError(try p.validate(), file: file, line: line) { error in
                guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)", file: file, line: line) }
                XCTAssertEqual(n, name, file: file, line: line)
            }
        }
        for a in [-1, .nan, .infinity, 1e13] { refusedOption("alpha") { $0.alpha = a } }
        for t in [0, -0.1, 1.5, .nan] { refusedOption("min-iou") { $0.minimumIoU = t } }
        let detector = try HOGDetector(model: Self.model, parameters: Self.options)
        let (images, truth) = Self.scenes(seed: 12, count: 2)
        XCTAssertThrowsError(try fitBoxRegression(detector: detector, images: images, groundTruth: [truth[0]]))
        // No hit near any box: nothing to fit, said so.
        XCTAssertThrowsError(try fitBoxRegression(detector: detector, images: images,
                                                  groundTruth: [[Detection(x: 0, y: 0, width: 1, height: 1, score: 0)], []])) { error in
            guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(n, "groundTruth")
        }
    }
}
