import CVCore
import Foundation

/// Magnitude spectra of images, as arrays and as viewable 8-bit images.
public enum Spectrum {
    /// How spectrum magnitudes are mapped to gray levels.
    public enum Scale: String, Sendable, Hashable, CaseIterable {
        /// `|F|` linearly, min → 0, max → 255 (mostly dark: the DC term dominates).
        case linear
        /// `log(1 + |F|)`, min → 0, max → 255: the usual display (OpenCV tutorial, Gonzalez & Woods).
        case logarithmic
    }

    /// The magnitude `|F(u, v)|` of the 2-D DFT of a 1-channel image (sample values as stored,
    /// backward norm: the DC term is the sum of the samples), computed in Double.
    ///
    /// - Parameters:
    ///   - image: a 1-channel image (use `grayscale()` first for colour).
    ///   - centred: `true` (default) applies ``FFT/fftshift(_:)`` so that the zero frequency sits
    ///     at `(width/2, height/2)` (integer division).
    /// - Returns: shape `[height, width]`.
    /// - Throws: `CVError.invalidParameter` for a multi-channel or empty image.
    /// - Complexity: O(N log N).
    public static func magnitude<P: PixelScalar>(of image: Image<P>, centred: Bool = true) throws -> FFTArray<Double> {
        try magnitude(of: FFTArray<Double>(image: image), centred: centred)
    }

    /// ``magnitude(of:centred:)`` of a real 2-D (or 1-D) array.
    public static func magnitude(of x: FFTArray<Double>, centred: Bool = true) throws -> FFTArray<Double> {
        let full = try FFT.fullSpectrum(half: try FFT.realForward(x), columns: x.columns)
        let mag = FFTArray(uncheckedShape: full.shape, elements: full.elements.map { $0.magnitude })
        return centred ? FFT.fftshift(mag) : mag
    }

    /// The centred magnitude spectrum of a 1-channel image as an 8-bit image for viewing.
    ///
    /// `v = scale(|F|)` (``Scale/logarithmic`` by default: `log(1 + |F|)`), then min–max
    /// normalized to 0…255 and rounded (as `cv2.normalize(v, None, 0, 255, NORM_MINMAX)` in
    /// OpenCV's DFT tutorial). Zero frequency at `(width/2, height/2)`. A constant result maps to 0.
    /// - Parameters:
    ///   - image: a 1-channel image.
    ///   - scale: default ``Scale/logarithmic``.
    /// - Returns: a `width × height` 1-channel `UInt8` image.
    /// - Throws: `CVError.invalidParameter` for a multi-channel or empty image.
    public static func image<P: PixelScalar>(of image: Image<P>, scale: Scale = .logarithmic) throws -> Image<UInt8> {
        try self.image(of: FFTArray<Double>(image: image), scale: scale)
    }

    /// ``image(of:scale:)`` of a real `[height, width]` array.
    /// - Throws: `CVError.invalidParameter` when `x` is not 2-D.
    public static func image(of x: FFTArray<Double>, scale: Scale = .logarithmic) throws -> Image<UInt8> {
        guard x.rank == 2 else { throw CVError.invalidParameter(name: "x", reason: "expected a 2-D array, got \(x.shape)") }
        var mag = try magnitude(of: x, centred: true)
        if scale == .logarithmic {
            mag.elements.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = log1p(p[i]) } }
        }
        let lo = mag.elements.min() ?? 0, hi = mag.elements.max() ?? 0
        let k = hi > lo ? 255 / (hi - lo) : 0
        var out = Image<UInt8>.uninitialized(width: mag.columns, height: mag.rows, channels: 1)
        let w = mag.columns
        mag.elements.withUnsafeBufferPointer { src in
            out.withUnsafeMutablePixels { dst, stride in
                for y in 0..<mag.rows {
                    let s = src.baseAddress! + y * w, d = dst + y * stride
                    for x in 0..<w { d[x] = UInt8(((s[x] - lo) * k).rounded()) }
                }
            }
        }
        return out
    }
}
