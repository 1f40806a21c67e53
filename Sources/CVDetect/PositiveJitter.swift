import CVCore
import CVFeatures
import CVFormats

/// Jittered copies of the positive windows: each copy is the positive seen through a window
/// shifted by up to `amplitude` of its width and height and scaled by up to `1 ± amplitude`,
/// as Dalal & Triggs (2005) and dlib's `add_image_left_right_flips`/`random_cropper` enlarge
/// the positive set. A detector scanning a pyramid sees an object a few pixels and a few per
/// cent of scale away from any window it tries; positives that are all perfectly centred
/// teach it only the centred view.
///
/// A copy samples the positive bilinearly at the window's pixel centres, reading outside the
/// image as `BORDER_REFLECT_101` (how the positives of `Tools/make_scenes.py` were cut), so
/// the copy has the positive's size.
///
/// Deterministic for a seed: every copy's shift and scale are drawn first, positive by
/// positive, from one `SplitMix64` stream.
/// - Parameters:
///   - positives: the positive windows (1 or 3 channels).
///   - copies: jittered copies per positive.
///   - amplitude: the largest shift (a fraction of the side) and scale change.
///   - seed: the stream's seed.
/// - Returns: `copies` images per positive, positive by positive, each the positive's size.
/// - Complexity: O(copies · positive pixels).
package func jitteredPositives(_ positives: [Image<UInt8>], copies: Int, amplitude: Double, seed: UInt64) -> [Image<UInt8>] {
    var rng = SplitMix64(seed: seed ^ 0x6A09_E667_F3BC_C908)
    func symmetric() -> Double { (Double(rng.next() >> 11) * 0x1p-53 * 2 - 1) * amplitude }
    var draws: [(image: Int, dx: Double, dy: Double, scale: Double)] = []
    for i in positives.indices {
        for _ in 0..<copies { draws.append((i, symmetric(), symmetric(), 1 + symmetric())) }
    }
    var out = [Image<UInt8>](repeating: Image<UInt8>(width: 1, height: 1), count: draws.count)
    out.withUnsafeMutableBufferPointer { o in
        Parallel.forEach(count: draws.count, chunk: 16) { k in
            let d = draws[k], p = positives[d.image]
            o[k] = jitterResampled(p, shiftX: d.dx * Double(p.width), shiftY: d.dy * Double(p.height), scale: d.scale)
        }
    }
    return out
}

/// `image` seen through a window of its own size centred `shift` pixels off its centre and
/// `scale` times as large: bilinear samples, reflected (101) outside, rounded to nearest.
/// Anchor: `scipy.ndimage.map_coordinates(order=1, mode="mirror")` at the same coordinates
/// (`Tools/fixtures_positive_jitter.py`).
package func jitterResampled(_ image: Image<UInt8>, shiftX: Double, shiftY: Double, scale: Double) -> Image<UInt8> {
    let w = image.width, h = image.height, cn = image.channels
    var out = Image<UInt8>(width: w, height: h, channels: cn)
    let cx = Double(w) / 2 + shiftX, cy = Double(h) / 2 + shiftY
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            for v in 0..<h {
                let sy = cy + (Double(v) + 0.5 - Double(h) / 2) * scale - 0.5
                let y0 = Int(sy.rounded(.down)), fy = sy - Double(y0)
                let r0 = reflect101(y0, h) * ss, r1 = reflect101(y0 + 1, h) * ss
                for u in 0..<w {
                    let sx = cx + (Double(u) + 0.5 - Double(w) / 2) * scale - 0.5
                    let x0 = Int(sx.rounded(.down)), fx = sx - Double(x0)
                    let c0 = reflect101(x0, w) * cn, c1 = reflect101(x0 + 1, w) * cn
                    for c in 0..<cn {
                        let top = Double(src[r0 + c0 + c]) * (1 - fx) + Double(src[r0 + c1 + c]) * fx
                        let bottom = Double(src[r1 + c0 + c]) * (1 - fx) + Double(src[r1 + c1 + c]) * fx
                        dst[v * ds + u * cn + c] = UInt8(min(255, max(0, (top * (1 - fy) + bottom * fy).rounded())))
                    }
                }
            }
        }
    }
    return out
}
