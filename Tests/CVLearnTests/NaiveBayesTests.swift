import XCTest
@testable import CVLearn

final class NaiveBayesTests: XCTestCase {
    func encoded() throws -> (Matrix<Double>, [Int], Matrix<Double>, [Int], LabelEncoder) {
        let (xtr, ytr, xte, yte) = Fixtures.digitsSplit()
        let enc = try LabelEncoder(fitting: ytr)
        return (xtr, try enc.encode(ytr), xte, try enc.encode(yte), enc)
    }

    func checkPredictions(_ model: any Classifier, _ xte: Matrix<Double>, _ ref: [String: JSONValue], _ name: String, logProba: Bool = false) throws {
        let pred = try model.predict(xte)
        XCTAssertEqual(pred, ints(ref["predict"]), "\(name) predictions")
        let n = doubles(ref["predict_proba"]).count / model.classCount
        let sub = xte.selectingRows(0..<n)
        let proba = try model.probabilities(sub)!
        let diff = assertClose(proba.storage, doubles(ref["predict_proba"]), atol: 1e-6, "\(name) predict_proba")
        print("[fidelity] \(name): predictions identical on \(pred.count) held-out rows; predict_proba max abs diff \(diff)")
        if logProba {
            let lp = try model.logProbabilities(sub)!
            // log-probabilities of impossible classes are ~ -1e5; compare relatively.
            let d = assertClose(lp.storage, doubles(ref["predict_log_proba"]), rtol: 1e-9, atol: 1e-6, "\(name) predict_log_proba")
            print("[fidelity] \(name): predict_log_proba max abs diff \(d)")
        }
    }

    func testGaussianNBMatchesSklearnOnDigits() throws {
        let (xtr, ytr, xte, _, _) = try encoded()
        let ref = Fixtures.group("gnb_digits")
        let m = try GaussianNB(fitting: xtr, labels: ytr, classCount: 10)
        assertClose(m.theta, doubles(ref["theta_"]), rtol: 1e-12, atol: 1e-12, "theta_")
        assertClose(m.variance, doubles(ref["var_"]), rtol: 1e-12, atol: 1e-14, "var_")
        assertClose(m.classPrior, doubles(ref["class_prior_"]), rtol: 1e-15, "class_prior_")
        assertClose([m.epsilon], doubles(ref["epsilon_"]), rtol: 1e-14, "epsilon_")
        try checkPredictions(m, xte, ref, "GaussianNB digits", logProba: true)
    }

    func testGaussianNBPriorsAndSmoothing() throws {
        let (xtr, ytr, xte, _, _) = try encoded()
        let ref = Fixtures.group("gnb_digits_priors")
        let m = try GaussianNB(fitting: xtr, labels: ytr, classCount: 10,
                               parameters: .init(priors: doubles(ref["priors"]), varSmoothing: 1e-6))
        assertClose(m.variance, doubles(ref["var_"]), rtol: 1e-12, atol: 1e-14, "var_")
        try checkPredictions(m, xte, ref, "GaussianNB digits priors")
    }

    func testGaussianNBPartialFitMatchesSklearn() throws {
        let (xtr, ytr, xte, _, _) = try encoded()
        let ref = Fixtures.group("gnb_digits_partial")
        var m = try GaussianNB(fitting: xtr.selectingRows(0..<400), labels: Array(ytr[0..<400]), classCount: 10)
        try m.partialFit(xtr.selectingRows(400..<900), labels: Array(ytr[400..<900]))
        try m.partialFit(xtr.selectingRows(900..<xtr.rows), labels: Array(ytr[900...]))
        assertClose(m.theta, doubles(ref["theta_"]), rtol: 1e-12, atol: 1e-12, "theta_")
        assertClose(m.variance, doubles(ref["var_"]), rtol: 1e-10, atol: 1e-13, "var_")
        assertClose([m.epsilon], [doubles(ref["epsilon_"])[0]], rtol: 1e-14, "epsilon_")
        try checkPredictions(m, xte, ref, "GaussianNB digits partial_fit")
    }

    func testMultinomialNBMatchesSklearn() throws {
        let (xtr, ytr, xte, _, _) = try encoded()
        let ref = Fixtures.group("mnb_digits")
        let m = try MultinomialNB(fitting: xtr, labels: ytr, classCount: 10)
        assertClose(m.featureCounts, doubles(ref["feature_count_"]), rtol: 1e-15, "feature_count_")
        assertClose(m.featureLogProb, doubles(ref["feature_log_prob_"]), rtol: 1e-13, atol: 1e-13, "feature_log_prob_")
        assertClose(m.classLogPrior, doubles(ref["class_log_prior_"]), rtol: 1e-14, "class_log_prior_")
        try checkPredictions(m, xte, ref, "MultinomialNB digits", logProba: true)

        let ref2 = Fixtures.group("mnb_digits_a05_noprior")
        let m2 = try MultinomialNB(fitting: xtr, labels: ytr, classCount: 10, parameters: .init(alpha: 0.5, fitPrior: false))
        assertClose(m2.classLogPrior, doubles(ref2["class_log_prior_"]), rtol: 1e-14, "class_log_prior_ uniform")
        try checkPredictions(m2, xte, ref2, "MultinomialNB digits alpha=0.5 fit_prior=False")
    }

    func testComplementNBMatchesSklearn() throws {
        let (xtr, ytr, xte, _, _) = try encoded()
        let ref = Fixtures.group("cnb_digits")
        let m = try ComplementNB(fitting: xtr, labels: ytr, classCount: 10)
        assertClose(m.featureLogProb, doubles(ref["feature_log_prob_"]), rtol: 1e-13, atol: 1e-13, "feature_log_prob_")
        try checkPredictions(m, xte, ref, "ComplementNB digits")
        let refN = Fixtures.group("cnb_digits_norm")
        let mN = try ComplementNB(fitting: xtr, labels: ytr, classCount: 10, parameters: .init(alpha: 0.3), norm: true)
        assertClose(mN.featureLogProb, doubles(refN["feature_log_prob_"]), rtol: 1e-12, atol: 1e-14, "feature_log_prob_ norm")
        try checkPredictions(mN, xte, refN, "ComplementNB digits norm alpha=0.3")
    }

    func testStringLabelsThroughModel() throws {
        let t = try FeatureTable.read(path: Fixtures.path("blobs.csv"))
        let x = t.features.asDouble
        let ref = Fixtures.group("gnb_blobs")
        let model = try Model.train(x.selectingRows(0..<200), labels: Array(t.labels![0..<200]), options: .init(classifier: .gaussianNB))
        XCTAssertEqual(model.labels.classes, strings(ref["classes_"]))
        XCTAssertEqual(try model.predict(x.selectingRows(200..<300)), strings(ref["predict"]))
        let refM = Fixtures.group("mnb_blobs")
        let mm = try Model.train(x.selectingRows(0..<200), labels: Array(t.labels![0..<200]),
                                 options: .init(classifier: .multinomialNB, discrete: .init(alpha: 0.7)))
        XCTAssertEqual(try mm.predict(x.selectingRows(200..<300)), strings(refM["predict"]))
        assertClose(try mm.probabilities(x.selectingRows(200..<300))!.storage, doubles(refM["predict_proba"]), atol: 1e-6, "blobs MNB proba")
    }

    func testNegativeFeaturesRefusedWithRowAndColumn() throws {
        var x = Matrix<Double>(rows: 4, columns: 3, repeating: 1)
        x[2, 1] = -0.5
        for make in [{ _ = try MultinomialNB(fitting: x, labels: [0, 1, 0, 1], classCount: 2) },
                     { _ = try ComplementNB(fitting: x, labels: [0, 1, 0, 1], classCount: 2) }] {
            XCTAssertThrowsError(try make()) { e in
                let s = "\(e)"
                XCTAssertTrue(s.contains("row 2") && s.contains("column 1") && s.contains("-0.5"), s)
                XCTAssertFalse(s.contains("\n"))
            }
        }
    }

    func testBadParametersThrow() {
        let x = Matrix<Double>(rows: 4, columns: 2, repeating: 1)
        let y = [0, 1, 0, 1]
        XCTAssertThrowsError(try GaussianNB(fitting: x, labels: y, classCount: 2, parameters: .init(varSmoothing: -1))) {
            XCTAssertEqual($0 as? LearnError, .invalidParameter(name: "varSmoothing", reason: "must be a finite value ≥ 0, got -1.0"))
        }
        XCTAssertThrowsError(try GaussianNB(fitting: x, labels: y, classCount: 2, parameters: .init(priors: [0.5, 0.6])))
        XCTAssertThrowsError(try GaussianNB(fitting: x, labels: y, classCount: 2, parameters: .init(priors: [1])))
        XCTAssertThrowsError(try MultinomialNB(fitting: x, labels: y, classCount: 2, parameters: .init(alpha: -1)))
        XCTAssertThrowsError(try MultinomialNB(fitting: x, labels: [0, 1, 2, 0], classCount: 2))
        XCTAssertThrowsError(try GaussianNB(fitting: x, labels: [0, 1], classCount: 2))
        var bad = x
        bad[0, 0] = .nan
        XCTAssertThrowsError(try GaussianNB(fitting: bad, labels: y, classCount: 2))
        XCTAssertThrowsError(try GaussianNB(fitting: x, labels: y, classCount: 2).predict(Matrix<Double>(rows: 1, columns: 3))) {
            XCTAssertTrue("\($0)".contains("3"))
        }
    }

    func testDocumentedDefaults() {
        let g = GaussianNB.Parameters()
        XCTAssertNil(g.priors)
        XCTAssertEqual(g.varSmoothing, 1e-9)
        let d = DiscreteNBParameters()
        XCTAssertEqual(d.alpha, 1)
        XCTAssertTrue(d.forceAlpha)
        XCTAssertTrue(d.fitPrior)
        XCTAssertNil(d.classPrior)
        let p = PCA.Parameters()
        XCTAssertEqual(p.components, .all)
        XCTAssertFalse(p.whiten)
        XCTAssertEqual(p.solver, .auto)
        XCTAssertNil(p.iteratedPower)
        XCTAssertEqual(p.oversamples, 10)
        XCTAssertEqual(p.seed, 0)
        let o = TrainingOptions()
        XCTAssertEqual(o.classifier, .gaussianNB)
        XCTAssertEqual(o.scale, Scaler.Kind.none)
        XCTAssertNil(o.pca)
        XCTAssertEqual(ClassifierKind.allCases.map(\.rawValue), ["gaussian-nb", "multinomial-nb", "complement-nb", "linear-svm", "svm", "knn", "lda"])
    }

    /// Slow, readable GaussianNB / MultinomialNB log-likelihoods vs the fast kernels on random data.
    func testFastKernelsMatchReadableReference() throws {
        var rng = GaussianRandom(seed: 42)
        for (n, d, c) in [(37, 5, 3), (64, 13, 4), (9, 1, 2)] {
            var x = Matrix<Double>(rows: n, columns: d)
            for i in 0..<x.storage.count { x.storage[i] = abs(rng.normal() * 3 + 1) }
            let y = (0..<n).map { $0 % c }
            let g = try GaussianNB(fitting: x, labels: y, classCount: c)
            let fast = try g.jointLogLikelihood(x)
            for i in 0..<n {
                for k in 0..<c {
                    var s = log(g.classPrior[k])
                    for j in 0..<d {
                        let v = g.variance[k * d + j], diff = x[i, j] - g.theta[k * d + j]
                        s += -0.5 * log(2 * Double.pi * v) - 0.5 * diff * diff / v
                    }
                    XCTAssertEqual(fast[i, k], s, accuracy: 1e-9 * max(1, abs(s)))
                }
            }
            // Means/variances by the textbook formulas.
            for k in 0..<c {
                let rows = (0..<n).filter { y[$0] == k }
                for j in 0..<d {
                    let mu = rows.map { x[$0, j] }.reduce(0, +) / Double(rows.count)
                    let v = rows.map { (x[$0, j] - mu) * (x[$0, j] - mu) }.reduce(0, +) / Double(rows.count)
                    XCTAssertEqual(g.theta[k * d + j], mu, accuracy: 1e-12)
                    XCTAssertEqual(g.variance[k * d + j] - g.epsilon, v, accuracy: 1e-12)
                }
            }
            let m = try MultinomialNB(fitting: x, labels: y, classCount: c)
            let mf = try m.jointLogLikelihood(x)
            for i in 0..<n { for k in 0..<c {
                var s = m.classLogPrior[k]
                for j in 0..<d { s += x[i, j] * m.featureLogProb[k * d + j] }
                XCTAssertEqual(mf[i, k], s, accuracy: 1e-10 * max(1, abs(s)))
            } }
        }
    }

    func testFloatInputMatchesDoubleInput() throws {
        let (xtr, ytr, xte, _, _) = try encoded()
        let gd = try GaussianNB(fitting: xtr, labels: ytr, classCount: 10)
        let gf = try GaussianNB(fitting: xtr.converted(to: Float.self), labels: ytr, classCount: 10)
        XCTAssertEqual(gd, gf)  // digits are small integers: exact in Float
        XCTAssertEqual(try gd.predict(xte), try gf.predict(xte))
    }
}
