import CVCore
@testable import CVTransform
import XCTest

final class ResizeParameterTests: XCTestCase {
    func testDocumentedDefaults() {
        let p = ResizeParameters()
        XCTAssertEqual(p.filter, .auto)
        XCTAssertEqual(p.compatibility, ResizeCompatibility.none)
        XCTAssertTrue(p.antialias)
        XCTAssertEqual(p.alpha, .automatic)
        XCTAssertEqual(ResizeParameters.quality, p)
        XCTAssertEqual(ResizeParameters.opencv(.area).compatibility, .opencv)
        XCTAssertEqual(ResizeParameters.pillow(.lanczos3).compatibility, .pillow)
        XCTAssertEqual(ResizeKernel.generic(.auto, shrinking: true), .lanczos(lobes: 3))
        XCTAssertEqual(ResizeKernel.generic(.auto, shrinking: false), .keys(a: -0.5))
    }

    func testBadParametersThrow() {
        let img = Image<UInt8>(width: 8, height: 6, channels: 3)
        func assertInvalid(_ t: ResizeTarget, _ p: ResizeParameters = .quality, _ name: String, line: UInt = #line) {
            XCTAssertThrowsError(try img.resized(to: t, parameters: p), line: line) { e in
                guard case let CVError.invalidParameter(n, _) = e else { return XCTFail("wrong error \(e)", line: line) }
                XCTAssertEqual(n, name, line: line)
            }
        }
        assertInvalid(.size(width: 0, height: 4), .quality, "width")
        assertInvalid(.size(width: 4, height: -1), .quality, "height")
        assertInvalid(.scale(x: 0, y: 1), .quality, "scale")
        assertInvalid(.scale(x: .nan, y: 1), .quality, "scale")
        assertInvalid(.scale(x: 0.01, y: 1), .quality, "scale")        // rounds to an empty image
        assertInvalid(.fit(width: 0, height: 5), .quality, "width")
        assertInvalid(.size(width: 4, height: 4), .opencv(.lanczos3), "filter")
        assertInvalid(.size(width: 4, height: 4), .pillow(.area), "filter")
        XCTAssertThrowsError(try Image<UInt8>(width: 0, height: 3).resized(to: .size(width: 2, height: 2)))
    }

    func testTargets() throws {
        XCTAssertEqual(try ResizeTarget.fit(width: 160, height: 160).outputSize(inputWidth: 1920, inputHeight: 1080).width, 160)
        XCTAssertEqual(try ResizeTarget.fit(width: 160, height: 160).outputSize(inputWidth: 1920, inputHeight: 1080).height, 90)
        XCTAssertEqual(try ResizeTarget.scale(x: 0.5, y: 0.5).outputSize(inputWidth: 61, inputHeight: 47).width, 30)  // ties to even
        XCTAssertEqual(try ResizeTarget.scale(x: 0.5, y: 0.5).outputSize(inputWidth: 61, inputHeight: 47).height, 24)
        let img = Image<UInt8>(width: 40, height: 20, channels: 1)
        let filled = try img.resized(to: .fill(width: 10, height: 10))
        XCTAssertEqual(filled.width, 10)
        XCTAssertEqual(filled.height, 10)
        let fitted = try img.resized(to: .fit(width: 10, height: 10))
        XCTAssertEqual(fitted.width, 10)
        XCTAssertEqual(fitted.height, 5)
    }

    /// Constant images stay constant in every mode and sample type (weights sum to one).
    func testConstantImagesStayConstant() throws {
        var img = Image<UInt8>(width: 13, height: 9, channels: 3)
        img.withUnsafeMutablePixels { p, s in for i in 0..<(9 * s) { p[i] = 200 } }
        let params: [ResizeParameters] = ResizeParameters.supportedFilters(.opencv).map { .opencv($0) }
            + ResizeParameters.supportedFilters(.pillow).map { .pillow($0) }
            + ResizeFilter.allCases.map { ResizeParameters(filter: $0) }
        for p in params {
            for t in [ResizeTarget.size(width: 5, height: 4), .size(width: 30, height: 20), .scale(x: 0.5, y: 0.5)] {
                let out = try img.resized(to: t, parameters: p)
                XCTAssertTrue(out.samples.allSatisfy { $0 == 200 }, "\(p.compatibility) \(p.filter) \(t)")
                let f = try img.converted(to: Float.self).resized(to: t, parameters: p)
                XCTAssertTrue(f.samples.allSatisfy { abs($0 - 200.0 / 255) < 1e-5 }, "float \(p.compatibility) \(p.filter) \(t)")
                let u = try img.converted(to: UInt16.self).resized(to: t, parameters: p)
                XCTAssertTrue(u.samples.allSatisfy { $0 == 200 * 257 }, "uint16 \(p.compatibility) \(p.filter) \(t)")
            }
        }
    }

    /// Premultiplied filtering: colour under fully transparent pixels does not bleed in.
    func testPremultipliedAlphaDoesNotDarkenEdges() throws {
        // Left half opaque white, right half transparent black.
        var img = Image<UInt8>(width: 8, height: 2, channels: 4)
        for y in 0..<2 { for x in 0..<4 { for c in 0..<4 { img[x, y, c] = 255 } } }
        let out = try img.resized(to: .size(width: 3, height: 1))
        for x in 0..<3 where out[x, 0, 3] > 0 {
            XCTAssertGreaterThanOrEqual(out[x, 0, 0], 254, "colour at x=\(x) darkened")
        }
        var independent = ResizeParameters()
        independent.alpha = .independent
        let dark = try img.resized(to: .size(width: 3, height: 1), parameters: independent)
        XCTAssertLessThan(dark[1, 0, 0], 250)
    }
}

final class ResizeLimitTests: XCTestCase {
    /// Outputs obey the decoded-image limits (262,144 a side, 2²⁸ pixels) and absurd targets
    /// never trap on integer conversion.
    func testOutputsBeyondTheImageLimitsAreRefused() {
        let img = Image<UInt8>(width: 8, height: 6, channels: 1)
        func assertInvalid(_ t: ResizeTarget, _ name: String, line: UInt = #line) {
            XCTAssertThrowsError(try img.resized(to: t), line: line) { e in
                guard case let CVError.invalidParameter(n, _) = e else { return XCTFail("wrong error \(e)", line: line) }
                XCTAssertEqual(n, name, line: line)
            }
        }
        assertInvalid(.size(width: ImageLimits.maxSide + 1, height: 4), "width")
        assertInvalid(.size(width: 4, height: ImageLimits.maxSide + 1), "height")
        assertInvalid(.size(width: Int.max, height: Int.max), "width")
        assertInvalid(.size(width: 65_536, height: 65_536), "size")
        assertInvalid(.scale(x: 1e9, y: 1), "scale")
        assertInvalid(.scale(x: .infinity, y: 1), "scale")
        assertInvalid(.scale(x: 40_000, y: 40_000), "scale")
        assertInvalid(.fit(width: Int.max, height: Int.max), "width")
        assertInvalid(.fit(width: 200_000, height: 200_000), "size")
        assertInvalid(.fill(width: Int.max, height: 1), "width")
        assertInvalid(.fill(width: 300_000, height: 1), "width")
        XCTAssertEqual(try ResizeTarget.size(width: ImageLimits.maxSide, height: 1).outputSize(inputWidth: 8, inputHeight: 6).width,
                       ImageLimits.maxSide)
    }
}
