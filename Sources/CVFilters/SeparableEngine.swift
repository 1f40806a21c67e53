import CVCore

// The row-ring driver shared by every separable filter in this module (Gaussian, Sobel,
// Scharr, Laplacian, Prewitt). It is internal: each public filter supplies two concrete
// per-row kernels and this file does the bookkeeping.
//
// Recipe, per stripe of output rows [y0, y1):
//   1. For each virtual source row v in y0-ry ..< y1+ry (mapped through the border mode),
//      copy the row into a padded buffer (rx samples of border on each side, per channel)
//      and run the horizontal kernel into one slot of a ring of 2·ry+1 filtered rows.
//   2. For each output row y, hand the 2·ry+1 filtered rows y-ry...y+ry to the vertical
//      kernel, which writes the output row.
// Every source row is filtered once per stripe (plus ry rows of overlap between stripes).

/// Maps padded columns to source columns for one row length and border mode.
@usableFromInline
struct BorderColumns {
    /// Source column for each of the `rx` columns left of the image, or -1 for a constant.
    var left: [Int]
    /// Source column for each of the `rx` columns right of the image, or -1 for a constant.
    var right: [Int]

    init(width: Int, radius rx: Int, border: BorderMode) {
        left = (0..<rx).map { border.sourceIndex($0 - rx, count: width) ?? -1 }
        right = (0..<rx).map { border.sourceIndex(width + $0, count: width) ?? -1 }
    }
}

/// Fills `pad` (length (width + 2·rx)·cn) with `row` and its border columns; `row == nil`
/// fills the whole buffer with `constant` (a row outside the image under a constant border).
@inline(__always)
func fillPaddedRow<S>(_ pad: UnsafeMutablePointer<S>, row: UnsafePointer<S>?, width: Int, channels cn: Int,
                      columns: BorderColumns, constant: S) {
    let rx = columns.left.count
    guard let row else {
        pad.update(repeating: constant, count: (width + 2 * rx) * cn)
        return
    }
    (pad + rx * cn).update(from: row, count: width * cn)
    for i in 0..<rx {
        let sl = columns.left[i], sr = columns.right[i]
        for c in 0..<cn {
            pad[i * cn + c] = sl < 0 ? constant : row[sl * cn + c]
            pad[(rx + width + i) * cn + c] = sr < 0 ? constant : row[sr * cn + c]
        }
    }
}

/// Runs a separable filter over an image with the row-ring scheme described above.
///
/// - `horizontal(pad, out)`: `pad` points at padded column -rx (so output sample `i` reads
///   `pad[i + t·cn]` for taps t in 0...2·rx); writes `width·cn` samples of type `R`.
/// - `vertical(rows, out)`: `rows[k]` is the filtered row y - ry + k; writes one output row.
@inline(__always)
func runSeparable<S, R, D>(
    source: UnsafePointer<S>, sourceStride: Int,
    destination: UnsafeMutablePointer<D>, destinationStride: Int,
    width: Int, height: Int, channels cn: Int, rx: Int, ry: Int,
    border: BorderMode, constant: S, intermediate: R.Type,
    minRowsPerStripe: Int = 16,
    horizontal: (UnsafePointer<S>, UnsafeMutablePointer<R>) -> Void,
    vertical: (UnsafePointer<UnsafeMutablePointer<R>>, UnsafeMutablePointer<D>) -> Void
) {
    guard width > 0, height > 0 else { return }
    let columns = BorderColumns(width: width, radius: rx, border: border)
    let rowLength = width * cn
    let slots = 2 * ry + 1
    // Stripes must be tall enough that the ry-row overlap stays cheap.
    let minRows = max(minRowsPerStripe, 2 * ry)
    Parallel.forEachStripe(rows: height, minRowsPerStripe: minRows) { stripe in
        let pad = UnsafeMutablePointer<S>.allocate(capacity: (width + 2 * rx) * cn)
        let ring = PixelMemory.allocate(R.self, capacity: slots * rowLength)
        let rows = UnsafeMutablePointer<UnsafeMutablePointer<R>>.allocate(capacity: slots)
        defer { pad.deallocate(); PixelMemory.deallocate(ring, capacity: slots * rowLength); rows.deallocate() }
        let base = stripe.lowerBound - ry
        var next = base
        for y in stripe {
            while next <= y + ry {
                let sourceRow: UnsafePointer<S>?
                if next >= 0 && next < height {
                    sourceRow = source + next * sourceStride
                } else if let s = border.sourceIndex(next, count: height) {
                    sourceRow = source + s * sourceStride
                } else {
                    sourceRow = nil
                }
                fillPaddedRow(pad, row: sourceRow, width: width, channels: cn, columns: columns, constant: constant)
                horizontal(pad, ring + ((next - base) % slots) * rowLength)
                next += 1
            }
            for k in 0..<slots {
                rows[k] = ring + ((y - ry + k - base) % slots) * rowLength
            }
            vertical(rows, destination + y * destinationStride)
        }
    }
}

extension BorderMode {
    /// The constant a border supplies in the sample type `S` (0 for non-constant borders).
    @inline(__always)
    func constantValue<S: PixelScalar>(_: S.Type) -> S {
        if case .constant(let v) = self { return S(clampingRounded: v) }
        return S(clampingRounded: 0)
    }
}
