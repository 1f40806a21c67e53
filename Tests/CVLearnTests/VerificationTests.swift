import CVLearn
import XCTest

final class VerificationTests: XCTestCase {
    /// roc_curve and roc_auc_score on scores with many ties, bit for bit.
    func testROCCurveMatchesScikitLearnExactly() throws {
        let g = NeighbourFixtures.group("roc_ties")
        let roc = try ROCCurve(scores: doubles(g["scores"]), positive: ints(g["labels"]).map { $0 == 1 })
        XCTAssertEqual(roc.falsePositiveRates, doubles(g["fpr"]))
        XCTAssertEqual(roc.truePositiveRates, doubles(g["tpr"]))
        XCTAssertEqual(roc.thresholds, doubles(g["thresholds"]))
        XCTAssertEqual(roc.thresholds.first, .infinity)
        XCTAssertEqual(roc.area, doubles(g["auc"])[0])
        let all = try ROCCurve(scores: doubles(g["scores"]), positive: ints(g["labels"]).map { $0 == 1 }, dropIntermediate: false)
        XCTAssertEqual(all.falsePositiveRates, doubles(g["fpr_all"]))
        XCTAssertEqual(all.truePositiveRates, doubles(g["tpr_all"]))
        print("[fidelity] roc_curve on 2,000 tied scores: \(roc.thresholds.count) points identical, AUC \(roc.area) identical")
    }

    /// The first `n` rows of a set's training rows followed by its test rows, as the fixture took them.
    func firstRows(_ set: String, _ n: Int) throws -> (Matrix<Double>, [Int]) {
        let s = try NeighbourFixtures.split(set)
        let x = try Matrix(rows: s.xtr.rows + s.xte.rows, columns: s.xtr.columns, values: s.xtr.storage + s.xte.storage)
        return (x.selectingRows(0..<n), Array((s.ytr + s.yte)[0..<n]))
    }

    /// All pairs of a table: the curve (every 37th point and the count) and AUC as scikit-learn's.
    func check(_ set: String, _ metric: NeighborMetric) throws {
        let g = NeighbourFixtures.group("verify_\(set)_\(metric.rawValue)")
        let (x, y) = try firstRows(set, ints(g["rows"])[0])
        let r = try Verification.evaluate(x, labels: y, metric: metric)
        XCTAssertEqual(r.positivePairs, ints(g["positives"])[0])
        XCTAssertEqual(r.negativePairs, ints(g["negatives"])[0])
        XCTAssertEqual(r.roc.thresholds.count, ints(g["points"])[0])
        let stride = ints(g["stride"])[0]
        let every = Array(Swift.stride(from: 0, to: r.roc.thresholds.count, by: stride))
        XCTAssertEqual(every.map { r.roc.falsePositiveRates[$0] }, doubles(g["fpr"]))
        XCTAssertEqual(every.map { r.roc.truePositiveRates[$0] }, doubles(g["tpr"]))
        let thr = assertClose(every.dropFirst().map { r.roc.thresholds[$0] }, doubles(g["thresholds"]), rtol: 1e-12, atol: 1e-12, "thresholds")
        XCTAssertEqual(r.auc, doubles(g["auc"])[0], accuracy: 1e-15)
        print("[fidelity] verification \(set) \(metric): \(r.positivePairs + r.negativePairs) pairs, \(r.roc.thresholds.count) ROC points (rates identical, thresholds max abs diff \(thr)), AUC \(r.auc) vs \(doubles(g["auc"])[0])")
    }

    func testDigitsEuclideanMatchesScikitLearn() throws { try check("digits", .euclidean) }
    func testBlobsCosineMatchesScikitLearn() throws { try check("blobs", .cosine) }
    func testBlobsEuclideanMatchesScikitLearn() throws { try check("blobs", .euclidean) }

    func checkRetrieval(_ set: String, _ metric: NeighborMetric) throws {
        let g = NeighbourFixtures.group("retrieve_\(set)_\(metric.rawValue)")
        let (x, y) = try firstRows(set, ints(g["rows"])[0])
        let r = try Retrieval.evaluate(x, labels: y, metric: metric)
        XCTAssertEqual(r.queries, ints(g["queries"])[0])
        guard case .object(let recall)? = g["recall"] else { return XCTFail("recall") }
        for p in r.recallAtK { XCTAssertEqual(p.recall, doubles(recall["\(p.k)"])[0], "recall@\(p.k)") }
        XCTAssertEqual(r.meanAveragePrecision, doubles(g["map"])[0], accuracy: 1e-12)
        print("[fidelity] retrieval \(set) \(metric): \(r.queries) queries, mAP \(r.meanAveragePrecision) vs average_precision_score \(doubles(g["map"])[0]); recall@1/5/10 identical")
    }

    func testRetrievalDigitsEuclidean() throws { try checkRetrieval("digits", .euclidean) }
    func testRetrievalBlobsCosine() throws { try checkRetrieval("blobs", .cosine) }

    /// A perfect embedding: AUC 1, EER 0, TAR 1; a sampled set of pairs is reproducible.
    func testSeparatedClassesAndSampledPairs() throws {
        let x = try Matrix<Double>(rows: 6, columns: 2, values: [1, 0, 1.1, 0, 0.9, 0, 0, 1, 0, 1.2, 0, 0.8])
        let y = [0, 0, 0, 1, 1, 1]
        let r = try Verification.evaluate(x, labels: y, metric: .euclidean)
        XCTAssertEqual(r.auc, 1)
        XCTAssertEqual(r.equalErrorRate, 0)
        XCTAssertEqual(r.trueAcceptRates.map(\.trueAcceptRate), [1, 1])
        let a = try Verification.evaluate(x, labels: y, pairs: .sampled(count: 200, seed: 7))
        let b = try Verification.evaluate(x, labels: y, pairs: .sampled(count: 200, seed: 7))
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.positivePairs + a.negativePairs, 200)
    }

    func testEqualErrorRateAndTARReadOnTheCurve() throws {
        // Positives 3, 1; negatives 2, 0: points (0,0) (0,.5) (.5,.5) (.5,1) (1,1).
        let roc = try ROCCurve(positiveScores: [3, 1], negativeScores: [2, 0], dropIntermediate: false)
        XCTAssertEqual(roc.equalErrorRate, 0.5)
        XCTAssertEqual(roc.truePositiveRate(atFalsePositiveRate: 0.25), 0.5)
        XCTAssertEqual(roc.truePositiveRate(atFalsePositiveRate: 0.5), 1)
        XCTAssertEqual(roc.area, 0.75)
    }

    func testBadInputIsRefused() throws {
        let x = try Matrix<Double>(rows: 4, columns: 2, values: [1, 0, 0, 1, 1, 1, 2, 0])
        XCTAssertThrowsError(try Verification.evaluate(x, labels: [0, 1, 2, 3])) { XCTAssertTrue("\($0)".contains("no positive"), "\($0)") }
        XCTAssertThrowsError(try Verification.evaluate(x, labels: [0, 0, 0, 0])) { XCTAssertTrue("\($0)".contains("no negative"), "\($0)") }
        XCTAssertThrowsError(try Verification.evaluate(x, labels: [0, 0, 1, 1], pairs: .sampled(count: 0, seed: 1)))
        XCTAssertThrowsError(try Verification.evaluate(x, labels: [0, 0, 1, 1], falseAcceptRates: [.nan]))
        XCTAssertThrowsError(try Verification.evaluate(x, labels: [0, 0, 1]))
        var zero = x
        zero[2, 0] = 0; zero[2, 1] = 0
        XCTAssertThrowsError(try Verification.evaluate(zero, labels: [0, 0, 1, 1], metric: .cosine)) { XCTAssertTrue("\($0)".contains("all zeros"), "\($0)") }
        let big = Matrix<Float>(rows: 20_000, columns: 1)
        XCTAssertThrowsError(try Verification.evaluate(big, labels: [Int](repeating: 0, count: 20_000))) { e in
            guard case LearnError.invalidParameter("pairs", _)? = e as? LearnError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try Retrieval.evaluate(x, labels: [0, 0, 1, 1], ks: [4]))
        XCTAssertThrowsError(try Retrieval.evaluate(x, labels: [0, 1, 2, 3])) { XCTAssertTrue("\($0)".contains("no row"), "\($0)") }
    }
}
