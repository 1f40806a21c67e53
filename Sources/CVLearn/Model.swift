import Foundation

/// Everything needed to train a `Model`.
public struct TrainingOptions: Sendable {
    /// Classifier kind. Default `.gaussianNB`.
    public var classifier: ClassifierKind
    /// Scaler fitted before PCA and the classifier. Default `.none`.
    public var scale: Scaler.Kind
    /// PCA components, or nil for no PCA (default).
    public var pca: PCA.Components?
    /// GaussianNB parameters (used when `classifier == .gaussianNB`).
    public var gaussian: GaussianNB.Parameters
    /// Multinomial/Complement NB parameters.
    public var discrete: DiscreteNBParameters
    /// ComplementNB's `norm`. Default `false`.
    public var complementNorm: Bool
    /// Linear SVM parameters (used when `classifier == .linearSVM`).
    public var linearSVM: LinearSVM.Parameters = .init()
    /// Kernel SVM parameters (used when `classifier == .svm`).
    public var svm: KernelSVM.Parameters = .init()
    /// k-nearest-neighbours parameters (used when `classifier == .knn`).
    public var knn: KNeighborsClassifier.Parameters = .init()
    /// Linear discriminant analysis parameters (used when `classifier == .lda`).
    public var lda: LinearDiscriminantAnalysis.Parameters = .init()
    /// Called with the fraction of the classifier fit done (SVMs only; from worker threads).
    public var progress: (@Sendable (Double) -> Void)? = nil

    public init(classifier: ClassifierKind = .gaussianNB, scale: Scaler.Kind = .none, pca: PCA.Components? = nil,
                gaussian: GaussianNB.Parameters = .init(), discrete: DiscreteNBParameters = .init(), complementNorm: Bool = false) {
        self.classifier = classifier
        self.scale = scale
        self.pca = pca
        self.gaussian = gaussian
        self.discrete = discrete
        self.complementNorm = complementNorm
    }

    /// Checks every parameter set the options hold, used by the chosen classifier or not, so a
    /// bad value never passes unnoticed; `cvtool train` calls this before reading any data.
    /// - Throws: `LearnError.invalidParameter` naming the first bad parameter.
    public func validate() throws {
        try gaussian.validate()
        _ = try discrete.validatedAlpha()
        try linearSVM.validate()
        try svm.validate()
        try knn.validate()
        try lda.validate()
    }
}

/// A trained pipeline — optional scaler, optional PCA, classifier — with its class labels.
/// `ModelFile` stores it as versioned JSON that loads back to identical predictions.
public struct Model: Sendable {
    /// Input features expected.
    public let featureCount: Int
    /// Class labels (index order).
    public let labels: LabelEncoder
    public let scaler: Scaler?
    public let pca: PCA?
    public let classifier: AnyClassifier

    public init(featureCount: Int, labels: LabelEncoder, scaler: Scaler?, pca: PCA?, classifier: AnyClassifier) throws {
        self.featureCount = featureCount
        self.labels = labels
        self.scaler = scaler
        self.pca = pca
        self.classifier = classifier
        try validate()
    }

    /// Fits scaler → PCA → classifier on `x` with string labels.
    /// - Throws: whatever the steps throw (bad parameters, negative counts, …).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func train<T: LearnScalar>(_ x: Matrix<T>, labels: [String], options: TrainingOptions) throws -> Model {
        let encoder = try LabelEncoder(fitting: labels)
        let y = try encoder.encode(labels)
        return try train(x, classIndices: y, encoder: encoder, options: options)
    }

    /// Fits with class indices already encoded by `encoder`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func train<T: LearnScalar>(_ x: Matrix<T>, classIndices y: [Int], encoder: LabelEncoder, options: TrainingOptions) throws -> Model {
        guard x.rows == y.count else { throw LearnError.invalidData(reason: "\(x.rows) samples but \(y.count) labels") }
        let scaler = try Scaler.fit(options.scale, on: x)
        var z: Matrix<T> = try scaler?.transform(x) ?? x
        var pca: PCA? = nil
        if let comps = options.pca {
            let p = try PCA(fitting: z, parameters: PCA.Parameters(components: comps))
            z = try p.transform(z)
            pca = p
        }
        let c = encoder.classes.count
        let clf: any Classifier
        switch options.classifier {
        case .gaussianNB: clf = try GaussianNB(fitting: z, labels: y, classCount: c, parameters: options.gaussian)
        case .multinomialNB: clf = try MultinomialNB(fitting: z, labels: y, classCount: c, parameters: options.discrete)
        case .complementNB: clf = try ComplementNB(fitting: z, labels: y, classCount: c, parameters: options.discrete, norm: options.complementNorm)
        case .linearSVM: clf = try LinearSVM(fitting: z, labels: y, classCount: c, parameters: options.linearSVM, progress: options.progress)
        case .svm: clf = try KernelSVM(fitting: z, labels: y, classCount: c, parameters: options.svm, progress: options.progress)
        case .knn: clf = try KNeighborsClassifier(fitting: z, labels: y, classCount: c, parameters: options.knn)
        case .lda: clf = try LinearDiscriminantAnalysis(fitting: z, labels: y, classCount: c, parameters: options.lda)
        }
        return try Model(featureCount: x.columns, labels: encoder, scaler: scaler, pca: pca, classifier: AnyClassifier(clf))
    }

    /// Applies the scaler and PCA: the classifier's input.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func preprocess<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(x.columns, featureCount, "model")
        try x.requireFinite()
        guard scaler != nil || pca != nil else { return x }
        var z = try scaler?.transform(x) ?? x
        if let pca { z = try pca.transform(z) }
        // Finite rows far outside the fitted range can still overflow the scaling.
        try z.requireFinite("X after the model's scaling")
        return z
    }

    /// Class index per row (scaler → PCA → the classifier's `predict`).
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func predictIndices<T: LearnScalar>(_ x: Matrix<T>) throws -> [Int] {
        try classifier.base.predict(try preprocess(x))
    }

    /// Class label per row. scikit-learn: `Pipeline.predict`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func predict<T: LearnScalar>(_ x: Matrix<T>) throws -> [String] {
        labels.decode(try predictIndices(x))
    }

    /// Class probabilities, or nil for classifiers without them. scikit-learn: `predict_proba`.
    /// - Returns: `rows × classes`, or nil.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        let p = try classifier.base.probabilities(try preprocess(x))
        try p?.requireFinite("the probabilities")
        return p
    }

    @available(*, deprecated, renamed: "probabilities(_:)")
    public func predictProba<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? { try probabilities(x) }

    /// Consistency of the parts (used after decoding a file).
    func validate() throws {
        let clf = classifier.base
        // The class list is data actually present: check the classifier's count against it
        // before any shape check multiplies with it.
        guard clf.classCount == labels.classes.count else {
            throw LearnError.decoding(source: "<memory>", reason: "classifier has \(clf.classCount) classes, the file lists \(labels.classes.count) labels")
        }
        try clf.validate()
        guard featureCount >= 1 else { throw LearnError.decoding(source: "<memory>", reason: "n_features must be ≥ 1") }
        try scaler?.validate()
        if let s = scaler, s.featureCount != featureCount {
            throw LearnError.decoding(source: "<memory>", reason: "scaler has \(s.featureCount) features, model has \(featureCount)")
        }
        if let p = pca {
            try p.validate()
            guard p.featureCount == featureCount else {
                throw LearnError.decoding(source: "<memory>", reason: "PCA has \(p.featureCount) features, model has \(featureCount)")
            }
        }
        let expected = pca?.componentCount ?? featureCount
        guard clf.featureCount == expected else {
            throw LearnError.decoding(source: "<memory>", reason: "classifier expects \(clf.featureCount) inputs, the pipeline gives \(expected)")
        }
        guard clf.classCount == labels.classes.count else {
            throw LearnError.decoding(source: "<memory>", reason: "classifier has \(clf.classCount) classes, the file lists \(labels.classes.count) labels")
        }
    }
}

/// Stratified k-fold cross-validation of a training recipe: fits on k−1 folds, scores accuracy
/// on the held-out fold. Returns one accuracy per fold.
/// - Throws: `LearnError.invalidParameter` for an impossible k; errors of training.
@_specialize(where T == Float)
@_specialize(where T == Double)
public func crossValidate<T: LearnScalar>(_ x: Matrix<T>, labels: [String], options: TrainingOptions, folds k: Int, seed: UInt64? = nil,
                                          progress: ((Int) -> Void)? = nil) throws -> [Double] {
    let encoder = try LabelEncoder(fitting: labels)
    let y = try encoder.encode(labels)
    let splits = try StratifiedKFold(splits: k, seed: seed).split(labels: y)
    var scores: [Double] = []
    for (f, s) in splits.enumerated() {
        progress?(f)
        let model = try Model.train(x.selectingRows(s.train), classIndices: s.train.map { y[$0] }, encoder: encoder, options: options)
        let pred = try model.predictIndices(x.selectingRows(s.test))
        scores.append(accuracyScore(truth: s.test.map { y[$0] }, predicted: pred))
    }
    return scores
}

// MARK: - Classifier validation

extension Classifier {
    /// Checks array sizes and finiteness of a decoded classifier.
    func validate() throws {
        guard featureCount >= 1, classCount >= 1 else {
            throw LearnError.decoding(source: "<memory>", reason: "classifier has \(featureCount) features and \(classCount) classes")
        }
        if let v = self as? any ArrayShapeCheckable { try v.checkShapes() }
    }
}

/// Implemented by classifiers whose weights are flat arrays that must match their sizes.
protocol ArrayShapeCheckable {
    func checkShapes() throws
}

/// `a × b`, or a decoding error naming `what` when the product overflows `Int` (a model file
/// can claim any count; only the arrays actually present decide what is accepted).
func checkedProduct(_ a: Int, _ b: Int, _ what: String) throws -> Int {
    let (p, overflow) = a.multipliedReportingOverflow(by: b)
    guard a >= 0, b >= 0, !overflow else {
        throw LearnError.decoding(source: "<memory>", reason: "\(what): \(a) x \(b) is not a possible size")
    }
    return p
}

/// The sum of `counts`, or a decoding error naming `what` when one is negative or the sum overflows.
func checkedSum(_ counts: [Int], _ what: String) throws -> Int {
    var total = 0
    for c in counts {
        let (t, overflow) = total.addingReportingOverflow(c)
        guard c >= 0, !overflow else { throw LearnError.decoding(source: "<memory>", reason: "'\(what)' holds an impossible count \(c)") }
        total = t
    }
    return total
}

func checkArray(_ a: [Double], _ count: Int, _ name: String, allowInfinite: Bool = false) throws {
    guard a.count == count else {
        throw LearnError.decoding(source: "<memory>", reason: "'\(name)' has \(a.count) values, expected \(count)")
    }
    if !allowInfinite, let bad = a.firstIndex(where: { !$0.isFinite }) {
        throw LearnError.decoding(source: "<memory>", reason: "'\(name)'[\(bad)] is not finite")
    }
}

extension GaussianNB: ArrayShapeCheckable {
    func checkShapes() throws {
        let n = try checkedProduct(classCount, featureCount, "theta")
        try checkArray(theta, n, "theta"); try checkArray(variance, n, "variance")
        try checkArray(classPrior, classCount, "class_prior")
        guard variance.allSatisfy({ $0 > 0 }) else { throw LearnError.decoding(source: "<memory>", reason: "'variance' must be positive") }
    }
}

/// Multinomial and Complement NB: linear scores from `featureLogProb` and `classLogPrior`,
/// checked alike after decoding.
protocol CountNaiveBayes: NaiveBayesModel, ArrayShapeCheckable {
    var featureLogProb: [Double] { get }
    var classLogPrior: [Double] { get }
}

extension CountNaiveBayes {
    func checkShapes() throws {
        try checkArray(featureLogProb, try checkedProduct(classCount, featureCount, "feature_log_prob"), "feature_log_prob")
        try checkArray(classLogPrior, classCount, "class_log_prior", allowInfinite: true)
    }
}

extension MultinomialNB: CountNaiveBayes {}
extension ComplementNB: CountNaiveBayes {}

// MARK: - Scaler validation

extension Scaler {
    /// Checks a decoded scaler: one finite value per feature in every array, and a multiplier
    /// that is the one its own statistics give (so no file can scale finite data to infinity).
    /// - Throws: `LearnError.decoding` naming the array at fault.
    func validate() throws {
        switch self {
        case let .standard(s): try s.validateDecoded()
        case let .minMax(s): try s.validateDecoded()
        }
    }
}

/// True when `a` and `b` agree to about single precision relative to `magnitude` (default:
/// theirs); scalers fitted on `Float` data compute their statistics in `Float`.
private func agrees(_ a: Double, _ b: Double, magnitude: Double? = nil) -> Bool {
    abs(a - b) <= 1e-5 * (magnitude ?? max(abs(a), abs(b))) + Double.leastNormalMagnitude
}

extension StandardScaler {
    func validateDecoded() throws {
        let d = mean.count
        guard d >= 1 else { throw LearnError.decoding(source: "<memory>", reason: "scaler has no features") }
        try checkArray(mean, d, "scaler.mean"); try checkArray(variance, d, "scaler.variance"); try checkArray(scale, d, "scaler.scale")
        for j in 0..<d where !(variance[j] >= 0 && scale[j] > 0 && (scale[j] == 1 || agrees(scale[j], variance[j].squareRoot()))) {
            throw LearnError.decoding(source: "<memory>", reason: "scaler.scale[\(j)] = \(scale[j]) is not the standard deviation of variance \(variance[j])")
        }
    }
}

extension MinMaxScaler {
    func validateDecoded() throws {
        let d = dataMin.count
        guard d >= 1 else { throw LearnError.decoding(source: "<memory>", reason: "scaler has no features") }
        try checkArray(dataMin, d, "scaler.dataMin"); try checkArray(dataMax, d, "scaler.dataMax")
        try checkArray(scale, d, "scaler.scale"); try checkArray(offset, d, "scaler.offset")
        let width = upper - lower
        guard lower.isFinite, upper.isFinite, width > 0, width.isFinite else {
            throw LearnError.decoding(source: "<memory>", reason: "scaler range \(lower)...\(upper) is not a finite increasing range")
        }
        for j in 0..<d {
            let range = dataMax[j] - dataMin[j]
            let fromData = range.isFinite && range > 0 && agrees(scale[j], width / range)
            guard range >= 0, fromData || agrees(scale[j], width), agrees(offset[j], lower - dataMin[j] * scale[j], magnitude: abs(lower) + abs(dataMin[j] * scale[j])) else {
                throw LearnError.decoding(source: "<memory>", reason: "scaler.scale[\(j)] = \(scale[j]) and offset \(offset[j]) do not map \(dataMin[j])...\(dataMax[j]) onto \(lower)...\(upper)")
            }
        }
    }
}
