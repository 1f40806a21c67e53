import Foundation
import XCTest

/// What `cvtool` promises about its outputs: a failed write to standard output is one error
/// line, no input is ever overwritten (secondary outputs included), outputs that belong
/// together appear together or not at all, writes leave no temporary behind, and folder
/// discovery never opens a FIFO or a device.
final class OutputSafetyTests: XCTestCase {
    let small = CLI.fixtures.appendingPathComponent("formats/png/gray8.png").path
    let chelsea = CLI.fixtures.appendingPathComponent("images/chelsea.png").path
    let blobs = CLI.fixtures.appendingPathComponent("learn/blobs.csv").path

    /// A run that must fail with exit status `status` and one error line mentioning `mention`.
    func assertFails(_ args: [String], status: Int32 = 1, mentions mention: String, stdoutFile: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args, stdoutFile: stdoutFile, timeout: 60)
        XCTAssertEqual(r.status, status, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(mention), "\(args) should mention \(mention): \(r.stderr)", file: file, line: line)
        if status == 1 {
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)", file: file, line: line)
        }
    }

    func testFullStandardOutputIsOneErrorLine() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try assertFails(["convert", small, "-"], mentions: "<stdout>", stdoutFile: "/dev/full")
        try assertFails(["blur", small, "-o", "-"], mentions: "<stdout>", stdoutFile: "/dev/full")
        try assertFails(["hog", small, "--cell", "4x4", "--block", "1x1"], mentions: "<stdout>", stdoutFile: "/dev/full")
        let model = dir.appendingPathComponent("m.json").path
        XCTAssertEqual(try CLI.run(["train", blobs, "-o", model]).status, 0)
        try assertFails(["predict", model, blobs], mentions: "<stdout>", stdoutFile: "/dev/full")
    }

    /// Notes on a full standard error (a skipped input) are dropped, not a trap.
    func testFullStandardErrorIsNotACrash() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["hog", small, dir.appendingPathComponent("missing.png").path, "--cell", "4x4", "--block", "1x1",
                       "-o", dir.appendingPathComponent("t.csv").path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle(forWritingAtPath: "/dev/full")
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.csv").path))
    }

    func testSecondaryOutputsNeverOverwriteInputs() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let image = p("a.png")
        try FileManager.default.copyItem(atPath: chelsea, toPath: image)
        let before = try Data(contentsOf: URL(fileURLWithPath: image))
        // The glyph picture over the input, directly or through a folder input.
        try assertFails(["hog", image, "--visualize", image, "-o", p("t.csv")], status: 64, mentions: image)
        try assertFails(["hog", dir.path, "--visualize", image, "-o", p("t.csv")], status: 64, mentions: image)
        // The labels file an NPY table writes beside it, or the table itself, over --labels.
        try Data("0\n".utf8).write(to: URL(fileURLWithPath: p("t.labels.npy")))
        try assertFails(["hog", image, "--labels", p("t.labels.npy"), "-o", p("t.npy")], status: 64, mentions: "t.labels.npy")
        try Data("0\n".utf8).write(to: URL(fileURLWithPath: p("y.csv")))
        try assertFails(["hog", image, "--labels", p("y.csv"), "-o", p("y.csv")], status: 64, mentions: "input file")
        // Two outputs naming one file.
        try assertFails(["hog", image, "--visualize", p("v.csv"), "-o", p("v.csv")], status: 64, mentions: "same file")
        // train, predict, join, evaluate: -o (or the picture) over --labels.
        let labels = p("labels.txt")
        let rows = try String(contentsOfFile: blobs, encoding: .utf8).split(separator: "\n").dropFirst()
        try Data(rows.map { String($0.split(separator: ",")[0]) + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: labels))
        try assertFails(["train", blobs, "--labels", labels, "-o", labels], status: 64, mentions: labels)
        let model = p("m.json")
        XCTAssertEqual(try CLI.run(["train", blobs, "-o", model]).status, 0)
        try assertFails(["predict", model, blobs, "--labels", labels, "-o", labels], status: 64, mentions: labels)
        try assertFails(["evaluate", model, blobs, "--labels", labels, "--confusion", labels], status: 64, mentions: labels)
        try assertFails(["join", blobs, blobs, "--labels", labels, "-o", labels], status: 64, mentions: labels)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: image)), before)
        XCTAssertEqual(try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n").count, 300)
    }

    /// `hog -o X.npy` with text labels writes X.classes.txt, X.labels.npy and X.npy; when one
    /// cannot be put in place (here X.labels.npy is a folder), none of them is left.
    func testTableAndLabelsAppearTogetherOrNotAtAll() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ds = dir.appendingPathComponent("ds")
        for cls in ["cat", "dog"] {
            let d = ds.appendingPathComponent(cls)
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: small, toPath: d.appendingPathComponent("x.png").path)
        }
        let out = dir.appendingPathComponent("t.npy").path
        let blocker = dir.appendingPathComponent("t.labels.npy")
        try FileManager.default.createDirectory(at: blocker.appendingPathComponent("inside"), withIntermediateDirectories: true)
        let r = try CLI.run(["hog", ds.path, "--labels-from-dirs", "--cell", "4x4", "--block", "1x1", "-o", out,
                             "--visualize", dir.appendingPathComponent("v.png").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("t.labels.npy"), r.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(left, ["ds", "t.labels.npy"], "nothing of the set is left, and no temporary")

        try FileManager.default.removeItem(at: blocker)
        let ok = try CLI.run(["hog", ds.path, "--labels-from-dirs", "--cell", "4x4", "--block", "1x1", "-o", out])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(written, ["ds", "t.classes.txt", "t.labels.npy", "t.npy"], "no temporary left beside the outputs")
    }

    /// An atomic write replaces an existing output and leaves nothing else in the folder; the
    /// new file gets the usual permissions (0666 less the umask), not a temporary's.
    func testAtomicWritesReplaceAndLeaveNoTemporary() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("o.png").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: out))
        for _ in 0..<2 {
            let r = try CLI.run(["convert", small, out])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["o.png"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)).prefix(4), Data([0x89, 0x50, 0x4E, 0x47]))
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        let mask = umask(0o022); umask(mask)
        XCTAssertEqual(mode, 0o666 & ~Int(mask))
    }

    /// `kill -9` at any moment of a run leaves either nothing or the whole output, never a
    /// partial file or a temporary (the output is an unnamed file until it is linked in place).
    func testKilledRunLeavesNothingHalfWritten() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("big.ppm")
        let complete = try CLI.run(["resize", chelsea, "--scale", "4", "-o", out.path])
        XCTAssertEqual(complete.status, 0, complete.stderr)
        let size = try Data(contentsOf: out).count
        try FileManager.default.removeItem(at: out)
        for delay in [0.05, 0.2, 0.4, 0.8, 1.6] {
            let p = Process()
            p.executableURL = CLI.binary
            p.arguments = ["resize", chelsea, "--scale", "4", "-o", out.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            XCTAssertTrue(left.isEmpty || left == ["big.ppm"], "after \(delay) s: \(left)")
            if !left.isEmpty {
                XCTAssertEqual(try Data(contentsOf: out).count, size, "after \(delay) s")
                try FileManager.default.removeItem(at: out)
            }
        }
    }

    /// A FIFO or a link to `/dev/zero` among a folder's images is skipped and reported, never
    /// opened (a FIFO would block for ever); with --strict it fails the run.
    func testFolderDiscoverySkipsFilesThatAreNotRegular() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ds = dir.appendingPathComponent("ds")
        try FileManager.default.createDirectory(at: ds, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: small, toPath: ds.appendingPathComponent("a.png").path)
        XCTAssertEqual(mkfifo(ds.appendingPathComponent("b.png").path, 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: ds.appendingPathComponent("c.png").path, withDestinationPath: "/dev/zero")
        let out = dir.appendingPathComponent("t.csv").path
        let r = try CLI.run(["hog", ds.path, "--cell", "4x4", "--block", "1x1", "-o", out], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("b.png") && r.stderr.contains("c.png"), r.stderr)
        XCTAssertTrue(r.stderr.contains("2 input(s) skipped; 1 row(s) written"), r.stderr)
        let strict = try CLI.run(["hog", ds.path, "--strict", "-o", out], timeout: 60)
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("not a regular file"), strict.stderr)
    }
}
