import Foundation
import XCTest

/// The pipeline of Tools/pipeline in miniature, through the cvtool binary: subset and augment
/// IDX images, HOG at two cell sizes, join, train, predict, evaluate, and the pictures.
final class PipelineTests: XCTestCase {
    let digits = CLI.fixtures.appendingPathComponent("datasets/digits-images-idx3-ubyte.gz").path
    let digitLabels = CLI.fixtures.appendingPathComponent("datasets/digits-labels-idx1-ubyte.gz").path

    func json(_ r: CLI.Result, line: Int = 0) throws -> [String: Any] {
        let lines = r.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, line, r.stdout + r.stderr)
        return try JSONSerialization.jsonObject(with: Data(lines[line].utf8)) as! [String: Any]
    }

    /// PNG size from the IHDR chunk.
    func pngSize(_ path: String) throws -> (Int, Int) {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(b.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], path)
        func be(_ o: Int) -> Int { b[o..<o + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    func testDigitsHOGTrainPredictEvaluate() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }

        // 1. A 300-image training subset (IDX) and its labels.
        var r = try CLI.run(["augment", digits, "--labels", digitLabels, "--first", "300", "-o", p("train-images-idx3-ubyte")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: p("train-labels-idx1-ubyte")), "derived labels path")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: p("train-images-idx3-ubyte"))).count, 16 + 300 * 64)

        // 2. HOG at two cell sizes, joined; the test table is all 1797 digits.
        for (set, images, labels) in [("train", p("train-images-idx3-ubyte"), p("train-labels-idx1-ubyte")), ("test", digits, digitLabels)] {
            for cell in ["4x4", "8x8"] {
                r = try CLI.run(["hog", images, "--labels", labels, "--resize", "16x16", "--cell", cell, "--block", "2x2",
                                 "-o", p("\(set).\(cell).npy")])
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            r = try CLI.run(["join", p("\(set).4x4.npy"), p("\(set).8x8.npy"), "-o", p("\(set).npy")])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("(324 + 36) = 360 features"), r.stderr)  // 3x3 blocks·4·9 + 1·4·9
        }

        // 3. Train with cross-validation, predict, evaluate.
        r = try CLI.run(["train", p("train.npy"), "--labels", p("train.4x4.labels.npy"), "-o", p("model.json"),
                         "--scale", "standard", "--pca", "20", "--cv", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let t = try json(r)
        XCTAssertEqual(t["samples"] as? Int, 300)
        XCTAssertEqual(t["features"] as? Int, 360)
        XCTAssertEqual(t["pca_components"] as? Int, 20)
        XCTAssertEqual((t["cv_accuracy"] as? [Double])?.count, 3)
        XCTAssertNotNil(t["fit_ms"] as? Double)

        r = try CLI.run(["predict", p("model.json"), p("test.npy"), "-o", p("pred.csv"), "--json",
                         "--labels", digitLabels, "--misclassified-grid", p("wrong.png"), "--images", digits, "--grid-max", "12"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try json(r)["rows"] as? Int, 1797)
        let csv = try String(contentsOfFile: p("pred.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "label")
        XCTAssertEqual(csv.count, 1798)
        let grid = try pngSize(p("wrong.png"))
        XCTAssertGreaterThan(grid.0, 100)

        r = try CLI.run(["evaluate", p("model.json"), p("test.npy"), "--labels", digitLabels, "--json", "--confusion", p("confusion.png")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let e = try json(r)
        let accuracy = try XCTUnwrap(e["accuracy"] as? Double)
        XCTAssertGreaterThan(accuracy, 0.8, "HOG + PCA + Gaussian NB on digits (0.885 when written)")
        XCTAssertEqual((e["confusion"] as? [[Int]])?.count, 10)
        _ = try pngSize(p("confusion.png"))
    }

    func testAugmentFlipsAndShifts() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two 3x2 images: 0...5 and 10...15, labels 7 and 8.
        var idx: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3] + [0, 1, 2, 3, 4, 5] + [10, 11, 12, 13, 14, 15]
        let images = dir.appendingPathComponent("x-images-idx3-ubyte").path
        try Data(idx).write(to: URL(fileURLWithPath: images))
        let labels = dir.appendingPathComponent("labels.txt").path
        try "7\n8\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("aug-images-idx3-ubyte").path
        let r = try CLI.run(["augment", images, "--labels", labels, "--flip", "--shift", "1", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        XCTAssertEqual(Array(b.prefix(16)), [0, 0, 8, 3, 0, 0, 0, 12, 0, 0, 0, 2, 0, 0, 0, 3])
        let first = Array(b[16..<16 + 6 * 6])
        XCTAssertEqual(first, [0, 1, 2, 3, 4, 5,      // original
                               2, 1, 0, 5, 4, 3,      // mirrored
                               0, 0, 1, 3, 3, 4,      // right by 1 (edge repeated)
                               1, 2, 2, 4, 5, 5,      // left
                               0, 1, 2, 0, 1, 2,      // down
                               3, 4, 5, 3, 4, 5])     // up
        let l = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.appendingPathComponent("aug-labels-idx1-ubyte").path)))
        XCTAssertEqual(Array(l.suffix(12)), [7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8])
        idx.removeAll()
    }

    func testPCAPictures() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var r = try CLI.run(["pca", "fit", digits, "-o", p("pca.json"), "--components", "20"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["pca", "plot", p("pca.json"), "-o", p("curve.png"), "--size", "480x300"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("components explain"), r.stdout)
        XCTAssertEqual(try pngSize(p("curve.png")).0, 480)
        XCTAssertEqual(try pngSize(p("curve.png")).1, 300)
        r = try CLI.run(["pca", "eigenimages", p("pca.json"), "-o", p("eig.png"), "--count", "7", "--columns", "4", "--scale", "8"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try pngSize(p("eig.png"))
        XCTAssertEqual(s.0, 6 + 4 * (64 + 6))            // 4 tiles of 8x8 magnified 8 times
        XCTAssertEqual(s.1, 6 + 2 * (64 + 12 + 6))       // mean + 7 components = 2 rows
        r = try CLI.run(["pca", "eigenimages", p("pca.json"), "-o", p("bad.png"), "--shape", "7x9"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("64 features"), r.stderr)
    }

    /// Bad parameter values are refused by CVLearn's own checks (exit 1, one line naming the
    /// parameter) before any data is read; unparsable values are usage errors (exit 64).
    func testTrainParameterErrors() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.json").path
        for (args, name) in [(["-C", "0"], "'C'"), (["--cache-mb=-1"], "'cacheMB'"), (["--degree", "0"], "'degree'"),
                             (["--gamma=-2"], "'gamma'"), (["--alpha=-1"], "'alpha'"), (["--pca", "0"], "'components'")] {
            let r = try CLI.run(["train", digits, "--labels", digitLabels, "-o", model, "--classifier", "svm"] + args)
            XCTAssertEqual(r.status, 1, "\(args) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(name), "\(args) \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: model))
        }
        XCTAssertEqual(try CLI.run(["train", digits, "--labels", digitLabels, "-o", model, "--classifier", "nope"]).status, 64)
        XCTAssertEqual(try CLI.run(["train", digits, "--labels", digitLabels, "-o", model, "--kernel", "cubic"]).status, 64)
        XCTAssertEqual(try CLI.run(["pca", "fit", digits, "-o", model, "--solver", "qr"]).status, 64)
    }
}
