import XCTest
@testable import CVTransform

/// numpy.fft fidelity: fft/ifft/rfft/irfft (1-D) and fft2/ifft2/rfft2/irfft2 (2-D) for every norm,
/// at power-of-two, odd and prime sizes (Fixtures/fft/numpy, Tools/fixtures_fft.py).
///
/// Error measure: max |ours − numpy| / max |numpy| over the whole output (relative to the
/// largest magnitude, since individual outputs can be arbitrarily close to 0).
/// Tolerances: 1e-12 in Double, 1e-5 in Float (inputs are float32-exact, references are float64).
final class FFTFidelityTests: XCTestCase {
    /// 37×41 and 29×83 go through the decomposed 2-D real path (prime widths) with Rader's
    /// algorithm for 29, 37 and 41 and Bluestein's for 83.
    static let tags = ["16x16", "15x21", "17x13", "n64", "n97", "37x41", "29x83"]

    func check<R: FFTScalar>(_: R.Type, tolerance: Double) throws {
        var worst = 0.0
        for tag in Self.tags {
            let c = try FFTTestNPY("numpy/\(tag)_c_in.npy").complexArray(R.self)
            let r = try FFTTestNPY("numpy/\(tag)_r_in.npy").realArray(R.self)
            let h = try FFTTestNPY("numpy/\(tag)_h_in.npy").complexArray(R.self)
            let is2D = c.rank == 2
            for norm in FFTNormalization.allCases {
                let ref = { (name: String) in try FFTTestNPY("numpy/\(tag)_\(name)_\(norm.rawValue).npy") }
                let f = is2D ? try FFT.fft2(c, norm: norm) : try FFT.fft(c, norm: norm)
                let fi = is2D ? try FFT.ifft2(c, norm: norm) : try FFT.ifft(c, norm: norm)
                let rf = is2D ? try FFT.rfft2(r, norm: norm) : try FFT.rfft(r, norm: norm)
                let ri = is2D ? try FFT.irfft2(h, columns: r.columns, norm: norm) : try FFT.irfft(h, n: r.columns, norm: norm)
                let refs = (try ref("fft"), try ref("ifft"), try ref("rfft"), try ref("irfft"))
                XCTAssertEqual(f.shape, refs.0.shape); XCTAssertEqual(rf.shape, refs.2.shape); XCTAssertEqual(ri.shape, refs.3.shape)
                let errs = [fftRelativeError(f, refs.0.values), fftRelativeError(fi, refs.1.values),
                            fftRelativeError(rf, refs.2.values), fftRelativeError(ri, refs.3.values)]
                for (name, e) in zip(["fft", "ifft", "rfft", "irfft"], errs) {
                    XCTAssertLessThanOrEqual(e, tolerance, "\(R.self) \(tag) \(name) norm=\(norm)")
                    worst = max(worst, e)
                }
            }
        }
        print("numpy.fft fidelity \(R.self): worst relative error \(worst)")
    }

    func testDoubleMatchesNumPy() throws { try check(Double.self, tolerance: 1e-12) }
    func testFloatMatchesNumPy() throws { try check(Float.self, tolerance: 1e-5) }

    /// The decomposed 2-D path with the Float column kernel (320 rows = 2⁶·5; blocks of 32, 32,
    /// 32 and 8 columns, the last one by FFTW) against numpy.fft.rfft2, forward, and back to the
    /// input through irfft2 of numpy's spectrum. The input is an integer hash rebuilt here
    /// (Tools/fixtures_fft.py, `hash_image`); the reference is stored as complex64.
    func testColumnKernelPathMatchesNumPy() throws {
        let (rows, cols) = (320, 208)
        let x = try FFTArray(shape: [rows, cols], elements: (0..<(rows * cols)).map { i -> Float in
            let (r, c) = (i / cols, i % cols)
            return Float((r * 7919 + c * 104729 + r * c * 31) % 255 - 127)
        })
        XCTAssertTrue(FFTRealTwoD.applies(shape: x.shape))
        if FFTColumnKernel.plan(length: rows, backward: false) == nil { print("no column kernel on this CPU: FFTW path checked") }
        let ref = try FFTTestNPY("numpy/\(rows)x\(cols)_hash_rfft_backward.npy")
        let ours = try FFT.rfft2(x)
        XCTAssertEqual(ours.shape, ref.shape)
        let forward = fftRelativeError(ours, ref.values)
        let back = fftRelativeError(try FFT.irfft2(ref.complexArray(Float.self), columns: cols), x.elements.map { Double($0) })
        XCTAssertLessThanOrEqual(forward, 1e-5)
        XCTAssertLessThanOrEqual(back, 1e-5)
        print("column kernel path against numpy.fft: rfft2 \(forward), irfft2 \(back)")
    }

    func testFullSpectrumFromHalfEqualsFFT2() throws {
        for tag in ["16x16", "15x21", "17x13", "n97"] {
            let r = try FFTTestNPY("numpy/\(tag)_r_in.npy").realArray(Double.self)
            let full = try FFT.fullSpectrum(half: try FFT.realForward(r), columns: r.columns)
            let direct = try FFT.forward(FFTArray(shape: r.shape, elements: r.elements.map { FFTComplex($0) }))
            XCTAssertLessThanOrEqual(fftRelativeError(full, direct.elements.flatMap { [$0.real, $0.imaginary] }), 1e-13, tag)
        }
    }

    func testNextFastSizeMatchesSciPyAndOpenCV() throws {
        let data = try Data(contentsOf: fftFixtures.appendingPathComponent("next_fast_len.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: [Int]]
        for (i, n) in json["n"]!.enumerated() {
            XCTAssertEqual(try FFT.nextFastSize(n, real: true), json["real"]![i], "real \(n)")
            XCTAssertEqual(try FFT.nextFastSize(n, real: false), json["complex"]![i], "complex \(n)")
            XCTAssertEqual(try FFT.nextFastSize(n, real: true), json["opencv"]![i], "opencv \(n)")
        }
        XCTAssertThrowsError(try FFT.nextFastSize(0))
    }
}
