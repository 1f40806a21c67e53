import CKernels
import CVCore

/// Parameters of ``CVCore/Image/guidedFiltered(guide:_:)`` and ``CVCore/Image/guidedFiltered(_:)``.
public struct GuidedParameters: Sendable, Hashable {
    /// Window radius r: local windows are (2r+1)×(2r+1). Default: 4.
    public var radius: Int
    /// Regularization ε for intensities scaled to [0, 1] (as in the paper). For UInt8 images
    /// this equals OpenCV's `eps / 255²`. Default: 0.01 (i.e. 0.1² — edges with a contrast
    /// well above 0.1 are kept).
    public var epsilon: Double
    /// Fast Guided Filter subsampling factor s ≥ 1 (He & Sun 2015): a and b are computed on an
    /// s× smaller image with radius r/s and upsampled bilinearly. Default: 1 (exact).
    public var subsample: Int

    /// - Parameters: see the properties; defaults radius 4, ε = 0.01, subsample 1.
    public init(radius: Int = 4, epsilon: Double = 0.01, subsample: Int = 1) {
        self.radius = radius
        self.epsilon = epsilon
        self.subsample = subsample
    }

    /// Largest radius: 16,384 pixels (the box means pad rows and start stripes with a window).
    public static let maxRadius = 16_384
    /// Largest ε: 10⁶. For intensities in [0, 1] an ε far above 1 already flattens every window
    /// to its mean; beyond this it would overflow Float once scaled to 16-bit intensities.
    public static let maxEpsilon = 1e6
    /// Largest subsampling factor: `ImageLimits.maxSide`.
    public static let maxSubsample = ImageLimits.maxSide

    /// Checks each parameter, naming it as written in ``init(radius:epsilon:subsample:)``.
    /// - Throws: `CVError.invalidParameter` naming `radius` (outside 1...``maxRadius``),
    ///   `epsilon` (NaN, infinite, ≤ 0 or above ``maxEpsilon``) or `subsample` (outside
    ///   1...``maxSubsample``).
    public func validate() throws {
        guard radius >= 1 else { throw CVError.invalidParameter(name: "radius", reason: "must be >= 1, got \(radius)") }
        guard radius <= Self.maxRadius else {
            throw CVError.invalidParameter(name: "radius", reason: "must be at most \(Self.maxRadius), got \(radius)")
        }
        guard epsilon.isFinite, epsilon > 0 else {
            throw CVError.invalidParameter(name: "epsilon", reason: "must be finite and > 0, got \(epsilon)")
        }
        guard epsilon <= Self.maxEpsilon else {
            throw CVError.invalidParameter(name: "epsilon", reason: "must be at most \(Self.maxEpsilon), got \(epsilon)")
        }
        guard subsample >= 1 else { throw CVError.invalidParameter(name: "subsample", reason: "must be >= 1, got \(subsample)") }
        guard subsample <= Self.maxSubsample else {
            throw CVError.invalidParameter(name: "subsample", reason: "must be at most \(Self.maxSubsample), got \(subsample)")
        }
    }
}

extension Image {
    /// Guided filter: edge-preserving smoothing of the image steered by `guide`.
    ///
    /// Each output is `q = ā·I + b̄`, where for every (2r+1)² window the linear model
    /// `a·I + b` is the ridge-regression fit of the source to the guide I (regularized by ε), and
    /// ā, b̄ are window means of the per-window coefficients. A 3-channel guide uses the full 3×3
    /// colour covariance. Equals `cv2.ximgproc.guidedFilter(guide, src, r, ε·scale²)` (scale 255
    /// for UInt8, 1 for Float) up to Float rounding: box means use the `reflect` border
    /// (`fedcba|abcdef`) like OpenCV's implementation.
    ///
    /// `self` is the image to filter (any sample type, any channel count; channels filtered
    /// independently).
    ///
    /// - Parameters:
    ///   - guide: guide image of the same size, 1 or 3 channels (4: the first 3 are used).
    ///   - parameters: radius, ε, subsampling; see ``GuidedParameters`` (defaults r = 4,
    ///     ε = 0.01, no subsampling).
    /// - Returns: an image shaped like `self`, with its sample type (rounded, saturated).
    /// - Throws: `CVError.invalidParameter` for a parameter ``GuidedParameters/validate()``
    ///   refuses, or a guide of another size or with 2 channels.
    /// - Complexity: O(width·height·(channels + guide channels²)) whatever r is (running-sum box
    ///   means); with subsampling s the box work shrinks by s².
    ///
    /// Reference: K. He, J. Sun, X. Tang, "Guided Image Filtering", IEEE TPAMI 35(6), 2013,
    /// doi:10.1109/TPAMI.2012.213; K. He, J. Sun, "Fast Guided Filter", arXiv:1505.00996, 2015.
    public func guidedFiltered<G: PixelScalar>(guide: Image<G>,
                                               _ parameters: GuidedParameters = GuidedParameters()) throws -> Image<Pixel> {
        try guidedFilterImage(self, guide: guide, parameters)
    }

    /// Self-guided guided filter (the image is its own guide): edge-preserving smoothing,
    /// `cv2.ximgproc.guidedFilter(src, src, r, ε·scale²)`. The image must have 1, 3 or 4
    /// channels. Parameters, result, errors and cost as ``guidedFiltered(guide:_:)``.
    public func guidedFiltered(_ parameters: GuidedParameters = GuidedParameters()) throws -> Image<Pixel> {
        try guidedFilterImage(self, guide: Optional<Image<Pixel>>.none, parameters)
    }
}

/// `cv2.ximgproc.guidedFilter` as a free function; use ``CVCore/Image/guidedFiltered(guide:_:)`` or,
/// with a `nil` guide, ``CVCore/Image/guidedFiltered(_:)``.
@available(*, deprecated, renamed: "Image.guidedFiltered(guide:_:)")
public func guidedFilter<P: PixelScalar, G: PixelScalar>(_ source: Image<P>, guide: Image<G>?,
                                                         _ parameters: GuidedParameters = GuidedParameters()) throws -> Image<P> {
    try guidedFilterImage(source, guide: guide, parameters)
}

/// Self-guided `cv2.ximgproc.guidedFilter` as a free function; use ``CVCore/Image/guidedFiltered(_:)``.
@available(*, deprecated, renamed: "Image.guidedFiltered(_:)")
public func guidedFilter<P: PixelScalar>(_ source: Image<P>, _ parameters: GuidedParameters = GuidedParameters()) throws -> Image<P> {
    try source.guidedFiltered(parameters)
}

/// The one body of ``Image/guidedFiltered(guide:_:)`` and ``Image/guidedFiltered(_:)``
/// (`guide` nil: self-guided): 1. validate; 2. the guide's intensity scale for ε; 3. the
/// streaming path without subsampling, or the plane path (subsample, means, upsample).
func guidedFilterImage<P: PixelScalar, G: PixelScalar>(_ source: Image<P>, guide: Image<G>?,
                                                       _ parameters: GuidedParameters) throws -> Image<P> {
    try parameters.validate()
    let r = parameters.radius, s = parameters.subsample
    let w = source.width, h = source.height
    let guideScale: Float
    if let guide {
        guard guide.width == w, guide.height == h else {
            throw CVError.invalidParameter(name: "guide", reason: "guide is \(guide.width)x\(guide.height), source is \(w)x\(h)")
        }
        guard guide.channels != 2 else {
            throw CVError.invalidParameter(name: "guide", reason: "guide must have 1, 3 or 4 channels, got 2")
        }
        guideScale = G.unitScale
    } else {
        guard source.channels != 2 else {
            throw CVError.invalidParameter(name: "guide", reason: "a self-guided source must have 1, 3 or 4 channels, got 2")
        }
        guideScale = P.unitScale
    }
    let eps = Float(parameters.epsilon) * guideScale * guideScale
    if s == 1 { return guidedFast(source, guide: guide, radius: r, eps: eps) }
    let guidePlanes = Array((guide.map { planes(of: $0) } ?? planes(of: source)).prefix(3))
    let srcPlanes = planes(of: source)
    let outPlanes = guidedPlanes(guide: guidePlanes, sources: srcPlanes, width: w, height: h, radius: r, eps: eps, subsample: s)
    var out = Image<P>.uninitialized(width: w, height: h, channels: source.channels)
    let cn = source.channels
    out.withUnsafeMutablePixels { o, os in
        for c in 0..<cn {
            outPlanes[c].withUnsafeBufferPointer { q in
                for y in 0..<h {
                    let row = o + y * os
                    for x in 0..<w { row[x * cn + c] = P(clampingRounded: q[y * w + x]) }
                }
            }
        }
    }
    return out
}

/// The channels of an image as separate Float planes (no scaling).
func planes<P: PixelScalar>(of image: Image<P>) -> [[Float]] {
    let w = image.width, h = image.height, cn = image.channels
    var result = [[Float]](repeating: [Float](repeating: 0, count: w * h), count: cn)
    image.withUnsafePixels { p, s in
        for c in 0..<cn {
            result[c].withUnsafeMutableBufferPointer { d in
                for y in 0..<h {
                    let row = p + y * s
                    for x in 0..<w { d[y * w + x] = row[x * cn + c].floatValue }
                }
            }
        }
    }
    return result
}

/// Box mean of a plane with OpenCV's BORDER_REFLECT, O(1) per pixel.
func boxMean(_ plane: [Float], width w: Int, height h: Int, radius r: Int) -> [Float] {
    var out = [Float](repeating: 0, count: w * h)
    let scale = 1 / Double((2 * r + 1) * (2 * r + 1))
    plane.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            boxSums(src.baseAddress!, w, dst.baseAddress!, w, width: w, height: h, channels: 1, rx: r, ry: r,
                    border: .reflect, scale: scale) { Float($0) }
        }
    }
    return out
}

@inline(__always)
func zipMap(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
    var out = [Float](repeating: 0, count: a.count)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                for i in 0..<pa.count { po[i] = f(pa[i], pb[i]) }
            }
        }
    }
    return out
}

/// The guided filter on planes. 1. (optional) subsample; 2. window means and covariances;
/// 3. per-pixel linear coefficients a, b; 4. mean of a, b (upsampled); 5. q = ā·I + b̄.
func guidedPlanes(guide: [[Float]], sources: [[Float]], width w: Int, height h: Int,
                  radius r: Int, eps: Float, subsample s: Int) -> [[Float]] {
    // 1. work at low resolution when subsampling
    var lw = w, lh = h, lr = r
    var I = guide, Ps = sources
    if s > 1 {
        lw = max(1, (w + s - 1) / s); lh = max(1, (h + s - 1) / s); lr = max(1, r / s)
        I = guide.map { downsample($0, w, h, s, lw, lh) }
        Ps = sources.map { downsample($0, w, h, s, lw, lh) }
    }
    let mean = { (p: [Float]) in boxMean(p, width: lw, height: lh, radius: lr) }
    let gc = I.count
    let meanI = I.map(mean)
    var outs: [[Float]] = []
    if gc == 1 {
        // 2-3. scalar guide
        let varI = zipMap(mean(zipMap(I[0], I[0], *)), meanI[0]) { $0 - $1 * $1 }
        for p in Ps {
            let meanP = mean(p)
            let covIP = zipMap(mean(zipMap(I[0], p, *)), zipMap(meanI[0], meanP, *), -)
            let a = zipMap(covIP, varI) { $0 / ($1 + eps) }
            let b = zipMap(meanP, zipMap(a, meanI[0], *), -)
            outs.append(finish(aPlanes: [mean(a)], b: mean(b), guide: guide, w: w, h: h, lw: lw, lh: lh, s: s))
        }
        return outs
    }
    // 2. 3×3 covariance of the guide (+ ε on the diagonal) and its inverse (cofactors / det).
    var cov = [[Float]](repeating: [], count: 9)
    for i in 0..<3 {
        for j in i..<3 {
            var c = zipMap(mean(zipMap(I[i], I[j], *)), zipMap(meanI[i], meanI[j], *), -)
            if i == j { c = c.map { $0 + eps } }
            cov[i * 3 + j] = c
            cov[j * 3 + i] = c
        }
    }
    let n = lw * lh
    var inv = [[Float]](repeating: [Float](repeating: 0, count: n), count: 9)
    for k in 0..<n {
        let a00 = cov[0][k], a01 = cov[1][k], a02 = cov[2][k]
        let a11 = cov[4][k], a12 = cov[5][k], a22 = cov[8][k]
        let (i00, i01, i02, i11, i12, i22) = symmetricInverse3(a00, a01, a02, a11, a12, a22)
        inv[0][k] = i00; inv[1][k] = i01; inv[2][k] = i02
        inv[3][k] = i01; inv[4][k] = i11; inv[5][k] = i12
        inv[6][k] = i02; inv[7][k] = i12; inv[8][k] = i22
    }
    for p in Ps {
        // 3. a = Σ⁻¹ cov(I, p), b = mean(p) − a·mean(I)
        let meanP = mean(p)
        let covIP = (0..<3).map { i in zipMap(mean(zipMap(I[i], p, *)), zipMap(meanI[i], meanP, *), -) }
        var a = [[Float]](repeating: [Float](repeating: 0, count: n), count: 3)
        var b = meanP
        for k in 0..<n {
            for i in 0..<3 {
                let v = inv[i * 3][k] * covIP[0][k] + inv[i * 3 + 1][k] * covIP[1][k] + inv[i * 3 + 2][k] * covIP[2][k]
                a[i][k] = v
                b[k] -= v * meanI[i][k]
            }
        }
        outs.append(finish(aPlanes: a.map(mean), b: mean(b), guide: guide, w: w, h: h, lw: lw, lh: lh, s: s))
    }
    return outs
}

/// 4-5. q = ā·I + b̄ at full resolution (ā, b̄ upsampled bilinearly when subsampled).
func finish(aPlanes: [[Float]], b: [Float], guide: [[Float]], w: Int, h: Int, lw: Int, lh: Int, s: Int) -> [Float] {
    let A = s > 1 ? aPlanes.map { upsample($0, lw, lh, s, w, h) } : aPlanes
    var q = s > 1 ? upsample(b, lw, lh, s, w, h) : b
    for (i, a) in A.enumerated() {
        let g = guide[i]
        for k in 0..<(w * h) { q[k] += a[k] * g[k] }
    }
    return q
}

/// Block-average downsampling by s (partial blocks at the right/bottom edges averaged too).
func downsample(_ p: [Float], _ w: Int, _ h: Int, _ s: Int, _ lw: Int, _ lh: Int) -> [Float] {
    var out = [Float](repeating: 0, count: lw * lh)
    for ly in 0..<lh {
        for lx in 0..<lw {
            var sum: Float = 0
            var cnt = 0
            for y in (ly * s)..<min(h, ly * s + s) {
                for x in (lx * s)..<min(w, lx * s + s) { sum += p[y * w + x]; cnt += 1 }
            }
            out[ly * lw + lx] = sum / Float(max(cnt, 1))
        }
    }
    return out
}

/// Bilinear upsampling by s with pixel-centre alignment (clamped at the edges).
func upsample(_ p: [Float], _ lw: Int, _ lh: Int, _ s: Int, _ w: Int, _ h: Int) -> [Float] {
    var out = [Float](repeating: 0, count: w * h)
    let inv = 1 / Float(s)
    for y in 0..<h {
        let fy = min(max((Float(y) + 0.5) * inv - 0.5, 0), Float(lh - 1))
        let y0 = Int(fy), y1 = min(y0 + 1, lh - 1), ty = fy - Float(y0)
        for x in 0..<w {
            let fx = min(max((Float(x) + 0.5) * inv - 0.5, 0), Float(lw - 1))
            let x0 = Int(fx), x1 = min(x0 + 1, lw - 1), tx = fx - Float(x0)
            let top = p[y0 * lw + x0] * (1 - tx) + p[y0 * lw + x1] * tx
            let bot = p[y1 * lw + x0] * (1 - tx) + p[y1 * lw + x1] * tx
            out[y * w + x] = top * (1 - ty) + bot * ty
        }
    }
    return out
}

// MARK: - Fast path (no subsampling)

/// Rows of an image of any sample type, read as Float (type dispatch once per row, concrete loops).
struct FloatRowReader {
    let base: UnsafeRawPointer
    let stride: Int
    let channels: Int
    let depth: PixelDepth

    init<S: PixelScalar>(_ p: UnsafePointer<S>, stride: Int, channels: Int) {
        base = UnsafeRawPointer(p); self.stride = stride; self.channels = channels; depth = S.depth
    }

    /// Writes the first `k` channels of the `width` pixels of row y to `out` (k per pixel).
    func read(row y: Int, width w: Int, channels k: Int, into out: UnsafeMutablePointer<Float>) {
        func copy<S: BinaryInteger>(_ t: S.Type) {
            let row = base.assumingMemoryBound(to: S.self) + y * stride
            if k == channels {
                for i in 0..<(w * k) { out[i] = Float(row[i]) }
            } else {
                for x in 0..<w { for i in 0..<k { out[x * k + i] = Float(row[x * channels + i]) } }
            }
        }
        switch depth {
        case .uint8: copy(UInt8.self)
        case .uint16: copy(UInt16.self)
        case .float32:
            let row = base.assumingMemoryBound(to: Float.self) + y * stride
            if k == channels { out.update(from: row, count: w * k) } else {
                for x in 0..<w { for i in 0..<k { out[x * k + i] = row[x * channels + i] } }
            }
        }
    }
}

/// Writes Float samples to a row of any sample type (rounded and saturated for integers).
@inline(__always)
func storeRow(_ values: UnsafePointer<Float>, to base: UnsafeMutableRawPointer, depth: PixelDepth, count n: Int) {
    switch depth {
    case .uint8:
        ck_f32_to_u8(values, base.assumingMemoryBound(to: UInt8.self), n)
    case .uint16:
        ck_f32_to_u16(values, base.assumingMemoryBound(to: UInt16.self), n)
    case .float32:
        base.assumingMemoryBound(to: Float.self).update(from: values, count: n)
    }
}

/// The guided filter without subsampling, in two streaming passes of ``BoxRowEngine`` (same
/// arithmetic as ``guidedPlanes(guide:sources:width:height:radius:eps:subsample:)``, which
/// stays as the readable statement and serves subsampling):
/// 1. box means of the guide I, the sources p, the products I_i·I_j and I_i·p, with the
///    products formed row by row (nothing but a and b is materialized); from them each output
///    row's coefficients a = (Σ + ε)⁻¹ cov(I, p), b = mean(p) − a·mean(I) go into one
///    interleaved a/b plane. Self-guided images skip p and I·p, which equal I and I·I.
/// 2. box means of a and b and q = ā·I + b̄, written straight into the output.
/// Both passes run in parallel row stripes.
func guidedFast<P: PixelScalar, G: PixelScalar>(_ source: Image<P>, guide: Image<G>?, radius r: Int, eps: Float) -> Image<P> {
    let w = source.width, h = source.height
    var out = Image<P>.uninitialized(width: w, height: h, channels: source.channels)
    guard w > 0, h > 0 else { return out }
    source.withUnsafePixels { sp, ss in
        out.withUnsafeMutablePixels { op, os in
            let src = FloatRowReader(sp, stride: ss, channels: source.channels)
            let dst = (UnsafeMutableRawPointer(op), os * MemoryLayout<P>.stride, P.depth)
            if let guide {
                guide.withUnsafePixels { gp, gs in
                    guidedFastCore(source: src, guide: FloatRowReader(gp, stride: gs, channels: guide.channels),
                                   selfGuided: false, output: dst, width: w, height: h, radius: r, eps: eps)
                }
            } else {
                guidedFastCore(source: src, guide: src, selfGuided: true, output: dst,
                               width: w, height: h, radius: r, eps: eps)
            }
        }
    }
    return out
}

/// Where each quantity sits in the interleaved rows of the guided filter's two streaming
/// passes: g guide channels (1 or 3), np source channels, and the offsets of the moments
/// (I, p, I_i·I_j, I_i·p) in a pass-1 row of `k1` values per pixel; pass 2 rows hold `kab`
/// values per pixel (a and b, or a0 a1 a2 b per source channel with a colour guide).
/// Self-guided images skip p and I·p, which equal I and I·I.
struct GuidedLayout {
    let np: Int
    let g: Int
    let selfGuided: Bool
    let oP: Int
    let oII: Int
    let oIP: Int
    let k1: Int
    let kab: Int

    init(sourceChannels: Int, guideChannels: Int, selfRequested: Bool) {
        np = sourceChannels
        g = guideChannels >= 3 ? 3 : 1
        selfGuided = selfRequested && np == g
        let pairCount = g * (g + 1) / 2
        oP = g
        oII = g + (selfGuided ? 0 : np)
        oIP = oII + pairCount
        k1 = oIP + (selfGuided ? 0 : g * np)
        kab = (g + 1) * np
    }
}

/// The inverse of the symmetric 3×3 matrix `[a00 a01 a02; a01 a11 a12; a02 a12 a22]` by
/// cofactors over the determinant, as its six distinct entries (i00, i01, i02, i11, i12, i22).
@inline(__always)
func symmetricInverse3(_ a00: Float, _ a01: Float, _ a02: Float, _ a11: Float, _ a12: Float, _ a22: Float)
    -> (Float, Float, Float, Float, Float, Float) {
    let c00 = a11 * a22 - a12 * a12
    let c01 = a02 * a12 - a01 * a22
    let c02 = a01 * a12 - a02 * a11
    let c11 = a00 * a22 - a02 * a02
    let c12 = a01 * a02 - a00 * a12
    let c22 = a00 * a11 - a01 * a01
    let det = a00 * c00 + a01 * c01 + a02 * c02
    let id = 1 / det
    return (c00 * id, c01 * id, c02 * id, c11 * id, c12 * id, c22 * id)
}

/// Non-generic body of ``guidedFast(_:guide:radius:eps:)``; `output` is (base, row stride in bytes, depth).
/// 1. box means of the moments (``guidedMomentsRow(_:into:guide:source:width:layout:guideRow:sourceRow:)``)
///    → a, b per pixel (``guidedCoefficientsRow(_:into:width:layout:eps:)``);
/// 2. box means of a, b → q = ā·I + b̄ (``guidedOutputRow(_:guideRow:into:width:layout:)``).
func guidedFastCore(source: FloatRowReader, guide: FloatRowReader, selfGuided selfRequested: Bool,
                    output: (UnsafeMutableRawPointer, Int, PixelDepth),
                    width w: Int, height h: Int, radius r: Int, eps: Float) {
    let layout = GuidedLayout(sourceChannels: source.channels, guideChannels: guide.channels, selfRequested: selfRequested)
    let np = layout.np, g = layout.g, k1 = layout.k1, kab = layout.kab
    let ab = PixelMemory.allocate(Float.self, capacity: w * h * kab)
    defer { PixelMemory.deallocate(ab, capacity: w * h * kab) }
    // One stripe per thread: every stripe re-runs 2r warm-up rows of both running box sums,
    // and the rows cost the same, so more stripes buy no balance (docs/performance.md).
    let minRows = max(32, 4 * r)

    // 1. means of I, p, I·I, I·p → a, b
    let engine1 = BoxRowEngine(width: w, height: h, channels: k1, radius: r, border: .reflect)
    Parallel.forEachStripe(rows: h, minRowsPerStripe: minRows, stripesPerThread: 1) { stripe in
        let gbuf = UnsafeMutablePointer<Float>.allocate(capacity: w * g)
        let sbuf = UnsafeMutablePointer<Float>.allocate(capacity: w * np)
        defer { gbuf.deallocate(); sbuf.deallocate() }
        engine1.run(stripe: stripe, produce: { y, o in
            guidedMomentsRow(y, into: o, guide: guide, source: source, width: w, layout: layout,
                             guideRow: gbuf, sourceRow: sbuf)
        }, consume: { y, m in
            guidedCoefficientsRow(m, into: ab + y * w * kab, width: w, layout: layout, eps: eps)
        })
    }
    // 2. means of a, b → q = ā·I + b̄
    let engine2 = BoxRowEngine(width: w, height: h, channels: kab, radius: r, border: .reflect)
    let (outBase, outStride, outDepth) = output
    Parallel.forEachStripe(rows: h, minRowsPerStripe: minRows, stripesPerThread: 1) { stripe in
        let gbuf = UnsafeMutablePointer<Float>.allocate(capacity: w * g)
        let qbuf = UnsafeMutablePointer<Float>.allocate(capacity: w * np)
        defer { gbuf.deallocate(); qbuf.deallocate() }
        engine2.run(stripe: stripe, produce: { y, o in
            o.update(from: ab + y * w * kab, count: w * kab)
        }, consume: { y, m in
            guide.read(row: y, width: w, channels: g, into: gbuf)
            guidedOutputRow(m, guideRow: gbuf, into: qbuf, width: w, layout: layout)
            storeRow(qbuf, to: outBase + y * outStride, depth: outDepth, count: w * np)
        })
    }
}

/// Pass 1, produce: row y of the moments I, p, I_i·I_j, I_i·p (layout ``GuidedLayout``) into `o`.
@inline(__always)
private func guidedMomentsRow(_ y: Int, into o: UnsafeMutablePointer<Float>, guide: FloatRowReader,
                              source: FloatRowReader, width w: Int, layout: GuidedLayout,
                              guideRow gbuf: UnsafeMutablePointer<Float>, sourceRow sbuf: UnsafeMutablePointer<Float>) {
    let g = layout.g, np = layout.np, k1 = layout.k1, oP = layout.oP, oII = layout.oII, oIP = layout.oIP
    guide.read(row: y, width: w, channels: g, into: gbuf)
    if g == 1 {
        for x in 0..<w { let v = gbuf[x]; o[x * k1] = v; o[x * k1 + oII] = v * v }
    } else {
        for x in 0..<w {
            let gi = gbuf + x * 3, ox = o + x * k1
            let i0 = gi[0], i1 = gi[1], i2 = gi[2]
            ox[0] = i0; ox[1] = i1; ox[2] = i2
            ox[oII] = i0 * i0; ox[oII + 1] = i0 * i1; ox[oII + 2] = i0 * i2
            ox[oII + 3] = i1 * i1; ox[oII + 4] = i1 * i2; ox[oII + 5] = i2 * i2
        }
    }
    guard !layout.selfGuided else { return }
    source.read(row: y, width: w, channels: np, into: sbuf)
    for x in 0..<w {
        let gi = gbuf + x * g, ox = o + x * k1
        for c in 0..<np {
            let p = sbuf[x * np + c]
            ox[oP + c] = p
            for i in 0..<g { ox[oIP + c * g + i] = gi[i] * p }
        }
    }
}

/// Pass 1, consume: from the box means `m` of one row, the coefficients a = (Σ + ε)⁻¹ cov(I, p),
/// b = mean(p) − a·mean(I) of each pixel and source channel, interleaved into `abRow`.
@inline(__always)
private func guidedCoefficientsRow(_ m: UnsafePointer<Float>, into abRow: UnsafeMutablePointer<Float>,
                                   width w: Int, layout: GuidedLayout, eps: Float) {
    let g = layout.g, np = layout.np, selfGuided = layout.selfGuided
    let k1 = layout.k1, kab = layout.kab, oP = layout.oP, oII = layout.oII, oIP = layout.oIP
    if g == 1 && np == 1 {
        // Gray source and guide: the per-pixel loop below without its channel loop and
        // branches, so it vectorises.
        let stride = k1, mpOffset = selfGuided ? 0 : oP, mIpOffset = selfGuided ? oII : oIP
        for x in 0..<w {
            let mx = m + x * stride
            let mI = mx[0], mp = mx[mpOffset]
            let a = (mx[mIpOffset] - mI * mp) / (mx[oII] - mI * mI + eps)
            abRow[2 * x] = a
            abRow[2 * x + 1] = mp - a * mI
        }
        return
    }
    for x in 0..<w {
        let mx = m + x * k1, ax = abRow + x * kab
        if g == 1 {
            let mI = mx[0]
            let varI = mx[oII] - mI * mI
            for c in 0..<np {
                let mp = selfGuided ? mI : mx[oP + c]
                let mIp = selfGuided ? mx[oII] : mx[oIP + c]
                let a = (mIp - mI * mp) / (varI + eps)
                ax[c * 2] = a
                ax[c * 2 + 1] = mp - a * mI
            }
        } else {
            guidedColourCoefficients(mx, into: ax, layout: layout, eps: eps)
        }
    }
}

/// Self-guided 3-channel: the slot of the pair (c, i) among the six guide products
/// I0·I0, I0·I1, I0·I2, I1·I1, I1·I2, I2·I2.
@inline(__always)
private func guidedPairSlot(_ c: Int, _ i: Int) -> Int {
    let a = min(c, i), b = max(c, i)
    return a * (5 - a) / 2 + b
}

/// One pixel of ``guidedCoefficientsRow(_:into:width:layout:eps:)`` with a colour guide:
/// a = (Σ + εI)⁻¹ cov(I, p) with the full 3×3 covariance Σ, written as a0 a1 a2 b per channel.
@inline(__always)
private func guidedColourCoefficients(_ mx: UnsafePointer<Float>, into ax: UnsafeMutablePointer<Float>,
                                      layout: GuidedLayout, eps: Float) {
    let oP = layout.oP, oII = layout.oII, oIP = layout.oIP
    let mI0 = mx[0], mI1 = mx[1], mI2 = mx[2]
    let a00 = mx[oII] - mI0 * mI0 + eps, a01 = mx[oII + 1] - mI0 * mI1
    let a02 = mx[oII + 2] - mI0 * mI2, a11 = mx[oII + 3] - mI1 * mI1 + eps
    let a12 = mx[oII + 4] - mI1 * mI2, a22 = mx[oII + 5] - mI2 * mI2 + eps
    let (i00, i01, i02, i11, i12, i22) = symmetricInverse3(a00, a01, a02, a11, a12, a22)
    for c in 0..<layout.np {
        let mp: Float, e0: Float, e1: Float, e2: Float
        if layout.selfGuided {
            mp = mx[c]
            e0 = mx[oII + guidedPairSlot(c, 0)] - mI0 * mp
            e1 = mx[oII + guidedPairSlot(c, 1)] - mI1 * mp
            e2 = mx[oII + guidedPairSlot(c, 2)] - mI2 * mp
        } else {
            mp = mx[oP + c]
            e0 = mx[oIP + c * 3] - mI0 * mp
            e1 = mx[oIP + c * 3 + 1] - mI1 * mp
            e2 = mx[oIP + c * 3 + 2] - mI2 * mp
        }
        let v0 = i00 * e0 + i01 * e1 + i02 * e2
        let v1 = i01 * e0 + i11 * e1 + i12 * e2
        let v2 = i02 * e0 + i12 * e1 + i22 * e2
        var b = mp
        b -= v0 * mI0
        b -= v1 * mI1
        b -= v2 * mI2
        let o = ax + c * 4
        o[0] = v0; o[1] = v1; o[2] = v2; o[3] = b
    }
}

/// Pass 2, consume: q = ā·I + b̄ for one row from the box means `m` of a and b.
@inline(__always)
private func guidedOutputRow(_ m: UnsafePointer<Float>, guideRow gbuf: UnsafePointer<Float>,
                             into qbuf: UnsafeMutablePointer<Float>, width w: Int, layout: GuidedLayout) {
    let g = layout.g, np = layout.np, kab = layout.kab
    if g == 1 && np == 1 {
        for i in 0..<w { qbuf[i] = m[2 * i + 1] + m[2 * i] * gbuf[i] }
    } else if g == 1 {
        for i in 0..<(w * np) { qbuf[i] = m[2 * i + 1] + m[2 * i] * gbuf[i / np] }
    } else {
        for x in 0..<w {
            let mx = m + x * kab, gi = gbuf + x * 3
            for c in 0..<np {
                let mc = mx + c * 4
                var q = mc[3]
                q += mc[0] * gi[0]
                q += mc[1] * gi[1]
                q += mc[2] * gi[2]
                qbuf[x * np + c] = q
            }
        }
    }
}
