import CFFTW
import CKernels
import CVCore
import Foundation

/// Batched 1-D complex DFTs of a prime length `p` whose `p − 1` is smooth for FFTW (no prime
/// factor above 16), by Rader's algorithm. With a generator `g` of the multiplicative group
/// mod p, `a[r] = x[g^r]` and `b[s] = ω^(g^−s)` (ω = exp(∓2πi/p)),
///
///     X[0] = Σ_j x[j],   X[g^−q] = x[0] + Σ_r a[r] · b[(q − r) mod (p − 1)],
///
/// a cyclic convolution of length `p − 1`, computed with two FFTW transforms of that length per
/// row and the kernel's transform made once. Bluestein's algorithm (``FFTChirpPlan``) needs two
/// transforms of length ≥ 2p − 1 instead: for p = 769, 768 = 2⁸·3 against 1600 (timings in
/// `docs/performance.md`). The price is a gather on the way in and one on the way out
/// (index tables of p − 1 entries). Error: the kernel is computed in Double; against FFTW's own plans the
/// relative error is below 3e-7 in Float and 7e-16 in Double (lengths 17–769 in the tests).
///
/// - Reference: C. M. Rader, "Discrete Fourier transforms when the number of data samples is
///   prime", Proc. IEEE 56(6), 1968, doi:10.1109/PROC.1968.6477.
final class FFTRaderPlan: @unchecked Sendable {
    let p: Int
    let count: Int
    let precision: FFTPrecision
    /// `g^r mod p` for r in 0..<p−1: where `a[r]` is read from.
    private let inputIndex: [Int32]
    /// For k in 1..<p, the q with `g^−q ≡ k`: where `X[k]` is read from (entry 0 unused).
    private let outputIndex: [Int32]
    /// DFT_{p−1} of `b`, divided by p − 1, in the run's precision.
    private let kernel: UnsafeMutableRawPointer
    private let forward: FFTBatchPlan
    private let inverse: FFTBatchPlan

    /// Scratch bytes ``run(_:_:work:)`` needs: two `count × (p − 1)` complex buffers.
    var workBytes: Int { 2 * count * (p - 1) * 2 * precision.scalarBytes }

    /// Whether `n` is a prime of at least ``smallestPrime`` with `n − 1` smooth.
    static func applies(_ n: Int) -> Bool {
        n >= smallestPrime && FFTRealTwoD.largestPrimeFactor(n) == n && !FFTRealTwoD.isAwkward(n - 1)
    }

    /// From 29 up Rader's algorithm beats FFTW's plan for the prime; below, FFTW's own is level
    /// or faster (ratios in `docs/performance.md`).
    static let smallestPrime = 29

    private init(_ key: FFTBatchKey) throws {
        p = key.n
        count = key.count
        precision = key.precision
        let n = p - 1
        forward = try FFTBatchPlans.plan(FFTBatchKey(n: n, count: count, precision: precision, effort: key.effort))
        inverse = try FFTBatchPlans.plan(FFTBatchKey(n: n, count: count, precision: precision, effort: key.effort, backward: true))
        let g = Self.generator(p)
        let gInverse = Self.power(g, p - 2, p)
        var input = [Int32](repeating: 0, count: n), output = [Int32](repeating: 0, count: p)
        var b = [FFTComplex<Double>](repeating: .zero, count: n)
        let sign: Double = key.backward ? 1 : -1
        var up = 1, down = 1  // g^r and g^−r mod p
        for r in 0..<n {
            input[r] = Int32(up)
            output[down] = Int32(r)
            let phase = sign * 2 * Double.pi * Double(down) / Double(p)
            b[r] = FFTComplex(cos(phase), sin(phase))
            up = up * g % p
            down = down * gInverse % p
        }
        inputIndex = input
        outputIndex = output
        let spectrum = try FFT.forward(FFTArray(shape: [n], elements: b), effort: .estimate).elements
        let scale = 1 / Double(n)
        guard let kp = fftw_malloc(n * 2 * precision.scalarBytes) else {
            throw CVError.unsupported(source: "FFTW", reason: "out of memory for a Rader plan of length \(p)")
        }
        kernel = kp
        switch precision {
        case .double:
            let kd = kp.assumingMemoryBound(to: Double.self)
            for j in 0..<n { kd[2 * j] = spectrum[j].real * scale; kd[2 * j + 1] = spectrum[j].imaginary * scale }
        case .float:
            let kf = kp.assumingMemoryBound(to: Float.self)
            for j in 0..<n { kf[2 * j] = Float(spectrum[j].real * scale); kf[2 * j + 1] = Float(spectrum[j].imaginary * scale) }
        }
    }

    deinit { fftw_free(kernel) }

    /// A generator of the multiplicative group mod the prime `p`: the smallest g whose powers
    /// g^((p−1)/q) differ from 1 for every prime q dividing p − 1.
    static func generator(_ p: Int) -> Int {
        var factors: [Int] = [], m = p - 1, q = 2
        while q * q <= m {
            if m % q == 0 { factors.append(q); while m % q == 0 { m /= q } }
            q += 1
        }
        if m > 1 { factors.append(m) }
        return (2..<p).first { g in factors.allSatisfy { power(g, (p - 1) / $0, p) != 1 } } ?? 1
    }

    static func power(_ base: Int, _ exponent: Int, _ modulus: Int) -> Int {
        var result = 1, b = base % modulus, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result * b % modulus }
            b = b * b % modulus
            e >>= 1
        }
        return result
    }

    /// `count` DFTs of length p from `input` (`count × p` complex) to `output`; `work` holds
    /// ``workBytes`` FFTW-aligned bytes.
    func run(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, work: UnsafeMutableRawPointer) {
        let n = p - 1, value = 2 * precision.scalarBytes
        let a = work, c = work + count * n * value
        inputIndex.withUnsafeBufferPointer { index in
            for t in 0..<count { gather(input + t * p * value, index.baseAddress!, a + t * n * value, n) }
        }
        FFTBatchPlans.execute(forward, a, c)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * count) { sums in
            // X[0] = x[0] + Σ a = x[0] + A[0]: saved before the product overwrites A[0].
            for t in 0..<count {
                let ct = c + t * n * value
                sums[2 * t] = component(ct, 0)
                sums[2 * t + 1] = component(ct, 1)
                precision.multiply(ct, kernel, ct, n)
            }
            FFTBatchPlans.execute(inverse, c, a)
            outputIndex.withUnsafeBufferPointer { index in
                for t in 0..<count {
                    let x = input + t * p * value, y = output + t * p * value
                    let x0 = (component(x, 0), component(x, 1))
                    scatter(a + t * n * value, index.baseAddress!, y, x0)
                    store(y, (x0.0 + sums[2 * t], x0.1 + sums[2 * t + 1]))
                }
            }
        }
    }

    private func component(_ base: UnsafeRawPointer, _ i: Int) -> Double {
        precision == .double ? base.assumingMemoryBound(to: Double.self)[i] : Double(base.assumingMemoryBound(to: Float.self)[i])
    }

    private func store(_ base: UnsafeMutableRawPointer, _ v: (Double, Double)) {
        switch precision {
        case .double: base.assumingMemoryBound(to: Double.self)[0] = v.0; base.assumingMemoryBound(to: Double.self)[1] = v.1
        case .float: base.assumingMemoryBound(to: Float.self)[0] = Float(v.0); base.assumingMemoryBound(to: Float.self)[1] = Float(v.1)
        }
    }

    /// `a[r] = x[index[r]]` for r < n.
    private func gather(_ x: UnsafeRawPointer, _ index: UnsafePointer<Int32>, _ a: UnsafeMutableRawPointer, _ n: Int) {
        switch precision {
        case .double: ck_gather_c128(x, index, a, n, 0, 0)
        case .float: ck_gather_c64(x, index, a, n, 0, 0)
        }
    }

    /// `y[k] = x0 + c[index[k]]` for 1 ≤ k < p.
    private func scatter(_ c: UnsafeRawPointer, _ index: UnsafePointer<Int32>, _ y: UnsafeMutableRawPointer, _ x0: (Double, Double)) {
        let value = 2 * precision.scalarBytes
        switch precision {
        case .double: ck_gather_c128(c, index + 1, y + value, p - 1, x0.0, x0.1)
        case .float: ck_gather_c64(c, index + 1, y + value, p - 1, Float(x0.0), Float(x0.1))
        }
    }

    private static let cache = LockedCache<FFTBatchKey, FFTRaderPlan>()

    /// The cached plan for `key` (made outside the planner lock: its parts take it themselves).
    static func plan(_ key: FFTBatchKey) throws -> FFTRaderPlan {
        if let p = cache[key] { return p }
        return cache.insert(try FFTRaderPlan(key), for: key)
    }

    static func removeAll() { cache.removeAll() }
}
