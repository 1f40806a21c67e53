import Foundation

/// A linear support vector machine trained by dual coordinate descent, matching LIBLINEAR as
/// wrapped by scikit-learn's `LinearSVC(dual=True)`.
///
/// Recipe:
/// 1. Copy X to Double and append the bias feature (value `interceptScaling`, regularised like
///    every other weight — LIBLINEAR's `-B`, sklearn's `intercept_scaling`).
/// 2. One-vs-rest: for each class c, a binary problem (c = +1, rest = −1; C₊ = C·w_c,
///    C₋ = C, LIBLINEAR's weighting) solved by `solve_l2r_l1l2_svc`: random permutation of the
///    active set each outer iteration, projected-gradient shrinking, stop when
///    max PG − min PG ≤ tolerance on the full set. Two classes: one problem, class 1 = +1,
///    C₊ = C·w₁, C₋ = C·w₀. The binary problems run in parallel over the cores.
///    L2 loss (squared hinge): D_ii = 1/(2C), U = ∞; L1 loss (hinge): D_ii = 0, U = C.
/// 3. Crammer–Singer: LIBLINEAR's `Solver_MCSVM_CS` (Keerthi et al. 2008) — per sample a small
///    sub-problem over the k dual variables, with shrinking of classes and samples.
///
/// The permutation comes from a seeded xoshiro generator (LIBLINEAR uses its own `rand`), so
/// the iterates differ from LIBLINEAR's but the optimum — and the accuracy — agree within the
/// stopping tolerance. Results are deterministic for a given `seed`.
///
/// Decision values: `w_c·x + b_c`; for two classes sklearn's single column (positive → class 1).
///
/// - Complexity: O(iterations · n · d) per binary problem (CS: × k).
/// - References: C.-J. Hsieh, K.-W. Chang, C.-J. Lin, S. S. Keerthi, S. Sundararajan, "A dual
///   coordinate descent method for large-scale linear SVM", ICML 2008,
///   doi:10.1145/1390156.1390208. R.-E. Fan et al., "LIBLINEAR: a library for large linear
///   classification", JMLR 9 (2008) 1871–1874. S. S. Keerthi et al., "A sequential dual method
///   for large scale multi-class linear SVMs", KDD 2008, doi:10.1145/1401890.1401942.
public struct LinearSVM: Sendable, Codable {
    /// The loss of the primal problem.
    public enum Loss: String, Sendable, Hashable, Codable, CaseIterable {
        /// max(0, 1 − y·wᵀx) (LIBLINEAR `-s 3`, sklearn `loss="hinge"`).
        case hinge
        /// max(0, 1 − y·wᵀx)² (LIBLINEAR `-s 1`, sklearn `loss="squared_hinge"`, the default).
        case squaredHinge = "squared-hinge"
    }

    /// Multi-class strategy.
    public enum MultiClass: String, Sendable, Hashable, Codable, CaseIterable {
        /// One-vs-rest (default).
        case oneVsRest = "ovr"
        /// Crammer–Singer joint multi-class SVM (LIBLINEAR `-s 4`); `loss` is ignored.
        case crammerSinger = "crammer-singer"
    }

    /// Hyper-parameters (defaults are scikit-learn `LinearSVC()`'s, with `dual=True`). Model
    /// files keep scikit-learn's spelling `C` as the key, and errors name it so.
    public struct Parameters: Sendable, Hashable, Codable {
        /// The regularization parameter C > 0: the penalty on margin violations (the strength of
        /// the regularization is inversely proportional to it). scikit-learn and LIBLINEAR: `C`.
        /// Default 1.
        public var regularization: Double
        /// Loss. Default `.squaredHinge`.
        public var loss: Loss
        /// Multi-class strategy. Default `.oneVsRest`.
        public var multiClass: MultiClass
        /// Stopping tolerance (LIBLINEAR `-e`, sklearn `tol`). Default 1e-4.
        public var tolerance: Double
        /// Outer iterations per problem (sklearn `max_iter`). Default 1000.
        public var maxIterations: Int
        /// Fit a bias. Default true.
        public var fitIntercept: Bool
        /// Value of the appended bias feature (sklearn `intercept_scaling`). Default 1.
        public var interceptScaling: Double
        /// Per-class weights multiplying C, or nil. Default nil.
        public var classWeights: [Double]?
        /// Shrinking of the active set. Default true.
        public var shrinking: Bool
        /// Seed of the coordinate permutation. Default 0.
        public var seed: UInt64

        /// - Parameters: see the properties for each default.
        public init(regularization: Double = 1, loss: Loss = .squaredHinge, multiClass: MultiClass = .oneVsRest,
                    tolerance: Double = 1e-4, maxIterations: Int = 1000, fitIntercept: Bool = true, interceptScaling: Double = 1,
                    classWeights: [Double]? = nil, shrinking: Bool = true, seed: UInt64 = 0) {
            self.regularization = regularization; self.loss = loss; self.multiClass = multiClass; self.tolerance = tolerance
            self.maxIterations = maxIterations; self.fitIntercept = fitIntercept; self.interceptScaling = interceptScaling
            self.classWeights = classWeights; self.shrinking = shrinking; self.seed = seed
        }

        @available(*, deprecated, renamed: "init(regularization:loss:multiClass:tolerance:maxIterations:fitIntercept:interceptScaling:classWeights:shrinking:seed:)")
        public init(C: Double, loss: Loss = .squaredHinge, multiClass: MultiClass = .oneVsRest, tolerance: Double = 1e-4,
                    maxIterations: Int = 1000, fitIntercept: Bool = true, interceptScaling: Double = 1, classWeights: [Double]? = nil,
                    shrinking: Bool = true, seed: UInt64 = 0) {
            self.init(regularization: C, loss: loss, multiClass: multiClass, tolerance: tolerance, maxIterations: maxIterations,
                      fitIntercept: fitIntercept, interceptScaling: interceptScaling, classWeights: classWeights,
                      shrinking: shrinking, seed: seed)
        }

        @available(*, deprecated, renamed: "regularization")
        public var C: Double { get { regularization } set { regularization = newValue } }

        enum CodingKeys: String, CodingKey {
            case regularization = "C", loss, multiClass, tolerance, maxIterations, fitIntercept, interceptScaling
            case classWeights, shrinking, seed
        }

        /// Checks every parameter; the one place the CLI's values are validated too.
        /// - Parameter classCount: the number of classes `classWeights` must match, or nil
        ///   (default) before the data is known.
        /// - Throws: `LearnError.invalidParameter` naming the first bad parameter.
        public func validate(classCount: Int? = nil) throws {
            try requirePositive(regularization, "C")
            try requirePositive(tolerance, "tolerance")
            guard maxIterations >= 1 else { throw LearnError.invalidParameter(name: "maxIterations", reason: "must be at least 1, got \(maxIterations)") }
            try requirePositive(interceptScaling, "interceptScaling")
            try validateClassWeights(classWeights, classCount: classCount)
        }
    }

    public let parameters: Parameters
    public let classCount: Int
    public let featureCount: Int
    /// Weight rows (`coef_`): `models × featureCount`, models = 1 for two classes (positive →
    /// class 1), else `classCount`.
    public let weights: [Double]
    /// Biases (`intercept_`), one per model (`interceptScaling · w_bias`).
    public let intercepts: [Double]
    /// Outer iterations used, per model (the maximum is sklearn's `n_iter_`).
    public let iterations: [Int]

    /// Number of weight rows.
    public var modelCount: Int { intercepts.count }

    /// Fits on `x` with class indices `y` in `0..<classCount` (at least 2 classes).
    ///
    /// scikit-learn: `LinearSVC.fit`; LIBLINEAR `train`.
    /// - Parameters:
    ///   - x: `n × d` training rows, either precision, finite.
    ///   - y: `n` class indices.
    ///   - classCount: number of classes k ≥ 2.
    ///   - parameters: default `Parameters()` (scikit-learn's `LinearSVC()`).
    ///   - progress: called with the fraction of binary problems done, from worker threads.
    ///     Default nil.
    /// - Throws: `LearnError.invalidParameter` for bad parameters, `LearnError.invalidData`.
    /// - Complexity: see the type.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: Parameters = Parameters(),
                                progress: (@Sendable (Double) -> Void)? = nil) throws {
        // 1. Check the parameters and the data.
        try parameters.validate(classCount: classCount)
        try validateTargets(y, rows: x.rows, classCount: classCount)
        guard classCount >= 2 else { throw LearnError.invalidData(reason: "a linear SVM needs at least 2 classes, got \(classCount)") }
        guard x.rows >= 1, x.columns >= 1 else { throw LearnError.invalidData(reason: "empty training matrix") }
        try x.requireFinite()
        // 2. Rows in Double with the bias feature appended.
        let d = x.columns, n = x.rows
        let dd = parameters.fitIntercept ? d + 1 : d
        let data = Self.augmentedRows(x, biasValue: parameters.interceptScaling, width: dd)
        // 3. Solve: one joint problem (Crammer–Singer) or one binary problem per model.
        let cw = parameters.classWeights ?? [Double](repeating: 1, count: classCount)
        let (w, iters): ([Double], [Int])
        let models: Int
        if parameters.multiClass == .crammerSinger {
            models = classCount
            (w, iters) = data.withUnsafeBufferPointer { xp in
                CrammerSingerSolver.solve(x: xp.baseAddress!, n: n, d: dd, y: y, k: classCount,
                                          cPerClass: cw.map { $0 * parameters.regularization }, parameters: parameters)
            }
        } else {
            models = classCount == 2 ? 1 : classCount
            (w, iters) = Self.solveOneVsRest(data, n: n, d: dd, y: y, models: models, classWeights: cw, parameters: parameters,
                                             progress: progress)
        }
        // 4. Split the bias column off as the intercepts.
        self.parameters = parameters
        self.classCount = classCount
        featureCount = d
        var weightsOut = [Double](repeating: 0, count: models * d)
        var b = [Double](repeating: 0, count: models)
        for m in 0..<models {
            for k in 0..<d { weightsOut[m * d + k] = w[m * dd + k] }
            if parameters.fitIntercept { b[m] = parameters.interceptScaling * w[m * dd + d] }
        }
        weights = weightsOut
        intercepts = b
        iterations = iters
    }

    /// `x` in Double, `width` columns per row; the column after the features (when `width`
    /// exceeds them) holds `biasValue` — LIBLINEAR's `-B`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func augmentedRows<T: LearnScalar>(_ x: Matrix<T>, biasValue: Double, width dd: Int) -> [Double] {
        let d = x.columns, n = x.rows
        var data = [Double](repeating: biasValue, count: n * dd)
        x.withUnsafeRows { p in
            for i in 0..<n { for k in 0..<d { data[i * dd + k] = Double(p[i * d + k]) } }
        }
        return data
    }

    /// One binary problem per model, in parallel: model m separates class m (+1, C·w_m) from
    /// the rest (−1, C); a two-class problem has one model, class 1 (C·w₁) against class 0 (C·w₀).
    /// - Returns: `models × d` weights and the iterations of each model.
    private static func solveOneVsRest(_ data: [Double], n: Int, d dd: Int, y: [Int], models: Int, classWeights cw: [Double],
                                       parameters: Parameters, progress: (@Sendable (Double) -> Void)?) -> ([Double], [Int]) {
        var w = [Double](repeating: 0, count: models * dd)
        var iters = [Int](repeating: 0, count: models)
        let threads = max(1, LinearAlgebra.threadCount)
        let progressLock = NSLock()
        var done = 0
        data.withUnsafeBufferPointer { xp in
            w.withUnsafeMutableBufferPointer { wp in
                iters.withUnsafeMutableBufferPointer { ip in
                    let wBase = wp.baseAddress!, iBase = ip.baseAddress!
                    withWorkers(min(threads, models), tasks: models, blasThreads: 1) { _, queue in
                        while let m = queue.next() {
                            let positive = models == 1 ? 1 : m
                            let cp = parameters.regularization * cw[positive]
                            let cn = models == 1 ? parameters.regularization * cw[0] : parameters.regularization
                            let signs = y.map { Int8($0 == positive ? 1 : -1) }
                            iBase[m] = DualCoordinateDescent.solve(x: xp.baseAddress!, n: n, d: dd, y: signs, cp: cp, cn: cn,
                                                                   parameters: parameters, seed: parameters.seed &+ UInt64(m),
                                                                   w: wBase + m * dd)
                            progressLock.lock(); done += 1; let f = Double(done) / Double(models); progressLock.unlock()
                            progress?(f)
                        }
                    }
                }
            }
        }
        return (w, iters)
    }

    /// Memberwise initializer (tests, imported models).
    public init(parameters: Parameters, classCount: Int, featureCount: Int, weights: [Double], intercepts: [Double], iterations: [Int] = []) throws {
        self.parameters = parameters; self.classCount = classCount; self.featureCount = featureCount
        self.weights = weights; self.intercepts = intercepts; self.iterations = iterations
        try checkLinearShapes()
    }

    func checkLinearShapes() throws {
        let models = classCount == 2 && parameters.multiClass == .oneVsRest ? 1 : classCount
        guard classCount >= 2, featureCount >= 1, intercepts.count == models,
              weights.count == (try checkedProduct(models, featureCount, "linear SVM weights")) else {
            throw LearnError.decoding(source: "<memory>", reason: "linear SVM needs \(models) weight rows of \(featureCount) values")
        }
        guard weights.allSatisfy({ $0.isFinite }), intercepts.allSatisfy({ $0.isFinite }) else {
            throw LearnError.decoding(source: "<memory>", reason: "non-finite linear SVM weights")
        }
    }

    /// Raw decision values `X·Wᵀ + b`, one column per weight row.
    ///
    /// scikit-learn: `LinearSVC.decision_function` (a single column for two classes).
    /// - Returns: `rows × modelCount`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    /// - Complexity: O(rows·d·modelCount) in one `dgemm`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func rawDecisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireColumns(x.columns, featureCount, "linear-svm model")
        let xd = x.converted(to: Double.self)
        let wm = try Matrix<Double>(rows: modelCount, columns: featureCount, values: weights)
        var out = xd.multiplied(by: wm, transposeOther: true)
        for r in 0..<out.rows { for m in 0..<modelCount { out[r, m] += intercepts[m] } }
        return out
    }

    /// Per-class scores: the decision values `w_c·x + b_c`, or `[−f, f]` for two classes
    /// (f > 0 → class 1), so the arg-max is the prediction.
    ///
    /// scikit-learn: `LinearSVC.decision_function` (there one column for two classes).
    /// - Returns: `rows × classCount`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func decisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        let raw = try rawDecisionValues(x)
        guard modelCount == 1 else { return raw }
        var out = Matrix<Double>(rows: x.rows, columns: 2)
        for r in 0..<x.rows { out[r, 0] = -raw[r, 0]; out[r, 1] = raw[r, 0] }
        return out
    }

    @available(*, deprecated, renamed: "rawDecisionValues(_:)")
    public func rawDecision<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try rawDecisionValues(x) }

    @available(*, deprecated, renamed: "decisionValues(_:)")
    public func classScores<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> { try decisionValues(x) }
}

// MARK: - Solvers

@inline(__always)
func denseDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var acc0 = SIMD4<Double>.zero, acc1 = SIMD4<Double>.zero
    var k = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while k + 8 <= n {
        acc0 += ra.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
        acc1 += ra.loadUnaligned(fromByteOffset: k * 8 + 32, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: k * 8 + 32, as: SIMD4<Double>.self)
        k += 8
    }
    var s = (acc0 + acc1).sum()
    while k < n { s += a[k] * b[k]; k += 1 }
    return s
}

@inline(__always)
func denseAxpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
    var k = 0
    let av = SIMD4<Double>(repeating: alpha)
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    while k + 4 <= n {
        let v = ry.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self) + av * rx.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
        ry.storeBytes(of: v, toByteOffset: k * 8, as: SIMD4<Double>.self)
        k += 4
    }
    while k < n { y[k] += alpha * x[k]; k += 1 }
}

/// Fisher–Yates shuffle of `a[0..<count]` with `rng` (the active-set permutation of each
/// outer iteration, and the fold permutation of Platt scaling).
@inline(__always)
func shufflePrefix(_ a: inout [Int], count: Int, using rng: inout GaussianRandom) {
    for i in 0..<count {
        let j = i + Int(rng.nextUInt64() % UInt64(count - i))
        a.swapAt(i, j)
    }
}

/// LIBLINEAR's `solve_l2r_l1l2_svc` on dense rows.
enum DualCoordinateDescent {
    /// Solves one binary problem; writes w (d values) and returns the iterations used.
    static func solve(x: UnsafePointer<Double>, n: Int, d: Int, y: [Int8], cp: Double, cn: Double, parameters: LinearSVM.Parameters,
                      seed: UInt64, w: UnsafeMutablePointer<Double>) -> Int {
        let l2 = parameters.loss == .squaredHinge
        // Index by y+1: 0 → negative, 2 → positive.
        let diag = l2 ? [0.5 / cn, 0, 0.5 / cp] : [0.0, 0, 0]
        let upper = l2 ? [Double.infinity, 0, .infinity] : [cn, 0, cp]
        let eps = parameters.tolerance
        var qd = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: n)
        var index = Array(0..<n)
        for k in 0..<d { w[k] = 0 }
        for i in 0..<n { qd[i] = diag[Int(y[i]) + 1] + denseDot(x + i * d, x + i * d, d) }
        var rng = GaussianRandom(seed: seed)
        var activeSize = n
        var pgMaxOld = Double.infinity, pgMinOld = -Double.infinity
        var iter = 0
        let shrinking = parameters.shrinking
        while iter < parameters.maxIterations {
            var pgMaxNew = -Double.infinity, pgMinNew = Double.infinity
            shufflePrefix(&index, count: activeSize, using: &rng)
            var s = 0
            while s < activeSize {
                let i = index[s]
                let yi = Double(y[i])
                let xi = x + i * d
                let gi = Int(y[i]) + 1
                var g = yi * denseDot(w, xi, d) - 1
                let c = upper[gi]
                g += alpha[i] * diag[gi]
                var pg = 0.0
                if alpha[i] == 0 {
                    if shrinking && g > pgMaxOld {
                        activeSize -= 1
                        index.swapAt(s, activeSize)
                        continue
                    } else if g < 0 { pg = g }
                } else if alpha[i] == c {
                    if shrinking && g < pgMinOld {
                        activeSize -= 1
                        index.swapAt(s, activeSize)
                        continue
                    } else if g > 0 { pg = g }
                } else {
                    pg = g
                }
                pgMaxNew = max(pgMaxNew, pg)
                pgMinNew = min(pgMinNew, pg)
                if abs(pg) > 1e-12 {
                    let old = alpha[i]
                    alpha[i] = min(max(alpha[i] - g / qd[i], 0), c)
                    denseAxpy((alpha[i] - old) * yi, xi, w, d)
                }
                s += 1
            }
            iter += 1
            if pgMaxNew - pgMinNew <= eps {
                if activeSize == n { break }
                activeSize = n
                pgMaxOld = .infinity; pgMinOld = -.infinity
                continue
            }
            pgMaxOld = pgMaxNew; pgMinOld = pgMinNew
            if pgMaxOld <= 0 { pgMaxOld = .infinity }
            if pgMinOld >= 0 { pgMinOld = -.infinity }
        }
        return iter
    }
}

/// LIBLINEAR's `Solver_MCSVM_CS` on dense rows (Keerthi et al. 2008): per sample a small
/// sub-problem over the k dual variables, with shrinking of classes and samples.
///
/// Recipe of `solve`: 1. allocate the state (`Scratch`); 2. outer iterations: shuffle the
/// active samples, `visit` each one (gradient, class shrinking, sub-problem, update of W);
/// 3. stop when the largest violation is below the tolerance on the full set, otherwise
/// halve the shrinking threshold and start again from all samples.
struct CrammerSingerSolver {
    /// The per-sample and per-class arrays, allocated once per solve.
    struct Scratch {
        /// W feature-major: `wT[f*k + m]`.
        let wT: UnsafeMutableBufferPointer<Double>
        /// Dual variables, `l × k`.
        let alpha: UnsafeMutableBufferPointer<Double>
        /// Per sample, the classes in active-first order, `l × k`.
        let alphaIndex: UnsafeMutableBufferPointer<Int>
        /// ‖x_i‖², `l`.
        let qd: UnsafeMutableBufferPointer<Double>
        /// Position of the sample's own class in its `alphaIndex` row, and its active classes.
        let yIndex: UnsafeMutableBufferPointer<Int>
        let activeSizeI: UnsafeMutableBufferPointer<Int>
        /// Per-class work vectors of the current sample (`k` each).
        let g, bb, dd, alphaNew, dVal: UnsafeMutableBufferPointer<Double>
        let dInd: UnsafeMutableBufferPointer<Int>

        init(l: Int, d: Int, k: Int) {
            func doubles(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: n); b.initialize(repeating: 0); return b
            }
            func ints(_ n: Int) -> UnsafeMutableBufferPointer<Int> {
                let b = UnsafeMutableBufferPointer<Int>.allocate(capacity: n); b.initialize(repeating: 0); return b
            }
            wT = doubles(d * k); alpha = doubles(l * k); alphaIndex = ints(k * l); qd = doubles(l)
            yIndex = ints(l); activeSizeI = ints(l)
            g = doubles(k); bb = doubles(k); dd = doubles(k); alphaNew = doubles(k); dVal = doubles(k); dInd = ints(k)
        }

        func deallocate() {
            for b in [wT, alpha, qd, g, bb, dd, alphaNew, dVal] { b.deallocate() }
            for b in [alphaIndex, yIndex, activeSizeI, dInd] { b.deallocate() }
        }
    }

    /// What visiting a sample did.
    enum Visit {
        /// All but one class shrunk: drop the sample from the active set.
        case shrunk
        /// Nothing to do (no features, or already optimal).
        case unchanged
        /// The sub-problem was solved; `violation` = max G − min G before the update.
        case updated(violation: Double)
    }

    let x: UnsafePointer<Double>
    let l: Int, d: Int, k: Int
    let y: [Int]
    let cc: [Double]
    let shrinking: Bool
    let state: Scratch
    var index: [Int]
    var activeSize: Int

    /// Returns W (`k × d`, row per class) and the iteration count.
    static func solve(x: UnsafePointer<Double>, n l: Int, d: Int, y: [Int], k: Int, cPerClass cc: [Double],
                      parameters: LinearSVM.Parameters) -> ([Double], [Int]) {
        var solver = CrammerSingerSolver(x: x, l: l, d: d, k: k, y: y, cc: cc, shrinking: parameters.shrinking,
                                         state: Scratch(l: l, d: d, k: k), index: Array(0..<l), activeSize: l)
        defer { solver.state.deallocate() }
        solver.prepare()
        let iter = solver.run(tolerance: parameters.tolerance, maxIterations: parameters.maxIterations, seed: parameters.seed)
        var w = [Double](repeating: 0, count: k * d)
        for m in 0..<k { for f in 0..<d { w[m * d + f] = solver.state.wT[f * k + m] } }
        return (w, [iter])
    }

    /// Step 1: every class active for every sample, ‖x_i‖², the samples' own classes.
    private func prepare() {
        for i in 0..<l {
            for m in 0..<k { state.alphaIndex[i * k + m] = m }
            state.qd[i] = denseDot(x + i * d, x + i * d, d)
            state.yIndex[i] = y[i]
            state.activeSizeI[i] = k
        }
    }

    /// Step 2–3: the outer iterations; returns how many ran.
    private mutating func run(tolerance eps: Double, maxIterations: Int, seed: UInt64) -> Int {
        var epsShrink = max(10 * eps, 1.0)
        var startFromAll = true
        var rng = GaussianRandom(seed: seed)
        var iter = 0
        while iter < maxIterations {
            var stopping = -Double.infinity
            shufflePrefix(&index, count: activeSize, using: &rng)
            var s = 0
            while s < activeSize {
                switch visit(index[s]) {
                case .shrunk:
                    activeSize -= 1
                    index.swapAt(s, activeSize)
                    continue
                case .unchanged: break
                case let .updated(violation): stopping = max(violation, stopping)
                }
                s += 1
            }
            iter += 1
            if stopping < epsShrink {
                if stopping < eps && startFromAll { break }
                activeSize = l
                for i in 0..<l { state.activeSizeI[i] = k }
                epsShrink = max(epsShrink / 2, eps)
                startFromAll = true
            } else {
                startFromAll = false
            }
        }
        return iter
    }

    /// One sample: gradient over its active classes, class shrinking, then the sub-problem.
    private func visit(_ i: Int) -> Visit {
        let ai = state.qd[i]
        guard ai > 0 else { return .unchanged }
        let (minG, maxG) = gradient(i)
        shrinkClasses(i, minG: minG)
        if state.activeSizeI[i] <= 1 { return .shrunk }
        if maxG - minG <= 1e-12 { return .unchanged }
        update(i, ai: ai)
        return .updated(violation: maxG - minG)
    }

    /// G_m = 1 − [m = y_i] + w_m·x_i over the active classes; returns (min G over the classes
    /// that can decrease, max G).
    private func gradient(_ i: Int) -> (Double, Double) {
        let g = state.g, alpha = state.alpha, alphaIndex = state.alphaIndex
        let ab = i * k, na = state.activeSizeI[i], yi = state.yIndex[i]
        for m in 0..<na { g[m] = 1 }
        if yi < na { g[yi] = 0 }
        let xi = x + i * d
        for f in 0..<d {
            let v = xi[f]
            if v == 0 { continue }
            let wf = state.wT.baseAddress! + f * k
            for m in 0..<na { g[m] += wf[alphaIndex[ab + m]] * v }
        }
        var minG = Double.infinity, maxG = -Double.infinity
        for m in 0..<na {
            if alpha[ab + alphaIndex[ab + m]] < 0 && g[m] < minG { minG = g[m] }
            if g[m] > maxG { maxG = g[m] }
        }
        if yi < na, alpha[ab + y[i]] < cc[y[i]], g[yi] < minG { minG = g[yi] }
        return (minG, maxG)
    }

    /// A class at its bound whose gradient is below `minG` cannot move: swap it past the
    /// sample's active classes.
    private func shrinkClasses(_ i: Int, minG: Double) {
        guard shrinking else { return }
        let g = state.g, alpha = state.alpha, alphaIndex = state.alphaIndex, yIndex = state.yIndex, activeSizeI = state.activeSizeI
        let ab = i * k
        func beShrunk(_ m: Int) -> Bool {
            let bound = m == yIndex[i] ? cc[y[i]] : 0
            return alpha[ab + alphaIndex[ab + m]] == bound && g[m] < minG
        }
        var m = 0
        while m < activeSizeI[i] {
            if beShrunk(m) {
                activeSizeI[i] -= 1
                while activeSizeI[i] > m {
                    let a = activeSizeI[i]
                    if !beShrunk(a) {
                        alphaIndex.swapAt(ab + m, ab + a)
                        g.swapAt(m, a)
                        if yIndex[i] == a { yIndex[i] = m } else if yIndex[i] == m { yIndex[i] = a }
                        break
                    }
                    activeSizeI[i] -= 1
                }
            }
            m += 1
        }
    }

    /// LIBLINEAR's `solve_sub_problem` for sample i, then α and W updated by the changes.
    private func update(_ i: Int, ai: Double) {
        let g = state.g, bb = state.bb, dd = state.dd, alphaNew = state.alphaNew, alpha = state.alpha
        let alphaIndex = state.alphaIndex, dInd = state.dInd, dVal = state.dVal
        let ab = i * k, na2 = state.activeSizeI[i]
        for m in 0..<na2 { bb[m] = g[m] - ai * alpha[ab + alphaIndex[ab + m]] }
        let yi = state.yIndex[i], cyi = cc[y[i]]
        for m in 0..<na2 { dd[m] = bb[m] }
        if yi < na2 { dd[yi] += ai * cyi }
        var sorted = Array(dd[0..<na2])
        sorted.sort(by: >)
        var beta = sorted[0] - ai * cyi
        var r = 1
        while r < na2 && beta < Double(r) * sorted[r] { beta += sorted[r]; r += 1 }
        beta /= Double(r)
        for r in 0..<na2 {
            alphaNew[r] = r == yi ? min(cyi, (beta - bb[r]) / ai) : min(0, (beta - bb[r]) / ai)
        }
        var nz = 0
        for m in 0..<na2 {
            let idx = alphaIndex[ab + m]
            let dlt = alphaNew[m] - alpha[ab + idx]
            alpha[ab + idx] = alphaNew[m]
            if abs(dlt) >= 1e-12 { dInd[nz] = idx; dVal[nz] = dlt; nz += 1 }
        }
        let xi = x + i * d
        for f in 0..<d {
            let v = xi[f]
            if v == 0 { continue }
            let wf = state.wT.baseAddress! + f * k
            for t in 0..<nz { wf[dInd[t]] += dVal[t] * v }
        }
    }
}
