import CVCore

extension Image {
    /// Prewitt derivative as Float: correlation with `[−1 0 1]` along the derivative axis and the
    /// unweighted `[1 1 1]` across it (not normalized; scikit-image's `filters.prewitt_h/v` divide
    /// by 3 and use the `reflect` border).
    ///
    /// `self`: UInt8, UInt16 or Float image, 1–4 channels.
    ///
    /// - Parameters:
    ///   - dx: 1 for d/dx (default), 0 for d/dy (then `dy` must be 1).
    ///   - dy: 1 for d/dy, 0 (default) for d/dx.
    ///   - border: default `BorderMode.reflect101`.
    /// - Returns: a Float image of the same size and channels.
    /// - Throws: `CVError.invalidParameter` unless exactly one of dx, dy is 1.
    /// - Complexity: O(width·height·channels).
    ///
    /// Reference: J. M. S. Prewitt, "Object enhancement and extraction", in Picture Processing and
    /// Psychopictorics, Academic Press, 1970.
    public func prewitt(dx: Int = 1, dy: Int = 0, border: BorderMode = .reflect101) throws -> Image<Float> {
        let image = self
        guard (dx == 1 && dy == 0) || (dx == 0 && dy == 1) else {
            throw CVError.invalidParameter(name: "dx/dy", reason: "Prewitt needs dx=1,dy=0 or dx=0,dy=1, got dx=\(dx) dy=\(dy)")
        }
        let d: [Float] = [-1, 0, 1], s: [Float] = [1, 1, 1]
        var out = Image<Float>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        image.withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: image.width, height: image.height, channels: image.channels,
                               kx: dx == 1 ? d : s, ky: dx == 1 ? s : d, border: border)
            }
        }
        return out
    }
}

/// The Prewitt derivative as a free function; use ``CVCore/Image/prewitt(dx:dy:border:)``.
@available(*, deprecated, renamed: "Image.prewitt(dx:dy:border:)")
public func prewitt<P: PixelScalar>(_ image: Image<P>, dx: Int = 1, dy: Int = 0, border: BorderMode = .reflect101) throws -> Image<Float> {
    try image.prewitt(dx: dx, dy: dy, border: border)
}
