import Foundation
import XCTest

/// `cvtool augment --simclr`: IDX and image-folder runs, reproducibility, and refusals.
final class AugmentSimCLRCommandTests: XCTestCase {
    let digits = CLI.fixtures.appendingPathComponent("datasets/digits-images-idx3-ubyte.gz").path
    let digitLabels = CLI.fixtures.appendingPathComponent("datasets/digits-labels-idx1-ubyte.gz").path
    let photo = CLI.fixtures.appendingPathComponent("images/coffee.png").path

    /// An IDX header's dimensions.
    func idxDims(_ path: String) throws -> [Int] {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return (0..<Int(b[3])).map { k in b[4 + 4 * k..<8 + 4 * k].reduce(0) { $0 << 8 | Int($1) } }
    }

    func testIDXViewsAreSeededWithRepeatedLabels() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var r = try CLI.run(["augment", digits, "--labels", digitLabels, "--simclr", "--views", "3", "--seed", "5", "-o", p("a-images-idx3-ubyte")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try idxDims(p("a-images-idx3-ubyte")), [1797 * 3, 8, 8])
        XCTAssertEqual(try idxDims(p("a-labels-idx1-ubyte")), [1797 * 3])
        r = try CLI.run(["augment", digits, "--simclr", "--views", "3", "--seed", "5", "-o", p("b-images-idx3-ubyte")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["augment", digits, "--simclr", "--views", "3", "--seed", "6", "--size", "12x10", "-o", p("c-images-idx3-ubyte")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try idxDims(p("c-images-idx3-ubyte")), [1797 * 3, 10, 12])
        let a = try Data(contentsOf: URL(fileURLWithPath: p("a-images-idx3-ubyte")))
        XCTAssertEqual(a, try Data(contentsOf: URL(fileURLWithPath: p("b-images-idx3-ubyte"))), "same seed, same views")
        let labels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p("a-labels-idx1-ubyte"))))
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: digitLabels)))
        XCTAssertEqual(labels.count, 8 + 1797 * 3)
        if original.count == 8 + 1797 { XCTAssertEqual(labels[8 + 3 * 10], original[8 + 10]) }
    }

    func testFolderGivesPNGViews() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("views").path
        let r = try CLI.run(["augment", photo, "--simclr", "--views", "4", "--size", "64x48", "--seed", "2", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files, (0..<4).map { "coffee.view\($0).png" })
    }

    /// Bad values: exit 1 with the option named for values the library refuses, 64 for ones
    /// that do not parse or an inverted range; nothing written.
    func testRefusals() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("v-images-idx3-ubyte").path
        let cases: [([String], Int32, String)] = [
            (["--views", "0"], 1, "--views"), (["--views", "1000000000"], 1, "--views"), (["--views", "1e9"], 64, "--views"),
            (["--flip-p", "1.5"], 1, "--flip-p"), (["--jitter-p", "nan"], 1, "--jitter-p"), (["--gray-p=-0.2"], 1, "--gray-p"),
            (["--blur-p", "inf"], 1, "--blur-p"), (["--scale", "0.9,0.1"], 64, "--scale"), (["--scale", "0,1"], 1, "--scale"),
            (["--scale", "nan,1"], 64, "--scale"), (["--ratio", "0,1"], 1, "--ratio"), (["--strength", "nan"], 1, "--strength"),
            (["--strength", "9"], 1, "--strength"), (["--size", "0x4"], 64, "--size"), (["--size", "300000x300000"], 1, "--size"),
            (["--views", "10000", "--size", "512x512"], 1, "--views"), (["--flip"], 64, "--simclr"),
            (["--seed=-1"], 64, "--seed"), (["--seed", "99999999999999999999"], 64, "--seed"),
        ]
        for (args, status, mention) in cases {
            let start = Date()
            let r = try CLI.run(["augment", digits, "--simclr"] + args + ["-o", out])
            XCTAssertEqual(r.status, status, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.split(separator: "\n").first?.contains(mention) ?? false, "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(args) wrote an output")
            XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        }
    }

    /// The input folder as the output folder: refused before anything is written.
    func testNeverOverwritesInputs() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("x.view0.png").path
        try FileManager.default.copyItem(atPath: photo, toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        // The view of `x.view0.png` is `x.view0.view0.png`; an input named like an output is refused.
        let other = dir.appendingPathComponent("x.png").path
        try FileManager.default.copyItem(atPath: photo, toPath: other)
        let r = try CLI.run(["augment", other, input, "--simclr", "--views", "1", "--size", "16x16", "-o", dir.path])
        XCTAssertNotEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), before)
        let idx = dir.appendingPathComponent("d-images-idx3-ubyte").path
        try FileManager.default.copyItem(atPath: digits, toPath: idx + ".gz")
        let s = try CLI.run(["augment", idx + ".gz", "--simclr", "-o", idx + ".gz"])
        XCTAssertEqual(s.status, 64, s.stderr)
    }
}
