/// The ``HOGGrouping/nms(iou:)`` grouping: greedy IoU suppression with torchvision's
/// semantics (corners `x, y, x + width, y + height`, area without `+ 1`, hits visited by
/// decreasing score with ties in input order, a hit dropped when its IoU with a kept hit is
/// greater than `iou`). This is the hook the NMS family plugs into; it stays a plain greedy
/// pass so the detector has no dependency on the NMS engine's options.
///
/// - Complexity: O(n log n + n · kept).
func greedySuppression(_ hits: [ScoredRect], iou threshold: Double) -> [ScoredRect] {
    let order = hits.indices.sorted { hits[$0].score > hits[$1].score || (hits[$0].score == hits[$1].score && $0 < $1) }
    var kept: [ScoredRect] = []
    for i in order {
        let a = hits[i]
        let suppressed = kept.contains { b in
            let iw = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x))
            let ih = max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
            let inter = Double(iw * ih)
            let union = Double(a.width * a.height + b.width * b.height) - inter
            return union > 0 && inter / union > threshold
        }
        if !suppressed { kept.append(a) }
    }
    return kept
}
