/// The sample depths an ``Image`` can hold.
public enum PixelDepth: String, Sendable, Hashable, CaseIterable {
    case uint8, uint16, float32

    /// Bits per sample (8, 16 or 32).
    public var bits: Int {
        switch self {
        case .uint8: return 8
        case .uint16: return 16
        case .float32: return 32
        }
    }
}

/// A sample type an ``Image`` may be made of: `UInt8`, `UInt16` or `Float`.
///
/// `unitScale` is the value that stands for "full intensity": 255, 65535 and 1.0. Depth
/// conversions map full intensity to full intensity (see ``Image/converted(to:)``).
public protocol PixelScalar: Sendable, Hashable, Numeric, Comparable {
    static var depth: PixelDepth { get }
    /// Full-scale intensity: 255 for UInt8, 65535 for UInt16, 1 for Float.
    static var unitScale: Float { get }
    /// Converts from Float with rounding to nearest (ties to even, like OpenCV's `cvRound`)
    /// and saturation to the type's range, as OpenCV's `saturate_cast`. Float passes through.
    init(clampingRounded value: Float)
    var floatValue: Float { get }
}

/// The integer depths: full intensity is the type's maximum (255, 65535), and a Float is
/// rounded to nearest even and saturated to `0...max`, as OpenCV's `saturate_cast`.
extension PixelScalar where Self: FixedWidthInteger & UnsignedInteger {
    public static var unitScale: Float { Float(Self.max) }
    @inlinable public init(clampingRounded value: Float) {
        let r = value.rounded(.toNearestOrEven)
        // `r` is integral and inside (0, max) on the last branch, so the Int32 step is exact.
        self = r <= 0 ? 0 : (r >= Float(Self.max) ? Self.max : Self(truncatingIfNeeded: Int32(r)))
    }
}

extension UInt8: PixelScalar {
    public static var depth: PixelDepth { .uint8 }
    @inlinable public var floatValue: Float { Float(self) }
}

extension UInt16: PixelScalar {
    public static var depth: PixelDepth { .uint16 }
    @inlinable public var floatValue: Float { Float(self) }
}

extension Float: PixelScalar {
    public static var depth: PixelDepth { .float32 }
    public static var unitScale: Float { 1 }
    @inlinable public init(clampingRounded value: Float) { self = value }
    @inlinable public var floatValue: Float { self }
}
