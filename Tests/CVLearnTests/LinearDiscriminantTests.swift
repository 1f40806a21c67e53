import CVLearn
import XCTest

final class LinearDiscriminantTests: XCTestCase {
    typealias LDA = LinearDiscriminantAnalysis

    /// The fixture's parameters as ours.
    func parameters(_ g: [String: JSONValue]) -> LDA.Parameters {
        guard case .object(let p)? = g["params"] else { return .init() }
        var out = LDA.Parameters()
        if case .string("eigen")? = p["solver"] { out.solver = .eigen }
        switch p["shrinkage"] {
        case .string("auto")?: out.shrinkage = .auto
        case let .number(v)?: out.shrinkage = .fixed(v)
        default: break
        }
        if case .number(let c)? = p["n_components"] { out.components = Int(c) }
        if p["priors"] != nil { out.priors = doubles(p["priors"]) }
        return out
    }

    /// Transform ≤ 1e-8 (each component up to its sign), predictions identical, probabilities
    /// and decision values ≤ 1e-9.
    func check(_ key: String, _ split: NeighbourFixtures.Split, classes: Int) throws {
        let g = NeighbourFixtures.group(key)
        let lda = try LDA(fitting: split.xtr, labels: split.ytr, classCount: classes, parameters: parameters(g))
        XCTAssertEqual(lda.outputCount, ints(g["components"])[0], key)
        XCTAssertEqual(try lda.predict(split.xte), ints(g["predict"]), key)
        let first60 = split.xte.selectingRows(0..<60)
        let proba = assertClose(try lda.probabilities(first60)!.storage, doubles(g["predict_proba"]), atol: 1e-9, "\(key) proba")
        var decision = try lda.decisionValues(first60)
        if classes == 2 { decision = decision.selectingColumn(1) }
        let dec = assertClose(decision.storage, doubles(g["decision_function"]), rtol: 1e-9, atol: 1e-9, "\(key) decision")
        assertClose(lda.explainedVarianceRatio, doubles(g["explained_variance_ratio_"]), atol: 1e-10, "\(key) explained_variance_ratio_")
        let t = try lda.transform(split.xte.selectingRows(0..<100))
        let worst = maxDifferenceUpToSign(t, doubles(g["transform"]))
        XCTAssertLessThanOrEqual(worst, 1e-8, "\(key) transform")
        print("[fidelity] LDA \(key): \(split.xte.rows) predictions identical; transform max abs diff \(worst) (up to sign per component), proba \(proba), decision \(dec)")
    }

    /// Largest difference after giving each column the sign that matches best.
    func maxDifferenceUpToSign(_ t: Matrix<Double>, _ ref: [Double]) -> Double {
        XCTAssertEqual(t.storage.count, ref.count)
        guard t.storage.count == ref.count else { return .infinity }
        var worst = 0.0
        for c in 0..<t.columns {
            var plus = 0.0, minus = 0.0
            for i in 0..<t.rows {
                plus = max(plus, abs(t[i, c] - ref[i * t.columns + c]))
                minus = max(minus, abs(-t[i, c] - ref[i * t.columns + c]))
            }
            worst = max(worst, min(plus, minus))
        }
        return worst
    }

    func testDigitsSVD() throws { try check("lda_digits_svd", NeighbourFixtures.digits(), classes: 10) }
    func testDigitsSVDThreeComponents() throws { try check("lda_digits_svd_3", NeighbourFixtures.digits(), classes: 10) }
    func testDigitsEigenLedoitWolf() throws { try check("lda_digits_eigen_auto", NeighbourFixtures.digits(), classes: 10) }
    func testDigitsEigenFixedShrinkage() throws { try check("lda_digits_eigen_0.2", NeighbourFixtures.digits(), classes: 10) }
    func testBlobsSVD() throws { try check("lda_blobs_svd", NeighbourFixtures.blobs(), classes: 3) }
    func testBlobsEigen() throws { try check("lda_blobs_eigen", NeighbourFixtures.blobs(), classes: 3) }
    func testBlobsPriors() throws { try check("lda_blobs_svd_priors", NeighbourFixtures.blobs(), classes: 3) }
    func testFashionEigenLedoitWolf() throws { try check("lda_fashion_eigen_auto", try NeighbourFixtures.fashion(), classes: 10) }

    func testTwoClasses() throws {
        let b = NeighbourFixtures.blobs()
        let keep = (0..<b.xtr.rows).filter { b.ytr[$0] < 2 }
        let two = (xtr: b.xtr.selectingRows(keep), ytr: keep.map { b.ytr[$0] }, xte: b.xte, yte: b.yte)
        try check("lda_blobs2_svd", two, classes: 2)
        try check("lda_blobs2_eigen_auto", two, classes: 2)
    }

    func testModelFileRoundTrip() throws {
        let d = NeighbourFixtures.digits()
        var options = TrainingOptions(classifier: .lda)
        options.lda = .init(solver: .eigen, shrinkage: .auto)
        let model = try Model.train(d.xtr, labels: d.ytr.map(String.init), options: options)
        let back = try ModelFile.decodeModel(try ModelFile.encode(model))
        XCTAssertEqual(try back.probabilities(d.xte), try model.probabilities(d.xte))
    }

    func testBadInputIsRefused() throws {
        let b = NeighbourFixtures.blobs()
        func fit(_ p: LDA.Parameters, y: [Int]? = nil, classes: Int = 3) throws {
            _ = try LDA(fitting: b.xtr, labels: y ?? b.ytr, classCount: classes, parameters: p)
        }
        func expectParameter(_ name: String, _ p: LDA.Parameters, line: UInt = #line) {
            XCTAssertThrowsError(try fit(p), line: line) { e in
                guard case let LearnError.invalidParameter(n, _)? = e as? LearnError else { return XCTFail("\(e)", line: line) }
                XCTAssertEqual(n, name, line: line)
            }
        }
        expectParameter("shrinkage", .init(solver: .eigen, shrinkage: .fixed(1.5)))
        expectParameter("shrinkage", .init(solver: .eigen, shrinkage: .fixed(-0.1)))
        expectParameter("shrinkage", .init(solver: .eigen, shrinkage: .fixed(.nan)))
        expectParameter("shrinkage", .init(solver: .svd, shrinkage: .auto))
        expectParameter("components", .init(components: 3))
        expectParameter("components", .init(components: 0))
        expectParameter("priors", .init(priors: [0.5, 0.5]))
        expectParameter("priors", .init(priors: [0.5, 0.6, -0.1]))
        expectParameter("tolerance", .init(tolerance: .nan))
        XCTAssertThrowsError(try LDA.Shrinkage(parsing: "lots"))
        XCTAssertThrowsError(try fit(.init(), y: [Int](repeating: 0, count: 200), classes: 1)) { e in
            XCTAssertTrue("\(e)".contains("at least two classes"), "\(e)")
        }
        // Constant pixels make the within-class covariance singular: eigen needs shrinkage.
        let d = NeighbourFixtures.digits()
        XCTAssertThrowsError(try LDA(fitting: d.xtr, labels: d.ytr, classCount: 10, parameters: .init(solver: .eigen))) { e in
            XCTAssertTrue("\(e)".contains("singular"), "\(e)")
        }
    }
}

extension Matrix where Element == Double {
    /// Column `j` as an `rows × 1` matrix.
    func selectingColumn(_ j: Int) -> Matrix<Double> { try! Matrix(rows: rows, columns: 1, values: column(j)) }
}
