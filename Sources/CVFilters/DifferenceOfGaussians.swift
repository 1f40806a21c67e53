import CVCore

/// Parameters of ``CVCore/Image/differenceOfGaussians(_:)`` (`skimage.filters.difference_of_gaussians`).
public struct DifferenceOfGaussiansParameters: Sendable, Hashable {
    /// σ of the narrower Gaussian, in pixels (> 0). Default: 1.
    public var lowSigma: Double
    /// σ of the wider Gaussian (≥ ``lowSigma``), or `nil` (default) for 1.6·``lowSigma``
    /// (scikit-image's default, the ratio Marr and Hildreth found closest to a LoG).
    public var highSigma: Double?
    /// Kernel radius in σ (SciPy's `Int(truncate·σ + 0.5)`). Default: 4.
    public var truncate: Double
    /// Border handling. Default: `BorderMode.replicate` (scikit-image's `mode='nearest'`).
    public var border: BorderMode
    /// Default: ``IntensityScale/unitRange`` (scikit-image's `img_as_float`).
    public var intensity: IntensityScale

    /// - Parameters: see the properties; defaults σ_low = 1, σ_high = 1.6·σ_low, truncate 4,
    ///   replicate (`nearest`), intensities scaled to [0, 1].
    public init(lowSigma: Double = 1, highSigma: Double? = nil, truncate: Double = 4, border: BorderMode = .replicate,
                intensity: IntensityScale = .unitRange) {
        self.lowSigma = lowSigma
        self.highSigma = highSigma
        self.truncate = truncate
        self.border = border
        self.intensity = intensity
    }

    /// ``highSigma`` or its default 1.6·``lowSigma``.
    public var effectiveHighSigma: Double { highSigma ?? 1.6 * lowSigma }

    /// Checks each parameter, naming it as written in ``init(lowSigma:highSigma:truncate:border:intensity:)``.
    /// - Throws: `CVError.invalidParameter` naming `lowSigma` or `highSigma` (NaN, infinite,
    ///   ≤ 0, a kernel longer than ``Kernel/maxSide``, or `highSigma` < `lowSigma`, which
    ///   scikit-image refuses too) or `truncate`.
    public func validate() throws {
        try checkGaussianKernel(sigma: lowSigma, truncate: truncate, name: "lowSigma")
        try checkGaussianKernel(sigma: effectiveHighSigma, truncate: truncate, name: highSigma == nil ? "lowSigma" : "highSigma")
        guard effectiveHighSigma >= lowSigma else {
            throw CVError.invalidParameter(name: "highSigma",
                                           reason: "must be >= lowSigma (\(lowSigma)), got \(effectiveHighSigma)")
        }
    }
}

extension Image {
    /// Difference of Gaussians, G_low∗I − G_high∗I: a band-pass that keeps features between
    /// the two scales. `skimage.filters.difference_of_gaussians(image, low_sigma, high_sigma,
    /// mode=border, truncate=truncate, channel_axis=-1)`.
    ///
    /// Both blurs are the exact scikit-image Gaussian (``GaussianParameters/scikitImage(sigma:sigmaY:mode:truncate:)``)
    /// in Float; each channel is filtered on its own. Against scikit-image's float64 result:
    /// ≤ 1e-5 of the result's largest magnitude.
    ///
    /// Conventions: the default ``IntensityScale/unitRange`` scales integer images to [0, 1]
    /// first, as scikit-image's `img_as_float`; ``IntensityScale/raw`` keeps the values (SciPy's
    /// way, as ``laplacianOfGaussian(_:)``'s default).
    ///
    /// - Parameter parameters: σ_low, σ_high, truncate, border, intensity scale; see
    ///   ``DifferenceOfGaussiansParameters`` (defaults 1, 1.6, 4, replicate, [0, 1]).
    /// - Returns: a Float image of the same size and channel count.
    /// - Throws: `CVError.invalidParameter` for what ``DifferenceOfGaussiansParameters/validate()`` refuses.
    /// - Complexity: O(width·height·channels·(σ_low + σ_high)·truncate).
    ///
    /// References: scikit-image `filters/_gaussian.py` (`difference_of_gaussians`); D. Marr,
    /// E. Hildreth, "Theory of edge detection", 1980, doi:10.1098/rspb.1980.0020.
    public func differenceOfGaussians(_ parameters: DifferenceOfGaussiansParameters = DifferenceOfGaussiansParameters()) throws -> Image<Float> {
        try parameters.validate()
        let values: Image<Float> = parameters.intensity == .unitRange ? converted(to: Float.self) : rawFloat()
        let low = try values.gaussianBlurred(.scikitImage(sigma: parameters.lowSigma, mode: parameters.border,
                                                          truncate: parameters.truncate))
        let high = try values.gaussianBlurred(.scikitImage(sigma: parameters.effectiveHighSigma, mode: parameters.border,
                                                           truncate: parameters.truncate))
        return combined(low, high, scale: 1, subtracting: true)
    }

    /// The samples as Float without scaling (0…255 stays 0…255).
    func rawFloat() -> Image<Float> {
        if let same = self as? Image<Float> { return same }
        var out = Image<Float>.uninitialized(width: width, height: height, channels: channels)
        let n = width * channels
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height { loadFloatRow(src + y * ss, into: dst + y * ds, count: n) }
            }
        }
        return out
    }
}
