import CKernels
import CVCore

/// The UInt8 box filter in integer arithmetic (the fast path of ``boxFilter(_:_:)``).
///
/// Recipe, per stripe of output rows: each source row of the stripe's window is padded with
/// its border columns and summed horizontally once into 16-bit sums (`ck_box_hsum_u8u16`),
/// kept in a ring of `2·ry + 2` rows; 32-bit column sums slide down one row per output row
/// (`ck_box_vstep_u8`, which also divides by the area with rounding). Results equal the Double
/// reference path exactly: the sums are exact integers, and the window area is odd, so the
/// mean is never halfway between two integers and the integer quotient rounds as Double does.
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
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            forEachBalancedStripe(rows: height, minRowsPerStripe: max(32, 4 * ry)) { stripe in
                let pad = UnsafeMutablePointer<UInt8>.allocate(capacity: (width + 2 * rx) * cn)
                let ring = UnsafeMutablePointer<UInt16>.allocate(capacity: slots * n)
                let col = UnsafeMutablePointer<Int32>.allocate(capacity: n)
                defer { pad.deallocate(); ring.deallocate(); col.deallocate() }
                let base = stripe.lowerBound - ry
                // Horizontal sums of virtual row v, in its ring slot.
                func horizontal(_ v: Int) -> UnsafeMutablePointer<UInt16> {
                    let slot = ring + ((v - base) % slots) * n
                    var row: UnsafePointer<UInt8>? = nil
                    if v >= 0 && v < height { row = src + v * ss } else if let s = border.sourceIndex(v, count: height) { row = src + s * ss }
                    fillPaddedRow(pad, row: row, width: width, channels: cn, columns: columns, constant: constant)
                    ck_box_hsum_u8u16(pad, slot, n, cn, Int32(rx))
                    return slot
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
