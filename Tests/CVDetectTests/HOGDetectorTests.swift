import CVCore
import CVFormats
import CVIO
import CVDetect
import CVFeatures
import CVTestSupport
import Foundation
import XCTest

/// Defaults, models and refusals of `HOGDetector` (fidelity is DetectorFidelityTests').
final class HOGDetectorTests: XCTestCase {
    func testDocumentedDefaults() {
        let p = HOGDetectorParameters()
        XCTAssertEqual(p.hitThreshold, 0)
        XCTAssertEqual(p.winStride, HOGSize(8, 8))
        XCTAssertEqual(p.padding, HOGSize(8, 8))
        XCTAssertEqual(p.scale, 1.05)
        XCTAssertEqual(p.maxLevels, 64)
        XCTAssertEqual(p.groupThreshold, 2)
        XCTAssertEqual(p.grouping, .rectangles)
    }

    /// The built-in models are the exported fixtures, and hold OpenCV's sizes.
    func testBuiltinModelsAreTheFixtures() throws {
        for (name, model, count) in [("people", HOGDetectorModel.people, 3780), ("daimler", HOGDetectorModel.daimler, 1980)] {
            let file = try HOGDetectorModel.decode(Data(contentsOf: FixturePaths.url("detect/\(name).json")), source: name)
            XCTAssertEqual(file, model)
            XCTAssertEqual(model.weights.count, count)
            XCTAssertEqual(HOGDetectorModel.named(name), model)
        }
        XCTAssertEqual(HOGDetectorModel.people.bias, -6.6657915, accuracy: 1e-6)
    }

    func testModelJSONRoundTrips() throws {
        let m = HOGDetectorModel.daimler
        XCTAssertEqual(try HOGDetectorModel.decode(try m.encoded(), source: "mem"), m)
    }

    func testModelsThatDoNotHoldTogetherAreRefused() throws {
        var m = HOGDetectorModel.people
        m.weights.removeLast()
        XCTAssertThrowsError(try HOGDetector(model: m)) { assertParameter($0, "weights") }
        m = .people
        m.window = .init(width: 60, height: 128)
        XCTAssertThrowsError(try HOGDetector(model: m)) { assertParameter($0, "window") }
        m = .people
        m.weights[7] = .nan
        XCTAssertThrowsError(try HOGDetector(model: m)) { assertParameter($0, "weights") }
        XCTAssertThrowsError(try HOGDetectorModel.decode(Data("{\"weights\": []}".utf8), source: "bad.json")) {
            guard case CVError.decoding(let source, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(source, "bad.json")
        }
    }

    func testHostileOptionsAreRefusedWithTheOptionNamed() {
        func refuses(_ name: String, _ change: (inout HOGDetectorParameters) -> Void) {
            var p = HOGDetectorParameters()
            change(&p)
            XCTAssertThrowsError(try HOGDetector(parameters: p), name) { assertParameter($0, name) }
        }
        refuses("hit-threshold") { $0.hitThreshold = .nan }
        refuses("hit-threshold") { $0.hitThreshold = .infinity }
        refuses("stride") { $0.winStride = HOGSize(0, 8) }
        refuses("stride") { $0.winStride = HOGSize(513, 8) }
        refuses("stride") { $0.winStride = HOGSize(8, -4) }
        refuses("stride") { $0.winStride = HOGSize(8, 1_000_000_000) }
        refuses("padding") { $0.padding = HOGSize(-1, 8) }
        refuses("padding") { $0.padding = HOGSize(8, 1_000_000_000) }
        refuses("scale") { $0.scale = .nan }
        refuses("scale") { $0.scale = 0.5 }
        refuses("scale") { $0.scale = 1e9 }
        refuses("levels") { $0.maxLevels = 0 }
        refuses("group-threshold") { $0.groupThreshold = -1 }
        refuses("iou") { $0.grouping = .nms(iou: .nan) }
    }

    func testEmptyImageIsRefused() throws {
        let d = try HOGDetector()
        XCTAssertThrowsError(try d.detect(in: Image<UInt8>(width: 0, height: 0))) { assertParameter($0, "image") }
    }

    /// Images smaller than the window give no hits (no crash), and alpha is ignored.
    func testSmallAndAlphaImages() throws {
        let d = try HOGDetector()
        XCTAssertEqual(try d.detect(in: Image<UInt8>(width: 5, height: 7, channels: 3)), [])
        var rng = SplitMix64(seed: 3)
        let rgba = rng.noiseImage(width: 80, height: 140, channels: 4)
        XCTAssertEqual(try d.rawHits(in: rgba), try d.rawHits(in: rgba.droppingAlpha()))
    }

    /// The pyramid rule: levels while they hold the window, at most 64.
    func testPyramidScales() throws {
        let d = try HOGDetector()
        let s = d.pyramidScales(width: 768, height: 576)
        XCTAssertEqual(s.count, 31)  // 576 / 1.05^31 rounds to 127: listed, then dropped
        XCTAssertEqual(s[1], 1.05)
        XCTAssertGreaterThanOrEqual((576 / s[30]).rounded(), 128)
        var p = HOGDetectorParameters()
        p.scale = 1
        XCTAssertEqual(try HOGDetector(parameters: p).pyramidScales(width: 768, height: 576), [1])
    }

    /// Greedy grouping keeps the best of overlapping hits and a distant one.
    func testNMSGroupingKeepsTheBestOfOverlappingHits() throws {
        var p = HOGDetectorParameters()
        p.grouping = .nms(iou: 0.5)
        let d = try HOGDetector(parameters: p)
        func hit(_ x: Double, _ score: Double) -> HOGRawHit {
            HOGRawHit(detection: Detection(x: x, y: 0, width: 64, height: 128, score: score), level: 0, scale: 1)
        }
        let kept = d.group([hit(0, 1), hit(4, 2), hit(200, 0.5)], imageWidth: 400, imageHeight: 200)
        XCTAssertEqual(kept.map(\.x), [4, 200])
    }

    /// A window stride finer than the block stride scores a superset of the windows: every
    /// 8×8 window is also a 4×4 (or 4×8) window, read from the same block grid, so its score is
    /// the same bits; the windows in between come from the grids at 4-pixel offsets. Every
    /// window is a hit (threshold −1e9), so all of them are compared.
    func testFinerStrideScoresASupersetOfTheWindows() throws {
        let image = try ImageIO.read(path: FixturePaths.path("detect/images/messi5.jpg")).image.asUInt8
        let crop = try image.cropped(x: 100, y: 60, width: 150, height: 170)
        func hits(_ stride: HOGSize, padding: Int = 8, threshold: Double = -1e9) throws -> [HOGWindowHit] {
            try HOGDetector(parameters: HOGDetectorParameters(hitThreshold: threshold, winStride: stride,
                                                              padding: HOGSize(padding, padding))).windowHits(in: crop)
        }
        let coarse = try hits(HOGSize(8, 8))
        XCTAssertGreaterThan(coarse.count, 5)
        for fine in [HOGSize(4, 4), HOGSize(4, 8), HOGSize(8, 4)] {
            let f = try hits(fine)
            let byCorner = Dictionary(f.map { (SIMD2($0.x, $0.y), $0.score) }, uniquingKeysWith: { a, _ in a })
            for h in coarse { XCTAssertEqual(byCorner[SIMD2(h.x, h.y)], h.score, "\(fine) at \(h.x),\(h.y)") }
            XCTAssertGreaterThan(f.count, coarse.count, "\(fine)")
            XCTAssertTrue(f.contains { $0.x % 8 != 0 || $0.y % 8 != 0 }, "\(fine)")
        }
        // Padding 4 stays 4 at a 4-pixel stride (rounded to gcd(4, 8)): every window of the
        // 158×178 padded crop, from −4.
        let all = try hits(HOGSize(4, 4), padding: 4, threshold: -1e9)
        XCTAssertEqual(all.count, ((158 - 64) / 4 + 1) * ((178 - 128) / 4 + 1))
        XCTAssertEqual(all.map(\.x).min(), -4)
        XCTAssertEqual(all.map(\.y).min(), -4)
    }

    func assertParameter(_ error: Error, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        guard case CVError.invalidParameter(let n, _) = error else { return XCTFail("\(error)", file: file, line: line) }
        XCTAssertEqual(n, name, file: file, line: line)
    }
}
