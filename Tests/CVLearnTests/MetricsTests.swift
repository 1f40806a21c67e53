import XCTest
@testable import CVLearn

final class MetricsTests: XCTestCase {
    func testReportMatchesSklearn() throws {
        let (xtr, ytr, xte, yte) = Fixtures.digitsSplit()
        let model = try Model.train(xtr, labels: ytr, options: .init(classifier: .gaussianNB))
        let pred = try model.predictIndices(xte)
        let truth = try model.labels.encode(yte)
        let r = try ClassificationReport(truth: truth, predicted: pred, classes: model.labels.classes)
        let ref = Fixtures.group("metrics_gnb_digits")
        XCTAssertEqual(r.accuracy, doubles(ref["accuracy"])[0], accuracy: 1e-15)
        XCTAssertEqual(r.confusion.flatMap { $0 }, ints(ref["confusion"]))
        assertClose(r.perClass.map(\.precision), doubles(ref["precision"]), atol: 1e-15, "precision")
        assertClose(r.perClass.map(\.recall), doubles(ref["recall"]), atol: 1e-15, "recall")
        assertClose(r.perClass.map(\.f1), doubles(ref["f1"]), atol: 1e-15, "f1")
        XCTAssertEqual(r.perClass.map(\.support), ints(ref["support"]))
        assertClose([r.macro.precision, r.macro.recall, r.macro.f1], doubles(ref["macro"]), atol: 1e-15, "macro")
        assertClose([r.weighted.precision, r.weighted.recall, r.weighted.f1], doubles(ref["weighted"]), atol: 1e-15, "weighted")
        XCTAssertTrue(r.formatted().contains("weighted avg"))
    }

    func testStratifiedKFoldMatchesSklearnWithoutShuffle() throws {
        let t = Fixtures.digits
        let y = t.labels!.map { Int($0)! }
        let folds = try StratifiedKFold(splits: 5).testFolds(labels: y)
        XCTAssertEqual(folds, ints(Fixtures.reference["skfold5_digits"]))
        // Seeded shuffle: deterministic, stratified, a partition.
        let a = try StratifiedKFold(splits: 5, seed: 9).split(labels: y)
        let b = try StratifiedKFold(splits: 5, seed: 9).split(labels: y)
        XCTAssertEqual(a.map(\.test), b.map(\.test))
        XCTAssertEqual(Set(a.flatMap(\.test)).count, y.count)
        for s in a { XCTAssertEqual(Set(s.train).intersection(s.test).count, 0) }
        XCTAssertThrowsError(try StratifiedKFold(splits: 1))
        XCTAssertThrowsError(try StratifiedKFold(splits: 5).testFolds(labels: [0, 1, 0, 1]))
    }

    func testCrossValidate() throws {
        let (xtr, ytr, _, _) = Fixtures.digitsSplit()
        let scores = try crossValidate(xtr, labels: ytr, options: .init(classifier: .multinomialNB), folds: 3, seed: 1)
        XCTAssertEqual(scores.count, 3)
        XCTAssertTrue(scores.allSatisfy { $0 > 0.8 })
    }

    func testZeroDivisionIsZero() throws {
        let r = try ClassificationReport(truth: [0, 0, 1], predicted: [0, 0, 0], classes: ["a", "b"])
        XCTAssertEqual(r.perClass[1].precision, 0)
        XCTAssertEqual(r.perClass[1].f1, 0)
        XCTAssertEqual(r.accuracy, 2.0 / 3.0)
    }
}
