import CVTransform
import Foundation

/// Slow, readable reference implementations that the tests compare the fast paths against.
/// O(N²) DFT and O(N·K) direct convolution, in Double, straight from the definitions.
package enum FFTReference {
    /// `X[k] = Σ_j x[j] exp(∓2πi j·k / n)` over both axes of a `[rows, cols]` (or `[n]`) array;
    /// `sign = −1` forward, `+1` backward (unscaled).
    package static func dft(_ x: [FFTComplex<Double>], shape: [Int], sign: Double) -> [FFTComplex<Double>] {
        let rows = shape.count == 2 ? shape[0] : 1, cols = shape[shape.count - 1]
        var out = [FFTComplex<Double>](repeating: .zero, count: x.count)
        for u in 0..<rows {
            for v in 0..<cols {
                var acc = FFTComplex<Double>.zero
                for r in 0..<rows {
                    for c in 0..<cols {
                        // Reduce the phase index modulo the size first so the angle stays exact.
                        let phase = 2 * Double.pi * (Double((u * r) % rows) / Double(rows) + Double((v * c) % cols) / Double(cols))
                        acc = acc + x[r * cols + c] * FFTComplex(cos(phase), sign * sin(phase))
                    }
                }
                out[u * cols + v] = acc
            }
        }
        return out
    }

    /// Full linear convolution `y[i] = Σ_j x[j] k[i − j]` of 2-D arrays (zeros outside).
    package static func convolveFull(_ x: [Double], _ xs: (Int, Int), _ k: [Double], _ ks: (Int, Int)) -> ([Double], (Int, Int)) {
        let (h, w) = (xs.0 + ks.0 - 1, xs.1 + ks.1 - 1)
        var y = [Double](repeating: 0, count: h * w)
        for r in 0..<xs.0 {
            for c in 0..<xs.1 {
                let v = x[r * xs.1 + c]
                for i in 0..<ks.0 { for j in 0..<ks.1 { y[(r + i) * w + c + j] += v * k[i * ks.1 + j] } }
            }
        }
        return (y, (h, w))
    }
}
