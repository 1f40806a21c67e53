import CVCore
import CVFormats

/// Random windows of the negative images, the first negatives a detector is trained on
/// (Dalal & Triggs 2005 draw 10 per INRIA negative image): each at a random scale between the
/// window itself and the largest that fits, at a random position.
///
/// Deterministic for a seed: the rectangles are drawn first, image by image, from one
/// `SplitMix64` stream, so the parallel descriptor pass cannot change them.
/// - Parameters:
///   - sizes: each negative image's width and height.
///   - window: the detection window.
///   - perImage: windows per image (none from an image smaller than the window).
///   - seed: the stream's seed.
/// - Returns: `(image index, rectangle)` pairs, image by image; rectangles inside their image.
/// - Complexity: O(images · perImage).
func randomNegativeWindows(sizes: [(width: Int, height: Int)], window: HOGDetectorModel.WindowSize, perImage: Int,
                           seed: UInt64) -> [(image: Int, rect: (x: Int, y: Int, width: Int, height: Int))] {
    var rng = SplitMix64(seed: seed)
    func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    var out: [(Int, (Int, Int, Int, Int))] = []
    for (i, size) in sizes.enumerated() {
        let largest = min(Double(size.width) / Double(window.width), Double(size.height) / Double(window.height))
        guard largest >= 1 else { continue }
        for _ in 0..<perImage {
            let s = 1 + uniform() * (largest - 1)
            let w = min(size.width, Int((Double(window.width) * s).rounded()))
            let h = min(size.height, Int((Double(window.height) * s).rounded()))
            let x = Int(uniform() * Double(size.width - w + 1)), y = Int(uniform() * Double(size.height - h + 1))
            out.append((i, (min(x, size.width - w), min(y, size.height - h), w, h)))
        }
    }
    return out
}
