import Foundation
import XCTest

/// The file conventions every one-image command shares through `ImageCommand`: default output
/// beside the input, `-` for standard input and output, inputs never overwritten, nothing left
/// behind by a failed run.
final class ImageCommandTests: XCTestCase {
    /// Each command with the options it needs and the suffix of its default output.
    let commands: [(name: String, args: [String], suffix: String)] = [
        ("blur", [], "blur"), ("box", [], "box"), ("guided", [], "guided"), ("sobel", [], "sobel"),
        ("resize", ["--scale", "0.5"], "resized"), ("fft", [], "spectrum"),
        ("fft-filter", ["--lowpass", "0.1"], "lowpass"), ("fft-filter", ["--bandpass", "0.05,0.2"], "bandpass"),
    ]
    let source = CLI.fixtures.appendingPathComponent("formats/png/gray8.png")

    func testDefaultOutputIsWrittenBesideTheInputAndPrinted() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("photo.png")
        try FileManager.default.copyItem(at: source, to: input)
        for c in commands {
            let r = try CLI.run([c.name, input.path] + c.args)
            XCTAssertEqual(r.status, 0, "\(c.name): \(r.stderr)")
            let expected = dir.appendingPathComponent("photo.\(c.suffix).png").path
            XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), expected, c.name)
            XCTAssertTrue(FileManager.default.fileExists(atPath: expected), c.name)
        }
    }

    func testStandardInputToStandardOutput() throws {
        let png = try Data(contentsOf: source)
        for c in commands {
            let r = try CLI.run([c.name, "-"] + c.args, stdin: png)
            XCTAssertEqual(r.status, 0, "\(c.name): \(r.stderr)")
            XCTAssertEqual(Array(r.stdoutData.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "\(c.name) writes PNG to stdout")
        }
    }

    func testNeverOverwritesTheInputAndLeavesNothingOnFailure() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.png")
        try FileManager.default.copyItem(at: source, to: input)
        let before = try Data(contentsOf: input)
        for c in commands {
            let r = try CLI.run([c.name, input.path, "-o", dir.path + "/./in.png"] + c.args)
            XCTAssertEqual(r.status, 64, "\(c.name): \(r.stderr)")
            XCTAssertEqual(try Data(contentsOf: input), before, c.name)
        }
        let guided = try CLI.run(["guided", input.path, "--guide", dir.appendingPathComponent("in.guided.png").path])
        XCTAssertEqual(guided.status, 64, "the default output would overwrite the guide: \(guided.stderr)")
        let bad = CLI.fixtures.appendingPathComponent("bad/jpeg_trunc_scan.jpg").path
        for c in commands {
            let r = try CLI.run([c.name, bad, "-o", dir.appendingPathComponent("out.png").path] + c.args)
            XCTAssertEqual(r.status, 1, c.name)
            XCTAssertTrue(r.stderr.contains("jpeg_trunc_scan.jpg"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["in.png"])
    }

    func testRawArraysGoToNPY() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["sobel", "fft"] {
            let out = dir.appendingPathComponent("\(name).npy").path
            let r = try CLI.run([name, source.path, "-o", out])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            let head = try Data(contentsOf: URL(fileURLWithPath: out)).prefix(6)
            XCTAssertEqual(Array(head), [0x93] + Array("NUMPY".utf8), name)
        }
    }
}
