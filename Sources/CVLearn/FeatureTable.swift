import CVCore
import CVFormats
import Foundation

/// A feature matrix that keeps the precision it was stored with: NPY float32 stays `Float`,
/// text formats and float64 NPY are `Double`.
public enum AnyMatrix: Sendable, Equatable {
    case float(Matrix<Float>)
    case double(Matrix<Double>)

    public var rows: Int { switch self { case let .float(m): return m.rows; case let .double(m): return m.rows } }
    public var columns: Int { switch self { case let .float(m): return m.columns; case let .double(m): return m.columns } }
    /// The values as `Double` (a copy for `.float`).
    public var asDouble: Matrix<Double> { switch self { case let .float(m): return m.converted(); case let .double(m): return m } }
    /// The values as `Float` (a rounding copy for `.double`).
    public var asFloat: Matrix<Float> { switch self { case let .float(m): return m; case let .double(m): return m.converted() } }
}

/// Samples with optional labels and source paths: what `cvtool hog` writes and `cvtool train`
/// reads.
///
/// Formats (chosen by file extension in `read(path:)`):
/// - **CSV** (`.csv`): a header line; a `label` column (optional when predicting), an optional
///   `path` column, every other column a numeric feature. `cvtool hog` writes
///   `path,label,f0,f1,…`. Fields may be quoted (RFC 4180). Read by pandas as is.
/// - **LIBSVM / SVMlight** (`.svm`, `.libsvm`, `.txt`): `label index:value …` with 1-based,
///   increasing indices; missing indices are 0; `qid:` fields and `#` comments are ignored.
/// - **NPY** (`.npy`): a 2-D float32/float64/integer array of features only; labels come from
///   a separate file (see `readLabels(path:)`).
public struct FeatureTable: Sendable, Equatable {
    /// One row per sample.
    public var features: AnyMatrix
    /// One label per sample, or nil when the table has no `label` column.
    public var labels: [String]?
    /// The `path` column (source image of each row), when present.
    public var paths: [String]?
    /// Names of the feature columns (`f0`, `f1`, … when the format has none).
    public var featureNames: [String]

    public init(features: AnyMatrix, labels: [String]? = nil, paths: [String]? = nil, featureNames: [String]? = nil) {
        self.features = features
        self.labels = labels
        self.paths = paths
        self.featureNames = featureNames ?? (0..<features.columns).map { "f\($0)" }
    }

    /// Number of samples.
    public var count: Int { features.rows }

    /// Table formats known by extension.
    public enum Format: String, Sendable, CaseIterable {
        case csv, libsvm, npy

        /// The format a path's extension names (`.csv`; `.svm`/`.libsvm`/`.svmlight`/`.txt`; `.npy`).
        public init(pathExtensionOf path: String) throws {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "csv": self = .csv
            case "svm", "libsvm", "svmlight", "txt", "dat": self = .libsvm
            case "npy": self = .npy
            case let e:
                throw LearnError.invalidParameter(name: "path", reason: "\(path): unknown table format '.\(e)' (use .csv, .svm/.libsvm/.txt or .npy)")
            }
        }
    }

    /// Reads a table; the format comes from the extension.
    /// - Throws: `LearnError.io` when the file cannot be read, `LearnError.decoding` naming the
    ///   file, row and column when it is malformed.
    public static func read(path: String, format: Format? = nil) throws -> FeatureTable {
        try read(path: path, format: format, labelsBeside: true)
    }

    /// Reads a table; the format comes from the extension. An NPY table `X.npy` takes its
    /// labels from `X.labels.npy` beside it when that file exists (the layout `cvtool hog`
    /// writes): integer class indices, named by line k of `X.classes.txt` when that file exists
    /// too, so a table's classes are the same names whichever run numbered them. With names, a
    /// row labelled -1 (unknown) leaves the table unlabelled.
    /// - Parameters:
    ///   - path: the table file.
    ///   - format: default: from the extension.
    ///   - labelsBeside: read `X.labels.npy` and `X.classes.txt` beside an NPY table. Default `true`.
    /// - Returns: the table; `labels` nil when the format holds none.
    /// - Throws: `LearnError.io` when a file cannot be read, `LearnError.decoding` naming the
    ///   file, row and column when it is malformed, or when the labels beside an NPY table do not
    ///   match its rows or name a class index `X.classes.txt` lacks.
    /// - Complexity: O(file size).
    public static func read(path: String, format: Format? = nil, labelsBeside: Bool) throws -> FeatureTable {
        let f = try format ?? Format(pathExtensionOf: path)
        var table = try decode(try readFile(path), format: f, source: path)
        if f == .npy && labelsBeside { table.labels = try NPYLabels.readBeside(tablePath: path, rows: table.count) }
        return table
    }

    /// Parses a table held in memory: what ``read(path:format:labelsBeside:)`` does after
    /// reading the file, for callers that already hold the bytes (fuzzing, network input).
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - format: its format (there is no extension to choose it from).
    ///   - source: the name errors carry (default `<memory>`).
    /// - Returns: the table; NPY gives features only.
    /// - Throws: `LearnError.decoding` naming `source`, row and column when it is malformed.
    /// - Complexity: O(n) in the size of `bytes` plus the dense matrix.
    public static func decode(_ bytes: [UInt8], format: Format, source: String = "<memory>") throws -> FeatureTable {
        do {
            switch format {
            case .csv: return try CSVTable.parse(bytes)
            case .libsvm: return try LIBSVMTable.parse(bytes)
            case .npy: return FeatureTable(features: try NPYFile.parseMatrix(bytes))
            }
        } catch let e as LearnError {
            throw e.relabeled(source)
        }
    }

    /// Encodes the table in `format`. NPY stores the features only.
    public func encoded(as format: Format) throws -> [UInt8] {
        switch format {
        case .csv: return CSVTable.encode(self)
        case .libsvm: return try LIBSVMTable.encode(self)
        case .npy:
            switch features {
            case let .float(m): return NPYFile.encode(m)
            case let .double(m): return NPYFile.encode(m)
            }
        }
    }

    /// Writes the table atomically (temporary file, then rename). An NPY table's labels go
    /// beside it, as `read(path:format:labelsBeside:)` reads them (`X.labels.npy`, and
    /// `X.classes.txt` for text labels); an unlabelled one removes stale label files there.
    /// - Throws: `LearnError.io` naming the file that could not be written.
    public func write(to path: String, format: Format? = nil) throws {
        let f = try format ?? Format(pathExtensionOf: path)
        let bytes = try encoded(as: f)
        if f == .npy {
            let side = NPYLabels.files(for: labels, beside: path)
            for (p, b) in side.write { try writeFileAtomically(b, to: p) }
            for p in side.remove { try? FileManager.default.removeItem(atPath: p) }
        }
        try writeFileAtomically(bytes, to: path)
    }

    /// Reads labels from a text file (one label per line) or a 1-D NPY array (integers or
    /// floats, printed without a trailing `.0` when integral).
    public static func readLabels(path: String) throws -> [String] {
        let bytes = try readFile(path)
        if path.lowercased().hasSuffix(".npy") {
            do { return try NPYFile.parseLabels(bytes) } catch let e as LearnError { throw e.relabeled(path) }
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw LearnError.decoding(source: path, reason: "labels are not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Reads a whole file.
/// - Throws: `LearnError.io` naming the path.
func readFile(_ path: String) throws -> [UInt8] {
    try LearnError.mapping { try FileBytes.read(path) }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
/// - Throws: `LearnError.io` naming the path.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    try LearnError.mapping { try FileBytes.writeAtomically(bytes, to: path) }
}

extension LearnError {
    /// The `LearnError` of an error from CVFormats (which reports in `CVError`): what could
    /// not be parsed, whatever the reason, is a `decoding` error of the table.
    init(_ error: CVError) {
        switch error {
        case let .decoding(source, reason), let .unsupported(source, reason), let .limitExceeded(source, reason):
            self = .decoding(source: source, reason: reason)
        case let .encoding(target, reason): self = .encoding(target: target, reason: reason)
        case let .invalidParameter(name, reason): self = .invalidParameter(name: name, reason: reason)
        case let .io(path, reason): self = .io(path: path, reason: reason)
        }
    }

    /// Runs `body`, rethrowing a `CVError` as its `LearnError`.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CVError { throw LearnError(e) }
    }
}
