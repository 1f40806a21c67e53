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

    /// Hyper-parameters (defaults are sklearn `LinearSVC()`'s, with `dual=True`).
    public struct Parameters: Sendable, Hashable, Codable {
        /// Penalty C > 0. Default 1.
        public var C: Double
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

        public init(C: Double = 1, loss: Loss = .squaredHinge, multiClass: MultiClass = .oneVsRest, tolerance: Double = 1e-4,
                    maxIterations: Int = 1000, fitIntercept: Bool = true, interceptScaling: Double = 1, classWeights: [Double]? = nil,
                    shrinking: Bool = true, seed: UInt64 = 0) {
            self.C = C; self.loss = loss; self.multiClass = multiClass; self.tolerance = tolerance; self.maxIterations = maxIterations
            self.fitIntercept = fitIntercept; self.interceptScaling = interceptScaling; self.classWeights = classWeights
            self.shrinking = shrinking; self.seed = seed
        }

        func validate(classCount: Int) throws {
            guard C > 0, C.isFinite else { throw LearnError.invalidParameter(name: "C", reason: "must be a positive finite number, got \(C)") }
            guard tolerance > 0, tolerance.isFinite else { throw LearnError.invalidParameter(name: "tolerance", reason: "must be positive, got \(tolerance)") }
            guard maxIterations >= 1 else { throw LearnError.invalidParameter(name: "maxIterations", reason: "must be at least 1, got \(maxIterations)") }
            guard interceptScaling > 0, interceptScaling.isFinite else {
                throw LearnError.invalidParameter(name: "interceptScaling", reason: "must be positive, got \(interceptScaling)")
            }
            if let w = classWeights {
                guard w.count == classCount else { throw LearnError.invalidParameter(name: "classWeights", reason: "\(w.count) weights for \(classCount) classes") }
                guard w.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw LearnError.invalidParameter(name: "classWeights", reason: "weights must be positive") }
            }
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
    /// - Throws: `LearnError.invalidParameter` for bad parameters, `LearnError.invalidData`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: Parameters = Parameters(),
                                progress: (@Sendable (Double) -> Void)? = nil) throws {
        try parameters.validate(classCount: classCount)
        try validateTargets(y, rows: x.rows, classCount: classCount)
        guard classCount >= 2 else { throw LearnError.invalidData(reason: "a linear SVM needs at least 2 classes, got \(classCount)") }
        guard x.rows >= 1, x.columns >= 1 else { throw LearnError.invalidData(reason: "empty training matrix") }
        try x.requireFinite()
        let d = x.columns, n = x.rows
        let dd = parameters.fitIntercept ? d + 1 : d
        var data = [Double](repeating: parameters.interceptScaling, count: n * dd)
        x.withUnsafeRows { p in
            for i in 0..<n { for k in 0..<d { data[i * dd + k] = Double(p[i * d + k]) } }
        }
        let cw = parameters.classWeights ?? [Double](repeating: 1, count: classCount)
        var w: [Double], iters: [Int]
        let models: Int
        if parameters.multiClass == .crammerSinger {
            models = classCount
            (w, iters) = data.withUnsafeBufferPointer { xp in
                CrammerSingerSolver.solve(x: xp.baseAddress!, n: n, d: dd, y: y, k: classCount,
                                          cPerClass: cw.map { $0 * parameters.C }, parameters: parameters)
            }
        } else {
            models = classCount == 2 ? 1 : classCount
            w = [Double](repeating: 0, count: models * dd)
            iters = [Int](repeating: 0, count: models)
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
                                let cp = parameters.C * cw[positive]
                                let cn = models == 1 ? parameters.C * cw[0] : parameters.C
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
        }
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

    /// Memberwise initializer (tests, imported models).
    public init(parameters: Parameters, classCount: Int, featureCount: Int, weights: [Double], intercepts: [Double], iterations: [Int] = []) throws {
        self.parameters = parameters; self.classCount = classCount; self.featureCount = featureCount
        self.weights = weights; self.intercepts = intercepts; self.iterations = iterations
        try checkLinearShapes()
    }

    func checkLinearShapes() throws {
        let models = classCount == 2 && parameters.multiClass == .oneVsRest ? 1 : classCount
        guard classCount >= 2, featureCount >= 1, intercepts.count == models, weights.count == models * featureCount else {
            throw LearnError.decoding(source: "<memory>", reason: "linear SVM needs \(models) weight rows of \(featureCount) values")
        }
        guard weights.allSatisfy({ $0.isFinite }), intercepts.allSatisfy({ $0.isFinite }) else {
            throw LearnError.decoding(source: "<memory>", reason: "non-finite linear SVM weights")
        }
    }

    /// Raw decision values `X·Wᵀ + b` (`rows × modelCount`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func rawDecision<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireColumns(x.columns, featureCount, "linear-svm model")
        let xd = x.converted(to: Double.self)
        let wm = try Matrix<Double>(rows: modelCount, columns: featureCount, values: weights)
        var out = xd.multiplied(by: wm, transposeOther: true)
        for r in 0..<out.rows { for m in 0..<modelCount { out[r, m] += intercepts[m] } }
        return out
    }

    /// Per-class scores (`rows × classCount`): the decision values, or `[−f, f]` for two classes.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func classScores<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        let raw = try rawDecision(x)
        guard modelCount == 1 else { return raw }
        var out = Matrix<Double>(rows: x.rows, columns: 2)
        for r in 0..<x.rows { out[r, 0] = -raw[r, 0]; out[r, 1] = raw[r, 0] }
        return out
    }
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
            for i in 0..<activeSize {
                let j = i + Int(rng.nextUInt64() % UInt64(activeSize - i))
                index.swapAt(i, j)
            }
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

/// LIBLINEAR's `Solver_MCSVM_CS` on dense rows. Returns W (`k × d`, row per class) and the
/// iteration count.
enum CrammerSingerSolver {
    static func solve(x: UnsafePointer<Double>, n l: Int, d: Int, y: [Int], k: Int, cPerClass cc: [Double],
                      parameters: LinearSVM.Parameters) -> ([Double], [Int]) {
        let eps = parameters.tolerance
        var wT = [Double](repeating: 0, count: d * k)  // feature-major w[f*k + m]
        var alpha = [Double](repeating: 0, count: l * k)
        var alphaNew = [Double](repeating: 0, count: k)
        var index = Array(0..<l)
        var qd = [Double](repeating: 0, count: l)
        var dInd = [Int](repeating: 0, count: k)
        var dVal = [Double](repeating: 0, count: k)
        var alphaIndex = [Int](repeating: 0, count: k * l)
        var yIndex = y
        var activeSize = l
        var activeSizeI = [Int](repeating: k, count: l)
        var epsShrink = max(10 * eps, 1.0)
        var startFromAll = true
        var g = [Double](repeating: 0, count: k)
        var bb = [Double](repeating: 0, count: k)
        var dd = [Double](repeating: 0, count: k)
        for i in 0..<l {
            for m in 0..<k { alphaIndex[i * k + m] = m }
            qd[i] = denseDot(x + i * d, x + i * d, d)
        }
        var rng = GaussianRandom(seed: parameters.seed)
        var iter = 0
        func beShrunk(_ i: Int, _ m: Int, _ yi: Int, _ alphaI: Double, _ minG: Double) -> Bool {
            let bound = m == yi ? cc[y[i]] : 0
            return alphaI == bound && g[m] < minG
        }
        while iter < parameters.maxIterations {
            var stopping = -Double.infinity
            for i in 0..<activeSize {
                let j = i + Int(rng.nextUInt64() % UInt64(activeSize - i))
                index.swapAt(i, j)
            }
            var s = 0
            while s < activeSize {
                let i = index[s]
                let ai = qd[i]
                let ab = i * k
                if ai > 0 {
                    let na = activeSizeI[i]
                    for m in 0..<na { g[m] = 1 }
                    if yIndex[i] < na { g[yIndex[i]] = 0 }
                    let xi = x + i * d
                    wT.withUnsafeBufferPointer { wp in
                        for f in 0..<d {
                            let v = xi[f]
                            if v == 0 { continue }
                            let wf = wp.baseAddress! + f * k
                            for m in 0..<na { g[m] += wf[alphaIndex[ab + m]] * v }
                        }
                    }
                    var minG = Double.infinity, maxG = -Double.infinity
                    for m in 0..<na {
                        if alpha[ab + alphaIndex[ab + m]] < 0 && g[m] < minG { minG = g[m] }
                        if g[m] > maxG { maxG = g[m] }
                    }
                    if yIndex[i] < na, alpha[ab + y[i]] < cc[y[i]], g[yIndex[i]] < minG { minG = g[yIndex[i]] }
                    var m = 0
                    while m < activeSizeI[i] {
                        if parameters.shrinking && beShrunk(i, m, yIndex[i], alpha[ab + alphaIndex[ab + m]], minG) {
                            activeSizeI[i] -= 1
                            while activeSizeI[i] > m {
                                let a = activeSizeI[i]
                                if !beShrunk(i, a, yIndex[i], alpha[ab + alphaIndex[ab + a]], minG) {
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
                    if activeSizeI[i] <= 1 {
                        activeSize -= 1
                        index.swapAt(s, activeSize)
                        continue
                    }
                    if maxG - minG <= 1e-12 { s += 1; continue }
                    stopping = max(maxG - minG, stopping)
                    let na2 = activeSizeI[i]
                    for m in 0..<na2 { bb[m] = g[m] - ai * alpha[ab + alphaIndex[ab + m]] }
                    // Sub-problem (LIBLINEAR solve_sub_problem).
                    let yi = yIndex[i], cyi = cc[y[i]]
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
                    wT.withUnsafeMutableBufferPointer { wp in
                        for f in 0..<d {
                            let v = xi[f]
                            if v == 0 { continue }
                            let wf = wp.baseAddress! + f * k
                            for t in 0..<nz { wf[dInd[t]] += dVal[t] * v }
                        }
                    }
                }
                s += 1
            }
            iter += 1
            if stopping < epsShrink {
                if stopping < eps && startFromAll { break }
                activeSize = l
                for i in 0..<l { activeSizeI[i] = k }
                epsShrink = max(epsShrink / 2, eps)
                startFromAll = true
            } else {
                startFromAll = false
            }
        }
        var w = [Double](repeating: 0, count: k * d)
        for m in 0..<k { for f in 0..<d { w[m * d + f] = wT[f * k + m] } }
        return (w, [iter])
    }
}
