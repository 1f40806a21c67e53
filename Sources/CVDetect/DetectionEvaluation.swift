import CVCore
import Foundation

/// How well a detector's boxes match the ground truth over a set of images: PASCAL VOC
/// average precision (all-point and 11-point) and the log-average miss rate against false
/// positives per image, with the curves they summarise.
public struct DetectionEvaluation: Sendable, Hashable {
    /// Images evaluated (including those with no ground truth or no detections).
    public var imageCount: Int
    /// Ground-truth boxes over all images.
    public var groundTruthCount: Int
    /// Detections over all images.
    public var detectionCount: Int
    /// Detections matched to a ground-truth box.
    public var truePositives: Int
    /// For the detections ranked by decreasing score: whether each is a true positive.
    public var matched: [Bool]
    /// Precision after each ranked detection, `tp / (tp + fp)`.
    public var precision: [Double]
    /// Recall after each ranked detection, `tp / groundTruthCount`.
    public var recall: [Double]
    /// False positives per image after each ranked detection, `fp / imageCount`.
    public var falsePositivesPerImage: [Double]
    /// Area under the interpolated precision–recall curve at every recall step (VOC2010 and
    /// later, `voc_ap(use_07_metric=False)`).
    public var averagePrecision: Double
    /// Mean of the interpolated precision at recall 0, 0.1, …, 1 (VOC2007, `use_07_metric=True`).
    public var averagePrecision11Point: Double
    /// The miss rate sampled at the nine FPPI values 10^-2, 10^-1.75, …, 10^0: at each, the
    /// miss rate at the largest FPPI not above it (1 when no detection gets there).
    public var missRateSamples: [Double]
    /// The geometric mean of ``missRateSamples`` (each at least 1e-10): Dollár et al.'s
    /// log-average miss rate. Lower is better.
    public var logAverageMissRate: Double
}

/// Evaluates detections against ground truth the way PASCAL VOC and the Caltech pedestrian
/// benchmark do.
///
/// Recipe: 1. rank every detection of every image by decreasing score (ties in image, then
/// input order); 2. match greedily as VOC's `voc_eval.py` does — a detection takes the
/// ground-truth box of its image with the highest IoU; it is a true positive when that IoU
/// exceeds `iouThreshold` and the box is not yet taken, otherwise a false positive (each
/// ground-truth box is matched once); 3. precision, recall and FPPI after each rank;
/// 4. average precision, all-point (VOC2010+) and 11-point (VOC2007); 5. the log-average miss
/// rate over FPPI in [1e-2, 1e0] at 9 log-spaced points (the Caltech toolbox's `compRoc` and
/// `dbEval` rule).
///
/// Conventions: boxes are `x, y, width, height` with areas without VOC's `+ 1` (continuous
/// coordinates, as the rest of CVDetect); ground-truth scores are ignored; there are no
/// `difficult` or ignore regions.
///
/// ```swift
/// let truth = [[Detection(x: 0, y: 0, width: 10, height: 20, score: 0)]]
/// let found = [[Detection(x: 1, y: 0, width: 10, height: 20, score: 0.9),
///               Detection(x: 50, y: 50, width: 10, height: 20, score: 0.5)]]
/// let e = try evaluateDetections(found, groundTruth: truth)   // e.averagePrecision == 1
/// ```
///
/// - Parameters:
///   - detections: per image, the detector's boxes with scores.
///   - groundTruth: per image (the same images in the same order), the true boxes.
///   - iouThreshold: a match needs an IoU above this (default 0.5; 0...1).
/// - Returns: the evaluation; its curves have one entry per detection, best score first.
/// - Throws: `CVError.invalidParameter` when the two lists differ in length, there is no
///   ground-truth box at all, `iouThreshold` is outside 0...1, or a box has a NaN, infinite or
///   beyond-±1e12 coordinate, a negative size or a non-finite score.
/// - Complexity: O(D log D + Σ D_i · G_i) for D detections and G_i ground-truth boxes in image i.
///
/// Anchors: `voc_eval.py` / `voc_ap` of the PASCAL VOC devkit (as in py-faster-rcnn), the
/// Caltech Pedestrian toolbox's `bbGt('compRoc')` and `dbEval`. References: M. Everingham et
/// al., "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 2010,
/// doi:10.1007/s11263-009-0275-4; P. Dollár, C. Wojek, B. Schiele, P. Perona, "Pedestrian
/// Detection: An Evaluation of the State of the Art", TPAMI 2012, doi:10.1109/TPAMI.2011.155.
public func evaluateDetections(_ detections: [[Detection]], groundTruth: [[Detection]],
                               iouThreshold: Double = 0.5) throws -> DetectionEvaluation {
    // 1. Validate.
    try EvaluationSteps.validate(detections, groundTruth, iouThreshold)
    // 2. Rank and match.
    let matched = EvaluationSteps.match(detections, groundTruth, iouThreshold)
    // 3. Curves.
    let gtCount = groundTruth.reduce(0) { $0 + $1.count }
    let curves = EvaluationSteps.curves(matched, groundTruthCount: gtCount, imageCount: groundTruth.count)
    // 4. Summaries.
    let samples = EvaluationSteps.missRateSamples(recall: curves.recall, fppi: curves.fppi)
    return DetectionEvaluation(
        imageCount: groundTruth.count, groundTruthCount: gtCount, detectionCount: matched.count,
        truePositives: matched.filter { $0 }.count, matched: matched,
        precision: curves.precision, recall: curves.recall, falsePositivesPerImage: curves.fppi,
        averagePrecision: EvaluationSteps.allPointAP(recall: curves.recall, precision: curves.precision),
        averagePrecision11Point: EvaluationSteps.elevenPointAP(recall: curves.recall, precision: curves.precision),
        missRateSamples: samples,
        logAverageMissRate: exp(samples.map { log(max(1e-10, $0)) }.reduce(0, +) / Double(samples.count)))
}

/// The steps of ``evaluateDetections(_:groundTruth:iouThreshold:)``.
enum EvaluationSteps {
    static func validate(_ detections: [[Detection]], _ groundTruth: [[Detection]], _ iou: Double) throws {
        guard detections.count == groundTruth.count else {
            throw CVError.invalidParameter(name: "detections", reason: "has \(detections.count) images, the ground truth \(groundTruth.count)")
        }
        try NMSValidation.unitInterval(iou, name: "iouThreshold")
        for d in detections { try NMSValidation.check(d, classes: nil) }
        for g in groundTruth {
            try NMSValidation.check(g.map { Detection(x: $0.x, y: $0.y, width: $0.width, height: $0.height, score: 0) }, classes: nil)
        }
        guard groundTruth.contains(where: { !$0.isEmpty }) else {
            throw CVError.invalidParameter(name: "groundTruth", reason: "has no boxes: recall and average precision are undefined")
        }
    }

    /// VOC's greedy matching, over the detections ranked by decreasing score.
    static func match(_ detections: [[Detection]], _ groundTruth: [[Detection]], _ iouThreshold: Double) -> [Bool] {
        var ranked: [(image: Int, index: Int)] = []
        for (i, d) in detections.enumerated() { for j in d.indices { ranked.append((i, j)) } }
        // Stable: ties keep image order, then input order.
        ranked = ranked.enumerated().sorted { a, b in
            let sa = detections[a.element.image][a.element.index].score, sb = detections[b.element.image][b.element.index].score
            return sa > sb || (sa == sb && a.offset < b.offset)
        }.map(\.element)
        var taken = groundTruth.map { [Bool](repeating: false, count: $0.count) }
        return ranked.map { r in
            let d = detections[r.image][r.index]
            var best = -Double.infinity, bestIndex = -1
            for (k, g) in groundTruth[r.image].enumerated() {
                let o = iou(d, g)
                if o > best { best = o; bestIndex = k }
            }
            guard bestIndex >= 0, best > iouThreshold, !taken[r.image][bestIndex] else { return false }
            taken[r.image][bestIndex] = true
            return true
        }
    }

    static func iou(_ a: Detection, _ b: Detection) -> Double {
        let w = max(0, min(a.maxX, b.maxX) - max(a.x, b.x)), h = max(0, min(a.maxY, b.maxY) - max(a.y, b.y))
        let inter = w * h
        let union = a.area + b.area - inter
        return union > 0 ? inter / union : 0
    }

    static func curves(_ matched: [Bool], groundTruthCount: Int, imageCount: Int)
        -> (precision: [Double], recall: [Double], fppi: [Double]) {
        var tp = 0.0, fp = 0.0
        var precision: [Double] = [], recall: [Double] = [], fppi: [Double] = []
        for m in matched {
            if m { tp += 1 } else { fp += 1 }
            precision.append(tp / max(tp + fp, Double.ulpOfOne))
            recall.append(tp / Double(groundTruthCount))
            fppi.append(fp / Double(imageCount))
        }
        return (precision, recall, fppi)
    }

    /// `voc_ap(rec, prec, use_07_metric=False)`: the precision envelope integrated over recall.
    static func allPointAP(recall: [Double], precision: [Double]) -> Double {
        let mrec = [0] + recall + [1]
        var mpre = [0] + precision + [0]
        for i in stride(from: mpre.count - 1, to: 0, by: -1) { mpre[i - 1] = max(mpre[i - 1], mpre[i]) }
        var ap = 0.0
        for i in 1..<mrec.count where mrec[i] != mrec[i - 1] { ap += (mrec[i] - mrec[i - 1]) * mpre[i] }
        return ap
    }

    /// `voc_ap(rec, prec, use_07_metric=True)`: the best precision at recall ≥ t, t = 0, 0.1, …, 1.
    static func elevenPointAP(recall: [Double], precision: [Double]) -> Double {
        var ap = 0.0
        for k in 0...10 {
            let t = Double(k) * 0.1
            let p = zip(recall, precision).filter { $0.0 >= t }.map(\.1).max() ?? 0
            ap += p / 11
        }
        return ap
    }

    /// The Caltech toolbox's sampling: at each reference FPPI, the recall at the last rank whose
    /// FPPI is not above it (0 before the first detection); the miss rate is one minus it.
    static func missRateSamples(recall: [Double], fppi: [Double]) -> [Double] {
        (0...8).map { k in
            let reference = pow(10, -2 + Double(k) * 0.25)
            var r = 0.0
            for (i, f) in fppi.enumerated() where f <= reference { r = recall[i] }
            return 1 - r
        }
    }
}
