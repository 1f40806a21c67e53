import ArgumentParser
import ClassicCV
import Foundation

struct RetrieveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Retrieval evaluation of an embedding: recall@k and mean average precision.",
        usage: """
        cvtool retrieve <features> [--metric <metric>] [--k <k>]
                        [--labels <labels>] [--threads <threads>] [--json]
        """,
        discussion: """
        Every row is a query against all the other rows, ranked by cosine similarity or negated \
        Euclidean distance (equal scores by row order). recall@k is the share of queries with a \
        row of their class among the first k; mAP the mean of sklearn's average_precision_score \
        per query. Queries without another row of their class are left out (and counted).

        Examples:
          cvtool retrieve hog.npy --labels y.txt --metric cosine
          cvtool retrieve embeddings.csv --k 1,10,100 --json
        """
    )

    @Argument(help: "Feature table with labels (.csv, .svm/.libsvm/.txt, .npy, or an IDX image file).")
    var features: String

    @Option(help: "Score.")
    var metric: NeighborMetric = .cosine

    @Option(help: "Cut-offs k, comma separated, each in 1...rows − 1 (default 1,5,10).")
    var k: String?

    @OptionGroup var input: LearnInputOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    /// --k as numbers; the range is checked by CVLearn once the row count is known.
    func cutoffs() throws -> [Int]? {
        guard let k else { return nil }
        let parts = k.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--k must be whole numbers separated by commas, got '\(k)'")
        }
        return parts.map { $0! }
    }

    func validate() throws { _ = try cutoffs() }

    func run() throws {
        let table = try input.loadTable(features)
        let labels = try LearnIO.requireLabels(table, features)
        let y = try LabelEncoder(fitting: labels).encode(labels)
        LearnIO.progress("ranking \(table.count) queries…")
        let (r, ms) = try LearnIO.timed { try table.features.retrieval(labels: y, metric: metric, ks: try cutoffs()) }
        LearnIO.progressDone()
        if json {
            print(LearnIO.object([("rows", "\(table.count)"), ("metric", LearnIO.json(metric.rawValue)), ("queries", "\(r.queries)"),
                                  ("queries_without_match", "\(r.queriesWithoutMatch)")]
                + r.recallAtK.map { ("recall_at_\($0.k)", LearnIO.json($0.recall)) }
                + [("map", LearnIO.json(r.meanAveragePrecision)), ("threads", "\(Parallel.threadCount)"), ("ms", LearnIO.json(ms))]))
        } else {
            print("retrieval (\(metric.rawValue), \(r.queries) queries\(r.queriesWithoutMatch > 0 ? ", \(r.queriesWithoutMatch) without a match left out" : "")): "
                  + r.recallAtK.map { "recall@\($0.k) \(String(format: "%.4f", $0.recall))" }.joined(separator: ", ")
                  + ", mAP \(String(format: "%.4f", r.meanAveragePrecision))")
        }
    }
}
