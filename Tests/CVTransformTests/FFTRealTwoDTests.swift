import CVFormats
import XCTest
import CKernels
import CVCore
import CVTestSupport
@testable import CVTransform

/// The decomposed 2-D real-to-complex path (awkward widths, several threads) against FFTW's
/// single 2-D plan on the same inputs.
final class FFTRealTwoDTests: XCTestCase {
    func direct<R: FFTScalar>(_ x: FFTArray<R>) throws -> [FFTComplex<R>] {
        let key = FFTPlanKey(shape: x.shape, kind: .realToComplex, precision: R.fftPrecision, unaligned: true)
        let plan = try FFTPlanner.shared.plan(key)
        var out = [FFTComplex<R>](repeating: .zero, count: key.outputCount)
        var input = x.elements
        input.withUnsafeMutableBytes { i in out.withUnsafeMutableBytes { o in plan.execute(input: i.baseAddress!, output: o.baseAddress!) } }
        return out
    }

    func check<R: FFTScalar>(_: R.Type, shape: [Int], tolerance: Double, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let x = try FFTArray(shape: shape, elements: (0..<(shape[0] * shape[1])).map { _ in R(Double.random(in: 0...255, using: &rng)) })
        XCTAssertTrue(FFTRealTwoD.applies(shape: shape), "\(shape)")
        let ours = try FFT.rfft2(x)
        let ref = try direct(x)
        XCTAssertLessThan(fftRelativeError(ours, ref.flatMap { [Double($0.real), Double($0.imaginary)] }), tolerance, "\(R.self) \(shape)")
        // Inverse (split c2r) against FFTW's single c2r plan, on a spectrum whose DC/Nyquist
        // imaginary parts are not zero (both must ignore them, as numpy.fft.irfft2).
        var spec = ours
        for r in 0..<spec.rows { spec[r, 0].imaginary += 3; if shape[1] % 2 == 0 { spec[r, spec.columns - 1].imaginary -= 2 } }
        let back = try FFT.irfft2(spec, columns: shape[1])
        FFTPlanner.shared.splitsRealTransforms = false
        let backDirect = try FFT.irfft2(spec, columns: shape[1])
        FFTPlanner.shared.splitsRealTransforms = true
        XCTAssertLessThan(fftRelativeError(back, backDirect.elements.map { Double($0) }), tolerance, "inverse \(R.self) \(shape)")
        XCTAssertLessThan(fftRelativeError(try FFT.irfft2(ours, columns: shape[1]), x.elements.map { Double($0) }), tolerance, "round trip \(R.self) \(shape)")
    }

    func testAwkwardWidthsMatchTheDirectPlan() throws {
        XCTAssertTrue(FFTRealTwoD.isAwkward(1021)); XCTAssertTrue(FFTRealTwoD.isAwkward(17)); XCTAssertFalse(FFTRealTwoD.isAwkward(1920))
        XCTAssertFalse(FFTRealTwoD.isAwkward(13)); XCTAssertEqual(FFTRealTwoD.largestPrimeFactor(1020), 17)
        for (i, shape) in [[13, 17], [8, 17], [9, 19], [2, 23], [3, 34], [40, 97]].enumerated() {
            try check(Double.self, shape: shape, tolerance: 1e-13, seed: UInt64(i))
            try check(Float.self, shape: shape, tolerance: 1e-5, seed: UInt64(i))
        }
    }

    func testWhenTheDecompositionApplies() throws {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved; FFTPlanner.shared.splitsRealTransforms = true }
        Parallel.threadCount = 1
        XCTAssertTrue(FFTRealTwoD.applies(shape: [256, 256]), "one thread, large: row pairs and column blocks")
        XCTAssertTrue(FFTRealTwoD.applies(shape: [260, 256]))
        XCTAssertFalse(FFTRealTwoD.applies(shape: [130, 128]), "one thread, too small")
        XCTAssertTrue(FFTRealTwoD.applies(shape: [13, 17]), "awkward width")
        Parallel.threadCount = 2
        XCTAssertTrue(FFTRealTwoD.applies(shape: [260, 256]), "several threads: stripes")
        XCTAssertFalse(FFTRealTwoD.applies(shape: [130, 128]), "too small to split")
        FFTPlanner.shared.splitsRealTransforms = false
        XCTAssertFalse(FFTRealTwoD.applies(shape: [260, 256]))
        XCTAssertFalse(FFTRealTwoD.applies(shape: [13, 17]))
    }

    /// Batches of row pairs (with a partial last batch and, for odd heights, a last row without
    /// a partner), FFTW column blocks (with a partial last block) and the column kernel's blocks
    /// on one thread, and split into stripes on two and three.
    func testThreadedStripesMatchTheDirectPlan() throws {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for threads in [1, 2, 3] {
            Parallel.threadCount = threads
            try check(Float.self, shape: [260, 256], tolerance: 1e-5, seed: 11)
            try check(Double.self, shape: [257, 300], tolerance: 1e-13, seed: 12)
            try check(Float.self, shape: [300, 251], tolerance: 1e-5, seed: 13)  // awkward and threaded
            // Columns taller than tallColumnRows: blocks of 32 (Float) and 16 (Double) columns,
            // the last one partial (41 = 32 + 9 = 2·16 + 9).
            try check(Float.self, shape: [1290, 80], tolerance: 1e-5, seed: 14)
            try check(Double.self, shape: [1290, 80], tolerance: 1e-13, seed: 15)
            // Float columns through FFTColumnKernel: blocks of 32 and a last one of 8 (320 rows,
            // m = 136), of 24 and an FFTW tail of 6 (300 rows, m = 126), of 32, 32 and an FFTW
            // tail of 1 (1080 rows, m = 65).
            try check(Float.self, shape: [320, 270], tolerance: 1e-5, seed: 41)
            try check(Float.self, shape: [300, 250], tolerance: 1e-5, seed: 42)
            try check(Float.self, shape: [1080, 128], tolerance: 1e-5, seed: 43)
        }
    }

    /// The block transposes (vector 4×4 blocks for Float, tiles of 4 for Double) against the
    /// definition, on every shape up to 40×21 with padded strides (partial blocks and tiles).
    func testTransposesMatchTheDefinition() {
        for rows in 1...40 {
            for cols in 1...21 {
                let srcStride = cols + 3, dstStride = rows + 5
                let src = (0..<(rows * srcStride * 2)).map { UInt64($0 &* 7919 &+ 1) }
                var float = [UInt64](repeating: 0, count: cols * dstStride), double = [UInt64](repeating: 0, count: 2 * cols * dstStride)
                ck_transpose_c64(src, srcStride, &float, dstStride, rows, cols)
                ck_transpose_c128(src, srcStride, &double, dstStride, rows, cols)
                var floatOK = true, doubleOK = true
                for r in 0..<rows {
                    for c in 0..<cols {
                        floatOK = floatOK && float[c * dstStride + r] == src[r * srcStride + c]
                        for h in 0..<2 { doubleOK = doubleOK && double[2 * (c * dstStride + r) + h] == src[2 * (r * srcStride + c) + h] }
                    }
                }
                XCTAssertTrue(floatOK, "c64 \(rows)×\(cols)")
                XCTAssertTrue(doubleOK, "c128 \(rows)×\(cols)")
            }
        }
    }

    /// The vectorized column kernel against FFTW's Double plans on every column of its block,
    /// forward and backward, for 5-smooth lengths from one pass (2–5) to six (1080) and blocks of
    /// 8 to 32 columns; the columns beside the block stay untouched, and lengths with other
    /// prime factors get no kernel.
    func testColumnKernelMatchesFFTW() throws {
        for n in [7, 14, 44, 769, 1] { XCTAssertNil(FFTColumnKernel.plan(length: n, backward: false), "\(n)") }
        guard FFTColumnKernel.plan(length: 8, backward: false) != nil else { throw XCTSkip("no AVX2/FMA on this CPU") }
        var rng = SplitMix64(seed: 31)
        var worst = 0.0
        let lengths = [2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 25, 27, 30, 32, 45, 60, 64, 100, 120, 125, 243, 256, 360, 1024, 1080]
        for (i, n) in lengths.enumerated() {
            let width = [8, 16, 24, 32][i % 4], stride = width + 3, offset = 2  // the block: columns 2 ..< width + 2
            for backward in [false, true] {
                let values = (0..<(2 * n * stride)).map { _ in Float.random(in: -1...1, using: &rng) }
                let data = try runColumnKernel(n: n, width: width, backward: backward, values: values)
                // FFTW in Double on the same columns, each made contiguous.
                let key = FFTBatchKey(n: n, count: width, precision: .double, effort: .estimate, backward: backward)
                let plan = try FFTBatchPlans.plan(key)
                let columns = try FFTScratch(bytes: 2 * n * width * 8)
                defer { columns.free() }
                let input = columns.input.assumingMemoryBound(to: Double.self), output = columns.output.assumingMemoryBound(to: Double.self)
                for c in 0..<width {
                    for r in 0..<n {
                        for h in 0..<2 { input[2 * (c * n + r) + h] = Double(values[2 * (r * stride + offset + c) + h]) }
                    }
                }
                FFTBatchPlans.execute(plan, columns.input, columns.output)
                var maxDiff = 0.0, maxRef = 0.0, untouched = true
                for r in 0..<n {
                    for c in 0..<stride {
                        for h in 0..<2 {
                            let i = 2 * (r * stride + c) + h
                            if c < offset || c >= offset + width { untouched = untouched && data[i] == values[i]; continue }
                            let ref = output[2 * ((c - offset) * n + r) + h]
                            maxDiff = max(maxDiff, abs(Double(data[i]) - ref))
                            maxRef = max(maxRef, abs(ref))
                        }
                    }
                }
                XCTAssertTrue(untouched, "n \(n): columns beside the block changed")
                let e = maxDiff / maxRef
                worst = max(worst, e)
                XCTAssertLessThan(e, 2e-6, "n \(n) columns \(width) backward \(backward)")
            }
        }
        print("column kernel against FFTW's Double plans: worst relative error \(worst)")
    }

    /// The column kernel against the readable O(n²) DFT (`FFTReference.dft`), column by column.
    func testColumnKernelMatchesTheDefinition() throws {
        guard FFTColumnKernel.plan(length: 8, backward: false) != nil else { throw XCTSkip("no AVX2/FMA on this CPU") }
        var rng = SplitMix64(seed: 32)
        let width = 8, stride = width + 3, offset = 2
        for n in [6, 12, 20, 45, 64] {
            for backward in [false, true] {
                let values = (0..<(2 * n * stride)).map { _ in Float.random(in: -1...1, using: &rng) }
                let data = try runColumnKernel(n: n, width: width, backward: backward, values: values)
                var maxDiff = 0.0, maxRef = 0.0
                for c in offset..<(offset + width) {
                    let column = (0..<n).map { r in FFTComplex(Double(values[2 * (r * stride + c)]), Double(values[2 * (r * stride + c) + 1])) }
                    let ref = FFTReference.dft(column, shape: [n], sign: backward ? 1 : -1)
                    for r in 0..<n {
                        let z = FFTComplex(Double(data[2 * (r * stride + c)]), Double(data[2 * (r * stride + c) + 1]))
                        maxDiff = max(maxDiff, hypot(z.real - ref[r].real, z.imaginary - ref[r].imaginary))
                        maxRef = max(maxRef, hypot(ref[r].real, ref[r].imaginary))
                    }
                }
                XCTAssertLessThan(maxDiff / maxRef, 2e-6, "n \(n) backward \(backward)")
            }
        }
    }

    /// Runs the column kernel on columns 2 ..< width + 2 of `values`: n rows of width + 3
    /// interleaved complex Floats.
    func runColumnKernel(n: Int, width: Int, backward: Bool, values: [Float]) throws -> [Float] {
        let kernel = try XCTUnwrap(FFTColumnKernel.plan(length: n, backward: backward), "\(n)")
        var data = values
        let scratch = try FFTScratch(bytes: kernel.scratchBytes)
        defer { scratch.free() }
        data.withUnsafeMutableBytes {
            kernel.run(block: $0.baseAddress! + 2 * 2 * 4, stride: width + 3, columns: width, scratch: scratch.input)
        }
        return data
    }

    func testColumnKernelBlocks() {
        XCTAssertEqual(FFTColumnKernel.blocks(columns: 513).map(\.width), Array(repeating: 32, count: 16))
        XCTAssertEqual(FFTColumnKernel.blocks(columns: 126).map(\.start), [0, 32, 64, 96])
        XCTAssertEqual(FFTColumnKernel.blocks(columns: 126).map(\.width), [32, 32, 32, 24])
        XCTAssertEqual(FFTColumnKernel.blocks(columns: 7).count, 0)
        XCTAssertEqual(FFTColumnKernel.coveredColumns(513), 512)
        XCTAssertEqual(FFTColumnKernel.coveredColumns(126), 120)
        XCTAssertEqual(FFTColumnKernel.coveredColumns(7), 0)
    }

    func testColumnBlocksCoverOneLineOrFourPerRow() {
        XCTAssertEqual(FFTRealTwoD.columnBlock(rows: 1080, precision: .float), 8)
        XCTAssertEqual(FFTRealTwoD.columnBlock(rows: 1080, precision: .double), 4)
        XCTAssertEqual(FFTRealTwoD.columnBlock(rows: 1290, precision: .float), 32)
        XCTAssertEqual(FFTRealTwoD.columnBlock(rows: 2160, precision: .double), 16)
    }

    /// Bluestein batches against FFTW's own batch plan: prime lengths and composite ones with a
    /// prime factor above 16, forward and backward, Float and Double, several rows per batch.
    func testChirpBatchesMatchTheDirectPlan() throws {
        XCTAssertTrue(FFTChirpPlan.isFaster(1021)); XCTAssertTrue(FFTChirpPlan.isFaster(102))
        XCTAssertFalse(FFTChirpPlan.isFaster(1920)); XCTAssertFalse(FFTChirpPlan.isFaster(17))
        try checkBatches("Bluestein", lengths: [67, 97, 102, 226, 1021], seed: 21) { key in
            let plan = try FFTChirpPlan.plan(key)
            return (plan.workBytes, plan.run)
        }
    }

    /// Rader batches the same way, on primes whose p − 1 is smooth (28, 66 = 2·3·11, 96, 640,
    /// 768); the batch picks Rader for those and Bluestein for primes with an awkward p − 1.
    func testRaderBatchesMatchTheDirectPlan() throws {
        XCTAssertEqual(FFTRaderPlan.generator(769), 11)
        XCTAssertEqual(FFTRaderPlan.generator(7), 3)
        for p in [29, 67, 97, 641, 769] { XCTAssertTrue(FFTRaderPlan.applies(p), "\(p)") }
        for n in [13, 23, 1021, 1022, 768, 1537] { XCTAssertFalse(FFTRaderPlan.applies(n), "\(n)") }
        try checkBatches("Rader", lengths: [17, 29, 67, 97, 641, 769], seed: 22) { key in
            let plan = try FFTRaderPlan.plan(key)
            return (plan.workBytes, plan.run)
        }
    }

    /// Runs `make(key)`'s batch (work bytes and run function) on random rows and compares with
    /// FFTW's plan for the same key.
    func checkBatches(_ name: String, lengths: [Int], seed: UInt64,
                      make: (FFTBatchKey) throws -> (Int, (UnsafeRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void)) throws {
        var rng = SplitMix64(seed: seed)
        var worst: [FFTPrecision: Double] = [:]
        for n in lengths {
            for precision in FFTPrecision.allCases {
                for backward in [false, true] {
                    let count = 3
                    let key = FFTBatchKey(n: n, count: count, precision: precision, effort: .estimate, backward: backward)
                    let (workBytes, run) = try make(key)
                    let direct = try FFTBatchPlans.plan(key)
                    let values = (0..<(2 * n * count)).map { _ in Double.random(in: -1...1, using: &rng) }
                    let scratch = try FFTScratch(bytes: 2 * n * count * precision.scalarBytes, work: workBytes)
                    defer { scratch.free() }
                    func load() {
                        for (i, v) in values.enumerated() {
                            switch precision {
                            case .double: scratch.input.assumingMemoryBound(to: Double.self)[i] = v
                            case .float: scratch.input.assumingMemoryBound(to: Float.self)[i] = Float(v)
                            }
                        }
                    }
                    func result() -> [Double] {
                        (0..<values.count).map { i in
                            precision == .double ? scratch.output.assumingMemoryBound(to: Double.self)[i]
                                : Double(scratch.output.assumingMemoryBound(to: Float.self)[i])
                        }
                    }
                    load(); run(scratch.input, scratch.output, scratch.work)
                    let ours = result()
                    load(); FFTBatchPlans.execute(direct, scratch.input, scratch.output)
                    let ref = result()
                    let spectrum = try FFTArray(shape: [n * count], elements: (0..<(n * count)).map { FFTComplex(ours[2 * $0], ours[2 * $0 + 1]) })
                    let e = fftRelativeError(spectrum, ref)
                    worst[precision] = max(worst[precision] ?? 0, e)
                    XCTAssertLessThan(e, precision == .double ? 1e-13 : 2e-6, "\(name) n \(n) \(precision) backward \(backward)")
                }
            }
        }
        print("\(name) against FFTW's plans: worst relative error Float \(worst[.float]!), Double \(worst[.double]!)")
    }
}
