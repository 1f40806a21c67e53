import CFFTW
import CVCore
import Foundation

/// Batched 1-D complex DFTs of a length `n` with a large prime factor, by Bluestein's
/// algorithm: with the chirp `c[j] = exp(∓iπ j²/n)`, `jk = (j² + k² − (k − j)²)/2` turns the DFT
/// into a convolution,
///
///     X[k] = c[k] · Σ_j (x[j]·c[j]) · conj(c[k − j]),
///
/// computed as a cyclic convolution of length `m ≥ 2n − 1` (the next 5-smooth size) with two
/// FFTW transforms of length `m` per row and the kernel's transform made once. FFTW itself
/// uses Rader's or Bluestein's algorithm one row at a time for such lengths, several times
/// slower than its smooth sizes (timings in `docs/performance.md`).
/// Error: the chirp and the kernel are computed in Double; against FFTW's own plans the
/// relative error is 2.9e-7 in Float and 1.2e-15 in Double (lengths 67–1021 in the tests).
///
/// - References: L. I. Bluestein, "A linear filtering approach to the computation of discrete
///   Fourier transform", IEEE Trans. Audio Electroacoust. 18(4), 1970,
///   doi:10.1109/TAU.1970.1162132; L. R. Rabiner, R. W. Schafer, C. M. Rader, "The chirp
///   z-transform algorithm", ibid. 17(2), 1969, doi:10.1109/TAU.1969.1162034.
final class FFTChirpPlan: @unchecked Sendable {
    let n: Int
    let m: Int
    let count: Int
    let precision: FFTPrecision
    /// `c[j]`, n complex values in the run's precision.
    private let chirp: UnsafeMutableRawPointer
    /// DFT_m of `conj(c[|j|])` (j in (−n, n), wrapped), divided by m.
    private let kernel: UnsafeMutableRawPointer
    private let forward: FFTBatchPlan
    private let inverse: FFTBatchPlan

    /// Scratch bytes ``run(_:_:work:)`` needs: two `count × m` complex buffers.
    var workBytes: Int { 2 * count * m * 2 * precision.scalarBytes }

    /// Whether Bluestein's algorithm beats FFTW's own plan for length `n`: a prime factor
    /// above 16 and n large enough for the two length-m transforms to pay off.
    static func isFaster(_ n: Int) -> Bool { n >= 64 && FFTRealTwoD.isAwkward(n) }

    private init(_ key: FFTBatchKey) throws {
        n = key.n
        count = key.count
        precision = key.precision
        m = try FFT.nextFastSize(2 * n - 1)
        forward = try FFTBatchPlans.plan(FFTBatchKey(n: m, count: count, precision: precision, effort: key.effort))
        inverse = try FFTBatchPlans.plan(FFTBatchKey(n: m, count: count, precision: precision, effort: key.effort, backward: true))
        // Chirp and kernel in Double; j² mod 2n keeps the phase exact for large j.
        let sign: Double = key.backward ? 1 : -1
        var c = [FFTComplex<Double>](repeating: .zero, count: n)
        for j in 0..<n {
            let phase = sign * Double.pi * Double((j * j) % (2 * n)) / Double(n)
            c[j] = FFTComplex(cos(phase), sin(phase))
        }
        var b = [FFTComplex<Double>](repeating: .zero, count: m)
        for j in 0..<n {
            let conj = FFTComplex(c[j].real, -c[j].imaginary)
            b[j] = conj
            if j > 0 { b[m - j] = conj }
        }
        let spectrum = try FFT.forward(FFTArray(shape: [m], elements: b), effort: .estimate).elements
        let scale = 1 / Double(m)
        let bytes = precision.scalarBytes * 2
        guard let cp = fftw_malloc(n * bytes), let kp = fftw_malloc(m * bytes) else {
            throw CVError.unsupported(source: "FFTW", reason: "out of memory for a chirp plan of length \(n)")
        }
        chirp = cp
        kernel = kp
        switch precision {
        case .double:
            let cd = cp.assumingMemoryBound(to: Double.self), kd = kp.assumingMemoryBound(to: Double.self)
            for j in 0..<n { cd[2 * j] = c[j].real; cd[2 * j + 1] = c[j].imaginary }
            for j in 0..<m { kd[2 * j] = spectrum[j].real * scale; kd[2 * j + 1] = spectrum[j].imaginary * scale }
        case .float:
            let cf = cp.assumingMemoryBound(to: Float.self), kf = kp.assumingMemoryBound(to: Float.self)
            for j in 0..<n { cf[2 * j] = Float(c[j].real); cf[2 * j + 1] = Float(c[j].imaginary) }
            for j in 0..<m { kf[2 * j] = Float(spectrum[j].real * scale); kf[2 * j + 1] = Float(spectrum[j].imaginary * scale) }
        }
    }

    deinit {
        fftw_free(chirp)
        fftw_free(kernel)
    }

    /// `count` DFTs of length n from `input` (`count × n` complex) to `output`; `work` holds
    /// ``workBytes`` FFTW-aligned bytes.
    func run(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, work: UnsafeMutableRawPointer) {
        let value = 2 * precision.scalarBytes
        let a = work, b = work + count * m * value
        for t in 0..<count {
            let at = a + t * m * value
            precision.multiply(input + t * n * value, chirp, at, n)
            (at + n * value).initializeMemory(as: UInt8.self, repeating: 0, count: (m - n) * value)
        }
        FFTBatchPlans.execute(forward, a, b)
        for t in 0..<count { precision.multiply(b + t * m * value, kernel, b + t * m * value, m) }
        FFTBatchPlans.execute(inverse, b, a)
        for t in 0..<count { precision.multiply(a + t * m * value, chirp, output + t * n * value, n) }
    }

    private static let cache = LockedCache<FFTBatchKey, FFTChirpPlan>()

    /// The cached plan for `key` (made outside the planner lock: its parts take it themselves).
    static func plan(_ key: FFTBatchKey) throws -> FFTChirpPlan {
        if let p = cache[key] { return p }
        return cache.insert(try FFTChirpPlan(key), for: key)
    }

    static func removeAll() { cache.removeAll() }
}
