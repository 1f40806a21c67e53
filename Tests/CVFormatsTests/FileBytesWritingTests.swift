import CVCore
import CVFormats
import Foundation
import XCTest

final class FileBytesWritingTests: XCTestCase {
    /// An atomic write renames over its target; over a FIFO (or, as root, a device such as
    /// /dev/full) that replaced the node with a regular file. Such targets are refused and stay.
    func testSpecialFilesAreRefusedAndLeftInPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fbw-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try FileBytes.writeAtomically([1, 2, 3], to: fifo)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        var info = stat()
        XCTAssertEqual(stat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)
        XCTAssertThrowsError(try FileBytes.writeAtomically([1], to: dir.path)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
        // A regular file is still replaced.
        let file = dir.appendingPathComponent("t.bin").path
        try FileBytes.writeAtomically([1, 2], to: file)
        try FileBytes.writeAtomically([3], to: file)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), Data([3]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["pipe", "t.bin"])
    }
}
