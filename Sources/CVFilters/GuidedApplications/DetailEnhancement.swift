import CVCore

/// Parameters of ``CVCore/Image/detailEnhanced(_:)``.
public struct DetailEnhancementParameters: Sendable, Hashable {
    /// Detail gain K: out = base + K·(I − base). 1 returns the image; 0 its smoothed base.
    /// Default: 5 (the paper's example).
    public var amount: Double
    /// Guided-filter window radius. Default: 16 (the paper's example).
    public var radius: Int
    /// Guided-filter ε for intensities in [0, 1]. Default: 0.01 (0.1², the paper's example).
    public var epsilon: Double

    /// - Parameters: see the properties; defaults K = 5, r = 16, ε = 0.01.
    public init(amount: Double = 5, radius: Int = 16, epsilon: Double = 0.01) {
        self.amount = amount
        self.radius = radius
        self.epsilon = epsilon
    }

    /// Largest |K|: 100 (beyond it every detail saturates).
    public static let maxAmount = 100.0

    /// Checks each parameter, naming it as written in ``init(amount:radius:epsilon:)``.
    /// - Throws: `CVError.invalidParameter` naming `amount` (NaN, infinite, outside
    ///   0…``maxAmount``) or what ``GuidedParameters/validate()`` refuses (`radius`, `epsilon`).
    public func validate() throws {
        guard amount.isFinite, amount >= 0, amount <= Self.maxAmount else {
            throw CVError.invalidParameter(name: "amount", reason: "must be in 0...\(Int(Self.maxAmount)), got \(amount)")
        }
        try GuidedParameters(radius: radius, epsilon: epsilon).validate()
    }
}

extension Image {
    /// Detail enhancement by base/detail decomposition with the guided filter (He, Sun & Tang):
    /// per colour channel, base = the channel guided-filtered by itself (edge-preserving
    /// smoothing), detail = I − base, out = base + K·detail, clipped to the sample range.
    /// Edges do not halo, because the base keeps them.
    ///
    /// Computed in Float on intensities in [0, 1] (integers scaled by their full scale); an
    /// alpha channel is kept as it is. Against a NumPy composition of
    /// `cv2.ximgproc.guidedFilter` per channel: 8-bit max abs difference ≤ 1.
    ///
    /// - Parameter parameters: K, r, ε; see ``DetailEnhancementParameters`` (defaults 5, 16, 0.01).
    /// - Returns: an image of the same size, channels and sample type.
    /// - Throws: `CVError.invalidParameter` for what ``DetailEnhancementParameters/validate()`` refuses.
    /// - Complexity: O(width·height·channels), whatever r is.
    ///
    /// Reference: K. He, J. Sun, X. Tang, "Guided Image Filtering", ECCV 2010 / IEEE TPAMI 35(6),
    /// 2013, §4 (detail enhancement), doi:10.1109/TPAMI.2012.213.
    public func detailEnhanced(_ parameters: DetailEnhancementParameters = DetailEnhancementParameters()) throws -> Image<Pixel> {
        try parameters.validate()
        let guided = GuidedParameters(radius: parameters.radius, epsilon: parameters.epsilon)
        let k = Float(parameters.amount)
        let planes = try colourPlanes().map { plane -> Image<Float> in
            let base = try plane.guidedFiltered(guided)
            return boosted(plane, base: base, amount: k)
        }
        return try withColourPlanes(planes)
    }

    /// Colour channels (alpha excluded) as Float planes in [0, 1].
    func colourPlanes() -> [Image<Float>] {
        let colour = hasAlpha ? channels - 1 : channels
        return (0..<colour).map { channel($0).converted(to: Float.self) }
    }

    /// The Float planes back at this image's sample type (clipped to [0, 1] first), with this
    /// image's alpha channel appended when it has one.
    func withColourPlanes(_ planes: [Image<Float>]) throws -> Image<Pixel> {
        var out = planes.map { clippedToUnit($0).converted(to: Pixel.self) }
        if hasAlpha { out.append(channel(channels - 1)) }
        return try Image.merging(out)
    }
}

/// base + K·(plane − base).
private func boosted(_ plane: Image<Float>, base: Image<Float>, amount k: Float) -> Image<Float> {
    var out = base
    let w = plane.width
    out.withUnsafeMutablePixels { o, os in
        plane.withUnsafePixels { p, ps in
            for y in 0..<plane.height {
                let orow = o + y * os, prow = p + y * ps
                for x in 0..<w { orow[x] += k * (prow[x] - orow[x]) }
            }
        }
    }
    return out
}

/// The plane with every sample clamped to [0, 1] (NaN to 0).
func clippedToUnit(_ plane: Image<Float>) -> Image<Float> {
    var out = plane
    let n = plane.width * plane.channels
    out.withUnsafeMutablePixels { o, os in
        for y in 0..<plane.height {
            let row = o + y * os
            for x in 0..<n { let v = row[x]; row[x] = v > 0 ? (v < 1 ? v : 1) : 0 }
        }
    }
    return out
}
