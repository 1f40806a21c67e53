import Foundation

/// Continuous interpolation kernels of the generic separable engine.
///
/// Each kernel is evaluated in Double at offsets measured in (possibly widened) source pixels.
/// The Pillow kernels follow Pillow's definitions exactly, including its half-open box
/// `(-0.5, 0.5]`, its Lanczos window `[-3, 3)` and its Hamming constants held in single
/// precision, because the weights are quantised afterwards and every last bit counts.
enum ResizeKernel: Sendable, Hashable {
    case box, triangle, hamming, keys(a: Double), lanczos(lobes: Int), mitchellNetravali(b: Double, c: Double)

    /// Half-width of the kernel in source pixels at scale 1.
    var support: Double {
        switch self {
        case .box: return 0.5
        case .triangle, .hamming: return 1
        case .keys, .mitchellNetravali: return 2
        case .lanczos(let n): return Double(n)
        }
    }

    /// The kernel value at `x`.
    @inline(__always)
    func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .triangle:
            let ax = abs(x)
            return ax < 1 ? 1 - ax : 0
        case .hamming:
            let ax = abs(x)
            if ax == 0 { return 1 }
            if ax >= 1 { return 0 }
            let t = ax * Double.pi
            // Pillow writes the window constants as float literals (0.54f, 0.46f).
            return sin(t) / t * (Double(Float(0.54)) + Double(Float(0.46)) * cos(t))
        case .keys(let a):
            let ax = abs(x)
            if ax < 1 { return ((a + 2) * ax - (a + 3)) * ax * ax + 1 }
            if ax < 2 { return (((ax - 5) * ax + 8) * ax - 4) * a }
            return 0
        case .lanczos(let n):
            let support = Double(n)
            guard -support <= x && x < support else { return 0 }
            return Self.sinc(x) * Self.sinc(x / support)
        case .mitchellNetravali(let b, let c):
            let ax = abs(x)
            if ax < 1 {
                return ((12 - 9 * b - 6 * c) * ax * ax * ax + (-18 + 12 * b + 6 * c) * ax * ax + (6 - 2 * b)) / 6
            }
            if ax < 2 {
                return ((-b - 6 * c) * ax * ax * ax + (6 * b + 30 * c) * ax * ax + (-12 * b - 48 * c) * ax + (8 * b + 24 * c)) / 6
            }
            return 0
        }
    }

    @inline(__always)
    static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let t = x * Double.pi
        return sin(t) / t
    }

    /// The kernel the generic engine and Pillow mode use for `filter` on one axis.
    /// `.auto` picks Lanczos-3 when the axis shrinks and Catmull-Rom when it grows.
    static func generic(_ filter: ResizeFilter, shrinking: Bool) -> ResizeKernel {
        switch filter {
        case .box, .area: return .box
        case .bilinear: return .triangle
        case .hamming: return .hamming
        case .bicubic, .catmullRom: return .keys(a: -0.5)
        case .lanczos3: return .lanczos(lobes: 3)
        case .lanczos4: return .lanczos(lobes: 4)
        case .mitchell: return .mitchellNetravali(b: 1.0 / 3.0, c: 1.0 / 3.0)
        case .auto: return shrinking ? .lanczos(lobes: 3) : .keys(a: -0.5)
        case .nearest, .nearestExact: return .box
        }
    }
}

/// OpenCV's fixed-size interpolation coefficients (imgproc/src/resize.cpp), computed in
/// single precision in the same order so that the 11-bit fixed-point values match.
enum OpenCVCoefficients {
    static let coefBits = 11
    static let coefScale = Float(1 << coefBits)

    /// Keys cubic with a = −0.75; the fourth weight closes the sum to one.
    static func cubic(_ x: Float, into c: inout [Float]) {
        let a: Float = -0.75
        let x1 = x + 1
        c[0] = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
        c[1] = ((a + 2) * x - (a + 3)) * x * x + 1
        let y = 1 - x
        c[2] = ((a + 2) * y - (a + 3)) * y * y + 1
        c[3] = 1 - c[0] - c[1] - c[2]
    }

    private static let s45 = 0.70710678118654752440084436210485
    private static let cs: [(Double, Double)] = [(1, 0), (-s45, -s45), (0, 1), (s45, -s45), (-1, 0), (s45, s45), (0, -1), (-s45, s45)]

    /// Lanczos with 4 lobes on 8 taps, normalised to sum one (single-precision sum).
    static func lanczos4(_ x: Float, into c: inout [Float]) {
        let y0 = -(Double(x) + 3) * Double.pi * 0.25
        let s0 = sin(y0), c0 = cos(y0)
        var sum: Float = 0
        for i in 0..<8 {
            let yi = x + 3 - Float(i)
            if abs(yi) >= 1e-6 {
                let y = -Double(yi) * Double.pi * 0.25
                c[i] = Float((cs[i].0 * s0 + cs[i].1 * c0) / (y * y))
            } else {
                c[i] = 1e30
            }
            sum += c[i]
        }
        let inv = 1 / sum
        for i in 0..<8 { c[i] *= inv }
    }

    /// `saturate_cast<short>(v * 2048)`: round to nearest even, saturate.
    @inline(__always)
    static func fixed(_ v: Float) -> Int32 {
        let r = (v * coefScale).rounded(.toNearestOrEven)
        return Int32(max(-32768, min(32767, r)))
    }
}
