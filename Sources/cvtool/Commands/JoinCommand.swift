import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool join`: column-wise concatenation of feature tables with the same rows.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Concatenate the feature columns of tables with the same rows (e.g. HOG at two cell sizes).",
        discussion: """
        Every TABLE must have the same number of rows, in the same order (for example two \
        `cvtool hog` runs over the same images with different --cell). The output row i holds \
        the features of row i of each table, left to right. Paths and labels come from the \
        first table that has them (--labels overrides); when several tables have labels they \
        must agree. The features stay float32 when every input is float32 (NPY from `cvtool \
        hog`), else float64. Format from OUT's extension (.npy stores the features only; pass \
        the labels to `cvtool train --labels`).

        Examples:
          cvtool hog train-images-idx3-ubyte.gz --cell 4x4 --block 2x2 -o hog4.npy
          cvtool hog train-images-idx3-ubyte.gz --cell 7x7 --block 2x2 -o hog7.npy
          cvtool join hog4.npy hog7.npy -o hog4+7.npy
          cvtool join a.csv b.csv -o ab.csv
        """
    )

    @Argument(help: "Two or more feature tables (.csv, .svm/.libsvm/.txt, .npy, or IDX image files).")
    var tables: [String]

    @Option(name: .shortAndLong, help: "Output table (default: CSV to standard output).")
    var output: String = "-"

    @OptionGroup var input: LearnInputOptions

    func validate() throws {
        guard tables.count >= 2 else { throw ValidationError("give at least two tables to join") }
        _ = try LearnIO.tableFormat(output)
        try CommandIO.refuseOverwritingInput(output: output, inputs: tables)
    }

    func run() throws {
        input.applyThreads()
        var parts: [FeatureTable] = []
        for t in tables {
            let table = try LearnIO.loadTable(t)
            if let first = parts.first, first.count != table.count {
                throw ValidationError("\(t) has \(table.count) rows but \(tables[0]) has \(first.count)")
            }
            parts.append(table)
        }
        var labels: [String]? = nil
        for (i, p) in parts.enumerated() {
            guard let l = p.labels else { continue }
            if let labels, labels != l { throw ValidationError("the labels of \(tables[i]) differ from an earlier table's") }
            labels = l
        }
        let rows = parts[0].count
        let cols = parts.map { $0.features.columns }
        let total = cols.reduce(0, +)
        let allFloat = parts.allSatisfy { if case .float = $0.features { return true } else { return false } }
        func concat<T: LearnScalar>(_ mats: [Matrix<T>]) -> Matrix<T> {
            var out = Matrix<T>(rows: rows, columns: total)
            out.withUnsafeMutableRows { dst in
                var offset = 0
                for m in mats {
                    m.withUnsafeRows { src in
                        for r in 0..<rows {
                            for c in 0..<m.columns { dst[r * total + offset + c] = src[r * m.columns + c] }
                        }
                    }
                    offset += m.columns
                }
            }
            return out
        }
        let features: AnyMatrix = allFloat ? .float(concat(parts.map { $0.features.asFloat })) : .double(concat(parts.map { $0.features.asDouble }))
        var names: [String] = []
        for (i, p) in parts.enumerated() { names += p.featureNames.map { parts.count > 1 ? "t\(i).\($0)" : $0 } }
        if names.count != total { names = (0..<total).map { "f\($0)" } }
        var joined = FeatureTable(features: features, labels: labels, paths: parts.first { $0.paths != nil }?.paths, featureNames: names)
        if let l = input.labels {
            let list = try LearnIO.readLabels(l)
            guard list.count == rows else { throw ValidationError("\(l) has \(list.count) labels but the tables have \(rows) rows") }
            joined.labels = list
        }
        try LearnIO.writeTable(joined, to: output)
        FileHandle.standardError.write(Data("join: \(rows) rows x (\(cols.map(String.init).joined(separator: " + "))) = \(total) features\n".utf8))
        CommandIO.announce(output)
    }
}
