import CVCore
import CVFormats
import CVTestSupport
import Foundation
import XCTest

final class IDXTests: XCTestCase {
    func testEncodeDecodeRoundTrip() throws {
        let bytes = IDX.encode(dims: [2, 2, 3], uint8s: Array(0..<12))
        XCTAssertEqual(Array(bytes.prefix(8)), [0, 0, 8, 3, 0, 0, 0, 2])
        let a = try IDX.decode(bytes)
        XCTAssertEqual(a.dims, [2, 2, 3])
        XCTAssertEqual(a.data, Array(0..<12))
    }

    /// The sniffer judges by content, through gzip, never by name.
    func testSnifferLooksAtContentOnly() throws {
        for name in ["idx/images-idx3-ubyte", "idx/images-idx3-ubyte.gz", "idx/labels-idx1-ubyte.gz", "datasets/digits-images-idx3-ubyte.gz"] {
            XCTAssertTrue(IDX.isIDX(path: FixturePaths.path(name)), name)
        }
        XCTAssertFalse(IDX.isIDX(path: FixturePaths.path("images/camera.png")))
        XCTAssertFalse(IDX.isIDX(path: FixturePaths.path("no/such-idx3-ubyte")))
        XCTAssertFalse(IDX.isIDX(path: FixturePaths.path("idx")))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cvformats-idx-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A gzip stream (one stored deflate block) of text: a `.gz` IDX-like name does not make it IDX.
        let text = Array("3\n1\n4\n".utf8)
        let n = UInt16(text.count)
        let gz: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)]
            + text + [0, 0, 0, 0, UInt8(n & 0xFF), 0, 0, 0]
        let fake = dir.appendingPathComponent("train-labels-idx1-ubyte.gz")
        try Data(gz).write(to: fake)
        XCTAssertFalse(IDX.isIDX(path: fake.path))
        // The same wrapping around IDX bytes is IDX, whatever the name.
        let idx = IDX.encode(dims: [3], uint8s: [3, 1, 4])
        let m = UInt16(idx.count)
        let real: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, UInt8(m & 0xFF), UInt8(m >> 8), UInt8(~m & 0xFF), UInt8(~m >> 8)]
            + idx + [0, 0, 0, 0, UInt8(m & 0xFF), 0, 0, 0]
        let renamed = dir.appendingPathComponent("labels.txt")
        try Data(real).write(to: renamed)
        XCTAssertTrue(IDX.isIDX(path: renamed.path))
    }
}
