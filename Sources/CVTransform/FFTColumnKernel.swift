import CKernels
import CVCore

/// Complex Float FFTs down blocks of up to ``columns`` adjacent columns of a row-major spectrum,
/// vectorized across the columns (`CKernels/fft_columns.c`): Stockham passes of radix 4, 2, 3
/// and 5 that read the block where it lies, keep the intermediate passes in an L2-sized
/// scratch and write the result back in place. No transpose in or out, and FMA arithmetic,
/// where FFTW's codelets in Debian's build are AVX without FMA.
///
/// Made for column lengths whose prime factors are all ≤ 5 on CPUs with AVX2 and FMA
/// (``plan(length:backward:)`` returns nil otherwise); ``FFTRealTwoD/blockedColumns`` then
/// uses it for the Float columns in blocks of ``blocks(columns:)``, FFTW for the last few. Column pass of the 2-D real FFT on one Zen 4
/// core, in one process against the transposed FFTW blocks: 1024² 0.52 against 0.87 ms,
/// 1080p 1.6 against 2.3 ms (see the README for the whole transform).
///
/// Accuracy: twiddles are the correctly rounded Floats of Double angles; the relative error
/// against FFTW's plans is of the order of 1e-7 (see `FFTRealTwoDTests`).
///
/// - Complexity: O(n log n) per column, `passes` reads and writes of the block.
/// - Reference: C. Van Loan, *Computational Frameworks for the Fast Fourier Transform*, SIAM
///   1992, §1.7 (Stockham autosort), doi:10.1137/1.9781611970999.
final class FFTColumnKernel: @unchecked Sendable {
    /// Complex columns per block (256 bytes of each Float row); with fewer, the 2-D transform
    /// takes longer (1024² 1.35, 1.28 ms with blocks of 8, 16 against 1.17 with 32; 1080p 3.79,
    /// 3.77 against 3.56; 4K 20.7, 17.6 against 16.4; one Zen 4 core, alternated in one process).
    static let columns = 32

    /// Blocks `(start, width)` over columns `0 ..< m`: full blocks of ``columns``, then one of
    /// the largest multiple of 8 left (widths are whole pairs of 256-bit vectors). The columns
    /// after the last block (fewer than 8) are left to FFTW.
    static func blocks(columns m: Int) -> [(start: Int, width: Int)] {
        var blocks: [(start: Int, width: Int)] = []
        var start = 0
        while m - start >= 8 {
            let width = min(columns, (m - start) / 8 * 8)
            blocks.append((start, width))
            start += width
        }
        return blocks
    }

    let length: Int
    private let handle: OpaquePointer

    private init?(length: Int, backward: Bool) {
        guard let h = ck_colfft_plan_create(length, backward ? 1 : 0) else { return nil }
        self.length = length
        handle = h
    }

    deinit { ck_colfft_plan_destroy(handle) }

    private struct Key: Hashable {
        var length: Int
        var backward: Bool
    }
    /// Lengths with no kernel are cached as `nil` too, so the test runs once per length.
    private static let cache = LockedCache<Key, FFTColumnKernel?>()

    /// The kernel for columns of `length`, or nil when the length has a prime factor above 5 or
    /// the CPU lacks AVX2/FMA.
    static func plan(length: Int, backward: Bool) -> FFTColumnKernel? {
        let key = Key(length: length, backward: backward)
        if let cached = cache[key] { return cached }
        return cache.insert(FFTColumnKernel(length: length, backward: backward), for: key)
    }

    static func removeAll() { cache.removeAll() }

    /// Scratch bytes ``run(block:stride:columns:scratch:)`` needs for blocks of up to ``columns``.
    var scratchBytes: Int { 2 * length * Self.columns * 2 * MemoryLayout<Float>.size }

    /// Transforms `columns` (a multiple of 8, at most ``columns``) complex columns starting at
    /// `block` in place; rows are `stride` complex values apart.
    func run(block: UnsafeMutableRawPointer, stride: Int, columns: Int, scratch: UnsafeMutableRawPointer) {
        precondition(columns > 0 && columns % 8 == 0 && columns <= Self.columns, "column block of \(columns)")
        ck_colfft_run(handle, block.assumingMemoryBound(to: Float.self), stride, columns, scratch.assumingMemoryBound(to: Float.self))
    }
}
