import CKernels
import CVCore

/// Complex Float FFTs down blocks of up to ``columns`` adjacent columns of a row-major spectrum,
/// vectorized across the columns (`CKernels/fft_columns.c`): Stockham passes of radix 4, 2, 3
/// and 5 in split form (a register of real parts, one of imaginary parts) that read the block
/// where it lies, keep the intermediate passes in an L2-sized scratch and write the result back
/// in place. No transpose in or out, and FMA arithmetic, where the FFTW codelets of Debian's
/// build are AVX without FMA.
///
/// Made for column lengths whose prime factors are all ≤ 5 on CPUs with AVX2 and FMA
/// (``plan(length:backward:)`` returns nil otherwise); ``FFTRealTwoD/blockedColumns`` then
/// uses it for the Float columns in ``blocks(columns:)`` and FFTW for the last few. It beats
/// the transposed FFTW blocks it replaces (timings in `docs/performance.md`).
///
/// Accuracy: twiddles are the correctly rounded Floats of Double angles; relative error
/// 1.4e-7 against FFTW's Double plans (`FFTRealTwoDTests`).
///
/// - Complexity: O(n log n) per column; one read and one write of the block per radix pass.
/// - Reference: C. Van Loan, *Computational Frameworks for the Fast Fourier Transform*, SIAM
///   1992, §1.7 (Stockham autosort), doi:10.1137/1.9781611970999.
final class FFTColumnKernel: @unchecked Sendable {
    /// Complex columns per block (256 bytes of each Float row): each row visit reads whole
    /// prefetched lines (narrower blocks: `docs/performance.md`).
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

    /// The kernel's share of `m` columns: `0 ..< coveredColumns(m)`, the span of
    /// ``blocks(columns:)``.
    static func coveredColumns(_ m: Int) -> Int { blocks(columns: m).last.map { $0.start + $0.width } ?? 0 }

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
    /// Lengths with no kernel are cached as `nil` too, so the factor check runs once per length.
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
