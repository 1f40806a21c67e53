import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool ensemble`: one prediction per row from the predictions of several models.
struct EnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Combine the predictions of several models (plurality vote or mean probabilities).",
        usage: """
        cvtool ensemble <predictions> ... [-o <path>] [--weights <w,...>]
                        [--labels <path>] [--json]
        """,
        discussion: """
        Each PREDICTIONS file is what `cvtool predict` writes for the same rows in the same \\
        order: CSV with a `label` column, and `p_<class>` columns with --proba. When every \\
        file has the same probability columns, the output is the class of largest (weighted) \\
        mean probability; otherwise the (weighted) plurality vote of the labels, ties going \\
        to the label of the earliest file among the tied ones (list the strongest model \\
        first). Writes CSV with a `label` column (a `path` column first when the first file \\
        has one). With --labels (the true labels: IDX, .npy or text) it prints the accuracy; \\
        --json prints {rows, models, rule, accuracy}.

        Examples:
          cvtool predict a.json test.npy -o a.csv
          cvtool predict b.json test.npy -o b.csv
          cvtool predict c.json test.npy -o c.csv
          cvtool ensemble a.csv b.csv c.csv -o vote.csv --labels t10k-labels-idx1-ubyte.gz
        """
    )

    @Argument(help: "Predictions of the models (`cvtool predict` CSV), one file per model.")
    var predictions: [String]

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output CSV (default: standard output).", valueName: "path"))
    var outputOption: String?

    /// The CSV's path (`-`: standard output).
    var output: String { outputOption ?? "-" }

    @Option(help: "One weight per model, comma-separated, finite and >= 0 (default: 1 each).")
    var weights: String?

    @Option(help: "True labels of the rows: report the accuracy.")
    var labels: String?

    @Flag(help: "Print a JSON summary (rows, models, rule, accuracy) instead of the CSV on standard output.")
    var json = false

    func validate() throws {
        guard !predictions.isEmpty else { throw ValidationError("give at least one predictions file") }
        try CommandIO.refuseOverwriting(inputs: predictions.map(Optional.some) + [labels], outputs: [output])
        if json && output == "-" { throw ValidationError("--json prints the summary; name the CSV with -o") }
    }

    func run() throws {
        let tables = try predictions.map { path -> FeatureTable in
            let t = try LearnIO.loadTable(path)
            guard t.labels != nil else { throw LearnError.invalidData(reason: "\(path) has no label column (is it `cvtool predict` output?)") }
            return t
        }
        let w = try weights.map(Self.parseWeights)
        let (combined, rule) = try Self.combine(tables, weights: w)
        var out = (tables[0].paths != nil ? "path,label\n" : "label\n")
        for (i, label) in combined.enumerated() {
            if let p = tables[0].paths { out += csvField(p[i]) + "," }
            out += csvField(label) + "\n"
        }
        var accuracy: Double? = nil
        if let labels {
            let truth = try LearnIO.readLabels(labels)
            guard truth.count == combined.count else { throw ValidationError("\(labels) has \(truth.count) labels for \(combined.count) rows") }
            accuracy = Double(zip(truth, combined).filter { $0 == $1 }.count) / Double(max(1, truth.count))
        }
        try CommandIO.write(Array(out.utf8), to: output)
        if json {
            let acc = accuracy.map { ", \"accuracy\": \($0)" } ?? ""
            print("{\"rows\": \(combined.count), \"models\": \(tables.count), \"rule\": \"\(rule)\"\(acc)}")
        } else if let accuracy {
            CommandIO.writeStandardError("ensemble of \(tables.count) (\(rule)): accuracy \(accuracy)\n")
        }
    }

    /// Mean probabilities when every table has the same `p_` columns, else the vote.
    static func combine(_ tables: [FeatureTable], weights: [Double]?) throws -> ([String], String) {
        let names = tables[0].featureNames
        let probabilityColumns = !names.isEmpty && names.allSatisfy { $0.hasPrefix("p_") }
        if probabilityColumns && tables.allSatisfy({ $0.featureNames == names }) {
            let classes = names.map { String($0.dropFirst(2)) }
            return (try EnsembleVote.averageProbabilities(tables.map { $0.features.asDouble }, classes: classes, weights: weights), "mean probability")
        }
        return (try EnsembleVote.vote(tables.map { $0.labels! }, weights: weights), "vote")
    }

    static func parseWeights(_ text: String) throws -> [Double] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map {
            guard let v = Double($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--weights must be numbers separated by commas, got '\(text)'") }
            return v
        }
    }

    func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
