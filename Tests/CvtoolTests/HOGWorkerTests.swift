import CVCore
import CVFeatures
import CVFormats
import CVIO
import CVTestSupport
import Foundation
import XCTest

/// `cvtool hog`'s worker mode: framed records and path lists in, the Arrow stream out, error
/// rows for what cannot be read, and the refusals of its options. The expected streams are
/// built here from the library (HOG, the decoder's messages, `ArrowIPC`), never typed in.
final class HOGWorkerTests: XCTestCase {
    /// Seeded 24×24 PNG records, gray and one RGB (d = 81 under the scikit-image preset: 3×3
    /// cells, one 3×3 block), and broken ones: truncated, empty, not an image, another size.
    func records() throws -> [(path: String, bytes: [UInt8])] {
        var rng = SplitMix64(seed: 22)
        var out: [(String, [UInt8])] = []
        for i in 0..<5 {
            let img = rng.image(24, 24, i == 3 ? 3 : 1)
            out.append(("set/\(i % 2 == 0 ? "even" : "odd")/img\(i).png", try ImageIO.encode(.uint8(img), as: .png)))
        }
        let good = out[0].1
        out.insert(("set/odd/truncated.png", Array(good.prefix(50))), at: 2)
        out.append(("set/even/empty.png", []))
        out.append(("set/even/text.jpg", Array("hello".utf8)))
        out.append(("set/odd/other-size.png", try ImageIO.encode(.uint8(rng.image(32, 24, 1)), as: .png)))
        return out
    }

    static func framed(_ records: [(path: String, bytes: [UInt8])]) -> Data {
        var d = Data("CVREC01\n".utf8)
        for r in records {
            let p = Array(r.path.utf8)
            withUnsafeBytes(of: UInt32(p.count).littleEndian) { d.append(contentsOf: $0) }
            d.append(contentsOf: p)
            withUnsafeBytes(of: UInt64(r.bytes.count).littleEndian) { d.append(contentsOf: $0) }
            d.append(contentsOf: r.bytes)
        }
        return d
    }

    /// The stream `cvtool hog --records --labels-from-dirs` must write for `records`: the first
    /// readable image sets the size; a record that cannot be decoded, or has another size, is
    /// an error row with the library's message.
    func expectedStream(_ records: [(path: String, bytes: [UInt8])], batch: Int) throws -> [UInt8] {
        let engine = try HOG(.scikitImage)
        var rows: [(path: String, label: String?, features: [Float]?, error: String?)] = []
        var size: (Int, Int)?
        for r in records {
            let label = r.path.split(separator: "/").dropLast().last.map(String.init)
            do {
                let img = try ImageIO.decode(r.bytes, source: r.path).image.asUInt8
                if size == nil { size = (img.width, img.height) }
                guard img.width == size!.0, img.height == size!.1 else {
                    throw CVError.invalidParameter(name: r.path, reason: "is \(img.width)x\(img.height), the table's images are \(size!.0)x\(size!.1) (use --resize WxH)")
                }
                rows.append((r.path, label, try engine.descriptor(img).values, nil))
            } catch {
                rows.append((r.path, label, nil, "\(error)"))
            }
        }
        let d = try engine.parameters.grid(width: size!.0, height: size!.1).descriptorLength
        var batches: [ArrowRecordBatch] = []
        for start in stride(from: 0, to: rows.count, by: batch) {
            let part = rows[start..<min(rows.count, start + batch)]
            batches.append(ArrowRecordBatch(rowCount: part.count, columns: [
                .utf8(part.map(\.path)), .utf8(part.map(\.label)),
                .float32List(values: part.flatMap { $0.features ?? [Float](repeating: 0, count: d) }, valid: part.map { $0.features != nil }),
                .utf8(part.map(\.error)),
            ]))
        }
        let schema = ArrowSchema([ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
                                  ArrowField("features", .float32List(size: d)), ArrowField("error", .utf8)])
        return try ArrowIPC.stream(schema: schema, batches: batches)
    }

    func testRecordsGiveTheLibrarysRowsAndErrorRows() throws {
        let recs = try records()
        for batch in [64, 3] {
            let r = try CLI.run(["hog", "--records", "--labels-from-dirs", "--batch-records", "\(batch)"], stdin: Self.framed(recs))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(Array(r.stdoutData), try expectedStream(recs, batch: batch), "batch \(batch)")
            XCTAssertTrue(r.stderr.contains("9 record(s), 9 row(s), 4 error row(s)"), r.stderr)
        }
    }

    /// Paths (a list on standard input, NUL-separated) give the same stream as their bytes.
    func testFilesFromGivesTheSameStreamAsRecords() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recs = try records()
        var onDisk: [(path: String, bytes: [UInt8])] = []
        for r in recs {
            let url = dir.appendingPathComponent(r.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(r.bytes).write(to: url)
            onDisk.append((url.path, r.bytes))
        }
        let list = Data(onDisk.map(\.path).joined(separator: "\0").utf8)
        let fromList = try CLI.run(["hog", "--stream", "--files-from", "-", "--null", "--labels-from-dirs"], stdin: list)
        XCTAssertEqual(fromList.status, 0, fromList.stderr)
        let fromRecords = try CLI.run(["hog", "--records", "--labels-from-dirs"], stdin: Self.framed(onDisk))
        XCTAssertEqual(fromList.stdoutData, fromRecords.stdoutData)
        XCTAssertEqual(Array(fromList.stdoutData), try expectedStream(onDisk, batch: 64))

        // The table mode reads the same list (newline-separated from a file) as INPUT paths.
        let listFile = dir.appendingPathComponent("list.txt")
        try Data((onDisk.map(\.path).joined(separator: "\n") + "\n").utf8).write(to: listFile)
        let a = try CLI.run(["hog", "--files-from", listFile.path])
        let b = try CLI.run(["hog"] + onDisk.map(\.path))
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertEqual(a.stdout.split(separator: "\n").count, 1 + 5)   // header + the five 24x24 images
    }

    /// A missing path, a folder and a FIFO in the list: error rows, and the run never blocks.
    func testUnreadablePathsAreErrorRows() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.png").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let good = dir.appendingPathComponent("a.png")
        try Data(try records()[0].bytes).write(to: good)
        let list = [good.path, dir.appendingPathComponent("missing.png").path, dir.path, fifo].joined(separator: "\n")
        let r = try CLI.run(["hog", "--stream", "--files-from", "-"], stdin: Data(list.utf8), timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("4 record(s), 4 row(s), 3 error row(s)"), r.stderr)
        for needle in ["missing.png: No such file", "is not a regular file"] {
            XCTAssertNotNil(r.stdoutData.range(of: Data(needle.utf8)), needle)
        }
    }

    /// Broken framing ends the run with exit status 1 after the rows before it, in a complete
    /// stream; an oversized record is an error row.
    func testBrokenFramingIsExitStatusOne() throws {
        let recs = Array(try records().prefix(2))
        let whole = Self.framed(recs)
        let cases: [(Data, String)] = [
            (Data("NOTMAGIC".utf8) + whole.dropFirst(8), "record magic"),
            (whole.dropLast(10), "cut off"),
            (whole + Data([0xFF, 0xFF, 0xFF, 0x7F]), "path of 2147483647 bytes"),
        ]
        for (input, message) in cases {
            let r = try CLI.run(["hog", "--records"], stdin: input)
            XCTAssertEqual(r.status, 1, message)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertEqual(Array(r.stdoutData.suffix(8)), [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], message)
        }
        // Records claiming 2^63 bytes (over the 1 GiB limit: skipped) and 2^30 (at the limit:
        // read) whose bytes never come: the input ends cut off, after the rows before them.
        for claim in [UInt64(1) << 63, UInt64(1) << 30] {
            var huge = whole
            huge.append(contentsOf: [4, 0, 0, 0] + Array("x.png".utf8.prefix(4)))
            withUnsafeBytes(of: claim.littleEndian) { huge.append(contentsOf: $0) }
            let r = try CLI.run(["hog", "--records"], stdin: huge)
            XCTAssertEqual(r.status, 1, "\(claim)")
            XCTAssertTrue(r.stderr.contains("record 2 (x.pn) is cut off"), r.stderr)
            XCTAssertEqual(Array(r.stdoutData.suffix(8)), [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], "a closed stream")
        }
    }

    /// Malformed lists and option values: a list entry over 64 KiB ends the run (exit 1, one
    /// line); a path with a NUL byte is an error row; blank lines are no records; option values
    /// out of range are usage errors (64) whichever input mode they come with.
    func testMalformedListsAndOptionValues() throws {
        let long = try CLI.run(["hog", "--stream", "--files-from", "-"], stdin: Data(repeating: UInt8(ascii: "a"), count: 70_000))
        XCTAssertEqual(long.status, 1, long.stderr)
        XCTAssertTrue(long.stderr.contains("an entry is longer than 65536 bytes"), long.stderr)
        XCTAssertEqual(long.stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }.count, 1, long.stderr)

        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("a.png")
        try Data(try records()[0].bytes).write(to: good)
        let withNul = Data("a\u{0}b.png\n\n\n".utf8) + Data((good.path + "\n").utf8)
        let nul = try CLI.run(["hog", "--stream", "--files-from", "-"], stdin: withNul)
        XCTAssertEqual(nul.status, 0, nul.stderr)
        XCTAssertTrue(nul.stderr.contains("2 record(s), 2 row(s), 1 error row(s)"), nul.stderr)

        let usage: [[String]] = [
            ["--records", "--null"], ["--records", "--image-size=-5x5"], ["--records", "--image-size", "24x"],
            ["--records", "--batch-records", "0"], ["--records", "--batch-records", "99999999999999999999"],
            ["--stream", "--files-from", "-", "--batch-records=-3"],
        ]
        for args in usage {
            let r = try CLI.run(["hog"] + args, stdin: Data())
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args)")
        }
    }

    /// Empty input: a valid empty stream.
    func testEmptyInputIsAnEmptyStream() throws {
        let r = try CLI.run(["hog", "--records", "--image-size", "24x24"], stdin: Data())
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(Array(r.stdoutData), try ArrowIPC.stream(schema: ArrowSchema([
            ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
            ArrowField("features", .float32List(size: 81)), ArrowField("error", .utf8)]), batches: []))
    }

    func testRefusals() throws {
        let img = CLI.fixtures.appendingPathComponent("images/camera.png").path
        let usage: [[String]] = [
            ["hog", img, "--null"],
            ["hog", img, "--records"],
            ["hog", "--records", "--files-from", "-"],
            ["hog", img, "--stream", "-o", "/tmp/x.csv"],
            ["hog", img, "--stream", "--visualize", "/tmp/x.png"],
            ["hog", img, "--stream", "--batch-records", "0"],
            ["hog", img, "--stream", "--batch-records", "1000000000"],
            ["hog", img, "--stream", "--image-size", "0x5"],
            ["hog", img, "--stream", "--image-size", "nan"],
            ["hog", img, "--image-size", "24x24"],
            ["hog", img, "--labels-root", "/"],
            ["hog"],
            ["hog", img, "-o", "/tmp/x.parquet"],
        ]
        for args in usage {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args)")
        }
        // A --files-from that cannot be opened: exit 1 naming it.
        let r = try CLI.run(["hog", "--stream", "--files-from", "/no/such/list"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("/no/such/list"), r.stderr)
    }

    /// A --files-from list that is a folder, a device, or a FIFO nobody writes: exit 1 with one
    /// line naming it, never a hang; a FIFO with a writer is read like a file.
    func testFilesFromListThatIsNotAFile() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["--files-from", dir.path], "is a folder, not a list of paths"),
            (["--files-from", "/dev/zero", "--null"], "is a device or socket"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(["hog", "--stream"] + args, timeout: 60)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertTrue(r.stdout.isEmpty)
        }
        let fifo = dir.appendingPathComponent("list").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        let r = try CLI.run(["hog", "--stream", "--files-from", fifo], timeout: 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("no writer opened this FIFO"), r.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)

        // With a writer: the same stream as the paths given as a list on standard input.
        let image = dir.appendingPathComponent("a.png")
        try Data(try records()[0].bytes).write(to: image)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            let line = Array((image.path + "\n").utf8)
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let viaFifo = try CLI.run(["hog", "--stream", "--files-from", fifo], timeout: 60)
        let viaStdin = try CLI.run(["hog", "--stream", "--files-from", "-"], stdin: Data((image.path + "\n").utf8))
        XCTAssertEqual(viaFifo.status, 0, viaFifo.stderr)
        XCTAssertEqual(viaFifo.stdoutData, viaStdin.stdoutData)
        XCTAssertTrue(viaFifo.stderr.contains("1 record(s), 1 row(s), 0 error row(s)"), viaFifo.stderr)
    }

    /// Sizes and counts that would make huge rows or batches: refused with one line, before
    /// anything is allocated for them.
    func testHugeSizesAndCountsAreRefused() throws {
        let recs = Array(try records().prefix(2))
        let usage: [[String]] = [
            ["--batch-records=-1"], ["--batch-records", "1e9"], ["--image-size", "0x0"],
            ["--image-size", "100000x100000"], ["--image-size", "99999999999999999999x1"],
        ]
        for args in usage {
            let r = try CLI.run(["hog", "--records"] + args, stdin: Self.framed(recs))
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args)")
        }
        // Within ImageLimits, but every row would be 339 million floats (1.4 GB), null or not.
        let r = try CLI.run(["hog", "--records", "--image-size", "16384x16384"], stdin: Self.framed(recs))
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("'--image-size': gives descriptors of"), r.stderr)
        // A record claiming a path of 10^9 bytes ends the input after the rows before it.
        var claim = Self.framed(recs)
        withUnsafeBytes(of: UInt32(1_000_000_000).littleEndian) { claim.append(contentsOf: $0) }
        let p = try CLI.run(["hog", "--records"], stdin: claim)
        XCTAssertEqual(p.status, 1)
        XCTAssertTrue(p.stderr.contains("record 2 has a path of 1000000000 bytes"), p.stderr)
        XCTAssertGreaterThan(p.stdoutData.count, 0)   // the two rows before it, in a closed stream
    }

    /// `-o table.arrow`: the file form of the table, never over an input.
    func testArrowTableFile() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recs = try records().filter { $0.path.hasSuffix("img0.png") || $0.path.hasSuffix("img1.png") }
        var paths: [String] = []
        for (i, r) in recs.enumerated() {
            let p = dir.appendingPathComponent("\(i).png").path
            try Data(r.bytes).write(to: URL(fileURLWithPath: p))
            paths.append(p)
        }
        let out = dir.appendingPathComponent("t.arrow").path
        XCTAssertEqual(try CLI.run(["hog"] + paths + ["-o", out]).status, 0)
        let engine = try HOG(.scikitImage)
        let values = try recs.flatMap { try engine.descriptor(try ImageIO.decode($0.bytes, source: "").image.asUInt8).values }
        let expected = try ArrowIPC.file(schema: ArrowSchema([
            ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
            ArrowField("features", .float32List(size: 81), nullable: false)]),
            batches: [ArrowRecordBatch(rowCount: 2, columns: [.utf8(paths), .utf8([nil, nil]), .float32List(values: values, valid: [true, true])])])
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: out))), expected)
        XCTAssertEqual(try CLI.run(["hog", paths[0], "-o", out, "--labels", out]).status, 64)
    }
}
