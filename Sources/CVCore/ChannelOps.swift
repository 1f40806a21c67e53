extension Image {
    /// The channels as separate 1-channel images (RGB → [R, G, B]).
    /// - Complexity: O(width · height · channels).
    public func splitChannels() -> [Image] {
        (0..<channels).map { channel($0) }
    }

    /// Channel `c` as a 1-channel image.
    /// - Precondition: `0 <= c < channels`.
    public func channel(_ c: Int) -> Image {
        precondition(c >= 0 && c < channels, "channel \(c) out of range 0..<\(channels)")
        if channels == 1 { return self }
        var out = Image.uninitialized(width: width, height: height, channels: 1)
        let k = channels
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height {
                    let s = src + y * ss + c, d = dst + y * ds
                    for x in 0..<width { d[x] = s[x * k] }
                }
            }
        }
        return out
    }

    /// Interleaves 1-channel planes of equal size into one image ([R, G, B] → RGB).
    /// - Throws: `CVError.invalidParameter` for 0 or more than 4 planes, planes that are not
    ///   1-channel, or planes of different sizes.
    public static func merging(_ planes: [Image]) throws -> Image {
        guard (1...4).contains(planes.count) else {
            throw CVError.invalidParameter(name: "planes", reason: "need 1 to 4 planes, got \(planes.count)")
        }
        let w = planes[0].width, h = planes[0].height
        for (i, p) in planes.enumerated() where p.channels != 1 || p.width != w || p.height != h {
            throw CVError.invalidParameter(
                name: "planes", reason: "plane \(i) is \(p.width)x\(p.height)x\(p.channels), expected \(w)x\(h)x1")
        }
        let k = planes.count
        var out = Image.uninitialized(width: w, height: h, channels: k)
        out.withUnsafeMutablePixels { dst, ds in
            for (c, p) in planes.enumerated() {
                p.withUnsafePixels { src, ss in
                    for y in 0..<h {
                        let s = src + y * ss, d = dst + y * ds + c
                        for x in 0..<w { d[x * k] = s[x] }
                    }
                }
            }
        }
        return out
    }

    /// True for gray+alpha and RGBA images.
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// The image without its alpha channel (gray+alpha → gray, RGBA → RGB); others unchanged.
    public func droppingAlpha() -> Image {
        guard hasAlpha else { return self }
        let k = channels, kOut = channels - 1
        var out = Image.uninitialized(width: width, height: height, channels: kOut)
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<height {
                    let s = src + y * ss, d = dst + y * ds
                    for x in 0..<width {
                        for c in 0..<kOut { d[x * kOut + c] = s[x * k + c] }
                    }
                }
            }
        }
        return out
    }

    /// Colour channels multiplied by alpha (alpha itself kept), so that filtering does not
    /// bleed the colour of transparent pixels into visible ones.
    ///
    /// Integer depths round to nearest: `round(v · a / max)`, with `max` 255 or 65535,
    /// as OpenCV's `COLOR_RGBA2mRGBA`. Float multiplies directly. Images without alpha are
    /// returned unchanged.
    public func premultipliedAlpha() -> Image {
        guard hasAlpha else { return self }
        var out = copy()
        let k = channels
        let maxV = Pixel.unitScale
        out.withUnsafeMutablePixels { p, s in
            for y in 0..<height {
                let r = p + y * s
                for x in 0..<width {
                    let a = r[x * k + k - 1].floatValue
                    for c in 0..<(k - 1) {
                        let v = r[x * k + c].floatValue
                        switch Pixel.depth {
                        case .float32: r[x * k + c] = Pixel(clampingRounded: v * a)
                        case .uint8, .uint16:
                            // Exact integer rounding of v·a/max (products fit in 32 bits).
                            let m = UInt64(maxV)
                            let q = (UInt64(v) * UInt64(a) * 2 + m) / (2 * m)
                            r[x * k + c] = Pixel(clampingRounded: Float(q))
                        }
                    }
                }
            }
        }
        return out
    }
}
