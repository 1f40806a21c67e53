import ClassicCV
import Foundation
import XCTest

/// The README's Arrow example, run on two fixture photos.
final class ArrowExampleTests: XCTestCase {
    func testArrowExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let photos = ["camera.png", "coffee.jpg"].map { root.appendingPathComponent("Fixtures/images/\($0)").path }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("readme-arrow-\(UUID().uuidString).arrow").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let d = try writeArrowTable(photos: photos, arrow: out)
        XCTAssertEqual(d, 2916)   // 64x64: 8x8 cells of 8x8 pixels, 6x6 blocks of 3x3 cells x 9 bins
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        XCTAssertEqual(Array(bytes.prefix(6)), Array("ARROW1".utf8))
        XCTAssertEqual(Array(bytes.suffix(6)), Array("ARROW1".utf8))
    }
}
