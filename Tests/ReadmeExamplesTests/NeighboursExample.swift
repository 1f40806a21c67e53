import ClassicCV

/// Digits → LDA (9 discriminant axes) → 5-nearest-neighbours accuracy on held-out rows, and the
/// verification AUC and retrieval mAP of the LDA embedding.
func neighboursTour(table: String) throws -> (accuracy: Double, auc: Double, map: Double) {
    let data = try FeatureTable.read(path: table)                       // label column, then features
    let encoder = try LabelEncoder(fitting: data.labels ?? [])
    let y = try encoder.encode(data.labels ?? [])
    let x = data.features.asDouble
    let train = (0..<x.rows).filter { $0 % 5 != 0 }, test = (0..<x.rows).filter { $0 % 5 == 0 }

    let lda = try LinearDiscriminantAnalysis(fitting: x.selectingRows(train), labels: train.map { y[$0] },
                                             classCount: encoder.classes.count)  // sklearn LinearDiscriminantAnalysis()
    let embedTrain = try lda.transform(x.selectingRows(train))                  // rows × 9
    let embedTest = try lda.transform(x.selectingRows(test))
    let knn = try KNeighborsClassifier(fitting: embedTrain, labels: train.map { y[$0] }, classCount: encoder.classes.count,
                                       parameters: .init(neighbors: 5, weights: .distance))  // KNeighborsClassifier
    let predicted = try knn.predict(embedTest)
    let accuracy = accuracyScore(truth: test.map { y[$0] }, predicted: predicted)

    let verification = try Verification.evaluate(embedTest, labels: test.map { y[$0] }, metric: .cosine)  // all pairs
    let retrieval = try Retrieval.evaluate(embedTest, labels: test.map { y[$0] }, metric: .euclidean)     // recall@1/5/10, mAP
    return (accuracy, verification.auc, retrieval.meanAveragePrecision)
}
