import CKernels
import CVCore

/// Parameters of ``CVCore/Image/filtered2D(_:as:_:)`` and ``CVCore/Image/separableFiltered(row:column:anchorX:anchorY:as:_:)``.
public struct Filter2DParameters: Sendable, Hashable {
    /// How a 2-D kernel is applied.
    public enum Method: Sendable, Hashable {
        /// The direct sum over every non-zero coefficient, in OpenCV's order: `cv2.filter2D`
        /// exactly (the default).
        case direct
        /// The cheaper of the direct sum and the kernel's rank-r separable decomposition
        /// (``Kernel/separableTerms(tolerance:)``): r·(width + height) + (r > 1 ? r : 0)
        /// multiply-adds per sample against one per non-zero coefficient. Same result within
        /// Float rounding; 8-bit outputs may then differ by 1 where the exact value is a
        /// rounding tie.
        case automatic
    }

    /// Added to every output sample before rounding (OpenCV's `delta`). Default: 0.
    public var delta: Double
    /// Border handling. Default: `BorderMode.reflect101` (OpenCV's default). OpenCV's `filter2D`
    /// refuses `BORDER_WRAP`; ``BorderMode/wrap`` is accepted here as an extension.
    public var border: BorderMode
    /// Default: ``Method/direct``.
    public var method: Method
    /// Relative singular-value cut-off of the decomposition ``Method/automatic`` uses.
    /// Default: ``Kernel/defaultRankTolerance`` (1e-6).
    public var rankTolerance: Double

    /// - Parameters: see the properties; defaults delta 0, reflect101, direct, tolerance 1e-6.
    public init(delta: Double = 0, border: BorderMode = .reflect101, method: Method = .direct,
                rankTolerance: Double = Kernel.defaultRankTolerance) {
        self.delta = delta
        self.border = border
        self.method = method
        self.rankTolerance = rankTolerance
    }

    /// Largest |delta|: 10³⁰ (Float range with room for the sums).
    public static let maxDelta = 1e30

    /// Checks each parameter, naming it as written in ``init(delta:border:method:rankTolerance:)``.
    /// - Throws: `CVError.invalidParameter` naming `delta` (not finite or beyond ``maxDelta``),
    ///   `rankTolerance` (not in [0, 1)) or `border` (a non-finite constant).
    public func validate() throws {
        guard delta.isFinite, abs(delta) <= Self.maxDelta else {
            throw CVError.invalidParameter(name: "delta", reason: "must be finite and at most 1e30 in magnitude, got \(delta)")
        }
        guard rankTolerance >= 0, rankTolerance < 1 else {
            throw CVError.invalidParameter(name: "rankTolerance", reason: "must be in [0, 1), got \(rankTolerance)")
        }
        if case .constant(let v) = border, !v.isFinite {
            throw CVError.invalidParameter(name: "border", reason: "the constant must be finite, got \(v)")
        }
    }

    /// Refuses an output sample type narrower than the input's (OpenCV's rule: UInt8 → UInt8
    /// or Float, UInt16 → UInt16 or Float, Float → Float).
    static func checkDepths<P: PixelScalar, D: PixelScalar>(_: P.Type, _: D.Type) throws {
        guard P.depth == D.depth || D.depth == .float32 else {
            throw CVError.invalidParameter(name: "depth", reason: "output \(D.depth) cannot hold a filtered \(P.depth) image; "
                                           + "use the input's type or Float")
        }
    }
}

/// How one kernel runs: the direct sum, or r separable passes (centred taps).
enum Filter2DStrategy {
    case direct
    case separable([(row: [Float], column: [Float])])

    /// 1. method `.direct` → direct; 2. otherwise the SVD terms, kept when their multiply-adds
    /// per sample, r·(w + h) + (r > 1 ? r : 0), undercut the non-zero coefficients.
    init(kernel: Kernel, parameters: Filter2DParameters) {
        guard parameters.method == .automatic else { self = .direct; return }
        let terms = kernel.separableTerms(tolerance: parameters.rankTolerance)
        let nonZero = kernel.coefficients.lazy.filter { $0 != 0 }.count
        let r = terms.count
        guard r > 0, r * (kernel.width + kernel.height) + (r > 1 ? r : 0) < nonZero else { self = .direct; return }
        self = .separable(terms.map { term in
            (centred(term.row, anchor: kernel.anchorX), centred(term.column, anchor: kernel.anchorY))
        })
    }
}

/// 1-D taps with anchor `a` as an odd, centred kernel (zeros added on the short side), which
/// is what the separable engine runs: output(x) = Σ k[t]·input(x + t − a).
func centred(_ taps: [Double], anchor a: Int) -> [Float] {
    let radius = max(a, taps.count - 1 - a)
    var out = [Float](repeating: 0, count: 2 * radius + 1)
    for (t, k) in taps.enumerated() { out[t - a + radius] = Float(k) }
    return out
}

extension Image {
    /// Correlates the image with an arbitrary kernel: `cv2.filter2D(src, ddepth, kernel,
    /// anchor=(kernel.anchorX, kernel.anchorY), delta=delta, borderType=border)`.
    ///
    /// out(x, y) = delta + Σ K[j][i]·in(x + i − anchorX, y + j − anchorY) — correlation, not
    /// convolution (flip the kernel with ``Kernel/flipped`` for a convolution). Sums run in
    /// Float with OpenCV's coefficient order and fused multiply-adds, so with the default
    /// ``Filter2DParameters/Method/direct`` the result equals OpenCV's direct path bit for bit
    /// (8-bit: rounded to nearest, ties to even, saturated). OpenCV switches to a DFT for
    /// kernels of 130 coefficients or more (UInt8 → UInt8 and Float → Float; 50 for other
    /// depth pairs): there its own Float error decides rounding ties, so 8-bit results may
    /// differ by 1 at those pixels (counts in `docs/fidelity.md`).
    ///
    /// - Parameters:
    ///   - kernel: the coefficients and anchor (see ``Kernel``).
    ///   - as: the output sample type: the input's own or Float (UInt8 → UInt8/Float,
    ///     UInt16 → UInt16/Float, Float → Float; OpenCV's `ddepth`).
    ///   - parameters: delta, border, method; see ``Filter2DParameters`` (defaults 0,
    ///     reflect101, direct).
    /// - Returns: an image of the same size and channel count, of sample type `D`.
    /// - Throws: `CVError.invalidParameter` naming `depth` (a narrower output type) or what
    ///   ``Filter2DParameters/validate()`` refuses.
    /// - Complexity: O(width·height·channels·nz), nz the kernel's non-zero coefficients
    ///   (≤ ``Kernel/maxCount``); with ``Filter2DParameters/Method/automatic`` at most that, or
    ///   O(width·height·channels·r·(kw + kh)) for a rank-r kernel.
    ///
    /// Reference: OpenCV `imgproc/src/filter.dispatch.cpp` (`filter2D`, `dftFilter2D`,
    /// `preprocess2DKernel`).
    public func filtered2D<D: PixelScalar>(_ kernel: Kernel, as _: D.Type,
                                           _ parameters: Filter2DParameters = Filter2DParameters()) throws -> Image<D> {
        try parameters.validate()
        try Filter2DParameters.checkDepths(Pixel.self, D.self)
        switch Filter2DStrategy(kernel: kernel, parameters: parameters) {
        case .direct:
            return correlateDirect(self, kernel: kernel, delta: Float(parameters.delta), border: parameters.border)
        case .separable(let terms):
            return correlateSeparable(self, terms: terms, delta: Float(parameters.delta), border: parameters.border)
        }
    }

    /// ``filtered2D(_:as:_:)`` with the output at the input's sample type (OpenCV's `ddepth=-1`).
    public func filtered2D(_ kernel: Kernel, _ parameters: Filter2DParameters = Filter2DParameters()) throws -> Image<Pixel> {
        try filtered2D(kernel, as: Pixel.self, parameters)
    }
}

// MARK: - Direct sum

/// The kernel's non-zero coefficients in row-major order, each with the kernel row it reads
/// (among the rows that have one) and its sample offset in that row.
private struct KernelTaps {
    /// The non-zero coefficients in OpenCV's order (row-major).
    var coefficients: [Float] = []
    /// Per tap: which of `rowIndex` it reads, and its sample offset in that padded row.
    var rowOfTap: [Int32] = []
    var offsets: [Int32] = []
    /// Kernel rows with a non-zero coefficient.
    var rowIndex: [Int] = []

    init(_ kernel: Kernel, channels cn: Int) {
        for y in 0..<kernel.height {
            let before = coefficients.count
            for x in 0..<kernel.width where kernel[x, y] != 0 {
                coefficients.append(Float(kernel[x, y]))
                rowOfTap.append(Int32(rowIndex.count))
                offsets.append(Int32(x * cn))
            }
            if coefficients.count > before { rowIndex.append(y) }
        }
    }
}

/// The direct correlation: 1. the kernel's non-zero coefficients in order, each with its row
/// and offset; 2. per stripe of output rows, a ring of Float input rows padded by the border;
/// 3. per output row, every tap summed from delta by `ck_f2d_sum` and stored as `D` (8-bit outputs
/// rounded in the kernel).
func correlateDirect<P: PixelScalar, D: PixelScalar>(_ image: Image<P>, kernel: Kernel, delta: Float,
                                                     border: BorderMode) -> Image<D> {
    var out = Image<D>.uninitialized(width: image.width, height: image.height, channels: image.channels)
    let taps = KernelTaps(kernel, channels: image.channels)
    let pad = PaddedFloatRows(width: image.width, channels: image.channels, left: kernel.anchorX,
                              right: kernel.width - 1 - kernel.anchorX, border: border,
                              constant: border.constantValue(P.self).floatValue)
    let n = image.width * image.channels, kh = kernel.height, ay = kernel.anchorY
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            Parallel.forEachStripe(rows: image.height, minRowsPerStripe: max(16, 2 * kh)) { stripe in
                let ring = UnsafeMutablePointer<Float>.allocate(capacity: kh * pad.length)
                let acc = UnsafeMutablePointer<Float>.allocate(capacity: D.depth == .float32 ? 0 : n)
                let rows = UnsafeMutablePointer<UnsafePointer<Float>?>.allocate(capacity: max(taps.rowIndex.count, 1))
                defer { ring.deallocate(); acc.deallocate(); rows.deallocate() }
                let base = stripe.lowerBound - ay
                var next = base
                for y in stripe {
                    while next <= y - ay + kh - 1 {
                        pad.load(row: next, of: src, stride: ss, height: image.height,
                                 into: ring + ((next - base) % kh) * pad.length)
                        next += 1
                    }
                    for (r, ky) in taps.rowIndex.enumerated() {
                        rows[r] = UnsafePointer(ring + ((y - ay + ky - base) % kh) * pad.length)
                    }
                    sumRow(taps, rows: rows, to: dst + y * ds, scratch: acc, count: n, delta: delta)
                }
            }
        }
    }
    return out
}

/// One output row: every tap summed from delta (delta alone when the kernel has no non-zero
/// coefficient), stored as `D`. Float sums go straight to the row, 8-bit ones are rounded in the
/// kernel's registers, 16-bit ones pass through `scratch`.
private func sumRow<D: PixelScalar>(_ taps: KernelTaps, rows: UnsafePointer<UnsafePointer<Float>?>,
                                    to row: UnsafeMutablePointer<D>, scratch: UnsafeMutablePointer<Float>,
                                    count n: Int, delta: Float) {
    let raw = UnsafeMutableRawPointer(row)
    let sums = D.depth == .float32 ? raw.assumingMemoryBound(to: Float.self) : scratch
    if taps.coefficients.isEmpty {
        sums.update(repeating: delta, count: n)
    } else {
        taps.coefficients.withUnsafeBufferPointer { k in
            taps.rowOfTap.withUnsafeBufferPointer { rt in
                taps.offsets.withUnsafeBufferPointer { o in
                    let bytes = D.depth == .uint8 ? raw.assumingMemoryBound(to: UInt8.self) : nil
                    ck_f2d_sum(sums, bytes, rows, n, k.baseAddress, rt.baseAddress, o.baseAddress, Int32(k.count),
                               delta)
                }
            }
        }
        if D.depth == .uint8 { return }
    }
    if D.depth != .float32 { storeFloatRow(sums, to: row, count: n) }
}

/// Input rows as Float with `left`/`right` border columns, read through a border mode.
struct PaddedFloatRows {
    let width: Int, channels: Int, left: Int, right: Int
    let border: BorderMode
    let constant: Float
    /// Source column of each border column (left ones first), -1 for the constant.
    let columns: [Int]
    var length: Int { (width + left + right) * channels }

    init(width: Int, channels: Int, left: Int, right: Int, border: BorderMode, constant: Float) {
        self.width = width; self.channels = channels; self.left = left; self.right = right
        self.border = border; self.constant = constant
        columns = ((-left..<0).map { $0 } + (width..<(width + right)).map { $0 }).map {
            border.sourceIndex($0, count: width) ?? -1
        }
    }

    /// Fills `out` with virtual row `v` of the image (a border row when outside 0..<height).
    func load<P: PixelScalar>(row v: Int, of src: UnsafePointer<P>, stride ss: Int, height: Int,
                              into out: UnsafeMutablePointer<Float>) {
        guard let s = border.sourceIndex(v, count: height) else {
            out.update(repeating: constant, count: length)
            return
        }
        let cn = channels, interior = out + left * cn
        loadFloatRow(src + s * ss, into: interior, count: width * cn)
        for (i, c) in columns.enumerated() {
            let x = i < left ? i : left + width + (i - left)
            for ch in 0..<cn { out[x * cn + ch] = c < 0 ? constant : interior[c * cn + ch] }
        }
    }
}

/// `count` samples of any type as Float (no scaling).
@inline(__always)
func loadFloatRow<P: PixelScalar>(_ row: UnsafePointer<P>, into out: UnsafeMutablePointer<Float>, count n: Int) {
    switch P.depth {
    case .uint8: ck_u8_to_f32(UnsafeRawPointer(row).assumingMemoryBound(to: UInt8.self), out, n)
    case .uint16: ck_u16_to_f32(UnsafeRawPointer(row).assumingMemoryBound(to: UInt16.self), out, n)
    case .float32: out.update(from: UnsafeRawPointer(row).assumingMemoryBound(to: Float.self), count: n)
    }
}

/// Float sums stored as `D`: rounded to nearest (ties to even) and saturated for integers.
@inline(__always)
func storeFloatRow<D: PixelScalar>(_ sums: UnsafePointer<Float>, to row: UnsafeMutablePointer<D>, count n: Int) {
    switch D.depth {
    case .uint8: ck_f32_to_u8(sums, UnsafeMutableRawPointer(row).assumingMemoryBound(to: UInt8.self), n)
    case .uint16: ck_f32_to_u16(sums, UnsafeMutableRawPointer(row).assumingMemoryBound(to: UInt16.self), n)
    case .float32: UnsafeMutableRawPointer(row).assumingMemoryBound(to: Float.self).update(from: sums, count: n)
    }
}

// MARK: - Sum of separable passes

/// Rank-r filtering: one separable pass per term through the existing Float engine; a single
/// term writes `D` directly (delta added in the pass), several are summed in Float first.
func correlateSeparable<P: PixelScalar, D: PixelScalar>(_ image: Image<P>, terms: [(row: [Float], column: [Float])],
                                                        delta: Float, border: BorderMode) -> Image<D> {
    let w = image.width, h = image.height, cn = image.channels
    if terms.count == 1 {
        var out = Image<D>.uninitialized(width: w, height: h, channels: cn)
        image.withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: w, height: h, channels: cn, kx: terms[0].row,
                               ky: terms[0].column, border: border, delta: delta)
            }
        }
        return out
    }
    var total = Image<Float>(width: w, height: h, channels: cn)
    var pass = Image<Float>.uninitialized(width: w, height: h, channels: cn)
    for (i, term) in terms.enumerated() {
        image.withUnsafePixels { src, ss in
            pass.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: w, height: h, channels: cn, kx: term.row, ky: term.column,
                               border: border, delta: i == 0 ? delta : 0)
            }
        }
        total.withUnsafeMutablePixels { t, ts in
            pass.withUnsafePixels { p, ps in
                for y in 0..<h { for x in 0..<(w * cn) { t[y * ts + x] += p[y * ps + x] } }
            }
        }
    }
    if D.depth == .float32 { return total as! Image<D> }
    var out = Image<D>.uninitialized(width: w, height: h, channels: cn)
    total.withUnsafePixels { t, ts in
        out.withUnsafeMutablePixels { d, ds in
            for y in 0..<h { storeFloatRow(t + y * ts, to: d + y * ds, count: w * cn) }
        }
    }
    return out
}

// MARK: - Signed 16-bit output (OpenCV's CV_16S)

extension Image where Pixel == UInt8 {
    /// ``filtered2D(_:as:_:)`` into signed 16-bit samples: `cv2.filter2D(src, cv2.CV_16S, …)`.
    /// The Float sums (identical to OpenCV's) are rounded to nearest, ties to even, and
    /// saturated to −32768…32767, as OpenCV's `saturate_cast<short>`.
    /// - Parameters: as ``filtered2D(_:as:_:)``.
    /// - Returns: an ``Int16Image`` of the same size and channel count.
    /// - Throws: what ``filtered2D(_:as:_:)`` throws.
    /// - Complexity: as ``filtered2D(_:as:_:)``.
    public func filtered2DInt16(_ kernel: Kernel, _ parameters: Filter2DParameters = Filter2DParameters()) throws -> Int16Image {
        roundedToInt16(try filtered2D(kernel, as: Float.self, parameters))
    }

    /// ``separableFiltered(row:column:anchorX:anchorY:as:_:)`` into signed 16-bit samples:
    /// `cv2.sepFilter2D(src, cv2.CV_16S, …)`. With integer halves OpenCV sums in integers; the
    /// Float sums here are then exact (below 2²⁴), so the results agree.
    /// - Parameters: as ``separableFiltered(row:column:anchorX:anchorY:as:_:)``.
    /// - Returns: an ``Int16Image`` of the same size and channel count.
    /// - Throws: what ``separableFiltered(row:column:anchorX:anchorY:as:_:)`` throws.
    /// - Complexity: O(width·height·channels·(row.count + column.count)).
    public func separableFilteredInt16(row: [Double], column: [Double], anchorX: Int? = nil, anchorY: Int? = nil,
                                       _ parameters: Filter2DParameters = Filter2DParameters()) throws -> Int16Image {
        roundedToInt16(try separableFiltered(row: row, column: column, anchorX: anchorX, anchorY: anchorY,
                                             as: Float.self, parameters))
    }
}

/// Float samples rounded to nearest (ties to even) and saturated to Int16; NaN becomes 0.
func roundedToInt16(_ image: Image<Float>) -> Int16Image {
    let n = image.width * image.channels
    var out = [Int16](repeating: 0, count: n * image.height)
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<image.height {
                let row = src + y * ss
                for i in 0..<n {
                    let v = row[i].rounded(.toNearestOrEven)
                    dst[y * n + i] = v.isNaN ? 0 : Int16(max(-32768, min(32767, v)))
                }
            }
        }
    }
    return Int16Image(width: image.width, height: image.height, channels: image.channels, samples: out)
}
