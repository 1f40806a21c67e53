import CVCore
import CVFormats

/// Whole-file reads and atomic writes.
public enum FileIO {
    /// Reads a whole file into memory.
    /// - Throws: `CVError.io` naming the path when it cannot be read.
    public static func readAll(_ path: String) throws -> [UInt8] { try FileBytes.read(path) }

    /// Writes `bytes` to `path` atomically: into a temporary file in the same directory,
    /// flushed, then renamed over `path`. A failure leaves `path` untouched and no temporary behind.
    /// - Throws: `CVError.io` naming the path.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        try FileBytes.writeAtomically(bytes, to: path)
    }
}
