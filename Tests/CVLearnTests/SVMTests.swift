import Foundation
import XCTest
@testable import CVLearn

final class SVMTests: XCTestCase {
    /// Deterministic pseudo-random matrix in [lo, hi).
    func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, lo: Double = -1, hi: Double = 1) -> Matrix<Double> {
        var g = GaussianRandom(seed: seed)
        return Matrix(rows: rows, columns: cols) { _, _ in lo + (hi - lo) * Double(g.nextUInt64() >> 11) / Double(1 << 53) }
    }

    /// Three Gaussian-ish blobs in 5-D.
    func blobs(_ n: Int, seed: UInt64) -> (Matrix<Double>, [Int]) {
        var x = randomMatrix(n, 5, seed: seed)
        var y = [Int]()
        for i in 0..<n {
            let c = i % 3
            y.append(c)
            x[i, c] += 1.5
        }
        return (x, y)
    }

    // MARK: kernels: BLAS paths vs the readable reference

    func testKernelRowsMatchReference() {
        let a = randomMatrix(7, 13, seed: 1, lo: 0, hi: 1), b = randomMatrix(9, 13, seed: 2, lo: 0, hi: 1)
        let af = a.converted(to: Float.self), bf = b.converted(to: Float.self)
        let kernels = [KernelFunction(type: .linear, gamma: 0), KernelFunction(type: .polynomial, gamma: 0.3, degree: 3, coef0: 1),
                       KernelFunction(type: .rbf, gamma: 0.7), KernelFunction(type: .sigmoid, gamma: 0.1, coef0: -0.5),
                       KernelFunction(type: .chi2, gamma: 0.9), KernelFunction(type: .intersection, gamma: 0)]
        let sqA = af.withUnsafeRows { rowSquaredNorms($0.baseAddress!, n: 7, d: 13) }
        let sqB = bf.withUnsafeRows { rowSquaredNorms($0.baseAddress!, n: 9, d: 13) }
        for k in kernels {
            var out = [Float](repeating: 0, count: 7 * 9)
            af.withUnsafeRows { ap in bf.withUnsafeRows { bp in out.withUnsafeMutableBufferPointer { o in
                k.block(ap.baseAddress!, sqA: sqA, n: 7, bp.baseAddress!, sqB: sqB, m: 9, d: 13, into: o.baseAddress!)
            } } }
            var row = [Float](repeating: 0, count: 9)
            af.withUnsafeRows { ap in bf.withUnsafeRows { bp in row.withUnsafeMutableBufferPointer { o in
                sqB.withUnsafeBufferPointer { sq in
                    k.row(ap.baseAddress! + 2 * 13, sqX: sqA[2], bp.baseAddress!, sqY: sq.baseAddress!, count: 9, d: 13, into: o.baseAddress!)
                }
            } } }
            for i in 0..<7 {
                for j in 0..<9 {
                    let ref = k.evaluate(Array(af.row(i)).map(Double.init), Array(bf.row(j)).map(Double.init))
                    XCTAssertEqual(Double(out[i * 9 + j]), ref, accuracy: 1e-5 * max(1, abs(ref)), "\(k.type) block \(i),\(j)")
                    if i == 2 { XCTAssertEqual(Double(row[j]), ref, accuracy: 1e-5 * max(1, abs(ref)), "\(k.type) row \(j)") }
                }
            }
        }
    }

    func testGammaRules() {
        let x = try! Matrix<Double>(rows: 2, columns: 2, values: [0, 1, 2, 3])
        XCTAssertEqual(GammaSpec.auto.resolve(for: x), 0.5)
        XCTAssertEqual(GammaSpec.scale.resolve(for: x), 1 / (2 * 1.25), accuracy: 1e-15)  // var([0,1,2,3]) = 1.25
        XCTAssertEqual(GammaSpec.scale.resolve(for: Matrix<Double>(rows: 2, columns: 2, repeating: 3)), 1)
        XCTAssertEqual(try GammaSpec(parsing: "0.25"), .value(0.25))
        XCTAssertThrowsError(try GammaSpec(parsing: "-1"))
        XCTAssertThrowsError(try GammaSpec(parsing: "fast"))
    }

    // MARK: kernel SVM

    func testDecisionValuesMatchDirectSum() throws {
        let (x, y) = blobs(90, seed: 3)
        let m = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(regularization: 2, gamma: .value(0.4)))
        let t = randomMatrix(11, 5, seed: 4)
        let dec = try m.oneVsOneDecisionValues(t)
        let d = m.featureCount, n = m.supportVectorCount
        var starts = [0, m.supportCounts[0], m.supportCounts[0] + m.supportCounts[1]]
        starts.append(n)
        for r in 0..<t.rows {
            let xr = Array(t.row(r))
            var p = 0
            for i in 0..<3 { for j in (i + 1)..<3 {
                var s = 0.0
                for v in starts[i]..<starts[i + 1] {
                    s += m.dualCoefficients[(j - 1) * n + v] * m.kernelFunction.evaluate(m.supportVectors[(v * d)..<((v + 1) * d)].map(Double.init), xr)
                }
                for v in starts[j]..<starts[j + 1] {
                    s += m.dualCoefficients[i * n + v] * m.kernelFunction.evaluate(m.supportVectors[(v * d)..<((v + 1) * d)].map(Double.init), xr)
                }
                XCTAssertEqual(dec[r, p], s - m.rho[p], accuracy: 1e-4)
                p += 1
            } }
        }
        // Dual feasibility: Σ coef = 0 per pair and |coef| ≤ C.
        XCTAssertTrue(m.dualCoefficients.allSatisfy { abs($0) <= 2 + 1e-12 })
    }

    func testTinyCacheGivesSameModel() throws {
        let (x, y) = blobs(150, seed: 5)
        let big = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(gamma: .value(0.5)))
        let tiny = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(gamma: .value(0.5), cacheMegabytes: 0.001))
        XCTAssertEqual(big.supportIndices, tiny.supportIndices)
        for (a, b) in zip(big.dualCoefficients, tiny.dualCoefficients) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        let noShrink = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(gamma: .value(0.5), shrinking: false))
        let t = randomMatrix(40, 5, seed: 6)
        XCTAssertEqual(try big.predict(t), try noShrink.predict(t))
    }

    func testParallelEqualsSerial() throws {
        let (x, y) = blobs(120, seed: 7)
        let saved = LinearAlgebra.threadCount
        defer { LinearAlgebra.threadCount = saved }
        LinearAlgebra.threadCount = 1
        let a = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(kernel: .rbf, gamma: .value(1)))
        let la = try LinearSVM(fitting: x, labels: y, classCount: 3)
        LinearAlgebra.threadCount = 2
        let b = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(kernel: .rbf, gamma: .value(1)))
        let lb = try LinearSVM(fitting: x, labels: y, classCount: 3)
        XCTAssertEqual(a.dualCoefficients, b.dualCoefficients)
        XCTAssertEqual(a.rho, b.rho)
        XCTAssertEqual(la.weights, lb.weights)
    }

    func testPlattProbabilities() throws {
        let (x, y) = blobs(150, seed: 8)
        let m = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(probability: true))
        let t = randomMatrix(30, 5, seed: 9)
        let p = try XCTUnwrap(try m.probabilities(t))
        for r in 0..<t.rows {
            let s = (0..<3).reduce(0.0) { $0 + p[r, $1] }
            XCTAssertEqual(s, 1, accuracy: 1e-6)
        }
        // Mostly consistent with the votes (LIBSVM does not guarantee agreement).
        let votes = try m.predict(t)
        let agree = zip(votes, argmaxRows(p)).filter { $0 == $1 }.count
        XCTAssertGreaterThan(agree, 24)
        XCTAssertNil(try KernelSVM(fitting: x, labels: y, classCount: 3).probabilities(t))
        // sigmoid_train on separable values gives a decreasing sigmoid (A < 0).
        let (a, _) = PlattScaling.sigmoidTrain(decision: [-2, -1, -0.5, 0.5, 1, 2], positive: [false, false, true, false, true, true])
        XCTAssertLessThan(a, 0)
    }

    // MARK: linear SVM

    func testLinearSVMBinaryAndOptimality() throws {
        let (x, y3) = blobs(120, seed: 10)
        let y = y3.map { $0 == 0 ? 0 : 1 }
        let m = try LinearSVM(fitting: x, labels: y, classCount: 2, parameters: .init(tolerance: 1e-6, maxIterations: 10000))
        XCTAssertEqual(m.modelCount, 1)
        let s = try m.decisionValues(x)
        XCTAssertEqual(s[0, 0], -s[0, 1])
        // Primal objective of L2-loss SVM at the solution beats small perturbations.
        func primal(_ w: [Double], _ b: Double) -> Double {
            var f = 0.5 * (w.reduce(0) { $0 + $1 * $1 } + b * b)
            for i in 0..<x.rows {
                let yi = y[i] == 1 ? 1.0 : -1.0
                let v = zip(w, x.row(i)).reduce(b) { $0 + $1.0 * $1.1 }
                f += pow(max(0, 1 - yi * v), 2)
            }
            return f
        }
        let f0 = primal(m.weights, m.intercepts[0])
        for k in 0..<5 {
            var w = m.weights
            w[k] += 1e-3
            XCTAssertGreaterThanOrEqual(primal(w, m.intercepts[0]), f0 - 1e-9)
            w[k] -= 2e-3
            XCTAssertGreaterThanOrEqual(primal(w, m.intercepts[0]), f0 - 1e-9)
        }
    }

    func testLinearSVMClassWeightsAndSeedDeterminism() throws {
        let (x, y) = blobs(90, seed: 11)
        let a = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(seed: 4))
        let b = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(seed: 4))
        XCTAssertEqual(a.weights, b.weights)
        let w = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(classWeights: [10, 1, 1]))
        let pw = try w.predict(x), pa = try a.predict(x)
        XCTAssertGreaterThanOrEqual(pw.filter { $0 == 0 }.count, pa.filter { $0 == 0 }.count)
        let cs = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(multiClass: .crammerSinger))
        XCTAssertEqual(cs.modelCount, 3)
        XCTAssertGreaterThan(accuracyScore(truth: y, predicted: try cs.predict(x)), 0.8)
    }

    // MARK: parameters, defaults, model files, grid search

    func testDocumentedDefaults() {
        let k = KernelSVM.Parameters()
        XCTAssertEqual(k.regularization, 1); XCTAssertEqual(k.kernel, .rbf); XCTAssertEqual(k.gamma, .scale); XCTAssertEqual(k.degree, 3)
        XCTAssertEqual(k.coef0, 0); XCTAssertEqual(k.tolerance, 1e-3); XCTAssertTrue(k.shrinking); XCTAssertEqual(k.cacheMegabytes, 200)
        XCTAssertNil(k.classWeights); XCTAssertFalse(k.probability); XCTAssertNil(k.maxIterations)
        let l = LinearSVM.Parameters()
        XCTAssertEqual(l.regularization, 1); XCTAssertEqual(l.loss, .squaredHinge); XCTAssertEqual(l.multiClass, .oneVsRest)
        XCTAssertEqual(l.tolerance, 1e-4); XCTAssertEqual(l.maxIterations, 1000); XCTAssertTrue(l.fitIntercept)
        XCTAssertEqual(l.interceptScaling, 1); XCTAssertTrue(l.shrinking); XCTAssertEqual(l.seed, 0)
    }

    func testBadParametersThrow() {
        let (x, y) = blobs(30, seed: 12)
        func expectParam(_ name: String, _ body: () throws -> Void) {
            XCTAssertThrowsError(try body()) { e in
                guard case let .invalidParameter(n, _)? = e as? LearnError else { return XCTFail("\(e)") }
                XCTAssertEqual(n, name)
            }
        }
        expectParam("C") { _ = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(regularization: 0)) }
        expectParam("gamma") { _ = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(gamma: .value(-1))) }
        expectParam("degree") { _ = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(degree: 0)) }
        expectParam("cacheMB") { _ = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(cacheMegabytes: 0)) }
        expectParam("classWeights") { _ = try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(classWeights: [1])) }
        expectParam("C") { _ = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(regularization: -1)) }
        expectParam("tolerance") { _ = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(tolerance: 0)) }
        expectParam("maxIterations") { _ = try LinearSVM(fitting: x, labels: y, classCount: 3, parameters: .init(maxIterations: 0)) }
        // χ² needs non-negative features.
        XCTAssertThrowsError(try KernelSVM(fitting: x, labels: y, classCount: 3, parameters: .init(kernel: .chi2)))
        XCTAssertThrowsError(try KernelSVM(fitting: x, labels: [0], classCount: 3))
    }

    func testModelFileRoundTrip() throws {
        let (x, y) = blobs(90, seed: 13)
        let labels = y.map { ["cat", "dog", "eel"][$0] }
        for kind in [ClassifierKind.svm, .linearSVM] {
            var o = TrainingOptions(classifier: kind, scale: .standard)
            o.svm = .init(kernel: .polynomial, probability: true)
            let model = try Model.train(x, labels: labels, options: o)
            let bytes = try ModelFile.encode(model)
            let back = try ModelFile.decodeModel(bytes)
            XCTAssertEqual(back.classifier.kind, kind)
            XCTAssertEqual(try back.predict(x), try model.predict(x))
            XCTAssertEqual(try back.classifier.base.decisionValues(x).storage, try model.classifier.base.decisionValues(x).storage)
            // A truncated coefficient array is refused with a one-line error.
            var text = String(decoding: bytes, as: UTF8.self)
            let key = kind == .svm ? "\"rho\":[" : "\"intercepts\":["
            text = text.replacingOccurrences(of: key, with: key + "1,")
            XCTAssertThrowsError(try ModelFile.decodeModel(Array(text.utf8)))
        }
    }

    func testGridSearchPicksBestPoint() throws {
        let (x, y) = blobs(120, seed: 14)
        let enc = try LabelEncoder(fitting: y.map(String.init))
        let yi = try enc.encode(y.map(String.init))
        let o = TrainingOptions(classifier: .svm)
        let points = try GridSearch.run(x, classIndices: yi, encoder: enc, options: o, regularizations: [0.01, 1], gammas: [.scale, .value(0.1)], folds: 3)
        XCTAssertEqual(points.count, 4)
        XCTAssertTrue(points.allSatisfy { $0.foldScores.count == 3 && $0.foldScores.allSatisfy { $0.isFinite } })
        let b = GridSearch.best(points)
        XCTAssertTrue(points.allSatisfy { $0.mean <= points[b].mean })
        // Serial cross-validation gives the same fold scores.
        let serial = try crossValidate(x, labels: y.map(String.init), options: GridSearch.options(o, regularization: points[b].regularization, gamma: points[b].gamma), folds: 3)
        XCTAssertEqual(serial, points[b].foldScores)
        XCTAssertThrowsError(try GridSearch.run(x, classIndices: yi, encoder: enc, options: TrainingOptions(), regularizations: [1], gammas: [], folds: 3))
    }

    func testClassPairsFollowLIBSVMOrder() {
        XCTAssertEqual(ClassPairs(classCount: 4).map { [$0.first, $0.second, $0.index] },
                       [[0, 1, 0], [0, 2, 1], [0, 3, 2], [1, 2, 3], [1, 3, 4], [2, 3, 5]])
        XCTAssertEqual(ClassPairs(classCount: 4).count, 6)
        XCTAssertTrue(Array(ClassPairs(classCount: 1)).isEmpty)
        XCTAssertTrue(Array(ClassPairs(classCount: 0)).isEmpty)
        XCTAssertEqual(ClassPairs(classCount: 2).map(\.index), [0])
    }

    /// Model files keep LIBSVM's and scikit-learn's keys after the Swift renames.
    func testRenamedPropertiesKeepTheirFileKeys() throws {
        let (x, y) = blobs(30, seed: 3)
        let m = try KernelSVM(fitting: x, labels: y, classCount: 3,
                              parameters: .init(regularization: 2, cacheMegabytes: 50, probability: true))
        let json = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        for key in ["\"C\":2", "\"cacheMB\":50", "\"probA\"", "\"probB\""] { XCTAssertTrue(json.contains(key), key) }
        let back = try JSONDecoder().decode(KernelSVM.self, from: Data(json.utf8))
        XCTAssertEqual(back.plattA, m.plattA)
        XCTAssertEqual(back.parameters, m.parameters)
        let linear = String(decoding: try JSONEncoder().encode(LinearSVM.Parameters(regularization: 0.5)), as: UTF8.self)
        XCTAssertTrue(linear.contains("\"C\":0.5"), linear)
    }
}

final class SVMLIBSVMFormatTests: XCTestCase {
    func testLIBSVMModelRoundTripAndOfficialModel() throws {
        let x = try NPYFile.readMatrix(path: SVMFixtures.path("binary.npy")).asDouble
        let y = SVMFixtures.intLabels("binary_labels.npy")
        let xtr = x.selectingRows(0..<400), xte = x.selectingRows(400..<x.rows)
        let m = try KernelSVM(fitting: xtr, labels: Array(y[0..<400]), classCount: 2, parameters: .init(gamma: .value(0.1)))
        let text = try LIBSVMModelFile.encode(m, labels: ["0", "1"])
        let (back, labels) = try LIBSVMModelFile.decode(text, featureCount: 12)
        XCTAssertEqual(labels, ["0", "1"])
        let a = try m.oneVsOneDecisionValues(xte).storage, b = try back.oneVsOneDecisionValues(xte).storage
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-6) }
        // A model written by libsvm-official's svm_save_model (labels in first-appearance order).
        let official = try String(contentsOfFile: SVMFixtures.path("binary_rbf.libsvm.model"), encoding: .utf8)
        let (om, olabels) = try LIBSVMModelFile.decode(official, featureCount: 12)
        var dec = try om.oneVsOneDecisionValues(xte).storage  // positive → olabels[0]
        if olabels[0] == "0" { dec = dec.map { -$0 } }
        let e = SVMFixtures.entry("binary", "rbf_C1_g0.1")
        assertClose(dec, doubles(e["libsvm_decision"]), atol: 1e-5, "official LIBSVM model decision values")
        XCTAssertThrowsError(try LIBSVMModelFile.decode("svm_type nu_svc\n"))
        let chi = try KernelSVM(fitting: xtr.selectingRows(0..<40).converted(to: Float.self).map { abs($0) }, labels: Array(y[0..<40]), classCount: 2,
                                parameters: .init(kernel: .intersection))
        XCTAssertThrowsError(try LIBSVMModelFile.encode(chi, labels: ["0", "1"]))
    }
}

extension Matrix {
    func map(_ f: (Element) -> Element) -> Matrix { Matrix(uncheckedRows: rows, columns: columns, storage: storage.map(f)) }
}

