import CVCore
import CVFormats
import CVIO
import CVTransform
import Foundation
import CVTestSupport
import XCTest

/// Reads Fixtures/augment (written by Tools/fixtures_augment.py: torchvision's formulas in
/// NumPy float32, Pillow for the resize).
enum AugmentFixture {
    static let root = FixturePaths.url("augment")

    struct Case { let name: String, op: String, input: String, parameters: [String] }

    static func manifest() throws -> [Case] {
        let text = try String(contentsOf: root.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(name: f[0], op: f[1], input: f[2], parameters: f[3].split(separator: " ").map(String.init))
        }
    }

    static func photo(_ name: String) throws -> Image<UInt8> {
        guard case let .uint8(image) = try ImageIO.read(path: FixturePaths.path("images/\(name)")).image else {
            throw CVError.unsupported(source: name, reason: "expected 8-bit")
        }
        return image
    }

    /// The crops Tools/fixtures_augment.py cuts (its INPUTS), as contiguous images.
    static func input(_ name: String) throws -> Image<UInt8> {
        switch name {
        case "rgb": return try photo("chelsea.png").droppingAlpha().cropped(x: 140, y: 60, width: 56, height: 40).copy()
        case "gray":
            let camera = try photo("camera.png")
            return try (camera.channels == 1 ? camera : camera.channel(0)).cropped(x: 200, y: 100, width: 56, height: 40).copy()
        case "coffee": return try photo("coffee.png").droppingAlpha().cropped(x: 180, y: 80, width: 48, height: 36).copy()
        default: return try photo("chelsea.png").droppingAlpha()
        }
    }

    static func reference(_ name: String) throws -> Image<UInt8> {
        try NPYArray.fixture("augment/\(name).npy").uint8Image()
    }

    /// Runs one case through the library.
    static func run(_ c: Case) throws -> Image<UInt8> {
        let x = try input(c.input)
        let p = c.parameters.compactMap(Double.init)
        switch c.op {
        case "brightness": return try x.adjustingBrightness(p[0])
        case "contrast": return try x.adjustingContrast(p[0])
        case "saturation": return try x.adjustingSaturation(p[0])
        case "hue": return try x.adjustingHue(p[0])
        case "grayscale": return try x.torchvisionGrayscale(outputChannels: 3)
        case "flip": return x.horizontallyFlipped()
        case "blur": return try x.torchvisionGaussianBlurred(kernelSize: Int(p[0]), sigma: p[1])
        case "jitter":
            let all = ColorJitterFactors.Adjustment.allCases
            let order = c.parameters[0].split(separator: ",").map { all[Int($0)!] }
            return try ColorJitterFactors(order: order, brightness: p[0], contrast: p[1], saturation: p[2], hue: p[3]).apply(x)
        case "resizedcrop":
            let v = p.map { Int($0) }
            let crop = RandomResizedCrop(width: v[4], height: v[5])
            return try crop.apply(x, box: CropBox(x: v[0], y: v[1], width: v[2], height: v[3]))
        default: throw CVError.unsupported(source: c.name, reason: "unknown op \(c.op)")
        }
    }

    /// (max |difference|, samples that differ).
    static func compare(_ a: Image<UInt8>, _ b: Image<UInt8>) -> (max: Int, differing: Int) {
        let x = a.samples, y = b.samples
        var m = 0, n = 0
        for i in x.indices { let d = abs(Int(x[i]) - Int(y[i])); m = max(m, d); if d > 0 { n += 1 } }
        return (m, n)
    }
}

final class AugmentFidelityTests: XCTestCase {
    /// Every deterministic operation against its reference. Tolerances: 0 for the colour
    /// formulas, the flip, the grayscale and the resized crop (same Float operations, Pillow's
    /// own arithmetic); ≤ 1 on at most 2 % of samples for the blur (torchvision sums a 2-D kernel
    /// in one pass, we sum the separable passes).
    func testOperationsMatchReferences() throws {
        let cases = try AugmentFixture.manifest()
        XCTAssertGreaterThanOrEqual(cases.count, 50)
        var blurDiffering = 0, blurSamples = 0
        for c in cases {
            let ours = try AugmentFixture.run(c), ref = try AugmentFixture.reference(c.name)
            XCTAssertEqual([ours.width, ours.height, ours.channels], [ref.width, ref.height, ref.channels], c.name)
            guard ours.width == ref.width, ours.height == ref.height, ours.channels == ref.channels else { continue }
            let (m, n) = AugmentFixture.compare(ours, ref)
            if c.op == "blur" {
                XCTAssertLessThanOrEqual(m, 1, c.name)
                blurDiffering += n; blurSamples += ours.samples.count
            } else {
                XCTAssertEqual(m, 0, "\(c.name): \(n) samples differ")
            }
        }
        print("augment fidelity: \(cases.count) cases; blur: \(blurDiffering) of \(blurSamples) samples differ by 1")
        XCTAssertLessThanOrEqual(Double(blurDiffering), 0.02 * Double(blurSamples), "blur: \(blurDiffering) of \(blurSamples) samples differ by 1")
    }

    /// `get_params`' attempts and fallbacks, computed by Python from the same draws.
    func testCropBoxesMatchTorchvisionGetParams() throws {
        let text = try String(contentsOf: AugmentFixture.root.appendingPathComponent("boxes.tsv"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            let w = Int(f[1])!, h = Int(f[2])!, a = Double(f[3])!, b = Double(f[4])!
            if f[0] == "attempt" {
                let got = RandomResizedCrop.attempt(imageWidth: w, imageHeight: h, areaFraction: a, aspect: b)
                if f[5] == "none" { XCTAssertNil(got, String(line)) } else {
                    XCTAssertEqual(got.map { [$0.width, $0.height] }, [Int(f[5])!, Int(f[6])!], String(line))
                }
            } else {
                let box = RandomResizedCrop.fallback(imageWidth: w, imageHeight: h, ratio: a...b)
                XCTAssertEqual([box.x, box.y, box.width, box.height], f[5...8].map { Int($0)! }, String(line))
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
    }
}
