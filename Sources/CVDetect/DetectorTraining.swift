import CVCore
import CVLearn

/// Trains a ``HOGDetectorModel`` from positive windows and images without the object, the
/// recipe of Dalal & Triggs (2005): HOG descriptors of the positives, random negative
/// windows, a linear SVM, then rounds of hard-negative mining — scan the negative images
/// with the current model at every scale, add the false positives, refit.
///
/// ```swift
/// var p = HOGDetectorTrainingParameters(window: .init(width: 32, height: 64), C: 0.01, rounds: 2)
/// let model = try HOGDetectorTrainer(parameters: p).train(positives: crops, negatives: backgrounds)
/// let found = try HOGDetector(model: model).detect(in: scene)
/// ```
///
/// Descriptors are made by ``HOGWindowDescriber``, so a training window and the same window
/// scanned by ``HOGDetector`` have the same descriptor and ``HOGDetectorModel/score(_:)``.
///
/// Sign convention: the model's score is `weights · x + bias`, positive for the object — the
/// SVM's decision value with the positives as class 1 (scikit-learn's `LinearSVC.coef_` and
/// `intercept_`), which is what `HOGDescriptor.setSVMDetector` takes with the bias last.
/// OpenCV's `samples/cpp/train_HOG.cpp` appends `-rho` because `cv::ml::SVM`'s decision
/// function is `sv · x − rho`; the exported coefficients are the same numbers.
///
/// - Complexity: O((positives + negatives) · descriptor length) per SVM iteration, plus one
///   detector scan of every negative image per round.
///
/// Reference: N. Dalal and B. Triggs, "Histograms of Oriented Gradients for Human Detection",
/// CVPR 2005, doi:10.1109/CVPR.2005.177.
public struct HOGDetectorTrainer: Sendable {
    /// The validated options.
    public let parameters: HOGDetectorTrainingParameters
    let describer: HOGWindowDescriber

    /// - Parameter parameters: default `HOGDetectorTrainingParameters()`.
    /// - Throws: `CVError.invalidParameter` naming the first bad option.
    public init(parameters: HOGDetectorTrainingParameters = HOGDetectorTrainingParameters()) throws {
        try parameters.validate()
        self.parameters = parameters
        describer = try HOGWindowDescriber(model: parameters.untrainedModel())
    }

    /// Trains a model.
    /// - Parameters:
    ///   - positives: windows of the object (any size: resized to the window), 1 or 3 channels.
    ///   - negatives: images without the object, at least as large as the window.
    ///   - progress: called after each mining round (never for the first fit).
    /// - Returns: the model, with ``HOGDetectorModel/training`` filled in.
    /// - Throws: `CVError.invalidParameter` for no positives, no negative windows, an empty
    ///   image or a training set over ``HOGDetectorTrainingParameters/maxTrainingValues``;
    ///   `LearnError` from the SVM.
    public func train(positives: [Image<UInt8>], negatives: [Image<UInt8>],
                      progress: ((HOGTrainingRecord.Round) -> Void)? = nil) throws -> HOGDetectorModel {
        var set = TrainingSet(length: describer.length, limit: parameters.maxTrainingValues)
        try set.append(describeAll(try positiveWindows(positives)), label: 1)
        let positiveCount = set.count
        try set.append(randomNegatives(negatives), label: 0)
        let randomCount = set.count - positiveCount
        guard positiveCount > 0, randomCount > 0 else {
            throw CVError.invalidParameter(name: positiveCount == 0 ? "positives" : "negatives",
                                           reason: positiveCount == 0 ? "no positive windows" : "no negative window fits in the negative images")
        }
        var model = try fit(set)
        var rounds: [HOGTrainingRecord.Round] = []
        for r in 1...max(parameters.rounds, 1) where r <= parameters.rounds {
            let pruned = parameters.pruneEasyNegatives ? set.removeNegatives { model.score($0) < -1 } : 0
            var round = try mine(with: model, negatives: negatives, into: &set, round: r)
            round.pruned = parameters.pruneEasyNegatives ? pruned : nil
            rounds.append(round)
            progress?(round)
            if round.added > 0 { model = try fit(set) }
        }
        model.training = HOGTrainingRecord(positives: positiveCount, mirrored: parameters.mirrorPositives,
                                           jitter: parameters.positiveJitter, jitterAmplitude: parameters.jitterAmplitude,
                                           positiveRegion: parameters.positiveRegion,
                                           negativeImages: negatives.count, randomNegatives: randomCount, C: parameters.C,
                                           seed: parameters.seed, miningThreshold: parameters.miningThreshold, rounds: rounds)
        return model
    }

    // MARK: - Steps

    /// The positives, each followed by its mirror image when asked, then the jittered copies
    /// of all of them, each cut to the positive region.
    private func positiveWindows(_ positives: [Image<UInt8>]) throws -> [Image<UInt8>] {
        var windows = parameters.mirrorPositives ? positives.flatMap { [$0, mirrored($0)] } : positives
        if parameters.positiveJitter > 0 {
            windows += jitteredPositives(windows, copies: parameters.positiveJitter, amplitude: parameters.jitterAmplitude,
                                         seed: parameters.seed)
        }
        guard let r = parameters.positiveRegion else { return windows }
        return try windows.enumerated().map { i, image in
            guard r.x + r.width <= image.width, r.y + r.height <= image.height else {
                throw CVError.invalidParameter(name: "positive-region", reason: "\(r.x),\(r.y),\(r.width)x\(r.height) does not fit in positive window \(i) (\(image.width)x\(image.height))")
            }
            return try image.cropped(x: r.x, y: r.y, width: r.width, height: r.height)
        }
    }

    /// Step 2: `negativesPerImage` random windows of every negative image, described.
    private func randomNegatives(_ negatives: [Image<UInt8>]) throws -> [Float] {
        let rects = randomNegativeWindows(sizes: negatives.map { ($0.width, $0.height) }, window: parameters.window,
                                          perImage: parameters.negativesPerImage, seed: parameters.seed)
        return try describeAll(rects.map { try negatives[$0.image].cropped(x: $0.rect.x, y: $0.rect.y, width: $0.rect.width, height: $0.rect.height) })
    }

    /// One mining round: the current model's false positives on the negatives, added.
    private func mine(with model: HOGDetectorModel, negatives: [Image<UInt8>], into set: inout TrainingSet,
                      round: Int) throws -> HOGTrainingRecord.Round {
        var options = parameters.mining
        options.hitThreshold = parameters.miningThreshold
        options.grouping = .none
        let detector = try HOGDetector(model: model, parameters: options)
        let (found, descriptors) = try mineHardNegatives(detector: detector, negatives: negatives,
                                                         perImage: parameters.hardNegativesPerImage, describer: describer)
        try set.append(descriptors, label: 0)
        return HOGTrainingRecord.Round(round: round, falsePositives: found, added: descriptors.count / describer.length,
                                       negatives: set.labels.filter { $0 == 0 }.count)
    }

    /// The descriptors of `windows`, in order, computed in parallel.
    private func describeAll(_ windows: [Image<UInt8>]) throws -> [Float] {
        let L = describer.length
        var out = [Float](repeating: 0, count: windows.count * L)
        var failures = [Error?](repeating: nil, count: windows.count)
        out.withUnsafeMutableBufferPointer { o in
            failures.withUnsafeMutableBufferPointer { failed in
                Parallel.forEach(count: windows.count, chunk: 16) { i in
                    do { try describer.describe(windows[i], into: UnsafeMutableBufferPointer(rebasing: o[(i * L)..<((i + 1) * L)])) } catch {
                        failed[i] = error
                    }
                }
            }
        }
        if let error = failures.compactMap({ $0 }).first { throw error }
        return out
    }

    /// The linear SVM on the set, as a detector model (class 1 = object: positive scores).
    private func fit(_ set: TrainingSet) throws -> HOGDetectorModel {
        let x = try Matrix<Float>(rows: set.count, columns: describer.length, values: set.values)
        let svm = try LinearSVM(fitting: x, labels: set.labels, classCount: 2,
                                parameters: LinearSVM.Parameters(regularization: parameters.C, seed: parameters.seed))
        var model = describer.model
        model.weights = svm.weights.map { Float($0) }
        model.bias = Float(svm.intercepts[0])
        return model
    }
}

/// Descriptor rows and their labels (1 object, 0 background), bounded in size.
private struct TrainingSet {
    let length: Int, limit: Int
    var values: [Float] = []
    var labels: [Int] = []
    var count: Int { labels.count }

    mutating func append(_ rows: [Float], label: Int) throws {
        guard values.count + rows.count <= limit else {
            throw CVError.invalidParameter(name: "negatives", reason: "the training set would hold \((values.count + rows.count) / length) windows, over the limit of \(limit / length): use fewer rounds or windows per image")
        }
        values += rows
        labels += [Int](repeating: label, count: rows.count / length)
    }

    /// Removes the negative rows `easy` accepts; returns how many.
    mutating func removeNegatives(where easy: ([Float]) -> Bool) -> Int {
        var keptValues: [Float] = [], keptLabels: [Int] = []
        keptValues.reserveCapacity(values.count)
        for (i, label) in labels.enumerated() {
            let row = Array(values[(i * length)..<((i + 1) * length)])
            if label == 0 && easy(row) { continue }
            keptValues += row
            keptLabels.append(label)
        }
        defer { values = keptValues; labels = keptLabels }
        return labels.count - keptLabels.count
    }
}

/// `image` mirrored left to right.
func mirrored(_ image: Image<UInt8>) -> Image<UInt8> {
    var out = Image<UInt8>(width: image.width, height: image.height, channels: image.channels)
    let cn = image.channels, w = image.width
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            for y in 0..<image.height {
                for x in 0..<w {
                    for c in 0..<cn { dst[y * ds + x * cn + c] = src[y * ss + (w - 1 - x) * cn + c] }
                }
            }
        }
    }
    return out
}
