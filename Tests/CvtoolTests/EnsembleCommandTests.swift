import Foundation
import XCTest

/// `cvtool ensemble`: the vote of predict CSVs, its accuracy, and refusals.
final class EnsembleCommandTests: XCTestCase {
    func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    func testVoteAccuracyAndRefusals() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> URL { dir.appendingPathComponent(n) }
        try write("label\n1\n1\n2\n3\n", p("a.csv"))
        try write("label\n2\n1\n3\n2\n", p("b.csv"))
        try write("label\n2\n3\n1\n3\n", p("c.csv"))
        try write("1\n1\n3\n3\n", p("truth.txt"))
        var r = try CLI.run(["ensemble", p("a.csv").path, p("b.csv").path, p("c.csv").path, "--labels", p("truth.txt").path,
                             "-o", p("vote.csv").path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOf: p("vote.csv"), encoding: .utf8), "label\n2\n1\n2\n3\n")
        XCTAssertTrue(r.stdout.contains("\"accuracy\": 0.5"), r.stdout)
        try write("label\n1\n", p("short.csv"))
        for (args, status) in [([p("a.csv").path, p("short.csv").path], Int32(1)),
                               ([p("a.csv").path, p("b.csv").path, "--weights", "1,nan"], 1),
                               ([p("a.csv").path, p("b.csv").path, "--weights", "1"], 1),
                               ([p("a.csv").path, p("b.csv").path, "--weights", "1,x"], 64)] {
            r = try CLI.run(["ensemble"] + args + ["-o", p("out.csv").path])
            XCTAssertEqual(r.status, status, "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: p("out.csv").path))
        }
        r = try CLI.run(["ensemble", p("a.csv").path, p("b.csv").path, "-o", p("a.csv").path])
        XCTAssertEqual(r.status, 64, "never overwrites an input")
        try write("label\n", p("empty.csv"))
        r = try CLI.run(["ensemble", p("a.csv").path, p("empty.csv").path, "-o", p("out.csv").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("different numbers of rows"), r.stderr)
        r = try CLI.run(["ensemble", p("a.csv").path, p("b.csv").path, "-o", dir.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("is a directory"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: p("out.csv").path))
    }
}
