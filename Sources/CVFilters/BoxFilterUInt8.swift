import CKernels
import CVCore

/// The UInt8 box filter in integer arithmetic (the fast path of ``Image/boxFiltered(_:)``).
///
/// Recipe, per stripe of output rows: each source row of the stripe's window is padded with
/// its border columns and summed horizontally once into 16-bit sums (`ck_box_hsum_u8u16`;
/// windows wider than 16 as sums of doubling levels),
/// kept in a ring of `2·ry + 2` rows; column sums slide down one row per output row
/// (`ck_box_vstep_u8…`, which also divides by the area with rounding). Windows of at most 255
/// pixels (r ≤ 7 for square ones) keep 16-bit column sums and divide by a 16-bit reciprocal
/// (``BoxReciprocal16``), twice the lanes of the 32-bit path used for larger windows.
/// Results equal the Double reference path exactly: the sums are exact integers, and the
/// window area is odd, so the mean is never halfway between two integers and the integer
/// quotient rounds as Double does.
///
/// Returns nil when the integer path does not apply: `rx > 127` (16-bit row sums would
/// overflow) or a window area whose 8-bit sums could exceed 2³¹.
func boxFilterUInt8(_ image: Image<UInt8>, rx: Int, ry: Int, normalize: Bool, border: BorderMode) -> Image<UInt8>? {
    let area = (2 * rx + 1) * (2 * ry + 1)
    guard rx <= 127, area <= Int(Int32.max) / 255 else { return nil }
    var out = Image<UInt8>.uninitialized(width: image.width, height: image.height, channels: image.channels)
    let width = image.width, height = image.height, cn = image.channels
    guard width > 0, height > 0 else { return out }
    let n = width * cn
    let columns = BorderColumns(width: width, radius: rx, border: border)
    let constant = border.constantValue(UInt8.self)
    let slots = 2 * ry + 2
    // 16-bit column sums when every sum fits and (normalizing) an exact reciprocal exists.
    let narrow: BoxReciprocal16? = normalize ? BoxReciprocal16(area: area)
        : (area * 255 <= Int(UInt16.max) ? BoxReciprocal16(half: 0, magic: 1, shift: 0) : nil)
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            Parallel.forEachStripe(rows: height, minRowsPerStripe: max(32, 4 * ry)) { stripe in
                let pad = UnsafeMutablePointer<UInt8>.allocate(capacity: (width + 2 * rx) * cn)
                let ring = UnsafeMutablePointer<UInt16>.allocate(capacity: slots * n)
                let col = UnsafeMutablePointer<Int32>.allocate(capacity: n)
                let levels = UnsafeMutablePointer<UInt16>.allocate(capacity: 2 * (width + 2 * rx) * cn)
                defer { pad.deallocate(); ring.deallocate(); col.deallocate(); levels.deallocate() }
                let base = stripe.lowerBound - ry
                // Horizontal sums of virtual row v, in its ring slot.
                func horizontal(_ v: Int) -> UnsafeMutablePointer<UInt16> {
                    let slot = ring + ((v - base) % slots) * n
                    var row: UnsafePointer<UInt8>? = nil
                    if v >= 0 && v < height { row = src + v * ss } else if let s = border.sourceIndex(v, count: height) { row = src + s * ss }
                    fillPaddedRow(pad, row: row, width: width, channels: cn, columns: columns, constant: constant)
                    ck_box_hsum_u8u16(pad, slot, n, cn, Int32(rx), levels)
                    return slot
                }
                if let narrow {
                    let col16 = UnsafeMutablePointer<UInt16>.allocate(capacity: n)
                    defer { col16.deallocate() }
                    col16.update(repeating: 0, count: n)
                    for v in base...(stripe.lowerBound + ry) { ck_box_vadd_u16(col16, horizontal(v), n) }
                    for y in stripe {
                        var add: UnsafeMutablePointer<UInt16>? = nil, sub: UnsafeMutablePointer<UInt16>? = nil
                        if y + 1 < stripe.upperBound {
                            add = horizontal(y + ry + 1)
                            sub = ring + ((y - ry - base) % slots) * n
                        }
                        ck_box_vstep_u8u16(col16, add, sub, dst + y * ds, n, narrow.half, narrow.magic,
                                           narrow.shift, normalize ? 1 : 0)
                    }
                    return
                }
                col.update(repeating: 0, count: n)
                for v in base...(stripe.lowerBound + ry) { ck_box_vadd_u16i32(col, horizontal(v), n) }
                for y in stripe {
                    if y + 1 < stripe.upperBound {
                        let add = horizontal(y + ry + 1)
                        let sub = ring + ((y - ry - base) % slots) * n
                        ck_box_vstep_u8(col, add, sub, dst + y * ds, n, Int32(area), normalize ? 1 : 0)
                    } else {
                        ck_box_vstep_u8(col, nil, nil, dst + y * ds, n, Int32(area), normalize ? 1 : 0)
                    }
                }
            }
        }
    }
    return out
}

/// `floor(t / area)` for every `t` in `0...255·area + area/2` as `((t · magic) >> 16) >> shift`
/// with 16-bit `t` and `magic`, for an odd window `area` ≤ 255 (the numerators of a rounded
/// UInt8 box mean).
///
/// With `k = 16 + shift`, `magic = ⌈2^k / area⌉` and `e = magic·area − 2^k` (0 ≤ e < area),
/// `t·magic / 2^k = t/area + t·e/(area·2^k)`; with `t mod area ≤ area − 1`, this stays
/// below `⌊t/area⌋ + 1` whenever `T·e < 2^k` for the largest numerator `T`. The initializer
/// takes the first shift that satisfies this with `magic < 2^16`; 12 odd areas in 203...249
/// have none and take the 32-bit path.
struct BoxReciprocal16 {
    let half: UInt16
    let magic: UInt16
    let shift: Int32

    init(half: UInt16, magic: UInt16, shift: Int32) {
        self.half = half
        self.magic = magic
        self.shift = shift
    }

    init?(area: Int) {
        guard area >= 3, area <= 255, area % 2 == 1 else { return nil }
        let largest = 255 * area + area / 2
        for shift in 0...8 {
            let k = 16 + shift
            let magic = ((1 << k) + area - 1) / area
            guard magic < 1 << 16 else { continue }
            if largest * (magic * area - (1 << k)) < 1 << k {
                self.init(half: UInt16(area / 2), magic: UInt16(magic), shift: Int32(shift))
                return
            }
        }
        return nil
    }
}
