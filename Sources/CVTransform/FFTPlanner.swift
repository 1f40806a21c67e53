import CFFTW
import CVCore
import Foundation

/// The process-wide FFTW plan cache.
///
/// Plans are cached per ``FFTPlanKey`` (shape, kind, precision, effort, in-place, alignment).
/// FFTW's planner is not thread-safe, so every call that plans, destroys a plan or touches
/// wisdom runs behind one lock (``withPlannerLock(_:)``); a cache hit takes only a short
/// lookup lock, and executing a plan takes no lock at all, so transforms run concurrently.
///
/// Plans are made on scratch buffers from `fftw_malloc`, never on the caller's data (FFTW_MEASURE
/// overwrites the arrays it plans on). A plan made that way needs SIMD-aligned buffers at
/// execution; ``plan(shape:kind:precision:effort:input:output:)`` checks the caller's buffers with
/// `fftw_alignment_of` and falls back to an FFTW_UNALIGNED plan when they are not aligned.
public final class FFTPlanner: @unchecked Sendable {
    /// The one planner of the process (FFTW's planner state is global).
    public static let shared = FFTPlanner()

    /// Serializes FFTW's planner: planning, plan destruction, wisdom import/export.
    private static let plannerLock = NSLock()
    private let cacheLock = NSLock()
    private var cache: [FFTPlanKey: FFTPlan] = [:]
    private var _defaultEffort = FFTPlannerEffort.default
    private var _splitsRealTransforms = true
    private var _plansCreated = 0
    private var _planningSeconds = 0.0

    private init() {}

    /// Runs `body` while holding the lock that serializes FFTW's planner. Use it around any
    /// direct call to FFTW's planner or wisdom functions made outside this module.
    public static func withPlannerLock<T>(_ body: () throws -> T) rethrows -> T {
        plannerLock.lock()
        defer { plannerLock.unlock() }
        return try body()
    }

    /// Effort used when a call does not name one. Default ``FFTPlannerEffort/estimate``.
    public var defaultEffort: FFTPlannerEffort {
        get { cacheLock.lock(); defer { cacheLock.unlock() }; return _defaultEffort }
        set { cacheLock.lock(); _defaultEffort = newValue; cacheLock.unlock() }
    }

    /// Whether 2-D real-to-complex transforms of large images (≥ 128×128) or of awkward widths
    /// (a prime factor > 16) run as batches of 1-D complex FFTW plans — two real rows per
    /// complex row, then the columns — split across `Parallel.threadCount` threads, instead of
    /// one `fftw_plan_dft_r2c_2d`. Same result to rounding; faster (several times for awkward
    /// widths). Default `true`; `false` forces the single FFTW plan (as calling FFTW directly).
    public var splitsRealTransforms: Bool {
        get { cacheLock.lock(); defer { cacheLock.unlock() }; return _splitsRealTransforms }
        set { cacheLock.lock(); _splitsRealTransforms = newValue; cacheLock.unlock() }
    }

    /// Number of plans in the cache.
    public var cachedPlanCount: Int { cacheLock.lock(); defer { cacheLock.unlock() }; return cache.count }

    /// Plans created since launch, and the total seconds FFTW spent planning them.
    public var statistics: (plansCreated: Int, planningSeconds: Double) {
        cacheLock.lock(); defer { cacheLock.unlock() }
        return (_plansCreated, _planningSeconds)
    }

    /// The cached plan for `key`, if there is one (never plans).
    public func cachedPlan(_ key: FFTPlanKey) -> FFTPlan? {
        cacheLock.lock(); defer { cacheLock.unlock() }
        return cache[key]
    }

    /// Drops every cached plan (plans still referenced elsewhere stay valid). Wisdom is kept;
    /// see ``FFTWisdom/forget()``.
    public func removeAllPlans() {
        cacheLock.lock()
        let old = cache
        cache = [:]
        cacheLock.unlock()
        FFTBatchPlans.removeAll()
        _ = old  // released here, outside the cache lock (deinit takes the planner lock)
    }

    /// The plan for `key`, from the cache or made now.
    ///
    /// - Throws: `CVError.invalidParameter` for an invalid shape or an in-place real transform;
    ///   `CVError.unsupported` if FFTW returns no plan.
    /// - Complexity: a cache hit is a dictionary lookup; planning costs microseconds
    ///   (``FFTPlannerEffort/estimate``) to seconds (``FFTPlannerEffort/measure`` on large sizes).
    public func plan(_ key: FFTPlanKey) throws -> FFTPlan {
        if let p = cachedPlan(key) { return p }
        try FFTArray<Float>.validate(shape: key.shape)
        if key.inPlace && (key.kind == .realToComplex || key.kind == .complexToReal) {
            throw CVError.invalidParameter(name: "inPlace", reason: "real-to-complex and complex-to-real plans are out-of-place only")
        }
        return try FFTPlanner.withPlannerLock { () throws -> FFTPlan in
            // Another thread may have planned it while we waited for the planner.
            if let p = cachedPlan(key) { return p }
            let start = DispatchTime.now().uptimeNanoseconds
            guard let handle = FFTPlanner.makePlan(key) else {
                throw CVError.unsupported(source: "FFTW", reason: "no plan for \(key)")
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let plan = FFTPlan(key: key, handle: handle, planningSeconds: seconds)
            cacheLock.lock()
            cache[key] = plan
            _plansCreated += 1
            _planningSeconds += seconds
            cacheLock.unlock()
            return plan
        }
    }

    /// A plan that can run on these very buffers: in-place when `input == output`, and an
    /// FFTW_UNALIGNED plan when either buffer is not SIMD-aligned (`fftw_alignment_of != 0`).
    ///
    /// - Parameters:
    ///   - shape: the transform's shape (the real side's for real transforms).
    ///   - kind: complex forward or backward, real-to-complex or complex-to-real.
    ///   - precision: Float or Double.
    ///   - effort: planner effort; default `nil` uses ``defaultEffort``.
    ///   - input: the buffer the plan will read.
    ///   - output: the buffer the plan will write (the same as `input` for in place).
    /// - Throws: as ``plan(_:)``.
    public func plan(shape: [Int], kind: FFTTransformKind, precision: FFTPrecision, effort: FFTPlannerEffort? = nil,
                     input: UnsafeRawPointer, output: UnsafeRawPointer) throws -> FFTPlan {
        let aligned = FFTPlanner.alignmentOf(input, precision) == 0 && FFTPlanner.alignmentOf(output, precision) == 0
        let key = FFTPlanKey(shape: shape, kind: kind, precision: precision, effort: effort ?? defaultEffort,
                             inPlace: input == output, unaligned: !aligned)
        return try plan(key)
    }

    /// Plans everything a transform of this shape and kind will need (for a split 2-D
    /// real-to-complex transform, all its batch plans; see ``splitsRealTransforms``), so that
    /// planning time can be paid — and measured — apart from execution.
    /// - Throws: as ``plan(_:)``.
    public func prepare(shape: [Int], kind: FFTTransformKind, precision: FFTPrecision, effort: FFTPlannerEffort? = nil) throws {
        let e = effort ?? defaultEffort
        if kind == .realToComplex && FFTRealTwoD.applies(shape: shape) {
            try FFTRealTwoD.prepare(rows: shape[0], cols: shape[1], precision: precision, effort: e)
        } else {
            _ = try plan(FFTPlanKey(shape: shape, kind: kind, precision: precision, effort: e))
        }
    }

    /// FFTW's alignment of a pointer: 0 when it is aligned like `fftw_malloc` memory.
    static func alignmentOf(_ p: UnsafeRawPointer, _ precision: FFTPrecision) -> Int32 {
        switch precision {
        case .double: return fftw_alignment_of(UnsafeMutablePointer(mutating: p.assumingMemoryBound(to: Double.self)))
        case .float: return fftwf_alignment_of(UnsafeMutablePointer(mutating: p.assumingMemoryBound(to: Float.self)))
        }
    }

    /// Plans on fresh `fftw_malloc` scratch buffers. Caller holds the planner lock.
    private static func makePlan(_ key: FFTPlanKey) -> OpaquePointer? {
        var n = key.shape.map { Int32($0) }
        let rank = Int32(n.count)
        let flags = key.flags
        switch key.precision {
        case .double:
            return withPlanningBuffers(key, allocate: fftw_malloc, free: fftw_free) { inRaw, outRaw in
                switch key.kind {
                case .complexForward, .complexBackward:
                    let sign = key.kind == .complexForward ? FFTWFlags.forward : FFTWFlags.backward
                    return fftw_plan_dft(rank, &n, inRaw.assumingMemoryBound(to: fftw_complex.self),
                                         outRaw.assumingMemoryBound(to: fftw_complex.self), sign, flags)
                case .realToComplex:
                    return fftw_plan_dft_r2c(rank, &n, inRaw.assumingMemoryBound(to: Double.self),
                                             outRaw.assumingMemoryBound(to: fftw_complex.self), flags)
                case .complexToReal:
                    return fftw_plan_dft_c2r(rank, &n, inRaw.assumingMemoryBound(to: fftw_complex.self),
                                             outRaw.assumingMemoryBound(to: Double.self), flags)
                }
            }
        case .float:
            return withPlanningBuffers(key, allocate: fftwf_malloc, free: fftwf_free) { inRaw, outRaw in
                switch key.kind {
                case .complexForward, .complexBackward:
                    let sign = key.kind == .complexForward ? FFTWFlags.forward : FFTWFlags.backward
                    return fftwf_plan_dft(rank, &n, inRaw.assumingMemoryBound(to: fftwf_complex.self),
                                          outRaw.assumingMemoryBound(to: fftwf_complex.self), sign, flags)
                case .realToComplex:
                    return fftwf_plan_dft_r2c(rank, &n, inRaw.assumingMemoryBound(to: Float.self),
                                              outRaw.assumingMemoryBound(to: fftwf_complex.self), flags)
                case .complexToReal:
                    return fftwf_plan_dft_c2r(rank, &n, inRaw.assumingMemoryBound(to: fftwf_complex.self),
                                              outRaw.assumingMemoryBound(to: Float.self), flags)
                }
            }
        }
    }

    /// Scratch input and output buffers for planning `key` (one buffer when in place), from the
    /// precision's FFTW allocator, freed after `body`; nil when the allocation fails.
    private static func withPlanningBuffers(_ key: FFTPlanKey, allocate: (Int) -> UnsafeMutableRawPointer?,
                                            free: (UnsafeMutableRawPointer?) -> Void,
                                            _ body: (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> OpaquePointer?) -> OpaquePointer? {
        guard let inRaw = allocate(max(key.inputBytes, key.outputBytes)) else { return nil }
        defer { free(inRaw) }
        var outRaw: UnsafeMutableRawPointer? = inRaw
        if !key.inPlace { outRaw = allocate(key.outputBytes) }
        guard let outRaw else { return nil }
        defer { if !key.inPlace { free(outRaw) } }
        return body(inRaw, outRaw)
    }
}
