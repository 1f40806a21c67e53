import CVCore
import CVFormats
import XCTest

final class NPYTests: XCTestCase {
    /// A `.npy` with a hand-written header (any version, byte order and memory order).
    func file(_ dict: String, version: UInt8 = 1, payload: [UInt8]) -> [UInt8] {
        var header = Array(dict.utf8) + [0x0A]
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.count) % 64 != 0 { header.insert(0x20, at: header.count - 1) }
        let n = header.count
        let length: [UInt8] = version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), 0, 0]
        return NPY.magic + [version, 0] + length + header + payload
    }

    func testRoundTripKeepsNumPyLayout() throws {
        let a = NPYArray(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6.5])
        let bytes = NPY.encode(a)
        XCTAssertEqual(bytes.count % 64, 24 % 64)  // header padded to 64, then 24 data bytes
        XCTAssertEqual(Array(bytes[6..<8]), [1, 0])
        XCTAssertTrue(String(decoding: bytes[10..<74], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        XCTAssertEqual(try NPY.decode(bytes), a)
        XCTAssertEqual(try NPY.decode(NPY.encode(NPYArray(shape: [3], int64s: [3, -1, 7]))).toDoubles(), [3, -1, 7])
    }

    func testVersionsByteOrderAndFortranOrder() throws {
        let be: [UInt8] = [0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0]  // 1.0, 2.0 big-endian
        for v: UInt8 in [1, 2, 3] {
            let a = try NPY.decode(file("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", version: v, payload: be))
            XCTAssertEqual(a.toDoubles(), [1, 2], "version \(v)")
        }
        let f = [1.0, 4, 2, 5, 3, 6].withUnsafeBytes { Array($0) }
        let fortran = try NPY.decode(file("{'descr': '<f8', 'fortran_order': True, 'shape': (2L, 3L), }", payload: f))
        XCTAssertEqual(fortran.shape, [2, 3])
        XCTAssertEqual(fortran.toDoubles(), [1, 2, 3, 4, 5, 6])
    }

    func testErrorsNameTheProblem() {
        let good = NPY.encode(NPYArray(shape: [4], doubles: [1, 2, 3, 4]))
        XCTAssertThrowsError(try NPY.decode(Array(good.dropLast(3)), source: "x.npy")) { e in
            guard case let .decoding(source, reason)? = e as? CVError else { return XCTFail("\(e)") }
            XCTAssertEqual(source, "x.npy")
            XCTAssertTrue(reason.contains("truncated"), reason)
        }
        XCTAssertThrowsError(try NPY.decode(good + [0])) { XCTAssertTrue("\($0)".contains("needs 32 data bytes, file has 33")) }
        XCTAssertThrowsError(try NPY.decode(Array("not an npy file".utf8))) { XCTAssertTrue("\($0)".contains("bad magic")) }
        XCTAssertThrowsError(try NPY.decode(file("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0]))) { e in
            guard case .unsupported? = e as? CVError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try NPY.decode(file("{'descr': '|u1', 'fortran_order': False, 'shape': (65536, 65536), }", payload: []))) { e in
            XCTAssertTrue("\(e)".contains("too large"), "\(e)")
        }
    }
    /// Header text quoted in an error is escaped and shortened: the message stays one line.
    func testErrorsQuoteTheHeaderOnOneLine() {
        let headers = ["{'descr': '<f4', 'fortran_order': False, 'shape': (5, 7,, }\n   0   \n)",
                       "{'descr': '<f4\n\t', 'fortran_order': False, 'shape': (2,), }",
                       "{'descr': '<f4', 'fortran_order': Fal\rse, 'shape': (2,), }",
                       "{'descr': '<f4', 'fortran_order': False, 'shape': (" + String(repeating: "9,\n", count: 200) + "), }"]
        for dict in headers {
            XCTAssertThrowsError(try NPY.decode(file(dict, payload: [UInt8](repeating: 0, count: 8)))) { e in
                let text = "\(e)"
                XCTAssertFalse(text.contains("\n") || text.contains("\r"), text)
                XCTAssertLessThan(text.count, 200, text)
            }
        }
    }
}
