import ArgumentParser
import ClassicCV
import Foundation

struct LDACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lda",
        abstract: "Linear discriminant analysis: fit, and project tables onto the discriminant axes.",
        discussion: """
        The LDA file is a model file (classifier `lda`): `cvtool predict` and `evaluate` use it \
        as a classifier too.

        Examples:
          cvtool lda fit train.csv -o lda.json --components 9
          cvtool lda fit hog.npy --labels y.txt -o lda.json --solver eigen --shrinkage auto
          cvtool lda transform lda.json test.csv -o test.lda.csv
        """,
        subcommands: [LDAFitCommand.self, LDATransformCommand.self]
    )
}

struct LDAFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit linear discriminant analysis on a labelled table and save it as JSON.",
        usage: """
        cvtool lda fit <features> -o <path> [--solver svd|eigen]
                       [--shrinkage auto|X] [--components <n>] [--tol <tol>]
                       [--labels <labels>] [--threads <threads>] [--json]
        """,
        discussion: """
        scikit-learn's LinearDiscriminantAnalysis: --solver svd (default) or eigen, --shrinkage \
        auto (Ledoit-Wolf) or a value in [0, 1] (eigen only), --components up to classes − 1. \
        --json prints one object with `n_components`, `explained_variance_ratio`, \
        `train_accuracy`, `fit_ms` and `transform_ms` (the training rows projected; both \
        in-process, file I/O excluded).

        Example:
          cvtool lda fit hog.npy --labels y.txt -o lda.json --solver eigen --shrinkage auto --json
        """
    )

    @Argument(help: "Training table (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file) with labels.")
    var features: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output LDA file (.json).", valueName: "path"))
    var output: String

    @Option(help: "Solver.")
    var solver: LinearDiscriminantAnalysis.Solver = .svd

    @Option(help: "Covariance shrinkage with --solver eigen: auto (Ledoit-Wolf) or a value in [0, 1].")
    var shrinkage: String?

    @Option(help: "Output dimensions, 1...min(classes − 1, features) (default: all).")
    var components: Int?

    @Option(help: "svd solver: singular values below tol count as zero.")
    var tol: Double = 1e-4

    @OptionGroup var input: LearnInputOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    /// The options as CVLearn's parameters, checked by CVLearn (its error passes through).
    func parameters() throws -> LinearDiscriminantAnalysis.Parameters {
        let p = LinearDiscriminantAnalysis.Parameters(solver: solver, shrinkage: try shrinkage.map { try .init(parsing: $0) },
                                                      components: components, tolerance: tol)
        try p.validate()
        return p
    }

    func validate() throws {
        _ = try parameters()
        try LearnIO.validateOutput(output, inputs: [features, input.labels], allowStandardOutput: false)
    }

    func run() throws {
        var options = TrainingOptions(classifier: .lda)
        options.lda = try parameters()
        let table = try input.loadTable(features)
        let labels = try LearnIO.requireLabels(table, features)
        LearnIO.progress("fitting LDA on \(table.count)x\(table.features.columns)…")
        let (model, ms) = try LearnIO.timed { try table.features.fitModel(labels: labels, options: options) }
        LearnIO.progressDone()
        try CommandIO.write(try ModelFile.encode(model), to: output)
        guard let lda = model.classifier.base as? LinearDiscriminantAnalysis else { return }
        let accuracy = accuracyScore(truth: try model.labels.encode(labels), predicted: try table.features.predictIndices(model))
        if json {
            let (_, transformMs) = try LearnIO.timed { try table.features.projected(by: lda, of: model) }
            print(LearnIO.object([
                ("lda", LearnIO.json(output)), ("samples", "\(table.count)"), ("features", "\(lda.featureCount)"),
                ("classes", "\(lda.classCount)"), ("solver", LearnIO.json(lda.parameters.solver.rawValue)),
                ("shrinkage", lda.parameters.shrinkage.map { LearnIO.json($0.description) } ?? "null"),
                ("n_components", "\(lda.outputCount)"), ("explained_variance_ratio", LearnIO.json(lda.explainedVarianceRatio)),
                ("train_accuracy", LearnIO.json(accuracy)), ("threads", "\(LinearAlgebra.threadCount)"), ("fit_ms", LearnIO.json(ms)),
                ("transform_ms", LearnIO.json(transformMs)),
            ]))
        } else {
            print("LDA (\(lda.parameters.solver.rawValue)) on \(table.count)x\(lda.featureCount), \(lda.classCount) classes: "
                  + "\(lda.outputCount) components explain \(String(format: "%.4f", lda.explainedVarianceRatio.prefix(lda.outputCount).reduce(0, +))) "
                  + "of the between-class variance; training accuracy \(String(format: "%.4f", accuracy)); fit \(String(format: "%.1f", ms)) ms")
            CommandIO.announce(output)
        }
    }
}

struct LDATransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Project a feature table onto fitted discriminant axes.",
        usage: """
        cvtool lda transform <lda-file> <features> [-o <path>]
                             [--labels <labels>] [--threads <threads>]
        """,
        discussion: """
        OUT keeps the `path` and `label` columns; the features become ld0, ld1, ... The format \
        comes from OUT's extension (.csv, .npy, .svm/.libsvm; `-` writes CSV to standard output). \
        The axes keep LAPACK's signs, as scikit-learn's.

        Example:
          cvtool lda transform lda.json test.csv -o test.lda.npy
        """
    )

    @Argument(help: "LDA file from `cvtool lda fit` (or a model trained with --classifier lda).")
    var ldaFile: String

    @Argument(help: "Feature table.")
    var features: String

    @Option(name: [.customShort("o"), .long],
            help: ArgumentHelp("Output table (.csv, .npy, .svm/.libsvm); CSV to standard output when omitted.", valueName: "path"))
    var output: String?

    @OptionGroup var input: LearnInputOptions

    func validate() throws { try LearnIO.validateOutput(output, inputs: [ldaFile, features, input.labels]) }

    func run() throws {
        let (model, table) = try input.loadModelAndTable(model: ldaFile, table: features)
        guard let lda = model.classifier.base as? LinearDiscriminantAnalysis else {
            throw LearnError.decoding(source: ldaFile, reason: "this is a \(model.classifier.kind.rawValue) model, not an LDA fit")
        }
        var out = table
        out.features = .double(try table.features.projected(by: lda, of: model))
        out.featureNames = (0..<lda.outputCount).map { "ld\($0)" }
        try LearnIO.writeTable(out, to: output ?? "-")
        CommandIO.announce(output ?? "-")
    }
}

extension AnyMatrix {
    /// These rows through the model's scaler and PCA (in their own precision: no Double copy
    /// of a float32 table), then projected by `lda`.
    func projected(by lda: LinearDiscriminantAnalysis, of model: Model) throws -> Matrix<Double> {
        switch self {
        case let .float(m): return try lda.transform(try model.preprocess(m))
        case let .double(m): return try lda.transform(try model.preprocess(m))
        }
    }
}
