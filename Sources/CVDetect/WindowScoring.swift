import CKernels
import CVCore
import CVFeatures

/// Scores windows straight from a level's block grid: a window's score is the bias plus, for
/// each of its blocks, the block's dot product with the matching slice of the weights. No
/// window descriptor is ever written out.
///
/// The weights are regrouped once from OpenCV's column-major block order into row-major
/// block rows, so the blocks one window row reads from one grid row are a contiguous run of
/// `blocksPerWindowX · blockLength` floats in both the grid and the weights (what OpenCV's
/// `setSVMDetector` does for its OpenCL path).
///
/// ``scores(first:gridBlocksX:step:count:into:)`` and ``scoresFromPlanes(_:row:column:count:into:)``
/// follow `HOGDescriptor::detect` step for step, so scores agree to the last bits when the
/// blocks do (``scoresBySlot(_:row:column:count:into:)``, the scan's AVX-512 path, does not):
/// per block four Float lanes over groups of 4 values, the lanes added pairwise in Float,
/// `(l0 + l1) + (l2 + l3)` added to a Double sum that starts at the bias; the values past the
/// last group of 4 (none for 36-value blocks) added one by one.
struct WindowScorer: Sendable {
    /// Blocks of a window across and down, values per block.
    let blocksX: Int, blocksY: Int, blockLength: Int
    /// `blocksY` rows of `blocksX · blockLength` weights.
    let weights: [Float]
    let bias: Double

    init(model: HOGDetectorModel) {
        let (bx, by) = model.blocksPerWindow
        let L = model.weights.count / (bx * by)
        var w = [Float](repeating: 0, count: model.weights.count)
        for x in 0..<bx {
            for y in 0..<by {
                let src = (x * by + y) * L, dst = (y * bx + x) * L
                for k in 0..<L { w[dst + k] = model.weights[src + k] }
            }
        }
        blocksX = bx; blocksY = by; blockLength = L
        weights = w
        bias = Double(model.bias)
    }

    /// Scores `count` windows whose first blocks are `step` blocks apart along one block row
    /// of a grid (`gridBlocksX` blocks per row): window `i`'s block `(px, py)` is the block
    /// `py` rows below and `i · step + px` columns right of `first`.
    /// - Parameters:
    ///   - first: the first window's top-left block (row-major grid, ``blockLength`` Floats each).
    ///   - scores: `count` Doubles, `bias + Σ` block dot products.
    ///
    /// Blocks of a multiple of 4 values (OpenCV's 36) go to the `ck_hog_score_windows` C kernel:
    /// 8 windows per AVX2 iteration share each weight load, every window in its
    /// own unchanged summation order, so scores are the same bits as one window at a time.
    func scores(first: UnsafePointer<Float>, gridBlocksX: Int, step: Int, count: Int, into scores: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        weights.withUnsafeBufferPointer { wp in
            let w = wp.baseAddress!, L = blockLength
            guard L % 4 == 0 else {
                for i in 0..<count { scores[i] = scoreOne(first + i * step * L, gridBlocksX: gridBlocksX, weights: w) }
                return
            }
            ck_hog_score_windows(first, gridBlocksX * L, step * L, count, w, blocksX, blocksY, L, bias, scores)
        }
    }

    /// Whether ``scoresFromPlanes(_:row:column:count:into:)`` has its vector kernel on this machine;
    /// without it the block-major ``scores(first:gridBlocksX:step:count:into:)`` is faster.
    var prefersPlanes: Bool { ck_hog_score_planes_available(blockLength) != 0 }

    /// Whether ``scoresBySlot(_:row:column:count:into:)`` has its vector kernel on this machine.
    var prefersSlots: Bool { ck_hog_score_slots_available(blocksX) != 0 }

    /// Scores `count` windows one block apart whose first window's top-left block is block
    /// `(column, row)` of `planes`, with the same arithmetic (the same bits) as
    /// ``scores(first:gridBlocksX:step:count:into:)``: value-major rows put the windows in
    /// vector lanes, so nothing is reduced across lanes.
    func scoresFromPlanes(_ planes: HOGBlockPlanes, row: Int, column: Int, count: Int, into scores: UnsafeMutablePointer<Double>) {
        runPlanes(ck_hog_score_windows_planes, planes, row: row, column: column, count: count, into: scores)
    }

    /// The same windows as ``scoresFromPlanes(_:row:column:count:into:)``, summed by block slot
    /// (`ck_hog_score_windows_slots`): each grid block is multiplied once by the weights of each
    /// slot of its grid row and the products are gathered per window, so one load of 16 blocks'
    /// value serves every slot. Not OpenCV's order: scores differ from it in the last bits
    /// (hits and boxes are the same; `docs/fidelity.md` has the figures).
    func scoresBySlot(_ planes: HOGBlockPlanes, row: Int, column: Int, count: Int, into scores: UnsafeMutablePointer<Double>) {
        runPlanes(ck_hog_score_windows_slots, planes, row: row, column: column, count: count, into: scores)
    }

    /// A value-major C scorer (`planes, rowStride, planeStride, count, weights, bx, by, L, bias, scores`).
    private typealias PlanesKernel = @convention(c) (UnsafePointer<Float>?, Int, Int, Int, UnsafePointer<Float>?, Int, Int, Int,
                                                     Double, UnsafeMutablePointer<Double>?) -> Void

    private func runPlanes(_ kernel: PlanesKernel, _ planes: HOGBlockPlanes, row: Int, column: Int, count: Int,
                           into scores: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        weights.withUnsafeBufferPointer { wp in
            planes.values.withUnsafeBufferPointer { pp in
                kernel(pp.baseAddress! + row * planes.planeStride + column, planes.rowStride, planes.planeStride, count,
                       wp.baseAddress!, blocksX, blocksY, blockLength, bias, scores)
            }
        }
    }

    /// The score of the window whose top-left block is `blocks`.
    @inline(__always)
    private func scoreOne(_ blocks: UnsafePointer<Float>, gridBlocksX: Int, weights w: UnsafePointer<Float>) -> Double {
        let L = blockLength, bx = blocksX
        var s = bias
        for py in 0..<blocksY {
            let row = blocks + py * gridBlocksX * L, wr = w + py * bx * L
            for px in 0..<bx { addBlockDot(row + px * L, wr + px * L, L, to: &s) }
        }
        return s
    }
}

/// Adds one block's dot product to `s` in OpenCV's order (see ``WindowScorer``).
@inline(__always)
func addBlockDot(_ b: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ L: Int, to s: inout Double) {
    var k = 0
    var acc = SIMD4<Float>()
    if L >= 4 {
        acc = load4(b) * load4(w)
        k = 4
        while k + 4 <= L {
            acc += load4(b + k) * load4(w + k)
            k += 4
        }
    }
    if L >= 4 { s += Double(acc[0] + acc[1]) + Double(acc[2] + acc[3]) }
    while k < L {
        s += Double(b[k] * w[k])
        k += 1
    }
}

@inline(__always)
private func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self) }

/// A block grid with each block row stored value-major: value `k` of block `(bx, by)` at
/// `by · planeStride + k · rowStride + bx`, so the windows of a row read each value of their
/// blocks as one contiguous run (what ``WindowScorer/scoresFromPlanes(_:row:column:count:into:)`` reads).
struct HOGBlockPlanes {
    let rowStride: Int, planeStride: Int
    let values: [Float]

    init(_ grid: HOGBlockGrid) {
        self.init(blocksX: grid.blocksX, blocksY: grid.blocksY, blockLength: grid.blockLength, values: grid.values)
    }

    /// From a grid whose rows are value-major already (`HOG.paddedBlockPlanes`).
    init(valueMajor grid: HOGBlockGrid) {
        rowStride = grid.blocksX
        planeStride = grid.blockLength * grid.blocksX
        values = grid.values
    }

    /// From a row-major grid's `values` (blocks of `blockLength` Floats, `blocksX` per row).
    init(blocksX: Int, blocksY: Int, blockLength L: Int, values grid: [Float]) {
        let rowStride = blocksX
        let planeStride = L * rowStride, count = blocksY * planeStride
        values = [Float](unsafeUninitializedCapacity: max(1, count)) { out, initialized in
            grid.withUnsafeBufferPointer { g in
                for by in 0..<blocksY {
                    ck_hog_transpose_block_row(g.baseAddress! + by * blocksX * L, blocksX, L,
                                               out.baseAddress! + by * planeStride, rowStride)
                }
            }
            initialized = max(1, count)
        }
        self.rowStride = rowStride
        self.planeStride = planeStride
    }
}
