import CVCore
import Foundation

/// Which intensities a filter with a floating-point result works on — where SciPy and
/// scikit-image disagree.
public enum IntensityScale: Sendable, Hashable {
    /// The sample values as they are (0…255 for UInt8): SciPy's `ndimage` filters on
    /// `image.astype(float)`.
    case raw
    /// Integers scaled to [0, 1] first (UInt8 / 255, UInt16 / 65535; Float unchanged):
    /// scikit-image's `img_as_float`.
    case unitRange
}

/// Parameters of ``CVCore/Image/laplacianOfGaussian(_:)`` (`scipy.ndimage.gaussian_laplace`).
public struct LaplacianOfGaussianParameters: Sendable, Hashable {
    /// Standard deviation of the Gaussian, in pixels (> 0). Default: 1.
    public var sigma: Double
    /// Kernel radius in σ: radius `Int(truncate·σ + 0.5)` (SciPy's rule). Default: 4.
    public var truncate: Double
    /// Border handling. Default: `BorderMode.reflect` (SciPy's `mode='reflect'`).
    public var border: BorderMode
    /// Default: ``IntensityScale/raw`` (SciPy filters the raw values).
    public var intensity: IntensityScale

    /// - Parameters: see the properties; defaults σ = 1, truncate 4, reflect, raw values.
    public init(sigma: Double = 1, truncate: Double = 4, border: BorderMode = .reflect,
                intensity: IntensityScale = .raw) {
        self.sigma = sigma
        self.truncate = truncate
        self.border = border
        self.intensity = intensity
    }

    /// Checks each parameter, naming it as written in ``init(sigma:truncate:border:intensity:)``.
    /// - Throws: `CVError.invalidParameter` naming `sigma` (NaN, infinite, ≤ 0) or `truncate`
    ///   (NaN, infinite, ≤ 0), or whichever of them makes the kernel longer than ``Kernel/maxSide``.
    public func validate() throws {
        try checkGaussianKernel(sigma: sigma, truncate: truncate, name: "sigma")
    }
}

/// Refuses a σ or truncate whose SciPy kernel (2·Int(truncate·σ + 0.5) + 1 taps) cannot be built.
func checkGaussianKernel(sigma: Double, truncate: Double, name: String) throws {
    guard sigma.isFinite, sigma > 0 else {
        throw CVError.invalidParameter(name: name, reason: "must be finite and > 0, got \(sigma)")
    }
    guard truncate.isFinite, truncate > 0 else {
        throw CVError.invalidParameter(name: "truncate", reason: "must be finite and > 0, got \(truncate)")
    }
    let taps = 2 * (truncate * sigma + 0.5).rounded(.down) + 1
    guard taps <= Double(Kernel.maxSide) else {
        throw CVError.invalidParameter(name: truncate > sigma ? "truncate" : name,
                                       reason: "gives a kernel of \(taps) taps; at most \(Kernel.maxSide)")
    }
}

extension GaussianKernel {
    /// SciPy's second-derivative taps (`gaussian_filter1d(order=2)`): (x²/σ⁴ − 1/σ²)·g(x), g the
    /// normalized ``scipyTaps(sigma:truncate:)``.
    public static func scipySecondDerivativeTaps(sigma: Double, truncate: Double) -> [Double] {
        let g = scipyTaps(sigma: sigma, truncate: truncate)
        let r = g.count / 2, s2 = sigma * sigma
        return g.indices.map { i in
            let x = Double(i - r)
            return (x * x / (s2 * s2) - 1 / s2) * g[i]
        }
    }
}

extension Image {
    /// Laplacian of Gaussian, ∂²(G∗I)/∂x² + ∂²(G∗I)/∂y²: `scipy.ndimage.gaussian_laplace(image,
    /// sigma, mode=border, truncate=truncate)` on the image's values as Float.
    ///
    /// Two separable passes through the Float engine — (second derivative along x, Gaussian
    /// along y) plus (Gaussian along x, second derivative along y) — with SciPy's kernels
    /// (radius `Int(truncate·σ + 0.5)`). Each channel is filtered on its own (SciPy filtered per
    /// channel). Against SciPy's float64 result: ≤ 1e-5 of the result's largest magnitude.
    ///
    /// Conventions: the default ``IntensityScale/raw`` filters the raw values (SciPy; 8-bit input
    /// gives responses in units of 0…255); ``IntensityScale/unitRange`` scales integers to [0, 1]
    /// first (scikit-image's `img_as_float`). Negative at the centre of a bright blob; its
    /// response to a blob of radius √2·σ is the strongest.
    ///
    /// - Parameter parameters: σ, truncate, border, intensity scale; see
    ///   ``LaplacianOfGaussianParameters`` (defaults σ = 1, truncate 4, reflect, raw).
    /// - Returns: a Float image of the same size and channel count.
    /// - Throws: `CVError.invalidParameter` for what ``LaplacianOfGaussianParameters/validate()`` refuses.
    /// - Complexity: O(width·height·channels·σ·truncate).
    ///
    /// References: SciPy `ndimage/_filters.py` (`gaussian_laplace`, `_gaussian_kernel1d`);
    /// D. Marr, E. Hildreth, "Theory of edge detection", Proc. R. Soc. Lond. B 207, 1980,
    /// doi:10.1098/rspb.1980.0020.
    public func laplacianOfGaussian(_ parameters: LaplacianOfGaussianParameters = LaplacianOfGaussianParameters()) throws -> Image<Float> {
        try parameters.validate()
        let g = GaussianKernel.scipyTaps(sigma: parameters.sigma, truncate: parameters.truncate).map { Float($0) }
        let d2 = GaussianKernel.scipySecondDerivativeTaps(sigma: parameters.sigma, truncate: parameters.truncate).map { Float($0) }
        let scale: Float = parameters.intensity == .raw ? 1 : 1 / Pixel.unitScale
        let xx = separablePass(kx: d2, ky: g, border: parameters.border)
        let yy = separablePass(kx: g, ky: d2, border: parameters.border)
        return combined(xx, yy, scale: scale, subtracting: false)
    }

    /// One Float separable pass of this image.
    func separablePass(kx: [Float], ky: [Float], border: BorderMode) -> Image<Float> {
        var out = Image<Float>.uninitialized(width: width, height: height, channels: channels)
        let w = width, h = height, cn = channels
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: w, height: h, channels: cn, kx: kx, ky: ky, border: border)
            }
        }
        return out
    }
}

/// `scale·(a + b)`, or `scale·(a − b)` when `subtracting`, sample by sample (a and b of one
/// size; the result reuses a's storage).
func combined(_ a: Image<Float>, _ b: Image<Float>, scale: Float, subtracting: Bool) -> Image<Float> {
    var out = a
    let n = a.width * a.channels
    let sign: Float = subtracting ? -1 : 1
    out.withUnsafeMutablePixels { o, os in
        b.withUnsafePixels { q, qs in
            for y in 0..<a.height {
                let orow = o + y * os, qrow = q + y * qs
                for i in 0..<n { orow[i] = scale * (orow[i] + sign * qrow[i]) }
            }
        }
    }
    return out
}
