import CFFTW
import CVCore

/// The one place where the typed API meets FFTW: picks a plan for the caller's buffers,
/// executes it, applies the normalization. Concrete Float/Double loops only.
enum FFTCore {
    /// Transforms `input` into `output` (both caller-owned, not overlapping unless in-place).
    /// `shape` is the real-space shape. Complex-to-real input is copied first (FFTW destroys it).
    static func run(kind: FFTTransformKind, shape: [Int], precision: FFTPrecision, norm: FFTNormalization,
                    effort: FFTPlannerEffort?, input: UnsafeRawPointer, output: UnsafeMutableRawPointer) throws {
        let key = FFTPlanKey(shape: shape, kind: kind, precision: precision)
        if kind == .complexToReal {
            let bytes = key.inputBytes
            let scratch = precision == .double ? fftw_malloc(bytes) : fftwf_malloc(bytes)
            guard let scratch else { throw CVError.limitExceeded(source: "FFT", reason: "cannot allocate \(bytes) bytes") }
            defer { precision == .double ? fftw_free(scratch) : fftwf_free(scratch) }
            scratch.copyMemory(from: input, byteCount: bytes)
            if FFTRealTwoD.applies(shape: shape) {
                try FFTRealTwoD.inverse(rows: shape[0], cols: shape[1], precision: precision,
                                        effort: effort ?? FFTPlanner.shared.defaultEffort, spectrum: scratch, output: output)
            } else {
                let plan = try FFTPlanner.shared.plan(shape: shape, kind: kind, precision: precision, effort: effort,
                                                      input: scratch, output: output)
                plan.executeUnchecked(input: scratch, output: output)
            }
        } else if kind == .realToComplex && FFTRealTwoD.applies(shape: shape) {
            try FFTRealTwoD.forward(rows: shape[0], cols: shape[1], precision: precision,
                                    effort: effort ?? FFTPlanner.shared.defaultEffort, input: input, output: output)
        } else {
            let plan = try FFTPlanner.shared.plan(shape: shape, kind: kind, precision: precision, effort: effort,
                                                  input: input, output: output)
            plan.executeUnchecked(input: UnsafeMutableRawPointer(mutating: input), output: output)
        }
        let inverse = kind == .complexBackward || kind == .complexToReal
        let factor = norm.scale(points: key.points, inverse: inverse)
        if factor != 1 {
            let scalars = key.outputCount * (key.outputIsComplex ? 2 : 1)
            scale(output, scalars, factor, precision)
        }
    }

    static func scale(_ p: UnsafeMutableRawPointer, _ n: Int, _ factor: Double, _ precision: FFTPrecision) {
        switch precision {
        case .double:
            let d = p.assumingMemoryBound(to: Double.self)
            for i in 0..<n { d[i] *= factor }
        case .float:
            let d = p.assumingMemoryBound(to: Float.self), f = Float(factor)
            for i in 0..<n { d[i] *= f }
        }
    }

    /// A new array of `count` elements filled by `body` (no zero-fill). Large arrays get huge
    /// pages before the first write: first touching a 4K spectrum in 4 KiB pages costs more in
    /// page faults than the transform (figures in `docs/performance.md`).
    @inline(__always)
    static func makeArray<E>(_ count: Int, _ body: (UnsafeMutableRawPointer) throws -> Void) rethrows -> [E] {
        try [E](unsafeUninitializedCapacity: count) { buf, n in
            PixelMemory.adviseHugePages(UnsafeMutableRawPointer(buf.baseAddress!), byteCount: count * MemoryLayout<E>.stride)
            try body(UnsafeMutableRawPointer(buf.baseAddress!))
            n = count
        }
    }
}
