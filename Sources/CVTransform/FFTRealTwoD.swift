import CFFTW
import CKernels
import CVCore

/// 2-D real-to-complex transforms (and their complex-to-real inverses, ``inverse``) decomposed
/// into batches of 1-D complex FFTW plans, used for awkward widths and for images of 256×256
/// and more, where they beat FFTW's single `plan_dft_r2c_2d` on one thread and can use several:
///
/// 1. **Rows, two at a time** as one complex row `z = a + i·b` ("two for the price of one":
///    `A[k] = (Z[k] + conj Z[−k])/2`, `B[k] = (Z[k] − conj Z[−k])/(2i)`), ``pairBatch`` pairs
///    per FFTW call through a small scratch buffer. FFTW's complex codelets are AVX where its
///    real-input ones are partly SSE2, and its real-input path for a prime factor > 16 (an
///    "awkward" width such as 1021) is several times slower than its complex one. Lengths
///    with such a factor go through Rader's algorithm (primes p ≥ 29 with a smooth p − 1,
///    ``FFTRaderPlan``) or Bluestein's (``FFTChirpPlan``), rows and columns alike
///    (``FFTBatch``).
/// 2. **Columns** of the half spectrum (``blockedColumns``). In Float, when the column length
///    has no prime factor above 5 and the CPU has AVX2 and FMA, by ``FFTColumnKernel``:
///    Stockham passes vectorized across blocks of 32 columns, in place, with no transpose.
///    Otherwise (Double, other lengths, the last 1–7 Float columns) in blocks of
///    ``columnBlock(rows:precision:)`` transposed into a scratch buffer that stays in L2 so
///    that each column is contiguous, transformed there by one FFTW plan across the block, and
///    transposed back (``transposedColumns``).
///
/// Timings against the single 2-D plan and earlier layouts: `docs/performance.md`.
///
/// With ``Parallel/threadCount`` > 1 both passes are split into stripes that run concurrently
/// through FFTW's thread-safe new-array execute functions. ``FFTPlanner/splitsRealTransforms``
/// = false turns all this off (one FFTW 2-D plan). The result equals the 2-D DFT to rounding
/// (see the tests against the direct plan).
///
/// - References: W. H. Press et al., *Numerical Recipes*, 3rd ed., §12.3.1 (two real FFTs
///   with one complex FFT); C. M. Rader, "Discrete Fourier transforms when the number of data
///   samples is prime", Proc. IEEE 56(6), 1968, doi:10.1109/PROC.1968.6477.
enum FFTRealTwoD {
    /// Rows × columns from which the decomposition is used for every width (see ``applies``).
    static let parallelThreshold = 256 * 256

    /// Threads for a `rows × cols` transform: ``Parallel/threadCount`` from ``parallelThreshold`` on, else 1.
    static func threads(rows: Int, cols: Int) -> Int { rows * cols >= parallelThreshold ? Parallel.threadCount : 1 }

    /// True when a length is "awkward" for FFTW: a prime factor above 16, slow in its real-input
    /// codelets and its complex plans alike.
    static func isAwkward(_ n: Int) -> Bool { largestPrimeFactor(n) > 16 }

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
        return shape[0] * shape[1] >= parallelThreshold
    }

    /// Unnormalized 2-D r2c of `input` (`rows × cols` real) into `output` (`rows × (cols/2+1)` complex).
    static func forward(rows: Int, cols: Int, precision: FFTPrecision, effort: FFTPlannerEffort,
                        input: UnsafeRawPointer, output: UnsafeMutableRawPointer) throws {
        let m = cols / 2 + 1, scalar = precision.scalarBytes, threads = Self.threads(rows: rows, cols: cols)
        // 1. Rows, two at a time as one complex row, `pairBatch` pairs per FFTW call.
        try rowPairs(rows: rows, cols: cols, precision: precision, effort: effort, backward: false, threads: threads,
                     into: { r, z in
                         let a = input + r * cols * scalar
                         pack(precision, a, r + 1 < rows ? a + cols * scalar : nil, z, cols)
                     }, from: { r, spectra in
                         let a = output + r * m * 2 * scalar
                         unpack(precision, spectra, cols, a, r + 1 < rows ? a + m * 2 * scalar : nil)
                     })
        // 2. Columns of the half spectrum.
        try blockedColumns(rows: rows, m: m, precision: precision, effort: effort, backward: false, data: output, threads: threads)
    }

    /// Row pairs per complex FFTW call (the batch's scratch, 4 × 1920 complex Float = 60 KiB,
    /// stays in L2; timings in `docs/performance.md`).
    static let pairBatch = 4
    /// Columns per column block: `rows × columnBlock` complex values are transposed out so that
    /// each column is contiguous (FFTW's codelets then run without its own buffered copy),
    /// transformed there by one plan across the block, and transposed back. Each visit to a row
    /// of the spectrum reads ``columnBlockBytes`` of it.
    static func columnBlock(rows: Int, precision: FFTPrecision) -> Int {
        columnBlockBytes(rows: rows) / (2 * precision.scalarBytes)
    }

    /// Bytes of each spectrum row a column block covers: one cache line up to
    /// ``tallColumnRows`` rows, four above. Short columns favour the small block, whose
    /// scratch stays in L1/L2; tall ones are bound by the strided reads of the transpose,
    /// which four adjacent lines per row serve better (timings in `docs/performance.md`).
    static func columnBlockBytes(rows: Int) -> Int { rows > tallColumnRows ? 256 : 64 }

    /// Column length above which ``columnBlockBytes(rows:)`` takes four cache lines per row
    /// (the crossover; see `docs/performance.md`).
    static let tallColumnRows = 1280

    /// In-place complex FFTs down the `m` columns of `data` (`rows × m` complex), spread over
    /// `threads`: Float columns in ``FFTColumnKernel/blocks(columns:)`` by ``FFTColumnKernel``
    /// where it applies, the rest by ``transposedColumns``.
    static func blockedColumns(rows: Int, m: Int, precision: FFTPrecision, effort: FFTPlannerEffort, backward: Bool,
                               data: UnsafeMutableRawPointer, threads: Int) throws {
        var first = 0
        if precision == .float, let kernel = FFTColumnKernel.plan(length: rows, backward: backward) {
            let blocks = FFTColumnKernel.blocks(columns: m)
            try Parallel.forEachStripe(rows: blocks.count, minRowsPerStripe: 1, stripesPerThread: 1, threads: threads) { range in
                let scratch = try FFTScratch(bytes: kernel.scratchBytes)
                defer { scratch.free() }
                for (start, width) in blocks[range] {
                    kernel.run(block: data + start * 2 * precision.scalarBytes, stride: m, columns: width, scratch: scratch.input)
                }
            }
            first = FFTColumnKernel.coveredColumns(m)
        }
        if first < m {
            try transposedColumns(rows: rows, m: m, from: first, precision: precision, effort: effort, backward: backward,
                                  data: data, threads: first == 0 ? threads : 1)  // else fewer than 8 columns
        }
    }

    /// In-place complex FFTs down columns `first ..< m` of `data` (`rows × m` complex) by FFTW,
    /// in blocks of ``columnBlock(rows:precision:)`` columns spread over `threads`.
    static func transposedColumns(rows: Int, m: Int, from first: Int, precision: FFTPrecision, effort: FFTPlannerEffort,
                                  backward: Bool, data: UnsafeMutableRawPointer, threads: Int) throws {
        let columnBlock = columnBlock(rows: rows, precision: precision)
        let columns = m - first
        let blocks = (columns + columnBlock - 1) / columnBlock
        try Parallel.forEachStripe(rows: blocks, minRowsPerStripe: 1, stripesPerThread: 1, threads: threads) { range in
            let full = try rowPlan(cols: rows, count: min(columnBlock, columns), precision: precision, effort: effort, backward: backward)
            let scratch = try FFTScratch(bytes: rows * columnBlock * 2 * precision.scalarBytes, work: full.workBytes)
            defer { scratch.free() }
            for b in range {
                let c0 = first + b * columnBlock, width = min(columnBlock, m - c0)
                let batch = width == min(columnBlock, columns) ? full
                    : try rowPlan(cols: rows, count: width, precision: precision, effort: effort, backward: backward)
                let block = data + c0 * 2 * precision.scalarBytes
                transpose(precision, block, m, scratch.input, rows, rows: rows, cols: width)
                batch.run(scratch.input, scratch.output, work: scratch.work)
                transpose(precision, scratch.output, rows, block, m, rows: width, cols: rows)
            }
        }
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
        let m = cols / 2 + 1, scalar = precision.scalarBytes, threads = Self.threads(rows: rows, cols: cols)
        // 1. Columns.
        try blockedColumns(rows: rows, m: m, precision: precision, effort: effort, backward: true, data: spectrum,
                           threads: threads)
        // 2.–3. Rows in pairs.
        try rowPairs(rows: rows, cols: cols, precision: precision, effort: effort, backward: true, threads: threads,
                     into: { r, z in
                         let a = spectrum + r * m * 2 * scalar
                         merge(precision, a, r + 1 < rows ? a + m * 2 * scalar : nil, cols, z)
                     }, from: { r, signals in
                         let a = output + r * cols * scalar
                         split(precision, signals, cols, a, r + 1 < rows ? a + cols * scalar : nil)
                     })
    }

    /// Complex FFTs of length `cols` over the row pairs (rows 2p, 2p + 1) in batches of
    /// ``pairBatch``, striped over `threads`: `into(r, z)` fills the complex row `z` of the pair
    /// starting at row r, `from(r, Z)` takes its transform.
    static func rowPairs(rows: Int, cols: Int, precision: FFTPrecision, effort: FFTPlannerEffort, backward: Bool,
                         threads: Int, into: (Int, UnsafeMutableRawPointer) -> Void,
                         from: (Int, UnsafeMutableRawPointer) -> Void) throws {
        let rowBytes = cols * 2 * precision.scalarBytes
        let pairs = (rows + 1) / 2, fullBatch = min(pairBatch, pairs)
        try Parallel.forEachStripe(rows: pairs, minRowsPerStripe: 1, alignedTo: pairBatch, stripesPerThread: 1,
                                   threads: threads) { range in
            let full = try rowPlan(cols: cols, count: fullBatch, precision: precision, effort: effort, backward: backward)
            let scratch = try FFTScratch(bytes: pairBatch * rowBytes, work: full.workBytes)
            defer { scratch.free() }
            for p0 in stride(from: range.lowerBound, to: range.upperBound, by: pairBatch) {
                let count = min(pairBatch, range.upperBound - p0)
                for i in 0..<count { into(2 * (p0 + i), scratch.input + i * rowBytes) }
                let batch = count == fullBatch ? full
                    : try rowPlan(cols: cols, count: count, precision: precision, effort: effort, backward: backward)
                batch.run(scratch.input, scratch.output, work: scratch.work)
                for i in 0..<count { from(2 * (p0 + i), scratch.output + i * rowBytes) }
            }
        }
    }

    /// `count` contiguous out-of-place complex FFTs of length `cols`, `cols` values apart.
    static func rowPlan(cols: Int, count: Int, precision: FFTPrecision, effort: FFTPlannerEffort, backward: Bool) throws -> FFTBatch {
        try FFTBatch(n: cols, count: count, precision: precision, effort: effort, backward: backward)
    }

    // The pair and transpose kernels (CKernels/fft_pairs.c) in the run's precision. Lengths are
    // real samples (`n`) or complex values (strides, rows, cols).
    static func pack(_ precision: FFTPrecision, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ z: UnsafeMutableRawPointer, _ n: Int) {
        switch precision {
        case .double: ck_fft_pack_pairs_f64(a.assumingMemoryBound(to: Double.self), b?.assumingMemoryBound(to: Double.self), z.assumingMemoryBound(to: Double.self), n)
        case .float: ck_fft_pack_pairs_f32(a.assumingMemoryBound(to: Float.self), b?.assumingMemoryBound(to: Float.self), z.assumingMemoryBound(to: Float.self), n)
        }
    }

    static func unpack(_ precision: FFTPrecision, _ z: UnsafeRawPointer, _ n: Int, _ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer?) {
        switch precision {
        case .double: ck_fft_unpack_pairs_f64(z.assumingMemoryBound(to: Double.self), n, a.assumingMemoryBound(to: Double.self), b?.assumingMemoryBound(to: Double.self))
        case .float: ck_fft_unpack_pairs_f32(z.assumingMemoryBound(to: Float.self), n, a.assumingMemoryBound(to: Float.self), b?.assumingMemoryBound(to: Float.self))
        }
    }

    static func merge(_ precision: FFTPrecision, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ n: Int, _ z: UnsafeMutableRawPointer) {
        switch precision {
        case .double: ck_fft_merge_pairs_f64(a.assumingMemoryBound(to: Double.self), b?.assumingMemoryBound(to: Double.self), n, z.assumingMemoryBound(to: Double.self))
        case .float: ck_fft_merge_pairs_f32(a.assumingMemoryBound(to: Float.self), b?.assumingMemoryBound(to: Float.self), n, z.assumingMemoryBound(to: Float.self))
        }
    }

    static func split(_ precision: FFTPrecision, _ z: UnsafeRawPointer, _ n: Int, _ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer?) {
        switch precision {
        case .double: ck_fft_split_pairs_f64(z.assumingMemoryBound(to: Double.self), n, a.assumingMemoryBound(to: Double.self), b?.assumingMemoryBound(to: Double.self))
        case .float: ck_fft_split_pairs_f32(z.assumingMemoryBound(to: Float.self), n, a.assumingMemoryBound(to: Float.self), b?.assumingMemoryBound(to: Float.self))
        }
    }

    static func transpose(_ precision: FFTPrecision, _ src: UnsafeRawPointer, _ srcStride: Int, _ dst: UnsafeMutableRawPointer,
                          _ dstStride: Int, rows: Int, cols: Int) {
        switch precision {
        case .double: ck_transpose_c128(src, srcStride, dst, dstStride, rows, cols)
        case .float: ck_transpose_c64(src, srcStride, dst, dstStride, rows, cols)
        }
    }

    /// Makes every batch plan ``forward`` will need for this shape, without transforming anything.
    static func prepare(rows: Int, cols: Int, precision: FFTPrecision, effort: FFTPlannerEffort) throws {
        let pairs = (rows + 1) / 2, m = cols / 2 + 1, columnBlock = columnBlock(rows: rows, precision: precision)
        for count in Set([min(pairBatch, pairs), pairs % pairBatch]) where count > 0 {
            _ = try rowPlan(cols: cols, count: count, precision: precision, effort: effort, backward: false)
        }
        var columns = m  // left to FFTW
        if precision == .float, FFTColumnKernel.plan(length: rows, backward: false) != nil { columns -= FFTColumnKernel.coveredColumns(m) }
        for width in Set([min(columnBlock, columns), columns % columnBlock]) where width > 0 {
            _ = try rowPlan(cols: rows, count: width, precision: precision, effort: effort, backward: false)
        }
    }
}
