import CVDetect
import XCTest

final class DetectionTests: XCTestCase {
    func testEdgesAndAreaFollowTheCornerSizeConvention() {
        let d = Detection(x: 10, y: 20, width: 64, height: 128, score: 0.5)
        XCTAssertEqual(d.maxX, 74)
        XCTAssertEqual(d.maxY, 148)
        XCTAssertEqual(d.area, 8192)
    }
}
