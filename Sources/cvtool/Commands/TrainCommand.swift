import ArgumentParser
import ClassicCV
import Foundation

/// Options of `cvtool train`, reusable by benchmarks. They parse into CVLearn's parameter
/// types; the values are checked once, by `TrainingOptions.validate()`.
struct TrainOptions: ParsableArguments {
    @Option(help: "Classifier.")
    var classifier: ClassifierKind = .gaussianNB

    @Option(help: "Feature scaling before PCA and the classifier.")
    var scale: Scaler.Kind = .none

    @Option(help: "PCA before the classifier: a component count (e.g. 40) or a variance fraction (e.g. 0.95).")
    var pca: String?

    @Option(help: "Naive Bayes smoothing alpha (multinomial-nb, complement-nb).")
    var alpha: Double = 1

    @Option(name: .customLong("var-smoothing"), help: "GaussianNB var_smoothing.")
    var varSmoothing: Double = 1e-9

    @Flag(name: .customLong("no-fit-prior"), help: "Multinomial/complement NB: uniform class priors.")
    var noFitPrior = false

    @Flag(help: "ComplementNB: second normalization of the weights.")
    var norm = false

    @Option(help: "SVM kernel (--classifier svm).")
    var kernel: KernelType = .rbf

    @Option(name: .customShort("C"), help: "SVM regularization parameter C.")
    var regularization: Double = 1

    @Option(help: "SVM gamma: a positive number, scale (1/(n_features·Var X)) or auto (1/n_features).")
    var gamma: String = "scale"

    @Option(help: "Polynomial kernel degree.")
    var degree: Int = 3

    @Option(help: "Independent term of the poly/sigmoid kernels.")
    var coef0: Double = 0

    @Option(help: "SVM stopping tolerance (default 1e-3 for svm, 1e-4 for linear-svm).")
    var tol: Double?

    @Option(name: .customLong("cache-mb"), help: "Kernel cache size in MB, shared by the parallel sub-problems.")
    var cacheMegabytes: Double = 200

    @Option(help: "Linear SVM loss.")
    var loss: LinearSVM.Loss = .squaredHinge

    @Option(name: .customLong("multi-class"), help: "Linear SVM multi-class strategy.")
    var multiClass: LinearSVM.MultiClass = .oneVsRest

    @Option(name: .customLong("max-iter"), help: "Linear SVM outer iterations.")
    var maxIter: Int = 1000

    @Flag(help: "Kernel SVM: fit Platt probabilities (5-fold CV per class pair; predict still votes).")
    var probability = false

    @Option(help: "knn: neighbours consulted (k), 1...training rows.")
    var neighbors: Int = 5

    @Option(help: "knn: distance.")
    var metric: NeighborMetric = .euclidean

    @Option(help: "knn: vote weights (distance: 1/d, exact matches take all the weight).")
    var weights: KNeighborsClassifier.Weights = .uniform

    @Option(help: "lda: solver.")
    var solver: LinearDiscriminantAnalysis.Solver = .svd

    @Option(help: "lda: covariance shrinkage with --solver eigen: auto (Ledoit-Wolf) or a value in [0, 1].")
    var shrinkage: String?

    @Option(parsing: .upToNextOption,
            help: "Grid search with stratified K-fold CV (K from --cv, default 5), e.g. --grid C=0.1,1,10 gamma=scale,0.01.")
    var grid: [String] = []

    /// The grid of `--grid`: C values and γ values, or nil when not given. γ values are parsed
    /// by CVLearn (its error passes through); C values are checked by `GridSearch.run`.
    func gridValues() throws -> (regularizations: [Double], gammas: [GammaSpec])? {
        guard !grid.isEmpty else { return nil }
        var cs: [Double] = [], gs: [GammaSpec] = []
        for item in grid {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--grid: expected NAME=v1,v2,… got '\(item)'") }
            let values = parts[1].split(separator: ",").map(String.init)
            switch parts[0].lowercased() {
            case "c":
                cs = try values.map { v in
                    guard let d = Double(v) else { throw ValidationError("--grid: C values must be numbers, got '\(v)'") }
                    return d
                }
            case "gamma":
                gs = try values.map { try GammaSpec(parsing: $0) }
            default: throw ValidationError("--grid: unknown parameter '\(parts[0])' (known: C, gamma)")
            }
        }
        if cs.isEmpty { cs = [regularization] }
        return (cs, gs)
    }

    /// The options as CVLearn's `TrainingOptions`, validated by the library.
    /// - Throws: `LearnError.invalidParameter` naming a bad value (exit status 1),
    ///   `ValidationError` for an unparsable `--grid` (exit status 64).
    func trainingOptions() throws -> TrainingOptions {
        var options = TrainingOptions(classifier: classifier, scale: scale, pca: try pca.map { try PCA.Components(parsing: $0) },
                                      gaussian: .init(varSmoothing: varSmoothing),
                                      discrete: .init(alpha: alpha, fitPrior: !noFitPrior), complementNorm: norm)
        options.svm = KernelSVM.Parameters(regularization: regularization, kernel: kernel, gamma: try GammaSpec(parsing: gamma),
                                           degree: degree, coef0: coef0, tolerance: tol ?? 1e-3,
                                           cacheMegabytes: cacheMegabytes, probability: probability)
        options.linearSVM = LinearSVM.Parameters(regularization: regularization, loss: loss, multiClass: multiClass,
                                                 tolerance: tol ?? 1e-4, maxIterations: maxIter)
        options.knn = KNeighborsClassifier.Parameters(neighbors: neighbors, weights: weights, metric: metric)
        options.lda = LinearDiscriminantAnalysis.Parameters(solver: solver, shrinkage: try shrinkage.map { try .init(parsing: $0) },
                                                            tolerance: tol ?? 1e-4)
        try options.validate()
        if !grid.isEmpty, classifier != .svm, classifier != .linearSVM {
            throw ValidationError("--grid needs --classifier svm or linear-svm")
        }
        if let grid = try gridValues() { try GridSearch.validate(regularizations: grid.regularizations) }
        return options
    }
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier on a feature table and save it as a JSON model.",
        usage: """
        cvtool train <features> -o <path> [--labels <path>] [--classifier <name>]
                     [--cv <K>] [--json] [<options>]
        """,
        discussion: """
        FEATURES is a table as `cvtool hog` writes it: CSV with a header and a `label` column \
        (`path,label,f0,f1,...`), LIBSVM/SVMlight text (.svm/.libsvm/.txt), or NPY (labels from \
        --labels). An IDX image file (MNIST/Fashion-MNIST) is read as raw pixels, one image per row.

        The pipeline is: optional scaler (--scale), optional PCA (--pca), classifier. --cv K first \
        reports stratified K-fold cross-validated accuracy (seeded with --seed), then fits on all \
        rows. --json prints one object with the timings: fit_ms is the in-process time of the \
        fit (file I/O excluded).

        SVMs: `svm` is LIBSVM's C-SVC (sklearn SVC: one-vs-one, prediction by votes), `linear-svm` \
        LIBLINEAR's dual coordinate descent (sklearn LinearSVC(dual=True)). With --grid, every \
        (C, gamma) point is scored by stratified K-fold CV (K from --cv, default 5) in parallel, \
        the best one (highest mean accuracy, first on ties) is reported and refitted on all rows. \
        Progress and an ETA go to stderr when it is a terminal.

        `knn` is sklearn's KNeighborsClassifier (brute force; the model file holds the training \
        table); `lda` is LinearDiscriminantAnalysis (--solver, --shrinkage, --tol).

        Examples:
          cvtool train train.csv -o model.json --classifier gaussian-nb
          cvtool train hog.npy --labels y.txt -o nb.json --classifier multinomial-nb
          cvtool train train.csv -o model.json --scale standard --pca 0.95 --cv 5
          cvtool train images-idx3-ubyte.gz --labels labels-idx1-ubyte.gz -o m.json
          cvtool train hog.npy --labels y.txt -o svm.json --classifier svm -C 10
          cvtool train hog.npy --labels y.txt -o s.json --classifier svm --grid C=1,10
          cvtool train hog.npy --labels y.txt -o lin.json --classifier linear-svm
          cvtool train hog.npy --labels y.txt -o knn.json --classifier knn --neighbors 5 --metric cosine
          cvtool train hog.npy --labels y.txt -o lda.json --classifier lda --solver eigen --shrinkage auto
        """
    )

    @Argument(help: "Training table (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output model (.json).", valueName: "path"))
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
        try LearnIO.validateOutput(output, inputs: [features, input.labels], allowStandardOutput: false)
    }

    /// Recipe: 1. read the table; 2. grid search or cross-validation, when asked; 3. fit on all
    /// rows and write the model; 4. report.
    func run() throws {
        var options = try train.trainingOptions()
        LearnIO.progress("reading \(features)…")
        let table = try input.loadTable(features)
        let labels = try LearnIO.requireLabels(table, features)
        var report: [(String, String)] = []
        if let grid = try train.gridValues() {
            let search = try gridSearch(table.features, labels: labels, grid: grid, options: options)
            options = search.best
            report += search.json
        } else if let cv {
            report += try crossValidate(table.features, labels: labels, options: options, folds: cv)
        }
        LearnIO.progress("fitting \(options.classifier.rawValue) on \(table.count)x\(table.features.columns)…")
        if LearnIO.stderrIsTerminal {
            let started = Date(), name = options.classifier.rawValue
            options.progress = { f in LearnIO.progress("fitting \(name): \(TrainCommand.eta(f, since: started))") }
        }
        let (model, fitMs) = try LearnIO.timed { try table.features.fitModel(labels: labels, options: options) }
        LearnIO.progressDone()
        try CommandIO.write(try ModelFile.encode(model), to: output)
        // kNN's training accuracy would search all training rows against all of them (O(n²·d)).
        let trainAcc = options.classifier == .knn ? nil
            : accuracyScore(truth: try model.labels.encode(labels), predicted: try table.features.predictIndices(model))
        if json {
            print(LearnIO.object([
                ("model", LearnIO.json(output)), ("classifier", LearnIO.json(options.classifier.rawValue)),
                ("samples", "\(table.count)"), ("features", "\(table.features.columns)"), ("classes", "\(model.labels.classes.count)"),
                ("scale", LearnIO.json(options.scale.rawValue)), ("pca_components", model.pca.map { "\($0.componentCount)" } ?? "null"),
                ("threads", "\(LinearAlgebra.threadCount)"), ("fit_ms", LearnIO.json(fitMs)), ("train_accuracy", trainAcc.map { LearnIO.json($0) } ?? "null"),
            ] + report))
        } else {
            print("\(options.classifier.rawValue) on \(table.count) samples x \(table.features.columns) features, "
                  + "\(model.labels.classes.count) classes\(model.pca.map { ", PCA \($0.componentCount) components" } ?? ""): "
                  + (trainAcc.map { "training accuracy \(String(format: "%.4f", $0)), " } ?? "") + "fit \(String(format: "%.1f", fitMs)) ms")
            CommandIO.announce(output)
        }
    }

    /// Step 2a: scores every grid point by stratified K-fold CV and prints the table (unless
    /// --json); returns the best point's options and the JSON fields.
    private func gridSearch(_ x: AnyMatrix, labels: [String], grid: (regularizations: [Double], gammas: [GammaSpec]),
                            options: TrainingOptions) throws -> (best: TrainingOptions, json: [(String, String)]) {
        let k = cv ?? 5
        let started = Date()
        let progress: @Sendable (Double) -> Void = { f in LearnIO.progress("grid search: \(TrainCommand.eta(f, since: started))") }
        let (points, gridMs) = try LearnIO.timed {
            try x.gridSearch(labels: labels, options: options, regularizations: grid.regularizations, gammas: grid.gammas,
                             folds: k, seed: seed, progress: progress)
        }
        LearnIO.progressDone()
        let b = GridSearch.best(points)
        let best = GridSearch.options(options, regularization: points[b].regularization, gamma: points[b].gamma)
        func gammaJSON(_ p: GridSearch.Point) -> String { p.gamma.map { LearnIO.json($0.description) } ?? "null" }
        guard json else {
            print("grid search (\(k)-fold stratified CV, \(points.count) points):")
            for (i, p) in points.enumerated() {
                print("  C=\(p.regularization)\(p.gamma.map { " gamma=\($0)" } ?? "")  accuracy \(String(format: "%.4f", p.mean))\(i == b ? "  <- best" : "")")
            }
            return (best, [])
        }
        let rows = points.map { p in "{\"C\":\(LearnIO.json(p.regularization)),\"gamma\":\(gammaJSON(p)),\"cv_mean\":\(LearnIO.json(p.mean))}" }
        return (best, [("grid", "[" + rows.joined(separator: ",") + "]"), ("best_C", LearnIO.json(points[b].regularization)),
                       ("best_gamma", gammaJSON(points[b])), ("grid_ms", LearnIO.json(gridMs))])
    }

    /// Step 2b: stratified K-fold accuracies, printed (unless --json); returns the JSON fields.
    private func crossValidate(_ x: AnyMatrix, labels: [String], options: TrainingOptions, folds: Int) throws -> [(String, String)] {
        let (scores, ms) = try LearnIO.timed { try x.crossValidate(labels: labels, options: options, folds: folds, seed: seed) }
        let mean = scores.reduce(0, +) / Double(scores.count)
        if json { return [("cv_accuracy", LearnIO.json(scores)), ("cv_mean", LearnIO.json(mean)), ("cv_ms", LearnIO.json(ms))] }
        let sd = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)).squareRoot()
        print("cross-validation (\(scores.count) folds): accuracy \(String(format: "%.4f", mean)) ± \(String(format: "%.4f", sd)) "
              + "[" + scores.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]")
        return []
    }

    /// "42% (ETA 1m05s)".
    static func eta(_ fraction: Double, since start: Date) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let pct = Int((fraction * 100).rounded(.down))
        guard fraction > 0.001, fraction < 1 else { return "\(pct)%" }
        let rest = Int((elapsed * (1 - fraction) / fraction).rounded())
        return "\(pct)% (ETA " + (rest >= 60 ? "\(rest / 60)m\(String(format: "%02d", rest % 60))s" : "\(rest)s") + ")"
    }
}
