import Foundation

/// Covariance estimates of the rows of a matrix, as scikit-learn's `sklearn.covariance` computes
/// them: the empirical covariance, a fixed shrinkage towards a scaled identity, and the
/// Ledoit–Wolf shrinkage.
///
/// - Complexity: O(n·d²) (one DSYRK) for n rows of d features; memory O(d²).
/// - Reference: O. Ledoit, M. Wolf, "A well-conditioned estimator for large-dimensional
///   covariance matrices", J. Multivariate Analysis 88(2), 2004, doi:10.1016/S0047-259X(03)00096-4.
enum CovarianceEstimate {
    /// `Σ = XcᵀXc / n` of the centred rows (`empirical_covariance`, `np.cov(X.T, bias=1)`),
    /// `d × d` row-major. `x` is `n × d`.
    static func empirical(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
        var centred = x
        let mean = columnMeans(x, rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { centred[i * d + j] -= mean[j] } }
        return crossProduct(centred, rows: n, columns: d)
    }

    /// `(1 − s)·Σ + s·(tr Σ / d)·I` (`shrunk_covariance`).
    static func shrunk(_ sigma: [Double], columns d: Int, shrinkage s: Double) -> [Double] {
        var out = sigma.map { (1 - s) * $0 }
        var trace = 0.0
        for j in 0..<d { trace += sigma[j * d + j] }
        for j in 0..<d { out[j * d + j] += s * (trace / Double(d)) }
        return out
    }

    /// The Ledoit–Wolf covariance and its shrinkage (`ledoit_wolf(X)`): the rows are centred,
    /// the shrinkage is `min(β, δ)/δ` with β and δ from the squared cross products.
    static func ledoitWolf(_ x: [Double], rows n: Int, columns d: Int) -> (covariance: [Double], shrinkage: Double) {
        var c = x
        let mean = columnMeans(x, rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { c[i * d + j] -= mean[j] } }
        let emp = crossProduct(c, rows: n, columns: d)
        // One feature: scikit-learn returns the variance unshrunk.
        guard d > 1 else { return (emp, 0) }
        let s = ledoitWolfShrinkage(centred: c, covariance: emp, rows: n, columns: d)
        return (shrunk(emp, columns: d, shrinkage: s), s)
    }

    /// `ledoit_wolf_shrinkage` on centred rows whose covariance `emp` is known.
    private static func ledoitWolfShrinkage(centred c: [Double], covariance emp: [Double], rows n: Int, columns d: Int) -> Double {
        let nn = Double(n), dd = Double(d)
        var traceSum = 0.0
        for j in 0..<d { traceSum += emp[j * d + j] }
        let mu = traceSum / dd
        // Σ_jk (Σ_i x_ij² x_ik²) = Σ_i ‖x_i‖⁴; Σ_jk (XᵀX)_jk² = n²·‖Σ‖_F².
        var betaSum = 0.0
        for i in 0..<n {
            var r = 0.0
            for j in 0..<d { r += c[i * d + j] * c[i * d + j] }
            betaSum += r * r
        }
        var deltaSum = 0.0
        for v in emp { deltaSum += v * v }
        var beta = 1.0 / (dd * nn) * (betaSum / nn - deltaSum)
        let delta = (deltaSum - 2 * mu * traceSum + dd * mu * mu) / dd
        beta = min(beta, delta)
        return beta == 0 ? 0 : beta / delta
    }

    /// Means of the columns.
    static func columnMeans(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
        var m = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { m[j] += x[i * d + j] } }
        return m.map { $0 / Double(max(n, 1)) }
    }

    /// `XᵀX / n` (full symmetric `d × d`) through DSYRK.
    static func crossProduct(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: d * d)
        guard n > 0 else { return out }
        x.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { c in
                Double.syrkAtA(n: d, k: n, alpha: 1 / Double(n), a: a.baseAddress!, lda: d, beta: 0, c: c.baseAddress!, ldc: d)
            }
        }
        for j in 0..<d { for k in 0..<j { out[j * d + k] = out[k * d + j] } }
        return out
    }
}
