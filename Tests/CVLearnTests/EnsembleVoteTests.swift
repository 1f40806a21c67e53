import CVLearn
import XCTest

final class EnsembleVoteTests: XCTestCase {
    /// Plurality per row; ties go to the earliest model's label among the tied.
    func testVoteAndTieRule() throws {
        let a = ["x", "x", "y", "z"], b = ["y", "x", "z", "y"], c = ["y", "z", "x", "z"]
        XCTAssertEqual(try EnsembleVote.vote([a, b, c]), ["y", "x", "y", "z"])
        // Row 2: x, z, y all once: the first model's y wins. With weights, model b decides.
        XCTAssertEqual(try EnsembleVote.vote([a, b, c], weights: [1, 3, 1]), ["y", "x", "z", "y"])
        XCTAssertEqual(try EnsembleVote.vote([a]), a)
    }

    func testAverageProbabilities() throws {
        let p = try Matrix<Double>(rows: 2, columns: 2, values: [0.9, 0.1, 0.4, 0.6])
        let q = try Matrix<Double>(rows: 2, columns: 2, values: [0.2, 0.8, 0.5, 0.5])
        XCTAssertEqual(try EnsembleVote.averageProbabilities([p, q], classes: ["a", "b"]), ["a", "b"])
        XCTAssertEqual(try EnsembleVote.averageProbabilities([p, q], classes: ["a", "b"], weights: [3, 1]), ["a", "b"])
        XCTAssertEqual(try EnsembleVote.averageProbabilities([p, q], classes: ["a", "b"], weights: [1, 0]), ["a", "b"])
        XCTAssertEqual(try EnsembleVote.averageProbabilities([p, q], classes: ["a", "b"], weights: [0, 1]), ["b", "a"])
    }

    func testRefusals() {
        XCTAssertThrowsError(try EnsembleVote.vote([]))
        XCTAssertThrowsError(try EnsembleVote.vote([["a"], ["a", "b"]]))
        XCTAssertThrowsError(try EnsembleVote.vote([["a"], ["b"]], weights: [1]))
        XCTAssertThrowsError(try EnsembleVote.vote([["a"], ["b"]], weights: [1, .nan]))
        XCTAssertThrowsError(try EnsembleVote.vote([["a"], ["b"]], weights: [0, 0]))
        XCTAssertThrowsError(try EnsembleVote.vote([["a"], ["b"]], weights: [-1, 2]))
    }
}
