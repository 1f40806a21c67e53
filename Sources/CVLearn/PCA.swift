import Foundation

/// Principal component analysis, matching scikit-learn's `PCA` (solvers `covariance_eigh`,
/// `full` and `randomized`, whitening, `svd_flip` signs).
///
/// Recipe:
/// 1. Center: `mean_j = Σ_i x_ij / n`.
/// 2. Decompose, by solver (`.auto` chooses as sklearn 1.5+ does: covariance when
///    `d ≤ 1000` and `n ≥ 10·d`; full SVD when `max(n, d) ≤ 500` or the component count is a
///    variance fraction; randomized when `k < 0.8·min(n, d)`; full otherwise):
///    - `.covarianceEigh`: `C = (XᵀX − n·μμᵀ) / (n − 1)`, `XᵀX` by one `?syrk` in the data's
///      precision (as scikit-learn, which also skips centering), then all eigenpairs by LAPACK
///      `dsyevr`; negative round-off eigenvalues are clipped to 0. O(n·d² + d³).
///    - `.full`: thin SVD of `X_c` by LAPACK `dgesdd`; `variance = S²/(n − 1)`. O(n·d·min(n, d)).
///    - `.randomized`: Halko, Martinsson & Tropp's range finder with `k + oversamples` Gaussian
///      probes, `iteratedPower` QR-normalized power iterations, then the SVD of the small
///      projected matrix (dgemm + dgeqrf/dorgqr + dgesdd). O(n·d·(k + p)·(2q + 2)).
/// 3. Signs: each component's entry of largest magnitude is made positive
///    (`svd_flip(u, v, u_based_decision=False)`, the convention of scikit-learn ≥ 1.5 PCA).
/// 4. Keep `k` components: a count, or the smallest k whose cumulative explained-variance ratio
///    exceeds the fraction (`searchsorted(cumsum, f, side="right") + 1`).
///
/// `transform(x) = (x − mean)·Vᵀ`, divided by `sqrt(explained variance)` (floored at ε) when
/// whitening; `inverseTransform(z) = z·(√var ⊙ V) + mean` (or `z·V + mean`).
///
/// - Complexity: see the solvers; transform O(n·d·k) in `?gemm`.
/// - References: N. Halko, P. G. Martinsson, J. A. Tropp, "Finding structure with randomness:
///   probabilistic algorithms for constructing approximate matrix decompositions", SIAM Review
///   53(2), 2011, doi:10.1137/090771806. I. T. Jolliffe, *Principal Component Analysis*, 2002,
///   doi:10.1007/b98835.
public struct PCA: Sendable, Hashable, Codable {
    /// How many components to keep.
    public enum Components: Sendable, Hashable, Codable {
        /// Exactly this many (1 ≤ k ≤ min(n, d)).
        case count(Int)
        /// The fewest components explaining more than this share of the variance (0 < f < 1).
        case varianceFraction(Double)
        /// All `min(n, d)` components.
        case all

        /// Parses the CLI spelling: an integer ≥ 1 is a count, a number in (0, 1) a fraction.
        public init(parsing text: String) throws {
            if let k = Int(text) {
                guard k >= 1 else { throw LearnError.invalidParameter(name: "components", reason: "count must be ≥ 1, got \(k)") }
                self = .count(k)
            } else if let f = Double(text), f > 0, f < 1 {
                self = .varianceFraction(f)
            } else {
                throw LearnError.invalidParameter(name: "components", reason: "'\(text)' is neither a count ≥ 1 nor a variance fraction in (0, 1)")
            }
        }
    }

    /// Decomposition method.
    public enum Solver: String, Sendable, Hashable, Codable, CaseIterable {
        case auto
        case covarianceEigh = "covariance-eigh"
        case full
        case randomized
    }

    /// Hyper-parameters.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Components to keep. Default `.all`.
        public var components: Components
        /// Scale projections to unit variance. Default `false`.
        public var whiten: Bool
        /// Solver. Default `.auto`.
        public var solver: Solver
        /// Randomized solver: power iterations, nil = sklearn's "auto" (7 when k < 0.1·min(n, d), else 4).
        public var iteratedPower: Int?
        /// Randomized solver: extra probe vectors. Default 10.
        public var oversamples: Int
        /// Randomized solver: seed of the Gaussian probes. Default 0.
        public var seed: UInt64

        public init(components: Components = .all, whiten: Bool = false, solver: Solver = .auto,
                    iteratedPower: Int? = nil, oversamples: Int = 10, seed: UInt64 = 0) {
            self.components = components
            self.whiten = whiten
            self.solver = solver
            self.iteratedPower = iteratedPower
            self.oversamples = oversamples
            self.seed = seed
        }
    }

    public let parameters: Parameters
    /// The solver actually used (never `.auto`).
    public let solverUsed: Solver
    /// Samples and features seen in fit.
    public let sampleCount: Int
    public let featureCount: Int
    /// Number of components kept (`n_components_`).
    public let componentCount: Int
    /// Per-feature mean (`mean_`).
    public let mean: [Double]
    /// Principal axes, `componentCount × featureCount` row-major (`components_`).
    public let components: [Double]
    /// Variance along each axis (`explained_variance_`).
    public let explainedVariance: [Double]
    /// Share of the total variance along each axis (`explained_variance_ratio_`).
    public let explainedVarianceRatio: [Double]
    /// Singular values of the centered data (`singular_values_`).
    public let singularValues: [Double]
    /// Probabilistic-PCA noise variance (`noise_variance_`).
    public let noiseVariance: Double

    /// Fits PCA on `x` (rows = samples, at least 2).
    ///
    /// scikit-learn: `PCA.fit`. Recipe: 1. check the component count and pick the solver;
    /// 2. the column means; 3. the decomposition (all variances, the leading axes); 4. signs by
    /// `svd_flip`; 5. keep k components and derive the noise variance.
    /// - Parameters:
    ///   - x: `n × d` samples, either precision, finite.
    ///   - parameters: default `Parameters()` (all components, no whitening, `.auto` solver).
    /// - Throws: `LearnError.invalidParameter` for an impossible component count or solver
    ///   combination, `LearnError.invalidData` for too few samples or non-finite values.
    /// - Complexity: see the solvers in the type's description.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, parameters: Parameters = Parameters()) throws {
        let n = x.rows, d = x.columns
        let (solver, kRequested) = try Self.chooseSolver(rows: n, columns: d, parameters: parameters)
        let mean = try Self.columnMeans(x)
        var dec = try Self.decompose(x, mean: mean, solver: solver, requested: kRequested, parameters: parameters)
        var noU: [Double]? = nil
        Decompositions.flipSigns(vt: &dec.vt, r: dec.rank, n: d, u: &noU, m: 0)
        let ratio = dec.variances.map { $0 / dec.totalVariance }
        let k = Self.keptCount(parameters.components, ratio: ratio, limit: min(n, d), rank: dec.rank)
        self.init(parameters: parameters, solverUsed: solver, sampleCount: n, featureCount: d, componentCount: k, mean: mean,
                  components: Array(dec.vt[0..<(k * d)]), explainedVariance: Array(dec.variances.prefix(k)),
                  explainedVarianceRatio: Array(ratio.prefix(k)), singularValues: Array(dec.singular.prefix(k)),
                  noiseVariance: dec.noiseVariance(kept: k, limit: min(n, d), solver: solver, features: d))
    }

    /// What a solver produces: all variances (descending) and the leading axes.
    private struct Decomposition {
        var variances: [Double]
        /// `rank × d` axes, row-major.
        var vt: [Double]
        var singular: [Double]
        var totalVariance: Double
        var rank: Int

        /// Probabilistic-PCA noise variance: the mean of the discarded variances (from the total
        /// when the solver computed only the kept ones).
        func noiseVariance(kept k: Int, limit r: Int, solver: Solver, features d: Int) -> Double {
            if solver == .randomized || (solver == .covarianceEigh && rank < d) {
                return k < r ? max(totalVariance - variances.prefix(k).reduce(0, +), 0) / Double(r - k) : 0
            }
            return k < r ? variances[k..<min(r, variances.count)].reduce(0, +) / Double(min(r, variances.count) - k) : 0
        }
    }

    /// Step 1: checks the component count against `min(n, d)` and resolves `.auto` as
    /// scikit-learn ≥ 1.5 does. Returns the solver and the requested count (nil for a fraction).
    private static func chooseSolver(rows n: Int, columns d: Int, parameters: Parameters) throws -> (Solver, Int?) {
        guard n >= 2, d >= 1 else { throw LearnError.invalidData(reason: "PCA needs at least 2 samples and 1 feature, got \(n)x\(d)") }
        let r = min(n, d)
        switch parameters.components {
        case let .count(k):
            guard k >= 1 && k <= r else {
                throw LearnError.invalidParameter(name: "components", reason: "\(k) must be between 1 and min(samples, features) = \(r)")
            }
        case let .varianceFraction(f):
            guard f > 0 && f < 1 else { throw LearnError.invalidParameter(name: "components", reason: "fraction \(f) must be in (0, 1)") }
        case .all: break
        }
        guard parameters.oversamples >= 0 else { throw LearnError.invalidParameter(name: "oversamples", reason: "must be ≥ 0") }
        if let q = parameters.iteratedPower, q < 0 { throw LearnError.invalidParameter(name: "iteratedPower", reason: "must be ≥ 0") }
        var solver = parameters.solver
        let kRequested: Int? = { if case let .count(k) = parameters.components { return k }; if case .all = parameters.components { return r }; return nil }()
        if solver == .auto {
            if d <= 1000 && n >= 10 * d { solver = .covarianceEigh }
            else if max(n, d) <= 500 { solver = .full }
            else if let k = kRequested, Double(k) < 0.8 * Double(r) { solver = .randomized }
            else { solver = .full }
        }
        if solver == .randomized && kRequested == nil {
            throw LearnError.invalidParameter(name: "components", reason: "the randomized solver needs a component count, not a variance fraction")
        }
        return (solver, kRequested)
    }

    /// Step 2: `mean_j = Σ_i x_ij / n`, accumulated in Double row after row.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func columnMeans<T: LearnScalar>(_ x: Matrix<T>) throws -> [Double] {
        let n = x.rows, d = x.columns
        var mean = [Double](repeating: 0, count: d)
        x.withUnsafeRows { p in
            mean.withUnsafeMutableBufferPointer { m in
                let acc = m.baseAddress!
                for i in 0..<n {
                    let row = p.baseAddress! + i * d
                    for j in 0..<d { acc[j] += Double(row[j]) }
                }
            }
        }
        for j in 0..<d { mean[j] /= Double(n) }
        // Non-finite samples make their column's Double sum non-finite, so the separate
        // validation pass (a full read of X) runs only to name the culprit.
        if mean.contains(where: { !$0.isFinite }) {
            try x.requireFinite()
            throw LearnError.invalidData(reason: "PCA: column sums overflow Double; scale the data down")
        }
        return mean
    }

    /// Step 3: the decomposition by `solver` (never `.auto`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func decompose<T: LearnScalar>(_ x: Matrix<T>, mean: [Double], solver: Solver, requested: Int?,
                                                  parameters: Parameters) throws -> Decomposition {
        let n = x.rows, d = x.columns
        switch solver {
        case .covarianceEigh:
            var c = PCA.covariance(x, mean: mean)
            for k in 0..<(d * d) { c[k] /= Double(n - 1) }
            var kept: Int? = nil
            if case let .count(kc) = parameters.components, kc < d { kept = kc }
            return try covarianceEigen(c, features: d, kept: kept, samples: n)
        case .full:
            let xc = PCA.centered(x, mean: mean)
            let (_, s, v) = try Decompositions.svd(xc, m: n, n: d)
            let variances = s.map { $0 * $0 / Double(n - 1) }
            return Decomposition(variances: variances, vt: v, singular: s, totalVariance: variances.reduce(0, +), rank: min(n, d))
        case .randomized:
            let k = requested!, r = min(n, d)
            let xc = PCA.centered(x, mean: mean)
            let q = parameters.iteratedPower ?? (Double(k) < 0.1 * Double(r) ? 7 : 4)
            let (s, v) = try RandomizedSVD.leadingRightSingularVectors(xc, rows: n, columns: d, k: k,
                                                                      oversamples: parameters.oversamples, powerIterations: q, seed: parameters.seed)
            var ss = 0.0
            for t in xc { ss += t * t }
            return Decomposition(variances: s.map { $0 * $0 / Double(n - 1) }, vt: v, singular: s, totalVariance: ss / Double(n - 1), rank: k)
        case .auto:
            fatalError("unreachable")
        }
    }

    /// The eigenpairs of the covariance `c` (`d × d`), descending; with `kept`, only that many
    /// (the total variance is then the trace — equal to the sum of all eigenvalues up to
    /// round-off — and the noise variance follows from it). Round-off negatives become 0.
    private static func covarianceEigen(_ c: [Double], features d: Int, kept: Int?, samples n: Int) throws -> Decomposition {
        let k = kept ?? d
        let (w, z) = try kept == nil ? Decompositions.symmetricEigen(c, n: d) : Decompositions.symmetricEigenLargest(c, n: d, k: k)
        let variances = w.reversed().map { max($0, 0) }
        var vt = [Double](repeating: 0, count: k * d)
        for t in 0..<k { let src = k - 1 - t; for j in 0..<d { vt[t * d + j] = z[j * k + src] } }
        let total = kept == nil ? variances.reduce(0, +) : (0..<d).reduce(0) { $0 + max(c[$1 * d + $1], 0) }
        return Decomposition(variances: variances, vt: vt, singular: variances.map { ($0 * Double(n - 1)).squareRoot() },
                             totalVariance: total, rank: k)
    }

    /// Step 5: the count to keep — the given count, all, or the fewest whose cumulative ratio
    /// exceeds the fraction (`searchsorted(cumsum, f, side="right") + 1`) — at most `rank`.
    private static func keptCount(_ components: Components, ratio: [Double], limit r: Int, rank: Int) -> Int {
        var k: Int
        switch components {
        case let .count(c): k = c
        case .all: k = r
        case let .varianceFraction(f):
            var cum = 0.0, idx = 0
            for v in ratio { cum += v; if cum > f { break }; idx += 1 }
            k = min(idx + 1, r)
        }
        return min(k, rank)
    }

    /// Centered copy in Double (`n×d`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func centered<T: LearnScalar>(_ x: Matrix<T>, mean: [Double]) -> [Double] {
        let d = x.columns
        var out = [Double](repeating: 0, count: x.rows * d)
        x.withUnsafeRows { p in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<x.rows { for j in 0..<d { o[i * d + j] = Double(p[i * d + j]) - mean[j] } }
            }
        }
        return out
    }

    /// Rows from which a thread gets its own block of the Gram matrix.
    static let rowsPerSyrkWorker = 4096

    /// `X_cᵀX_c = XᵀX − n·μμᵀ` (symmetric, as Double): one `?syrk` over the uncentered rows in the
    /// precision of `T`, then the rank-one correction in Double — scikit-learn's
    /// `covariance_eigh` order of operations, with no centered copy of `X`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func covariance<T: LearnScalar>(_ x: Matrix<T>, mean: [Double]) -> [Double] {
        let n = x.rows, d = x.columns
        // Each thread takes a block of rows through a single-threaded `?syrk` and the blocks'
        // Gram matrices are added: OpenBLAS's threaded `?syrk` scales poorly on thin inputs;
        // measurements in docs/performance.md.
        let workers = max(1, min(LinearAlgebra.threadCount, n / max(rowsPerSyrkWorker, d)))
        var partial = [[T]](repeating: [], count: workers)
        x.withUnsafeRows { p in
            let base = p.baseAddress!
            partial.withUnsafeMutableBufferPointer { partial in
                withWorkers(workers, blasThreads: workers > 1 ? 1 : LinearAlgebra.threadCount) { w in
                    let r0 = n * w / workers, r1 = n * (w + 1) / workers
                    var acc = [T](repeating: 0, count: d * d)
                    acc.withUnsafeMutableBufferPointer { a in
                        T.syrkAtA(n: d, k: r1 - r0, alpha: 1, a: base + r0 * d, lda: d, beta: 0, c: a.baseAddress!, ldc: d)
                    }
                    partial[w] = acc
                }
            }
        }
        var c = [Double](repeating: 0, count: d * d)
        let count = Double(n)
        for i in 0..<d {
            for j in i..<d {
                var gram = 0.0
                for block in partial { gram += Double(block[i * d + j]) }
                let v = gram - count * mean[i] * mean[j]
                c[i * d + j] = v
                c[j * d + i] = v
            }
        }
        return c
    }

    /// The whitening divisors `sqrt(explained variance)`, floored at ε.
    var whitenScale: [Double] { explainedVariance.map { max($0.squareRoot(), Double.ulpOfOne) } }

    /// Projects rows onto the components: `(x − mean)·Vᵀ`, divided by the whitening scale when
    /// `whiten`. scikit-learn: `PCA.transform`.
    /// - Returns: `rows × componentCount`, in the precision of `x`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit,
    ///   `LearnError.invalidData` for non-finite rows or projections (as scikit-learn refuses NaN).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func transform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(x.columns, featureCount, "PCA")
        try x.requireFinite()
        let k = componentCount, d = featureCount
        let comps = Matrix<T>(uncheckedRows: k, columns: d, storage: components.map { T($0) })
        var out = x.multiplied(by: comps, transposeOther: true)
        var shift = [Double](repeating: 0, count: k)
        for c in 0..<k { var s = 0.0; for j in 0..<d { s += mean[j] * components[c * d + j] }; shift[c] = s }
        let scale = parameters.whiten ? whitenScale : nil
        let shiftT = shift.map { T($0) }
        let rows = out.rows
        out.withUnsafeMutableRows { p in
            for i in 0..<rows {
                for c in 0..<k {
                    var v = p[i * k + c] - shiftT[c]
                    if let scale { v = T(Double(v) / scale[c]) }
                    p[i * k + c] = v
                }
            }
        }
        try out.requireFinite("the PCA projection")
        return out
    }

    /// Maps projections back to feature space. scikit-learn: `PCA.inverse_transform`.
    /// - Returns: `rows × featureCount`, in the precision of `z`.
    /// - Throws: `LearnError.mismatch` unless `z` has `componentCount` columns,
    ///   `LearnError.invalidData` for non-finite projections or results.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func inverseTransform<T: LearnScalar>(_ z: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(z.columns, componentCount, "PCA inverse transform (components)")
        try z.requireFinite()
        let k = componentCount, d = featureCount
        var comps = components
        if parameters.whiten {
            for c in 0..<k { let s = explainedVariance[c].squareRoot(); for j in 0..<d { comps[c * d + j] *= s } }
        }
        let v = Matrix<T>(uncheckedRows: k, columns: d, storage: comps.map { T($0) })
        var out = z.multiplied(by: v)
        let meanT = mean.map { T($0) }
        let rows = out.rows
        out.withUnsafeMutableRows { p in
            for i in 0..<rows { for j in 0..<d { p[i * d + j] += meanT[j] } }
        }
        try out.requireFinite("the PCA inverse transform")
        return out
    }

    /// Mean squared error per element between `x` and its reconstruction from the kept
    /// components (`inverseTransform(transform(x))`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func reconstructionError<T: LearnScalar>(_ x: Matrix<T>) throws -> Double {
        let back = try inverseTransform(try transform(x))
        var s = 0.0
        for i in 0..<x.storage.count { let e = Double(x.storage[i]) - Double(back.storage[i]); s += e * e }
        return x.storage.isEmpty ? 0 : s / Double(x.storage.count)
    }

    /// A copy keeping only the first `k` components (same axes, as if fitted with `.count(k)`
    /// except for `noiseVariance`, which is not recomputed).
    public func truncated(to k: Int) throws -> PCA {
        guard k >= 1 && k <= componentCount else {
            throw LearnError.invalidParameter(name: "components", reason: "\(k) must be between 1 and \(componentCount)")
        }
        var p = parameters
        p.components = .count(k)
        return PCA(parameters: p, solverUsed: solverUsed, sampleCount: sampleCount, featureCount: featureCount, componentCount: k,
                   mean: mean, components: Array(components[0..<(k * featureCount)]), explainedVariance: Array(explainedVariance.prefix(k)),
                   explainedVarianceRatio: Array(explainedVarianceRatio.prefix(k)), singularValues: Array(singularValues.prefix(k)),
                   noiseVariance: noiseVariance)
    }

    init(parameters: Parameters, solverUsed: Solver, sampleCount: Int, featureCount: Int, componentCount: Int, mean: [Double],
         components: [Double], explainedVariance: [Double], explainedVarianceRatio: [Double], singularValues: [Double], noiseVariance: Double) {
        self.parameters = parameters
        self.solverUsed = solverUsed
        self.sampleCount = sampleCount
        self.featureCount = featureCount
        self.componentCount = componentCount
        self.mean = mean
        self.components = components
        self.explainedVariance = explainedVariance
        self.explainedVarianceRatio = explainedVarianceRatio
        self.singularValues = singularValues
        self.noiseVariance = noiseVariance
    }

    /// Checks the internal consistency of a decoded PCA (array lengths).
    func validate() throws {
        let k = componentCount, d = featureCount
        guard k >= 1, d >= 1, mean.count == d, components.count == (try checkedProduct(k, d, "PCA components")), explainedVariance.count == k,
              explainedVarianceRatio.count == k, singularValues.count == k else {
            throw LearnError.decoding(source: "<memory>", reason: "PCA arrays do not match \(k) components x \(d) features")
        }
        // The transform divides by √variance when whitening and maps back through it.
        try checkArray(mean, d, "pca.mean"); try checkArray(components, k * d, "pca.components")
        try checkArray(explainedVariance, k, "pca.explainedVariance")
        guard explainedVariance.allSatisfy({ $0 >= 0 }) else {
            throw LearnError.decoding(source: "<memory>", reason: "PCA explained variances must not be negative")
        }
        // The axes are orthonormal: a scaled one would stretch finite rows to infinity.
        for c in 0..<k {
            let norm = (0..<d).reduce(0.0) { $0 + components[c * d + $1] * components[c * d + $1] }.squareRoot()
            guard abs(norm - 1) <= 1e-3 else {
                throw LearnError.decoding(source: "<memory>", reason: "PCA component \(c) has norm \(norm), not 1")
            }
        }
    }
}
