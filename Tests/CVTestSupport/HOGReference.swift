import CVCore
import CVFeatures
import Foundation

/// A slow, readable HOG written straight from the definitions, in Double, for tests that
/// compare it with the fast ``HOG`` on random inputs. Only the orientation of interpolated
/// votes uses OpenCV's approximate atan (the fast path's definition of the angle there).
package enum HOGReference {
    package static func descriptor(_ image: Image<UInt8>, _ p: HOGParameters) throws -> [Double] {
        let layout = try p.grid(width: image.width, height: image.height)
        let W = image.width, H = image.height, C = image.channels
        let n = p.orientations
        func sample(_ x: Int, _ y: Int, _ c: Int) -> Double {
            let v = Double(image[x, y, c])
            return p.transformSqrt ? v.squareRoot() : v
        }
        // 1. Gradient of the strongest channel.
        func gradient(_ x: Int, _ y: Int) -> (Double, Double) {
            var best = -1.0, g = (0.0, 0.0)
            for c in 0..<C {
                let gx = (x == 0 || x == W - 1) ? 0 : sample(x + 1, y, c) - sample(x - 1, y, c)
                let gy = (y == 0 || y == H - 1) ? 0 : sample(x, y + 1, c) - sample(x, y - 1, c)
                let m = (gx * gx + gy * gy).squareRoot()
                if m > best { best = m; g = (gx, gy) }
            }
            return g
        }
        // 2. Orientation votes: [(bin, weight)].
        func votes(_ x: Int, _ y: Int) -> [(Int, Double)] {
            let (gx, gy) = gradient(x, y)
            let mag = (gx * gx + gy * gy).squareRoot()
            if mag == 0 { return [] }
            if p.orientationInterpolation {
                let deg = Double(hogFastAtanDegrees(Float(gy), Float(gx)))
                let period = p.signedGradients ? 360.0 : 180.0
                let a = deg.truncatingRemainder(dividingBy: period) / (period / Double(n)) - 0.5
                let k = Int(a.rounded(.down)), t = a - Double(k)
                return [(((k % n) + n) % n, mag * (1 - t)), ((((k + 1) % n) + n) % n, mag * t)]
            }
            let b = hogExactBin(gx: gx, gy: gy, orientations: n, signed: p.signedGradients)
            return b < 0 ? [] : [(b, mag)]
        }
        // 3. Spatial weights of pixel (x, y) (relative to the area origin) for the cells of
        //    a grid `cellsX × cellsY`: [(cx, cy, w)].
        let cw = p.cellSize.width, ch = p.cellSize.height
        func spatial(_ x: Int, _ y: Int, _ cellsX: Int, _ cellsY: Int) -> [(Int, Int, Double)] {
            if !p.spatialInterpolation { return [(x / cw, y / ch, 1)] }
            let fx = (Double(x) + 0.5) / Double(cw) - 0.5, fy = (Double(y) + 0.5) / Double(ch) - 0.5
            let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
            let tx = fx - Double(x0), ty = fy - Double(y0)
            var out: [(Int, Int, Double)] = []
            for (cx, wx) in [(x0, 1 - tx), (x0 + 1, tx)] where cx >= 0 && cx < cellsX {
                for (cy, wy) in [(y0, 1 - ty), (y0 + 1, ty)] where cy >= 0 && cy < cellsY {
                    out.append((cx, cy, wx * wy))
                }
            }
            return out
        }
        let bs = p.blockSize, st = p.blockStride
        var result = [Double](repeating: 0, count: layout.descriptorLength)
        var cellHist: [[[Double]]] = []
        if p.gaussianSigma == nil {
            cellHist = Array(repeating: Array(repeating: Array(repeating: 0, count: n), count: layout.cellsX), count: layout.cellsY)
            for y in 0..<(layout.cellsY * ch) {
                for x in 0..<(layout.cellsX * cw) {
                    for (b, m) in votes(x, y) {
                        for (cx, cy, w) in spatial(x, y, layout.cellsX, layout.cellsY) { cellHist[cy][cx][b] += m * w }
                    }
                }
            }
            if p.averageCellVotes {
                for cy in 0..<layout.cellsY { for cx in 0..<layout.cellsX { for o in 0..<n { cellHist[cy][cx][o] /= Double(cw * ch) } } }
            }
        }
        for by in 0..<layout.blocksY {
            for bx in 0..<layout.blocksX {
                // Block histogram [cy][cx][o] (cells of the block).
                var block = Array(repeating: Array(repeating: Array(repeating: 0.0, count: n), count: bs.width), count: bs.height)
                if let sigma = p.gaussianSigma {
                    let bw = bs.width * cw, bh = bs.height * ch
                    let ox = bx * st.width * cw, oy = by * st.height * ch
                    for i in 0..<bh {
                        for j in 0..<bw {
                            let di = Double(i) - Double(bh) / 2, dj = Double(j) - Double(bw) / 2
                            let g = exp(-(di * di + dj * dj) / (2 * sigma * sigma))
                            for (b, m) in votes(ox + j, oy + i) {
                                for (cx, cy, w) in spatial(j, i, bs.width, bs.height) { block[cy][cx][b] += m * w * g }
                            }
                        }
                    }
                } else {
                    for cy in 0..<bs.height { for cx in 0..<bs.width { block[cy][cx] = cellHist[by * st.height + cy][bx * st.width + cx] } }
                }
                // Flatten in the output order, then normalize.
                var v: [Double] = []
                if p.order == .rowMajor {
                    for cy in 0..<bs.height { for cx in 0..<bs.width { v += block[cy][cx] } }
                } else {
                    for cx in 0..<bs.width { for cy in 0..<bs.height { v += block[cy][cx] } }
                }
                v = normalize(v, p)
                let off = layout.blockOffset(bx: bx, by: by)
                for i in 0..<v.count { result[off + i] = v[i] }
            }
        }
        return result
    }

    static func normalize(_ v: [Double], _ p: HOGParameters) -> [Double] {
        let l1 = v.reduce(0) { $0 + abs($1) }
        let l2 = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        switch p.normConvention {
        case .scikitImage(let e):
            switch p.blockNorm {
            case .l1: return v.map { $0 / (l1 + e) }
            case .l1Sqrt: return v.map { ($0 / (l1 + e)).squareRoot() }
            case .l2: return v.map { $0 / (l2 * l2 + e * e).squareRoot() }
            case .l2Hys:
                let c = v.map { min($0 / (l2 * l2 + e * e).squareRoot(), p.clipThreshold) }
                let s = c.reduce(0) { $0 + $1 * $1 }
                return c.map { $0 / (s + e * e).squareRoot() }
            }
        case .opencv:
            let first = 0.1 * Double(v.count)
            switch p.blockNorm {
            case .l1: return v.map { $0 / (l1 + first) }
            case .l1Sqrt: return v.map { ($0 / (l1 + first)).squareRoot() }
            case .l2: return v.map { $0 / (l2 + first) }
            case .l2Hys:
                let c = v.map { min($0 / (l2 + first), p.clipThreshold) }
                let s = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return c.map { $0 / (s + 1e-3) }
            }
        }
    }
}
