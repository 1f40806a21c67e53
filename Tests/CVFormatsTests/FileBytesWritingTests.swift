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

    /// A produced file is the concatenation of its pieces, small ones (gathered) and large ones
    /// (written from the caller's memory) interleaved; a producer that throws leaves the target
    /// as it was and nothing beside it.
    func testProducedFileIsItsPiecesInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fbw-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.bin").path
        // Sizes around the 64 KiB gathering buffer: under, exactly, over, and runs of small ones.
        let sizes = [3, 8, 65_535, 1, 65_536, 7, 200_000, 5, 5, 65_530, 9, 0, 70_000]
        var generator = SplitMix64(seed: 7)
        let pieces = sizes.map { n in (0..<n).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        try FileBytes.writeAtomically(to: file) { sink in for p in pieces { try p.withUnsafeBytes(sink) } }
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: file))), pieces.flatMap { $0 })

        struct Stop: Error {}
        XCTAssertThrowsError(try FileBytes.writeAtomically(to: file) { sink in
            try pieces[6].withUnsafeBytes(sink)
            throw Stop()
        })
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: file))), pieces.flatMap { $0 })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["t.bin"])
    }
}
