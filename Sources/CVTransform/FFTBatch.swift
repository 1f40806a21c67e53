import CFFTW
import CKernels
import CVCore

/// A batch of `count` 1-D complex DFTs of length `n`, stored one after the other, from an
/// input buffer (overwritten) to an output buffer: one FFTW `plan_many` plan, or, for lengths
/// with a prime factor above 16 (which FFTW transforms several times slower than smooth
/// lengths), FFTW plans of smooth lengths inside Rader's algorithm (``FFTRaderPlan``, primes
/// p ≥ 29 with a smooth p − 1) or Bluestein's (``FFTChirpPlan``, the others from 64 up).
struct FFTBatch {
    private enum Method {
        case direct(FFTBatchPlan)
        case rader(FFTRaderPlan)
        case chirp(FFTChirpPlan)
    }
    private let method: Method

    /// Extra FFTW-aligned scratch bytes ``run(_:_:work:)`` needs.
    var workBytes: Int {
        switch method {
        case .direct: 0
        case .rader(let plan): plan.workBytes
        case .chirp(let plan): plan.workBytes
        }
    }

    init(n: Int, count: Int, precision: FFTPrecision, effort: FFTPlannerEffort, backward: Bool) throws {
        let key = FFTBatchKey(n: n, count: count, precision: precision, effort: effort, backward: backward)
        if FFTRaderPlan.applies(n) {
            method = .rader(try FFTRaderPlan.plan(key))
        } else if FFTChirpPlan.isFaster(n) {
            method = .chirp(try FFTChirpPlan.plan(key))
        } else {
            method = .direct(try FFTBatchPlans.plan(key))
        }
    }

    /// Transforms `input` (`count × n` complex, overwritten) into `output`; `work` holds
    /// ``workBytes`` bytes.
    func run(_ input: UnsafeMutableRawPointer, _ output: UnsafeMutableRawPointer, work: UnsafeMutableRawPointer?) {
        switch method {
        case .direct(let plan): FFTBatchPlans.execute(plan, input, output)
        case .rader(let plan): plan.run(input, output, work: work!)
        case .chirp(let plan): plan.run(input, output, work: work!)
        }
    }
}

/// FFTW-aligned scratch memory for one stripe: an input and an output buffer of `bytes` each
/// for the out-of-place batch plans, and `work` bytes for ``FFTBatch/run(_:_:work:)``.
struct FFTScratch {
    let input: UnsafeMutableRawPointer
    let output: UnsafeMutableRawPointer
    let work: UnsafeMutableRawPointer
    init(bytes: Int, work: Int = 0) throws {
        let half = (max(bytes, 16) + 63) & ~63
        guard let p = fftw_malloc(2 * half + max(work, 64)) else {
            throw CVError.unsupported(source: "FFTW", reason: "out of memory for \(2 * half + work) bytes of scratch")
        }
        input = p
        output = p + half
        self.work = p + 2 * half
    }
    func free() { fftw_free(input) }
}

extension FFTPrecision {
    /// Bytes per real sample.
    var scalarBytes: Int { self == .double ? 8 : 4 }

    /// `out[j] = x[j]·y[j]` for `count` interleaved complex values in this precision (`out`
    /// may be `x`): the pointwise steps of Bluestein's and Rader's algorithms.
    func multiply(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ count: Int) {
        switch self {
        case .double:
            ck_cmul_f64(x.assumingMemoryBound(to: Double.self), y.assumingMemoryBound(to: Double.self), out.assumingMemoryBound(to: Double.self), count)
        case .float:
            ck_cmul_f32(x.assumingMemoryBound(to: Float.self), y.assumingMemoryBound(to: Float.self), out.assumingMemoryBound(to: Float.self), count)
        }
    }
}

/// A batch of `count` out-of-place 1-D complex transforms of length `n`, stored one after the
/// other (FFTW's `plan_many` with stride 1 and distance `n`) in FFTW-aligned memory; the input
/// may be overwritten. Out of place, FFTW's plans need no buffered copy of their own (timings
/// in `docs/performance.md`).
struct FFTBatchKey: Hashable {
    var n: Int
    var count: Int
    var precision: FFTPrecision
    var effort: FFTPlannerEffort
    /// FFTW_BACKWARD instead of FFTW_FORWARD.
    var backward: Bool = false
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
    private static let cache = LockedCache<FFTBatchKey, FFTBatchPlan>()

    static func plan(_ key: FFTBatchKey) throws -> FFTBatchPlan {
        if let p = cache[key] { return p }
        return try FFTPlanner.withPlannerLock {
            if let p = cache[key] { return p }  // planned by another thread while this one waited
            guard let h = make(key) else { throw CVError.unsupported(source: "FFTW", reason: "no batch plan for \(key)") }
            return cache.insert(FFTBatchPlan(handle: h, precision: key.precision), for: key)
        }
    }

    static func removeAll() {
        cache.removeAll()
        FFTChirpPlan.removeAll()
        FFTRaderPlan.removeAll()
        FFTColumnKernel.removeAll()
    }

    /// Runs a batch plan from `input` (overwritten) to `output`.
    static func execute(_ plan: FFTBatchPlan, _ input: UnsafeMutableRawPointer, _ output: UnsafeMutableRawPointer) {
        switch plan.precision {
        case .double:
            fftw_execute_dft(plan.handle, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: fftw_complex.self))
        case .float:
            fftwf_execute_dft(plan.handle, input.assumingMemoryBound(to: fftwf_complex.self), output.assumingMemoryBound(to: fftwf_complex.self))
        }
    }

    /// Plans on a scratch buffer. Caller holds the planner lock.
    private static func make(_ key: FFTBatchKey) -> OpaquePointer? {
        var n = Int32(key.n)
        let count = Int32(key.count)
        let sign = key.backward ? FFTWFlags.backward : FFTWFlags.forward
        let flags = key.effort.flags | FFTWFlags.destroyInput
        guard let scratch = try? FFTScratch(bytes: 2 * key.precision.scalarBytes * key.n * key.count) else { return nil }
        defer { scratch.free() }
        switch key.precision {
        case .double:
            let a = scratch.input.assumingMemoryBound(to: fftw_complex.self), b = scratch.output.assumingMemoryBound(to: fftw_complex.self)
            return fftw_plan_many_dft(1, &n, count, a, nil, 1, n, b, nil, 1, n, sign, flags)
        case .float:
            let a = scratch.input.assumingMemoryBound(to: fftwf_complex.self), b = scratch.output.assumingMemoryBound(to: fftwf_complex.self)
            return fftwf_plan_many_dft(1, &n, count, a, nil, 1, n, b, nil, 1, n, sign, flags)
        }
    }
}
