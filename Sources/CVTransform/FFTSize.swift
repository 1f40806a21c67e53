import CVCore

extension FFT {
    /// The smallest size `≥ n` that FFTW transforms fastest, for zero-padding (SciPy
    /// `scipy.fft.next_fast_len(n, real)`).
    ///
    /// - Parameters:
    ///   - n: the minimum size, `≥ 1`.
    ///   - real: `true` (default) for real transforms: a 5-smooth number `2^a·3^b·5^c`
    ///     (equal to OpenCV's `getOptimalDFTSize`); `false` for complex transforms: an
    ///     11-smooth number (`2, 3, 5, 7, 11`), as SciPy.
    /// - Throws: `CVError.invalidParameter` when `n < 1` or absurdly large.
    /// - Complexity: O(gap · log n); gaps between smooth numbers are small.
    public static func nextFastSize(_ n: Int, real: Bool = true) throws -> Int {
        guard n >= 1, n <= 1 << 40 else {
            throw CVError.invalidParameter(name: "n", reason: "must be in 1...2^40, got \(n)")
        }
        let primes = real ? [2, 3, 5] : [2, 3, 5, 7, 11]
        var m = n
        while true {
            var r = m
            for p in primes { while r % p == 0 { r /= p } }
            if r == 1 { return m }
            m += 1
        }
    }
}
