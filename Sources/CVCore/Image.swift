/// Reference-counted pixel memory shared by an image and its views.
@usableFromInline
final class PixelStorage<Pixel: PixelScalar>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Pixel>
    @usableFromInline let count: Int

    @usableFromInline init(count: Int, zeroed: Bool = true) {
        // At least 64-byte aligned, so rows are friendly to SIMD loads.
        let raw = PixelMemory.allocate(byteCount: max(count, 1) * MemoryLayout<Pixel>.stride)
        if zeroed { raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1) * MemoryLayout<Pixel>.stride) }
        base = raw.bindMemory(to: Pixel.self, capacity: max(count, 1))
        self.count = count
    }

    deinit {
        PixelMemory.deallocate(UnsafeMutableRawPointer(base), byteCount: max(count, 1) * MemoryLayout<Pixel>.stride)
    }
}

/// A 2-D image of `UInt8`, `UInt16` or `Float` samples with 1 to 4 interleaved channels.
///
/// Layout: row-major, channels interleaved (`RGBRGB…`), and rows `rowStride` samples apart
/// (`rowStride >= width * channels`). The origin is the top-left pixel; y grows downwards.
/// Channel order for colour images is RGB(A), as in Pillow and scikit-image (OpenCV uses BGR).
///
/// `Image` is a value type with copy-on-write storage. ``cropped(x:y:width:height:)`` returns a
/// view that shares memory with its parent until either is mutated, so crops cost O(1).
///
/// - Complexity: copying an `Image` is O(1); the first mutation of a shared image copies it.
public struct Image<Pixel: PixelScalar>: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Interleaved channels per pixel: 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// Distance between the starts of two consecutive rows, in samples (not bytes).
    public private(set) var rowStride: Int
    @usableFromInline var storage: PixelStorage<Pixel>
    @usableFromInline var offset: Int

    /// A zero-filled image.
    /// - Precondition: `width, height >= 0`, `1 <= channels <= 4`.
    public init(width: Int, height: Int, channels: Int = 1) {
        self.init(width: width, height: height, channels: channels, zeroed: true)
    }

    /// An image whose samples are not initialised, for kernels that write every sample.
    /// Skips the zero fill of ``init(width:height:channels:)``; reading before writing gives
    /// arbitrary values.
    @inlinable
    public static func uninitialized(width: Int, height: Int, channels: Int = 1) -> Image {
        Image(width: width, height: height, channels: channels, zeroed: false)
    }

    @usableFromInline
    init(width: Int, height: Int, channels: Int, zeroed: Bool) {
        precondition(width >= 0 && height >= 0, "image size must be non-negative")
        precondition((1...4).contains(channels), "channels must be 1...4")
        self.width = width
        self.height = height
        self.channels = channels
        self.rowStride = width * channels
        self.storage = PixelStorage(count: width * height * channels, zeroed: zeroed)
        self.offset = 0
    }

    /// An image holding a copy of `samples` (row-major, interleaved, no padding).
    /// - Throws: `CVError.invalidParameter` when `samples.count != width * height * channels`.
    public init(width: Int, height: Int, channels: Int = 1, samples: [Pixel]) throws {
        guard width >= 0, height >= 0 else {
            throw CVError.invalidParameter(name: "size", reason: "width and height must be non-negative, got \(width)x\(height)")
        }
        guard (1...4).contains(channels) else {
            throw CVError.invalidParameter(name: "channels", reason: "must be 1...4, got \(channels)")
        }
        guard samples.count == width * height * channels else {
            throw CVError.invalidParameter(
                name: "samples", reason: "expected \(width * height * channels) samples for \(width)x\(height)x\(channels), got \(samples.count)")
        }
        self.init(width: width, height: height, channels: channels, zeroed: false)
        samples.withUnsafeBufferPointer { src in
            storage.base.update(from: src.baseAddress!, count: samples.count)
        }
    }

    /// Samples per row that carry pixels (`width * channels`).
    @inlinable public var rowLength: Int { width * channels }
    /// Total number of pixels.
    @inlinable public var pixelCount: Int { width * height }
    /// True when rows follow each other without padding.
    @inlinable public var isContiguous: Bool { rowStride == width * channels }

    // MARK: - Raw access

    /// Calls `body` with a pointer to the top-left sample and the row stride in samples.
    /// The pointer is valid only inside `body`.
    @inlinable
    public func withUnsafePixels<R>(_ body: (UnsafePointer<Pixel>, _ rowStride: Int) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafePointer(storage.base + offset), rowStride) }
    }

    /// Calls `body` with a mutable pointer to the top-left sample and the row stride in samples.
    /// Copies the storage first if it is shared with another image or view.
    @inlinable
    public mutating func withUnsafeMutablePixels<R>(_ body: (UnsafeMutablePointer<Pixel>, _ rowStride: Int) throws -> R) rethrows -> R {
        makeUnique()
        return try withExtendedLifetime(storage) { try body(storage.base + offset, rowStride) }
    }

    /// One row's samples (`width * channels` of them).
    @inlinable
    public func withRow<R>(_ y: Int, _ body: (UnsafeBufferPointer<Pixel>) throws -> R) rethrows -> R {
        precondition(y >= 0 && y < height, "row \(y) out of range 0..<\(height)")
        return try withUnsafePixels { p, s in try body(UnsafeBufferPointer(start: p + y * s, count: rowLength)) }
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            self = copy()
        }
    }

    /// A contiguous deep copy (also the way to drop a view's parent memory).
    public func copy() -> Image {
        var out = Image(width: width, height: height, channels: channels, zeroed: false)
        let n = rowLength
        withUnsafePixels { src, s in
            let dst = out.storage.base
            for y in 0..<height { (dst + y * n).update(from: src + y * s, count: n) }
        }
        out.offset = 0
        return out
    }

    // MARK: - Element access (convenient, not for hot loops)

    /// The sample at column `x`, row `y`, channel `c`.
    @inlinable
    public subscript(x: Int, y: Int, c: Int = 0) -> Pixel {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height && c >= 0 && c < channels, "pixel index out of range")
            return storage.base[offset + y * rowStride + x * channels + c]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height && c >= 0 && c < channels, "pixel index out of range")
            makeUnique()
            storage.base[offset + y * rowStride + x * channels + c] = newValue
        }
    }

    /// All samples, row-major and interleaved, without row padding.
    public var samples: [Pixel] {
        var out = [Pixel]()
        out.reserveCapacity(width * height * channels)
        for y in 0..<height { withRow(y) { out.append(contentsOf: $0) } }
        return out
    }

    // MARK: - Views

    /// A view of the rectangle `x..<x+width, y..<y+height`, sharing memory with `self`.
    /// - Throws: `CVError.invalidParameter` when the rectangle is not inside the image.
    /// - Complexity: O(1).
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) throws -> Image {
        guard x >= 0, y >= 0, w >= 0, h >= 0, x + w <= width, y + h <= height else {
            throw CVError.invalidParameter(
                name: "rect", reason: "\(w)x\(h)+\(x)+\(y) is not inside the \(width)x\(height) image")
        }
        var view = self
        view.unsafeSetGeometry(width: w, height: h, offset: offset + y * rowStride + x * channels)
        return view
    }

    private mutating func unsafeSetGeometry(width w: Int, height h: Int, offset o: Int) {
        self = Image(storage: storage, width: w, height: h, channels: channels, rowStride: rowStride, offset: o)
    }

    @usableFromInline
    init(storage: PixelStorage<Pixel>, width: Int, height: Int, channels: Int, rowStride: Int, offset: Int) {
        self.storage = storage
        self.width = width
        self.height = height
        self.channels = channels
        self.rowStride = rowStride
        self.offset = offset
    }
}

extension Image: Equatable {
    /// Two images are equal when their sizes, channel counts and samples are equal
    /// (row padding and sharing are ignored).
    public static func == (a: Image, b: Image) -> Bool {
        guard a.width == b.width, a.height == b.height, a.channels == b.channels else { return false }
        let n = a.rowLength
        return a.withUnsafePixels { pa, sa in
            b.withUnsafePixels { pb, sb in
                for y in 0..<a.height {
                    let ra = pa + y * sa, rb = pb + y * sb
                    for i in 0..<n where ra[i] != rb[i] { return false }
                }
                return true
            }
        }
    }
}

extension Image: CustomStringConvertible {
    public var description: String { "Image<\(Pixel.self)>(\(width)x\(height)x\(channels))" }
}
