import XCTest
import CVCore
@testable import CVTransform

final class SpectrumTests: XCTestCase {
    func filterInput() throws -> FFTArray<Double> { try FFTTestNPY("filters/input.npy").realArray(Double.self) }

    /// skimage.filters.butterworth (low/high, npad 0 and 3) and numpy-built Gaussian, ideal and
    /// band-pass references on a 64×48 photo crop. Tolerance: relative 1e-10 (Double).
    func testFiltersMatchScikitImageAndNumPy() throws {
        let x = try filterInput()
        let cases: [(String, FrequencyFilter)] = [
            ("butterworth_low_c0.1_o2_pad0", .init(band: .lowPass(cutoff: 0.1), kind: .butterworth)),
            ("butterworth_high_c0.1_o2_pad0", .init(band: .highPass(cutoff: 0.1), kind: .butterworth)),
            ("butterworth_low_c0.1_o2_pad3", .init(band: .lowPass(cutoff: 0.1), kind: .butterworth, padding: 3)),
            ("butterworth_high_c0.1_o2_pad3", .init(band: .highPass(cutoff: 0.1), kind: .butterworth, padding: 3)),
            ("gaussian_low_c0.1", .init(band: .lowPass(cutoff: 0.1))),
            ("gaussian_high_c0.1", .init(band: .highPass(cutoff: 0.1))),
            ("ideal_low_c0.1", .init(band: .lowPass(cutoff: 0.1), kind: .ideal)),
            ("ideal_high_c0.1", .init(band: .highPass(cutoff: 0.1), kind: .ideal)),
            ("butterworth_band_0.05_0.2_o3", .init(band: .bandPass(low: 0.05, high: 0.2), kind: .butterworth, order: 3)),
            ("gaussian_band_0.05_0.2", .init(band: .bandPass(low: 0.05, high: 0.2))),
        ]
        for (name, filter) in cases {
            let ref = try FFTTestNPY("filters/\(name).npy")
            let y = try filter.apply(to: x)
            XCTAssertEqual(y.shape, ref.shape)
            let e = fftRelativeError(y, ref.values)
            XCTAssertLessThan(e, 1e-10, name)
        }
    }

    func testImageFilterKeepsSizeAndDepth() throws {
        let x = try filterInput()
        let img = try Image<UInt8>(x)
        let rgb = try Image<UInt8>.merging([img, img, img])
        let low = try FrequencyFilter(band: .lowPass(cutoff: 0.05)).apply(to: rgb)
        XCTAssertEqual(low.width, 64); XCTAssertEqual(low.height, 48); XCTAssertEqual(low.channels, 3)
        XCTAssertEqual(low.channel(0), low.channel(2))
        XCTAssertThrowsError(try FrequencyFilter(band: .lowPass(cutoff: 0)).apply(to: img))
        XCTAssertThrowsError(try FrequencyFilter(band: .bandPass(low: 0.2, high: 0.1)).apply(to: img))
        XCTAssertThrowsError(try FrequencyFilter(band: .lowPass(cutoff: 0.1), kind: .butterworth, order: 0).apply(to: img))
        XCTAssertThrowsError(try FrequencyFilter(band: .lowPass(cutoff: 0.1), padding: -1).apply(to: img))
    }

    func testSpectrumImageIsCentredAndFullRange() throws {
        // A horizontal cosine with 4 periods over 32 px: peaks at (16 ± 4, 8) of a 32x16 spectrum.
        var img = Image<Float>(width: 32, height: 16)
        for y in 0..<16 { for x in 0..<32 { img[x, y] = 100 + 50 * Float(cos(2 * Double.pi * 4 * Double(x) / 32)) } }
        let mag = try Spectrum.magnitude(of: img)
        XCTAssertEqual(mag[8, 16], 100 * 512, accuracy: 0.05)        // DC (Float input) at the centre
        XCTAssertEqual(mag[8, 20], 25 * 512, accuracy: 0.05)
        XCTAssertEqual(mag[8, 12], 25 * 512, accuracy: 0.05)
        let view = try Spectrum.image(of: img)
        XCTAssertEqual(view.width, 32); XCTAssertEqual(view.height, 16)
        XCTAssertEqual(view[16, 8], 255)
        XCTAssertEqual(view.samples.min(), 0)
        XCTAssertGreaterThan(view[20, 8], 200)
        XCTAssertThrowsError(try Spectrum.image(of: Image<UInt8>(width: 4, height: 4, channels: 3)))
    }
}
