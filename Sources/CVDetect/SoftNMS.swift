import CVCore
import Foundation

/// Soft-NMS: instead of dropping the boxes that overlap a selected box, lowers their scores,
/// and selects again by the lowered scores.
///
/// Repeatedly selects the remaining box with the highest (decayed) score — ties to the lower
/// input index — and stops when that score is below ``SoftNMSParameters/scoreThreshold`` or
/// ``SoftNMSParameters/topK`` boxes are selected; each selection multiplies the score of every
/// remaining box it overlaps by `1 − IoU` (linear, only above the IoU threshold) or
/// `exp(−IoU² / sigma)` (Gaussian). Scores and overlaps are Float and the overlap is OpenCV's
/// `rectOverlap` (see ``NMSParameters/Overlap/opencv``), so the selections and their scores
/// are those of `cv2.dnn.softNMSBoxes`.
///
/// ```swift
/// let boxes = [Detection(x: 0, y: 0, width: 10, height: 10, score: 0.9),
///              Detection(x: 1, y: 0, width: 10, height: 10, score: 0.8)]
/// let kept = try softNonMaximumSuppression(boxes, parameters: .opencv(decay: .gaussian, scoreThreshold: 0, iouThreshold: 0.3))
/// // kept[1].score == 0.8 · exp(−(90/110)² / 0.5)
/// ```
///
/// - Parameters:
///   - detections: the boxes and their scores.
///   - parameters: decay, thresholds, sigma, top-k (default: linear, score threshold 0, IoU
///     threshold 0.3, sigma 0.5, all boxes).
/// - Returns: the selected boxes in selection order, each with its input index and decayed
///   score (OpenCV's `indices` and `updated_scores`).
/// - Throws: `CVError.invalidParameter` for a parameter out of range, or a box with a NaN,
///   infinite or beyond-±1e12 coordinate, a negative size or a non-finite score.
/// - Complexity: O(n log n) for the priority queue plus one decay per (selected box,
///   remaining box that intersects it) pair, found through the same multi-level grid as
///   ``nonMaximumSuppression(_:classes:parameters:)``; OpenCV's loop is O(n²).
///
/// Anchor: `cv2.dnn.softNMSBoxes`. Reference: N. Bodla, B. Singh, R. Chellappa, L. S. Davis,
/// "Soft-NMS — Improving Object Detection With One Line of Code", ICCV 2017,
/// doi:10.1109/ICCV.2017.593.
public func softNonMaximumSuppression(_ detections: [Detection],
                                      parameters: SoftNMSParameters = SoftNMSParameters()) throws -> [SoftNMSSelection] {
    // 1. Validate once.
    try parameters.validate()
    try NMSValidation.check(detections, classes: nil)
    // 2. Every box goes into the grid and the queue with its Float score.
    let boxes = NMSBoxTable(detections)
    var state = SoftNMSState(boxes: boxes, scores: detections.map { Float($0.score) }, parameters: parameters)
    // 3. Select, decaying the neighbours of each selected box.
    return state.run()
}

/// The mutable state of one Soft-NMS run.
private struct SoftNMSState {
    let boxes: NMSBoxTable
    var scores: [Float]
    let parameters: SoftNMSParameters
    var grid: NMSGrid
    var queue: ScoreQueue
    var selected: [Bool]
    /// Degenerate boxes (see `NMSBoxTable.isDegenerate`), which OpenCV pairs wherever they are.
    var degenerate: [Int] = []
    /// `visited[i] == stamp` when box i was already decayed by the current selection.
    var visited: [Int]
    /// The neighbours of the current selection (kept to reuse its storage).
    var scratch: [Int] = []

    init(boxes: NMSBoxTable, scores: [Float], parameters: SoftNMSParameters) {
        self.boxes = boxes
        self.scores = scores
        self.parameters = parameters
        let all = (0..<Int32(boxes.count)).map { $0 }
        grid = all.withUnsafeBufferPointer { NMSGrid(boxes: boxes, candidates: $0) }
        queue = ScoreQueue(capacity: boxes.count)
        selected = [Bool](repeating: false, count: boxes.count)
        visited = [Int](repeating: -1, count: boxes.count)
        // Boxes already below the threshold are never selected nor decayed (OpenCV skips them).
        let threshold = Float(parameters.scoreThreshold)
        for i in 0..<boxes.count where !(scores[i] < threshold) {
            grid.insert(i)
            queue.push(scores[i], i)
            if boxes.isDegenerate(i) { degenerate.append(i) }
        }
    }

    mutating func run() -> [SoftNMSSelection] {
        let limit = parameters.topK == 0 ? boxes.count : min(parameters.topK, boxes.count)
        let threshold = Float(parameters.scoreThreshold)
        var result: [SoftNMSSelection] = []
        // The queue keeps each box under the score it had when queued, never below its current
        // one (scores only decay). So when the top entry is current it is the true maximum,
        // and a stale top is re-queued under its current score: one push per stale pop instead
        // of one per decay.
        while result.count < limit, let (score, i) = queue.pop() {
            if selected[i] { continue }
            if score != scores[i] { queue.push(scores[i], i); continue }
            if score < threshold { break }
            selected[i] = true
            grid.remove(i)
            result.append(SoftNMSSelection(index: i, score: Double(score)))
            decayNeighbours(of: i, stamp: result.count, threshold: threshold)
        }
        return result
    }

    /// Multiplies the score of every remaining box that overlaps box `s` by the decay.
    mutating func decayNeighbours(of s: Int, stamp: Int, threshold: Float) {
        var touched = scratch
        touched.removeAll(keepingCapacity: true)
        grid.forEachNear(s) { j in touched.append(j); return true }
        if boxes.isDegenerate(s) { touched += degenerate }
        defer { scratch = touched }
        for j in touched where !selected[j] && visited[j] != stamp {
            visited[j] = stamp
            // OpenCV leaves boxes already below the threshold alone; they can never be selected.
            if scores[j] < threshold { continue }
            scores[j] *= factor(boxes.opencvOverlap(s, j))
            if scores[j] < threshold { grid.remove(j) }
        }
    }

    func factor(_ overlap: Float) -> Float {
        switch parameters.decay {
        case .linear: return overlap > Float(parameters.iouThreshold) ? 1 - overlap : 1
        case .gaussian: return Float(exp(Double(-(overlap * overlap) / Float(parameters.sigma))))
        }
    }
}

/// A binary max-heap of (score, index): higher score first, then lower index (the order of
/// OpenCV's `max_element` with its tie rule).
private struct ScoreQueue {
    private var scores: [Float] = []
    private var indices: [Int] = []

    init(capacity: Int) {
        scores.reserveCapacity(capacity)
        indices.reserveCapacity(capacity)
    }

    private func before(_ a: Int, _ b: Int) -> Bool {
        scores[a] > scores[b] || (scores[a] == scores[b] && indices[a] < indices[b])
    }

    mutating func push(_ score: Float, _ index: Int) {
        scores.append(score)
        indices.append(index)
        var c = scores.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            guard before(c, p) else { break }
            scores.swapAt(c, p); indices.swapAt(c, p)
            c = p
        }
    }

    mutating func pop() -> (Float, Int)? {
        guard let topScore = scores.first else { return nil }
        let top = (topScore, indices[0])
        let last = scores.count - 1
        scores.swapAt(0, last); indices.swapAt(0, last)
        scores.removeLast(); indices.removeLast()
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var best = p
            if l < scores.count && before(l, best) { best = l }
            if r < scores.count && before(r, best) { best = r }
            if best == p { break }
            scores.swapAt(p, best); indices.swapAt(p, best)
            p = best
        }
        return top
    }
}
