import CVCore
import CVFormats
import CVIO
import CVTestSupport
import Foundation
import XCTest

/// `cvtool detector regress` and the model file's `boxRegression` field: a fit end to end,
/// `detect` and `evaluate --no-box-regression`, and refusals (exit 64 for bad options, 1 for a model file
/// whose regression does not fit, naming the option or file; nothing written).
final class DetectorRegressCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CLI.tempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A trained model and four annotated scenes (bars on noise; the box is the bars' own).
    func makeModelAndScenes() throws -> (model: String, scenes: String, truth: String) {
        var rng = SplitMix64(seed: 31)
        let pos = path("pos"), neg = path("neg"), scenes = path("scenes")
        for d in [pos, neg, scenes] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        for i in 0..<30 { try ImageIO.write(.uint8(DetectorTrainCommandTests.bars(&rng)), to: "\(pos)/p\(i).png") }
        for i in 0..<6 { try ImageIO.write(.uint8(rng.image(96, 112, 1)), to: "\(neg)/n\(i).png") }
        var csv = "path,x,y,width,height\n"
        for i in 0..<4 {
            var scene = rng.image(128, 128, 1)
            let object = DetectorTrainCommandTests.bars(&rng)
            let (x, y) = (16 + 9 * i, 20 + 5 * i)
            object.withUnsafePixels { src, ss in
                scene.withUnsafeMutablePixels { dst, ds in
                    for r in 0..<64 { for c in 0..<32 { dst[(y + r) * ds + x + c] = src[r * ss + c] } }
                }
            }
            try ImageIO.write(.uint8(scene), to: "\(scenes)/s\(i).png")
            csv += "s\(i).png,\(x + 8),\(y + 4),16,56\n"
        }
        try csv.write(toFile: "\(scenes)/gt.csv", atomically: true, encoding: .utf8)
        let model = path("m.json")
        let r = try CLI.run(["detector", "train", "--positives", pos, "--negatives", neg, "--window", "32x64", "--rounds", "1",
                             "-C", "0.1", "--mining-threshold", "-0.5", "-o", model])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (model, scenes, "\(scenes)/gt.csv")
    }

    static let detection = ["--hit-threshold=-0.5", "--grouping", "nms", "--group-threshold", "0", "--nms-iou", "0.3"]

    func testRegressWritesTheFieldAndEvaluateCanTurnItOff() throws {
        let d = try makeModelAndScenes()
        let out = path("bbr.json")
        var r = try CLI.run(["detector", "regress", d.model, d.scenes, "--annotations", d.truth, "--features", "constant",
                             "--min-iou", "0.3", "-o", out] + Self.detection)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("pairs"), r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let field = try XCTUnwrap(json["boxRegression"] as? [String: Any])
        XCTAssertEqual((field["intercepts"] as? [Double])?.count, 4)
        XCTAssertGreaterThan(field["pairs"] as? Int ?? 0, 0)
        // The boxes narrow towards the 16-pixel-wide bars: log(w'/w) < 0.
        XCTAssertLessThan((field["intercepts"] as? [Double])?[2] ?? 0, -0.3)
        func ap(_ extra: [String]) throws -> Double {
            let r = try CLI.run(["detector", "evaluate", out, d.scenes, "--annotations", d.truth, "--json"] + Self.detection + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let j = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            return (j["classes"] as! [[String: Any]])[0]["ap"] as! Double
        }
        let with = try ap([]), without = try ap(["--no-box-regression"])
        XCTAssertGreaterThan(with, without, "the windows are twice as wide as the boxes: IoU below 0.5 without regression")
        // `detect` moves the boxes too, and `--no-box-regression` gives back the raw windows.
        func aspects(_ extra: [String]) throws -> [Double] {
            let csv = path("det\(extra.count).csv")
            let r = try CLI.run(["detect", d.scenes, "--model", out, "-o", csv, "--hit-threshold=-0.5", "--grouping", "none"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
            XCTAssertFalse(rows.isEmpty)
            return rows.map { row in let f = row.split(separator: ","); return Double(f[3])! / Double(f[4])! }
        }
        // Raw windows are the model's 32x64 at every level (width/height 0.5 up to rounding;
        // wider where the image edge clips the height); regressed boxes narrow towards the bars.
        XCTAssertGreaterThan(try aspects(["--no-box-regression"]).min()!, 0.45)
        XCTAssertLessThan(try aspects([]).max()!, 0.4)
        // The OpenCV export has no regression: it keeps the raw windows, and says so.
        r = try CLI.run(["detector", "export", out, "--opencv", path("bbr.yml")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("raw windows"), r.stderr)
    }

    func testBadRegressOptionsAreUsageErrors() throws {
        let d = try makeModelAndScenes()
        let out = path("bbr.json")
        let base = ["detector", "regress", d.model, d.scenes, "--annotations", d.truth, "-o", out]
        for (args, option) in [(["--alpha", "nan"], "--alpha"), (["--alpha", "-1"], "--alpha"), (["--alpha", "1e13"], "--alpha"),
                               (["--min-iou", "0"], "--min-iou"), (["--min-iou", "1.5"], "--min-iou"), (["--min-iou", "nan"], "--min-iou"),
                               (["--features", "pixels"], "--features"), (["--threads", "0"], "--threads")] {
            let r = try CLI.run(base + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(args)")
        }
        // The bench op's own option.
        for n in ["0", "-1", "1000000000", "many"] {
            let r = try CLI.run(["bench", "detector-regress", FixturePaths.path("detect/images/vtest_0000.jpg"), "--scenes", n])
            XCTAssertEqual(r.status, 64, "--scenes \(n): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--scenes"), r.stderr)
        }
        // No images after MODEL; the output is an input.
        var r = try CLI.run(["detector", "regress", d.model, "--annotations", d.truth, "-o", out])
        XCTAssertEqual(r.status, 64, r.stderr)
        r = try CLI.run(["detector", "regress", d.model, d.scenes, "--annotations", d.truth, "-o", d.model])
        XCTAssertEqual(r.status, 64, r.stderr)
        // Annotations far from every hit: nothing to fit, a data error.
        try "path,x,y,width,height\ns0.png,0,0,2,2\n".write(toFile: "\(d.scenes)/far.csv", atomically: true, encoding: .utf8)
        r = try CLI.run(["detector", "regress", d.model, "\(d.scenes)/s0.png", "--annotations", "\(d.scenes)/far.csv", "-o", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("IoU"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// A model file whose `boxRegression` has the wrong size or a non-number: one line naming
    /// the file, exit 1, for detect, evaluate and export alike.
    func testBadRegressionFieldNamesTheModelFile() throws {
        let d = try makeModelAndScenes()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d.model))) as! [String: Any]
        let weights = (json["weights"] as! [Any]).count
        let variants: [(String, [String: Any])] = [
            ("short.json", ["features": "hog", "coefficients": [Double](repeating: 0, count: 4 * weights - 1), "intercepts": [0, 0, 0, 0],
                            "alpha": 1, "minimumIoU": 0.4, "pairs": 3]),
            ("three.json", ["features": "constant", "coefficients": [Double](), "intercepts": [0, 0, 0], "alpha": 1, "minimumIoU": 0.4, "pairs": 3]),
            ("nan.json", ["features": "constant", "coefficients": [Double](), "intercepts": ["nan", 0, 0, 0], "alpha": 1, "minimumIoU": 0.4, "pairs": 3]),
            ("kind.json", ["features": "pixels", "coefficients": [Double](), "intercepts": [0, 0, 0, 0], "alpha": 1, "minimumIoU": 0.4, "pairs": 3]),
        ]
        for (name, field) in variants {
            json["boxRegression"] = field
            let file = path(name)
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
            for args in [["detect", "\(d.scenes)/s0.png", "--model", file, "-o", path("det.csv")],
                         ["detector", "evaluate", file, d.scenes, "--annotations", d.truth],
                         ["detector", "export", file, "--opencv", path("m.yml")]] {
                let r = try CLI.run(args)
                XCTAssertEqual(r.status, 1, "\(name) \(args[0]): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(name), "\(name): \(r.stderr)")
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertFalse(FileManager.default.fileExists(atPath: path("det.csv")))
                XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.yml")))
            }
        }
    }
}
