import Foundation
import XCTest

/// Text labels (folder names) travel with an NPY table: `cvtool hog` numbers the classes of
/// each run by its own sorted names, and `train`, `predict` and `evaluate` read
/// `X.labels.npy` and `X.classes.txt` beside `X.npy`, so a model maps classes by name.
final class LabelTravelTests: XCTestCase {
    /// A 16×16 binary PGM of stripes in one orientation, shifted by `phase`, with a few flipped pixels.
    func stripes(_ kind: String, phase: Int, seed: UInt64) -> Data {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var pixels = [UInt8](repeating: 0, count: 256)
        for y in 0..<16 {
            for x in 0..<16 {
                let t: Int
                switch kind {
                case "horizontal": t = y
                case "vertical": t = x
                case "diagonal": t = x + y
                default: t = (x / 2 + y / 2) * 2  // "checker": blocks
                }
                var on = ((t + phase) / 2) % 2 == 0
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                if state % 29 == 0 { on.toggle() }
                pixels[y * 16 + x] = on ? 230 : 25
            }
        }
        return Data("P5\n16 16\n255\n".utf8) + Data(pixels)
    }

    /// `root/<class>/<i>.pgm`, `count` images per class.
    func makeTree(_ root: URL, classes: [String], count: Int, seed: UInt64) throws {
        for (c, name) in classes.enumerated() {
            let d = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            for i in 0..<count {
                try stripes(name, phase: i % 4, seed: seed + UInt64(c * 100 + i)).write(to: d.appendingPathComponent("\(i).pgm"))
            }
        }
    }

    func hog(_ tree: URL, to out: String) throws {
        let r = try CLI.run(["hog", tree.path, "--labels-from-dirs", "--cell", "4x4", "--block", "2x2", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testClassesMapByNameAcrossHOGRuns() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        // 1. Training folders with three classes; test folders missing "diagonal" (so its run
        //    numbers horizontal 0 and vertical 1, where training had them 1 and 2).
        try makeTree(dir.appendingPathComponent("train"), classes: ["diagonal", "horizontal", "vertical"], count: 8, seed: 1)
        try makeTree(dir.appendingPathComponent("test"), classes: ["horizontal", "vertical"], count: 6, seed: 500)
        try hog(dir.appendingPathComponent("train"), to: p("train.npy"))
        try hog(dir.appendingPathComponent("test"), to: p("test.npy"))
        XCTAssertEqual(try String(contentsOfFile: p("test.classes.txt"), encoding: .utf8), "horizontal\nvertical\n")

        // 2. train reads the labels beside the table, without --labels.
        var r = try CLI.run(["train", p("train.npy"), "-o", p("m.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try String(contentsOfFile: p("m.json"), encoding: .utf8).contains("\"classes\":[\"diagonal\",\"horizontal\",\"vertical\"]"))

        // 3. evaluate maps the test set's classes by name.
        r = try CLI.run(["evaluate", p("m.json"), p("test.npy"), "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(report["samples"] as? Int, 12)
        XCTAssertGreaterThanOrEqual(report["accuracy"] as? Double ?? 0, 0.9, r.stdout)

        // 4. predict prints names.
        r = try CLI.run(["predict", p("m.json"), p("test.npy")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let predicted = r.stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(predicted.count, 12)
        XCTAssertTrue(predicted.allSatisfy { ["diagonal", "horizontal", "vertical"].contains(String($0)) }, r.stdout)

        // 5. A table written as NPY (here by pca transform) carries its labels along.
        r = try CLI.run(["pca", "fit", p("train.npy"), "--components", "4", "-o", p("p.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["pca", "transform", p("p.json"), p("test.npy"), "-o", p("test-pc.npy")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOfFile: p("test-pc.classes.txt"), encoding: .utf8), "horizontal\nvertical\n")
        r = try CLI.run(["pca", "transform", p("p.json"), p("train.npy"), "-o", p("train-pc.npy")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["train", p("train-pc.npy"), "-o", p("m-pc.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["evaluate", p("m-pc.json"), p("test-pc.npy"), "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"classes\": [\"diagonal\", \"horizontal\", \"vertical\"]"), r.stdout)

        // 6. The labels written beside an NPY output never replace an input (here --labels).
        let before = try Data(contentsOf: URL(fileURLWithPath: p("test.labels.npy")))
        try before.write(to: URL(fileURLWithPath: p("y.labels.npy")))
        r = try CLI.run(["pca", "inverse", p("p.json"), p("test-pc.npy"), "--labels", p("y.labels.npy"), "-o", p("y.npy")])
        XCTAssertNotEqual(r.status, 0, "y.labels.npy is an input")
        XCTAssertTrue(r.stderr.contains("y.labels.npy"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: p("y.labels.npy"))), before)
    }

    func testExtraClassIsRefusedByName() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try makeTree(dir.appendingPathComponent("train"), classes: ["horizontal", "vertical"], count: 6, seed: 1)
        try makeTree(dir.appendingPathComponent("test"), classes: ["checker", "horizontal", "vertical"], count: 3, seed: 500)
        try hog(dir.appendingPathComponent("train"), to: p("train.npy"))
        try hog(dir.appendingPathComponent("test"), to: p("test.npy"))
        var r = try CLI.run(["train", p("train.npy"), "-o", p("m.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["evaluate", p("m.json"), p("test.npy")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("'checker'"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    func testMissingLabelsAreBadDataNotUsage() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try makeTree(dir.appendingPathComponent("t"), classes: ["horizontal", "vertical"], count: 3, seed: 1)
        let r0 = try CLI.run(["hog", dir.appendingPathComponent("t").path, "--cell", "4x4", "-o", p("plain.npy")])
        XCTAssertEqual(r0.status, 0, r0.stderr)
        let r = try CLI.run(["train", p("plain.npy"), "-o", p("m.json")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("no label column"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: p("m.json")))
    }
}
