import Foundation
import XCTest

/// The layering rule of ARCHITECTURE.md that the compiler cannot enforce: CVFormats and
/// CVLearn depend on CVCore (for `CVError` and `Parallel`) but never use its image types, and
/// neither imports an image module.
final class LayeringTests: XCTestCase {
    func testFormatsAndLearningNeverTouchImages() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let forbidden = ["Image<", "AnyImage", "PixelScalar", "import CVIO", "import CVFilters",
                         "import CVTransform", "import CVFeatures"]
        var checked = 0
        for module in ["CVFormats", "CVLearn"] {
            let folder = sources.appendingPathComponent(module)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            XCTAssertFalse(files.isEmpty, module)
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for word in forbidden {
                    XCTAssertFalse(text.contains(word), "\(module)/\(file) uses \(word)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }
}
