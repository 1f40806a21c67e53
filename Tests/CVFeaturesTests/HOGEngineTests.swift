import CVCore
import CVFormats
import CVTestSupport
import XCTest
@testable import CVFeatures
import CVTestSupport

/// The fast engine's plumbing: pooled scratch memory, dense windows in both orders, the
/// vector kernels' edge columns, and the display rendering of the glyphs.
final class HOGEngineTests: XCTestCase {
    /// Scratch buffers are reused across calls of different sizes and parameter sets; results
    /// must not depend on what ran before.
    func testResultsDoNotDependOnPreviousCalls() throws {
        var rng = SplitMix64(seed: 11)
        let big = rng.image(203, 171, 1), small = rng.image(70, 131, 3), tiny = rng.image(24, 24, 1)
        let sk = try HOG(.scikitImage), dt = try HOG(.dalalTriggs)
        let first = try sk.descriptor(big).values
        let firstDT = try dt.descriptor(small).values
        _ = try dt.descriptor(big)
        _ = try sk.descriptor(tiny)
        _ = try dt.windows(big, window: HOGSize(64, 128), stride: HOGSize(8, 8))
        XCTAssertEqual(try sk.descriptor(big).values, first)
        XCTAssertEqual(try dt.descriptor(small).values, firstDT)
    }

    /// Dense windows equal the blocks of the whole image's grid at each window's place, in the
    /// column-major order of the Dalal–Triggs preset too.
    /// A framed source whose rows are made on demand in a thread's ring gives the votes of the
    /// one built as whole planes, bit for bit: rows in order, backwards (every ring slot
    /// refilled) and after another source used the same ring.
    func testFramedRowsOnDemandEqualWholePlanes() throws {
        var rng = SplitMix64(seed: 29)
        let p = HOGParameters.dalalTriggs
        for (image, pad, origin) in [(rng.image(53, 41, 3), HOGSize(8, 6), HOGSize(3, 1)), (rng.image(37, 30, 1), HOGSize(0, 4), HOGSize(0, 0)),
                                     (rng.image(21, 19, 3), HOGSize(20, 16), HOGSize(7, 5))] {
            let whole = votes(image, pad, origin, p, onDemand: false, order: nil, scratch: HOGScratch())
            let scratch = HOGScratch()
            XCTAssertTrue(votes(image, pad, origin, p, onDemand: true, order: nil, scratch: scratch) == whole, "rows in order")
            XCTAssertTrue(votes(image, pad, origin, p, onDemand: true, order: whole.indices.reversed(), scratch: scratch) == whole,
                          "rows backwards")
            // another image of the same size through the same ring: none of its rows may be reused
            let other = rng.image(image.width, image.height, image.channels)
            XCTAssertTrue(votes(other, pad, origin, p, onDemand: true, order: nil, scratch: scratch)
                          == votes(other, pad, origin, p, onDemand: false, order: nil, scratch: HOGScratch()), "another source")
        }
    }

    /// Every vote row of a framed source, `b0, b1, m0, m1` as bit patterns, in `order` (rows
    /// ascending when nil), all rows through `scratch`.
    private func votes(_ image: Image<UInt8>, _ pad: HOGSize, _ origin: HOGSize, _ p: HOGParameters, onDemand: Bool,
                       order: [Int]?, scratch: HOGScratch) -> [[UInt32]] {
        return HOGSource.withReflectedPadding(image, padding: pad, origin: origin, transformSqrt: p.transformSqrt,
                                              onDemand: onDemand, scratch: scratch.source) { source in
            let count = source.width
            let rv = scratch.votes.row(count: count), buffers = scratch.gradients.row(count: count)
            var rows = [[UInt32]](repeating: [], count: source.height)
            for y in order ?? Array(0..<source.height) {
                source.votesRow(y: y, count: count, parameters: p, out: rv, buffers: buffers)
                rows[y] = (0..<count).flatMap { [UInt32(rv.b0[$0]), UInt32(rv.b1[$0]), rv.m0[$0].bitPattern, rv.m1[$0].bitPattern] }
            }
            return rows
        }
    }

    func testDenseWindowsColumnMajorEqualGridBlocks() throws {
        var rng = SplitMix64(seed: 13)
        let img = rng.image(96, 152, 1)  // 12 × 19 cells: the grid of the windows below
        let hog = try HOG(.dalalTriggs)
        let whole = try hog.descriptor(img)
        let w = try hog.windows(img, window: HOGSize(64, 128), stride: HOGSize(16, 8))
        XCTAssertEqual(w.windowsX, 3); XCTAssertEqual(w.windowsY, 4)
        let wl = w.grid, L = hog.parameters.blockLength
        for wy in 0..<w.windowsY { for wx in 0..<w.windowsX {
            let d = Array(w.descriptor(wx: wx, wy: wy))
            for by in 0..<wl.blocksY { for bx in 0..<wl.blocksX {
                let g = whole.grid.blockOffset(bx: wx * 2 + bx, by: wy + by)
                let o = wl.blockOffset(bx: bx, by: by)
                XCTAssertEqual(Array(d[o..<o + L]), Array(whole.values[g..<g + L]), "window \(wx),\(wy) block \(bx),\(by)")
            } }
        } }
    }

    /// Widths that are not multiples of the 8-lane vector step go through the scalar tail;
    /// both paths must agree with the reference.
    func testOddWidthsMatchReference() throws {
        var rng = SplitMix64(seed: 17)
        var p = HOGParameters.scikitImage(orientations: 9, pixelsPerCell: HOGSize(5, 5), cellsPerBlock: HOGSize(2, 2))
        for (k, params) in [p, HOGParameters.dalalTriggs].enumerated() {
            for w in [67, 69, 71] {
                let img = rng.image(w, 133, k == 0 ? 1 : 3)
                let fast = try HOG(params).descriptor(img).values
                let ref = try HOGReference.descriptor(img, params)
                var d = 0.0
                for i in 0..<fast.count { d = max(d, abs(Double(fast[i]) - ref[i])) }
                XCTAssertLessThanOrEqual(d, 1e-4, "params \(k) width \(w)")
            }
        }
        p.signedGradients = true
        let img = rng.image(43, 37, 1)
        let fast = try HOG(p).descriptor(img).values
        let ref = try HOGReference.descriptor(img, p)
        for i in 0..<fast.count { XCTAssertEqual(Double(fast[i]), ref[i], accuracy: 1e-4) }
    }

    /// 8-bit images without the square root take their hard bins from a precomputed table;
    /// the same samples as Float go through the per-pixel decision. Both must agree exactly.
    func testBinTableEqualsPerPixelDecision() throws {
        var rng = SplitMix64(seed: 23)
        for (channels, n, signed) in [(1, 9, false), (3, 7, false), (1, 12, true), (3, 4, true)] {
            let img = rng.image(59, 47, channels)
            let asFloat = try Image<Float>(width: img.width, height: img.height, channels: channels, samples: img.samples.map { Float($0) })
            var p = HOGParameters.scikitImage(orientations: n, pixelsPerCell: HOGSize(6, 5), cellsPerBlock: HOGSize(2, 2))
            p.signedGradients = signed
            let hog = try HOG(p)
            XCTAssertEqual(try hog.descriptor(img).values, try hog.descriptor(asFloat).values, "\(channels) channels, \(n) bins, signed \(signed)")
        }
    }

    /// The display picture: scaled size, strong glyphs saturate, a flat image stays black.
    func testDisplayRendering() throws {
        var rng = SplitMix64(seed: 19)
        let img = rng.image(64, 48, 1)
        let hist = try HOG(.scikitImage).cellHistograms(img)
        let pic = try HOGVisualization.image(hist, width: 64, height: 48, scale: 3)
        XCTAssertEqual(pic.width, 192); XCTAssertEqual(pic.height, 144)
        XCTAssertEqual(pic.samples.max(), 255)
        let over = try HOGVisualization.overlay(hist, on: img, scale: 2)
        XCTAssertEqual(over.width, 128); XCTAssertEqual(over.channels, 3)
        let flat = Image<UInt8>(width: 32, height: 32, channels: 1)
        let flatPic = try HOGVisualization.image(try HOG(.scikitImage).cellHistograms(flat), width: 32, height: 32)
        XCTAssertEqual(flatPic.samples.max(), 0)
        XCTAssertThrowsError(try HOGVisualization.image(hist, width: 64, height: 48, scale: 0))
    }
}
