import CVCore
import CVFormats
import CVTestSupport
import Foundation
import XCTest

/// The Arrow IPC writer against files pyarrow wrote (`Tools/fixtures_arrow.py`): the same rows
/// must give the same bytes, in the stream form and in the file form. No normalisation: pyarrow
/// embeds nothing variable (no timestamps, no writer name).
final class ArrowIPCTests: XCTestCase {
    struct Row: Decodable {
        var path: String
        var label: String?
        var features: [Double]?
        var error: String?
    }

    struct Case: Decodable {
        var d: Int
        var batches: [[Row]]
    }

    struct Cases: Decodable {
        var pyarrow: String
        var cases: [String: Case]
    }

    static func hogSchema(_ d: Int) -> ArrowSchema {
        ArrowSchema([ArrowField("path", .utf8, nullable: false), ArrowField("label", .utf8),
                     ArrowField("features", .float32List(size: d)), ArrowField("error", .utf8)])
    }

    static func batch(_ rows: [Row], d: Int) -> ArrowRecordBatch {
        var values: [Float] = []
        for r in rows { values += r.features.map { $0.map(Float.init) } ?? [Float](repeating: 0, count: d) }
        return ArrowRecordBatch(rowCount: rows.count, columns: [
            .utf8(rows.map(\.path)), .utf8(rows.map(\.label)),
            .float32List(values: values, valid: rows.map { $0.features != nil }), .utf8(rows.map(\.error)),
        ])
    }

    func loadCases() throws -> Cases {
        try JSONDecoder().decode(Cases.self, from: Data(contentsOf: FixturePaths.url("arrow/cases.json")))
    }

    func testStreamBytesEqualPyarrow() throws {
        let all = try loadCases()
        XCTAssertEqual(all.cases.count, 4)   // mixed, single, schema_only, long_rows
        for (name, c) in all.cases.sorted(by: { $0.key < $1.key }) {
            let ours = try ArrowIPC.stream(schema: Self.hogSchema(c.d), batches: c.batches.map { Self.batch($0, d: c.d) })
            let theirs = Array(try Data(contentsOf: FixturePaths.url("arrow/\(name).arrows")))
            assertBytesEqual(ours, theirs, "\(name).arrows (pyarrow \(all.pyarrow))")
        }
    }

    func testFileBytesEqualPyarrow() throws {
        let all = try loadCases()
        for (name, c) in all.cases.sorted(by: { $0.key < $1.key }) {
            let ours = try ArrowIPC.file(schema: Self.hogSchema(c.d), batches: c.batches.map { Self.batch($0, d: c.d) })
            let theirs = Array(try Data(contentsOf: FixturePaths.url("arrow/\(name).arrow")))
            assertBytesEqual(ours, theirs, "\(name).arrow (pyarrow \(all.pyarrow))")
        }
    }

    /// The streaming writer hands out the same bytes as the one-shot stream, in pieces.
    func testStreamWriterMatchesOneShot() throws {
        let c = try XCTUnwrap(try loadCases().cases["mixed"])
        var pieces: [[UInt8]] = []
        var w = try ArrowStreamWriter(schema: Self.hogSchema(c.d)) { pieces.append($0) }
        for rows in c.batches { try w.write(Self.batch(rows, d: c.d)) }
        try w.finish()
        try w.finish()   // idempotent
        XCTAssertEqual(pieces.count, c.batches.count + 2)
        XCTAssertEqual(pieces.flatMap { $0 }, try ArrowIPC.stream(schema: Self.hogSchema(c.d), batches: c.batches.map { Self.batch($0, d: c.d) }))
    }

    /// The streamed forms hand over, piece by piece, exactly pyarrow's bytes, and the float
    /// values as the column's own storage (not a copy); the reused-buffer forms give the same
    /// bytes whatever the buffer held before.
    func testStreamedAndReusedBufferFormsEqualPyarrow() throws {
        let all = try loadCases()
        var reused = [UInt8](repeating: 0xAB, count: 1 << 16)   // longer than any case: must be replaced
        for (name, c) in all.cases.sorted(by: { $0.key < $1.key }) {
            let schema = Self.hogSchema(c.d), batches = c.batches.map { Self.batch($0, d: c.d) }
            for (ext, oneShot) in [("arrows", ArrowIPC.writeStream), ("arrow", ArrowIPC.writeFile)] {
                let theirs = Array(try Data(contentsOf: FixturePaths.url("arrow/\(name).\(ext)")))
                var pieces: [(address: UnsafeRawPointer?, bytes: [UInt8])] = []
                try oneShot(schema, batches) { pieces.append(($0.baseAddress, Array($0))) }
                assertBytesEqual(pieces.flatMap(\.bytes), theirs, "\(name).\(ext) streamed")
                // Every batch's float values are handed over from its column's array.
                for batch in batches {
                    guard case .float32List(let values, _) = batch.columns[2], !values.isEmpty else { continue }
                    values.withUnsafeBytes { floats in
                        XCTAssertTrue(pieces.contains { $0.address == floats.baseAddress && $0.bytes.count == floats.count },
                                      "\(name).\(ext): the float values were copied before the sink")
                    }
                }
                if ext == "arrows" { try ArrowIPC.stream(schema: schema, batches: batches, into: &reused) } else { try ArrowIPC.file(schema: schema, batches: batches, into: &reused) }
                assertBytesEqual(reused, theirs, "\(name).\(ext) into a reused buffer")
            }
        }
        XCTAssertGreaterThanOrEqual(reused.capacity, 1 << 16, "the reused buffer kept its capacity")
    }

    /// A refused batch reaches neither the sink nor the reused buffer.
    func testRefusalWritesNothing() throws {
        let schema = Self.hogSchema(2)
        let bad = ArrowRecordBatch(rowCount: 1, columns: [.utf8(["a"]), .utf8([nil]), .float32List(values: [1], valid: [true]), .utf8([nil])])
        var pieces = 0
        XCTAssertThrowsError(try ArrowIPC.writeFile(schema: schema, batches: [bad]) { _ in pieces += 1 })
        XCTAssertEqual(pieces, 0)
        var buffer: [UInt8] = [1, 2, 3]
        XCTAssertThrowsError(try ArrowIPC.stream(schema: schema, batches: [bad], into: &buffer))
        XCTAssertEqual(buffer, [1, 2, 3])
    }

    func testRefusesBatchesThatDoNotFit() throws {
        let schema = Self.hogSchema(2)
        let rightShape = ArrowRecordBatch(rowCount: 1, columns: [.utf8(["a"]), .utf8([nil]), .float32List(values: [1, 2], valid: [true]), .utf8([nil])])
        XCTAssertNoThrow(try ArrowIPC.stream(schema: schema, batches: [rightShape]))
        var tooFew = rightShape
        tooFew.columns[2] = .float32List(values: [1], valid: [true])
        var nullPath = rightShape
        nullPath.columns[0] = .utf8([nil])
        var swapped = rightShape
        swapped.columns[1] = .float32List(values: [1, 2], valid: [true])
        var missing = rightShape
        missing.columns.removeLast()
        for bad in [tooFew, nullPath, swapped, missing] {
            XCTAssertThrowsError(try ArrowIPC.file(schema: schema, batches: [bad])) { error in
                guard case CVError.invalidParameter = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try ArrowIPC.stream(schema: Self.hogSchema(0), batches: []))
    }

    private func assertBytesEqual(_ ours: [UInt8], _ theirs: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard ours != theirs else { return }
        let first = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
        XCTFail("\(what): \(ours.count) bytes vs pyarrow's \(theirs.count); first difference at byte \(first)", file: file, line: line)
    }
}
