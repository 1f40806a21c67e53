import CVCore

/// The floating-point types FFTW transforms: `Float` (libfftw3f) and `Double` (libfftw3).
///
/// The protocol only tells the wrappers which FFTW library to call; kernels branch once on
/// ``fftPrecision`` and then run concrete `Float` or `Double` loops.
public protocol FFTScalar: BinaryFloatingPoint, Sendable, Hashable where Self.RawSignificand: FixedWidthInteger {
    /// Which FFTW library transforms arrays of this type.
    static var fftPrecision: FFTPrecision { get }
}

extension Float: FFTScalar {
    public static var fftPrecision: FFTPrecision { .float }
}

extension Double: FFTScalar {
    public static var fftPrecision: FFTPrecision { .double }
}

/// The precision of a transform: single (`fftwf_*`) or double (`fftw_*`).
public enum FFTPrecision: String, Sendable, Hashable, CaseIterable {
    case float, double
}

/// A complex number laid out as FFTW's `fftw_complex` / `fftwf_complex` (real part first),
/// so arrays of it are handed to FFTW without copying.
@frozen
public struct FFTComplex<Real: FFTScalar>: Sendable, Hashable, CustomStringConvertible {
    /// The real part.
    public var real: Real
    /// The imaginary part.
    public var imaginary: Real

    /// `real + i·imaginary`.
    @inlinable
    public init(_ real: Real, _ imaginary: Real = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    /// Zero.
    public static var zero: FFTComplex { FFTComplex(0, 0) }

    /// The modulus `|z| = hypot(re, im)`.
    @inlinable public var magnitude: Real {
        let a = abs(real), b = abs(imaginary)
        let m = max(a, b)
        if m == 0 { return 0 }
        let r = min(a, b) / m
        return m * (1 + r * r).squareRoot()
    }

    /// `|z|²`.
    @inlinable public var squaredMagnitude: Real { real * real + imaginary * imaginary }

    /// The complex conjugate.
    @inlinable public var conjugate: FFTComplex { FFTComplex(real, -imaginary) }

    @inlinable public static func + (a: FFTComplex, b: FFTComplex) -> FFTComplex {
        FFTComplex(a.real + b.real, a.imaginary + b.imaginary)
    }
    @inlinable public static func - (a: FFTComplex, b: FFTComplex) -> FFTComplex {
        FFTComplex(a.real - b.real, a.imaginary - b.imaginary)
    }
    @inlinable public static func * (a: FFTComplex, b: FFTComplex) -> FFTComplex {
        FFTComplex(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
    }
    @inlinable public static func * (a: FFTComplex, s: Real) -> FFTComplex {
        FFTComplex(a.real * s, a.imaginary * s)
    }

    public var description: String {
        imaginary < 0 ? "\(real)-\(-imaginary)i" : "\(real)+\(imaginary)i"
    }
}

/// Complex single precision (NumPy `complex64`).
public typealias ComplexFloat = FFTComplex<Float>
/// Complex double precision (NumPy `complex128`).
public typealias ComplexDouble = FFTComplex<Double>

/// How a transform pair is scaled, exactly as NumPy's `norm=` argument.
///
/// | mode | forward | inverse |
/// |---|---|---|
/// | ``backward`` (default) | 1 | 1/N |
/// | ``ortho`` | 1/√N | 1/√N |
/// | ``forward`` | 1/N | 1 |
///
/// `N` is the number of points of the (real-space) transform: the product of the shape.
/// FFTW itself never scales; the wrappers multiply once after the transform.
public enum FFTNormalization: String, Sendable, Hashable, CaseIterable {
    case backward, ortho, forward

    /// NumPy's default.
    public static let `default` = FFTNormalization.backward

    /// The factor applied after a forward (`inverse == false`) or inverse transform of `n` points.
    public func scale(points n: Int, inverse: Bool) -> Double {
        switch (self, inverse) {
        case (.backward, false), (.forward, true): return 1
        case (.backward, true), (.forward, false): return 1 / Double(n)
        case (.ortho, _): return 1 / Double(n).squareRoot()
        }
    }
}

/// How hard FFTW's planner searches for a fast algorithm (FFTW's planner flags).
///
/// - ``estimate``: heuristics only, planning takes microseconds, arrays are not touched.
/// - ``measure``: times several candidate plans (planning takes milliseconds to seconds, once
///   per shape thanks to the plan cache and wisdom); usually 10–50 % faster execution.
/// - ``patient``: a wider search than ``measure``; much slower planning.
public enum FFTPlannerEffort: String, Sendable, Hashable, CaseIterable {
    case estimate, measure, patient

    /// The library default: ``estimate`` (one-shot calls must not pay seconds of planning).
    public static let `default` = FFTPlannerEffort.estimate

    var flags: UInt32 {
        switch self {
        case .estimate: return FFTWFlags.estimate
        case .measure: return FFTWFlags.measure
        case .patient: return FFTWFlags.patient
        }
    }
}

/// What a plan computes.
public enum FFTTransformKind: String, Sendable, Hashable, CaseIterable {
    /// Complex → complex, `exp(-2πi jk/n)` (FFTW_FORWARD, NumPy `fft`).
    case complexForward
    /// Complex → complex, `exp(+2πi jk/n)`, unscaled (FFTW_BACKWARD, NumPy `ifft` without 1/N).
    case complexBackward
    /// Real → half complex spectrum, the last axis `n/2+1` long (NumPy `rfft`/`rfft2`).
    case realToComplex
    /// Half complex spectrum → real, unscaled (NumPy `irfft`/`irfft2` without 1/N).
    case complexToReal
}

/// FFTW's planner flag values (fftw3.h), spelled out so they do not depend on macro import.
enum FFTWFlags {
    static let measure: UInt32 = 0
    static let destroyInput: UInt32 = 1 << 0
    static let unaligned: UInt32 = 1 << 1
    static let patient: UInt32 = 1 << 5
    static let estimate: UInt32 = 1 << 6
    static let forward: Int32 = -1
    static let backward: Int32 = 1
}
