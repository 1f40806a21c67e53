import Foundation
import XCTest

/// `cvtool hog`: exit statuses, labels beside NPY tables, --resize, --visualize.
final class HOGCommandTests: XCTestCase {
    let images = CLI.fixtures.appendingPathComponent("images")

    /// A dataset folder `ds/<class>/<file>` with one undecodable file.
    func makeDataset(_ dir: URL) throws -> URL {
        let ds = dir.appendingPathComponent("ds")
        for (cls, name) in [("cat", "chelsea"), ("dog", "coffee"), ("dog", "camera")] {
            let d = ds.appendingPathComponent(cls)
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: images.appendingPathComponent("\(name).png"), to: d.appendingPathComponent("\(name).png"))
        }
        try Data("not an image".utf8).write(to: ds.appendingPathComponent("dog/broken.png"))
        return ds
    }

    func testSkipsUnreadableAndWritesLabelsBesideNPY() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ds = try makeDataset(dir)
        let out = dir.appendingPathComponent("t.npy").path
        let r = try CLI.run(["hog", ds.path, "--labels-from-dirs", "--resize", "64x128", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.png"), r.stderr)
        XCTAssertTrue(r.stderr.contains("1 input(s) skipped"), r.stderr)
        // 3 rows of 6804 values (64x128, scikit-image defaults); labels as class indices.
        let npy = try Data(contentsOf: URL(fileURLWithPath: out))
        XCTAssertEqual(npy.count, 128 + 3 * 6804 * 4)
        let labels = try Data(contentsOf: dir.appendingPathComponent("t.labels.npy"))
        XCTAssertEqual(labels.count, 128 + 3 * 8)
        let values = labels.suffix(24).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
        XCTAssertEqual(values, [0, 1, 1])  // chelsea (cat), camera, coffee (dog), sorted by path
        let classes = try String(contentsOf: dir.appendingPathComponent("t.classes.txt"), encoding: .utf8)
        XCTAssertEqual(classes, "cat\ndog\n")
    }

    func testStrictFailureIsExitStatusOne() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ds = try makeDataset(dir)
        let out = dir.appendingPathComponent("t.csv").path
        let r = try CLI.run(["hog", ds.path, "--resize", "64x128", "--strict", "-o", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.png"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let missing = try CLI.run(["hog", dir.appendingPathComponent("nope.png").path, "--strict", "-o", out])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        // Usage errors stay 64.
        XCTAssertEqual(try CLI.run(["hog", ds.path, "--cell", "8"]).status, 64)
        XCTAssertEqual(try CLI.run(["hog", ds.path, "--resize", "0x5"]).status, 64)
    }

    func testVisualizationIsMagnifiedForSmallImages() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vis = dir.appendingPathComponent("v.png").path
        let r = try CLI.run(["hog", images.appendingPathComponent("chelsea.png").path, "--resize", "64x64",
                             "--visualize", vis, "--overlay", "-o", dir.appendingPathComponent("t.csv").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let info = try CLI.run(["info", vis, "--json"])
        let obj = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(obj["width"] as? Int, 256)  // 64 px at 4x (images at least 256 across)
        XCTAssertEqual(obj["channels"] as? Int, 3)
    }

    /// IDX images and labels are recognised by content (gzip or not), whatever their names.
    func testIDXInputsAreRecognisedByContent() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let datasets = CLI.fixtures.appendingPathComponent("datasets")
        let images = dir.appendingPathComponent("digits.bin"), labels = dir.appendingPathComponent("digits.dat")
        try FileManager.default.copyItem(at: datasets.appendingPathComponent("digits-images-idx3-ubyte.gz"), to: images)
        try FileManager.default.copyItem(at: datasets.appendingPathComponent("digits-labels-idx1-ubyte.gz"), to: labels)
        let out = dir.appendingPathComponent("d.csv").path
        let r = try CLI.run(["hog", images.path, "--labels", labels.path, "--cell", "4x4", "--block", "2x2", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 1797)
        XCTAssertTrue(lines[1].hasPrefix("\(images.path)#0,0,"), String(lines[1].prefix(80)))
    }
}
