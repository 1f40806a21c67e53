import CVCore
import Foundation

/// Whole-file reads and atomic writes.
public enum FileIO {
    /// Reads a whole file into memory.
    /// - Throws: `CVError.io` naming the path when it cannot be read.
    public static func readAll(_ path: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CVError.io(path: path, reason: "no such file")
        }
        guard !isDir.boolValue else { throw CVError.io(path: path, reason: "is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CVError.io(path: path, reason: "cannot open for reading (permission denied?)")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw CVError.io(path: path, reason: "read failed: \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to `path` atomically: into a temporary file in the same directory,
    /// flushed, then renamed over `path`. A failure leaves `path` untouched and no temporary behind.
    /// - Throws: `CVError.io` naming the path.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
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
            let handle = try FileHandle(forWritingTo: temp)
            do {
                try handle.write(contentsOf: bytes)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
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
}
