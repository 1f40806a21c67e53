import CVCore

/// Greedy non-maximum suppression: keeps the best-scoring boxes and drops every box that
/// overlaps an already kept box by more than the threshold.
///
/// Candidates are visited in decreasing score, ties in input order (a stable sort); a
/// candidate is kept unless one of the boxes kept before it overlaps it by more than the
/// (current) threshold. With `classes`, boxes of different classes never suppress each other
/// (`batched_nms`, `cv2.dnn.NMSBoxesBatched`); the score threshold, `topK` and OpenCV's adaptive
/// threshold still apply to all classes together, as in `NMSBoxesBatched`.
///
/// ```swift
/// let boxes = [Detection(x: 10, y: 10, width: 64, height: 128, score: 0.9),
///              Detection(x: 14, y: 12, width: 64, height: 128, score: 0.7)]
/// let kept = try nonMaximumSuppression(boxes)   // [0]
/// ```
///
/// Conventions: boxes are `x, y, width, height` with corners `x + width`, `y + height`; areas
/// have no `+ 1`. The overlap rule and its arithmetic follow ``NMSParameters/overlap``
/// (torchvision, OpenCV or dlib).
///
/// - Parameters:
///   - detections: the boxes and their scores.
///   - classes: one class label per box, or nil (default) for class-agnostic suppression.
///   - parameters: thresholds and the overlap convention (default: torchvision's `nms`, IoU 0.5).
/// - Returns: the kept boxes' 0-based input indices, best score first.
/// - Throws: `CVError.invalidParameter` for a parameter out of range, a box with a NaN,
///   infinite or beyond-±1e12 coordinate, a negative size or a non-finite score, or a
///   `classes` array of the wrong length.
/// - Complexity: O(n log n) to sort, plus one overlap test per (candidate, kept box that
///   intersects it) pair found through a multi-level uniform grid: O(n log n) for boxes of
///   bounded density. Only when thousands of kept boxes pile onto one spot does it tend to
///   the O(n · kept) of the anchors' double loop.
///
/// Anchors: `torchvision.ops.nms` / `batched_nms`, `cv2.dnn.NMSBoxes` / `NMSBoxesBatched`,
/// dlib's `test_box_overlap`. References: A. Neubeck, L. Van Gool, "Efficient Non-Maximum
/// Suppression", ICPR 2006, doi:10.1109/ICPR.2006.479; N. Dalal, B. Triggs, "Histograms of
/// Oriented Gradients for Human Detection", CVPR 2005, doi:10.1109/CVPR.2005.177.
public func nonMaximumSuppression(_ detections: [Detection], classes: [Int]? = nil,
                                  parameters: NMSParameters = NMSParameters()) throws -> [Int] {
    // 1. Validate once.
    try parameters.validate()
    try NMSValidation.check(detections, classes: classes)
    // 2. Candidates: score threshold, stable sort by decreasing score, top-k.
    let order = NMSOrder.candidates(detections, parameters: parameters)
    // 3. Suppress, looking only at kept boxes near each candidate.
    let boxes = NMSBoxTable(detections)
    return order.withUnsafeBufferPointer { suppress(boxes, order: $0, classes: classes, parameters: parameters) }
}

/// The visiting order of greedy NMS.
package enum NMSOrder {
    /// Indices of the boxes scoring above the threshold, by decreasing score (ties in input
    /// order), cut to `topK`. Scores are compared as Float for OpenCV, as OpenCV stores them.
    package static func candidates(_ detections: [Detection], parameters: NMSParameters) -> [Int32] {
        let isOpenCV = parameters.overlap == .opencv
        let key: [Double] = detections.map { isOpenCV ? Double(Float($0.score)) : $0.score }
        var order: [Int32] = []
        order.reserveCapacity(detections.count)
        let threshold = parameters.scoreThreshold.map { isOpenCV ? Double(Float($0)) : $0 }
        for i in detections.indices where threshold.map({ key[i] > $0 }) ?? true { order.append(Int32(i)) }
        // Swift's sort is not stable: the index breaks ties, which is the stable order.
        key.withUnsafeBufferPointer { k in
            order.sort { k[Int($0)] > k[Int($1)] || (k[Int($0)] == k[Int($1)] && $0 < $1) }
        }
        if parameters.topK > 0 && parameters.topK < order.count { order.removeSubrange(parameters.topK...) }
        return order
    }
}

/// The suppression loop: each candidate against the kept boxes the grid finds near it.
private func suppress(_ boxes: NMSBoxTable, order: UnsafeBufferPointer<Int32>, classes: [Int]?,
                      parameters: NMSParameters) -> [Int] {
    var grid = NMSGrid(boxes: boxes, candidates: order)
    var kept: [Int] = []
    // OpenCV's full-overlap rule pairs degenerate boxes wherever they are: they are checked
    // against each other outside the grid. Below a threshold of 1 the first one kept
    // suppresses all later ones, so the list holds at most one per class.
    var keptDegenerate: [Int] = []
    var threshold = parameters.iouThreshold
    var thresholdFloat = Float(parameters.iouThreshold)
    let isOpenCV = parameters.overlap == .opencv
    var covered = 2.0
    if case let .dlib(c) = parameters.overlap { covered = c }
    for c in order {
        let i = Int(c)
        func suppresses(_ k: Int) -> Bool {
            if let classes, classes[k] != classes[i] { return false }
            switch parameters.overlap {
            case .torchvision: return boxes.torchvisionIoU(i, k) > threshold
            case .opencv: return !(boxes.opencvOverlap(i, k) <= thresholdFloat)
            case .dlib: return boxes.dlibMatches(i, k, iou: threshold, covered: covered)
            }
        }
        var keep = grid.forEachNear(i) { !suppresses($0) }
        if keep && isOpenCV && thresholdFloat < 1 && boxes.isDegenerate(i) { keep = !keptDegenerate.contains(where: suppresses) }
        guard keep else { continue }
        kept.append(i)
        grid.insert(i)
        if isOpenCV && boxes.isDegenerate(i) { keptDegenerate.append(i) }
        if parameters.eta < 1 {
            if isOpenCV {
                if thresholdFloat > 0.5 { thresholdFloat *= Float(parameters.eta) }
            } else if threshold > 0.5 {
                threshold *= parameters.eta
            }
        }
    }
    return kept
}
