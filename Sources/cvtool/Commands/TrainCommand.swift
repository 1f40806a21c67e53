import ArgumentParser
import ClassicCV
import Foundation

/// Options of `cvtool train`, reusable by benchmarks.
struct TrainOptions: ParsableArguments {
    @Option(help: "Classifier: \(ClassifierKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var classifier: String = "gaussian-nb"

    @Option(help: "Feature scaling before PCA and the classifier: standard, minmax or none.")
    var scale: String = "none"

    @Option(help: "PCA before the classifier: a component count (e.g. 40) or a variance fraction (e.g. 0.95).")
    var pca: String?

    @Option(help: "Naive Bayes smoothing: alpha for multinomial/complement (default 1).")
    var alpha: Double = 1

    @Option(name: .customLong("var-smoothing"), help: "GaussianNB var_smoothing (default 1e-9).")
    var varSmoothing: Double = 1e-9

    @Flag(name: .customLong("no-fit-prior"), help: "Multinomial/complement NB: uniform class priors.")
    var noFitPrior = false

    @Flag(help: "ComplementNB: second normalization of the weights.")
    var norm = false

    func trainingOptions() throws -> TrainingOptions {
        guard let kind = ClassifierKind(rawValue: classifier) else {
            throw ValidationError("unknown --classifier '\(classifier)'; known: \(ClassifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let s = Scaler.Kind(rawValue: scale) else { throw ValidationError("--scale must be standard, minmax or none, got '\(scale)'") }
        var comps: PCA.Components? = nil
        if let pca {
            do { comps = try PCA.Components(parsing: pca) } catch { throw ValidationError("--pca: \(error)") }
        }
        return TrainingOptions(classifier: kind, scale: s, pca: comps, gaussian: .init(varSmoothing: varSmoothing),
                               discrete: .init(alpha: alpha, fitPrior: !noFitPrior), complementNorm: norm)
    }
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier on a feature table and save it as a JSON model.",
        discussion: """
        FEATURES is a table as `cvtool hog` writes it: CSV with a header and a `label` column \
        (`path,label,f0,f1,...`), LIBSVM/SVMlight text (.svm/.libsvm/.txt), or NPY (labels from \
        --labels). An IDX image file (MNIST/Fashion-MNIST) is read as raw pixels, one image per row.

        The pipeline is: optional scaler (--scale), optional PCA (--pca), classifier. --cv K first \
        reports stratified K-fold cross-validated accuracy (seeded with --seed), then fits on all \
        rows. --json prints one object with the timings: fit_ms is the in-process time of the \
        fit (file I/O excluded).

        Examples:
          cvtool train train.csv -o model.json --classifier gaussian-nb
          cvtool train hog.npy --labels labels.txt -o model.json --classifier multinomial-nb --scale minmax
          cvtool train train.csv -o model.json --scale standard --pca 0.95 --cv 5
          cvtool train train-images-idx3-ubyte.gz --labels train-labels-idx1-ubyte.gz -o m.json --json
        """
    )

    @Argument(help: "Training table (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(name: .shortAndLong, help: "Output model (.json).")
    var output: String

    @OptionGroup var train: TrainOptions
    @OptionGroup var input: LearnInputOptions

    @Option(help: "Stratified K-fold cross-validation before the final fit.")
    var cv: Int?

    @Option(help: "Seed for the cross-validation shuffle (default: no shuffle, sklearn's folds).")
    var seed: UInt64?

    @Flag(help: "Print one JSON object (sizes, fit_ms, cross-validation scores).")
    var json = false

    func validate() throws {
        _ = try train.trainingOptions()
        if let cv, cv < 2 { throw ValidationError("--cv must be at least 2, got \(cv)") }
        try CommandIO.refuseOverwritingInput(output: output, inputs: [features])
        guard output != "-" else { throw ValidationError("-o must name a file") }
    }

    func run() throws {
        input.applyThreads()
        let options = try train.trainingOptions()
        LearnIO.progress("reading \(features)…")
        let table = try LearnIO.loadTable(features, labels: input.labels)
        let labels = try LearnIO.requireLabels(table, features)
        var cvScores: [Double] = []
        var cvMs = 0.0
        if let cv {
            (cvScores, cvMs) = try LearnIO.timed {
                try Self.crossValidate(table.features, labels: labels, options: options, folds: cv, seed: seed)
            }
        }
        LearnIO.progress("fitting \(options.classifier.rawValue) on \(table.count)x\(table.features.columns)…")
        let (model, fitMs) = try LearnIO.timed { try Self.fit(table.features, labels: labels, options: options) }
        LearnIO.progressDone()
        try CommandIO.write(try ModelFile.encode(model), to: output)
        let trainAcc = accuracyScore(truth: try model.labels.encode(labels), predicted: try Self.predict(model, table.features))
        if json {
            var pairs: [(String, String)] = [
                ("model", LearnIO.json(output)), ("classifier", LearnIO.json(options.classifier.rawValue)),
                ("samples", "\(table.count)"), ("features", "\(table.features.columns)"), ("classes", "\(model.labels.classes.count)"),
                ("scale", LearnIO.json(options.scale.rawValue)), ("pca_components", model.pca.map { "\($0.componentCount)" } ?? "null"),
                ("threads", "\(LinearAlgebra.threadCount)"), ("fit_ms", LearnIO.json(fitMs)), ("train_accuracy", LearnIO.json(trainAcc)),
            ]
            if cv != nil {
                pairs.append(("cv_accuracy", LearnIO.json(cvScores)))
                pairs.append(("cv_mean", LearnIO.json(cvScores.reduce(0, +) / Double(cvScores.count))))
                pairs.append(("cv_ms", LearnIO.json(cvMs)))
            }
            print(LearnIO.object(pairs))
        } else {
            if cv != nil {
                let mean = cvScores.reduce(0, +) / Double(cvScores.count)
                let sd = (cvScores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cvScores.count)).squareRoot()
                print("cross-validation (\(cvScores.count) folds): accuracy \(String(format: "%.4f", mean)) ± \(String(format: "%.4f", sd)) "
                      + "[" + cvScores.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]")
            }
            print("\(options.classifier.rawValue) on \(table.count) samples x \(table.features.columns) features, "
                  + "\(model.labels.classes.count) classes\(model.pca.map { ", PCA \($0.componentCount) components" } ?? ""): "
                  + "training accuracy \(String(format: "%.4f", trainAcc)), fit \(String(format: "%.1f", fitMs)) ms")
            CommandIO.announce(output)
        }
    }

    static func fit(_ x: AnyMatrix, labels: [String], options: TrainingOptions) throws -> Model {
        switch x {
        case let .float(m): return try Model.train(m, labels: labels, options: options)
        case let .double(m): return try Model.train(m, labels: labels, options: options)
        }
    }

    static func predict(_ model: Model, _ x: AnyMatrix) throws -> [Int] {
        switch x {
        case let .float(m): return try model.predictIndices(m)
        case let .double(m): return try model.predictIndices(m)
        }
    }

    static func crossValidate(_ x: AnyMatrix, labels: [String], options: TrainingOptions, folds: Int, seed: UInt64?) throws -> [Double] {
        let progress: (Int) -> Void = { f in LearnIO.progress("cross-validation fold \(f + 1)/\(folds)…") }
        switch x {
        case let .float(m): return try CVLearn.crossValidate(m, labels: labels, options: options, folds: folds, seed: seed, progress: progress)
        case let .double(m): return try CVLearn.crossValidate(m, labels: labels, options: options, folds: folds, seed: seed, progress: progress)
        }
    }
}
