/// An image whose sample type is known only at run time, as produced by decoders.
public enum AnyImage: Sendable, Equatable {
    case uint8(Image<UInt8>)
    case uint16(Image<UInt16>)
    case float32(Image<Float>)

    public init(_ image: Image<UInt8>) { self = .uint8(image) }
    public init(_ image: Image<UInt16>) { self = .uint16(image) }
    public init(_ image: Image<Float>) { self = .float32(image) }

    public var width: Int {
        switch self { case .uint8(let i): return i.width; case .uint16(let i): return i.width; case .float32(let i): return i.width }
    }
    public var height: Int {
        switch self { case .uint8(let i): return i.height; case .uint16(let i): return i.height; case .float32(let i): return i.height }
    }
    public var channels: Int {
        switch self { case .uint8(let i): return i.channels; case .uint16(let i): return i.channels; case .float32(let i): return i.channels }
    }
    public var depth: PixelDepth {
        switch self { case .uint8: return .uint8; case .uint16: return .uint16; case .float32: return .float32 }
    }

    /// The image as 8-bit, converting with ``Image/converted(to:)`` scaling when needed.
    public var asUInt8: Image<UInt8> {
        switch self {
        case .uint8(let i): return i
        case .uint16(let i): return i.converted(to: UInt8.self)
        case .float32(let i): return i.converted(to: UInt8.self)
        }
    }
    /// The image as 16-bit, converting with ``Image/converted(to:)`` scaling when needed.
    public var asUInt16: Image<UInt16> {
        switch self {
        case .uint8(let i): return i.converted(to: UInt16.self)
        case .uint16(let i): return i
        case .float32(let i): return i.converted(to: UInt16.self)
        }
    }
    /// The image as Float in [0, 1], converting with ``Image/converted(to:)`` scaling when needed.
    public var asFloat: Image<Float> {
        switch self {
        case .uint8(let i): return i.converted(to: Float.self)
        case .uint16(let i): return i.converted(to: Float.self)
        case .float32(let i): return i
        }
    }
}
