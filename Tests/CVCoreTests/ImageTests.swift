@testable import CVCore
import XCTest

final class ImageTests: XCTestCase {
    func testLayoutAndElementAccess() throws {
        var img = try Image<UInt8>(width: 3, height: 2, channels: 3, samples: Array(0..<18))
        XCTAssertEqual(img.rowStride, 9)
        XCTAssertEqual(img[2, 1, 0], 15)
        img[0, 0, 2] = 99
        XCTAssertEqual(img.samples[2], 99)
        XCTAssertThrowsError(try Image<UInt8>(width: 3, height: 2, channels: 3, samples: [1, 2]))
        XCTAssertThrowsError(try Image<UInt8>(width: 1, height: 1, channels: 5, samples: [1, 2, 3, 4, 5]))
    }

    func testCropIsAViewUntilMutated() throws {
        let base = try Image<UInt16>(width: 4, height: 4, channels: 1, samples: (0..<16).map(UInt16.init))
        var view = try base.cropped(x: 1, y: 2, width: 2, height: 2)
        XCTAssertEqual(view.samples, [9, 10, 13, 14])
        XCTAssertFalse(view.isContiguous)
        XCTAssertEqual(view.rowStride, 4)
        view[0, 0] = 500  // copy-on-write: the parent keeps its value
        XCTAssertEqual(base[1, 2], 9)
        XCTAssertEqual(view[0, 0], 500)
        XCTAssertTrue(view.isContiguous)
        XCTAssertThrowsError(try base.cropped(x: 3, y: 3, width: 2, height: 1))
        let nested = try base.cropped(x: 1, y: 1, width: 3, height: 3).cropped(x: 1, y: 1, width: 1, height: 1)
        XCTAssertEqual(nested.samples, [10])
    }

    func testLargeBuffersAreHugePageAlignedZeroedAndReused() throws {
        // 1080p RGB Float is 24 MiB: above the huge-page threshold.
        var big: Image<Float>? = Image<Float>(width: 1920, height: 1080, channels: 3)
        let first = big!.withUnsafePixels { p, _ in Int(bitPattern: p) }
        XCTAssertEqual(first % PixelMemory.hugePageBytes, 0)
        big![1919, 1079, 2] = 7
        XCTAssertEqual(big!.copy()[1919, 1079, 2], 7)
        big = nil
        // The released block comes back for the next request of the same size, zero-filled
        // again when a zeroed image is asked for.
        let again = Image<Float>(width: 1920, height: 1080, channels: 3)
        XCTAssertEqual(again.withUnsafePixels { p, _ in Int(bitPattern: p) }, first)
        XCTAssertEqual(again[1919, 1079, 2], 0)
        PixelMemory.releaseCachedBlocks()
        XCTAssertEqual(PixelMemory.cachedByteCount, 0)
        // The cache stays within its limits however many blocks are released.
        for _ in 0..<40 { _ = Image<UInt8>.uninitialized(width: 1000, height: 1000, channels: Int.random(in: 1...4)) }
        XCTAssertLessThanOrEqual(PixelMemory.cachedByteCount, PixelMemory.cacheLimitBytes)
        let small = Image<UInt8>(width: 5, height: 3, channels: 1)
        small.withUnsafePixels { p, _ in XCTAssertEqual(Int(bitPattern: p) % 64, 0) }
        XCTAssertEqual(small.samples, [UInt8](repeating: 0, count: 15))
    }

    func testEqualityIgnoresPadding() throws {
        let a = try Image<Float>(width: 2, height: 2, samples: [1, 2, 3, 4])
        let big = try Image<Float>(width: 3, height: 2, samples: [1, 2, 9, 3, 4, 9])
        XCTAssertEqual(try big.cropped(x: 0, y: 0, width: 2, height: 2), a)
        XCTAssertNotEqual(a, try Image<Float>(width: 2, height: 2, samples: [1, 2, 3, 5]))
    }

    func testDepthConversionScaling() throws {
        let u8 = try Image<UInt8>(width: 4, height: 1, samples: [0, 1, 128, 255])
        XCTAssertEqual(u8.converted(to: UInt16.self).samples, [0, 257, 32896, 65535])
        XCTAssertEqual(u8.converted(to: Float.self).samples, [0, 1 / 255, 128 / 255, 1])
        XCTAssertEqual(u8.converted(to: UInt16.self).converted(to: UInt8.self), u8)
        let u16 = try Image<UInt16>(width: 4, height: 1, samples: [0, 128, 129, 65535])
        XCTAssertEqual(u16.converted(to: UInt8.self).samples, [0, 0, 1, 255])  // round(v / 257)
        let f = try Image<Float>(width: 4, height: 1, samples: [-0.5, 0.5, 0.50196, 2])
        XCTAssertEqual(f.converted(to: UInt8.self).samples, [0, 128, 128, 255])
        // Exhaustive: UInt16 -> UInt8 equals round(v / 257).
        let all = try Image<UInt16>(width: 65536, height: 1, samples: (0...65535).map(UInt16.init)).converted(to: UInt8.self)
        for v in 0...65535 { XCTAssertEqual(Int(all[v, 0]), Int((Double(v) / 257).rounded())) }
    }

    func testChannelsSplitMergeAlpha() throws {
        let rgba = try Image<UInt8>(width: 2, height: 1, channels: 4, samples: [10, 20, 30, 255, 200, 100, 50, 128])
        let planes = rgba.splitChannels()
        XCTAssertEqual(planes.map { $0.samples }, [[10, 200], [20, 100], [30, 50], [255, 128]])
        XCTAssertEqual(try Image.merging(planes), rgba)
        XCTAssertThrowsError(try Image.merging([planes[0], Image<UInt8>(width: 3, height: 1)]))
        XCTAssertEqual(rgba.droppingAlpha().samples, [10, 20, 30, 200, 100, 50])
        // round(v * a / 255): 200*128/255 = 100.39 -> 100; 100*128/255 = 50.2 -> 50; 50*128/255 = 25.1 -> 25
        XCTAssertEqual(rgba.premultipliedAlpha().samples, [10, 20, 30, 255, 100, 50, 25, 128])
        let ga = try Image<Float>(width: 1, height: 1, channels: 2, samples: [0.5, 0.5])
        XCTAssertEqual(ga.premultipliedAlpha().samples, [0.25, 0.5])
        XCTAssertEqual(ga.grayscale().samples, [0.5])
    }

    /// Slow reference for RGB2GRAY vs the fast kernel, on every depth.
    func testGrayMatchesReferenceFormula() throws {
        var rng = SystemRandomNumberGenerator()
        let samples = (0..<(97 * 13 * 3)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let img = try Image<UInt8>(width: 97, height: 13, channels: 3, samples: samples)
        let gray = img.grayscale()
        for y in 0..<13 {
            for x in 0..<97 {
                let r = Double(img[x, y, 0]), g = Double(img[x, y, 1]), b = Double(img[x, y, 2])
                XCTAssertEqual(Double(gray[x, y]), (0.299 * r + 0.587 * g + 0.114 * b).rounded(), accuracy: 1)
            }
        }
    }

    func testParallelStripesCoverEveryRowOnce() {
        for threads in [1, 2, 3, 8] {
            Parallel.threadCount = threads
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
            counts.initialize(repeating: 0)
            Parallel.forEachStripe(rows: 1000, minRowsPerStripe: 7) { rows in
                for r in rows { counts[r] += 1 }
            }
            XCTAssertTrue(counts.allSatisfy { $0 == 1 })
            counts.deallocate()
        }
        Parallel.threadCount = 0
        XCTAssertEqual(Parallel.threadCount, 1)
        Parallel.threadCount = ProcessInfo.processInfo.activeProcessorCount
    }

    /// The worker pool under nesting (stripes that start stripes), concurrent callers, many
    /// back-to-back jobs and changing thread counts: every row of every job exactly once.
    func testWorkerPoolNestedConcurrentAndRepeatedJobs() {
        defer { Parallel.threadCount = ProcessInfo.processInfo.activeProcessorCount }
        let lock = NSLock()
        for threads in [4, 2, 3] {
            Parallel.threadCount = threads
            // Back to back: the pool's generations advance without losing a stripe.
            for job in 0..<300 {
                let rows = 1 + job % 97
                let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows)
                counts.initialize(repeating: 0)
                Parallel.forEachStripe(rows: rows, minRowsPerStripe: 1) { r in
                    for y in r { counts[y] += 1 }
                }
                XCTAssertTrue(counts.allSatisfy { $0 == 1 }, "job \(job), \(threads) threads")
                counts.deallocate()
            }
            // Nested: an inner call from a stripe runs serially and completes.
            var inner = 0
            Parallel.forEachStripe(rows: 64, minRowsPerStripe: 1) { r in
                var local = 0
                Parallel.forEachStripe(rows: 10, minRowsPerStripe: 1) { rr in local += rr.count }
                lock.lock(); inner += local * r.count; lock.unlock()
            }
            XCTAssertEqual(inner, 640)
            // Calls nested in Parallel.forEach, which runs on the same pool.
            var totals = [Int](repeating: 0, count: 8)
            Parallel.forEach(count: 8) { k in
                var sum = 0
                let sumLock = NSLock()
                Parallel.forEachStripe(rows: 1000, minRowsPerStripe: 3) { r in
                    let part = r.reduce(0, +)
                    sumLock.lock(); sum += part; sumLock.unlock()
                }
                lock.lock(); totals[k] = sum; lock.unlock()
            }
            XCTAssertEqual(totals, [Int](repeating: 499_500, count: 8))
        }
    }
}

final class BorderModeTests: XCTestCase {
    /// OpenCV's documented patterns for "abcdefgh" (indices 0...7) two samples past each edge.
    func testPatternsMatchOpenCV() {
        func pattern(_ m: BorderMode) -> [Int?] { (-3..<11).map { m.sourceIndex($0, count: 8) } }
        XCTAssertEqual(pattern(.reflect101), [3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4])
        XCTAssertEqual(pattern(.reflect), [2, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5])
        XCTAssertEqual(pattern(.replicate), [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7])
        XCTAssertEqual(pattern(.wrap), [5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2])
        XCTAssertEqual(pattern(.constant(0)), [nil, nil, nil, 0, 1, 2, 3, 4, 5, 6, 7, nil, nil, nil])
        XCTAssertEqual(BorderMode.reflect101.sourceIndex(-5, count: 1), 0)
        XCTAssertEqual(BorderMode.reflect101.sourceIndex(-20, count: 3), 0)  // far away: periodic
        XCTAssertEqual(BorderMode.reflect.sourceIndex(13, count: 3), 1)
        XCTAssertEqual(BorderMode.default, .reflect101)
    }

    func testNames() {
        XCTAssertEqual(BorderMode(name: "reflect101"), .reflect101)
        XCTAssertEqual(BorderMode(name: "constant:7"), .constant(7))
        XCTAssertNil(BorderMode(name: "mirrorball"))
        for m in [BorderMode.reflect101, .reflect, .replicate, .wrap, .constant(0), .constant(3)] {
            XCTAssertEqual(BorderMode(name: m.description), m)
        }
    }
}

final class ErrorTests: XCTestCase {
    func testMessagesNameTheSource() {
        XCTAssertEqual(CVError.decoding(source: "a.png", reason: "bad").description, "a.png: cannot decode: bad")
        XCTAssertEqual(CVError.invalidParameter(name: "sigma", reason: "must be > 0").description, "invalid parameter 'sigma': must be > 0")
        XCTAssertEqual(CVError.decoding(source: "<memory>", reason: "x").relabeled("f.jpg"), .decoding(source: "f.jpg", reason: "x"))
    }
}
