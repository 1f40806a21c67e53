import CKernels
import CVCore

/// A plane of signed 16-bit samples (interleaved channels), the type of OpenCV's `CV_16S`
/// derivative images. `Image` holds only UInt8/UInt16/Float, so derivatives get their own type.
public struct Int16Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// Row-major, interleaved, no padding: `samples[(y·width + x)·channels + c]`.
    public var samples: [Int16]

    public init(width: Int, height: Int, channels: Int = 1, samples: [Int16]) {
        precondition(samples.count == width * height * channels, "sample count must be width·height·channels")
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    /// The sample at column `x`, row `y`, channel `c`.
    public subscript(x: Int, y: Int, c: Int = 0) -> Int16 { samples[(y * width + x) * channels + c] }

    /// The samples as a Float image (no scaling).
    public var floatImage: Image<Float> {
        // Safe: the sample count matches by construction.
        try! Image<Float>(width: width, height: height, channels: channels, samples: samples.map { Float($0) })
    }
}

/// Parameters of ``CVCore/Image/sobelDerivative(_:)`` and ``CVCore/Image/sobelDerivativeInt16(_:)`` (`cv2.Sobel` / `cv2.Scharr`).
public struct DerivativeParameters: Sendable, Hashable {
    /// Order of the x derivative. Default: 1.
    public var dx: Int
    /// Order of the y derivative. Default: 0.
    public var dy: Int
    /// Aperture: 1 (3×1 / 1×3 difference, no smoothing), 3, 5, 7, or -1 for Scharr 3×3. Default: 3.
    public var ksize: Int
    /// Multiplier of the derivative. Default: 1.
    public var scale: Double
    /// Added after scaling. Default: 0.
    public var delta: Double
    /// Border handling. Default: `BorderMode.reflect101` (OpenCV's default).
    public var border: BorderMode

    public init(dx: Int = 1, dy: Int = 0, ksize: Int = 3, scale: Double = 1, delta: Double = 0,
                border: BorderMode = .reflect101) {
        self.dx = dx
        self.dy = dy
        self.ksize = ksize
        self.scale = scale
        self.delta = delta
        self.border = border
    }

    /// `cv2.Scharr(src, ddepth, dx, dy, scale, delta, border)`: exactly one of dx, dy is 1.
    public static func scharr(dx: Int, dy: Int, scale: Double = 1, delta: Double = 0,
                              border: BorderMode = .reflect101) -> DerivativeParameters {
        DerivativeParameters(dx: dx, dy: dy, ksize: -1, scale: scale, delta: delta, border: border)
    }

    /// Checks the parameters as ``CVCore/Image/sobelDerivative(_:)`` would.
    /// - Throws: `CVError.invalidParameter` for orders or apertures OpenCV refuses.
    public func validate() throws { _ = try kernels() }

    /// Validated integer kernels (x then y) as OpenCV's `getDerivKernels` builds them.
    func kernels() throws -> (kx: [Int], ky: [Int]) {
        // No `dx + dy`: orders come from the command line and may be as large as `Int.max`.
        guard dx >= 0, dy >= 0, dx > 0 || dy > 0 else {
            throw CVError.invalidParameter(name: "dx/dy", reason: "orders must be >= 0 and not both 0, got dx=\(dx) dy=\(dy)")
        }
        guard scale.isFinite, delta.isFinite else {
            throw CVError.invalidParameter(name: "scale", reason: "scale and delta must be finite")
        }
        if ksize == -1 {
            guard (dx == 1 && dy == 0) || (dx == 0 && dy == 1) else {
                throw CVError.invalidParameter(name: "dx/dy", reason: "Scharr needs exactly one first derivative (dx=1,dy=0 or dx=0,dy=1)")
            }
            let d = [-1, 0, 1], s = [3, 10, 3]
            return dx == 1 ? (d, s) : (s, d)
        }
        guard [1, 3, 5, 7].contains(ksize) else {
            throw CVError.invalidParameter(name: "ksize", reason: "must be 1, 3, 5, 7 or -1 (Scharr), got \(ksize)")
        }
        let kxSize = ksize == 1 && dx > 0 ? 3 : ksize
        let kySize = ksize == 1 && dy > 0 ? 3 : ksize
        guard dx < kxSize, dy < kySize else {
            throw CVError.invalidParameter(name: "dx/dy", reason: "derivative order must be smaller than ksize (\(ksize)), got dx=\(dx) dy=\(dy)")
        }
        return (Self.sobelKernel(size: kxSize, order: dx), Self.sobelKernel(size: kySize, order: dy))
    }

    /// Binomial smoothing of size `size − order` convolved `order` times with [−1, 1]
    /// (OpenCV `getSobelKernels`, unnormalized).
    static func sobelKernel(size: Int, order: Int) -> [Int] {
        if size == 1 { return [1] }
        if size == 3 {
            return order == 0 ? [1, 2, 1] : (order == 1 ? [-1, 0, 1] : [1, -2, 1])
        }
        var k = [Int](repeating: 0, count: size + 1)
        k[0] = 1
        for _ in 0..<(size - order - 1) {
            var old = k[0]
            for j in 1...size {
                let new = k[j] + k[j - 1]
                k[j - 1] = old
                old = new
            }
        }
        for _ in 0..<order {
            var old = -k[0]
            for j in 1...size {
                let new = k[j - 1] - k[j]
                k[j - 1] = old
                old = new
            }
        }
        return Array(k[0..<size])
    }
}

extension Image {
    /// Sobel (or Scharr) derivative as Float: `cv2.Sobel(src, cv2.CV_32F, dx, dy, ksize, scale, delta, border)`.
    ///
    /// `self`: UInt8, UInt16 or Float image, 1–4 channels (each differentiated independently).
    ///
    /// - Parameters:
    ///   - parameters: orders, aperture, scale, delta, border; see ``DerivativeParameters``
    ///     (defaults dx = 1, dy = 0, ksize 3, scale 1, delta 0, reflect101).
    /// - Returns: a Float image of the same size and channel count, in the input's sample units
    ///   (a UInt8 step of 1 → Sobel-3 response 4).
    /// - Throws: `CVError.invalidParameter` for orders or apertures OpenCV refuses.
    /// - Complexity: O(width·height·channels·ksize), separable, row-parallel.
    ///
    /// Conventions: x grows to the right and y downwards, so `dx > 0` where the image gets
    /// brighter to the right; kernels are correlations as in OpenCV (`[-1, 0, 1]` for d/dx).
    /// Reference: I. Sobel, G. Feldman, "A 3×3 isotropic gradient operator" (1968); H. Scharr,
    /// "Optimale Operatoren in der digitalen Bildverarbeitung", PhD thesis, Heidelberg (2000).
    public func sobelDerivative(_ parameters: DerivativeParameters = DerivativeParameters()) throws -> Image<Float> {
        let image = self
        let (kx, ky) = try parameters.kernels()
        var fx = kx.map { Float($0) }, fy = ky.map { Float($0) }
        if parameters.scale != 1 {
            // OpenCV scales the smoothing kernel (the y one unless dx == 0).
            if parameters.dx == 0 { fx = fx.map { $0 * Float(parameters.scale) } } else { fy = fy.map { $0 * Float(parameters.scale) } }
        }
        var out = Image<Float>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        image.withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: image.width, height: image.height, channels: image.channels,
                               kx: fx, ky: fy, border: parameters.border, delta: Float(parameters.delta))
            }
        }
        return out
    }
}

/// `cv2.Sobel(..., cv2.CV_32F, ...)` as a free function; use ``CVCore/Image/sobelDerivative(_:)``.
@available(*, deprecated, renamed: "Image.sobelDerivative(_:)")
public func sobel<P: PixelScalar>(_ image: Image<P>, _ parameters: DerivativeParameters = DerivativeParameters()) throws -> Image<Float> {
    try image.sobelDerivative(parameters)
}

extension Image where Pixel == UInt8 {
    /// Sobel (or Scharr) derivative of an 8-bit image as Int16, equal to
    /// `cv2.Sobel(src, cv2.CV_16S, dx, dy, ksize, scale, delta, border)` (exact integer arithmetic;
    /// with scale ≠ 1 or delta ≠ 0 the value is rounded to nearest, ties to even, and saturated).
    ///
    /// - Parameters: as ``Image/sobelDerivative(_:)``; the image must be UInt8.
    /// - Returns: an ``Int16Image`` of the same size and channels.
    /// - Throws: `CVError.invalidParameter` for orders or apertures OpenCV refuses.
    /// - Complexity: O(width·height·channels·ksize); the 3×3 first derivatives use a fused pass.
    public func sobelDerivativeInt16(_ parameters: DerivativeParameters = DerivativeParameters()) throws -> Int16Image {
        let image = self
        let (kx, ky) = try parameters.kernels()
        let w = image.width, h = image.height, cn = image.channels
        let scale = parameters.scale, delta = parameters.delta
        let exact = scale == 1 && delta == 0
        // 3×3 kernels (Sobel 3, Scharr) without scaling fit Int16 exactly: one fused pass per row.
        let fused = exact && kx.count == 3 && ky.count == 3
            && kx.reduce(0) { $0 + abs($1) } * ky.reduce(0) { $0 + abs($1) } * 255 < 32768
        let samples = [Int16](unsafeUninitializedCapacity: w * h * cn) { buf, count in
            image.withUnsafePixels { src, ss in
                if fused {
                    derivative3x3(src, ss, buf.baseAddress!, w * cn, width: w, height: h, channels: cn,
                                  kx: kx, ky: ky, border: parameters.border)
                } else {
                    integerDerivative(src, ss, buf.baseAddress!, w * cn, width: w, height: h, channels: cn,
                                      kx: kx, ky: ky, border: parameters.border) { (v: Int32) -> Int16 in
                        if exact { return Int16(clamping: v) }
                        let r = (Double(v) * scale + delta).rounded(.toNearestOrEven)
                        return r <= -32768 ? -32768 : (r >= 32767 ? 32767 : Int16(r))
                    }
                }
            }
            count = w * h * cn
        }
        return Int16Image(width: w, height: h, channels: cn, samples: samples)
    }
}

/// `cv2.Sobel(..., cv2.CV_16S, ...)` as a free function; use ``CVCore/Image/sobelDerivativeInt16(_:)``.
@available(*, deprecated, renamed: "Image.sobelDerivativeInt16(_:)")
public func sobelInt16(_ image: Image<UInt8>, _ parameters: DerivativeParameters = DerivativeParameters()) throws -> Int16Image {
    try image.sobelDerivativeInt16(parameters)
}

/// Integer separable filter UInt8 → Int32 sums → `store` (exact).
@inline(__always)
func integerDerivative<D>(_ src: UnsafePointer<UInt8>, _ ss: Int, _ dst: UnsafeMutablePointer<D>, _ ds: Int,
                          width: Int, height: Int, channels cn: Int, kx: [Int], ky: [Int], border: BorderMode,
                          store: (Int32) -> D) {
    let rx = kx.count / 2, ry = ky.count / 2
    let n = width * cn
    let kx32 = kx.map { Int32($0) }, ky32 = ky.map { Int32($0) }
    kx32.withUnsafeBufferPointer { kxb in
        ky32.withUnsafeBufferPointer { kyb in
            let kxp = kxb.baseAddress!, kyp = kyb.baseAddress!
            runSeparable(source: src, sourceStride: ss, destination: dst, destinationStride: ds,
                         width: width, height: height, channels: cn, rx: rx, ry: ry,
                         border: border, constant: border.constantValue(UInt8.self), intermediate: Int32.self,
                         horizontal: { pad, out in
                             if kx.count == 3 {
                                 let a = pad, b = pad + cn, c = pad + 2 * cn
                                 let k0 = kxp[0], k1 = kxp[1], k2 = kxp[2]
                                 for i in 0..<n { out[i] = k0 &* Int32(a[i]) &+ k1 &* Int32(b[i]) &+ k2 &* Int32(c[i]) }
                                 return
                             }
                             let k0 = kxp[0]
                             for i in 0..<n { out[i] = k0 &* Int32(pad[i]) }
                             for t in 1..<max(kx.count, 1) {
                                 let k = kxp[t]
                                 if k == 0 { continue }
                                 let a = pad + t * cn
                                 for i in 0..<n { out[i] &+= k &* Int32(a[i]) }
                             }
                         },
                         vertical: { rows, out in
                             if ky.count == 3 {
                                 let a = rows[0], b = rows[1], c = rows[2]
                                 let k0 = kyp[0], k1 = kyp[1], k2 = kyp[2]
                                 for i in 0..<n { out[i] = store(k0 &* a[i] &+ k1 &* b[i] &+ k2 &* c[i]) }
                                 return
                             }
                             withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { accb in
                                 let acc = accb.baseAddress!
                                 let k0 = kyp[0], r0 = rows[0]
                                 for i in 0..<n { acc[i] = k0 &* r0[i] }
                                 for t in 1..<max(ky.count, 1) {
                                     let k = kyp[t]
                                     if k == 0 { continue }
                                     let r = rows[t]
                                     for i in 0..<n { acc[i] &+= k &* r[i] }
                                 }
                                 for i in 0..<n { out[i] = store(acc[i]) }
                             }
                         })
        }
    }
}

/// A 3×3 separable integer filter UInt8 → Int16 whose results fit Int16 (Sobel 3, Scharr):
/// per output row, `ck_sep3_vert_u8s16` combines the three source rows with `ky`, the border
/// columns of that combination are filled by the border rule (a column outside the image is the
/// combination of the source column it maps to, or Σky·constant), then `ck_sep3_horz_s16`
/// applies `kx`. Same results as ``integerDerivative(_:_:_:_:width:height:channels:kx:ky:border:store:)``.
func derivative3x3(_ src: UnsafePointer<UInt8>, _ ss: Int, _ dst: UnsafeMutablePointer<Int16>, _ ds: Int,
                   width: Int, height: Int, channels cn: Int, kx: [Int], ky: [Int], border: BorderMode) {
    guard width > 0, height > 0 else { return }
    let n = width * cn
    let constant = border.constantValue(UInt8.self)
    let constantSum = Int16(truncatingIfNeeded: (ky[0] + ky[1] + ky[2]) * Int(constant))
    let left = border.sourceIndex(-1, count: width), right = border.sourceIndex(width, count: width)
    let kx0 = Int32(kx[0]), kx1 = Int32(kx[1]), kx2 = Int32(kx[2])
    let ky0 = Int32(ky[0]), ky1 = Int32(ky[1]), ky2 = Int32(ky[2])
    Parallel.forEachStripe(rows: height, minRowsPerStripe: 32) { stripe in
        let tmp = UnsafeMutablePointer<Int16>.allocate(capacity: n + 2 * cn)
        let constRow = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        defer { tmp.deallocate(); constRow.deallocate() }
        constRow.update(repeating: constant, count: n)
        func row(_ v: Int) -> UnsafePointer<UInt8> {
            if v >= 0 && v < height { return src + v * ss }
            if let s = border.sourceIndex(v, count: height) { return src + s * ss }
            return UnsafePointer(constRow)
        }
        for y in stripe {
            ck_sep3_vert_u8s16(row(y - 1), row(y), row(y + 1), tmp + cn, n, ky0, ky1, ky2)
            for c in 0..<cn {
                tmp[c] = left.map { tmp[cn + $0 * cn + c] } ?? constantSum
                tmp[cn + n + c] = right.map { tmp[cn + $0 * cn + c] } ?? constantSum
            }
            ck_sep3_horz_s16(tmp, dst + y * ds, n, cn, kx0, kx1, kx2)
        }
    }
}
