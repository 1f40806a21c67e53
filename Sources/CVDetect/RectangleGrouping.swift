import CVCore

/// An integer box (OpenCV's `cv::Rect`) with its score: what the pyramid scan produces.
struct ScoredRect: Hashable {
    var x: Int, y: Int, width: Int, height: Int
    var score: Double

    var detection: Detection {
        Detection(x: Double(x), y: Double(y), width: Double(width), height: Double(height), score: score)
    }
}

/// OpenCV's `HOGDescriptor::groupRectangles(rectList, weights, groupThreshold, eps)`.
///
/// Recipe: 1. partition the boxes into classes of similar boxes (``partition(_:eps:)``);
/// 2. per class the mean box (Double sums, then each field rounded half to even, as
/// `Rect_<double>` → `Rect` converts) and the best score; 3. keep a class with more than
/// `groupThreshold` members unless it lies inside another kept-size class (grown by `eps` of
/// that class's size, rounded) that is stronger (`n₂ > max(3, n₁)`) or it has fewer than 3
/// members. With `groupThreshold <= 0` the boxes are returned unchanged.
///
/// - Complexity: O(n²) similarity tests for n boxes, O(classes²) for the nesting rule.
func groupRectangles(_ rects: [ScoredRect], groupThreshold: Int, eps: Double = 0.2) -> [ScoredRect] {
    guard groupThreshold > 0, !rects.isEmpty else { return rects }
    let (labels, classCount) = partition(rects, eps: eps)
    let classes = classMeans(rects, labels: labels, classCount: classCount)
    return unnestedClasses(classes, groupThreshold: groupThreshold, eps: eps)
}

/// Step 1, OpenCV's `cv::partition` with `SimilarRects(eps)`: union–find over all pairs;
/// classes are numbered in the order their roots first appear.
func partition(_ rects: [ScoredRect], eps: Double) -> (labels: [Int], classCount: Int) {
    let n = rects.count
    var parent = Array(0..<n)
    func root(_ i: Int) -> Int {
        var r = i
        while parent[r] != r { r = parent[r] }
        var j = i
        while parent[j] != r { let next = parent[j]; parent[j] = r; j = next }  // path compression
        return r
    }
    for i in 0..<n {
        for j in (i + 1)..<max(n, i + 1) where similar(rects[i], rects[j], eps: eps) {
            let a = root(i), b = root(j)
            if a != b { parent[b] = a }
        }
    }
    var labelOfRoot = [Int: Int]()
    var labels = [Int](repeating: 0, count: n)
    for i in 0..<n {
        let r = root(i)
        if let l = labelOfRoot[r] { labels[i] = l } else { labels[i] = labelOfRoot.count; labelOfRoot[r] = labels[i] }
    }
    return (labels, labelOfRoot.count)
}

/// OpenCV's `SimilarRects`: every edge within `eps · (min width + min height) / 2`.
@inline(__always)
private func similar(_ a: ScoredRect, _ b: ScoredRect, eps: Double) -> Bool {
    let delta = eps * Double(min(a.width, b.width) + min(a.height, b.height)) * 0.5
    return Double(abs(a.x - b.x)) <= delta && Double(abs(a.y - b.y)) <= delta
        && Double(abs(a.x + a.width - b.x - b.width)) <= delta && Double(abs(a.y + a.height - b.y - b.height)) <= delta
}

/// Step 2: each class's mean box, member count and best score.
private func classMeans(_ rects: [ScoredRect], labels: [Int], classCount: Int) -> [(rect: ScoredRect, count: Int)] {
    var sums = [(x: Double, y: Double, w: Double, h: Double)](repeating: (0, 0, 0, 0), count: classCount)
    var counts = [Int](repeating: 0, count: classCount)
    var best = [Double](repeating: -Double.greatestFiniteMagnitude, count: classCount)
    for (i, r) in rects.enumerated() {
        let c = labels[i]
        sums[c].x += Double(r.x); sums[c].y += Double(r.y); sums[c].w += Double(r.width); sums[c].h += Double(r.height)
        best[c] = max(best[c], r.score)
        counts[c] += 1
    }
    return (0..<classCount).map { c in
        let s = 1.0 / Double(counts[c])
        let rect = ScoredRect(x: cvRound(sums[c].x * s), y: cvRound(sums[c].y * s), width: cvRound(sums[c].w * s),
                              height: cvRound(sums[c].h * s), score: best[c])
        return (rect, counts[c])
    }
}

/// Step 3: the classes with enough members that are not nested in a stronger one.
private func unnestedClasses(_ classes: [(rect: ScoredRect, count: Int)], groupThreshold: Int, eps: Double) -> [ScoredRect] {
    var out: [ScoredRect] = []
    for (i, (r1, n1)) in classes.enumerated() where n1 > groupThreshold {
        let nested = classes.enumerated().contains { j, other in
            let (r2, n2) = other
            guard j != i, n2 > groupThreshold else { return false }
            let dx = cvRound(Double(r2.width) * eps), dy = cvRound(Double(r2.height) * eps)
            return r1.x >= r2.x - dx && r1.y >= r2.y - dy && r1.x + r1.width <= r2.x + r2.width + dx
                && r1.y + r1.height <= r2.y + r2.height + dy && (n2 > max(3, n1) || n1 < 3)
        }
        if !nested { out.append(r1) }
    }
    return out
}

/// OpenCV's `clipObjects`: each box intersected with the image; empty intersections dropped.
func clipToImage(_ rects: [ScoredRect], width: Int, height: Int) -> [ScoredRect] {
    rects.compactMap { r in
        let x0 = max(r.x, 0), y0 = max(r.y, 0)
        let x1 = min(r.x + r.width, width), y1 = min(r.y + r.height, height)
        guard x1 > x0, y1 > y0 else { return nil }
        return ScoredRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: r.score)
    }
}

/// OpenCV's `cvRound` for Double: nearest, ties to even (`lrint` in the default rounding mode).
@inline(__always)
func cvRound(_ v: Double) -> Int { Int(v.rounded(.toNearestOrEven)) }
