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
        // Text in a gzip stream: a `.gz` IDX-like name does not make it IDX.
        let fake = dir.appendingPathComponent("train-labels-idx1-ubyte.gz")
        try Data(gzipStored(Array("3\n1\n4\n".utf8))).write(to: fake)
        XCTAssertFalse(IDX.isIDX(path: fake.path))
        // IDX bytes in the same wrapping are IDX, whatever the name.
        let renamed = dir.appendingPathComponent("labels.txt")
        try Data(gzipStored(IDX.encode(dims: [3], uint8s: [3, 1, 4]))).write(to: renamed)
        XCTAssertTrue(IDX.isIDX(path: renamed.path))
    }

    /// A gzip stream holding `payload` in one stored (uncompressed) deflate block; the CRC is
    /// left zero, which the sniffer never reaches.
    func gzipStored(_ payload: [UInt8]) -> [UInt8] {
        let n = UInt16(payload.count)
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)]
            + payload + [0, 0, 0, 0, UInt8(n & 0xFF), UInt8(n >> 8), 0, 0]
    }
    /// Dimensions are checked before any data is used: a zero extent anywhere, a product that
    /// overflows, and a product that the data present does not cover are all refused.
    func testDimensionsAreValidated() throws {
        func header(_ dims: [UInt32], type: UInt8 = 8) -> [UInt8] {
            [0, 0, type, UInt8(dims.count)] + dims.flatMap { d in [UInt8(d >> 24), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        }
        let cases: [(String, [UInt8], String)] = [
            ("zero image size", header([0x7FFF_FFFF, 0, 0]), "zero"),
            ("zero count", header([0, 28, 28]), "zero"),
            ("zero labels", header([0]), "zero"),
            ("overflow", header([0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]) + [1, 2, 3], "exceed"),
            ("short data", header([2, 3, 3]) + [UInt8](repeating: 1, count: 17), "need 18"),
            ("short float data", header([2, 2], type: 0x0D) + [UInt8](repeating: 1, count: 12), "need 16"),
            ("long data", header([2]) + [1, 2, 3], "need 2"),
        ]
        for (name, bytes, message) in cases {
            XCTAssertThrowsError(try IDX.decode(bytes, source: "t.idx"), name) { error in
                guard let e = error as? CVError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(e.description.contains(message), "\(name): \(e)")
            }
        }
        XCTAssertEqual(try IDX.decode(header([2, 2], type: 0x0D) + [UInt8](repeating: 1, count: 16)).dims, [2, 2])
    }
}
