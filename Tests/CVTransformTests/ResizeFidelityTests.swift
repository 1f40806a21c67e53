import CVCore
import CVIO
@testable import CVTransform
import Foundation
import CVTestSupport
import XCTest

/// Reads Fixtures/resize (written by Tools/fixtures_resize.py).
enum ResizeFixture {
    static let root = FixturePaths.url("resize")

    struct Case {
        let input: String, dtype: String, anchor: String, filter: String, target: String, reference: String
    }

    static func manifest() throws -> [Case] {
        let text = try String(contentsOf: root.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t").map(String.init)
            return Case(input: f[0], dtype: f[1], anchor: f[2], filter: f[3], target: f[4], reference: f[5])
        }
    }

    static func load(_ relative: String) throws -> AnyImage {
        let path = root.appendingPathComponent(relative).path
        if relative.hasSuffix(".npy") { return try NPY.read(path: path).toImage(source: path) }
        return try ImageIO.read(path: path).image
    }

    static func target(_ s: String) -> ResizeTarget {
        let parts = s.split(separator: ":")
        let ab = parts[1].split(separator: "x")
        if parts[0] == "size" { return .size(width: Int(ab[0])!, height: Int(ab[1])!) }
        return .scale(x: Double(ab[0])!, y: Double(ab[1])!)
    }
}

final class ResizeFidelityTests: XCTestCase {
    /// Every manifest case: UInt8 and UInt16 max |diff| ≤ 1, Float relative error ≤ 1e-5.
    func testAgainstAnchors() throws {
        let cases = try ResizeFixture.manifest()
        XCTAssertGreaterThan(cases.count, 300)
        var stats: [String: (maxDiff: Double, differing: Int, total: Int)] = [:]
        var inputs: [String: AnyImage] = [:]
        for c in cases {
            let input = try inputs[c.input] ?? ResizeFixture.load(c.input)
            inputs[c.input] = input
            let reference = try ResizeFixture.load(c.reference)
            let filter = try XCTUnwrap(ResizeFilter(rawValue: c.filter))
            let params = c.anchor == "opencv" ? ResizeParameters.opencv(filter) : ResizeParameters.pillow(filter)
            let ours = try input.resized(to: ResizeFixture.target(c.target), parameters: params)
            XCTAssertEqual(ours.width, reference.width, "\(c.reference) width")
            XCTAssertEqual(ours.height, reference.height, "\(c.reference) height")
            XCTAssertEqual(ours.channels, reference.channels, "\(c.reference) channels")
            guard ours.width == reference.width, ours.height == reference.height, ours.channels == reference.channels else { continue }
            let a = resizeSamples(ours), b = resizeSamples(reference)
            var maxDiff = 0.0, differing = 0
            if c.dtype == "float32" {
                let scale = max(b.map(abs).max() ?? 1, 1e-6)
                for i in 0..<a.count {
                    let d = abs(a[i] - b[i]) / scale
                    maxDiff = max(maxDiff, d)
                    if d > 1e-5 { differing += 1 }
                }
                XCTAssertLessThanOrEqual(maxDiff, 1e-5, "\(c.reference): relative error")
            } else {
                for i in 0..<a.count {
                    let d = abs(a[i] - b[i])
                    maxDiff = max(maxDiff, d)
                    if d != 0 { differing += 1 }
                }
                XCTAssertLessThanOrEqual(maxDiff, 1, "\(c.reference): max abs difference")
            }
            if ProcessInfo.processInfo.environment["RESIZE_VERBOSE"] != nil && differing > 0 {
                print("resize case \(c.reference): max \(maxDiff), differing \(differing)/\(a.count)")
            }
            let key = "\(c.anchor) \(c.dtype) \(c.filter)"
            let s = stats[key] ?? (0, 0, 0)
            stats[key] = (max(s.maxDiff, maxDiff), s.differing + differing, s.total + a.count)
        }
        for key in stats.keys.sorted() {
            let s = stats[key]!
            print(String(format: "resize fidelity %-32@ max diff %-10g exact %.3f%%", key as NSString, s.maxDiff,
                         100 * Double(s.total - s.differing) / Double(max(s.total, 1))))
        }
    }
}

func resizeSamples(_ image: AnyImage) -> [Double] {
    switch image {
    case .uint8(let i): return i.samples.map(Double.init)
    case .uint16(let i): return i.samples.map(Double.init)
    case .float32(let i): return i.samples.map(Double.init)
    }
}
