import CVCore

extension Image where Pixel == UInt8 {
    /// torchvision's `rgb_to_grayscale` of a uint8 tensor: `L = 0.2989 R + 0.587 G + 0.114 B`
    /// in Float, truncated to UInt8 (`.to(torch.uint8)`), repeated into `outputChannels`.
    ///
    /// Not OpenCV's luma (``CVCore/Image/grayscale()``: 0.299, rounded fixed point); this is
    /// the one torchvision's `Grayscale`, `RandomGrayscale`, `adjust_saturation` and
    /// `adjust_contrast` use, so the colour jitter reproduces it. A 1-channel image is
    /// returned as it is (repeated when `outputChannels` is 3).
    ///
    /// - Parameter outputChannels: 1 or 3 (`RandomGrayscale` keeps 3).
    /// - Returns: a contiguous `width`×`height` image with `outputChannels` channels.
    /// - Throws: `CVError.invalidParameter` unless the image has 1 or 3 channels and
    ///   `outputChannels` is 1 or 3.
    /// - Complexity: O(width · height).
    public func torchvisionGrayscale(outputChannels: Int = 1) throws -> Image {
        try AugmentChannels.check(self)
        guard outputChannels == 1 || outputChannels == 3 else {
            throw CVError.invalidParameter(name: "outputChannels", reason: "must be 1 or 3, got \(outputChannels)")
        }
        var out = Image.uninitialized(width: width, height: height, channels: outputChannels)
        let w = width, cin = channels
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height {
                    let s = src + y * ss, d = dst + y * ds
                    for x in 0..<w {
                        let l = cin == 1 ? s[x] : AugmentChannels.luma(s + 3 * x)
                        for k in 0..<outputChannels { d[x * outputChannels + k] = l }
                    }
                }
            }
        }
        return out
    }
}

/// The channel rules torchvision's colour functions share.
package enum AugmentChannels {
    /// torchvision's colour functions take 1- or 3-channel images only.
    package static func check(_ image: Image<UInt8>) throws {
        guard image.channels == 1 || image.channels == 3 else {
            throw CVError.invalidParameter(
                name: "image", reason: "colour augmentations take 1- or 3-channel images, got \(image.channels) channels (drop the alpha first)")
        }
    }

    /// torchvision's luma of one RGB pixel: Float weights, summed left to right, truncated.
    @inline(__always)
    package static func luma(_ p: UnsafePointer<UInt8>) -> UInt8 {
        let l = Float(0.2989) * Float(p[0]) + Float(0.587) * Float(p[1]) + Float(0.114) * Float(p[2])
        return UInt8(l)
    }
}
