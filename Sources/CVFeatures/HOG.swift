import CKernels
import CVCore
import Foundation

/// A HOG descriptor with its grid.
public struct HOGFeatures: Sendable {
    /// Sizes and order of ``values``.
    public let grid: HOGGrid
    /// `grid.descriptorLength` values in `grid.parameters.order`.
    public var values: [Float]
    /// The shape of ``values`` as an array (see ``HOGGrid/shape``).
    public var shape: [Int] { grid.shape }
    /// The grid, under its earlier name.
    @available(*, deprecated, renamed: "grid")
    public var layout: HOGGrid { grid }
}

/// Histogram of Oriented Gradients (Dalal & Triggs 2005), reproducing scikit-image or OpenCV
/// depending on the ``HOGParameters`` preset.
///
/// ```swift
/// let hog = try HOG(.scikitImage(pixelsPerCell: HOGSize(8, 8), cellsPerBlock: HOGSize(2, 2)))
/// let features = try hog.descriptor(image)        // features.values: [Float]
/// let people = try HOG(.dalalTriggs).descriptor(window64x128)   // 3780 values, as OpenCV
/// ```
///
/// Recipe: 1. samples to Float (square root if `transformSqrt`); 2. central-difference
/// gradients, strongest channel per pixel, orientation votes (hard or linearly interpolated),
/// a row at a time; 3. cell histograms (shared by all blocks) — or, with Gaussian block
/// weighting, per block column the weighted row sums of each pixel row, then each block as a
/// weighted sum of its rows' sums (see `HOGBlockWeights`); 4. block normalization; 5. values
/// written in the preset's order.
///
/// - Complexity: O(W·H) for steps 1–3 (with Gaussian weighting each pixel is summed once per
///   block column containing it, 2 at the default stride, plus O(blocks · block height ·
///   block length) for the vertical sums), O(blocks · block length) for step 4. Large images
///   run in row stripes on `Parallel.threadCount` threads. Scratch memory is reused across
///   calls (a small pool), so repeated calls do not fault in fresh pages.
///
/// Conventions: y points down, angles from +x towards +y, first/last row and column have zero
/// gradient, pixels outside whole cells are ignored (see ``HOGParameters``).
///
/// Fidelity: `.scikitImage` matches `skimage.feature.hog` 0.26 (max abs difference ≤ 1e-5;
/// histograms are accumulated in Float as scikit-image's Cython kernel does, and bins are
/// decided with scikit-image's exact Double arithmetic near bin edges; block normalization is
/// in Float, ~1e-7 from scikit-image's float64). `.dalalTriggs` matches
/// `cv2.HOGDescriptor().compute` to ≤ 1e-4 (measured ~1.5e-7: Float throughout, OpenCV's fast
/// atan; the Gaussian block sums are factored by axis and summed in a different order than
/// OpenCV's per-pixel table, and OpenCV's SIMD kernels use FMA, so the last bits differ).
///
/// References: N. Dalal and B. Triggs, "Histograms of Oriented Gradients for Human Detection",
/// CVPR 2005, doi:10.1109/CVPR.2005.177.
public struct HOG: Sendable {
    /// The validated parameters.
    public let parameters: HOGParameters
    let blockWeights: HOGBlockWeights?

    /// - Throws: `CVError.invalidParameter` for a bad parameter (see ``HOGParameters/validate()``).
    public init(_ parameters: HOGParameters = .scikitImage) throws {
        try parameters.validate()
        self.parameters = parameters
        self.blockWeights = parameters.gaussianSigma != nil ? HOGBlockWeights(parameters) : nil
    }

    /// The grid for a `width × height` image, under its earlier name.
    @available(*, deprecated, renamed: "HOGParameters.grid(width:height:)")
    public func layout(width: Int, height: Int) throws -> HOGGrid {
        try parameters.grid(width: width, height: height)
    }

    /// The descriptor of a whole image.
    /// - Parameter image: 1 to 4 channels of UInt8, UInt16 or Float (sample values are used as
    ///   they are: 0...255 for UInt8, as scikit-image and OpenCV do). Every channel takes part in
    ///   the strongest-channel selection; drop alpha first if it should not.
    /// - Returns: ``HOGFeatures`` with `grid.descriptorLength` values.
    /// - Throws: `CVError.invalidParameter` when the image is smaller than one block.
    public func descriptor<P: PixelScalar>(_ image: Image<P>) throws -> HOGFeatures {
        let grid = try parameters.grid(width: image.width, height: image.height)
        let D = grid.descriptorLength
        // Every value is written by `compute`: no zero fill.
        let values = try [Float](unsafeUninitializedCapacity: D) { out, initialized in
            try compute(image, into: UnsafeMutableBufferPointer(rebasing: out[0..<D]), parallel: image.pixelCount >= 128 * 128)
            initialized = D
        }
        return HOGFeatures(grid: grid, values: values)
    }

    /// Writes the descriptor of `image` into `out` (which must hold exactly
    /// `parameters.grid(width:height:).descriptorLength` values). For feature tables: no allocation of
    /// the result, and `parallel: false` when the caller already runs one image per thread.
    /// - Throws: `CVError.invalidParameter` for a small image or a wrong buffer size.
    public func compute<P: PixelScalar>(_ image: Image<P>, into out: UnsafeMutableBufferPointer<Float>, parallel: Bool = true) throws {
        let grid = try parameters.grid(width: image.width, height: image.height)
        guard out.count == grid.descriptorLength else {
            throw CVError.invalidParameter(name: "out", reason: "buffer holds \(out.count) values, the descriptor has \(grid.descriptorLength)")
        }
        HOGScratchPool.with { scratch in
            HOGSource.with(image, transformSqrt: parameters.transformSqrt, parallel: parallel, scratch: scratch.source) { source in
                computeBlocks(source: source, grid: grid, parallel: parallel, scratch: scratch) { bx, by in
                    out.baseAddress! + grid.blockOffset(bx: bx, by: by)
                }
            }
        }
    }

    /// Unnormalized cell histograms, `(cellsY, cellsX, orientations)` row-major, as scikit-image
    /// computes them before block normalization (what ``HOGVisualization`` draws). Gaussian
    /// block weighting does not apply to cells and is ignored here.
    /// - Throws: `CVError.invalidParameter` for a bad parameter or an image without a whole cell.
    public func cellHistograms<P: PixelScalar>(_ image: Image<P>) throws -> HOGCellHistograms {
        let cs = parameters.cellSize
        let (cellsX, cellsY) = HOGGrid.cells(parameters, width: image.width, height: image.height)
        guard cellsX >= 1, cellsY >= 1 else {
            throw CVError.invalidParameter(name: "image", reason: "a \(image.width)x\(image.height) image is smaller than one \(cs) cell")
        }
        let n = parameters.orientations
        var values = [Float](repeating: 0, count: cellsX * cellsY * n)
        let parallel = image.pixelCount >= 128 * 128
        HOGScratchPool.with { scratch in
            HOGSource.with(image, transformSqrt: parameters.transformSqrt, parallel: parallel, scratch: scratch.source) { source in
                values.withUnsafeMutableBufferPointer { cells in
                    accumulateCells(source, cells: cells.baseAddress!, cellsX: cellsX, cellsY: cellsY, parallel: parallel, scratch: scratch)
                }
            }
        }
        return HOGCellHistograms(cellsX: cellsX, cellsY: cellsY, orientations: n, cellSize: cs,
                                 signed: parameters.signedGradients, values: values)
    }

    // MARK: - Engine

    /// Steps 2–4 for the blocks of `grid` (an area at the image's top left);
    /// `destination(bx, by)` says where block `(bx, by)`'s normalized values go. With
    /// `rowSink` (Gaussian block weights and consecutive destinations only, see
    /// ``HOGBlockRowSink``) step 4 is left to it, one block row at a time.
    func computeBlocks(source: HOGSource, grid: HOGGrid, parallel: Bool, scratch: HOGScratch, rowSink: HOGBlockRowSink? = nil,
                       destination: (Int, Int) -> UnsafeMutablePointer<Float>) {
        if let weights = blockWeights {
            gaussianBlocks(source: source, grid: grid, weights: weights, parallel: parallel, rowSink: rowSink, destination: destination)
        } else {
            let cells = scratch.cells.histograms.reserve(max(1, grid.cellsX * grid.cellsY * parameters.orientations))
            accumulateCells(source, cells: cells, cellsX: grid.cellsX, cellsY: grid.cellsY, parallel: parallel, scratch: scratch)
            gatherBlocks(cells: cells, grid: grid, parallel: parallel, destination: destination)
        }
    }

    /// Steps 2–4 with Gaussian block weighting: votes a row at a time; each row's horizontal
    /// block sums go into a ring of `bh` rows; each block row is then summed vertically from
    /// the ring and normalized. No image-sized buffers; blocks in stripes of block rows.
    private func gaussianBlocks(source: HOGSource, grid: HOGGrid, weights bw: HOGBlockWeights, parallel: Bool,
                                rowSink: HOGBlockRowSink?, destination: (Int, Int) -> UnsafeMutablePointer<Float>) {
        let p = parameters
        let stridePx = p.blockStridePixels
        let covW = grid.coveredPixels.width
        let blocksX = grid.blocksX
        let slot = 2 * blocksX * bw.ncx * p.orientations
        Parallel.forEachStripe(rows: grid.blocksY, minRowsPerStripe: 16, threads: parallel && grid.blocksY >= 2 ? Parallel.threadCount : 1) { blockRows in
            HOGScratchPool.with { s in
                let ring = s.blocks.rowSumRing.reserve(max(1, bw.bh * slot))
                let rv = s.votes.row(count: covW)
                let buffers = s.gradients.row(count: covW)
                let rowPtrs = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: bw.bh)
                defer { rowPtrs.deallocate() }
                var next = blockRows.lowerBound * stridePx.height
                for by in blockRows {
                    let y0 = by * stridePx.height
                    next = max(next, y0)
                    while next < y0 + bw.bh {
                        source.votesRow(y: next, count: covW, parameters: p, out: rv, buffers: buffers)
                        bw.rowSums(rv, blocksX: blocksX, strideX: stridePx.width,
                                   orientationInterpolation: p.orientationInterpolation, into: ring + (next % bw.bh) * slot)
                        next += 1
                    }
                    for i in 0..<bw.bh { rowPtrs[i] = ring + ((y0 + i) % bw.bh) * slot }
                    blockRow(by, blocksX: blocksX, weights: bw, rows: rowPtrs, rowSink: rowSink, destination: destination)
                }
            }
        }
    }

    /// Step 3b's vertical sums and step 4 for block row `by` (its `bh` row sums at `rows`).
    /// When the row's blocks are consecutive in memory and the norm is OpenCV's L2-Hys, they
    /// are normalised together (the kernel overlaps the blocks' square roots and divisions).
    @inline(__always)
    private func blockRow(_ by: Int, blocksX: Int, weights bw: HOGBlockWeights, rows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>,
                          rowSink: HOGBlockRowSink?, destination: (Int, Int) -> UnsafeMutablePointer<Float>) {
        let p = parameters, L = p.blockLength
        let first = destination(0, by)
        let consecutive = blocksX > 1 && destination(1, by) == first + L && destination(blocksX - 1, by) == first + (blocksX - 1) * L
        let together = consecutive && p.normConvention == .opencv && p.blockNorm == .l2Hys
        if !(consecutive && bw.blockRow(blocksX: blocksX, order: p.order, rows: rows, into: first)) {
            for bx in 0..<blocksX { bw.block(bx: bx, order: p.order, rows: { rows[$0] }, into: destination(bx, by)) }
        }
        if let rowSink {
            precondition(consecutive || blocksX == 1, "a row sink needs the row's blocks consecutive")
            rowSink(by, first)
        } else if together {
            ck_hog_normalize_l2hys_opencv_blocks(first, blocksX, L, Float(p.clipThreshold))
        } else {
            for bx in 0..<blocksX { normalizeBlock(destination(bx, by), count: L) }
        }
    }

    /// Step 4 from shared cell histograms: gathers each block in the output order and
    /// normalizes it.
    private func gatherBlocks(cells: UnsafeMutablePointer<Float>, grid: HOGGrid, parallel: Bool,
                              destination: (Int, Int) -> UnsafeMutablePointer<Float>) {
        let p = parameters
        let n = p.orientations, bs = p.blockSize, L = p.blockLength, cellsX = grid.cellsX
        let rowMajor = p.order == .rowMajor
        let run = bs.width * n
        Parallel.forEachStripe(rows: grid.blocksY, minRowsPerStripe: 16, threads: parallel && grid.blocksY >= 4 ? Parallel.threadCount : 1) { rows in
            for by in rows {
                for bx in 0..<grid.blocksX {
                    let dst = destination(bx, by)
                    let (cx0, cy0) = grid.firstCell(bx: bx, by: by)
                    if rowMajor {
                        for j in 0..<bs.height {
                            (dst + j * run).update(from: cells + ((cy0 + j) * cellsX + cx0) * n, count: run)
                        }
                    } else {
                        var k = 0
                        for i in 0..<bs.width {
                            for j in 0..<bs.height {
                                (dst + k).update(from: cells + ((cy0 + j) * cellsX + cx0 + i) * n, count: n)
                                k += n
                            }
                        }
                    }
                    normalizeBlock(dst, count: L)
                }
            }
        }
    }

    /// Steps 2–3a: cell histograms `(cellsY, cellsX, n)`, with or without bilinear spatial
    /// interpolation, divided by the cell area when `averageCellVotes`. Votes are computed a
    /// row at a time and added at once (no image-sized vote buffers). Each cell row is summed
    /// by one stripe in row-major pixel order (scikit-image's order), so the result does not
    /// depend on the thread count.
    func accumulateCells(_ source: HOGSource, cells: UnsafeMutablePointer<Float>, cellsX: Int, cellsY: Int, parallel: Bool, scratch: HOGScratch) {
        let p = parameters
        let n = p.orientations
        let cw = p.cellSize.width, ch = p.cellSize.height
        let covW = cellsX * cw
        let rowLen = cellsX * n
        let columnOffsets = scratch.cells.columnOffsets.reserve(max(1, covW))
        for x in 0..<covW { columnOffsets[x] = Int32((x / cw) * n) }
        Parallel.forEachStripe(rows: cellsY, minRowsPerStripe: 16, threads: parallel && cellsY >= 4 ? Parallel.threadCount : 1) { cellRows in
            HOGScratchPool.with { s in
                let rows = HOGCellRows(cells: cells, cellsX: cellsX, cellsY: cellsY, rowLength: rowLen, cellRows: cellRows,
                                       votes: s.votes.row(count: covW), gradients: s.gradients.row(count: covW))
                (cells + cellRows.lowerBound * rowLen).initialize(repeating: 0, count: cellRows.count * rowLen)
                if !p.spatialInterpolation {
                    ownCellVotes(source, rows, columnOffsets: columnOffsets)
                } else {
                    bilinearCellVotes(source, rows, scratch: s.cells)
                }
                if p.averageCellVotes {
                    let area = Float(cw * ch)
                    let h = cells + cellRows.lowerBound * rowLen
                    for i in 0..<(cellRows.count * rowLen) { h[i] = h[i] / area }
                }
            }
        }
    }

    /// Step 3a without spatial interpolation: each pixel votes into its own cell.
    private func ownCellVotes(_ source: HOGSource, _ r: HOGCellRows, columnOffsets colOff: UnsafeMutablePointer<Int32>) {
        let p = parameters
        let ch = p.cellSize.height, covW = r.cellsX * p.cellSize.width
        let b0 = r.votes.b0, b1 = r.votes.b1, m0 = r.votes.m0, m1 = r.votes.m1
        for y in (r.cellRows.lowerBound * ch)..<(r.cellRows.upperBound * ch) {
            source.votesRow(y: y, count: covW, parameters: p, out: r.votes, buffers: r.gradients)
            let hist = r.cells + (y / ch) * r.rowLength
            if p.orientationInterpolation {
                for x in 0..<covW {
                    let h = hist + Int(colOff[x])
                    h[Int(b0[x])] += m0[x]
                    h[Int(b1[x])] += m1[x]
                }
            } else {
                for x in 0..<covW { hist[Int(colOff[x]) + Int(b0[x])] += m0[x] }
            }
        }
    }

    /// Step 3a with spatial interpolation: weights from the distance to the 2×2 nearest cell
    /// centres. Pixel rows up to one cell outside the stripe's cell rows vote into them.
    private func bilinearCellVotes(_ source: HOGSource, _ r: HOGCellRows, scratch: HOGCellScratch) {
        let p = parameters
        let n = p.orientations, interpO = p.orientationInterpolation
        let cw = p.cellSize.width, ch = p.cellSize.height
        let cellsX = r.cellsX, cellsY = r.cellsY, cellRows = r.cellRows
        let covW = cellsX * cw, covH = cellsY * ch
        let colCell0 = scratch.columnCells0.reserve(max(1, covW)), colCell1 = scratch.columnCells1.reserve(max(1, covW))
        let colW0 = scratch.columnWeights0.reserve(max(1, covW)), colW1 = scratch.columnWeights1.reserve(max(1, covW))
        for x in 0..<covW {
            let f = (Float(x) + 0.5) / Float(cw) - 0.5
            let c0 = Int(f.rounded(.down))
            let t = f - Float(c0)
            colCell0[x] = Int32(max(c0, 0) * n); colW0[x] = c0 >= 0 ? 1 - t : 0
            colCell1[x] = Int32(min(c0 + 1, cellsX - 1) * n); colW1[x] = c0 + 1 < cellsX ? t : 0
        }
        let b0 = r.votes.b0, b1 = r.votes.b1, m0 = r.votes.m0, m1 = r.votes.m1
        let yLo = max(0, cellRows.lowerBound * ch - ch), yHi = min(covH, cellRows.upperBound * ch + ch)
        for y in yLo..<yHi {
            let f = (Float(y) + 0.5) / Float(ch) - 0.5
            let r0 = Int(f.rounded(.down))
            let t = f - Float(r0)
            let targets = [(r0, 1 - t), (r0 + 1, t)].filter { cellRows.contains($0.0) && $0.0 < cellsY && $0.0 >= 0 }
            if targets.isEmpty { continue }
            source.votesRow(y: y, count: covW, parameters: p, out: r.votes, buffers: r.gradients)
            for (row, wy) in targets {
                let hist = r.cells + row * r.rowLength
                for x in 0..<covW {
                    let v0 = Int(b0[x])
                    let a0 = m0[x] * wy
                    let h0 = hist + Int(colCell0[x]), h1 = hist + Int(colCell1[x])
                    let w0 = colW0[x], w1 = colW1[x]
                    h0[v0] += a0 * w0; h1[v0] += a0 * w1
                    if interpO {
                        let v1 = Int(b1[x]), a1 = m1[x] * wy
                        h0[v1] += a1 * w0; h1[v1] += a1 * w1
                    }
                }
            }
        }
    }

    /// Step 4: normalizes one block in place.
    func normalizeBlock(_ v: UnsafeMutablePointer<Float>, count L: Int) {
        let p = parameters
        switch p.normConvention {
        case .scikitImage(let eps64):
            // scikit-image normalizes in float64; Float with one reciprocal per block is within
            // ~1e-7 of it (every value is at most 1).
            let eps = Float(eps64)
            switch p.blockNorm {
            case .l1:
                let inv = 1 / (hogSumAbs(v, L) + eps)
                for i in 0..<L { v[i] = v[i] * inv }
            case .l1Sqrt:
                let inv = 1 / (hogSumAbs(v, L) + eps)
                for i in 0..<L { v[i] = (v[i] * inv).squareRoot() }
            case .l2:
                let inv = 1 / (hogSumSquares8(v, L) + eps * eps).squareRoot()
                for i in 0..<L { v[i] = v[i] * inv }
            case .l2Hys:
                let inv = 1 / (hogSumSquares8(v, L) + eps * eps).squareRoot()
                let clip = Float(p.clipThreshold)
                for i in 0..<L { v[i] = min(v[i] * inv, clip) }
                let inv2 = 1 / (hogSumSquares8(v, L) + eps * eps).squareRoot()
                for i in 0..<L { v[i] = v[i] * inv2 }
            }
        case .opencv:
            // HOGCache::normalizeBlockHistogram: partial sums in 4 lanes, then the tail.
            let first = Float(L) * 0.1
            switch p.blockNorm {
            case .l1, .l1Sqrt:
                let scale = 1 / (hogSumAbs4(v, L) + first)
                if p.blockNorm == .l1 {
                    for i in 0..<L { v[i] = v[i] * scale }
                } else {
                    for i in 0..<L { v[i] = (v[i] * scale).squareRoot() }
                }
            case .l2:
                let scale = 1 / (hogSumSquares4(v, L).squareRoot() + first)
                for i in 0..<L { v[i] *= scale }
            case .l2Hys:
                // (1/(√Σv² + first), clip, 1/(√Σv² + 1e-3)) with Σ in OpenCV's lane order
                ck_hog_normalize_l2hys_opencv(v, L, Float(p.clipThreshold))
            }
        }
    }
}

// MARK: - Vector sums

/// Σ v², 8 lanes (order-free; scikit-image convention).
@inline(__always)
func hogSumSquares8(_ v: UnsafePointer<Float>, _ L: Int) -> Float {
    hogLaneSum(v, L, { (x: SIMD8<Float>) in x * x }, { $0.sum() }, { $0 * $0 })
}

/// Σ |v|, 8 lanes.
@inline(__always)
func hogSumAbs(_ v: UnsafePointer<Float>, _ L: Int) -> Float { hogLaneSum(v, L, hogAbs, { $0.sum() }, abs) }

/// Σ v² in OpenCV's order: 4 partial sums over groups of 4, `(p0 + p1) + (p2 + p3)`, then
/// the tail added one by one.
@inline(__always)
func hogSumSquares4(_ v: UnsafePointer<Float>, _ L: Int) -> Float {
    hogLaneSum(v, L, { (x: SIMD4<Float>) in x * x }, hogOpenCVLaneSum, { $0 * $0 })
}

/// Σ |v| in OpenCV's order (as ``hogSumSquares4``).
@inline(__always)
func hogSumAbs4(_ v: UnsafePointer<Float>, _ L: Int) -> Float {
    hogLaneSum(v, L, { (x: SIMD4<Float>) in
        unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt32>.self) & 0x7fff_ffff, to: SIMD4<Float>.self)
    }, hogOpenCVLaneSum, abs)
}

/// OpenCV's order of adding 4 partial sums.
@inline(__always)
func hogOpenCVLaneSum(_ acc: SIMD4<Float>) -> Float { (acc[0] + acc[1]) + (acc[2] + acc[3]) }

/// Σ f(v) in lanes of `V`, the lanes added by `lanes`, then the tail one by one with `g`.
@inline(__always)
func hogLaneSum<V: SIMD>(_ v: UnsafePointer<Float>, _ L: Int, _ f: (V) -> V, _ lanes: (V) -> Float,
                         _ g: (Float) -> Float) -> Float where V.Scalar == Float {
    var acc = V()
    var i = 0
    while i + V.scalarCount <= L {
        acc += f(UnsafeRawPointer(v + i).loadUnaligned(as: V.self))
        i += V.scalarCount
    }
    var s = lanes(acc)
    while i < L { s += g(v[i]); i += 1 }
    return s
}

/// The weights of Gaussian-weighted blocks, factored by axis. OpenCV's per-pixel table
/// (`HOGCache::init`) gives pixel `(i, j)` of a block the weight
/// `exp(−((i − bh/2)² + (j − bw/2)²)/(2σ²)) · wx(j, cx) · wy(i, cy)` towards cell `(cx, cy)`,
/// where `wx`, `wy` are the bilinear weights to the nearest cell centres inside the block (cells
/// outside the block dropped, not renormalized) or 1 for the pixel's own cell without spatial
/// interpolation. That is a product of a column factor and a row factor, so a block histogram is
/// `Σᵢ rowW(i, cy) · Rᵢ[cx]` with `Rᵢ[cx] = Σⱼ colW(j, cx) · vote(i, j)`: the row sums `R` are
/// shared by the blocks of a block column that overlap vertically, which cuts the scattered
/// adds roughly threefold against OpenCV's per-block table. The result equals OpenCV's up to
/// Float rounding (summation order and the factored exponential, ~1e-7 relative).
/// Built once per ``HOG`` value.
final class HOGBlockWeights: @unchecked Sendable {
    /// Block size in pixels and in cells, orientations.
    let bw: Int, bh: Int, ncx: Int, ncy: Int, n: Int
    /// Per block column `j`: 1 or 2 entries `(cx · n, weight)`.
    let colCount: [Int], colOffset: [Int], colWeight: [Float]
    /// Per block row `i`: 1 or 2 entries `(cy, weight)`.
    let rowCount: [Int], rowCell: [Int], rowWeight: [Float]
    /// OpenCV's geometry (16×16 blocks of 8×8 cells, 9 interpolated bins): the weights as dense
    /// `(cell 0, cell 1)` pairs per block column and row for the `ck_hog_*_16x8` kernels, else nil.
    let dense16x8: (columns: [Float], rows: [Float])?

    init(_ p: HOGParameters) {
        bw = p.blockPixels.width; bh = p.blockPixels.height
        ncx = p.blockSize.width; ncy = p.blockSize.height
        n = p.orientations
        let sigma = Float(p.gaussianSigma ?? 1)
        let scale = 1 / (sigma * sigma * 2)
        // Bilinear (or own-cell) weights of block-relative position t along an axis of
        // `cells` cells of `size` pixels; OpenCV's arithmetic in Float.
        func axis(_ t: Int, size: Int, cells: Int, half: Float) -> [(Int, Float)] {
            var d = Float(t) - half; d *= d
            let g = expf(-d * scale)
            guard p.spatialInterpolation else { return [(t / size, g)] }
            var f = (Float(t) + 0.5) / Float(size) - 0.5
            let c0 = Int(f.rounded(.down))
            f -= Float(c0)
            var out: [(Int, Float)] = []
            if c0 >= 0 && c0 < cells { out.append((c0, g * (1 - f))) }
            if c0 + 1 >= 0 && c0 + 1 < cells { out.append((c0 + 1, g * f)) }
            return out
        }
        var cc: [Int] = [], co: [Int] = [], cwt: [Float] = []
        for j in 0..<bw {
            let e = axis(j, size: p.cellSize.width, cells: ncx, half: Float(bw) * 0.5)
            cc.append(e.count)
            for q in 0..<2 { co.append(q < e.count ? e[q].0 * n : 0); cwt.append(q < e.count ? e[q].1 : 0) }
        }
        var rc: [Int] = [], rcell: [Int] = [], rwt: [Float] = []
        for i in 0..<bh {
            let e = axis(i, size: p.cellSize.height, cells: ncy, half: Float(bh) * 0.5)
            rc.append(e.count)
            for q in 0..<2 { rcell.append(q < e.count ? e[q].0 : 0); rwt.append(q < e.count ? e[q].1 : 0) }
        }
        colCount = cc; colOffset = co; colWeight = cwt
        rowCount = rc; rowCell = rcell; rowWeight = rwt
        dense16x8 = Self.dense16x8(p, colCount: cc, colOffset: co, colWeight: cwt, rowCount: rc, rowCell: rcell, rowWeight: rwt)
    }

    /// The dense weight pairs of the 16×8 kernels when `p` has OpenCV's block geometry.
    private static func dense16x8(_ p: HOGParameters, colCount: [Int], colOffset: [Int], colWeight: [Float],
                                  rowCount: [Int], rowCell: [Int], rowWeight: [Float]) -> (columns: [Float], rows: [Float])? {
        guard p.blockPixels == HOGSize(16, 16), p.blockSize == HOGSize(2, 2), p.cellSize == HOGSize(8, 8),
              p.orientations == 9, p.orientationInterpolation else { return nil }
        var columns = [Float](repeating: 0, count: 32), rows = [Float](repeating: 0, count: 32)
        for j in 0..<16 {
            for q in 0..<colCount[j] { columns[2 * j + colOffset[2 * j + q] / 9] = colWeight[2 * j + q] }
            for q in 0..<rowCount[j] { rows[2 * j + rowCell[2 * j + q]] = rowWeight[2 * j + q] }
        }
        return (columns, rows)
    }

    /// Step 3b, horizontal half: for one row of votes, the weighted sums `R[bx][cx][bin]` of
    /// the `blocksX` block columns whose origins are `strideX` pixels apart, into `out`
    /// (`2 · blocksX · ncx · n` Floats: the result in the first half, the second is scratch).
    func rowSums(_ v: HOGRowVotes, blocksX: Int, strideX: Int, orientationInterpolation: Bool, into out: UnsafeMutablePointer<Float>) {
        if let dense = dense16x8, strideX == 8 {
            dense.columns.withUnsafeBufferPointer { ck_hog_row_sums_16x8(v.b0, v.b1, v.m0, v.m1, blocksX, $0.baseAddress!, out) }
            return
        }
        let n = n, bw = bw
        let rl = ncx * n
        out.initialize(repeating: 0, count: blocksX * rl)
        // OpenCV reads both bins of a pixel before writing either; with one bin the second
        // write wins, i.e. the first vote is lost. Reproduced for fidelity.
        let keep0: Float = n == 1 && orientationInterpolation ? 0 : 1
        // Even and odd columns add into separate copies (`out` and `alt`), so runs of pixels
        // voting into the same bin do not wait on each other's stores; summed at the end.
        let alt = out + blocksX * rl
        alt.initialize(repeating: 0, count: blocksX * rl)
        colCount.withUnsafeBufferPointer { ccp in
        colOffset.withUnsafeBufferPointer { cop in
        colWeight.withUnsafeBufferPointer { cwp in
            let cc = ccp.baseAddress!, co = cop.baseAddress!, cw = cwp.baseAddress!
            for bx in 0..<blocksX {
                let ra = out + bx * rl, rb = alt + bx * rl
                let o = bx * strideX
                let vb0 = v.b0 + o, vb1 = v.b1 + o, vm0 = v.m0 + o, vm1 = v.m1 + o
                if orientationInterpolation {
                    for j in 0..<bw {
                        let r = (j & 1) == 0 ? ra : rb
                        let h0 = Int(vb0[j]), h1 = Int(vb1[j])
                        let a0 = vm0[j] * keep0, a1 = vm1[j]
                        let w0 = cw[2 * j], r0 = r + co[2 * j]
                        r0[h0] += a0 * w0
                        r0[h1] += a1 * w0
                        if cc[j] == 2 {
                            let w1 = cw[2 * j + 1], r1 = r + co[2 * j + 1]
                            r1[h0] += a0 * w1
                            r1[h1] += a1 * w1
                        }
                    }
                } else {
                    for j in 0..<bw {
                        let r = (j & 1) == 0 ? ra : rb
                        let h0 = Int(vb0[j]), a0 = vm0[j]
                        r[co[2 * j] + h0] += a0 * cw[2 * j]
                        if cc[j] == 2 { r[co[2 * j + 1] + h0] += a0 * cw[2 * j + 1] }
                    }
                }
            }
        }
        }
        }
        hogAxpy(out, alt, 1, blocksX * rl)
    }

    /// Step 3b, vertical half for the `blocksX` blocks of a block row written one after
    /// another from `dst` (the same values as ``block(bx:order:rows:into:)`` for each); false
    /// when the weights are not OpenCV's 16×8 geometry (then nothing is written).
    func blockRow(blocksX: Int, order: HOGDescriptorOrder, rows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>,
                  into dst: UnsafeMutablePointer<Float>) -> Bool {
        guard let dense = dense16x8, bh == 16 else { return false }
        rows.withMemoryRebound(to: UnsafePointer<Float>?.self, capacity: 16) { rp in
            dense.rows.withUnsafeBufferPointer {
                ck_hog_block_row_16x8(rp, blocksX, $0.baseAddress!, order == .columnMajor ? 1 : 0, dst)
            }
        }
        return true
    }

    /// Step 3b, vertical half: block `bx`'s histogram (in `order`) from the row sums of its
    /// `bh` rows; `rows(i)` points at the row sums of the block's row `i` (all block columns).
    @inline(__always)
    func block(bx: Int, order: HOGDescriptorOrder, rows: (Int) -> UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        let n = n, ncx = ncx, ncy = ncy
        if let dense = dense16x8 {
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: 16) { rp in
                for i in 0..<16 { rp[i] = UnsafePointer(rows(i)) }
                dense.rows.withUnsafeBufferPointer {
                    ck_hog_block_16x8(rp.baseAddress!, bx * ncx * n, $0.baseAddress!, order == .columnMajor ? 1 : 0, dst)
                }
            }
            return
        }
        let rl = ncx * n
        dst.initialize(repeating: 0, count: ncx * ncy * n)
        for i in 0..<bh {
            let src = rows(i) + bx * rl
            for q in 0..<rowCount[i] {
                let cy = rowCell[2 * i + q], w = rowWeight[2 * i + q]
                if order == .rowMajor {
                    hogAxpy(dst + cy * rl, src, w, rl)  // cells (0..<ncx, cy): one run
                } else {
                    for cx in 0..<ncx { hogAxpy(dst + (cx * ncy + cy) * n, src + cx * n, w, n) }
                }
            }
        }
    }
}

/// `d[k] += w · s[k]` for `k < count`.
@inline(__always)
func hogAxpy(_ d: UnsafeMutablePointer<Float>, _ s: UnsafePointer<Float>, _ w: Float, _ count: Int) {
    let wv = SIMD4<Float>(repeating: w)
    var k = 0
    while k + 4 <= count {
        let x = UnsafeRawPointer(s + k).loadUnaligned(as: SIMD4<Float>.self)
        let y = UnsafeRawPointer(d + k).loadUnaligned(as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(d + k).storeBytes(of: y + wv * x, as: SIMD4<Float>.self)
        k += 4
    }
    while k < count { d[k] += w * s[k]; k += 1 }
}

/// What one stripe of step 3a works on: the histograms of cell rows `cellRows` (of a
/// `cellsX × cellsY` grid, `rowLength` values per cell row) and its row buffers.
struct HOGCellRows {
    let cells: UnsafeMutablePointer<Float>
    let cellsX: Int, cellsY: Int
    let rowLength: Int
    let cellRows: Range<Int>
    let votes: HOGRowVotes
    let gradients: HOGGradientRowBuffers
}
