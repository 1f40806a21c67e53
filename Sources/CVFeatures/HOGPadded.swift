import CKernels
import CVCore

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
        precondition(image.channels == 1 || image.channels == 3, "1 or 3 channels")
        precondition(padding.width >= 0 && padding.height >= 0, "padding must be >= 0")
        precondition(origin.width >= 0 && origin.height >= 0, "origin must be >= 0")
        let grid = try parameters.grid(width: image.width + 2 * padding.width - origin.width,
                                       height: image.height + 2 * padding.height - origin.height)
        let L = grid.blockLength, count = grid.blocksX * grid.blocksY * L
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let base = out.baseAddress!
            HOGScratchPool.with { scratch in
                HOGSource.withReflectedPadding(image, padding: padding, origin: origin, transformSqrt: parameters.transformSqrt,
                                               scratch: scratch.source) { source in
                    computeBlocks(source: source, grid: grid, parallel: parallel, scratch: scratch) { bx, by in
                        base + (by * grid.blocksX + bx) * L
                    }
                }
            }
            initialized = count
        }
        return HOGBlockGrid(blocksX: grid.blocksX, blocksY: grid.blocksY, blockLength: L, values: values)
    }
}

extension HOGSource {
    /// A source over the padded area of `image` from `origin` on, with a one-pixel frame
    /// around it, every sample taken at `borderInterpolate(·, BORDER_REFLECT_101)` of the
    /// image, through the square-root table when `transformSqrt` (OpenCV's gamma correction
    /// LUT). OpenCV's vector tie rule keeps the columns of the whole padded image.
    static func withReflectedPadding<R>(_ image: Image<UInt8>, padding: HOGSize, origin: HOGSize = HOGSize(0, 0),
                                        transformSqrt: Bool, scratch: HOGSourceScratch,
                                        _ body: (HOGSource) throws -> R) rethrows -> R {
        let W = image.width, H = image.height, cn = image.channels
        let fullW = W + 2 * padding.width
        let w = fullW - origin.width, h = H + 2 * padding.height - origin.height
        let rl = w + 2, rows = h + 2
        let planes = scratch.planes.reserve(max(1, rl * rows * cn))
        let xmap = (0..<rl).map { reflect101($0 - 1 - padding.width + origin.width, W) * cn }
        let ymap = (0..<rows).map { reflect101($0 - 1 - padding.height + origin.height, H) }
        let lut = transformSqrt ? sqrtLUT : identityLUT
        // Columns whose sample is the image's own column (no reflection) form one run, copied
        // by the `ck_hog_planes_u8` kernel; the reflected columns each side go through `xmap`.
        let runStart = min(max(0, 1 + padding.width - origin.width), rl)
        let runEnd = max(runStart, min(rl, W + 1 + padding.width - origin.width))
        return try image.withUnsafePixels { src, stride in
            lut.withUnsafeBufferPointer { l in
                xmap.withUnsafeBufferPointer { xm in
                    for py in 0..<rows {
                        let row = src + ymap[py] * stride
                        let dst = planes + py * rl
                        let d1 = dst + rl * rows, d2 = dst + 2 * rl * rows
                        if runEnd > runStart {
                            ck_hog_planes_u8(row + xm[runStart], runEnd - runStart, Int32(cn), transformSqrt ? 1 : 0,
                                             dst + runStart, cn == 3 ? d1 + runStart : nil, cn == 3 ? d2 + runStart : nil)
                        }
                        for px in 0..<runStart { for c in 0..<cn { dst[px + c * rl * rows] = l[Int(row[xm[px] + c])] } }
                        for px in runEnd..<rl { for c in 0..<cn { dst[px + c * rl * rows] = l[Int(row[xm[px] + c])] } }
                    }
                }
            }
            var source = HOGSource(width: w, height: h, channels: cn, planes: planes, exactSample: { x, y, c in
                Double(planes[c * rl * rows + (y + 1) * rl + x + 1])
            }, integerGradients: false)
            source.margin = 1
            source.opencvVectorEnd = fullW / 4 * 4 - origin.width
            return try body(source)
        }
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
    /// Step 2 for a framed source (a detection level, OpenCV's interpolated votes and tie rule)
    /// in one pass of the `ck_hog_votes_framed` kernel: gradients, channel selection and votes
    /// without intermediate rows, the same bits as the general Swift loops. False when the
    /// source or the parameters are not that case (the caller then takes the general loops).
    func framedVotesRow(y: Int, count: Int, parameters p: HOGParameters, out: HOGRowVotes) -> Bool {
        guard margin > 0, p.orientationInterpolation, p.orientations < 256,
              channels == 1 || (channels == 3 && p.channelTieBreak == .opencv) else { return false }
        let n = p.orientations
        let angleScale = p.signedGradients ? Float(Double(n) / (2 * Double.pi)) : Float(Double(n) / Double.pi)
        let vectorEnd = channels == 1 ? count : max(0, min(count, opencvVectorEnd ?? (width / 4) * 4))
        let r = planeRow(c: 0, y: y)
        let g = channels == 3 ? planeRow(c: 1, y: y) : r, b = channels == 3 ? planeRow(c: 2, y: y) : r
        ck_hog_votes_framed(r, g, b, Int32(channels), planeRowLength, count, vectorEnd, Int32(n), angleScale,
                            out.b0, out.b1, out.m0, out.m1)
        return true
    }
}
