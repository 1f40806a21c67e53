import ClassicCV
import Foundation

/// `cvtool hog --stream`: records in, an Arrow IPC stream out (`path`, `label`,
/// `features: fixed_size_list<float32>[d]`, `error`), batch by batch, so memory stays bounded
/// whatever the input's length. An input that cannot be decoded or described is an error row
/// (its path and the message, features null), never the end of the run; rows keep the input
/// order and depend only on the input, so an engine's retries and speculative copies are
/// harmless.
struct HOGWorker {
    /// How each record becomes rows: the engine, dense windows, resizing, the table's image
    /// size (nil: the first readable image's) and the labels.
    struct Settings {
        var engine: HOG
        var window: (window: HOGSize, stride: HOGSize)?
        var resize: (width: Int, height: Int)?
        var imageSize: (width: Int, height: Int)?
        var labels: WorkerLabels
        var strict: Bool
        /// Records decoded and described together (in parallel), then written as one batch.
        var batchRecords: Int
    }

    /// What a run wrote, for the summary line.
    struct Counts { var rows = 0, errorRows = 0, records = 0 }

    let settings: Settings

    /// Most features in one row: 2^26 floats (256 MiB). An Arrow row of a fixed-size list is
    /// all of its floats even when null, so a table size beyond this (an `--image-size` of
    /// 16384x16384 is 339 million) is refused rather than allocated row after row.
    static let maxFeatures = 1 << 26
    /// Bytes of features a batch may hold: fewer records a batch when rows are long.
    static let batchBytes = 256 << 20

    /// Reads `source` to its end, writing the stream through `sink`.
    /// - Throws: a broken source (after the rows before it are written), a failed write, or
    ///   with `strict` the first failing record.
    func run(_ source: inout some WorkerRecordSource, sink: @escaping ([UInt8]) throws -> Void) throws -> Counts {
        var counts = Counts()
        var writer: ArrowStreamWriter?
        var size = settings.resize ?? settings.imageSize
        var pending: [(record: WorkerRecord, image: Result<Image<UInt8>, Error>)] = []
        var sourceError: Error?
        var atEnd = false
        var batchLimit = settings.batchRecords
        while !atEnd {
            // 1. The next records (up to a batch), decoded; a broken source ends the input.
            var records: [WorkerRecord] = []
            do {
                while records.count < batchLimit, let r = try source.next() { records.append(r) }
            } catch { sourceError = error }
            atEnd = sourceError != nil || records.count < batchLimit
            let decoded = zip(records, decode(records)).map { (record: $0, image: $1) }
            // 2. The first readable image fixes the table's size when nothing else did; until
            //    then the unreadable records wait (without their bytes).
            if size == nil, settings.window == nil, let first = decoded.lazy.compactMap({ try? $0.image.get() }).first {
                size = (first.width, first.height)
            }
            pending += decoded
            guard let d = try descriptorLength(size: size) ?? (atEnd ? 1 : nil) else {
                pending = pending.map { (WorkerRecord(path: $0.record.path, bytes: .success([])), $0.image) }
                continue
            }
            // 3. The schema once (for a row length within bounds), then the batch.
            if writer == nil {
                try checkRowLength(d, size: size)
                batchLimit = min(settings.batchRecords, max(1, Self.batchBytes / (4 * d)))
                writer = try ArrowStreamWriter(schema: Self.schema(d), sink: sink)
            }
            if !pending.isEmpty {
                let batch = try describe(pending, size: size, length: d, firstIndex: counts.records)
                counts.records += pending.count
                counts.rows += batch.rows.rowCount
                counts.errorRows += batch.errors
                pending = []
                try writer?.write(batch.rows)
            }
        }
        try writer?.finish()
        if let sourceError { throw sourceError }
        return counts
    }

    /// The worker's schema: path (never null), label, features, error.
    static func schema(_ d: Int) -> ArrowSchema {
        ArrowSchema([ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
                     ArrowField("features", .float32List(size: d)), ArrowField("error", .utf8)])
    }

    /// Refuses a descriptor longer than `maxFeatures`, naming the option that set it.
    private func checkRowLength(_ d: Int, size: (width: Int, height: Int)?) throws {
        guard d > Self.maxFeatures else { return }
        let source = settings.window != nil ? "--window" : settings.resize != nil ? "--resize"
            : settings.imageSize != nil ? "--image-size" : "the first image (\(size.map { "\($0.width)x\($0.height)" } ?? "?"))"
        throw CVError.invalidParameter(name: source, reason: "gives descriptors of \(d) features; the limit is \(Self.maxFeatures) a row (use a smaller size or --resize)")
    }

    /// The descriptor length, once the window or the image size is known.
    private func descriptorLength(size: (width: Int, height: Int)?) throws -> Int? {
        let p = settings.engine.parameters
        if let w = settings.window { return try p.grid(width: w.window.width, height: w.window.height).descriptorLength }
        guard let size else { return nil }
        return try p.grid(width: size.width, height: size.height).descriptorLength
    }

    /// Every record's image (gray or colour UInt8, resized with --resize), in parallel.
    private func decode(_ records: [WorkerRecord]) -> [Result<Image<UInt8>, Error>] {
        var images = [Result<Image<UInt8>, Error>](repeating: .failure(CVError.io(path: "", reason: "")), count: records.count)
        images.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            Parallel.forEach(count: records.count, chunk: 1) { i in
                base[i] = Result {
                    let bytes = try records[i].bytes.get()
                    let decoded = try ImageIO.decode(bytes, source: records[i].path).image
                    return try ImageInputs.rowImage(decoded, resizedTo: settings.resize)
                }
            }
        }
        return images
    }

    /// The rows of a batch of records: descriptors where the image allows, error rows
    /// elsewhere.
    private func describe(_ items: [(record: WorkerRecord, image: Result<Image<UInt8>, Error>)], size: (width: Int, height: Int)?,
                          length: Int, firstIndex: Int) throws -> (rows: ArrowRecordBatch, errors: Int) {
        let described = describeAll(items.map(\.image), names: items.map(\.record.path), size: size)
        var rows = WorkerRows()
        for (i, item) in items.enumerated() {
            let path = item.record.path
            let label = try settings.labels.label(path: path, index: firstIndex + i)
            switch described[i] {
            case .success(let d) where settings.window != nil:
                rows.appendWindows(d.values, name: path, label: label, windowsX: d.windowsX, windowsY: d.windowsY, stride: settings.window!.stride)
            case .success(let d):
                rows.append(path: path, label: label, features: d.values[...])
            case .failure(let error):
                if settings.strict { throw error }
                rows.appendError(path: path, label: label, message: "\(error)")
            }
        }
        return (rows.batch(length: length), rows.errors)
    }

    /// Every record's descriptor values (all windows with --window, window after window), in
    /// parallel.
    private func describeAll(_ images: [Result<Image<UInt8>, Error>], names: [String], size: (width: Int, height: Int)?)
        -> [Result<(values: [Float], windowsX: Int, windowsY: Int), Error>] {
        var out = [Result<(values: [Float], windowsX: Int, windowsY: Int), Error>](repeating: .success(([], 0, 0)), count: images.count)
        out.withUnsafeMutableBufferPointer { op in
            let base = op.baseAddress!
            Parallel.forEach(count: images.count, chunk: 1) { i in
                base[i] = Result {
                    let img = try images[i].get()
                    if let w = settings.window {
                        let f = try settings.engine.windows(img, window: w.window, stride: w.stride)
                        return (f.values, f.windowsX, f.windowsY)
                    }
                    if let size, img.width != size.width || img.height != size.height {
                        throw CVError.invalidParameter(name: names[i], reason: "is \(img.width)x\(img.height), the table's images are \(size.width)x\(size.height) (use --resize WxH)")
                    }
                    let grid = try settings.engine.parameters.grid(width: img.width, height: img.height)
                    var v = [Float](repeating: 0, count: grid.descriptorLength)
                    try v.withUnsafeMutableBufferPointer { try settings.engine.compute(img, into: $0, parallel: false) }
                    return (v, 1, 1)
                }
            }
        }
        return out
    }
}

/// The rows of one batch as they are gathered.
private struct WorkerRows {
    var paths: [String] = [], labels: [String?] = [], errorTexts: [String?] = []
    var values: [Float] = [], valid: [Bool] = []
    var errors = 0

    mutating func append(path: String, label: String?, features: ArraySlice<Float>) {
        paths.append(path); labels.append(label); errorTexts.append(nil)
        values += features; valid.append(true)
    }

    /// Dense mode: one row per window, named `PATH@x,y` as in the table mode.
    mutating func appendWindows(_ all: [Float], name: String, label: String?, windowsX: Int, windowsY: Int, stride: HOGSize) {
        let perRow = all.count / max(1, windowsX * windowsY)
        for wy in 0..<windowsY {
            for wx in 0..<windowsX {
                let k = wy * windowsX + wx
                append(path: "\(name)@\(wx * stride.width),\(wy * stride.height)", label: label, features: all[k * perRow..<(k + 1) * perRow])
            }
        }
    }

    mutating func appendError(path: String, label: String?, message: String) {
        paths.append(path); labels.append(label); errorTexts.append(message)
        valid.append(false)
        errors += 1
    }

    /// The batch; error rows get `length` zeros as their (null) features.
    func batch(length: Int) -> ArrowRecordBatch {
        var v: [Float] = []
        v.reserveCapacity(valid.count * length)
        var next = 0
        for ok in valid {
            if ok { v += values[next..<next + length]; next += length } else { v += [Float](repeating: 0, count: length) }
        }
        return ArrowRecordBatch(rowCount: paths.count, columns: [.utf8(paths), .utf8(labels), .float32List(values: v, valid: valid), .utf8(errorTexts)])
    }
}

/// The labels of worker rows: none, a list (row i = record i, as `--labels`), or the folder
/// of each record's path (`--labels-from-dirs`): the first folder under `root` when given,
/// else the folder that holds the file.
enum WorkerLabels {
    case none
    case list([String?], source: String)
    case fromDirs(root: String?)

    func label(path: String, index: Int) throws -> String? {
        switch self {
        case .none: return nil
        case .list(let labels, let source):
            guard index < labels.count else {
                throw HOGRunError("\(source) has \(labels.count) labels, and there are more records")
            }
            return labels[index]
        case .fromDirs(let root):
            var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if let root {
                let prefix = root.hasSuffix("/") ? root : root + "/"
                guard path.hasPrefix(prefix) else { return nil }
                parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
                return parts.count > 1 ? parts[0] : nil
            }
            return parts.count > 1 ? parts[parts.count - 2] : nil
        }
    }
}
