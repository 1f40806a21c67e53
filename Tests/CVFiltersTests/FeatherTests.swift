import CVCore
import CVFormats
import CVTestSupport
import XCTest
import CVFilters

final class FeatherTests: XCTestCase {
    /// A photo-like image with a vertical edge at x = 40 and a rough mask whose edge is at
    /// x = 34: the feathered mask stays in [0, 1] and its 0.5 crossing moves onto the image edge.
    func testMovesTheMaskEdgeOntoTheImageEdge() throws {
        let w = 80, h = 40, edge = 40, roughEdge = 34
        var rng = SplitMix64(seed: 5)
        var pixels = [UInt8](repeating: 0, count: w * h * 3), mask = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w {
            for c in 0..<3 { pixels[(y * w + x) * 3 + c] = (x < edge ? 40 : 200) + rng.byte() % 12 }
            mask[y * w + x] = x >= roughEdge ? 255 : 0
        } }
        let image = try Image<UInt8>(width: w, height: h, channels: 3, samples: pixels)
        let rough = try Image<UInt8>(width: w, height: h, samples: mask)
        let soft = try image.featheredMask(rough, FeatheringParameters(radius: 20, epsilon: 1e-4))
        XCTAssertTrue(soft.samples.allSatisfy { $0 >= 0 && $0 <= 1 })
        for y in stride(from: 0, to: h, by: 7) {
            let crossing = (0..<w).first { soft[$0, y] >= 0.5 }
            XCTAssertEqual(crossing, edge, "row \(y)")
        }
    }

    func testRefusals() throws {
        let image = Image<UInt8>(width: 8, height: 8, channels: 3)
        XCTAssertThrowsError(try image.featheredMask(Image<UInt8>(width: 7, height: 8))) { assertNames($0, "mask") }
        XCTAssertThrowsError(try image.featheredMask(Image<UInt8>(width: 8, height: 8, channels: 3))) { assertNames($0, "mask") }
        XCTAssertThrowsError(try image.featheredMask(Image<UInt8>(width: 8, height: 8), FeatheringParameters(radius: -1))) {
            assertNames($0, "radius")
        }
        XCTAssertThrowsError(try image.featheredMask(Image<UInt8>(width: 8, height: 8), FeatheringParameters(epsilon: .nan))) {
            assertNames($0, "epsilon")
        }
    }
}
