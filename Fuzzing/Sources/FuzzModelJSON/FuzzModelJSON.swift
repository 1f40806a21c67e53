import ClassicCV
import FuzzSupport

/// Model and PCA JSON through the public loaders; a model that loads must also predict, so a
/// file whose arrays disagree with its sizes is caught at load time, not as a crash later.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        if let pca = try? ModelFile.decodePCA(bytes), pca.featureCount <= 1024 {
            _ = try? pca.transform(Matrix<Double>(rows: 2, columns: pca.featureCount, repeating: 0.5))
        }
        let model = try ModelFile.decodeModel(bytes)
        guard model.featureCount <= 1024 else { return }
        let x = Matrix<Double>(rows: 2, columns: model.featureCount, repeating: 0.5)
        _ = try? model.predict(x)
        _ = try? model.probabilities(x)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initializeModelJSON(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    Fuzz.writeSeedsIfAsked {
        let (x, y) = Fuzz.blobs()
        var seeds: [String: [UInt8]] = [:]
        for kind in ClassifierKind.allCases {
            let plain = try Model.train(x, labels: y, options: TrainingOptions(classifier: kind))
            seeds["\(kind.rawValue).json"] = try ModelFile.encode(plain)
        }
        let piped = try Model.train(x, labels: y, options: TrainingOptions(classifier: .gaussianNB, scale: .standard, pca: .count(1)))
        seeds["scaled-pca.json"] = try ModelFile.encode(piped)
        if let pca = piped.pca { seeds["pca.json"] = try ModelFile.encode(pca) }
        return seeds
    }
    return 0
}
