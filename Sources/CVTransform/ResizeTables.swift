import CVCore

/// Precomputed weights for one axis: output sample `i` reads `count[i]` source samples.
///
/// Two views of the same table:
/// - `index[i*taps + k]` (k < count[i]): the source index of every tap, already clamped into
///   the image (OpenCV's replicated border can list the edge row twice).
/// - `start[i]`: the first source index when the taps are contiguous (`index = start + k`),
///   which the horizontal kernels require (see ``folded()``).
///
/// Weights are kept as Float (`wf`) and as fixed point (`wi`, scale depends on the producer).
/// Memory is manual so hot loops read it through plain pointers.
final class ResizeAxisTable: @unchecked Sendable {
    let inSize: Int
    let outSize: Int
    let taps: Int
    let start: UnsafeMutablePointer<Int32>
    let count: UnsafeMutablePointer<Int32>
    let index: UnsafeMutablePointer<Int32>
    let wf: UnsafeMutablePointer<Float>
    let wi: UnsafeMutablePointer<Int32>
    /// Double weights (Pillow tables and identities only; zero elsewhere).
    let wd: UnsafeMutablePointer<Double>

    init(inSize: Int, outSize: Int, taps: Int) {
        self.inSize = inSize
        self.outSize = outSize
        self.taps = max(1, taps)
        let n = outSize * self.taps
        start = .allocate(capacity: max(outSize, 1)); start.initialize(repeating: 0, count: max(outSize, 1))
        count = .allocate(capacity: max(outSize, 1)); count.initialize(repeating: 0, count: max(outSize, 1))
        index = .allocate(capacity: max(n, 1)); index.initialize(repeating: 0, count: max(n, 1))
        wf = .allocate(capacity: max(n, 1)); wf.initialize(repeating: 0, count: max(n, 1))
        wi = .allocate(capacity: max(n, 1)); wi.initialize(repeating: 0, count: max(n, 1))
        wd = .allocate(capacity: max(n, 1)); wd.initialize(repeating: 0, count: max(n, 1))
    }

    deinit {
        start.deallocate(); count.deallocate(); index.deallocate(); wf.deallocate(); wi.deallocate(); wd.deallocate()
    }

    /// The same weights with repeated (clamped) indices merged, so that every output reads a
    /// contiguous run `start ..< start + count`. Integer weights merge exactly; Float weights
    /// are added (one rounding).
    func folded() -> ResizeAxisTable {
        let t = ResizeAxisTable(inSize: inSize, outSize: outSize, taps: taps)
        for i in 0..<outSize {
            let n = Int(count[i])
            guard n > 0 else { continue }
            let base = i * taps
            var lo = Int(index[base]), hi = lo
            for k in 0..<n { lo = min(lo, Int(index[base + k])); hi = max(hi, Int(index[base + k])) }
            t.start[i] = Int32(lo)
            t.count[i] = Int32(hi - lo + 1)
            for k in 0..<(hi - lo + 1) { t.index[base + k] = Int32(lo + k) }
            for k in 0..<n {
                let j = base + Int(index[base + k]) - lo
                t.wf[j] += wf[base + k]
                t.wd[j] += wd[base + k]
                t.wi[j] &+= wi[base + k]
            }
        }
        return t
    }

    // MARK: - OpenCV

    enum OpenCVKind { case linear, cubic, lanczos4, areaLinear }

    /// OpenCV's `resize` coefficient tables (`xofs`/`alpha` and `yofs`/`beta`).
    ///
    /// - `scale` is `1 / inverseScale` where `inverseScale` is `dsize / ssize` or the caller's
    ///   `fx`. Centre mapping `(d + 0.5)·scale − 0.5` (area mode: OpenCV's cell mapping).
    /// - Horizontally, linear/area taps that fall outside are clamped with the fraction zeroed;
    ///   vertically OpenCV only clamps the row index and keeps the weights, which matters for the
    ///   8-bit rounding of the first and last rows.
    /// - `wi` holds `saturate_cast<short>(w · 2048)`, `wf` the single-precision weights.
    static func opencv(inSize: Int, outSize: Int, scale: Double, inverseScale: Double,
                       kind: OpenCVKind, vertical: Bool) -> ResizeAxisTable {
        let ksize: Int
        switch kind {
        case .linear, .areaLinear: ksize = 2
        case .cubic: ksize = 4
        case .lanczos4: ksize = 8
        }
        let k2 = ksize / 2
        let t = ResizeAxisTable(inSize: inSize, outSize: outSize, taps: ksize)
        var cbuf = [Float](repeating: 0, count: 8)
        for d in 0..<outSize {
            var s: Int
            var f: Float
            if kind == .areaLinear {
                s = Int((Double(d) * scale).rounded(.down))
                f = Float(Double(d + 1) - Double(s + 1) * inverseScale)
                f = f <= 0 ? 0 : f - f.rounded(.down)
            } else {
                let fx = Float((Double(d) + 0.5) * scale - 0.5)
                s = Int(fx.rounded(.down))
                f = fx - Float(s)
            }
            let clampsFraction = kind == .linear || kind == .areaLinear
            if !vertical && clampsFraction {
                if s < 0 { f = 0; s = 0 }
                if s >= inSize - 1 { f = 0; s = inSize - 1 }
            }
            switch kind {
            case .linear, .areaLinear: cbuf[0] = 1 - f; cbuf[1] = f
            case .cubic: OpenCVCoefficients.cubic(f, into: &cbuf)
            case .lanczos4: OpenCVCoefficients.lanczos4(f, into: &cbuf)
            }
            t.count[d] = Int32(ksize)
            for k in 0..<ksize {
                let j = d * ksize + k
                t.index[j] = Int32(min(max(s - k2 + 1 + k, 0), inSize - 1))
                t.wf[j] = cbuf[k]
                t.wi[j] = OpenCVCoefficients.fixed(cbuf[k])
            }
            t.start[d] = t.index[d * ksize]
        }
        return t
    }

    /// OpenCV's `computeResizeAreaTab`: exact pixel-area weights for downscaling by a
    /// non-integer factor (`scale >= 1`), Float weights only.
    static func opencvArea(inSize: Int, outSize: Int, scale: Double) -> ResizeAxisTable {
        var entries: [[(Int, Float)]] = []
        entries.reserveCapacity(outSize)
        var taps = 1
        for dx in 0..<outSize {
            var e: [(Int, Float)] = []
            let fsx1 = Double(dx) * scale
            let fsx2 = fsx1 + scale
            let cellWidth = min(scale, Double(inSize) - fsx1)
            var sx1 = Int(fsx1.rounded(.up))
            var sx2 = Int(fsx2.rounded(.down))
            sx2 = min(sx2, inSize - 1)
            sx1 = min(sx1, sx2)
            if Double(sx1) - fsx1 > 1e-3 { e.append((sx1 - 1, Float((Double(sx1) - fsx1) / cellWidth))) }
            if sx1 < sx2 { for sx in sx1..<sx2 { e.append((sx, Float(1.0 / cellWidth))) } }
            if fsx2 - Double(sx2) > 1e-3 { e.append((sx2, Float(min(min(fsx2 - Double(sx2), 1), cellWidth) / cellWidth))) }
            taps = max(taps, e.count)
            entries.append(e)
        }
        let t = ResizeAxisTable(inSize: inSize, outSize: outSize, taps: taps)
        for (d, e) in entries.enumerated() {
            t.count[d] = Int32(e.count)
            t.start[d] = Int32(e.first?.0 ?? 0)
            for (k, (i, w)) in e.enumerated() {
                t.index[d * taps + k] = Int32(i)
                t.wf[d * taps + k] = w
            }
        }
        return t
    }

    // MARK: - Pillow / generic engine

    /// Pillow's `precompute_coeffs`: the kernel is centred at `(d + 0.5)·scale`, widened by
    /// `max(scale, 1)` when `antialias` is set, evaluated over the taps inside the image, and
    /// normalised to sum one. `wi` holds the weights in Pillow's 22-bit fixed point
    /// (`(int)(w·2^22 ± 0.5)`), `wf` in single precision.
    static func pillow(inSize: Int, outSize: Int, kernel: ResizeKernel, antialias: Bool = true) -> ResizeAxisTable {
        let scale = Double(Float(inSize)) / Double(outSize)
        let filterScale = antialias ? max(scale, 1) : 1
        let support = kernel.support * filterScale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        let t = ResizeAxisTable(inSize: inSize, outSize: outSize, taps: ksize)
        let ss = 1 / filterScale
        var w = [Double](repeating: 0, count: ksize)
        let one = Double(1 << ResizePillowMath.precisionBits)
        for d in 0..<outSize {
            let center = (Double(d) + 0.5) * scale
            var xmin = Int(center - support + 0.5)   // C truncation toward zero
            if xmin < 0 { xmin = 0 }
            var xmax = Int(center + support + 0.5)
            if xmax > inSize { xmax = inSize }
            xmax -= xmin
            var ww = 0.0
            for x in 0..<max(xmax, 0) {
                let v = kernel((Double(x + xmin) - center + 0.5) * ss)
                w[x] = v
                ww += v
            }
            let n = max(xmax, 0)
            t.start[d] = Int32(xmin)
            t.count[d] = Int32(n)
            for x in 0..<n {
                let v = ww != 0 ? w[x] / ww : w[x]
                let j = d * ksize + x
                t.index[j] = Int32(xmin + x)
                t.wf[j] = Float(v)
                t.wd[j] = v
                t.wi[j] = v < 0 ? Int32(-0.5 + v * one) : Int32(0.5 + v * one)
            }
        }
        return t
    }
}

/// Pillow's 8-bit fixed-point constants.
enum ResizePillowMath {
    /// `PRECISION_BITS = 32 - 8 - 2`: 22 fractional bits, two bits of headroom for kernels with
    /// negative lobes.
    static let precisionBits: Int32 = 22
    static let half: Int32 = 1 << 21

    /// Pillow's `clip8`: shift out the fraction and clamp to 0...255.
    @inline(__always)
    static func clip8(_ v: Int32) -> UInt8 {
        let s = v >> 22
        return s <= 0 ? 0 : (s >= 255 ? 255 : UInt8(truncatingIfNeeded: s))
    }
}
