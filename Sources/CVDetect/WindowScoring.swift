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
/// Arithmetic follows `HOGDescriptor::detect` step for step, so scores agree to the last bits
/// when the blocks do: per block four Float lanes over groups of 4 values, the lanes added
/// pairwise in Float, `(l0 + l1) + (l2 + l3)` added to a Double sum that starts at the bias;
/// the values past the last group of 4 (none for 36-value blocks) added one by one.
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

    /// Scores the `windowsX` windows of window row `wy` and appends the hits
    /// (`score >= threshold`) to `hits` as window indices `wx` with their scores.
    /// - Parameters:
    ///   - grid: the level's blocks, row-major, `gridBlocksX` per row.
    ///   - step: the window stride in blocks (x, y).
    ///
    /// Blocks of a multiple of 4 values (OpenCV's 36) go to the `ck_hog_score_windows` C kernel:
    /// 8 windows per AVX2 iteration share each weight load, every window in its
    /// own unchanged summation order, so scores are the same bits as one window at a time.
    func scoreRow(grid: UnsafePointer<Float>, gridBlocksX: Int, wy: Int, windowsX: Int, step: (x: Int, y: Int),
                  threshold: Double, hits: inout [(wx: Int, score: Double)]) {
        weights.withUnsafeBufferPointer { wp in
            let w = wp.baseAddress!
            guard blockLength % 4 == 0 else {
                for wx in 0..<windowsX {
                    let s = scoreOne(grid: grid, gridBlocksX: gridBlocksX, wy: wy, wx: wx, step: step, weights: w)
                    if s >= threshold { hits.append((wx, s)) }
                }
                return
            }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: windowsX) { scores in
                let L = blockLength
                ck_hog_score_windows(grid + wy * step.y * gridBlocksX * L, gridBlocksX * L, step.x * L, windowsX, w,
                                     blocksX, blocksY, L, bias, scores.baseAddress!)
                for wx in 0..<windowsX where scores[wx] >= threshold { hits.append((wx, scores[wx])) }
            }
        }
    }

    /// The score of window `(wx, wy)`.
    @inline(__always)
    private func scoreOne(grid: UnsafePointer<Float>, gridBlocksX: Int, wy: Int, wx: Int, step: (x: Int, y: Int),
                          weights w: UnsafePointer<Float>) -> Double {
        let L = blockLength, bx = blocksX
        var s = bias
        for py in 0..<blocksY {
            let blocks = grid + ((wy * step.y + py) * gridBlocksX + wx * step.x) * L
            let row = w + py * bx * L
            for px in 0..<bx { addBlockDot(blocks + px * L, row + px * L, L, to: &s) }
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
