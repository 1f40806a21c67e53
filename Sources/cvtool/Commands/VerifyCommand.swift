import ArgumentParser
import ClassicCV
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verification ROC of an embedding: same-class against different-class pairs.",
        usage: """
        cvtool verify <features> [--metric <metric>] [--pairs all|N]
                      [--seed <seed>] [--roc <path>] [--roc-csv <path>]
                      [--labels <labels>] [--threads <threads>] [--json]
        """,
        discussion: """
        Every pair of rows (--pairs all, the default: n(n−1)/2 pairs, at most 125,000,000) or N \
        pairs drawn with replacement (--pairs N, seeded with --seed) is scored by cosine \
        similarity or negated Euclidean distance. Prints the ROC AUC (sklearn roc_auc_score), \
        the equal error rate and the true accept rate at false accept rates 1e-3 and 1e-2 (read \
        on the piecewise-linear ROC curve). --roc draws the curve (PNG), --roc-csv writes its \
        points (`fpr,tpr,threshold`, sklearn's roc_curve with drop_intermediate=True).

        Examples:
          cvtool verify hog.npy --labels y.txt --metric cosine --roc roc.png
          cvtool verify embeddings.csv --pairs 1000000 --seed 1 --json
        """
    )

    @Argument(help: "Feature table with labels (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(help: "Pair score.")
    var metric: NeighborMetric = .cosine

    @Option(help: "all, or a number of pairs to sample (1...125000000).")
    var pairs: String = "all"

    @Option(help: "Seed of the sampled pairs.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("ROC curve picture (PNG).", valueName: "path"))
    var roc: String?

    @Option(name: .customLong("roc-csv"), help: ArgumentHelp("ROC curve points (CSV).", valueName: "path"))
    var rocCSV: String?

    @OptionGroup var input: LearnInputOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    /// --pairs as CVLearn's choice; the count is checked by CVLearn.
    func pairChoice() throws -> Verification.Pairs {
        if pairs.lowercased() == "all" { return .all }
        guard let n = Int(pairs) else { throw ValidationError("--pairs must be all or a number of pairs, got '\(pairs)'") }
        return .sampled(count: n, seed: seed)
    }

    func validate() throws {
        if case let .sampled(n, _) = try pairChoice(), !(1...Verification.maximumPairs).contains(n) {
            throw ValidationError("--pairs must be all or a count in 1...\(Verification.maximumPairs), got \(n)")
        }
        try CommandIO.refuseOverwriting(inputs: [features, input.labels], outputs: [roc, rocCSV])
    }

    /// Recipe: 1. read the table; 2. score pairs and evaluate (CVLearn); 3. print; 4. pictures.
    func run() throws {
        let table = try input.loadTable(features)
        let labels = try LearnIO.requireLabels(table, features)
        let y = try LabelEncoder(fitting: labels).encode(labels)
        let choice = try pairChoice()
        LearnIO.progress("scoring pairs of \(table.count) rows…")
        let (report, ms) = try LearnIO.timed { try table.features.verification(labels: y, metric: metric, pairs: choice) }
        LearnIO.progressDone()
        var outputs: [(path: String, bytes: [UInt8])] = []
        if let rocCSV { outputs.append((rocCSV, Self.csv(report.roc))) }
        if let roc { outputs.append((roc, try CommandIO.encodeImage(Self.picture(report, metric: metric).image, for: roc))) }
        try CommandIO.writeTogether(outputs)
        let tars = report.trueAcceptRates
        if json {
            print(LearnIO.object([
                ("rows", "\(table.count)"), ("metric", LearnIO.json(metric.rawValue)), ("positive_pairs", "\(report.positivePairs)"),
                ("negative_pairs", "\(report.negativePairs)"), ("auc", LearnIO.json(report.auc)), ("eer", LearnIO.json(report.equalErrorRate)),
            ] + tars.map { ("tar_at_far_\($0.falseAcceptRate)", LearnIO.json($0.trueAcceptRate)) } + [
                ("roc_points", "\(report.roc.thresholds.count)"), ("threads", "\(Parallel.threadCount)"), ("ms", LearnIO.json(ms)),
            ]))
        } else {
            print("verification (\(metric.rawValue), \(report.positivePairs) same-class and \(report.negativePairs) different-class pairs): "
                  + "AUC \(String(format: "%.6f", report.auc)), EER \(String(format: "%.4f", report.equalErrorRate)), "
                  + tars.map { "TAR@FAR=\($0.falseAcceptRate) \(String(format: "%.4f", $0.trueAcceptRate))" }.joined(separator: ", "))
            for o in outputs { CommandIO.announce(o.path) }
        }
    }

    /// `fpr,tpr,threshold` lines (the first threshold is `inf`).
    static func csv(_ roc: ROCCurve) -> [UInt8] {
        var s = "fpr,tpr,threshold\n"
        for i in 0..<roc.thresholds.count {
            s += "\(roc.falsePositiveRates[i]),\(roc.truePositiveRates[i]),\(roc.thresholds[i].isFinite ? "\(roc.thresholds[i])" : "inf")\n"
        }
        return Array(s.utf8)
    }

    /// The curve on a 480 × 480 chart: FAR across, TAR up, the chance diagonal, the EER point.
    static func picture(_ r: Verification.Report, metric: NeighborMetric) -> Canvas {
        let size = 480, left = 58, top = 34, plot = size - left - 24
        var c = Canvas(width: size, height: size + 10)
        func px(_ v: Double) -> Int { left + Int((v * Double(plot - 1)).rounded()) }
        func py(_ v: Double) -> Int { top + plot - 1 - Int((v * Double(plot - 1)).rounded()) }
        let grid: RGB = (228, 228, 228), axis: RGB = (60, 60, 60)
        for k in 0...10 {
            let v = Double(k) / 10, s = String(format: "%.1f", v)
            c.fill(x: px(v), y: top, w: 1, h: plot, grid)
            c.fill(x: left, y: py(v), w: plot, h: 1, grid)
            c.label(s, x: left - 6 - BitmapFont.width(s), y: py(v) - 3, color: axis)
            c.label(s, x: px(v) - BitmapFont.width(s) / 2, y: top + plot + 7, color: axis)
        }
        c.line(px(0), py(0), px(1), py(1), color: (170, 170, 170))
        c.fill(x: left, y: top, w: 1, h: plot, axis)
        c.fill(x: left, y: top + plot, w: plot, h: 1, axis)
        let f = r.roc.falsePositiveRates, t = r.roc.truePositiveRates
        for i in 1..<f.count { c.line(px(f[i - 1]), py(t[i - 1]), px(f[i]), py(t[i]), color: (31, 119, 180), thickness: 2) }
        let e = r.equalErrorRate
        c.fill(x: px(e) - 3, y: py(1 - e) - 3, w: 7, h: 7, (214, 39, 40))
        let title = "ROC (\(metric.rawValue))"
        c.label(title, x: (size - BitmapFont.width(title, scale: 2)) / 2, y: 8, scale: 2)
        let legend = String(format: "AUC %.4f  EER %.4f", r.auc, e)
        c.label(legend, x: left + plot - BitmapFont.width(legend) - 6, y: top + plot - 16)
        let xTitle = "false accept rate"
        c.label(xTitle, x: left + (plot - BitmapFont.width(xTitle)) / 2, y: size - 6)
        c.verticalLabel("true accept rate", x: 6, y: top + (plot + BitmapFont.width("true accept rate")) / 2)
        return c
    }
}

extension AnyMatrix {
    /// `Verification.evaluate` on these rows.
    func verification(labels: [Int], metric: NeighborMetric, pairs: Verification.Pairs) throws -> Verification.Report {
        switch self {
        case let .float(m): return try Verification.evaluate(m, labels: labels, metric: metric, pairs: pairs)
        case let .double(m): return try Verification.evaluate(m, labels: labels, metric: metric, pairs: pairs)
        }
    }

    /// `Retrieval.evaluate` on these rows.
    func retrieval(labels: [Int], metric: NeighborMetric, ks: [Int]?) throws -> Retrieval.Report {
        switch self {
        case let .float(m): return try Retrieval.evaluate(m, labels: labels, metric: metric, ks: ks)
        case let .double(m): return try Retrieval.evaluate(m, labels: labels, metric: metric, ks: ks)
        }
    }
}
