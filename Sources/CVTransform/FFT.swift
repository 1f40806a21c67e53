import CVCore

/// Discrete Fourier transforms on FFTW, with NumPy's conventions.
///
/// Layouts and signs follow `numpy.fft`: the forward transform is
/// `X[k] = Σ x[j]·exp(-2πi·jk/n)`, outputs are unshifted (zero frequency first; see
/// ``fftshift(_:)``), real transforms keep the `n/2+1` non-negative frequencies of the last
/// axis, and ``FFTNormalization`` scales exactly as NumPy's `norm=`. Every size works
/// (FFTW is O(N log N) for primes too); ``nextFastSize(_:real:)`` gives padding sizes that are
/// fastest.
///
/// Plans come from ``FFTPlanner/shared`` (cached; `effort: nil` uses its
/// ``FFTPlanner/defaultEffort``, ``FFTPlannerEffort/estimate`` unless changed). The functions
/// are safe to call from many threads at once. 2-D real transforms of images ≥ 256×256 or of
/// awkward widths run as batches of 1-D complex plans, row pairs then blocks of columns, on
/// `Parallel.threadCount` threads (see
/// `FFTRealTwoD` and ``FFTPlanner/splitsRealTransforms``); everything else is one FFTW plan
/// executed on the caller's buffers.
///
/// - Complexity: O(N log N) for N points, plus planning the first time a shape is seen.
/// - References: M. Frigo, S. G. Johnson, "The Design and Implementation of FFTW3",
///   Proc. IEEE 93(2), 2005, doi:10.1109/JPROC.2004.840301.
public enum FFT {
    // MARK: Any rank (1-D or 2-D)

    /// Forward complex DFT over every axis (NumPy `fftn`).
    /// - Parameters:
    ///   - x: 1-D or 2-D complex array.
    ///   - norm: scaling, default ``FFTNormalization/backward`` (forward unscaled).
    ///   - effort: planner effort; `nil` (default) uses ``FFTPlanner/defaultEffort``.
    /// - Returns: an array of the same shape.
    /// - Throws: `CVError.unsupported` if FFTW cannot plan.
    public static func forward<R>(_ x: FFTArray<FFTComplex<R>>, norm: FFTNormalization = .backward,
                                  effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try complex(x, kind: .complexForward, norm: norm, effort: effort)
    }

    /// Inverse complex DFT over every axis (NumPy `ifftn`): `exp(+2πi·jk/n)`, scaled by 1/N
    /// for the default ``FFTNormalization/backward``.
    /// - Returns: an array of the same shape.
    public static func inverse<R>(_ x: FFTArray<FFTComplex<R>>, norm: FFTNormalization = .backward,
                                  effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try complex(x, kind: .complexBackward, norm: norm, effort: effort)
    }

    /// Real-to-complex forward DFT over every axis (NumPy `rfftn`).
    /// - Returns: shape `[n/2+1]` or `[rows, columns/2+1]`: the non-negative frequencies of the
    ///   last axis (the rest follows from Hermitian symmetry, see ``fullSpectrum(half:columns:)``).
    public static func realForward<R>(_ x: FFTArray<R>, norm: FFTNormalization = .backward,
                                      effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        var shape = x.shape
        shape[shape.count - 1] = x.columns / 2 + 1
        let n = shape.reduce(1, *)
        let out: [FFTComplex<R>] = try x.elements.withUnsafeBytes { src in
            try FFTCore.makeArray(n) { dst in
                try FFTCore.run(kind: .realToComplex, shape: x.shape, precision: R.fftPrecision, norm: norm,
                                effort: effort, input: src.baseAddress!, output: dst)
            }
        }
        return FFTArray(uncheckedShape: shape, elements: out)
    }

    /// ``realForward(_:norm:effort:)`` writing into an existing array (no allocation when
    /// `output` already has the right shape and is uniquely referenced).
    /// - Parameters:
    ///   - x: real input, shape `[n]` or `[rows, columns]`.
    ///   - output: receives the half spectrum; its shape must be `[n/2+1]` or `[rows, columns/2+1]`.
    ///   - norm: NumPy's `norm`; default ``FFTNormalization/backward`` (no scaling forward).
    ///   - effort: planner effort; `nil` (default) uses ``FFTPlanner/defaultEffort``.
    /// - Throws: `CVError.invalidParameter` when `output.shape` is not the half-spectrum shape.
    public static func realForward<R>(_ x: FFTArray<R>, into output: inout FFTArray<FFTComplex<R>>,
                                      norm: FFTNormalization = .backward, effort: FFTPlannerEffort? = nil) throws {
        var shape = x.shape
        shape[shape.count - 1] = x.columns / 2 + 1
        guard output.shape == shape else {
            throw CVError.invalidParameter(name: "output", reason: "expected shape \(shape), got \(output.shape)")
        }
        try x.elements.withUnsafeBytes { src in
            try output.elements.withUnsafeMutableBytes { dst in
                try FFTCore.run(kind: .realToComplex, shape: x.shape, precision: R.fftPrecision, norm: norm,
                                effort: effort, input: src.baseAddress!, output: dst.baseAddress!)
            }
        }
    }

    /// Complex-to-real inverse DFT over every axis (NumPy `irfftn`), the inverse of
    /// ``realForward(_:norm:effort:)``.
    /// - Parameters:
    ///   - x: half spectrum, shape `[m]` or `[rows, m]`.
    ///   - lastAxisLength: length `n` of the real output's last axis; must satisfy `n/2+1 == m`.
    ///     Default `2·(m−1)` as NumPy (pass it for odd lengths).
    ///   - norm: NumPy's `norm`; default ``FFTNormalization/backward`` (scaled by 1/N).
    ///   - effort: planner effort; `nil` (default) uses ``FFTPlanner/defaultEffort``.
    /// - Returns: real array of shape `[n]` or `[rows, n]`. The imaginary parts that Hermitian
    ///   symmetry forces to zero (DC, and Nyquist for even `n`) are ignored, as NumPy does.
    /// - Throws: `CVError.invalidParameter` when `n/2+1 != m` (NumPy would crop or zero-pad;
    ///   we refuse rather than guess).
    public static func realInverse<R>(_ x: FFTArray<FFTComplex<R>>, lastAxisLength: Int? = nil,
                                      norm: FFTNormalization = .backward,
                                      effort: FFTPlannerEffort? = nil) throws -> FFTArray<R> {
        let m = x.columns
        let n = lastAxisLength ?? 2 * (m - 1)
        guard n >= 1, n / 2 + 1 == m else {
            throw CVError.invalidParameter(name: "lastAxisLength",
                                           reason: "a half spectrum of \(m) columns needs a length n with n/2+1 == \(m) (\(2 * m - 2) or \(2 * m - 1)), got \(n)")
        }
        var shape = x.shape
        shape[shape.count - 1] = n
        let count = shape.reduce(1, *)
        let out: [R] = try x.elements.withUnsafeBytes { src in
            try FFTCore.makeArray(count) { dst in
                try FFTCore.run(kind: .complexToReal, shape: shape, precision: R.fftPrecision, norm: norm,
                                effort: effort, input: src.baseAddress!, output: dst)
            }
        }
        return FFTArray(uncheckedShape: shape, elements: out)
    }

    static func complex<R>(_ x: FFTArray<FFTComplex<R>>, kind: FFTTransformKind, norm: FFTNormalization,
                           effort: FFTPlannerEffort?) throws -> FFTArray<FFTComplex<R>> {
        let out: [FFTComplex<R>] = try x.elements.withUnsafeBytes { src in
            try FFTCore.makeArray(x.count) { dst in
                try FFTCore.run(kind: kind, shape: x.shape, precision: R.fftPrecision, norm: norm,
                                effort: effort, input: src.baseAddress!, output: dst)
            }
        }
        return FFTArray(uncheckedShape: x.shape, elements: out)
    }

    // MARK: NumPy names

    /// NumPy `fft.fft` of a 1-D array. - Throws: `CVError.invalidParameter` unless `x` is 1-D.
    public static func fft<R>(_ x: FFTArray<FFTComplex<R>>, norm: FFTNormalization = .backward,
                              effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try require(x.shape, rank: 1, "fft"); return try forward(x, norm: norm, effort: effort)
    }
    /// NumPy `fft.ifft` of a 1-D array. - Throws: `CVError.invalidParameter` unless `x` is 1-D.
    public static func ifft<R>(_ x: FFTArray<FFTComplex<R>>, norm: FFTNormalization = .backward,
                               effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try require(x.shape, rank: 1, "ifft"); return try inverse(x, norm: norm, effort: effort)
    }
    /// NumPy `fft.rfft` of a 1-D array (`n/2+1` outputs). - Throws: unless `x` is 1-D.
    public static func rfft<R>(_ x: FFTArray<R>, norm: FFTNormalization = .backward,
                               effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try require(x.shape, rank: 1, "rfft"); return try realForward(x, norm: norm, effort: effort)
    }
    /// NumPy `fft.irfft(x, n)` of a 1-D half spectrum; `n` defaults to `2·(m−1)`.
    public static func irfft<R>(_ x: FFTArray<FFTComplex<R>>, n: Int? = nil, norm: FFTNormalization = .backward,
                                effort: FFTPlannerEffort? = nil) throws -> FFTArray<R> {
        try require(x.shape, rank: 1, "irfft"); return try realInverse(x, lastAxisLength: n, norm: norm, effort: effort)
    }
    /// NumPy `fft.fft2` of a 2-D array. - Throws: `CVError.invalidParameter` unless `x` is 2-D.
    public static func fft2<R>(_ x: FFTArray<FFTComplex<R>>, norm: FFTNormalization = .backward,
                               effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try require(x.shape, rank: 2, "fft2"); return try forward(x, norm: norm, effort: effort)
    }
    /// NumPy `fft.ifft2` of a 2-D array.
    public static func ifft2<R>(_ x: FFTArray<FFTComplex<R>>, norm: FFTNormalization = .backward,
                                effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try require(x.shape, rank: 2, "ifft2"); return try inverse(x, norm: norm, effort: effort)
    }
    /// NumPy `fft.rfft2` of a 2-D array: shape `[rows, columns/2+1]`.
    public static func rfft2<R>(_ x: FFTArray<R>, norm: FFTNormalization = .backward,
                                effort: FFTPlannerEffort? = nil) throws -> FFTArray<FFTComplex<R>> {
        try require(x.shape, rank: 2, "rfft2"); return try realForward(x, norm: norm, effort: effort)
    }
    /// NumPy `fft.irfft2(x, s=(rows, columns))`; `columns` defaults to `2·(m−1)`.
    public static func irfft2<R>(_ x: FFTArray<FFTComplex<R>>, columns: Int? = nil, norm: FFTNormalization = .backward,
                                 effort: FFTPlannerEffort? = nil) throws -> FFTArray<R> {
        try require(x.shape, rank: 2, "irfft2"); return try realInverse(x, lastAxisLength: columns, norm: norm, effort: effort)
    }

    static func require(_ shape: [Int], rank: Int, _ name: String) throws {
        guard shape.count == rank else {
            throw CVError.invalidParameter(name: "x", reason: "\(name) needs a \(rank)-D array, got shape \(shape)")
        }
    }

    // MARK: Spectra helpers

    /// The full `[rows, columns]` spectrum from a real transform's half spectrum, using
    /// Hermitian symmetry `X[r, c] = conj(X[(−r) mod rows, (−c) mod columns])` — equal to
    /// NumPy's `fft2` (or `fft`) of the real input.
    /// - Throws: `CVError.invalidParameter` when `columns/2+1` differs from the half spectrum's width.
    public static func fullSpectrum<R>(half: FFTArray<FFTComplex<R>>, columns: Int) throws -> FFTArray<FFTComplex<R>> {
        let m = half.columns, rows = half.rows
        guard columns >= 1, columns / 2 + 1 == m else {
            throw CVError.invalidParameter(name: "columns", reason: "a half spectrum of \(m) columns cannot come from \(columns) columns")
        }
        var out = [FFTComplex<R>](repeating: .zero, count: rows * columns)
        half.elements.withUnsafeBufferPointer { h in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    let src = h.baseAddress! + r * m, dst = o.baseAddress! + r * columns
                    dst.update(from: src, count: m)
                    let mirror = h.baseAddress! + ((rows - r) % rows) * m
                    var c = m
                    while c < columns {
                        dst[c] = mirror[columns - c].conjugate
                        c += 1
                    }
                }
            }
        }
        return FFTArray(uncheckedShape: half.rank == 1 ? [columns] : [rows, columns], elements: out)
    }

    /// Sample frequencies of an `n`-point DFT in cycles per unit of `spacing` (NumPy `fftfreq`):
    /// `[0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / (n·spacing)`.
    public static func frequencies(count n: Int, spacing: Double = 1) -> [Double] {
        (0..<n).map { k in Double(k <= (n - 1) / 2 ? k : k - n) / (Double(n) * spacing) }
    }

    /// Non-negative frequencies of an `n`-point real DFT (NumPy `rfftfreq`): `[0, …, n/2] / (n·spacing)`.
    public static func realFrequencies(count n: Int, spacing: Double = 1) -> [Double] {
        (0...(n / 2)).map { Double($0) / (Double(n) * spacing) }
    }
}
