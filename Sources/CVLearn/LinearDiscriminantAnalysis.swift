import CLAPACK
import CVCore
import Foundation

/// Linear discriminant analysis, matching scikit-learn's `LinearDiscriminantAnalysis` (solvers
/// `svd` and `eigen`, shrinkage `auto` and fixed, priors, `tol`, `n_components`): a classifier
/// with a shared covariance, and a projection onto at most classes − 1 discriminant axes.
///
/// Recipe (fit):
/// 1. Class means and priors (given, or the class frequencies).
/// 2. `svd`: the within-class residuals scaled by their standard deviations, one SVD for the
///    whitening (`rank = #(S > tol)`), one SVD of the prior-weighted class means in the whitened
///    space (`rank = #(S > tol·S₀)`): `scalings` maps centred data (x − x̄) to the axes.
///    `eigen`: the within-class covariance Sw = Σ prior·cov(class) and the total covariance St
///    (each optionally shrunk), then the generalized problem Sb·v = λ·Sw·v with Sb = St − Sw
///    (LAPACK `dsygvd`, eigenvectors normalised to vᵀSw·v = 1, sorted by decreasing λ).
/// 3. Linear scores `coef`, `intercept` (scikit-learn's `coef_`, `intercept_`; two classes:
///    one row, class 1 minus class 0).
///
/// Signs: each solver's axes keep the sign LAPACK gives them (scikit-learn flips none), so a
/// transform agrees with scikit-learn's up to the sign of each component.
///
/// Inputs of either precision are computed in `Double` (scikit-learn keeps float32 in float32).
///
/// - Complexity: fit O(n·d² + d³) (`svd`: the SVD of the n × d residuals; `eigen`: two
///   covariances and a d × d generalized eigenproblem); predict and transform O(n·d·C).
/// - Reference: R. A. Fisher, "The use of multiple measurements in taxonomic problems", Annals
///   of Eugenics 7(2), 1936, doi:10.1111/j.1469-1809.1936.tb02137.x; R. O. Duda, P. E. Hart,
///   D. G. Stork, *Pattern Classification*, 2nd ed., Wiley 2001, §3.8.3.
public struct LinearDiscriminantAnalysis: Classifier, Hashable {
    public static let kind = ClassifierKind.lda

    /// scikit-learn's `solver`.
    public enum Solver: String, Sendable, Hashable, Codable, CaseIterable {
        /// Two SVDs, no covariance matrix (the default; no shrinkage).
        case svd
        /// The generalized eigenproblem of the between- and within-class covariances.
        case eigen
    }

    /// scikit-learn's `shrinkage` (eigen solver only).
    public enum Shrinkage: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Ledoit–Wolf on standardised features, rescaled (`"auto"`).
        case auto
        /// `(1 − s)·Σ + s·(tr Σ / d)·I`, s in [0, 1].
        case fixed(Double)

        /// Parses `auto` or a number.
        /// - Throws: `LearnError.invalidParameter(name: "shrinkage", …)`.
        public init(parsing text: String) throws {
            if text.lowercased() == "auto" { self = .auto; return }
            guard let v = Double(text) else {
                throw LearnError.invalidParameter(name: "shrinkage", reason: "expected auto or a number in [0, 1], got '\(text)'")
            }
            self = .fixed(v)
        }

        public var description: String {
            switch self {
            case .auto: return "auto"
            case let .fixed(v): return "\(v)"
            }
        }
    }

    /// Hyper-parameters.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Solver. Default `.svd`.
        public var solver: Solver
        /// Shrinkage (eigen only), or nil for none (default).
        public var shrinkage: Shrinkage?
        /// Class priors (positive, summing to 1), or nil for the class frequencies (default).
        public var priors: [Double]?
        /// Output dimensions of `transform`, at most min(classes − 1, features); nil (default)
        /// for all of them.
        public var components: Int?
        /// `svd` solver: singular values below `tolerance` (first SVD) or `tolerance·S₀`
        /// (second) count as zero. Default 1e-4 (`tol`).
        public var tolerance: Double

        public init(solver: Solver = .svd, shrinkage: Shrinkage? = nil, priors: [Double]? = nil, components: Int? = nil,
                    tolerance: Double = 1e-4) {
            self.solver = solver
            self.shrinkage = shrinkage
            self.priors = priors
            self.components = components
            self.tolerance = tolerance
        }

        /// Checks the values; with `classCount`/`featureCount`, the priors and components too.
        /// - Throws: `LearnError.invalidParameter` naming the parameter.
        public func validate(classCount: Int? = nil, featureCount: Int? = nil) throws {
            guard tolerance >= 0, tolerance.isFinite else {
                throw LearnError.invalidParameter(name: "tolerance", reason: "must be a finite value ≥ 0, got \(tolerance)")
            }
            if let shrinkage {
                guard solver == .eigen else {
                    throw LearnError.invalidParameter(name: "shrinkage", reason: "needs the eigen solver (scikit-learn: not supported with svd)")
                }
                if case let .fixed(s) = shrinkage, !(0...1).contains(s) {
                    throw LearnError.invalidParameter(name: "shrinkage", reason: "must be auto or a number in [0, 1], got \(s)")
                }
            }
            if let components, components < 1 {
                throw LearnError.invalidParameter(name: "components", reason: "must be at least 1, got \(components)")
            }
            if let p = priors {
                guard p.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                    throw LearnError.invalidParameter(name: "priors", reason: "priors must be positive and finite")
                }
                guard abs(p.reduce(0, +) - 1) <= 1e-5 else {
                    throw LearnError.invalidParameter(name: "priors", reason: "priors sum to \(p.reduce(0, +)), not 1")
                }
                if let classCount, p.count != classCount {
                    throw LearnError.invalidParameter(name: "priors", reason: "\(p.count) priors for \(classCount) classes")
                }
            }
            if let classCount, let featureCount, let components, components > min(classCount - 1, featureCount) {
                throw LearnError.invalidParameter(name: "components", reason: "\(components) is more than min(classes − 1, features) = \(min(classCount - 1, featureCount))")
            }
        }
    }

    public let parameters: Parameters
    public let classCount: Int
    public let featureCount: Int
    /// Priors used (`priors_`).
    public let priors: [Double]
    /// Class means, `classCount × featureCount` (`means_`).
    public let means: [Double]
    /// `svd`: the prior-weighted mean x̄ subtracted before projecting (`xbar_`); `eigen`: zeros.
    public let center: [Double]
    /// The projection, `featureCount × outputCount` row-major (the first columns of `scalings_`).
    public let scalings: [Double]
    /// Columns of `transform`'s output.
    public let outputCount: Int
    /// Variance share of each discriminant axis (`explained_variance_ratio_`).
    public let explainedVarianceRatio: [Double]
    /// Linear scores, `rows × featureCount` with one row (two classes) or `classCount` rows (`coef_`).
    public let coef: [Double]
    /// Intercepts, one per row of `coef` (`intercept_`).
    public let intercept: [Double]

    /// Fits on `x` with class indices `y` in `0..<classCount`.
    /// - Throws: `LearnError.invalidParameter` for bad parameters; `LearnError.invalidData` for
    ///   one class only, as many samples as classes, an empty class, non-finite values, or a
    ///   singular within-class covariance (eigen without shrinkage).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: Parameters = Parameters()) throws {
        try parameters.validate(classCount: classCount, featureCount: x.columns)
        try validateTargets(y, rows: x.rows, classCount: classCount)
        try x.requireFinite()
        let data = LDAData(x: x.storage.map { Double($0) }, rows: x.rows, columns: x.columns, labels: y, classCount: classCount)
        try data.check()
        let priors = parameters.priors ?? data.counts.map { Double($0) / Double(data.rows) }
        let means = data.classMeans()
        let maxComponents = parameters.components ?? min(classCount - 1, x.columns)
        let fit = parameters.solver == .svd
            ? try LDASolvers.svd(data, means: means, priors: priors, tolerance: parameters.tolerance, maxComponents: maxComponents)
            : try LDASolvers.eigen(data, means: means, priors: priors, shrinkage: parameters.shrinkage, maxComponents: maxComponents)
        self.parameters = parameters
        self.classCount = classCount
        self.featureCount = x.columns
        self.priors = priors
        self.means = means
        self.center = fit.center
        self.scalings = fit.scalings
        self.outputCount = fit.outputCount
        self.explainedVarianceRatio = fit.explainedVarianceRatio
        (self.coef, self.intercept) = classCount == 2 ? LDASolvers.binary(fit.coef, fit.intercept, d: x.columns) : (fit.coef, fit.intercept)
    }

    /// The rows projected onto the discriminant axes: `(x − x̄)·scalings` (svd) or `x·scalings`
    /// (eigen). scikit-learn: `transform`.
    /// - Returns: `rows × outputCount`, in `Double`.
    /// - Throws: `LearnError.mismatch` for a wrong column count.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func transform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireFeatures(x)
        var out = Matrix<Double>(rows: x.rows, columns: outputCount)
        guard x.rows > 0, outputCount > 0 else { return out }
        let blocks = (x.rows + Self.transformBlockRows - 1) / Self.transformBlockRows
        let workers = max(1, min(Parallel.threadCount, blocks))
        x.storage.withUnsafeBufferPointer { p in
            out.storage.withUnsafeMutableBufferPointer { o in
                let target = TransformOutput(base: o.baseAddress!)
                withWorkers(workers, tasks: blocks, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { _, queue in
                    var block = [Double](repeating: 0, count: Self.transformBlockRows * featureCount)
                    while let b = queue.next() {
                        let start = b * Self.transformBlockRows, rows = min(Self.transformBlockRows, x.rows - start)
                        projectBlock(p.baseAddress! + start * featureCount, rows: rows, scratch: &block, into: target.base + start * outputCount)
                    }
                }
            }
        }
        return out
    }

    /// Rows per block of `transform`: the centred Double block (128 × d) stays in L2.
    private static let transformBlockRows = 128

    /// Where the transform's workers write (disjoint rows per block).
    private struct TransformOutput: @unchecked Sendable { let base: UnsafeMutablePointer<Double> }

    /// One block of `transform`: the rows converted to Double and centred in one pass, then
    /// one DGEMM with the scalings (scikit-learn's `(X − xbar_) @ scalings_`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private func projectBlock<T: LearnScalar>(_ x: UnsafePointer<T>, rows: Int, scratch: inout [Double], into out: UnsafeMutablePointer<Double>) {
        let d = featureCount, k = outputCount
        scratch.withUnsafeMutableBufferPointer { c in
            center.withUnsafeBufferPointer { m in
                for i in 0..<rows { for j in 0..<d { c[i * d + j] = Double(x[i * d + j]) - m[j] } }
            }
            scalings.withUnsafeBufferPointer { w in
                Double.gemm(transA: false, transB: false, m: rows, n: k, k: d, alpha: 1, a: c.baseAddress!, lda: d,
                            b: w.baseAddress!, ldb: k, beta: 0, c: out, ldc: k)
            }
        }
    }

    /// `x·coefᵀ + intercept`, `rows × classCount`. scikit-learn: `decision_function`; with two
    /// classes column 1 holds scikit-learn's single column and column 0 is 0, so the arg-max is
    /// its `scores > 0` rule.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func decisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireFeatures(x)
        let r = intercept.count, d = featureCount
        let scores = x.converted(to: Double.self).multiplied(by: try Matrix(rows: r, columns: d, values: coef), transposeOther: true)
        var out = Matrix<Double>(rows: x.rows, columns: classCount)
        for i in 0..<x.rows { for c in 0..<r { out[i, classCount - r + c] = scores[i, c] + intercept[c] } }
        return out
    }

    /// Softmax of the scores (two classes: the logistic of the single score). scikit-learn:
    /// `predict_proba`. - Returns: `rows × classCount`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        var s = try decisionValues(x)
        let c = classCount
        for i in 0..<s.rows {
            if c == 2 {
                let p = expit(s[i, 1])
                s[i, 0] = 1 - p; s[i, 1] = p
                continue
            }
            var mx = -Double.infinity
            for j in 0..<c { mx = max(mx, s[i, j]) }
            var total = 0.0
            for j in 0..<c { s[i, j] = exp(s[i, j] - mx); total += s[i, j] }
            for j in 0..<c { s[i, j] /= total }
        }
        return s
    }

    /// `log` of the probabilities. scikit-learn: `predict_log_proba`.
    public func logProbabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        var p = try probabilities(x)!
        for t in 0..<p.storage.count { p.storage[t] = log(p.storage[t] == 0 ? Double.leastNormalMagnitude : p.storage[t]) }
        return p
    }

    /// scipy's `expit`, evaluated on the side that cannot overflow.
    private func expit(_ v: Double) -> Double { v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)) }
}

extension LinearDiscriminantAnalysis: ArrayShapeCheckable {
    func checkShapes() throws {
        let d = featureCount, c = classCount
        try checkArray(priors, c, "priors"); try checkArray(means, try checkedProduct(c, d, "means"), "means")
        try checkArray(center, d, "center")
        guard outputCount >= 0, outputCount <= d else { throw LearnError.decoding(source: "<memory>", reason: "LDA output count \(outputCount)") }
        try checkArray(scalings, try checkedProduct(d, outputCount, "scalings"), "scalings")
        let rows = c == 2 ? 1 : c
        try checkArray(coef, try checkedProduct(rows, d, "coef"), "coef"); try checkArray(intercept, rows, "intercept")
    }
}
