import CKernels
import CVCore

/// The separable two-pass engine: horizontal pass into an intermediate row type `Mid`, then a
/// vertical pass over the intermediate rows.
///
/// Output rows are split into stripes (one per thread). Each stripe keeps a ring of
/// horizontally resampled rows keyed by source row, so every source row is filtered once per
/// stripe and the intermediate stays in cache (OpenCV keeps the same kind of row cache).
enum ResizeEngine {
    /// Runs the two passes.
    /// - Parameters:
    ///   - outHeight: output rows.
    ///   - midWidth: samples per intermediate row (output width × channels).
    ///   - sourceRowSamples: samples in one source row, when the horizontal pass reads whole
    ///     source rows (heavy downscales): counted as half an output row's work each when
    ///     deciding whether a stripe is worth a thread; 0 to count output samples only.
    ///   - vertical: table whose `index`/`count` say which source rows each output row reads.
    ///   - of: the intermediate sample type `Mid` (Int32 for OpenCV's 8-bit path, UInt8/UInt16
    ///     for Pillow's, Float otherwise).
    ///   - horizontal: filters source row `r` into the intermediate buffer.
    ///   - combine: writes output row `y` from `n` intermediate rows (in tap order).
    static func run<Mid>(outHeight: Int, midWidth: Int, sourceRowSamples: Int = 0, vertical: ResizeAxisTable, of _: Mid.Type,
                         horizontal: (_ sourceRow: Int, _ dst: UnsafeMutablePointer<Mid>) -> Void,
                         combine: (_ y: Int, _ rows: UnsafePointer<UnsafePointer<Mid>>, _ n: Int) -> Void) {
        let taps = vertical.taps
        // Enough rows per stripe that the overlap of neighbouring stripes' windows stays small
        // and that a stripe is worth a thread (about 128 K output samples, like OpenCV's
        // 64 K-pixel stripes): thumbnails run on the calling thread.
        // Two-tap (bilinear) passes are as light as ResizeRows.minStripeRowsLight says.
        let minRows = taps <= 2 ? max(8, ResizeRows.minStripeRowsLight(outSamplesPerRow: midWidth))
                                : max(8, taps, (1 << 17) / max(midWidth, sourceRowSamples / 2, 1))
        Parallel.forEachStripe(rows: outHeight, minRowsPerStripe: minRows) { range in
            let slots = taps
            // Every slot is written by `horizontal` before it is read (slotRow starts at -1).
            let ring = UnsafeMutablePointer<Mid>.allocate(capacity: slots * max(midWidth, 1) + 16)
            let slotRow = UnsafeMutablePointer<Int>.allocate(capacity: slots)
            slotRow.initialize(repeating: -1, count: slots)
            let rowPtrs = UnsafeMutablePointer<UnsafePointer<Mid>>.allocate(capacity: slots)
            defer { ring.deallocate(); slotRow.deallocate(); rowPtrs.deallocate() }
            for y in range {
                let n = Int(vertical.count[y])
                let idx = vertical.index + y * taps
                for k in 0..<n {
                    let r = Int(idx[k])
                    let slot = r % slots
                    let p = ring + slot * midWidth
                    if slotRow[slot] != r {
                        horizontal(r, p)
                        slotRow[slot] = r
                    }
                    rowPtrs[k] = UnsafePointer(p)
                }
                combine(y, UnsafePointer(rowPtrs), n)
            }
        }
    }
}

// MARK: - Horizontal passes (contiguous windows: use a folded table)

enum ResizeHorizontal {
    /// UInt8 → Int32 sums of `pixel · weight` (OpenCV's 11-bit fixed point, no rounding yet),
    /// each starting from `bias` (Pillow's rounding half, or 0).
    @inline(__always)
    static func u8ToI32(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<Int32>, _ t: ResizeAxisTable, channels: Int,
                        bias: Int32 = 0) {
        switch channels {
        case 1: u8ToI32Body(src, dst, t, 1, bias)
        case 2: u8ToI32Body(src, dst, t, 2, bias)
        case 3: u8ToI32Body(src, dst, t, 3, bias)
        default: u8ToI32Body(src, dst, t, 4, bias)
        }
    }

    @inline(__always)
    private static func u8ToI32Body(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<Int32>, _ t: ResizeAxisTable,
                                    _ c: Int, _ bias: Int32) {
        let taps = t.taps
        var d = dst
        for x in 0..<t.outSize {
            let n = Int(t.count[x])
            let w = t.wi + x * taps
            var p = src + Int(t.start[x]) * c
            var a0 = bias, a1 = bias, a2 = bias, a3 = bias
            for k in 0..<n {
                let wk = w[k]
                a0 &+= Int32(p[0]) &* wk
                if c > 1 { a1 &+= Int32(p[1]) &* wk }
                if c > 2 { a2 &+= Int32(p[2]) &* wk }
                if c > 3 { a3 &+= Int32(p[3]) &* wk }
                p += c
            }
            d[0] = a0
            if c > 1 { d[1] = a1 }
            if c > 2 { d[2] = a2 }
            if c > 3 { d[3] = a3 }
            d += c
        }
    }

    /// UInt8 → UInt8 with Pillow's 22-bit fixed point and `clip8` rounding: the C kernel
    /// `ck_resize_h_pillow_u8` (AVX2 when available) over a row of `rowLength` samples.
    @inline(__always)
    static func pillowU8(_ src: UnsafePointer<UInt8>, _ rowLength: Int, _ dst: UnsafeMutablePointer<UInt8>,
                         _ t: ResizeAxisTable, channels: Int) {
        ck_resize_h_pillow_u8(src, rowLength, dst, t.outSize, Int32(channels), t.start, t.count, t.wi, Int32(t.taps))
    }

    /// Readable statement of ``pillowU8(_:_:_:_:channels:)`` (the tests compare the two): the
    /// Int32 sums of ``u8ToI32(_:_:_:channels:bias:)`` from Pillow's rounding half, then `clip8`.
    static func u8ToU8(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>, _ t: ResizeAxisTable, channels: Int) {
        let n = t.outSize * channels
        let sums = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            u8ToI32(src, buffer.baseAddress!, t, channels: channels, bias: ResizePillowMath.half)
            count = n
        }
        for i in 0..<n { dst[i] = ResizePillowMath.clip8(sums[i]) }
    }

    /// UInt8 or Float → Float with Float weights.
    @inline(__always)
    static func toFloat<S: PixelScalar>(_ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<Float>, _ t: ResizeAxisTable, channels: Int) {
        switch channels {
        case 1: toFloatBody(src, dst, t, 1)
        case 2: toFloatBody(src, dst, t, 2)
        case 3: toFloatBody(src, dst, t, 3)
        default: toFloatBody(src, dst, t, 4)
        }
    }

    @inline(__always)
    private static func toFloatBody<S: PixelScalar>(_ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<Float>, _ t: ResizeAxisTable, _ c: Int) {
        let taps = t.taps
        var d = dst
        for x in 0..<t.outSize {
            let n = Int(t.count[x])
            let w = t.wf + x * taps
            var p = src + Int(t.start[x]) * c
            var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
            for k in 0..<n {
                let wk = w[k]
                a0 += p[0].floatValue * wk
                if c > 1 { a1 += p[1].floatValue * wk }
                if c > 2 { a2 += p[2].floatValue * wk }
                if c > 3 { a3 += p[3].floatValue * wk }
                p += c
            }
            d[0] = a0
            if c > 1 { d[1] = a1 }
            if c > 2 { d[2] = a2 }
            if c > 3 { d[3] = a3 }
            d += c
        }
    }
}

// MARK: - Vertical passes

enum ResizeVertical {
    /// OpenCV's vectorised bilinear 8-bit rounding (`VResizeLinearVec_32s8u`):
    /// `((b0·(S0>>4))>>16 + (b1·(S1>>4))>>16 + 2) >> 2`, saturated.
    static func opencvLinear(_ rows: UnsafePointer<UnsafePointer<Int32>>, _ w: UnsafePointer<Int32>,
                             _ dst: UnsafeMutablePointer<UInt8>, _ width: Int) {
        let s0 = rows[0], s1 = rows[1]
        let b0 = w[0], b1 = w[1]
        for x in 0..<width {
            let v = (((b0 &* (s0[x] >> 4)) >> 16) &+ ((b1 &* (s1[x] >> 4)) >> 16) &+ 2) >> 2
            dst[x] = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(truncatingIfNeeded: v))
        }
    }

    /// OpenCV's vectorised bicubic 8-bit path (`VResizeCubicVec_32s8u`): the Int32 sums are
    /// combined in single precision with weights `beta / 2048²`, then rounded to nearest even.
    static func opencvFloatRound(_ rows: UnsafePointer<UnsafePointer<Int32>>, _ n: Int, _ w: UnsafePointer<Int32>,
                                 _ dst: UnsafeMutablePointer<UInt8>, _ width: Int, _ acc: UnsafeMutablePointer<Float>) {
        let scale: Float = 1.0 / (2048 * 2048)
        let b0 = Float(w[0]) * scale
        let r0 = rows[0]
        for x in 0..<width { acc[x] = Float(r0[x]) * b0 }
        for k in 1..<n {
            let bk = Float(w[k]) * scale
            let rk = rows[k]
            for x in 0..<width { acc[x] += Float(rk[x]) * bk }
        }
        for x in 0..<width {
            let v = acc[x].rounded(.toNearestOrEven)
            dst[x] = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(v))
        }
    }

    /// OpenCV's scalar fixed-point path (`FixedPtCast<int, uchar, 22>`), used for Lanczos-4:
    /// `(Σ b·S + 2^21) >> 22`, saturated.
    static func opencvFixed(_ rows: UnsafePointer<UnsafePointer<Int32>>, _ n: Int, _ w: UnsafePointer<Int32>,
                            _ dst: UnsafeMutablePointer<UInt8>, _ width: Int, _ acc: UnsafeMutablePointer<Int32>) {
        let b0 = w[0], r0 = rows[0]
        for x in 0..<width { acc[x] = r0[x] &* b0 }
        for k in 1..<n {
            let bk = w[k], rk = rows[k]
            for x in 0..<width { acc[x] &+= rk[x] &* bk }
        }
        for x in 0..<width {
            let v = (acc[x] &+ (1 << 21)) >> 22
            dst[x] = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(truncatingIfNeeded: v))
        }
    }

    /// Pillow's vertical 8-bit pass: `clip8(2^21 + Σ w·S)` with 22-bit weights.
    static func pillow(_ rows: UnsafePointer<UnsafePointer<UInt8>>, _ n: Int, _ w: UnsafePointer<Int32>,
                       _ dst: UnsafeMutablePointer<UInt8>, _ width: Int, _ acc: UnsafeMutablePointer<Int32>) {
        for x in 0..<width { acc[x] = ResizePillowMath.half }
        for k in 0..<n {
            let bk = w[k], rk = rows[k]
            for x in 0..<width { acc[x] &+= Int32(rk[x]) &* bk }
        }
        for x in 0..<width { dst[x] = ResizePillowMath.clip8(acc[x]) }
    }

    /// Float rows combined with Float weights into `acc` (in tap order: `w0·r0 + w1·r1 + …`).
    static func float(_ rows: UnsafePointer<UnsafePointer<Float>>, _ n: Int, _ w: UnsafePointer<Float>,
                      _ acc: UnsafeMutablePointer<Float>, _ width: Int) {
        guard n > 0 else {
            for x in 0..<width { acc[x] = 0 }
            return
        }
        let b0 = w[0], r0 = rows[0]
        for x in 0..<width { acc[x] = b0 * r0[x] }
        for k in 1..<n {
            let bk = w[k], rk = rows[k]
            for x in 0..<width { acc[x] += bk * rk[x] }
        }
    }
}
