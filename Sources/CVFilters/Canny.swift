import CKernels
import CVCore
import Foundation

extension Image {
    /// The Canny edge map of this image, as `cv2.Canny` or `skimage.feature.canny` computes it.
    ///
    /// Recipe (OpenCV convention): 1. optional Gaussian pre-blur; 2. Sobel `dx`, `dy` in Int16
    /// with a replicated border (aperture 7 scaled by 1/16 as OpenCV does); 3. magnitude
    /// `|dx|+|dy|` or `dx²+dy²` in Int32 (multi-channel: the channel with the largest
    /// magnitude); 4. non-maximum suppression in four sectors split at tan 22.5° (`13573/2¹⁵`),
    /// strictly greater than one neighbour and greater-or-equal to the other
    /// (`ck_canny_nms_row`); 5. hysteresis: pixels above `high` seed 8-connected growth through
    /// pixels above `low` (`ck_canny_hysteresis`). Thresholds are floored to integers (squared
    /// first for L2), exactly as `cv2.Canny`.
    ///
    /// scikit-image convention: 1. Gaussian (SciPy kernel, truncate 4) of the [0, 1] image,
    /// divided by the blurred mask (bleed-over); 2. SciPy Sobel (reflect border); 3. L2
    /// magnitude; 4. bilinear NMS inside the eroded mask; 5. 8-connected hysteresis
    /// (`>= high` seeds).
    ///
    /// - Parameters:
    ///   - parameters: see ``CannyParameters``; default `CannyParameters()`, the photo preset
    ///     (OpenCV after a σ = 1.4 blur, median-based thresholds). OpenCV convention: 1–4
    ///     channels; non-UInt8 images are first converted to UInt8 (`Image.converted(to:)`).
    ///     scikit-image convention: 1 channel.
    ///   - mask: scikit-image convention only: nonzero where pixels count (same size as the
    ///     image). Default `nil`.
    /// - Returns: a 1-channel UInt8 image of the same size, 255 on edges and 0 elsewhere.
    /// - Throws: `CVError.invalidParameter` for bad parameters (see
    ///   ``CannyParameters/validate()``; swapped thresholds are refused, not swapped), a
    ///   multi-channel image with the scikit-image convention, a mask with the OpenCV
    ///   convention, or a mask of the wrong size.
    /// - Complexity: O(width·height) plus the pre-blur; gradients and NMS run in parallel
    ///   stripes, hysteresis is a serial stack walk over edge pixels.
    ///
    /// Conventions: y points down; gradient direction is that of increasing intensity.
    /// Reference: J. Canny, "A Computational Approach to Edge Detection", IEEE TPAMI 8(6), 1986,
    /// doi:10.1109/TPAMI.1986.4767851.
    public func cannyEdges(_ parameters: CannyParameters = CannyParameters(), mask: Image<UInt8>? = nil) throws -> Image<UInt8> {
        switch try CannySpec(parameters) {
        case .opencv(let o):
            if mask != nil {
                throw CVError.invalidParameter(name: "mask", reason: "masks are supported by the scikit-image preset only")
            }
            return try cannyOpenCV(self, o)
        case .scikitImage(let s):
            return try cannyScikitImage(self, s, mask: mask)
        }
    }
}

/// Canny edge detection; see ``CVCore/Image/cannyEdges(_:mask:)``.
@available(*, deprecated, renamed: "Image.cannyEdges(_:)")
public func canny<P: PixelScalar>(_ image: Image<P>, _ parameters: CannyParameters = CannyParameters(),
                                  mask: Image<UInt8>? = nil) throws -> Image<UInt8> {
    try image.cannyEdges(parameters, mask: mask)
}

/// The OpenCV convention: 1. 8-bit samples, 2. optional pre-blur, 3. missing thresholds from
/// the intensity distribution, 4. `cv2.Canny`.
func cannyOpenCV<P: PixelScalar>(_ image: Image<P>, _ o: OpenCVCanny) throws -> Image<UInt8> {
    var u8 = image.converted(to: UInt8.self)
    if o.sigma > 0 {
        u8 = try u8.gaussianBlurred(.opencv(sigma: o.sigma))
    }
    var low = o.low, high = o.high
    if low == nil || high == nil {
        let (l, h) = automaticThresholds(u8, o.autoThreshold)
        if low == nil { low = min(l, high ?? l) }
        if high == nil { high = max(h, low!) }
    }
    return cannyOpenCV(u8, low: low!, high: high!, aperture: o.aperture, l2: o.l2Gradient)
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

/// cv2.Canny on an 8-bit image (any channel count); returns 0/255. 1-channel images with
/// aperture 3 take ``cannyOpenCV3x3Gray(_:low:high:l2:)``; the general path: 1. Int16 Sobel
/// derivatives of the whole image (``cannyDerivatives(_:aperture:)``); 2. per stripe of rows,
/// in parallel, the magnitude of each row (strongest channel) into a ring of three rows and
/// NMS of the middle row (``CannyEdgeMap/suppress(stripe:ring:low:high:fill:)``); 3. hysteresis
/// and output (``CannyEdgeMap/edges()``).
func cannyOpenCV(_ image: Image<UInt8>, low: Double, high: Double, aperture: Int, l2: Bool) -> Image<UInt8> {
    let w = image.width, h = image.height, cn = image.channels
    if aperture == 3 && cn == 1 && w > 0 && h > 0 {
        return cannyOpenCV3x3Gray(image, low: low, high: high, l2: l2)
    }
    guard w > 0, h > 0 else { return Image<UInt8>(width: w, height: h, channels: 1) }
    // 1. gradients
    let (dxImage, dyImage) = cannyDerivatives(image, aperture: aperture)
    let (lowI, highI) = opencvIntegerThresholds(low: low, high: high, aperture: aperture, l2: l2)
    let map = CannyEdgeMap(width: w, height: h, fillInterior: false)
    // 2. magnitude + NMS per stripe
    dxImage.samples.withUnsafeBufferPointer { dxb in
        dyImage.samples.withUnsafeBufferPointer { dyb in
            let dxp = dxb.baseAddress!, dyp = dyb.baseAddress!
            Parallel.forEachStripe(rows: h, minRowsPerStripe: 16) { stripe in
                let ring = CannyGradientRing(width: w)
                defer { ring.deallocate() }
                map.suppress(stripe: stripe, ring: ring, low: lowI, high: highI) { y in
                    ring.selectStrongest(y, dx: dxp, dy: dyp, height: h, channels: cn, l2: l2)
                }
            }
        }
    }
    // 3. hysteresis and output
    return map.edges()
}

/// The fast path of ``cannyOpenCV(_:low:high:aperture:l2:)`` for 1-channel images and
/// aperture 3 (same results). Per stripe of rows, in parallel: 1. Sobel dx, dy and the
/// magnitude of each row in one fused pass (`ck_sobel3_vert` + `ck_sobel3_horz_mag`, replicate
/// border) into a ring of three rows; 2. NMS of the middle row into the map (`ck_canny_nms_row`)
/// and its strong pixels onto the stripe's seed list. Then 3. serial hysteresis
/// (`ck_canny_hysteresis`) and 4. the 0/255 output, in parallel stripes.
func cannyOpenCV3x3Gray(_ image: Image<UInt8>, low: Double, high: Double, l2: Bool) -> Image<UInt8> {
    let w = image.width, h = image.height
    let (lowI, highI) = opencvIntegerThresholds(low: low, high: high, aperture: 3, l2: l2)
    let map = CannyEdgeMap(width: w, height: h, fillInterior: false)
    image.withUnsafePixels { src, ss in
        Parallel.forEachStripe(rows: h, minRowsPerStripe: 32) { stripe in
            let smooth = UnsafeMutablePointer<Int16>.allocate(capacity: 2 * (w + 2))
            let diff = smooth + (w + 2)
            let ring = CannyGradientRing(width: w)
            defer { smooth.deallocate(); ring.deallocate() }
            map.suppress(stripe: stripe, ring: ring, low: lowI, high: highI) { y in
                let mag = ring.magnitude(y)
                guard y >= 0 && y < h else { mag.update(repeating: 0, count: w); return }
                let r0 = src + max(y - 1, 0) * ss, r1 = src + y * ss, r2 = src + min(y + 1, h - 1) * ss
                ck_sobel3_vert(r0, r1, r2, smooth + 1, diff + 1, w)
                smooth[0] = smooth[1]; smooth[w + 1] = smooth[w]
                diff[0] = diff[1]; diff[w + 1] = diff[w]
                ck_sobel3_horz_mag(smooth, diff, ring.dx(y), ring.dy(y), mag, w, l2 ? 1 : 0)
            }
        }
    }
    // 3–4. hysteresis and output
    return map.edges()
}

/// Three rows of OpenCV Canny gradients (the rows above, at and below the one being
/// suppressed), indexed by image row modulo 3, rows from −1 on: the magnitude with a zero
/// column on each side, and the `dx`, `dy` of the channel it came from.
struct CannyGradientRing {
    let width: Int
    private let magnitudes: UnsafeMutablePointer<Int32>
    private let gradients: UnsafeMutablePointer<Int16>

    init(width w: Int) {
        width = w
        magnitudes = .allocate(capacity: 3 * (w + 2))
        magnitudes.update(repeating: 0, count: 3 * (w + 2))
        gradients = .allocate(capacity: 3 * 2 * w)
    }

    func deallocate() { magnitudes.deallocate(); gradients.deallocate() }

    @inline(__always) private func slot(_ y: Int) -> Int { (y + 3) % 3 }
    /// Magnitudes of row `y`; indices −1 and `width` read 0.
    @inline(__always) func magnitude(_ y: Int) -> UnsafeMutablePointer<Int32> { magnitudes + slot(y) * (width + 2) + 1 }
    @inline(__always) func dx(_ y: Int) -> UnsafeMutablePointer<Int16> { gradients + slot(y) * 2 * width }
    @inline(__always) func dy(_ y: Int) -> UnsafeMutablePointer<Int16> { dx(y) + width }

    /// Row `y` from interleaved `channels`-channel derivatives: per pixel the channel with the
    /// largest magnitude (`|dx| + |dy|`, or `dx² + dy²` with `l2`; first channel on ties), its
    /// magnitude and its `dx`, `dy`. Rows outside the image get magnitude 0.
    func selectStrongest(_ y: Int, dx: UnsafePointer<Int16>, dy: UnsafePointer<Int16>, height h: Int, channels cn: Int, l2: Bool) {
        let w = width
        let mag = magnitude(y), sx = self.dx(y), sy = self.dy(y)
        guard y >= 0 && y < h else {
            mag.update(repeating: 0, count: w)
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
            return
        }
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

/// The non-maximum-suppression map of the Canny pipelines and the strong pixels found in it:
/// `(width + 2) × (height + 2)` entries with a frame of 1s around the image, 0 = candidate,
/// 1 = not an edge, 2 = edge (`ck_canny_hysteresis`'s convention). Stripes write their own
/// rows and hand their seed offsets over with ``addSeeds(_:)``; ``edges()`` grows them.
final class CannyEdgeMap: @unchecked Sendable {
    let width: Int, height: Int
    /// Row step of ``entries``.
    let step: Int
    let entries: UnsafeMutablePointer<UInt8>
    private var seedLists: [CannySeeds] = []
    private let lock = NSLock()

    /// - Parameter fillInterior: set every entry to 1, not only the frame rows (for writers
    ///   that leave some entries of a row alone).
    init(width: Int, height: Int, fillInterior: Bool) {
        self.width = width
        self.height = height
        step = width + 2
        entries = PixelMemory.allocate(UInt8.self, capacity: step * (height + 2))
        if fillInterior {
            entries.update(repeating: 1, count: step * (height + 2))
        } else {
            entries.update(repeating: 1, count: step)
            (entries + (height + 1) * step).update(repeating: 1, count: step)
        }
    }

    deinit {
        for seeds in seedLists { seeds.release() }
        PixelMemory.deallocate(entries, capacity: step * (height + 2))
    }

    /// The entry of image pixel (0, y) (the frame column is at index −1).
    @inline(__always) func row(_ y: Int) -> UnsafeMutablePointer<UInt8> { entries + (y + 1) * step + 1 }
    /// The offset of image pixel (0, y) in ``entries``: what seeds are made of.
    @inline(__always) func offset(_ y: Int) -> Int64 { Int64((y + 1) * step + 1) }

    /// One stripe's NMS: `fill(y)` puts the gradients of row `y` into `ring` (rows from
    /// `stripe.lowerBound − 1` to `stripe.upperBound`, in order); rows in `stripe` are
    /// suppressed as their lower neighbour arrives, and their strong pixels become seeds.
    @inline(__always)
    func suppress(stripe: Range<Int>, ring: CannyGradientRing, low: Int32, high: Int32, fill: (Int) -> Void) {
        var seeds = CannySeeds()
        fill(stripe.lowerBound - 1)
        fill(stripe.lowerBound)
        for y in stripe {
            fill(y + 1)
            suppress(row: y, in: ring, low: low, high: high, seeds: &seeds)
        }
        addSeeds(seeds)
    }

    /// OpenCV's NMS of image row `y` (`ck_canny_nms_row`) from the ring's rows `y − 1`, `y`,
    /// `y + 1`, with the frame columns; strong pixels are appended to `seeds`.
    @inline(__always)
    private func suppress(row y: Int, in ring: CannyGradientRing, low: Int32, high: Int32, seeds: inout CannySeeds) {
        let w = width
        let mrow = row(y)
        mrow[-1] = 1; mrow[w] = 1
        ck_canny_nms_row(ring.magnitude(y - 1), ring.magnitude(y), ring.magnitude(y + 1), ring.dx(y), ring.dy(y),
                         mrow, w, low, high)
        seeds.append(upTo: w) { ck_find_u8(mrow, w, 2, offset(y), $0) }
    }

    /// Hands a stripe's strong pixels (offsets in ``entries``) to hysteresis. Thread-safe.
    func addSeeds(_ seeds: CannySeeds) {
        lock.lock()
        seedLists.append(seeds)
        lock.unlock()
    }

    /// Hysteresis and output: grows edges from the seeds through the 0 entries
    /// (`ck_canny_hysteresis`), then 255 where the map says edge, else 0.
    func edges() -> Image<UInt8> {
        var out = Image<UInt8>.uninitialized(width: width, height: height, channels: 1)
        var stack = CannySeeds(capacity: max(4096, 2 * seedLists.reduce(0) { $0 + $1.count }))
        for list in seedLists {
            stack.append(upTo: list.count) { $0.update(from: list.start, count: list.count); return list.count }
            list.release()
        }
        seedLists = []
        var grown: UnsafeMutablePointer<Int64>? = nil
        let marked = ck_canny_hysteresis(entries, step, stack.start, stack.count, stack.capacity, &grown)
        if let grown { free(grown) }
        stack.release()
        precondition(marked >= 0, "Canny hysteresis: out of memory")
        let (w, step, entries) = (width, step, entries)
        out.withUnsafeMutablePixels { o, os in
            Parallel.forEachStripe(rows: height, minRowsPerStripe: 64) { stripe in
                for y in stripe { ck_canny_output_row(entries + (y + 1) * step + 1, o + y * os, w) }
            }
        }
        return out
    }
}

/// Seed offsets of a Canny map, in storage from `PixelMemory`: growing it reuses released
/// blocks, so repeated calls do not fault fresh pages in as a growing `Array` can.
struct CannySeeds {
    private(set) var start: UnsafeMutablePointer<Int64>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 32_768) {
        self.capacity = max(capacity, 1)
        start = PixelMemory.allocate(Int64.self, capacity: self.capacity)
    }

    /// Appends what `write` stores at the end given room for `room` entries; `write` returns
    /// how many it stored.
    @inline(__always)
    mutating func append(upTo room: Int, _ write: (UnsafeMutablePointer<Int64>) -> Int) {
        if count + room > capacity { grow(to: max(2 * capacity, count + room)) }
        count += write(start + count)
    }

    private mutating func grow(to newCapacity: Int) {
        let larger = PixelMemory.allocate(Int64.self, capacity: newCapacity)
        larger.update(from: start, count: count)
        PixelMemory.deallocate(start, capacity: capacity)
        start = larger
        capacity = newCapacity
    }

    func release() { PixelMemory.deallocate(start, capacity: capacity) }
}
