import Foundation
import XCTest

/// `cvtool nms` and `cvtool detector evaluate`: results, and refusals of bad rows and values
/// (one line naming the file and line or the option; exit 1 for bad data, 64 for usage; no
/// output left behind).
final class NMSCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CLI.tempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    let boxes = "x,y,width,height,score,class\n0,0,10,10,0.9,0\n1,0,10,10,0.8,1\n100,100,20,20,0.7,0\n"

    func testKeepsTheBestBoxesInOrder() throws {
        let input = try file("boxes.csv", boxes)
        let out = dir.appendingPathComponent("kept.csv").path
        var r = try CLI.run(["nms", input, "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "index,score\n0,0.9\n2,0.7\n")
        r = try CLI.run(["nms", input, "--class-aware", "-o", "-"])
        XCTAssertEqual(r.stdout, "index,score\n0,0.9\n1,0.8\n2,0.7\n")
        let corners = try file("corners.csv", "x1,y1,x2,y2,score\n0,0,10,10,0.9\n1,0,11,10,0.8\n")
        r = try CLI.run(["nms", corners, "--method", "opencv", "--iou", "0.9", "-o", "-"])
        XCTAssertEqual(r.stdout, "index,score\n0,0.9\n1,0.8\n", r.stderr)
        r = try CLI.run(["nms", input, "--method", "soft-gaussian", "--sigma", "0.5", "-o", "-"])
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, r.stderr)
        XCTAssertEqual(lines[1], "0,0.9")
        XCTAssertTrue(lines[3].hasPrefix("1,0.2097"), "decayed 0.8 · exp(-(90/110)²/0.5): \(lines)")
    }

    func testBoxesOfDifferentImagesNeverSuppressEachOther() throws {
        let input = try file("det.csv", "path,x,y,width,height,score\na.png,0,0,10,10,0.9\nb.png,1,0,10,10,0.8\na.png,1,0,10,10,0.7\n")
        for method in ["greedy", "opencv", "dlib"] {
            XCTAssertEqual(try CLI.run(["nms", input, "--method", method, "-o", "-"]).stdout, "index,score\n0,0.9\n1,0.8\n", method)
        }
        let soft = try CLI.run(["nms", input, "--method", "soft-linear", "-o", "-"]).stdout.split(separator: "\n")
        XCTAssertEqual(soft.map { $0.split(separator: ",")[0] }, ["index", "0", "2", "1"], "image a first, then image b")
    }

    func assertRefused(_ args: [String], status: Int32, mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let out = dir.appendingPathComponent("out.csv").path
        let r = try CLI.run(args + ["-o", out])
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        for m in mentions { XCTAssertTrue(first.contains(m), "\(args): \(r.stderr) should name \(m)", file: file, line: line) }
        if status == 1 { XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(args) wrote an output", file: file, line: line)
    }

    func testBadRowsNameTheFileAndLine() throws {
        for (row, what) in [("1,0,-10,10,0.8", "negative"), ("1,0,nan,10,0.8", "nan"), ("1,0,10,10,inf", "score"), ("1,0,10,abc,0.8", "not a number"),
                            ("1,0,10", "fields"), ("1e300,0,10,10,0.5", "±1e12")] {
            let bad = try file("bad.csv", "x,y,width,height,score\n0,0,10,10,0.9\n\(row)\n")
            try assertRefused(["nms", bad], status: 1, mentions: ["bad.csv", "line 3", what])
        }
        let noScore = try file("noscore.csv", "x,y,width,height\n0,0,10,10\n")
        try assertRefused(["nms", noScore], status: 1, mentions: ["noscore.csv", "score"])
        let noBox = try file("nobox.csv", "a,b,score\n0,0,1\n")
        try assertRefused(["nms", noBox], status: 1, mentions: ["nobox.csv", "x,y,width,height"])
        let badClass = try file("class.csv", "x,y,width,height,score,class\n0,0,10,10,0.9,1.5\n")
        try assertRefused(["nms", badClass, "--class-aware"], status: 1, mentions: ["class.csv", "line 2", "class"])
        try assertRefused(["nms", dir.appendingPathComponent("absent.csv").path], status: 1, mentions: ["absent.csv"])
    }

    func testBadValuesNameTheOption() throws {
        let input = try file("boxes.csv", boxes)
        for v in ["nan", "-1", "2", "1e9"] { try assertRefused(["nms", input, "--iou", v], status: 1, mentions: ["--iou"]) }
        for v in ["0", "-1", "nan", "1e9"] { try assertRefused(["nms", input, "--method", "soft-gaussian", "--sigma", v], status: 1, mentions: ["--sigma"]) }
        for v in ["0", "2", "nan"] { try assertRefused(["nms", input, "--method", "opencv", "--eta", v], status: 1, mentions: ["--eta"]) }
        try assertRefused(["nms", input, "--method", "opencv", "--top-k", "-3"], status: 1, mentions: ["--top-k"])
        try assertRefused(["nms", input, "--method", "opencv", "--score-threshold", "nan"], status: 1, mentions: ["--score-threshold"])
        try assertRefused(["nms", input, "--method", "dlib", "--covered", "1.5"], status: 1, mentions: ["--covered"])
        try assertRefused(["nms", input, "--method", "bogus"], status: 64, mentions: ["--method"])
        try assertRefused(["nms", input, "--eta", "0.5"], status: 64, mentions: ["--eta"])
        try assertRefused(["nms", input, "--top-k", "1e99"], status: 64, mentions: ["--top-k"])
        let r = try CLI.run(["nms", input, "-o", input])
        XCTAssertEqual(r.status, 64)
        XCTAssertEqual(try String(contentsOfFile: input, encoding: .utf8), boxes, "the input is untouched")
    }

    func testEvaluateScoresDetectionsAndDrawsTheCurve() throws {
        for name in ["a.png", "b.png"] { XCTAssertTrue(FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data([0]))) }
        let gt = try file("gt.csv", "path,x,y,width,height\na.png,0,0,10,20\nb.png,50,50,10,20\n")
        let det = try file("det.csv", "path,x,y,width,height,score\na.png,1,0,10,20,0.9\nb.png,0,0,10,20,0.8\nb.png,50,51,10,20,0.7\n")
        let curve = dir.appendingPathComponent("pr.png").path
        var r = try CLI.run(["detector", "evaluate", "--detections", det, "--annotations", gt, "--curve", curve])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Ranks: hit, miss, hit: precision envelope 1 to recall 0.5, then 2/3: AP = 0.5 + 0.5 · 2/3.
        XCTAssertTrue(r.stdout.contains("AP (all-point, VOC2010+)   0.8333"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: curve))
        r = try CLI.run(["detector", "evaluate", "--detections", det, "--annotations", gt, "--json"])
        XCTAssertTrue(r.stdout.hasPrefix("{\"mean_ap\": 0.833"), r.stdout)
    }

    func testEvaluateRefusals() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: dir.appendingPathComponent("a.png").path, contents: Data([0])))
        let det = try file("det.csv", "path,x,y,width,height,score\na.png,1,0,10,20,0.9\n")
        let missing = try file("gt.csv", "path,x,y,width,height\na.png,0,0,10,20\nnowhere.png,0,0,10,20\n")
        var r = try CLI.run(["detector", "evaluate", "--detections", det, "--annotations", missing])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("nowhere.png") && r.stderr.contains("line 3") && r.stderr.contains("gt.csv"), r.stderr)
        let gt = try file("gt2.csv", "path,x,y,width,height\na.png,0,0,10,-20\n")
        r = try CLI.run(["detector", "evaluate", "--detections", det, "--annotations", gt])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("gt2.csv") && r.stderr.contains("line 2"), r.stderr)
        r = try CLI.run(["detector", "evaluate", "model.json", "a.png", "--annotations", gt])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("'model.json' does not exist"), r.stderr)
        let good = try file("gt3.csv", "path,x,y,width,height\na.png,0,0,10,20\n")
        for v in ["nan", "-0.5", "7"] {
            r = try CLI.run(["detector", "evaluate", "--detections", det, "--annotations", good, "--iou", v])
            XCTAssertEqual(r.status, 1, v)
            XCTAssertTrue(r.stderr.contains("--iou"), r.stderr)
        }
        r = try CLI.run(["detector", "evaluate", "--detections", det, "--annotations", good, "--curve", det])
        XCTAssertEqual(r.status, 64, r.stderr)
    }
}
