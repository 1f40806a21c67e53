import CKernels
import CVCore
import Foundation

/// Takes over step 4 for a block row: `by` and its `blocksX` consecutive blocks, summed but
/// not normalised (the call may come from any of the scan's threads).
package typealias HOGBlockRowSink = (_ by: Int, _ blocks: UnsafeMutablePointer<Float>) -> Void

/// The normalised blocks of one image, every block of its grid once: what a sliding-window
/// detector scores windows from (CVDetect's `HOGDetector`).
package struct HOGBlockGrid: Sendable {
    /// Blocks across and down; block `(bx, by)` has its top-left pixel at
    /// `(bx · strideX, by · strideY)` of the padded image (strides in pixels).
    package let blocksX: Int, blocksY: Int
    /// Values per block (36 for OpenCV's people detector).
    package let blockLength: Int
    /// `blocksX · blocksY · blockLength` values: blocks in row-major order, each block's values
    /// in the parameters' order (OpenCV's: cells column by column).
    package var values: [Float]
}

extension HOG {
    /// The block grid of `image` padded by `padding` pixels on every side, as OpenCV's
    /// `HOGDescriptor::detect` sees it (`HOGCache` with `paddingTL = paddingBR = padding`):
    /// the padded pixels and the one-pixel frame the border gradients read are
    /// `BORDER_REFLECT_101` reflections of the image (OpenCV's `computeGradient`), not zeros.
    ///
    /// With an `origin`, the grid starts that many pixels into the padded image (its blocks at
    /// `origin + (bx, by) · blockStride`): a detector whose window stride is finer than the block
    /// stride scores windows from the grids at each such offset (OpenCV's `HOGCache` on the grid
    /// of `gcd(winStride, blockStride)`). Gradients are those of the whole padded image.
    ///
    /// - Parameters:
    ///   - image: 1 or 3 channels (OpenCV's `CV_8UC1` / `CV_8UC3`).
    ///   - padding: pixels added left and right (`width`) and above and below (`height`), ≥ 0.
    ///   - origin: the grid's offset in the padded image, each way `0..<blockStride` pixels. Default 0.
    ///   - parallel: split the block rows over `Parallel.threadCount` threads.
    /// - Returns: the grid of the `(W + 2·padX − originX) × (H + 2·padY − originY)` area.
    /// - Throws: `CVError.invalidParameter` when the padded image is smaller than one block.
    /// - Complexity: O(padded pixels), as ``descriptor(_:)``.
    package func paddedBlockGrid(_ image: Image<UInt8>, padding: HOGSize, origin: HOGSize = HOGSize(0, 0),
                                 parallel: Bool) throws -> HOGBlockGrid {
        let grid = try paddedGrid(image, padding: padding, origin: origin)
        let values = [Float](unsafeUninitializedCapacity: grid.blocksX * grid.blocksY * grid.blockLength) { out, initialized in
            computePaddedBlocks(image, padding: padding, origin: origin, grid: grid, parallel: parallel, into: out.baseAddress!, rowSink: nil)
            initialized = out.count
        }
        return HOGBlockGrid(blocksX: grid.blocksX, blocksY: grid.blocksY, blockLength: grid.blockLength, values: values)
    }

    /// ``paddedBlockGrid(_:padding:origin:parallel:)`` with each block row stored value-major
    /// (value `k` of block `(bx, by)` at `(by · blockLength + k) · blocksX + bx`, what the
    /// detector's window scorer reads) and L2-Hys-normalised in that form, 16 blocks at a time
    /// (`ck_hog_l2hys_value_major_row`: OpenCV's operations, the sums of squares in another
    /// order). `nil` unless the parameters are OpenCV's L2-Hys with Gaussian block weights.
    /// - Throws: `CVError.invalidParameter` when the padded image is smaller than one block.
    package func paddedBlockPlanes(_ image: Image<UInt8>, padding: HOGSize, origin: HOGSize = HOGSize(0, 0),
                                   parallel: Bool) throws -> HOGBlockGrid? {
        guard blockWeights != nil, parameters.normConvention == .opencv, parameters.blockNorm == .l2Hys else { return nil }
        let grid = try paddedGrid(image, padding: padding, origin: origin)
        let L = grid.blockLength, bx = grid.blocksX, count = bx * grid.blocksY * L, clip = Float(parameters.clipThreshold)
        let blockMajor = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        defer { blockMajor.deallocate() }
        let values = [Float](unsafeUninitializedCapacity: max(1, count)) { out, initialized in
            let planes = out.baseAddress!
            computePaddedBlocks(image, padding: padding, origin: origin, grid: grid, parallel: parallel, into: blockMajor) { by, blocks in
                ck_hog_l2hys_value_major_row(blocks, bx, L, clip, planes + by * bx * L, bx)
            }
            initialized = max(1, count)
        }
        return HOGBlockGrid(blocksX: bx, blocksY: grid.blocksY, blockLength: L, values: values)
    }

    /// The block grid's shape for the padded area from `origin`.
    private func paddedGrid(_ image: Image<UInt8>, padding: HOGSize, origin: HOGSize) throws -> HOGGrid {
        precondition(image.channels == 1 || image.channels == 3, "1 or 3 channels")
        precondition(padding.width >= 0 && padding.height >= 0, "padding must be >= 0")
        precondition(origin.width >= 0 && origin.height >= 0, "origin must be >= 0")
        return try parameters.grid(width: image.width + 2 * padding.width - origin.width,
                                   height: image.height + 2 * padding.height - origin.height)
    }

    /// Steps 1–4 over the padded area: blocks row-major at `base` (normalised, or handed to
    /// `rowSink` one block row at a time).
    private func computePaddedBlocks(_ image: Image<UInt8>, padding: HOGSize, origin: HOGSize, grid: HOGGrid, parallel: Bool,
                                     into base: UnsafeMutablePointer<Float>, rowSink: HOGBlockRowSink?) {
        let L = grid.blockLength
        HOGScratchPool.with { scratch in
            HOGSource.withReflectedPadding(image, padding: padding, origin: origin, transformSqrt: parameters.transformSqrt,
                                           onDemand: HOGSource.framedVotesApply(parameters, channels: image.channels),
                                           scratch: scratch.source) { source in
                computeBlocks(source: source, grid: grid, parallel: parallel, scratch: scratch, rowSink: rowSink) { bx, by in
                    base + (by * grid.blocksX + bx) * L
                }
            }
        }
    }
}

extension HOGSource {
    /// A source over the padded area of `image` from `origin` on, with a one-pixel frame
    /// around it, every sample taken at `borderInterpolate(·, BORDER_REFLECT_101)` of the
    /// image, through the square-root table when `transformSqrt` (OpenCV's gamma correction
    /// LUT). OpenCV's vector tie rule keeps the columns of the whole padded image.
    ///
    /// With `onDemand` the framed rows are not built as whole planes: ``framedVotesRow`` makes
    /// the three rows each vote row reads in the calling thread's ring, so the rows are made
    /// by the parallel stripes that use them (whole planes are built on one thread before the
    /// stripes start) and no level-sized buffer is held.
    static func withReflectedPadding<R>(_ image: Image<UInt8>, padding: HOGSize, origin: HOGSize = HOGSize(0, 0),
                                        transformSqrt: Bool, onDemand: Bool = false, scratch: HOGSourceScratch,
                                        _ body: (HOGSource) throws -> R) rethrows -> R {
        let W = image.width, H = image.height, cn = image.channels
        let fullW = W + 2 * padding.width
        let w = fullW - origin.width, h = H + 2 * padding.height - origin.height
        let rl = w + 2, rows = h + 2
        let xmap = (0..<rl).map { reflect101($0 - 1 - padding.width + origin.width, W) * cn }
        let ymap = (0..<rows).map { reflect101($0 - 1 - padding.height + origin.height, H) }
        let lut = transformSqrt ? sqrtLUT : identityLUT
        // Columns whose sample is the image's own column (no reflection) form one run, copied
        // by the `ck_hog_planes_u8` kernel; the reflected columns each side go through `xmap`.
        let runStart = min(max(0, 1 + padding.width - origin.width), rl)
        let runEnd = max(runStart, min(rl, W + 1 + padding.width - origin.width))
        return try image.withUnsafePixels { src, stride in
            try lut.withUnsafeBufferPointer { l in
                try xmap.withUnsafeBufferPointer { xm in
                    try ymap.withUnsafeBufferPointer { ym in
                        let framed = HOGFramedRows(src: src, stride: stride, channels: cn, xmap: xm.baseAddress!,
                                                   ymap: ym.baseAddress!, lut: l.baseAddress!, transformSqrt: transformSqrt,
                                                   runStart: runStart, runEnd: runEnd, id: onDemand ? HOGFramedRows.nextID() : 0)
                        let planes = scratch.planes.reserve(onDemand ? 1 : max(1, rl * rows * cn))
                        if !onDemand {
                            for py in 0..<rows { framed.fill(row: py, columns: rl, planes: planes + py * rl, planeStride: rl * rows) }
                        }
                        var source = HOGSource(width: w, height: h, channels: cn, planes: planes, exactSample: { x, y, c in
                            Double(l[Int(src[ym[y + 1] * stride + xm[x + 1] + c])])
                        }, integerGradients: false)
                        source.margin = 1
                        source.opencvVectorEnd = fullW / 4 * 4 - origin.width
                        if onDemand { source.framedRows = framed }
                        return try body(source)
                    }
                }
            }
        }
    }
}

/// How to make row `py` of a framed source (row `py − 1` of the padded area, columns from −1)
/// from the image: the maps of ``HOGSource/withReflectedPadding(_:padding:origin:transformSqrt:onDemand:scratch:_:)``,
/// and the ring of three rows a thread keeps of them when they are made on demand.
struct HOGFramedRows {
    let src: UnsafePointer<UInt8>
    let stride: Int, channels: Int
    let xmap: UnsafePointer<Int>, ymap: UnsafePointer<Int>
    let lut: UnsafePointer<Float>
    let transformSqrt: Bool
    let runStart: Int, runEnd: Int
    /// Distinguishes this source's rows in a ring from any other source's.
    let id: Int

    /// Per ring slot: the source id, the row and the row length it holds.
    static let tagCount = 9

    nonisolated(unsafe) private static var lastID = 0
    private static let idLock = NSLock()
    static func nextID() -> Int {
        idLock.lock()
        defer { idLock.unlock() }
        lastID += 1
        return lastID
    }

    /// Columns `0..<columns` of framed row `py`, channel `c` at `planes + c · planeStride`.
    func fill(row py: Int, columns: Int, planes dst: UnsafeMutablePointer<Float>, planeStride: Int) {
        let cn = channels, row = src + ymap[py] * stride
        let runEnd = min(self.runEnd, columns), runStart = min(self.runStart, runEnd)
        if runEnd > runStart {
            ck_hog_planes_u8(row + xmap[runStart], runEnd - runStart, Int32(cn), transformSqrt ? 1 : 0,
                             dst + runStart, cn == 3 ? dst + planeStride + runStart : nil,
                             cn == 3 ? dst + 2 * planeStride + runStart : nil)
        }
        for px in 0..<runStart { for c in 0..<cn { dst[px + c * planeStride] = lut[Int(row[xmap[px] + c])] } }
        for px in max(runEnd, runStart)..<columns { for c in 0..<cn { dst[px + c * planeStride] = lut[Int(row[xmap[px] + c])] } }
    }

    /// Framed rows `py`, `py + 1`, `py + 2` (the rows above, at and below pixel row `py`) in
    /// the ring, `count + 2` columns each, made when the slot does not hold them already: the
    /// pointers to channel 0..<3 at column 0 of the middle row, and the offsets to the rows
    /// above and below.
    func rows(around y: Int, count: Int, ring: UnsafeMutablePointer<Float>,
              tags: UnsafeMutablePointer<Int>) -> (UnsafeMutablePointer<Float>, Int, Int) {
        let columns = count + 2, slotLength = 3 * columns
        for py in y..<(y + 3) {
            let slot = py % 3, t = tags + 3 * slot
            if t[0] != id || t[1] != py || t[2] != columns {
                fill(row: py, columns: columns, planes: ring + slot * slotLength, planeStride: columns)
                t[0] = id; t[1] = py; t[2] = columns
            }
        }
        let mid = (y + 1) % 3
        return (ring + mid * slotLength + 1, (y % 3 - mid) * slotLength, ((y + 2) % 3 - mid) * slotLength)
    }
}

/// OpenCV's `borderInterpolate(p, n, BORDER_REFLECT_101)`: `…, 2, 1 | 0, 1, …, n−1 | n−2, …`,
/// repeated for any distance.
package func reflect101(_ p: Int, _ n: Int) -> Int {
    if n == 1 { return 0 }
    var p = p
    while p < 0 || p >= n {
        p = p < 0 ? -p : 2 * n - 2 - p
    }
    return p
}

extension HOGSource {
    /// Whether ``framedVotesRow`` serves these parameters (so a source can make its rows on demand).
    static func framedVotesApply(_ p: HOGParameters, channels: Int) -> Bool {
        p.orientationInterpolation && p.orientations < 256
            && (channels == 1 || (channels == 3 && p.channelTieBreak == .opencv))
    }

    /// Step 2 for a framed source (a detection level, OpenCV's interpolated votes and tie rule)
    /// in one pass of the `ck_hog_votes_framed` kernel: gradients, channel selection and votes
    /// without intermediate rows, the same bits as the general Swift loops. False when the
    /// source or the parameters are not that case (the caller then takes the general loops).
    func framedVotesRow(y: Int, count: Int, parameters p: HOGParameters, out: HOGRowVotes,
                        buffers: HOGGradientRowBuffers) -> Bool {
        guard margin > 0, Self.framedVotesApply(p, channels: channels) else { return false }
        let n = p.orientations
        let angleScale = p.signedGradients ? Float(Double(n) / (2 * Double.pi)) : Float(Double(n) / Double.pi)
        let vectorEnd = channels == 1 ? count : max(0, min(count, opencvVectorEnd ?? (width / 4) * 4))
        var r = planeRow(c: 0, y: y), channelStride = planeLength, up = -planeRowLength, down = planeRowLength
        if let f = framedRows {
            (r, up, down) = f.rows(around: y, count: count, ring: buffers.framedRing, tags: buffers.framedTags)
            channelStride = count + 2
        }
        let g = channels == 3 ? r + channelStride : r, b = channels == 3 ? r + 2 * channelStride : r
        ck_hog_votes_framed(r, g, b, Int32(channels), up, down, count, vectorEnd, Int32(n), angleScale,
                            out.b0, out.b1, out.m0, out.m1)
        return true
    }
}
