import CVCore
import CVFilters
import CVFormats
import CVTestSupport
import XCTest

final class MedianTests: XCTestCase {
    /// Every median case of the fixtures (cv2.medianBlur, scipy.ndimage.median_filter in each
    /// mode, skimage.filters.median), by depth: identical, sample for sample.
    func testMatchesOpenCVAndSciPy() throws {
        var checked = 0
        for c in try MedianBilateralCase.all("median") {
            let input = try c.inputArray(), expected = try c.expected()
            let p = MedianParameters(size: c.int("size"), border: c.border)
            let got: [Double]
            switch input.dtype {
            case .uint8: got = try input.uint8Image().medianFiltered(p).doubles
            case .uint16: got = try input.uint16Image().medianFiltered(p).doubles
            default: got = try input.floatImage().medianFiltered(p).doubles
            }
            let d = differences(got, expected.doubles)
            XCTAssertEqual(d.count, 0, "\(c.output): \(d.count) samples differ, max \(d.max)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 90)
    }

    /// The fast paths against the definition (sort the window, take the middle) on random
    /// images of every depth, channel count and border, including windows wider than the image.
    func testMatchesSortedWindowReference() throws {
        var rng = SplitMix64(seed: 2026)
        let borders: [BorderMode] = [.replicate, .reflect, .reflect101, .wrap, .constant(77)]
        for (w, h, cn) in [(1, 1, 1), (7, 3, 1), (40, 9, 3), (13, 11, 4), (120, 3, 1), (3, 30, 2)] {
            let image = rng.noiseImage(width: w, height: h, channels: cn)
            for border in borders {
                for k in [3, 5, 7, 33] where k < 9 || w * h < 150 {
                    let got = try image.medianFiltered(MedianParameters(size: k, border: border))
                    XCTAssertEqual(got, medianReference(image, size: k, border: border), "\(w)x\(h)x\(cn) k=\(k) \(border)")
                }
                for k in [3, 5] {
                    let wide = image.converted(to: UInt16.self), float = image.converted(to: Float.self)
                    XCTAssertEqual(try wide.medianFiltered(MedianParameters(size: k, border: border)),
                                   medianReference(wide, size: k, border: border), "u16 \(w)x\(h)x\(cn) k=\(k) \(border)")
                    XCTAssertEqual(try float.medianFiltered(MedianParameters(size: k, border: border)),
                                   medianReference(float, size: k, border: border), "f32 \(w)x\(h)x\(cn) k=\(k) \(border)")
                }
            }
        }
    }

    /// Rows longer than the sorting networks' chunk of 1,024 samples (median_net.c): the chunk
    /// seams and the short last chunk against the definition, every depth, 1 and 3 channels.
    func testLongRowsMatchSortedWindowReference() throws {
        var rng = SplitMix64(seed: 23)
        for (w, cn) in [(1100, 1), (400, 3), (2049, 1)] {
            let image = rng.noiseImage(width: w, height: 4, channels: cn)
            for k in [3, 5] {
                let p = MedianParameters(size: k, border: .reflect101)
                XCTAssertEqual(try image.medianFiltered(p), medianReference(image, size: k, border: .reflect101),
                               "\(w)x4x\(cn) k=\(k)")
                let wide = image.converted(to: UInt16.self), float = image.converted(to: Float.self)
                XCTAssertEqual(try wide.medianFiltered(p), medianReference(wide, size: k, border: .reflect101),
                               "u16 \(w)x4x\(cn) k=\(k)")
                XCTAssertEqual(try float.medianFiltered(p), medianReference(float, size: k, border: .reflect101),
                               "f32 \(w)x4x\(cn) k=\(k)")
            }
        }
    }

    /// The 8-bit 3×3 kernel (median3_rows.c) makes two rows per pass from the image rows in
    /// place and its border columns apart: widths around its 64-sample vector (the overlapping
    /// last block), odd and even heights, stripes split over two threads, every border and
    /// channel count, against the definition.
    func testThreeByThreeRowPairsMatchSortedWindowReference() throws {
        var rng = SplitMix64(seed: 33)
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        let borders: [BorderMode] = [.replicate, .reflect, .reflect101, .wrap, .constant(9)]
        for (w, h, cn) in [(62, 5, 1), (66, 2, 1), (67, 7, 1), (130, 1, 1), (23, 6, 3), (24, 3, 3), (33, 4, 2), (17, 5, 4)] {
            let image = rng.noiseImage(width: w, height: h, channels: cn)
            for border in borders {
                let p = MedianParameters(size: 3, border: border)
                XCTAssertEqual(try image.medianFiltered(p), medianReference(image, size: 3, border: border),
                               "\(w)x\(h)x\(cn) \(border)")
            }
        }
        Parallel.threadCount = 2
        for (w, h, cn) in [(2000, 301, 1), (700, 97, 3)] {
            let image = rng.noiseImage(width: w, height: h, channels: cn)
            XCTAssertEqual(try image.medianFiltered(.opencv(size: 3)), medianReference(image, size: 3, border: .replicate),
                           "\(w)x\(h)x\(cn), 2 threads")
        }
    }

    /// A view (crop) with a row stride larger than its width filters as its copy does.
    func testCropMatchesCopy() throws {
        var rng = SplitMix64(seed: 5)
        let big = rng.noiseImage(width: 90, height: 60, channels: 3)
        let crop = try big.cropped(x: 7, y: 5, width: 61, height: 40)
        for k in [3, 5, 9] {
            XCTAssertEqual(try crop.medianFiltered(.opencv(size: k)), try crop.copy().medianFiltered(.opencv(size: k)))
        }
    }

    func testDefaultsAndPresets() {
        let p = MedianParameters()
        XCTAssertEqual(p.size, 3)
        XCTAssertEqual(p.border, .replicate)
        XCTAssertEqual(MedianParameters.opencv(size: 5).border, .replicate)
        XCTAssertEqual(MedianParameters.scipy(size: 5).border, .reflect)
        XCTAssertEqual(MedianParameters.scikitImage(size: 3).border, .replicate)
        XCTAssertEqual(MedianParameters.maxSize, 255)
    }

    func testRefusesBadSizes() {
        let image = Image<UInt8>(width: 8, height: 8)
        for k in [0, -3, 4, 256, 257, Int.max, Int.min] {
            XCTAssertThrowsError(try image.medianFiltered(MedianParameters(size: k))) { error in
                guard case CVError.invalidParameter(let name, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(name, "size")
            }
        }
        XCTAssertThrowsError(try Image<Float>(width: 8, height: 8).medianFiltered(MedianParameters(size: 7))) { error in
            guard case CVError.invalidParameter(let name, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "size")
            XCTAssertTrue(reason.contains("8-bit"), reason)
        }
        XCTAssertNoThrow(try image.medianFiltered(MedianParameters(size: 255)))
        XCTAssertEqual(try image.medianFiltered(MedianParameters(size: 1)), image)
    }
}

/// The median from its definition: the window's samples sorted, the middle one taken.
func medianReference<P: PixelScalar>(_ image: Image<P>, size k: Int, border: BorderMode) -> Image<P> {
    let r = k / 2
    var out = Image<P>(width: image.width, height: image.height, channels: image.channels)
    let constant = border.constantValue(P.self)
    var window = [P]()
    out.withUnsafeMutablePixels { dst, ds in
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<image.channels {
                    window.removeAll(keepingCapacity: true)
                    for dy in -r...r {
                        for dx in -r...r {
                            if let sy = border.sourceIndex(y + dy, count: image.height),
                               let sx = border.sourceIndex(x + dx, count: image.width) {
                                window.append(image[sx, sy, c])
                            } else {
                                window.append(constant)
                            }
                        }
                    }
                    window.sort()
                    dst[y * ds + x * image.channels + c] = window[k * k / 2]
                }
            }
        }
    }
    return out
}

extension BorderMode {
    func constantValue<S: PixelScalar>(_: S.Type) -> S {
        if case .constant(let v) = self { return S(clampingRounded: v) }
        return S(clampingRounded: 0)
    }
}
