import CVCore

extension Image {
    /// The left-right mirror image (torchvision's `F.hflip`, `cv2.flip(img, 1)`): output
    /// column x is input column `width − 1 − x`, channels kept together.
    /// - Returns: a new contiguous image of the same size, channels and sample type.
    /// - Complexity: O(width · height · channels).
    public func horizontallyFlipped() -> Image {
        var out = Image.uninitialized(width: width, height: height, channels: channels)
        let w = width, c = channels
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height {
                    let s = src + y * ss, d = dst + y * ds
                    for x in 0..<w {
                        (d + x * c).update(from: s + (w - 1 - x) * c, count: c)
                    }
                }
            }
        }
        return out
    }
}
