import CVCore
import Foundation

/// A frequency-domain filter: a transfer function `H(f)` of the radial frequency
/// `f = √(f_x² + f_y²)` in cycles per pixel (0 … 0.5 along an axis: the Nyquist limit).
///
/// Frequencies follow scikit-image's `butterworth`: `f_x = k/width`, `f_y = l/height` for the
/// DFT indices `k, l` (NumPy `fftfreq`), so cut-offs are fractions of the sampling frequency,
/// the same on images of any size and isotropic in pixels. Transfer functions, with cut-off `c`
/// and Butterworth order `n`:
///
/// | kind | low-pass | high-pass |
/// |---|---|---|
/// | ``Kind/gaussian`` | `exp(−f²/(2c²))` | `1 − low` |
/// | ``Kind/butterworth`` | `1/(1 + (f/c)^(2n))` (skimage `squared_butterworth=True`) | `1 − low` |
/// | ``Kind/ideal`` | `f ≤ c` | `f > c` |
///
/// A band-pass `(lo, hi)` is `high(lo) · low(hi)`.
///
/// - References: R. C. Gonzalez, R. E. Woods, *Digital Image Processing*, 4th ed., §4.8–4.10;
///   S. Butterworth, "On the theory of filter amplifiers", Wireless Engineer 7 (1930) 536–541.
public struct FrequencyFilter: Sendable, Hashable {
    /// The shape of the transfer function.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case gaussian, butterworth, ideal
    }

    /// Which frequencies pass.
    public enum Band: Sendable, Hashable {
        /// Frequencies below the cut-off (cycles per pixel, in (0, 0.5]... any positive value).
        case lowPass(cutoff: Double)
        /// Frequencies above the cut-off.
        case highPass(cutoff: Double)
        /// Frequencies between `low` and `high` (`0 < low < high`).
        case bandPass(low: Double, high: Double)
    }

    /// Which frequencies pass. No default.
    public var band: Band
    /// Default ``Kind/gaussian``.
    public var kind: Kind
    /// Butterworth order `n` (default 2, as scikit-image); ignored by the other kinds.
    public var order: Double
    /// Pixels of edge replication added on every side before filtering and cropped after
    /// (scikit-image `npad`, `numpy.pad(mode='edge')`). Default 0: the DFT's periodic border.
    /// At most `ImageLimits.maxSide` and at most the filtered array's larger side, and the
    /// padded array must fit `ImageLimits`.
    public var padding: Int

    public init(band: Band, kind: Kind = .gaussian, order: Double = 2, padding: Int = 0) {
        self.band = band
        self.kind = kind
        self.order = order
        self.padding = padding
    }

    /// Throws `CVError.invalidParameter` for non-positive or non-finite cut-offs, `low ≥ high`,
    /// an order that is not positive, or a padding that is negative or beyond
    /// `ImageLimits.maxSide`.
    public func validate() throws {
        func check(_ c: Double, _ name: String) throws {
            guard c.isFinite, c > 0 else {
                throw CVError.invalidParameter(name: name, reason: "cut-off must be a positive frequency in cycles per pixel (Nyquist = 0.5), got \(c)")
            }
        }
        switch band {
        case .lowPass(let c), .highPass(let c): try check(c, "cutoff")
        case .bandPass(let lo, let hi):
            try check(lo, "low"); try check(hi, "high")
            guard lo < hi else { throw CVError.invalidParameter(name: "bandpass", reason: "low cut-off \(lo) must be below high cut-off \(hi)") }
        }
        guard order.isFinite, order > 0 else { throw CVError.invalidParameter(name: "order", reason: "must be positive, got \(order)") }
        guard padding >= 0 else { throw CVError.invalidParameter(name: "padding", reason: "must be ≥ 0, got \(padding)") }
        guard padding <= ImageLimits.maxSide else {
            throw CVError.invalidParameter(name: "padding", reason: "must be at most \(ImageLimits.maxSide), got \(padding)")
        }
    }

    /// Throws `CVError.invalidParameter` naming `padding` unless it is at most the larger side
    /// of a `rows × columns` array and the padded array fits `ImageLimits`: a border wider
    /// than the image only multiplies the transforms' memory (Double samples and their
    /// spectrum: 16 bytes a pixel and more), so a large padding is refused, not allocated.
    func checkPaddedSize(rows: Int, columns: Int) throws {
        guard padding <= max(rows, columns) else {
            throw CVError.invalidParameter(name: "padding", reason: "must be at most the image's larger side, \(max(rows, columns)), got \(padding)")
        }
        try ImageLimits.checkOutput(width: columns + 2 * padding, height: rows + 2 * padding,
                                    widthName: "padding", heightName: "padding", totalName: "padding")
    }

    /// `H` at squared radial frequency `f2` (cycles/pixel, squared).
    @inline(__always)
    func response(f2: Double) -> Double {
        switch band {
        case .lowPass(let c): return low(f2, c)
        case .highPass(let c): return high(f2, c)
        case .bandPass(let lo, let hi): return high(f2, lo) * low(f2, hi)
        }
    }

    /// `q^order`, by repeated multiplication for small integer orders (exact to rounding, and
    /// several times faster than `pow`).
    @inline(__always) private func power(_ q: Double) -> Double {
        if order == order.rounded(), order >= 1, order <= 16 {
            var r = q
            for _ in 1..<Int(order) { r *= q }
            return r
        }
        return pow(q, order)
    }

    @inline(__always) private func low(_ f2: Double, _ c: Double) -> Double {
        switch kind {
        case .gaussian: return exp(-f2 / (2 * c * c))
        case .butterworth: return 1 / (1 + power(f2 / (c * c)))
        case .ideal: return f2 <= c * c ? 1 : 0
        }
    }

    @inline(__always) private func high(_ f2: Double, _ c: Double) -> Double {
        switch kind {
        case .gaussian: return 1 - exp(-f2 / (2 * c * c))
        case .butterworth:
            // q/(1+q) == 1 − 1/(1+q), written as scikit-image does (wfilt · q2).
            let q = power(f2 / (c * c))
            return q / (1 + q)
        case .ideal: return f2 > c * c ? 1 : 0
        }
    }

    /// The transfer function on the half spectrum of a `rows × columns` real DFT
    /// (shape `[rows, columns/2+1]`, unshifted, NumPy `rfft2` layout).
    public func transferFunction(rows: Int, columns: Int) throws -> FFTArray<Double> {
        try validate()
        let m = columns / 2 + 1
        let fy = FFT.frequencies(count: rows), fx = FFT.realFrequencies(count: columns)
        var h = [Double](repeating: 0, count: rows * m)
        for r in 0..<rows {
            for c in 0..<m { h[r * m + c] = response(f2: fy[r] * fy[r] + fx[c] * fx[c]) }
        }
        return try FFTArray(shape: [rows, m], elements: h)
    }

    /// Filters a real 2-D array: `irfft2(H · rfft2(x))` (after edge padding when ``padding`` > 0).
    /// - Returns: the same shape as `x`.
    /// - Throws: `CVError.invalidParameter` for bad parameters, a non-2-D array, or a padding
    ///   beyond the array's larger side or `ImageLimits`.
    /// - Complexity: O(N log N), N the padded size.
    public func apply(to x: FFTArray<Double>) throws -> FFTArray<Double> {
        try validate()
        guard x.rank == 2 else { throw CVError.invalidParameter(name: "x", reason: "expected a 2-D array, got \(x.shape)") }
        try checkPaddedSize(rows: x.rows, columns: x.columns)
        let p = padding
        let src = p > 0 ? Self.edgePadded(x, p) : x
        var spec = try FFT.rfft2(src)
        let h = try transferFunction(rows: src.rows, columns: src.columns)
        for i in spec.elements.indices { spec.elements[i] = spec.elements[i] * h.elements[i] }
        let y = try FFT.irfft2(spec, columns: src.columns)
        guard p > 0 else { return y }
        var out = [Double](); out.reserveCapacity(x.count)
        for r in 0..<x.rows { out.append(contentsOf: y.elements[((r + p) * src.columns + p)..<((r + p) * src.columns + p + x.columns)]) }
        return FFTArray(uncheckedShape: x.shape, elements: out)
    }

    /// Filters every channel of an image; the result is rounded and saturated to the image's
    /// sample type (values as stored: 0…255 for `UInt8`).
    /// - Returns: an image of the same size, channels and depth.
    /// - Throws: `CVError.invalidParameter` for bad parameters or an empty image.
    public func apply<P: PixelScalar>(to image: Image<P>) throws -> Image<P> {
        let planes = try image.splitChannels().map { plane -> Image<P> in
            try Image<P>(apply(to: FFTArray<Double>(image: plane)))
        }
        return planes.count == 1 ? planes[0] : try Image<P>.merging(planes)
    }

    static func edgePadded(_ x: FFTArray<Double>, _ p: Int) -> FFTArray<Double> {
        let h = x.rows, w = x.columns, W = w + 2 * p, H = h + 2 * p
        var out = [Double](repeating: 0, count: W * H)
        for r in 0..<H {
            let sr = min(max(r - p, 0), h - 1)
            for c in 0..<W { out[r * W + c] = x.elements[sr * w + min(max(c - p, 0), w - 1)] }
        }
        return FFTArray(uncheckedShape: [H, W], elements: out)
    }
}
