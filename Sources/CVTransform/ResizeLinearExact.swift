import CVCore

/// OpenCV's `INTER_LINEAR_EXACT` for 8-bit images: bilinear interpolation with 8-bit
/// fixed-point weights, reproduced bit for bit (OpenCV's `resize_bitExact`, specified by its
/// test `Resize_Bitexact.Linear8U`).
///
/// Per axis the source coordinate of output pixel `d` is `f = (d + 0.5)·scale − 0.5` with
/// `scale = 1 / (dst / src)` in Double, the left tap `⌊f⌋` (taps clamped to the image) and the
/// weights `c1 = round-half-even((f − ⌊f⌋)·256)`, `c0 = 256 − c1`. The output is
/// `((p00·x0 + p01·x1)·y0 + (p10·x0 + p11·x1)·y1 + 2¹⁵) >> 16`. Unlike plain `INTER_LINEAR`
/// (11-bit weights, which ``ResizeFilter/bilinear`` reproduces), this rounding is the same on
/// every CPU; `cv2.HOGDescriptor.detectMultiScale` builds its pyramid with it. At exactly
/// half size OpenCV switches to its 2×2 area average, `(a + b + c + d + 2) >> 2`, which the
/// formula gives too (both weights are 128).
///
/// - Parameters:
///   - image: 1 to 4 interleaved channels.
///   - width, height: the output size, at least 1×1 (callers check ``ImageLimits``).
/// - Returns: a `width × height` image with the input's channels.
/// - Complexity: O(width · height · channels) plus O(width + height) for the tables.
package func resizeLinearExact(_ image: Image<UInt8>, width: Int, height: Int) -> Image<UInt8> {
    precondition(width >= 1 && height >= 1 && image.width >= 1 && image.height >= 1, "empty resize")
    let cn = image.channels
    let xs = LinearExactTaps(source: image.width, destination: width)
    let ys = LinearExactTaps(source: image.height, destination: height)
    let (rowFirst, rowSecond, rowWeight0, rowWeight1) = (ys.first, ys.second, ys.weight0, ys.weight1)
    var out = Image<UInt8>.uninitialized(width: width, height: height, channels: cn)
    let rowLength = width * cn
    let lines = UnsafeMutablePointer<UInt16>.allocate(capacity: 2 * rowLength)
    defer { lines.deallocate() }
    image.withUnsafePixels { src, srcStride in
        out.withUnsafeMutablePixels { dst, dstStride in
            var tags = (-1, -1)  // the source rows lines 0 and 1 hold
            // The line holding source row `r` (filled if absent), never evicting row `protect`.
            func line(_ r: Int, protect: Int) -> Int {
                if tags.0 == r { return 0 }
                if tags.1 == r { return 1 }
                let slot = tags.0 == protect ? 1 : 0
                horizontalPass(src + r * srcStride, xs, channels: cn, into: lines + slot * rowLength)
                if slot == 0 { tags.0 = r } else { tags.1 = r }
                return slot
            }
            for y in 0..<height {
                // 1. the horizontal pass of the two source rows (rows shared with the previous
                //    output row are reused)
                let r0 = rowFirst[y], r1 = rowSecond[y]
                let line0 = line(r0, protect: r1)
                let line1 = line(r1, protect: r0)
                // 2. the vertical pass with rounding
                let a = lines + line0 * rowLength, b = lines + line1 * rowLength
                let w0 = UInt32(rowWeight0[y]), w1 = UInt32(rowWeight1[y])
                let d = dst + y * dstStride
                for i in 0..<rowLength {
                    d[i] = UInt8(truncatingIfNeeded: (UInt32(a[i]) &* w0 &+ UInt32(b[i]) &* w1 &+ 32768) >> 16)
                }
            }
        }
    }
    return out
}

/// One row of `p0·c0 + p1·c1` (at most 255·256, so UInt16 holds it exactly); gray and RGB
/// have their own loops so the channel loop does not run per pixel.
private func horizontalPass(_ row: UnsafePointer<UInt8>, _ xs: LinearExactTaps, channels cn: Int,
                            into line: UnsafeMutablePointer<UInt16>) {
    xs.taps.withUnsafeBufferPointer { tp in
        let t = tp.baseAddress!
        let n = tp.count / 4
        switch cn {
        case 1:
            for x in 0..<n {
                let i0 = Int(t[4 * x]), i1 = Int(t[4 * x + 1])
                line[x] = UInt16(row[i0]) &* UInt16(t[4 * x + 2]) &+ UInt16(row[i1]) &* UInt16(t[4 * x + 3])
            }
        case 3:
            for x in 0..<n {
                let p0 = row + Int(t[4 * x]) * 3, p1 = row + Int(t[4 * x + 1]) * 3
                let c0 = UInt16(t[4 * x + 2]), c1 = UInt16(t[4 * x + 3])
                let o = line + 3 * x
                o[0] = UInt16(p0[0]) &* c0 &+ UInt16(p1[0]) &* c1
                o[1] = UInt16(p0[1]) &* c0 &+ UInt16(p1[1]) &* c1
                o[2] = UInt16(p0[2]) &* c0 &+ UInt16(p1[2]) &* c1
            }
        default:
            for x in 0..<n {
                let p0 = row + Int(t[4 * x]) * cn, p1 = row + Int(t[4 * x + 1]) * cn
                let c0 = UInt16(t[4 * x + 2]), c1 = UInt16(t[4 * x + 3])
                for c in 0..<cn { line[x * cn + c] = UInt16(p0[c]) &* c0 &+ UInt16(p1[c]) &* c1 }
            }
        }
    }
}

/// The taps and 8-bit weights of one axis.
private struct LinearExactTaps {
    /// Per output pixel: left tap, right tap (both clamped), weight of each.
    var taps: [Int32]
    var first: [Int] { stride(from: 0, to: taps.count, by: 4).map { Int(taps[$0]) } }
    var second: [Int] { stride(from: 1, to: taps.count, by: 4).map { Int(taps[$0]) } }
    var weight0: [Int] { stride(from: 2, to: taps.count, by: 4).map { Int(taps[$0]) } }
    var weight1: [Int] { stride(from: 3, to: taps.count, by: 4).map { Int(taps[$0]) } }

    init(source: Int, destination: Int) {
        let scale = 1 / (Double(destination) / Double(source))
        taps = []
        taps.reserveCapacity(4 * destination)
        for d in 0..<destination {
            let f = (Double(d) + 0.5) * scale - 0.5
            let i = f.rounded(.down)
            let c1 = Int32(((f - i) * 256).rounded(.toNearestOrEven))
            let i0 = Int(i)
            taps += [Int32(min(max(i0, 0), source - 1)), Int32(min(max(i0 + 1, 0), source - 1)), 256 - c1, c1]
        }
    }
}
