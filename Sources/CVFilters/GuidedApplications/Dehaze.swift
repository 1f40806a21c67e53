import CVCore

/// Parameters of ``CVCore/Image/dehazed(_:)``; the defaults are the paper's.
public struct DehazeParameters: Sendable, Hashable {
    /// Side of the square patch of the dark channel (odd). Default: 15.
    public var patchSize: Int
    /// ω, the share of haze removed (a little is kept so distance still reads). Default: 0.95.
    public var omega: Double
    /// Share of the brightest dark-channel pixels the atmospheric light is chosen among.
    /// Default: 0.001 (0.1 %).
    public var brightestFraction: Double
    /// t₀, the lower bound of the transmission in the recovery. Default: 0.1.
    public var minTransmission: Double
    /// Radius of the guided filter that refines the transmission. Default: 60.
    public var radius: Int
    /// ε of that guided filter (intensities in [0, 1]). Default: 1e-4.
    public var epsilon: Double

    /// - Parameters: see the properties; defaults patch 15, ω = 0.95, 0.1 %, t₀ = 0.1, r = 60, ε = 1e-4.
    public init(patchSize: Int = 15, omega: Double = 0.95, brightestFraction: Double = 0.001,
                minTransmission: Double = 0.1, radius: Int = 60, epsilon: Double = 1e-4) {
        self.patchSize = patchSize
        self.omega = omega
        self.brightestFraction = brightestFraction
        self.minTransmission = minTransmission
        self.radius = radius
        self.epsilon = epsilon
    }

    /// Largest patch: 1,001 pixels (the minimum filter costs O(patch) per pixel).
    public static let maxPatchSize = 1_001

    /// Checks each parameter, naming it as written in ``init(patchSize:omega:brightestFraction:minTransmission:radius:epsilon:)``.
    /// - Throws: `CVError.invalidParameter` naming `patchSize` (not odd in 1…``maxPatchSize``),
    ///   `omega`, `brightestFraction` or `minTransmission` (NaN or outside (0, 1]), or
    ///   what ``GuidedParameters/validate()`` refuses (`radius`, `epsilon`).
    public func validate() throws {
        guard patchSize >= 1, patchSize % 2 == 1, patchSize <= Self.maxPatchSize else {
            throw CVError.invalidParameter(name: "patchSize", reason: "must be odd, 1...\(Self.maxPatchSize), got \(patchSize)")
        }
        for (name, value) in [("omega", omega), ("brightestFraction", brightestFraction), ("minTransmission", minTransmission)] {
            guard value > 0, value <= 1 else {
                throw CVError.invalidParameter(name: name, reason: "must be in (0, 1], got \(value)")
            }
        }
        try GuidedParameters(radius: radius, epsilon: epsilon).validate()
    }
}

/// What ``CVCore/Image/dehazed(_:)`` finds: the haze-free image and the model behind it.
public struct DehazeResult<Pixel: PixelScalar>: Sendable {
    /// The recovered scene radiance J, same size, channels and sample type as the input.
    public var image: Image<Pixel>
    /// The refined transmission t(x) in [0, 1] (1 = no haze), one channel.
    public var transmission: Image<Float>
    /// The atmospheric light A, one value per colour channel, in [0, 1].
    public var atmosphericLight: [Float]
}

extension Image {
    /// Single-image haze removal with the dark channel prior (He, Sun & Tang), transmission
    /// refined by the guided filter. The haze model is I = J·t + A·(1 − t):
    /// 1. dark channel: per pixel the minimum over the colour channels, then over a
    ///    patch × patch window (windows clipped at the border);
    /// 2. atmospheric light A: among the pixels whose dark channel is in the brightest 0.1 %,
    ///    the colour of the brightest one (largest channel sum; the first in raster order on a tie);
    /// 3. transmission t̃ = 1 − ω·dark(I / A);
    /// 4. t = guided filter of t̃ with the gray image as guide (r = 60, ε = 1e-4);
    /// 5. J = (I − A) / max(t, t₀) + A, clipped to [0, 1].
    ///
    /// Computed in Float on intensities in [0, 1]; a gray image is its own dark channel, and an
    /// alpha channel is kept as it is. Against a NumPy/OpenCV statement of the same steps
    /// (`cv2.erode`, `cv2.ximgproc.guidedFilter`): 8-bit max abs difference ≤ 1.
    ///
    /// - Parameter parameters: see ``DehazeParameters`` (the paper's defaults).
    /// - Returns: the dehazed image, the refined transmission and A.
    /// - Throws: `CVError.invalidParameter` for what ``DehazeParameters/validate()`` refuses.
    /// - Complexity: O(width·height·(channels + patchSize)); the guided filter is O(1) in r.
    ///
    /// References: K. He, J. Sun, X. Tang, "Single Image Haze Removal Using Dark Channel Prior",
    /// CVPR 2009 / IEEE TPAMI 33(12), 2011, doi:10.1109/TPAMI.2010.168; "Guided Image
    /// Filtering", TPAMI 2013, doi:10.1109/TPAMI.2012.213.
    public func dehazed(_ parameters: DehazeParameters = DehazeParameters()) throws -> DehazeResult<Pixel> {
        try parameters.validate()
        let planes = colourPlanes()
        let r = parameters.patchSize / 2
        let dark = minimumFiltered(channelMinimum(planes, dividedBy: nil), radius: r)
        let light = atmosphericLight(planes, dark: dark, fraction: parameters.brightestFraction)
        let raw = transmission(minimumFiltered(channelMinimum(planes, dividedBy: light), radius: r),
                               omega: Float(parameters.omega))
        let guide = planes.count >= 3 ? try Image<Float>.merging(Array(planes[0..<3])).grayscale() : planes[0]
        let refined = try raw.guidedFiltered(guide: guide, GuidedParameters(radius: parameters.radius,
                                                                            epsilon: parameters.epsilon))
        let recovered = planes.indices.map {
            recover(planes[$0], transmission: refined, light: light[$0], floor: Float(parameters.minTransmission))
        }
        return DehazeResult(image: try withColourPlanes(recovered), transmission: clippedToUnit(refined),
                            atmosphericLight: light)
    }
}

/// Per pixel, the minimum over the planes (each divided by its entry of `divisors` when given).
private func channelMinimum(_ planes: [Image<Float>], dividedBy divisors: [Float]?) -> Image<Float> {
    var out = planes[0]
    let w = out.width
    out.withUnsafeMutablePixels { o, os in
        for (c, plane) in planes.enumerated() {
            // A channel with no light at all would divide by zero; 1e-3 is below one 8-bit level.
            let d = max(divisors?[c] ?? 1, 1e-3)
            plane.withUnsafePixels { p, ps in
                for y in 0..<plane.height {
                    let orow = o + y * os, prow = p + y * ps
                    if c == 0 {
                        for x in 0..<w { orow[x] = prow[x] / d }
                    } else {
                        for x in 0..<w { orow[x] = min(orow[x], prow[x] / d) }
                    }
                }
            }
        }
    }
    return out
}

/// Minimum over (2r+1)² windows clipped at the border (`cv2.erode` with its default border),
/// as a row pass and a column pass.
func minimumFiltered(_ plane: Image<Float>, radius r: Int) -> Image<Float> {
    guard r > 0 else { return plane }
    let w = plane.width, h = plane.height
    var rows = Image<Float>.uninitialized(width: w, height: h)
    var out = Image<Float>.uninitialized(width: w, height: h)
    plane.withUnsafePixels { p, ps in
        rows.withUnsafeMutablePixels { q, qs in
            Parallel.forEachStripe(rows: h, minRowsPerStripe: 16) { stripe in
                for y in stripe { windowMinimum(p + y * ps, 1, q + y * qs, 1, count: w, radius: r) }
            }
        }
    }
    rows.withUnsafePixels { q, qs in
        out.withUnsafeMutablePixels { o, os in
            Parallel.forEachStripe(rows: w, minRowsPerStripe: 16) { columns in
                for x in columns { windowMinimum(q + x, qs, o + x, os, count: h, radius: r) }
            }
        }
    }
    return out
}

/// out[i] = min of src[j], |j − i| ≤ r, 0 ≤ j < count (strided access).
@inline(__always)
private func windowMinimum(_ src: UnsafePointer<Float>, _ ss: Int, _ dst: UnsafeMutablePointer<Float>, _ ds: Int,
                           count n: Int, radius r: Int) {
    for i in 0..<n {
        var m = src[max(i - r, 0) * ss]
        for j in max(i - r, 0)...min(i + r, n - 1) { m = min(m, src[j * ss]) }
        dst[i * ds] = m
    }
}

/// A: among the pixels whose dark channel is at least the k-th largest (k = max(1, ⌊N·fraction⌋)),
/// the colour of the one with the largest channel sum (summed in Double; first in raster order).
private func atmosphericLight(_ planes: [Image<Float>], dark: Image<Float>, fraction: Double) -> [Float] {
    let n = dark.width * dark.height
    let values = dark.samples
    let k = max(1, Int(Double(n) * fraction))
    let threshold = values.sorted(by: >)[k - 1]
    let samples = planes.map(\.samples)
    var best = -1, bestSum = -Double.infinity
    for i in 0..<n where values[i] >= threshold {
        var s = 0.0
        for c in samples.indices { s += Double(samples[c][i]) }
        if s > bestSum { bestSum = s; best = i }
    }
    return samples.map { $0[best] }
}

/// t̃ = 1 − ω·dark.
private func transmission(_ dark: Image<Float>, omega: Float) -> Image<Float> {
    var out = dark
    let w = out.width
    out.withUnsafeMutablePixels { o, os in
        for y in 0..<dark.height { let row = o + y * os; for x in 0..<w { row[x] = 1 - omega * row[x] } }
    }
    return out
}

/// J = (I − A) / max(t, t₀) + A.
private func recover(_ plane: Image<Float>, transmission t: Image<Float>, light a: Float, floor t0: Float) -> Image<Float> {
    var out = plane
    let w = plane.width
    out.withUnsafeMutablePixels { o, os in
        t.withUnsafePixels { tp, ts in
            for y in 0..<plane.height {
                let row = o + y * os, trow = tp + y * ts
                for x in 0..<w { row[x] = (row[x] - a) / max(trow[x], t0) + a }
            }
        }
    }
    return out
}
