import CKernels
import CVCore
import Foundation

/// The fast bilateral approximation on a bilateral grid (Paris & Durand 2006/2009; Chen, Paris
/// & Durand 2007): 1. the guide's range (the sample, or the sum of the channels for colour);
/// 2. the grid's cell sizes from the exact window's spatial spread and σ_color
/// (``BilateralGrid``); 3. per band of rows: splat the pixels into the grid (box in space,
/// linear in range), blur the grid with a 3-D Gaussian, and slice it at every pixel (linear in
/// space and range), the output being the sliced weighted sum over the sliced weight.
func bilateralFast<P: PixelScalar>(_ image: Image<P>, _ p: BilateralParameters) throws -> Image<P> {
    guard let (lo, hi) = bilateralGuideRange(image), hi > lo else { return image.copy() }
    let grid = BilateralGrid(width: image.width, height: image.height, channels: image.channels, lo: lo, hi: hi,
                             sigma: bilateralSpread(radius: p.radius, sigmaSpace: p.sigmaSpace), sigmaColor: p.sigmaColor)
    var out = Image<P>.uninitialized(width: image.width, height: image.height, channels: image.channels)
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            let rows = BilateralGridRows(source: UnsafeRawPointer(src), sourceStride: ss, target: UnsafeMutableRawPointer(dst),
                                         targetStride: ds, isFloat: P.depth == .float32)
            let bands = grid.bandCount
            Parallel.forEachWorker(min(Parallel.threadCount, bands), tasks: bands) { _, queue in
                var scratch = BilateralGridScratch(grid)
                while let band = queue.next() { grid.filterBand(band, rows, &scratch) }
            }
        }
    }
    return out
}

/// The smallest and largest finite guide (sample, or sum of the channels); nil when none is finite.
private func bilateralGuideRange<P: PixelScalar>(_ image: Image<P>) -> (Float, Float)? {
    let cn = image.channels, w = image.width
    var lo = Float.infinity, hi = -Float.infinity
    image.withUnsafePixels { src, ss in
        for y in 0..<image.height {
            let row = src + y * ss
            for x in 0..<w {
                var g: Float = 0
                for c in 0..<cn { g += row[x * cn + c].floatValue }
                if g.isFinite { lo = min(lo, g); hi = max(hi, g) }
            }
        }
    }
    return lo <= hi ? (lo, hi) : nil
}

/// The standard deviation (per axis) of the exact filter's spatial weights over its disc, so
/// the blur spreads as far as the exact window does (for d = 9, σ_space = 75 the disc's nearly
/// flat weights give about 2.2, not 75).
private func bilateralSpread(radius r: Int, sigmaSpace: Double) -> Double {
    // The exact filter's weights, summed without building its tap tables (d may be 4,095 here).
    let coefficient = Double(Float(-0.5 / (sigmaSpace * sigmaSpace)))
    var weight = 0.0, moment = 0.0
    for i in -r...r {
        let i2 = Double(i * i)
        for j in -r...r {
            let d2 = i2 + Double(j * j)
            guard d2 <= Double(r * r) else { continue }
            let w = exp(d2 * coefficient)
            weight += w; moment += w * Double(j * j)
        }
    }
    return max((moment / weight).squareRoot(), 0.5)
}

/// Where a band reads and writes: the image rows as raw pointers (UInt8 or Float samples).
private struct BilateralGridRows: @unchecked Sendable {
    var source: UnsafeRawPointer, sourceStride: Int
    var target: UnsafeMutableRawPointer, targetStride: Int
    var isFloat: Bool
}

/// The grid's geometry and blur. A cell is `cell` × `cell` pixels and `rangeStep` guide units;
/// the blur is a Gaussian of σ_g cells per axis, chosen so that the blur together with the box
/// splat (variance cell²/12) and the linear slice (about cell²/6) spreads as far as the exact
/// window (spatially) and σ_color (in range: linear splat and slice add rangeStep²/3).
struct BilateralGrid {
    /// Cells per spatial σ and per σ_color. Paris & Durand sample at one cell per σ; 0.6 in
    /// space (a cell of 1.7 σ) costs 2–5× less for 1–4 dB of PSNR (docs/performance.md).
    static let cellsPerSigma = 0.6, cellsPerSigmaColor = 1.0
    /// The blur's taps reach ±3 σ_g.
    static let truncation = 3.0
    /// Most range levels: bounds the grid's memory when σ_color is tiny against the range.
    static let maxLevels = 64
    /// Floats of grid per band (about 4 MB: the band's splat and blur stay in the last-level
    /// cache; 16 MB measured no faster and zeroes four times the pages per call).
    static let bandBudget = 1 << 20

    let width: Int, height: Int, channels: Int
    let cell: Int, gw: Int, gh: Int, gd: Int
    let lo: Float, inverseStep: Float
    let spaceTaps: [Float], rangeTaps: [Float]
    let bandRows: Int

    init(width: Int, height: Int, channels: Int, lo: Float, hi: Float, sigma: Double, sigmaColor: Double) {
        self.width = width; self.height = height; self.channels = channels
        cell = max(1, Int((sigma / Self.cellsPerSigma).rounded()))
        gw = (width + cell - 1) / cell; gh = (height + cell - 1) / cell
        let range = Double(hi - lo)
        var step = sigmaColor / Self.cellsPerSigmaColor
        if range / step + 2 > Double(Self.maxLevels) { step = range / Double(Self.maxLevels - 2) }
        gd = Int((range / step).rounded(.down)) + 2
        self.lo = lo; inverseStep = Float(1 / step)
        let spaceSigma = cell == 1 ? sigma : (max((sigma / Double(cell)) * (sigma / Double(cell)) - 0.25, 0.0625)).squareRoot()
        let rangeSigma = (max((sigmaColor / step) * (sigmaColor / step) - 1.0 / 3, 0.0625)).squareRoot()
        spaceTaps = Self.gaussianTaps(sigma: spaceSigma)
        rangeTaps = Self.gaussianTaps(sigma: rangeSigma)
        let rowFloats = gw * gd * (channels + 1)
        bandRows = max(2, min(64, Self.bandBudget / max(rowFloats, 1), (gh + 3) / 4))
    }

    /// exp(−k²/2σ²) for k = −r…r, r = ⌈3σ⌉ (unnormalised: the slice divides by the weight).
    private static func gaussianTaps(sigma: Double) -> [Float] {
        let r = max(1, Int((truncation * sigma).rounded(.up)))
        return (-r...r).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
    }

    var rowFloats: Int { gw * gd * (channels + 1) }
    var spaceRadius: Int { spaceTaps.count / 2 }
    var bandCount: Int { (gh + bandRows - 1) / bandRows }

    /// The grid rows (or columns) around pixel row (column) `y`: cell centres sit at
    /// (k + ½)·cell − ½, so y lies between cells ⌊f⌋ and ⌊f⌋ + 1, f = (y + ½)/cell − ½.
    func neighbours(_ y: Int, cells: Int) -> (Int, Int, Float) {
        let f = min(max((Double(y) + 0.5) / Double(cell) - 0.5, 0), Double(cells - 1))
        let k = Int(f)
        return (k, min(k + 1, cells - 1), Float(f - Double(k)))
    }
}

/// One worker's buffers: the splatted rows of a band with their halo, the blurred rows, one
/// grid row of scratch, and the column interpolation tables.
private struct BilateralGridScratch {
    var splat: [Float], blurred: [Float], row: [Float]
    var x0: [Int32], x1: [Int32], wx: [Float]

    init(_ g: BilateralGrid) {
        let halo = 2 * g.spaceRadius + 2
        splat = [Float](repeating: 0, count: (g.bandRows + halo) * g.rowFloats)
        blurred = [Float](repeating: 0, count: (g.bandRows + 2) * g.rowFloats)
        row = [Float](repeating: 0, count: g.rowFloats)
        x0 = []; x1 = []; wx = []
        for x in 0..<g.width {
            let (a, b, t) = g.neighbours(x, cells: g.gw)
            x0.append(Int32(a)); x1.append(Int32(b)); wx.append(t)
        }
    }
}

extension BilateralGrid {
    /// Band `b`: the pixel rows whose slice reads grid rows of band b (bandRows grid rows), the
    /// grid rows they read splatted with a halo of the blur's radius, blurred, and sliced.
    fileprivate func filterBand(_ b: Int, _ io: BilateralGridRows, _ s: inout BilateralGridScratch) {
        let ya = min(height, b * bandRows * cell), yb = min(height, (b + 1) * bandRows * cell)
        guard ya < yb else { return }
        let low = neighbours(ya, cells: gh).0, high = neighbours(yb - 1, cells: gh).1
        let first = max(0, low - spaceRadius), last = min(gh - 1, high + spaceRadius)
        splatRows(first...last, io, &s)
        blurRows(first...last, output: low...high, &s)
        sliceRows(ya..<yb, gridRows: low, io, &s)
    }

    /// Zeroes the band's rows and adds every pixel row of grid rows `rows` to them.
    private func splatRows(_ rows: ClosedRange<Int>, _ io: BilateralGridRows, _ s: inout BilateralGridScratch) {
        let n = rowFloats, count = rows.count
        s.splat.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.update(repeating: 0, count: count * n)
            for y in (rows.lowerBound * cell)..<min(height, (rows.upperBound + 1) * cell) {
                let dst = buf.baseAddress! + (y / cell - rows.lowerBound) * n
                if io.isFloat {
                    let src = io.source.assumingMemoryBound(to: Float.self) + y * io.sourceStride
                    ck_bgrid_splat_f32(src, width, channels, cell, lo, inverseStep, gd, dst)
                } else {
                    let src = io.source.assumingMemoryBound(to: UInt8.self) + y * io.sourceStride
                    ck_bgrid_splat_u8(src, width, channels, cell, lo, inverseStep, gd, dst)
                }
            }
        }
    }

    /// Blurs the splatted rows along x and range, then along y into `blurred` (rows `output`).
    private func blurRows(_ rows: ClosedRange<Int>, output: ClosedRange<Int>, _ s: inout BilateralGridScratch) {
        let n = rowFloats, r = Int32(spaceRadius), rz = Int32(rangeTaps.count / 2)
        s.splat.withUnsafeMutableBufferPointer { splat in
            s.row.withUnsafeMutableBufferPointer { tmp in
                spaceTaps.withUnsafeBufferPointer { ws in
                    rangeTaps.withUnsafeBufferPointer { wz in
                        for i in 0..<rows.count {
                            ck_bgrid_blur_row(splat.baseAddress! + i * n, tmp.baseAddress!, gw, gd, channels + 1,
                                              ws.baseAddress!, r, wz.baseAddress!, rz)
                        }
                    }
                }
            }
            s.blurred.withUnsafeMutableBufferPointer { out in
                spaceTaps.withUnsafeBufferPointer { ws in
                    ck_bgrid_blur_y(splat.baseAddress!, rows.count, output.lowerBound - rows.lowerBound, output.count, n,
                                    ws.baseAddress!, r, out.baseAddress!)
                }
            }
        }
    }

    /// Slices pixel rows `rows` from the blurred grid rows starting at grid row `base`.
    private func sliceRows(_ rows: Range<Int>, gridRows base: Int, _ io: BilateralGridRows, _ s: inout BilateralGridScratch) {
        let n = rowFloats
        s.blurred.withUnsafeBufferPointer { grid in
            s.row.withUnsafeMutableBufferPointer { tmp in
                s.x0.withUnsafeBufferPointer { x0 in
                    s.x1.withUnsafeBufferPointer { x1 in
                        s.wx.withUnsafeBufferPointer { wx in
                            for y in rows {
                                let (a, b, t) = neighbours(y, cells: gh)
                                let g0 = grid.baseAddress! + (a - base) * n, g1 = grid.baseAddress! + (b - base) * n
                                if io.isFloat {
                                    let src = io.source.assumingMemoryBound(to: Float.self) + y * io.sourceStride
                                    let dst = io.target.assumingMemoryBound(to: Float.self) + y * io.targetStride
                                    ck_bgrid_slice_f32(src, dst, width, channels, g0, g1, t, x0.baseAddress!, x1.baseAddress!,
                                                       wx.baseAddress!, lo, inverseStep, gw, gd, tmp.baseAddress!)
                                } else {
                                    let src = io.source.assumingMemoryBound(to: UInt8.self) + y * io.sourceStride
                                    let dst = io.target.assumingMemoryBound(to: UInt8.self) + y * io.targetStride
                                    ck_bgrid_slice_u8(src, dst, width, channels, g0, g1, t, x0.baseAddress!, x1.baseAddress!,
                                                      wx.baseAddress!, lo, inverseStep, gw, gd, tmp.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
