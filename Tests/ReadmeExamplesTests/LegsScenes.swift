import ClassicCV

/// Seeded images for the detector examples: noise in 120...219, and "legs" (two dark bars and
/// a waist, 16×56) in a 32×64 window of noise.
struct LegsScenes {
    var rng: SplitMix64

    mutating func noise(_ w: Int, _ h: Int) -> Image<UInt8> {
        try! Image(width: w, height: h, samples: (0..<(w * h)).map { _ in UInt8(120 + rng.next() % 100) })
    }

    mutating func legs() -> Image<UInt8> {
        var img = noise(32, 64)
        img.withUnsafeMutablePixels { p, s in
            for y in 4..<60 { for x in 0..<32 where (8..<14) ~= x || (18..<24) ~= x || (y < 16 && (8..<24) ~= x) { p[y * s + x] = 30 } }
        }
        return img
    }

    /// `object` copied into `scene` with its corner at (x, y).
    static func paste(_ object: Image<UInt8>, into scene: inout Image<UInt8>, x: Int, y: Int) {
        object.withUnsafePixels { src, ss in
            scene.withUnsafeMutablePixels { dst, ds in
                for r in 0..<object.height { for c in 0..<object.width { dst[(y + r) * ds + x + c] = src[r * ss + c] } }
            }
        }
    }
}
