import CVCore
import CVFilters

/// The scikit-image Canny pipeline in Double, step for step as `skimage.feature.canny` (which
/// computes in float64): the readable reference that the Float fast path
/// (`Image.cannyEdges` with the scikit-image convention) is tested against. Full-image
/// arrays, Swift loops.
/// - Throws: as the fast path; `CVError.invalidParameter` for OpenCV-convention parameters.
package func cannyScikitImageReference<P: PixelScalar>(_ image: Image<P>, _ parameters: CannyParameters,
                                                       mask: Image<UInt8>?) throws -> Image<UInt8> {
    try parameters.validate()
    guard case .scikitImage(let p) = parameters.convention else {
        throw CVError.invalidParameter(name: "parameters", reason: "the reference implements the scikit-image convention only")
    }
    try validateScikitCannyInput(image, mask: mask)
    var (low, high) = try scikitCannyThresholds(p, P.self)
    let w = image.width, h = image.height
    let n = w * h
    var out = Image<UInt8>(width: w, height: h, channels: 1)
    guard w > 0, h > 0 else { return out }
    // 1. [0, 1] image in Double, masked.
    var plane = [Double](repeating: 0, count: n)
    var maskPlane = [Double](repeating: 1, count: n)
    let scale = 1 / Double(P.unitScale)
    image.withUnsafePixels { s, st in
        for y in 0..<h { for x in 0..<w { plane[y * w + x] = Double(s[y * st + x].floatValue) * scale } }
    }
    if let mask {
        mask.withUnsafePixels { s, st in
            for y in 0..<h { for x in 0..<w where s[y * st + x] == 0 { maskPlane[y * w + x] = 0; plane[y * w + x] = 0 } }
        }
    }
    var isConstant = false
    if case .constant = p.mode { isConstant = true }
    let taps = GaussianKernel.scipyTaps(sigma: p.sigma, truncate: 4)
    var smoothed = separableDouble(plane, width: w, height: h, kx: taps, ky: taps, border: p.mode)
    if isConstant || mask != nil {
        let bleed = separableDouble(maskPlane, width: w, height: h, kx: taps, ky: taps, border: p.mode)
        for i in 0..<n { smoothed[i] /= bleed[i] + Double.ulpOfOne }
    }
    // 2-3. SciPy Sobel (reflect) and magnitude.
    let jsobel = separableDouble(smoothed, width: w, height: h, kx: [-1, 0, 1], ky: [1, 2, 1], border: .reflect)
    let isobel = separableDouble(smoothed, width: w, height: h, kx: [1, 2, 1], ky: [-1, 0, 1], border: .reflect)
    var magnitude = [Double](repeating: 0, count: n)
    for i in 0..<n { magnitude[i] = (isobel[i] * isobel[i] + jsobel[i] * jsobel[i]).squareRoot() }
    if p.useQuantiles {
        let sorted = magnitude.sorted()
        func percentile(_ q: Double) -> Double {
            let pos = q * Double(n - 1)
            let lo = Int(pos.rounded(.down)), hi = min(lo + 1, n - 1)
            let f = pos - Double(lo)
            return sorted[lo] + (sorted[hi] - sorted[lo]) * f
        }
        low = percentile(low)
        high = percentile(high)
    }
    // Eroded mask (3×3, outside = 0), or everything but the 1-pixel frame.
    var eroded = [Bool](repeating: false, count: n)
    if let mask {
        mask.withUnsafePixels { s, st in
            for y in 1..<max(1, h - 1) {
                for x in 1..<max(1, w - 1) {
                    var all = true
                    for yy in (y - 1)...(y + 1) { for xx in (x - 1)...(x + 1) where s[yy * st + xx] == 0 { all = false } }
                    eroded[y * w + x] = all
                }
            }
        }
    } else {
        for y in 1..<max(1, h - 1) { for x in 1..<max(1, w - 1) { eroded[y * w + x] = true } }
    }
    // 4. bilinear NMS (low threshold passed as a C float, as skimage does).
    var lowF = Double(Float(low))
    if lowF == 0 { lowF = Double(Float(1e-14)) }
    var survivors = [Double](repeating: 0, count: n)
    for y in 0..<h {
        for x in 0..<w {
            let i = y * w + x
            let m = magnitude[i]
            guard eroded[i], m >= lowF else { continue }
            let iv = isobel[i], jv = jsobel[i]
            let isDown = iv <= 0, isUp = !isDown
            let isLeft = jv <= 0, isRight = !isLeft
            let cond1 = (isUp && isRight) || (isDown && isLeft)
            let ai = abs(iv), aj = abs(jv)
            let wgt: Double, n11: Double, n12: Double, n21: Double, n22: Double
            if cond1 {
                if ai > aj {
                    wgt = aj / ai
                    n11 = magnitude[i + w]; n12 = magnitude[i + w + 1]; n21 = magnitude[i - w]; n22 = magnitude[i - w - 1]
                } else {
                    wgt = ai / aj
                    n11 = magnitude[i + 1]; n12 = magnitude[i + w + 1]; n21 = magnitude[i - 1]; n22 = magnitude[i - w - 1]
                }
            } else {
                if ai < aj {
                    wgt = ai / aj
                    n11 = magnitude[i + 1]; n12 = magnitude[i - w + 1]; n21 = magnitude[i - 1]; n22 = magnitude[i + w - 1]
                } else {
                    wgt = aj / ai
                    n11 = magnitude[i - w]; n12 = magnitude[i - w + 1]; n21 = magnitude[i + w]; n22 = magnitude[i + w - 1]
                }
            }
            if n12 * wgt + n11 * (1 - wgt) <= m && n22 * wgt + n21 * (1 - wgt) <= m {
                survivors[i] = m
            }
        }
    }
    // 5. hysteresis: 8-connected components of survivors (> 0) holding a value >= high.
    var state = [UInt8](repeating: 0, count: n)  // 0 none, 1 candidate, 2 edge
    var stack: [Int] = []
    for i in 0..<n where survivors[i] > 0 {
        state[i] = 1
    }
    for i in 0..<n where state[i] == 1 && survivors[i] >= high {
        state[i] = 2
        stack.append(i)
        while let j = stack.popLast() {
            let y = j / w, x = j % w
            for yy in max(0, y - 1)...min(h - 1, y + 1) {
                for xx in max(0, x - 1)...min(w - 1, x + 1) where state[yy * w + xx] == 1 {
                    state[yy * w + xx] = 2
                    stack.append(yy * w + xx)
                }
            }
        }
    }
    out.withUnsafeMutablePixels { o, os in
        for y in 0..<h { for x in 0..<w { o[y * os + x] = state[y * w + x] == 2 ? 255 : 0 } }
    }
    return out
}

/// Separable correlation of a Double plane (1 channel) with the given taps and border: every
/// row (the image's and the border's) filtered along x, then the columns of those rows along y,
/// each output the taps' products summed in tap order (zero taps after the first skipped).
func separableDouble(_ plane: [Double], width w: Int, height h: Int, kx: [Double], ky: [Double], border: BorderMode) -> [Double] {
    let rx = kx.count / 2, ry = ky.count / 2
    var constant = 0.0
    if case .constant(let v) = border { constant = Double(v) }
    // The sample at (x, y), with the border outside the image.
    func sample(_ x: Int, _ y: Int) -> Double {
        guard let sx = border.sourceIndex(x, count: w), let sy = border.sourceIndex(y, count: h) else { return constant }
        return plane[sy * w + sx]
    }
    func correlate(_ taps: [Double], _ value: (Int) -> Double) -> Double {
        var s = taps[0] * value(0)
        for t in 1..<max(taps.count, 1) where taps[t] != 0 { s += taps[t] * value(t) }
        return s
    }
    // 1. Along x, rows −ry ..< h + ry.
    let rows = (-ry..<(h + ry)).map { y in (0..<w).map { x in correlate(kx) { sample(x - rx + $0, y) } } }
    // 2. Along y.
    var out = [Double](repeating: 0, count: w * h)
    for y in 0..<h {
        for x in 0..<w { out[y * w + x] = correlate(ky) { rows[y + $0][x] } }
    }
    return out
}
