import CLAPACK
import Foundation

/// The training rows of an LDA fit in `Double`, with their classes.
struct LDAData {
    let x: [Double]
    let rows: Int
    let columns: Int
    let labels: [Int]
    let classCount: Int
    var counts: [Int] {
        var c = [Int](repeating: 0, count: classCount)
        for l in labels { c[l] += 1 }
        return c
    }

    /// The refusals of scikit-learn's `fit`, one line each.
    func check() throws {
        guard classCount >= 2 else {
            throw LearnError.invalidData(reason: "linear discriminant analysis needs at least two classes, the labels hold \(classCount)")
        }
        guard rows > classCount else {
            throw LearnError.invalidData(reason: "linear discriminant analysis needs more samples (\(rows)) than classes (\(classCount))")
        }
        if let empty = counts.firstIndex(of: 0) {
            throw LearnError.invalidData(reason: "class \(empty) has no samples")
        }
    }

    /// Class means, `classCount × columns` (rows added in order, then divided: `_class_means`).
    func classMeans() -> [Double] {
        let d = columns
        var m = [Double](repeating: 0, count: classCount * d)
        for i in 0..<rows { let c = labels[i]; for j in 0..<d { m[c * d + j] += x[i * d + j] } }
        let n = counts
        for c in 0..<classCount { for j in 0..<d { m[c * d + j] /= Double(n[c]) } }
        return m
    }

    /// The rows of class `c`, in order.
    func rows(ofClass c: Int) -> (x: [Double], count: Int) {
        var out: [Double] = []
        var k = 0
        for i in 0..<rows where labels[i] == c { out.append(contentsOf: x[(i * columns)..<((i + 1) * columns)]); k += 1 }
        return (out, k)
    }
}

/// The two fits of `LinearDiscriminantAnalysis`, step for step as scikit-learn's `_solve_svd`
/// and `_solve_eigen`.
enum LDASolvers {
    struct Fit {
        var center: [Double]
        var scalings: [Double]
        var outputCount: Int
        var explainedVarianceRatio: [Double]
        var coef: [Double]
        var intercept: [Double]
    }

    /// `_solve_svd`: whitening SVD of the scaled within-class residuals, then the SVD of the
    /// weighted class means in the whitened space.
    static func svd(_ data: LDAData, means: [Double], priors: [Double], tolerance: Double, maxComponents: Int) throws -> Fit {
        let d = data.columns, n = data.rows, C = data.classCount
        let xbar = (0..<d).map { j in (0..<C).reduce(0.0) { $0 + priors[$1] * means[$1 * d + j] } }
        // 1–2. Whitening of the standardised within-class residuals: their singular values
        // and right singular vectors, the standard deviations beside them.
        let first = try whitening(data, means: means)
        let std = first.std
        let rank = first.s.filter { $0 > tolerance }.count
        guard rank >= 1 else { throw LearnError.invalidData(reason: "the within-class residuals have rank 0 (every feature is constant within classes)") }
        var white = [Double](repeating: 0, count: d * rank)
        for j in 0..<d { for r in 0..<rank { white[j * rank + r] = first.vt[r * d + j] / std[j] / first.s[r] } }
        // 3. Weighted class means in the whitened space, C × rank, and their SVD.
        let classFac = C == 1 ? 1.0 : 1.0 / Double(C - 1)
        var centred = [Double](repeating: 0, count: C * d)
        for c in 0..<C {
            let w = (Double(n) * priors[c] * classFac).squareRoot()
            for j in 0..<d { centred[c * d + j] = w * (means[c * d + j] - xbar[j]) }
        }
        let m = multiply(centred, C, d, white, rank)
        let second = try Decompositions.svd(m, m: C, n: rank)
        let total = second.s.reduce(0.0) { $0 + $1 * $1 }
        let evr = Array(second.s.map { $0 * $0 / total }.prefix(maxComponents))
        let rank2 = second.s.filter { $0 > tolerance * second.s[0] }.count
        // 4. scalings_ = whitening · Vt₂ᵀ[:, :rank2], d × rank2.
        var vt2T = [Double](repeating: 0, count: rank * rank2)
        for a in 0..<rank { for b in 0..<rank2 { vt2T[a * rank2 + b] = second.vt[b * rank + a] } }
        let scalingsAll = multiply(white, d, rank, vt2T, rank2)
        // 5. coef = (means − x̄)·scalings_; intercept = −½‖coef‖² + log prior; coef_ = coef·scalings_ᵀ.
        var mc = means
        for c in 0..<C { for j in 0..<d { mc[c * d + j] -= xbar[j] } }
        let proj = multiply(mc, C, d, scalingsAll, rank2)
        var intercept = (0..<C).map { c in -0.5 * (0..<rank2).reduce(0.0) { $0 + proj[c * rank2 + $1] * proj[c * rank2 + $1] } + log(priors[c]) }
        let coef = multiply(proj, C, rank2, transpose(scalingsAll, d, rank2), d)
        for c in 0..<C { intercept[c] -= (0..<d).reduce(0.0) { $0 + xbar[$1] * coef[c * d + $1] } }
        let out = min(rank2, maxComponents)
        return Fit(center: xbar, scalings: firstColumns(scalingsAll, d, rank2, out), outputCount: out,
                   explainedVarianceRatio: evr, coef: coef, intercept: intercept)
    }

    /// The first SVD of `_solve_svd`: S and Vt of √(1/n)·(Xc / std), Xc the residuals from the
    /// class means and std their population standard deviation per feature (0 → 1).
    ///
    /// The residuals are written column-major (blocks of rows transposed through the cache)
    /// while their sums and squares accumulate, each column is scaled in place, and `dgesvd`
    /// computes S and Vt only (a QR factorisation and the SVD of the d × d factor: no n × d
    /// left singular vectors, no transposed copy inside LAPACKE).
    static func whitening(_ data: LDAData, means: [Double]) throws -> (s: [Double], vt: [Double], std: [Double]) {
        let d = data.columns, n = data.rows
        var xc = [Double](repeating: 0, count: n * d)
        var sum = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        residualColumns(data, means: means, into: &xc, sum: &sum, squares: &squares)
        let std = (0..<d).map { j -> Double in
            let mean = sum[j] / Double(n), s = max(0, squares[j] / Double(n) - mean * mean).squareRoot()
            return s == 0 ? 1 : s
        }
        let fac = (1.0 / Double(n)).squareRoot()
        xc.withUnsafeMutableBufferPointer { c in
            for j in 0..<d {
                let f = fac / std[j], column = c.baseAddress! + j * n
                for i in 0..<n { column[i] *= f }
            }
        }
        let k = min(n, d)
        var s = [Double](repeating: 0, count: k), vtColumns = [Double](repeating: 0, count: k * d)
        var u = [Double](repeating: 0, count: 1), superb = [Double](repeating: 0, count: max(k - 1, 1))
        let info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "S")), LapackInt(n), LapackInt(d),
                                  &xc, LapackInt(n), &s, &u, 1, &vtColumns, LapackInt(k), &superb)
        guard info == 0 else { throw LearnError.invalidData(reason: "LAPACK dgesvd failed (info \(info)); is the data finite?") }
        var vt = [Double](repeating: 0, count: k * d)
        for r in 0..<k { for j in 0..<d { vt[r * d + j] = vtColumns[r + j * k] } }
        return (s, vt, std)
    }

    /// Xc column-major (`xc[j·n + i]`), with the per-column sums and sums of squares.
    private static func residualColumns(_ data: LDAData, means: [Double], into xc: inout [Double], sum: inout [Double], squares: inout [Double]) {
        let d = data.columns, n = data.rows, block = 64
        data.x.withUnsafeBufferPointer { x in
            xc.withUnsafeMutableBufferPointer { c in
                means.withUnsafeBufferPointer { m in
                    for start in stride(from: 0, to: n, by: block) {
                        let end = min(start + block, n)
                        for j in 0..<d {
                            let column = c.baseAddress! + j * n
                            var s = 0.0, q = 0.0
                            for i in start..<end {
                                let v = x[i * d + j] - m[data.labels[i] * d + j]
                                column[i] = v; s += v; q += v * v
                            }
                            sum[j] += s; squares[j] += q
                        }
                    }
                }
            }
        }
    }

    /// `_solve_eigen`: Sb·v = λ·Sw·v with Sw the prior-weighted class covariances and
    /// Sb = St − Sw, each covariance shrunk as `_cov` does.
    static func eigen(_ data: LDAData, means: [Double], priors: [Double], shrinkage: LinearDiscriminantAnalysis.Shrinkage?,
                      maxComponents: Int) throws -> Fit {
        let d = data.columns, C = data.classCount
        var sw = [Double](repeating: 0, count: d * d)
        for c in 0..<C {
            let (xc, nc) = data.rows(ofClass: c)
            let cov = covariance(xc, rows: nc, columns: d, shrinkage: shrinkage)
            for t in 0..<(d * d) { sw[t] += priors[c] * cov[t] }
        }
        let st = covariance(data.x, rows: data.rows, columns: d, shrinkage: shrinkage)
        var sb = zip(st, sw).map { $0 - $1 }
        // 1. The generalized symmetric-definite problem (scipy.linalg.eigh(Sb, Sw): dsygvd, lower).
        var b = sw
        var w = [Double](repeating: 0, count: d)
        let info = LAPACKE_dsygvd(LAPACK_ROW_MAJOR, 1, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), LapackInt(d), &sb, LapackInt(d),
                                  &b, LapackInt(d), &w)
        guard info == 0 else {
            throw LearnError.invalidData(reason: info > d
                ? "the within-class covariance is singular (LAPACK dsygvd info \(info)); use --shrinkage auto or a value in (0, 1]"
                : "LAPACK dsygvd failed (info \(info))")
        }
        // 2. Decreasing eigenvalues; the vectors (columns of sb) in that order.
        let order = Array((0..<d).reversed())
        let sum = w.reduce(0, +)
        // scikit-learn sorts the ratios, not the eigenvalues (they differ when the sum is < 0).
        let evr = Array(w.map { $0 / sum }.sorted(by: >).prefix(maxComponents))
        var vecs = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for (k, src) in order.enumerated() { vecs[i * d + k] = sb[i * d + src] } }
        // 3. coef_ = means·V·Vᵀ, intercept = −½ diag(means·coef_ᵀ) + log prior.
        let coef = multiply(multiply(means, C, d, vecs, d), C, d, transpose(vecs, d, d), d)
        let intercept = (0..<C).map { c in -0.5 * (0..<d).reduce(0.0) { $0 + means[c * d + $1] * coef[c * d + $1] } + log(priors[c]) }
        let out = maxComponents
        return Fit(center: [Double](repeating: 0, count: d), scalings: firstColumns(vecs, d, d, out), outputCount: out,
                   explainedVarianceRatio: evr, coef: coef, intercept: intercept)
    }

    /// scikit-learn's binary reduction: one row `coef₁ − coef₀`, one intercept `b₁ − b₀`.
    static func binary(_ coef: [Double], _ intercept: [Double], d: Int) -> ([Double], [Double]) {
        ((0..<d).map { coef[d + $0] - coef[$0] }, [intercept[1] - intercept[0]])
    }

    /// `_cov`: empirical, fixed shrinkage, or Ledoit–Wolf on standardised features rescaled.
    static func covariance(_ x: [Double], rows n: Int, columns d: Int, shrinkage: LinearDiscriminantAnalysis.Shrinkage?) -> [Double] {
        switch shrinkage {
        case nil: return CovarianceEstimate.empirical(x, rows: n, columns: d)
        case let .fixed(s)?: return CovarianceEstimate.shrunk(CovarianceEstimate.empirical(x, rows: n, columns: d), columns: d, shrinkage: s)
        case .auto?:
            // StandardScaler: centre, divide by the population standard deviation (0 → 1).
            let mean = CovarianceEstimate.columnMeans(x, rows: n, columns: d)
            var z = x
            for i in 0..<n { for j in 0..<d { z[i * d + j] -= mean[j] } }
            let scale = standardDeviations(z, rows: n, columns: d, centred: true)
            for i in 0..<n { for j in 0..<d { z[i * d + j] /= scale[j] } }
            var s = CovarianceEstimate.ledoitWolf(z, rows: n, columns: d).covariance
            for a in 0..<d { for b in 0..<d { s[a * d + b] = scale[a] * s[a * d + b] * scale[b] } }
            return s
        }
    }

    /// Population standard deviation per column, 1 where it is 0 (`np.std` / StandardScaler).
    static func standardDeviations(_ x: [Double], rows n: Int, columns d: Int, centred: Bool = false) -> [Double] {
        let mean = centred ? [Double](repeating: 0, count: d) : CovarianceEstimate.columnMeans(x, rows: n, columns: d)
        var v = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { let t = x[i * d + j] - mean[j]; v[j] += t * t } }
        return v.map { let s = ($0 / Double(n)).squareRoot(); return s == 0 ? 1 : s }
    }

    /// `a (m × k) · b (k × n)`.
    static func multiply(_ a: [Double], _ m: Int, _ k: Int, _ b: [Double], _ n: Int) -> [Double] {
        (try! Matrix(rows: m, columns: k, values: a)).multiplied(by: try! Matrix(rows: k, columns: n, values: b)).storage
    }

    static func transpose(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
        (try! Matrix(rows: m, columns: n, values: a)).transposed().storage
    }

    static func firstColumns(_ a: [Double], _ m: Int, _ n: Int, _ k: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { out[i * k + j] = a[i * n + j] } }
        return out
    }
}
