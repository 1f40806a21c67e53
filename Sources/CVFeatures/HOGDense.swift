import CVCore
import Foundation

/// Descriptors of every window of a sliding-window scan, one row per window.
public struct HOGWindowFeatures: Sendable {
    /// Grid of one window's descriptor.
    public let grid: HOGGrid
    /// The window grid, under its earlier name.
    @available(*, deprecated, renamed: "grid")
    public var layout: HOGGrid { grid }
    /// Windows across and down; window `(wx, wy)` has its top-left pixel at
    /// `(wx · stride.width, wy · stride.height)` and is row `wy · windowsX + wx`.
    public let windowsX: Int, windowsY: Int
    /// Window step in pixels.
    public let stride: HOGSize
    /// `windowsX · windowsY · grid.descriptorLength` values, window after window.
    public var values: [Float]
    /// `windowsX · windowsY`.
    public var windowCount: Int { windowsX * windowsY }
    /// One window's descriptor.
    public func descriptor(wx: Int, wy: Int) -> ArraySlice<Float> {
        let L = grid.descriptorLength, i = wy * windowsX + wx
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
    ///   - image: 1 to 4 channels of UInt8, UInt16 or Float, as ``HOG/descriptor(_:)`` takes.
    ///   - window: window size in pixels (e.g. 64×128); must hold at least one block.
    ///   - stride: window step in pixels; must be a multiple of the block stride in pixels
    ///     (`blockStride · cellSize`), as OpenCV requires for its block cache.
    /// - Throws: `CVError.invalidParameter` for a bad window or stride, or an image smaller
    ///   than the window.
    /// - Complexity: O(W·H) for gradients and blocks plus O(windows · descriptor length) to copy.
    public func windows<P: PixelScalar>(_ image: Image<P>, window: HOGSize, stride: HOGSize) throws -> HOGWindowFeatures {
        let scan = try HOGWindowGrid(parameters, area: HOGSize(image.width, image.height), window: window, stride: stride)
        let parallel = image.pixelCount >= 128 * 128
        let count = scan.windowCount * scan.window.descriptorLength
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let base = out.baseAddress!
            PixelMemory.adviseHugePages(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Float>.stride)
            HOGScratchPool.with { scratch in
                let blocks = imageBlocks(image, scan: scan, parallel: parallel, scratch: scratch)
                copyWindows(scan, blocks: blocks, parallel: parallel, into: base)
            }
            initialized = count
        }
        return HOGWindowFeatures(grid: scan.window, windowsX: scan.windowsX, windowsY: scan.windowsY, stride: stride, values: values)
    }

    /// Step 1: every block of the image's grid, once, stored so that the blocks a window needs
    /// in its own order are runs: block rows (row-major order) or block columns (column-major).
    private func imageBlocks<P: PixelScalar>(_ image: Image<P>, scan: HOGWindowGrid, parallel: Bool,
                                             scratch: HOGScratch) -> UnsafeMutablePointer<Float> {
        let grid = scan.image, L = grid.blockLength
        let columnMajor = parameters.order == .columnMajor
        let blocks = scratch.blocks.imageBlocks.reserve(max(1, grid.blocksX * grid.blocksY * L))
        HOGSource.with(image, transformSqrt: parameters.transformSqrt, parallel: parallel, scratch: scratch.source) { source in
            computeBlocks(source: source, grid: grid, parallel: parallel, scratch: scratch) { bx, by in
                blocks + (columnMajor ? bx * grid.blocksY + by : by * grid.blocksX + bx) * L
            }
        }
        return blocks
    }

    /// Step 2: copies the runs into the windows (window rows in parallel; this is the bulk of
    /// the memory traffic).
    private func copyWindows(_ scan: HOGWindowGrid, blocks: UnsafeMutablePointer<Float>, parallel: Bool,
                             into base: UnsafeMutablePointer<Float>) {
        let grid = scan.image, window = scan.window
        let L = grid.blockLength, D = window.descriptorLength
        let columnMajor = parameters.order == .columnMajor
        Parallel.forEachStripe(rows: scan.windowsY, minRowsPerStripe: 16, threads: parallel ? Parallel.threadCount : 1) { rows in
            for wy in rows {
                for wx in 0..<scan.windowsX {
                    let dst = base + (wy * scan.windowsX + wx) * D
                    let (bx0, by0) = scan.firstBlock(wx: wx, wy: wy)
                    if columnMajor {
                        let run = window.blocksY * L
                        for bx in 0..<window.blocksX {
                            (dst + bx * run).update(from: blocks + ((bx0 + bx) * grid.blocksY + by0) * L, count: run)
                        }
                    } else {
                        let run = window.blocksX * L
                        for by in 0..<window.blocksY {
                            (dst + by * run).update(from: blocks + ((by0 + by) * grid.blocksX + bx0) * L, count: run)
                        }
                    }
                }
            }
        }
    }
}
