import ArgumentParser
import ClassicCV
import CVFormats
import Foundation

/// The options of `cvtool hog` that let an engine (Spark, a shell pipeline) drive it: inputs
/// listed in a file or framed on standard input, and the streamed Arrow output with error rows.
struct HOGWorkerOptions: ParsableArguments {
    @Option(name: .customLong("files-from"), help: ArgumentHelp("Read input paths from this file (`-`: standard input), one per line.", valueName: "path"))
    var filesFrom: String?

    @Flag(name: .customLong("null"), help: "With --files-from: the paths are separated by NUL bytes (find -print0).")
    var nulSeparated = false

    @Flag(help: "Read framed (path, bytes) records from standard input (implies --stream; format in docs/spark.md).")
    var records = false

    @Flag(help: "Worker mode: write an Arrow IPC stream (path, label, features, error) to standard output as rows are computed; unreadable inputs become error rows.")
    var stream = false

    @Option(name: .customLong("image-size"), help: "With --stream: the table's image size WxH; images of another size are error rows (default: the first readable image's).")
    var imageSize: String?

    @Option(name: .customLong("labels-root"), help: ArgumentHelp("With --stream and --labels-from-dirs: label each listed path by its first folder under this prefix (default: the folder holding the file).", valueName: "prefix"))
    var labelsRoot: String?

    @Option(name: .customLong("batch-records"), help: "With --stream: records per Arrow batch, 1...4096.")
    var batchRecords: Int = 64

    /// Whether the run writes the worker's Arrow stream.
    var isStreaming: Bool { stream || records }

    func validate(inputs: [String], output: String, visualize: String?) throws {
        if nulSeparated && filesFrom == nil { throw ValidationError("--null needs --files-from") }
        if records && filesFrom == "-" { throw ValidationError("--records and --files-from - both read standard input") }
        if records && !inputs.isEmpty { throw ValidationError("--records reads every input from standard input; give no INPUT") }
        if inputs.isEmpty && filesFrom == nil && !records { throw ValidationError("give at least one INPUT (or --files-from, --records)") }
        if let imageSize {
            let size = try HOGOptions.size(imageSize, "--image-size")
            do { try ImageLimits.checkOutput(width: size.width, height: size.height, widthName: "--image-size", heightName: "--image-size", totalName: "--image-size") }
            catch { throw ValidationError("\(error)") }
        }
        guard isStreaming else {
            for (set, name) in [(imageSize != nil, "--image-size"), (labelsRoot != nil, "--labels-root"), (batchRecords != 64, "--batch-records")] where set {
                throw ValidationError("\(name) needs --stream")
            }
            return
        }
        guard output == "-" else { throw ValidationError("--stream writes to standard output; leave out -o (got '\(output)')") }
        if visualize != nil { throw ValidationError("--visualize is not available with --stream") }
        guard (1...4096).contains(batchRecords) else { throw ValidationError("--batch-records must be 1...4096, got \(batchRecords)") }
    }

    /// The paths of --files-from, for the table mode (read whole: the table is in memory anyway).
    func listedPaths() throws -> [String] {
        guard var source = try pathList() else { return [] }
        var paths: [String] = []
        while let r = try source.next() { paths.append(r.path) }
        return paths
    }

    /// The --files-from list as a record source.
    func pathList() throws -> PathListReader? {
        guard let filesFrom else { return nil }
        let fd = filesFrom == "-" ? STDIN_FILENO : try Self.openList(filesFrom)
        // The descriptor stays open for the life of the run (one per process).
        return PathListReader(reader: ByteReader(fd: fd, name: filesFrom == "-" ? "<stdin>" : filesFrom), nulSeparated: nulSeparated)
    }

    /// How long a FIFO named by --files-from may go without a writer before the run gives up.
    static let fifoWriterWait: Int32 = 5_000

    /// Opens a --files-from list: a regular file, or a FIFO or pipe (`<(find …)`) that a
    /// writer holds open; a folder or a device is refused (a device never ends), and a FIFO
    /// that no writer opens within `fifoWriterWait` ms is an error instead of a hang.
    /// - Throws: `CVError.io` naming the path.
    static func openList(_ path: String) throws -> Int32 {
        // Non-blocking, so that opening a FIFO without a writer returns at once.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw CVError.io(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); throw CVError.io(path: path, reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFIFO:
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, fifoWriterWait) > 0 else {
                close(fd)
                throw CVError.io(path: path, reason: "no writer opened this FIFO within \(fifoWriterWait / 1000) s")
            }
        case S_IFDIR: close(fd); throw CVError.io(path: path, reason: "is a folder, not a list of paths")
        default: close(fd); throw CVError.io(path: path, reason: "is a device or socket, not a list of paths")
        }
        // Blocking reads from here on: a pipe's writer may be slower than us.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }
}

extension HOGCommand {
    /// `--stream`: 1. the settings from the options; 2. the record source (framed standard
    /// input, a path list, or the INPUT paths); 3. the worker writes the stream to standard
    /// output; 4. a summary line on standard error.
    func runWorker() throws {
        let settings = try workerSettings()
        let worker = HOGWorker(settings: settings)
        let sink: ([UInt8]) throws -> Void = { try FileBytes.writeStandardOutput($0) }
        let counts: HOGWorker.Counts
        if self.worker.records {
            var source = FramedRecordReader(reader: ByteReader(fd: STDIN_FILENO, name: "<stdin>"))
            counts = try worker.run(&source, sink: sink)
        } else if var source = try self.worker.pathList() {
            counts = try worker.run(&source, sink: sink)
        } else {
            var source = PathArrayReader(try streamedInputs().paths)
            counts = try worker.run(&source, sink: sink)
        }
        CommandIO.writeStandardError("hog: \(counts.records) record(s), \(counts.rows) row(s), \(counts.errorRows) error row(s)\n")
    }

    private func workerSettings() throws -> HOGWorker.Settings {
        let params = try hog.parameters()
        let imageSize = try worker.imageSize.map { try HOGOptions.size($0, "--image-size") }.map { (width: $0.width, height: $0.height) }
        return HOGWorker.Settings(
            engine: try HOG(params), window: try hog.windowSpec(params),
            resize: try resize.map { try HOGOptions.size($0, "--resize") }.map { (width: $0.width, height: $0.height) },
            imageSize: imageSize, labels: try workerLabels(), strict: strict, batchRecords: worker.batchRecords)
    }

    /// --labels (row i = record i), --labels-from-dirs (INPUT folders as in the table mode;
    /// listed and framed paths by their folder), or none.
    private func workerLabels() throws -> WorkerLabels {
        if let labels { return .list(try LearnIO.readLabels(labels).map(Optional.some), source: labels) }
        guard labelsFromDirs else { return .none }
        if worker.records || worker.filesFrom != nil { return .fromDirs(root: worker.labelsRoot) }
        return .list(try streamedInputs().labels, source: "--labels-from-dirs")
    }

    /// INPUT paths with folders listed (image files only: IDX rows have no file of their own).
    private func streamedInputs() throws -> (paths: [String], labels: [String?]) {
        let rows = try ImageInputs.collect(inputs, labelsFromDirs: labelsFromDirs, strict: strict)
        guard rows.idxSets.isEmpty else { throw ValidationError("--stream reads image files; IDX input \(rows.idxSets[0].path) needs the table mode") }
        for p in rows.problems { CommandIO.writeStandardError("hog: skipped \(p)\n") }
        return (rows.filePaths, rows.items.indices.map { rows.label($0) })
    }

    /// Writes the table as an Arrow IPC file through `sink`: path, label, features (no error
    /// column: unreadable inputs were skipped). The float values go to `sink` straight from
    /// the table's array.
    /// - Throws: what `sink` throws.
    static func writeArrowFile(_ table: DescriptorTable, to sink: ArrowIPC.Sink) throws {
        let schema = ArrowSchema([ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
                                  ArrowField("features", .float32List(size: max(1, table.length)), nullable: false)])
        let batch = ArrowRecordBatch(rowCount: table.names.count, columns: [
            .utf8(table.names), .utf8(table.labels),
            .float32List(values: table.values, valid: [Bool](repeating: true, count: table.names.count)),
        ])
        do {
            try ArrowIPC.writeFile(schema: schema, batches: [batch], to: sink)
        } catch CVError.invalidParameter(let name, let reason) {
            // The shapes agree by construction: a refusal here is a programming error.
            preconditionFailure("\(name): \(reason)")
        }
    }
}
