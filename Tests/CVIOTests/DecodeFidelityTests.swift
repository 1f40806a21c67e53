import CVCore
@testable import CVIO
import XCTest

/// Decoders against the anchors' references in Fixtures/formats (see Tools/make_fixtures.py).
final class DecodeFidelityTests: XCTestCase {
    /// PNG: bit-identical to cv2.imread(IMREAD_UNCHANGED), channel order aside.
    func testPNGVariantsMatchOpenCV() throws {
        let files = try Fixture.files(in: "formats/png", ext: ["png"])
        XCTAssertGreaterThanOrEqual(files.count, 25)
        for name in files {
            let decoded = try ImageIO.read(path: Fixture.path("formats/png/\(name)"))
            let ref = try Fixture.npy("formats/png/\((name as NSString).deletingPathExtension).npy")
            XCTAssertEqual(decoded.image.depth, ref.dtype == .uint16 ? .uint16 : .uint8, name)
            XCTAssertEqual(maxAbsDifference(decoded.image, ref), 0, name)
        }
    }

    /// Interlaced files decode to the same pixels as their non-interlaced twins.
    func testAdam7MatchesProgressiveTwin() throws {
        for (a, b) in [("gray8_adam7", "gray8"), ("rgb8_adam7", "rgb8"), ("rgba16_adam7", "rgba16"), ("palette4_adam7", "palette4")] {
            let x = try ImageIO.read(path: Fixture.path("formats/png/\(a).png")).image
            let y = try ImageIO.read(path: Fixture.path("formats/png/\(b).png")).image
            let hx = try ImageIO.readHeader(path: Fixture.path("formats/png/\(a).png"))
            XCTAssertTrue(hx.colorModel.contains("Adam7"), a)
            XCTAssertEqual(x, y, a)
        }
    }

    /// JPEG: within 1 of Pillow (islow IDCT, fancy upsampling on both sides).
    func testJPEGVariantsMatchPillow() throws {
        let files = try Fixture.files(in: "formats/jpeg", ext: ["jpg"]).filter { !$0.hasPrefix("orientation_") }
        XCTAssertGreaterThanOrEqual(files.count, 8)
        for name in files {
            let decoded = try ImageIO.read(path: Fixture.path("formats/jpeg/\(name)"))
            let ref = try Fixture.npy("formats/jpeg/\((name as NSString).deletingPathExtension).npy")
            XCTAssertLessThanOrEqual(maxAbsDifference(decoded.image, ref), 1, name)
        }
    }

    func testJPEGHeaderReportsProgressiveAndCMYK() throws {
        XCTAssertTrue(try ImageIO.readHeader(path: Fixture.path("formats/jpeg/ycc420_progressive.jpg")).colorModel.contains("progressive"))
        XCTAssertTrue(try ImageIO.readHeader(path: Fixture.path("formats/jpeg/cmyk_adobe.jpg")).colorModel.contains("CMYK"))
        XCTAssertTrue(try ImageIO.readHeader(path: Fixture.path("formats/jpeg/ycck_adobe.jpg")).colorModel.contains("YCCK"))
    }

    /// EXIF orientation: applied by default (as Pillow's exif_transpose), reported or ignored on request.
    func testEXIFOrientation() throws {
        for o in 1...8 {
            let path = Fixture.path("formats/jpeg/orientation_\(o).jpg")
            let applied = try ImageIO.read(path: path)
            XCTAssertEqual(applied.orientation, o)
            XCTAssertEqual(applied.orientationApplied, o != 1)
            XCTAssertLessThanOrEqual(maxAbsDifference(applied.image, try Fixture.npy("formats/jpeg/orientation_\(o).oriented.npy")), 1, "orientation \(o)")

            let reported = try ImageIO.read(path: path, options: DecodeOptions(orientation: .report))
            XCTAssertEqual(reported.orientation, o)
            XCTAssertFalse(reported.orientationApplied)
            XCTAssertLessThanOrEqual(maxAbsDifference(reported.image, try Fixture.npy("formats/jpeg/orientation_\(o).npy")), 1, "stored \(o)")

            let ignored = try ImageIO.read(path: path, options: DecodeOptions(orientation: .ignore))
            XCTAssertEqual(ignored.orientation, 1)
            XCTAssertEqual(try ImageIO.readHeader(path: path).orientation, o)
        }
    }

    /// PNM: identical to cv2.imread(IMREAD_UNCHANGED) for P1-P6, all maxvals.
    func testPNMVariantsMatchOpenCV() throws {
        let files = try Fixture.files(in: "formats/pnm", ext: ["pbm", "pgm", "ppm", "pnm"])
        XCTAssertGreaterThanOrEqual(files.count, 12)
        for name in files {
            let decoded = try ImageIO.read(path: Fixture.path("formats/pnm/\(name)"))
            let ref = try Fixture.npy("formats/pnm/\((name as NSString).deletingPathExtension).npy")
            XCTAssertEqual(maxAbsDifference(decoded.image, ref), 0, name)
        }
    }

    /// RGB2GRAY bit-identical to cv2.cvtColor for UInt8 and UInt16; Float within 1e-6.
    func testGrayMatchesOpenCV() throws {
        let refs = try Fixture.files(in: "gray", ext: ["npy"]).filter { $0.hasSuffix(".gray.npy") }
        XCTAssertGreaterThanOrEqual(refs.count, 6)
        for refName in refs {
            let stem = refName.replacingOccurrences(of: ".gray.npy", with: "")
            let inputPath = Fixture.path("gray/\(stem).npy")
            let input = FileManager.default.fileExists(atPath: inputPath)
                ? try NPY.read(path: inputPath).toImage()
                : try ImageIO.read(path: Fixture.path("images/\(stem).png")).image
            let ref = try Fixture.npy("gray/\(refName)")
            let name = stem
            let gray: AnyImage
            switch input {
            case .uint8(let i): gray = .uint8(i.grayscale())
            case .uint16(let i): gray = .uint16(i.grayscale())
            case .float32(let i): gray = .float32(i.grayscale())
            }
            let tolerance = input.depth == .float32 ? 1e-6 : 0
            XCTAssertLessThanOrEqual(maxAbsDifference(gray, ref), tolerance, name)
        }
    }
}
