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
///    Sub-problems run in parallel, one per worker, each with `cacheMegabytes / workers` of cache.
/// 4. Support vectors = samples with a non-zero coefficient in any pair, stored class by class
///    with LIBSVM's `sv_coef` layout ((k−1) × n_SV).
/// 5. Optional Platt probabilities: per pair, decision values from an internal 5-fold CV fit
///    a sigmoid 1/(1+exp(A·f+B)) (LIBSVM's `svm_binary_svc_probability` + `sigmoid_train`);
///    pairwise probabilities are coupled by Wu, Lin & Weng's method 2.
///
/// Prediction: decision value of pair p = Σ_SV coef·K(sv, x) − ρ_p; a positive value is a vote
/// for the first class of the pair. `predict` returns the class with the most votes (first one
/// on ties) — as LIBSVM and `SVC.predict`; it does **not** use the Platt probabilities, so
/// `argmax(probabilities)` may occasionally disagree with `predict`, as in LIBSVM/sklearn.
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
    /// Hyper-parameters (defaults are scikit-learn `SVC()`'s). Model files keep LIBSVM's and
    /// scikit-learn's spellings as keys (`C`, `cacheMB`), and errors name parameters by them.
    public struct Parameters: Sendable, Hashable, Codable {
        /// The regularization parameter C > 0: the penalty on margin violations (the strength of
        /// the regularization is inversely proportional to it). scikit-learn and LIBSVM: `C`.
        /// Default 1.
        public var regularization: Double
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
        /// Kernel cache in megabytes, shared by the concurrently solved sub-problems.
        /// scikit-learn: `cache_size`; LIBSVM `-m`. Default 200.
        public var cacheMegabytes: Double
        /// Per-class weights multiplying C (sklearn `class_weight`), or nil. Default nil.
        public var classWeights: [Double]?
        /// Fit Platt probabilities. Default false.
        public var probability: Bool
        /// Seed of the internal cross-validation shuffle used for probabilities. Default 0.
        public var seed: UInt64
        /// Iteration cap per sub-problem, or nil for LIBSVM's max(10⁷, 100·l). Default nil.
        public var maxIterations: Int?

        /// - Parameters: see the properties for each default.
        public init(regularization: Double = 1, kernel: KernelType = .rbf, gamma: GammaSpec = .scale, degree: Int = 3,
                    coef0: Double = 0, tolerance: Double = 1e-3, shrinking: Bool = true, cacheMegabytes: Double = 200,
                    classWeights: [Double]? = nil, probability: Bool = false, seed: UInt64 = 0, maxIterations: Int? = nil) {
            self.regularization = regularization; self.kernel = kernel; self.gamma = gamma; self.degree = degree; self.coef0 = coef0
            self.tolerance = tolerance; self.shrinking = shrinking; self.cacheMegabytes = cacheMegabytes
            self.classWeights = classWeights; self.probability = probability; self.seed = seed; self.maxIterations = maxIterations
        }

        @available(*, deprecated, renamed: "init(regularization:kernel:gamma:degree:coef0:tolerance:shrinking:cacheMegabytes:classWeights:probability:seed:maxIterations:)")
        public init(C: Double, kernel: KernelType = .rbf, gamma: GammaSpec = .scale, degree: Int = 3, coef0: Double = 0,
                    tolerance: Double = 1e-3, shrinking: Bool = true, cacheMB: Double = 200, classWeights: [Double]? = nil,
                    probability: Bool = false, seed: UInt64 = 0, maxIterations: Int? = nil) {
            self.init(regularization: C, kernel: kernel, gamma: gamma, degree: degree, coef0: coef0, tolerance: tolerance,
                      shrinking: shrinking, cacheMegabytes: cacheMB, classWeights: classWeights, probability: probability,
                      seed: seed, maxIterations: maxIterations)
        }

        @available(*, deprecated, renamed: "regularization")
        public var C: Double { get { regularization } set { regularization = newValue } }

        @available(*, deprecated, renamed: "cacheMegabytes")
        public var cacheMB: Double { get { cacheMegabytes } set { cacheMegabytes = newValue } }

        enum CodingKeys: String, CodingKey {
            case regularization = "C", kernel, gamma, degree, coef0, tolerance, shrinking, cacheMegabytes = "cacheMB"
            case classWeights, probability, seed, maxIterations
        }

        /// Checks every parameter; the one place the CLI's values are validated too.
        /// - Parameter classCount: the number of classes `classWeights` must match, or nil
        ///   (default) before the data is known.
        /// - Throws: `LearnError.invalidParameter` naming the first bad parameter.
        public func validate(classCount: Int? = nil) throws {
            try requirePositive(regularization, "C")
            try requirePositive(tolerance, "tolerance")
            guard degree >= 1 else { throw LearnError.invalidParameter(name: "degree", reason: "must be at least 1, got \(degree)") }
            guard coef0.isFinite else { throw LearnError.invalidParameter(name: "coef0", reason: "must be finite") }
            try requirePositive(cacheMegabytes, "cacheMB")
            if case let .value(g) = gamma { try requirePositive(g, "gamma") }
            try validateClassWeights(classWeights, classCount: classCount)
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
    /// Platt sigmoid slope A per class pair, when fitted with probabilities.
    /// scikit-learn: `probA_`; LIBSVM: `probA`.
    public let plattA: [Double]?
    /// Platt sigmoid offset B per class pair, when fitted with probabilities.
    /// scikit-learn: `probB_`; LIBSVM: `probB`.
    public let plattB: [Double]?

    @available(*, deprecated, renamed: "plattA")
    public var probA: [Double]? { plattA }
    @available(*, deprecated, renamed: "plattB")
    public var probB: [Double]? { plattB }

    enum CodingKeys: String, CodingKey {
        case parameters, kernelFunction, classCount, featureCount, supportCounts, supportVectors, supportIndices
        case dualCoefficients, rho, plattA = "probA", plattB = "probB"
    }

    /// Number of support vectors.
    public var supportVectorCount: Int { supportIndices.count }

    /// Progress of a fit: fraction of the work done in 0...1.
    public typealias Progress = @Sendable (Double) -> Void

    /// Fits on `x` with class indices `y` in `0..<classCount`.
    ///
    /// scikit-learn: `SVC.fit`; LIBSVM `svm_train`.
    /// - Parameters:
    ///   - x: `n × d` training rows, either precision, finite (non-negative for χ²/intersection).
    ///   - y: `n` class indices.
    ///   - classCount: number of classes k ≥ 1.
    ///   - parameters: default `Parameters()` (scikit-learn's `SVC()`).
    ///   - progress: called with the fraction done, from worker threads. Default nil.
    /// - Throws: `LearnError.invalidParameter` for bad parameters, `LearnError.invalidData` for
    ///   mislabelled, non-finite or (χ²/intersection) negative data.
    /// - Complexity: see the type.
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
        plattA = fit.plattA
        plattB = fit.plattB
    }

    /// Memberwise initializer (LIBSVM model files, tests).
    /// - Throws: `LearnError.decoding` when the array sizes do not match the counts.
    public init(parameters: Parameters, kernelFunction: KernelFunction, classCount: Int, featureCount: Int, supportCounts: [Int],
                supportVectors: [Float], supportIndices: [Int], dualCoefficients: [Double], rho: [Double],
                plattA: [Double]? = nil, plattB: [Double]? = nil) throws {
        self.parameters = parameters; self.kernelFunction = kernelFunction; self.classCount = classCount; self.featureCount = featureCount
        self.supportCounts = supportCounts; self.supportVectors = supportVectors; self.supportIndices = supportIndices
        self.dualCoefficients = dualCoefficients; self.rho = rho; self.plattA = plattA; self.plattB = plattB
        try checkSVMShapes()
    }

    @available(*, deprecated, renamed: "init(parameters:kernelFunction:classCount:featureCount:supportCounts:supportVectors:supportIndices:dualCoefficients:rho:plattA:plattB:)")
    public init(parameters: Parameters, kernelFunction: KernelFunction, classCount: Int, featureCount: Int, supportCounts: [Int],
                supportVectors: [Float], supportIndices: [Int], dualCoefficients: [Double], rho: [Double],
                probA: [Double]?, probB: [Double]?) throws {
        try self.init(parameters: parameters, kernelFunction: kernelFunction, classCount: classCount, featureCount: featureCount,
                      supportCounts: supportCounts, supportVectors: supportVectors, supportIndices: supportIndices,
                      dualCoefficients: dualCoefficients, rho: rho, plattA: probA, plattB: probB)
    }

    func checkSVMShapes() throws {
        guard classCount >= 1, featureCount >= 1, supportCounts.count == classCount else {
            throw LearnError.decoding(source: "<memory>", reason: "inconsistent class or support-vector counts")
        }
        let n = try checkedSum(supportCounts, "n_support")
        let pairs = try checkedProduct(classCount, classCount - 1, "class pairs") / 2
        guard supportVectors.count == (try checkedProduct(n, featureCount, "support vectors")), supportIndices.count == n,
              dualCoefficients.count == (try checkedProduct(classCount - 1, n, "dual coefficients")), rho.count == pairs else {
            throw LearnError.decoding(source: "<memory>", reason: "support vector arrays do not match n_support \(supportCounts)")
        }
        guard supportVectors.allSatisfy({ $0.isFinite }), dualCoefficients.allSatisfy({ $0.isFinite }), rho.allSatisfy({ $0.isFinite }) else {
            throw LearnError.decoding(source: "<memory>", reason: "non-finite support-vector data")
        }
        if let a = plattA, let b = plattB { guard a.count == pairs, b.count == pairs, (a + b).allSatisfy({ $0.isFinite }) else {
            throw LearnError.decoding(source: "<memory>", reason: "probA/probB need \(pairs) finite values") } }
    }

    // MARK: - Prediction

    /// One-vs-one decision values, LIBSVM's sign: positive favours the first class of the pair.
    ///
    /// Recipe: 1. convert the rows to Float and take the support vectors' squared norms;
    /// 2. per block of 64 rows (blocks spread over the cores), the kernel values against every
    /// support vector from one `KernelFunction.block` call; 3. per row and class pair, the
    /// coefficient-weighted sums over the two classes' support vectors, minus ρ.
    /// - Parameter x: `rows × featureCount`, either precision.
    /// - Returns: `rows × k(k−1)/2`, one column per pair (0,1), (0,2), …, (1,2), … (LIBSVM
    ///   `svm_predict_values`; scikit-learn's `decision_function_shape="ovo"` with the sign flipped).
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    /// - Complexity: O(rows·n_SV·d) in the kernel blocks, O(rows·n_SV·(k−1)) for the sums.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func oneVsOneDecisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try requireColumns(x.columns, featureCount, "svm model")
        let pairs = ClassPairs(classCount: classCount).count
        var out = Matrix<Double>(rows: x.rows, columns: pairs)
        guard x.rows > 0, pairs > 0 else { return out }
        let xf = x.converted(to: Float.self)
        let d = featureCount, nSV = supportVectorCount
        let sqSV = supportVectors.withUnsafeBufferPointer { rowSquaredNorms($0.baseAddress!, n: nSV, d: d) }
        let block = 64
        let nBlocks = (x.rows + block - 1) / block
        let threads = max(1, Int(openblas_get_num_threads()))
        let workers = min(threads, nBlocks)
        withSupportVectorViews(squaredNorms: sqSV) { sv in
            xf.withUnsafeRows { xp in
                out.withUnsafeMutableRows { op in
                    let opBase = op.baseAddress!
                    withWorkers(workers, tasks: nBlocks, blasThreads: workers == 1 ? threads : 1) { _, queue in
                        let kv = UnsafeMutablePointer<Float>.allocate(capacity: block * max(nSV, 1))
                        defer { kv.deallocate() }
                        while let b = queue.next() {
                            let r0 = b * block, n = min(block, x.rows - r0)
                            sv.decisionValues(rows: xp.baseAddress! + r0 * d, count: n, into: opBase + r0 * pairs, kernelScratch: kv)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Runs `body` with read-only views of the support-vector arrays (and their squared norms).
    private func withSupportVectorViews<R>(squaredNorms: [Float], _ body: (SupportVectorViews) -> R) -> R {
        var starts = [Int](repeating: 0, count: classCount)
        for c in 1..<max(classCount, 1) where classCount > 1 { starts[c] = starts[c - 1] + supportCounts[c - 1] }
        return supportVectors.withUnsafeBufferPointer { sv in
            squaredNorms.withUnsafeBufferPointer { sq in
                dualCoefficients.withUnsafeBufferPointer { coef in
                    rho.withUnsafeBufferPointer { rho in
                        body(SupportVectorViews(vectors: sv.baseAddress!, squaredNorms: sq.baseAddress!, coefficients: coef.baseAddress!,
                                                rho: rho.baseAddress!, classStarts: starts, supportCounts: supportCounts,
                                                count: supportVectorCount, featureCount: featureCount, kernel: kernelFunction))
                    }
                }
            }
        }
    }

    /// Class index per row by one-vs-one voting: a positive pair value votes for the pair's first
    /// class; most votes wins, the lowest class index on ties. This does **not** use the Platt
    /// probabilities, so `argmax(probabilities(x))` may disagree with it, as in LIBSVM.
    ///
    /// LIBSVM `svm_predict`; scikit-learn: `SVC.predict`.
    /// - Parameter x: `rows × featureCount`, either precision.
    /// - Returns: `rows` class indices in `0..<classCount`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    /// - Complexity: that of ``oneVsOneDecisionValues(_:)``.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func predict<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] {
        let dec = try oneVsOneDecisionValues(x)
        if classCount == 1 { return [Int](repeating: 0, count: x.rows) }
        let pairs = ClassPairs(classCount: classCount)
        return (0..<x.rows).map { r in
            var votes = [Int](repeating: 0, count: classCount)
            for p in pairs {
                if dec[r, p.index] > 0 { votes[p.first] += 1 } else { votes[p.second] += 1 }
            }
            var best = 0
            for c in 1..<classCount where votes[c] > votes[best] { best = c }
            return best
        }
    }

    /// Decision values of a two-class model with scikit-learn's sign: positive favours class 1,
    /// i.e. −(the LIBSVM value).
    ///
    /// scikit-learn: `SVC.decision_function` for two classes.
    /// - Returns: one value per row.
    /// - Throws: `LearnError.mismatch` unless the model has two classes or when the column
    ///   count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func binaryDecisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> [Double] {
        guard classCount == 2 else { throw LearnError.mismatch(reason: "binaryDecisionValues needs a two-class model, this one has \(classCount)") }
        return try oneVsOneDecisionValues(x).storage.map { -$0 }
    }

    /// Per-class scores whose arg-max is the voting prediction: the one-vs-rest aggregate
    /// `votes + s/(3(|s|+1))`, where s is the summed one-vs-one confidences (the fraction only
    /// breaks vote ties; with a tie the confidences decide, as `break_ties=True`). Two classes:
    /// `[f, −f]` with f the LIBSVM decision value.
    ///
    /// scikit-learn: `SVC.decision_function` with `decision_function_shape="ovr"`.
    /// - Returns: `rows × classCount`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func decisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        let dec = try oneVsOneDecisionValues(x)
        var out = Matrix<Double>(rows: x.rows, columns: classCount)
        if classCount == 2 {
            for r in 0..<x.rows { out[r, 0] = dec[r, 0]; out[r, 1] = -dec[r, 0] }
            return out
        }
        let pairs = ClassPairs(classCount: classCount)
        for r in 0..<x.rows {
            var votes = [Double](repeating: 0, count: classCount)
            var conf = [Double](repeating: 0, count: classCount)
            for p in pairs {
                let v = dec[r, p.index]
                conf[p.first] += v; conf[p.second] -= v
                if v < 0 { votes[p.second] += 1 } else { votes[p.first] += 1 }
            }
            for c in 0..<classCount { out[r, c] = votes[c] + conf[c] / (3 * (abs(conf[c]) + 1)) }
        }
        return out
    }

    /// Platt class probabilities: per pair the sigmoid `1/(1+exp(A·f+B))` of the decision value,
    /// clipped to [1e−7, 1 − 1e−7], coupled into class probabilities by Wu, Lin & Weng's second
    /// method (two classes: the pair's probability and its complement).
    ///
    /// LIBSVM `svm_predict_probability`; scikit-learn: `SVC.predict_proba`.
    /// - Returns: `rows × classCount` (rows sum to 1), or nil when fitted without probabilities.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        guard let a = plattA, let b = plattB else { return nil }
        let dec = try oneVsOneDecisionValues(x)
        var out = Matrix<Double>(rows: x.rows, columns: classCount)
        let k = classCount
        for r in 0..<x.rows {
            var pairwise = [Double](repeating: 0, count: k * k)
            for p in ClassPairs(classCount: k) {
                let v = min(max(PlattScaling.sigmoidPredict(dec[r, p.index], a[p.index], b[p.index]), 1e-7), 1 - 1e-7)
                pairwise[p.first * k + p.second] = v
                pairwise[p.second * k + p.first] = 1 - v
            }
            let probs = k == 2 ? [pairwise[1], pairwise[2]] : PlattScaling.multiclassProbability(k: k, r: pairwise)
            for c in 0..<k { out[r, c] = probs[c] }
        }
        return out
    }
}

/// Read-only views of a `KernelSVM`'s support-vector arrays, taken once per prediction by
/// `KernelSVM.withSupportVectorViews`, with the per-block scoring step of
/// `oneVsOneDecisionValues`.
private struct SupportVectorViews {
    /// `count × featureCount` support vectors, grouped by class.
    let vectors: UnsafePointer<Float>
    /// Their squared norms (`count`).
    let squaredNorms: UnsafePointer<Float>
    /// LIBSVM's `sv_coef`, `(classCount − 1) × count`.
    let coefficients: UnsafePointer<Double>
    /// ρ per class pair.
    let rho: UnsafePointer<Double>
    /// First support vector of each class, and how many each class has.
    let classStarts: [Int]
    let supportCounts: [Int]
    let count: Int
    let featureCount: Int
    let kernel: KernelFunction

    /// Decision values of `n` rows at `x` into `out` (`n × pairs`); `kernelScratch` holds
    /// `n × count` kernel values.
    func decisionValues(rows x: UnsafePointer<Float>, count n: Int, into out: UnsafeMutablePointer<Double>,
                        kernelScratch kv: UnsafeMutablePointer<Float>) {
        let d = featureCount, nSV = count
        let pairs = ClassPairs(classCount: classStarts.count)
        let sqX = rowSquaredNorms(x, n: n, d: d)
        kernel.block(x, sqA: sqX, n: n, vectors, sqB: squaredNorms, m: nSV, d: d, into: kv)
        for r in 0..<n {
            let kr = kv + r * nSV
            let o = out + r * pairs.count
            for p in pairs {
                let i = p.first, j = p.second
                var s = 0.0
                let c1 = coefficients + (j - 1) * nSV, c2 = coefficients + i * nSV
                for t in classStarts[i]..<(classStarts[i] + supportCounts[i]) { s += c1[t] * Double(kr[t]) }
                for t in classStarts[j]..<(classStarts[j] + supportCounts[j]) { s += c2[t] * Double(kr[t]) }
                o[p.index] = s - rho[p.index]
            }
        }
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
        var plattA: [Double]?
        var plattB: [Double]?
    }

    struct PairResult {
        var coef: [Double] = []  // α·y over [class i members, class j members]
        var rho = 0.0
        var plattA = 0.0
        var plattB = 0.0
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

    /// Recipe: 1. group the rows by class; 2. solve every class pair (in parallel);
    /// 3. collect the support vectors and LIBSVM's coefficient layout.
    func train(progress: KernelSVM.Progress?) -> Output {
        var members = [[Int]](repeating: [], count: classCount)
        for (i, c) in y.enumerated() { members[c].append(i) }
        let results = solvePairs(members: members, progress: progress)
        return collectSupportVectors(members: members, results: results)
    }

    /// Step 2: one sub-problem per class pair (class i = +1 with C·w_i, class j = −1 with C·w_j),
    /// largest first for load balance, each worker with its share of the kernel cache.
    private func solvePairs(members: [[Int]], progress: KernelSVM.Progress?) -> [PairResult] {
        let pairs = Array(ClassPairs(classCount: classCount))
        let weights = parameters.classWeights ?? [Double](repeating: 1, count: classCount)
        let threads = max(1, LinearAlgebra.threadCount)
        let workers = max(1, min(threads, pairs.count))
        let cacheBytes = Int(parameters.cacheMegabytes * 1_048_576) / workers
        let size = pairs.map { members[$0.first].count + members[$0.second].count }
        let order = pairs.indices.sorted { a, b in size[a] != size[b] ? size[a] > size[b] : a < b }
        let work = size.map { Double($0) * Double($0) }
        let totalWork = max(work.reduce(0, +), 1)
        let box = ResultBox(count: pairs.count)
        let xx = x, params = parameters, kern = kernel
        withWorkers(workers, tasks: order.count, blasThreads: workers == 1 ? threads : 1) { _, queue in
            while let t = queue.next() {
                let pair = pairs[order[t]]
                let (i, j) = (pair.first, pair.second)
                let rows = members[i] + members[j]
                let cp = params.regularization * weights[i], cn = params.regularization * weights[j]
                var res = PairResult()
                if params.probability {
                    (res.plattA, res.plattB) = PlattScaling.binaryProbability(x: xx, rows: rows, positives: members[i].count, cp: cp, cn: cn,
                                                                               kernel: kern, parameters: params, cacheBytes: cacheBytes)
                }
                (res.coef, res.rho) = Self.solveBinary(x: xx, rows: rows, positives: members[i].count, cp: cp, cn: cn,
                                                       kernel: kern, parameters: params, cacheBytes: cacheBytes)
                let done = box.store(pair.index, res, work: work[pair.index])
                progress?(done / totalWork)
            }
        }
        return box.results
    }

    /// Step 3: support vectors are the rows with a non-zero coefficient in any pair, grouped by
    /// class in data order; LIBSVM's `sv_coef` stores pair (i, j) in row j−1 for class-i
    /// vectors and in row i for class-j vectors.
    private func collectSupportVectors(members: [[Int]], results: [PairResult]) -> Output {
        let k = classCount
        let pairs = ClassPairs(classCount: k)
        var nonzero = [Bool](repeating: false, count: x.rows)
        for p in pairs {
            let rows = members[p.first] + members[p.second]
            for (t, r) in rows.enumerated() where results[p.index].coef[t] != 0 { nonzero[r] = true }
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
        for p in pairs {
            let (i, j) = (p.first, p.second)
            let mi = members[i].count
            for (t, r) in (members[i] + members[j]).enumerated() where nonzero[r] {
                let row = t < mi ? j - 1 : i
                coef[row * nSV + position[r]] = results[p.index].coef[t]
            }
        }
        return Output(supportCounts: counts, supportIndices: svIndices, dualCoefficients: coef, rho: results.map(\.rho),
                      plattA: parameters.probability ? results.map(\.plattA) : nil,
                      plattB: parameters.probability ? results.map(\.plattB) : nil)
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
