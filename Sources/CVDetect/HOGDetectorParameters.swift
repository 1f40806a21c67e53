import CVCore
import CVFeatures

/// How the detector turns the raw window hits of all pyramid levels into detections.
public enum HOGGrouping: Sendable, Hashable {
    /// Every raw hit, clipped to the image (what `groupThreshold = 0` gives in OpenCV).
    case none
    /// OpenCV's `groupRectangles` as `HOGDescriptor` runs it: hits whose corners are within
    /// `eps · (mean of the smaller width and height)` of each other are joined (transitively,
    /// union–find), clusters with at most `groupThreshold` hits dropped, each cluster's boxes
    /// averaged (rounded half to even), its best score kept, a cluster nested inside a
    /// stronger one dropped, and the result clipped to the image. `eps` is 0.2.
    case rectangles
    /// OpenCV's mean-shift grouping (`useMeanshiftGrouping = true`): modes of the hits'
    /// (centre x, centre y, log scale) under a Gaussian kernel with bandwidths (8, 16, log 1.3),
    /// each mode's density as its score, modes scoring at most `groupThreshold` dropped.
    case meanShift
    /// Greedy non-maximum suppression (torchvision semantics: visit hits by decreasing score,
    /// drop every later hit whose IoU with a kept one exceeds `iou`), then clipping; the
    /// engine of ``nonMaximumSuppression(_:classes:parameters:)``.
    case nms(iou: Double)
}

/// The options of ``HOGDetector``, named after `cv2.HOGDescriptor.detectMultiScale`'s.
///
/// Defaults are OpenCV's people-detection sample (`peopledetect.py`: stride 8×8, padding 8×8,
/// scale 1.05, groupThreshold 2). `cv2`'s own default padding is 0×0.
public struct HOGDetectorParameters: Sendable, Hashable {
    /// A window is a hit when `score >= hitThreshold` (OpenCV's `hitThreshold`). Default 0.
    /// Any finite value.
    public var hitThreshold: Double = 0
    /// Window step in pixels at every level (`winStride`). Default 8×8. 1...512 pixels each
    /// way. As in OpenCV, a step finer than the model's block stride (8 for OpenCV's models) is
    /// allowed: blocks are then computed on the grid of `gcd(winStride, blockStride)`, which
    /// costs `(blockStride / gcd)` times the block work per axis (4× for 4×4 with 8-pixel blocks).
    public var winStride: HOGSize = HOGSize(8, 8)
    /// Pixels added around every level before scanning (`padding`), reflected from the image;
    /// rounded up to a multiple of `gcd(winStride, blockStride)` as OpenCV does. Default 8×8.
    /// 0...512.
    public var padding: HOGSize = HOGSize(8, 8)
    /// Ratio between pyramid levels (`scale`). Default 1.05. 1 (a single level) up to 16;
    /// OpenCV treats values ≤ 1 as one level, we refuse them below 1.
    public var scale: Double = 1.05
    /// Most pyramid levels (`HOGDescriptor.nlevels`). Default 64. 1...64.
    public var maxLevels: Int = 64
    /// Clusters need more than this many hits (`groupThreshold`; `finalThreshold` for
    /// mean-shift, where it bounds the mode's density). Default 2. 0...10,000.
    public var groupThreshold: Int = 2
    /// How raw hits are grouped. Default ``HOGGrouping/rectangles``.
    public var grouping: HOGGrouping = .rectangles

    /// The options, each defaulting as documented on its property.
    public init(hitThreshold: Double = 0, winStride: HOGSize = HOGSize(8, 8), padding: HOGSize = HOGSize(8, 8),
                scale: Double = 1.05, groupThreshold: Int = 2, grouping: HOGGrouping = .rectangles) {
        self.hitThreshold = hitThreshold
        self.winStride = winStride
        self.padding = padding
        self.scale = scale
        self.groupThreshold = groupThreshold
        self.grouping = grouping
    }

    /// Checks every option against `model`.
    /// - Throws: `CVError.invalidParameter` naming the first bad option as the CLI spells it
    ///   (`hit-threshold`, `stride`, `padding`, `scale`, `levels`, `group-threshold`, `iou`).
    public func validate(for model: HOGDetectorModel) throws {
        guard hitThreshold.isFinite else {
            throw CVError.invalidParameter(name: "hit-threshold", reason: "must be a finite number, got \(hitThreshold)")
        }
        guard (1...512).contains(winStride.width), (1...512).contains(winStride.height) else {
            throw CVError.invalidParameter(name: "stride", reason: "must be 1...512 pixels each way, got \(winStride)")
        }
        guard (0...512).contains(padding.width), (0...512).contains(padding.height) else {
            throw CVError.invalidParameter(name: "padding", reason: "must be 0...512 pixels each way, got \(padding)")
        }
        guard scale >= 1, scale <= 16 else {
            throw CVError.invalidParameter(name: "scale", reason: "must be a number from 1 to 16 (1 = one level), got \(scale)")
        }
        guard (1...64).contains(maxLevels) else {
            throw CVError.invalidParameter(name: "levels", reason: "must be 1...64, got \(maxLevels)")
        }
        guard (0...10_000).contains(groupThreshold) else {
            throw CVError.invalidParameter(name: "group-threshold", reason: "must be 0...10000, got \(groupThreshold)")
        }
        if case .nms(let iou) = grouping, !(iou >= 0 && iou <= 1) {
            throw CVError.invalidParameter(name: "iou", reason: "must be a number from 0 to 1, got \(iou)")
        }
    }
}
