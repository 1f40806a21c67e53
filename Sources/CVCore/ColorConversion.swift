import CKernels

extension Image {
    /// The luma (gray) image with OpenCV's `COLOR_RGB2GRAY` weights, Y = 0.299 R + 0.587 G + 0.114 B.
    ///
    /// Bit-identical to `cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)`:
    /// - UInt8 and UInt16 use OpenCV's 15-bit fixed point, `(9798 R + 19235 G + 3735 B + 2^14) >> 15`;
    /// - Float uses the weights in single precision.
    ///
    /// Alpha is ignored (RGBA behaves like RGB). A gray or gray+alpha image returns its gray
    /// channel. Input channel order is RGB; for OpenCV's BGR arrays the weights apply reversed.
    /// - Returns: a 1-channel image of the same size and depth.
    /// - Complexity: O(width · height).
    public func grayscale() -> Image {
        if channels == 1 { return self }
        var out = Image.uninitialized(width: width, height: height, channels: 1)
        let c = channels, w = width
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                Parallel.forEachStripe(rows: height, minRowsPerStripe: 32) { rows in
                    for y in rows {
                        Self.grayRow(src + y * ss, dst + y * ds, w, c)
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    static func grayRow(_ s: UnsafePointer<Pixel>, _ d: UnsafeMutablePointer<Pixel>, _ w: Int, _ c: Int) {
        if c == 2 {
            for x in 0..<w { d[x] = s[2 * x] }
            return
        }
        switch Pixel.depth {
        case .uint8:
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: UInt8.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt8.self)
            ck_gray_u8(s, d, w, Int32(c))
        case .uint16:
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: UInt16.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt16.self)
            for x in 0..<w {
                let p = s + x * c
                let v = 9798 &* UInt32(p[0]) &+ 19235 &* UInt32(p[1]) &+ 3735 &* UInt32(p[2]) &+ (1 << 14)
                d[x] = UInt16(truncatingIfNeeded: v >> 15)
            }
        case .float32:
            let s = UnsafeRawPointer(s).assumingMemoryBound(to: Float.self)
            let d = UnsafeMutableRawPointer(d).assumingMemoryBound(to: Float.self)
            for x in 0..<w {
                let p = s + x * c
                d[x] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]
            }
        }
    }
}

