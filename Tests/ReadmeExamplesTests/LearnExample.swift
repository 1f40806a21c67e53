import ClassicCV

/// Standard scaling → PCA → Gaussian Naive Bayes on a feature table, scored on held-out rows.
func classify(table: String) throws -> ClassificationReport {
    let data = try FeatureTable.read(path: table)               // CSV: a label column, then features
    let encoder = try LabelEncoder(fitting: data.labels ?? [])
    let y = try encoder.encode(data.labels ?? [])
    let x = data.features.asDouble                              // rows × features
    let test = Array(stride(from: 0, to: x.rows, by: 5))        // every fifth row held out
    let train = (0..<x.rows).filter { $0 % 5 != 0 }

    let scaler = try StandardScaler(fitting: x.selectingRows(train))        // sklearn StandardScaler
    let pca = try PCA(fitting: try scaler.transform(x.selectingRows(train)),
                      parameters: PCA.Parameters(components: .varianceFraction(0.9)))
    func features(_ rows: [Int]) throws -> Matrix<Double> {
        try pca.transform(try scaler.transform(x.selectingRows(rows)))
    }
    let model = try GaussianNB(fitting: try features(train), labels: train.map { y[$0] },
                               classCount: encoder.classes.count)          // sklearn GaussianNB
    let predicted = try model.predict(try features(test))
    return try ClassificationReport(truth: test.map { y[$0] }, predicted: predicted,
                                    classes: encoder.classes)              // accuracy, per class, confusion
}
