import CKernels
import CVCore
import Foundation

/// Box radii for `passes` successive box filters approximating a Gaussian of σ
/// (Kovesi 2010: widths w_l and w_l + 2 chosen so the summed variance is exactly σ²
/// up to the rounding of the pass count).
func kovesiBoxRadii(sigma: Double, passes n: Int = 4) -> [Int] {
    let nd = Double(n)
    let wIdeal = (12 * sigma * sigma / nd + 1).squareRoot()
    var wl = Int(wIdeal.rounded(.down))
    if wl % 2 == 0 { wl -= 1 }
    wl = max(wl, 1)
    let wu = wl + 2
    let wld = Double(wl)
    let m = Int(((12 * sigma * sigma - nd * wld * wld - 4 * nd * wld - 3 * nd) / (-4 * wld - 4)).rounded())
    return (0..<n).map { i in ((i < m ? wl : wu) - 1) / 2 }
}

/// O(1)-per-pixel approximate Gaussian: four running-sum box passes in Float (sums in
/// Double), rounded once at the end. Used by ``Image/gaussianBlurred(_:)`` for large σ.
// Specialised: unspecialised, the inlined box passes convert and store through witness tables
// per sample (measurements in docs/performance.md, "approximateGaussian").
@_specialize(where P == UInt8)
@_specialize(where P == UInt16)
@_specialize(where P == Float)
func approximateGaussian<P: PixelScalar>(_ image: Image<P>, sigmaX: Double, sigmaY: Double, border: BorderMode) throws -> Image<P> {
    let rxs = kovesiBoxRadii(sigma: sigmaX), rys = kovesiBoxRadii(sigma: sigmaY)
    if P.self == UInt8.self, let fast = approximateGaussianU8(image as! Image<UInt8>, rxs: rxs, rys: rys, border: border) {
        return fast as! Image<P>
    }
    if P.self == Float.self {
        return approximateGaussianFloat(image as! Image<Float>, rxs: rxs, rys: rys, border: border) as! Image<P>
    }
    let w = image.width, h = image.height, cn = image.channels
    var a = Image<Float>.uninitialized(width: w, height: h, channels: cn)
    var b = Image<Float>.uninitialized(width: w, height: h, channels: cn)
    var out = Image<P>.uninitialized(width: w, height: h, channels: cn)
    let passes = rxs.count
    func scale(_ i: Int) -> Double { 1 / Double((2 * rxs[i] + 1) * (2 * rys[i] + 1)) }
    image.withUnsafePixels { src, ss in
        a.withUnsafeMutablePixels { ap, ast in
            boxSums(src, ss, ap, ast, width: w, height: h, channels: cn, rx: rxs[0], ry: rys[0],
                    border: border, scale: scale(0)) { Float($0) }
        }
    }
    for i in 1..<(passes - 1) {
        a.withUnsafePixels { ap, ast in
            b.withUnsafeMutablePixels { bp, bst in
                boxSums(ap, ast, bp, bst, width: w, height: h, channels: cn, rx: rxs[i], ry: rys[i],
                        border: border, scale: scale(i)) { Float($0) }
            }
        }
        swap(&a, &b)
    }
    a.withUnsafePixels { ap, ast in
        out.withUnsafeMutablePixels { op, ost in
            boxSums(ap, ast, op, ost, width: w, height: h, channels: cn, rx: rxs[passes - 1], ry: rys[passes - 1],
                    border: border, scale: scale(passes - 1)) { roundedSample($0, as: P.self) }
        }
    }
    return out
}

/// The Float path of ``approximateGaussian(_:sigmaX:sigmaY:border:)``: the same four box passes
/// with the same Double sums as `boxSums`, through the C box rows (``floatBoxPass``).
private func approximateGaussianFloat(_ image: Image<Float>, rxs: [Int], rys: [Int], border: BorderMode) -> Image<Float> {
    var from = image
    for (rx, ry) in zip(rxs, rys) {
        var to = Image<Float>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        from.withUnsafePixels { src, ss in
            to.withUnsafeMutablePixels { dst, ds in
                floatBoxPass(src, ss, dst, ds, width: image.width, height: image.height, channels: image.channels,
                             rx: rx, ry: ry, border: border)
            }
        }
        from = to
    }
    return from
}

/// One normalised box pass of a Float image, sums in Double: per stripe of rows, each bordered
/// row's horizontal window sums (`ck_box_hsum_f32f64`) go into a ring of 2·ry + 1 rows, the
/// column sums slide down one row per output row (`ck_box_vupdate_f64`) and are scaled to
/// Float (`ck_scale_f64f32`). Each row is summed once per stripe (`boxSums` sums it twice).
private func floatBoxPass(_ src: UnsafePointer<Float>, _ ss: Int, _ dst: UnsafeMutablePointer<Float>, _ ds: Int,
                          width w: Int, height h: Int, channels cn: Int, rx: Int, ry: Int, border: BorderMode) {
    guard w > 0, h > 0 else { return }
    let n = w * cn, slots = 2 * ry + 1
    let scale = 1 / Double((2 * rx + 1) * slots)
    let columns = BorderColumns(width: w, radius: rx, border: border)
    let constant = border.constantValue(Float.self)
    Parallel.forEachStripe(rows: h, minRowsPerStripe: max(16, 2 * ry)) { stripe in
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: (w + 2 * rx) * cn)
        let ring = PixelMemory.allocate(Double.self, capacity: (slots + 1) * n)
        let col = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { pad.deallocate(); PixelMemory.deallocate(ring, capacity: (slots + 1) * n); col.deallocate() }
        var rows = (0...slots).map { ring + $0 * n }
        func horizontal(_ v: Int, into out: UnsafeMutablePointer<Double>) {
            let source = v >= 0 && v < h ? v : border.sourceIndex(v, count: h)
            fillPaddedRow(pad, row: source.map { src + $0 * ss }, width: w, channels: cn, columns: columns, constant: constant)
            ck_box_hsum_f32f64(pad, out, n, cn, Int32(rx))
        }
        col.update(repeating: 0, count: n)
        for j in 0..<slots {
            horizontal(stripe.lowerBound - ry + j, into: rows[j])
            ck_box_vadd_f64(col, rows[j], n)
        }
        var oldest = 0  // ring slot of row y − ry
        for y in stripe {
            ck_scale_f64f32(col, dst + y * ds, n, scale)
            guard y + 1 < stripe.upperBound else { break }
            horizontal(y + ry + 1, into: rows[slots])
            ck_box_vupdate_f64(col, rows[slots], rows[oldest], n)
            rows.swapAt(slots, oldest)
            oldest = (oldest + 1) % slots
        }
    }
}

/// The UInt8 fast path of ``approximateGaussian(_:sigmaX:sigmaY:border:)`` (same four box passes;
/// a box pass on a bordered image is a horizontal then a vertical box, and the two axes commute,
/// so the four horizontal passes run first, then the four vertical ones):
/// 1. per row, four horizontal box sums in exact integer arithmetic (`ck_box_hsum_u32`; each pass
///    re-borders its input), scaled by 1/Π widths into a Float plane; `nil` when 255·Π widths
///    would not fit 32 bits (σ ≳ 35), leaving the general path;
/// 2. per block of 128 samples (stored block-major), four vertical box passes in Float over the whole height
///    (`ck_vbox_pass_f32`; block in cache), the last one rounding to UInt8.
/// Rows, then column blocks, run in parallel.
func approximateGaussianU8(_ image: Image<UInt8>, rxs: [Int], rys: [Int], border: BorderMode) -> Image<UInt8>? {
    guard let plan = KovesiU8Plan(width: image.width, height: image.height, channels: image.channels,
                                  rxs: rxs, rys: rys, border: border) else { return nil }
    let h = plan.h, blocks = plan.blocks
    let plane = PixelMemory.allocate(Float.self, capacity: plan.planeCount)
    defer { PixelMemory.deallocate(plane, capacity: plan.planeCount) }
    // 1. horizontal passes
    image.withUnsafePixels { src, ss in
        Parallel.forEachStripe(rows: h, minRowsPerStripe: 16) { stripe in
            plan.horizontalPasses(rows: stripe, source: src, stride: ss, into: plane)
        }
    }
    // 2. vertical passes over column blocks
    var out = Image<UInt8>.uninitialized(width: plan.w, height: h, channels: plan.cn)
    let constRow = [Float](repeating: Float(plan.constantValue), count: plan.block)
    out.withUnsafeMutablePixels { dst, ds in
        constRow.withUnsafeBufferPointer { cr in
            Parallel.forEachStripe(rows: blocks, minRowsPerStripe: 1) { range in
                plan.verticalPasses(blocks: range, from: plane, constantRow: cr.baseAddress!, into: dst, stride: ds)
            }
        }
    }
    return out
}

/// The sizes, border maps and constants of ``approximateGaussianU8(_:rxs:rys:border:)``. The
/// horizontal result is stored column-block major (block b holds samples b·block ..< (b+1)·block
/// of every row, rows `block` apart), so the vertical passes stream through contiguous memory.
private struct KovesiU8Plan {
    let w: Int, h: Int, cn: Int, n: Int
    let rxs: [Int], rys: [Int]
    /// Π of the horizontal box widths: the integer sums are scaled by its inverse.
    let product: Double
    let block = 128
    let blocks: Int
    /// The constant border value as an integer (0 for other borders).
    let constantValue: UInt32
    let columnMaps: [BorderColumns]
    /// Per vertical pass, the source row of each padded row `-r ..< h + r + 1` (−1: constant).
    let rowMaps: [[Int32]]

    var planeCount: Int { blocks * block * h }

    /// nil when 255·Π widths would not fit 32 bits (σ ≳ 35), for an empty image, or for a
    /// constant border that is not an integer 0...255.
    init?(width: Int, height: Int, channels: Int, rxs: [Int], rys: [Int], border: BorderMode) {
        w = width; h = height; cn = channels; n = width * channels
        self.rxs = rxs; self.rys = rys
        product = rxs.reduce(1.0) { $0 * Double(2 * $1 + 1) }
        guard 255 * product < 4_294_967_295, w > 0, h > 0 else { return nil }
        blocks = (n + block - 1) / block
        if case .constant(let v) = border {
            // Later passes border with the Float constant itself; only integers 0...255 match exactly.
            guard v >= 0, v <= 255, v == v.rounded() else { return nil }
            constantValue = UInt32(v)
        } else {
            constantValue = 0
        }
        columnMaps = rxs.map { BorderColumns(width: width, radius: $0, border: border) }
        rowMaps = rys.map { r in
            (-r..<(height + r + 1)).map { v in
                if v >= 0 && v < height { return Int32(v) }
                return border.sourceIndex(v, count: height).map { Int32($0) } ?? -1
            }
        }
    }

    /// Step 1 for the rows of one stripe: four exact integer box sums per row, each pass
    /// re-bordering its input, scaled into the block-major Float plane.
    func horizontalPasses(rows stripe: Range<Int>, source src: UnsafePointer<UInt8>, stride ss: Int,
                          into plane: UnsafeMutablePointer<Float>) {
        let maxR = rxs.max()!
        let pad = UnsafeMutablePointer<UInt32>.allocate(capacity: (w + 2 * maxR) * cn)
        let sums = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
        let floats = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { pad.deallocate(); sums.deallocate(); floats.deallocate() }
        for y in stripe {
            let row = src + y * ss
            var constant = constantValue
            for (p, r) in rxs.enumerated() {
                let body = pad + r * cn
                if p == 0 {
                    for i in 0..<n { body[i] = UInt32(row[i]) }
                } else {
                    body.update(from: sums, count: n)
                }
                let cols = columnMaps[p]
                for i in 0..<r {
                    let sl = cols.left[i], sr = cols.right[i]
                    for c in 0..<cn {
                        pad[i * cn + c] = sl < 0 ? constant : body[sl * cn + c]
                        body[(w + i) * cn + c] = sr < 0 ? constant : body[sr * cn + c]
                    }
                }
                ck_box_hsum_u32(pad, sums, n, cn, Int32(r))
                constant &*= UInt32(2 * r + 1)
            }
            ck_u32_to_f32(sums, floats, n, Float(1 / product))
            for b in 0..<blocks {
                (plane + (b * h + y) * block).update(from: floats + b * block, count: min(block, n - b * block))
            }
        }
    }

    /// Step 2 for a range of column blocks: four vertical box passes in Float over the whole
    /// height (block in cache), the last one rounding into the UInt8 destination.
    func verticalPasses(blocks range: Range<Int>, from plane: UnsafeMutablePointer<Float>,
                        constantRow cr: UnsafePointer<Float>, into dst: UnsafeMutablePointer<UInt8>, stride ds: Int) {
        let a = PixelMemory.allocate(Float.self, capacity: h * block)
        let b = PixelMemory.allocate(Float.self, capacity: h * block)
        let col = UnsafeMutablePointer<Float>.allocate(capacity: block)
        defer {
            PixelMemory.deallocate(a, capacity: h * block); PixelMemory.deallocate(b, capacity: h * block)
            col.deallocate()
        }
        for blockIndex in range {
            let x0 = blockIndex * block
            let bw = min(block, n - x0)
            var from = UnsafePointer(plane + blockIndex * h * block), fromStride = block
            var to = a
            for (p, r) in rys.enumerated() {
                let scale = Float(1 / Double(2 * r + 1))
                rowMaps[p].withUnsafeBufferPointer { map in
                    if p == rys.count - 1 {
                        ck_vbox_pass_f32(from, fromStride, nil, 0, dst + x0, ds, h, bw, map.baseAddress!,
                                         cr, Int32(r), scale, col)
                    } else {
                        ck_vbox_pass_f32(from, fromStride, to, block, nil, 0, h, bw, map.baseAddress!,
                                         cr, Int32(r), scale, col)
                    }
                }
                from = UnsafePointer(to); fromStride = block
                to = to == a ? b : a
            }
        }
    }
}
