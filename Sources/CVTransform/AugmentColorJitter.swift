import CVCore
import CVFormats

/// torchvision's `ColorJitter`: brightness, contrast, saturation and hue changed by random
/// factors, in a random order of the four.
///
/// Factors are drawn uniformly: brightness, contrast and saturation in
/// `[max(0, 1 − x), 1 + x]`, hue in `[−h, h]`; a strength of 0 leaves that adjustment out.
/// SimCLR uses `ColorJitter(0.8s, 0.8s, 0.8s, 0.2s)` with s = 1. Each adjustment follows
/// torchvision's tensor formulas on uint8 images (`_functional_tensor.py`):
///
/// - brightness f: `blend(img, 0, f)`;
/// - contrast f: `blend(img, mean(gray(img)), f)`, the mean over the torchvision luma;
/// - saturation f: `blend(img, gray(img), f)` (no effect on 1-channel images);
/// - hue h: RGB → HSV, `H = (H + h) mod 1`, HSV → RGB in Float on `img / 255`, back to
///   uint8 as `trunc(x · 255.999)` (no effect on 1-channel images);
///
/// where `blend(a, b, f) = trunc(clamp(f·a + (1 − f)·b, 0, 255))` in Float.
///
/// References: A. G. Howard, "Some improvements on deep convolutional neural network based
/// image classification", arXiv:1312.5402 (colour jitter); T. Chen et al., "A simple
/// framework for contrastive learning of visual representations", ICML 2020,
/// arXiv:2002.05709, Appendix A.
public struct ColorJitter: Sendable, Hashable {
    /// Brightness strength b: factors in [max(0, 1 − b), 1 + b]. Default 0.8.
    public var brightness: Double
    /// Contrast strength: factors in [max(0, 1 − c), 1 + c]. Default 0.8.
    public var contrast: Double
    /// Saturation strength: factors in [max(0, 1 − s), 1 + s]. Default 0.8.
    public var saturation: Double
    /// Hue strength h in [0, 0.5]: shifts in [−h, h] turns. Default 0.2.
    public var hue: Double

    /// SimCLR's jitter of strength `s`: `ColorJitter(0.8s, 0.8s, 0.8s, 0.2s)`.
    /// - Parameter strength: s ≥ 0, default 1 (hue strength 0.2s must stay ≤ 0.5, so s ≤ 2.5).
    public init(strength s: Double = 1) {
        self.init(brightness: 0.8 * s, contrast: 0.8 * s, saturation: 0.8 * s, hue: 0.2 * s)
    }

    /// - Parameters: each strength ≥ 0 (hue ≤ 0.5); defaults 0.8, 0.8, 0.8, 0.2.
    public init(brightness: Double = 0.8, contrast: Double = 0.8, saturation: Double = 0.8, hue: Double = 0.2) {
        self.brightness = brightness; self.contrast = contrast; self.saturation = saturation; self.hue = hue
    }

    /// Throws `CVError.invalidParameter` for a negative or non-finite strength or a hue
    /// strength above 0.5.
    public func validate() throws {
        for (name, v) in [("brightness", brightness), ("contrast", contrast), ("saturation", saturation), ("hue", hue)] {
            guard v.isFinite, v >= 0 else { throw CVError.invalidParameter(name: name, reason: "must be a finite number ≥ 0, got \(v)") }
        }
        guard hue <= 0.5 else { throw CVError.invalidParameter(name: "hue", reason: "must be at most 0.5 (half a turn), got \(hue)") }
    }

    /// Draws the factors: a permutation of the four adjustments (Fisher–Yates, 3 draws), then
    /// one uniform draw per adjustment with a non-zero strength (brightness, contrast,
    /// saturation, hue, in that order), as `ColorJitter.get_params`.
    public func factors(using rng: inout SplitMix64) -> ColorJitterFactors {
        var order: [ColorJitterFactors.Adjustment] = [.brightness, .contrast, .saturation, .hue]
        for i in stride(from: 3, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        func draw(_ x: Double) -> Double? { x == 0 ? nil : rng.uniform(max(0, 1 - x), 1 + x) }
        let b = draw(brightness), c = draw(contrast), s = draw(saturation)
        let h = hue == 0 ? nil : rng.uniform(-hue, hue)
        return ColorJitterFactors(order: order, brightness: b, contrast: c, saturation: s, hue: h)
    }
}

/// One draw of ``ColorJitter``: the order of the adjustments and their factors (nil: left out).
public struct ColorJitterFactors: Sendable, Hashable {
    /// The four adjustments.
    public enum Adjustment: String, Sendable, Hashable, CaseIterable { case brightness, contrast, saturation, hue }
    /// The order they are applied in (a permutation of all four).
    public var order: [Adjustment]
    /// Brightness, contrast and saturation factors (≥ 0; 1 = unchanged), hue shift in [−0.5, 0.5].
    public var brightness: Double?, contrast: Double?, saturation: Double?, hue: Double?

    public init(order: [Adjustment], brightness: Double?, contrast: Double?, saturation: Double?, hue: Double?) {
        self.order = order; self.brightness = brightness; self.contrast = contrast; self.saturation = saturation; self.hue = hue
    }

    /// The image with each present adjustment applied in ``order``.
    /// - Throws: `CVError.invalidParameter` for a factor out of range or an image with other than 1 or 3 channels.
    public func apply(_ image: Image<UInt8>) throws -> Image<UInt8> {
        var out = image
        for step in order {
            switch step {
            case .brightness: if let f = brightness { out = try out.adjustingBrightness(f) }
            case .contrast: if let f = contrast { out = try out.adjustingContrast(f) }
            case .saturation: if let f = saturation { out = try out.adjustingSaturation(f) }
            case .hue: if let f = hue { out = try out.adjustingHue(f) }
            }
        }
        return out
    }
}

extension Image where Pixel == UInt8 {
    /// torchvision's `adjust_brightness`: `trunc(clamp(f · x, 0, 255))` in Float.
    /// - Parameter factor: f ≥ 0 (0 black, 1 unchanged).
    /// - Throws: `CVError.invalidParameter` for a negative or non-finite factor, or other than 1 or 3 channels.
    /// - Complexity: O(width · height · channels).
    public func adjustingBrightness(_ factor: Double) throws -> Image {
        try ColorBlend.checkFactor(factor, "brightness")
        return try ColorBlend.blend(self, factor: factor) { _, _ in 0 }
    }

    /// torchvision's `adjust_contrast`: blend with the mean of the torchvision luma (of the
    /// image itself when it has 1 channel).
    /// - Parameter factor: f ≥ 0 (0 flat gray, 1 unchanged).
    /// - Throws: as ``adjustingBrightness(_:)``.
    /// - Complexity: O(width · height · channels).
    public func adjustingContrast(_ factor: Double) throws -> Image {
        try ColorBlend.checkFactor(factor, "contrast")
        let mean = try ColorBlend.meanLuma(self)
        return try ColorBlend.blend(self, factor: factor) { _, _ in mean }
    }

    /// torchvision's `adjust_saturation`: blend with the torchvision luma; 1-channel images are
    /// returned unchanged (as torchvision and PIL do).
    /// - Parameter factor: f ≥ 0 (0 gray, 1 unchanged).
    /// - Throws: as ``adjustingBrightness(_:)``.
    /// - Complexity: O(width · height).
    public func adjustingSaturation(_ factor: Double) throws -> Image {
        try ColorBlend.checkFactor(factor, "saturation")
        try AugmentChannels.check(self)
        if channels == 1 { return self }
        return try ColorBlend.blend(self, factor: factor) { row, x in Float(AugmentChannels.luma(row + 3 * x)) }
    }
}

/// torchvision's `_blend` and the contrast mean.
enum ColorBlend {
    static func checkFactor(_ f: Double, _ name: String) throws {
        guard f.isFinite, f >= 0 else { throw CVError.invalidParameter(name: name, reason: "factor must be a finite number ≥ 0, got \(f)") }
    }

    /// `trunc(clamp(f·x + (1 − f)·other(row, x), 0, 255))` per sample, in Float as the tensor
    /// path computes it (`1 − f` in Double, then rounded to Float, as PyTorch's scalar).
    @inline(__always)
    static func blend(_ image: Image<UInt8>, factor: Double, other: (UnsafePointer<UInt8>, Int) -> Float) throws -> Image<UInt8> {
        try AugmentChannels.check(image)
        var out = Image<UInt8>.uninitialized(width: image.width, height: image.height, channels: image.channels)
        let f = Float(factor), g = Float(1 - factor), w = image.width, c = image.channels
        image.withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                for y in 0..<image.height {
                    let s = src + y * ss, d = dst + y * ds
                    for x in 0..<w {
                        let o = g * other(s, x)
                        for k in 0..<c {
                            let v = f * Float(s[x * c + k]) + o
                            d[x * c + k] = UInt8(min(max(v, 0), 255))
                        }
                    }
                }
            }
        }
        return out
    }

    /// The mean of the torchvision luma (of the samples for 1 channel): the exact mean of the
    /// integer values, rounded to Float (PyTorch sums in Float; the two differ below 1e-6).
    static func meanLuma(_ image: Image<UInt8>) throws -> Float {
        let gray = try image.torchvisionGrayscale(outputChannels: 1)
        var total = 0
        gray.withUnsafePixels { p, stride in
            for y in 0..<gray.height { for x in 0..<gray.width { total += Int(p[y * stride + x]) } }
        }
        return Float(Double(total) / Double(max(1, gray.pixelCount)))
    }
}
