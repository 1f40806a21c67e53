import CVCore
import Foundation

/// Most range levels of the constant-time bilateral filter: its cost is one Gaussian blur of a
/// (channels + 1)-channel Float image per level.
private let maxBilateralLevels = 32

/// The constant-time bilateral filter (Yang, Tan & Ahuja, CVPR 2009, after Durand & Dorsey's
/// piecewise-linear scheme): 1. the guide (the value, or the sum of the channels) and its
/// range; 2. the spatial σ that has the exact disc window's spread; 3. per range level L,
/// the image weighted by the colour weight of |guide − L| and the weights themselves, blurred
/// together (``bilateralBlur(_:sigma:border:)``); 4. each pixel interpolates linearly between the levels around its guide value.
func bilateralFast<P: PixelScalar>(_ image: Image<P>, _ p: BilateralParameters) throws -> Image<P> {
    let n = image.width * image.height, cn = image.channels
    let (values, guide) = bilateralPlanes(image)
    let lo = guide.min() ?? 0, hi = guide.max() ?? 0
    guard hi > lo else { return image.copy() }
    let sigma = bilateralSpread(radius: p.radius, sigmaSpace: p.sigmaSpace)
    let sigmaColor = Float(p.sigmaColor)
    let levels = min(maxBilateralLevels, max(2, Int(((hi - lo) / (sigmaColor / 2)).rounded(.up)) + 1))
    let step = (hi - lo) / Float(levels - 1)
    var accumulated = [Float](repeating: 0, count: n * cn)
    var stack = Image<Float>.uninitialized(width: image.width, height: image.height, channels: cn + 1)
    for l in 0..<levels {
        let level = lo + Float(l) * step
        let table = P.self == UInt8.self ? bilateralLevelTable(top: Int(hi), level: level, sigmaColor: sigmaColor) : nil
        bilateralWeighLevel(values, guide, level: level, sigmaColor: sigmaColor, table: table, channels: cn, into: &stack)
        let blurred = try bilateralBlur(stack, sigma: sigma, border: p.border)
        bilateralAccumulate(blurred, guide, level: level, step: step, channels: cn, into: &accumulated)
    }
    return bilateralOutput(accumulated, like: image)
}

/// The samples as Float (row-major, channels interleaved) and the guide: the sample for gray
/// images, the sum of the channels for colour ones (OpenCV's colour distance sums them too).
private func bilateralPlanes<P: PixelScalar>(_ image: Image<P>) -> ([Float], [Float]) {
    let w = image.width, cn = image.channels
    var values = [Float](repeating: 0, count: image.width * image.height * cn)
    var guide = [Float](repeating: 0, count: image.width * image.height)
    image.withUnsafePixels { src, ss in
        values.withUnsafeMutableBufferPointer { v in
            guide.withUnsafeMutableBufferPointer { g in
                for y in 0..<image.height {
                    for x in 0..<w {
                        var sum: Float = 0
                        for c in 0..<cn {
                            let s = src[y * ss + x * cn + c].floatValue
                            v[(y * w + x) * cn + c] = s
                            sum += s
                        }
                        g[y * w + x] = sum
                    }
                }
            }
        }
    }
    return (values, guide)
}

/// The standard deviation (per axis) of the exact filter's spatial weights over its disc, so
/// the blur spreads as far as the exact window does (for d = 9, σ_space = 75 the disc's nearly
/// flat weights give about 2.2, not 75).
private func bilateralSpread(radius r: Int, sigmaSpace: Double) -> Double {
    // The exact filter's weights, summed without building its tap tables (d may be 4,095 here).
    let coefficient = Double(Float(-0.5 / (sigmaSpace * sigmaSpace)))
    var weight = 0.0, moment = 0.0
    for i in -r...r {
        for j in -r...r {
            let d2 = Double(i * i + j * j)
            guard d2 <= Double(r * r) else { continue }
            let w = exp(d2 * coefficient)
            weight += w; moment += w * Double(j * j)
        }
    }
    return max((moment / weight).squareRoot(), 0.5)
}

/// A Gaussian blur of σ: the exact separable kernel below σ = 8 (its cost grows with σ), three
/// running-sum box passes of the same variance above (cost independent of σ; Wells 1986), so
/// the cost per level is bounded whatever the window is.
private func bilateralBlur(_ image: Image<Float>, sigma: Double, border: BorderMode) throws -> Image<Float> {
    if sigma < 8 { return try image.gaussianBlurred(GaussianParameters(sigma: sigma, border: border, method: .exact)) }
    let width = (12 * sigma * sigma / 3 + 1).squareRoot()
    let box = BoxParameters(radius: max(1, Int(((width - 1) / 2).rounded())), border: border)
    return try image.boxFiltered(box).boxFiltered(box).boxFiltered(box)
}

/// The level's colour weights of the integer guides 0…top (8-bit images: the guide is a sum of
/// 8-bit samples), the same Float arithmetic as ``bilateralWeighLevel``'s per-pixel `exp`, so a
/// lookup replaces an `exp` per pixel and level.
private func bilateralLevelTable(top: Int, level: Float, sigmaColor: Float) -> [Float] {
    let coefficient = -0.5 / (sigmaColor * sigmaColor)
    return (0...max(top, 0)).map { g in
        let d = Float(g) - level
        return exp(d * d * coefficient)
    }
}

/// `stack` = (w·v₀, …, w·v_cn−1, w) with w = exp(−(guide − level)² / 2σ_color²), looked up in
/// `table` (indexed by the integer guide) when there is one.
private func bilateralWeighLevel(_ values: [Float], _ guide: [Float], level: Float, sigmaColor: Float, table: [Float]?,
                                 channels cn: Int, into stack: inout Image<Float>) {
    let w = stack.width, h = stack.height, coefficient = -0.5 / (sigmaColor * sigmaColor)
    let lut = table ?? []
    values.withUnsafeBufferPointer { v in
        guide.withUnsafeBufferPointer { g in
            lut.withUnsafeBufferPointer { t in
            stack.withUnsafeMutablePixels { dst, ds in
                Parallel.forEachStripe(rows: h, minRowsPerStripe: 32) { stripe in
                    for y in stripe {
                        let row = dst + y * ds
                        for x in 0..<w {
                            let weight: Float
                            if t.isEmpty {
                                let d = g[y * w + x] - level
                                weight = exp(d * d * coefficient)
                            } else {
                                weight = t[Int(g[y * w + x])]
                            }
                            for c in 0..<cn { row[x * (cn + 1) + c] = weight * v[(y * w + x) * cn + c] }
                            row[x * (cn + 1) + cn] = weight
                        }
                    }
                }
            }
            }
        }
    }
}

/// Adds the level's normalised result to the pixels whose guide lies within one step of it,
/// weighted by the linear interpolation's hat function.
private func bilateralAccumulate(_ blurred: Image<Float>, _ guide: [Float], level: Float, step: Float, channels cn: Int,
                                 into accumulated: inout [Float]) {
    let w = blurred.width
    guide.withUnsafeBufferPointer { g in
        accumulated.withUnsafeMutableBufferPointer { acc in
            blurred.withUnsafePixels { src, ss in
                Parallel.forEachStripe(rows: blurred.height, minRowsPerStripe: 32) { stripe in
                    for y in stripe {
                        let row = src + y * ss
                        for x in 0..<w {
                            let hat = 1 - abs(g[y * w + x] - level) / step
                            let total = row[x * (cn + 1) + cn]
                            guard hat > 0, total > 0 else { continue }
                            let scale = hat / total
                            for c in 0..<cn { acc[(y * w + x) * cn + c] += scale * row[x * (cn + 1) + c] }
                        }
                    }
                }
            }
        }
    }
}

/// The accumulated Float samples in the image's own type (rounded and saturated for UInt8).
private func bilateralOutput<P: PixelScalar>(_ accumulated: [Float], like image: Image<P>) -> Image<P> {
    var out = Image<P>.uninitialized(width: image.width, height: image.height, channels: image.channels)
    let n = image.rowLength
    accumulated.withUnsafeBufferPointer { acc in
        out.withUnsafeMutablePixels { dst, ds in
            for y in 0..<image.height { for i in 0..<n { dst[y * ds + i] = P(clampingRounded: acc[y * n + i]) } }
        }
    }
    return out
}
