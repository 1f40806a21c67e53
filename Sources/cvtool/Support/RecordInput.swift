import ClassicCV
import Foundation

/// One input of the worker mode: a path and its bytes, or why the bytes could not be had.
struct WorkerRecord {
    let path: String
    let bytes: Result<[UInt8], Error>
}

/// A source of worker records, read as it goes (bounded memory).
protocol WorkerRecordSource {
    /// The next record, or nil at the end.
    /// - Throws: when the source itself is broken (a truncated frame): no record can follow.
    mutating func next() throws -> WorkerRecord?
}

/// Buffered reads from a file descriptor (standard input or a file), a chunk at a time.
struct ByteReader {
    private let fd: Int32
    private let name: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0
    private var atEnd = false

    /// - Parameters:
    ///   - fd: the descriptor, read until end of file; not closed.
    ///   - name: how messages name it (`<stdin>` or the path).
    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    /// Refills the buffer; false at end of file.
    private mutating func fill() throws -> Bool {
        guard start == end, !atEnd else { return start < end }
        start = 0; end = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { end = n; return true }
            if n == 0 { atEnd = true; return false }
            if errno == EINTR { continue }
            throw CVError.io(path: name, reason: String(cString: strerror(errno)))
        }
    }

    /// Exactly `count` bytes (appended to `out`), or fewer at end of file.
    /// - Returns: how many were read.
    mutating func read(_ count: Int, into out: inout [UInt8]) throws -> Int {
        var got = 0
        while got < count, try fill() {
            let take = min(count - got, end - start)
            out.append(contentsOf: buffer[start..<start + take])
            start += take; got += take
        }
        return got
    }

    /// Skips `count` bytes; returns how many were skipped (fewer at end of file).
    mutating func skip(_ count: UInt64) throws -> UInt64 {
        var left = count
        while left > 0, try fill() {
            let take = Int(min(left, UInt64(end - start)))
            start += take; left -= UInt64(take)
        }
        return count - left
    }

    /// The bytes up to `separator` (not included), or the last unterminated piece; nil at end.
    mutating func piece(until separator: UInt8, limit: Int) throws -> [UInt8]? {
        var out: [UInt8] = []
        while try fill() {
            if let i = buffer[start..<end].firstIndex(of: separator) {
                out.append(contentsOf: buffer[start..<i]); start = i + 1
                return out
            }
            out.append(contentsOf: buffer[start..<end]); start = end
            if out.count > limit { throw CVError.io(path: name, reason: "an entry is longer than \(limit) bytes") }
        }
        return out.isEmpty ? nil : out
    }
}

/// The framed-record batch format of `cvtool hog --records` (documented in docs/spark.md):
/// the 8-byte magic `CVREC01\n`, then per record, little-endian,
/// `u32 path length, path (UTF-8), u64 data length, data`; the stream ends after a whole
/// record. A record whose data is over `maxDataBytes` becomes an error record (its bytes are
/// skipped); a path over `maxPathBytes`, a bad magic or a cut-off record ends the input with
/// an error, since nothing after it can be framed.
struct FramedRecordReader: WorkerRecordSource {
    static let magic: [UInt8] = Array("CVREC01\n".utf8)
    /// Longest path: 64 KiB (PATH_MAX is 4 KiB; object-store keys are at most 1 KiB).
    static let maxPathBytes = 1 << 16
    /// Largest record: 1 GiB (the decoder's own limits refuse most images long before).
    static let maxDataBytes: UInt64 = 1 << 30

    private var reader: ByteReader
    private var started = false
    private var index = 0

    init(reader: ByteReader) { self.reader = reader }

    mutating func next() throws -> WorkerRecord? {
        if !started {
            started = true
            var head: [UInt8] = []
            let n = try reader.read(8, into: &head)
            if n == 0 { return nil }
            guard head == Self.magic else { throw broken("does not start with the record magic 'CVREC01\\n'") }
        }
        // 1. The path length; a clean end of input is only possible here.
        var field: [UInt8] = []
        let n = try reader.read(4, into: &field)
        if n == 0 { return nil }
        guard n == 4 else { throw broken("record \(index) is cut off in its path length") }
        let pathLength = Int(Self.littleEndian(field))
        guard pathLength <= Self.maxPathBytes else { throw broken("record \(index) has a path of \(pathLength) bytes (at most \(Self.maxPathBytes))") }
        // 2. The path, then the data length.
        var pathBytes: [UInt8] = []
        field = []
        guard try reader.read(pathLength, into: &pathBytes) == pathLength, try reader.read(8, into: &field) == 8 else {
            throw broken("record \(index) is cut off")
        }
        let path = String(decoding: pathBytes, as: UTF8.self)
        let dataLength = Self.littleEndian(field)
        index += 1
        // 3. The data, or an error record for data over the limit.
        guard dataLength <= Self.maxDataBytes else {
            guard try reader.skip(dataLength) == dataLength else { throw broken("record \(index - 1) (\(path)) is cut off") }
            return WorkerRecord(path: path, bytes: .failure(CVError.limitExceeded(source: path, reason: "record of \(dataLength) bytes is over the \(Self.maxDataBytes)-byte limit")))
        }
        // Reserved up to 64 MiB only: the length is a claim until the bytes arrive, and a
        // cut-off record claiming 1 GiB must not cost 1 GiB.
        var data: [UInt8] = []
        data.reserveCapacity(Int(min(dataLength, 1 << 26)))
        guard try reader.read(Int(dataLength), into: &data) == Int(dataLength) else { throw broken("record \(index - 1) (\(path)) is cut off") }
        return WorkerRecord(path: path, bytes: .success(data))
    }

    private func broken(_ reason: String) -> CVError { CVError.decoding(source: "<stdin> records", reason: reason) }

    private static func littleEndian(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
}

/// Paths listed one per line (or NUL-separated), as `tar -T` and `rsync --files-from`, each
/// read when its turn comes; an empty line is skipped, a trailing `\r` kept (it may be part
/// of a name). A path that cannot be read becomes an error record.
struct PathListReader: WorkerRecordSource {
    private var reader: ByteReader
    private let separator: UInt8

    init(reader: ByteReader, nulSeparated: Bool) {
        self.reader = reader
        separator = nulSeparated ? 0 : UInt8(ascii: "\n")
    }

    mutating func next() throws -> WorkerRecord? {
        while let piece = try reader.piece(until: separator, limit: FramedRecordReader.maxPathBytes) {
            guard !piece.isEmpty else { continue }
            let path = String(decoding: piece, as: UTF8.self)
            return WorkerRecord(path: path, bytes: Result { try RegularFile.read(path) })
        }
        return nil
    }
}

/// Paths given on the command line (folders listed as `cvtool hog` lists them).
struct PathArrayReader: WorkerRecordSource {
    private var paths: [String]
    private var position = 0

    init(_ paths: [String]) { self.paths = paths }

    mutating func next() throws -> WorkerRecord? {
        guard position < paths.count else { return nil }
        defer { position += 1 }
        return WorkerRecord(path: paths[position], bytes: Result { try RegularFile.read(paths[position]) })
    }
}

/// Reading a listed file: only regular files are opened (a FIFO would block, a device never
/// ends), and the decoder's limits apply to what is read.
enum RegularFile {
    static func read(_ path: String) throws -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CVError.io(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw CVError.io(path: path, reason: "is not a regular file") }
        return try FileIO.readAll(path)
    }
}
