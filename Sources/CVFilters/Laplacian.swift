import CVCore

extension Image {
    /// Laplacian `∂²/∂x² + ∂²/∂y²` as Float: `cv2.Laplacian(src, cv2.CV_32F, ksize=…, scale=…, delta=…, borderType=…)`.
    ///
    /// ksize 1 uses the 3×3 kernel `[0 1 0; 1 −4 1; 0 1 0]`; ksize 3, 5, 7 sum the second Sobel
    /// derivatives of that aperture (ksize 3 is `[2 0 2; 0 −8 0; 2 0 2]`).
    ///
    /// `self`: UInt8, UInt16 or Float image, 1–4 channels.
    ///
    /// - Parameters:
    ///   - ksize: 1 (default), 3, 5 or 7.
    ///   - scale: multiplier (default 1).
    ///   - delta: added after scaling (default 0).
    ///   - border: default `BorderMode.reflect101`.
    /// - Returns: a Float image of the same size and channels, in the input's sample units.
    /// - Throws: `CVError.invalidParameter` for other apertures.
    /// - Complexity: two separable passes, O(width·height·channels·ksize).
    public func laplacian(ksize: Int = 1, scale: Double = 1, delta: Double = 0,
                          border: BorderMode = .reflect101) throws -> Image<Float> {
        let image = self
        guard [1, 3, 5, 7].contains(ksize) else {
            throw CVError.invalidParameter(name: "ksize", reason: "must be 1, 3, 5 or 7, got \(ksize)")
        }
        let d2: [Float], s: [Float]
        if ksize == 1 {
            d2 = [1, -2, 1]; s = [0, 1, 0]
        } else {
            d2 = DerivativeParameters.sobelKernel(size: ksize, order: 2).map { Float($0) }
            s = DerivativeParameters.sobelKernel(size: ksize, order: 0).map { Float($0) }
        }
        let sc = Float(scale)
        var a = Image<Float>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        var b = a
        b = Image<Float>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        image.withUnsafePixels { src, ss in
            a.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: image.width, height: image.height, channels: image.channels,
                               kx: d2, ky: s.map { $0 * sc }, border: border, delta: Float(delta))
            }
            b.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: image.width, height: image.height, channels: image.channels,
                               kx: s, ky: d2.map { $0 * sc }, border: border)
            }
        }
        let n = image.rowLength
        b.withUnsafePixels { bp, bs in
            a.withUnsafeMutablePixels { ap, as_ in
                for y in 0..<image.height {
                    let ar = ap + y * as_, br = bp + y * bs
                    for i in 0..<n { ar[i] += br[i] }
                }
            }
        }
        return a
    }
}

/// `cv2.Laplacian(..., cv2.CV_32F, ...)` as a free function; use ``CVCore/Image/laplacian(ksize:scale:delta:border:)``.
@available(*, deprecated, renamed: "Image.laplacian(ksize:scale:delta:border:)")
public func laplacian<P: PixelScalar>(_ image: Image<P>, ksize: Int = 1, scale: Double = 1, delta: Double = 0,
                                      border: BorderMode = .reflect101) throws -> Image<Float> {
    try image.laplacian(ksize: ksize, scale: scale, delta: delta, border: border)
}
