import CLAPACK

/// Linear least squares with an L2 penalty and several outputs (scikit-learn's
/// `Ridge(alpha, fit_intercept=True, solver="cholesky")`): the coefficients `W` (outputs ×
/// features) and intercepts `b` minimising `‖Y − X·Wᵀ − 1·bᵀ‖² + alpha·‖W‖²`, the intercept
/// not penalised.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 4, columns: 1, values: [0, 1, 2, 3])
/// let y = try Matrix<Double>(rows: 4, columns: 1, values: [1, 3, 5, 7])
/// let ridge = try RidgeRegression(fitting: x, targets: y, alpha: 0)   // y = 2x + 1
/// ```
///
/// Recipe: centre the columns of `X` and `Y`, form the Gram matrix `XcᵀXc + alpha·I` (BLAS
/// `dsyrk`) and `XcᵀYc` (`dgemm`), solve by Cholesky (LAPACK `dposv`), then the intercepts
/// `ȳ − W·x̄` — scikit-learn's normal-equation route, so its coefficients are matched to
/// rounding.
///
/// - Complexity: O(n·p² + p³) for n samples of p features (plus O(n·p·q) for q outputs).
public struct RidgeRegression: Sendable, Hashable, Codable {
    /// Number of input features `p`.
    public let featureCount: Int
    /// Number of outputs `q`.
    public let outputCount: Int
    /// Row-major `q × p`: output k's weights are `coefficients[k·p ..< (k+1)·p]`.
    public let coefficients: [Double]
    /// One per output.
    public let intercepts: [Double]
    /// The penalty it was fitted with.
    public let alpha: Double

    /// A model from its parts (as stored in a model file).
    /// - Throws: `LearnError.invalidParameter` when the counts do not agree or a value is not finite.
    public init(coefficients: [Double], intercepts: [Double], featureCount: Int, alpha: Double) throws {
        guard featureCount >= 0, !intercepts.isEmpty, coefficients.count == featureCount * intercepts.count else {
            throw LearnError.invalidParameter(name: "coefficients", reason: "\(coefficients.count) coefficients for \(intercepts.count) outputs of \(featureCount) features")
        }
        guard coefficients.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite), alpha.isFinite else {
            throw LearnError.invalidParameter(name: "coefficients", reason: "coefficients and intercepts must be finite numbers")
        }
        self.coefficients = coefficients; self.intercepts = intercepts
        self.featureCount = featureCount; outputCount = intercepts.count; self.alpha = alpha
    }

    /// Fits the model.
    /// - Parameters:
    ///   - x: n × p samples (n ≥ 1), finite.
    ///   - targets: n × q outputs, finite.
    ///   - alpha: the penalty, ≥ 0 and finite (scikit-learn's default is 1). With 0 the columns
    ///     of `x` must be linearly independent after centring.
    /// - Throws: `LearnError.invalidParameter` for a bad `alpha` or mismatched rows;
    ///   `LearnError.invalidData` for non-finite data or a singular system.
    public init(fitting x: Matrix<Double>, targets: Matrix<Double>, alpha: Double = 1) throws {
        guard alpha.isFinite, alpha >= 0 else {
            throw LearnError.invalidParameter(name: "alpha", reason: "must be a finite number >= 0, got \(alpha)")
        }
        guard x.rows >= 1, x.rows == targets.rows, targets.columns >= 1 else {
            throw LearnError.invalidParameter(name: "targets", reason: "\(x.rows) samples and \(targets.rows) target rows (need at least one, and as many)")
        }
        try x.requireFinite("X")
        try targets.requireFinite("targets")
        let (xc, xMean) = Self.centred(x), (yc, yMean) = Self.centred(targets)
        let w = try Self.solveNormalEquations(xc, yc, alpha: alpha)
        let p = x.columns, q = targets.columns
        var b = yMean
        for k in 0..<q { for j in 0..<p { b[k] -= w[k * p + j] * xMean[j] } }
        try self.init(coefficients: w, intercepts: b, featureCount: p, alpha: alpha)
    }

    /// Output `k` for one sample of ``featureCount`` values.
    public func predict(_ sample: UnsafeBufferPointer<Float>, output k: Int) -> Double {
        precondition(sample.count == featureCount && (0..<outputCount).contains(k), "sample has \(sample.count) features, the model \(featureCount)")
        var s = 0.0
        coefficients.withUnsafeBufferPointer { w in
            let row = w.baseAddress! + k * featureCount
            for j in 0..<featureCount { s += row[j] * Double(sample[j]) }
        }
        return intercepts[k] + s
    }

    // MARK: - Steps

    /// The matrix with its column means subtracted, and the means.
    private static func centred(_ m: Matrix<Double>) -> (Matrix<Double>, [Double]) {
        var mean = [Double](repeating: 0, count: m.columns)
        var out = m
        out.withUnsafeMutableRows { v in
            for i in 0..<m.rows { for j in 0..<m.columns { mean[j] += v[i * m.columns + j] } }
            for j in 0..<m.columns { mean[j] /= Double(m.rows) }
            for i in 0..<m.rows { for j in 0..<m.columns { v[i * m.columns + j] -= mean[j] } }
        }
        return (out, mean)
    }

    /// `W` (q × p, row-major) solving `(XᵀX + alpha·I)·Wᵀ = XᵀY` by Cholesky.
    private static func solveNormalEquations(_ x: Matrix<Double>, _ y: Matrix<Double>, alpha: Double) throws -> [Double] {
        let n = x.rows, p = x.columns, q = y.columns
        guard p > 0 else { return [] }
        var gram = [Double](repeating: 0, count: p * p)
        var rhs = [Double](repeating: 0, count: p * q)   // p × q
        x.storage.withUnsafeBufferPointer { xs in
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(p), blasint(n), 1, xs.baseAddress, blasint(p), 0, &gram, blasint(p))
            y.storage.withUnsafeBufferPointer { ys in
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, blasint(p), blasint(q), blasint(n), 1, xs.baseAddress, blasint(p),
                            ys.baseAddress, blasint(q), 0, &rhs, blasint(q))
            }
        }
        for j in 0..<p { gram[j * p + j] += alpha }
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), LapackInt(p), LapackInt(q), &gram, LapackInt(p), &rhs, LapackInt(q))
        guard info == 0 else {
            throw LearnError.invalidData(reason: "the ridge system is singular (LAPACK dposv info \(info)): use alpha > 0")
        }
        var w = [Double](repeating: 0, count: q * p)
        for j in 0..<p { for k in 0..<q { w[k * p + j] = rhs[j * q + k] } }
        return w
    }
}
