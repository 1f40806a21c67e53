import CVCore
import Foundation

/// Box radii for `passes` successive box filters approximating a Gaussian of σ
/// (Kovesi 2010: widths w_l and w_l + 2 chosen so the summed variance is exactly σ²
/// up to the rounding of the pass count).
func kovesiBoxRadii(sigma: Double, passes n: Int = 4) -> [Int] {
    let nd = Double(n)
    let wIdeal = (12 * sigma * sigma / nd + 1).squareRoot()
    var wl = Int(wIdeal.rounded(.down))
    if wl % 2 == 0 { wl -= 1 }
    wl = max(wl, 1)
    let wu = wl + 2
    let wld = Double(wl)
    let m = Int(((12 * sigma * sigma - nd * wld * wld - 4 * nd * wld - 3 * nd) / (-4 * wld - 4)).rounded())
    return (0..<n).map { i in ((i < m ? wl : wu) - 1) / 2 }
}

/// O(1)-per-pixel approximate Gaussian: four running-sum box passes in Float (sums in
/// Double), rounded once at the end. Used by ``gaussianBlur(_:_:)`` for large σ.
func approximateGaussian<P: PixelScalar>(_ image: Image<P>, sigmaX: Double, sigmaY: Double, border: BorderMode) throws -> Image<P> {
    let rxs = kovesiBoxRadii(sigma: sigmaX), rys = kovesiBoxRadii(sigma: sigmaY)
    let w = image.width, h = image.height, cn = image.channels
    var a = Image<Float>.uninitialized(width: w, height: h, channels: cn)
    var b = Image<Float>.uninitialized(width: w, height: h, channels: cn)
    var out = Image<P>.uninitialized(width: w, height: h, channels: cn)
    let passes = rxs.count
    func scale(_ i: Int) -> Double { 1 / Double((2 * rxs[i] + 1) * (2 * rys[i] + 1)) }
    image.withUnsafePixels { src, ss in
        a.withUnsafeMutablePixels { ap, ast in
            boxSums(src, ss, ap, ast, width: w, height: h, channels: cn, rx: rxs[0], ry: rys[0],
                    border: border, scale: scale(0)) { Float($0) }
        }
    }
    for i in 1..<(passes - 1) {
        a.withUnsafePixels { ap, ast in
            b.withUnsafeMutablePixels { bp, bst in
                boxSums(ap, ast, bp, bst, width: w, height: h, channels: cn, rx: rxs[i], ry: rys[i],
                        border: border, scale: scale(i)) { Float($0) }
            }
        }
        swap(&a, &b)
    }
    a.withUnsafePixels { ap, ast in
        out.withUnsafeMutablePixels { op, ost in
            boxSums(ap, ast, op, ost, width: w, height: h, channels: cn, rx: rxs[passes - 1], ry: rys[passes - 1],
                    border: border, scale: scale(passes - 1)) { roundedSample($0, as: P.self) }
        }
    }
    return out
}
