import CVCore
import Foundation

/// Descriptors of every window of a sliding-window scan, one row per window.
public struct HOGWindowFeatures: Sendable {
    /// Layout of one window's descriptor.
    public let layout: HOGLayout
    /// Windows across and down; window `(wx, wy)` has its top-left pixel at
    /// `(wx · stride.width, wy · stride.height)` and is row `wy · windowsX + wx`.
    public let windowsX: Int, windowsY: Int
    public let stride: HOGSize
    /// `windowsX · windowsY · layout.descriptorLength` values, window after window.
    public var values: [Float]
    public var windowCount: Int { windowsX * windowsY }
    /// One window's descriptor.
    public func descriptor(wx: Int, wy: Int) -> ArraySlice<Float> {
        let L = layout.descriptorLength, i = wy * windowsX + wx
        return values[i * L..<(i + 1) * L]
    }
}

extension HOG {
    /// Dense extraction, as `cv2.HOGDescriptor.compute(img, winStride=stride)` without padding:
    /// the descriptors of all `window`-sized windows placed every `stride` pixels, in row-major
    /// window order. Gradients come from the whole image (a window's border pixels see their
    /// real neighbours), and every block is computed and normalized once and copied into each
    /// window that contains it.
    ///
    /// Window count: `((W − winW) / strideX + 1) · ((H − winH) / strideY + 1)` (integer division).
    /// - Parameters:
    ///   - window: window size in pixels (e.g. 64×128); must hold at least one block.
    ///   - stride: window step in pixels; must be a multiple of the block stride in pixels
    ///     (`blockStride · cellSize`), as OpenCV requires for its block cache.
    /// - Throws: `CVError.invalidParameter` for a bad window or stride, or an image smaller
    ///   than the window.
    /// - Complexity: O(W·H) for gradients and blocks plus O(windows · descriptor length) to copy.
    public func windows<P: PixelScalar>(_ image: Image<P>, window: HOGSize, stride: HOGSize) throws -> HOGWindowFeatures {
        let p = parameters
        let layout = try p.layout(width: window.width, height: window.height)
        let bsp = p.blockStridePixels
        guard stride.width >= 1, stride.height >= 1, stride.width % bsp.width == 0, stride.height % bsp.height == 0 else {
            throw CVError.invalidParameter(name: "stride", reason: "window stride \(stride) must be a positive multiple of the block stride \(bsp) pixels")
        }
        guard image.width >= window.width, image.height >= window.height else {
            throw CVError.invalidParameter(name: "window", reason: "a \(image.width)x\(image.height) image is smaller than the \(window) window")
        }
        let wX = (image.width - window.width) / stride.width + 1
        let wY = (image.height - window.height) / stride.height + 1
        // The image's block grid: enough cells for the last window.
        let cellsX = ((wX - 1) * stride.width + window.width) / p.cellSize.width
        let cellsY = ((wY - 1) * stride.height + window.height) / p.cellSize.height
        let gbX = (cellsX - p.blockSize.width) / p.blockStride.width + 1
        let gbY = (cellsY - p.blockSize.height) / p.blockStride.height + 1
        let L = p.blockLength
        let parallel = image.pixelCount >= 128 * 128
        let D = layout.descriptorLength
        let count = wX * wY * D
        let kx = stride.width / bsp.width, ky = stride.height / bsp.height
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let base = out.baseAddress!
            PixelMemory.adviseHugePages(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Float>.stride)
            HOGScratchPool.with { scratch in
                // 1. Every block of the image's grid, once, stored so that the blocks a window
                //    needs in its own order are runs: block rows (row-major order) or block
                //    columns (column-major order).
                let columnMajor = p.order == .columnMajor
                let grid = scratch.floats(4, max(1, gbX * gbY * L))
                HOGSource.with(image, transformSqrt: p.transformSqrt, parallel: parallel, scratch: scratch) { source in
                    computeBlocks(source: source, cellsX: cellsX, cellsY: cellsY, blocksX: gbX, blocksY: gbY,
                                  parallel: parallel, scratch: scratch) { bx, by in
                        grid + (columnMajor ? bx * gbY + by : by * gbX + bx) * L
                    }
                }
                // 2. Copy the runs into the windows (window rows in parallel; this is the bulk of
                //    the memory traffic).
                HOGSource.stripes(wY, parallel) { rows in
                    for wy in rows {
                        for wx in 0..<wX {
                            let dst = base + (wy * wX + wx) * D
                            if columnMajor {
                                let run = layout.blocksY * L
                                for bx in 0..<layout.blocksX {
                                    (dst + bx * run).update(from: grid + ((wx * kx + bx) * gbY + wy * ky) * L, count: run)
                                }
                            } else {
                                let run = layout.blocksX * L
                                for by in 0..<layout.blocksY {
                                    (dst + by * run).update(from: grid + ((wy * ky + by) * gbX + wx * kx) * L, count: run)
                                }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return HOGWindowFeatures(layout: layout, windowsX: wX, windowsY: wY, stride: stride, values: values)
    }
}
