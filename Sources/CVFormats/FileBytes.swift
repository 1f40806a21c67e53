import CVCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes for the array and table formats (CVIO's `FileIO` and
/// CVLearn's table files use these too, so there is one way to touch the disk).
///
/// Only regular files (or symbolic links to them) are read: a FIFO would block a read for ever
/// and a device such as `/dev/zero` never ends, so both are refused with an error naming the
/// path. Streams reach a command through its standard input (`-`) instead.
package enum FileBytes {
    /// Reads a whole regular file into memory.
    /// - Parameter path: a regular file, or a symbolic link to one.
    /// - Returns: the file's bytes.
    /// - Throws: `CVError.io` naming the path when it is missing, a directory, not a regular
    ///   file (FIFO, device, socket) or unreadable.
    /// - Complexity: O(file size).
    package static func read(_ path: String) throws -> [UInt8] {
        let file = try openRegularFile(path)
        defer { close(file.descriptor) }
        return try readToEnd(file.descriptor, expected: file.size, path: path)
    }

    /// The first `count` bytes of a file (fewer when the file is shorter or a read fails), or
    /// nil when it cannot be opened or is not a regular file: what a content sniffer needs
    /// without reading the whole file.
    package static func head(_ path: String, count: Int) -> [UInt8]? {
        guard let file = try? openRegularFile(path) else { return nil }
        defer { close(file.descriptor) }
        var out = [UInt8](repeating: 0, count: max(0, count))
        var filled = 0
        while filled < out.count {
            let n = out.withUnsafeMutableBytes { systemRead(file.descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        return Array(out.prefix(filled))
    }

    /// Opens `path` for reading after checking, on the open descriptor, that it is a regular
    /// file. `O_NONBLOCK` keeps the open itself from waiting for a writer when `path` is a FIFO.
    private static func openRegularFile(_ path: String) throws -> (descriptor: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path, opening: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            close(fd)
            throw CVError.io(path: path, reason: "cannot inspect: \(String(cString: strerror(e)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return (fd, Int(info.st_size))
        case S_IFDIR: close(fd); throw CVError.io(path: path, reason: "is a directory")
        default:
            close(fd)
            throw CVError.io(path: path, reason: "is not a regular file (a FIFO, device or socket); only regular files are read")
        }
    }

    private static func ioError(_ path: String, opening code: Int32) -> CVError {
        switch code {
        case ENOENT: return CVError.io(path: path, reason: "no such file")
        case EACCES: return CVError.io(path: path, reason: "cannot open for reading (permission denied)")
        default: return CVError.io(path: path, reason: "cannot open for reading: \(String(cString: strerror(code)))")
        }
    }

    /// Reads until end of file; `expected` (the size when opened) sizes the first allocation.
    private static func readToEnd(_ fd: Int32, expected: Int, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(expected, 0) + 1)
        var filled = 0
        while true {
            if filled == out.count { out += [UInt8](repeating: 0, count: max(out.count, 1 << 16)) }
            let n = out.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw CVError.io(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            filled += n
        }
        out.removeLast(out.count - filled)
        return out
    }
}

/// `read(2)`, named apart from `FileBytes.read(_:)`.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
