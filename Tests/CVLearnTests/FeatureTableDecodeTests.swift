import CVLearn
import CVTestSupport
import XCTest

/// The in-memory table reader the fuzz targets drive: the same table as reading the file, and
/// errors named after the given source.
final class FeatureTableDecodeTests: XCTestCase {
    func testDecodeMatchesReadingTheFile() throws {
        let path = FixturePaths.path("learn/blobs.csv")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(try FeatureTable.decode(bytes, format: .csv), try FeatureTable.read(path: path))
    }

    func testDecodeErrorsNameTheSource() {
        XCTAssertThrowsError(try FeatureTable.decode(Array("1 2:x\n".utf8), format: .libsvm, source: "rows.svm")) { e in
            XCTAssertTrue("\(e)".hasPrefix("rows.svm: "), "\(e)")
        }
        XCTAssertThrowsError(try FeatureTable.decode([0x93, 0x4E], format: .npy)) { e in
            XCTAssertTrue("\(e)".hasPrefix("<memory>: "), "\(e)")
        }
    }
}
