import XCTest
@testable import CVLearn

final class TableTests: XCTestCase {
    func tmp(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cvlearn-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    func testCSVHogLayoutRoundTrip() throws {
        let csv = "path,label,f0,f1,f2\n\"a,b.png\",shirt,0.5,1e-3,-2\nc.png,\"say \"\"hi\"\"\",0,0,3.25\r\n\n"
        let t = try CSVTable.parse(Array(csv.utf8))
        XCTAssertEqual(t.paths!, ["a,b.png", "c.png"])
        XCTAssertEqual(t.labels!, ["shirt", "say \"hi\""])
        XCTAssertEqual(t.featureNames, ["f0", "f1", "f2"])
        XCTAssertEqual(t.features.asDouble.storage, [0.5, 1e-3, -2, 0, 0, 3.25])
        let back = try CSVTable.parse(CSVTable.encode(t))
        XCTAssertEqual(back, t)
    }

    func testCSVErrorsNameLineAndColumn() {
        XCTAssertThrowsError(try CSVTable.parse(Array("label,f0,f1\na,1,x2\n".utf8))) { e in
            XCTAssertEqual("\(e)", "<memory>: cannot read: line 2, column 'f1': 'x2' is not a number")
        }
        XCTAssertThrowsError(try CSVTable.parse(Array("label,f0,f1\na,1\n".utf8))) { e in XCTAssertTrue("\(e)".contains("line 2")) }
        XCTAssertThrowsError(try CSVTable.parse(Array("label,f0\na,1,2\n".utf8)))
        XCTAssertThrowsError(try CSVTable.parse(Array("label,f0\na,\n".utf8)))
        XCTAssertThrowsError(try CSVTable.parse([]))
        XCTAssertThrowsError(try CSVTable.parse(Array("label,f0\n\"a,1\n".utf8)))
    }

    func testLIBSVMReadWrite() throws {
        let text = "1 1:0.5 3:2 # comment\n-1 qid:3 2:1.5\n\n2 4:7\n"
        let t = try LIBSVMTable.parse(Array(text.utf8))
        XCTAssertEqual(t.labels!, ["1", "-1", "2"])
        XCTAssertEqual(t.features.columns, 4)
        XCTAssertEqual(t.features.asDouble.storage, [0.5, 0, 2, 0, 0, 1.5, 0, 0, 0, 0, 0, 7])
        let back = try LIBSVMTable.parse(try LIBSVMTable.encode(t))
        XCTAssertEqual(back.features, t.features)
        XCTAssertThrowsError(try LIBSVMTable.parse(Array("1 0:1\n".utf8))) { XCTAssertTrue("\($0)".contains("1-based")) }
        XCTAssertThrowsError(try LIBSVMTable.parse(Array("1 3:1 2:1\n".utf8)))
        XCTAssertThrowsError(try LIBSVMTable.parse(Array("1 2:abc\n".utf8)))
    }

    func testNPYRoundTripAndErrors() throws {
        let m = try Matrix<Float>(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6.5])
        let p = tmp("m.npy")
        try NPYFile.write(m, to: p)
        XCTAssertEqual(try NPYFile.readMatrix(path: p), .float(m))
        let md = m.converted(to: Double.self)
        XCTAssertEqual(try NPYFile.parseMatrix(NPYFile.encode(md)), .double(md))
        XCTAssertEqual(try NPYFile.parseLabels(NPYFile.encode(int64s: [3, -1, 7])), ["3", "-1", "7"])
        var bytes = NPYFile.encode(md)
        bytes.removeLast(5)
        XCTAssertThrowsError(try NPYFile.parseMatrix(bytes)) { XCTAssertTrue("\($0)".contains("truncated")) }
        XCTAssertThrowsError(try NPYFile.parseMatrix(Array("not an npy file".utf8)))
        // Fortran order is transposed into C order.
        let fortran = NPYFile.encode(shape: [2, 3], descr: "<f8", payload: [1.0, 4, 2, 5, 3, 6].withUnsafeBytes { Array($0) })
        var patched = fortran
        let needle = Array("False".utf8)
        let at = (0..<(patched.count - 5)).first { Array(patched[$0..<($0 + 5)]) == needle }!
        patched.replaceSubrange(at..<(at + 5), with: Array("True ".utf8))
        XCTAssertEqual(try NPYFile.parseMatrix(patched).asDouble.storage, [1, 2, 3, 4, 5, 6])
    }

    func testLabelEncoderOrder() throws {
        XCTAssertEqual(try LabelEncoder(fitting: ["10", "2", "-1", "2"]).classes, ["-1", "2", "10"])
        XCTAssertEqual(try LabelEncoder(fitting: ["dog", "cat", "Bird"]).classes, ["Bird", "cat", "dog"])
        let e = try LabelEncoder(fitting: ["a", "b"])
        XCTAssertEqual(try e.encode(["b", "a"]), [1, 0])
        XCTAssertThrowsError(try e.encode(["c"])) { XCTAssertTrue("\($0)".contains("'c'")) }
    }

    func testMatrixBasics() throws {
        let m = try Matrix<Double>(rowArrays: [[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(Array(m.row(1)), [4, 5, 6])
        XCTAssertEqual(m.transposed().storage, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(m.multiplied(by: m, transposeOther: true).storage, [14, 32, 32, 77])
        XCTAssertEqual(m.multiplied(by: m, transposeSelf: true).storage, [17, 22, 27, 22, 29, 36, 27, 36, 45])
        XCTAssertThrowsError(try Matrix<Double>(rows: 2, columns: 2, values: [1]))
    }
}
