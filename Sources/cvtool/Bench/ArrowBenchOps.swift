import ArgumentParser
import ClassicCV
import CVFormats
import Foundation

/// Options of the `arrow` bench op (after IMAGE, which it ignores).
struct ArrowBenchArguments: ParsableArguments {
    @Option(help: "Rows of the table, 1...1000000 (default 60000: Fashion-MNIST's training set).")
    var rows: Int = 60_000

    @Option(help: "Features per row, 1...100000 (default 324: HOG of 28x28 with 7x7 cells, 2x2 blocks).")
    var features: Int = 324

    @Option(help: "stream (what the worker writes) or file (-o table.arrow).")
    var form: String = "stream"

    @Option(help: ArgumentHelp("memory (into one buffer reused run after run) or a folder to write the table to, as `cvtool hog -o table.arrow` does (atomic, streamed from the columns).", valueName: "memory|folder"))
    var to: String = "memory"

    @Option(name: .customLong("save"), help: ArgumentHelp("Also write the encoded bytes once to this file (to compare with pyarrow's: Tools/bench_ops_arrow.py --check).", valueName: "path"))
    var save: String?

    func validate() throws {
        guard (1...1_000_000).contains(rows) else { throw ValidationError("--rows must be 1...1000000, got \(rows)") }
        guard (1...100_000).contains(features) else { throw ValidationError("--features must be 1...100000, got \(features)") }
        guard rows * features <= 1 << 28 else { throw ValidationError("--rows x --features must be at most 2^28 values (1 GiB)") }
        guard ["stream", "file"].contains(form) else { throw ValidationError("--form must be stream or file, got '\(form)'") }
        guard to == "memory" || FileManager.default.fileExists(atPath: to) else { throw ValidationError("--to must be memory or an existing folder, got '\(to)'") }
    }
}

/// Bench op of the Arrow IPC writer (CVFormats): a worker-shaped table — path, label,
/// features `fixed_size_list<float32>[d]`, error — encoded as `pa.ipc.new_stream` /
/// `new_file` write it (Tools/bench_ops_arrow.py), either into one buffer reused run after run
/// (pyarrow: a `BufferOutputStream` from its pooled allocator) or to `FOLDER/cvtool-bench.arrow`
/// through the path `cvtool hog -o table.arrow` takes (pyarrow: `pa.OSFile`). One record batch;
/// every 97th row is an error row (null features, a message).
enum ArrowBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "arrow", summary: "Arrow IPC of a worker table (IMAGE is ignored; --rows 60000 --features 324 --form stream|file --to memory|FOLDER)") { ctx in
            let args = try ArrowBenchArguments.parse(ctx.arguments)
            let (schema, batch) = table(rows: args.rows, features: args.features)
            let file = args.form == "file"
            let write = { (sink: ArrowIPC.Sink) in
                file ? try ArrowIPC.writeFile(schema: schema, batches: [batch], to: sink) : try ArrowIPC.writeStream(schema: schema, batches: [batch], to: sink)
            }
            if let save = args.save { try CommandIO.writeTogether(producing: [(save, write)]) }
            if args.to == "memory" {
                var buffer: [UInt8] = []
                return BenchCase(pixels: args.rows * args.features) {
                    file ? try ArrowIPC.file(schema: schema, batches: [batch], into: &buffer) : try ArrowIPC.stream(schema: schema, batches: [batch], into: &buffer)
                }
            }
            let path = URL(fileURLWithPath: args.to).appendingPathComponent(file ? "cvtool-bench.arrow" : "cvtool-bench.arrows").path
            return BenchCase(pixels: args.rows * args.features) {
                try CommandIO.writeTogether(producing: [(path, write)])
            }
        },
    ]

    /// The benchmark's table: the same values Tools/bench_ops_arrow.py builds (row i: path
    /// `images/class{i % 10}/{i:06}.png`, label `class{i % 10}`, features (i * d + j) % 1000 / 1000,
    /// an error row every 97th row).
    static func table(rows: Int, features d: Int) -> (ArrowSchema, ArrowRecordBatch) {
        var values = [Float](repeating: 0, count: rows * d)
        var valid = [Bool](repeating: true, count: rows)
        var paths: [String?] = [], labels: [String?] = [], errors: [String?] = []
        for i in 0..<rows {
            let path = "images/class\(i % 10)/\(String(format: "%06d", i)).png"
            paths.append(path)
            labels.append("class\(i % 10)")
            if i % 97 == 96 {
                valid[i] = false
                errors.append("\(path): not a PNG file")
            } else {
                errors.append(nil)
                for j in 0..<d { values[i * d + j] = Float((i * d + j) % 1000) / 1000 }
            }
        }
        let schema = ArrowSchema([ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
                                  ArrowField("features", .float32List(size: d)), ArrowField("error", .utf8)])
        return (schema, ArrowRecordBatch(rowCount: rows, columns: [
            .utf8(paths), .utf8(labels), .float32List(values: values, valid: valid), .utf8(errors)]))
    }
}
