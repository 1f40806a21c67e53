import CVCore
import CVLearn
import Foundation

/// Bounding-box regression for a HOG detector (Felzenszwalb, Girshick, McAllester & Ramanan,
/// "Object detection with discriminatively trained part-based models", TPAMI 2010,
/// doi:10.1109/TPAMI.2009.167, §"bounding box prediction"; Girshick et al., R-CNN, CVPR 2014,
/// Appendix C): four ridge regressions from a raw hit's window features to the offsets of
/// the object's box, `dx/w`, `dy/h` (centres), `log(w′/w)`, `log(h′/h)`.
///
/// The detector reports its window as the box; a fixed window shape and the pyramid's scale
/// steps cap the IoU of even a well-placed window with a tight ground-truth box. The
/// regression moves and resizes each raw hit before grouping, from what the window sees.
///
/// Stored in the model file as the optional `boxRegression` field (older files load without
/// it). ``HOGDetector/detect(in:)`` applies it when present; remove it (`model.boxRegression
/// = nil`) to get the raw windows. The OpenCV export (``HOGDetectorModel/opencvYAML()``)
/// has no place for it and keeps the raw windows.
public struct HOGBoxRegression: Sendable, Hashable, Codable {
    /// What the regression reads from a window.
    public enum Features: String, Sendable, Hashable, Codable, CaseIterable {
        /// The window's HOG descriptor (as ``HOGWindowDescriber`` makes it from the window's
        /// crop of the image, clipped to the image), ``HOGDetectorModel/weights``.count values.
        case hog
        /// Nothing: four constant offsets (the mean correction), the baseline.
        case constant
    }

    /// The features read.
    public var features: Features
    /// Ridge coefficients, row-major 4 × feature count (dx, dy, dw, dh), empty for `constant`.
    public var coefficients: [Double]
    /// The four intercepts (dx, dy, dw, dh).
    public var intercepts: [Double]
    /// The ridge penalty it was fitted with.
    public var alpha: Double
    /// A hit was paired with a ground-truth box when their IoU was at least this.
    public var minimumIoU: Double
    /// Training pairs (hit, ground-truth box).
    public var pairs: Int

    /// A regression from its parts (checked against its model by ``validate(descriptorLength:)``).
    public init(features: Features, coefficients: [Double], intercepts: [Double], alpha: Double, minimumIoU: Double, pairs: Int) {
        self.features = features; self.coefficients = coefficients; self.intercepts = intercepts
        self.alpha = alpha; self.minimumIoU = minimumIoU; self.pairs = pairs
    }

    /// Largest change of a side, as `|log(w′/w)|`: a regression applied far from its data
    /// cannot blow a box up or collapse it.
    static let maxLogScale = log(2.0)

    /// Feature values the regression reads for a model with `descriptorLength` weights.
    public static func featureCount(_ features: Features, descriptorLength: Int) -> Int {
        features == .hog ? descriptorLength : 0
    }

    /// Checks the field against its model: four intercepts, 4 × feature count coefficients,
    /// finite values.
    /// - Throws: `CVError.invalidParameter` naming `boxRegression`.
    public func validate(descriptorLength: Int) throws {
        let expected = 4 * Self.featureCount(features, descriptorLength: descriptorLength)
        guard intercepts.count == 4, coefficients.count == expected else {
            throw CVError.invalidParameter(name: "boxRegression", reason: "\(features.rawValue) features need 4 intercepts and \(expected) coefficients, the model has \(intercepts.count) and \(coefficients.count)")
        }
        guard coefficients.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite), minimumIoU.isFinite, alpha.isFinite else {
            throw CVError.invalidParameter(name: "boxRegression", reason: "coefficients and intercepts must be finite numbers")
        }
    }

    /// `box` moved by the four predicted offsets `t` (score kept).
    func apply(_ t: [Double], to box: Detection) -> Detection {
        let clamp = { (v: Double) in min(max(v, -Self.maxLogScale), Self.maxLogScale) }
        let w = box.width * exp(clamp(t[2])), h = box.height * exp(clamp(t[3]))
        let cx = box.x + box.width / 2 + t[0] * box.width, cy = box.y + box.height / 2 + t[1] * box.height
        return Detection(x: cx - w / 2, y: cy - h / 2, width: w, height: h, score: box.score)
    }

    /// The offsets that take `box` to `target`.
    static func offsets(from box: Detection, to target: Detection) -> [Double] {
        [(target.x + target.width / 2 - box.x - box.width / 2) / box.width,
         (target.y + target.height / 2 - box.y - box.height / 2) / box.height,
         log(target.width / box.width), log(target.height / box.height)]
    }
}

/// The options of ``fitBoxRegression(detector:images:groundTruth:parameters:)``.
public struct HOGBoxRegressionParameters: Sendable, Hashable {
    /// What the regression reads (`--features`). Default ``HOGBoxRegression/Features/hog``.
    public var features: HOGBoxRegression.Features = .hog
    /// Ridge penalty (`--alpha`, scikit-learn's `Ridge(alpha)` on the unscaled sum of squares).
    /// Default 10. Finite, ≥ 0.
    public var alpha: Double = 10
    /// A raw hit is a training pair of the ground-truth box it overlaps most when that IoU is
    /// at least this (`--min-iou`). Default 0.4 (below the 0.5 of the evaluation: the hits the
    /// regression must rescue are the ones between 0.4 and 0.5). (0, 1].
    public var minimumIoU: Double = 0.4
    /// Most training pairs; beyond it the fit would not fit in memory. Default 500,000.
    public var maxPairs: Int = 500_000

    /// The defaults.
    public init(features: HOGBoxRegression.Features = .hog, alpha: Double = 10, minimumIoU: Double = 0.4) {
        self.features = features; self.alpha = alpha; self.minimumIoU = minimumIoU
    }

    /// - Throws: `CVError.invalidParameter` naming the option as `cvtool detector regress` spells it.
    public func validate() throws {
        guard alpha.isFinite, alpha >= 0, alpha <= 1e12 else {
            throw CVError.invalidParameter(name: "alpha", reason: "must be a finite number in 0...1e12, got \(alpha)")
        }
        guard minimumIoU.isFinite, minimumIoU > 0, minimumIoU <= 1 else {
            throw CVError.invalidParameter(name: "min-iou", reason: "must be in (0, 1], got \(minimumIoU)")
        }
        guard maxPairs >= 1 else { throw CVError.invalidParameter(name: "maxPairs", reason: "must be at least 1, got \(maxPairs)") }
    }
}

/// Fits a ``HOGBoxRegression`` for `detector`'s model on annotated images: the raw hits of
/// the detector (its options, its model's own regression ignored), each paired with the
/// ground-truth box of its image it overlaps most when that IoU is at least
/// ``HOGBoxRegressionParameters/minimumIoU``, then a ridge regression
/// (``CVLearn/RidgeRegression``) from the hit's features to the four offsets.
///
/// - Parameters:
///   - detector: the trained model with the detection options the regression will be used
///     with (hit threshold, scale, stride, padding).
///   - images: annotated images (the training scenes, not the test ones).
///   - groundTruth: the object boxes of each image.
///   - parameters: default `HOGBoxRegressionParameters()`.
/// - Returns: the regression, to store as ``HOGDetectorModel/boxRegression``.
/// - Throws: `CVError.invalidParameter` for a bad option, mismatched counts, no pair or too
///   many; `LearnError` from the ridge solve.
/// - Complexity: one detector scan per image, one window descriptor per paired hit, then
///   O(pairs · L²) for a descriptor of L values.
public func fitBoxRegression(detector: HOGDetector, images: [Image<UInt8>], groundTruth: [[Detection]],
                             parameters: HOGBoxRegressionParameters = HOGBoxRegressionParameters()) throws -> HOGBoxRegression {
    try parameters.validate()
    guard images.count == groundTruth.count else {
        throw CVError.invalidParameter(name: "groundTruth", reason: "\(groundTruth.count) box lists for \(images.count) images")
    }
    var raw = detector.model
    raw.boxRegression = nil
    let plain = try HOGDetector(model: raw, parameters: detector.parameters)
    let describer = try HOGWindowDescriber(model: raw)
    let (features, targets) = try regressionPairs(detector: plain, describer: describer, images: images, groundTruth: groundTruth,
                                                  parameters: parameters)
    let n = targets.count / 4
    guard n >= 1 else {
        throw CVError.invalidParameter(name: "groundTruth", reason: "no raw hit overlaps a ground-truth box at IoU >= \(parameters.minimumIoU)")
    }
    guard n <= parameters.maxPairs else {
        throw CVError.invalidParameter(name: "maxPairs", reason: "\(n) training pairs, over the limit of \(parameters.maxPairs): use fewer images or a higher hit threshold")
    }
    let p = HOGBoxRegression.featureCount(parameters.features, descriptorLength: describer.length)
    let ridge = try RidgeRegression(fitting: try Matrix(rows: n, columns: p, values: features),
                                    targets: try Matrix(rows: n, columns: 4, values: targets), alpha: parameters.alpha)
    return HOGBoxRegression(features: parameters.features, coefficients: ridge.coefficients, intercepts: ridge.intercepts,
                            alpha: parameters.alpha, minimumIoU: parameters.minimumIoU, pairs: n)
}

/// The paired hits' features (row-major, Double) and offsets (4 a row), images in parallel.
private func regressionPairs(detector: HOGDetector, describer: HOGWindowDescriber, images: [Image<UInt8>],
                             groundTruth: [[Detection]], parameters: HOGBoxRegressionParameters) throws -> ([Double], [Double]) {
    let n = images.count
    var perImage = [([Double], [Double])](repeating: ([], []), count: n)
    var failures = [Error?](repeating: nil, count: n)
    perImage.withUnsafeMutableBufferPointer { out in
        failures.withUnsafeMutableBufferPointer { failed in
            Parallel.forEach(count: n) { i in
                do {
                    var f: [Double] = [], t: [Double] = []
                    for hit in try detector.rawHits(in: images[i]) {
                        let box = wholePixels(hit.detection)
                        guard let g = bestMatch(box, groundTruth[i], minimumIoU: parameters.minimumIoU) else { continue }
                        if parameters.features == .hog { f += try windowFeatures(box, in: images[i], describer: describer).map(Double.init) }
                        t += HOGBoxRegression.offsets(from: box, to: g)
                    }
                    out[i] = (f, t)
                } catch { failed[i] = error }
            }
        }
    }
    if let error = failures.compactMap({ $0 }).first { throw error }
    return (perImage.flatMap(\.0), perImage.flatMap(\.1))
}

/// The ground-truth box `box` overlaps most, when that IoU is at least `minimumIoU`.
private func bestMatch(_ box: Detection, _ truth: [Detection], minimumIoU: Double) -> Detection? {
    var best: Detection?, bestIoU = minimumIoU
    for g in truth {
        let o = EvaluationSteps.iou(box, g)
        if o >= bestIoU { best = g; bestIoU = o }
    }
    return best
}

/// A raw hit's box rounded to whole pixels, as grouping sees it.
func wholePixels(_ d: Detection) -> Detection {
    Detection(x: Double(cvRound(d.x)), y: Double(cvRound(d.y)), width: Double(cvRound(d.width)), height: Double(cvRound(d.height)),
              score: d.score)
}

/// The descriptor of `box`'s crop of `image` (clipped to the image; a box with nothing
/// inside reads the nearest pixel).
func windowFeatures(_ box: Detection, in image: Image<UInt8>, describer: HOGWindowDescriber) throws -> [Float] {
    let x0 = min(max(0, Int(box.x.rounded())), image.width - 1), y0 = min(max(0, Int(box.y.rounded())), image.height - 1)
    let x1 = max(min(image.width, Int(box.maxX.rounded())), x0 + 1), y1 = max(min(image.height, Int(box.maxY.rounded())), y0 + 1)
    return try describer.describe(try image.cropped(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
}

extension HOGDetector {
    /// `hits` moved by the model's ``HOGDetectorModel/boxRegression`` (unchanged when it has
    /// none): each hit's box rounded to whole pixels, its features read from `image`, the four
    /// offsets applied. Scores, levels and order are kept.
    /// - Parameters:
    ///   - hits: raw hits of ``rawHits(in:)`` on `image`.
    ///   - image: the image they were found in.
    /// - Throws: `CVError.invalidParameter` for an empty image.
    /// - Complexity: one window descriptor per hit (``HOGWindowDescriber``) and 4 × L
    ///   multiply–adds.
    public func regressed(_ hits: [HOGRawHit], in image: Image<UInt8>) throws -> [HOGRawHit] {
        guard let regression = model.boxRegression, !hits.isEmpty else { return hits }
        let describer = try HOGWindowDescriber(model: model)
        let p = HOGBoxRegression.featureCount(regression.features, descriptorLength: describer.length)
        let ridge = try RidgeRegression(coefficients: regression.coefficients, intercepts: regression.intercepts, featureCount: p,
                                        alpha: regression.alpha)
        return try hits.map { hit in
            let box = wholePixels(hit.detection)
            let f = p > 0 ? try windowFeatures(box, in: image, describer: describer) : []
            let t = f.withUnsafeBufferPointer { sample in (0..<4).map { ridge.predict(sample, output: $0) } }
            return HOGRawHit(detection: regression.apply(t, to: box), level: hit.level, scale: hit.scale)
        }
    }
}
