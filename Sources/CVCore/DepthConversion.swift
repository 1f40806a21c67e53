extension Image {
    /// The image with its samples converted to another depth, full scale mapped to full scale.
    ///
    /// | from → to | rule |
    /// |---|---|
    /// | UInt8 → UInt16 | `v · 257` (exact: 255 → 65535) |
    /// | UInt16 → UInt8 | `round(v / 257)` |
    /// | UInt8/UInt16 → Float | `v / 255`, `v / 65535` (so [0, 1]) |
    /// | Float → UInt8/UInt16 | `round(v · 255)`, `round(v · 65535)`, ties to even, saturated |
    ///
    /// - Complexity: O(width · height · channels).
    public func converted<T: PixelScalar>(to: T.Type) -> Image<T> {
        if let same = self as? Image<T> { return same }
        var out = Image<T>.uninitialized(width: width, height: height, channels: channels)
        let n = rowLength
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height {
                    Self.convertRow(src + y * ss, dst + y * ds, n)
                }
            }
        }
        return out
    }

    @inline(__always)
    static func convertRow<T: PixelScalar>(_ s: UnsafePointer<Pixel>, _ d: UnsafeMutablePointer<T>, _ n: Int) {
        switch (Pixel.depth, T.depth) {
        case (.uint8, .uint16):
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: UInt8.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt16.self)
            for i in 0..<n { d[i] = UInt16(s[i]) &* 257 }
        case (.uint16, .uint8):
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: UInt16.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt8.self)
            // round(v / 257) == (v + 128) / 257 for all 16-bit v (257 is odd, no ties).
            for i in 0..<n { d[i] = UInt8((UInt32(s[i]) + 128) / 257) }
        case (.uint8, .float32):
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: UInt8.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: Float.self)
            let scale: Float = 1 / 255
            for i in 0..<n { d[i] = Float(s[i]) * scale }
        case (.uint16, .float32):
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: UInt16.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: Float.self)
            let scale: Float = 1 / 65535
            for i in 0..<n { d[i] = Float(s[i]) * scale }
        default:
            let scale = T.unitScale / Pixel.unitScale
            for i in 0..<n { d[i] = T(clampingRounded: s[i].floatValue * scale) }
        }
    }
}
