import CVCore

/// A dense 1-D or 2-D array, row-major like a C-ordered NumPy array: the input and output
/// container of the FFT functions.
///
/// `Element` is `Float`, `Double`, ``ComplexFloat`` or ``ComplexDouble``. `shape` is `[n]`
/// (1-D) or `[rows, columns]` (2-D, `rows` = image height); element `(r, c)` is at
/// `r * columns + c`.
public struct FFTArray<Element: Sendable>: Sendable {
    /// `[n]` or `[rows, columns]`; every extent ≥ 1.
    public let shape: [Int]
    /// The elements, row-major, `shape.reduce(1, *)` of them.
    public var elements: [Element]

    /// An array with the given shape and elements.
    /// - Throws: `CVError.invalidParameter` when the shape is not 1-D or 2-D with positive
    ///   extents, or when `elements.count` does not match it.
    public init(shape: [Int], elements: [Element]) throws {
        try FFTArray.validate(shape: shape)
        let n = shape.reduce(1, *)
        guard elements.count == n else {
            throw CVError.invalidParameter(name: "elements", reason: "shape \(shape) needs \(n) elements, got \(elements.count)")
        }
        self.shape = shape
        self.elements = elements
    }

    /// An array of `shape` filled with `value`.
    /// - Throws: `CVError.invalidParameter` for a shape that is not 1-D or 2-D with positive extents.
    public init(shape: [Int], repeating value: Element) throws {
        try FFTArray.validate(shape: shape)
        self.shape = shape
        self.elements = [Element](repeating: value, count: shape.reduce(1, *))
    }

    /// A 1-D array.
    /// - Precondition: `elements` is not empty.
    public init(_ elements: [Element]) {
        precondition(!elements.isEmpty, "an FFTArray needs at least one element")
        self.shape = [elements.count]
        self.elements = elements
    }

    /// Internal: trusted shape and elements.
    init(uncheckedShape shape: [Int], elements: [Element]) {
        assert(shape.reduce(1, *) == elements.count)
        self.shape = shape
        self.elements = elements
    }

    static func validate(shape: [Int]) throws {
        guard shape.count == 1 || shape.count == 2 else {
            throw CVError.invalidParameter(name: "shape", reason: "only 1-D and 2-D arrays are supported, got \(shape.count)-D \(shape)")
        }
        guard shape.allSatisfy({ $0 >= 1 }) else {
            throw CVError.invalidParameter(name: "shape", reason: "every extent must be at least 1, got \(shape)")
        }
        guard shape.allSatisfy({ $0 <= Int(Int32.max) }), shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) < Int.max / 16 else {
            throw CVError.invalidParameter(name: "shape", reason: "\(shape) is too large")
        }
    }

    /// Number of dimensions (1 or 2).
    @inlinable public var rank: Int { shape.count }
    /// Number of elements.
    @inlinable public var count: Int { elements.count }
    /// Rows of a 2-D array (1 for a 1-D array).
    @inlinable public var rows: Int { shape.count == 2 ? shape[0] : 1 }
    /// Columns of a 2-D array, or the length of a 1-D array (the last axis).
    @inlinable public var columns: Int { shape[shape.count - 1] }

    /// Element `i` of a 1-D array (or the flat index of a 2-D one).
    @inlinable public subscript(i: Int) -> Element {
        get { elements[i] }
        set { elements[i] = newValue }
    }

    /// Element at `row`, `column` of a 2-D array.
    @inlinable public subscript(row: Int, column: Int) -> Element {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index (\(row), \(column)) out of range for \(shape)")
            return elements[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index (\(row), \(column)) out of range for \(shape)")
            elements[row * columns + column] = newValue
        }
    }
}

extension FFTArray: Equatable where Element: Equatable {}

extension FFTArray {
    /// An array of the same shape with `transform` applied to every element.
    public func map<T>(_ transform: (Element) throws -> T) rethrows -> FFTArray<T> {
        FFTArray<T>(uncheckedShape: shape, elements: try elements.map(transform))
    }
}

// MARK: - Images

extension FFTArray where Element: FFTScalar {
    /// The samples of a 1-channel image as a `[height, width]` array, values unchanged
    /// (0…255 for `UInt8`, 0…65535 for `UInt16`, as stored for `Float`).
    /// - Throws: `CVError.invalidParameter` when the image has more than one channel or no pixels.
    public init<P: PixelScalar>(image: Image<P>) throws {
        guard image.channels == 1 else {
            throw CVError.invalidParameter(name: "image", reason: "expected a 1-channel image, got \(image.channels) channels; use grayscale() or channel(_:)")
        }
        guard image.width >= 1, image.height >= 1 else {
            throw CVError.invalidParameter(name: "image", reason: "image is empty (\(image.width)x\(image.height))")
        }
        let w = image.width, h = image.height
        let out = [Element](unsafeUninitializedCapacity: w * h) { dst, n in
            image.withUnsafePixels { src, stride in
                FFTImageBridge.load(src, stride, w, h, into: UnsafeMutableRawPointer(dst.baseAddress!), precision: Element.fftPrecision)
            }
            n = w * h
        }
        self.init(uncheckedShape: [h, w], elements: out)
    }
}

/// Concrete loops that move pixels in and out of Float/Double planes.
enum FFTImageBridge {
    static func load<P: PixelScalar>(_ src: UnsafePointer<P>, _ stride: Int, _ w: Int, _ h: Int,
                                     into dst: UnsafeMutableRawPointer, precision: FFTPrecision) {
        let raw = UnsafeRawPointer(src)
        switch P.depth {
        case .uint8: widen(raw.assumingMemoryBound(to: UInt8.self), stride, w, h, into: dst, precision: precision)
        case .uint16: widen(raw.assumingMemoryBound(to: UInt16.self), stride, w, h, into: dst, precision: precision)
        case .float32: widen(raw.assumingMemoryBound(to: Float.self), stride, w, h, into: dst, precision: precision)
        }
    }

    // Inlined at each concrete call above, so every (depth, precision) pair gets its own loop.
    @inline(__always)
    private static func widen<S: PixelScalar>(_ src: UnsafePointer<S>, _ stride: Int, _ w: Int, _ h: Int,
                                              into dst: UnsafeMutableRawPointer, precision: FFTPrecision) {
        switch precision {
        case .float: widenRows(src, stride, w, h, into: dst.assumingMemoryBound(to: Float.self))
        case .double: widenRows(src, stride, w, h, into: dst.assumingMemoryBound(to: Double.self))
        }
    }

    /// Every sample through Float (exact for UInt8, UInt16 and Float) into `D`.
    @inline(__always)
    private static func widenRows<S: PixelScalar, D: BinaryFloatingPoint>(_ src: UnsafePointer<S>, _ stride: Int, _ w: Int, _ h: Int,
                                                                          into dst: UnsafeMutablePointer<D>) {
        for y in 0..<h {
            let r = src + y * stride, o = dst + y * w
            for x in 0..<w { o[x] = D(r[x].floatValue) }
        }
    }

    /// Rounds (to nearest, ties to even, as OpenCV's `saturate_cast`) and saturates a
    /// Float/Double plane into image rows; NaN becomes 0. Float destinations take the value as is.
    static func store(_ src: UnsafeRawPointer, precision: FFTPrecision, _ w: Int, _ h: Int,
                      into dst: UnsafeMutableRawPointer, _ stride: Int, depth: PixelDepth) {
        @inline(__always) func sat(_ v: Double, _ hi: Double) -> Double {
            let r = v.rounded(.toNearestOrEven)
            return r > 0 ? (r < hi ? r : hi) : 0
        }
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let v: Double = precision == .double ? src.load(fromByteOffset: 8 * i, as: Double.self)
                                                      : Double(src.load(fromByteOffset: 4 * i, as: Float.self))
                switch depth {
                case .uint8: dst.storeBytes(of: UInt8(sat(v, 255)), toByteOffset: y * stride + x, as: UInt8.self)
                case .uint16: dst.storeBytes(of: UInt16(sat(v, 65535)), toByteOffset: 2 * (y * stride + x), as: UInt16.self)
                case .float32: dst.storeBytes(of: Float(v), toByteOffset: 4 * (y * stride + x), as: Float.self)
                }
            }
        }
    }
}

extension Image {
    /// The values of a real 2-D array as a 1-channel image, rounded to nearest (ties to even)
    /// and saturated for integer depths (as OpenCV's `saturate_cast`; NaN becomes 0).
    /// - Throws: `CVError.invalidParameter` when `array` is not 2-D.
    public init<R: FFTScalar>(_ array: FFTArray<R>) throws {
        guard array.rank == 2 else {
            throw CVError.invalidParameter(name: "array", reason: "expected a 2-D array, got shape \(array.shape)")
        }
        let w = array.columns, h = array.rows
        self = Image.uninitialized(width: w, height: h, channels: 1)
        array.elements.withUnsafeBytes { src in
            self.withUnsafeMutablePixels { dst, stride in
                FFTImageBridge.store(src.baseAddress!, precision: R.fftPrecision, w, h,
                                     into: UnsafeMutableRawPointer(dst), stride, depth: Pixel.depth)
            }
        }
    }
}
