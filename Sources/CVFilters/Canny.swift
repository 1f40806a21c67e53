import CKernels
import CVCore
import Foundation

/// Parameters of ``canny(_:_:mask:)``.
///
/// Presets:
/// - ``opencv(low:high:aperture:l2Gradient:)``: `cv2.Canny(image, low, high, apertureSize, L2gradient)`
///   — no pre-blur, thresholds on the Sobel magnitude (`|dx| + |dy|`, or `√(dx² + dy²)`).
/// - ``scikitImage(sigma:low:high:useQuantiles:mode:)``: `skimage.feature.canny` — Gaussian
///   pre-blur, thresholds on the gradient of the [0, 1] image, optional quantile thresholds.
/// - The default ``init()`` is for photographs: OpenCV's Canny after a σ = 1.4 Gaussian, with
///   median-based automatic thresholds.
public struct CannyParameters: Sendable, Hashable {
    /// Which anchor's pipeline to run.
    public enum Preset: Sendable, Hashable {
        /// OpenCV: integer Sobel (replicate border), 8-bit fixed-point NMS with tan 22.5°
        /// sectors, thresholds on the magnitude, 8-connected hysteresis.
        case opencv
        /// scikit-image: Gaussian pre-blur with bleed-over correction, SciPy Sobel, bilinear NMS.
        case scikitImage
    }

    /// How to choose thresholds when ``low`` / ``high`` are not given (OpenCV preset).
    public enum AutoThreshold: Sendable, Hashable {
        /// `low = (1 − spread)·m`, `high = (1 + spread)·m` (clamped to 0…255), where m is the
        /// median intensity of the (pre-blurred) 8-bit image. Default spread 0.33.
        case median(spread: Double)
        /// `high = t`, `low = t / 2`, where t is Otsu's threshold of the (pre-blurred) 8-bit image.
        case otsu
    }

    /// Default: ``Preset/opencv``.
    public var preset: Preset
    /// Low hysteresis threshold; `nil` (default) picks one automatically. OpenCV preset: on the
    /// Sobel magnitude. scikit-image preset: in the image's own units (divided by 255 for
    /// UInt8, as skimage does), or a quantile in [0, 1] with ``useQuantiles``; `nil` means 0.1.
    public var low: Double?
    /// High hysteresis threshold; see ``low``. scikit-image preset: `nil` means 0.2.
    public var high: Double?
    /// Sobel aperture for the OpenCV preset: 3, 5 or 7. Default: 3.
    public var aperture: Int
    /// OpenCV preset: use `√(dx² + dy²)` instead of `|dx| + |dy|`. Default: false.
    public var l2Gradient: Bool
    /// Gaussian pre-blur σ. OpenCV preset: 0 means none (default of ``opencv(low:high:aperture:l2Gradient:)``;
    /// the photo default ``init()`` uses 1.4, filtered with ``gaussianBlur(_:_:)``).
    /// scikit-image preset: its `sigma` (default 1).
    public var sigma: Double
    /// Automatic thresholds for the OpenCV preset. Default: `.median(spread: 0.33)`.
    public var autoThreshold: AutoThreshold
    /// scikit-image preset: ``low`` and ``high`` are quantiles of the gradient magnitude. Default: false.
    public var useQuantiles: Bool
    /// scikit-image preset: border mode of the pre-blur (`mode`, default `constant` 0, with
    /// skimage's bleed-over normalisation).
    public var mode: BorderMode

    /// The photo default: OpenCV pipeline, σ = 1.4 pre-blur, aperture 3, L1 magnitude,
    /// median-based automatic thresholds.
    public init() {
        preset = .opencv
        low = nil
        high = nil
        aperture = 3
        l2Gradient = false
        sigma = 1.4
        autoThreshold = .median(spread: 0.33)
        useQuantiles = false
        mode = .constant(0)
    }

    /// `cv2.Canny(image, low, high, apertureSize=aperture, L2gradient=l2Gradient)`.
    public static func opencv(low: Double, high: Double, aperture: Int = 3, l2Gradient: Bool = false) -> CannyParameters {
        var p = CannyParameters()
        p.low = low
        p.high = high
        p.aperture = aperture
        p.l2Gradient = l2Gradient
        p.sigma = 0
        return p
    }

    /// `skimage.feature.canny(image, sigma, low, high, use_quantiles=…, mode=…)`.
    public static func scikitImage(sigma: Double = 1, low: Double? = nil, high: Double? = nil,
                                   useQuantiles: Bool = false, mode: BorderMode = .constant(0)) -> CannyParameters {
        var p = CannyParameters()
        p.preset = .scikitImage
        p.sigma = sigma
        p.low = low
        p.high = high
        p.useQuantiles = useQuantiles
        p.mode = mode
        return p
    }
}

/// Canny edge detection.
///
/// Recipe (OpenCV preset): 1. optional Gaussian pre-blur; 2. Sobel `dx`, `dy` in Int16 with a
/// replicated border (aperture 7 scaled by 1/16 as OpenCV does); 3. magnitude `|dx|+|dy|` or
/// `dx²+dy²` in Int32 (multi-channel: the channel with the largest magnitude); 4. non-maximum
/// suppression in four sectors split at tan 22.5° (`13573/2¹⁵`), strictly greater than one
/// neighbour and greater-or-equal to the other; 5. hysteresis: pixels above `high` seed
/// 8-connected growth through pixels above `low`. Thresholds are floored to integers (squared
/// first for L2), exactly as `cv2.Canny`.
///
/// scikit-image preset: 1. Gaussian (SciPy kernel, truncate 4) of the [0, 1] image, divided by
/// the blurred mask (bleed-over); 2. SciPy Sobel (reflect border); 3. L2 magnitude;
/// 4. bilinear NMS inside the eroded mask; 5. 8-connected hysteresis (`>= high` seeds).
///
/// - Parameters:
///   - image: UInt8, UInt16 or Float image. OpenCV preset: 1–4 channels; non-UInt8 images are
///     first converted to UInt8 (``Image/converted(to:)``). scikit-image preset: 1 channel.
///   - parameters: see ``CannyParameters``; the default is the photo preset.
///   - mask: scikit-image preset only: nonzero where pixels count (same size as `image`).
/// - Returns: a 1-channel UInt8 image, 255 on edges and 0 elsewhere.
/// - Throws: `CVError.invalidParameter` for `low > high`, negative thresholds, quantiles
///   outside [0, 1], apertures other than 3/5/7, a multi-channel image with the
///   scikit-image preset, or a mask of the wrong size.
/// - Complexity: O(width·height) plus the pre-blur; gradients and NMS run in parallel stripes,
///   hysteresis is a serial stack walk over edge pixels.
///
/// Conventions: y points down; gradient direction is that of increasing intensity.
/// Reference: J. Canny, "A Computational Approach to Edge Detection", IEEE TPAMI 8(6), 1986,
/// doi:10.1109/TPAMI.1986.4767851.
public func canny<P: PixelScalar>(_ image: Image<P>, _ parameters: CannyParameters = CannyParameters(),
                                  mask: Image<UInt8>? = nil) throws -> Image<UInt8> {
    guard parameters.sigma.isFinite, parameters.sigma >= 0 else {
        throw CVError.invalidParameter(name: "sigma", reason: "must be finite and >= 0, got \(parameters.sigma)")
    }
    for (name, v) in [("low", parameters.low), ("high", parameters.high)] {
        if let v, !(v.isFinite && v >= 0) {
            throw CVError.invalidParameter(name: name, reason: "threshold must be finite and >= 0, got \(v)")
        }
    }
    if let l = parameters.low, let h = parameters.high, l > h {
        throw CVError.invalidParameter(name: "low", reason: "low threshold \(l) is above high threshold \(h); swap them")
    }
    switch parameters.preset {
    case .opencv:
        if mask != nil {
            throw CVError.invalidParameter(name: "mask", reason: "masks are supported by the scikit-image preset only")
        }
        guard [3, 5, 7].contains(parameters.aperture) else {
            throw CVError.invalidParameter(name: "aperture", reason: "must be 3, 5 or 7, got \(parameters.aperture)")
        }
        var u8 = image.converted(to: UInt8.self)
        if parameters.sigma > 0 {
            u8 = try u8.gaussianBlurred(.opencv(sigma: parameters.sigma))
        }
        var low = parameters.low, high = parameters.high
        if low == nil || high == nil {
            let (l, h) = automaticThresholds(u8, parameters.autoThreshold)
            if low == nil { low = min(l, high ?? l) }
            if high == nil { high = max(h, low!) }
        }
        return cannyOpenCV(u8, low: low!, high: high!, aperture: parameters.aperture, l2: parameters.l2Gradient)
    case .scikitImage:
        return try cannyScikitImage(image, parameters, mask: mask)
    }
}

// MARK: - Automatic thresholds

/// Thresholds from the intensity distribution of an 8-bit image (all channels).
func automaticThresholds(_ image: Image<UInt8>, _ rule: CannyParameters.AutoThreshold) -> (Double, Double) {
    var hist = [Int](repeating: 0, count: 256)
    image.withUnsafePixels { p, s in
        for y in 0..<image.height {
            let r = p + y * s
            for i in 0..<image.rowLength { hist[Int(r[i])] += 1 }
        }
    }
    let total = hist.reduce(0, +)
    guard total > 0 else { return (0, 0) }
    switch rule {
    case .median(let spread):
        // numpy-style median of the samples.
        func kth(_ k: Int) -> Int {
            var acc = 0
            for v in 0..<256 { acc += hist[v]; if acc > k { return v } }
            return 255
        }
        let m = total % 2 == 1 ? Double(kth(total / 2)) : Double(kth(total / 2 - 1) + kth(total / 2)) / 2
        return (max(0, (1 - spread) * m), min(255, (1 + spread) * m))
    case .otsu:
        let t = Double(otsuThreshold(hist))
        return (t / 2, t)
    }
}

/// Otsu's threshold of a 256-bin histogram (as `cv2.threshold(..., THRESH_OTSU)`).
func otsuThreshold(_ hist: [Int]) -> Int {
    let total = Double(hist.reduce(0, +))
    var mu = 0.0
    for i in 0..<256 { mu += Double(i) * Double(hist[i]) }
    mu /= total
    var q1 = 0.0, mu1 = 0.0, best = 0.0, bestT = 0
    for i in 0..<256 {
        let p = Double(hist[i]) / total
        let q2 = q1 + p
        if q2 < 1e-12 || q2 > 1 - 1e-12 { q1 = q2; mu1 = mu1 + Double(i) * p; continue }
        let m1 = (q1 * mu1 + Double(i) * p) / q2
        let m2 = (mu - q2 * m1) / (1 - q2)
        let sigma = q2 * (1 - q2) * (m1 - m2) * (m1 - m2)
        if sigma > best { best = sigma; bestT = i }
        q1 = q2
        mu1 = m1
    }
    return bestT
}

// MARK: - OpenCV pipeline

/// OpenCV's integer thresholds: /16 for aperture 7, clamp-and-square for L2, then floor.
func opencvIntegerThresholds(low: Double, high: Double, aperture: Int, l2: Bool) -> (Int32, Int32) {
    var lo = low, hi = high
    if aperture == 7 { lo /= 16; hi /= 16 }
    if l2 {
        lo = min(32767, lo); hi = min(32767, hi)
        if lo > 0 { lo *= lo }
        if hi > 0 { hi *= hi }
    }
    let clampInt = { (v: Double) -> Int32 in Int32(max(-2_147_483_648, min(2_147_483_647, v.rounded(.down)))) }
    return (clampInt(lo), clampInt(hi))
}

/// The Int16 Sobel derivatives Canny uses (replicate border; aperture 7 rounded /16).
func cannyDerivatives(_ image: Image<UInt8>, aperture: Int) -> (Int16Image, Int16Image) {
    let w = image.width, h = image.height, cn = image.channels
    let kSmooth = DerivativeParameters.sobelKernel(size: aperture, order: 0)
    let kDiff = DerivativeParameters.sobelKernel(size: aperture, order: 1)
    var dx = [Int16](repeating: 0, count: w * h * cn), dy = dx
    image.withUnsafePixels { src, ss in
        for (kx, ky, isX) in [(kDiff, kSmooth, true), (kSmooth, kDiff, false)] {
            func run(_ out: UnsafeMutablePointer<Int16>) {
                if aperture == 7 {
                    integerDerivative(src, ss, out, w * cn, width: w, height: h, channels: cn, kx: kx, ky: ky,
                                      border: .replicate) { v in
                        Int16(clamping: roundHalfEvenDiv16(v))
                    }
                } else {
                    integerDerivative(src, ss, out, w * cn, width: w, height: h, channels: cn, kx: kx, ky: ky,
                                      border: .replicate) { v in Int16(clamping: v) }
                }
            }
            if isX { dx.withUnsafeMutableBufferPointer { run($0.baseAddress!) } } else { dy.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
        }
    }
    return (Int16Image(width: w, height: h, channels: cn, samples: dx), Int16Image(width: w, height: h, channels: cn, samples: dy))
}

/// `v / 16` rounded to nearest, ties to even (what OpenCV's float path does for scale 1/16).
@inline(__always)
func roundHalfEvenDiv16(_ v: Int32) -> Int32 {
    let q = v >> 4            // floor
    let r = v & 15
    if r > 8 { return q + 1 }
    if r < 8 { return q }
    return q + (q & 1)
}

/// cv2.Canny on an 8-bit image (any channel count); returns 0/255.
func cannyOpenCV(_ image: Image<UInt8>, low: Double, high: Double, aperture: Int, l2: Bool) -> Image<UInt8> {
    let w = image.width, h = image.height, cn = image.channels
    if aperture == 3 && cn == 1 && w > 0 && h > 0 {
        return cannyOpenCV3x3Gray(image, low: low, high: high, l2: l2)
    }
    var out = Image<UInt8>(width: w, height: h, channels: 1)
    guard w > 0, h > 0 else { return out }
    // 1-2. gradients
    let (dxImage, dyImage) = cannyDerivatives(image, aperture: aperture)
    let (lowI, highI) = opencvIntegerThresholds(low: low, high: high, aperture: aperture, l2: l2)
    // Map: (h+2) × (w+2); 0 = candidate, 1 = not an edge, 2 = edge. Frame of 1s.
    let mapStep = w + 2
    let map = PixelMemory.allocate(UInt8.self, capacity: mapStep * (h + 2))
    defer { PixelMemory.deallocate(map, capacity: mapStep * (h + 2)) }
    map.update(repeating: 1, count: mapStep * (h + 2))
    var seeds: [[Int]] = []
    let seedLock = NSLock()
    // 3-4. magnitude + NMS per stripe
    dxImage.samples.withUnsafeBufferPointer { dxb in
        dyImage.samples.withUnsafeBufferPointer { dyb in
            let dxp = dxb.baseAddress!, dyp = dyb.baseAddress!
            Parallel.forEachStripe(rows: h, minRowsPerStripe: 16) { range in
                var local: [Int] = []
                cannyNMSStripe(dxp, dyp, width: w, height: h, channels: cn, rows: range,
                               low: lowI, high: highI, l2: l2, map: map, mapStep: mapStep, seeds: &local)
                seedLock.lock()
                seeds.append(local)
                seedLock.unlock()
            }
        }
    }
    // 5. hysteresis
    var stack: [Int] = seeds.flatMap { $0 }
    stack.reserveCapacity(max(stack.count * 4, 1024))
    while let m = stack.popLast() {
        for d in [-mapStep - 1, -mapStep, -mapStep + 1, -1, 1, mapStep - 1, mapStep, mapStep + 1] where map[m + d] == 0 {
            map[m + d] = 2
            stack.append(m + d)
        }
    }
    // 6. output
    out.withUnsafeMutablePixels { o, os in
        for y in 0..<h {
            let mr = map + (y + 1) * mapStep + 1
            let orow = o + y * os
            for x in 0..<w { orow[x] = mr[x] == 2 ? 255 : 0 }
        }
    }
    return out
}

/// The fast path of ``cannyOpenCV(_:low:high:aperture:l2:)`` for 1-channel images and
/// aperture 3 (same results). Per stripe of rows, in parallel: 1. Sobel dx, dy and the
/// magnitude of each row in one fused pass (`ck_sobel3_vert` + `ck_sobel3_horz_mag`, replicate
/// border) into a ring of three rows; 2. NMS of the middle row into the map (`ck_canny_nms_row`)
/// and its strong pixels onto the stripe's seed list. Then 3. serial hysteresis
/// (`ck_canny_hysteresis`) and 4. the 0/255 output, in parallel stripes.
func cannyOpenCV3x3Gray(_ image: Image<UInt8>, low: Double, high: Double, l2: Bool) -> Image<UInt8> {
    let w = image.width, h = image.height
    var out = Image<UInt8>.uninitialized(width: w, height: h, channels: 1)
    let (lowI, highI) = opencvIntegerThresholds(low: low, high: high, aperture: 3, l2: l2)
    let mapStep = w + 2
    let map = PixelMemory.allocate(UInt8.self, capacity: mapStep * (h + 2))
    defer { PixelMemory.deallocate(map, capacity: mapStep * (h + 2)) }
    map.update(repeating: 1, count: mapStep)
    (map + (h + 1) * mapStep).update(repeating: 1, count: mapStep)
    var seedLists: [[Int64]] = []
    let seedLock = NSLock()
    image.withUnsafePixels { src, ss in
        Parallel.forEachStripe(rows: h, minRowsPerStripe: 32) { stripe in
            let smooth = UnsafeMutablePointer<Int16>.allocate(capacity: 2 * (w + 2))
            let diff = smooth + (w + 2)
            let grads = UnsafeMutablePointer<Int16>.allocate(capacity: 3 * 2 * w)
            let mags = UnsafeMutablePointer<Int32>.allocate(capacity: 3 * (w + 2))
            let found = UnsafeMutablePointer<Int64>.allocate(capacity: w)
            defer { smooth.deallocate(); grads.deallocate(); mags.deallocate(); found.deallocate() }
            mags.update(repeating: 0, count: 3 * (w + 2))
            var seeds: [Int64] = []
            func slot(_ y: Int) -> Int { (y + 3) % 3 }
            func gradientRow(_ y: Int) {
                let mag = mags + slot(y) * (w + 2) + 1
                guard y >= 0 && y < h else { mag.update(repeating: 0, count: w); return }
                let r0 = src + max(y - 1, 0) * ss, r1 = src + y * ss, r2 = src + min(y + 1, h - 1) * ss
                ck_sobel3_vert(r0, r1, r2, smooth + 1, diff + 1, w)
                smooth[0] = smooth[1]; smooth[w + 1] = smooth[w]
                diff[0] = diff[1]; diff[w + 1] = diff[w]
                let gx = grads + slot(y) * 2 * w
                ck_sobel3_horz_mag(smooth, diff, gx, gx + w, mag, w, l2 ? 1 : 0)
            }
            gradientRow(stripe.lowerBound - 1)
            gradientRow(stripe.lowerBound)
            for y in stripe {
                gradientRow(y + 1)
                let gx = grads + slot(y) * 2 * w
                let mrow = map + (y + 1) * mapStep
                mrow[0] = 1; mrow[w + 1] = 1
                ck_canny_nms_row(mags + slot(y - 1) * (w + 2) + 1, mags + slot(y) * (w + 2) + 1,
                                 mags + slot(y + 1) * (w + 2) + 1, gx, gx + w, mrow + 1, w, lowI, highI)
                let k = ck_find_u8(mrow + 1, w, 2, Int64((y + 1) * mapStep + 1), found)
                if k > 0 { seeds.append(contentsOf: UnsafeBufferPointer(start: found, count: k)) }
            }
            seedLock.lock()
            seedLists.append(seeds)
            seedLock.unlock()
        }
    }
    // 3–4. hysteresis and output
    cannyHysteresis(map: map, mapStep: mapStep, seedLists: seedLists, into: &out)
    return out
}

/// Hysteresis and output shared by the Canny pipelines: grows edges from the seed offsets
/// through the 0 entries of `map` (`ck_canny_hysteresis`: a frame of non-zero entries around
/// `out`'s size, row step `mapStep`), then writes 255 where the map says edge, else 0.
func cannyHysteresis(map: UnsafeMutablePointer<UInt8>, mapStep: Int, seedLists: [[Int64]], into out: inout Image<UInt8>) {
    let w = out.width, h = out.height
    let total = seedLists.reduce(0) { $0 + $1.count }
    let capacity = max(4096, 2 * total)
    let stack = UnsafeMutablePointer<Int64>.allocate(capacity: capacity)
    defer { stack.deallocate() }
    var filled = 0
    for list in seedLists where !list.isEmpty {
        list.withUnsafeBufferPointer { (stack + filled).update(from: $0.baseAddress!, count: $0.count) }
        filled += list.count
    }
    var grown: UnsafeMutablePointer<Int64>? = nil
    let marked = ck_canny_hysteresis(map, mapStep, stack, filled, capacity, &grown)
    if let grown { free(grown) }
    precondition(marked >= 0, "Canny hysteresis: out of memory")
    out.withUnsafeMutablePixels { o, os in
        Parallel.forEachStripe(rows: h, minRowsPerStripe: 64) { stripe in
            for y in stripe { ck_canny_output_row(map + (y + 1) * mapStep + 1, o + y * os, w) }
        }
    }
}

/// Magnitude and non-maximum suppression for output rows `rows`, writing map rows
/// `rows + 1`; strong pixels (map 2) are appended to `seeds` as map offsets.
func cannyNMSStripe(_ dx: UnsafePointer<Int16>, _ dy: UnsafePointer<Int16>, width w: Int, height h: Int, channels cn: Int,
                    rows: Range<Int>, low: Int32, high: Int32, l2: Bool,
                    map: UnsafeMutablePointer<UInt8>, mapStep: Int, seeds: inout [Int]) {
    // Three magnitude rows with a zero column on each side, and the chosen dx/dy per pixel.
    let magBuf = UnsafeMutablePointer<Int32>.allocate(capacity: 3 * (w + 2))
    let selBuf = UnsafeMutablePointer<Int16>.allocate(capacity: 3 * 2 * w)
    defer { magBuf.deallocate(); selBuf.deallocate() }
    magBuf.update(repeating: 0, count: 3 * (w + 2))
    func slot(_ y: Int) -> Int { ((y % 3) + 3) % 3 }
    func fillRow(_ y: Int) {
        let mag = magBuf + slot(y) * (w + 2) + 1
        let sx = selBuf + slot(y) * 2 * w, sy = sx + w
        guard y >= 0 && y < h else {
            for x in 0..<w { mag[x] = 0 }
            return
        }
        let rx = dx + y * w * cn, ry = dy + y * w * cn
        if cn == 1 {
            if l2 {
                for x in 0..<w { let a = Int32(rx[x]), b = Int32(ry[x]); mag[x] = a &* a &+ b &* b }
            } else {
                for x in 0..<w { mag[x] = abs(Int32(rx[x])) &+ abs(Int32(ry[x])) }
            }
            sx.update(from: rx, count: w)
            sy.update(from: ry, count: w)
        } else {
            for x in 0..<w {
                var best: Int32 = -1, bi = 0
                for c in 0..<cn {
                    let a = Int32(rx[x * cn + c]), b = Int32(ry[x * cn + c])
                    let m = l2 ? a &* a &+ b &* b : abs(a) &+ abs(b)
                    if m > best { best = m; bi = c }
                }
                mag[x] = best
                sx[x] = rx[x * cn + bi]
                sy[x] = ry[x * cn + bi]
            }
        }
    }
    let tg22: Int32 = 13573
    fillRow(rows.lowerBound - 1)
    fillRow(rows.lowerBound)
    for y in rows {
        fillRow(y + 1)
        let mp = magBuf + slot(y - 1) * (w + 2) + 1
        let ma = magBuf + slot(y) * (w + 2) + 1
        let mn = magBuf + slot(y + 1) * (w + 2) + 1
        let sx = selBuf + slot(y) * 2 * w, sy = sx + w
        let pmap = map + (y + 1) * mapStep + 1
        for x in 0..<w {
            let m = ma[x]
            var isMax = false
            if m > low {
                let xs = Int32(sx[x]), ys = Int32(sy[x])
                let ax = abs(xs)
                let ay = abs(ys) << 15
                let tg22x = ax &* tg22
                if ay < tg22x {
                    isMax = m > ma[x - 1] && m >= ma[x + 1]
                } else {
                    let tg67x = tg22x &+ (ax << 16)
                    if ay > tg67x {
                        isMax = m > mp[x] && m >= mn[x]
                    } else {
                        let s = (xs ^ ys) < 0 ? -1 : 1
                        isMax = m > mp[x - s] && m > mn[x + s]
                    }
                }
            }
            if isMax {
                if m > high {
                    pmap[x] = 2
                    seeds.append((y + 1) * mapStep + 1 + x)
                } else {
                    pmap[x] = 0
                }
            } else {
                pmap[x] = 1
            }
        }
    }
}
