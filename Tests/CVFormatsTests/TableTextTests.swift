import CVFormats
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
}
