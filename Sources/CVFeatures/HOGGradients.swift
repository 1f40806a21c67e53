import CVCore
import Foundation

// Steps 1 and 2 of HOG: samples → (optionally square-rooted) Float planes → per-pixel
// orientation votes. Internal; `HOG` drives it.
//
// Every per-pixel loop below runs on raw pointers without branches, traps or calls (selects,
// exact floors by the 1.5·2²³ trick, bit-pattern integer conversion), so LLVM vectorizes it;
// the rare bin decisions that need scikit-image's exact Double arithmetic are flagged in the
// vector loop and settled afterwards. Row buffers are the per-stage scratch of HOGScratch.swift.

// MARK: - Source planes

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
    /// The samples are 8-bit integers used as they are (no square root), so every gradient
    /// component is an integer in −255...255 and hard bins can come from ``HOGBinTable``.
    let integerGradients: Bool
    /// 0, or 1 for a source whose planes carry a one-pixel frame of real neighbours around
    /// the `width × height` area (OpenCV's padded detection levels, HOGPadded.swift): then
    /// every pixel, the first and last rows and columns included, has central differences.
    var margin = 0
    /// Columns `0..<opencvVectorEnd` take OpenCV's SIMD tie rule in ``opencvSelect``, the rest
    /// its scalar rule; `nil` means `width / 4 · 4` (OpenCV's vector loop over the row).
    var opencvVectorEnd: Int? = nil
    /// Set when the framed rows are made on demand into each thread's ring of three rows
    /// instead of whole planes (then `planes` is not filled: only ``framedVotesRow`` reads them).
    var framedRows: HOGFramedRows? = nil

    /// Floats per plane row, and per plane.
    var planeRowLength: Int { width + 2 * margin }
    var planeLength: Int { planeRowLength * (height + 2 * margin) }
    /// Row `y` of channel `c`, at column 0.
    @inline(__always) func planeRow(c: Int, y: Int) -> UnsafeMutablePointer<Float> {
        planes + c * planeLength + (y + margin) * planeRowLength + margin
    }

    static let identityLUT: [Float] = (0..<256).map { Float($0) }
    static let sqrtLUT: [Float] = (0..<256).map { Float(Double($0).squareRoot()) }

    /// Builds the planes in `scratch`. Calls `body` while the image memory is pinned.
    static func with<P: PixelScalar, R>(_ image: Image<P>, transformSqrt: Bool, parallel: Bool, scratch: HOGSourceScratch,
                                         _ body: (HOGSource) throws -> R) rethrows -> R {
        let w = image.width, h = image.height, cn = image.channels
        let planes = scratch.planes.reserve(max(1, w * h * cn))
        return try image.withUnsafePixels { src, stride in
            let exact: (Int, Int, Int) -> Double
            if P.depth == .uint8 {
                fillPlanes(UnsafeRawPointer(src).assumingMemoryBound(to: UInt8.self), stride: stride, width: w, height: h,
                           channels: cn, transformSqrt: transformSqrt, parallel: parallel, into: planes)
            } else {
                fillPlanes(src, stride: stride, width: w, height: h, channels: cn, transformSqrt: transformSqrt,
                           parallel: parallel, into: planes)
            }
            if P.depth == .float32 {
                // scikit-image keeps float32 input in float32: the plane values are exact.
                exact = { x, y, c in Double(planes[c * w * h + y * w + x]) }
            } else {
                exact = { x, y, c in
                    let v = Double(src[y * stride + x * cn + c].floatValue)
                    return transformSqrt ? v.squareRoot() : v
                }
            }
            return try body(HOGSource(width: w, height: h, channels: cn, planes: planes, exactSample: exact,
                                      integerGradients: P.depth == .uint8 && !transformSqrt))
        }
    }

    /// Step 1 for 8-bit samples: through a 256-entry table (identity or square root).
    private static func fillPlanes(_ s: UnsafePointer<UInt8>, stride: Int, width w: Int, height h: Int, channels cn: Int,
                                   transformSqrt: Bool, parallel: Bool, into planes: UnsafeMutablePointer<Float>) {
        let lutArray = transformSqrt ? sqrtLUT : identityLUT
        lutArray.withUnsafeBufferPointer { lp in
            let l = lp.baseAddress!
            Parallel.forEachStripe(rows: h, minRowsPerStripe: 16, threads: parallel ? Parallel.threadCount : 1) { rows in
                for y in rows {
                    let row = s + y * stride
                    if cn == 1 {
                        let dst = planes + y * w
                        if transformSqrt {
                            for x in 0..<w { dst[x] = l[Int(row[x])] }
                        } else {
                            for x in 0..<w { dst[x] = Float(row[x]) }
                        }
                    } else {
                        for c in 0..<cn {
                            let dst = planes + c * w * h + y * w
                            for x in 0..<w { dst[x] = l[Int(row[x &* cn &+ c])] }
                        }
                    }
                }
            }
        }
    }

    /// Step 1 for UInt16 and Float samples: the square root is taken in Double, which rounds
    /// to the same Float as a Float square root (Double carries more than twice Float's bits).
    private static func fillPlanes<P: PixelScalar>(_ s: UnsafePointer<P>, stride: Int, width w: Int, height h: Int,
                                                   channels cn: Int, transformSqrt: Bool, parallel: Bool,
                                                   into planes: UnsafeMutablePointer<Float>) {
        Parallel.forEachStripe(rows: h, minRowsPerStripe: 16, threads: parallel ? Parallel.threadCount : 1) { rows in
            for y in rows {
                let row = s + y * stride
                for c in 0..<cn {
                    let dst = planes + c * w * h + y * w
                    if transformSqrt {
                        for x in 0..<w { dst[x] = Float(Double(row[x * cn + c].floatValue).squareRoot()) }
                    } else {
                        for x in 0..<w { dst[x] = row[x * cn + c].floatValue }
                    }
                }
            }
        }
    }
}

/// The votes of one row of pixels: pixel `x` gives `m0[x]` to bin `b0[x]` and `m1[x]` to bin
/// `b1[x]` (hard binning writes only `b0`/`m0`).
struct HOGRowVotes {
    let b0: UnsafeMutablePointer<UInt8>
    let b1: UnsafeMutablePointer<UInt8>
    let m0: UnsafeMutablePointer<Float>
    let m1: UnsafeMutablePointer<Float>

    init(b0: UnsafeMutablePointer<UInt8>, b1: UnsafeMutablePointer<UInt8>, m0: UnsafeMutablePointer<Float>, m1: UnsafeMutablePointer<Float>) {
        self.b0 = b0; self.b1 = b1; self.m0 = m0; self.m1 = m1
    }
}

// MARK: - Scalar helpers

/// OpenCV's `fastAtan2` (scalar `atan_f32` of `mathfuncs_core.simd.hpp`): degrees in
/// `[0, 360)`, max error ≈ 0.0095°. Kept operation for operation so rounding matches, and
/// written with selects only, so loops calling it vectorize.
@inline(__always)
package func hogFastAtanDegrees(_ y: Float, _ x: Float) -> Float {
    let p1: Float = 0.9997878412794807 * Float(180 / Double.pi)
    let p3: Float = -0.3258083974640975 * Float(180 / Double.pi)
    let p5: Float = 0.1555786518463281 * Float(180 / Double.pi)
    let p7: Float = -0.04432655554792128 * Float(180 / Double.pi)
    let eps = Float(Double.ulpOfOne)
    let ax = abs(x), ay = abs(y)
    let xMajor = ax >= ay
    // c = ay / (ax + eps) when |x| >= |y|, else ax / (ay + eps).
    let num = xMajor ? ay : ax
    let den = xMajor ? ax : ay
    let c = num / (den + eps)
    let c2 = c * c
    var a = (((p7 * c2 + p5) * c2 + p3) * c2 + p1) * c
    a = xMajor ? a : 90 - a
    a = x < 0 ? 180 - a : a
    a = y < 0 ? 360 - a : a
    return a
}

/// `⌊a⌋` for `|a| < 2²²`, exactly, without a call or a trap (vectorizes).
@inline(__always)
func hogFloor(_ a: Float) -> Float {
    let magic: Float = 12582912  // 1.5 · 2²³: adding it rounds to an integer
    let r = (a + magic) - magic
    return r > a ? r - 1 : r
}

/// The Int32 value of an integer-valued Float `r`, `|r| < 2²²` (vectorizes; no trap).
@inline(__always)
func hogInt(_ r: Float) -> Int32 {
    let magic: Float = 12582912
    return Int32(bitPattern: (r + magic).bitPattern) &- Int32(bitPattern: magic.bitPattern)
}

typealias HOGVec = SIMD8<Float>
typealias HOGIntVec = SIMD8<Int32>

@inline(__always)
func hogLoad(_ p: UnsafePointer<Float>) -> HOGVec { UnsafeRawPointer(p).loadUnaligned(as: HOGVec.self) }
@inline(__always)
func hogStore(_ v: HOGVec, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: HOGVec.self) }
@inline(__always)
func hogStore(_ v: HOGIntVec, _ p: UnsafeMutablePointer<UInt8>) {
    UnsafeMutableRawPointer(p).storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: v), as: SIMD8<UInt8>.self)
}

// Lane masks are built from sign bits rather than with SIMD comparison operators: Swift's
// `SIMDMask` of 8 lanes lowers to slow lane-by-lane code on baseline x86-64 (SSE2), while a
// subtraction and an arithmetic shift is two instructions. `a − b` is negative exactly when
// `a < b` (and `+0` when equal), so `hogNeg(a − b)` is the mask of `a < b` for finite values.

@inline(__always)
func hogBits(_ v: HOGVec) -> HOGIntVec { unsafeBitCast(v, to: HOGIntVec.self) }
@inline(__always)
func hogFloats(_ v: HOGIntVec) -> HOGVec { unsafeBitCast(v, to: HOGVec.self) }
/// All ones in the lanes where the sign bit of `v` is set (`v < 0`, or `v` is −0).
@inline(__always)
func hogNeg(_ v: HOGVec) -> HOGIntVec { hogBits(v) &>> HOGIntVec(repeating: 31) }
/// All ones in the lanes where the integer `v < 0`.
@inline(__always)
func hogNeg(_ v: HOGIntVec) -> HOGIntVec { v &>> HOGIntVec(repeating: 31) }
/// `m ? a : b` lane by lane (`m` all ones or all zeros per lane).
@inline(__always)
func hogSelect(_ m: HOGIntVec, _ a: HOGVec, _ b: HOGVec) -> HOGVec { hogFloats((hogBits(a) & m) | (hogBits(b) & ~m)) }
@inline(__always)
func hogSelect(_ m: HOGIntVec, _ a: HOGIntVec, _ b: HOGIntVec) -> HOGIntVec { (a & m) | (b & ~m) }

/// `|x|` lane by lane (clears the sign bit).
@inline(__always)
func hogAbs(_ x: HOGVec) -> HOGVec { hogFloats(hogBits(x) & HOGIntVec(repeating: 0x7fff_ffff)) }

/// The scalar `hogFastAtanDegrees` on 8 lanes: the same operations in the same order.
@inline(__always)
func hogFastAtanDegrees(_ y: HOGVec, _ x: HOGVec) -> HOGVec {
    let zero = HOGVec(repeating: 0)
    var a = hogFastAtanFirstQuadrant(hogAbs(y), hogAbs(x))
    // `+ 0` turns −0 into +0, so the sign bit means `< 0` exactly.
    a = hogSelect(hogNeg(x + zero), HOGVec(repeating: 180) - a, a)
    a = hogSelect(hogNeg(y + zero), HOGVec(repeating: 360) - a, a)
    return a
}

/// ``hogFastAtanDegrees(_:_:)`` for `y >= 0` (not −0): the last correction never applies.
@inline(__always)
func hogFastAtanDegreesUpper(_ y: HOGVec, _ x: HOGVec) -> HOGVec {
    let a = hogFastAtanFirstQuadrant(y, hogAbs(x))
    return hogSelect(hogNeg(x + HOGVec(repeating: 0)), HOGVec(repeating: 180) - a, a)
}

/// The angle of `(ax, ay)`, both ≥ 0, in degrees `[0, 90]`: the polynomial of `fastAtan2`
/// on the smaller-over-larger ratio, mirrored at 45°.
@inline(__always)
func hogFastAtanFirstQuadrant(_ ay: HOGVec, _ ax: HOGVec) -> HOGVec {
    let p1: Float = 0.9997878412794807 * Float(180 / Double.pi)
    let p3: Float = -0.3258083974640975 * Float(180 / Double.pi)
    let p5: Float = 0.1555786518463281 * Float(180 / Double.pi)
    let p7: Float = -0.04432655554792128 * Float(180 / Double.pi)
    let eps = HOGVec(repeating: Float(Double.ulpOfOne))
    let xMajor = ~hogNeg(ax - ay)  // |x| >= |y|
    let num = hogSelect(xMajor, ay, ax)
    let den = hogSelect(xMajor, ax, ay)
    let c = num / (den + eps)
    let c2 = c * c
    let a = (((HOGVec(repeating: p7) * c2 + HOGVec(repeating: p5)) * c2 + HOGVec(repeating: p3)) * c2 + HOGVec(repeating: p1)) * c
    return hogSelect(xMajor, a, HOGVec(repeating: 90) - a)
}

/// The scalar `hogFloor` on 8 lanes.
@inline(__always)
func hogFloor(_ a: HOGVec) -> HOGVec {
    let magic = HOGVec(repeating: 12582912)
    let r = (a + magic) - magic
    return hogSelect(hogNeg(a - r), r - HOGVec(repeating: 1), r)  // r > a → r − 1
}

/// The scalar `hogInt` on 8 lanes.
@inline(__always)
func hogInt(_ r: HOGVec) -> HOGIntVec {
    let magic: Float = 12582912
    return hogBits(r + HOGVec(repeating: magic)) &- HOGIntVec(repeating: Int32(bitPattern: magic.bitPattern))
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
package func hogExactBin(gx: Double, gy: Double, orientations n: Int, signed: Bool) -> Int {
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

// MARK: - Gradients and votes

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

    /// Central differences of channel `c` in row `y`, columns `0..<count` (zero in the first
    /// and last row/column of the image).
    func channelGradient(c: Int, y: Int, count: Int, gx: UnsafeMutablePointer<Float>, gy: UnsafeMutablePointer<Float>) {
        let w = width, h = height
        let row = planeRow(c: c, y: y)
        if margin > 0 {
            let up = row - planeRowLength, dn = row + planeRowLength
            for x in 0..<count { gy[x] = dn[x] - up[x]; gx[x] = row[x + 1] - row[x - 1] }
            return
        }
        if y == 0 || y == h - 1 {
            gy.initialize(repeating: 0, count: count)
        } else {
            let up = row - w, dn = row + w
            for x in 0..<count { gy[x] = dn[x] - up[x] }
        }
        guard count > 0 else { return }
        gx[0] = 0
        let xEnd = min(count, w - 1)
        if xEnd > 1 { for x in 1..<xEnd { gx[x] = row[x + 1] - row[x - 1] } }
        if count == w && w > 1 { gx[w - 1] = 0 }
    }

    /// The gradient of row `y` (columns `0..<count`), strongest channel per pixel, into
    /// `gx`/`gy`; `tmp` holds 6 rows of `count` Floats for multichannel images.
    func gradientRow(y: Int, count: Int, tieBreak: HOGChannelTieBreak, gx: UnsafeMutablePointer<Float>,
                     gy: UnsafeMutablePointer<Float>, tmp: UnsafeMutablePointer<Float>) {
        if channels == 1 {
            channelGradient(c: 0, y: y, count: count, gx: gx, gy: gy)
        } else if channels == 3 && tieBreak == .opencv {
            opencvSelect(y: y, count: count, gx: gx, gy: gy, tmp: tmp)
        } else {
            channelGradient(c: 0, y: y, count: count, gx: gx, gy: gy)
            let cx = tmp, cy = tmp + count
            for c in 1..<channels {
                channelGradient(c: c, y: y, count: count, gx: cx, gy: cy)
                for x in 0..<count {
                    let ax = cx[x], ay = cy[x], bx = gx[x], by = gy[x]
                    let mc = Double(ax) * Double(ax) + Double(ay) * Double(ay)
                    let mb = Double(bx) * Double(bx) + Double(by) * Double(by)
                    let take = mc > mb
                    gx[x] = take ? ax : bx
                    gy[x] = take ? ay : by
                }
            }
        }
    }

    /// OpenCV's 3-channel selection (planes are R, G, B; OpenCV sees B, G, R): its SIMD path
    /// (all but the last `width % 4` columns) prefers B over G over R on ties, its scalar
    /// tail R over G over B.
    func opencvSelect(y: Int, count: Int, gx: UnsafeMutablePointer<Float>, gy: UnsafeMutablePointer<Float>, tmp: UnsafeMutablePointer<Float>) {
        if margin > 0 { return opencvSelectFramed(y: y, count: count, gx: gx, gy: gy) }
        let rx = tmp, ry = tmp + count, gxg = tmp + 2 * count, gyg = tmp + 3 * count, bxb = tmp + 4 * count, byb = tmp + 5 * count
        channelGradient(c: 0, y: y, count: count, gx: rx, gy: ry)
        channelGradient(c: 1, y: y, count: count, gx: gxg, gy: gyg)
        channelGradient(c: 2, y: y, count: count, gx: bxb, gy: byb)
        let simdEnd = min(count, opencvVectorEnd ?? (width / 4) * 4)
        for x in 0..<simdEnd {
            let mR = rx[x] * rx[x] + ry[x] * ry[x], mG = gxg[x] * gxg[x] + gyg[x] * gyg[x], mB = bxb[x] * bxb[x] + byb[x] * byb[x]
            // v_select(mag2 > mag1, R, G), then v_select(max(mag2, mag1) > mag0, that, B).
            let rOverG = mR > mG
            let sx = rOverG ? rx[x] : gxg[x], sy = rOverG ? ry[x] : gyg[x]
            let keep = max(mR, mG) > mB
            gx[x] = keep ? sx : bxb[x]
            gy[x] = keep ? sy : byb[x]
        }
        if simdEnd < count {
            for x in simdEnd..<count {
                let mR = rx[x] * rx[x] + ry[x] * ry[x], mG = gxg[x] * gxg[x] + gyg[x] * gyg[x], mB = bxb[x] * bxb[x] + byb[x] * byb[x]
                var sx = rx[x], sy = ry[x], m = mR
                if m < mG { sx = gxg[x]; sy = gyg[x]; m = mG }
                if m < mB { sx = bxb[x]; sy = byb[x] }
                gx[x] = sx; gy[x] = sy
            }
        }
    }

    /// ``opencvSelect`` for a framed source (every pixel has real neighbours): the three
    /// channels' central differences and the selection in one pass over the planes, with no
    /// per-channel gradient rows. Same Float operations, same result.
    private func opencvSelectFramed(y: Int, count: Int, gx: UnsafeMutablePointer<Float>, gy: UnsafeMutablePointer<Float>) {
        let rl = planeRowLength
        let r = planeRow(c: 0, y: y), g = planeRow(c: 1, y: y), b = planeRow(c: 2, y: y)
        let simdEnd = min(count, opencvVectorEnd ?? (width / 4) * 4)
        // Explicit vectors: LLVM leaves the scalar form of the two selects unvectorized.
        var x0 = 0
        while x0 + 8 <= simdEnd {
            let rx = hogLoad(r + x0 + 1) - hogLoad(r + x0 - 1), ry = hogLoad(r + x0 + rl) - hogLoad(r + x0 - rl)
            let gxg = hogLoad(g + x0 + 1) - hogLoad(g + x0 - 1), gyg = hogLoad(g + x0 + rl) - hogLoad(g + x0 - rl)
            let bxb = hogLoad(b + x0 + 1) - hogLoad(b + x0 - 1), byb = hogLoad(b + x0 + rl) - hogLoad(b + x0 - rl)
            let mR = rx * rx + ry * ry, mG = gxg * gxg + gyg * gyg, mB = bxb * bxb + byb * byb
            let rOverG = mR .> mG
            let sx = gxg.replacing(with: rx, where: rOverG), sy = gyg.replacing(with: ry, where: rOverG)
            let keep = (mR .> mB) .| (mG .> mB)  // max(mR, mG) > mB; finite values, and inlined
            hogStore(bxb.replacing(with: sx, where: keep), gx + x0)
            hogStore(byb.replacing(with: sy, where: keep), gy + x0)
            x0 += 8
        }
        for x in x0..<max(x0, simdEnd) {
            let rx = r[x + 1] - r[x - 1], ry = r[x + rl] - r[x - rl]
            let gxg = g[x + 1] - g[x - 1], gyg = g[x + rl] - g[x - rl]
            let bxb = b[x + 1] - b[x - 1], byb = b[x + rl] - b[x - rl]
            let mR = rx * rx + ry * ry, mG = gxg * gxg + gyg * gyg, mB = bxb * bxb + byb * byb
            let rOverG = mR > mG
            let sx = rOverG ? rx : gxg, sy = rOverG ? ry : gyg
            let keep = max(mR, mG) > mB
            gx[x] = keep ? sx : bxb
            gy[x] = keep ? sy : byb
        }
        if simdEnd < count {
            for x in simdEnd..<count {
                let rx = r[x + 1] - r[x - 1], ry = r[x + rl] - r[x - rl]
                let gxg = g[x + 1] - g[x - 1], gyg = g[x + rl] - g[x - rl]
                let bxb = b[x + 1] - b[x - 1], byb = b[x + rl] - b[x - rl]
                let mR = rx * rx + ry * ry, mG = gxg * gxg + gyg * gyg, mB = bxb * bxb + byb * byb
                var sx = rx, sy = ry, m = mR
                if m < mG { sx = gxg; sy = gyg; m = mG }
                if m < mB { sx = bxb; sy = byb }
                gx[x] = sx; gy[x] = sy
            }
        }
    }

    /// Votes of row `y`, columns `0..<count`, into `out`: 1. gradients; 2. votes by the
    /// binning mode (linear interpolation between bins, the table of integer gradients, or
    /// hard bins with 3. the near-edge pixels settled exactly). With hard binning only
    /// `b0`/`m0` are written.
    func votesRow(y: Int, count: Int, parameters p: HOGParameters, out: HOGRowVotes, buffers: HOGGradientRowBuffers) {
        guard count > 0, !framedVotesRow(y: y, count: count, parameters: p, out: out, buffers: buffers) else { return }
        precondition(framedRows == nil, "rows made on demand serve the framed vote kernel only")
        let g = gradients(y: y, count: count, tieBreak: p.channelTieBreak, buffers: buffers)
        if p.orientationInterpolation {
            interpolatedVotes(g, orientations: p.orientations, signed: p.signedGradients, out: out)
        } else if integerGradients {
            tableVotes(g, orientations: p.orientations, signed: p.signedGradients, out: out, index: buffers.flags)
        } else {
            let binner = HOGHardBinner(orientations: p.orientations, signed: p.signedGradients, out: out, flags: buffers.flags)
            let flagged = binner.votes(g)
            settleFlagged(y: y, count: count, flagged: flagged, flags: buffers.flags, binner: binner)
        }
    }

    /// Step 1 for row `y`: one channel straight from its plane (central differences fused
    /// into the vote loops: dx from a cheap first pass, zero in the first and last column, dy
    /// read from the plane), several through ``gradientRow(y:count:tieBreak:gx:gy:tmp:)``
    /// (strongest channel per pixel).
    private func gradients(y: Int, count: Int, tieBreak: HOGChannelTieBreak, buffers: HOGGradientRowBuffers) -> HOGGradientRow {
        let w = width
        let row = planeRow(c: 0, y: y)
        let yEdge = margin == 0 && (y == 0 || y == height - 1)
        let rl = planeRowLength
        let up = yEdge ? row : row - rl, dn = yEdge ? row : row + rl  // dy = 0 on the edge rows
        let gxRow = buffers.gx, gyRow = buffers.gy
        if channels == 1 && margin > 0 {
            for x in 0..<count { gxRow[x] = row[x + 1] - row[x - 1] }
        } else if channels == 1 {
            gxRow[0] = 0
            let xEnd = min(count, w - 1)
            if xEnd > 1 { for x in 1..<xEnd { gxRow[x] = row[x + 1] - row[x - 1] } }
            if count == w && w > 1 { gxRow[w - 1] = 0 }
        } else {
            gradientRow(y: y, count: count, tieBreak: tieBreak, gx: gxRow, gy: gyRow, tmp: buffers.channels)
        }
        return HOGGradientRow(count: count, single: channels == 1, gx: gxRow, gy: gyRow, up: up, dn: dn)
    }

    /// Step 2a, OpenCV's `computeGradient`: angle·(n/π) − 0.5 (radians), split between floor
    /// and floor + 1 with linear weights.
    private func interpolatedVotes(_ g: HOGGradientRow, orientations n: Int, signed: Bool, out: HOGRowVotes) {
        let b0 = out.b0, b1 = out.b1, m0 = out.m0, m1 = out.m1
        let angleScale = signed ? Float(Double(n) / (2 * Double.pi)) : Float(Double(n) / Double.pi)
        let radPerDeg = Float(Double.pi / 180)
        let n32 = Int32(n)
        let nV = HOGIntVec(repeating: n32), oneI = HOGIntVec(repeating: 1)
        let scaleV = HOGVec(repeating: angleScale), radV = HOGVec(repeating: radPerDeg)
        let halfV = HOGVec(repeating: 0.5), oneV = HOGVec(repeating: 1)
        g.forEach({ x0, dx, dy in
            let mag = (dx * dx + dy * dy).squareRoot()
            var angle = hogFastAtanDegrees(dy, dx) * radV
            angle = angle * scaleV - halfV
            let fl = hogFloor(angle)
            angle = angle - fl
            hogStore(mag * (oneV - angle), m0 + x0)
            hogStore(mag * angle, m1 + x0)
            var hidx = hogInt(fl)
            hidx = hogSelect(hogNeg(hidx), hidx &+ nV, hidx)             // < 0 → + n
            hidx = hogSelect(hogNeg(hidx &- nV), hidx, hidx &- nV)       // >= n → − n
            hogStore(hidx, b0 + x0)
            let next = hidx &+ oneI
            hogStore(hogSelect(hogNeg(next &- nV), next, HOGIntVec(repeating: 0)), b1 + x0)
        }, { x, dx, dy in
            let mag = (dx * dx + dy * dy).squareRoot()
            var angle = hogFastAtanDegrees(dy, dx) * radPerDeg
            angle = angle * angleScale - 0.5
            let fl = hogFloor(angle)
            angle -= fl
            m0[x] = mag * (1 - angle)
            m1[x] = mag * angle
            var hidx = hogInt(fl)
            hidx = hidx < 0 ? hidx &+ n32 : (hidx >= n32 ? hidx &- n32 : hidx)
            b0[x] = UInt8(truncatingIfNeeded: hidx)
            let next = hidx &+ 1
            b1[x] = UInt8(truncatingIfNeeded: next < n32 ? next : 0)
        })
    }

    /// Step 2b', integer gradients: the bin of every (dx, dy) in −255...255² is in a table.
    /// `index` holds `4 · count` bytes.
    private func tableVotes(_ g: HOGGradientRow, orientations n: Int, signed: Bool, out: HOGRowVotes,
                            index: UnsafeMutablePointer<UInt8>) {
        let b0 = out.b0, m0 = out.m0
        let table = HOGBinTable.table(orientations: n, signed: signed)
        let idx = UnsafeMutableRawPointer(index).assumingMemoryBound(to: Int32.self)
        let off = HOGVec(repeating: 255), rowLen = HOGVec(repeating: Float(HOGBinTable.side))
        g.forEach({ x0, dx, dy in
            hogStore((dx * dx + dy * dy).squareRoot(), m0 + x0)
            let i = hogInt((dx + off) * rowLen + (dy + off))  // exact: < 2²⁴
            UnsafeMutableRawPointer(idx + x0).storeBytes(of: i, as: HOGIntVec.self)
        }, { x, dx, dy in
            m0[x] = (dx * dx + dy * dy).squareRoot()
            idx[x] = hogInt((dx + 255) * Float(HOGBinTable.side) + (dy + 255))
        })
        for x in 0..<g.count {
            let b = table[Int(idx[x])]
            b0[x] = b == 255 ? 0 : b
            if b == 255 { m0[x] = 0 }
        }
    }

    /// Step 3: settles the flagged pixels (a fraction of a percent) with scikit-image's exact
    /// Double decision, skipping 8 clear flags at a time.
    private func settleFlagged(y: Int, count: Int, flagged: Int, flags: UnsafeMutablePointer<UInt8>, binner: HOGHardBinner) {
        let b0 = binner.b0, m0 = binner.m0
        var flagged = flagged
        var x = 0
        while flagged > 0 && x < count {
            if x + 8 <= count && UnsafeRawPointer(flags + x).loadUnaligned(as: UInt64.self) == 0 {
                x += 8
                continue
            }
            if flags[x] != 0 {
                flagged -= 1
                let g = exactGradient(x: x, y: y)
                let bin = hogExactBin(gx: g.gx, gy: g.gy, orientations: binner.orientations, signed: binner.signed)
                if bin < 0 {
                    m0[x] = 0; b0[x] = 0
                } else {
                    b0[x] = UInt8(truncatingIfNeeded: bin)
                }
            }
            x += 1
        }
    }
}

/// One row of gradients as the vote loops read them: columns below `count / 8 · 8` 8 at a
/// time, the rest one by one. One channel: `gx` and `dn − up`; several: `gx` and `gy`.
struct HOGGradientRow {
    let count: Int
    let single: Bool
    let gx: UnsafeMutablePointer<Float>, gy: UnsafeMutablePointer<Float>
    /// The rows above and below (the row itself on the image's first and last row).
    let up: UnsafePointer<Float>, dn: UnsafePointer<Float>

    /// Calls `vector(x0, dx, dy)` for every 8 columns, then `scalar(x, dx, dy)` for the tail.
    @inline(__always) func forEach(_ vector: (Int, HOGVec, HOGVec) -> Void, _ scalar: (Int, Float, Float) -> Void) {
        let vEnd = count / 8 * 8
        var x = 0
        if single {
            while x < vEnd {
                vector(x, hogLoad(gx + x), hogLoad(dn + x) - hogLoad(up + x))
                x += 8
            }
            for x in vEnd..<count { scalar(x, gx[x], dn[x] - up[x]) }
        } else {
            while x < vEnd {
                vector(x, hogLoad(gx + x), hogLoad(gy + x))
                x += 8
            }
            for x in vEnd..<count { scalar(x, gx[x], gy[x]) }
        }
    }
}

/// Step 2b, hard binning decided as scikit-image decides it: the fast angle settles every
/// pixel farther than `margin` from a bin edge; the others are flagged (and settled in Double
/// from the source samples afterwards).
struct HOGHardBinner {
    let orientations: Int
    let signed: Bool
    let b0: UnsafeMutablePointer<UInt8>, m0: UnsafeMutablePointer<Float>
    let flags: UnsafeMutablePointer<UInt8>
    let edges: HOGBinEdges

    init(orientations n: Int, signed: Bool, out: HOGRowVotes, flags: UnsafeMutablePointer<UInt8>) {
        orientations = n
        self.signed = signed
        b0 = out.b0; m0 = out.m0
        self.flags = flags
        edges = HOGBinEdges(orientations: n, signed: signed)
    }

    /// Bins, magnitudes and flags of a row; returns the number of flagged pixels.
    func votes(_ g: HOGGradientRow) -> Int {
        var flagged = 0
        var flaggedV = HOGIntVec()
        let zeroV = HOGVec(repeating: 0)
        let signBit = HOGIntVec(repeating: Int32(bitPattern: 0x8000_0000))
        if signed {
            g.forEach({ x0, dx, dy in
                let mag = (dx * dx + dy * dy).squareRoot()
                finish(x0, hogFastAtanDegrees(dy, dx), mag, ~hogNeg(zeroV - mag), &flaggedV)  // mag == 0
            }, { x, dx, dy in
                let mag = (dx * dx + dy * dy).squareRoot()
                finish(x, hogFastAtanDegrees(dy, dx), mag, mag == 0, &flagged)
            })
        } else {
            g.forEach({ x0, dx, dy in
                let mag = (dx * dx + dy * dy).squareRoot()
                // Fold to dy >= 0: (dx, dy) → (−dx, −dy) when dy < 0.
                let u = hogFloats(hogBits(dx) ^ (hogBits(dy) & signBit)), v = hogAbs(dy)
                // θ is 0 (or 180 → 0) when dy == 0 (which includes mag == 0): bin 0.
                finish(x0, hogFastAtanDegreesUpper(v, u), mag, ~hogNeg(zeroV - v), &flaggedV)
            }, { x, dx, dy in
                let mag = (dx * dx + dy * dy).squareRoot()
                let neg = dy < 0
                let u = neg ? -dx : dx, v = neg ? -dy : dy
                finish(x, hogFastAtanDegrees(v, u), mag, mag == 0 || dy == 0, &flagged)
            })
        }
        return flagged &+ Int(flaggedV.wrappedSum())
    }

    /// Bin, magnitude and flag of 8 gradients (`theta` in degrees, `zero`: no angle).
    @inline(__always) private func finish(_ x0: Int, _ theta: HOGVec, _ mag: HOGVec, _ zero: HOGIntVec, _ flaggedV: inout HOGIntVec) {
        let last = edges.last, margin = edges.margin, binW = edges.binW, top = edges.top, invW = edges.invW
        let lastV = HOGVec(repeating: last), zeroV = HOGVec(repeating: 0), oneI = HOGIntVec(repeating: 1)
        let marginV = HOGVec(repeating: margin), binWV = HOGVec(repeating: binW), topV = HOGVec(repeating: top)
        var bf = hogFloor(theta * HOGVec(repeating: invW))
        bf = hogSelect(hogNeg(lastV - bf), lastV, bf)  // min(bf, n − 1)
        let d = theta - bf * binWV
        let near = hogNeg(d - marginV) | hogNeg((binWV - d) - marginV) | hogNeg(topV - theta)
        hogStore(mag, m0 + x0)
        hogStore(hogInt(hogSelect(zero, zeroV, bf)), b0 + x0)
        let f = near & ~zero & oneI
        hogStore(f, flags + x0)
        flaggedV &+= f
    }

    @inline(__always) private func finish(_ x: Int, _ theta: Float, _ mag: Float, _ zero: Bool, _ flagged: inout Int) {
        let (bf, near) = edges.bin(theta)
        m0[x] = mag
        b0[x] = UInt8(truncatingIfNeeded: hogInt(zero ? 0 : bf))
        let f: UInt8 = (near && !zero) ? 1 : 0
        flags[x] = f
        flagged &+= Int(f)
    }
}

/// The fast hard-bin decision: bin `⌊θ / w⌋` (at most `n − 1`), and whether `θ` lies within
/// `margin` of a bin edge (or of the period), where the fast angle's error could change the
/// bin and scikit-image's exact Double decision must settle it.
struct HOGBinEdges {
    let binW: Float, invW: Float, last: Float, top: Float
    let margin: Float = 0.03  // > 3× the fast atan's max error (0.0095°)

    init(orientations n: Int, signed: Bool) {
        let period: Float = signed ? 360 : 180
        binW = period / Float(n)
        invW = 1 / binW
        last = Float(n - 1)
        top = period - margin
    }

    /// The bin (as a Float) of `theta` in degrees, and whether it is near an edge.
    @inline(__always) func bin(_ theta: Float) -> (Float, Bool) {
        let bf = min(hogFloor(theta * invW), last)
        let d = theta - bf * binW
        return (bf, (d < margin) || (binW - d < margin) || (theta > top))
    }
}

/// scikit-image's hard bin for every integer gradient `(dx, dy)` in −255...255², for 8-bit
/// images without the square root: 511 × 511 bytes per (orientations, signed), built once
/// (the fast angle, and scikit-image's exact Double decision for the few gradients near a bin
/// edge; its cost is in docs/performance.md) and kept for the life of the process. 255 marks "no bin" (an
/// angle that rounds up to the period; it cannot happen for integer gradients but is handled).
final class HOGBinTable: @unchecked Sendable {
    static let side = 511
    private static let lock = NSLock()
    nonisolated(unsafe) private static var tables: [Int: HOGBinTable] = [:]

    let bins: UnsafeMutablePointer<UInt8>

    static func table(orientations n: Int, signed: Bool) -> UnsafePointer<UInt8> {
        let key = n * 2 + (signed ? 1 : 0)
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[key] { return UnsafePointer(t.bins) }
        let t = HOGBinTable(orientations: n, signed: signed)
        tables[key] = t
        return UnsafePointer(t.bins)
    }

    private init(orientations n: Int, signed: Bool) {
        bins = .allocate(capacity: Self.side * Self.side)
        let edges = HOGBinEdges(orientations: n, signed: signed)
        for dx in -255...255 {
            for dy in -255...255 {
                var bin: Int
                if dx == 0 && dy == 0 {
                    bin = 0  // no magnitude: the bin does not matter
                } else if !signed && dy == 0 {
                    bin = 0  // θ is 0 or 180 → 0
                } else {
                    // The same decision as the fast path of `votesRow`, then the exact one.
                    var u = Float(dx), v = Float(dy)
                    if !signed && v < 0 { u = -u; v = -v }
                    let (bf, near) = edges.bin(hogFastAtanDegrees(v, u))
                    bin = Int(bf)
                    if near {
                        bin = hogExactBin(gx: Double(dx), gy: Double(dy), orientations: n, signed: signed)
                    }
                }
                bins[(dx + 255) * Self.side + (dy + 255)] = bin < 0 ? 255 : UInt8(bin)
            }
        }
    }
}
