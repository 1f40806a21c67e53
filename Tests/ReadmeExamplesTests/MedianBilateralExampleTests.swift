import ClassicCV
import Foundation
import XCTest

extension ReadmeExamplesTests {
    func testMedianBilateralExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let photo = root.appendingPathComponent("Fixtures/images/coffee.jpg").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("denoise-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try denoise(photo: photo, output: out)
        XCTAssertEqual(result.median.channels, 3)
        XCTAssertEqual(try ImageIO.read(path: out).image.asUInt8, result.bilateral)
        XCTAssertEqual(result.fast.width, result.bilateral.width)
    }
}
