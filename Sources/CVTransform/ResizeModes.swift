import CVCore
import Foundation

/// Pixel-index maps for the nearest-neighbour modes and the gather that applies them.
enum ResizeNearest {
    /// OpenCV `INTER_NEAREST`: `min(floor(d · (1/fx)), size − 1)` in double precision.
    static func opencv(inSize: Int, outSize: Int, inverseScale: Double) -> [Int] {
        let f = 1.0 / inverseScale
        return (0..<outSize).map { min(Int((Double($0) * f).rounded(.down)), inSize - 1) }
    }

    /// OpenCV `INTER_NEAREST_EXACT` (OpenCV 5): pixel centres, the source coordinate starting at
    /// `scale / 2` and advanced by adding `scale = in / out` in double precision (the
    /// accumulation, not a product, decides exact ties), clamped to the last pixel.
    static func opencvExact(inSize: Int, outSize: Int) -> [Int] {
        let scale = Double(inSize) / Double(outSize)
        var f = scale * 0.5
        var out = [Int](repeating: 0, count: outSize)
        for d in 0..<outSize {
            out[d] = min(Int(f.rounded(.down)), inSize - 1)
            f += scale
        }
        return out
    }

    /// Pillow `NEAREST` (`ImagingScaleAffine`): the source coordinate starts at `scale / 2` and
    /// is advanced by adding `scale` in double precision; negative or out-of-range → −1 (zero).
    static func pillow(inSize: Int, outSize: Int) -> [Int] {
        let a = Double(Float(inSize)) / Double(outSize)
        var xo = a * 0.5
        var out = [Int](repeating: -1, count: outSize)
        for d in 0..<outSize {
            let xi = xo < 0 ? -1 : Int(xo)
            if xi >= 0 && xi < inSize { out[d] = xi }
            xo += a
        }
        return out
    }

    /// Pixel centres: `floor((d + 0.5) · in / out)` (generic engine).
    static func centre(inSize: Int, outSize: Int) -> [Int] {
        (0..<outSize).map { min(Int(((Double($0) + 0.5) * Double(inSize) / Double(outSize)).rounded(.down)), inSize - 1) }
    }

    /// ``gather(_:xs:ys:)`` for UInt8 through the C row kernel (`ResizeRows.gather`).
    static func gather(_ src: Image<UInt8>, xs: [Int], ys: [Int]) -> Image<UInt8> {
        ResizeRows.gather(src, xs: xs, ys: ys)
    }

    /// Copies `src[ys[y]][xs[x]]` (all channels) to the output; an index of −1 gives zeros.
    static func gather<T: PixelScalar>(_ src: Image<T>, xs: [Int], ys: [Int]) -> Image<T> {
        let c = src.channels
        var out = Image<T>(width: xs.count, height: ys.count, channels: c)
        let ow = xs.count
        let xoff = xs.map { $0 < 0 ? -1 : $0 * c }
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                xoff.withUnsafeBufferPointer { xb in
                    Parallel.forEachStripe(rows: ys.count, minRowsPerStripe: 16) { range in
                        for y in range {
                            let d = dp + y * ds
                            guard ys[y] >= 0 else { continue }
                            let s = sp + ys[y] * ss
                            for x in 0..<ow {
                                let o = xb[x]
                                if o < 0 { continue }
                                for k in 0..<c { d[x * c + k] = s[o + k] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// `cv2.resize` reproduced mode by mode (imgproc/src/resize.cpp, OpenCV 4.x/5.x).
enum ResizeOpenCV {
    struct Plan {
        var width: Int, height: Int
        var inverseScaleX: Double, inverseScaleY: Double
        var scaleX: Double { 1 / inverseScaleX }
        var scaleY: Double { 1 / inverseScaleY }
    }

    /// The filter OpenCV actually runs and whether integer-factor area averaging applies.
    static func route(_ filter: ResizeFilter, _ plan: Plan) -> (filter: ResizeFilter, areaFast: (Int, Int)?) {
        let sx = plan.scaleX, sy = plan.scaleY
        let ix = Int(sx.rounded(.toNearestOrEven)), iy = Int(sy.rounded(.toNearestOrEven))
        let isAreaFast = abs(sx - Double(ix)) < Double.ulpOfOne && abs(sy - Double(iy)) < Double.ulpOfOne
        var f = filter
        // "INTER_AREA (fast) is equal to INTER_LINEAR" for exact halving.
        if f == .bilinear && isAreaFast && ix == 2 && iy == 2 { f = .area }
        if f == .area && sx >= 1 && sy >= 1 && isAreaFast { return (.area, (ix, iy)) }
        return (f, nil)
    }

    /// What ``resizeU8(_:filter:plan:)`` and ``resizeFloat(_:filter:plan:)`` do alike before
    /// any weight table: a copy when the size does not change, OpenCV's nearest and
    /// nearest-exact gathers; nil for the interpolating filters.
    static func copyOrNearest<T: PixelScalar>(_ src: Image<T>, filter: ResizeFilter, plan: Plan) -> Image<T>? {
        let W = src.width, H = src.height
        if W == plan.width && H == plan.height { return src.copy() }
        switch filter {
        case .nearest:
            return ResizeNearest.gather(src, xs: ResizeNearest.opencv(inSize: W, outSize: plan.width, inverseScale: plan.inverseScaleX),
                                        ys: ResizeNearest.opencv(inSize: H, outSize: plan.height, inverseScale: plan.inverseScaleY))
        case .nearestExact:
            return ResizeNearest.gather(src, xs: ResizeNearest.opencvExact(inSize: W, outSize: plan.width),
                                        ys: ResizeNearest.opencvExact(inSize: H, outSize: plan.height))
        default: return nil
        }
    }

    /// Whether a routed filter takes OpenCV's area tables (``ResizeAxisTable/opencvArea(inSize:outSize:scale:)``).
    static func usesAreaTables(_ f: ResizeFilter, _ plan: Plan) -> Bool {
        f == .area && plan.scaleX >= 1 && plan.scaleY >= 1
    }

    /// OpenCV's area tables along x and y.
    static func areaTables(width W: Int, height H: Int, _ plan: Plan) -> (ResizeAxisTable, ResizeAxisTable) {
        (ResizeAxisTable.opencvArea(inSize: W, outSize: plan.width, scale: plan.scaleX),
         ResizeAxisTable.opencvArea(inSize: H, outSize: plan.height, scale: plan.scaleY))
    }

    /// OpenCV's interpolation kind for a routed filter.
    static func kind(_ f: ResizeFilter) -> ResizeAxisTable.OpenCVKind {
        switch f {
        case .bicubic: return .cubic
        case .lanczos4: return .lanczos4
        case .area: return .areaLinear
        default: return .linear
        }
    }

    /// OpenCV's interpolation tables: along x folded for contiguous windows, along y as is.
    static func tables(width W: Int, height H: Int, kind: ResizeAxisTable.OpenCVKind,
                       _ plan: Plan) -> (ResizeAxisTable, ResizeAxisTable) {
        (ResizeAxisTable.opencv(inSize: W, outSize: plan.width, scale: plan.scaleX, inverseScale: plan.inverseScaleX,
                                kind: kind, vertical: false).folded(),
         ResizeAxisTable.opencv(inSize: H, outSize: plan.height, scale: plan.scaleY, inverseScale: plan.inverseScaleY,
                                kind: kind, vertical: true))
    }

    static func resizeU8(_ src: Image<UInt8>, filter: ResizeFilter, plan: Plan) -> Image<UInt8> {
        let W = src.width, H = src.height, C = src.channels
        if let out = copyOrNearest(src, filter: filter, plan: plan) { return out }
        let (f, fast) = route(filter, plan)
        if let (ix, iy) = fast { return areaFastU8(src, ix: ix, iy: iy, width: plan.width, height: plan.height) }
        if usesAreaTables(f, plan) {
            let (ht, vt) = areaTables(width: W, height: H, plan)
            return ResizeSeparable.viaFloat(src, ht, vt, width: plan.width, height: plan.height, as: UInt8.self)
        }
        let kind = kind(f)
        let (ht, vt) = tables(width: W, height: H, kind: kind, plan)
        var out = Image<UInt8>.uninitialized(width: plan.width, height: plan.height, channels: C)
        let width = plan.width * C
        // Vectorised C rows (resize_rows.c) when the table fits them; the Swift loops otherwise.
        let hrow = ResizeHRowTable(folded: ht, channels: C)
        let rowBytes = W * C
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                ResizeEngine.run(outHeight: plan.height, midWidth: width, sourceRowSamples: rowBytes, vertical: vt, of: Int32.self,
                    horizontal: { r, dst in
                        if let hrow { hrow.run(sp + r * ss, rowBytes: rowBytes, dst, channels: C) }
                        else { ResizeHorizontal.u8ToI32(sp + r * ss, dst, ht, channels: C) }
                    },
                    combine: { y, rows, n in
                        let w = vt.wi + y * vt.taps
                        let d = dp + y * ds
                        switch kind {
                        case .linear, .areaLinear: ResizeRows.verticalLinear(rows, w, d, width)
                        case .cubic:
                            if n == 4 { ResizeRows.verticalCubic(rows, w, d, width); return }
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { acc in
                                ResizeVertical.opencvFloatRound(rows, n, w, d, width, acc.baseAddress!)
                            }
                        case .lanczos4:
                            withUnsafeTemporaryAllocation(of: Int32.self, capacity: width) { acc in
                                ResizeVertical.opencvFixed(rows, n, w, d, width, acc.baseAddress!)
                            }
                        }
                    })
            }
        }
        return out
    }

    static func resizeFloat(_ src: Image<Float>, filter: ResizeFilter, plan: Plan) -> Image<Float> {
        if let out = copyOrNearest(src, filter: filter, plan: plan) { return out }
        let (f, fast) = route(filter, plan)
        if let (ix, iy) = fast { return areaFast(src, ix: ix, iy: iy, width: plan.width, height: plan.height) }
        let (ht, vt) = usesAreaTables(f, plan) ? areaTables(width: src.width, height: src.height, plan)
            : tables(width: src.width, height: src.height, kind: kind(f), plan)
        return ResizeSeparable.float(src, ht, vt, width: plan.width, height: plan.height)
    }

    /// `resizeAreaFast` on UInt8 with whole cells summed in integers (the hot path of halving
    /// and of integer-factor thumbnails); cut cells fall back to ``areaFast``'s rule.
    static func areaFastU8(_ src: Image<UInt8>, ix: Int, iy: Int, width: Int, height: Int) -> Image<UInt8> {
        let W = src.width, H = src.height, C = src.channels
        // Cells cut by the image edge (if any) first, then every whole cell.
        let needsEdges = width * ix > W || height * iy > H
        var out = needsEdges ? areaFast(src, ix: ix, iy: iy, width: width, height: height, wholeCells: false)
            : Image<UInt8>.uninitialized(width: width, height: height, channels: C)
        let fullWidth = min(W / ix, width)
        let fullRows = min(H / iy, height)
        let halving = ix == 2 && iy == 2 && C != 2
        let scale: Float = 1 / Float(ix * iy)
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                if halving {
                    ResizeRows.areaHalving(sp, ss, dp, ds, rows: fullRows, cells: fullWidth, channels: C)
                    return
                }
                Parallel.forEachStripe(rows: fullRows, minRowsPerStripe: 8) { range in
                    withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(W * C, 1)) { colBuf in
                        let col = colBuf.baseAddress!
                        for dy in range {
                            let d = dp + dy * ds
                            let s0 = sp + dy * iy * ss
                            // Column sums over the cell's rows, then sums over each cell's columns.
                            let m = fullWidth * ix * C
                            for x in 0..<m { col[x] = Int32(s0[x]) }
                            for r in 1..<max(iy, 1) where iy > 1 {
                                let sr = s0 + r * ss
                                for x in 0..<m { col[x] &+= Int32(sr[x]) }
                            }
                            for dx in 0..<fullWidth {
                                let base = col + dx * ix * C
                                for c in 0..<C {
                                    var sum: Int32 = 0
                                    for k in 0..<ix { sum &+= base[k * C + c] }
                                    d[dx * C + c] = UInt8(clampingRounded: Float(sum) * scale)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `resizeAreaFast`: integer-factor box averaging. Whole cells of UInt8 at factor 2 round
    /// with `(sum + 2) >> 2`; other whole cells with `sum · (1/area)` rounded to nearest even;
    /// cells cut by the image edge average the pixels that exist.
    static func areaFast<T: PixelScalar>(_ src: Image<T>, ix: Int, iy: Int, width: Int, height: Int, wholeCells: Bool = true) -> Image<T> {
        let W = src.width, H = src.height, C = src.channels
        var out = Image<T>(width: width, height: height, channels: C)
        let area = ix * iy
        let scale: Float = 1 / Float(area)
        let fullWidth = min(W / ix, width)
        let isU8 = T.self == UInt8.self
        let halving = ix == 2 && iy == 2 && C != 2
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                Parallel.forEachStripe(rows: height, minRowsPerStripe: 8) { range in
                    for dy in range {
                        let d = dp + dy * ds
                        let sy0 = dy * iy
                        if sy0 >= H { continue }
                        let fullRows = sy0 + iy <= H
                        let w = fullRows ? fullWidth : 0
                        for dx in 0..<(wholeCells ? w : 0) {
                            let sx0 = dx * ix
                            for c in 0..<C {
                                if isU8 {
                                    var sum = 0
                                    for yy in 0..<iy {
                                        let s = sp + (sy0 + yy) * ss + sx0 * C + c
                                        for xx in 0..<ix { sum += Int((s + xx * C).pointee.floatValue) }
                                    }
                                    if halving {
                                        d[dx * C + c] = T(clampingRounded: Float((sum + 2) >> 2))
                                    } else {
                                        d[dx * C + c] = T(clampingRounded: Float(sum) * scale)
                                    }
                                } else {
                                    var sum: Float = 0
                                    for yy in 0..<iy {
                                        let s = sp + (sy0 + yy) * ss + sx0 * C + c
                                        for xx in 0..<ix { sum += (s + xx * C).pointee.floatValue }
                                    }
                                    d[dx * C + c] = T(clampingRounded: sum * scale)
                                }
                            }
                        }
                        for dx in w..<width {
                            let sx0 = dx * ix
                            if sx0 >= W { continue }
                            for c in 0..<C {
                                var sum: Float = 0
                                var count = 0
                                for yy in 0..<iy where sy0 + yy < H {
                                    for xx in 0..<ix where sx0 + xx < W {
                                        sum += sp[(sy0 + yy) * ss + (sx0 + xx) * C + c].floatValue
                                        count += 1
                                    }
                                }
                                d[dx * C + c] = T(clampingRounded: sum / Float(count))
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Pillow's `Image.resize` and the generic engine built on the same tables.
enum ResizePillow {
    static func identity(_ n: Int) -> ResizeAxisTable {
        let t = ResizeAxisTable(inSize: n, outSize: n, taps: 1)
        for i in 0..<n {
            t.start[i] = Int32(i); t.index[i] = Int32(i); t.count[i] = 1
            t.wf[i] = 1; t.wd[i] = 1; t.wi[i] = 1 << ResizePillowMath.precisionBits
        }
        return t
    }

    /// Tables for one axis; an axis whose size does not change is skipped (identity), as in
    /// Pillow's `ImagingResampleInner`.
    static func table(inSize: Int, outSize: Int, filter: ResizeFilter, antialias: Bool) -> ResizeAxisTable {
        if inSize == outSize { return identity(inSize) }
        return ResizeAxisTable.pillow(inSize: inSize, outSize: outSize,
                                      kernel: ResizeKernel.generic(filter, shrinking: outSize < inSize), antialias: antialias)
    }

    /// Whether Pillow runs the vertical pass first.
    ///
    /// Pillow 13 filters vertically first when the height shrinks and `2·outW − outH >
    /// 2·inW − inH` (and both axes change); otherwise horizontally first. Found by experiment
    /// against Pillow 13.0.0 (every mode, random sizes from 8 to 1500 pixels, both sides of the
    /// boundary); the order matters because the intermediate image is rounded to the sample type.
    static func verticalFirst(inWidth W: Int, inHeight H: Int, outWidth w: Int, outHeight h: Int) -> Bool {
        W != w && H != h && h < H && 2 * w - h > 2 * W - H
    }

    /// UInt8 with Pillow's 22-bit fixed point and an 8-bit intermediate, in Pillow's pass order
    /// (``verticalFirst(inWidth:inHeight:outWidth:outHeight:)``).
    static func resizeU8(_ src: Image<UInt8>, filter: ResizeFilter, width: Int, height: Int, antialias: Bool = true) -> Image<UInt8> {
        let W = src.width, H = src.height, C = src.channels
        if W == width && H == height { return src.copy() }
        let ht = table(inSize: W, outSize: width, filter: filter, antialias: antialias)
        let vt = table(inSize: H, outSize: height, filter: filter, antialias: antialias)
        let skipH = W == width
        var out = Image<UInt8>.uninitialized(width: width, height: height, channels: C)
        let n = width * C
        if verticalFirst(inWidth: W, inHeight: H, outWidth: width, outHeight: height) {
            // Each output row: one vertical pass over the source rows into a full-width 8-bit
            // row, then the horizontal pass.
            let m = W * C
            src.withUnsafePixels { sp, ss in
                out.withUnsafeMutablePixels { dp, ds in
                    Parallel.forEachStripe(rows: height, minRowsPerStripe: ResizeRows.minStripeRows(outWidth: width, taps: 1)) { range in
                        let mid = UnsafeMutablePointer<UInt8>.allocate(capacity: max(m, 1))
                        let rowPtrs = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: vt.taps)
                        defer { mid.deallocate(); rowPtrs.deallocate() }
                        for y in range {
                            let k = Int(vt.count[y]), base = y * vt.taps
                            for j in 0..<k { rowPtrs[j] = sp + Int(vt.index[base + j]) * ss }
                            ResizeRows.verticalPillow(UnsafePointer(rowPtrs), k, vt.wi + base, mid, m)
                            ResizeHorizontal.pillowU8(mid, m, dp + y * ds, ht, channels: C)
                        }
                    }
                }
            }
            return out
        }
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                ResizeEngine.run(outHeight: height, midWidth: n, vertical: vt, of: UInt8.self,
                    horizontal: { r, dst in
                        if skipH { dst.update(from: sp + r * ss, count: n) } else { ResizeHorizontal.pillowU8(sp + r * ss, W * C, dst, ht, channels: C) }
                    },
                    combine: { y, rows, k in
                        ResizeRows.verticalPillow(rows, k, vt.wi + y * vt.taps, dp + y * ds, n)
                    })
            }
        }
        return out
    }

    /// UInt16 as Pillow's mode "I;16" (`ImagingResample*_16bpc`): Double weights, Double sums
    /// in tap order, `ROUND_UP` (half away from zero) and clamping to 0...65535 after each
    /// pass, a 16-bit intermediate, Pillow's pass order. Channels are filtered independently.
    static func resizeU16(_ src: Image<UInt16>, filter: ResizeFilter, width: Int, height: Int) -> Image<UInt16> {
        let W = src.width, H = src.height, C = src.channels
        if W == width && H == height { return src.copy() }
        let ht = table(inSize: W, outSize: width, filter: filter, antialias: true)
        let vt = table(inSize: H, outSize: height, filter: filter, antialias: true)
        @inline(__always) func round16(_ s: Double) -> UInt16 {
            let i = s >= 0 ? Int(s + 0.5) : Int(s - 0.5)
            return i <= 0 ? 0 : (i >= 65535 ? 65535 : UInt16(i))
        }
        /// One row through the horizontal table (a copy when the width does not change).
        func horizontal(_ s: UnsafePointer<UInt16>, _ d: UnsafeMutablePointer<UInt16>) {
            if W == width { d.update(from: s, count: width * C); return }
            for x in 0..<width {
                let n = Int(ht.count[x]), w = ht.wd + x * ht.taps
                let p = s + Int(ht.start[x]) * C
                for c in 0..<C {
                    var acc = 0.0
                    for k in 0..<n { acc += Double(p[k * C + c]) * w[k] }
                    d[x * C + c] = round16(acc)
                }
            }
        }
        /// Output row `y` of the vertical table over `rows` (in tap order), `m` samples.
        func vertical(_ y: Int, _ rows: (Int) -> UnsafePointer<UInt16>, _ d: UnsafeMutablePointer<UInt16>, _ m: Int) {
            let n = Int(vt.count[y]), w = vt.wd + y * vt.taps
            if H == height { d.update(from: rows(0), count: m); return }
            for i in 0..<m {
                var acc = 0.0
                for k in 0..<n { acc += Double(rows(k)[i]) * w[k] }
                d[i] = round16(acc)
            }
        }
        var out = Image<UInt16>.uninitialized(width: width, height: height, channels: C)
        let vFirst = verticalFirst(inWidth: W, inHeight: H, outWidth: width, outHeight: height)
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                if vFirst {
                    Parallel.forEachStripe(rows: height, minRowsPerStripe: ResizeRows.minStripeRows(outWidth: width, taps: 1)) { range in
                        let mid = UnsafeMutablePointer<UInt16>.allocate(capacity: max(W * C, 1))
                        defer { mid.deallocate() }
                        for y in range {
                            let base = y * vt.taps
                            vertical(y, { sp + Int(vt.index[base + $0]) * ss }, mid, W * C)
                            horizontal(UnsafePointer(mid), dp + y * ds)
                        }
                    }
                    return
                }
                ResizeEngine.run(outHeight: height, midWidth: width * C, vertical: vt, of: UInt16.self,
                    horizontal: { r, dst in horizontal(sp + r * ss, dst) },
                    combine: { y, rows, _ in vertical(y, { rows[$0] }, dp + y * ds, width * C) })
            }
        }
        return out
    }

    /// Float (Pillow mode "F"): same tables, Float weights and sums.
    static func resizeFloat(_ src: Image<Float>, filter: ResizeFilter, width: Int, height: Int, antialias: Bool = true) -> Image<Float> {
        if src.width == width && src.height == height { return src.copy() }
        let ht = table(inSize: src.width, outSize: width, filter: filter, antialias: antialias)
        let vt = table(inSize: src.height, outSize: height, filter: filter, antialias: antialias)
        return ResizeSeparable.float(src, ht, vt, width: width, height: height)
    }

    /// Pillow's RGBA → RGBa: `c·a/255` rounded with `MULDIV255`.
    static func premultiply(_ src: Image<UInt8>) -> Image<UInt8> {
        var out = src.copy()
        let C = src.channels, w = src.width, h = src.height
        out.withUnsafeMutablePixels { p, s in
            for y in 0..<h {
                let r = p + y * s
                for x in 0..<w {
                    let px = r + x * C
                    let a = UInt32(px[C - 1])
                    for c in 0..<(C - 1) {
                        let t = UInt32(px[c]) * a + 128
                        px[c] = UInt8(((t >> 8) + t) >> 8)
                    }
                }
            }
        }
        return out
    }

    /// Pillow's RGBa → RGBA: `clip8(255·c / a)` (integer division) unless a is 0 or 255.
    static func unpremultiply(_ img: inout Image<UInt8>) {
        let C = img.channels
        let w = img.width, h = img.height
        img.withUnsafeMutablePixels { p, s in
            for y in 0..<h {
                let r = p + y * s
                for x in 0..<w {
                    let px = r + x * C
                    let a = UInt32(px[C - 1])
                    if a == 0 || a == 255 { continue }
                    for c in 0..<(C - 1) { px[c] = UInt8(min(255, 255 * UInt32(px[c]) / a)) }
                }
            }
        }
    }
}

/// The Float separable path shared by every mode.
enum ResizeSeparable {
    static func float(_ src: Image<Float>, _ ht: ResizeAxisTable, _ vt: ResizeAxisTable, width: Int, height: Int) -> Image<Float> {
        viaFloat(src, ht, vt, width: width, height: height, as: Float.self)
    }

    /// Horizontal then vertical pass with Float weights and Float sums; samples of type `S` are
    /// read as Float and the sums written as `D` (Float as is, integers rounded and saturated,
    /// as OpenCV's area filter on UInt8 does).
    static func viaFloat<S: PixelScalar, D: PixelScalar>(_ src: Image<S>, _ ht: ResizeAxisTable, _ vt: ResizeAxisTable,
                                                         width: Int, height: Int, as: D.Type) -> Image<D> {
        let C = src.channels
        var out = Image<D>.uninitialized(width: width, height: height, channels: C)
        let n = width * C
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                ResizeEngine.run(outHeight: height, midWidth: n, vertical: vt, of: Float.self,
                    horizontal: { r, dst in ResizeHorizontal.toFloat(sp + r * ss, dst, ht, channels: C) },
                    combine: { y, rows, k in
                        if D.self == Float.self {
                            let d = UnsafeMutableRawPointer(dp + y * ds).assumingMemoryBound(to: Float.self)
                            ResizeVertical.float(rows, k, vt.wf + y * vt.taps, d, n)
                            return
                        }
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { acc in
                            let a = acc.baseAddress!
                            ResizeVertical.float(rows, k, vt.wf + y * vt.taps, a, n)
                            let d = dp + y * ds
                            for x in 0..<n { d[x] = D(clampingRounded: a[x]) }
                        }
                    })
            }
        }
        return out
    }
}
