import CKernels
import CVCore

/// Box means of a K-channel Float image whose rows are produced on demand (no input plane is
/// materialized), for one stripe of output rows. Internal engine of the guided filter.
///
/// Recipe: 1. for each virtual row v in y0−r ..< y1+r, map it to an image row with `border`,
/// let `produce(row, out)` write its `width·K` samples into the middle of a padded buffer, fill
/// the border columns, and take horizontal window sums in Double (`ck_box_hsum_f32f64`);
/// 2. keep the 2r+1 horizontal sums of the window in a ring and the column sums in Double,
/// sliding down by one row per output row (`ck_box_vupdate_f64`); 3. hand
/// `consume(y, means)` the Float means (sum·scale) of output row y.
/// Cost: O(width·K) per row whatever r is; each produced row is summed once.
struct BoxRowEngine {
    let width: Int
    let height: Int
    let channels: Int
    let radius: Int
    let border: BorderMode

    func run(stripe: Range<Int>,
             produce: (Int, UnsafeMutablePointer<Float>) -> Void,
             consume: (Int, UnsafePointer<Float>) -> Void) {
        let w = width, k = channels, r = radius
        let n = w * k
        let slots = 2 * r + 1
        let scale = 1 / Double(slots * slots)
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: (w + 2 * r) * k)
        let ring = PixelMemory.allocate(Double.self, capacity: (slots + 1) * n)
        let ringRows = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: slots + 1)
        let col = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let means = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer {
            pad.deallocate(); PixelMemory.deallocate(ring, capacity: (slots + 1) * n)
            ringRows.deallocate(); col.deallocate(); means.deallocate()
        }
        for i in 0...slots { ringRows[i] = ring + i * n }
        let leftCols = (0..<r).map { border.sourceIndex($0 - r, count: w) ?? 0 }
        let rightCols = (0..<r).map { border.sourceIndex(w + $0, count: w) ?? 0 }

        func horizontal(_ v: Int, into out: UnsafeMutablePointer<Double>) {
            let row = (v >= 0 && v < height) ? v : (border.sourceIndex(v, count: height) ?? 0)
            let body = pad + r * k
            produce(row, body)
            for i in 0..<r {
                (pad + i * k).update(from: body + leftCols[i] * k, count: k)
                (body + (w + i) * k).update(from: body + rightCols[i] * k, count: k)
            }
            ck_box_hsum_f32f64(pad, out, n, k, Int32(r))
        }

        let y0 = stripe.lowerBound
        col.update(repeating: 0, count: n)
        for j in 0..<slots {
            horizontal(y0 - r + j, into: ringRows[j])
            ck_box_vadd_f64(col, ringRows[j], n)
        }
        var oldest = 0  // ring slot of row y − r
        for y in stripe {
            ck_scale_f64f32(col, means, n, scale)
            consume(y, means)
            if y + 1 < stripe.upperBound {
                let fresh = ringRows[slots]
                horizontal(y + r + 1, into: fresh)
                ck_box_vupdate_f64(col, fresh, ringRows[oldest], n)
                ringRows[slots] = ringRows[oldest]
                ringRows[oldest] = fresh
                oldest = (oldest + 1) % slots
            }
        }
    }
}
