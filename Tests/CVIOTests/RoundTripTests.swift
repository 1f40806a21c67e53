import CVCore
@testable import CVIO
import XCTest

final class RoundTripTests: XCTestCase {
    func randomImage<P: PixelScalar>(_: P.Type, width: Int, height: Int, channels: Int, seed: UInt64) -> Image<P> {
        var rng = SplitMix64(seed: seed)
        var img = Image<P>(width: width, height: height, channels: channels)
        img.withUnsafeMutablePixels { p, s in
            for y in 0..<height {
                for i in 0..<(width * channels) {
                    let r = rng.next()
                    p[y * s + i] = P.depth == .float32 ? P(clampingRounded: Float(r % 1000) / 999) : P(clampingRounded: Float(r % (P.depth == .uint8 ? 256 : 65536)))
                }
            }
        }
        return img
    }

    func testPNGLosslessEveryChannelCountAndDepth() throws {
        for c in 1...4 {
            for level in [0, 1, 9] {
                let a = randomImage(UInt8.self, width: 33, height: 17, channels: c, seed: UInt64(c))
                let bytes = try ImageIO.encode(.uint8(a), as: .png, options: EncodeOptions(pngCompressionLevel: level))
                XCTAssertEqual(try ImageIO.decode(bytes).image, .uint8(a))
            }
            let b = randomImage(UInt16.self, width: 19, height: 21, channels: c, seed: UInt64(10 + c))
            XCTAssertEqual(try ImageIO.decode(try ImageIO.encode(.uint16(b), as: .png)).image, .uint16(b))
        }
    }

    func testPNMAndNPYLossless() throws {
        for c in [1, 3] {
            let a = randomImage(UInt8.self, width: 13, height: 7, channels: c, seed: 3)
            XCTAssertEqual(try ImageIO.decode(try ImageIO.encode(.uint8(a), as: .pnm)).image, .uint8(a))
            let b = randomImage(UInt16.self, width: 13, height: 7, channels: c, seed: 4)
            XCTAssertEqual(try ImageIO.decode(try ImageIO.encode(.uint16(b), as: .pnm)).image, .uint16(b))
        }
        for c in 1...4 {
            let f = randomImage(Float.self, width: 5, height: 6, channels: c, seed: 5)
            XCTAssertEqual(try ImageIO.decode(try ImageIO.encode(.float32(f), as: .npy)).image, .float32(f))
            let u = randomImage(UInt16.self, width: 5, height: 6, channels: c, seed: 6)
            XCTAssertEqual(try ImageIO.decode(try ImageIO.encode(.uint16(u), as: .npy)).image, .uint16(u))
        }
    }

    func testCroppedViewEncodesOnlyItsPixels() throws {
        let a = randomImage(UInt8.self, width: 40, height: 30, channels: 3, seed: 7)
        let view = try a.cropped(x: 5, y: 4, width: 10, height: 9)
        let back = try ImageIO.decode(try ImageIO.encode(.uint8(view), as: .png)).image.asUInt8
        XCTAssertEqual(back, view)
        XCTAssertEqual(back[0, 0, 1], a[5, 4, 1])
    }

    func testJPEGEncodeOptions() throws {
        let photo = try ImageIO.read(path: Fixture.path("images/coffee.png")).image.asUInt8
        var sizes: [Int] = []
        for q in [50, 95] {
            let bytes = try ImageIO.encode(.uint8(photo), as: .jpeg, options: EncodeOptions(jpegQuality: q))
            sizes.append(bytes.count)
            let back = try ImageIO.decode(bytes).image.asUInt8
            XCTAssertEqual(back.width, photo.width)
            // Mean absolute error small at quality 95.
            if q == 95 {
                let d = zip(back.samples, photo.samples).map { abs(Int($0) - Int($1)) }
                XCTAssertLessThan(Double(d.reduce(0, +)) / Double(d.count), 3.0)
            }
        }
        XCTAssertLessThan(sizes[0], sizes[1])
        let progressive = try ImageIO.encode(.uint8(photo), as: .jpeg, options: EncodeOptions(jpegProgressive: true, jpegSubsampling: .s444))
        let header = try ImageIO.header(of: progressive)
        XCTAssertTrue(header.colorModel.contains("progressive"))
        XCTAssertThrowsError(try ImageIO.encode(.uint8(photo), as: .jpeg, options: EncodeOptions(jpegQuality: 0)))
        let gray = try ImageIO.encode(.uint8(photo.grayscale()), as: .jpeg)
        XCTAssertEqual(try ImageIO.header(of: gray).channels, 1)
    }

    func testFormatDetectedFromContentNotExtension() throws {
        let png = try FileIO.readAll(Fixture.path("images/chelsea.png"))
        XCTAssertEqual(ImageFormat.detect(png), .png)
        XCTAssertEqual(try ImageIO.decode(png, source: "misnamed.jpg").format, .png)
        XCTAssertThrowsError(try ImageFormat(pathExtensionOf: "out.gif"))
        XCTAssertEqual(try ImageFormat(pathExtensionOf: "a/b.JPEG"), .jpeg)
    }

    func testAtomicWriteLeavesNoTemporaryOnFailure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccv-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("x.png").path
        try FileIO.writeAtomically([1, 2, 3], to: target)
        XCTAssertEqual(try FileIO.readAll(target), [1, 2, 3])
        XCTAssertThrowsError(try FileIO.writeAtomically([1], to: dir.appendingPathComponent("missing/x.png").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["x.png"])
    }
}
