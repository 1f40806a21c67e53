import CVCore
import CVDetect
import XCTest

/// Documented defaults, refusals of bad parameters and bad boxes, and small hand-checked cases.
final class NMSParameterTests: XCTestCase {
    let two = [Detection(x: 0, y: 0, width: 10, height: 10, score: 0.9), Detection(x: 1, y: 0, width: 10, height: 10, score: 0.8)]

    func testDefaultsAreTheDocumentedOnes() {
        let p = NMSParameters()
        XCTAssertEqual(p.iouThreshold, 0.5)
        XCTAssertNil(p.scoreThreshold)
        XCTAssertEqual(p.topK, 0)
        XCTAssertEqual(p.eta, 1)
        XCTAssertEqual(p.overlap, .torchvision)
        XCTAssertEqual(NMSParameters.dlib().overlap, .dlib(covered: 1))
        let s = SoftNMSParameters()
        XCTAssertEqual(s.decay, .linear)
        XCTAssertEqual(s.scoreThreshold, 0)
        XCTAssertEqual(s.iouThreshold, 0.3)
        XCTAssertEqual(s.sigma, 0.5)
        XCTAssertEqual(s.topK, 0)
    }

    func testHandCheckedCases() throws {
        // IoU 90/110 = 0.818: suppressed at 0.5, kept at 0.9.
        XCTAssertEqual(try nonMaximumSuppression(two), [0])
        XCTAssertEqual(try nonMaximumSuppression(two, parameters: .torchvision(iouThreshold: 0.9)), [0, 1])
        XCTAssertEqual(try nonMaximumSuppression(two, classes: [0, 1]), [0, 1])
        // Ties keep input order; a strict score threshold drops a box equal to it.
        let tied = two.map { Detection(x: $0.x * 50, y: $0.y, width: $0.width, height: $0.height, score: 0.5) }
        XCTAssertEqual(try nonMaximumSuppression(tied), [0, 1])
        XCTAssertEqual(try nonMaximumSuppression(tied, parameters: .opencv(scoreThreshold: 0.5, iouThreshold: 0.5)), [])
        // dlib's covered rule: a small box inside a big one.
        let nested = [Detection(x: 0, y: 0, width: 100, height: 100, score: 1), Detection(x: 10, y: 10, width: 20, height: 20, score: 0.5)]
        XCTAssertEqual(try nonMaximumSuppression(nested, parameters: .dlib(iouThreshold: 0.5, coveredThreshold: 0.9)), [0])
        XCTAssertEqual(try nonMaximumSuppression(nested, parameters: .dlib(iouThreshold: 0.5)), [0, 1])
        // OpenCV: two empty boxes far apart overlap fully.
        let empty = [Detection(x: 0, y: 0, width: 0, height: 0, score: 0.9), Detection(x: 100, y: 100, width: 0, height: 0, score: 0.8)]
        XCTAssertEqual(try nonMaximumSuppression(empty, parameters: .opencv(scoreThreshold: 0, iouThreshold: 0.5)), [0])
        XCTAssertEqual(try nonMaximumSuppression(empty), [0, 1])
        // Soft-NMS Gaussian: 0.8 · exp(−(90/110)² / 0.5).
        let soft = try softNonMaximumSuppression(two, parameters: .opencv(decay: .gaussian, scoreThreshold: 0, iouThreshold: 0.3))
        XCTAssertEqual(soft.map(\.index), [0, 1])
        XCTAssertEqual(soft[1].score, 0.8 * exp(-(90.0 / 110) * (90.0 / 110) / 0.5), accuracy: 1e-6)
        XCTAssertEqual(try nonMaximumSuppression([]), [])
        XCTAssertEqual(try softNonMaximumSuppression([]), [])
    }

    func testBadParametersAreRefusedByName() {
        func refuses(_ name: String, _ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try body(), file: file, line: line) { error in
                guard case let CVError.invalidParameter(n, _) = error else { return XCTFail("\(error)", file: file, line: line) }
                XCTAssertEqual(n, name, file: file, line: line)
            }
        }
        for bad in [Double.nan, -0.1, 1.5, 1e9, -.infinity] {
            refuses("iouThreshold") { try nonMaximumSuppression(self.two, parameters: .torchvision(iouThreshold: bad)) }
            refuses("iouThreshold") { try softNonMaximumSuppression(self.two, parameters: .opencv(decay: .linear, scoreThreshold: 0, iouThreshold: bad)) }
        }
        for bad in [Double.nan, 0, -1, 1.01] {
            refuses("eta") { try nonMaximumSuppression(self.two, parameters: .opencv(scoreThreshold: 0, iouThreshold: 0.5, eta: bad)) }
        }
        refuses("topK") { try nonMaximumSuppression(self.two, parameters: .opencv(scoreThreshold: 0, iouThreshold: 0.5, topK: -1)) }
        refuses("topK") { try nonMaximumSuppression(self.two, parameters: .opencv(scoreThreshold: 0, iouThreshold: 0.5, topK: Int.max)) }
        refuses("scoreThreshold") { try nonMaximumSuppression(self.two, parameters: .opencv(scoreThreshold: .nan, iouThreshold: 0.5)) }
        refuses("coveredThreshold") { try nonMaximumSuppression(self.two, parameters: .dlib(coveredThreshold: 2)) }
        for bad in [Double.nan, 0, -1, 1e9] {
            refuses("sigma") { try softNonMaximumSuppression(self.two, parameters: .opencv(decay: .gaussian, scoreThreshold: 0, iouThreshold: 0.3, sigma: bad)) }
        }
        refuses("classes") { try nonMaximumSuppression(self.two, classes: [0]) }
    }

    func testBadBoxesAreRefusedNamingTheBox() {
        let bad: [Detection] = [
            Detection(x: .nan, y: 0, width: 1, height: 1, score: 1),
            Detection(x: 0, y: 0, width: -1, height: 1, score: 1),
            Detection(x: 0, y: 0, width: 1, height: .infinity, score: 1),
            Detection(x: 1e300, y: 0, width: 1, height: 1, score: 1),
            Detection(x: 0, y: 0, width: 1, height: 1, score: .nan),
        ]
        for b in bad {
            for call in [{ _ = try nonMaximumSuppression(self.two + [b]) }, { _ = try softNonMaximumSuppression(self.two + [b]) }] {
                XCTAssertThrowsError(try call()) { error in
                    guard case let CVError.invalidParameter(_, reason) = error else { return XCTFail("\(error)") }
                    XCTAssertTrue(reason.hasPrefix("box 2:"), reason)
                }
            }
        }
    }
}
