import CVCore
import Foundation

// Step 1 and 2 of HOG: samples → (optionally square-rooted) Float planes → per-pixel
// orientation votes. Internal; `HOG` drives it.

/// The image as planar Float channels (square root applied when asked) plus an exact sampler
/// used to settle orientation bins that fall within rounding distance of a bin edge.
struct HOGSource {
    let width: Int
    let height: Int
    let channels: Int
    /// `channels` planes of `width * height` samples, plane after plane.
    let planes: UnsafeMutablePointer<Float>
    /// The sample at (x, y, c) at scikit-image's precision (Double for integer input, the
    /// Float value for Float input), after the square root when `transformSqrt`.
    let exactSample: (Int, Int, Int) -> Double

    func deallocate() { planes.deallocate() }

    /// Builds the planes. Calls `body` while the image memory is pinned; frees the planes after.
    static func with<P: PixelScalar, R>(_ image: Image<P>, transformSqrt: Bool, parallel: Bool,
                                         _ body: (HOGSource) throws -> R) rethrows -> R {
        let w = image.width, h = image.height, cn = image.channels
        let planes = UnsafeMutablePointer<Float>.allocate(capacity: max(1, w * h * cn))
        defer { planes.deallocate() }
        return try image.withUnsafePixels { src, stride in
            let exact: (Int, Int, Int) -> Double
            switch P.depth {
            case .uint8:
                let s = UnsafeRawPointer(src).assumingMemoryBound(to: UInt8.self)
                var lut = [Float](repeating: 0, count: 256)
                for i in 0..<256 { lut[i] = transformSqrt ? Float(Double(i).squareRoot()) : Float(i) }
                lut.withUnsafeBufferPointer { lp in
                    let l = lp.baseAddress!
                    HOGSource.stripes(h, parallel) { rows in
                        for y in rows {
                            let row = s + y * stride
                            for c in 0..<cn {
                                let dst = planes + c * w * h + y * w
                                for x in 0..<w { dst[x] = l[Int(row[x * cn + c])] }
                            }
                        }
                    }
                }
                exact = { x, y, c in
                    let v = Double(s[y * stride + x * cn + c])
                    return transformSqrt ? v.squareRoot() : v
                }
            case .uint16:
                let s = UnsafeRawPointer(src).assumingMemoryBound(to: UInt16.self)
                HOGSource.stripes(h, parallel) { rows in
                    for y in rows {
                        let row = s + y * stride
                        for c in 0..<cn {
                            let dst = planes + c * w * h + y * w
                            for x in 0..<w {
                                let v = Double(row[x * cn + c])
                                dst[x] = Float(transformSqrt ? v.squareRoot() : v)
                            }
                        }
                    }
                }
                exact = { x, y, c in
                    let v = Double(s[y * stride + x * cn + c])
                    return transformSqrt ? v.squareRoot() : v
                }
            case .float32:
                let s = UnsafeRawPointer(src).assumingMemoryBound(to: Float.self)
                HOGSource.stripes(h, parallel) { rows in
                    for y in rows {
                        let row = s + y * stride
                        for c in 0..<cn {
                            let dst = planes + c * w * h + y * w
                            if transformSqrt {
                                for x in 0..<w { dst[x] = row[x * cn + c].squareRoot() }
                            } else {
                                for x in 0..<w { dst[x] = row[x * cn + c] }
                            }
                        }
                    }
                }
                // scikit-image keeps float32 input in float32: the plane values are exact.
                exact = { x, y, c in Double(planes[c * w * h + y * w + x]) }
            }
            return try body(HOGSource(width: w, height: h, channels: cn, planes: planes, exactSample: exact))
        }
    }

    static func stripes(_ rows: Int, _ parallel: Bool, _ body: (Range<Int>) -> Void) {
        if parallel { Parallel.forEachStripe(rows: rows, minRowsPerStripe: 16, body) } else { body(0..<rows) }
    }
}

/// Per-pixel votes over the covered area (`width × height`, the whole cells): each pixel
/// gives `m0` to bin `b0` and `m1` to bin `b1` (`m1 = 0` for hard binning).
struct HOGVotes {
    let width: Int
    let height: Int
    let b0: UnsafeMutablePointer<UInt8>
    let b1: UnsafeMutablePointer<UInt8>
    let m0: UnsafeMutablePointer<Float>
    let m1: UnsafeMutablePointer<Float>

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        let n = max(1, width * height)
        b0 = .allocate(capacity: n); b1 = .allocate(capacity: n)
        m0 = .allocate(capacity: n); m1 = .allocate(capacity: n)
    }

    func deallocate() { b0.deallocate(); b1.deallocate(); m0.deallocate(); m1.deallocate() }
}

/// OpenCV's `fastAtan2` (scalar `atan_f32` of `mathfuncs_core.simd.hpp`): degrees in
/// `[0, 360)`, max error ≈ 0.0095°. Kept operation for operation so rounding matches.
@inline(__always)
func hogFastAtanDegrees(_ y: Float, _ x: Float) -> Float {
    let p1: Float = 0.9997878412794807 * Float(180 / Double.pi)
    let p3: Float = -0.3258083974640975 * Float(180 / Double.pi)
    let p5: Float = 0.1555786518463281 * Float(180 / Double.pi)
    let p7: Float = -0.04432655554792128 * Float(180 / Double.pi)
    let eps = Float(Double.ulpOfOne)
    let ax = abs(x), ay = abs(y)
    var a: Float
    if ax >= ay {
        let c = ay / (ax + eps)
        let c2 = c * c
        a = (((p7 * c2 + p5) * c2 + p3) * c2 + p1) * c
    } else {
        let c = ax / (ay + eps)
        let c2 = c * c
        a = 90 - (((p7 * c2 + p5) * c2 + p3) * c2 + p1) * c
    }
    if x < 0 { a = 180 - a }
    if y < 0 { a = 360 - a }
    return a
}

/// numpy's `np.remainder` for doubles (`npy_divmod`): result has the divisor's sign.
@inline(__always)
func numpyRemainder(_ a: Double, _ b: Double) -> Double {
    var mod = fmod(a, b)
    if mod != 0 {
        if (b < 0) != (mod < 0) { mod += b }
    } else {
        mod = b < 0 ? -0.0 : 0.0
    }
    return mod
}

/// scikit-image's bin decision for one gradient, bit for bit: `rad2deg(arctan2(gy, gx)) % P`
/// then the bin `i` with `P/n·i <= θ < P/n·(i+1)`, or -1 when no bin holds θ (it happens for
/// θ that rounds up to P).
func hogExactBin(gx: Double, gy: Double, orientations n: Int, signed: Bool) -> Int {
    let period = signed ? 360.0 : 180.0
    let theta = numpyRemainder(atan2(gy, gx) * (180.0 / Double.pi), period)
    let w = period / Double(n)
    var i = Int(theta / w)
    i = min(max(i, 0), n - 1)
    // The quotient is only a guess; the comparisons decide, exactly as skimage's loop does.
    for j in [i, i - 1, i + 1] where j >= 0 && j < n {
        if theta >= w * Double(j) && theta < w * Double(j + 1) { return j }
    }
    for j in 0..<n where theta >= w * Double(j) && theta < w * Double(j + 1) { return j }
    return -1
}

extension HOGSource {
    /// scikit-image's exact gradient at (x, y): per channel central differences at the
    /// source precision, the channel with the largest `hypot` (first on ties).
    func exactGradient(x: Int, y: Int) -> (gx: Double, gy: Double) {
        var best = -1.0, bx = 0.0, by = 0.0
        for c in 0..<channels {
            let gx = (x == 0 || x == width - 1) ? 0 : exactSample(x + 1, y, c) - exactSample(x - 1, y, c)
            let gy = (y == 0 || y == height - 1) ? 0 : exactSample(x, y + 1, c) - exactSample(x, y - 1, c)
            let m = (gx * gx + gy * gy).squareRoot()
            if m > best { best = m; bx = gx; by = gy }
        }
        return (bx, by)
    }

    /// OpenCV's 3-channel selection (planes are R, G, B; OpenCV sees B, G, R).
    func opencvSelect(y: Int, yEdge: Bool, covW: Int, gx gxRow: UnsafeMutablePointer<Float>, gy gyRow: UnsafeMutablePointer<Float>) {
        let w = width, plane = width * height
        let simdEnd = (w / 4) * 4
        for x in 0..<covW {
            var gx = (0, 0, 0) as (Float, Float, Float), gy = gx
            for c in 0..<3 {
                let row = planes + c * plane + y * w
                let dxv: Float = (x == 0 || x == w - 1) ? 0 : row[x + 1] - row[x - 1]
                let dyv: Float = yEdge ? 0 : row[x + w] - row[x - w]
                switch c { case 0: gx.0 = dxv; gy.0 = dyv; case 1: gx.1 = dxv; gy.1 = dyv; default: gx.2 = dxv; gy.2 = dyv }
            }
            let mR = gx.0 * gx.0 + gy.0 * gy.0, mG = gx.1 * gx.1 + gy.1 * gy.1, mB = gx.2 * gx.2 + gy.2 * gy.2
            if x < simdEnd {
                // v_select(mag2 > mag1, R, G), then v_select(max(mag2, mag1) > mag0, that, B).
                var sx = mR > mG ? gx.0 : gx.1, sy = mR > mG ? gy.0 : gy.1
                if !(max(mR, mG) > mB) { sx = gx.2; sy = gy.2 }
                gxRow[x] = sx; gyRow[x] = sy
            } else {
                var sx = gx.0, sy = gy.0, m = mR
                if m < mG { sx = gx.1; sy = gy.1; m = mG }
                if m < mB { sx = gx.2; sy = gy.2 }
                gxRow[x] = sx; gyRow[x] = sy
            }
        }
    }

    /// Fills `votes` rows `rows` (covered-area coordinates == image coordinates).
    func computeVotes(_ votes: HOGVotes, rows: Range<Int>, parameters p: HOGParameters) {
        let w = width, h = height, cn = channels
        let covW = votes.width
        let n = p.orientations
        let signed = p.signedGradients
        let gxRow = UnsafeMutablePointer<Float>.allocate(capacity: max(1, covW))
        let gyRow = UnsafeMutablePointer<Float>.allocate(capacity: max(1, covW))
        defer { gxRow.deallocate(); gyRow.deallocate() }
        let plane = w * h
        // Hard-binning constants.
        let period: Float = signed ? 360 : 180
        let binW = period / Float(n)
        let invW = 1 / binW
        let margin: Float = 0.03  // > 3× the fast atan's max error (0.0095°)
        // Interpolation constants (OpenCV).
        let angleScale = signed ? Float(Double(n) / (2 * Double.pi)) : Float(Double(n) / Double.pi)
        let radPerDeg = Float(Double.pi / 180)

        for y in rows {
            // 1. Gradients of the row, selecting the strongest channel.
            let yEdge = y == 0 || y == h - 1
            if cn == 3 && p.channelTieBreak == .opencv {
                opencvSelect(y: y, yEdge: yEdge, covW: covW, gx: gxRow, gy: gyRow)
            } else {
                for c in 0..<cn {
                    let row = planes + c * plane + y * w
                    let up = planes + c * plane + (yEdge ? y : y - 1) * w
                    let dn = planes + c * plane + (yEdge ? y : y + 1) * w
                    if c == 0 {
                        for x in 0..<covW {
                            gyRow[x] = yEdge ? 0 : dn[x] - up[x]
                        }
                        if covW > 0 { gxRow[0] = 0 }
                        let xEnd = min(covW, w - 1)
                        if xEnd > 1 { for x in 1..<xEnd { gxRow[x] = row[x + 1] - row[x - 1] } }
                        if covW == w && w > 1 { gxRow[w - 1] = 0 }
                    } else {
                        for x in 0..<covW {
                            let gx: Float = (x == 0 || x == w - 1) ? 0 : row[x + 1] - row[x - 1]
                            let gy: Float = yEdge ? 0 : dn[x] - up[x]
                            let bx = gxRow[x], by = gyRow[x]
                            let mc = Double(gx) * Double(gx) + Double(gy) * Double(gy)
                            let mb = Double(bx) * Double(bx) + Double(by) * Double(by)
                            if mc > mb { gxRow[x] = gx; gyRow[x] = gy }
                        }
                    }
                }
            }
            // 2. Votes.
            let o = y * covW
            let b0 = votes.b0 + o, b1 = votes.b1 + o, m0 = votes.m0 + o, m1 = votes.m1 + o
            if p.orientationInterpolation {
                for x in 0..<covW {
                    let dx = gxRow[x], dy = gyRow[x]
                    let mag = (dx * dx + dy * dy).squareRoot()
                    var angle = hogFastAtanDegrees(dy, dx) * radPerDeg
                    angle = angle * angleScale - 0.5
                    var hidx = Int(angle.rounded(.down))
                    angle -= Float(hidx)
                    m0[x] = mag * (1 - angle)
                    m1[x] = mag * angle
                    if hidx < 0 { hidx += n } else if hidx >= n { hidx -= n }
                    b0[x] = UInt8(truncatingIfNeeded: hidx)
                    hidx += 1
                    b1[x] = hidx < n ? UInt8(truncatingIfNeeded: hidx) : 0
                }
            } else {
                for x in 0..<covW {
                    let dx = gxRow[x], dy = gyRow[x]
                    m1[x] = 0
                    let mag = Float((Double(dx) * Double(dx) + Double(dy) * Double(dy)).squareRoot())
                    if mag == 0 { m0[x] = 0; b0[x] = 0; b1[x] = 0; continue }
                    var bin: Int
                    if !signed && dy == 0 {
                        bin = 0  // θ is 0 (or 180 → 0): bin 0 whatever n is
                    } else {
                        var u = dx, v = dy
                        if !signed && (v < 0) { u = -u; v = -v }
                        let theta = hogFastAtanDegrees(v, u)
                        bin = Int(theta * invW)
                        if bin >= n { bin = n - 1 }
                        let d = theta - Float(bin) * binW
                        if d < margin || binW - d < margin || theta > period - margin {
                            let g = exactGradient(x: x, y: y)
                            bin = hogExactBin(gx: g.gx, gy: g.gy, orientations: n, signed: signed)
                        }
                    }
                    if bin < 0 { m0[x] = 0; b0[x] = 0; b1[x] = 0; continue }
                    m0[x] = mag
                    b0[x] = UInt8(truncatingIfNeeded: bin)
                    b1[x] = b0[x]
                }
            }
        }
    }
}
