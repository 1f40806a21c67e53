import CLAPACK
import Foundation

/// A kernel support vector machine (C-SVC), matching LIBSVM as wrapped by scikit-learn's `SVC`.
///
/// Recipe:
/// 1. Resolve γ (`scale` = 1/(n_features·Var X), `auto` = 1/n_features) and copy X to Float.
/// 2. Group the samples by class (data order inside a class, classes in index order — sklearn's
///    sorted labels).
/// 3. One binary sub-problem per class pair (i < j): class i is +1, class j is −1, C_+ = C·w_i,
///    C_− = C·w_j; each solved by `SMOSolver` (LIBSVM's SMO, WSS 2, shrinking, LRU kernel cache).
///    Sub-problems run in parallel, one per worker, each with `cacheMB / workers` of cache.
/// 4. Support vectors = samples with a non-zero coefficient in any pair, stored class by class
///    with LIBSVM's `sv_coef` layout ((k−1) × n_SV).
/// 5. Optional Platt probabilities: per pair, decision values from an internal 5-fold CV fit
///    a sigmoid 1/(1+exp(A·f+B)) (LIBSVM's `svm_binary_svc_probability` + `sigmoid_train`);
///    pairwise probabilities are coupled by Wu, Lin & Weng's method 2.
///
/// Prediction: decision value of pair p = Σ_SV coef·K(sv, x) − ρ_p; a positive value is a vote
/// for the first class of the pair. `predict` returns the class with the most votes (first one
/// on ties) — as LIBSVM and `SVC.predict`; it does **not** use the Platt probabilities, so
/// `argmax(predictProba)` may occasionally disagree with `predict`, as in LIBSVM/sklearn.
/// Kernel values between a block of test rows and all support vectors come from one
/// `cblas_sgemm`; test rows are spread over the cores.
///
/// Conventions: Float kernel arithmetic (LIBSVM's cache is Float too); decision values of
/// binary problems follow sklearn's sign (positive → class 1) in `binaryDecision`.
///
/// - Complexity: training roughly O(n²·d) to O(n³) per pair depending on C and the cache;
///   prediction O(n_test·n_SV·d).
/// - References: C.-C. Chang, C.-J. Lin, "LIBSVM: a library for support vector machines",
///   ACM TIST 2(3) (2011), doi:10.1145/1961189.1961199. R.-E. Fan, P.-H. Chen, C.-J. Lin, JMLR 6
///   (2005) 1889–1918. J. Platt, "Probabilistic outputs for support vector machines" (1999);
///   H.-T. Lin, C.-J. Lin, R. C. Weng, Machine Learning 68 (2007), doi:10.1007/s10994-007-5018-6.
///   T.-F. Wu, C.-J. Lin, R. C. Weng, JMLR 5 (2004) 975–1005.
public struct KernelSVM: Sendable, Codable {
    /// Hyper-parameters (defaults are sklearn `SVC()`'s).
    public struct Parameters: Sendable, Hashable, Codable {
        /// Penalty C > 0. Default 1.
        public var C: Double
        /// Kernel. Default `.rbf`.
        public var kernel: KernelType
        /// γ for poly/rbf/sigmoid/chi2. Default `.scale`.
        public var gamma: GammaSpec
        /// Polynomial degree ≥ 1. Default 3.
        public var degree: Int
        /// Independent term of poly/sigmoid. Default 0.
        public var coef0: Double
        /// Stopping tolerance on the maximal KKT violation (LIBSVM `-e`). Default 1e-3.
        public var tolerance: Double
        /// Shrinking heuristic. Default true.
        public var shrinking: Bool
        /// Kernel cache in MB, shared by the concurrently solved sub-problems. Default 200.
        public var cacheMB: Double
        /// Per-class weights multiplying C (sklearn `class_weight`), or nil. Default nil.
        public var classWeights: [Double]?
        /// Fit Platt probabilities. Default false.
        public var probability: Bool
        /// Seed of the internal cross-validation shuffle used for probabilities. Default 0.
        public var seed: UInt64
        /// Iteration cap per sub-problem, or nil for LIBSVM's max(10⁷, 100·l). Default nil.
        public var maxIterations: Int?

        public init(C: Double = 1, kernel: KernelType = .rbf, gamma: GammaSpec = .scale, degree: Int = 3, coef0: Double = 0,
                    tolerance: Double = 1e-3, shrinking: Bool = true, cacheMB: Double = 200, classWeights: [Double]? = nil,
                    probability: Bool = false, seed: UInt64 = 0, maxIterations: Int? = nil) {
            self.C = C; self.kernel = kernel; self.gamma = gamma; self.degree = degree; self.coef0 = coef0
            self.tolerance = tolerance; self.shrinking = shrinking; self.cacheMB = cacheMB; self.classWeights = classWeights
            self.probability = probability; self.seed = seed; self.maxIterations = maxIterations
        }

        func validate(classCount: Int) throws {
            guard C > 0, C.isFinite else { throw LearnError.invalidParameter(name: "C", reason: "must be a positive finite number, got \(C)") }
            guard tolerance > 0, tolerance.isFinite else { throw LearnError.invalidParameter(name: "tolerance", reason: "must be positive, got \(tolerance)") }
            guard degree >= 1 else { throw LearnError.invalidParameter(name: "degree", reason: "must be at least 1, got \(degree)") }
            guard coef0.isFinite else { throw LearnError.invalidParameter(name: "coef0", reason: "must be finite") }
            guard cacheMB > 0, cacheMB.isFinite else { throw LearnError.invalidParameter(name: "cacheMB", reason: "must be positive, got \(cacheMB)") }
            if case let .value(g) = gamma, !(g > 0 && g.isFinite) {
                throw LearnError.invalidParameter(name: "gamma", reason: "must be positive, got \(g)")
            }
            if let w = classWeights {
                guard w.count == classCount else { throw LearnError.invalidParameter(name: "classWeights", reason: "\(w.count) weights for \(classCount) classes") }
                guard w.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw LearnError.invalidParameter(name: "classWeights", reason: "weights must be positive") }
            }
            if let m = maxIterations, m < 1 { throw LearnError.invalidParameter(name: "maxIterations", reason: "must be at least 1") }
        }
    }

    public let parameters: Parameters
    /// The kernel with γ resolved.
    public let kernelFunction: KernelFunction
    public let classCount: Int
    public let featureCount: Int
    /// Support vectors per class (`n_support_`).
    public let supportCounts: [Int]
    /// Support vectors, `n_SV × featureCount` row-major, grouped by class.
    public let supportVectors: [Float]
    /// Training-row index of each support vector (`support_`).
    public let supportIndices: [Int]
    /// LIBSVM's `sv_coef`: `(classCount − 1) × n_SV` row-major (sklearn `dual_coef_`).
    public let dualCoefficients: [Double]
    /// ρ per class pair (0,1), (0,2), …, (1,2), …; sklearn's `intercept_ = −ρ`.
    public let rho: [Double]
    /// Platt sigmoid parameters per pair (`probA_`, `probB_`), when fitted with probabilities.
    public let probA: [Double]?
    public let probB: [Double]?

    /// Number of support vectors.
    public var supportVectorCount: Int { supportIndices.count }

    /// Progress of a fit: fraction of the work done in 0...1.
    public typealias Progress = @Sendable (Double) -> Void

    /// Fits on `x` with class indices `y` in `0..<classCount`.
    /// - Throws: `LearnError.invalidParameter` for bad parameters, `LearnError.invalidData` for
    ///   mislabelled, non-finite or (χ²/intersection) negative data.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: Parameters = Parameters(),
                                progress: Progress? = nil) throws {
        try parameters.validate(classCount: classCount)
        try validateTargets(y, rows: x.rows, classCount: classCount)
        guard x.rows >= 1, x.columns >= 1 else { throw LearnError.invalidData(reason: "empty training matrix") }
        try x.requireFinite()
        if parameters.kernel.needsNonNegative { try requireNonNegative(x, "the \(parameters.kernel.rawValue) kernel") }
        let gamma = parameters.gamma.resolve(for: x)
        let kf = KernelFunction(type: parameters.kernel, gamma: gamma, degree: parameters.degree, coef0: parameters.coef0)
        let xf = x.converted(to: Float.self)
        let fit = SVCTrainer(x: xf, y: y, classCount: classCount, parameters: parameters, kernel: kf).train(progress: progress)
        self.parameters = parameters
        kernelFunction = kf
        self.classCount = classCount
        featureCount = x.columns
        supportCounts = fit.supportCounts
        supportIndices = fit.supportIndices
        var sv = [Float](); sv.reserveCapacity(fit.supportIndices.count * x.columns)
        for i in fit.supportIndices { sv.append(contentsOf: xf.row(i)) }
        supportVectors = sv
        dualCoefficients = fit.dualCoefficients
        rho = fit.rho
        probA = fit.probA
        probB = fit.probB
    }

    /// Memberwise initializer (LIBSVM model files, tests).
    public init(parameters: Parameters, kernelFunction: KernelFunction, classCount: Int, featureCount: Int, supportCounts: [Int],
                supportVectors: [Float], supportIndices: [Int], dualCoefficients: [Double], rho: [Double],
                probA: [Double]? = nil, probB: [Double]? = nil) throws {
        self.parameters = parameters; self.kernelFunction = kernelFunction; self.classCount = classCount; self.featureCount = featureCount
        self.supportCounts = supportCounts; self.supportVectors = supportVectors; self.supportIndices = supportIndices
        self.dualCoefficients = dualCoefficients; self.rho = rho; self.probA = probA; self.probB = probB
        try checkSVMShapes()
    }

    func checkSVMShapes() throws {
        let n = supportCounts.reduce(0, +)
        guard classCount >= 1, featureCount >= 1, supportCounts.count == classCount, supportCounts.allSatisfy({ $0 >= 0 }) else {
            throw LearnError.decoding(source: "<memory>", reason: "inconsistent class or support-vector counts")
        }
        let pairs = classCount * (classCount - 1) / 2
        guard supportVectors.count == n * featureCount, supportIndices.count == n,
              dualCoefficients.count == max(classCount - 1, 0) * n, rho.count == pairs else {
            throw LearnError.decoding(source: "<memory>", reason: "support vector arrays do not match n_support \(supportCounts)")
        }
        guard supportVectors.allSatisfy({ $0.isFinite }), dualCoefficients.allSatisfy({ $0.isFinite }), rho.allSatisfy({ $0.isFinite }) else {
            throw LearnError.decoding(source: "<memory>", reason: "non-finite support-vector data")
        }
        if let a = probA, let b = probB { guard a.count == pairs, b.count == pairs else {
            throw LearnError.decoding(source: "<memory>", reason: "probA/probB need \(pairs) values") } }
    }

    // MARK: - Prediction

    /// One-vs-one decision values (`rows × k(k−1)/2`, pairs (0,1), (0,2), …), LIBSVM's sign:
    /// positive favours the first class of the pair.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func oneVsOneDecision<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireColumns(x.columns, featureCount, "svm model")
        let pairs = classCount * (classCount - 1) / 2
        var out = Matrix<Double>(rows: x.rows, columns: pairs)
        guard x.rows > 0, pairs > 0 else { return out }
        let xf = x.converted(to: Float.self)
        let d = featureCount, nSV = supportVectorCount, k = classCount
        var starts = [Int](repeating: 0, count: k)
        for c in 1..<max(k, 1) where k > 1 { starts[c] = starts[c - 1] + supportCounts[c - 1] }
        let sqSV = supportVectors.withUnsafeBufferPointer { rowSquaredNorms($0.baseAddress!, n: nSV, d: d) }
        let block = 64
        let nBlocks = (x.rows + block - 1) / block
        let threads = max(1, Int(openblas_get_num_threads()))
        let workers = min(threads, nBlocks)
        let kf = kernelFunction
        xf.withUnsafeRows { xp in
            supportVectors.withUnsafeBufferPointer { svp in
                sqSV.withUnsafeBufferPointer { sqs in
                    dualCoefficients.withUnsafeBufferPointer { coef in
                        rho.withUnsafeBufferPointer { rhop in
                            out.withUnsafeMutableRows { op in
                                let opBase = op.baseAddress!
                                withWorkers(workers, tasks: nBlocks, blasThreads: workers == 1 ? threads : 1) { _, queue in
                                    let kv = UnsafeMutablePointer<Float>.allocate(capacity: block * max(nSV, 1))
                                    defer { kv.deallocate() }
                                    while let b = queue.next() {
                                        let r0 = b * block, n = min(block, x.rows - r0)
                                        let sqX = rowSquaredNorms(xp.baseAddress! + r0 * d, n: n, d: d)
                                        sqX.withUnsafeBufferPointer { sqx in
                                            kf.block(xp.baseAddress! + r0 * d, sqA: sqx.baseAddress!, n: n, svp.baseAddress!, sqB: sqs.baseAddress!, m: nSV, d: d, into: kv)
                                        }
                                        for r in 0..<n {
                                            let kr = kv + r * nSV
                                            let o = opBase + (r0 + r) * pairs
                                            var p = 0
                                            for i in 0..<k {
                                                for j in (i + 1)..<k {
                                                    var s = 0.0
                                                    let c1 = coef.baseAddress! + (j - 1) * nSV, c2 = coef.baseAddress! + i * nSV
                                                    for t in starts[i]..<(starts[i] + supportCounts[i]) { s += c1[t] * Double(kr[t]) }
                                                    for t in starts[j]..<(starts[j] + supportCounts[j]) { s += c2[t] * Double(kr[t]) }
                                                    o[p] = s - rhop[p]
                                                    p += 1
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Class index per row by one-vs-one voting (LIBSVM `svm_predict`, sklearn `SVC.predict`):
    /// a positive pair value votes for the pair's first class; most votes wins, the lowest
    /// class index on ties.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func predictByVotes<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] {
        let dec = try oneVsOneDecision(x)
        if classCount == 1 { return [Int](repeating: 0, count: x.rows) }
        return (0..<x.rows).map { r in
            var votes = [Int](repeating: 0, count: classCount)
            var p = 0
            for i in 0..<classCount { for j in (i + 1)..<classCount {
                if dec[r, p] > 0 { votes[i] += 1 } else { votes[j] += 1 }
                p += 1
            } }
            var best = 0
            for c in 1..<classCount where votes[c] > votes[best] { best = c }
            return best
        }
    }

    /// For two classes: sklearn's `decision_function` (positive → class 1), i.e. −(LIBSVM value).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func binaryDecision<T: LearnScalar>(_ x: Matrix<T>) throws -> [Double] {
        guard classCount == 2 else { throw LearnError.mismatch(reason: "binaryDecision needs a two-class model, this one has \(classCount)") }
        return try oneVsOneDecision(x).storage.map { -$0 }
    }

    /// Per-class scores (`rows × classCount`) whose arg-max is the voting prediction:
    /// scikit-learn's `decision_function_shape="ovr"` aggregate `votes + s/(3(|s|+1))`, where s is
    /// the summed one-vs-one confidences (so the fraction only breaks vote ties; with a tie the
    /// confidences decide, as sklearn's `break_ties=True`). Two classes: `[f, −f]` with f the
    /// LIBSVM decision value.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func ovrScores<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        let dec = try oneVsOneDecision(x)
        var out = Matrix<Double>(rows: x.rows, columns: classCount)
        if classCount == 2 {
            for r in 0..<x.rows { out[r, 0] = dec[r, 0]; out[r, 1] = -dec[r, 0] }
            return out
        }
        for r in 0..<x.rows {
            var votes = [Double](repeating: 0, count: classCount)
            var conf = [Double](repeating: 0, count: classCount)
            var p = 0
            for i in 0..<classCount { for j in (i + 1)..<classCount {
                let v = dec[r, p]
                conf[i] += v; conf[j] -= v
                if v < 0 { votes[j] += 1 } else { votes[i] += 1 }
                p += 1
            } }
            for c in 0..<classCount { out[r, c] = votes[c] + conf[c] / (3 * (abs(conf[c]) + 1)) }
        }
        return out
    }

    /// Platt class probabilities (`rows × classCount`), or nil when fitted without them.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        guard let a = probA, let b = probB else { return nil }
        let dec = try oneVsOneDecision(x)
        var out = Matrix<Double>(rows: x.rows, columns: classCount)
        let k = classCount
        for r in 0..<x.rows {
            var pairwise = [Double](repeating: 0, count: k * k)
            var p = 0
            for i in 0..<k { for j in (i + 1)..<k {
                let v = min(max(PlattScaling.sigmoidPredict(dec[r, p], a[p], b[p]), 1e-7), 1 - 1e-7)
                pairwise[i * k + j] = v
                pairwise[j * k + i] = 1 - v
                p += 1
            } }
            let probs = k == 2 ? [pairwise[1], pairwise[2]] : PlattScaling.multiclassProbability(k: k, r: pairwise)
            for c in 0..<k { out[r, c] = probs[c] }
        }
        return out
    }
}

/// The training driver: groups classes, solves the pair sub-problems in parallel, collects
/// support vectors.
struct SVCTrainer {
    let x: Matrix<Float>
    let y: [Int]
    let classCount: Int
    let parameters: KernelSVM.Parameters
    let kernel: KernelFunction

    struct Output {
        var supportCounts: [Int]
        var supportIndices: [Int]
        var dualCoefficients: [Double]
        var rho: [Double]
        var probA: [Double]?
        var probB: [Double]?
    }

    struct PairResult {
        var coef: [Double] = []  // α·y over [class i members, class j members]
        var rho = 0.0
        var probA = 0.0
        var probB = 0.0
    }

    /// Solves one binary problem on the rows `rows` (labels +1 for the first `positives`).
    static func solveBinary(x: Matrix<Float>, rows: [Int], positives: Int, cp: Double, cn: Double, kernel: KernelFunction,
                            parameters: KernelSVM.Parameters, cacheBytes: Int, progress: ((Double) -> Void)? = nil) -> (coef: [Double], rho: Double) {
        let l = rows.count, d = x.columns
        if l == 0 { return ([], 0) }
        if positives == 0 || positives == l {
            // One class only: LIBSVM would give α = 0; make the decision favour the class present.
            return ([Double](repeating: 0, count: l), positives == 0 ? 1 : -1)
        }
        let sub = x.selectingRows(rows)
        var labels = [Int8](repeating: -1, count: l)
        for t in 0..<positives { labels[t] = 1 }
        let q = sub.withUnsafeRows { p in
            SVCQMatrix(x: p.baseAddress!, l: l, d: d, y: labels, kernel: kernel, cacheBytes: cacheBytes)
        }
        let solver = SMOSolver(q: q, cp: cp, cn: cn, eps: parameters.tolerance, shrinking: parameters.shrinking)
        let r = solver.solve(maxIterations: parameters.maxIterations, progress: progress)
        return (r.coefficients, r.rho)
    }

    func train(progress: KernelSVM.Progress?) -> Output {
        let k = classCount
        var members = [[Int]](repeating: [], count: k)
        for (i, c) in y.enumerated() { members[c].append(i) }
        var pairs: [(Int, Int)] = []
        for i in 0..<k { for j in (i + 1)..<k { pairs.append((i, j)) } }
        let weights = parameters.classWeights ?? [Double](repeating: 1, count: k)
        let threads = max(1, LinearAlgebra.threadCount)
        let workers = max(1, min(threads, pairs.count))
        let cacheBytes = Int(parameters.cacheMB * 1_048_576) / workers
        // Largest sub-problems first for load balance.
        let order = pairs.indices.sorted { a, b in
            let sa = members[pairs[a].0].count + members[pairs[a].1].count
            let sb = members[pairs[b].0].count + members[pairs[b].1].count
            return sa != sb ? sa > sb : a < b
        }
        let work = pairs.map { Double(members[$0.0].count + members[$0.1].count) }.map { $0 * $0 }
        let totalWork = max(work.reduce(0, +), 1)
        let box = ResultBox(count: pairs.count)
        let xx = x, params = parameters, kern = kernel
        withWorkers(workers, tasks: order.count, blasThreads: workers == 1 ? threads : 1) { _, queue in
            while let t = queue.next() {
                let p = order[t]
                let (i, j) = pairs[p]
                let rows = members[i] + members[j]
                var res = PairResult()
                if params.probability {
                    (res.probA, res.probB) = PlattScaling.binaryProbability(x: xx, rows: rows, positives: members[i].count,
                                                                             cp: params.C * weights[i], cn: params.C * weights[j],
                                                                             kernel: kern, parameters: params, cacheBytes: cacheBytes)
                }
                (res.coef, res.rho) = Self.solveBinary(x: xx, rows: rows, positives: members[i].count, cp: params.C * weights[i],
                                                       cn: params.C * weights[j], kernel: kern, parameters: params, cacheBytes: cacheBytes)
                let done = box.store(p, res, work: work[p])
                progress?(done / totalWork)
            }
        }
        let results = box.results
        // Support vectors: non-zero coefficient in any pair, grouped by class in data order.
        var nonzero = [Bool](repeating: false, count: x.rows)
        for (p, (i, j)) in pairs.enumerated() {
            let rows = members[i] + members[j]
            for (t, r) in rows.enumerated() where results[p].coef[t] != 0 { nonzero[r] = true }
        }
        var svIndices: [Int] = []
        var counts = [Int](repeating: 0, count: k)
        var position = [Int](repeating: -1, count: x.rows)
        for c in 0..<k {
            for r in members[c] where nonzero[r] {
                position[r] = svIndices.count
                svIndices.append(r)
                counts[c] += 1
            }
        }
        let nSV = svIndices.count
        var coef = [Double](repeating: 0, count: max(k - 1, 0) * nSV)
        for (p, (i, j)) in pairs.enumerated() {
            let mi = members[i].count
            for (t, r) in (members[i] + members[j]).enumerated() where nonzero[r] {
                let pos = position[r]
                // LIBSVM: class-i SVs store pair (i,j) in row j−1, class-j SVs in row i.
                if t < mi { coef[(j - 1) * nSV + pos] = results[p].coef[t] } else { coef[i * nSV + pos] = results[p].coef[t] }
            }
        }
        return Output(supportCounts: counts, supportIndices: svIndices, dualCoefficients: coef, rho: results.map(\.rho),
                      probA: parameters.probability ? results.map(\.probA) : nil,
                      probB: parameters.probability ? results.map(\.probB) : nil)
    }

    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var results: [PairResult]
        private var done = 0.0
        init(count: Int) { results = [PairResult](repeating: PairResult(), count: count) }
        func store(_ p: Int, _ r: PairResult, work: Double) -> Double {
            lock.lock(); defer { lock.unlock() }
            results[p] = r
            done += work
            return done
        }
    }
}
