import Foundation

// Drawing helpers for cvtool's pictures: text in the 5×7 bitmap font, lines, magnified gray
// tiles, and a small line-chart renderer. All of it draws into `Canvas` (RGB, 8 bits per
// sample), which `Canvas.image` turns into an `Image<UInt8>` for `CommandIO.writeImage`.

typealias RGB = (UInt8, UInt8, UInt8)

extension Canvas {
    /// Draws `text` in the 5×7 bitmap font with its top-left corner at (x, y), each font pixel
    /// a `scale`×`scale` square. Clipped to the canvas.
    mutating func label(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGB = (0, 0, 0)) {
        var cx = x
        for ch in text {
            for (row, bits) in BitmapFont.rows(ch).enumerated() {
                for col in 0..<5 where bits & (16 >> col) != 0 {
                    fill(x: cx + col * scale, y: y + row * scale, w: scale, h: scale, color)
                }
            }
            cx += BitmapFont.advance * scale
        }
    }

    /// Draws `text` rotated 90° counter-clockwise (reading bottom to top), its glyphs' top edge
    /// at column x and the end of the text at row y.
    mutating func verticalLabel(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGB = (0, 0, 0)) {
        var cy = y
        for ch in text {
            for (row, bits) in BitmapFont.rows(ch).enumerated() {
                for col in 0..<5 where bits & (16 >> col) != 0 {
                    fill(x: x + row * scale, y: cy - (col + 1) * scale, w: scale, h: scale, color)
                }
            }
            cy -= BitmapFont.advance * scale
        }
    }

    /// A straight line from (x0, y0) to (x1, y1) (Bresenham), `thickness` pixels wide.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: RGB, thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        let off = (thickness - 1) / 2
        while true {
            fill(x: x - off, y: y - off, w: thickness, h: thickness, color)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Copies a gray `width`×`height` image (row-major samples) magnified `scale` times
    /// (nearest neighbour) with its top-left corner at (x, y).
    mutating func blitGray(_ samples: [UInt8], width: Int, height: Int, x: Int, y: Int, scale: Int = 1) {
        for yy in 0..<height * scale {
            let ty = y + yy
            guard ty >= 0, ty < self.height else { continue }
            let srow = (yy / scale) * width
            for xx in 0..<width * scale {
                let tx = x + xx
                guard tx >= 0, tx < self.width else { continue }
                let v = samples[srow + xx / scale]
                let o = (ty * self.width + tx) * 3
                pixels[o] = v; pixels[o + 1] = v; pixels[o + 2] = v
            }
        }
    }

    /// A rectangle outline.
    mutating func frame(x: Int, y: Int, w: Int, h: Int, color: RGB, thickness: Int = 1) {
        fill(x: x, y: y, w: w, h: thickness, color)
        fill(x: x, y: y + h - thickness, w: w, h: thickness, color)
        fill(x: x, y: y, w: thickness, h: h, color)
        fill(x: x + w - thickness, y: y, w: thickness, h: h, color)
    }
}

/// A line chart: one or more series over x = 1...n, a y range, ticks, axis titles and a legend.
struct LineChart {
    struct Series {
        var name: String
        var values: [Double]
        var color: RGB
    }

    var title: String
    var xTitle: String
    var yTitle: String
    var series: [Series]
    /// Y axis range (default 0...1).
    var yRange: ClosedRange<Double> = 0...1
    /// Horizontal reference lines (e.g. 0.9, 0.95), drawn dashed with their value.
    var references: [Double] = []
    var width = 640
    var height = 400

    /// "Nice" tick positions covering 1...n (at most about 8).
    static func ticks(upTo n: Int) -> [Int] {
        guard n > 1 else { return [1] }
        let raw = Double(n) / 8
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = [1]
        var v = step
        while v <= Double(n) { t.append(Int(v)); v += step }
        return t
    }

    func render() -> Canvas {
        var c = Canvas(width: width, height: height)
        let left = 58, right = 16, top = 30, bottom = 44
        let pw = width - left - right, ph = height - top - bottom
        let n = max(2, series.map(\.values.count).max() ?? 2)
        func px(_ i: Int) -> Int { left + Int((Double(i - 1) / Double(n - 1) * Double(pw - 1)).rounded()) }
        func py(_ v: Double) -> Int {
            let f = (min(max(v, yRange.lowerBound), yRange.upperBound) - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
            // A NaN value or an empty range draws at the bottom instead of trapping in Int().
            return top + ph - 1 - (f.isFinite ? Int((f * Double(ph - 1)).rounded()) : 0)
        }
        let grid: RGB = (228, 228, 228), axis: RGB = (60, 60, 60)
        // Grid and y ticks every 0.1 of the range.
        for k in 0...10 {
            let v = yRange.lowerBound + Double(k) / 10 * (yRange.upperBound - yRange.lowerBound)
            let y = py(v)
            c.fill(x: left, y: y, w: pw, h: 1, grid)
            let s = String(format: "%.1f", v)
            c.label(s, x: left - 6 - BitmapFont.width(s), y: y - 3, color: axis)
        }
        for t in Self.ticks(upTo: n) {
            let x = px(t)
            c.fill(x: x, y: top, w: 1, h: ph, grid)
            c.fill(x: x, y: top + ph, w: 1, h: 4, axis)
            let s = "\(t)"
            c.label(s, x: x - BitmapFont.width(s) / 2, y: top + ph + 7, color: axis)
        }
        for r in references {
            let y = py(r)
            var x = left
            while x < left + pw { c.fill(x: x, y: y, w: min(6, left + pw - x), h: 1, (150, 150, 150)); x += 10 }
            let s = String(format: "%g", r)
            c.label(s, x: left + pw - BitmapFont.width(s) - 2, y: y - 10, color: (120, 120, 120))
        }
        c.fill(x: left, y: top, w: 1, h: ph, axis)
        c.fill(x: left, y: top + ph, w: pw, h: 1, axis)
        for s in series where !s.values.isEmpty {
            if s.values.count == 1 { c.fill(x: px(1) - 1, y: py(s.values[0]) - 1, w: 3, h: 3, s.color); continue }
            for i in 1..<s.values.count {
                c.line(px(i), py(s.values[i - 1]), px(i + 1), py(s.values[i]), color: s.color, thickness: 2)
            }
        }
        c.label(title, x: (width - BitmapFont.width(title, scale: 2)) / 2, y: 6, scale: 2, color: (0, 0, 0))
        c.label(xTitle, x: left + (pw - BitmapFont.width(xTitle)) / 2, y: height - 14, color: (0, 0, 0))
        c.verticalLabel(yTitle, x: 6, y: top + (ph + BitmapFont.width(yTitle)) / 2, color: (0, 0, 0))
        // Legend, bottom right inside the plot.
        var ly = top + ph - 12 * series.count - 6
        let lw = (series.map { BitmapFont.width($0.name) }.max() ?? 0) + 28
        c.fill(x: left + pw - lw - 8, y: ly - 4, w: lw + 4, h: 12 * series.count + 6, (255, 255, 255))
        for s in series {
            c.fill(x: left + pw - lw - 4, y: ly + 3, w: 16, h: 2, s.color)
            c.label(s.name, x: left + pw - lw + 16, y: ly, color: (0, 0, 0))
            ly += 12
        }
        return c
    }
}
