import Foundation
import XCTest

/// `cvtool detect`: output formats, refusals of hostile options and bad files (one line, exit
/// 1 for values the library refuses and bad data, 64 for usage), nothing written on failure.
final class DetectorCommandTests: XCTestCase {
    let small = CLI.fixtures.appendingPathComponent("formats/png/gray8.png").path
    let frame = CLI.fixtures.appendingPathComponent("detect/images/vtest_0600.jpg").path

    func assertRefused(_ args: [String], inputs: [String]? = nil, status: Int32, mentions mention: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("found.csv").path
        let r = try CLI.run(["detect"] + (inputs ?? [small]) + args + ["-o", out])
        let label = "cvtool detect \(args.joined(separator: " "))"
        XCTAssertEqual(r.status, status, "\(label): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertTrue(lines.first?.contains(mention) ?? false, "\(label) should name \(mention): \(r.stderr)", file: file, line: line)
        if status == 1 { XCTAssertEqual(lines.count, 1, "\(label): \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(label) wrote an output", file: file, line: line)
    }

    func testHostileOptionsAreRefused() throws {
        for v in ["nan", "0.5", "1e9", "-1"] { try assertRefused(["--scale=\(v)"], status: 1, mentions: "--scale") }
        for v in ["0x8", "513x8", "8x1000000000"] { try assertRefused(["--stride", v], status: 1, mentions: "--stride") }
        for v in ["-8x8", "8x1000000000"] { try assertRefused(["--padding=\(v)"], status: 1, mentions: "--padding") }
        try assertRefused(["--stride", "eight"], status: 64, mentions: "--stride")
        try assertRefused(["--hit-threshold", "nan"], status: 1, mentions: "--hit-threshold")
        try assertRefused(["--group-threshold=-1"], status: 1, mentions: "--group-threshold")
        try assertRefused(["--grouping", "best"], status: 64, mentions: "--grouping")
        try assertRefused(["--grouping", "nms", "--iou", "nan"], status: 1, mentions: "--iou")
        try assertRefused(["--model", "/nonexistent/model.json"], status: 64, mentions: "--model")
    }

    func testBadModelAndImageFilesNameTheFile() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("short.json")
        var json = try String(contentsOf: CLI.fixtures.appendingPathComponent("detect/daimler.json"), encoding: .utf8)
        json = json.replacingOccurrences(of: "\"weights\":[", with: "\"weights\":[0.5,")
        try json.write(to: model, atomically: true, encoding: .utf8)
        try assertRefused(["--model", model.path], status: 1, mentions: "short.json")
        let empty = dir.appendingPathComponent("empty.png")
        try Data().write(to: empty)
        try assertRefused(["--strict"], inputs: [empty.path], status: 1, mentions: "empty.png")
    }

    func testCSVHasOneRowPerDetectionAndTheDrawingAppears() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("people.csv").path, png = dir.appendingPathComponent("people.png").path
        let r = try CLI.run(["detect", frame, "--scale", "1.2", "-o", csv, "--draw", png])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "path,x,y,width,height,score")
        XCTAssertGreaterThan(rows.count, 1)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.hasPrefix(frame + ",") })
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
    }

    func testOutputsNeverOverwriteTheInput() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("frame.png").path
        try FileManager.default.copyItem(atPath: small, toPath: copy)
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let r = try CLI.run(["detect", copy, "--draw", copy])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), before)
    }
}
