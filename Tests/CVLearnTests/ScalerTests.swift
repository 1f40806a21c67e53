import XCTest
@testable import CVLearn

final class ScalerTests: XCTestCase {
    func scalerSet() throws -> Matrix<Double> { try FeatureTable.read(path: Fixtures.path("scaler_set.csv")).features.asDouble }

    func testStandardScalerIdenticalToSklearn() throws {
        let s = try scalerSet()
        let ref = Fixtures.group("standard_scaler")
        let sc = try StandardScaler(fitting: s)
        XCTAssertEqual(sc.mean, doubles(ref["mean_"]), "mean_ bit-identical")
        XCTAssertEqual(sc.variance, doubles(ref["var_"]), "var_ bit-identical")
        XCTAssertEqual(sc.scale, doubles(ref["scale_"]), "scale_ bit-identical (constant columns -> 1)")
        XCTAssertEqual(sc.scale[3], 1)
        XCTAssertEqual(sc.scale[7], 1)
        let t = try sc.transform(s.selectingRows(0..<60))
        XCTAssertEqual(t.storage, doubles(ref["transform"]), "transform bit-identical")
        XCTAssertEqual(try sc.inverseTransform(t).storage, doubles(ref["inverse"]), "inverse bit-identical")

        let (xtr, _, xte, _) = Fixtures.digitsSplit()
        let refD = Fixtures.group("standard_scaler_digits")
        let sd = try StandardScaler(fitting: xtr)
        XCTAssertEqual(sd.mean, doubles(refD["mean_"]))
        XCTAssertEqual(sd.variance, doubles(refD["var_"]))
        XCTAssertEqual(sd.scale, doubles(refD["scale_"]))
        XCTAssertEqual(try sd.transform(xte.selectingRows(0..<30)).storage, doubles(refD["transform"]))
    }

    func testMinMaxScalerIdenticalToSklearn() throws {
        let s = try scalerSet()
        for (name, range) in [("minmax_scaler", 0.0...1.0), ("minmax_scaler_m1_3", -1.0...3.0)] {
            let ref = Fixtures.group(name)
            let sc = try MinMaxScaler(fitting: s, range: range)
            XCTAssertEqual(sc.scale, doubles(ref["scale_"]), name)
            XCTAssertEqual(sc.offset, doubles(ref["min_"]), name)
            XCTAssertEqual(try sc.transform(s.selectingRows(0..<60)).storage, doubles(ref["transform"]), name)
        }
    }

    func testScalerErrorsAndMismatch() throws {
        XCTAssertThrowsError(try MinMaxScaler(fitting: Matrix<Double>(rows: 2, columns: 2), range: 1...1))
        XCTAssertThrowsError(try StandardScaler(fitting: Matrix<Double>(rows: 0, columns: 2)))
        let sc = try StandardScaler(fitting: Matrix<Double>(rows: 3, columns: 2, repeating: 1))
        XCTAssertThrowsError(try sc.transform(Matrix<Double>(rows: 1, columns: 3))) { e in
            XCTAssertEqual(e as? LearnError, .mismatch(reason: "StandardScaler was fitted on 2 features, the data has 3"))
        }
    }

    func testFloatMatrixScalesLikeNumPyFloat32() throws {
        // float32 data with float64 parameters: each step computed in Double and rounded to Float.
        let s = try scalerSet().converted(to: Float.self)
        let sc = try StandardScaler(fitting: s)
        let t = try sc.transform(s)
        let back = try sc.inverseTransform(t)
        for i in 0..<s.storage.count where sc.scale[i % s.columns] != 1 {
            XCTAssertEqual(back.storage[i], s.storage[i], accuracy: max(1e-4, abs(s.storage[i]) * 1e-6))
        }
    }
}
