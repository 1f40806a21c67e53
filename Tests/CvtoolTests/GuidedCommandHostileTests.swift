import Foundation
import XCTest

/// `enhance`, `dehaze`, `feather` and `bilateral --fast` with the hostile values
/// `KernelCommandTests` leaves out: one line naming the option or file (exit 1 for bad data, 64
/// for usage), nothing written, the inputs untouched.
final class GuidedCommandHostileTests: XCTestCase {
    let gray = CLI.fixtures.appendingPathComponent("formats/png/gray8.png").path
    let rgb = CLI.fixtures.appendingPathComponent("formats/png/rgb8.png").path

    /// Each row: command, its arguments after the input, expected status, what the error names.
    private func refusals(mask: String, notAnImage: String, directory: String) -> [(String, [String], Int32, String)] {
        [
            ("enhance", ["--amount", "1e9"], 1, "--amount"),
            ("enhance", ["--amount", "inf"], 1, "--amount"),
            ("enhance", ["--radius", "1000000000"], 1, "--radius"),
            ("enhance", ["--eps", "nan"], 1, "--eps"),
            ("enhance", ["--eps", "-1"], 1, "--eps"),
            ("dehaze", ["--patch", "0"], 1, "--patch"),
            ("dehaze", ["--patch", "-3"], 1, "--patch"),
            ("dehaze", ["--radius", "0"], 1, "--radius"),
            ("dehaze", ["--radius", "1000000000"], 1, "--radius"),
            ("dehaze", ["--eps", "0"], 1, "--eps"),
            ("dehaze", ["--eps", "nan"], 1, "--eps"),
            ("dehaze", ["--transmission", directory], 1, "is a directory"),
            ("feather", ["--mask", notAnImage], 1, "notimage.png"),
            ("feather", ["--mask", directory], 1, "is a directory"),
            ("feather", ["--mask", mask, "--radius", "0"], 1, "--radius"),
            ("feather", ["--mask", mask, "--radius", "1000000000"], 1, "--radius"),
            ("feather", ["--mask", mask, "--eps", "0"], 1, "--eps"),
            ("feather", ["--mask", mask, "--eps", "nan"], 1, "--eps"),
            ("bilateral", ["--fast", "--diameter", "1000000000"], 1, "--diameter"),
            ("bilateral", ["--fast", "--diameter", "-3"], 1, "--diameter"),
            ("bilateral", ["--fast", "--sigma-color", "nan"], 1, "--sigma-color"),
            ("bilateral", ["--fast", "--sigma-color", "0"], 1, "--sigma-color"),
            ("bilateral", ["--fast", "--sigma-space", "1e9"], 1, "--sigma-space"),
            ("bilateral", ["--fast", "--diameter", "0", "--sigma-space", "0"], 1, "--sigma-space"),
        ]
    }

    func testHostileValuesAreRefused() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.png").path
        let notAnImage = dir.appendingPathComponent("notimage.png").path
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: notAnImage))
        let directory = dir.appendingPathComponent("folder").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let before = try Data(contentsOf: URL(fileURLWithPath: gray))
        for (command, args, status, mention) in refusals(mask: gray, notAnImage: notAnImage, directory: directory) {
            let label = "cvtool \(command) \(args.joined(separator: " "))"
            let start = Date()
            let r = try CLI.run([command, gray] + args + ["-o", out])
            XCTAssertEqual(r.status, status, "\(label): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertTrue(lines.first?.contains(mention) ?? false, "\(label) should name \(mention): \(r.stderr)")
            if status == 1 { XCTAssertEqual(lines.count, 1, "\(label): \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(label) wrote an output")
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, label)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: gray)), before, "an input was modified")
    }

    /// The fast bilateral filter accepts a tiny σ_color (its range levels are capped) and
    /// writes its output. (A mask of another size: `KernelCommandTests.testFeatherChecksTheMask`.)
    func testFastBilateralTinySigmaColor() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("o.png").path
        let fast = try CLI.run(["bilateral", rgb, "--fast", "--diameter", "61", "--sigma-color", "1e-30", "-o", out])
        XCTAssertEqual(fast.status, 0, fast.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }
}
