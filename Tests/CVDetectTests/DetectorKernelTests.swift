import CKernels
import CVCore
import Foundation
import CVFeatures
import CVFormats
import CVTestSupport
import CVTransform
import XCTest
@testable import CVDetect

/// The detector's alternative kernel paths against the paths they replace, bit for bit: the
/// value-major window scorer, the many-block L2-Hys normalisation and the planned
/// `INTER_LINEAR_EXACT` horizontal pass (each is only faster, never different).
final class DetectorKernelTests: XCTestCase {
    /// Window scores from value-major rows equal the block-major kernel's for every run length
    /// around the 16- and 32-window steps, at a column and row inside the grid.
    func testPlanesScoresAreTheBlockMajorBits() {
        let scorer = WindowScorer(model: .people)
        let L = scorer.blockLength, blocksX = 60, blocksY = 20
        var rng = SplitMix64(seed: 20)
        let values = (0..<(blocksX * blocksY * L)).map { _ in Float(rng.byte()) / 800 }
        let planes = HOGBlockPlanes(blocksX: blocksX, blocksY: blocksY, blockLength: L, values: values)
        let (row, column) = (3, 2)
        for count in [1, 7, 15, 16, 17, 31, 32, 33, 48, 51] {
            var expected = [Double](repeating: 0, count: count), got = expected
            values.withUnsafeBufferPointer { g in
                scorer.scores(first: g.baseAddress! + (row * blocksX + column) * L, gridBlocksX: blocksX, step: 1,
                              count: count, into: &expected)
            }
            scorer.scoresFromPlanes(planes, row: row, column: column, count: count, into: &got)
            XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(count) windows")
        }
    }

    /// Window scores summed by block slot (the scan's AVX-512 path: another summation order)
    /// stay within 1e-5 of OpenCV's order for both built-in models (7 and 5 blocks across),
    /// every run length around the 16- and 32-block steps and past the 256-window chunk.
    func testSlotScoresMatchOpenCVOrder() {
        for model in [HOGDetectorModel.people, .daimler] {
            let scorer = WindowScorer(model: model)
            let L = scorer.blockLength, blocksX = 280, blocksY = scorer.blocksY + 4
            var rng = SplitMix64(seed: 21)
            let values = (0..<(blocksX * blocksY * L)).map { _ in Float(rng.byte()) / 800 }
            let planes = HOGBlockPlanes(blocksX: blocksX, blocksY: blocksY, blockLength: L, values: values)
            let (row, column) = (3, 2)
            for count in [1, 7, 15, 16, 17, 25, 26, 31, 32, 33, 48, 51, 255, 256, 257, 271] {
                var expected = [Double](repeating: 0, count: count), got = expected
                values.withUnsafeBufferPointer { g in
                    scorer.scores(first: g.baseAddress! + (row * blocksX + column) * L, gridBlocksX: blocksX, step: 1,
                                  count: count, into: &expected)
                }
                scorer.scoresBySlot(planes, row: row, column: column, count: count, into: &got)
                let worst = zip(got, expected).map { abs($0 - $1) }.max()!
                XCTAssertLessThan(worst, 1e-5, "\(model.name), \(count) windows")
            }
        }
    }

    /// L2-Hys on value-major rows (16 blocks in the lanes, the scan's rows where it scores by
    /// slot) stays within 1e-6 of OpenCV's order per block, for row lengths around the 16-block
    /// step, a zero block and blocks whose values reach the clip.
    func testValueMajorL2HysMatchesOpenCVOrder() {
        var rng = SplitMix64(seed: 25)
        let L = 36
        for count in [1, 15, 16, 17, 40] {
            var blocks = (0..<(count * L)).map { _ in Float(rng.byte()) / 37 }
            for k in 0..<L { blocks[k] = 0 }                             // a zero block
            if count > 2 { for k in 0..<L { blocks[2 * L + k] = k == 5 ? 50 : 0.01 } }   // one value over the clip
            var expected = blocks
            expected.withUnsafeMutableBufferPointer { ck_hog_normalize_l2hys_opencv_blocks($0.baseAddress!, count, L, 0.2) }
            let rowStride = count + 3
            var got = [Float](repeating: -1, count: L * rowStride)
            got.withUnsafeMutableBufferPointer { ck_hog_l2hys_value_major_row(blocks, count, L, 0.2, $0.baseAddress!, rowStride) }
            var worst: Float = 0
            for b in 0..<count { for k in 0..<L { worst = max(worst, abs(got[k * rowStride + b] - expected[b * L + k])) } }
            XCTAssertLessThan(worst, 1e-6, "\(count) blocks")
        }
    }

    /// The source planes' square roots (a byte-table lookup 64 pixels at a time where the CPU
    /// has VBMI) equal `sqrtf` of every byte value, 1 and 3 channels, at run lengths around the
    /// 64- and 8-pixel steps; without the square root the planes are the bytes.
    func testPlanesSquareRootsAreSqrtfBits() {
        var rng = SplitMix64(seed: 23)
        for cn in [1, 3] {
            for count in [1, 8, 63, 64, 65, 130, 256, 300] {
                // every byte value appears in the longer runs
                let bytes = (0..<(count * cn)).map { $0 < 256 ? UInt8($0) : rng.byte() }
                for takeSqrt in [true, false] {
                    var planes = [Float](repeating: -1, count: 3 * count)
                    planes.withUnsafeMutableBufferPointer { d in
                        let d0 = d.baseAddress!
                        ck_hog_planes_u8(bytes, count, Int32(cn), takeSqrt ? 1 : 0, d0, cn == 3 ? d0 + count : nil,
                                         cn == 3 ? d0 + 2 * count : nil)
                    }
                    for c in 0..<cn {
                        let expected = (0..<count).map { x -> UInt32 in
                            let v = Float(bytes[x * cn + c])
                            return (takeSqrt ? sqrtf(v) : v).bitPattern
                        }
                        XCTAssertEqual(planes[(c * count)..<((c + 1) * count)].map(\.bitPattern), expected, "\(cn) channels, \(count) pixels, channel \(c)")
                    }
                }
            }
        }
    }

    /// A block row's vertical sums at once (8 blocks a step) equal one block at a time, both
    /// value orders, block counts around the 8-block step.
    func testBlockRowIsTheSingleBlockBits() {
        var rng = SplitMix64(seed: 24)
        let rowW = (0..<32).map { _ in Float(rng.byte()) / 255 }
        for blocksX in [1, 7, 8, 9, 17, 24] {
            let rows = (0..<16).map { _ in (0..<(18 * blocksX)).map { _ in Float(rng.byte()) / 7 } }
            for columnMajor: Int32 in [0, 1] {
                var one = [Float](repeating: 0, count: 36 * blocksX), all = one
                let pointers = rows.map { r -> UnsafeMutablePointer<Float> in
                    let p = UnsafeMutablePointer<Float>.allocate(capacity: r.count)
                    p.initialize(from: r, count: r.count)
                    return p
                }
                defer { pointers.forEach { $0.deallocate() } }
                let rp: [UnsafePointer<Float>?] = pointers.map { UnsafePointer($0) }
                one.withUnsafeMutableBufferPointer { d in
                    for bx in 0..<blocksX { ck_hog_block_16x8(rp, 18 * bx, rowW, columnMajor, d.baseAddress! + 36 * bx) }
                }
                all.withUnsafeMutableBufferPointer { ck_hog_block_row_16x8(rp, blocksX, rowW, columnMajor, $0.baseAddress!) }
                XCTAssertEqual(all.map(\.bitPattern), one.map(\.bitPattern), "\(blocksX) blocks, column-major \(columnMajor)")
            }
        }
    }

    /// OpenCV's L2-Hys over many consecutive blocks equals one block at a time (blocks of zeros,
    /// of large values and of a lone spike included, counts around the 8-block step).
    func testManyBlockNormalisationIsTheSingleBlockBits() {
        let L = 36
        var rng = SplitMix64(seed: 21)
        for count in [1, 7, 8, 9, 17] {
            var blocks = (0..<(count * L)).map { _ in Float(rng.byte()) / 17 }
            for i in 0..<L { blocks[i] = 0 }
            if count > 2 { for i in 0..<L { blocks[L + i] = i == 5 ? 900 : 0 } }
            var one = blocks
            one.withUnsafeMutableBufferPointer { b in
                for k in 0..<count { ck_hog_normalize_l2hys_opencv(b.baseAddress! + k * L, L, 0.2) }
            }
            blocks.withUnsafeMutableBufferPointer { ck_hog_normalize_l2hys_opencv_blocks($0.baseAddress!, count, L, 0.2) }
            XCTAssertEqual(blocks.map(\.bitPattern), one.map(\.bitPattern), "\(count) blocks")
        }
    }

    /// The pyramid's resize against OpenCV's formula evaluated directly, for 1–4 channels and
    /// scales from 1.05 (the planned byte-permutation pass) to past 7 (the gather pass).
    func testLinearExactResizeMatchesTheFormula() throws {
        var rng = SplitMix64(seed: 22)
        for (channels, w, h, dw, dh) in [(3, 211, 9, 201, 5), (1, 300, 4, 97, 3), (3, 900, 3, 90, 2), (4, 64, 5, 61, 4),
                                         (2, 50, 6, 17, 3), (3, 33, 2, 40, 2)] {
            let image = rng.noiseImage(width: w, height: h, channels: channels)
            let out = resizeLinearExact(image, width: dw, height: dh)
            XCTAssertEqual(out.samples, referenceLinearExact(image, width: dw, height: dh), "\(channels) ch \(w) -> \(dw)")
        }
    }

    /// `((p00·x0 + p01·x1)·y0 + (p10·x0 + p11·x1)·y1 + 2¹⁵) >> 16` with OpenCV's taps and 8-bit weights.
    private func referenceLinearExact(_ image: Image<UInt8>, width: Int, height: Int) -> [UInt8] {
        func taps(_ src: Int, _ dst: Int) -> [(Int, Int, Int, Int)] {
            let scale = 1 / (Double(dst) / Double(src))
            return (0..<dst).map { d in
                let f = (Double(d) + 0.5) * scale - 0.5, i = f.rounded(.down)
                let c1 = Int(((f - i) * 256).rounded(.toNearestOrEven))
                return (min(max(Int(i), 0), src - 1), min(max(Int(i) + 1, 0), src - 1), 256 - c1, c1)
            }
        }
        let xs = taps(image.width, width), ys = taps(image.height, height), cn = image.channels, s = image.samples
        var out: [UInt8] = []
        for (r0, r1, y0, y1) in ys {
            for (c0, c1, x0, x1) in xs {
                for c in 0..<cn {
                    func p(_ r: Int, _ x: Int) -> Int { Int(s[(r * image.width + x) * cn + c]) }
                    let a = p(r0, c0) * x0 + p(r0, c1) * x1, b = p(r1, c0) * x0 + p(r1, c1) * x1
                    out.append(UInt8((a * y0 + b * y1 + 32768) >> 16))
                }
            }
        }
        return out
    }
}
