import CKernels
import CVCore
import Foundation

// The scikit-image Canny convention (`skimage.feature.canny`), fast path: Float planes
// through the vectorised separable kernels, then bilinear NMS and hysteresis in C.
// `cannyScikitImageReference` in CVTestSupport states the same pipeline in Double.

package func validateScikitCannyInput<P: PixelScalar>(_ image: Image<P>, mask: Image<UInt8>?) throws {
    guard image.channels == 1 else {
        throw CVError.invalidParameter(name: "image", reason: "the scikit-image Canny preset takes a 1-channel image, got \(image.channels) channels")
    }
    if let mask, mask.width != image.width || mask.height != image.height {
        throw CVError.invalidParameter(name: "mask", reason: "mask is \(mask.width)x\(mask.height), image is \(image.width)x\(image.height)")
    }
}

/// Thresholds as skimage resolves them: defaults 0.1/0.2; given values are divided by the
/// dtype's maximum, or taken as quantiles in [0, 1] (resolved later against the magnitudes).
package func scikitCannyThresholds<P: PixelScalar>(_ p: ScikitImageCanny, _: P.Type) throws -> (low: Double, high: Double) {
    let dtypeMax = Double(P.unitScale)
    let low: Double, high: Double
    if p.useQuantiles {
        low = p.low ?? 0.1
        high = p.high ?? 0.2
        guard (0...1).contains(low), (0...1).contains(high) else {
            throw CVError.invalidParameter(name: "low/high", reason: "quantile thresholds must be in [0, 1], got \(low), \(high)")
        }
    } else {
        low = p.low.map { $0 / dtypeMax } ?? 0.1
        high = p.high.map { $0 / dtypeMax } ?? 0.2
    }
    if high < low {
        throw CVError.invalidParameter(name: "low", reason: "low threshold \(low) is above high threshold \(high)")
    }
    return (low, high)
}

/// `skimage.feature.canny` in Float arithmetic (skimage computes in float64; the fixtures agree
/// on 100% of pixels, and the Double reference in CVTestSupport on ≥ 99.9% of random images):
/// 1. the [0, 1] image, zeroed outside the mask; 2. Gaussian (SciPy taps, truncate 4, border
/// `mode`), divided by the blurred mask when the border is constant or a mask is given (for
/// an all-ones mask that blur is `cval + (1 − cval)·bx·by` from two 1-D sums); 3. SciPy Sobel
/// (reflect) and `√(i² + j²)`, computed row by row into a ring of three rows; 4. bilinear NMS
/// inside the eroded mask (`ck_skcanny_nms_row`); 5. 8-connected hysteresis from pixels ≥ high
/// (`ck_canny_hysteresis`). Steps 3–4 run in parallel stripes.
func cannyScikitImage<P: PixelScalar>(_ image: Image<P>, _ p: ScikitImageCanny, mask: Image<UInt8>?) throws -> Image<UInt8> {
    try validateScikitCannyInput(image, mask: mask)
    var (low, high) = try scikitCannyThresholds(p, P.self)
    let w = image.width, h = image.height
    guard w > 0, h > 0 else { return Image<UInt8>(width: w, height: h, channels: 1) }
    let smoothing = ScikitSmoothing(p, pixel: P.self, width: w, height: h, masked: mask != nil)
    // 1–2. The smoothed plane, unless the stripes smooth their own bands (`banded`).
    let smoothed = smoothing.banded ? nil : smoothing.plane(image, mask: mask)
    if p.useQuantiles, let smoothed {
        (low, high) = quantileThresholds(smoothed, low: low, high: high)
    }
    // 3–4. Gradients and NMS into a map whose outer ring of image pixels stays 1 (the eroded
    // mask excludes them).
    let map = CannyEdgeMap(width: w, height: h, fillInterior: true)
    let allowed = mask.map { erodedMask($0) }
    defer { allowed?.deallocate() }
    let nms = ScikitSuppression(map: map, allowed: allowed.map { UnsafePointer($0) },
                                thresholds: scikitFloatThresholds(low: low, high: high))
    if w >= 3 && h >= 3 {
        if let smoothed {
            smoothed.withUnsafePixels { sp, ss in
                precondition(ss == w)
                nms.run { { _ in sp } }
            }
        } else {
            smoothing.withBands(image) { makeSource in nms.run(makeSource: makeSource) }
        }
    }
    // 5. hysteresis and output.
    return map.edges()
}

/// skimage passes the low threshold as a C float (0 becomes 1e-14); the high threshold is
/// compared in float64, i.e. against the smallest Float not below it.
private func scikitFloatThresholds(low: Double, high: Double) -> (low: Float, high: Float) {
    var lowF = Float(low)
    if lowF == 0 { lowF = Float(1e-14) }
    var highF = Float(high)
    if Double(highF) < high { highF = highF.nextUp }
    return (lowF, highF)
}

/// The `low`, `high` quantiles of the gradient magnitude of `smoothed` (numpy's linear
/// percentile), the magnitudes computed as step 3 computes them.
private func quantileThresholds(_ smoothed: Image<Float>, low: Double, high: Double) -> (Double, Double) {
    let w = smoothed.width, h = smoothed.height
    var magnitude = [Float](repeating: 0, count: w * h)
    smoothed.withUnsafePixels { sp, ss in
        magnitude.withUnsafeMutableBufferPointer { mb in
            let m = mb.baseAddress!
            Parallel.forEachStripe(rows: h, minRowsPerStripe: 32) { stripe in
                let rows = SobelRows(width: w)
                defer { rows.deallocate() }
                for y in stripe {
                    rows.compute(y, smoothed: sp, stride: ss, height: h)
                    (m + y * w).update(from: rows.magnitude(y), count: w)
                }
            }
        }
    }
    let sorted = magnitude.map { Double($0) }.sorted()
    func percentile(_ q: Double) -> Double {
        let pos = q * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - Double(lo))
    }
    return (percentile(low), percentile(high))
}

/// Steps 1–2: how the image is smoothed. Without a mask (and without a non-zero constant
/// border, which is given in [0, 1] units) the 1/max scaling is folded into the row taps and
/// the samples are read as they are; without quantiles as well, each stripe smooths its rows
/// in bands of about 64 into a buffer that stays in L2, just before the gradients read them
/// (`banded`), instead of writing the whole smoothed plane to memory and reading it back.
private struct ScikitSmoothing {
    let p: ScikitImageCanny
    let width: Int, height: Int
    let taps: [Float]
    /// `1 / P.unitScale`.
    let scale: Float
    let nonzeroConstant: Bool
    let banded: Bool
    let bleedOver: BleedOver?
    let epsilon: Double

    init<P: PixelScalar>(_ p: ScikitImageCanny, pixel: P.Type, width w: Int, height h: Int, masked: Bool) {
        self.p = p
        width = w; height = h
        taps = GaussianKernel.scipyTaps(sigma: p.sigma, truncate: 4).map { Float($0) }
        scale = 1 / P.unitScale
        var nonzero = false, cval: Float? = nil
        if case .constant(let v) = p.mode { nonzero = v != 0; cval = v }
        nonzeroConstant = nonzero
        epsilon = scikitFloatEpsilon(P.self)
        bleedOver = cval.map { BleedOver(width: w, height: h, sigma: p.sigma, cval: $0, epsilon: scikitFloatEpsilon(P.self)) }
        banded = !masked && !nonzero && !p.useQuantiles
    }

    /// The whole smoothed plane, divided by the blurred mask (bleed-over).
    func plane<P: PixelScalar>(_ image: Image<P>, mask: Image<UInt8>?) -> Image<Float> {
        let w = width, h = height
        var smoothed: Image<Float>
        if mask == nil && !nonzeroConstant {
            smoothed = convolved(image, kx: taps.map { $0 * scale }, ky: taps, border: p.mode)
        } else {
            var plane = image.converted(to: Float.self)
            if let mask {
                mask.withUnsafePixels { m, ms in
                    plane.withUnsafeMutablePixels { f, fs in
                        for y in 0..<h { for x in 0..<w where m[y * ms + x] == 0 { f[y * fs + x] = 0 } }
                    }
                }
            }
            smoothed = convolved(plane, kx: taps, ky: taps, border: p.mode)
        }
        if let mask {
            var maskPlane = Image<Float>(width: w, height: h, channels: 1)
            mask.withUnsafePixels { m, ms in
                maskPlane.withUnsafeMutablePixels { f, fs in
                    for y in 0..<h { for x in 0..<w { f[y * fs + x] = m[y * ms + x] == 0 ? 0 : 1 } }
                }
            }
            let bleed = convolved(maskPlane, kx: taps, ky: taps, border: p.mode)
            divide(&smoothed, by: bleed, plus: Float(epsilon))
        } else if let bleedOver {
            smoothed.withUnsafeMutablePixels { f, fs in
                Parallel.forEachStripe(rows: h, minRowsPerStripe: 64) { stripe in
                    for y in stripe { bleedOver.apply(row: f + y * fs, y: y) }
                }
            }
        }
        return smoothed
    }

    /// The banded path: calls `body` with a maker of per-stripe sources of smoothed rows.
    func withBands<P: PixelScalar>(_ image: Image<P>, _ body: (() -> (ClosedRange<Int>) -> UnsafePointer<Float>) -> Void) {
        let w = width, h = height, bleedOver = bleedOver
        image.withUnsafePixels { src, ss in
            withSeparableFloatRows(src, ss, Float.self, w, width: w, height: h, channels: 1,
                                   kx: taps.map { $0 * scale }, ky: taps, border: p.mode) { smoothRows in
                withoutActuallyEscaping(smoothRows) { smoothRows in
                    body { SmoothedBands(width: w, height: h, bandRows: 64, smooth: smoothRows, bleedOver: bleedOver).rows }
                }
            }
        }
    }
}

/// Steps 3–4 in parallel stripes: SciPy Sobel rows into a ring of three, bilinear NMS of the
/// middle row (`ck_skcanny_nms_row`) into `map`, strong pixels handed to the map as seeds.
private struct ScikitSuppression {
    let map: CannyEdgeMap
    let allowed: UnsafePointer<UInt8>?
    let thresholds: (low: Float, high: Float)

    /// `makeSource()` gives each stripe its own source of smoothed rows: a function that
    /// returns the address of row 0, valid for the rows asked for.
    func run(makeSource: () -> (ClosedRange<Int>) -> UnsafePointer<Float>) {
        let w = map.width, h = map.height
        Parallel.forEachStripe(rows: h - 2, minRowsPerStripe: 32) { stripe in
            let smoothedRows = makeSource()
            let rows = SobelRows(width: w)
            defer { rows.deallocate() }
            var seeds = CannySeeds()
            func gradient(_ y: Int) {
                rows.compute(y, smoothed: smoothedRows(max(y - 1, 0)...min(y + 1, h - 1)), stride: w, height: h)
            }
            gradient(stripe.lowerBound)
            gradient(stripe.lowerBound + 1)
            for r in stripe {
                let y = r + 1
                gradient(y + 1)
                let allowedRow = allowed.map { $0 + y * w + 1 }
                seeds.append(upTo: w) { found in
                    ck_skcanny_nms_row(rows.magnitude(y - 1) + 1, rows.magnitude(y) + 1, rows.magnitude(y + 1) + 1,
                                       rows.vertical(y) + 1, rows.horizontal(y) + 1, allowedRow, map.row(y) + 1, w - 2,
                                       thresholds.low, thresholds.high, map.offset(y) + 1, found)
                }
            }
            map.addSeeds(seeds)
        }
    }
}

/// skimage's division by the blurred all-ones mask plus eps when the border is constant and no
/// mask is given, computed in its float type (float64 for integer images):
/// cval + (1 − cval)·by[y]·bx[x] from the Double taps. Away from the edges that is 1 + 2⁻⁵² for
/// integer images, 1 in Float, so only the edge rows and columns change.
private struct BleedOver {
    let radius: Int
    let bx: [Double], by: [Double]
    let cval: Double, epsilon: Double

    init(width w: Int, height h: Int, sigma: Double, cval: Float, epsilon: Double) {
        let taps = GaussianKernel.scipyTaps(sigma: sigma, truncate: 4)
        radius = taps.count / 2
        bx = insideWeights(count: w, taps: taps)
        by = insideWeights(count: h, taps: taps)
        self.cval = Double(cval)
        self.epsilon = epsilon
    }

    func divisor(_ x: Int, _ y: Int) -> Float { Float(cval + (1 - cval) * by[y] * bx[x] + epsilon) }

    /// Whether rows and columns at least `radius` from the edges are left as they are.
    var skipsInterior: Bool { bx.count > 2 * radius && by.count > 2 * radius && divisor(radius, radius) == 1 }

    /// Divides row `y` of the smoothed image in place.
    func apply(row: UnsafeMutablePointer<Float>, y: Int) {
        let r = radius, w = bx.count
        if y >= r && y < by.count - r && skipsInterior {
            for x in 0..<r { row[x] /= divisor(x, y) }
            for x in (w - r)..<w { row[x] /= divisor(x, y) }
        } else {
            for x in 0..<w { row[x] /= divisor(x, y) }
        }
    }
}

/// Smoothed rows made on demand, one band at a time, in a buffer owned by one stripe: a request
/// for rows outside the current band smooths the band that starts at the first row requested.
/// Requests must come in increasing order and span at most `bandRows` rows.
private final class SmoothedBands {
    let width: Int, height: Int, bandRows: Int
    let smooth: (Range<Int>, UnsafeMutableRawPointer) -> Void
    let bleedOver: BleedOver?
    private var buffer: UnsafeMutablePointer<Float>?
    private var band = 0..<0

    init(width: Int, height: Int, bandRows: Int, smooth: @escaping (Range<Int>, UnsafeMutableRawPointer) -> Void,
         bleedOver: BleedOver?) {
        self.width = width; self.height = height; self.bandRows = bandRows
        self.smooth = smooth; self.bleedOver = bleedOver
    }

    deinit { if let buffer { PixelMemory.deallocate(buffer, capacity: bandRows * width) } }

    /// The address of (virtual) row 0: rows in `needed` are valid.
    func rows(_ needed: ClosedRange<Int>) -> UnsafePointer<Float> {
        if buffer == nil { buffer = PixelMemory.allocate(Float.self, capacity: bandRows * width) }
        let buffer = buffer!
        if !band.contains(needed.lowerBound) || !band.contains(needed.upperBound) {
            band = needed.lowerBound..<min(needed.lowerBound + bandRows, height)
            let base = buffer - band.lowerBound * width
            smooth(band, UnsafeMutableRawPointer(base))
            if let bleedOver { for y in band { bleedOver.apply(row: base + y * width, y: y) } }
        }
        return UnsafePointer(buffer - band.lowerBound * width)
    }
}

/// A ring of three rows of SciPy Sobel responses (d/dy, d/dx) and magnitudes, indexed by
/// image row modulo 3.
private struct SobelRows {
    let width: Int
    let storage: UnsafeMutablePointer<Float>

    init(width: Int) {
        self.width = width
        storage = .allocate(capacity: 9 * width + 2 * (width + 2))
    }

    func deallocate() { storage.deallocate() }

    func vertical(_ y: Int) -> UnsafeMutablePointer<Float> { storage + (y % 3) * 3 * width }
    func horizontal(_ y: Int) -> UnsafeMutablePointer<Float> { vertical(y) + width }
    func magnitude(_ y: Int) -> UnsafeMutablePointer<Float> { vertical(y) + 2 * width }

    /// Row y of the gradients of `smoothed` (reflect border: rows −1 and h read rows 0 and h − 1).
    func compute(_ y: Int, smoothed s: UnsafePointer<Float>, stride: Int, height h: Int) {
        let r0 = s + max(y - 1, 0) * stride, r1 = s + y * stride, r2 = s + min(y + 1, h - 1) * stride
        ck_sobel3_f32_row(r0, r1, r2, vertical(y), horizontal(y), magnitude(y), width, storage + 9 * width)
    }
}

/// A 1-channel image convolved with separable taps into a Float plane (`separableFloat`,
/// parallel stripes).
private func convolved<P: PixelScalar>(_ image: Image<P>, kx: [Float], ky: [Float], border: BorderMode) -> Image<Float> {
    var out = Image<Float>.uninitialized(width: image.width, height: image.height, channels: 1)
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            separableFloat(src, ss, dst, ds, width: image.width, height: image.height, channels: 1,
                           kx: kx, ky: ky, border: border)
        }
    }
    return out
}

private func divide(_ a: inout Image<Float>, by b: Image<Float>, plus eps: Float) {
    let w = a.width, h = a.height
    b.withUnsafePixels { q, qs in
        a.withUnsafeMutablePixels { f, fs in
            for y in 0..<h { for x in 0..<w { f[y * fs + x] /= q[y * qs + x] + eps } }
        }
    }
}

/// The machine epsilon of the float type skimage computes in: float32 for Float images,
/// float64 for integer ones (`_supported_float_type`).
private func scikitFloatEpsilon<P: PixelScalar>(_: P.Type) -> Double {
    P.depth == .float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
}

/// Σ of the taps that fall inside `0..<count` around each index (the blur of a row of ones
/// under a zero border), in Double as skimage's float64 blur of its mask.
private func insideWeights(count: Int, taps: [Double]) -> [Double] {
    let r = taps.count / 2
    return (0..<count).map { i in
        var s = 0.0
        for t in 0..<taps.count where (0..<count).contains(i + t - r) { s += taps[t] }
        return s
    }
}

/// skimage's eroded mask: 1 where the 3×3 neighbourhood lies inside the image and inside the
/// mask, else 0 (caller deallocates; width·height bytes).
private func erodedMask(_ mask: Image<UInt8>) -> UnsafeMutablePointer<UInt8> {
    let w = mask.width, h = mask.height
    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: w * h)
    out.update(repeating: 0, count: w * h)
    mask.withUnsafePixels { s, st in
        for y in 1..<max(1, h - 1) {
            for x in 1..<max(1, w - 1) {
                var all = true
                for yy in (y - 1)...(y + 1) { for xx in (x - 1)...(x + 1) where s[yy * st + xx] == 0 { all = false } }
                out[y * w + x] = all ? 1 : 0
            }
        }
    }
    return out
}
