import CFFTW

/// FFTW's own execute call on a cached 2-D real-to-complex plan, with no wrapper around it:
/// the baseline that `cvtool bench fft-raw` times against ``FFT/rfft2(_:effort:)``. It lives
/// here, at `package` access, so that the tool needs no FFTW import of its own.
package final class FFTRawExecution {
    private let plan: FFTPlan
    private let input: UnsafeMutableRawPointer
    private let output: UnsafeMutableRawPointer
    private let precision: FFTPrecision

    /// Plans (or takes from the cache) the 2-D real-to-complex transform of `plane`'s shape and
    /// copies the plane into FFTW-aligned input memory of the given precision.
    /// - Throws: what ``FFTPlanner/plan(_:)`` throws for the shape.
    package init(_ plane: FFTArray<Double>, precision: FFTPrecision, effort: FFTPlannerEffort) throws {
        let key = FFTPlanKey(shape: plane.shape, kind: .realToComplex, precision: precision, effort: effort)
        plan = try FFTPlanner.shared.plan(key)
        self.precision = precision
        switch precision {
        case .float:
            let i = fftwf_alloc_real(plane.count)!
            for k in 0..<plane.count { i[k] = Float(plane.elements[k]) }
            input = UnsafeMutableRawPointer(i)
            output = UnsafeMutableRawPointer(fftwf_alloc_complex(key.outputCount)!)
        case .double:
            let i = fftw_alloc_real(plane.count)!
            for k in 0..<plane.count { i[k] = plane.elements[k] }
            input = UnsafeMutableRawPointer(i)
            output = UnsafeMutableRawPointer(fftw_alloc_complex(key.outputCount)!)
        }
    }

    deinit {
        switch precision {
        case .float: fftwf_free(input); fftwf_free(output)
        case .double: fftw_free(input); fftw_free(output)
        }
    }

    /// One `fftwf_execute_dft_r2c` / `fftw_execute_dft_r2c` of the plan on the same buffers.
    package func run() {
        plan.executeUnchecked(input: input, output: output)
    }
}
