import CVFormats
import XCTest
import CVTestSupport
@testable import CVTransform

/// The fast FFTW path against the O(N²) DFT from the definition, on random inputs.
final class FFTReferenceTests: XCTestCase {
    func testComplexAndRealTransformsMatchNaiveDFT() throws {
        var rng = SplitMix64(seed: 42)
        for shape in [[1], [2], [5], [31], [1, 7], [6, 1], [9, 8], [11, 13]] {
            let n = shape.reduce(1, *)
            let x = (0..<n).map { _ in FFTComplex(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng)) }
            let refF = FFTReference.dft(x, shape: shape, sign: -1)
            let refB = FFTReference.dft(x, shape: shape, sign: 1)
            let fx = try FFT.forward(FFTArray(shape: shape, elements: x))
            let bx = try FFT.inverse(FFTArray(shape: shape, elements: x), norm: .forward)  // unscaled inverse
            XCTAssertLessThan(fftRelativeError(fx, refF.flatMap { [$0.real, $0.imaginary] }), 1e-12, "\(shape)")
            XCTAssertLessThan(fftRelativeError(bx, refB.flatMap { [$0.real, $0.imaginary] }), 1e-12, "\(shape)")
            // Float, same inputs.
            let xf = x.map { FFTComplex(Float($0.real), Float($0.imaginary)) }
            let ff = try FFT.forward(FFTArray(shape: shape, elements: xf))
            XCTAssertLessThan(fftRelativeError(ff, refF.flatMap { [$0.real, $0.imaginary] }), 1e-5, "\(shape)")
            // Real input: r2c equals the first columns/2+1 of the complex DFT; c2r round-trips.
            let xr = x.map(\.real)
            let refR = FFTReference.dft(xr.map { FFTComplex($0) }, shape: shape, sign: -1)
            let half = try FFT.realForward(FFTArray(shape: shape, elements: xr))
            let full = try FFT.fullSpectrum(half: half, columns: shape.last!)
            XCTAssertLessThan(fftRelativeError(full, refR.flatMap { [$0.real, $0.imaginary] }), 1e-12, "\(shape)")
            let back = try FFT.realInverse(half, lastAxisLength: shape.last!)
            XCTAssertLessThan(fftRelativeError(back, xr), 1e-12, "\(shape)")
        }
    }

    func testShiftMatchesNumPySemantics() throws {
        // numpy.fft.fftshift(arange(5)) = [3 4 0 1 2]; ifftshift = [2 3 4 0 1]; even: [3 4 5 0 1 2].
        XCTAssertEqual(FFT.fftshift(FFTArray([0, 1, 2, 3, 4])).elements, [3, 4, 0, 1, 2])
        XCTAssertEqual(FFT.ifftshift(FFTArray([0, 1, 2, 3, 4])).elements, [2, 3, 4, 0, 1])
        XCTAssertEqual(FFT.fftshift(FFTArray([0, 1, 2, 3, 4, 5])).elements, [3, 4, 5, 0, 1, 2])
        // 2-D: fftshift(arange(6).reshape(2,3)) = [[5 3 4] [2 0 1]]
        let a = try FFTArray(shape: [2, 3], elements: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(FFT.fftshift(a).elements, [5, 3, 4, 2, 0, 1])
        XCTAssertEqual(FFT.ifftshift(FFT.fftshift(a)).elements, a.elements)
        let b = try FFTArray(shape: [3, 5], elements: Array(0..<15))
        XCTAssertEqual(FFT.ifftshift(FFT.fftshift(b)).elements, b.elements)
        XCTAssertEqual(FFT.frequencies(count: 5), [0, 0.2, 0.4, -0.4, -0.2])
        XCTAssertEqual(FFT.realFrequencies(count: 4), [0, 0.25, 0.5])
    }
}
