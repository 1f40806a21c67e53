import CKernels
import CVCore

/// Parameters of ``CVCore/Image/gaussianBlurred(_:)``.
///
/// Presets:
/// - ``opencv(sigma:sigmaY:kernelWidth:kernelHeight:border:)`` reproduces `cv2.GaussianBlur`
///   (bit for bit on UInt8 and UInt16 images, which OpenCV filters in fixed point).
/// - ``scikitImage(sigma:sigmaY:mode:truncate:)`` reproduces `skimage.filters.gaussian`
///   (`scipy.ndimage.gaussian_filter`: radius `Int(truncate·σ + 0.5)`, default mode `nearest`).
public struct GaussianParameters: Sendable, Hashable {
    /// Whose kernel and conventions to follow.
    public enum Convention: Sendable, Hashable {
        /// OpenCV: kernel size from σ (`round(σ·(UInt8 ? 3 : 4)·2 + 1) | 1`) or given,
        /// fixed-point arithmetic on UInt8/UInt16 images.
        case opencv
        /// SciPy/scikit-image: radius `Int(truncate·σ + 0.5)`, floating-point arithmetic.
        case scikitImage(truncate: Double)
    }

    /// How to filter.
    public enum Method: Sendable, Hashable {
        /// ``exact`` for σ < 8 (or when a kernel size is given), ``fastApproximate`` otherwise.
        case automatic
        /// The true sampled kernel, cost O(kernel size) per pixel.
        case exact
        /// Four passes of running-sum box filters (Kovesi 2010), cost O(1) per pixel whatever
        /// σ is. Against the exact filter on photographs with the default (reflecting) border:
        /// UInt8 max abs difference a few levels, mean below 0.5; more near the edge with
        /// replicate/constant borders. See ``CVCore/Image/gaussianBlurred(_:)``.
        case fastApproximate
    }

    /// Standard deviation along x, in pixels. Default: 1. `0` derives it from ``kernelWidth``.
    public var sigma: Double
    /// Standard deviation along y. Default: 0, meaning "same as ``sigma``".
    public var sigmaY: Double
    /// Kernel width (odd), or 0 (default) to derive it from σ with the convention's rule.
    public var kernelWidth: Int
    /// Kernel height (odd), or 0 (default) to derive it from σ.
    public var kernelHeight: Int
    /// Border handling. Default: `BorderMode.reflect101` (OpenCV's default).
    public var border: BorderMode
    /// The standard deviation along x, ``sigma`` under its earlier name.
    @available(*, deprecated, renamed: "sigma")
    public var sigmaX: Double {
        get { sigma }
        set { sigma = newValue }
    }
    /// Default: ``Convention/opencv``.
    public var convention: Convention
    /// Default: ``Method/automatic``.
    public var method: Method

    /// - Parameters: see the properties; defaults σ = 1, OpenCV convention, reflect101 border.
    public init(sigma: Double = 1, sigmaY: Double = 0, kernelWidth: Int = 0, kernelHeight: Int = 0,
                border: BorderMode = .reflect101, convention: Convention = .opencv, method: Method = .automatic) {
        self.sigma = sigma
        self.sigmaY = sigmaY
        self.kernelWidth = kernelWidth
        self.kernelHeight = kernelHeight
        self.border = border
        self.convention = convention
        self.method = method
    }

    /// `cv2.GaussianBlur(src, (kernelWidth, kernelHeight), sigma, sigmaY, border)`.
    public static func opencv(sigma: Double, sigmaY: Double = 0, kernelWidth: Int = 0, kernelHeight: Int = 0,
                              border: BorderMode = .reflect101) -> GaussianParameters {
        GaussianParameters(sigma: sigma, sigmaY: sigmaY, kernelWidth: kernelWidth, kernelHeight: kernelHeight,
                           border: border, convention: .opencv, method: .exact)
    }

    /// `skimage.filters.gaussian(image, sigma, mode=mode, truncate=truncate)`; the default mode
    /// `nearest` is `BorderMode.replicate` (`reflect` ↔ `BorderMode.reflect`, `mirror` ↔
    /// `BorderMode.reflect101`, `constant` ↔ `BorderMode.constant(_:)`, `wrap` ↔ `BorderMode.wrap`).
    public static func scikitImage(sigma: Double, sigmaY: Double = 0, mode: BorderMode = .replicate,
                                   truncate: Double = 4) -> GaussianParameters {
        GaussianParameters(sigma: sigma, sigmaY: sigmaY, border: mode, convention: .scikitImage(truncate: truncate),
                           method: .exact)
    }
}

extension GaussianParameters {
    /// Largest σ (along either axis) any method accepts: 4,096 pixels. The O(1) approximation
    /// costs the same per pixel whatever σ is, but its running sums start and pad every row
    /// with windows of about 1.7·σ pixels.
    public static let maxSigma: Double = 4_096
    /// Largest exact kernel (taps along one axis): the exact method costs O(taps) per pixel.
    /// Larger blurs take ``Method/automatic`` or ``Method/fastApproximate``, whose cost does not
    /// depend on σ.
    public static let maxExactKernelSize = 4_097

    /// Checks every parameter on its own, naming it as written in ``init(sigma:sigmaY:kernelWidth:kernelHeight:border:convention:method:)``.
    /// ``CVCore/Image/gaussianBlurred(_:)`` also refuses combinations that only an image's sample type settles
    /// (an exact kernel derived from σ longer than ``maxExactKernelSize``).
    /// - Throws: `CVError.invalidParameter` naming `sigma` or `sigmaY` (NaN, infinite, negative,
    ///   above ``maxSigma``), `kernelWidth` or `kernelHeight` (not 0 or a positive odd number up
    ///   to ``maxExactKernelSize``), `truncate` (not finite and > 0), or `sigma` when neither σ
    ///   nor a kernel size is given.
    public func validate() throws {
        for (name, value) in [("sigma", sigma), ("sigmaY", sigmaY)] {
            guard value.isFinite, value >= 0 else {
                throw CVError.invalidParameter(name: name, reason: "must be finite and >= 0, got \(value)")
            }
            guard value <= Self.maxSigma else {
                throw CVError.invalidParameter(name: name, reason: "must be at most \(Int(Self.maxSigma)) pixels, got \(value)")
            }
        }
        for (name, k) in [("kernelWidth", kernelWidth), ("kernelHeight", kernelHeight)] where k != 0 {
            guard k > 0, k % 2 == 1 else {
                throw CVError.invalidParameter(name: name, reason: "must be 0 (derive from sigma) or a positive odd number, got \(k)")
            }
            guard k <= Self.maxExactKernelSize else {
                throw CVError.invalidParameter(name: name, reason: "must be at most \(Self.maxExactKernelSize), got \(k)")
            }
        }
        switch convention {
        case .opencv:
            guard sigma > 0 || kernelWidth > 0 || kernelHeight > 0 else {
                throw CVError.invalidParameter(name: "sigma", reason: "give sigma > 0 or an odd kernel size")
            }
        case .scikitImage(let truncate):
            guard truncate.isFinite, truncate > 0 else {
                throw CVError.invalidParameter(name: "truncate", reason: "must be finite and > 0, got \(truncate)")
            }
        }
    }
}

/// The validated kernels of one Gaussian blur: 1. the parameters on their own
/// (``GaussianParameters/validate()``); 2. the convention's kernel sizes for this sample type
/// and image; 3. the exact taps, or σx, σy for the O(1) path.
struct GaussianPlan {
    enum Taps { case fixed8([UInt16], [UInt16]), fixed16([UInt32], [UInt32]), float([Float], [Float])
        /// No exact taps: the O(1) path (``fast``) runs instead.
        case approximate
    }
    var taps: Taps
    var sizeX: Int
    var sizeY: Int
    var fast: (Double, Double)?  // σx, σy for the O(1) path

    init<P: PixelScalar>(_ p: GaussianParameters, pixel: P.Type, width: Int, height: Int) throws {
        try p.validate()
        let sx = p.sigma
        let sy = p.sigmaY > 0 ? p.sigmaY : p.sigma
        switch p.convention {
        case .opencv:
            var kw = p.kernelWidth, kh = p.kernelHeight
            if kw == 0 && sx > 0 { kw = GaussianKernel.opencvSize(sigma: sx, depth: P.depth) }
            if kh == 0 && sy > 0 { kh = GaussianKernel.opencvSize(sigma: sy, depth: P.depth) }
            if kh == 0 && p.sigmaY == 0 && kw > 0 && sx == 0 { kh = kw }
            guard kw > 0, kh > 0 else {
                throw CVError.invalidParameter(name: "sigma", reason: "give sigma > 0 or an odd kernel size")
            }
            let nonConstant: Bool
            if case .constant = p.border { nonConstant = false } else { nonConstant = true }
            if nonConstant && height == 1 { kh = 1 }
            if nonConstant && width == 1 { kw = 1 }
            let useFast: Bool
            switch p.method {
            case .exact: useFast = false
            case .fastApproximate: useFast = true
            case .automatic: useFast = p.kernelWidth == 0 && p.kernelHeight == 0 && min(sx, sy) >= 8
            }
            fast = useFast ? (sx > 0 ? sx : GaussianKernel.opencvSigma(size: kw), sy > 0 ? sy : GaussianKernel.opencvSigma(size: kh)) : nil
            sizeX = kw; sizeY = kh
            guard !useFast else { taps = .approximate; return }
            try Self.checkExactSize(kw, name: p.kernelWidth > 0 ? "kernelWidth" : "sigma")
            try Self.checkExactSize(kh, name: p.kernelHeight > 0 ? "kernelHeight" : p.sigmaY > 0 ? "sigmaY" : "sigma")
            taps = Self.opencvTaps(kw, kh, sx, sy, depth: P.depth)
        case .scikitImage(let truncate):
            let useFast = p.method == .fastApproximate || (p.method == .automatic && min(sx, sy) >= 8)
            fast = useFast ? (sx, sy) : nil
            guard !useFast else { taps = .approximate; sizeX = 0; sizeY = 0; return }
            // scipy's radius Int(truncate·σ + 0.5), checked in Double before it becomes an Int.
            for (name, sigma) in [("sigma", sx), (p.sigmaY > 0 ? "sigmaY" : "sigma", sy)] {
                let taps = 2 * (truncate * sigma + 0.5).rounded(.down) + 1
                guard taps <= Double(GaussianParameters.maxExactKernelSize) else {
                    throw Self.tooLong(truncate > Double(GaussianParameters.maxExactKernelSize) ? "truncate" : name,
                                       taps: taps)
                }
            }
            let tx = GaussianKernel.scipyTaps(sigma: sx, truncate: truncate).map { Float($0) }
            let ty = GaussianKernel.scipyTaps(sigma: sy, truncate: truncate).map { Float($0) }
            taps = .float(tx, ty)
            sizeX = tx.count; sizeY = ty.count
        }
    }

    /// OpenCV's taps for the sample type: 8- or 16-bit fixed point for UInt8/UInt16, Float otherwise.
    private static func opencvTaps(_ kw: Int, _ kh: Int, _ sx: Double, _ sy: Double, depth: PixelDepth) -> Taps {
        switch depth {
        case .uint8:
            return .fixed8(GaussianKernel.opencvFixedPoint(size: kw, sigma: sx, fractionBits: 8).map { UInt16($0) },
                           GaussianKernel.opencvFixedPoint(size: kh, sigma: sy, fractionBits: 8).map { UInt16($0) })
        case .uint16:
            return .fixed16(GaussianKernel.opencvFixedPoint(size: kw, sigma: sx, fractionBits: 16).map { UInt32($0) },
                            GaussianKernel.opencvFixedPoint(size: kh, sigma: sy, fractionBits: 16).map { UInt32($0) })
        case .float32:
            return .float(GaussianKernel.opencvTaps(size: kw, sigma: sx).map { Float($0) },
                          GaussianKernel.opencvTaps(size: kh, sigma: sy).map { Float($0) })
        }
    }

    private static func checkExactSize(_ taps: Int, name: String) throws {
        guard taps <= GaussianParameters.maxExactKernelSize else { throw tooLong(name, taps: Double(taps)) }
    }

    private static func tooLong(_ name: String, taps: Double) -> CVError {
        .invalidParameter(name: name, reason: "needs an exact kernel of \(taps) taps; the exact method takes at most "
            + "\(GaussianParameters.maxExactKernelSize) (method .automatic or .fastApproximate costs the same whatever sigma is)")
    }
}

extension Image {
    /// Gaussian blur: a separable convolution with sampled Gaussian kernels along x and y.
    ///
    /// With the default OpenCV convention the result equals `cv2.GaussianBlur` bit for bit on
    /// UInt8 images (8-bit fixed-point taps, 16-bit row sums, rounding `(s + 2¹⁵) >> 16`) and on
    /// UInt16 images (16-bit taps, rounding `>> 32`); Float images are filtered in Float
    /// (relative error ~1e-7 against OpenCV). With ``GaussianParameters/scikitImage(sigma:sigmaY:mode:truncate:)``
    /// it equals `skimage.filters.gaussian` up to Float rounding (relative error < 1e-5).
    ///
    /// For σ ≥ 8 with no kernel size given, ``GaussianParameters/Method/automatic`` switches to an
    /// O(1)-per-pixel approximation (four box passes, Kovesi 2010): on photographs a few levels
    /// off at most with the reflecting and wrap borders, more within a few σ of the edge with
    /// replicate and constant borders (figures in `docs/performance.md`). Pass
    /// ``GaussianParameters/Method/exact`` to always use the exact kernel.
    ///
    /// `self`: UInt8, UInt16 or Float image, 1–4 channels (each filtered independently).
    ///
    /// - Parameters:
    ///   - parameters: σ, kernel size, border; see ``GaussianParameters`` (defaults σ = 1,
    ///     OpenCV rules, reflect101 border).
    /// - Returns: an image of the same size, channel count and sample type.
    /// - Throws: `CVError.invalidParameter` for any value ``GaussianParameters/validate()``
    ///   refuses (NaN, negative or too large σ, even or negative kernel sizes, neither σ nor a
    ///   size given), or an exact kernel longer than ``GaussianParameters/maxExactKernelSize``.
    /// - Complexity: O(width·height·channels·(kx + ky)) for the exact path, O(width·height·channels)
    ///   for the fast path; rows run in parallel stripes.
    ///
    /// Conventions: the kernel is centred (anchor at its middle); y points down; the border mode
    /// applies to both axes. References: OpenCV `imgproc/src/smooth.dispatch.cpp`;
    /// P. Kovesi, "Fast Almost-Gaussian Filtering", DICTA 2010, doi:10.1109/DICTA.2010.30.
    public func gaussianBlurred(_ parameters: GaussianParameters = GaussianParameters()) throws -> Image<Pixel> {
        typealias P = Pixel
        let image = self
        let plan = try GaussianPlan(parameters, pixel: P.self, width: image.width, height: image.height)
        if let (sx, sy) = plan.fast {
            return try approximateGaussian(image, sigmaX: sx, sigmaY: sy, border: parameters.border)
        }
        if plan.sizeX == 1 && plan.sizeY == 1 { return image.copy() }
        var out = Image<P>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        let border = parameters.border
        image.withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                switch plan.taps {
                case let .fixed8(kx, ky):
                    gaussianFixed8(UnsafeRawPointer(src).assumingMemoryBound(to: UInt8.self), ss,
                                   UnsafeMutableRawPointer(dst).assumingMemoryBound(to: UInt8.self), ds,
                                   width: image.width, height: image.height, channels: image.channels,
                                   kx: kx, ky: ky, border: border)
                case let .fixed16(kx, ky):
                    gaussianFixed16(UnsafeRawPointer(src).assumingMemoryBound(to: UInt16.self), ss,
                                    UnsafeMutableRawPointer(dst).assumingMemoryBound(to: UInt16.self), ds,
                                    width: image.width, height: image.height, channels: image.channels,
                                    kx: kx, ky: ky, border: border)
                case let .float(kx, ky):
                    separableFloat(src, ss, dst, ds, width: image.width, height: image.height,
                                   channels: image.channels, kx: kx, ky: ky, border: border)
                case .approximate:
                    preconditionFailure("the O(1) path returned above")
                }
            }
        }
        return out
    }
}

/// `cv2.GaussianBlur` / `skimage.filters.gaussian` as a free function; use ``CVCore/Image/gaussianBlurred(_:)``.
@available(*, deprecated, renamed: "Image.gaussianBlurred(_:)")
public func gaussianBlur<P: PixelScalar>(_ image: Image<P>, _ parameters: GaussianParameters = GaussianParameters()) throws -> Image<P> {
    try image.gaussianBlurred(parameters)
}

// MARK: - UInt8: 8.8 fixed point (OpenCV ufixedpoint16), exact

/// Rows: `h = Σ kx·p` in UInt16 (taps sum to 256, so h ≤ 65280). Columns: `Σ ky·h` in UInt32,
/// then `(s + 2¹⁵) >> 16`. Both kernels are symmetric, so taps are applied to pair sums.
/// The row loops are `ck_gauss_h_u8u16` / `ck_gauss_v_u16u8` (CKernels: AVX2, or AVX-512 with
/// the vertical sums as signed 16-bit multiply-adds over rows stored offset by 2¹⁵);
/// ``verticalFixed8(_:_:count:ry:ky:)`` is the readable Swift statement of the vertical step.
func gaussianFixed8(_ src: UnsafePointer<UInt8>, _ ss: Int, _ dst: UnsafeMutablePointer<UInt8>, _ ds: Int,
                    width: Int, height: Int, channels cn: Int, kx: [UInt16], ky: [UInt16], border: BorderMode) {
    guard width > 0, height > 0 else { return }
    let rx = kx.count / 2, ry = ky.count / 2
    let n = width * cn
    let columns = BorderColumns(width: width, radius: rx, border: border)
    let constant = border.constantValue(UInt8.self)
    // Rows wider than the kernel are filtered in place; only their two ends go through small
    // padded buffers. Narrow rows are copied into one padded buffer.
    let inPlace = width > 2 * rx
    let edge = 3 * rx * cn
    let slots = 2 * ry + 2  // the rows two consecutive output rows span
    kx.withUnsafeBufferPointer { kxb in
        ky.withUnsafeBufferPointer { kyb in
            let kxp = kxb.baseAddress!, kyp = kyb.baseAddress!
            // 2¹⁵ when the vertical pass multiplies the rows as signed 16-bit values.
            let offset = ck_gauss_v_offset(kyp, Int32(ry))
            Parallel.forEachStripe(rows: height, minRowsPerStripe: max(32, 4 * ry)) { stripe in
                let pad = UnsafeMutablePointer<UInt8>.allocate(capacity: inPlace ? 2 * edge : (width + 2 * rx) * cn)
                let constRow = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
                let ring = UnsafeMutablePointer<UInt16>.allocate(capacity: slots * n)
                let rows = UnsafeMutablePointer<UnsafePointer<UInt16>?>.allocate(capacity: slots)
                defer { pad.deallocate(); constRow.deallocate(); ring.deallocate(); rows.deallocate() }
                constRow.update(repeating: constant, count: n)
                func horizontal(_ row: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt16>) {
                    guard inPlace else {
                        fillPaddedRow(pad, row: row, width: width, channels: cn, columns: columns, constant: constant)
                        ck_gauss_h_u8u16(pad, out, n, cn, kxp, Int32(rx), offset)
                        return
                    }
                    ck_gauss_h_u8u16(row, out + rx * cn, n - 2 * rx * cn, cn, kxp, Int32(rx), offset)
                    guard rx > 0 else { return }
                    let left = pad, right = pad + edge
                    (left + rx * cn).update(from: row, count: 2 * rx * cn)
                    right.update(from: row + n - 2 * rx * cn, count: 2 * rx * cn)
                    for i in 0..<rx {
                        let sl = columns.left[i], sr = columns.right[i]
                        for c in 0..<cn {
                            left[i * cn + c] = sl < 0 ? constant : row[sl * cn + c]
                            right[(2 * rx + i) * cn + c] = sr < 0 ? constant : row[sr * cn + c]
                        }
                    }
                    ck_gauss_h_u8u16(left, out, rx * cn, cn, kxp, Int32(rx), offset)
                    ck_gauss_h_u8u16(right, out + n - rx * cn, rx * cn, cn, kxp, Int32(rx), offset)
                }
                let base = stripe.lowerBound - ry
                var next = base
                // Output rows two at a time where the stripe allows (each filtered row is then
                // read once per pair).
                var y = stripe.lowerBound
                while y < stripe.upperBound {
                    let pair = y + 1 < stripe.upperBound
                    while next <= y + ry + (pair ? 1 : 0) {
                        let row: UnsafePointer<UInt8>
                        if next >= 0 && next < height {
                            row = src + next * ss
                        } else if let s = border.sourceIndex(next, count: height) {
                            row = src + s * ss
                        } else {
                            row = UnsafePointer(constRow)
                        }
                        horizontal(row, ring + ((next - base) % slots) * n)
                        next += 1
                    }
                    for k in 0..<(pair ? slots : slots - 1) {
                        rows[k] = UnsafePointer(ring + ((y - ry + k - base) % slots) * n)
                    }
                    if pair {
                        ck_gauss_v2_u16u8(rows, dst + y * ds, dst + (y + 1) * ds, n, kyp, Int32(ry), offset)
                    } else {
                        ck_gauss_v_u16u8(rows, dst + y * ds, n, kyp, Int32(ry), offset)
                    }
                    y += pair ? 2 : 1
                }
            }
        }
    }
}

/// Reference statement of the 8-bit vertical step (the fast path runs `ck_gauss_v_u16u8`):
/// `out[i] = (ky[ry]·rows[ry][i] + Σ_{t<ry} ky[t]·(rows[t][i] + rows[2ry−t][i]) + 2¹⁵) >> 16`.
func verticalFixed8(_ rows: UnsafePointer<UnsafeMutablePointer<UInt16>>, _ out: UnsafeMutablePointer<UInt8>,
                    count n: Int, ry: Int, ky: UnsafePointer<UInt16>) {
    let kc = UInt32(ky[ry])
    for i in 0..<n {
        var s = kc &* UInt32(rows[ry][i])
        for t in 0..<ry {
            s &+= UInt32(ky[t]) &* (UInt32(rows[t][i]) &+ UInt32(rows[2 * ry - t][i]))
        }
        out[i] = UInt8(truncatingIfNeeded: (s &+ 0x8000) >> 16)
    }
}

// MARK: - UInt16: 16.16 fixed point (OpenCV ufixedpoint32), exact

func gaussianFixed16(_ src: UnsafePointer<UInt16>, _ ss: Int, _ dst: UnsafeMutablePointer<UInt16>, _ ds: Int,
                     width: Int, height: Int, channels cn: Int, kx: [UInt32], ky: [UInt32], border: BorderMode) {
    let rx = kx.count / 2, ry = ky.count / 2
    let n = width * cn
    kx.withUnsafeBufferPointer { kxb in
        ky.withUnsafeBufferPointer { kyb in
            let kxp = kxb.baseAddress!, kyp = kyb.baseAddress!
            runSeparable(source: src, sourceStride: ss, destination: dst, destinationStride: ds,
                         width: width, height: height, channels: cn, rx: rx, ry: ry,
                         border: border, constant: border.constantValue(UInt16.self), intermediate: UInt32.self,
                         horizontal: { pad, out in
                             let c = pad + rx * cn
                             let kc = kxp[rx]
                             for i in 0..<n { out[i] = kc &* UInt32(c[i]) }
                             for t in 0..<rx {
                                 let k = kxp[t]
                                 let a = pad + t * cn, b = pad + (2 * rx - t) * cn
                                 for i in 0..<n { out[i] &+= k &* (UInt32(a[i]) &+ UInt32(b[i])) }
                             }
                         },
                         vertical: { rows, out in
                             for i in 0..<n {
                                 var s = UInt64(kyp[ry]) &* UInt64(rows[ry][i])
                                 for t in 0..<ry {
                                     s &+= UInt64(kyp[t]) &* (UInt64(rows[t][i]) &+ UInt64(rows[2 * ry - t][i]))
                                 }
                                 out[i] = UInt16(truncatingIfNeeded: (s &+ 0x8000_0000) >> 32)
                             }
                         })
        }
    }
}

// MARK: - Float (any sample type in, Float arithmetic)

/// Separable convolution in Float (arbitrary taps, centred); samples of any type are read as
/// Float and written as `D` with rounding and saturation (as `D(clampingRounded:)`), after
/// adding `delta`. Runs `ck_sep_f32_rows` (CKernels) on row stripes: column tiles whose ring of
/// filtered rows stays in L1, the row kernels `ck_conv_h_f32` / `ck_conv_v2_f32` (AVX2 + FMA
/// when available); ``horizontalFloat(_:_:count:channels:taps:k:)`` and
/// ``verticalFloat(_:_:count:taps:k:delta:)`` are their readable Swift statements.
func separableFloat<P: PixelScalar, D: PixelScalar>(_ src: UnsafePointer<P>, _ ss: Int, _ dst: UnsafeMutablePointer<D>, _ ds: Int,
                                    width: Int, height: Int, channels cn: Int, kx: [Float], ky: [Float],
                                    border: BorderMode, delta: Float = 0) {
    guard width > 0, height > 0 else { return }
    withSeparableFloatRows(src, ss, D.self, ds, width: width, height: height, channels: cn, kx: kx, ky: ky,
                           border: border, delta: delta) { filterRows in
        // Stripes must be tall enough that the ry-row overlap stays cheap.
        Parallel.forEachStripe(rows: height, minRowsPerStripe: max(16, 2 * (ky.count / 2))) { stripe in
            filterRows(stripe, UnsafeMutableRawPointer(dst))
        }
    }
}

/// Sets up the separable Float convolution of ``separableFloat(_:_:_:_:width:height:channels:kx:ky:border:delta:)``
/// and hands `body` a function that writes output rows `range` to the rows of a destination
/// whose row 0 is at the given address (stride `ds` samples of `D`; only rows in `range` are
/// touched, so a caller can point it at a small buffer for a band of rows). The function may be
/// called from several threads at once with disjoint destinations.
func withSeparableFloatRows<P: PixelScalar, D: PixelScalar, R>(
    _ src: UnsafePointer<P>, _ ss: Int, _: D.Type, _ ds: Int, width: Int, height: Int, channels cn: Int,
    kx: [Float], ky: [Float], border: BorderMode, delta: Float = 0,
    _ body: ((Range<Int>, UnsafeMutableRawPointer) -> Void) -> R
) -> R {
    let rx = kx.count / 2, ry = ky.count / 2
    let columnIndex = (-rx..<(width + rx)).map { Int32(border.sourceIndex($0, count: width) ?? -1) }
    let rowIndex = (-ry..<(height + ry)).map { Int32(border.sourceIndex($0, count: height) ?? -1) }
    func depthCode(_ d: PixelDepth) -> Int32 {
        switch d {
        case .uint8: return 0
        case .uint16: return 1
        case .float32: return 2
        }
    }
    let constant = border.constantValue(P.self).floatValue
    return kx.withUnsafeBufferPointer { kxb in
        ky.withUnsafeBufferPointer { kyb in
            columnIndex.withUnsafeBufferPointer { cib in
                rowIndex.withUnsafeBufferPointer { rib in
                    let plan = ck_sep_f32_plan(
                        src: UnsafeRawPointer(src), src_stride: ss, src_depth: depthCode(P.depth),
                        dst: nil, dst_stride: ds, dst_depth: depthCode(D.depth),
                        width: width, height: height, cn: cn,
                        kx: kxb.baseAddress!, taps_x: Int32(kx.count), ky: kyb.baseAddress!, taps_y: Int32(ky.count),
                        delta: delta, constant: constant, col_index: cib.baseAddress!, row_index: rib.baseAddress!)
                    return body { range, destination in
                        guard !range.isEmpty else { return }
                        var own = plan
                        own.dst = destination
                        let status = ck_sep_f32_rows(&own, range.lowerBound, range.upperBound)
                        precondition(status == 0, "out of memory for the separable filter's scratch rows")
                    }
                }
            }
        }
    }
}

/// Reference statement of the Float horizontal step (the fast path runs `ck_conv_h_f32`):
/// `out[i] = Σ_t k[t]·pad[i + t·cn]`.
func horizontalFloat(_ pad: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count n: Int, channels cn: Int,
                     taps: Int, k: UnsafePointer<Float>) {
    for i in 0..<n {
        var s: Float = 0
        for t in 0..<taps { s += k[t] * pad[i + t * cn] }
        out[i] = s
    }
}

/// Reference statement of the Float vertical step (the fast path runs `ck_conv_v_f32`):
/// `out[i] = Σ_t k[t]·rows[t][i] + delta`.
func verticalFloat(_ rows: UnsafePointer<UnsafeMutablePointer<Float>>, _ out: UnsafeMutablePointer<Float>,
                   count n: Int, taps: Int, k: UnsafePointer<Float>, delta: Float) {
    for i in 0..<n {
        var s: Float = 0
        for t in 0..<taps { s += k[t] * rows[t][i] }
        out[i] = s + delta
    }
}
