import CVCore

extension Image where Pixel == UInt8 {
    /// torchvision's `adjust_hue` of a uint8 tensor: the hue turned by `shift` of a full turn.
    ///
    /// Recipe (all in Float, as `_functional_tensor.py`): 1. `x / 255`; 2. RGB → HSV
    /// (`_rgb2hsv`, Pillow's formulas: H from the channel holding the maximum, S = (max − min)
    /// / max, V = max); 3. `H = (H + shift) mod 1`; 4. HSV → RGB (`_hsv2rgb`, sector
    /// `floor(6H) mod 6`, p, q, t clamped to [0, 1]); 5. back to uint8 as
    /// `trunc(x · 255.999)` (`convert_image_dtype`). A 1-channel image is returned unchanged.
    ///
    /// - Parameter shift: the hue shift in turns, −0.5...0.5 (0 still rounds through step 5).
    /// - Returns: a new image of the same size.
    /// - Throws: `CVError.invalidParameter` for a shift outside [−0.5, 0.5] or NaN, or an
    ///   image with other than 1 or 3 channels.
    /// - Complexity: O(width · height).
    public func adjustingHue(_ shift: Double) throws -> Image {
        guard shift >= -0.5, shift <= 0.5 else {
            throw CVError.invalidParameter(name: "hue", reason: "shift must lie in [-0.5, 0.5], got \(shift)")
        }
        try AugmentChannels.check(self)
        if channels == 1 { return self }
        var out = Image.uninitialized(width: width, height: height, channels: 3)
        let h = Float(shift), w = width
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height {
                    let s = src + y * ss, d = dst + y * ds
                    for x in 0..<w { HueShift.pixel(s + 3 * x, d + 3 * x, h) }
                }
            }
        }
        return out
    }
}

/// One pixel of torchvision's hue adjustment; the operation order matches the tensor code so
/// the Float results are the same to the last bit.
enum HueShift {
    @inline(__always)
    static func pixel(_ s: UnsafePointer<UInt8>, _ d: UnsafeMutablePointer<UInt8>, _ shift: Float) {
        let r = Float(s[0]) / 255, g = Float(s[1]) / 255, b = Float(s[2]) / 255
        var (hue, sat, val) = toHSV(r, g, b)
        hue = hue + shift
        hue = hue - hue.rounded(.down)  // Python-style `% 1.0`: the result has the divisor's sign
        let (ro, go, bo) = toRGB(hue, sat, val)
        let scale = Float(255.999)
        d[0] = UInt8(ro * scale); d[1] = UInt8(go * scale); d[2] = UInt8(bo * scale)
    }

    /// `_rgb2hsv`.
    @inline(__always)
    static func toHSV(_ r: Float, _ g: Float, _ b: Float) -> (Float, Float, Float) {
        let maxc = max(r, max(g, b)), minc = min(r, min(g, b))
        let equal = maxc == minc
        let cr = maxc - minc
        let s = cr / (equal ? 1 : maxc)
        let divisor = equal ? 1 : cr
        let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
        var h: Float
        if maxc == r {
            h = bc - gc
        } else if maxc == g {
            h = 2 + rc - bc
        } else {
            h = 4 + gc - rc
        }
        h = h / 6 + 1
        h = h.truncatingRemainder(dividingBy: 1)  // torch.fmod
        return (h, s, maxc)
    }

    /// `_hsv2rgb`.
    @inline(__always)
    static func toRGB(_ h: Float, _ s: Float, _ v: Float) -> (Float, Float, Float) {
        let i6 = (h * 6).rounded(.down)
        let f = h * 6 - i6
        let p = min(max(v * (1 - s), 0), 1)
        let q = min(max(v * (1 - s * f), 0), 1)
        let t = min(max(v * (1 - s * (1 - f)), 0), 1)
        var i = Int(i6) % 6
        if i < 0 { i += 6 }
        switch i {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}
