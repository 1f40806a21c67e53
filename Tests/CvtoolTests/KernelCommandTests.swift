import CVFormats
import Foundation
import XCTest

/// `filter`, `log`, `dog`, `enhance`, `dehaze` and `feather`: hostile values end in one clear
/// line naming the option (exit 1 from the library, 64 from parsing), nothing is written, and
/// the outputs that belong together appear together.
final class KernelCommandTests: XCTestCase {
    let gray = CLI.fixtures.appendingPathComponent("formats/png/gray8.png").path
    let rgb = CLI.fixtures.appendingPathComponent("formats/png/rgb8.png").path

    /// Each row: command, its arguments after the input, expected status, what the error names.
    let refusals: [(String, [String], Int32, String)] = [
        ("filter", ["--kernel", "1,nan;1,1"], 1, "--kernel"),
        ("filter", ["--kernel", "1,2;3"], 1, "--kernel"),
        ("filter", ["--kernel", ";"], 1, "--kernel"),
        ("filter", ["--kernel", "1,x"], 64, "--kernel"),
        ("filter", ["--kernel", "1,2,1", "--anchor", "3,0"], 1, "--anchor"),
        ("filter", ["--kernel", "1,2,1", "--anchor", "-1,0"], 1, "--anchor"),
        ("filter", ["--kernel", "1,2,1", "--anchor", "one"], 64, "--anchor"),
        ("filter", ["--kernel", "1", "--delta", "nan"], 1, "--delta"),
        ("filter", ["--kernel", "1", "--delta", "1e300"], 1, "--delta"),
        ("filter", ["--kernel", "1", "--depth", "u16"], 1, "--depth"),
        ("filter", ["--kernel", "1", "--depth", "s32"], 64, "--depth"),
        ("filter", ["--kernel", "1", "--depth", "s16"], 64, "--depth s16"),
        ("filter", ["--kernel", "1", "--border", "sideways"], 64, "--border"),
        ("filter", [], 64, "--kernel"),
        ("filter", ["--separable", "1,2,1"], 64, "--separable"),
        ("filter", ["--separable", "1,inf;1"], 1, "--separable"),
        ("log", ["--sigma", "0"], 1, "--sigma"),
        ("log", ["--sigma", "nan"], 1, "--sigma"),
        ("log", ["--sigma", "1e9"], 1, "--sigma"),
        ("log", ["--truncate", "-1"], 1, "--truncate"),
        ("dog", ["--low", "-2"], 1, "--low"),
        ("dog", ["--low", "2", "--high", "1"], 1, "--high"),
        ("dog", ["--low", "1", "--high", "inf"], 1, "--high"),
        ("enhance", ["--amount", "nan"], 1, "--amount"),
        ("enhance", ["--amount", "-1"], 1, "--amount"),
        ("enhance", ["--radius", "0"], 1, "--radius"),
        ("enhance", ["--eps", "0"], 1, "--eps"),
        ("dehaze", ["--patch", "14"], 1, "--patch"),
        ("dehaze", ["--patch", "1000000000"], 1, "--patch"),
        ("dehaze", ["--omega", "0"], 1, "--omega"),
        ("dehaze", ["--t0", "nan"], 1, "--t0"),
        ("dehaze", ["--radius", "-5"], 1, "--radius"),
        ("feather", ["--mask", "/nonexistent/mask.png"], 1, "mask.png"),
        ("feather", [], 64, "--mask"),
    ]

    func testHostileValuesAreRefused() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.png").path
        for (command, args, status, mention) in refusals {
            let label = "cvtool \(command) \(args.joined(separator: " "))"
            let start = Date()
            let r = try CLI.run([command, gray] + args + ["-o", out])
            XCTAssertEqual(r.status, status, "\(label): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertTrue(lines.first?.contains(mention) ?? false, "\(label) should name \(mention): \(r.stderr)")
            if status == 1 { XCTAssertEqual(lines.count, 1, "\(label): \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(label) wrote an output")
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, label)
        }
    }

    /// A mask of another size names --mask; the mask and the input are never overwritten.
    func testFeatherChecksTheMask() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = CLI.fixtures.appendingPathComponent("images/camera.png").path  // 512×512, not 37×23
        let r = try CLI.run(["feather", rgb, "--mask", other, "-o", dir.appendingPathComponent("a.png").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--mask"), r.stderr)
        let fine = try CLI.run(["feather", rgb, "--mask", gray, "--radius", "4", "-o", dir.appendingPathComponent("b.png").path])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        let same = try CLI.run(["feather", gray, "--mask", gray, "-o", gray])
        XCTAssertEqual(same.status, 64, same.stderr)
    }

    /// --transmission and the image are written together; naming an input or each other is refused.
    func testDehazeWritesBothOutputsOrNone() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("clear.png").path, t = dir.appendingPathComponent("t.png").path
        let ok = try CLI.run(["dehaze", rgb, "--radius", "4", "-o", out, "--transmission", t])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out) && FileManager.default.fileExists(atPath: t))
        for bad in [[rgb], [out]] {
            let fresh = dir.appendingPathComponent("fresh.png").path
            let r = try CLI.run(["dehaze", rgb, "-o", fresh, "--transmission", bad[0] == out ? fresh : bad[0]])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
        }
        let failed = try CLI.run(["dehaze", rgb, "--omega", "2", "-o", dir.appendingPathComponent("x.png").path,
                                  "--transmission", dir.appendingPathComponent("y.png").path])
        XCTAssertEqual(failed.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("y.png").path))
    }

    /// `filter --depth s16 -o OUT.npy` writes OpenCV's CV_16S result as int16.
    func testFilterWritesInt16() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("d.npy").path
        let r = try CLI.run(["filter", gray, "--kernel", "-30000,0,30000", "--depth", "s16", "--border", "replicate", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let array = try NPY.read(path: out)
        XCTAssertEqual(array.dtype, .int16)
        let values = array.toDoubles()
        XCTAssertTrue(values.contains(32767) || values.contains(-32768), "any step times 30000 saturates")
    }

    /// `filter --depth f32 -o OUT.npy` writes the raw Float32 correlation.
    func testFilterWritesRawFloat() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("d.npy").path
        let r = try CLI.run(["filter", gray, "--kernel", "-1,0,1", "--depth", "f32", "--border", "replicate", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let array = try NPY.read(path: out)
        XCTAssertEqual(array.dtype, .float32)
        let input = try NPY.read(path: CLI.fixtures.appendingPathComponent("formats/png/gray8.npy").path)
        let src = input.toDoubles(), got = array.toDoubles(), w = input.shape[1]
        for (i, v) in got.enumerated() {
            let x = i % w, row = i - x
            let left = src[row + max(x - 1, 0)], right = src[row + min(x + 1, w - 1)]
            XCTAssertEqual(v, right - left, "sample \(i)")
        }
    }
}
