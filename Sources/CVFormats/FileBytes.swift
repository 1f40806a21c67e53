import CVCore
import Foundation

/// Whole-file reads and atomic writes for the array and table formats (CVIO's `FileIO` and
/// CVLearn's table files use these too, so there is one way to touch the disk).
package enum FileBytes {
    /// Reads a whole file into memory.
    /// - Throws: `CVError.io` naming the path when it is missing, a directory or unreadable.
    package static func read(_ path: String) throws -> [UInt8] {
        let handle = try open(path)
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw CVError.io(path: path, reason: "read failed: \(error.localizedDescription)")
        }
    }

    /// The first `count` bytes of a file (fewer when the file is shorter or a read fails), or
    /// nil when it cannot be opened: what a content sniffer needs without reading the whole file.
    package static func head(_ path: String, count: Int) -> [UInt8]? {
        guard let handle = try? open(path) else { return nil }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
    }

    private static func open(_ path: String) throws -> FileHandle {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CVError.io(path: path, reason: "no such file")
        }
        guard !isDir.boolValue else { throw CVError.io(path: path, reason: "is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CVError.io(path: path, reason: "cannot open for reading (permission denied?)")
        }
        return handle
    }

    /// Writes `bytes` to `path` atomically: into a temporary file in the same directory,
    /// flushed, then renamed over `path`. A failure leaves `path` untouched and no temporary behind.
    /// - Throws: `CVError.io` naming the path.
    package static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw CVError.io(path: path, reason: "directory \(dir.path) does not exist")
        }
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw CVError.io(path: path, reason: "cannot create a file in \(dir.path) (permission denied?)")
        }
        do {
            try writeAndSync(bytes, to: temp)
            if rename(temp.path, path) != 0 {
                throw CVError.io(path: path, reason: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
        } catch let error as CVError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw CVError.io(path: path, reason: "write failed: \(error.localizedDescription)")
        }
    }

    private static func writeAndSync(_ bytes: [UInt8], to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        do {
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
    }
}
