import CVFormats
import XCTest
import CVCore
import CVTestSupport
@testable import CVTransform

final class FFTConvolutionTests: XCTestCase {
    /// FFT convolution equals scipy.signal.fftconvolve and the direct spatial sum: ≤ 1e-4 (we reach ~1e-14 in Double).
    func testMatchesSciPyAndDirectConvolution() throws {
        let a = try FFTTestNPY("convolve/a.npy").realArray(Double.self)
        let k = try FFTTestNPY("convolve/k.npy").realArray(Double.self)
        let (direct, ds) = FFTReference.convolveFull(a.elements, (a.rows, a.columns), k.elements, (k.rows, k.columns))
        var worst = 0.0
        for mode in ConvolutionMode.allCases {
            let ref = try FFTTestNPY("convolve/\(mode.rawValue).npy")
            let y = try FFTConvolution.convolve(a, k, mode: mode)
            XCTAssertEqual(y.shape, ref.shape, "\(mode)")
            let e = zip(y.elements, ref.values).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(e, 1e-4, "\(mode) vs scipy")
            worst = max(worst, e)
            // Against the direct sum, cropped the same way.
            let y0 = mode == .full ? 0 : mode == .same ? (k.rows - 1) / 2 : k.rows - 1
            let x0 = mode == .full ? 0 : mode == .same ? (k.columns - 1) / 2 : k.columns - 1
            for r in 0..<y.rows { for c in 0..<y.columns {
                let d = direct[(r + y0) * ds.1 + c + x0]
                XCTAssertEqual(y[r, c], d, accuracy: 1e-4)
                worst = max(worst, abs(y[r, c] - d))
            } }
            // Float path.
            let yf = try FFTConvolution.convolve(FFTArray(shape: a.shape, elements: a.elements.map { Float($0) }),
                                                 FFTArray(shape: k.shape, elements: k.elements.map { Float($0) }), mode: mode)
            let ef = zip(yf.elements, ref.values).map { abs(Double($0) - $1) }.max()!
            XCTAssertLessThan(ef, 1e-4, "\(mode) Float")
        }
        print("FFT convolution: max abs diff vs direct/scipy (Double) \(worst)")
    }

    func testRandomSizesAgainstDirect() throws {
        var rng = SplitMix64(seed: 5)
        for (xs, ks) in [((9, 14), (3, 3)), ((13, 7), (6, 2)), ((5, 5), (5, 5)), ((1, 17), (1, 4))] {
            let x = (0..<(xs.0 * xs.1)).map { _ in Double.random(in: 0...255, using: &rng) }
            let k = (0..<(ks.0 * ks.1)).map { _ in Double.random(in: -1...1, using: &rng) }
            let (direct, _) = FFTReference.convolveFull(x, xs, k, ks)
            let y = try FFTConvolution.convolve(FFTArray(shape: [xs.0, xs.1], elements: x), FFTArray(shape: [ks.0, ks.1], elements: k))
            XCTAssertLessThan(zip(y.elements, direct).map { abs($0 - $1) }.max()!, 1e-9)
        }
        // 1-D: numpy.convolve([1,2,3],[0,1,0.5]) = [0, 1, 2.5, 4, 1.5]
        let y1 = try FFTConvolution.convolve(FFTArray([1.0, 2, 3]), FFTArray([0.0, 1, 0.5]))
        for (u, v) in zip(y1.elements, [0, 1, 2.5, 4, 1.5]) { XCTAssertEqual(u, v, accuracy: 1e-12) }
        let same = try FFTConvolution.convolve(FFTArray([1.0, 2, 3]), FFTArray([0.0, 1, 0.5]), mode: .same)
        XCTAssertEqual(same.elements.map { ($0 * 1e9).rounded() / 1e9 }, [1, 2.5, 4])
        XCTAssertThrowsError(try FFTConvolution.convolve(try FFTArray(shape: [3, 5], repeating: 0.0), try FFTArray(shape: [5, 3], repeating: 0.0), mode: .valid))
        XCTAssertThrowsError(try FFTConvolution.convolve(FFTArray([1.0]), try FFTArray(shape: [1, 1], repeating: 0.0)))
    }
}
