import ArgumentParser
import ClassicCV
import Foundation

// The steps the learning commands (train, predict, evaluate, pca) share: reading a table with
// the common input options, checking outputs, and CVLearn's generic calls on a table of either
// precision — the one place that switches over `AnyMatrix`.

extension LearnInputOptions {
    /// Applies --threads, then reads `path` with --labels.
    func loadTable(_ path: String) throws -> FeatureTable {
        applyThreads()
        return try LearnIO.loadTable(path, labels: labels)
    }

    /// Applies --threads, then reads the model file at `modelPath` and the table at `path`.
    func loadModelAndTable(model modelPath: String, table path: String) throws -> (Model, FeatureTable) {
        applyThreads()
        let model = try ModelFile.readModel(path: modelPath)
        return (model, try LearnIO.loadTable(path, labels: labels))
    }
}

extension LearnIO {
    /// Refuses an output that is one of the inputs (nil inputs, such as an absent `--labels`,
    /// are skipped), and `-` unless standard output is allowed.
    static func validateOutput(_ output: String?, inputs: [String?], allowStandardOutput: Bool = true) throws {
        guard let output else { return }
        try CommandIO.refuseOverwriting(inputs: inputs, outputs: [output])
        guard allowStandardOutput || output != "-" else { throw ValidationError("-o must name a file") }
    }
}

extension AnyMatrix {
    /// `Model.train` on these rows.
    func fitModel(labels: [String], options: TrainingOptions) throws -> Model {
        switch self {
        case let .float(m): return try Model.train(m, labels: labels, options: options)
        case let .double(m): return try Model.train(m, labels: labels, options: options)
        }
    }

    /// `model.predictIndices` of these rows.
    func predictIndices(_ model: Model) throws -> [Int] {
        switch self {
        case let .float(m): return try model.predictIndices(m)
        case let .double(m): return try model.predictIndices(m)
        }
    }

    /// `model.probabilities` of these rows, or nil for classifiers without them.
    func probabilities(_ model: Model) throws -> Matrix<Double>? {
        switch self {
        case let .float(m): return try model.probabilities(m)
        case let .double(m): return try model.probabilities(m)
        }
    }

    /// Stratified k-fold accuracies, with a progress line per fold.
    func crossValidate(labels: [String], options: TrainingOptions, folds: Int, seed: UInt64?) throws -> [Double] {
        let progress: (Int) -> Void = { f in LearnIO.progress("cross-validation fold \(f + 1)/\(folds)…") }
        switch self {
        case let .float(m): return try CVLearn.crossValidate(m, labels: labels, options: options, folds: folds, seed: seed, progress: progress)
        case let .double(m): return try CVLearn.crossValidate(m, labels: labels, options: options, folds: folds, seed: seed, progress: progress)
        }
    }

    /// `GridSearch.run` on these rows with string labels.
    func gridSearch(labels: [String], options: TrainingOptions, regularizations: [Double], gammas: [GammaSpec], folds: Int,
                    seed: UInt64?, progress: @escaping @Sendable (Double) -> Void) throws -> [GridSearch.Point] {
        let encoder = try LabelEncoder(fitting: labels)
        let y = try encoder.encode(labels)
        switch self {
        case let .float(m):
            return try GridSearch.run(m, classIndices: y, encoder: encoder, options: options, regularizations: regularizations,
                                      gammas: gammas, folds: folds, seed: seed, progress: progress)
        case let .double(m):
            return try GridSearch.run(m, classIndices: y, encoder: encoder, options: options, regularizations: regularizations,
                                      gammas: gammas, folds: folds, seed: seed, progress: progress)
        }
    }

    /// A PCA fitted on these rows (in their own precision).
    func fitPCA(_ parameters: PCA.Parameters) throws -> PCA {
        switch self {
        case let .float(m): return try PCA(fitting: m, parameters: parameters)
        case let .double(m): return try PCA(fitting: m, parameters: parameters)
        }
    }

    /// `pca.reconstructionError` of these rows.
    func reconstructionError(_ pca: PCA) throws -> Double {
        switch self {
        case let .float(m): return try pca.reconstructionError(m)
        case let .double(m): return try pca.reconstructionError(m)
        }
    }

    /// The rows projected onto `pca`'s components (`inverse`: mapped back to feature space).
    func projected(by pca: PCA, inverse: Bool = false) throws -> AnyMatrix {
        switch self {
        case let .float(m): return .float(inverse ? try pca.inverseTransform(m) : try pca.transform(m))
        case let .double(m): return .double(inverse ? try pca.inverseTransform(m) : try pca.transform(m))
        }
    }
}

// CVLearn's option enums parse from their raw values (`--classifier linear-svm`); an unknown
// name is a usage error listing the known ones.
extension ClassifierKind: ExpressibleByArgument {}
extension Scaler.Kind: ExpressibleByArgument {}
extension KernelType: ExpressibleByArgument {}
extension LinearSVM.Loss: ExpressibleByArgument {}
extension LinearSVM.MultiClass: ExpressibleByArgument {}
extension PCA.Solver: ExpressibleByArgument {}
extension NeighborMetric: ExpressibleByArgument {}
extension KNeighborsClassifier.Weights: ExpressibleByArgument {}
extension LinearDiscriminantAnalysis.Solver: ExpressibleByArgument {}
