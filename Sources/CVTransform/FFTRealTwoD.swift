import CFFTW
import CVCore
import Foundation

/// 2-D real-to-complex transforms (and their complex-to-real inverses, ``inverse``) decomposed
/// into batches of 1-D FFTW plans, used where a single `fftw_plan_dft_r2c_2d` is slower or
/// cannot use several cores:
///
/// - **Awkward widths** (a prime factor > 16 in the row length, e.g. 1021): FFTW's real-input
///   codelets stop at small sizes and its real-input Rader path is several times slower than
///   its complex one (1021×769: 30 ms against 7 ms here). Rows are transformed two at a time
///   as one complex row `z = a + i·b` ("two for the price of one": `A[k] = (Z[k] + conj Z[−k])/2`,
///   `B[k] = (Z[k] − conj Z[−k])/(2i)`).
/// - **Large images** (≥ 256×256) on several threads, and on one thread unless both sides are
///   powers of two: rows by FFTW's real-input plans, ``rowBlock`` rows per call; then the
///   columns of the half spectrum in blocks of ``columnBlock`` columns copied out to a
///   buffer that stays in L2 (``blockedColumns``). One-thread Float medians, MEASURE plans,
///   three processes each: 1080p 7.1–9.8 ms against 8.2–12.5 ms for the single 2-D plan, 4K
///   30.9–32.9 against 36.4–41.7; but 1024² 2.5–4.4 against 2.2–3.4 and 2048² 15.8–19.7
///   against 15.5–16.4, so power-of-two squares keep the single plan on one thread.
///
/// With ``Parallel/threadCount`` > 1 the row pass and the column pass are split into stripes
/// that run concurrently through FFTW's thread-safe new-array execute functions.
/// ``FFTPlanner/splitsRealTransforms`` = false turns all this off (one FFTW 2-D plan). The
/// result equals the 2-D DFT to rounding (see the tests against the direct plan).
///
/// - References: W. H. Press et al., *Numerical Recipes*, 3rd ed., §12.3.1 (two real FFTs
///   with one complex FFT); C. M. Rader, "Discrete Fourier transforms when the number of data
///   samples is prime", Proc. IEEE 56(6), 1968, doi:10.1109/PROC.1968.6477.
enum FFTRealTwoD {
    /// Rows × columns from which the decomposition is used for every width (see ``applies``).
    static let parallelThreshold = 256 * 256

    /// True when a row length is "awkward" for FFTW's real-input codelets.
    static func isAwkward(_ n: Int) -> Bool { largestPrimeFactor(n) > 16 }

    static func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }

    static func largestPrimeFactor(_ n: Int) -> Int {
        var m = n, p = 2, largest = 1
        while p * p <= m {
            while m % p == 0 { largest = p; m /= p }
            p += 1
        }
        return max(largest, m)
    }

    /// Whether ``forward`` should be used instead of a single 2-D plan.
    static func applies(shape: [Int]) -> Bool {
        guard shape.count == 2, shape[0] >= 2, shape[1] >= 2, FFTPlanner.shared.splitsRealTransforms else { return false }
        if isAwkward(shape[1]) { return true }
        guard shape[0] * shape[1] >= parallelThreshold else { return false }
        return Parallel.threadCount > 1 || !(isPowerOfTwo(shape[0]) && isPowerOfTwo(shape[1]))
    }

    /// Unnormalized 2-D r2c of `input` (`rows × cols` real) into `output` (`rows × (cols/2+1)` complex).
    static func forward(rows: Int, cols: Int, precision: FFTPrecision, effort: FFTPlannerEffort,
                        input: UnsafeRawPointer, output: UnsafeMutableRawPointer) throws {
        let m = cols / 2 + 1
        let threads = rows * cols >= parallelThreshold ? Parallel.threadCount : 1
        var failure: Error?
        let failLock = NSLock()
        func record(_ e: Error) { failLock.lock(); failure = e; failLock.unlock() }

        if isAwkward(cols) {
            // 1. Rows, two at a time as one complex row.
            let pairs = (rows + 1) / 2
            let plan = { (count: Int) in
                try FFTBatchPlans.plan(FFTBatchKey(kind: .complexRows, n: cols, count: count, stride: 1, dist: cols,
                                                   precision: precision, effort: effort, unaligned: false))
            }
            forEachStripe(pairs, threads) { range in
                do {
                    let p = try plan(range.count)
                    let bytes = range.count * cols * 2 * (precision == .double ? 8 : 4)
                    let scratch = (precision == .double ? fftw_malloc(bytes) : fftwf_malloc(bytes))!
                    defer { precision == .double ? fftw_free(scratch) : fftwf_free(scratch) }
                    switch precision {
                    case .double:
                        packPairs(Double.self, input, scratch, range, rows, cols)
                        fftw_execute_dft(p.handle, scratch.assumingMemoryBound(to: fftw_complex.self), scratch.assumingMemoryBound(to: fftw_complex.self))
                        unpackPairs(Double.self, scratch, output, range, rows, cols, m)
                    case .float:
                        packPairs(Float.self, input, scratch, range, rows, cols)
                        fftwf_execute_dft(p.handle, scratch.assumingMemoryBound(to: fftwf_complex.self), scratch.assumingMemoryBound(to: fftwf_complex.self))
                        unpackPairs(Float.self, scratch, output, range, rows, cols, m)
                    }
                } catch { record(error) }
            }
        } else {
            // 1. Rows by FFTW's real-input plans, `rowBlock` rows per call.
            let blocks = (rows + rowBlock - 1) / rowBlock
            let scalar = precision == .double ? 8 : 4
            let unaligned = FFTPlanner.alignmentOf(input, precision) != 0 || FFTPlanner.alignmentOf(output, precision) != 0
            forEachStripe(blocks, threads, multiple: 1) { range in
                do {
                    for b in range {
                        let r0 = b * rowBlock, count = min(rowBlock, rows - r0)
                        let p = try FFTBatchPlans.plan(FFTBatchKey(kind: .realRows, n: cols, count: count, stride: 1, dist: cols,
                                                                   precision: precision, effort: effort, unaligned: unaligned))
                        let src = UnsafeMutableRawPointer(mutating: input) + r0 * cols * scalar
                        let dst = output + r0 * m * 2 * scalar
                        switch precision {
                        case .double:
                            fftw_execute_dft_r2c(p.handle, src.assumingMemoryBound(to: Double.self), dst.assumingMemoryBound(to: fftw_complex.self))
                        case .float:
                            fftwf_execute_dft_r2c(p.handle, src.assumingMemoryBound(to: Float.self), dst.assumingMemoryBound(to: fftwf_complex.self))
                        }
                    }
                } catch { record(error) }
            }
        }
        if let failure { throw failure }
        // 2. Columns of the half spectrum.
        try blockedColumns(rows: rows, m: m, precision: precision, effort: effort, backward: false, data: output, threads: threads)
    }

    /// Rows per real-input row plan (even, so blocks of aligned arrays stay SIMD-aligned).
    static let rowBlock = 16
    /// Columns per column block: `rows × columnBlock` complex values (270 KiB for 1080 Float
    /// rows) are copied out, transformed there by one FFTW plan that runs across the block's
    /// adjacent columns, and copied back. Transforming all columns in place with one strided
    /// plan took 1.3–1.8× as long (1080p Float: 4.0–5.3 ms against 2.9–3.0 ms).
    static let columnBlock = 16

    /// In-place complex FFTs down the `m` columns of `data` (`rows × m` complex), in blocks of
    /// ``columnBlock`` columns spread over `threads`.
    static func blockedColumns(rows: Int, m: Int, precision: FFTPrecision, effort: FFTPlannerEffort, backward: Bool,
                               data: UnsafeMutableRawPointer, threads: Int) throws {
        let scalar = precision == .double ? 8 : 4
        let blocks = (m + columnBlock - 1) / columnBlock
        var failure: Error?
        let failLock = NSLock()
        forEachStripe(blocks, threads, multiple: 1) { range in
            do {
                let bytes = rows * columnBlock * 2 * scalar
                let scratch = (precision == .double ? fftw_malloc(bytes) : fftwf_malloc(bytes))!
                defer { precision == .double ? fftw_free(scratch) : fftwf_free(scratch) }
                for b in range {
                    let c0 = b * columnBlock, width = min(columnBlock, m - c0)
                    let p = try FFTBatchPlans.plan(FFTBatchKey(kind: .complexColumns, n: rows, count: width, stride: width, dist: 1,
                                                               precision: precision, effort: effort, backward: backward,
                                                               unaligned: false))
                    let rowBytes = width * 2 * scalar
                    for r in 0..<rows {
                        (scratch + r * rowBytes).copyMemory(from: data + (r * m + c0) * 2 * scalar, byteCount: rowBytes)
                    }
                    switch precision {
                    case .double:
                        let z = scratch.assumingMemoryBound(to: fftw_complex.self)
                        fftw_execute_dft(p.handle, z, z)
                    case .float:
                        let z = scratch.assumingMemoryBound(to: fftwf_complex.self)
                        fftwf_execute_dft(p.handle, z, z)
                    }
                    for r in 0..<rows {
                        (data + (r * m + c0) * 2 * scalar).copyMemory(from: scratch + r * rowBytes, byteCount: rowBytes)
                    }
                }
            } catch {
                failLock.lock(); failure = error; failLock.unlock()
            }
        }
        if let failure { throw failure }
    }

    /// Unnormalized 2-D c2r (FFTW's `c2r` / NumPy's `irfft2` without 1/N): `spectrum`
    /// (`rows × (cols/2+1)` complex, overwritten) into `output` (`rows × cols` real).
    ///
    /// 1. inverse complex FFTs of the columns, in place; 2. the imaginary parts of the DC and
    /// (even `cols`) Nyquist columns dropped, as `irfft` does; 3. rows two at a time: with the
    /// Hermitian extensions `Â`, `B̂` of two half rows, one inverse complex FFT of `Â + i·B̂`
    /// gives `a + i·b`.
    static func inverse(rows: Int, cols: Int, precision: FFTPrecision, effort: FFTPlannerEffort,
                        spectrum: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer) throws {
        let m = cols / 2 + 1
        let threads = rows * cols >= parallelThreshold ? Parallel.threadCount : 1
        let scalar = precision == .double ? 8 : 4
        var failure: Error?
        let failLock = NSLock()
        func record(_ e: Error) { failLock.lock(); failure = e; failLock.unlock() }
        // 1. Columns.
        try blockedColumns(rows: rows, m: m, precision: precision, effort: effort, backward: true, data: spectrum,
                           threads: threads)
        // 2.–3. Rows in pairs.
        let pairs = (rows + 1) / 2
        forEachStripe(pairs, threads) { range in
            do {
                let p = try FFTBatchPlans.plan(FFTBatchKey(kind: .complexRows, n: cols, count: range.count, stride: 1, dist: cols,
                                                           precision: precision, effort: effort, backward: true, unaligned: false))
                let bytes = range.count * cols * 2 * scalar
                let scratch = (precision == .double ? fftw_malloc(bytes) : fftwf_malloc(bytes))!
                defer { precision == .double ? fftw_free(scratch) : fftwf_free(scratch) }
                switch precision {
                case .double:
                    mergePairs(Double.self, spectrum, scratch, range, rows, cols, m)
                    fftw_execute_dft(p.handle, scratch.assumingMemoryBound(to: fftw_complex.self), scratch.assumingMemoryBound(to: fftw_complex.self))
                    splitPairs(Double.self, scratch, output, range, rows, cols)
                case .float:
                    mergePairs(Float.self, spectrum, scratch, range, rows, cols, m)
                    fftwf_execute_dft(p.handle, scratch.assumingMemoryBound(to: fftwf_complex.self), scratch.assumingMemoryBound(to: fftwf_complex.self))
                    splitPairs(Float.self, scratch, output, range, rows, cols)
                }
            } catch { record(error) }
        }
        if let failure { throw failure }
    }

    /// Z = Â + i·B̂ over the full row, from half rows A (2p) and B (2p+1, or 0), with the
    /// imaginary parts of DC and Nyquist ignored.
    @inline(__always)
    static func mergePairs<T: BinaryFloatingPoint>(_: T.Type, _ spectrum: UnsafeRawPointer, _ scratch: UnsafeMutableRawPointer,
                                                   _ range: Range<Int>, _ rows: Int, _ cols: Int, _ m: Int) {
        let s = spectrum.assumingMemoryBound(to: T.self)
        let z = scratch.assumingMemoryBound(to: T.self)
        let nyquist = cols % 2 == 0 ? cols / 2 : -1
        for (i, p) in range.enumerated() {
            let a = s + 2 * (2 * p) * m
            let hasB = 2 * p + 1 < rows
            let b = a + 2 * m
            let d = z + 2 * i * cols
            for k in 0..<m {
                let real = k == 0 || k == nyquist
                let ar = a[2 * k], ai: T = real ? 0 : a[2 * k + 1]
                let br: T = hasB ? b[2 * k] : 0, bi: T = (hasB && !real) ? b[2 * k + 1] : 0
                d[2 * k] = ar - bi
                d[2 * k + 1] = ai + br
            }
            var k = m
            while k < cols {
                let kk = cols - k
                let ar = a[2 * kk], ai = a[2 * kk + 1]
                let br: T = hasB ? b[2 * kk] : 0, bi: T = hasB ? b[2 * kk + 1] : 0
                d[2 * k] = ar + bi
                d[2 * k + 1] = br - ai
                k += 1
            }
        }
    }

    /// a = Re z, b = Im z into output rows 2p and 2p+1.
    @inline(__always)
    static func splitPairs<T: BinaryFloatingPoint>(_: T.Type, _ scratch: UnsafeRawPointer, _ output: UnsafeMutableRawPointer,
                                                   _ range: Range<Int>, _ rows: Int, _ cols: Int) {
        let z = scratch.assumingMemoryBound(to: T.self)
        let o = output.assumingMemoryBound(to: T.self)
        for (i, p) in range.enumerated() {
            let src = z + 2 * i * cols
            let a = o + 2 * p * cols
            if 2 * p + 1 < rows {
                let b = a + cols
                for j in 0..<cols { a[j] = src[2 * j]; b[j] = src[2 * j + 1] }
            } else {
                for j in 0..<cols { a[j] = src[2 * j] }
            }
        }
    }

    /// Makes every batch plan ``forward`` will need for this shape (assuming SIMD-aligned
    /// buffers, as Swift arrays and `fftw_malloc` give), without transforming anything.
    static func prepare(rows: Int, cols: Int, precision: FFTPrecision, effort: FFTPlannerEffort) throws {
        let m = cols / 2 + 1
        let threads = rows * cols >= parallelThreshold ? Parallel.threadCount : 1
        if isAwkward(cols) {
            for range in stripeRanges((rows + 1) / 2, threads) {
                _ = try FFTBatchPlans.plan(FFTBatchKey(kind: .complexRows, n: cols, count: range.count, stride: 1, dist: cols,
                                                       precision: precision, effort: effort, unaligned: false))
            }
        } else {
            for count in Set([min(rowBlock, rows), rows % rowBlock]) where count > 0 {
                _ = try FFTBatchPlans.plan(FFTBatchKey(kind: .realRows, n: cols, count: count, stride: 1, dist: cols,
                                                       precision: precision, effort: effort, unaligned: false))
            }
        }
        for width in Set([min(columnBlock, m), m % columnBlock]) where width > 0 {
            _ = try FFTBatchPlans.plan(FFTBatchKey(kind: .complexColumns, n: rows, count: width, stride: width, dist: 1,
                                                   precision: precision, effort: effort, unaligned: false))
        }
    }

    static func stripeRanges(_ count: Int, _ threads: Int, multiple: Int = 8) -> [Range<Int>] {
        let stripes = max(1, min(threads, count / multiple))
        let bounds = (0...stripes).map { s in s == stripes ? count : (count * s / stripes) / multiple * multiple }
        return (0..<stripes).map { bounds[$0]..<bounds[$0 + 1] }
    }

    /// Runs `body` on up to `threads` contiguous stripes of `0..<count`, with stripe boundaries
    /// at multiples of `multiple` (8 by default, so that stripes of aligned arrays stay
    /// SIMD-aligned; 1 for stripes of whole blocks).
    static func forEachStripe(_ count: Int, _ threads: Int, multiple: Int = 8, _ body: (Range<Int>) -> Void) {
        let ranges = stripeRanges(count, threads, multiple: multiple)
        if ranges.count == 1 { body(ranges[0]); return }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: ranges.count) { s in body(ranges[s]) }
        }
    }

    /// z = a + i·b for the row pairs in `range` (rows 2p and 2p+1; a missing last row is 0).
    @inline(__always)
    static func packPairs<T: BinaryFloatingPoint>(_: T.Type, _ input: UnsafeRawPointer, _ scratch: UnsafeMutableRawPointer,
                                                  _ range: Range<Int>, _ rows: Int, _ cols: Int) {
        let x = input.assumingMemoryBound(to: T.self)
        let z = scratch.assumingMemoryBound(to: T.self)
        for (i, p) in range.enumerated() {
            let a = x + 2 * p * cols
            let d = z + 2 * i * cols
            if 2 * p + 1 < rows {
                let b = a + cols
                for j in 0..<cols { d[2 * j] = a[j]; d[2 * j + 1] = b[j] }
            } else {
                for j in 0..<cols { d[2 * j] = a[j]; d[2 * j + 1] = 0 }
            }
        }
    }

    /// Splits each transformed pair Z into the half spectra A (row 2p) and B (row 2p+1).
    @inline(__always)
    static func unpackPairs<T: BinaryFloatingPoint>(_: T.Type, _ scratch: UnsafeRawPointer, _ output: UnsafeMutableRawPointer,
                                                    _ range: Range<Int>, _ rows: Int, _ cols: Int, _ m: Int) {
        let z = scratch.assumingMemoryBound(to: T.self)
        let o = output.assumingMemoryBound(to: T.self)
        for (i, p) in range.enumerated() {
            let zr = z + 2 * i * cols
            let a = o + 2 * (2 * p) * m
            let hasB = 2 * p + 1 < rows
            let b = a + 2 * m
            for k in 0..<m {
                let k2 = k == 0 ? 0 : cols - k
                let xr = zr[2 * k], xi = zr[2 * k + 1], yr = zr[2 * k2], yi = zr[2 * k2 + 1]
                a[2 * k] = 0.5 * (xr + yr)
                a[2 * k + 1] = 0.5 * (xi - yi)
                if hasB {
                    b[2 * k] = 0.5 * (xi + yi)
                    b[2 * k + 1] = 0.5 * (yr - xr)
                }
            }
        }
    }
}

/// A batch of in-place 1-D complex transforms (FFTW's `plan_many` interface).
struct FFTBatchKey: Hashable {
    /// `realRows`: out-of-place real-to-complex rows (`dist` real samples apart in, `n/2 + 1`
    /// complex values apart out); the others in-place complex transforms.
    enum Kind: Hashable { case complexRows, complexColumns, realRows }
    var kind: Kind
    var n: Int
    var count: Int
    var stride: Int
    var dist: Int
    var precision: FFTPrecision
    var effort: FFTPlannerEffort
    /// FFTW_BACKWARD instead of FFTW_FORWARD.
    var backward: Bool = false
    /// FFTW_UNALIGNED: needed when a stripe's base pointers are not aligned like `fftw_malloc`.
    var unaligned: Bool
}

/// A cached `plan_many` plan.
final class FFTBatchPlan: @unchecked Sendable {
    let handle: OpaquePointer
    let precision: FFTPrecision
    init(handle: OpaquePointer, precision: FFTPrecision) { self.handle = handle; self.precision = precision }
    deinit {
        FFTPlanner.withPlannerLock {
            precision == .double ? fftw_destroy_plan(handle) : fftwf_destroy_plan(handle)
        }
    }
}

enum FFTBatchPlans {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [FFTBatchKey: FFTBatchPlan] = [:]

    static func plan(_ key: FFTBatchKey) throws -> FFTBatchPlan {
        lock.lock()
        if let p = cache[key] { lock.unlock(); return p }
        lock.unlock()
        return try FFTPlanner.withPlannerLock {
            lock.lock()
            if let p = cache[key] { lock.unlock(); return p }
            lock.unlock()
            guard let h = make(key) else { throw CVError.unsupported(source: "FFTW", reason: "no batch plan for \(key)") }
            let p = FFTBatchPlan(handle: h, precision: key.precision)
            lock.lock(); cache[key] = p; lock.unlock()
            return p
        }
    }

    static func removeAll() {
        lock.lock(); let old = cache; cache = [:]; lock.unlock()
        _ = old
    }

    /// Plans on scratch buffers. Caller holds the planner lock.
    private static func make(_ key: FFTBatchKey) -> OpaquePointer? {
        var n = Int32(key.n)
        let count = Int32(key.count), stride = Int32(key.stride), dist = Int32(key.dist)
        let flags = key.effort.flags | (key.unaligned ? FFTWFlags.unaligned : 0)
        let sign = key.backward ? FFTWFlags.backward : FFTWFlags.forward
        let scalar = key.precision == .double ? 8 : 4
        if key.kind == .realRows {
            let m = key.n / 2 + 1, outDist = Int32(m)
            let inBytes = scalar * key.count * key.dist, outBytes = 2 * scalar * key.count * m
            switch key.precision {
            case .double:
                guard let a = fftw_malloc(inBytes), let b = fftw_malloc(outBytes) else { return nil }
                defer { fftw_free(a); fftw_free(b) }
                return fftw_plan_many_dft_r2c(1, &n, count, a.assumingMemoryBound(to: Double.self), nil, 1, dist,
                                              b.assumingMemoryBound(to: fftw_complex.self), nil, 1, outDist, flags)
            case .float:
                guard let a = fftwf_malloc(inBytes), let b = fftwf_malloc(outBytes) else { return nil }
                defer { fftwf_free(a); fftwf_free(b) }
                return fftwf_plan_many_dft_r2c(1, &n, count, a.assumingMemoryBound(to: Float.self), nil, 1, dist,
                                               b.assumingMemoryBound(to: fftwf_complex.self), nil, 1, outDist, flags)
            }
        }
        // Complex elements spanned by the batch (in-place transforms).
        let span = (key.count - 1) * key.dist + (key.n - 1) * key.stride + 1
        let bytes = 2 * scalar * span
        switch key.precision {
        case .double:
            guard let a = fftw_malloc(bytes) else { return nil }
            defer { fftw_free(a) }
            let p = a.assumingMemoryBound(to: fftw_complex.self)
            return fftw_plan_many_dft(1, &n, count, p, nil, stride, dist, p, nil, stride, dist, sign, flags)
        case .float:
            guard let a = fftwf_malloc(bytes) else { return nil }
            defer { fftwf_free(a) }
            let p = a.assumingMemoryBound(to: fftwf_complex.self)
            return fftwf_plan_many_dft(1, &n, count, p, nil, stride, dist, p, nil, stride, dist, sign, flags)
        }
    }
}
