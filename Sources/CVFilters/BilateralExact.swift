import CKernels
import CVCore
import Foundation

/// `cv2.bilateralFilter` on 8-bit images: 1. OpenCV's tables (spatial weights over the disc,
/// `color[d] = exp(d²·c)` for every summed difference d); 2. each row through `ck_bilateral_u8`.
func bilateralExactUInt8(_ image: Image<UInt8>, _ p: BilateralParameters) -> Image<UInt8> {
    let taps = BilateralTaps(radius: p.radius, sigmaSpace: p.sigmaSpace, depth: .uint8)
    let coefficient = Float(-0.5 / (p.sigmaColor * p.sigmaColor))
    let color = (0..<(256 * image.channels)).map { expf(Float($0 * $0) * coefficient) }
    // OpenCV's unrolled 5×5 order applies to the pixels its vector loop covers (32 at a time).
    let order = image.channels == 1 ? taps.vectorOrder : nil
    let vectorEnd = order == nil ? 0 : image.width / 32 * 32
    return taps.ty.withUnsafeBufferPointer { ty in
        taps.tx.withUnsafeBufferPointer { tx in
            taps.space.withUnsafeBufferPointer { space in
                color.withUnsafeBufferPointer { color in
                    (order ?? []).withUnsafeBufferPointer { order in
                        bilateralRows(image, radius: taps.radius, border: p.border) { planes, dst in
                            ck_bilateral_u8(planes, dst, image.width, image.channels, Int32(taps.radius), ty.baseAddress,
                                            tx.baseAddress, space.baseAddress, Int32(space.count), color.baseAddress,
                                            order.baseAddress, vectorEnd)
                        }
                    }
                }
            }
        }
    }
}

/// `cv2.bilateralFilter` on Float images: 1. the value range over every sample (a constant image
/// comes back as a copy, as in OpenCV); 2. the colour weights tabulated at 4096 bins per channel
/// over that range; 3. each row through `ck_bilateral_f32`.
func bilateralExactFloat(_ image: Image<Float>, _ p: BilateralParameters) -> Image<Float> {
    var lo = Float.infinity, hi = -Float.infinity
    image.withUnsafePixels { src, ss in
        for y in 0..<image.height {
            for i in 0..<image.rowLength where !src[y * ss + i].isNaN {
                lo = min(lo, src[y * ss + i]); hi = max(hi, src[y * ss + i])
            }
        }
    }
    guard lo.isFinite, hi.isFinite, abs(Double(hi) - Double(lo)) >= Double(Float.ulpOfOne) else { return image.copy() }
    let taps = BilateralTaps(radius: p.radius, sigmaSpace: p.sigmaSpace, depth: .float32)
    let bins = 4096 * image.channels
    let scale = Float(bins) / (Float(Double(hi) - Double(lo)) * Float(image.channels))
    let lut = bilateralFloatTable(bins: bins, scale: scale, sigmaColor: p.sigmaColor)
    return taps.ty.withUnsafeBufferPointer { ty in
        taps.tx.withUnsafeBufferPointer { tx in
            taps.space.withUnsafeBufferPointer { space in
                lut.withUnsafeBufferPointer { lut in
                    bilateralRows(image, radius: taps.radius, border: p.border) { planes, dst in
                        ck_bilateral_f32(planes, dst, image.width, image.channels, Int32(taps.radius), ty.baseAddress,
                                         tx.baseAddress, space.baseAddress, Int32(space.count), lut.baseAddress, scale)
                    }
                }
            }
        }
    }
}

/// OpenCV's Float colour table: `exp(v²·c)` at v = i / scale for i in 0...bins+1, zeros once a
/// value underflows; padded with zeros to 3·4096 + 2 entries (the kernel's clamp).
private func bilateralFloatTable(bins: Int, scale: Float, sigmaColor: Double) -> [Float] {
    let coefficient = -0.5 / (sigmaColor * sigmaColor)
    var lut = [Float](repeating: 0, count: 3 * 4096 + 2)
    var last: Float = 1
    for i in 0..<(bins + 2) where last > 0 {
        let v = Double(i) / Double(scale)
        lut[i] = Float(exp(v * v * coefficient))
        last = lut[i]
    }
    return lut
}

/// Runs `row(planes, dst)` for every output row in parallel stripes. `planes[t·cn + c]` is
/// channel c of input row y − r + t (through the border) as a plane padded with r samples each
/// side; each input row is resolved, padded and split into planes once per stripe, in a ring.
func bilateralRows<P: PixelScalar>(_ image: Image<P>, radius r: Int, border: BorderMode,
                                   _ row: (UnsafePointer<UnsafePointer<P>?>, UnsafeMutablePointer<P>) -> Void) -> Image<P> {
    let width = image.width, height = image.height, cn = image.channels, k = 2 * r + 1
    var out = Image<P>.uninitialized(width: width, height: height, channels: cn)
    let columns = BorderColumns(width: width, radius: r, border: border)
    let constant = border.constantValue(P.self)
    let plane = width + 2 * r
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            Parallel.forEachStripe(rows: height, minRowsPerStripe: max(8, 2 * k)) { stripe in
                let padded = UnsafeMutablePointer<P>.allocate(capacity: plane * cn)
                let ring = UnsafeMutablePointer<P>.allocate(capacity: k * cn * plane)
                let planes = UnsafeMutablePointer<UnsafePointer<P>?>.allocate(capacity: k * cn)
                defer { padded.deallocate(); ring.deallocate(); planes.deallocate() }
                func slot(_ v: Int) -> UnsafeMutablePointer<P> { ring + ((v - stripe.lowerBound + r) % k) * cn * plane }
                func load(_ v: Int) {
                    let s = border.sourceIndex(v, count: height)
                    fillPaddedRow(padded, row: s.map { UnsafePointer(src + $0 * ss) }, width: width, channels: cn,
                                  columns: columns, constant: constant)
                    let target = slot(v)
                    for c in 0..<cn {
                        let t = target + c * plane
                        for j in 0..<plane { t[j] = padded[j * cn + c] }
                    }
                }
                for v in (stripe.lowerBound - r)..<(stripe.lowerBound + r) { load(v) }
                for y in stripe {
                    load(y + r)
                    for t in 0..<k { for c in 0..<cn { planes[t * cn + c] = UnsafePointer(slot(y - r + t) + c * plane) } }
                    row(planes, dst + y * ds)
                }
            }
        }
    }
    return out
}
