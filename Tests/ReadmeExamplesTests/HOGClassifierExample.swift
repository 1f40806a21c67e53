import ClassicCV

/// Faces against other pictures (scikit-image's lfw_subset as IDX files) → HOG → standard
/// scaling → linear SVM, scored by 5-fold stratified cross-validation.
func faceAccuracy(images: String, labels: String) throws -> Double {
    let pictures = try IDX.images(path: images)                      // 200 gray 25×25 images
    let y = try IDX.readLabels(path: labels).map { Int($0) }         // two classes, 0 and 1
    let hog = try HOG(.scikitImage(orientations: 9, pixelsPerCell: HOGSize(5, 5), cellsPerBlock: HOGSize(2, 2)))
    let x = try Matrix<Float>(rowArrays: pictures.map { try hog.descriptor($0).values })   // 200 × 576

    var correct = 0
    for fold in try StratifiedKFold(splits: 5, seed: 0).split(labels: y) {
        let scaler = try StandardScaler(fitting: x.selectingRows(fold.train))
        let svm = try LinearSVM(fitting: try scaler.transform(x.selectingRows(fold.train)),
                                labels: fold.train.map { y[$0] }, classCount: 2,
                                parameters: LinearSVM.Parameters(regularization: 0.1))   // sklearn LinearSVC(C=0.1)
        let predicted = try svm.predict(try scaler.transform(x.selectingRows(fold.test)))
        correct += zip(predicted, fold.test).filter { $0.0 == y[$0.1] }.count
    }
    return Double(correct) / Double(y.count)
}
