import CVCore

/// Parameters of greedy non-maximum suppression (``nonMaximumSuppression(_:classes:parameters:)``).
///
/// The plain initialiser is torchvision's `torchvision.ops.nms`: IoU threshold 0.5, no score
/// threshold, no `top_k`, no adaptive threshold. The presets reproduce the other anchors:
/// ``opencv(scoreThreshold:iouThreshold:eta:topK:)`` is `cv2.dnn.NMSBoxes` and
/// ``dlib(iouThreshold:coveredThreshold:)`` is dlib's `test_box_overlap`.
public struct NMSParameters: Sendable, Hashable {
    /// How two boxes' overlap is measured and compared, after one of the anchors.
    public enum Overlap: Sendable, Hashable {
        /// torchvision: IoU in Double, `intersection / (areaA + areaB − intersection)`; a box is
        /// suppressed when the IoU exceeds the threshold (two empty boxes never suppress).
        case torchvision
        /// `cv2.dnn.NMSBoxes`: the same IoU rounded as OpenCV rounds it (`1 − Float(1 − IoU)`,
        /// scores and thresholds in Float); two boxes whose areas add up to at most
        /// `Double.ulpOfOne` overlap fully (OpenCV's `jaccardDistance` rule), wherever they are.
        case opencv
        /// dlib's `test_box_overlap`: suppressed when the IoU exceeds the threshold **or** the
        /// intersection covers more than `covered` of either box (dlib's
        /// `percent_covered_thresh`, default 1 = never); boxes that do not intersect never do.
        case dlib(covered: Double)
    }

    /// A box is suppressed by a kept box whose overlap with it exceeds this (default 0.5;
    /// 0...1). With `eta < 1` it is the starting value of OpenCV's adaptive threshold.
    public var iouThreshold: Double = 0.5
    /// Only boxes whose score is strictly greater than this take part (default nil: all boxes;
    /// OpenCV's `score_threshold`). Any finite value (HOG scores are often negative).
    public var scoreThreshold: Double? = nil
    /// When positive, only the `topK` best boxes (after the score threshold) enter suppression
    /// (OpenCV's `top_k`, applied before suppression; default 0 = all; 0...Int32.max).
    public var topK: Int = 0
    /// OpenCV's adaptive threshold: after each kept box, while the threshold is above 0.5, it is
    /// multiplied by `eta` (default 1 = fixed; 0 < eta ≤ 1).
    public var eta: Double = 1
    /// The overlap measure (default `.torchvision`).
    public var overlap: Overlap = .torchvision

    /// torchvision's `nms` with IoU threshold 0.5.
    public init() {}

    /// torchvision's `torchvision.ops.nms(boxes, scores, iou_threshold)` (and `batched_nms` when
    /// classes are given).
    public static func torchvision(iouThreshold: Double = 0.5) -> NMSParameters {
        var p = NMSParameters()
        p.iouThreshold = iouThreshold
        return p
    }

    /// `cv2.dnn.NMSBoxes(bboxes, scores, score_threshold, nms_threshold, eta, top_k)` (and
    /// `cv2.dnn.NMSBoxesBatched` when classes are given).
    public static func opencv(scoreThreshold: Double, iouThreshold: Double, eta: Double = 1, topK: Int = 0) -> NMSParameters {
        var p = NMSParameters()
        p.scoreThreshold = scoreThreshold
        p.iouThreshold = iouThreshold
        p.eta = eta
        p.topK = topK
        p.overlap = .opencv
        return p
    }

    /// dlib's `test_box_overlap(iou_thresh, percent_covered_thresh)` used greedily, as dlib's
    /// object detector suppresses its own detections.
    public static func dlib(iouThreshold: Double = 0.5, coveredThreshold: Double = 1) -> NMSParameters {
        var p = NMSParameters()
        p.iouThreshold = iouThreshold
        p.overlap = .dlib(covered: coveredThreshold)
        return p
    }

    /// Checks every field once.
    /// - Throws: `CVError.invalidParameter` naming the field.
    package func validate() throws {
        try NMSValidation.unitInterval(iouThreshold, name: "iouThreshold")
        if let s = scoreThreshold, !s.isFinite {
            throw CVError.invalidParameter(name: "scoreThreshold", reason: "must be a finite number, got \(s)")
        }
        guard topK >= 0, topK <= Int(Int32.max) else {
            throw CVError.invalidParameter(name: "topK", reason: "must be in 0...\(Int32.max) (0 keeps all), got \(topK)")
        }
        guard eta > 0, eta <= 1 else {
            throw CVError.invalidParameter(name: "eta", reason: "must be in (0, 1] (1 keeps the threshold fixed), got \(eta)")
        }
        if case let .dlib(covered) = overlap { try NMSValidation.unitInterval(covered, name: "coveredThreshold") }
    }
}

/// Parameters of Soft-NMS (``softNonMaximumSuppression(_:parameters:)``), with
/// `cv2.dnn.softNMSBoxes`' conventions.
public struct SoftNMSParameters: Sendable, Hashable {
    /// How a selected box decays the scores of the boxes it overlaps.
    public enum Decay: Sendable, Hashable {
        /// `score × (1 − IoU)` when the IoU exceeds ``SoftNMSParameters/iouThreshold``
        /// (OpenCV's `SOFTNMS_LINEAR`).
        case linear
        /// `score × exp(−IoU² / sigma)` for every overlapping box (OpenCV's `SOFTNMS_GAUSSIAN`;
        /// note OpenCV divides by `sigma`, not by `2σ²` as the paper writes it).
        case gaussian
    }

    /// The decay (default `.linear`, as OpenCV's default `method`).
    public var decay: Decay = .linear
    /// Selection stops when the best remaining score is below this (default 0; OpenCV's
    /// `score_threshold`, a box whose score equals it is still selected). Any finite value.
    public var scoreThreshold: Double = 0
    /// The linear decay applies above this IoU (default 0.3; 0...1; OpenCV's `nms_threshold`).
    public var iouThreshold: Double = 0.3
    /// The Gaussian decay's `sigma` (default 0.5, OpenCV's default; > 0, at most 1e6).
    public var sigma: Double = 0.5
    /// Selects at most this many boxes (default 0 = all; 0...Int32.max; OpenCV's `top_k`).
    public var topK: Int = 0

    /// Linear Soft-NMS, score threshold 0, IoU threshold 0.3, sigma 0.5.
    public init() {}

    /// `cv2.dnn.softNMSBoxes(bboxes, scores, score_threshold, nms_threshold, top_k, sigma, method)`.
    public static func opencv(decay: Decay, scoreThreshold: Double, iouThreshold: Double, sigma: Double = 0.5, topK: Int = 0) -> SoftNMSParameters {
        var p = SoftNMSParameters()
        p.decay = decay
        p.scoreThreshold = scoreThreshold
        p.iouThreshold = iouThreshold
        p.sigma = sigma
        p.topK = topK
        return p
    }

    /// Checks every field once.
    /// - Throws: `CVError.invalidParameter` naming the field.
    package func validate() throws {
        guard scoreThreshold.isFinite else {
            throw CVError.invalidParameter(name: "scoreThreshold", reason: "must be a finite number, got \(scoreThreshold)")
        }
        try NMSValidation.unitInterval(iouThreshold, name: "iouThreshold")
        guard sigma > 0, sigma <= 1e6 else {
            throw CVError.invalidParameter(name: "sigma", reason: "must be in (0, 1e6], got \(sigma)")
        }
        guard topK >= 0, topK <= Int(Int32.max) else {
            throw CVError.invalidParameter(name: "topK", reason: "must be in 0...\(Int32.max) (0 keeps all), got \(topK)")
        }
    }
}

/// A box kept by Soft-NMS: its input index and its decayed score.
public struct SoftNMSSelection: Sendable, Hashable {
    /// 0-based index of the box in the input.
    public var index: Int
    /// Its score after the decays of the boxes selected before it (OpenCV's `updated_scores`).
    public var score: Double

    /// Creates a selection.
    public init(index: Int, score: Double) {
        self.index = index
        self.score = score
    }
}

/// Checks shared by the NMS entry points.
package enum NMSValidation {
    /// Coordinates beyond this magnitude are refused: their areas would lose every fractional
    /// digit and the spatial grid's cell arithmetic would overflow.
    package static let coordinateLimit = 1e12

    package static func unitInterval(_ value: Double, name: String) throws {
        guard value >= 0, value <= 1 else {
            throw CVError.invalidParameter(name: name, reason: "must be in [0, 1], got \(value)")
        }
    }

    /// Refuses NaN or infinite coordinates and scores, negative sizes and coordinates beyond
    /// ``coordinateLimit``, naming the first bad box.
    package static func check(_ detections: [Detection], classes: [Int]?) throws {
        if let classes, classes.count != detections.count {
            throw CVError.invalidParameter(name: "classes", reason: "has \(classes.count) entries for \(detections.count) boxes")
        }
        for (i, d) in detections.enumerated() {
            try coordinate(d.x, "x", box: i)
            try coordinate(d.y, "y", box: i)
            try coordinate(d.width, "width", box: i)
            try coordinate(d.height, "height", box: i)
            guard d.width >= 0, d.height >= 0 else {
                throw CVError.invalidParameter(name: "boxes", reason: "box \(i): negative size \(d.width)×\(d.height)")
            }
            guard d.score.isFinite else {
                throw CVError.invalidParameter(name: "scores", reason: "box \(i): score \(d.score) is not finite")
            }
        }
    }

    private static func coordinate(_ v: Double, _ name: String, box: Int) throws {
        guard abs(v) <= coordinateLimit else {
            throw CVError.invalidParameter(name: "boxes", reason: "box \(box): \(name) \(v) is not a finite coordinate within ±1e12")
        }
    }
}
