import CVCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileBytes {
    /// Writes `bytes` to `path` atomically: a failed or killed run leaves `path` as it was and
    /// no temporary file behind.
    ///
    /// On Linux the bytes go to an unnamed temporary (`O_TMPFILE`) in `path`'s directory,
    /// flushed, then linked into place with `linkat`, so even `kill -9` cannot leave a file
    /// behind; where the file system has no `O_TMPFILE` (and on other systems) a hidden named
    /// temporary beside `path` is renamed over it instead.
    /// - Throws: `CVError.io` naming the path.
    package static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        try writeTogether([(path: path, bytes: bytes)])
    }

    /// Writes several files that belong together (a table and its labels): they appear
    /// together or not at all.
    ///
    /// Recipe: 1. write every file to a temporary beside its target and flush it, so every
    /// write that can fail for lack of space or permission happens before any target changes;
    /// 2. put the temporaries in place in order; 3. if one cannot be put in place, remove the
    /// targets already placed (a target that existed before is then gone, not half-replaced).
    /// - Parameter files: target paths and their bytes, in the order they are put in place.
    /// - Throws: `CVError.io` naming the path that failed.
    package static func writeTogether(_ files: [(path: String, bytes: [UInt8])]) throws {
        try writeTogether(producing: files.map { file in (file.path, { sink in try file.bytes.withUnsafeBytes(sink) }) })
    }

    /// Receives a file's bytes in order, a piece at a time (valid during the call only).
    package typealias Sink = (UnsafeRawBufferPointer) throws -> Void
    /// Writes a file's bytes, in order, through the sink it is given.
    package typealias Producer = (Sink) throws -> Void

    /// Writes `path` atomically (as `writeAtomically(_:to:)`) from the pieces `produce` hands
    /// to its sink, so the bytes need never be assembled in memory: pieces under 64 KiB are
    /// gathered before each `write(2)`, larger ones are written from the caller's memory.
    /// - Throws: `CVError.io` naming the path; what `produce` throws (then `path` is as it was).
    package static func writeAtomically(to path: String, producing produce: @escaping Producer) throws {
        try writeTogether(producing: [(path, produce)])
    }

    /// As `writeTogether(_:)`, each file's bytes handed over by its producer (see
    /// `writeAtomically(to:producing:)`).
    /// - Throws: `CVError.io` naming the path that failed; what a producer throws.
    package static func writeTogether(producing files: [(path: String, produce: Producer)]) throws {
        // 0. Renaming over a device, FIFO or socket would replace it with a regular file
        //    (as root, `-o /dev/full` replaced the device node): only regular files are replaced.
        for file in files { try refuseSpecialTarget(file.path) }
        var staged: [StagedFile] = []
        defer { for file in staged { file.discard() } }
        for file in files { staged.append(try StagedFile(for: file.path, producing: file.produce)) }
        var placed: [String] = []
        do {
            for i in staged.indices {
                try staged[i].place()
                placed.append(staged[i].target)
            }
        } catch {
            for path in placed { unlink(path) }
            throw error
        }
    }

    /// Throws when `path` exists (through symbolic links) and is not a regular file.
    private static func refuseSpecialTarget(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw CVError.io(path: path, reason: "is a directory") }
        guard kind == S_IFREG else {
            throw CVError.io(path: path, reason: "is not a regular file (a device, FIFO or socket); outputs are written as regular files (use - for standard output)")
        }
    }

    /// Writes all of `bytes` to standard output.
    /// - Throws: `CVError.io` for `<stdout>` when a write fails (a full disk, a closed pipe
    ///   with `SIGPIPE` ignored), instead of trapping as `FileHandle.write(_:)` does.
    package static func writeStandardOutput(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeStandardOutput($0) }
    }

    /// Writes all of `bytes` to standard output (a producer's piece).
    /// - Throws: `CVError.io` for `<stdout>` when a write fails.
    package static func writeStandardOutput(_ bytes: UnsafeRawBufferPointer) throws {
        try writeAll(bytes, to: STDOUT_FILENO, path: "<stdout>")
    }

    /// Writes all of `bytes` to standard error.
    /// - Throws: `CVError.io` for `<stderr>` when a write fails.
    package static func writeStandardError(_ bytes: [UInt8]) throws {
        try writeAll(bytes, to: STDERR_FILENO, path: "<stderr>")
    }

    /// `write(2)` until every byte is written, retrying interrupted calls.
    fileprivate static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        try bytes.withUnsafeBytes { try writeAll($0, to: fd, path: path) }
    }

    fileprivate static func writeAll(_ raw: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw CVError.io(path: path, reason: "write failed: \(String(cString: strerror(errno)))") }
            done += n
        }
    }
}

/// One file's bytes, written and flushed in a temporary beside its target, not yet in place.
private struct StagedFile {
    let target: String
    private let directory: String
    /// The temporary's descriptor (open until `discard()`).
    private var descriptor: Int32 = -1
    /// The temporary's name while it has one: the fallback named temporary, or the hidden name
    /// an unnamed temporary is linked to when the target already exists.
    private var temporaryPath: String?

    /// Creates the temporary and writes what `produce` hands over to it.
    /// - Throws: `CVError.io` naming `target`, what `produce` throws; nothing is left behind.
    init(for target: String, producing produce: FileBytes.Producer) throws {
        self.target = target
        directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CVError.io(path: target, reason: "directory \(directory) does not exist")
        }
        do {
            try createTemporary()
            var gathered = GatheredWrites(descriptor: descriptor, path: target)
            try produce { try gathered.write($0) }
            try gathered.flush()
            guard fsync(descriptor) == 0 else { throw failure("cannot flush") }
        } catch {
            discard()
            throw error
        }
    }

    /// 1. An unnamed `O_TMPFILE` in the target's directory; 2. where that is unsupported, a
    /// hidden named temporary created exclusively.
    private mutating func createTemporary() throws {
        #if os(Linux)
        descriptor = open(directory, Self.unnamedTemporaryFlags | O_WRONLY | O_CLOEXEC, 0o666)
        if descriptor >= 0 { return }
        guard [EOPNOTSUPP, EISDIR, EINVAL].contains(errno) else { throw failure("cannot create a file in \(directory)") }
        #endif
        let name = hiddenName()
        descriptor = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure("cannot create a file in \(directory)") }
        temporaryPath = name
    }

    #if os(Linux)
    /// `O_TMPFILE`: `__O_TMPFILE | O_DIRECTORY` (Glibc's macro is not imported into Swift;
    /// `__O_TMPFILE` is 0o20000000 on x86-64 and arm64).
    private static let unnamedTemporaryFlags: Int32 = 0o20000000 | O_DIRECTORY
    #endif

    /// Puts the temporary in place: a named one is renamed over the target; an unnamed one is
    /// linked to the target, or, when the target exists (`linkat` never replaces), linked to a
    /// hidden name that is then renamed over it.
    /// - Throws: `CVError.io` naming the target; the target is then unchanged.
    mutating func place() throws {
        if temporaryPath == nil {
            if linkProcessFile(to: target) { return }
            guard errno == EEXIST else { throw failure("cannot link into place") }
            let name = hiddenName()
            guard linkProcessFile(to: name) else { throw failure("cannot link into place") }
            temporaryPath = name
        }
        guard let name = temporaryPath, rename(name, target) == 0 else { throw failure("cannot rename into place") }
        temporaryPath = nil
    }

    /// Links the open unnamed temporary to `path` through `/proc/self/fd` (`linkat(2)`).
    private func linkProcessFile(to path: String) -> Bool {
        #if os(Linux)
        return linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0
        #else
        return false
        #endif
    }

    /// Closes the temporary and removes its name, if it still has one.
    func discard() {
        if descriptor >= 0 { close(descriptor) }
        if let temporaryPath { unlink(temporaryPath) }
    }

    private func hiddenName() -> String {
        let name = URL(fileURLWithPath: target).lastPathComponent
        return URL(fileURLWithPath: directory).appendingPathComponent(".\(name).\(UInt32.random(in: 0...UInt32.max)).tmp").path
    }

    private func failure(_ what: String) -> CVError {
        CVError.io(path: target, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// Gathers small pieces into one 64 KiB buffer before each `write(2)` (an Arrow table hands
/// over dozens of 8-byte paddings and short metadata); a piece at least that large is written
/// straight from the caller's memory, so memory stays bounded whatever the file's size.
private struct GatheredWrites {
    private static let capacity = 1 << 16
    let descriptor: Int32
    let path: String
    private var pending: [UInt8] = []

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    mutating func write(_ piece: UnsafeRawBufferPointer) throws {
        if pending.count + piece.count > Self.capacity { try flush() }
        if piece.count >= Self.capacity {
            try FileBytes.writeAll(piece, to: descriptor, path: path)
        } else {
            if pending.capacity == 0 { pending.reserveCapacity(Self.capacity) }
            pending.append(contentsOf: piece)
        }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try FileBytes.writeAll($0, to: descriptor, path: path) }
        pending.removeAll(keepingCapacity: true)
    }
}
