import CVCore
import Foundation
import CVFormats

/// Seeded random test inputs, drawn from the one `SplitMix64` so a seed names the same input
/// in every test target.
extension SplitMix64 {
    /// A random byte (bits 40–47 of the next output).
    package mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next() >> 40) }

    /// A `width`×`height` image of uniform noise: samples drawn in row-major order with
    /// `UInt8.random(in: 0...255, using:)`.
    package mutating func noiseImage(width: Int, height: Int, channels: Int = 1) -> Image<UInt8> {
        var img = Image<UInt8>(width: width, height: height, channels: channels)
        img.withUnsafeMutablePixels { p, s in
            for y in 0..<height { for i in 0..<(width * channels) { p[y * s + i] = UInt8.random(in: 0...255, using: &self) } }
        }
        return img
    }

    /// A `w`×`h` image of `c` channels: a smooth sine pattern plus ±20 of noise, so gradients
    /// are not all tiny (what HOG and edge tests need).
    package mutating func image(_ w: Int, _ h: Int, _ c: Int) -> Image<UInt8> {
        var s = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h { for x in 0..<w { for k in 0..<c {
            let base = 128.0 + 80.0 * sin(Double(x) * 0.4 + Double(k)) * cos(Double(y) * 0.3)
            s[(y * w + x) * c + k] = UInt8(max(0, min(255, base + Double(byte() % 40) - 20)))
        } } }
        return try! Image(width: w, height: h, channels: c, samples: s)
    }
}
