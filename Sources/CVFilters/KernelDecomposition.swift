import CVCore

/// One separable term of a kernel: the outer product `column · rowᵀ`, run as a 1-D pass along x
/// (``row``) and one along y (``column``).
public struct SeparableTerm: Sendable, Hashable {
    /// Taps along x (the kernel's width).
    public var row: [Double]
    /// Taps along y (the kernel's height).
    public var column: [Double]
    /// The singular value this term carries (its share of the kernel).
    public var singularValue: Double
}

extension Kernel {
    /// Default relative tolerance of ``separableTerms(tolerance:)``: singular values at most
    /// 1e-6 of the largest are dropped. The kernel rebuilt from the kept terms is then within
    /// 1e-6·√(min(width, height)) of the original in the 2-norm, relative — below what Float
    /// filtering resolves on 8-bit output, and within Float rounding of most Float results.
    public static let defaultRankTolerance = 1e-6

    /// The kernel as a sum of r separable terms, r its numerical rank: the singular value
    /// decomposition K = Σ σᵢ uᵢ vᵢᵀ, keeping σᵢ > tolerance·σ₁. Each term's column is
    /// √σᵢ·uᵢ and its row √σᵢ·vᵢ (balanced magnitudes for Float passes). A Gaussian, a box or a
    /// Sobel kernel gives one term; Gaussian + Laplacian-of-Gaussian two.
    ///
    /// The SVD is a one-sided Jacobi iteration (Hestenes 1958) in Double, written here rather
    /// than taken from LAPACK so that CVFilters keeps no BLAS dependency: kernels are at most
    /// 128 × 128, where a few sweeps of plane rotations cost microseconds to milliseconds.
    ///
    /// - Parameter tolerance: relative cut-off for singular values; default
    ///   ``defaultRankTolerance``. Must be in [0, 1).
    /// - Returns: the terms, largest singular value first (empty for an all-zero kernel).
    /// - Precondition: `tolerance` is finite and in [0, 1).
    /// - Complexity: O(sweeps · min(w, h)² · max(w, h)), sweeps ≤ 60 (typically 5–10).
    public func separableTerms(tolerance: Double = Kernel.defaultRankTolerance) -> [SeparableTerm] {
        precondition(tolerance >= 0 && tolerance < 1, "tolerance must be in [0, 1)")
        // Rotate the columns of the taller orientation so the rotations act on the short side.
        let transposed = width > height
        let m = transposed ? width : height, n = transposed ? height : width
        var a = [Double](repeating: 0, count: m * n)  // column-major m×n
        for y in 0..<height {
            for x in 0..<width {
                let (i, j) = transposed ? (x, y) : (y, x)
                a[j * m + i] = self[x, y]
            }
        }
        let v = Self.jacobiRotateColumns(&a, rows: m, columns: n)
        return Self.terms(a: a, v: v, rows: m, columns: n, tolerance: tolerance, transposed: transposed)
    }

    /// One-sided Jacobi: rotates column pairs of `a` (column-major m×n) until they are
    /// orthogonal; returns the accumulated n×n rotation V (column-major), so a_initial = a·Vᵀ.
    private static func jacobiRotateColumns(_ a: inout [Double], rows m: Int, columns n: Int) -> [Double] {
        var v = [Double](repeating: 0, count: n * n)
        for j in 0..<n { v[j * n + j] = 1 }
        for _ in 0..<60 {
            var rotated = false
            for p in 0..<max(n - 1, 0) {
                for q in (p + 1)..<n {
                    var alpha = 0.0, beta = 0.0, gamma = 0.0
                    for i in 0..<m {
                        let x = a[p * m + i], y = a[q * m + i]
                        alpha += x * x; beta += y * y; gamma += x * y
                    }
                    // Orthogonal to Double precision: skip (this is the convergence test).
                    guard gamma != 0, abs(gamma) > 1e-15 * (alpha * beta).squareRoot() else { continue }
                    rotated = true
                    let zeta = (beta - alpha) / (2 * gamma)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = c * t
                    rotate(&a, p * m, q * m, count: m, c: c, s: s)
                    rotate(&v, p * n, q * n, count: n, c: c, s: s)
                }
            }
            if !rotated { break }
        }
        return v
    }

    private static func rotate(_ x: inout [Double], _ p: Int, _ q: Int, count: Int, c: Double, s: Double) {
        for i in 0..<count {
            let xp = x[p + i], xq = x[q + i]
            x[p + i] = c * xp - s * xq
            x[q + i] = s * xp + c * xq
        }
    }

    /// After the rotations, column j of `a` is σⱼuⱼ and column j of `v` is vⱼ: K = Σ σⱼ uⱼ vⱼᵀ.
    private static func terms(a: [Double], v: [Double], rows m: Int, columns n: Int, tolerance: Double,
                              transposed: Bool) -> [SeparableTerm] {
        let sigma = (0..<n).map { j in (0..<m).reduce(0.0) { $0 + a[j * m + $1] * a[j * m + $1] }.squareRoot() }
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] }
        guard let top = order.first.map({ sigma[$0] }), top > 0 else { return [] }
        return order.prefix { sigma[$0] > tolerance * top }.map { j in
            let s = sigma[j], root = s.squareRoot()
            let u = (0..<m).map { a[j * m + $0] / s * root }      // along the long side
            let w = (0..<n).map { v[j * n + $0] * root }          // along the short side
            return transposed ? SeparableTerm(row: u, column: w, singularValue: s)
                              : SeparableTerm(row: w, column: u, singularValue: s)
        }
    }
}
