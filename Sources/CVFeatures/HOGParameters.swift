import CVCore

/// A width × height pair. What it counts (pixels or cells) depends on the field that holds it.
public struct HOGSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public init(_ width: Int, _ height: Int) { self.width = width; self.height = height }
    public var description: String { "\(width)x\(height)" }
}

/// How each block's histogram vector is contrast-normalized.
public enum HOGBlockNorm: String, Sendable, Hashable, CaseIterable {
    /// `v / (‖v‖₁ + ε)`.
    case l1 = "L1"
    /// `sqrt(v / (‖v‖₁ + ε))`.
    case l1Sqrt = "L1-sqrt"
    /// `v / sqrt(‖v‖₂² + ε²)`.
    case l2 = "L2"
    /// L2, then clip every value at ``HOGParameters/clipThreshold`` (0.2), then L2 again.
    case l2Hys = "L2-Hys"

    /// Parses `L1`, `L1-sqrt`, `L2`, `L2-Hys` (case-insensitive; `_` accepted for `-`).
    public init?(name: String) {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let v = HOGBlockNorm.allCases.first(where: { $0.rawValue.lowercased() == n }) else { return nil }
        self = v
    }
}

/// Where the small constant that keeps an all-zero block finite goes. The anchors disagree.
public enum HOGNormConvention: Sendable, Hashable {
    /// scikit-image: `v/(‖v‖₁+ε)`, `sqrt(v/(‖v‖₁+ε))`, `v/sqrt(‖v‖₂²+ε²)`; L2-Hys renormalizes
    /// with the same `ε`. scikit-image uses `ε = 1e-5`. Computed in Double.
    case scikitImage(epsilon: Double)
    /// OpenCV `HOGDescriptor`: first pass `v/(‖v‖ + 0.1·n)` with `n` the block length, and for
    /// L2-Hys a second pass `v/(‖v‖₂ + 1e-3)`. OpenCV implements only L2-Hys; the same first
    /// pass is applied for the other norms (L1-sqrt takes the square root afterwards).
    /// Computed in Float with OpenCV's summation order.
    case opencv
}

/// How pixels inside a block are weighted before they vote.
public enum HOGBlockWeighting: Sendable, Hashable {
    /// Every pixel votes with its gradient magnitude (scikit-image).
    case uniform
    /// Votes are multiplied by `exp(-((i - bh/2)² + (j - bw/2)²) / (2σ²))`, with `i, j` the pixel's
    /// row and column inside the block and `bw × bh` the block size in pixels — OpenCV's exact
    /// convention (note the centre sits at pixel index `bw/2`, not between pixels). `nil` means
    /// OpenCV's default `σ = (bw + bh) / 8` (4 for 16×16-pixel blocks).
    /// Because the weight depends on the pixel's place in the block, blocks are not assembled
    /// from shared cell histograms; the weight factors into a column and a row part, so each
    /// pixel row is summed once per block column and blocks add up their rows' sums.
    case gaussian(sigma: Double?)
}

/// Which channel wins when two channels of a colour pixel have equally strong gradients.
public enum HOGChannelTieBreak: String, Sendable, Hashable {
    /// The first channel in RGB order (scikit-image's `argmax`).
    case firstChannel
    /// OpenCV's `computeGradient` for 3-channel images: its SIMD path (all but the last
    /// `width % 4` columns) keeps B over G over R on ties, its scalar tail R over G over B
    /// (the image being BGR there). Ties are common after the square-root LUT, so this matters.
    case opencv
}

/// Order of the values in a descriptor.
public enum HOGDescriptorOrder: String, Sendable, Hashable {
    /// scikit-image: `(blocksY, blocksX, cellsY, cellsX, orientations)`, C order.
    case rowMajor
    /// OpenCV: blocks column by column (x outer, y inner), cells inside a block likewise:
    /// `(blocksX, blocksY, cellsX, cellsY, orientations)`.
    case columnMajor
}

/// Parameters of a Histogram of Oriented Gradients descriptor (Dalal & Triggs 2005).
///
/// `HOGParameters()` equals ``scikitImage`` (the defaults of `skimage.feature.hog`). Sizes of
/// cells are in pixels; sizes and strides of blocks are in **cells**. Use ``grid(width:height:)``
/// to validate the parameters against an image size; it returns the derived sizes.
///
/// Conventions: the y axis points down; gradients are central differences `[-1, 0, 1]`
/// (`gx = I(x+1) − I(x−1)`, `gy = I(y+1) − I(y−1)`, zero in the first and last row/column of
/// the image — scikit-image's rule, and what OpenCV's `BORDER_REFLECT_101` produces too);
/// the angle is `atan2(gy, gx)`, measured from the +x axis towards +y, folded to `[0°, 180°)`
/// unless ``signedGradients``. Multichannel images use, per pixel, the channel with the
/// largest gradient magnitude (first channel on ties).
public struct HOGParameters: Sendable, Hashable {
    /// Orientation bins. Default 9. Must be 1...255.
    public var orientations: Int = 9
    /// Bins span 0°–360° instead of 0°–180°. Default `false`.
    public var signedGradients: Bool = false
    /// Cell size in pixels. Default 8×8.
    public var cellSize: HOGSize = HOGSize(8, 8)
    /// Block size in cells. Default 3×3 (scikit-image; Dalal–Triggs use 2×2).
    public var blockSize: HOGSize = HOGSize(3, 3)
    /// Distance between neighbouring blocks, in cells. Default 1×1 (blocks overlap).
    public var blockStride: HOGSize = HOGSize(1, 1)
    /// Block normalization. Default ``HOGBlockNorm/l2Hys``.
    public var blockNorm: HOGBlockNorm = .l2Hys
    /// L2-Hys clipping value. Default 0.2.
    public var clipThreshold: Double = 0.2
    /// Placement of the normalization epsilon. Default `.scikitImage(epsilon: 1e-5)`.
    public var normConvention: HOGNormConvention = .scikitImage(epsilon: 1e-5)
    /// Square root of every sample before the gradient (gamma/power-law compression).
    /// Default `false`.
    public var transformSqrt: Bool = false
    /// Pixel weighting inside a block. Default ``HOGBlockWeighting/uniform``.
    public var blockWeighting: HOGBlockWeighting = .uniform
    /// Each vote is shared bilinearly between the 4 nearest cell centres (within the block for
    /// Gaussian weighting, as OpenCV does). Default `false` (vote into the pixel's own cell).
    public var spatialInterpolation: Bool = false
    /// Each vote is shared linearly between the 2 nearest bin centres (bin `k` is centred on
    /// `(k + 0.5)·180°/orientations`). Default `false`: hard binning, bin `k` holds angles in
    /// `[k·w, (k+1)·w)`, `w = 180°/orientations`, decided exactly as scikit-image decides it.
    public var orientationInterpolation: Bool = false
    /// Divide cell sums by the cell's pixel count (scikit-image does; matters only against ε).
    /// Default `true`.
    public var averageCellVotes: Bool = true
    /// Value order. Default ``HOGDescriptorOrder/rowMajor``.
    public var order: HOGDescriptorOrder = .rowMajor
    /// Tie rule of the strongest-channel selection. Default ``HOGChannelTieBreak/firstChannel``.
    public var channelTieBreak: HOGChannelTieBreak = .firstChannel

    /// The scikit-image defaults: 9 bins, 8×8 cells, 3×3 blocks, L2-Hys.
    public init() {}

    /// Reproduces `skimage.feature.hog(image, orientations, pixels_per_cell, cells_per_block,
    /// block_norm, transform_sqrt=..., channel_axis=-1 for colour)` (scikit-image 0.26): hard
    /// votes, no Gaussian, cell sums divided by the cell area, `ε = 1e-5`, row-major output.
    public static let scikitImage = HOGParameters()

    /// ``scikitImage`` with scikit-image's argument names (`pixelsPerCell` and `cellsPerBlock`
    /// are given as width × height, i.e. columns × rows — the reverse of scikit-image's tuples).
    public static func scikitImage(orientations: Int = 9, pixelsPerCell: HOGSize = HOGSize(8, 8),
                                   cellsPerBlock: HOGSize = HOGSize(3, 3), blockNorm: HOGBlockNorm = .l2Hys,
                                   transformSqrt: Bool = false) -> HOGParameters {
        var p = HOGParameters()
        p.orientations = orientations
        p.cellSize = pixelsPerCell
        p.blockSize = cellsPerBlock
        p.blockNorm = blockNorm
        p.transformSqrt = transformSqrt
        return p
    }

    /// Reproduces `cv2.HOGDescriptor()` (OpenCV 5.0 `xobjdetect`, formerly `objdetect`): 8×8
    /// cells, 2×2-cell blocks with a 1-cell stride, 9 unsigned bins, gamma correction (square
    /// root), Gaussian block weighting with σ = 4, trilinear interpolation, L2-Hys with OpenCV's
    /// epsilons, column-major order. A 64×128 image gives OpenCV's 3780-value descriptor; use
    /// ``HOG/windows(_:window:stride:)`` for `compute(img, winStride)`.
    public static let dalalTriggs: HOGParameters = {
        var p = HOGParameters()
        p.orientations = 9
        p.cellSize = HOGSize(8, 8)
        p.blockSize = HOGSize(2, 2)
        p.blockStride = HOGSize(1, 1)
        p.blockNorm = .l2Hys
        p.clipThreshold = 0.2
        p.normConvention = .opencv
        p.transformSqrt = true
        p.blockWeighting = .gaussian(sigma: nil)
        p.spatialInterpolation = true
        p.orientationInterpolation = true
        p.averageCellVotes = false
        p.order = .columnMajor
        p.channelTieBreak = .opencv
        return p
    }()

    /// The OpenCV default detection window, 64×128 pixels.
    public static let dalalTriggsWindow = HOGSize(64, 128)

    /// Block size in pixels.
    public var blockPixels: HOGSize { HOGSize(blockSize.width * cellSize.width, blockSize.height * cellSize.height) }
    /// Block stride in pixels.
    public var blockStridePixels: HOGSize { HOGSize(blockStride.width * cellSize.width, blockStride.height * cellSize.height) }
    /// Values per block: `blockSize.width · blockSize.height · orientations`.
    public var blockLength: Int { blockSize.width * blockSize.height * orientations }

    /// The Gaussian σ in pixels, or `nil` for uniform weighting.
    public var gaussianSigma: Double? {
        switch blockWeighting {
        case .uniform: return nil
        case .gaussian(let s): return s ?? Double(blockPixels.width + blockPixels.height) / 8
        }
    }

    /// Checks every field on its own (no image size involved).
    /// - Throws: `CVError.invalidParameter` naming the first bad field.
    public func validate() throws {
        guard (1...255).contains(orientations) else {
            throw CVError.invalidParameter(name: "orientations", reason: "must be 1...255, got \(orientations)")
        }
        for (name, s) in [("cellSize", cellSize), ("blockSize", blockSize), ("blockStride", blockStride)] {
            guard s.width >= 1, s.height >= 1 else {
                throw CVError.invalidParameter(name: name, reason: "must be at least 1x1, got \(s)")
            }
        }
        guard cellSize.width <= 4096, cellSize.height <= 4096, blockSize.width <= 256, blockSize.height <= 256 else {
            throw CVError.invalidParameter(name: "cellSize", reason: "cells up to 4096 pixels and blocks up to 256 cells a side are supported")
        }
        guard clipThreshold > 0, clipThreshold.isFinite else {
            throw CVError.invalidParameter(name: "clipThreshold", reason: "must be a positive number, got \(clipThreshold)")
        }
        if case .scikitImage(let eps) = normConvention, !(eps >= 0 && eps.isFinite) {
            throw CVError.invalidParameter(name: "epsilon", reason: "must be a finite number >= 0, got \(eps)")
        }
        if case .gaussian(let s?) = blockWeighting, !(s > 0 && s.isFinite) {
            throw CVError.invalidParameter(name: "sigma", reason: "must be a positive number, got \(s)")
        }
    }

    /// Validates the parameters for a `width × height` image and returns its grid of cells and
    /// blocks (see ``HOGGrid`` for the formula).
    /// - Returns: the grid; its ``HOGGrid/descriptorLength`` is the descriptor's length.
    /// - Throws: `CVError.invalidParameter` for a bad field, or when the image is smaller than
    ///   one block (`blockW·cellW × blockH·cellH` pixels).
    public func grid(width: Int, height: Int) throws -> HOGGrid {
        try HOGGrid(self, width: width, height: height)
    }

    /// The grid, under its earlier name.
    @available(*, deprecated, renamed: "grid(width:height:)")
    public func layout(width: Int, height: Int) throws -> HOGGrid { try grid(width: width, height: height) }
}

/// The sizes of an earlier release; the same value as ``HOGGrid``.
@available(*, deprecated, renamed: "HOGGrid")
public typealias HOGLayout = HOGGrid

/// The grid a ``HOGParameters`` value lays over a `width × height` area: whole cells, the
/// blocks made of them, the descriptor's length and order. The one place that does this
/// arithmetic; everything that walks cells, blocks or windows asks it.
///
/// With `cx = ⌊W / cellW⌋`, `cy = ⌊H / cellH⌋` cells (pixels right of and below the last whole
/// cell are ignored, as in scikit-image), `blocksX = ⌊(cx − blockW) / strideX⌋ + 1`,
/// `blocksY = ⌊(cy − blockH) / strideY⌋ + 1`, and the descriptor has
/// `blocksX · blocksY · blockW · blockH · orientations` values.
public struct HOGGrid: Sendable, Hashable {
    /// The (validated) parameters the grid is made of.
    public let parameters: HOGParameters
    /// Area size in pixels.
    public let width: Int, height: Int
    /// Whole cells across and down.
    public let cellsX: Int, cellsY: Int
    /// Blocks across and down.
    public let blocksX: Int, blocksY: Int

    /// Validates `parameters` and the area (at least one block).
    /// - Throws: `CVError.invalidParameter` as ``HOGParameters/grid(width:height:)``.
    init(_ parameters: HOGParameters, width: Int, height: Int) throws {
        try parameters.validate()
        let bp = parameters.blockPixels
        guard width >= bp.width, height >= bp.height else {
            throw CVError.invalidParameter(
                name: "image",
                reason: "a \(width)x\(height) image is smaller than one block (\(bp.width)x\(bp.height) pixels = \(parameters.blockSize) cells of \(parameters.cellSize)); it needs at least \(bp.width)x\(bp.height)")
        }
        self.init(unchecked: parameters, width: width, height: height)
    }

    /// The grid of valid parameters over an area that holds at least one block.
    init(unchecked parameters: HOGParameters, width: Int, height: Int) {
        self.parameters = parameters
        self.width = width
        self.height = height
        (cellsX, cellsY) = Self.cells(parameters, width: width, height: height)
        blocksX = (cellsX - parameters.blockSize.width) / parameters.blockStride.width + 1
        blocksY = (cellsY - parameters.blockSize.height) / parameters.blockStride.height + 1
    }

    /// Whole cells across and down a `width × height` area.
    static func cells(_ parameters: HOGParameters, width: Int, height: Int) -> (Int, Int) {
        (width / parameters.cellSize.width, height / parameters.cellSize.height)
    }

    /// Values per block.
    public var blockLength: Int { parameters.blockLength }
    /// Values in the whole descriptor.
    public var descriptorLength: Int { blocksX * blocksY * blockLength }
    /// The pixels covered by whole cells, from the top left: `cellsX · cellW × cellsY · cellH`.
    var coveredPixels: HOGSize { HOGSize(cellsX * parameters.cellSize.width, cellsY * parameters.cellSize.height) }
    /// The first cell of block `(bx, by)`.
    @inline(__always) func firstCell(bx: Int, by: Int) -> (cx: Int, cy: Int) {
        (bx * parameters.blockStride.width, by * parameters.blockStride.height)
    }
    /// The descriptor's shape in its ``HOGParameters/order``:
    /// row-major `[blocksY, blocksX, blockH, blockW, orientations]`,
    /// column-major `[blocksX, blocksY, blockW, blockH, orientations]`.
    public var shape: [Int] {
        let b = parameters.blockSize, o = parameters.orientations
        switch parameters.order {
        case .rowMajor: return [blocksY, blocksX, b.height, b.width, o]
        case .columnMajor: return [blocksX, blocksY, b.width, b.height, o]
        }
    }
    /// Offset of block `(bx, by)` in the descriptor.
    @inlinable public func blockOffset(bx: Int, by: Int) -> Int {
        switch parameters.order {
        case .rowMajor: return (by * blocksX + bx) * parameters.blockLength
        case .columnMajor: return (bx * blocksY + by) * parameters.blockLength
        }
    }
}

/// Where the windows of a dense scan (``HOG/windows(_:window:stride:)``) sit in the block grid
/// of the image they scan. Its initializer throws `CVError.invalidParameter` for a window
/// without a whole block, a stride that is not a positive multiple of the block stride in
/// pixels, or an image smaller than the window.
struct HOGWindowGrid {
    /// The grid of one window.
    let window: HOGGrid
    /// The image's grid: enough cells for the last window.
    let image: HOGGrid
    /// Windows across and down; window `(wx, wy)` has its top-left pixel at
    /// `(wx · stride.width, wy · stride.height)`.
    let windowsX: Int, windowsY: Int
    let stride: HOGSize
    /// Window stride in blocks of the image's grid.
    let blockStepX: Int, blockStepY: Int

    init(_ p: HOGParameters, area: HOGSize, window size: HOGSize, stride: HOGSize) throws {
        window = try HOGGrid(p, width: size.width, height: size.height)
        let bsp = p.blockStridePixels
        guard stride.width >= 1, stride.height >= 1, stride.width % bsp.width == 0, stride.height % bsp.height == 0 else {
            throw CVError.invalidParameter(name: "stride", reason: "window stride \(stride) must be a positive multiple of the block stride \(bsp) pixels")
        }
        guard area.width >= size.width, area.height >= size.height else {
            throw CVError.invalidParameter(name: "window", reason: "a \(area.width)x\(area.height) image is smaller than the \(size) window")
        }
        self.stride = stride
        windowsX = (area.width - size.width) / stride.width + 1
        windowsY = (area.height - size.height) / stride.height + 1
        image = HOGGrid(unchecked: p, width: (windowsX - 1) * stride.width + size.width,
                        height: (windowsY - 1) * stride.height + size.height)
        blockStepX = stride.width / bsp.width
        blockStepY = stride.height / bsp.height
    }

    var windowCount: Int { windowsX * windowsY }
    /// The image-grid block at window `(wx, wy)`'s block `(0, 0)`.
    @inline(__always) func firstBlock(wx: Int, wy: Int) -> (bx: Int, by: Int) { (wx * blockStepX, wy * blockStepY) }
}
