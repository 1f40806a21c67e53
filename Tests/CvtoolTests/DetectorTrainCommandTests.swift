import CVCore
import CVFormats
import CVIO
import CVTestSupport
import Foundation
import XCTest

/// `cvtool detector train`, `export` and `evaluate MODEL IMAGES...`: a small training run end
/// to end, and refusals (exit 64 for bad options, 1 for bad data; nothing written).
final class DetectorTrainCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CLI.tempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Positives (dark bars on noise), negatives (noise), and a scene with one object.
    func makeData() throws -> (pos: String, neg: String, scene: String, truth: String) {
        var rng = SplitMix64(seed: 21)
        let pos = path("pos"), neg = path("neg"), scenes = path("scenes")
        for d in [pos, neg, scenes] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        for i in 0..<30 { try ImageIO.write(.uint8(Self.bars(&rng)), to: "\(pos)/p\(i).png") }
        for i in 0..<6 { try ImageIO.write(.uint8(rng.image(96, 112, 1)), to: "\(neg)/n\(i).png") }
        var scene = rng.image(128, 128, 1)
        let object = Self.bars(&rng)
        object.withUnsafePixels { src, ss in
            scene.withUnsafeMutablePixels { dst, ds in
                for r in 0..<64 { for c in 0..<32 { dst[(32 + r) * ds + 48 + c] = src[r * ss + c] } }
            }
        }
        try ImageIO.write(.uint8(scene), to: "\(scenes)/s0.png")
        let truth = path("scenes/gt.csv")
        try "path,x,y,width,height\ns0.png,48,32,32,64\n".write(toFile: truth, atomically: true, encoding: .utf8)
        return (pos, neg, scenes, truth)
    }

    static func bars(_ rng: inout SplitMix64) -> Image<UInt8> {
        var img = rng.image(32, 64, 1)
        img.withUnsafeMutablePixels { p, s in
            for y in 4..<60 { for x in 0..<32 where (8..<14) ~= x || (18..<24) ~= x || (y < 16 && (8..<24) ~= x) { p[y * s + x] = 30 } }
        }
        return img
    }

    func testTrainExportEvaluate() throws {
        let d = try makeData()
        let model = path("m.json")
        var r = try CLI.run(["detector", "train", "--positives", d.pos, "--negatives", d.neg, "--window", "32x64", "--rounds", "2",
                             "-C", "0.1", "--mining-threshold", "-0.5", "--seed", "3", "-o", model])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("round 1: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("round 2: "), r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        let training = try XCTUnwrap(json["training"] as? [String: Any])
        XCTAssertEqual((training["rounds"] as? [Any])?.count, 2)
        XCTAssertEqual(training["seed"] as? Int, 3)
        XCTAssertEqual(training["positives"] as? Int, 30)
        // Export, and the file reads back as the same model.
        let yml = path("m.yml")
        r = try CLI.run(["detector", "export", model, "--opencv", yml])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try String(contentsOfFile: yml, encoding: .utf8).hasPrefix("%YAML:1.0\n---\nm:\n   winSize: [ 32, 64 ]"))
        // Evaluate by running the model.
        r = try CLI.run(["detector", "evaluate", model, d.scene, "--annotations", d.truth, "--grouping", "nms", "--group-threshold", "0",
                         "--hit-threshold", "-0.25", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let result = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let c = (result["classes"] as! [[String: Any]])[0]
        XCTAssertEqual(c["ground_truth"] as? Int, 1)
        XCTAssertEqual(c["true_positives"] as? Int, 1, r.stdout)
    }

    func testBadTrainingOptionsAreUsageErrors() throws {
        let d = try makeData()
        let base = ["detector", "train", "--positives", d.pos, "--negatives", d.neg]
        let cases: [([String], String)] = [
            (["--window", "32x64", "-C", "nan"], "-C"), (["--window", "32x64", "-C", "0"], "-C"), (["--window", "32x64", "-C", "-1"], "-C"),
            (["--window", "32x64", "-C", "1e9"], "-C"), (["--window", "0x0"], "--window"), (["--window", "33x64"], "--window"),
            (["--window", "1000000000x1000000000"], "--window"), (["--window", "wide"], "--window"),
            (["--window", "32x64", "--rounds", "-1"], "--rounds"), (["--window", "32x64", "--rounds", "1000000000"], "--rounds"),
            (["--window", "32x64", "--negatives-per-image", "-3"], "--negatives-per-image"),
            (["--window", "32x64", "--hard-per-image", "0"], "--hard-per-image"),
            (["--window", "32x64", "--mining-threshold", "nan"], "--mining-threshold"),
            (["--window", "32x64", "--mining-scale", "0.5"], "--mining-scale"),
        ]
        for (args, option) in cases {
            let out = path("bad.json")
            let r = try CLI.run(base + args + ["-o", out])
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }

    func testBadDataIsOneLineNamingTheFile() throws {
        let d = try makeData()
        let out = path("m.json")
        // Missing positives folder, an unreadable positive, negatives smaller than the window.
        var r = try CLI.run(["detector", "train", "--positives", path("nowhere"), "--negatives", d.neg, "--window", "32x64", "-o", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("nowhere"), r.stderr)
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: "\(d.pos)/broken.png"))
        r = try CLI.run(["detector", "train", "--positives", d.pos, "--negatives", d.neg, "--window", "32x64", "-o", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.png"), r.stderr)
        try FileManager.default.removeItem(atPath: "\(d.pos)/broken.png")
        r = try CLI.run(["detector", "train", "--positives", d.pos, "--negatives", d.neg, "--window", "128x128", "-o", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("negatives"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        // The output may not be an input; export refuses a model that is not one.
        r = try CLI.run(["detector", "train", "--positives", d.pos, "--negatives", d.neg, "--window", "32x64", "-o", "\(d.neg)/n0.png"])
        XCTAssertEqual(r.status, 64, r.stderr)
        try "{}".write(toFile: path("junk.json"), atomically: true, encoding: .utf8)
        r = try CLI.run(["detector", "export", path("junk.json"), "--opencv", path("x.yml")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("junk.json"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.yml")))
        r = try CLI.run(["detector", "export", "people", "--opencv", path("people.yml")])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Evaluate: a model whose window does not fit, an image named twice, no images.
        // (a stride out of 1...512 is the library's refusal: exit 1, as in `detect`; finer strides
        // than the block stride, 7x7 included, are OpenCV's and accepted)
        r = try CLI.run(["detector", "evaluate", "people", d.scene, "--annotations", d.truth, "--stride", "513x8"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--stride"), r.stderr)
        r = try CLI.run(["detector", "evaluate", "people", "\(d.scene)/s0.png", "\(d.scene)/s0.png", "--annotations", d.truth])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("twice"), r.stderr)
        r = try CLI.run(["detector", "evaluate", "people", "--annotations", d.truth])
        XCTAssertEqual(r.status, 64, r.stderr)
    }

    /// Hostile inputs of the three subcommands: empty or special inputs, outputs that are
    /// directories or devices (refused before any training), annotations naming missing
    /// images, bad jitter and region options. Each one line naming the file or option.
    func testHostileInputsNameTheFileOrOption() throws {
        let d = try makeData()
        let out = path("m.json")
        func check(_ args: [String], _ status: Int32, _ named: String, line: UInt = #line) throws {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, status, "\(args): \(r.stderr)", line: line)
            XCTAssertTrue(r.stderr.contains(named), "\(args): \(r.stderr)", line: line)
            XCTAssertFalse(r.stderr.contains("round 1"), "\(args): refused only after training", line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(args)", line: line)
        }
        let train = ["detector", "train", "--window", "32x64"]
        let empty = path("empty"), fifo = path("fifo.png"), folder = path("folder.json")
        for dir in [empty, folder] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        try check(train + ["--positives", empty, "--negatives", d.neg, "-o", out], 1, "empty")
        try check(train + ["--positives", d.pos, "--negatives", d.neg, "--negatives", fifo, "-o", out], 1, "fifo.png")
        try check(train + ["--positives", d.pos, "--negatives", d.neg, "--negatives", empty, "-o", out], 1, "empty")
        try check(train + ["--positives", d.pos, "--negatives", d.neg, "-o", folder], 1, "folder.json")
        try check(train + ["--positives", d.pos, "--negatives", d.neg, "-o", fifo], 1, "fifo.png")
        for (args, option) in [(["--jitter", "-1"], "--jitter"), (["--jitter", "101"], "--jitter"),
                               (["--jitter-amplitude", "nan"], "--jitter-amplitude"), (["--jitter-amplitude", "0.6"], "--jitter-amplitude"),
                               (["--positive-region", "4,4"], "--positive-region"), (["--positive-region", "-1,0,32x64"], "--positive-region"),
                               (["--positive-region", "0,0,0x64"], "--positive-region")] {
            try check(train + ["--positives", d.pos, "--negatives", d.neg, "-o", out] + args, 64, option)
        }
        // A region outside the 32x64 positives is bad data, found when the positives are read.
        try check(train + ["--positives", d.pos, "--negatives", d.neg, "-o", out, "--positive-region", "8,8,32x64"], 1, "positive-region")
        // Export and evaluate: outputs that are directories, annotations naming missing images.
        try check(["detector", "export", "people", "--opencv", folder], 1, "folder.json")
        // Export onto its own model file (spelled differently): a usage error, the model untouched.
        let own = path("own.json")
        try "{}".write(toFile: own, atomically: true, encoding: .utf8)
        try check(["detector", "export", own, "--opencv", path("./own.json")], 64, "own.json")
        XCTAssertEqual(try String(contentsOfFile: own, encoding: .utf8), "{}")
        try "path,x,y,width,height\nmissing.png,1,2,30,60\n".write(toFile: path("gt.csv"), atomically: true, encoding: .utf8)
        try check(["detector", "evaluate", "people", "\(d.scene)/s0.png", "--annotations", path("gt.csv")], 1, "missing.png")
        try check(["detector", "evaluate", "people", "\(d.scene)/s0.png", "--annotations", d.truth, "--curve", folder], 1, "folder.json")
        try check(["detector", "evaluate", "people", fifo, "--annotations", d.truth], 1, "fifo.png")
    }
}
