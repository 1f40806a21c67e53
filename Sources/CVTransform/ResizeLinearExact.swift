import CKernels
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
    let xs = LinearExactTaps(source: image.width, destination: width, channels: cn, planned: true)
    let ys = LinearExactTaps(source: image.height, destination: height)
    let (rowFirst, rowSecond, rowWeight0, rowWeight1) = (ys.first, ys.second, ys.weight0, ys.weight1)
    var out = Image<UInt8>.uninitialized(width: width, height: height, channels: cn)
    let rowLength = width * cn
    // Each line has slack past its end for the AVX2 kernel's overlapping stores.
    let lineStride = rowLength + 8
    let lines = UnsafeMutablePointer<UInt16>.allocate(capacity: 2 * lineStride)
    defer { lines.deallocate() }
    image.withUnsafePixels { src, srcStride in
        out.withUnsafeMutablePixels { dst, dstStride in
            var tags = (-1, -1)  // the source rows lines 0 and 1 hold
            // The line holding source row `r` (filled if absent), never evicting row `protect`.
            func line(_ r: Int, protect: Int) -> Int {
                if tags.0 == r { return 0 }
                if tags.1 == r { return 1 }
                let slot = tags.0 == protect ? 1 : 0
                horizontalPass(src + r * srcStride, rowBytes: image.width * cn, xs, channels: cn, into: lines + slot * lineStride)
                if slot == 0 { tags.0 = r } else { tags.1 = r }
                return slot
            }
            for y in 0..<height {
                // 1. the horizontal pass of the two source rows (rows shared with the previous
                //    output row are reused)
                let r0 = rowFirst[y], r1 = rowSecond[y]
                let line0 = line(r0, protect: r1)
                let line1 = line(r1, protect: r0)
                // 2. the vertical pass with rounding (`ck_resize_linear_exact_v_u8`)
                let a = lines + line0 * lineStride, b = lines + line1 * lineStride
                ck_resize_linear_exact_v_u8(a, b, rowLength, UInt32(rowWeight0[y]), UInt32(rowWeight1[y]), dst + y * dstStride)
            }
        }
    }
    return out
}

/// One row of `p0·c0 + p1·c1` (at most 255·256, so UInt16 holds it exactly), by the
/// `ck_resize_linear_exact_h_u8` kernel (AVX2 gathers for gray and RGB, integer arithmetic).
private func horizontalPass(_ row: UnsafePointer<UInt8>, rowBytes: Int, _ xs: LinearExactTaps, channels cn: Int,
                            into line: UnsafeMutablePointer<UInt16>) {
    if let plan = xs.plan {
        plan.start.withUnsafeBufferPointer { s in
            plan.index.withUnsafeBufferPointer { i in
                plan.weights.withUnsafeBufferPointer { w in
                    ck_resize_linear_exact_h_u8_planned(row, rowBytes, line, xs.offsets0.count * cn, s.baseAddress!,
                                                        i.baseAddress!, w.baseAddress!)
                }
            }
        }
        return
    }
    xs.offsets0.withUnsafeBufferPointer { o0 in
        xs.offsets1.withUnsafeBufferPointer { o1 in
            xs.weights0.withUnsafeBufferPointer { w0 in
                xs.weights1.withUnsafeBufferPointer { w1 in
                    ck_resize_linear_exact_h_u8(row, rowBytes, line, o0.count, Int32(cn), o0.baseAddress!, o1.baseAddress!,
                                                w0.baseAddress!, w1.baseAddress!)
                }
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

    /// The same per output pixel as separate arrays, taps as byte offsets (tap · channels).
    let offsets0: [Int32], offsets1: [Int32], weights0: [Int32], weights1: [Int32]
    /// The byte-permutation plan of `ck_resize_linear_exact_h_u8_planned` (no gathers), when
    /// the machine has AVX-512 VBMI and the scale keeps each group's taps within its window.
    var plan: (start: [Int32], index: [UInt8], weights: [Int16])?

    init(source: Int, destination: Int, channels: Int = 1, planned: Bool = false) {
        let scale = 1 / (Double(destination) / Double(source))
        var taps: [Int32] = []
        taps.reserveCapacity(4 * destination)
        for d in 0..<destination {
            let f = (Double(d) + 0.5) * scale - 0.5
            let i = f.rounded(.down)
            let c1 = Int32(((f - i) * 256).rounded(.toNearestOrEven))
            let i0 = Int(i)
            taps += [Int32(min(max(i0, 0), source - 1)), Int32(min(max(i0 + 1, 0), source - 1)), 256 - c1, c1]
        }
        self.taps = taps
        let t = taps, cn = Int32(channels)
        offsets0 = (0..<destination).map { t[4 * $0] * cn }
        offsets1 = (0..<destination).map { t[4 * $0 + 1] * cn }
        weights0 = (0..<destination).map { t[4 * $0 + 2] }
        weights1 = (0..<destination).map { t[4 * $0 + 3] }
        plan = planned ? Self.plan(offsets0, offsets1, weights0, weights1, channels: channels) : nil
    }

    private static func plan(_ o0: [Int32], _ o1: [Int32], _ w0: [Int32], _ w1: [Int32],
                             channels cn: Int) -> (start: [Int32], index: [UInt8], weights: [Int16])? {
        let groups = ck_resize_linear_exact_h_groups(o0.count, Int32(cn))
        var start = [Int32](repeating: 0, count: groups), index = [UInt8](repeating: 0, count: 64 * groups)
        var weights = [Int16](repeating: 0, count: 32 * groups)
        let planned = ck_resize_linear_exact_h_plan(o0.count, Int32(cn), o0, o1, w0, w1, &start, &index, &weights)
        return planned != 0 ? (start, index, weights) : nil
    }
}
