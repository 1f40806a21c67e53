import CFFTW
import CVCore

/// Everything that distinguishes one FFTW plan from another; the key of the plan cache.
///
/// Two requests with equal keys share one plan. `effort` and `unaligned` together make up
/// FFTW's planner flags (see ``flags``).
public struct FFTPlanKey: Sendable, Hashable, CustomStringConvertible {
    /// `[n]` or `[rows, columns]`: the real-space shape (for `complexToReal`, the shape of the
    /// real output; its complex input has `columns/2+1` columns).
    public var shape: [Int]
    /// What the plan computes.
    public var kind: FFTTransformKind
    /// Float or Double.
    public var precision: FFTPrecision
    /// Planner effort (FFTW_ESTIMATE / FFTW_MEASURE / FFTW_PATIENT).
    public var effort: FFTPlannerEffort
    /// Input and output are the same buffer (complex transforms only).
    public var inPlace: Bool
    /// Planned with FFTW_UNALIGNED, so it runs on buffers of any alignment (slightly slower SIMD).
    public var unaligned: Bool

    public init(shape: [Int], kind: FFTTransformKind, precision: FFTPrecision,
                effort: FFTPlannerEffort = .default, inPlace: Bool = false, unaligned: Bool = false) {
        self.shape = shape
        self.kind = kind
        self.precision = precision
        self.effort = effort
        self.inPlace = inPlace
        self.unaligned = unaligned
    }

    /// FFTW planner flags of this key.
    public var flags: UInt32 {
        var f = effort.flags
        if unaligned { f |= FFTWFlags.unaligned }
        if kind == .complexToReal { f |= FFTWFlags.destroyInput }
        return f
    }

    /// Real-space points `N` (the product of the shape).
    public var points: Int { shape.reduce(1, *) }

    /// Elements of the input buffer (real or complex elements depending on ``kind``).
    public var inputCount: Int {
        switch kind {
        case .complexForward, .complexBackward, .realToComplex: return points
        case .complexToReal: return halfSpectrumCount
        }
    }

    /// Elements of the output buffer (real or complex elements depending on ``kind``).
    public var outputCount: Int {
        switch kind {
        case .complexForward, .complexBackward, .complexToReal: return points
        case .realToComplex: return halfSpectrumCount
        }
    }

    /// Complex elements of a half spectrum: `points / last * (last/2 + 1)`.
    public var halfSpectrumCount: Int {
        let last = shape[shape.count - 1]
        return points / last * (last / 2 + 1)
    }

    var inputIsComplex: Bool { kind != .realToComplex }
    var outputIsComplex: Bool { kind != .complexToReal }
    var scalarBytes: Int { precision == .double ? 8 : 4 }
    var inputBytes: Int { inputCount * scalarBytes * (inputIsComplex ? 2 : 1) }
    var outputBytes: Int { outputCount * scalarBytes * (outputIsComplex ? 2 : 1) }

    public var description: String {
        "\(kind.rawValue) \(shape.map(String.init).joined(separator: "x")) \(precision.rawValue) \(effort.rawValue)"
            + (inPlace ? " in-place" : "") + (unaligned ? " unaligned" : "")
    }
}

/// An FFTW plan, created by ``FFTPlanner`` and shared through its cache.
///
/// A plan is immutable and may be executed from many threads at once on different buffers
/// (FFTW's new-array execute functions are thread-safe; only planning is not).
public final class FFTPlan: @unchecked Sendable {
    /// What the plan computes.
    public let key: FFTPlanKey
    /// Wall-clock seconds FFTW's planner took to make this plan.
    public let planningSeconds: Double
    /// The `fftw_plan` / `fftwf_plan` handle. Valid while the plan object lives.
    public let handle: OpaquePointer

    init(key: FFTPlanKey, handle: OpaquePointer, planningSeconds: Double) {
        self.key = key
        self.handle = handle
        self.planningSeconds = planningSeconds
    }

    deinit {
        FFTPlanner.withPlannerLock {
            switch key.precision {
            case .double: fftw_destroy_plan(handle)
            case .float: fftwf_destroy_plan(handle)
            }
        }
    }

    /// True when the plan may run on these buffers: same in-place-ness as planned and, unless
    /// the plan is ``FFTPlanKey/unaligned``, both buffers SIMD-aligned as FFTW's own
    /// `fftw_malloc` memory (`fftw_alignment_of == 0`).
    public func accepts(input: UnsafeRawPointer, output: UnsafeRawPointer) -> Bool {
        guard (input == output) == key.inPlace else { return false }
        if key.unaligned { return true }
        return FFTPlanner.alignmentOf(input, key.precision) == 0 && FFTPlanner.alignmentOf(output, key.precision) == 0
    }

    /// Runs the transform from `input` to `output` (raw FFTW: no normalization).
    ///
    /// - Parameters:
    ///   - input: ``FFTPlanKey/inputCount`` elements (`Float`/`Double` for real-to-complex,
    ///     ``FFTComplex`` otherwise). Not modified, except by complex-to-real plans, which
    ///     overwrite their input (FFTW_DESTROY_INPUT).
    ///   - output: ``FFTPlanKey/outputCount`` elements.
    /// - Precondition: ``accepts(input:output:)`` is true.
    /// - Complexity: O(N log N) for every N, prime sizes included.
    public func execute(input: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer) {
        precondition(accepts(input: input, output: output),
                     "buffers do not match the plan \(key) (alignment or in-place); ask FFTPlanner for a plan for these buffers")
        executeUnchecked(input: input, output: output)
    }

    @inline(__always)
    func executeUnchecked(input: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer) {
        switch key.precision {
        case .double:
            switch key.kind {
            case .complexForward, .complexBackward:
                fftw_execute_dft(handle, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: fftw_complex.self))
            case .realToComplex:
                fftw_execute_dft_r2c(handle, input.assumingMemoryBound(to: Double.self), output.assumingMemoryBound(to: fftw_complex.self))
            case .complexToReal:
                fftw_execute_dft_c2r(handle, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: Double.self))
            }
        case .float:
            switch key.kind {
            case .complexForward, .complexBackward:
                fftwf_execute_dft(handle, input.assumingMemoryBound(to: fftwf_complex.self), output.assumingMemoryBound(to: fftwf_complex.self))
            case .realToComplex:
                fftwf_execute_dft_r2c(handle, input.assumingMemoryBound(to: Float.self), output.assumingMemoryBound(to: fftwf_complex.self))
            case .complexToReal:
                fftwf_execute_dft_c2r(handle, input.assumingMemoryBound(to: fftwf_complex.self), output.assumingMemoryBound(to: Float.self))
            }
        }
    }
}
