import CKernels
import CVCore

/// The 8-bit 3×3 median (`median3_rows.c`): 1. the two rows above and below each pair of
/// output rows are resolved through the border (a constant row for a constant border); 2. per
/// pair, the C kernel reads the four image rows in place, sorts the two shared rows column by
/// column once for both outputs, and handles the border columns itself (no padded copies).
/// Stripes hold an even number of rows, so every pass but the image's last makes two rows.
func median3x3(_ image: Image<UInt8>, border: BorderMode) -> Image<UInt8> {
    let width = image.width, height = image.height, cn = image.channels
    var out = Image<UInt8>.uninitialized(width: width, height: height, channels: cn)
    let left = border.sourceIndex(-1, count: width) ?? -1, right = border.sourceIndex(width, count: width) ?? -1
    let constant = border.constantValue(UInt8.self)
    let constantRow = [UInt8](repeating: constant, count: width * cn)
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            constantRow.withUnsafeBufferPointer { fill in
                func row(_ v: Int) -> UnsafePointer<UInt8> {
                    border.sourceIndex(v, count: height).map { UnsafePointer(src + $0 * ss) } ?? fill.baseAddress!
                }
                Parallel.forEachStripe(rows: height, minRowsPerStripe: median3MinRowsPerStripe(width * cn),
                                       alignedTo: 2, stripesPerThread: 2) { stripe in
                    for y in stride(from: stripe.lowerBound, to: stripe.upperBound, by: 2) {
                        let second = y + 1 < stripe.upperBound ? dst + (y + 1) * ds : nil
                        ck_median3_u8(row(y - 1), row(y), row(y + 1), row(y + 2), dst + y * ds, second,
                                      width, cn, left, right, constant)
                    }
                }
            }
        }
    }
    return out
}

/// Rows per stripe worth handing to another thread: about 256 KB of samples, so that waking a
/// pool thread (tens of microseconds on a busy machine) stays small against its share.
private func median3MinRowsPerStripe(_ rowSamples: Int) -> Int {
    max(16, (256 << 10) / max(rowSamples, 1))
}
