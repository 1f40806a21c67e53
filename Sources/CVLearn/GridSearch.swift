import CLAPACK
import Foundation

/// Exhaustive search over C (and γ for kernel SVMs) scored by stratified k-fold
/// cross-validated accuracy, as scikit-learn's `GridSearchCV(cv=StratifiedKFold(k))` with the
/// default `refit` rule: the best point is the one with the highest mean accuracy, the first in
/// grid order (C outer, γ inner) on ties.
///
/// Each (grid point, fold) fit is an independent task; tasks run in parallel, one per core,
/// each fit single-threaded. The whole pipeline of `options` (scaler, PCA, classifier) is
/// refitted on every training fold, and γ `scale`/`auto` is resolved per fold.
///
/// - Complexity: |C|·|γ|·k fits.
public enum GridSearch {
    /// One grid point's scores.
    public struct Point: Sendable {
        /// The regularization parameter C of this point (scikit-learn: `C`).
        public var regularization: Double
        /// γ (nil for the linear SVM and the linear kernel).
        public var gamma: GammaSpec?
        /// Accuracy on each held-out fold.
        public var foldScores: [Double]
        /// Mean of `foldScores`.
        public var mean: Double { foldScores.reduce(0, +) / Double(max(foldScores.count, 1)) }

        @available(*, deprecated, renamed: "regularization")
        public var C: Double { regularization }
    }

    /// The training options of one grid point: `base` with C (and γ, when given) replaced.
    /// - Parameters:
    ///   - base: the pipeline; its progress callback is dropped.
    ///   - regularization: C for the SVM `base` trains.
    ///   - gamma: γ for a kernel SVM, or nil to keep `base`'s.
    public static func options(_ base: TrainingOptions, regularization: Double, gamma: GammaSpec?) -> TrainingOptions {
        var o = base
        o.progress = nil
        if o.classifier == .linearSVM {
            o.linearSVM.regularization = regularization
        } else {
            o.svm.regularization = regularization
            if let g = gamma { o.svm.gamma = g }
        }
        return o
    }

    @available(*, deprecated, renamed: "options(_:regularization:gamma:)")
    public static func options(_ base: TrainingOptions, C: Double, gamma: GammaSpec?) -> TrainingOptions {
        options(base, regularization: C, gamma: gamma)
    }

    /// Runs the search.
    /// - Parameters:
    ///   - x: the feature rows.
    ///   - y: the class index of each row (`classIndices`), as `encoder` encodes the labels.
    ///   - encoder: the label encoder the trained models carry.
    ///   - options: the pipeline; its classifier must be `.svm` or `.linearSVM`.
    ///   - Cs: candidate values of C (`regularizations`, each > 0).
    ///   - gammas: candidate γ (ignored, may be empty, for the linear SVM).
    ///   - folds: k ≥ 2.
    ///   - seed: fold shuffle seed; default `nil`, scikit-learn's unshuffled folds.
    ///   - progress: called with the fraction of the fits done; default `nil`.
    /// - Returns: one `Point` per grid point in grid order.
    /// - Throws: `LearnError.invalidParameter` for an empty grid, a non-SVM classifier or bad k.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func run<T: LearnScalar>(_ x: Matrix<T>, classIndices y: [Int], encoder: LabelEncoder, options: TrainingOptions,
                                           regularizations Cs: [Double], gammas: [GammaSpec], folds: Int, seed: UInt64? = nil,
                                           progress: (@Sendable (Double) -> Void)? = nil) throws -> [Point] {
        guard options.classifier == .svm || options.classifier == .linearSVM else {
            throw LearnError.invalidParameter(name: "grid", reason: "grid search needs --classifier svm or linear-svm")
        }
        try validate(regularizations: Cs)
        let useGamma = options.classifier == .svm && options.svm.kernel.usesGamma
        let gs: [GammaSpec?] = useGamma ? (gammas.isEmpty ? [options.svm.gamma] : gammas.map { Optional($0) }) : [nil]
        var points: [Point] = []
        for c in Cs { for g in gs { points.append(Point(regularization: c, gamma: g, foldScores: [Double](repeating: .nan, count: folds))) } }
        let splits = try StratifiedKFold(splits: folds, seed: seed).split(labels: y)
        let tasks = points.count * folds
        let threads = max(1, LinearAlgebra.threadCount)
        let lock = NSLock()
        var firstError: Error?
        var done = 0
        let grid = points
        withWorkers(min(threads, tasks), tasks: tasks, blasThreads: 1) { _, queue in
            while let t = queue.next() {
                let p = t / folds, f = t % folds
                let s = splits[f]
                do {
                    let o = Self.options(options, regularization: grid[p].regularization, gamma: grid[p].gamma)
                    let model = try Model.train(x.selectingRows(s.train), classIndices: s.train.map { y[$0] }, encoder: encoder, options: o)
                    let pred = try model.predictIndices(x.selectingRows(s.test))
                    let acc = accuracyScore(truth: s.test.map { y[$0] }, predicted: pred)
                    lock.lock(); points[p].foldScores[f] = acc; done += 1; let fr = Double(done) / Double(tasks); lock.unlock()
                    progress?(fr)
                } catch {
                    lock.lock(); if firstError == nil { firstError = error }; lock.unlock()
                }
            }
        }
        if let e = firstError { throw e }
        return points
    }

    @available(*, deprecated, renamed: "run(_:classIndices:encoder:options:regularizations:gammas:folds:seed:progress:)")
    public static func run<T: LearnScalar>(_ x: Matrix<T>, classIndices y: [Int], encoder: LabelEncoder, options: TrainingOptions,
                                           Cs: [Double], gammas: [GammaSpec], folds: Int, seed: UInt64? = nil,
                                           progress: (@Sendable (Double) -> Void)? = nil) throws -> [Point] {
        try run(x, classIndices: y, encoder: encoder, options: options, regularizations: Cs, gammas: gammas, folds: folds, seed: seed,
                progress: progress)
    }

    /// Checks a grid's values of C: at least one, each positive and finite.
    /// - Throws: `LearnError.invalidParameter` named `C`.
    public static func validate(regularizations: [Double]) throws {
        guard !regularizations.isEmpty else { throw LearnError.invalidParameter(name: "C", reason: "the grid needs at least one C") }
        for c in regularizations { try requirePositive(c, "C") }
    }

    /// Index of the best point (highest mean, first on ties).
    public static func best(_ points: [Point]) -> Int {
        var b = 0
        for i in points.indices where points[i].mean > points[b].mean { b = i }
        return b
    }
}
