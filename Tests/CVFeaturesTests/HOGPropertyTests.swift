import CVCore
import CVFormats
import CVTestSupport
import XCTest
@testable import CVFeatures
import CVTestSupport

final class HOGPropertyTests: XCTestCase {
    func testDocumentedDefaults() {
        let p = HOGParameters()
        XCTAssertEqual(p, .scikitImage)
        XCTAssertEqual(p.orientations, 9)
        XCTAssertEqual(p.cellSize, HOGSize(8, 8))
        XCTAssertEqual(p.blockSize, HOGSize(3, 3))
        XCTAssertEqual(p.blockStride, HOGSize(1, 1))
        XCTAssertEqual(p.blockNorm, .l2Hys)
        XCTAssertEqual(p.clipThreshold, 0.2)
        XCTAssertEqual(p.normConvention, .scikitImage(epsilon: 1e-5))
        XCTAssertFalse(p.transformSqrt)
        XCTAssertFalse(p.signedGradients)
        XCTAssertEqual(p.blockWeighting, .uniform)
        XCTAssertFalse(p.spatialInterpolation)
        XCTAssertFalse(p.orientationInterpolation)
        XCTAssertTrue(p.averageCellVotes)
        XCTAssertEqual(p.order, .rowMajor)
        XCTAssertEqual(p.channelTieBreak, .firstChannel)

        let d = HOGParameters.dalalTriggs
        XCTAssertEqual(d.blockSize, HOGSize(2, 2))
        XCTAssertEqual(d.gaussianSigma, 4)
        XCTAssertTrue(d.transformSqrt && d.spatialInterpolation && d.orientationInterpolation)
        XCTAssertEqual(d.normConvention, .opencv)
        XCTAssertEqual(d.order, .columnMajor)
        XCTAssertEqual(try d.grid(width: 64, height: 128).descriptorLength, 3780)
        XCTAssertEqual(try d.grid(width: 64, height: 128).shape, [7, 15, 2, 2, 9])
    }

    func testOutputSizeFormula() throws {
        // cells 12x10 → blocks (12-3)/1+1 = 10 by 8 → 10·8·3·3·9.
        let l = try HOGParameters.scikitImage.grid(width: 100, height: 87)
        XCTAssertEqual([l.cellsX, l.cellsY, l.blocksX, l.blocksY], [12, 10, 10, 8])
        XCTAssertEqual(l.descriptorLength, 10 * 8 * 81)
        var p = HOGParameters.scikitImage(pixelsPerCell: HOGSize(5, 4), cellsPerBlock: HOGSize(2, 3))
        p.blockStride = HOGSize(2, 2)
        let m = try p.grid(width: 53, height: 41)  // cells 10x10 → blocks 5x4
        XCTAssertEqual([m.blocksX, m.blocksY], [5, 4])
        XCTAssertEqual(m.shape, [4, 5, 3, 2, 9])
        var r1 = SplitMix64(seed: 1)
        let f = try HOG(p).descriptor(r1.image(53, 41, 1))
        XCTAssertEqual(f.values.count, m.descriptorLength)
    }

    func testErrors() {
        func assertInvalid(_ name: String, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try body(), file: file, line: line) { e in
                guard case CVError.invalidParameter(let n, _) = e else { return XCTFail("\(e)", file: file, line: line) }
                XCTAssertEqual(n, name, file: file, line: line)
            }
        }
        let small = Image<UInt8>(width: 23, height: 40)
        assertInvalid("image") { _ = try HOG(.scikitImage).descriptor(small) }  // needs 24x24
        assertInvalid("image") { _ = try HOG(.dalalTriggs).descriptor(Image<UInt8>(width: 15, height: 200)) }
        var p = HOGParameters(); p.orientations = 0
        assertInvalid("orientations") { _ = try HOG(p) }
        p = HOGParameters(); p.cellSize = HOGSize(0, 8)
        assertInvalid("cellSize") { _ = try HOG(p) }
        p = HOGParameters(); p.blockStride = HOGSize(1, -1)
        assertInvalid("blockStride") { _ = try HOG(p) }
        p = HOGParameters(); p.clipThreshold = 0
        assertInvalid("clipThreshold") { _ = try HOG(p) }
        p = HOGParameters(); p.blockWeighting = .gaussian(sigma: -1)
        assertInvalid("sigma") { _ = try HOG(p) }
        var r2 = SplitMix64(seed: 2)
        let img = r2.image(80, 130, 1)
        assertInvalid("stride") { _ = try HOG(.dalalTriggs).windows(img, window: HOGSize(64, 128), stride: HOGSize(4, 8)) }
        assertInvalid("window") { _ = try HOG(.dalalTriggs).windows(img, window: HOGSize(96, 128), stride: HOGSize(8, 8)) }
        // The message names the minimum size.
        XCTAssertThrowsError(try HOG(.scikitImage).descriptor(small)) { e in
            XCTAssertTrue("\(e)".contains("24x24"), "\(e)")
        }
    }

    /// Mirroring the image left-right maps block bx → blocksX−1−bx, cell cx → blockW−1−cx and
    /// (unsigned, odd bin count) bin o → n−1−o. Rows 0 and H−1 are flat and the image has a
    /// vertical ramp, so no gradient sits exactly on 0° (which maps to itself, not to 180°).
    func testHorizontalMirrorPermutesDescriptor() throws {
        var rng = SplitMix64(seed: 7)
        let w = 48, h = 40
        for channels in [1, 3] {
            var s = [UInt8](repeating: 100, count: w * h * channels)
            for y in 1..<(h - 1) { for x in 0..<w { for c in 0..<channels { s[(y * w + x) * channels + c] = UInt8(3 * y + Int(rng.byte() % 3) + 20 * c) } } }
            let img = try Image(width: w, height: h, channels: channels, samples: s)
            var m = [UInt8](repeating: 0, count: s.count)
            for y in 0..<h { for x in 0..<w { for c in 0..<channels { m[(y * w + x) * channels + c] = s[(y * w + (w - 1 - x)) * channels + c] } } }
            let mirrored = try Image(width: w, height: h, channels: channels, samples: m)
            for norm in HOGBlockNorm.allCases {
                let p = HOGParameters.scikitImage(orientations: 9, pixelsPerCell: HOGSize(6, 5), cellsPerBlock: HOGSize(2, 2), blockNorm: norm)
                let hog = try HOG(p)
                let a = try hog.descriptor(img), b = try hog.descriptor(mirrored)
                let l = a.grid, n = p.orientations, bw = p.blockSize.width, bh = p.blockSize.height
                var worst: Float = 0
                for by in 0..<l.blocksY { for bx in 0..<l.blocksX { for cy in 0..<bh { for cx in 0..<bw { for o in 0..<n {
                    let ia = l.blockOffset(bx: bx, by: by) + (cy * bw + cx) * n + o
                    let ib = l.blockOffset(bx: l.blocksX - 1 - bx, by: by) + (cy * bw + (bw - 1 - cx)) * n + (n - 1 - o)
                    worst = max(worst, abs(a.values[ia] - b.values[ib]))
                } } } } }
                XCTAssertLessThanOrEqual(worst, 1e-6, "channels \(channels) norm \(norm)")
            }
        }
    }

    /// The fast kernels against the readable Double reference on random images.
    func testFastMatchesReference() throws {
        var rng = SplitMix64(seed: 42)
        var configs: [HOGParameters] = [.dalalTriggs]
        for norm in HOGBlockNorm.allCases {
            configs.append(.scikitImage(orientations: 7, pixelsPerCell: HOGSize(5, 6), cellsPerBlock: HOGSize(2, 3), blockNorm: norm, transformSqrt: norm == .l2))
        }
        var p = HOGParameters.scikitImage(orientations: 8, pixelsPerCell: HOGSize(6, 6), cellsPerBlock: HOGSize(2, 2))
        p.spatialInterpolation = true; p.orientationInterpolation = true; p.signedGradients = true
        configs.append(p)
        p.blockWeighting = .gaussian(sigma: 5); p.order = .columnMajor; p.blockStride = HOGSize(2, 1)
        configs.append(p)
        p = .dalalTriggs; p.spatialInterpolation = false; p.orientationInterpolation = false; p.normConvention = .scikitImage(epsilon: 1e-5); p.blockNorm = .l1Sqrt
        configs.append(p)
        p = .dalalTriggs; p.blockWeighting = .uniform; p.blockNorm = .l2
        configs.append(p)
        var worst = 0.0
        for (k, params) in configs.enumerated() {
            for channels in [1, 3] {
                let img = rng.image(64 + k, 128 - k, channels)
                let fast = try HOG(params).descriptor(img).values
                let ref = try HOGReference.descriptor(img, params)
                XCTAssertEqual(fast.count, ref.count)
                var d = 0.0
                for i in 0..<min(fast.count, ref.count) { d = max(d, abs(Double(fast[i]) - ref[i])) }
                XCTAssertLessThanOrEqual(d, 1e-4, "config \(k) channels \(channels)")
                worst = max(worst, d)
            }
        }
        print("HOG fast vs reference: max abs diff \(worst)")
    }

    func testDenseWindowsEqualPerWindowBlocks() throws {
        // With the scikit-image preset, a window's descriptor equals the blocks of the whole
        // image's grid at its place; windows fully inside the image and away from its border
        // also equal hog() of the crop except for the crop's border gradients, so compare with
        // the block grid directly.
        var p = HOGParameters.scikitImage(pixelsPerCell: HOGSize(4, 4), cellsPerBlock: HOGSize(2, 2))
        p.order = .rowMajor
        var r3 = SplitMix64(seed: 3)
        let img = r3.image(40, 36, 1)
        let hog = try HOG(p)
        let whole = try hog.descriptor(img)
        let w = try hog.windows(img, window: HOGSize(16, 12), stride: HOGSize(8, 4))
        XCTAssertEqual(w.windowsX, 4); XCTAssertEqual(w.windowsY, 7)
        let wl = w.grid, L = p.blockLength
        for wy in 0..<w.windowsY { for wx in 0..<w.windowsX {
            let d = Array(w.descriptor(wx: wx, wy: wy))
            for by in 0..<wl.blocksY { for bx in 0..<wl.blocksX {
                let gb = whole.grid.blockOffset(bx: wx * 2 + bx, by: wy + by)
                XCTAssertEqual(Array(d[wl.blockOffset(bx: bx, by: by)..<wl.blockOffset(bx: bx, by: by) + L]), Array(whole.values[gb..<gb + L]))
            } }
        } }
    }

    func testParallelEqualsSerial() throws {
        var r5 = SplitMix64(seed: 5)
        let img = r5.image(300, 260, 3)
        for params in [HOGParameters.scikitImage, .dalalTriggs] {
            let hog = try HOG(params)
            let a = try hog.descriptor(img).values
            var b = [Float](repeating: 0, count: a.count)
            try b.withUnsafeMutableBufferPointer { try hog.compute(img, into: $0, parallel: false) }
            XCTAssertEqual(a, b)
        }
    }
}
