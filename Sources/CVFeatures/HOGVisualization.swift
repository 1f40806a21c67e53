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

    /// Throws unless a `width × height` picture holds every cell.
    func checkFits(width: Int, height: Int) throws {
        guard width >= cellsX * cellSize.width, height >= cellsY * cellSize.height else {
            throw CVError.invalidParameter(name: "size", reason: "\(width)x\(height) cannot hold \(cellsX)x\(cellsY) cells of \(cellSize)")
        }
    }
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
    ///   - width: the image width in pixels (pixels outside whole cells stay 0).
    ///   - height: the image height in pixels.
    /// - Throws: `CVError.invalidParameter` when the size cannot hold the cells.
    public static func glyphs(_ histograms: HOGCellHistograms, width: Int, height: Int) throws -> Image<Float> {
        try histograms.checkFits(width: width, height: height)
        let cw = histograms.cellSize.width, ch = histograms.cellSize.height
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

    /// The glyph picture for people to look at, as 8-bit gray (white glyphs on black).
    ///
    /// Unlike ``glyphs(_:width:height:)`` (scikit-image's sums, whose maximum sits where many
    /// lines cross, so most glyphs come out faint when scaled to it), every bin value is
    /// divided by the 99th percentile of the positive bin values and clipped to 1, values
    /// below 6% of it are left out (so flat areas stay clean), the rest lifted with a 0.8
    /// power, and each pixel takes its brightest line rather than the sum. Strong edges
    /// saturate, weak texture stays visible.
    /// - Parameters:
    ///   - histograms: from ``HOG/cellHistograms(_:)``.
    ///   - width: the image width in pixels.
    ///   - height: the image height in pixels.
    ///   - scale: integer magnification of the picture (glyphs get longer and, from 3×,
    ///     thicker). Default 1. Must be 1...16.
    /// - Returns: `(width · scale) × (height · scale)`, 1 channel.
    /// - Throws: `CVError.invalidParameter` for a bad scale or a size that cannot hold the cells.
    public static func image(_ histograms: HOGCellHistograms, width: Int, height: Int, scale: Int = 1) throws -> Image<UInt8> {
        let a = try displayIntensity(histograms, width: width, height: height, scale: scale)
        let W = width * scale, H = height * scale
        var out = Image<UInt8>(width: W, height: H, channels: 1)
        out.withUnsafeMutablePixels { d, ds in
            for y in 0..<H {
                for x in 0..<W { d[y * ds + x] = UInt8(clampingRounded: a[y * W + x] * 255) }
            }
        }
        return out
    }

    /// The glyphs (as in ``image(_:width:height:scale:)``) drawn in bright yellow over a dimmed
    /// gray copy of `background`, magnified `scale` times (nearest neighbour). RGB output.
    /// - Parameters:
    ///   - histograms: from ``HOG/cellHistograms(_:)``.
    ///   - background: any channel count; converted to gray (alpha dropped).
    ///   - scale: default 1, 1...16.
    /// - Throws: `CVError.invalidParameter` for a bad scale or a background smaller than the cells.
    public static func overlay(_ histograms: HOGCellHistograms, on background: Image<UInt8>, scale: Int = 1) throws -> Image<UInt8> {
        let a = try displayIntensity(histograms, width: background.width, height: background.height, scale: scale)
        let gray: Image<UInt8>
        switch background.channels {
        case 1: gray = background
        case 2: gray = background.channel(0)
        default: gray = background.droppingAlpha().grayscale()
        }
        let W = background.width * scale, H = background.height * scale
        var out = Image<UInt8>(width: W, height: H, channels: 3)
        let glyph: (Float, Float, Float) = (255, 236, 0)
        out.withUnsafeMutablePixels { dst, ds in
            gray.withUnsafePixels { src, ss in
                for y in 0..<H {
                    for x in 0..<W {
                        let t = a[y * W + x]
                        let base = Float(src[(y / scale) * ss + x / scale]) * 0.45
                        let o = y * ds + x * 3
                        dst[o] = UInt8(clampingRounded: base + (glyph.0 - base) * t)
                        dst[o + 1] = UInt8(clampingRounded: base + (glyph.1 - base) * t)
                        dst[o + 2] = UInt8(clampingRounded: base + (glyph.2 - base) * t)
                    }
                }
            }
        }
        return out
    }

    /// Per-pixel glyph intensity in 0...1 on the magnified canvas (row-major, `W·scale` wide).
    static func displayIntensity(_ h: HOGCellHistograms, width: Int, height: Int, scale: Int) throws -> [Float] {
        guard (1...16).contains(scale) else {
            throw CVError.invalidParameter(name: "scale", reason: "must be 1...16, got \(scale)")
        }
        try h.checkFits(width: width, height: height)
        let cw = h.cellSize.width, ch = h.cellSize.height
        let W = width * scale, H = height * scale
        var out = [Float](repeating: 0, count: W * H)
        // 1. Reference level: the 99th percentile of the positive bin values.
        let positive = h.values.filter { $0 > 0 }.sorted()
        guard !positive.isEmpty else { return out }
        let ref = positive[min(positive.count - 1, Int(Double(positive.count) * 0.99))]
        // 2. Lines through the cell centres, perpendicular to each bin's mid-angle.
        let n = h.orientations
        let scw = cw * scale, sch = ch * scale
        let radius = Double(max(1, min(scw, sch) / 2 - 1))
        let thick = scale >= 3 ? max(1, scale / 2) : 1
        let span = h.signed ? 2 * Double.pi : Double.pi
        for r in 0..<h.cellsY {
            for c in 0..<h.cellsX {
                let cr = Double(r * sch + sch / 2), cc = Double(c * scw + scw / 2)
                for o in 0..<n {
                    let v = h.values[(r * h.cellsX + c) * n + o]
                    guard v > 0 else { continue }
                    let rel = min(1, v / ref)
                    guard rel >= 0.06 else { continue }  // flat areas stay clean
                    let t = Float(pow(Double(rel), 0.8))
                    let mid = span * (Double(o) + 0.5) / Double(n)
                    let dr = radius * sin(mid), dc = radius * cos(mid)
                    bresenham(Int(cr - dc), Int(cc + dr), Int(cr + dc), Int(cc - dr)) { y, x in
                        for yy in (y - thick / 2)..<(y - thick / 2 + thick) where yy >= 0 && yy < H {
                            for xx in (x - thick / 2)..<(x - thick / 2 + thick) where xx >= 0 && xx < W {
                                out[yy * W + xx] = max(out[yy * W + xx], t)
                            }
                        }
                    }
                }
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
