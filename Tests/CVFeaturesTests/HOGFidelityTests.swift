import CVCore
import CVIO
import Foundation
import CVTestSupport
import XCTest
@testable import CVFeatures

enum HOGFixtures {
    static let dir = FixturePaths.url("hog")

    static func npy(_ name: String) throws -> NPYArray { try NPY.read(path: dir.appendingPathComponent(name).path) }
    static func image(_ name: String) throws -> AnyImage { try npy(name).toImage(source: name) }

    static func cases() throws -> [[String: Any]] {
        let data = try Data(contentsOf: dir.appendingPathComponent("cases.json"))
        return try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }

    static func descriptor(_ hog: HOG, _ image: AnyImage) throws -> HOGFeatures {
        switch image {
        case .uint8(let i): return try hog.descriptor(i)
        case .uint16(let i): return try hog.descriptor(i)
        case .float32(let i): return try hog.descriptor(i)
        }
    }

    static func maxAbsDiff(_ a: [Float], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var m = 0.0
        for i in 0..<a.count { m = max(m, abs(Double(a[i]) - b[i])) }
        return m
    }
}

final class HOGFidelityTests: XCTestCase {
    func testScikitImagePresetMatchesSkimage() throws {
        var worst = 0.0, count = 0
        for c in try HOGFixtures.cases() where c["kind"] as? String == "skimage" {
            let cell = c["cell"] as! [Int], block = c["block"] as! [Int]
            let params = HOGParameters.scikitImage(
                orientations: c["orientations"] as! Int, pixelsPerCell: HOGSize(cell[0], cell[1]),
                cellsPerBlock: HOGSize(block[0], block[1]), blockNorm: HOGBlockNorm(name: c["norm"] as! String)!,
                transformSqrt: c["sqrt"] as! Bool)
            let image = try HOGFixtures.image(c["input"] as! String)
            let f = try HOGFixtures.descriptor(try HOG(params), image)
            XCTAssertEqual(f.shape, c["shape"] as? [Int], "\(c)")
            let expected = try HOGFixtures.npy(c["expected"] as! String).toDoubles()
            guard f.values.count == expected.count else { XCTFail("length \(f.values.count) vs \(expected.count) for \(c)"); continue }
            let d = HOGFixtures.maxAbsDiff(f.values, expected)
            XCTAssertLessThanOrEqual(d, 1e-5, "\(c["expected"]!): \(c["input"]!) \(c["norm"]!)")
            worst = max(worst, d)
            count += 1
        }
        XCTAssertEqual(count, 18)
        print("HOG scikit-image fixtures: \(count) cases, max abs diff \(worst)")
    }

    func testVisualizationMatchesSkimage() throws {
        var n = 0
        for c in try HOGFixtures.cases() where c["visualization"] != nil {
            let cell = c["cell"] as! [Int], block = c["block"] as! [Int]
            let params = HOGParameters.scikitImage(
                orientations: c["orientations"] as! Int, pixelsPerCell: HOGSize(cell[0], cell[1]),
                cellsPerBlock: HOGSize(block[0], block[1]), transformSqrt: c["sqrt"] as! Bool)
            let image = try HOGFixtures.image(c["input"] as! String)
            guard case .uint8(let img) = image else { continue }
            let hist = try HOG(params).cellHistograms(img)
            let g = try HOGVisualization.glyphs(hist, width: img.width, height: img.height)
            let expected = try HOGFixtures.npy(c["visualization"] as! String).toDoubles()
            let d = HOGFixtures.maxAbsDiff(g.samples, expected)
            XCTAssertLessThanOrEqual(d, 1e-4, "\(c["visualization"]!)")
            let png = try HOGVisualization.image(hist, width: img.width, height: img.height)
            XCTAssertEqual(png.width, img.width)
            let over = try HOGVisualization.overlay(hist, on: img)
            XCTAssertEqual(over.channels, 3)
            n += 1
        }
        XCTAssertEqual(n, 3)
    }

    func testDalalTriggsMatchesOpenCV() throws {
        let hog = try HOG(.dalalTriggs)
        var worst = 0.0
        for c in try HOGFixtures.cases() where c["kind"] as? String == "opencv" {
            let f = try HOGFixtures.descriptor(hog, try HOGFixtures.image(c["input"] as! String))
            XCTAssertEqual(f.values.count, 3780)
            let expected = try HOGFixtures.npy(c["expected"] as! String).toDoubles()
            let d = HOGFixtures.maxAbsDiff(f.values, expected)
            XCTAssertLessThanOrEqual(d, 1e-4, "\(c["input"]!)")
            worst = max(worst, d)
        }
        print("HOG OpenCV single window: max abs diff \(worst)")
    }

    func testDenseWindowsMatchOpenCV() throws {
        let hog = try HOG(.dalalTriggs)
        var worst = 0.0
        for c in try HOGFixtures.cases() where c["kind"] as? String == "opencv-dense" {
            guard case .uint8(let img) = try HOGFixtures.image(c["input"] as! String) else { XCTFail(); continue }
            let s = c["stride"] as! [Int], nw = c["windows"] as! [Int]
            let w = try hog.windows(img, window: HOGParameters.dalalTriggsWindow, stride: HOGSize(s[0], s[1]))
            XCTAssertEqual([w.windowsX, w.windowsY], nw)
            let expected = try HOGFixtures.npy(c["expected"] as! String).toDoubles()
            XCTAssertEqual(w.values.count, expected.count)
            guard w.values.count == expected.count else { continue }
            let d = HOGFixtures.maxAbsDiff(w.values, expected)
            XCTAssertLessThanOrEqual(d, 1e-4, "stride \(s)")
            worst = max(worst, d)
        }
        print("HOG OpenCV dense windows: max abs diff \(worst)")
    }
}
