@testable import CVIO
import XCTest

/// The defaults the doc comments promise.
final class DefaultsTests: XCTestCase {
    func testDocumentedDefaults() {
        let limits = DecodeLimits()
        XCTAssertEqual(limits.maxWidth, 262_144)
        XCTAssertEqual(limits.maxHeight, 262_144)
        XCTAssertEqual(limits.maxPixels, 1 << 28)
        let decode = DecodeOptions()
        XCTAssertEqual(decode.orientation, .apply)
        XCTAssertEqual(decode.pnmScaling, .opencv)
        let encode = EncodeOptions()
        XCTAssertEqual(encode.pngCompressionLevel, 1)
        XCTAssertEqual(encode.pngStrategy, 3)
        XCTAssertEqual(encode.pngFilters, 0x10)
        XCTAssertEqual(encode.jpegQuality, 95)
        XCTAssertFalse(encode.jpegProgressive)
        XCTAssertEqual(encode.jpegSubsampling, .s420)
        XCTAssertFalse(encode.jpegOptimize)
    }
}
