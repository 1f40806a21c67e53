import ClassicCV
import Foundation
import XCTest

/// HOG rows of some photos as an Arrow IPC file: pyarrow, pandas and Spark read it.
func writeArrowTable(photos: [String], arrow: String) throws -> Int {
    let hog = try HOG(.scikitImage)
    var values: [Float] = []
    for photo in photos {
        let gray = try ImageIO.read(path: photo).image.asUInt8.grayscale()
        values += try hog.descriptor(try gray.resized(to: .size(width: 64, height: 64))).values
    }
    let d = values.count / photos.count
    let schema = ArrowSchema([ArrowField("path", .utf8, nullable: false),
                              ArrowField("features", .float32List(size: d))])
    let rows = ArrowRecordBatch(rowCount: photos.count, columns: [
        .utf8(photos), .float32List(values: values, valid: Array(repeating: true, count: photos.count))])
    try FileIO.writeAtomically(try ArrowIPC.file(schema: schema, batches: [rows]), to: arrow)
    return d                                                      // pyarrow.ipc.open_file(arrow)
}

/// The README's Arrow example, run on two fixture photos.
final class ArrowExampleTests: XCTestCase {
    func testArrowExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let photos = ["camera.png", "coffee.jpg"].map { root.appendingPathComponent("Fixtures/images/\($0)").path }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("readme-arrow-\(UUID().uuidString).arrow").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let d = try writeArrowTable(photos: photos, arrow: out)
        XCTAssertEqual(d, 2916)   // 64x64: 8x8 cells of 8x8 pixels, 6x6 blocks of 3x3 cells x 9 bins
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        XCTAssertEqual(Array(bytes.prefix(6)), Array("ARROW1".utf8))
        XCTAssertEqual(Array(bytes.suffix(6)), Array("ARROW1".utf8))
    }
}
