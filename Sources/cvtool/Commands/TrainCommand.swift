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

    @Option(help: "SVM kernel (--classifier svm): linear, poly, rbf, sigmoid, chi2 or intersection.")
    var kernel: String = "rbf"

    @Option(name: .customShort("C"), help: "SVM penalty C.")
    var C: Double = 1

    @Option(help: "SVM gamma: a positive number, scale (1/(n_features·Var X)) or auto (1/n_features).")
    var gamma: String = "scale"

    @Option(help: "Polynomial kernel degree.")
    var degree: Int = 3

    @Option(help: "Independent term of the poly/sigmoid kernels.")
    var coef0: Double = 0

    @Option(help: "SVM stopping tolerance (default 1e-3 for svm, 1e-4 for linear-svm).")
    var tol: Double?

    @Option(name: .customLong("cache-mb"), help: "Kernel cache size in MB, shared by the parallel sub-problems.")
    var cacheMB: Double = 200

    @Option(help: "Linear SVM loss: squared-hinge or hinge.")
    var loss: String = "squared-hinge"

    @Option(name: .customLong("multi-class"), help: "Linear SVM multi-class strategy: ovr or crammer-singer.")
    var multiClass: String = "ovr"

    @Option(name: .customLong("max-iter"), help: "Linear SVM outer iterations.")
    var maxIter: Int = 1000

    @Flag(help: "Kernel SVM: fit Platt probabilities (5-fold CV per class pair; predict still votes).")
    var probability = false

    @Option(parsing: .upToNextOption, help: "Grid search with stratified K-fold CV (--cv K, default 5): e.g. --grid C=0.1,1,10 gamma=scale,0.01.")
    var grid: [String] = []

    /// The grid of `--grid`: C values and γ values (empty when not given).
    func gridValues() throws -> (Cs: [Double], gammas: [GammaSpec])? {
        guard !grid.isEmpty else { return nil }
        var cs: [Double] = [], gs: [GammaSpec] = []
        for item in grid {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--grid: expected NAME=v1,v2,… got '\(item)'") }
            let values = parts[1].split(separator: ",").map(String.init)
            switch parts[0].lowercased() {
            case "c":
                cs = try values.map { v in
                    guard let d = Double(v), d > 0, d.isFinite else { throw ValidationError("--grid: C must be positive numbers, got '\(v)'") }
                    return d
                }
            case "gamma":
                gs = try values.map { v in
                    do { return try GammaSpec(parsing: v) } catch { throw ValidationError("--grid: \(error)") }
                }
            default: throw ValidationError("--grid: unknown parameter '\(parts[0])' (known: C, gamma)")
            }
        }
        if cs.isEmpty { cs = [C] }
        return (cs, gs)
    }

    func trainingOptions() throws -> TrainingOptions {
        guard let kind = ClassifierKind(rawValue: classifier) else {
            throw ValidationError("unknown --classifier '\(classifier)'; known: \(ClassifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let s = Scaler.Kind(rawValue: scale) else { throw ValidationError("--scale must be standard, minmax or none, got '\(scale)'") }
        var comps: PCA.Components? = nil
        if let pca {
            do { comps = try PCA.Components(parsing: pca) } catch { throw ValidationError("--pca: \(error)") }
        }
        var options = TrainingOptions(classifier: kind, scale: s, pca: comps, gaussian: .init(varSmoothing: varSmoothing),
                                      discrete: .init(alpha: alpha, fitPrior: !noFitPrior), complementNorm: norm)
        guard let k = KernelType(rawValue: kernel) else {
            throw ValidationError("--kernel must be one of \(KernelType.allCases.map(\.rawValue).joined(separator: ", ")), got '\(kernel)'")
        }
        let g: GammaSpec
        do { g = try GammaSpec(parsing: gamma) } catch { throw ValidationError("--gamma: \(error)") }
        guard C > 0, C.isFinite else { throw ValidationError("-C must be positive, got \(C)") }
        guard degree >= 1 else { throw ValidationError("--degree must be at least 1, got \(degree)") }
        guard cacheMB > 0 else { throw ValidationError("--cache-mb must be positive, got \(cacheMB)") }
        if let tol, !(tol > 0) { throw ValidationError("--tol must be positive, got \(tol)") }
        guard let l = LinearSVM.Loss(rawValue: loss) else { throw ValidationError("--loss must be squared-hinge or hinge, got '\(loss)'") }
        guard let mc = LinearSVM.MultiClass(rawValue: multiClass) else { throw ValidationError("--multi-class must be ovr or crammer-singer, got '\(multiClass)'") }
        guard maxIter >= 1 else { throw ValidationError("--max-iter must be at least 1") }
        options.svm = KernelSVM.Parameters(C: C, kernel: k, gamma: g, degree: degree, coef0: coef0, tolerance: tol ?? 1e-3,
                                           cacheMB: cacheMB, probability: probability)
        options.linearSVM = LinearSVM.Parameters(C: C, loss: l, multiClass: mc, tolerance: tol ?? 1e-4, maxIterations: maxIter)
        if !grid.isEmpty, kind != .svm, kind != .linearSVM { throw ValidationError("--grid needs --classifier svm or linear-svm") }
        _ = try gridValues()
        return options
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
          cvtool train hog.npy --labels labels.txt -o svm.json --classifier svm --kernel rbf -C 10 --gamma scale
          cvtool train hog.npy --labels labels.txt -o svm.json --classifier svm --kernel chi2 --grid C=1,10 gamma=0.5,1 --cv 3
          cvtool train hog.npy --labels labels.txt -o lin.json --classifier linear-svm -C 0.5

        SVMs: `svm` is LIBSVM's C-SVC (sklearn SVC: one-vs-one, prediction by votes), `linear-svm` \
        LIBLINEAR's dual coordinate descent (sklearn LinearSVC(dual=True)). With --grid, every \
        (C, gamma) point is scored by stratified K-fold CV (K from --cv, default 5) in parallel, \
        the best one (highest mean accuracy, first on ties) is reported and refitted on all rows. \
        Progress and an ETA go to stderr when it is a terminal.
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
        var options = try train.trainingOptions()
        LearnIO.progress("reading \(features)…")
        let table = try LearnIO.loadTable(features, labels: input.labels)
        let labels = try LearnIO.requireLabels(table, features)
        var gridReport: [(String, String)] = []
        if let gv = try train.gridValues() {
            let (cs, gammas) = gv
            let k = cv ?? 5
            let started = Date()
            let progress: @Sendable (Double) -> Void = { f in LearnIO.progress("grid search: \(TrainCommand.eta(f, since: started))") }
            let (points, gridMs) = try LearnIO.timed { try Self.gridSearch(table.features, labels: labels, options: options, Cs: cs, gammas: gammas, folds: k, seed: seed, progress: progress) }
            LearnIO.progressDone()
            let b = GridSearch.best(points)
            options = GridSearch.options(options, C: points[b].C, gamma: points[b].gamma)
            if json {
                let rows = points.map { p in "{\"C\":\(LearnIO.json(p.C)),\"gamma\":\(p.gamma.map { LearnIO.json($0.description) } ?? "null"),\"cv_mean\":\(LearnIO.json(p.mean))}" }
                gridReport = [("grid", "[" + rows.joined(separator: ",") + "]"), ("best_C", LearnIO.json(points[b].C)),
                              ("best_gamma", points[b].gamma.map { LearnIO.json($0.description) } ?? "null"), ("grid_ms", LearnIO.json(gridMs))]
            } else {
                print("grid search (\(k)-fold stratified CV, \(points.count) points):")
                for (i, p) in points.enumerated() {
                    print("  C=\(p.C)\(p.gamma.map { " gamma=\($0)" } ?? "")  accuracy \(String(format: "%.4f", p.mean))\(i == b ? "  <- best" : "")")
                }
            }
        }
        var cvScores: [Double] = []
        var cvMs = 0.0
        if let cv, train.grid.isEmpty {
            (cvScores, cvMs) = try LearnIO.timed {
                try Self.crossValidate(table.features, labels: labels, options: options, folds: cv, seed: seed)
            }
        }
        LearnIO.progress("fitting \(options.classifier.rawValue) on \(table.count)x\(table.features.columns)…")
        if LearnIO.stderrIsTerminal {
            let started = Date(), name = options.classifier.rawValue
            options.progress = { f in LearnIO.progress("fitting \(name): \(TrainCommand.eta(f, since: started))") }
        }
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
            pairs += gridReport
            if cv != nil, train.grid.isEmpty {
                pairs.append(("cv_accuracy", LearnIO.json(cvScores)))
                pairs.append(("cv_mean", LearnIO.json(cvScores.reduce(0, +) / Double(cvScores.count))))
                pairs.append(("cv_ms", LearnIO.json(cvMs)))
            }
            print(LearnIO.object(pairs))
        } else {
            if cv != nil, train.grid.isEmpty {
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

    /// "42% (ETA 1m05s)".
    static func eta(_ fraction: Double, since start: Date) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let pct = Int((fraction * 100).rounded(.down))
        guard fraction > 0.001, fraction < 1 else { return "\(pct)%" }
        let rest = Int((elapsed * (1 - fraction) / fraction).rounded())
        return "\(pct)% (ETA " + (rest >= 60 ? "\(rest / 60)m\(String(format: "%02d", rest % 60))s" : "\(rest)s") + ")"
    }

    static func gridSearch(_ x: AnyMatrix, labels: [String], options: TrainingOptions, Cs: [Double], gammas: [GammaSpec], folds: Int,
                           seed: UInt64?, progress: @escaping @Sendable (Double) -> Void) throws -> [GridSearch.Point] {
        let encoder = try LabelEncoder(fitting: labels)
        let y = try encoder.encode(labels)
        switch x {
        case let .float(m): return try GridSearch.run(m, classIndices: y, encoder: encoder, options: options, Cs: Cs, gammas: gammas, folds: folds, seed: seed, progress: progress)
        case let .double(m): return try GridSearch.run(m, classIndices: y, encoder: encoder, options: options, Cs: Cs, gammas: gammas, folds: folds, seed: seed, progress: progress)
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
