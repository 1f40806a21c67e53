import Foundation
import XCTest
@testable import CVLearn

/// Fixtures/svm (Tools/fixtures_svm.py): scikit-learn 1.9 LinearSVC / SVC and libsvm-official.
enum SVMFixtures {
    static let root = Fixtures.root.deletingLastPathComponent().appendingPathComponent("svm")
    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    nonisolated(unsafe) static var cachedReference: [String: JSONValue]?
    static var reference: [String: JSONValue] {
        if let r = cachedReference { return r }
        let data = try! Data(contentsOf: root.appendingPathComponent("reference.json"))
        guard case let .object(r) = try! JSONDecoder().decode(JSONValue.self, from: data) else { fatalError("reference.json") }
        cachedReference = r
        return r
    }

    static func entry(_ group: String, _ name: String) -> [String: JSONValue] {
        guard case let .object(g)? = reference[group], case let .object(e)? = g[name] else { fatalError("no \(group)/\(name)") }
        return e
    }

    static func number(_ v: JSONValue?) -> Double { doubles(v).first ?? .nan }

    /// Digits / 16, split as the fixture (first 1257 rows train).
    static func digits() -> (xtr: Matrix<Double>, ytr: [Int], xte: Matrix<Double>, yte: [Int]) {
        let (xtr, ytr, xte, yte) = Fixtures.digitsSplit()
        func scaled(_ m: Matrix<Double>) -> Matrix<Double> {
            var m = m
            for i in 0..<m.storage.count { m.storage[i] /= 16 }
            return m
        }
        return (scaled(xtr), ytr.map { Int($0)! }, scaled(xte), yte.map { Int($0)! })
    }

    static func intLabels(_ name: String) -> [Int] { try! FeatureTable.readLabels(path: path(name)).map { Int($0)! } }

    static func quantised(_ name: String) -> Matrix<Float> {
        var m = try! NPYFile.readMatrix(path: path(name)).asFloat
        for i in 0..<m.storage.count { m.storage[i] /= 512 }
        return m
    }

    nonisolated(unsafe) static var cachedFashion: (Matrix<Float>, [Int], Matrix<Float>, [Int])?
    static func fashion() -> (xtr: Matrix<Float>, ytr: [Int], xte: Matrix<Float>, yte: [Int]) {
        if let f = cachedFashion { return f }
        let f = (quantised("fmnist_hog_train_q.npy"), intLabels("fmnist_train_labels.npy"),
                 quantised("fmnist_hog_test_q.npy"), intLabels("fmnist_test_labels.npy"))
        cachedFashion = f
        return f
    }

    static func accuracy(_ p: [Int], _ t: [Int]) -> Double {
        Double(zip(p, t).filter { $0 == $1 }.count) / Double(t.count)
    }
}

final class SVMFidelityTests: XCTestCase {
    // MARK: kernel SVM

    func testBinaryRBFDecisionValuesMatchLIBSVM() throws {
        let xb = try NPYFile.readMatrix(path: SVMFixtures.path("binary.npy")).asDouble
        let yb = SVMFixtures.intLabels("binary_labels.npy")
        let xtr = xb.selectingRows(0..<400), xte = xb.selectingRows(400..<xb.rows)
        for name in ["rbf_C1_g0.1", "rbf_C10_g0.05"] {
            let e = SVMFixtures.entry("binary", name)
            let p = KernelSVM.Parameters(regularization: SVMFixtures.number(e["C"]), kernel: .rbf, gamma: .value(SVMFixtures.number(e["gamma"])))
            let m = try KernelSVM(fitting: xtr, labels: Array(yb[0..<400]), classCount: 2, parameters: p)
            let dec = try m.binaryDecisionValues(xte)
            let diff = assertClose(dec, doubles(e["decision"]), atol: 1e-3, "\(name) decision vs sklearn SVC")
            let nsv = Int(SVMFixtures.number(e["n_support"]))
            XCTAssertLessThanOrEqual(abs(Double(m.supportVectorCount - nsv)) / Double(nsv), 0.02, "\(name): n_SV \(m.supportVectorCount) vs \(nsv)")
            print("SVM-FIDELITY binary \(name): max|Δdec| vs sklearn \(diff); nSV \(m.supportVectorCount) vs \(nsv)")
            if e["libsvm_decision"] != nil {
                // Upstream LIBSVM orders classes by first appearance (sklearn sorts them): the
                // first training label is its "+1" class. Refit with that class first.
                let first = yb[0]
                let yUp = yb[0..<400].map { $0 == first ? 0 : 1 }
                let up = try KernelSVM(fitting: xtr, labels: yUp, classCount: 2, parameters: p)
                var decUp = try up.oneVsOneDecisionValues(xte).storage  // positive → LIBSVM label[0]
                if first == 0 { decUp = decUp.map { -$0 } }      // fixture: positive → class 1
                let d2 = assertClose(decUp, doubles(e["libsvm_decision"]), atol: 1e-3, "\(name) decision vs libsvm-official")
                let nsvUp = Int(SVMFixtures.number(e["libsvm_n_support"]))
                XCTAssertLessThanOrEqual(abs(Double(up.supportVectorCount - nsvUp)) / Double(nsvUp), 0.02)
                print("SVM-FIDELITY binary \(name): max|Δdec| vs libsvm-official \(d2); nSV \(up.supportVectorCount) vs \(nsvUp)")
            }
            XCTAssertEqual(try m.predict(xte), ints(e["predictions"]))
        }
    }

    func testDigitsKernelSVMAccuracyMatchesSVC() throws {
        let (xtr, ytr, xte, yte) = SVMFixtures.digits()
        let cases: [(String, KernelSVM.Parameters)] = [
            ("rbf_scale", .init()),
            ("rbf_C10_g0.05", .init(regularization: 10, gamma: .value(0.05))),
            ("poly3", .init(kernel: .polynomial, degree: 3, coef0: 1)),
            ("sigmoid", .init(kernel: .sigmoid, gamma: .value(0.01))),
            ("linear_kernel", .init(kernel: .linear)),
        ]
        for (name, p) in cases {
            let e = SVMFixtures.entry("digits", name)
            let m = try KernelSVM(fitting: xtr, labels: ytr, classCount: 10, parameters: p)
            XCTAssertEqual(m.kernelFunction.gamma, SVMFixtures.number(e["gamma"]), accuracy: 1e-12, name)
            let pred = try m.predict(xte)
            let acc = SVMFixtures.accuracy(pred, yte)
            let ref = SVMFixtures.number(e["accuracy"])
            let agree = SVMFixtures.accuracy(pred, ints(e["predictions"]))
            print("SVM-FIDELITY digits \(name): accuracy \(acc) vs \(ref), agreement \(agree), nSV \(m.supportCounts) vs \(ints(e["n_support"]))")
            XCTAssertLessThanOrEqual(abs(acc - ref), 0.002 + 1e-12, name)
        }
    }

    func testFashionHOGAccuracyMatchesSklearn() throws {
        let (xtr, ytr, xte, yte) = SVMFixtures.fashion()
        let e = SVMFixtures.entry("fmnist", "rbf_scale")
        let m = try KernelSVM(fitting: xtr, labels: ytr, classCount: 10, parameters: .init(regularization: 10))
        let pred = try m.predict(xte)
        let acc = SVMFixtures.accuracy(pred, yte), ref = SVMFixtures.number(e["accuracy"])
        print("SVM-FIDELITY fmnist rbf: accuracy \(acc) vs \(ref), agreement \(SVMFixtures.accuracy(pred, ints(e["predictions"]))), nSV \(m.supportVectorCount) vs \(ints(e["n_support"]).reduce(0, +))")
        XCTAssertLessThanOrEqual(abs(acc - ref), 0.002 + 1e-12)

        let el = SVMFixtures.entry("fmnist", "linear_l2")
        let lm = try LinearSVM(fitting: xtr, labels: ytr, classCount: 10, parameters: .init())
        let lpred = try lm.predict(xte)
        let lacc = SVMFixtures.accuracy(lpred, yte), lref = SVMFixtures.number(el["accuracy"])
        print("SVM-FIDELITY fmnist linear: accuracy \(lacc) vs \(lref), agreement \(SVMFixtures.accuracy(lpred, ints(el["predictions"])))")
        XCTAssertLessThanOrEqual(abs(lacc - lref), 0.002 + 1e-12)
    }

    // MARK: linear SVM

    func testDigitsLinearSVMAccuracyMatchesLinearSVC() throws {
        let (xtr, ytr, xte, yte) = SVMFixtures.digits()
        let cases: [(String, LinearSVM.Parameters)] = [
            ("linear_l2", .init()),
            ("linear_l1", .init(loss: .hinge, maxIterations: 5000)),
            ("linear_cs", .init(multiClass: .crammerSinger, maxIterations: 5000)),
        ]
        for (name, p) in cases {
            let e = SVMFixtures.entry("digits", name)
            let m = try LinearSVM(fitting: xtr, labels: ytr, classCount: 10, parameters: p)
            let pred = try m.predict(xte)
            let acc = SVMFixtures.accuracy(pred, yte), ref = SVMFixtures.number(e["accuracy"])
            print("SVM-FIDELITY digits \(name): accuracy \(acc) vs \(ref), agreement \(SVMFixtures.accuracy(pred, ints(e["predictions"]))), iterations \(m.iterations.max()!)")
            XCTAssertLessThanOrEqual(abs(acc - ref), 0.002 + 1e-12, name)
        }
    }
}
