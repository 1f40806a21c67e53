import CKernels
import CVCore

/// The row kernel of a sorting-network median (`ck_median_net_u8` and its siblings).
typealias MedianNetworkKernel<P> = (UnsafePointer<UnsafePointer<P>?>?, UnsafeMutablePointer<P>?,
                                    UnsafeMutablePointer<P>?, Int, Int, Int32) -> Void

/// The 3×3 or 5×5 median through sorting networks: 1. each input row is padded once with its
/// border columns into a ring of `size` rows; 2. per output row, the C kernel sorts the ring's
/// rows column by column and runs the window network over the sorted columns
/// (`median_net.c`). Rows run in parallel stripes.
func medianNetwork<P: PixelScalar>(_ image: Image<P>, size k: Int, border: BorderMode,
                                   kernel: MedianNetworkKernel<P>) -> Image<P> {
    let width = image.width, height = image.height, cn = image.channels, r = k / 2
    var out = Image<P>.uninitialized(width: width, height: height, channels: cn)
    let columns = BorderColumns(width: width, radius: r, border: border)
    let constant = border.constantValue(P.self)
    let padded = (width + 2 * r) * cn
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            Parallel.forEachStripe(rows: height, minRowsPerStripe: max(16, 2 * k)) { stripe in
                let ring = UnsafeMutablePointer<P>.allocate(capacity: k * padded)
                let sorted = UnsafeMutablePointer<P>.allocate(capacity: k * padded)
                let rows = UnsafeMutablePointer<UnsafePointer<P>?>.allocate(capacity: k)
                defer { ring.deallocate(); sorted.deallocate(); rows.deallocate() }
                func slot(_ v: Int) -> UnsafeMutablePointer<P> { ring + ((v - stripe.lowerBound + r) % k) * padded }
                func load(_ v: Int) {
                    let s = border.sourceIndex(v, count: height)
                    fillPaddedRow(slot(v), row: s.map { UnsafePointer(src + $0 * ss) }, width: width, channels: cn,
                                  columns: columns, constant: constant)
                }
                for v in (stripe.lowerBound - r)..<(stripe.lowerBound + r) { load(v) }
                for y in stripe {
                    load(y + r)
                    for t in 0..<k { rows[t] = UnsafePointer(slot(y - r + t)) }
                    kernel(rows, sorted, dst + y * ds, width, cn, Int32(k))
                }
            }
        }
    }
    return out
}
