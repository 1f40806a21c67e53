import ClassicCV
import Foundation
import XCTest

/// The README's "Finding people" example on a vtest.avi frame (OpenCV finds the same 4 people).
final class DetectExampleTests: XCTestCase {
    func testFindPeopleExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let people = try findPeople(photo: root.appendingPathComponent("Fixtures/detect/images/vtest_0600.jpg").path)
        XCTAssertEqual(people.count, 4)
        XCTAssertEqual(people.first.map { [$0.x, $0.y, $0.width, $0.height] }, [619, 287, 72, 144])
    }
}
