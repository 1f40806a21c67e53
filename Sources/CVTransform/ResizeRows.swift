import CKernels
import CVCore

/// Bridges to the vectorised row kernels in CKernels (resize_rows.c) for UInt8: OpenCV's
/// horizontal/vertical fixed-point passes, nearest-neighbour gathers and 2×2 area halving.
///
/// Each kernel reproduces, bit for bit, the Swift scalar loop it replaces (kept in
/// ResizeEngine.swift and the tests as the reference).

/// OpenCV's horizontal table in the layout of `ck_resize_h_u8i32`: every output pixel reads a
/// full window of `taps` source pixels that lies inside the row (edge windows are slid inwards
/// and padded with zero weights), byte offsets per pixel and "wide" Int16 weights.
final class ResizeHRowTable: @unchecked Sendable {
    let taps: Int
    let outSize: Int
    let xofs: UnsafeMutablePointer<Int32>
    let wide: UnsafeMutablePointer<Int16>

    /// Returns nil when the kernel cannot take the table (fewer source pixels than taps, a tap
    /// count other than 2, 4 or 8, or a weight outside Int16).
    init?(folded t: ResizeAxisTable, channels: Int) {
        let taps = t.taps
        guard taps == 2 || taps == 4 || taps == 8, t.inSize >= taps else { return nil }
        self.taps = taps
        outSize = t.outSize
        let pairs = taps / 2
        xofs = .allocate(capacity: max(outSize, 1))
        wide = .allocate(capacity: max(outSize * pairs * 8, 1))
        wide.initialize(repeating: 0, count: max(outSize * pairs * 8, 1))
        var fits = true
        var compact = [Int32](repeating: 0, count: taps)
        for x in 0..<outSize {
            let start = Int(t.start[x]), n = Int(t.count[x])
            let ws = min(start, t.inSize - taps)
            for k in 0..<taps { compact[k] = 0 }
            for k in 0..<n { compact[start - ws + k] = t.wi[x * taps + k] }
            xofs[x] = Int32(ws * channels)
            for k in 0..<taps {
                let v = compact[k]
                if v < Int32(Int16.min) || v > Int32(Int16.max) { fits = false }
                let w = Int16(truncatingIfNeeded: v)
                let base = (x * pairs + k / 2) * 8 + (k & 1)
                for q in 0..<4 { wide[base + 2 * q] = w }
            }
        }
        if !fits {
            xofs.deallocate(); wide.deallocate()
            return nil
        }
    }

    deinit { xofs.deallocate(); wide.deallocate() }

    /// Filters one source row (`width·channels` bytes) into `dst` (`outSize·channels` Int32).
    @inline(__always)
    func run(_ src: UnsafePointer<UInt8>, rowBytes: Int, _ dst: UnsafeMutablePointer<Int32>, channels: Int) {
        ck_resize_h_u8i32(src, rowBytes, dst, outSize, Int32(channels), xofs, wide, Int32(taps))
    }
}

enum ResizeRows {
    /// Rows per stripe so that a stripe holds at least about 64 K output pixels (OpenCV splits
    /// `resize` work the same way) and never fewer than `taps` rows.
    static func minStripeRows(outWidth: Int, taps: Int) -> Int {
        max(8, taps, (1 << 16) / max(outWidth, 1))
    }

    /// Rows per stripe for the lightest kernels (nearest gathers, 2×2 halving, two-tap
    /// bilinear), so cheap per output sample that a stripe needs about 1 M samples to be worth
    /// waking a second thread (timings in `docs/performance.md`).
    static func minStripeRowsLight(outSamplesPerRow: Int) -> Int {
        max(8, (1 << 20) / max(outSamplesPerRow, 1))
    }

    /// Nearest-neighbour gather for UInt8: one row kernel per distinct source row, whole-row
    /// copies when consecutive output rows read the same source row. Index −1 gives zeros.
    static func gather(_ src: Image<UInt8>, xs: [Int], ys: [Int]) -> Image<UInt8> {
        let c = src.channels, ow = xs.count, oh = ys.count
        var out = Image<UInt8>.uninitialized(width: ow, height: oh, channels: c)
        let xofs = xs.map { Int32($0 < 0 ? -1 : $0 * c) }
        let rowBytes = src.width * c, outBytes = ow * c
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                xofs.withUnsafeBufferPointer { xb in
                    ys.withUnsafeBufferPointer { yb in
                        Parallel.forEachStripe(rows: oh, minRowsPerStripe: minStripeRowsLight(outSamplesPerRow: ow * c)) { range in
                            for y in range {
                                let d = dp + y * ds
                                let sy = yb[y]
                                if sy < 0 {
                                    d.initialize(repeating: 0, count: outBytes)
                                } else if y > range.lowerBound && yb[y - 1] == sy {
                                    d.update(from: d - ds, count: outBytes)
                                } else {
                                    ck_resize_nn_row_u8(sp + sy * ss, rowBytes, d, ow, Int32(c), xb.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Whole 2×2 cells of OpenCV's halving, `(a + b + c + d + 2) >> 2`, for output rows
    /// `0..<rows` and columns `0..<cells`.
    static func areaHalving(_ src: UnsafePointer<UInt8>, _ ss: Int, _ dst: UnsafeMutablePointer<UInt8>, _ ds: Int,
                            rows: Int, cells: Int, channels: Int) {
        Parallel.forEachStripe(rows: rows, minRowsPerStripe: minStripeRowsLight(outSamplesPerRow: cells * channels)) { range in
            for y in range {
                let s0 = src + 2 * y * ss
                ck_resize_area2_u8(s0, s0 + ss, dst + y * ds, cells, Int32(channels))
            }
        }
    }

    /// OpenCV's bilinear vertical rounding over two Int32 rows (see `ResizeVertical.opencvLinear`).
    @inline(__always)
    static func verticalLinear(_ rows: UnsafePointer<UnsafePointer<Int32>>, _ w: UnsafePointer<Int32>,
                               _ dst: UnsafeMutablePointer<UInt8>, _ width: Int) {
        ck_resize_v_linear_u8(rows[0], rows[1], dst, width, w[0], w[1])
    }

    /// OpenCV's bicubic vertical single-precision path over four Int32 rows (see
    /// `ResizeVertical.opencvFloatRound`).
    @inline(__always)
    static func verticalCubic(_ rows: UnsafePointer<UnsafePointer<Int32>>, _ w: UnsafePointer<Int32>,
                              _ dst: UnsafeMutablePointer<UInt8>, _ width: Int) {
        let scale: Float = 1.0 / (2048 * 2048)
        ck_resize_v_cubic_u8(rows[0], rows[1], rows[2], rows[3], dst, width,
                             Float(w[0]) * scale, Float(w[1]) * scale, Float(w[2]) * scale, Float(w[3]) * scale)
    }

    /// Pillow's vertical 8-bit pass over `n` rows (see `ResizeVertical.pillow`).
    @inline(__always)
    static func verticalPillow(_ rows: UnsafePointer<UnsafePointer<UInt8>>, _ n: Int, _ w: UnsafePointer<Int32>,
                               _ dst: UnsafeMutablePointer<UInt8>, _ width: Int) {
        UnsafeRawPointer(rows).withMemoryRebound(to: Optional<UnsafePointer<UInt8>>.self, capacity: max(n, 1)) { r in
            ck_resize_v_pillow_u8(r, w, Int32(n), dst, width)
        }
    }
}
