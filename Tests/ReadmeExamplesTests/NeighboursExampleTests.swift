import ClassicCV
import CVTestSupport
import XCTest

/// Runs the README's "Neighbours, discriminants and verification" example on the digits fixture.
final class NeighboursExampleTests: XCTestCase {
    func testNeighboursExample() throws {
        let r = try neighboursTour(table: FixturePaths.url("learn").appendingPathComponent("digits.csv").path)
        XCTAssertGreaterThan(r.accuracy, 0.9)
        XCTAssertGreaterThan(r.auc, 0.9)
        XCTAssertGreaterThan(r.map, 0.8)
        print("[readme] digits LDA → kNN accuracy \(r.accuracy), verification AUC \(r.auc), retrieval mAP \(r.map)")
    }
}
