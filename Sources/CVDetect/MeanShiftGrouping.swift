import Foundation

/// OpenCV's `groupRectangles_meanshift` (Dalal's thesis, §5.1): non-maximum suppression as
/// mode seeking in (x, y, log scale) space.
///
/// Recipe: 1. every hit becomes a point (box centre rounded to whole pixels, log of its level's scale) weighted by its
/// score; 2. from each point, mean-shift iterations (at most 100, stopping when a step moves
/// less than 1e-5 in the kernel's normalised distance) under a Gaussian kernel whose
/// bandwidths are (8, 16, log 1.3) with the spatial ones multiplied by the point's scale;
/// 3. the converged points closer than 1 (normalised squared distance) to an earlier mode
/// merge into it; 4. each mode's score is the kernel density there, its box the window size
/// times the mode's scale (truncated) centred on it; modes scoring at most `threshold` are
/// dropped. Hit order decides which of two nearby modes survives, as in OpenCV.
///
/// - Complexity: O(iterations · n²) for n hits.
func meanShiftGroup(_ hits: [ScoredRect], scales: [Double], window: (width: Int, height: Int), threshold: Double) -> [ScoredRect] {
    // OpenCV forms the centre as an integer point, `(tl + br) · 0.5` rounded half to even.
    let points = hits.enumerated().map { i, r in
        SIMD3<Double>(Double(cvRound(Double(2 * r.x + r.width) * 0.5)), Double(cvRound(Double(2 * r.y + r.height) * 0.5)),
                      log(scales[i]))
    }
    let shift = MeanShift(points: points, weights: hits.map(\.score))
    var modes: [SIMD3<Double>] = []
    for p in points {
        let m = shift.mode(from: p)
        if !modes.contains(where: { shift.distance(m, $0) < 1 }) { modes.append(m) }
    }
    return modes.compactMap { m in
        let density = shift.density(at: m)
        guard density > threshold else { return nil }
        let scale = exp(m.z)
        let w = Int(Double(window.width) * scale), h = Int(Double(window.height) * scale)
        return ScoredRect(x: Int(m.x - Double(w / 2)), y: Int(m.y - Double(h / 2)), width: w, height: h, score: density)
    }
}

/// OpenCV's `MeanshiftGrouping` with its fixed kernel.
private struct MeanShift {
    let points: [SIMD3<Double>]
    let weights: [Double]
    let kernel = SIMD3<Double>(8, 16, log(1.3))
    let maxIterations = 100
    let modeEpsilon = 1e-5

    /// The point's bandwidths: spatial ones grow with the point's scale.
    @inline(__always) func bandwidth(_ p: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(kernel.x * exp(p.z), kernel.y * exp(p.z), kernel.z)
    }

    /// One mean-shift step from `x` (`getNewValue`).
    func step(_ x: SIMD3<Double>) -> SIMD3<Double> {
        var num = SIMD3<Double>(repeating: 0), den = SIMD3<Double>(repeating: 0)
        for (i, p) in points.enumerated() {
            let s = bandwidth(p)
            let a = p / s, b = x / s
            let d = a - b
            let w = weights[i] * exp(-(d * d).sum() / 2) / s.sum().squareRoot()
            num += w * a
            den += w / s
        }
        return num / den
    }

    /// Iterates ``step(_:)`` to a mode (`moveToMode`).
    func mode(from start: SIMD3<Double>) -> SIMD3<Double> {
        var a = step(start)
        for _ in 0..<maxIterations {
            let b = a
            a = step(b)
            if distance(a, b) <= modeEpsilon { break }
        }
        return a
    }

    /// OpenCV's `getDistance`: squared distance normalised by `p2`'s bandwidth.
    func distance(_ p1: SIMD3<Double>, _ p2: SIMD3<Double>) -> Double {
        let d = (p2 - p1) / bandwidth(p2)
        return (d * d).sum()
    }

    /// The kernel density at `x` (`getResultWeight`).
    func density(at x: SIMD3<Double>) -> Double {
        var sum = 0.0
        for (i, p) in points.enumerated() {
            let s = bandwidth(p)
            let d = (p - x) / s
            sum += weights[i] * exp(-(d * d).sum() / 2) / s.sum().squareRoot()
        }
        return sum
    }
}
