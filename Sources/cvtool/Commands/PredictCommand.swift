import ArgumentParser
import ClassicCV
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict class labels of a feature table with a trained model.",
        discussion: """
        Writes CSV with a header and a `label` column, one row per input row, in order (a \
        `path` column first when the input has one). --proba adds one probability column per \
        class (`p_<label>`). --json prints one object with predict_ms, the in-process time of \
        the prediction (file I/O excluded); the CSV is then written only with -o.

        Examples:
          cvtool predict model.json test.csv -o predictions.csv
          cvtool predict model.json test.npy --proba > predictions.csv
        """
    )

    @Argument(help: "Model file written by `cvtool train`.")
    var model: String

    @Argument(help: "Feature table (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(name: .shortAndLong, help: "Output CSV (default: standard output).")
    var output: String?

    @Flag(help: "Add class probability columns.")
    var proba = false

    @Flag(help: "Print a JSON summary (rows, predict_ms) instead of the CSV on standard output.")
    var json = false

    @OptionGroup var input: LearnInputOptions

    func validate() throws {
        if let output { try CommandIO.refuseOverwritingInput(output: output, inputs: [model, features]) }
    }

    func run() throws {
        input.applyThreads()
        let m = try ModelFile.readModel(path: model)
        let table = try LearnIO.loadTable(features, labels: input.labels)
        let ((indices, probabilities), ms) = try LearnIO.timed { () throws -> ([Int], Matrix<Double>?) in
            let idx = try TrainCommand.predict(m, table.features)
            let p: Matrix<Double>? = proba ? try Self.proba(m, table.features) : nil
            return (idx, p)
        }
        let labels = m.labels.decode(indices)
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

    static func proba(_ m: Model, _ x: AnyMatrix) throws -> Matrix<Double>? {
        switch x {
        case let .float(v): return try m.predictProba(v)
        case let .double(v): return try m.predictProba(v)
        }
    }

    func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
