import CVCore
import Foundation

/// 1-D Gaussian kernels built exactly as the anchors build them.
///
/// - ``opencvSize(sigma:depth:)`` and ``opencvTaps(size:sigma:)`` follow OpenCV's
///   `createGaussianKernels` / `getGaussianKernelBitExact` (imgproc/src/smooth.dispatch.cpp):
///   the kernel size rule `round(σ·(UInt8 ? 3 : 4)·2 + 1) | 1`, σ from the size as
///   `0.3·((k−1)·0.5 − 1) + 0.8`, and the exact binomial tables for k ≤ 9 when σ ≤ 0.
/// - ``opencvFixedPoint(size:sigma:fractionBits:)`` rounds the taps to fixed point with error
///   diffusion and puts the remainder in the centre tap, so the taps sum to exactly
///   `1 << fractionBits` (OpenCV's `getGaussianKernelFixedPoint_ED`).
/// - ``scipyTaps(sigma:truncate:)`` is `scipy.ndimage.gaussian_filter`'s kernel (radius
///   `Int(truncate·σ + 0.5)`), used by scikit-image's `filters.gaussian`.
public enum GaussianKernel {
    /// OpenCV's kernel size for a σ: `round(σ·(UInt8 ? 3 : 4)·2 + 1) | 1`.
    public static func opencvSize(sigma: Double, depth: PixelDepth) -> Int {
        let factor: Double = depth == .uint8 ? 3 : 4
        return Int((sigma * factor * 2 + 1).rounded(.toNearestOrEven)) | 1
    }

    /// The σ OpenCV uses when only a size is given: `0.3·((k−1)·0.5 − 1) + 0.8`.
    public static func opencvSigma(size: Int) -> Double {
        0.35.addingProduct(Double(size), 0.15)
    }

    /// OpenCV's double-precision taps (sum 1). `sigma <= 0` derives σ from `size`, and sizes
    /// 1, 3, 5, 7, 9 then use OpenCV's exact binomial-like tables.
    public static func opencvTaps(size n: Int, sigma: Double) -> [Double] {
        precondition(n > 0)
        if sigma <= 0 {
            switch n {
            case 1: return [1]
            case 3: return [0.25, 0.5, 0.25]
            case 5: return [0.0625, 0.25, 0.375, 0.25, 0.0625]
            case 7: return [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125]
            case 9: return [4, 13, 30, 51, 60, 51, 30, 13, 4].map { Double($0) / 256 }
            default: break
            }
        }
        let s = sigma > 0 ? sigma : opencvSigma(size: n)
        let scale2X = -0.125 / (s * s)
        let half = (n - 1) / 2
        var values = [Double](repeating: 0, count: half)
        var sum = 0.0
        var x = 1 - n
        for i in 0..<half {
            let t = exp(Double(x * x) * scale2X)
            values[i] = t
            sum += t
            x += 2
        }
        sum *= 2
        sum += 1
        if n & 1 == 0 { sum += 1 }
        let mul = 1 / sum
        var result = [Double](repeating: 0, count: n)
        for i in 0..<half {
            result[i] = values[i] * mul
            result[n - 1 - i] = result[i]
        }
        result[half] = mul
        if n & 1 == 0 { result[half + 1] = mul }
        return result
    }

    /// OpenCV's fixed-point taps: error-diffused rounding of ``opencvTaps(size:sigma:)`` to
    /// `fractionBits` bits, centre tap = `(1 << fractionBits) − Σ others`.
    /// UInt8 images use 8 bits (`ufixedpoint16`), UInt16 images 16 bits (`ufixedpoint32`).
    public static func opencvFixedPoint(size n: Int, sigma: Double, fractionBits: Int) -> [Int64] {
        precondition(n & 1 == 1, "fixed-point Gaussian kernels have odd size")
        let taps = opencvTaps(size: n, sigma: sigma)
        let one = Int64(1) << fractionBits
        let multiplier = Double(one)
        var result = [Int64](repeating: 0, count: n)
        let half = n / 2
        var err = 0.0
        var sum: Int64 = 0
        for i in 0..<half {
            let adjusted = taps[i] * multiplier + err
            let v = Int64(adjusted.rounded(.toNearestOrEven))
            err = adjusted - Double(v)
            result[i] = v
            result[n - 1 - i] = v
            sum += v
        }
        result[half] = one - 2 * sum
        return result
    }

    /// `scipy.ndimage.gaussian_filter`'s taps: radius `Int(truncate·σ + 0.5)`,
    /// `exp(−x²/(2σ²))` normalized to sum 1 (computed in Double).
    public static func scipyTaps(sigma: Double, truncate: Double) -> [Double] {
        let radius = Int(truncate * sigma + 0.5)
        if sigma <= 0 || radius == 0 { return [1] }
        let s2 = sigma * sigma
        var w = (-radius...radius).map { exp(-0.5 / s2 * Double($0 * $0)) }
        let total = w.reduce(0, +)
        for i in w.indices { w[i] /= total }
        return w
    }
}
