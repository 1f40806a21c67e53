import XCTest
@testable import CVLearn

final class ModelFileTests: XCTestCase {
    func testEveryKindRoundTripsToIdenticalPredictions() throws {
        let (xtr, ytr, xte, _) = Fixtures.digitsSplit()
        let configs: [TrainingOptions] = [
            .init(classifier: .gaussianNB, scale: .standard, pca: .count(20)),
            .init(classifier: .multinomialNB, scale: .minmax),
            .init(classifier: .complementNB, discrete: .init(alpha: 0.5), complementNorm: true),
            .init(classifier: .gaussianNB, pca: .varianceFraction(0.95)),
        ]
        for o in configs {
            let m = try Model.train(xtr, labels: ytr, options: o)
            let bytes = try ModelFile.encode(m)
            let back = try ModelFile.decodeModel(bytes)
            XCTAssertEqual(try back.predict(xte), try m.predict(xte))
            XCTAssertEqual(try back.probabilities(xte)!.storage, try m.probabilities(xte)!.storage, "bit-identical probabilities")
            XCTAssertEqual(try ModelFile.encode(back), bytes, "re-encoding is stable")
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertTrue(text.contains("\"type\":\"\(o.classifier.rawValue)\""))
            XCTAssertTrue(text.contains("\"version\":1"))
        }
    }

    func testCorruptTruncatedAndMismatchedFiles() throws {
        let (xtr, ytr, _, _) = Fixtures.digitsSplit()
        let m = try Model.train(xtr, labels: ytr, options: .init(classifier: .gaussianNB, scale: .standard))
        let bytes = try ModelFile.encode(m)
        func message(_ b: [UInt8]) -> String {
            do { _ = try ModelFile.decodeModel(b, source: "m.json"); return "no error" } catch { return "\(error)" }
        }
        let truncated = message(Array(bytes.prefix(bytes.count / 2)))
        XCTAssertTrue(truncated.hasPrefix("m.json: cannot read:"), truncated)
        XCTAssertFalse(truncated.contains("\n"))
        XCTAssertTrue(message(Array("{}".utf8)).contains("not a ClassicCV model"))
        XCTAssertTrue(message(Array("garbage".utf8)).contains("m.json"))
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"version\":1", with: "\"version\":99")
        XCTAssertTrue(message(Array(text.utf8)).contains("version 99"))
        let wrongType = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"type\":\"gaussian-nb\"", with: "\"type\":\"forest\"")
        XCTAssertTrue(message(Array(wrongType.utf8)).contains("unknown classifier type 'forest'"))
        let wrongCount = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"n_features\":64", with: "\"n_features\":65")
        XCTAssertTrue(message(Array(wrongCount.utf8)).contains("features"), message(Array(wrongCount.utf8)))
        // Data with the wrong feature count.
        XCTAssertThrowsError(try m.predict(Matrix<Double>(rows: 2, columns: 63))) { e in
            XCTAssertEqual("\(e)", "model mismatch: model was fitted on 64 features, the data has 63")
        }
    }

    func testPCAFileRoundTrip() throws {
        let (xtr, _, xte, _) = Fixtures.digitsSplit()
        let p = try PCA(fitting: xtr, parameters: .init(components: .count(12), whiten: true))
        let back = try ModelFile.decodePCA(try ModelFile.encode(p))
        XCTAssertEqual(back, p)
        XCTAssertEqual(try back.transform(xte).storage, try p.transform(xte).storage)
        XCTAssertThrowsError(try ModelFile.decodePCA(Array("{\"format\":\"classiccv-pca\",\"version\":1}".utf8)))
    }
}
