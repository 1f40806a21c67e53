import CVCore
import CVDetect
import CVTestSupport
import Foundation
import XCTest

/// NMS against the anchors' outputs in Fixtures/nms/cases.json (Tools/fixtures_nms.py):
/// cv2.dnn.NMSBoxes, NMSBoxesBatched, softNMSBoxes (linear and Gaussian), and NumPy
/// statements of torchvision's nms / batched_nms and dlib's test_box_overlap.
/// Kept indices must be identical (order included); Soft-NMS scores within 1e-5.
final class NMSFidelityTests: XCTestCase {
    struct BoxSet: Decodable {
        let boxes: [[Double]]
        let scores: [Double]
        let classes: [Int]
    }

    struct Case: Decodable {
        let set: String
        let method: String
        let iou: Double
        let score_threshold: Double?
        let eta: Double?
        let top_k: Int?
        let sigma: Double?
        let covered: Double?
        let indices: [Int]
        let updated_scores: [Double]?
    }

    struct File: Decodable {
        let sets: [String: BoxSet]
        let cases: [Case]
    }

    static let file: File = {
        let data = try! Data(contentsOf: FixturePaths.url("nms/cases.json"))
        return try! JSONDecoder().decode(File.self, from: data)
    }()

    static func detections(_ set: BoxSet) -> [Detection] {
        zip(set.boxes, set.scores).map { b, s in Detection(x: b[0], y: b[1], width: b[2], height: b[3], score: s) }
    }

    func run(_ c: Case) throws -> (indices: [Int], scores: [Double]?) {
        let set = Self.file.sets[c.set]!
        let dets = Self.detections(set)
        switch c.method {
        case "opencv", "opencv_batched":
            let p = NMSParameters.opencv(scoreThreshold: c.score_threshold!, iouThreshold: c.iou, eta: c.eta!, topK: c.top_k!)
            return (try nonMaximumSuppression(dets, classes: c.method == "opencv_batched" ? set.classes : nil, parameters: p), nil)
        case "torchvision", "torchvision_batched":
            let classes = c.method == "torchvision_batched" ? set.classes : nil
            return (try nonMaximumSuppression(dets, classes: classes, parameters: .torchvision(iouThreshold: c.iou)), nil)
        case "dlib":
            return (try nonMaximumSuppression(dets, parameters: .dlib(iouThreshold: c.iou, coveredThreshold: c.covered!)), nil)
        case "soft_linear", "soft_gaussian":
            let p = SoftNMSParameters.opencv(decay: c.method == "soft_linear" ? .linear : .gaussian, scoreThreshold: c.score_threshold!,
                                             iouThreshold: c.iou, sigma: c.sigma!, topK: c.top_k!)
            let kept = try softNonMaximumSuppression(dets, parameters: p)
            return (kept.map(\.index), kept.map(\.score))
        default:
            XCTFail("unknown method \(c.method)")
            return ([], nil)
        }
    }

    func testKeptIndicesAndScoresMatchEveryAnchor() throws {
        var byMethod: [String: Int] = [:]
        var worstScore = 0.0
        for c in Self.file.cases {
            let (indices, scores) = try run(c)
            XCTAssertEqual(indices, c.indices, "\(c.method) on \(c.set), iou \(c.iou), score threshold \(c.score_threshold ?? 0), eta \(c.eta ?? 1), top_k \(c.top_k ?? 0)")
            if let expected = c.updated_scores, let scores {
                XCTAssertEqual(scores.count, expected.count)
                for (a, b) in zip(scores, expected) { worstScore = max(worstScore, abs(a - b)) }
            }
            byMethod[c.method, default: 0] += 1
        }
        XCTAssertLessThanOrEqual(worstScore, 1e-5, "Soft-NMS updated scores")
        XCTAssertEqual(Set(byMethod.keys), ["opencv", "opencv_batched", "torchvision", "torchvision_batched", "dlib", "soft_linear", "soft_gaussian"])
        print("NMS fidelity: \(Self.file.cases.count) cases \(byMethod.sorted { $0.key < $1.key }); Soft-NMS max score difference \(worstScore)")
    }

    func testFixturesHaveTiesDuplicatesAndSuppression() {
        for (name, set) in Self.file.sets where set.scores.count >= 300 {
            XCTAssertLessThan(Set(set.scores).count, set.scores.count / 4, "\(name): tied scores")
            XCTAssertLessThan(Set(set.boxes).count, set.boxes.count, "\(name): duplicate boxes")
        }
        XCTAssertTrue(Self.file.cases.contains { $0.indices.count > 20 && $0.method == "opencv" })
    }
}
