import CVCore
import CVIO
import Foundation
import XCTest

/// The decoder edges of the reliability issue, beyond the corpus test that holds their files
/// (`Fixtures/bad/`, written by `Tools/make_bad_edges.py`).
final class DecoderEdgeTests: XCTestCase {
    /// `header(of:)` (what `cvtool info` reads) refuses every corpus file that decoding refuses
    /// from the header alone: empty sizes and sizes beyond the limits, with the same error kind.
    func testHeaderRefusesWhatDecodingRefusesFromTheHeader() throws {
        let headerOnly = ["png_width0.png", "png_huge_dims.png", "jpeg_width0.jpg", "jpeg_huge_sof.jpg",
                          "pnm_zero_height.ppm", "pnm_huge_dims.ppm", "pnm_negative_width.pgm", "pnm_magic_no_space.pgm"]
        for file in headerOnly {
            let path = Fixture.path("bad/\(file)")
            let bytes = try FileIO.readAll(path)
            XCTAssertThrowsError(try ImageIO.decode(bytes, source: path), file)
            XCTAssertThrowsError(try ImageIO.header(of: bytes, source: path), file) { headerError in
                do {
                    _ = try ImageIO.decode(bytes, source: path)
                } catch {
                    XCTAssertEqual(Self.kind(headerError), Self.kind(error), "\(file): \(headerError) / \(error)")
                }
            }
        }
    }

    /// An NPY array with an empty axis is a valid array but no image, for the header as for decoding.
    func testEmptyNPYArrayIsNoImage() throws {
        for shape in [[0, 4], [4, 0], [3, 0, 3]] {
            let bytes = NPY.encode(NPYArray(shape: shape, uint8s: []))
            XCTAssertThrowsError(try ImageIO.header(of: bytes)) { XCTAssertEqual(Self.kind($0), "decoding", "\(shape)") }
            XCTAssertThrowsError(try ImageIO.decode(bytes)) { XCTAssertEqual(Self.kind($0), "decoding", "\(shape)") }
        }
    }

    /// The header limits apply to PNM and NPY headers as they do to PNG and JPEG.
    func testHeaderAppliesTheLimits() throws {
        let small = DecodeLimits(maxWidth: 8, maxHeight: 8, maxPixels: 64)
        let pnm = Array("P5 13 7 255\n".utf8) + [UInt8](repeating: 7, count: 91)
        let npy = NPY.encode(NPYArray(shape: [7, 13], uint8s: [UInt8](repeating: 7, count: 91)))
        for bytes in [pnm, npy] {
            XCTAssertNoThrow(try ImageIO.header(of: bytes))
            XCTAssertThrowsError(try ImageIO.header(of: bytes, limits: small)) { XCTAssertEqual(Self.kind($0), "limitExceeded") }
        }
    }

    /// The magic number is a token of its own, and one whitespace byte ends a raw header.
    func testPNMSeparators() throws {
        let body = [UInt8](repeating: 9, count: 91)
        for ok in ["P5 13 7 255\n", "P5\n13 7\n255\n", "P5\t# comment\n13 7 255 "] {
            let image = try ImageIO.decode(Array(ok.utf8) + body).image
            XCTAssertEqual(image.width, 13, ok)
        }
        for bad in ["P513 7 255\n", "P5#c\n13 7 255\n", "P5 13 7 255X"] {
            XCTAssertThrowsError(try ImageIO.decode(Array(bad.utf8) + body), bad) { XCTAssertEqual(Self.kind($0), "decoding", bad) }
            XCTAssertThrowsError(try ImageIO.header(of: Array(bad.utf8) + body), bad)
        }
    }

    /// A scan that stops early is refused whether the file ends there or an EOI follows; the
    /// same bytes cut at the same place decode neither way.
    func testJPEGScanStoppingEarlyIsTruncated() throws {
        for file in ["jpeg_scan_then_eoi.jpg", "jpeg_trunc_scan.jpg", "jpeg_empty_scans.jpg"] {
            let path = Fixture.path("bad/\(file)")
            XCTAssertThrowsError(try ImageIO.read(path: path), file) { error in
                XCTAssertEqual(Self.kind(error), "decoding")
                XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
            }
        }
    }

    /// The progressive work budget follows the pixel limit: the same file is refused sooner
    /// under a smaller limit, with a message naming the budget.
    func testJPEGScanBudgetFollowsThePixelLimit() throws {
        let path = Fixture.path("bad/jpeg_scan_budget.jpg")
        let start = Date()
        XCTAssertThrowsError(try ImageIO.read(path: path)) { error in
            XCTAssertEqual(Self.kind(error), "limitExceeded")
            XCTAssertTrue("\(error)".contains("budget"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 15)
    }

    /// Every JPEG and PNG fixture that decodes still decodes, with no warning promoted to an error.
    func testGoodFixturesStillDecode() throws {
        for dir in ["images", "formats/jpeg", "formats/png"] {
            for name in try Fixture.files(in: dir, ext: ["jpg", "png"]) {
                XCTAssertNoThrow(try ImageIO.read(path: Fixture.path("\(dir)/\(name)")), name)
            }
        }
    }

    static func kind(_ error: Error) -> String {
        switch error as? CVError {
        case .decoding?: return "decoding"
        case .limitExceeded?: return "limitExceeded"
        case .unsupported?: return "unsupported"
        default: return "\(error)"
        }
    }
}
