import CVFormats
import CVLearn
import CVTestSupport
import XCTest

/// `RidgeRegression` against scikit-learn's `Ridge(alpha, solver="cholesky")` (references from
/// Tools/fixtures_ridge.py: 60 samples, 7 features, one nearly collinear, 4 outputs), within
/// 1e-8 relative to the largest coefficient, and its refusals.
final class RidgeRegressionTests: XCTestCase {
    func matrix(_ name: String) throws -> Matrix<Double> {
        let a = try NPYArray.fixture("learn/ridge/\(name).npy")
        return try Matrix(rows: a.shape[0], columns: a.shape.count > 1 ? a.shape[1] : 1, values: a.values(Double.self))
    }

    func testMatchesScikitLearnRidge() throws {
        let x = try matrix("x"), y = try matrix("y")
        for alpha in [0, 1, 30] {
            let ridge = try RidgeRegression(fitting: x, targets: y, alpha: Double(alpha))
            let coef = try matrix("coef_a\(alpha)").storage, intercept = try matrix("intercept_a\(alpha)").storage
            XCTAssertEqual(ridge.coefficients.count, coef.count)
            let scale = coef.map(abs).max()! + intercept.map(abs).max()!
            let worst = zip(ridge.coefficients + ridge.intercepts, coef + intercept).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(worst / scale, 1e-8, "alpha \(alpha): largest difference from sklearn Ridge")
        }
    }

    /// Exact linear data with alpha 0 gives back the map; a penalty shrinks the weights.
    func testRecoversAnExactLinearMapAndShrinks() throws {
        var rng = SplitMix64(seed: 4)
        let x = Matrix<Double>(rows: 30, columns: 3) { _, _ in Double(rng.next() % 1000) / 100 }
        let y = Matrix<Double>(rows: 30, columns: 2) { i, k in
            k == 0 ? 2 * x[i, 0] - 3 * x[i, 1] + 0.5 * x[i, 2] + 1 : -x[i, 2] + 4
        }
        let exact = try RidgeRegression(fitting: x, targets: y, alpha: 0)
        for (a, b) in zip(exact.coefficients, [2, -3, 0.5, 0, 0, -1] as [Double]) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        XCTAssertEqual(exact.intercepts[0], 1, accuracy: 1e-8)
        XCTAssertEqual(exact.intercepts[1], 4, accuracy: 1e-8)
        let sample = (0..<3).map { Float(x[0, $0]) }
        XCTAssertEqual(sample.withUnsafeBufferPointer { exact.predict($0, output: 0) }, y[0, 0], accuracy: 1e-4)
        let shrunk = try RidgeRegression(fitting: x, targets: y, alpha: 1e4)
        XCTAssertLessThan(shrunk.coefficients.map(abs).reduce(0, +), exact.coefficients.map(abs).reduce(0, +) / 2)
    }

    func testRefusals() throws {
        let x = try Matrix<Double>(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 7])
        let y = try Matrix<Double>(rows: 3, columns: 1, values: [1, 2, 3])
        for alpha in [-1, .nan, .infinity] {
            XCTAssertThrowsError(try RidgeRegression(fitting: x, targets: y, alpha: alpha)) {
                guard case LearnError.invalidParameter(let name, _) = $0 else { return XCTFail("\($0)") }
                XCTAssertEqual(name, "alpha")
            }
        }
        XCTAssertThrowsError(try RidgeRegression(fitting: x, targets: try Matrix(rows: 2, columns: 1, values: [1, 2]), alpha: 1))
        XCTAssertThrowsError(try RidgeRegression(fitting: try Matrix(rows: 3, columns: 2, values: [1, .nan, 3, 4, 5, 7]), targets: y, alpha: 1))
        // Two identical columns and no penalty: singular, refused rather than solved to garbage.
        let twice = try Matrix<Double>(rows: 3, columns: 2, values: [1, 1, 2, 2, 4, 4])
        XCTAssertThrowsError(try RidgeRegression(fitting: twice, targets: y, alpha: 0)) {
            guard case LearnError.invalidData = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try RidgeRegression(coefficients: [1, 2, 3], intercepts: [0], featureCount: 2, alpha: 1))
        XCTAssertThrowsError(try RidgeRegression(coefficients: [1, .nan], intercepts: [0], featureCount: 2, alpha: 1))
    }
}
