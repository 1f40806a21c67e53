/// The boxes of one NMS call as corner columns (x1, y1, x2, y2, area), read by the overlap
/// tests and the spatial grid without copy-on-write checks in their loops.
package final class NMSBoxTable {
    package let count: Int
    package let x1: UnsafeMutableBufferPointer<Double>
    package let y1: UnsafeMutableBufferPointer<Double>
    package let x2: UnsafeMutableBufferPointer<Double>
    package let y2: UnsafeMutableBufferPointer<Double>
    /// `width × height`, no `+ 1`.
    package let area: UnsafeMutableBufferPointer<Double>
    /// Width and height as given (OpenCV's intersection works on them, not on the corners).
    package let width: UnsafeMutableBufferPointer<Double>
    package let height: UnsafeMutableBufferPointer<Double>
    /// `(x1, y1, x2, y2)` together, so the grid's quick rejection costs one cache line per box.
    package let corners: UnsafeMutableBufferPointer<SIMD4<Double>>

    package init(_ detections: [Detection]) {
        count = detections.count
        x1 = .allocate(capacity: count); y1 = .allocate(capacity: count)
        x2 = .allocate(capacity: count); y2 = .allocate(capacity: count)
        area = .allocate(capacity: count)
        width = .allocate(capacity: count); height = .allocate(capacity: count)
        corners = .allocate(capacity: count)
        for (i, d) in detections.enumerated() {
            x1[i] = d.x; y1[i] = d.y; x2[i] = d.maxX; y2[i] = d.maxY
            corners[i] = SIMD4(d.x, d.y, d.maxX, d.maxY)
            width[i] = d.width; height[i] = d.height; area[i] = d.width * d.height
        }
    }

    deinit {
        for p in [x1, y1, x2, y2, area, width, height] { p.deallocate() }
        corners.deallocate()
    }

    /// torchvision's IoU: intersection of the corner boxes over the union of their areas, in
    /// Double. Two empty boxes give NaN, which exceeds no threshold.
    @inline(__always)
    package func torchvisionIoU(_ a: Int, _ b: Int) -> Double {
        let w = max(0, min(x2[a], x2[b]) - max(x1[a], x1[b]))
        let h = max(0, min(y2[a], y2[b]) - max(y1[a], y1[b]))
        let inter = w * h
        return inter / (area[a] + area[b] - inter)
    }

    /// OpenCV's `rectOverlap`: `1 − Float(jaccardDistance(a, b))`, with `Rect_::operator&`'s
    /// intersection (it subtracts offsets from widths rather than corners, which rounds
    /// differently for fractional boxes) and the rule that two boxes whose areas add up to at
    /// most `Double.ulpOfOne` overlap fully.
    @inline(__always)
    package func opencvOverlap(_ a: Int, _ b: Int) -> Float {
        let sum = area[a] + area[b]
        if sum <= Double.ulpOfOne { return 1 }
        let inter = opencvIntersection(a, b)
        let distance = 1 - inter / (sum - inter)
        return 1 - Float(distance)
    }

    /// `(a & b).area()` as OpenCV's `Rect_<double>` computes it.
    @inline(__always)
    private func opencvIntersection(_ a: Int, _ b: Int) -> Double {
        if width[a] <= 0 || height[a] <= 0 || width[b] <= 0 || height[b] <= 0 { return 0 }
        let (xl, xr) = x1[a] < x1[b] ? (a, b) : (b, a)
        let (yt, yb) = y1[a] < y1[b] ? (a, b) : (b, a)
        if (x1[xl] < 0 && x1[xl] + width[xl] < x1[xr]) || (y1[yt] < 0 && y1[yt] + height[yt] < y1[yb]) { return 0 }
        let w = min(width[xl] - (x1[xr] - x1[xl]), width[xr])
        let h = min(height[yt] - (y1[yb] - y1[yt]), height[yb])
        return w <= 0 || h <= 0 ? 0 : w * h
    }

    /// dlib's `test_box_overlap`: IoU above `iou`, or the intersection covering more than
    /// `covered` of either box; boxes that do not intersect never match.
    @inline(__always)
    package func dlibMatches(_ a: Int, _ b: Int, iou: Double, covered: Double) -> Bool {
        let w = max(0, min(x2[a], x2[b]) - max(x1[a], x1[b]))
        let h = max(0, min(y2[a], y2[b]) - max(y1[a], y1[b]))
        let inner = w * h
        if inner == 0 { return false }
        return inner / (area[a] + area[b] - inner) > iou || inner / area[a] > covered || inner / area[b] > covered
    }

    /// Whether the box is so small that OpenCV's full-overlap rule can pair it with another
    /// anywhere in the image.
    @inline(__always)
    package func isDegenerate(_ i: Int) -> Bool { area[i] <= Double.ulpOfOne }
}
