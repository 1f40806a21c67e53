import ClassicCV
import Foundation
import XCTest

final class KernelsExampleTests: XCTestCase {
    func testKernelsExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("readme-kernels-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try kernelsAndGuidedFilter(photo: root.appendingPathComponent("Fixtures/images/coffee.jpg").path, dehazedPNG: out)
        XCTAssertEqual(r.dx.width, r.sharp.width)
        XCTAssertEqual(r.haze.atmosphericLight.count, 3)
        XCTAssertEqual(try ImageIO.read(path: out).image.asUInt8, r.haze.image)
        XCTAssertNotEqual(r.crisp, r.sharp)
        XCTAssertTrue(r.log.samples.contains { $0 < 0 } && r.log.samples.contains { $0 > 0 })
    }
}
