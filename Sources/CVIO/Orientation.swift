import CVCore

extension Image {
    /// The image turned upright for an EXIF orientation value (TIFF tag 0x0112):
    /// 1 as stored, 2 mirrored left-right, 3 rotated 180°, 4 mirrored top-bottom,
    /// 5 transposed, 6 rotated 90° clockwise, 7 transversed, 8 rotated 90° counter-clockwise —
    /// the same pixels Pillow's `ImageOps.exif_transpose` returns. Other values return `self`.
    /// - Complexity: O(width · height).
    public func orientedUpright(exifOrientation o: Int) -> Image {
        guard (2...8).contains(o) else { return self }
        let swap = o >= 5
        let ow = swap ? height : width, oh = swap ? width : height
        var out = Image.uninitialized(width: ow, height: oh, channels: channels)
        let c = channels, w = width, h = height
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<oh {
                    let d = dst + y * ds
                    for x in 0..<ow {
                        // Source coordinates of output pixel (x, y).
                        let sx: Int, sy: Int
                        switch o {
                        case 2: sx = w - 1 - x; sy = y
                        case 3: sx = w - 1 - x; sy = h - 1 - y
                        case 4: sx = x; sy = h - 1 - y
                        case 5: sx = y; sy = x
                        case 6: sx = y; sy = h - 1 - x
                        case 7: sx = w - 1 - y; sy = h - 1 - x
                        default: sx = w - 1 - y; sy = x  // 8
                        }
                        let s = src + sy * ss + sx * c
                        for k in 0..<c { d[x * c + k] = s[k] }
                    }
                }
            }
        }
        return out
    }
}
