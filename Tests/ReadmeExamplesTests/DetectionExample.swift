import XCTest
import ClassicCV

/// Overlapping hits reduced to one box per object, then scored against the ground truth.
func suppressAndScore() throws -> (kept: [Int], opencv: [Int], soft: [SoftNMSSelection], ap: Double) {
    let hits = [Detection(x: 10, y: 10, width: 64, height: 128, score: 0.9),   // one person, found twice
                Detection(x: 14, y: 12, width: 64, height: 128, score: 0.7),
                Detection(x: 300, y: 40, width: 64, height: 128, score: 0.6)]  // a second person
    let kept = try nonMaximumSuppression(hits)                                 // torchvision.ops.nms, IoU 0.5
    let opencv = try nonMaximumSuppression(hits, parameters: .opencv(scoreThreshold: 0.65, iouThreshold: 0.4))
    let soft = try softNonMaximumSuppression(hits, parameters: .opencv(decay: .gaussian, scoreThreshold: 0.1,
                                                                       iouThreshold: 0.3))  // cv2.dnn.softNMSBoxes
    let truth = [[Detection(x: 12, y: 10, width: 60, height: 124, score: 0),
                  Detection(x: 296, y: 44, width: 64, height: 124, score: 0)]]
    let evaluation = try evaluateDetections([kept.map { hits[$0] }], groundTruth: truth)  // VOC, IoU > 0.5
    return (kept, opencv, soft, evaluation.averagePrecision)
}

final class DetectionExampleTests: XCTestCase {
    func testDetectionExample() throws {
        let r = try suppressAndScore()
        XCTAssertEqual(r.kept, [0, 2])
        XCTAssertEqual(r.opencv, [0], "0.6 is not above the score threshold 0.65")
        XCTAssertEqual(r.soft.map(\.index), [0, 2, 1])
        XCTAssertLessThan(r.soft[2].score, 0.7)
        XCTAssertEqual(r.ap, 1)
    }
}
