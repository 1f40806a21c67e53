import CVCore
import Foundation

/// A HOG descriptor with its layout.
public struct HOGFeatures: Sendable {
    /// Sizes and order of ``values``.
    public let layout: HOGLayout
    /// `layout.descriptorLength` values in `layout.parameters.order`.
    public var values: [Float]
    /// The shape of ``values`` as an array (see ``HOGLayout/shape``).
    public var shape: [Int] { layout.shape }
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
/// gradients, strongest channel per pixel, orientation votes (hard or linearly interpolated);
/// 3. cell histograms (shared by all blocks) — or, with Gaussian block weighting, one weighted
/// histogram per block; 4. block normalization; 5. values written in the preset's order.
///
/// - Complexity: O(W·H) for steps 1–3 (O(W·H·4) with Gaussian weighting, since every pixel is
///   in 4 blocks at the default stride), O(blocks · block length) for step 4. Large images run
///   in row stripes on ``Parallel/threadCount`` threads.
///
/// Conventions: y points down, angles from +x towards +y, first/last row and column have zero
/// gradient, pixels outside whole cells are ignored (see ``HOGParameters``).
///
/// Fidelity: `.scikitImage` matches `skimage.feature.hog` 0.26 (max abs difference ≤ 1e-5;
/// histograms are accumulated in Float as scikit-image's Cython kernel does, and bins are
/// decided with scikit-image's exact Double arithmetic near bin edges). `.dalalTriggs` matches
/// `cv2.HOGDescriptor().compute` to ≤ 1e-4 (Float throughout, OpenCV's fast atan and
/// summation order; OpenCV's SIMD kernels use FMA, so the last bit can differ).
///
/// References: N. Dalal and B. Triggs, "Histograms of Oriented Gradients for Human Detection",
/// CVPR 2005, doi:10.1109/CVPR.2005.177.
public struct HOG: Sendable {
    public let parameters: HOGParameters
    let blockPixels: HOGBlockPixels?

    /// - Throws: `CVError.invalidParameter` for a bad parameter (see ``HOGParameters/validate()``).
    public init(_ parameters: HOGParameters = .scikitImage) throws {
        try parameters.validate()
        self.parameters = parameters
        self.blockPixels = parameters.gaussianSigma != nil ? HOGBlockPixels(parameters) : nil
    }

    /// The layout for a `width × height` image. - Throws: as ``HOGParameters/layout(width:height:)``.
    public func layout(width: Int, height: Int) throws -> HOGLayout {
        try parameters.layout(width: width, height: height)
    }

    /// The descriptor of a whole image.
    /// - Parameter image: 1 to 4 channels of UInt8, UInt16 or Float (sample values are used as
    ///   they are: 0...255 for UInt8, as scikit-image and OpenCV do). Every channel takes part in
    ///   the strongest-channel selection; drop alpha first if it should not.
    /// - Returns: ``HOGFeatures`` with `layout.descriptorLength` values.
    /// - Throws: `CVError.invalidParameter` when the image is smaller than one block.
    public func descriptor<P: PixelScalar>(_ image: Image<P>) throws -> HOGFeatures {
        let layout = try self.layout(width: image.width, height: image.height)
        var values = [Float](repeating: 0, count: layout.descriptorLength)
        try values.withUnsafeMutableBufferPointer { out in
            try compute(image, into: out, parallel: image.pixelCount >= 128 * 128)
        }
        return HOGFeatures(layout: layout, values: values)
    }

    /// Writes the descriptor of `image` into `out` (which must hold exactly
    /// `layout(width:height:).descriptorLength` values). For feature tables: no allocation of
    /// the result, and `parallel: false` when the caller already runs one image per thread.
    /// - Throws: `CVError.invalidParameter` for a small image or a wrong buffer size.
    public func compute<P: PixelScalar>(_ image: Image<P>, into out: UnsafeMutableBufferPointer<Float>, parallel: Bool = true) throws {
        let layout = try self.layout(width: image.width, height: image.height)
        guard out.count == layout.descriptorLength else {
            throw CVError.invalidParameter(name: "out", reason: "buffer holds \(out.count) values, the descriptor has \(layout.descriptorLength)")
        }
        HOGSource.with(image, transformSqrt: parameters.transformSqrt, parallel: parallel) { source in
            computeBlocks(source: source, cellsX: layout.cellsX, cellsY: layout.cellsY,
                          blocksX: layout.blocksX, blocksY: layout.blocksY, parallel: parallel) { bx, by in
                out.baseAddress! + layout.blockOffset(bx: bx, by: by)
            }
        }
    }

    /// Unnormalized cell histograms, `(cellsY, cellsX, orientations)` row-major, as scikit-image
    /// computes them before block normalization (what ``HOGVisualization`` draws). Gaussian
    /// block weighting does not apply to cells and is ignored here.
    /// - Throws: `CVError.invalidParameter` for a bad parameter or an image without a whole cell.
    public func cellHistograms<P: PixelScalar>(_ image: Image<P>) throws -> HOGCellHistograms {
        let cs = parameters.cellSize
        let cellsX = image.width / cs.width, cellsY = image.height / cs.height
        guard cellsX >= 1, cellsY >= 1 else {
            throw CVError.invalidParameter(name: "image", reason: "a \(image.width)x\(image.height) image is smaller than one \(cs) cell")
        }
        let n = parameters.orientations
        var values = [Float](repeating: 0, count: cellsX * cellsY * n)
        let parallel = image.pixelCount >= 128 * 128
        HOGSource.with(image, transformSqrt: parameters.transformSqrt, parallel: parallel) { source in
            let votes = HOGVotes(width: cellsX * cs.width, height: cellsY * cs.height)
            defer { votes.deallocate() }
            HOGSource.stripes(votes.height, parallel) { rows in source.computeVotes(votes, rows: rows, parameters: parameters) }
            values.withUnsafeMutableBufferPointer { cells in
                accumulateCells(votes, cells: cells.baseAddress!, cellsX: cellsX, cellsY: cellsY, parallel: parallel)
            }
        }
        return HOGCellHistograms(cellsX: cellsX, cellsY: cellsY, orientations: n, cellSize: cs,
                                 signed: parameters.signedGradients, values: values)
    }

    // MARK: - Engine

    /// Steps 2–4 for the block grid of a `cellsX × cellsY` area at the image's top left;
    /// `destination(bx, by)` says where block `(bx, by)`'s normalized values go.
    func computeBlocks(source: HOGSource, cellsX: Int, cellsY: Int, blocksX: Int, blocksY: Int, parallel: Bool,
                       destination: (Int, Int) -> UnsafeMutablePointer<Float>) {
        let p = parameters
        let n = p.orientations
        let cs = p.cellSize, bs = p.blockSize, st = p.blockStride
        let votes = HOGVotes(width: cellsX * cs.width, height: cellsY * cs.height)
        defer { votes.deallocate() }
        // 2. Votes.
        HOGSource.stripes(votes.height, parallel) { rows in source.computeVotes(votes, rows: rows, parameters: p) }
        let L = p.blockLength
        if let bp = blockPixels {
            // 3b. One Gaussian-weighted histogram per block, then 4.
            HOGSource.stripes(blocksY, parallel && blocksY >= 2) { rows in
                for by in rows {
                    for bx in 0..<blocksX {
                        let dst = destination(bx, by)
                        let origin = (by * st.height * cs.height) * votes.width + bx * st.width * cs.width
                        bp.accumulate(votes, origin: origin, into: dst, length: L, orientationInterpolation: p.orientationInterpolation)
                        normalizeBlock(dst, count: L)
                    }
                }
            }
        } else {
            // 3a. Cell histograms shared by the blocks.
            let cells = UnsafeMutablePointer<Float>.allocate(capacity: max(1, cellsX * cellsY * n))
            defer { cells.deallocate() }
            accumulateCells(votes, cells: cells, cellsX: cellsX, cellsY: cellsY, parallel: parallel)
            // 4. Gather each block in the output order and normalize it.
            let rowMajor = p.order == .rowMajor
            HOGSource.stripes(blocksY, parallel && blocksY >= 4) { rows in
                for by in rows {
                    for bx in 0..<blocksX {
                        let dst = destination(bx, by)
                        var k = 0
                        let cx0 = bx * st.width, cy0 = by * st.height
                        if rowMajor {
                            for j in 0..<bs.height {
                                for i in 0..<bs.width {
                                    (dst + k).update(from: cells + ((cy0 + j) * cellsX + cx0 + i) * n, count: n)
                                    k += n
                                }
                            }
                        } else {
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
    }

    /// Step 3a: cell histograms `(cellsY, cellsX, n)` from the votes, with or without bilinear
    /// spatial interpolation, divided by the cell area when `averageCellVotes`.
    func accumulateCells(_ votes: HOGVotes, cells: UnsafeMutablePointer<Float>, cellsX: Int, cellsY: Int, parallel: Bool) {
        let p = parameters
        let n = p.orientations
        let cw = p.cellSize.width, ch = p.cellSize.height
        let covW = votes.width
        let rowLen = cellsX * n
        let interpO = p.orientationInterpolation
        HOGSource.stripes(cellsY, parallel && cellsY >= 4) { cellRows in
            (cells + cellRows.lowerBound * rowLen).initialize(repeating: 0, count: cellRows.count * rowLen)
            if !p.spatialInterpolation {
                // Each cell's bins are summed in row-major pixel order, as scikit-image does.
                for y in (cellRows.lowerBound * ch)..<(cellRows.upperBound * ch) {
                    let hist = cells + (y / ch) * rowLen
                    let o = y * covW
                    let b0 = votes.b0 + o, b1 = votes.b1 + o, m0 = votes.m0 + o, m1 = votes.m1 + o
                    var x = 0
                    for cx in 0..<cellsX {
                        let h = hist + cx * n
                        if interpO {
                            for _ in 0..<cw {
                                h[Int(b0[x])] += m0[x]
                                h[Int(b1[x])] += m1[x]
                                x += 1
                            }
                        } else {
                            for _ in 0..<cw {
                                h[Int(b0[x])] += m0[x]
                                x += 1
                            }
                        }
                    }
                }
            } else {
                // Bilinear in space: weights from the distance to the 2×2 nearest cell centres.
                var colCell0 = [Int](repeating: 0, count: covW), colCell1 = colCell0
                var colW0 = [Float](repeating: 0, count: covW), colW1 = colW0
                for x in 0..<covW {
                    let f = (Float(x) + 0.5) / Float(cw) - 0.5
                    let c0 = Int(f.rounded(.down))
                    let t = f - Float(c0)
                    colCell0[x] = max(c0, 0); colW0[x] = c0 >= 0 ? 1 - t : 0
                    colCell1[x] = min(c0 + 1, cellsX - 1); colW1[x] = c0 + 1 < cellsX ? t : 0
                }
                let yLo = max(0, cellRows.lowerBound * ch - ch), yHi = min(votes.height, cellRows.upperBound * ch + ch)
                for y in yLo..<yHi {
                    let f = (Float(y) + 0.5) / Float(ch) - 0.5
                    let r0 = Int(f.rounded(.down))
                    let t = f - Float(r0)
                    let o = y * covW
                    for (r, wy) in [(r0, 1 - t), (r0 + 1, t)] where cellRows.contains(r) && r < cellsY && r >= 0 {
                        let hist = cells + r * rowLen
                        for x in 0..<covW {
                            let b0 = Int(votes.b0[o + x]), b1 = Int(votes.b1[o + x])
                            let a0 = votes.m0[o + x] * wy, a1 = votes.m1[o + x] * wy
                            let h0 = hist + colCell0[x] * n, h1 = hist + colCell1[x] * n
                            let w0 = colW0[x], w1 = colW1[x]
                            h0[b0] += a0 * w0; h1[b0] += a0 * w1
                            if interpO { h0[b1] += a1 * w0; h1[b1] += a1 * w1 }
                        }
                    }
                }
            }
            if p.averageCellVotes {
                let area = Float(cw * ch)
                let h = cells + cellRows.lowerBound * rowLen
                for i in 0..<(cellRows.count * rowLen) { h[i] = h[i] / area }
            }
        }
    }

    /// Step 4: normalizes one block in place.
    func normalizeBlock(_ v: UnsafeMutablePointer<Float>, count L: Int) {
        let p = parameters
        switch p.normConvention {
        case .scikitImage(let eps):
            switch p.blockNorm {
            case .l1, .l1Sqrt:
                var s = 0.0
                for i in 0..<L { s += abs(Double(v[i])) }
                let d = s + eps
                if p.blockNorm == .l1 {
                    for i in 0..<L { v[i] = Float(Double(v[i]) / d) }
                } else {
                    for i in 0..<L { v[i] = Float((Double(v[i]) / d).squareRoot()) }
                }
            case .l2:
                var s = 0.0
                for i in 0..<L { s += Double(v[i]) * Double(v[i]) }
                let d = (s + eps * eps).squareRoot()
                for i in 0..<L { v[i] = Float(Double(v[i]) / d) }
            case .l2Hys:
                var s = 0.0
                for i in 0..<L { s += Double(v[i]) * Double(v[i]) }
                let d = (s + eps * eps).squareRoot()
                let clip = p.clipThreshold
                var s2 = 0.0
                withUnsafeTemporaryAllocation(of: Double.self, capacity: L) { t in
                    for i in 0..<L {
                        let x = min(Double(v[i]) / d, clip)
                        t[i] = x
                        s2 += x * x
                    }
                    let d2 = (s2 + eps * eps).squareRoot()
                    for i in 0..<L { v[i] = Float(t[i] / d2) }
                }
            }
        case .opencv:
            // HOGCache::normalizeBlockHistogram: partial sums in 4 lanes, then the tail.
            let first = Float(L) * 0.1
            func sumSquares() -> Float {
                var p0: Float = 0, p1: Float = 0, p2: Float = 0, p3: Float = 0
                var i = 0
                while i + 4 <= L {
                    p0 += v[i] * v[i]; p1 += v[i + 1] * v[i + 1]; p2 += v[i + 2] * v[i + 2]; p3 += v[i + 3] * v[i + 3]
                    i += 4
                }
                var s = (p0 + p1) + (p2 + p3)
                while i < L { s += v[i] * v[i]; i += 1 }
                return s
            }
            switch p.blockNorm {
            case .l1, .l1Sqrt:
                var p0: Float = 0, p1: Float = 0, p2: Float = 0, p3: Float = 0
                var i = 0
                while i + 4 <= L {
                    p0 += abs(v[i]); p1 += abs(v[i + 1]); p2 += abs(v[i + 2]); p3 += abs(v[i + 3])
                    i += 4
                }
                var s = (p0 + p1) + (p2 + p3)
                while i < L { s += abs(v[i]); i += 1 }
                let scale = 1 / (s + first)
                for i in 0..<L { v[i] = p.blockNorm == .l1 ? v[i] * scale : (v[i] * scale).squareRoot() }
            case .l2:
                let scale = 1 / (sumSquares().squareRoot() + first)
                for i in 0..<L { v[i] *= scale }
            case .l2Hys:
                var scale = 1 / (sumSquares().squareRoot() + first)
                let thresh = Float(p.clipThreshold)
                for i in 0..<L { v[i] = min(v[i] * scale, thresh) }
                scale = 1 / (sumSquares().squareRoot() + 1e-3)
                for i in 0..<L { v[i] *= scale }
            }
        }
    }
}

/// OpenCV's per-block pixel table (`HOGCache::init`): for each pixel of a block, its offset,
/// up to 4 cell offsets and the weights `gaussian · spatial`, in OpenCV's order (pixels voting
/// into 1 cell, then 2, then 4; columns outer, rows inner) so Float sums round as OpenCV's do.
final class HOGBlockPixels: @unchecked Sendable {
    let count: Int
    let rowCol: UnsafeMutablePointer<(Int, Int)>
    let cellCount: UnsafeMutablePointer<Int>
    let cellOffsets: UnsafeMutablePointer<Int>  // 4 per pixel
    let weights: UnsafeMutablePointer<Float>    // 4 per pixel

    init(_ p: HOGParameters) {
        let bw = p.blockPixels.width, bh = p.blockPixels.height
        let cw = p.cellSize.width, ch = p.cellSize.height
        let ncx = p.blockSize.width, ncy = p.blockSize.height
        let n = p.orientations
        count = bw * bh
        rowCol = .allocate(capacity: count)
        cellCount = .allocate(capacity: count)
        cellOffsets = .allocate(capacity: count * 4)
        weights = .allocate(capacity: count * 4)
        let sigma = Float(p.gaussianSigma ?? 1)
        let scale = 1 / (sigma * sigma * 2)
        let hbh = Float(bh) * 0.5, hbw = Float(bw) * 0.5
        func cellOffset(_ cx: Int, _ cy: Int) -> Int {
            p.order == .columnMajor ? (cx * ncy + cy) * n : (cy * ncx + cx) * n
        }
        struct Entry { var i: Int; var j: Int; var cells: [(Int, Float)] }
        var groups: [[Entry]] = [[], [], []]
        for j in 0..<bw {
            for i in 0..<bh {
                var di = Float(i) - hbh; di *= di
                var dj = Float(j) - hbw; dj *= dj
                let gw = expf(-(di + dj) * scale)  // OpenCV: std::exp(float)
                var e = Entry(i: i, j: j, cells: [])
                if p.spatialInterpolation {
                    var cellX = (Float(j) + 0.5) / Float(cw) - 0.5
                    var cellY = (Float(i) + 0.5) / Float(ch) - 0.5
                    let x0 = Int(cellX.rounded(.down)), y0 = Int(cellY.rounded(.down))
                    cellX -= Float(x0); cellY -= Float(y0)
                    let x0in = x0 >= 0 && x0 < ncx, x1in = x0 + 1 >= 0 && x0 + 1 < ncx
                    let y0in = y0 >= 0 && y0 < ncy, y1in = y0 + 1 >= 0 && y0 + 1 < ncy
                    if x0in && x1in {
                        if y0in && y1in {
                            e.cells = [(cellOffset(x0, y0), (1 - cellX) * (1 - cellY)), (cellOffset(x0 + 1, y0), cellX * (1 - cellY)),
                                       (cellOffset(x0, y0 + 1), (1 - cellX) * cellY), (cellOffset(x0 + 1, y0 + 1), cellX * cellY)]
                        } else {
                            var yy = y0 + 1
                            if y0in { yy = y0; cellY = 1 - cellY }
                            e.cells = [(cellOffset(x0, yy), (1 - cellX) * cellY), (cellOffset(x0 + 1, yy), cellX * cellY)]
                        }
                    } else {
                        var xx = x0 + 1
                        if x0in { xx = x0; cellX = 1 - cellX }
                        if y0in && y1in {
                            e.cells = [(cellOffset(xx, y0), cellX * (1 - cellY)), (cellOffset(xx, y0 + 1), cellX * cellY)]
                        } else {
                            var yy = y0 + 1
                            if y0in { yy = y0; cellY = 1 - cellY }
                            e.cells = [(cellOffset(xx, yy), cellX * cellY)]
                        }
                    }
                } else {
                    e.cells = [(cellOffset(j / cw, i / ch), 1)]
                }
                // OpenCV: w = gradWeight * histWeight.
                e.cells = e.cells.map { ($0.0, gw * $0.1) }
                groups[e.cells.count == 1 ? 0 : (e.cells.count == 2 ? 1 : 2)].append(e)
            }
        }
        var k = 0
        for e in groups.joined() {
            rowCol[k] = (e.i, e.j)
            cellCount[k] = e.cells.count
            for q in 0..<4 {
                cellOffsets[k * 4 + q] = q < e.cells.count ? e.cells[q].0 : 0
                weights[k * 4 + q] = q < e.cells.count ? e.cells[q].1 : 0
            }
            k += 1
        }
    }

    deinit {
        rowCol.deallocate(); cellCount.deallocate(); cellOffsets.deallocate(); weights.deallocate()
    }

    /// Accumulates one block (top-left at `origin` in the votes) into `hist` (zeroed first).
    func accumulate(_ votes: HOGVotes, origin: Int, into hist: UnsafeMutablePointer<Float>, length: Int, orientationInterpolation: Bool) {
        hist.initialize(repeating: 0, count: length)
        let vw = votes.width
        for k in 0..<count {
            let (i, j) = rowCol[k]
            let o = origin + i * vw + j
            let h0 = Int(votes.b0[o]), h1 = Int(votes.b1[o])
            let a0 = votes.m0[o], a1 = votes.m1[o]
            let c = cellOffsets + k * 4, w = weights + k * 4
            if orientationInterpolation {
                for q in 0..<cellCount[k] {
                    let h = hist + c[q]
                    let t0 = h[h0] + a0 * w[q]
                    let t1 = h[h1] + a1 * w[q]
                    h[h0] = t0; h[h1] = t1
                }
            } else {
                for q in 0..<cellCount[k] {
                    hist[c[q] + h0] += a0 * w[q]
                }
            }
        }
    }
}
