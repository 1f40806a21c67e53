import ArgumentParser
import ClassicCV
import Foundation

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on a labelled feature table: accuracy, per-class table, confusion matrix.",
        usage: "cvtool evaluate <model> <features> [--confusion <path>] [<options>]",
        discussion: """
        Prints the per-class precision, recall, F1 and support with macro and weighted averages \
        (as sklearn's classification_report, zero_division=0) and the confusion matrix (rows: \
        true class, columns: predicted). --json prints one object with `accuracy`, `classes`, \
        `per_class`, `macro`, `weighted`, `confusion` and `predict_ms`. --confusion writes the \
        confusion matrix as a heat-map PNG (rows normalized; class indices on the axes, in the \
        order of `classes`).

        Examples:
          cvtool evaluate model.json test.csv
          cvtool evaluate model.json test.npy --labels y.txt --json --confusion cm.png
        """
    )

    @Argument(help: "Model file written by `cvtool train`.")
    var model: String

    @Argument(help: "Labelled feature table.")
    var features: String

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Write the confusion matrix as a heat-map PNG.", valueName: "path"))
    var confusion: String?

    @OptionGroup var input: LearnInputOptions

    func validate() throws {
        try LearnIO.validateOutput(confusion, inputs: [model, features, input.labels])
    }

    func run() throws {
        let (m, table) = try input.loadModelAndTable(model: model, table: features)
        let truth = try m.labels.encode(try LearnIO.requireLabels(table, features))
        let (pred, ms) = try LearnIO.timed { try table.features.predictIndices(m) }
        let report = try ClassificationReport(truth: truth, predicted: pred, classes: m.labels.classes)
        if let confusion {
            try CommandIO.writeImage(LearnPictures.confusionHeatMap(report.confusion).image, to: confusion)
        }
        if json {
            func avg(_ a: AveragedMetrics) -> String {
                LearnIO.object([("precision", LearnIO.json(a.precision)), ("recall", LearnIO.json(a.recall)), ("f1", LearnIO.json(a.f1)), ("support", "\(a.support)")])
            }
            let per = "[" + report.perClass.map {
                LearnIO.object([("label", LearnIO.json($0.label)), ("precision", LearnIO.json($0.precision)), ("recall", LearnIO.json($0.recall)),
                                ("f1", LearnIO.json($0.f1)), ("support", "\($0.support)")])
            }.joined(separator: ", ") + "]"
            print(LearnIO.object([
                ("accuracy", LearnIO.json(report.accuracy)), ("samples", "\(truth.count)"),
                ("classes", "[" + report.classes.map { LearnIO.json($0) }.joined(separator: ", ") + "]"),
                ("per_class", per), ("macro", avg(report.macro)), ("weighted", avg(report.weighted)),
                ("confusion", "[" + report.confusion.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"),
                ("predict_ms", LearnIO.json(ms)),
            ]))
        } else {
            print("accuracy \(String(format: "%.4f", report.accuracy)) on \(truth.count) samples\n")
            print(report.formatted(), terminator: "")
            if let confusion { CommandIO.announce(confusion) }
        }
    }
}
