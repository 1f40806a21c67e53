import Foundation
import XCTest

final class CoreCommandTests: XCTestCase {
    let chelseaPNG = CLI.fixtures.appendingPathComponent("images/chelsea.png").path
    let chelseaJPG = CLI.fixtures.appendingPathComponent("images/chelsea.jpg").path

    func testVersionAndHelpWithExamples() throws {
        let v = try CLI.run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertFalse(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let help = try CLI.run(["--help"])
        XCTAssertEqual(help.status, 0)
        // Every subcommand has help with examples.
        let names = help.stdout.components(separatedBy: "SUBCOMMANDS:").last!
            .split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0 != "See" }
        XCTAssertTrue(names.contains("info") && names.contains("convert") && names.contains("bench"), "\(names)")
        for name in names {
            let h = try CLI.run([name, "--help"])
            XCTAssertEqual(h.status, 0, name)
            XCTAssertTrue(h.stdout.contains("Example"), "\(name) --help has no examples")
        }
    }

    func testInfoTextAndJSON() throws {
        let r = try CLI.run(["info", chelseaPNG, chelseaJPG, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let obj = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        XCTAssertEqual(obj["format"] as? String, "jpeg")
        XCTAssertEqual(obj["width"] as? Int, 451)
        XCTAssertEqual(obj["height"] as? Int, 300)
        XCTAssertEqual(obj["channels"] as? Int, 3)
        XCTAssertEqual(obj["bit_depth"] as? Int, 8)
        XCTAssertEqual(obj["orientation"] as? Int, 1)
        let oriented = try CLI.run(["info", CLI.fixtures.appendingPathComponent("formats/jpeg/orientation_6.jpg").path])
        XCTAssertTrue(oriented.stdout.contains("orientation 6"), oriented.stdout)
    }

    func testInfoReportsEveryBadFileAndFails() throws {
        let bad = CLI.fixtures.appendingPathComponent("bad/png_bad_ihdr_crc.png").path
        let r = try CLI.run(["info", chelseaPNG, bad])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("chelsea.png"))
        XCTAssertTrue(r.stderr.contains("png_bad_ihdr_crc.png"), r.stderr)
    }

    func testConvertRoundTripsAndFormats() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ppm = dir.appendingPathComponent("c.ppm").path
        let back = dir.appendingPathComponent("c.png").path
        XCTAssertEqual(try CLI.run(["convert", chelseaPNG, ppm]).status, 0)
        let r = try CLI.run(["convert", ppm, back])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), back, "prints the output path")
        // PNG -> PPM -> PNG is lossless: compare decoded NPY dumps.
        let a = dir.appendingPathComponent("a.npy").path, b = dir.appendingPathComponent("b.npy").path
        XCTAssertEqual(try CLI.run(["convert", chelseaPNG, a]).status, 0)
        XCTAssertEqual(try CLI.run(["convert", back, b]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))

        let gray16 = dir.appendingPathComponent("g.png").path
        XCTAssertEqual(try CLI.run(["convert", chelseaJPG, gray16, "--gray", "--depth", "16"]).status, 0)
        let info = try CLI.run(["info", gray16, "--json"])
        XCTAssertTrue(info.stdout.contains("\"channels\": 1") && info.stdout.contains("\"bit_depth\": 16"), info.stdout)

        let jpg = dir.appendingPathComponent("q.jpg").path
        XCTAssertEqual(try CLI.run(["convert", chelseaPNG, jpg, "--quality", "70", "--progressive"]).status, 0)
        XCTAssertTrue(try CLI.run(["info", jpg]).stdout.contains("progressive"))
    }

    func testStdinAndStdout() throws {
        let png = try Data(contentsOf: URL(fileURLWithPath: chelseaPNG))
        let r = try CLI.run(["convert", "-", "-", "--gray"], stdin: png)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(Array(r.stdoutData.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertTrue(r.stdout.utf8.count > 1000)
    }

    func testExitCodesAndErrorsNameTheFile() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.png").path

        // Bad input: exit 1, one line naming the file, nothing written.
        let bad = CLI.fixtures.appendingPathComponent("bad/jpeg_trunc_scan.jpg").path
        let r = try CLI.run(["convert", bad, out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("jpeg_trunc_scan.jpg"), r.stderr)
        XCTAssertEqual(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "no temporary left behind")

        // Missing file: exit 1 naming it.
        let missing = try CLI.run(["convert", "/nonexistent/p.png", out])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/p.png"))

        // Usage errors: exit 64.
        XCTAssertEqual(try CLI.run(["convert", chelseaPNG]).status, 64)
        XCTAssertEqual(try CLI.run(["convert", chelseaPNG, out, "--quality", "0"]).status, 64)
        XCTAssertEqual(try CLI.run(["convert", chelseaPNG, dir.appendingPathComponent("x.gif").path]).status, 64)
        XCTAssertEqual(try CLI.run(["no-such-command"]).status, 64)

        // Never overwrite the input, even through another spelling of its path.
        let copy = dir.appendingPathComponent("in.png").path
        try FileManager.default.copyItem(atPath: chelseaPNG, toPath: copy)
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let same = try CLI.run(["convert", copy, dir.appendingPathComponent("./in.png").path])
        XCTAssertEqual(same.status, 64)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), before)
    }

    func testBenchJSON() throws {
        let r = try CLI.run(["bench", "decode-png", chelseaPNG, "--repeat", "3", "--threads", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertNotNil(obj["median_ms"] as? Double)
        XCTAssertEqual(obj["threads"] as? Int, 1)
        for op in ["decode-jpeg", "encode-png", "encode-jpeg", "gray"] {
            let input = op == "decode-jpeg" ? chelseaJPG : chelseaPNG
            XCTAssertEqual(try CLI.run(["bench", op, input, "--repeat", "2"]).status, 0, op)
        }
        XCTAssertEqual(try CLI.run(["bench", "decode-jpeg", chelseaPNG, "--repeat", "2"]).status, 1)
        XCTAssertEqual(try CLI.run(["bench", "nope", chelseaPNG]).status, 64)
    }
}

final class FilterCommandTests: XCTestCase {
    func testSobelAcceptsScharrAperture() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("gx.npy").path
        let input = CLI.fixtures.appendingPathComponent("images/chelsea.png").path
        let r = try CLI.run(["sobel", input, "--dx", "1", "--dy", "0", "--ksize", "-1", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try CLI.run(["sobel", input, "--ksize", "4", "-o", out]).status, 64)
    }

    func testCannyDefaultWritesBesideInput() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("photo.jpg").path
        try FileManager.default.copyItem(atPath: CLI.fixtures.appendingPathComponent("images/coffee.jpg").path, toPath: input)
        let r = try CLI.run(["canny", input])
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = dir.appendingPathComponent("photo.canny.png").path
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), expected)
        let info = try CLI.run(["info", expected, "--json"])
        XCTAssertTrue(info.stdout.contains("\"channels\": 1"), info.stdout)
        XCTAssertEqual(try CLI.run(["canny", input, "--low", "200", "--high", "100"]).status, 64, "swapped thresholds are refused")
    }
}
