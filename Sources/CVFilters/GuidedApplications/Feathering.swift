import CVCore

/// Parameters of ``CVCore/Image/featheredMask(_:_:)``.
public struct FeatheringParameters: Sendable, Hashable {
    /// Guided-filter window radius: how far the mask's edge may move. Default: 60 (the paper's).
    public var radius: Int
    /// Guided-filter ε (intensities in [0, 1]): small follows the image's edges closely.
    /// Default: 1e-6 (the paper's).
    public var epsilon: Double

    /// - Parameters: see the properties; defaults r = 60, ε = 1e-6.
    public init(radius: Int = 60, epsilon: Double = 1e-6) {
        self.radius = radius
        self.epsilon = epsilon
    }

    /// - Throws: `CVError.invalidParameter` for what ``GuidedParameters/validate()`` refuses (`radius`, `epsilon`).
    public func validate() throws { try GuidedParameters(radius: radius, epsilon: epsilon).validate() }
}

extension Image {
    /// Feathering: a rough binary mask (a scribble, a threshold, a box) refined along this
    /// image's edges with the guided filter — q = guided filter of the mask with the image as
    /// guide (full colour covariance for a colour image), clipped to [0, 1]. Where the image
    /// has an edge near the mask's edge, the soft edge moves onto it; hair-like detail gets
    /// fractional values (an alpha matte).
    ///
    /// - Parameters:
    ///   - mask: the rough mask, one channel, this image's size; integer masks are read as
    ///     [0, 1] (0 and 255 for UInt8), Float masks as they are.
    ///   - parameters: r and ε; see ``FeatheringParameters`` (defaults 60 and 1e-6).
    /// - Returns: the soft mask, Float in [0, 1], one channel, this image's size.
    /// - Throws: `CVError.invalidParameter` naming `mask` (another size, or more than one
    ///   channel) or what ``FeatheringParameters/validate()`` refuses.
    /// - Complexity: O(width·height·channels²), whatever r is.
    ///
    /// Reference: K. He, J. Sun, X. Tang, "Guided Image Filtering", TPAMI 35(6), 2013, §4
    /// (feathering), doi:10.1109/TPAMI.2012.213.
    public func featheredMask<M: PixelScalar>(_ mask: Image<M>,
                                              _ parameters: FeatheringParameters = FeatheringParameters()) throws -> Image<Float> {
        try parameters.validate()
        guard mask.width == width, mask.height == height, mask.channels == 1 else {
            throw CVError.invalidParameter(name: "mask", reason: "must be one channel of \(width)x\(height), "
                                           + "got \(mask.width)x\(mask.height)x\(mask.channels)")
        }
        let guide = droppingAlpha()
        let soft = try mask.converted(to: Float.self).guidedFiltered(
            guide: guide, GuidedParameters(radius: parameters.radius, epsilon: parameters.epsilon))
        return clippedToUnit(soft)
    }
}
