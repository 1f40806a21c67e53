import ArgumentParser
import ClassicCV
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict class labels of a feature table with a trained model.",
        usage: """
        cvtool predict <model> <features> [-o <path>] [--proba] [--json]
                       [--labels <path>] [--misclassified-grid <path>]
                       [<options>]
        """,
        discussion: """
        Writes CSV with a header and a `label` column, one row per input row, in order (a \
        `path` column first when the input has one). --proba adds one probability column per \
        class (`p_<label>`). --json prints one object with predict_ms, the in-process time of \
        the prediction (file I/O excluded); the CSV is then written only with -o.

        --misclassified-grid OUT.png draws the wrongly predicted rows (the first \
        --grid-max, in order) as a grid of images captioned with the true label (black) and the \
        prediction (red); it needs the true labels (a label column or --labels) and the images: \
        --images IDX (row i = image i) or the table's `path` column. --class-names maps integer \
        labels to names (comma-separated list or a file, one name per line).

        Examples:
          cvtool predict model.json test.csv -o predictions.csv
          cvtool predict model.json test.npy --proba > predictions.csv
          cvtool predict model.json hog.npy --labels labels-idx1-ubyte.gz --json
          cvtool predict m.json t.npy --labels y.gz --misclassified-grid w.png
        """
    )

    @Argument(help: "Model file written by `cvtool train`.")
    var model: String

    @Argument(help: "Feature table (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output CSV (default: standard output).", valueName: "path"))
    var output: String?

    @Flag(help: "Add class probability columns.")
    var proba = false

    @Flag(help: "Print a JSON summary (rows, predict_ms) instead of the CSV on standard output.")
    var json = false

    @OptionGroup var input: LearnInputOptions

    @Option(name: .customLong("misclassified-grid"), help: ArgumentHelp("Write a grid of the misclassified images with true and predicted labels to this PNG.", valueName: "path"))
    var misclassifiedGrid: String?

    @Option(help: ArgumentHelp("With --misclassified-grid: the IDX image file the rows come from (default: the table's paths).",
                               valueName: "path"))
    var images: String?

    @Option(name: .customLong("class-names"), help: "With --misclassified-grid: names of the integer labels 0, 1, ... (comma-separated or a file).")
    var classNames: String?

    @Option(name: .customLong("grid-max"), help: "With --misclassified-grid: at most this many images, 10 per row.")
    var gridMax: Int = 40

    @Option(name: .customLong("grid-columns"), help: .hidden)
    var gridColumns: Int = 10

    func validate() throws {
        let classNamesFile = classNames.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        try CommandIO.refuseOverwriting(inputs: [model, features, input.labels, images, classNamesFile],
                                        outputs: [output, misclassifiedGrid])
        guard gridMax >= 1, gridColumns >= 1 else { throw ValidationError("--grid-max and --grid-columns must be at least 1") }
    }

    func run() throws {
        let (m, table) = try input.loadModelAndTable(model: model, table: features)
        let ((indices, probabilities), ms) = try LearnIO.timed { () throws -> ([Int], Matrix<Double>?) in
            let idx = try table.features.predictIndices(m)
            let p: Matrix<Double>? = proba ? try table.features.probabilities(m) : nil
            return (idx, p)
        }
        let labels = m.labels.decode(indices)
        if let misclassifiedGrid {
            let truth = try LearnIO.requireLabels(table, features)
            let g = try MisclassifiedGrid.render(truth: truth, predicted: labels, images: images, paths: table.paths,
                                                 names: try MisclassifiedGrid.classNames(classNames), limit: gridMax, columns: gridColumns)
            try CommandIO.writeImage(g.picture, to: misclassifiedGrid)
            CommandIO.writeStandardError("\(misclassifiedGrid): \(g.shown) of \(g.wrong) misclassified rows\n")
        }
        if output != nil || !json {
            var out = ""
            var header: [String] = []
            if table.paths != nil { header.append("path") }
            header.append("label")
            if let probabilities, probabilities.columns == m.labels.classes.count { header += m.labels.classes.map { "p_\($0)" } }
            out += header.map(csvField).joined(separator: ",") + "\n"
            for i in 0..<labels.count {
                var f: [String] = []
                if let p = table.paths { f.append(csvField(p[i])) }
                f.append(csvField(labels[i]))
                if let probabilities { f += probabilities.row(i).map { "\($0)" } }
                out += f.joined(separator: ",") + "\n"
            }
            try CommandIO.write(Array(out.utf8), to: output ?? "-")
        }
        if json {
            print(LearnIO.object([("model", LearnIO.json(model)), ("type", LearnIO.json(m.classifier.kind.rawValue)),
                                  ("rows", "\(labels.count)"), ("features", "\(table.features.columns)"),
                                  ("threads", "\(LinearAlgebra.threadCount)"), ("predict_ms", LearnIO.json(ms))]))
        } else if let output {
            CommandIO.announce(output)
        }
    }

    func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
