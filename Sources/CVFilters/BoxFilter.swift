import CVCore

/// Parameters of ``CVCore/Image/boxFiltered(_:)``.
public struct BoxParameters: Sendable, Hashable {
    /// Horizontal radius: the window is `2·radiusX + 1` wide. Default: 1.
    public var radiusX: Int
    /// Vertical radius. Default: -1, meaning "same as ``radiusX``".
    public var radiusY: Int
    /// Divide by the window area (a mean filter, OpenCV `normalize=True`). Default: true.
    /// Without it, UInt8/UInt16 sums saturate as in `cv2.boxFilter(..., normalize=False)`.
    public var normalize: Bool
    /// Border handling. Default: `BorderMode.reflect101` (OpenCV's default).
    public var border: BorderMode

    public init(radius: Int = 1, radiusY: Int = -1, normalize: Bool = true, border: BorderMode = .reflect101) {
        self.radiusX = radius
        self.radiusY = radiusY
        self.normalize = normalize
        self.border = border
    }

    var resolvedRadiusY: Int { radiusY < 0 ? radiusX : radiusY }

    /// Largest radius along either axis: 16,384 pixels. Running sums cost O(1) per pixel, but
    /// every row is padded by the radius and every stripe of rows starts with a full window.
    public static let maxRadius = 16_384

    /// Checks the radii, naming them as written in ``init(radius:radiusY:normalize:border:)``.
    /// - Throws: `CVError.invalidParameter` naming `radius` (negative or above ``maxRadius``)
    ///   or `radiusY` (below -1 or above ``maxRadius``).
    public func validate() throws {
        guard radiusX >= 0 else { throw CVError.invalidParameter(name: "radius", reason: "must be >= 0, got \(radiusX)") }
        guard radiusX <= Self.maxRadius else {
            throw CVError.invalidParameter(name: "radius", reason: "must be at most \(Self.maxRadius), got \(radiusX)")
        }
        guard radiusY >= -1 else { throw CVError.invalidParameter(name: "radiusY", reason: "must be >= 0 (or -1 for radius), got \(radiusY)") }
        guard radiusY <= Self.maxRadius else {
            throw CVError.invalidParameter(name: "radiusY", reason: "must be at most \(Self.maxRadius), got \(radiusY)")
        }
    }
}

extension Image {
    /// Box filter: the sum (or mean) of the `(2·rx+1) × (2·ry+1)` window around each pixel.
    ///
    /// Equals `cv2.boxFilter(src, -1, (2rx+1, 2ry+1), normalize=…, borderType=…)`
    /// (`cv2.blur` when normalized): sums are exact, the mean is rounded to nearest, ties to even,
    /// and saturated for integer images. UInt8 images take an integer path (16-bit row sums,
    /// 32-bit column sums, AVX2 when available) for radii up to 127; other types and larger radii
    /// accumulate in Double (`boxFilterReference`).
    ///
    /// `self`: UInt8, UInt16 or Float image, 1–4 channels.
    ///
    /// - Parameters:
    ///   - parameters: radii, normalization and border (defaults: radius 1, normalized, reflect101).
    /// - Returns: an image of the same size, channels and sample type.
    /// - Throws: `CVError.invalidParameter` for radii ``BoxParameters/validate()`` refuses
    ///   (negative or above ``BoxParameters/maxRadius``).
    /// - Complexity: O(width·height·channels) whatever the radius: running sums along rows and
    ///   columns; windows up to 16 wide are summed with shifted vector adds instead.
    public func boxFiltered(_ parameters: BoxParameters = BoxParameters()) throws -> Image<Pixel> {
        typealias P = Pixel
        let image = self
        // Concrete entry points, so the running-sum loops are specialised per sample type
        // instead of running through generic witness calls per sample.
        switch image {
        case let u8 as Image<UInt8>:
            try parameters.validate()
            if let out = boxFilterUInt8(u8, rx: parameters.radiusX, ry: parameters.resolvedRadiusY,
                                        normalize: parameters.normalize, border: parameters.border) {
                return out as! Image<P>
            }
            return try boxFilterSpecialized(u8, parameters) as! Image<P>
        case let u16 as Image<UInt16>: return try boxFilterSpecialized(u16, parameters) as! Image<P>
        case let f as Image<Float>: return try boxFilterSpecialized(f, parameters) as! Image<P>
        default: return try boxFilterSpecialized(image, parameters)
        }
    }
}

/// `cv2.boxFilter` as a free function; use ``CVCore/Image/boxFiltered(_:)``.
@available(*, deprecated, renamed: "Image.boxFiltered(_:)")
public func boxFilter<P: PixelScalar>(_ image: Image<P>, _ parameters: BoxParameters = BoxParameters()) throws -> Image<P> {
    try image.boxFiltered(parameters)
}

/// The Double-accumulating box filter for any sample type: the readable reference that the
/// UInt8 integer path is tested against, and the path for UInt16 and Float.
func boxFilterReference<P: PixelScalar>(_ image: Image<P>, _ parameters: BoxParameters = BoxParameters()) throws -> Image<P> {
    try boxFilterSpecialized(image, parameters)
}

@_specialize(where P == UInt8)
@_specialize(where P == UInt16)
@_specialize(where P == Float)
func boxFilterSpecialized<P: PixelScalar>(_ image: Image<P>, _ parameters: BoxParameters) throws -> Image<P> {
    try parameters.validate()
    var out = Image<P>.uninitialized(width: image.width, height: image.height, channels: image.channels)
    let rx = parameters.radiusX, ry = parameters.resolvedRadiusY
    let scale = parameters.normalize ? 1 / Double((2 * rx + 1) * (2 * ry + 1)) : 1
    image.withUnsafePixels { src, ss in
        out.withUnsafeMutablePixels { dst, ds in
            boxSums(src, ss, dst, ds, width: image.width, height: image.height, channels: image.channels,
                    rx: rx, ry: ry, border: parameters.border, scale: scale) { roundedSample($0, as: P.self) }
        }
    }
    return out
}

/// Running-sum box filter core: `dst = convert(scale · Σ window)`, sums in Double.
@inline(__always)
func boxSums<S: PixelScalar, D>(_ src: UnsafePointer<S>, _ ss: Int, _ dst: UnsafeMutablePointer<D>, _ ds: Int,
                                width: Int, height: Int, channels cn: Int, rx: Int, ry: Int,
                                border: BorderMode, scale: Double, convert: (Double) -> D) {
    guard width > 0, height > 0 else { return }
    let n = width * cn
    let columns = BorderColumns(width: width, radius: rx + 1, border: border)
    let constant = border.constantValue(S.self)
    let constantD = Double(constant.floatValue)
    let padLength = (width + 2 * rx + 2) * cn
    Parallel.forEachStripe(rows: height, minRowsPerStripe: max(16, 2 * ry)) { stripe in
        let pad = UnsafeMutablePointer<S>.allocate(capacity: padLength)
        let padD = UnsafeMutablePointer<Double>.allocate(capacity: padLength)
        let rowSum = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let colSum = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { pad.deallocate(); padD.deallocate(); rowSum.deallocate(); colSum.deallocate() }

        // Horizontal window sums of virtual row v into rowSum.
        func horizontal(_ v: Int) {
            var row: UnsafePointer<S>? = nil
            if v >= 0 && v < height { row = src + v * ss } else if let s = border.sourceIndex(v, count: height) { row = src + s * ss }
            guard let row else {
                let s = constantD * Double(2 * rx + 1)
                for i in 0..<n { rowSum[i] = s }
                return
            }
            fillPaddedRow(pad, row: row, width: width, channels: cn, columns: columns, constant: constant)
            for i in 0..<padLength { padD[i] = Double(pad[i].floatValue) }
            // pad index of column x is (x + rx + 1)·cn; window x-rx...x.
            for c in 0..<cn {
                var s = 0.0
                for t in 1...(2 * rx + 1) { s += padD[t * cn + c] }
                rowSum[c] = s
            }
            if width > 1 {
                let add = padD + (2 * rx + 2) * cn, sub = padD + cn
                for i in cn..<n { rowSum[i] = rowSum[i - cn] + add[i - cn] - sub[i - cn] }
            }
        }

        let y0 = stripe.lowerBound
        for i in 0..<n { colSum[i] = 0 }
        for v in (y0 - ry)...(y0 + ry) {
            horizontal(v)
            for i in 0..<n { colSum[i] += rowSum[i] }
        }
        for y in stripe {
            let o = dst + y * ds
            for i in 0..<n { o[i] = convert(colSum[i] * scale) }
            if y + 1 < stripe.upperBound {
                horizontal(y + ry + 1)
                for i in 0..<n { colSum[i] += rowSum[i] }
                horizontal(y - ry)
                for i in 0..<n { colSum[i] -= rowSum[i] }
            }
        }
    }
}

/// Rounds a Double to the nearest sample value (ties to even), saturating for integer types.
@inline(__always)
func roundedSample<P: PixelScalar>(_ v: Double, as: P.Type) -> P {
    switch P.depth {
    case .float32: return P(clampingRounded: Float(v))
    case .uint8, .uint16:
        let r = v.rounded(.toNearestOrEven)
        let hi = Double(P.unitScale)
        return P(clampingRounded: Float(r <= 0 ? 0 : (r >= hi ? hi : r)))
    }
}
