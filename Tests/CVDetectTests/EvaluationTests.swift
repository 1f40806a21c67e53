import CVCore
import CVDetect
import CVTestSupport
import Foundation
import XCTest

/// Detection evaluation against Fixtures/nms/evaluation.json (Tools/fixtures_nms.py: the VOC
/// devkit's voc_eval/voc_ap and the Caltech toolbox's compRoc/dbEval restated in NumPy).
/// Matches identical; AP, LAMR and the curves within 1e-12 (both sides in float64).
final class EvaluationTests: XCTestCase {
    struct Case: Decodable {
        let iou: Double
        let detections: [[[Double]]]
        let ground_truth: [[[Double]]]
        let matched: [Bool]
        let precision: [Double]
        let recall: [Double]
        let ap: Double
        let ap11: Double
        let miss_rate_samples: [Double]
        let lamr: Double
    }

    struct File: Decodable { let cases: [Case] }

    static func boxes(_ rows: [[[Double]]]) -> [[Detection]] {
        rows.map { $0.map { Detection(x: $0[0], y: $0[1], width: $0[2], height: $0[3], score: $0.count > 4 ? $0[4] : 0) } }
    }

    func testMatchesTheVOCAndCaltechReferences() throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: FixturePaths.url("nms/evaluation.json")))
        XCTAssertEqual(file.cases.count, 4)
        var worst = 0.0
        for c in file.cases {
            let e = try evaluateDetections(Self.boxes(c.detections), groundTruth: Self.boxes(c.ground_truth), iouThreshold: c.iou)
            XCTAssertEqual(e.matched, c.matched)
            XCTAssertEqual(e.precision.count, c.precision.count)
            for (a, b) in zip(e.precision + e.recall + e.missRateSamples, c.precision + c.recall + c.miss_rate_samples) { worst = max(worst, abs(a - b)) }
            for (a, b) in [(e.averagePrecision, c.ap), (e.averagePrecision11Point, c.ap11), (e.logAverageMissRate, c.lamr)] {
                worst = max(worst, abs(a - b))
            }
            XCTAssertEqual(e.imageCount, c.ground_truth.count)
            XCTAssertGreaterThan(e.detectionCount - e.truePositives, 0, "the fixture has false positives")
        }
        XCTAssertLessThanOrEqual(worst, 1e-12)
        print("Evaluation fidelity: \(file.cases.count) cases, max difference \(worst)")
    }

    func testHandCheckedCases() throws {
        let truth = [[Detection(x: 0, y: 0, width: 10, height: 20, score: 0)], []]
        // A perfect detector: AP 1, miss rate 0 everywhere (1e-10 floor).
        let perfect = try evaluateDetections([[Detection(x: 0, y: 0, width: 10, height: 20, score: 1)], []], groundTruth: truth)
        XCTAssertEqual(perfect.averagePrecision, 1)
        XCTAssertEqual(perfect.averagePrecision11Point, 1, accuracy: 1e-15)
        XCTAssertEqual(perfect.logAverageMissRate, 1e-10, accuracy: 1e-20)
        // A duplicate ranked first is the match; the second hit on the same box is a false positive.
        let dup = try evaluateDetections([[Detection(x: 0, y: 0, width: 10, height: 20, score: 0.9),
                                            Detection(x: 1, y: 0, width: 10, height: 20, score: 0.8)], []], groundTruth: truth)
        XCTAssertEqual(dup.matched, [true, false])
        XCTAssertEqual(dup.precision, [1, 0.5])
        // A false positive ranked above the hit: precision 0.5 at recall 1, AP 0.5; 11-point also 0.5.
        let late = try evaluateDetections([[Detection(x: 0, y: 0, width: 10, height: 20, score: 0.5)],
                                           [Detection(x: 5, y: 5, width: 10, height: 20, score: 0.9)]], groundTruth: truth)
        XCTAssertEqual(late.averagePrecision, 0.5)
        XCTAssertEqual(late.averagePrecision11Point, 0.5, accuracy: 1e-15)
        // FPPI is 0.5 from the first rank: references up to 10^-0.5 see no rank (miss 1),
        // 10^-0.25 and 10^0 see recall 1 (miss 0).
        XCTAssertEqual(late.missRateSamples, [1, 1, 1, 1, 1, 1, 1, 0, 0])
        // Nothing detected: AP 0, miss rate 1.
        let none = try evaluateDetections([[], []], groundTruth: truth)
        XCTAssertEqual(none.averagePrecision, 0)
        XCTAssertEqual(none.logAverageMissRate, 1)
    }

    func testBadInputIsRefused() {
        let truth = [[Detection(x: 0, y: 0, width: 10, height: 20, score: 0)]]
        XCTAssertThrowsError(try evaluateDetections([], groundTruth: truth))
        XCTAssertThrowsError(try evaluateDetections([[]], groundTruth: [[]]))
        for t in [Double.nan, -1, 2] { XCTAssertThrowsError(try evaluateDetections([[]], groundTruth: truth, iouThreshold: t)) }
        XCTAssertThrowsError(try evaluateDetections([[Detection(x: 0, y: 0, width: -1, height: 1, score: 1)]], groundTruth: truth))
        XCTAssertThrowsError(try evaluateDetections([[Detection(x: 0, y: 0, width: 1, height: 1, score: .nan)]], groundTruth: truth))
        XCTAssertThrowsError(try evaluateDetections([[]], groundTruth: [[Detection(x: .nan, y: 0, width: 1, height: 1, score: 0)]]))
    }
}
