import CVTestSupport
import Foundation
import XCTest
@testable import CVLearn

/// Model files and tables that used to crash or answer NaN (Fixtures/bad/README.md, "Tables
/// and model files"): each is refused with one `LearnError` line naming what is wrong.
final class BadModelFileTests: XCTestCase {
    func path(_ name: String) -> String { FixturePaths.path("bad/\(name)") }

    func assertRefused(_ name: String, containing needle: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ModelFile.readModel(path: path(name)), name, file: file, line: line) { error in
            guard case let LearnError.decoding(source, reason)? = error as? LearnError else {
                return XCTFail("\(name): \(error)", file: file, line: line)
            }
            XCTAssertEqual(source, path(name), file: file, line: line)
            XCTAssertTrue(reason.contains(needle), "\(name): \(reason)", file: file, line: line)
            XCTAssertFalse(reason.contains("\n"), file: file, line: line)
        }
    }

    /// Emptied arrays traps with an index out of range in `MinMaxScaler.transform`.
    func testEmptiedScalerArray() {
        assertRefused("model_minmax_empty_scale.json", containing: "scaler.scale")
    }

    /// A StandardScaler with fewer `scale` values than features (found by fuzzing the model
    /// reader) loaded, then trapped with an index out of range in `predict`.
    func testScalerWithTooFewScales() {
        assertRefused("model_standard_scale_count.json", containing: "scaler.scale")
    }

    /// `scale: -1e308` predicted NaN probabilities with exit status 0.
    func testScalerMultiplierThatIsNotItsStatistics() {
        assertRefused("model_minmax_scale_huge.json", containing: "scaler.scale[0]")
        assertRefused("model_standard_scale_tiny.json", containing: "scaler.scale[1]")
    }

    /// Counts near Int.max overflowed the shape checks (`n × d`) instead of failing them.
    func testHugeCountsFailTheShapeChecks() {
        assertRefused("model_svm_huge_support_count.json", containing: "n_support")
        assertRefused("model_linear_huge_features.json", containing: "not a possible size")
        assertRefused("model_gnb_huge_features.json", containing: "not a possible size")
        assertRefused("model_pca_huge_components.json", containing: "not a possible size")
    }

    /// A class count that is not the length of the class list fails before any shape check.
    func testClassCountAgainstTheClassList() {
        assertRefused("model_svm_class_count.json", containing: "classes")
    }

    /// Whitening divides by √variance: a negative one is refused.
    func testPCANegativeVariance() {
        XCTAssertThrowsError(try ModelFile.readPCA(path: path("pca_negative_variance.json"))) { error in
            XCTAssertTrue("\(error)".contains("explained variances"), "\(error)")
        }
    }

    /// A LIBSVM table whose dense form passes the memory budget is a decoding error of the file.
    func testLIBSVMTablePastTheBudget() {
        XCTAssertThrowsError(try FeatureTable.read(path: path("libsvm_index_1e7.libsvm"))) { error in
            guard case let LearnError.decoding(source, reason)? = error as? LearnError else { return XCTFail("\(error)") }
            XCTAssertEqual(source, path("libsvm_index_1e7.libsvm"))
            XCTAssertTrue(reason.contains("CLASSICCV_TABLE_MB"), reason)
        }
    }

    /// Rows far outside a sound scaler's range overflow to infinity: refused, not predicted.
    func testPredictionRefusesNonFiniteInputAndScaledRows() throws {
        let x = try Matrix<Double>(rows: 6, columns: 2, values: [0, 0, 0.1, 0.1, 0, 0.1, 0.4, 0.4, 0.5, 0.5, 0.4, 0.5])
        let m = try Model.train(x, labels: ["a", "a", "a", "b", "b", "b"], options: .init(classifier: .gaussianNB, scale: .minmax))
        let far = try Matrix<Double>(rows: 1, columns: 2, values: [1e308, 0])
        XCTAssertThrowsError(try m.probabilities(far)) { XCTAssertTrue("\($0)".contains("after the model's scaling"), "\($0)") }
        let nan = try Matrix<Double>(rows: 1, columns: 2, values: [.nan, 0])
        XCTAssertThrowsError(try m.predict(nan)) { XCTAssertTrue("\($0)".contains("non-finite"), "\($0)") }
        XCTAssertEqual(try m.predict(try Matrix<Double>(rows: 1, columns: 2, values: [0.45, 0.45])), ["b"])
    }

    /// Overflowing sizes are refused by the matrix initializer too.
    func testMatrixSizeOverflow() {
        XCTAssertThrowsError(try Matrix<Double>(rows: 1 << 40, columns: 1 << 40, values: []))
    }

    /// A component scaled by 10^6 stretched finite rows to infinity: the axes must be unit vectors.
    func testPCAScaledComponent() {
        XCTAssertThrowsError(try ModelFile.readPCA(path: path("pca_scaled_component.json"))) { error in
            XCTAssertTrue("\(error)".contains("component 1 has norm"), "\(error)")
        }
    }

    /// `pca transform` of a table holding `inf` printed NaN projections with exit status 0.
    func testPCATransformRefusesNonFiniteRows() throws {
        let table = try FeatureTable.read(path: path("csv_inf_value.csv"))
        let pca = try PCA(fitting: try Matrix<Double>(rows: 3, columns: 3, values: [0, 1, 2, 1, 0, 2, 2, 2, 0]))
        XCTAssertThrowsError(try pca.transform(table.features.asDouble)) { error in
            XCTAssertTrue("\(error)".contains("non-finite value (inf) at row 1, column 1"), "\(error)")
        }
        XCTAssertThrowsError(try pca.inverseTransform(Matrix<Double>(rows: 1, columns: pca.componentCount, repeating: .nan)))
    }
}

/// An NPY table's labels travel in `X.labels.npy` and `X.classes.txt` beside it.
final class NPYLabelsTests: XCTestCase {
    func testWriteAndReadBackByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("npylabels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.npy").path
        let x = try Matrix<Float>(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        try FeatureTable(features: .float(x), labels: ["dog", "cat", "dog"]).write(to: path)
        XCTAssertEqual(try String(contentsOfFile: dir.appendingPathComponent("t.classes.txt").path, encoding: .utf8), "cat\ndog\n")
        XCTAssertEqual(try FeatureTable.read(path: path).labels, ["dog", "cat", "dog"])
        XCTAssertNil(try FeatureTable.read(path: path, labelsBeside: false).labels)
        // Integer labels need no names; an unlabelled table removes what no longer belongs to it.
        try FeatureTable(features: .float(x), labels: ["7", "3", "7"]).write(to: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.classes.txt").path))
        XCTAssertEqual(try FeatureTable.read(path: path).labels, ["7", "3", "7"])
        try FeatureTable(features: .float(x)).write(to: path)
        XCTAssertNil(try FeatureTable.read(path: path).labels)
        // A class index without a name is refused, naming both files.
        try NPYFile.encode(int64s: [0, 2, 1]).write(to: dir.appendingPathComponent("t.labels.npy"))
        try Array("a\nb\n".utf8).write(to: dir.appendingPathComponent("t.classes.txt"))
        XCTAssertThrowsError(try FeatureTable.read(path: path)) { XCTAssertTrue("\($0)".contains("class 2 has no name"), "\($0)") }
    }
}

private extension Array where Element == UInt8 {
    func write(to url: URL) throws { try Data(self).write(to: url) }
}
