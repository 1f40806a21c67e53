import CKernels
import CVCore

/// Output columns per histogram tile: the column histograms of a tile (544 bytes per column and
/// channel) stay within a couple of megabytes, so any width runs in bounded memory.
private let medianTileWidth = 512

/// The 8-bit median for any odd size through the constant-time histogram method
/// (`median_hist.c`): 1. rows are split into parallel stripes; 2. each stripe into tiles of at
/// most ``medianTileWidth`` output columns; 3. per tile, the rows and columns each window reads
/// are resolved through the border once, and the C kernel walks the tile down its rows.
func medianHistogram(_ image: Image<UInt8>, size k: Int, border: BorderMode) -> Image<UInt8> {
    let width = image.width, height = image.height, cn = image.channels, r = k / 2
    var out = Image<UInt8>.uninitialized(width: width, height: height, channels: cn)
    let constant = border.constantValue(UInt8.self)
    let constantRow = [UInt8](repeating: constant, count: width * cn)
    let tile = min(width, medianTileWidth)
    let scratchBytes = ck_median_hist_scratch_bytes(tile, cn, Int32(r))
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            constantRow.withUnsafeBufferPointer { constantRow in
                Parallel.forEachStripe(rows: height, minRowsPerStripe: max(32, 2 * k)) { stripe in
                    let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchBytes, alignment: 64)
                    let rows = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: stripe.count + 2 * r)
                    let cols = UnsafeMutablePointer<Int32>.allocate(capacity: tile + 2 * r)
                    defer { scratch.deallocate(); rows.deallocate(); cols.deallocate() }
                    for i in 0..<(stripe.count + 2 * r) {
                        let s = border.sourceIndex(stripe.lowerBound - r + i, count: height)
                        rows[i] = s.map { UnsafePointer(src + $0 * ss) } ?? constantRow.baseAddress!
                    }
                    for x0 in stride(from: 0, to: width, by: tile) {
                        let tw = min(tile, width - x0)
                        for j in 0..<(tw + 2 * r) { cols[j] = Int32(border.sourceIndex(x0 - r + j, count: width) ?? -1) }
                        ck_median_hist_u8(rows, stripe.count, cols, tw, cn, Int32(r), constant,
                                          dst + stripe.lowerBound * ds + x0 * cn, ds, scratch)
                    }
                }
            }
        }
    }
    return out
}
