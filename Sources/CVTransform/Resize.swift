import CVCore

extension Image {
    /// Resizes the image with a separable interpolation kernel.
    ///
    /// Recipe: 1. work out the output size from `target`; 2. build one weight table per axis
    /// (OpenCV's, Pillow's or the generic engine's); 3. premultiply alpha if asked;
    /// 4. filter horizontally into a per-thread ring of intermediate rows, then vertically;
    /// 5. undo the premultiplication; 6. for `.fill`, crop the centre.
    ///
    /// Conventions: pixel centres sit at half-integers, so output pixel `x` covers source
    /// coordinates around `(x + 0.5)·in/out − 0.5`; borders replicate (OpenCV) or renormalise
    /// the weights over the pixels that exist (Pillow, generic engine). The generic engine is
    /// Pillow's scheme: the kernel is widened by the shrink factor (antialiasing), normalised
    /// per output pixel, 22-bit fixed point for UInt8, Float otherwise.
    ///
    /// - Parameters:
    ///   - target: `.size(width:height:)`, `.scale(x:y:)`, `.fit(width:height:)` or
    ///     `.fill(width:height:)`.
    ///   - parameters: filter, compatibility mode, antialiasing and alpha handling; default
    ///     ``ResizeParameters/quality`` (antialiased Lanczos-3 when shrinking, Catmull-Rom
    ///     when enlarging, premultiplied alpha).
    /// - Returns: a new image of the target size with the same channel count and sample type.
    ///   UInt16 with `compatibility: .pillow` follows Pillow's mode "I;16" (Double weights,
    ///   half-away-from-zero rounding and clamping after each pass); otherwise UInt16 is filtered
    ///   in Float and rounded back (ties to even). Pillow-compatible runs use Pillow 13's pass
    ///   order (vertical first when the height shrinks and `2·outW − outH > 2·inW − inH`).
    /// - Throws: `CVError.invalidParameter` for an empty input, a non-positive size or factor,
    ///   or a filter the compatibility mode does not offer.
    /// - Complexity: O(outW·inH·tapsX + outW·outH·tapsY) where taps grow with the shrink factor
    ///   in antialiased modes (`2·⌈support·factor⌉ + 1`), constant otherwise.
    ///
    /// References: R. Keys, "Cubic convolution interpolation for digital image processing",
    /// IEEE TASSP 29(6), 1981, doi:10.1109/TASSP.1981.1163711. D. Mitchell, A. Netravali,
    /// "Reconstruction filters in computer graphics", SIGGRAPH 1988,
    /// doi:10.1145/54852.378514. C. Duchon, "Lanczos filtering in one and two dimensions",
    /// J. Appl. Meteor. 18, 1979, doi:10.1175/1520-0450(1979)018<1016:LFIOAT>2.0.CO;2.
    public func resized(to target: ResizeTarget, parameters: ResizeParameters = .quality) throws -> Image<Pixel> {
        try parameters.validate()
        guard width > 0, height > 0 else {
            throw CVError.invalidParameter(name: "image", reason: "cannot resize an empty \(width)x\(height) image")
        }
        let (w, h) = try target.outputSize(inputWidth: width, inputHeight: height)
        var inverseX = Double(w) / Double(width), inverseY = Double(h) / Double(height)
        if case let .scale(x, y) = target, parameters.compatibility == .opencv { inverseX = x; inverseY = y }
        var out = try ResizeDispatch.resize(self, width: w, height: h, inverseScaleX: inverseX, inverseScaleY: inverseY,
                                            parameters: parameters)
        if case let .fill(fw, fh) = target, fw != w || fh != h {
            out = try out.cropped(x: (w - fw) / 2, y: (h - fh) / 2, width: fw, height: fh).copy()
        }
        return out
    }
}

extension AnyImage {
    /// ``Image/resized(to:parameters:)`` for whatever sample type the image holds.
    public func resized(to target: ResizeTarget, parameters: ResizeParameters = .quality) throws -> AnyImage {
        switch self {
        case .uint8(let i): return .uint8(try i.resized(to: target, parameters: parameters))
        case .uint16(let i): return .uint16(try i.resized(to: target, parameters: parameters))
        case .float32(let i): return .float32(try i.resized(to: target, parameters: parameters))
        }
    }
}

enum ResizeDispatch {
    static func resize<T: PixelScalar>(_ src: Image<T>, width: Int, height: Int, inverseScaleX: Double, inverseScaleY: Double,
                                       parameters p: ResizeParameters) throws -> Image<T> {
        if let s = src as? Image<UInt8> {
            return resizeU8(s, width: width, height: height, inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY, p) as! Image<T>
        }
        if let s = src as? Image<Float> {
            return resizeFloat(s, width: width, height: height, inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY, p) as! Image<T>
        }
        // UInt16 in Pillow mode: Pillow's own "I;16" arithmetic (Double weights, 16-bit rounding).
        if let s = src as? Image<UInt16>, p.compatibility == .pillow, p.filter != .nearest,
           !(hasAlpha(s.channels) && p.alpha == .premultiply) {
            if s.width == width && s.height == height { return s.copy() as! Image<T> }
            return ResizePillow.resizeU16(s, filter: p.filter, width: width, height: height) as! Image<T>
        }
        // Other UInt16: Float samples with the same values, rounded back.
        let f = ResizeConvert.toFloat(src)
        let r = resizeFloat(f, width: width, height: height, inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY, p)
        return ResizeConvert.fromFloat(r, as: T.self)
    }

    static func hasAlpha(_ channels: Int) -> Bool { channels == 2 || channels == 4 }

    static func resizeU8(_ src: Image<UInt8>, width: Int, height: Int, inverseScaleX: Double, inverseScaleY: Double,
                         _ p: ResizeParameters) -> Image<UInt8> {
        let alpha = hasAlpha(src.channels)
        switch p.compatibility {
        case .opencv:
            if alpha && p.alpha == .premultiply { break }
            return ResizeOpenCV.resizeU8(src, filter: p.filter, plan: .init(width: width, height: height,
                                         inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY))
        case .pillow:
            if p.filter == .nearest {
                return ResizeNearest.gather(src, xs: ResizeNearest.pillow(inSize: src.width, outSize: width),
                                            ys: ResizeNearest.pillow(inSize: src.height, outSize: height))
            }
            if alpha && p.alpha == .premultiply { break }
            if alpha && p.alpha == .automatic {
                if src.width == width && src.height == height { return src.copy() }
                var r = ResizePillow.resizeU8(ResizePillow.premultiply(src), filter: p.filter, width: width, height: height)
                ResizePillow.unpremultiply(&r)
                return r
            }
            return ResizePillow.resizeU8(src, filter: p.filter, width: width, height: height)
        case .none:
            if p.filter == .nearest || p.filter == .nearestExact {
                return ResizeNearest.gather(src, xs: ResizeNearest.centre(inSize: src.width, outSize: width),
                                            ys: ResizeNearest.centre(inSize: src.height, outSize: height))
            }
            if alpha && p.alpha != .independent { break }
            return ResizePillow.resizeU8(src, filter: p.filter, width: width, height: height, antialias: p.antialias)
        }
        // Exact premultiplication in Float.
        let f = ResizeConvert.toFloat(src)
        let r = resizeFloat(f, width: width, height: height, inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY, p)
        return ResizeConvert.fromFloat(r, as: UInt8.self)
    }

    static func resizeFloat(_ src: Image<Float>, width: Int, height: Int, inverseScaleX: Double, inverseScaleY: Double,
                            _ p: ResizeParameters) -> Image<Float> {
        let premultiply = hasAlpha(src.channels) && (p.alpha == .premultiply || (p.alpha == .automatic && p.compatibility == .none))
            && !(p.filter == .nearest || p.filter == .nearestExact)
        let input = premultiply ? ResizeConvert.premultiplied(src) : src
        var out: Image<Float>
        switch p.compatibility {
        case .opencv:
            out = ResizeOpenCV.resizeFloat(input, filter: p.filter, plan: .init(width: width, height: height,
                                           inverseScaleX: inverseScaleX, inverseScaleY: inverseScaleY))
        case .pillow:
            if p.filter == .nearest {
                out = ResizeNearest.gather(input, xs: ResizeNearest.pillow(inSize: src.width, outSize: width),
                                           ys: ResizeNearest.pillow(inSize: src.height, outSize: height))
            } else {
                out = ResizePillow.resizeFloat(input, filter: p.filter, width: width, height: height)
            }
        case .none:
            if p.filter == .nearest || p.filter == .nearestExact {
                out = ResizeNearest.gather(input, xs: ResizeNearest.centre(inSize: src.width, outSize: width),
                                           ys: ResizeNearest.centre(inSize: src.height, outSize: height))
            } else {
                out = ResizePillow.resizeFloat(input, filter: p.filter, width: width, height: height, antialias: p.antialias)
            }
        }
        if premultiply { ResizeConvert.unpremultiply(&out) }
        return out
    }
}

/// Sample-type conversions that keep values (no rescaling), and Float premultiplication.
enum ResizeConvert {
    static func toFloat<T: PixelScalar>(_ src: Image<T>) -> Image<Float> { valueConverted(src, to: Float.self) }

    static func fromFloat<T: PixelScalar>(_ src: Image<Float>, as: T.Type) -> Image<T> { valueConverted(src, to: T.self) }

    /// Each sample's value in another sample type: read as Float, rounded (ties to even) and
    /// saturated for integer types, unchanged for Float.
    private static func valueConverted<S: PixelScalar, D: PixelScalar>(_ src: Image<S>, to: D.Type) -> Image<D> {
        var out = Image<D>.uninitialized(width: src.width, height: src.height, channels: src.channels)
        let n = src.rowLength
        src.withUnsafePixels { sp, ss in
            out.withUnsafeMutablePixels { dp, ds in
                for y in 0..<src.height {
                    let s = sp + y * ss, d = dp + y * ds
                    for x in 0..<n { d[x] = D(clampingRounded: s[x].floatValue) }
                }
            }
        }
        return out
    }

    /// Colour channels multiplied by alpha (last channel). Filtering is linear, so the
    /// alpha unit (1, 255, 65535) cancels when dividing back and need not be known.
    static func premultiplied(_ src: Image<Float>) -> Image<Float> {
        var out = src.copy()
        let C = src.channels, w = src.width, h = src.height
        out.withUnsafeMutablePixels { p, s in
            for y in 0..<h {
                for x in 0..<w {
                    let px = p + y * s + x * C
                    let a = px[C - 1]
                    for c in 0..<(C - 1) { px[c] *= a }
                }
            }
        }
        return out
    }

    /// Divides colour channels by alpha; fully transparent pixels get colour 0.
    static func unpremultiply(_ img: inout Image<Float>) {
        let C = img.channels, w = img.width, h = img.height
        img.withUnsafeMutablePixels { p, s in
            for y in 0..<h {
                for x in 0..<w {
                    let px = p + y * s + x * C
                    let a = px[C - 1]
                    for c in 0..<(C - 1) { px[c] = a > 0 ? px[c] / a : 0 }
                }
            }
        }
    }
}
