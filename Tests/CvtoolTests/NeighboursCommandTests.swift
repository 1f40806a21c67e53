import Foundation
import XCTest

/// cvtool train --classifier knn|lda, lda fit/transform, verify and retrieve: the working runs,
/// and each refusal in one line naming the option, with no output written.
final class NeighboursCommandTests: XCTestCase {
    let blobs = CLI.fixtures.appendingPathComponent("learn/blobs.csv").path

    /// Runs `args` and checks the exit status, the option named on the first stderr line (a
    /// single line for status 1), and that `unwritten` does not exist afterwards.
    func assertRefused(_ args: [String], status: Int32, mentions: String, unwritten: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args, timeout: 60)
        let label = "cvtool \(args.joined(separator: " "))"
        XCTAssertEqual(r.status, status, "\(label): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertTrue(lines.first?.contains(mentions) ?? false, "\(label) should name \(mentions): \(r.stderr)", file: file, line: line)
        if status == 1 { XCTAssertEqual(lines.count, 1, "\(label): \(r.stderr)", file: file, line: line) }
        if let unwritten { XCTAssertFalse(FileManager.default.fileExists(atPath: unwritten), "\(label) wrote \(unwritten)", file: file, line: line) }
    }

    func testKNNAndLDATrainPredictAndTransform() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let knn = dir.appendingPathComponent("knn.json").path, lda = dir.appendingPathComponent("lda.json").path
        var r = try CLI.run(["train", blobs, "--classifier", "knn", "--neighbors", "7", "--metric", "cosine", "--weights", "distance", "-o", knn])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["evaluate", knn, blobs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("accuracy"), r.stdout)
        r = try CLI.run(["lda", "fit", blobs, "-o", lda, "--solver", "eigen", "--shrinkage", "auto", "--components", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"n_components\": 1"), r.stdout)
        let projected = dir.appendingPathComponent("p.csv").path
        r = try CLI.run(["lda", "transform", lda, blobs, "-o", projected])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: projected, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("label,ld0\n"), String(text.prefix(40)))
        XCTAssertEqual(text.split(separator: "\n").count, 301)
        r = try CLI.run(["predict", lda, blobs])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["lda", "transform", knn, blobs])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("not an LDA fit"), r.stderr)
    }

    func testVerifyAndRetrieveReportAndDraw() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("roc.png").path, csv = dir.appendingPathComponent("roc.csv").path
        var r = try CLI.run(["verify", blobs, "--metric", "euclidean", "--roc", png, "--roc-csv", csv, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"auc\": 0.") && r.stdout.contains("\"tar_at_far_0.001\""), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
        XCTAssertTrue(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("fpr,tpr,threshold\n0.0,0.0,inf\n"))
        r = try CLI.run(["verify", blobs, "--pairs", "5000", "--seed", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("AUC"), r.stdout)
        r = try CLI.run(["retrieve", blobs, "--k", "1,3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"recall_at_3\"") && r.stdout.contains("\"map\""), r.stdout)
    }

    func testHostileValuesAreRefused() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("m.json").path
        for v in ["0", "-1", "301", "1000000000"] {
            try assertRefused(["train", blobs, "--classifier", "knn", "--neighbors=\(v)", "-o", out], status: 1, mentions: "neighbors", unwritten: out)
        }
        try assertRefused(["train", blobs, "--classifier", "knn", "--neighbors", "1e9", "-o", out], status: 64, mentions: "--neighbors", unwritten: out)
        try assertRefused(["train", blobs, "--classifier", "knn", "--metric", "manhattan", "-o", out], status: 64, mentions: "--metric", unwritten: out)
        for v in ["2", "-0.5", "nan", "lots"] {
            try assertRefused(["lda", "fit", blobs, "--solver", "eigen", "--shrinkage=\(v)", "-o", out], status: 1, mentions: "shrinkage", unwritten: out)
        }
        try assertRefused(["lda", "fit", blobs, "--shrinkage", "auto", "-o", out], status: 1, mentions: "shrinkage", unwritten: out)
        for v in ["0", "3"] { try assertRefused(["lda", "fit", blobs, "--components", v, "-o", out], status: 1, mentions: "components", unwritten: out) }
        try assertRefused(["lda", "fit", blobs, "--tol", "nan", "-o", out], status: 1, mentions: "tolerance", unwritten: out)
        for v in ["0", "-5", "1000000000000"] { try assertRefused(["verify", blobs, "--pairs=\(v)"], status: 64, mentions: "--pairs") }
        try assertRefused(["verify", blobs, "--pairs", "many"], status: 64, mentions: "--pairs")
        for v in ["0", "300", "-1"] { try assertRefused(["retrieve", blobs, "--k=\(v)"], status: 1, mentions: "'k'") }
        try assertRefused(["retrieve", blobs, "--k", "x"], status: 64, mentions: "--k")
    }

    func testBadTablesAreRefused() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = dir.appendingPathComponent("one.csv").path, distinct = dir.appendingPathComponent("distinct.csv").path
        let zero = dir.appendingPathComponent("zero.csv").path, out = dir.appendingPathComponent("o.json").path
        try "label,f0,f1\na,1,2\na,2,3\na,4,1\n".write(toFile: one, atomically: true, encoding: .utf8)
        try "label,f0,f1\na,1,2\nb,2,3\nc,4,1\n".write(toFile: distinct, atomically: true, encoding: .utf8)
        try "label,f0,f1\na,1,2\na,0,0\nb,4,1\nb,3,3\n".write(toFile: zero, atomically: true, encoding: .utf8)
        try assertRefused(["lda", "fit", one, "-o", out], status: 1, mentions: "at least two classes", unwritten: out)
        try assertRefused(["train", one, "--classifier", "lda", "-o", out], status: 1, mentions: "at least two classes", unwritten: out)
        try assertRefused(["verify", distinct], status: 1, mentions: "no positive")
        try assertRefused(["verify", zero, "--metric", "cosine"], status: 1, mentions: "all zeros")
        try assertRefused(["train", zero, "--classifier", "knn", "--neighbors", "1", "--metric", "cosine", "-o", out], status: 1, mentions: "all zeros", unwritten: out)
        try assertRefused(["retrieve", distinct], status: 1, mentions: "no row")
    }

    /// Tables with NaN/Inf, a header-only table, a model of another kind or width, values the
    /// parser refuses (64) or the library refuses (1), and an output that is a directory.
    func testNonFiniteEmptyAndMismatchedInputsAreRefused() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        try "label,f0,f1\na,1,2\nb,nan,3\na,4,1\nb,3,3\n".write(toFile: p("nan.csv"), atomically: true, encoding: .utf8)
        try "label,f0,f1\na,1,2\nb,3,inf\na,4,1\nb,3,3\n".write(toFile: p("inf.csv"), atomically: true, encoding: .utf8)
        try "label,f0,f1\n".write(toFile: p("empty.csv"), atomically: true, encoding: .utf8)
        let out = p("o.json")
        for table in ["nan.csv", "inf.csv"] {
            let what = table == "nan.csv" ? "nan" : "inf"
            try assertRefused(["train", p(table), "--classifier", "knn", "--neighbors", "1", "-o", out], status: 1, mentions: what, unwritten: out)
            try assertRefused(["train", p(table), "--classifier", "lda", "-o", out], status: 1, mentions: what, unwritten: out)
            try assertRefused(["lda", "fit", p(table), "-o", out], status: 1, mentions: what, unwritten: out)
            try assertRefused(["verify", p(table), "--metric", "cosine"], status: 1, mentions: what)
            try assertRefused(["retrieve", p(table)], status: 1, mentions: what)
        }
        for args in [["train", p("empty.csv"), "--classifier", "knn", "-o", out], ["lda", "fit", p("empty.csv"), "-o", out],
                     ["verify", p("empty.csv")], ["retrieve", p("empty.csv")]] {
            try assertRefused(args, status: 1, mentions: "empty.csv has no rows", unwritten: out)
        }
        let knn = p("knn.json"), lda = p("lda.json")
        XCTAssertEqual(try CLI.run(["train", blobs, "--classifier", "knn", "-o", knn]).status, 0)
        XCTAssertEqual(try CLI.run(["lda", "fit", blobs, "-o", lda]).status, 0)
        try assertRefused(["lda", "transform", lda, p("nan.csv"), "-o", p("t.csv")], status: 1, mentions: "8 features", unwritten: p("t.csv"))
        try assertRefused(["predict", knn, p("inf.csv")], status: 1, mentions: "8 features")
        try assertRefused(["lda", "transform", knn, blobs, "-o", p("t.csv")], status: 1, mentions: "not an LDA fit", unwritten: p("t.csv"))
        // Tables of the models' width: a NaN feature, and an all-zero row under the cosine metric.
        let lines = try String(contentsOfFile: blobs, encoding: .utf8).split(separator: "\n").prefix(4).map(String.init)
        var fields = lines[3].split(separator: ",").map(String.init)
        fields[2] = "nan"
        try (lines[0..<3] + [fields.joined(separator: ",")]).joined(separator: "\n").write(toFile: p("nan8.csv"), atomically: true, encoding: .utf8)
        try (lines[0..<3] + ["a" + String(repeating: ",0", count: 8)]).joined(separator: "\n").write(toFile: p("zero8.csv"), atomically: true, encoding: .utf8)
        try assertRefused(["lda", "transform", lda, p("nan8.csv"), "-o", p("t.csv")], status: 1, mentions: "nan", unwritten: p("t.csv"))
        try assertRefused(["predict", knn, p("nan8.csv")], status: 1, mentions: "nan")
        let cosine = p("cosine.json")
        XCTAssertEqual(try CLI.run(["train", blobs, "--classifier", "knn", "--metric", "cosine", "-o", cosine]).status, 0)
        try assertRefused(["predict", cosine, p("zero8.csv")], status: 1, mentions: "all zeros")
        try assertRefused(["retrieve", p("zero8.csv"), "--metric", "cosine"], status: 1, mentions: "all zeros")
        for v in ["1000000000", "-1"] { try assertRefused(["lda", "fit", blobs, "--components=\(v)", "-o", out], status: 1, mentions: "components", unwritten: out) }
        try assertRefused(["lda", "fit", blobs, "--components", "1e9", "-o", out], status: 64, mentions: "--components", unwritten: out)
        try assertRefused(["lda", "fit", blobs, "--shrinkage", "0.5", "-o", out], status: 1, mentions: "shrinkage", unwritten: out)
        for v in ["-1", "99999999999999999999"] { try assertRefused(["verify", blobs, "--pairs", "10", "--seed=\(v)"], status: 64, mentions: "--seed") }
        try assertRefused(["lda", "fit", blobs, "-o", dir.path], status: 1, mentions: "is a directory")
        try assertRefused(["train", blobs, "--classifier", "knn", "-o", dir.path], status: 1, mentions: "is a directory")
    }

    func testOutputsNeverOverwriteInputs() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("blobs.csv").path
        try FileManager.default.copyItem(atPath: blobs, toPath: copy)
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let lda = dir.appendingPathComponent("lda.json").path
        XCTAssertEqual(try CLI.run(["lda", "fit", copy, "-o", lda]).status, 0)
        try assertRefused(["verify", copy, "--roc", copy], status: 64, mentions: "refusing to overwrite")
        try assertRefused(["verify", copy, "--roc-csv", dir.path + "/./blobs.csv"], status: 64, mentions: "refusing to overwrite")
        let same = dir.appendingPathComponent("r.png").path
        try assertRefused(["verify", copy, "--roc", same, "--roc-csv", same], status: 64, mentions: "same file", unwritten: same)
        try assertRefused(["lda", "transform", lda, copy, "-o", copy], status: 64, mentions: "refusing to overwrite")
        try assertRefused(["lda", "fit", copy, "-o", copy], status: 64, mentions: "refusing to overwrite")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), before)
    }
}
