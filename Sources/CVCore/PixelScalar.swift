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

extension UInt8: PixelScalar {
    public static var depth: PixelDepth { .uint8 }
    public static var unitScale: Float { 255 }
    @inlinable public init(clampingRounded value: Float) {
        let r = value.rounded(.toNearestOrEven)
        self = r <= 0 ? 0 : (r >= 255 ? 255 : UInt8(r))
    }
    @inlinable public var floatValue: Float { Float(self) }
}

extension UInt16: PixelScalar {
    public static var depth: PixelDepth { .uint16 }
    public static var unitScale: Float { 65535 }
    @inlinable public init(clampingRounded value: Float) {
        let r = value.rounded(.toNearestOrEven)
        self = r <= 0 ? 0 : (r >= 65535 ? 65535 : UInt16(r))
    }
    @inlinable public var floatValue: Float { Float(self) }
}

extension Float: PixelScalar {
    public static var depth: PixelDepth { .float32 }
    public static var unitScale: Float { 1 }
    @inlinable public init(clampingRounded value: Float) { self = value }
    @inlinable public var floatValue: Float { self }
}
