import CVCore
import Foundation

/// Unnormalized HOG cell histograms, `(cellsY, cellsX, orientations)` row-major.
public struct HOGCellHistograms: Sendable {
    public let cellsX: Int
    public let cellsY: Int
    public let orientations: Int
    /// Cell size in pixels.
    public let cellSize: HOGSize
    /// Whether the bins span 360° (else 180°).
    public let signed: Bool
    public var values: [Float]

    /// The histogram value of cell `(cx, cy)`, bin `o`.
    public subscript(cx: Int, cy: Int, o: Int) -> Float { values[(cy * cellsX + cx) * orientations + o] }
}

/// The oriented-glyph picture of HOG cell histograms, as scikit-image's `hog(visualize=True)`.
///
/// For every cell and bin, a line of radius `min(cellW, cellH)/2 − 1` through the cell centre
/// `(cx·cellW + cellW/2, cy·cellH + cellH/2)`, perpendicular to the bin's mid-angle (so it
/// follows the edge), drawn with Bresenham's algorithm (`skimage.draw.line`), adds the bin's
/// value to the pixels it covers.
///
/// - Complexity: O(cells · orientations · radius).
public enum HOGVisualization {
    /// The glyph image as Float sums (scikit-image's `hog_image`), `width × height`.
    /// - Parameters:
    ///   - histograms: from ``HOG/cellHistograms(_:)``.
    ///   - width, height: the image size (pixels outside whole cells stay 0).
    /// - Throws: `CVError.invalidParameter` when the size cannot hold the cells.
    public static func glyphs(_ histograms: HOGCellHistograms, width: Int, height: Int) throws -> Image<Float> {
        let cw = histograms.cellSize.width, ch = histograms.cellSize.height
        guard width >= histograms.cellsX * cw, height >= histograms.cellsY * ch else {
            throw CVError.invalidParameter(name: "size", reason: "\(width)x\(height) cannot hold \(histograms.cellsX)x\(histograms.cellsY) cells of \(histograms.cellSize)")
        }
        var out = Image<Float>(width: width, height: height, channels: 1)
        let n = histograms.orientations
        let radius = Double(min(cw, ch) / 2 - 1)
        let span = histograms.signed ? 2 * Double.pi : Double.pi
        var dr = [Double](repeating: 0, count: n), dc = dr
        for o in 0..<n {
            let mid = span * (Double(o) + 0.5) / Double(n)
            dr[o] = radius * sin(mid)
            dc[o] = radius * cos(mid)
        }
        out.withUnsafeMutablePixels { p, stride in
            for r in 0..<histograms.cellsY {
                for c in 0..<histograms.cellsX {
                    let centreR = Double(r * ch + ch / 2), centreC = Double(c * cw + cw / 2)
                    for o in 0..<n {
                        let v = histograms.values[(r * histograms.cellsX + c) * n + o]
                        // Python int() truncates toward zero.
                        let r0 = Int(centreR - dc[o]), c0 = Int(centreC + dr[o])
                        let r1 = Int(centreR + dc[o]), c1 = Int(centreC - dr[o])
                        bresenham(r0, c0, r1, c1) { rr, cc in
                            if rr >= 0 && rr < height && cc >= 0 && cc < width { p[rr * stride + cc] += v }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The glyph picture as 8-bit gray: `glyphs` scaled so its maximum becomes 255.
    public static func image(_ histograms: HOGCellHistograms, width: Int, height: Int) throws -> Image<UInt8> {
        let g = try glyphs(histograms, width: width, height: height)
        return scaledToByte(g)
    }

    /// The glyphs drawn in yellow over a dimmed gray copy of `background` (RGB output).
    /// - Parameter background: any channel count; converted to gray (alpha dropped).
    /// - Throws: `CVError.invalidParameter` when `background` is smaller than the cells.
    public static func overlay(_ histograms: HOGCellHistograms, on background: Image<UInt8>) throws -> Image<UInt8> {
        let g = scaledToByte(try glyphs(histograms, width: background.width, height: background.height))
        let gray: Image<UInt8>
        switch background.channels {
        case 1: gray = background
        case 2: gray = background.channel(0)
        default: gray = background.droppingAlpha().grayscale()
        }
        var out = Image<UInt8>(width: background.width, height: background.height, channels: 3)
        out.withUnsafeMutablePixels { dst, ds in
            gray.withUnsafePixels { src, ss in
                g.withUnsafePixels { gp, gs in
                    for y in 0..<background.height {
                        for x in 0..<background.width {
                            let a = Float(gp[y * gs + x]) / 255
                            let base = Float(src[y * ss + x]) * 0.5
                            let o = y * ds + x * 3
                            dst[o] = UInt8(clampingRounded: base * (1 - a) + 255 * a)
                            dst[o + 1] = UInt8(clampingRounded: base * (1 - a) + 230 * a)
                            dst[o + 2] = UInt8(clampingRounded: base * (1 - a) + 40 * a)
                        }
                    }
                }
            }
        }
        return out
    }

    static func scaledToByte(_ g: Image<Float>) -> Image<UInt8> {
        var mx: Float = 0
        g.withUnsafePixels { p, s in
            for y in 0..<g.height { for x in 0..<g.width { mx = max(mx, p[y * s + x]) } }
        }
        var out = Image<UInt8>(width: g.width, height: g.height, channels: 1)
        let k: Float = mx > 0 ? 255 / mx : 0
        out.withUnsafeMutablePixels { d, ds in
            g.withUnsafePixels { p, s in
                for y in 0..<g.height { for x in 0..<g.width { d[y * ds + x] = UInt8(clampingRounded: p[y * s + x] * k) } }
            }
        }
        return out
    }

    /// `skimage.draw.line`: Bresenham from (r0, c0) to (r1, c1), both ends included.
    static func bresenham(_ r0: Int, _ c0: Int, _ r1: Int, _ c1: Int, _ plot: (Int, Int) -> Void) {
        var steep = false
        var r = r0, c = c0
        var dr = abs(r1 - r0), dc = abs(c1 - c0)
        var sc = (c1 - c) > 0 ? 1 : -1
        var sr = (r1 - r) > 0 ? 1 : -1
        if dr > dc {
            steep = true
            swap(&c, &r); swap(&dc, &dr); swap(&sc, &sr)
        }
        var d = 2 * dr - dc
        for _ in 0..<dc {
            if steep { plot(c, r) } else { plot(r, c) }
            while d >= 0 {
                r += sr
                d -= 2 * dc
            }
            c += sc
            d += 2 * dr
        }
        plot(r1, c1)
    }
}
