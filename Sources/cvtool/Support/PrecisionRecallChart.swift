import ClassicCV
import Foundation

/// The precision–recall curve of a detector evaluation as a picture: recall on x, precision
/// on y (both 0…1), the raw curve in light blue and VOC's interpolated envelope (the curve
/// whose area is the all-point AP) in dark blue, AP figures in the title.
struct PrecisionRecallChart {
    var evaluation: DetectionEvaluation
    var title: String
    var width = 640
    var height = 480

    func render() -> Canvas {
        var c = Canvas(width: width, height: height)
        let left = 58, right = 20, top = 34, bottom = 44
        let pw = width - left - right, ph = height - top - bottom
        func px(_ r: Double) -> Int { left + Int((min(max(r, 0), 1) * Double(pw - 1)).rounded()) }
        func py(_ p: Double) -> Int { top + ph - 1 - Int((min(max(p, 0), 1) * Double(ph - 1)).rounded()) }
        drawAxes(&c, left: left, top: top, pw: pw, ph: ph, px: px, py: py)
        let raw = zip(evaluation.recall, evaluation.precision).map { ($0, $1) }
        polyline(&c, raw, color: (150, 190, 235), px: px, py: py)
        polyline(&c, envelope(), color: (20, 70, 170), px: px, py: py)
        c.label(title, x: (width - BitmapFont.width(title, scale: 2)) / 2, y: 8, scale: 2)
        let xTitle = "recall", yTitle = "precision"
        c.label(xTitle, x: left + (pw - BitmapFont.width(xTitle)) / 2, y: height - 14)
        c.verticalLabel(yTitle, x: 6, y: top + (ph + BitmapFont.width(yTitle)) / 2)
        let legend = [("interpolated (VOC)", (20, 70, 170) as RGB), ("raw", (150, 190, 235) as RGB)]
        var ly = top + 8
        for (name, color) in legend {
            c.fill(x: left + pw - 150, y: ly + 3, w: 16, h: 2, color)
            c.label(name, x: left + pw - 128, y: ly)
            ly += 12
        }
        return c
    }

    /// Grid every 0.1, tick labels every 0.2, the two axes.
    private func drawAxes(_ c: inout Canvas, left: Int, top: Int, pw: Int, ph: Int, px: (Double) -> Int, py: (Double) -> Int) {
        let grid: RGB = (228, 228, 228), axis: RGB = (60, 60, 60)
        for k in 0...10 {
            let v = Double(k) / 10
            c.fill(x: left, y: py(v), w: pw, h: 1, grid)
            c.fill(x: px(v), y: top, w: 1, h: ph, grid)
            guard k % 2 == 0 else { continue }
            let s = String(format: "%.1f", v)
            c.label(s, x: left - 6 - BitmapFont.width(s), y: py(v) - 3, color: axis)
            c.label(s, x: px(v) - BitmapFont.width(s) / 2, y: top + ph + 7, color: axis)
        }
        c.fill(x: left, y: top, w: 1, h: ph, axis)
        c.fill(x: left, y: top + ph, w: pw, h: 1, axis)
    }

    /// VOC's interpolated precision as a step curve: at each recall, the best precision at that
    /// recall or beyond.
    private func envelope() -> [(Double, Double)] {
        var best = 0.0
        var steps: [(Double, Double)] = []
        for (r, p) in zip(evaluation.recall, evaluation.precision).reversed() {
            best = max(best, p)
            steps.append((r, best))
        }
        var out: [(Double, Double)] = []
        var previousRecall = 0.0
        for (r, p) in steps.reversed() {
            out.append((previousRecall, p))
            out.append((r, p))
            previousRecall = r
        }
        return out
    }

    private func polyline(_ c: inout Canvas, _ points: [(Double, Double)], color: RGB, px: (Double) -> Int, py: (Double) -> Int) {
        guard points.count > 1 else {
            if let p = points.first { c.fill(x: px(p.0) - 1, y: py(p.1) - 1, w: 3, h: 3, color) }
            return
        }
        for i in 1..<points.count {
            c.line(px(points[i - 1].0), py(points[i - 1].1), px(points[i].0), py(points[i].1), color: color, thickness: 2)
        }
    }
}
