import CVCore
import CVFormats
import CVTestSupport
import Foundation
import XCTest

final class TableTextTests: XCTestCase {
    func testCSVQuotingAndNumbers() {
        XCTAssertEqual(TableText.csvField("a.png"), "a.png")
        XCTAssertEqual(TableText.csvField("a,b"), "\"a,b\"")
        XCTAssertEqual(TableText.csvField("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(TableText.csvField(" lead"), "\" lead\"")
        let values: [Float] = [0.1, 0, -2.5, 1e-5]
        let csv = values.withUnsafeBufferPointer {
            TableText.csv(header: ["path", "label", "f0", "f1"], values: $0, rows: 2, columns: 2) { ["p\($0).png", $0 == 0 ? "x,y" : ""] }
        }
        XCTAssertEqual(String(decoding: csv, as: UTF8.self), "path,label,f0,f1\np0.png,\"x,y\",0.1,0.0\np1.png,,-2.5,1e-05\n")
        let bare = [1.5, 2].withUnsafeBufferPointer { TableText.csv(header: ["a"], values: $0, rows: 2, columns: 1) { _ in [] } }
        XCTAssertEqual(String(decoding: bare, as: UTF8.self), "a\n1.5\n2.0\n")
        let empty = [Double]().withUnsafeBufferPointer { TableText.csv(header: ["a"], values: $0, rows: 0, columns: 1) { _ in [] } }
        XCTAssertEqual(String(decoding: empty, as: UTF8.self), "a\n")
    }

    func testLIBSVMOmitsZerosAndCountsFromOne() {
        let values: [Double] = [0.5, 0, 2, 0, 0, 0]
        let text = values.withUnsafeBufferPointer { TableText.libsvm(labels: ["1", "-1"], values: $0, columns: 3) }
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "1 1:0.5 3:2.0\n-1\n")
    }

    /// 60 short rows, one naming feature 10,000,000: 4.8 GB as a dense matrix. Refused before
    /// allocating, naming the budget and how to raise it (it used to abort).
    func testLIBSVMPastTheMemoryBudgetIsRefused() throws {
        let bytes = Array(try Data(contentsOf: FixturePaths.url("bad/libsvm_index_1e7.libsvm")))
        XCTAssertThrowsError(try TableText.parseLIBSVM(bytes)) { error in
            guard case let CVError.limitExceeded(_, reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("60x10000000"), reason)
            XCTAssertTrue(reason.contains("CLASSICCV_TABLE_MB"), reason)
        }
        XCTAssertEqual(TableText.denseTableMegabytes, 1024)
        // Under the budget the same rows read, the far feature in its column.
        let small = try TableText.parseLIBSVM(Array("1 1:2 7:3\n0 2:1\n".utf8))
        XCTAssertEqual(small.columns, 7)
        XCTAssertEqual(small.values, [2, 0, 0, 0, 0, 0, 3, 0, 1, 0, 0, 0, 0, 0])
    }

    /// A 12-byte line naming feature 2,000,000 would be a 16 MB dense row (the fuzzer found
    /// 20-byte files costing 56 MB each): past 1024 cells per byte of text it is refused unless
    /// the caller gives the width; real sparse tables read as before.
    func testLIBSVMWiderThanItsTextIsRefusedUnlessTheWidthIsGiven() throws {
        let wide = Array("1 2000000:1\n".utf8)
        XCTAssertThrowsError(try TableText.parseLIBSVM(wide)) { error in
            guard case let CVError.limitExceeded(_, reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("1x2000000 dense matrix from 12 bytes"), reason)
        }
        let declared = try TableText.parseLIBSVM(wide, featureCount: 2_000_000)
        XCTAssertEqual(declared.values.count, 2_000_000)
        XCTAssertEqual(declared.values.last, 1)
        // One value per line at index 5,000: about 400 cells a byte, under the rule.
        let sparse = Array(String(repeating: "1 5000:1\n", count: 300).utf8)
        XCTAssertEqual(try TableText.parseLIBSVM(sparse).columns, 5000)
    }

    /// A field holding a vertical tab and a carriage return used to break the error message
    /// over several lines; it is quoted with the control characters escaped.
    func testMalformedFieldsStayOnOneLine() throws {
        let bytes = Array(try Data(contentsOf: FixturePaths.url("bad/csv_control_chars.csv")))
        XCTAssertThrowsError(try TableText.parseCSV(bytes)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("line 3, column 'f0': '3.4760M\\u{b}"), message)
            XCTAssertFalse(message.contains(where: { $0.isNewline || $0 == "\u{b}" }), message)
        }
        XCTAssertThrowsError(try TableText.parseLIBSVM(Array("1 1:2\u{c}x\n".utf8))) { error in
            XCTAssertTrue("\(error)".contains("'2\\u{c}x' is not a number"), "\(error)")
        }
        XCTAssertEqual(TableText.quotedForMessage(String(repeating: "7", count: 50)), "'" + String(repeating: "7", count: 40) + "…'")
    }
}
