import CVCore

/// One round of hard-negative mining (Dalal & Triggs 2005, §3): the current model scans every
/// negative image at every pyramid level; each raw hit (before grouping) scoring at least the
/// mining threshold is a false positive, and the best `perImage` of each image are cut out
/// (clipped to the image), resized to the window and described as the detector sees them.
///
/// - Parameters:
///   - detector: the current model with the mining options (its `hitThreshold` is the mining
///     threshold, grouping none).
///   - negatives: images without the object.
///   - perImage: most windows added per image, the highest-scoring first.
///   - describer: the training descriptor.
/// - Returns: how many false positives were found, and the descriptors added (image by
///   image, `describer.length` values each).
/// - Throws: `CVError.invalidParameter` for an empty image.
/// - Complexity: one detector scan per negative image; images in parallel.
func mineHardNegatives(detector: HOGDetector, negatives: [Image<UInt8>], perImage: Int,
                       describer: HOGWindowDescriber) throws -> (found: Int, descriptors: [Float]) {
    let n = negatives.count
    var found = [Int](repeating: 0, count: n)
    var added = [[Float]](repeating: [], count: n)
    var failures = [Error?](repeating: nil, count: n)
    found.withUnsafeMutableBufferPointer { foundOut in
        added.withUnsafeMutableBufferPointer { addedOut in
            failures.withUnsafeMutableBufferPointer { failed in
                Parallel.forEach(count: n) { i in
                    do {
                        let hits = try detector.rawHits(in: negatives[i]).map(\.detection)
                        foundOut[i] = hits.count
                        let best = hits.sorted { $0.score > $1.score }.prefix(perImage)
                        addedOut[i] = try describe(Array(best), in: negatives[i], describer: describer)
                    } catch {
                        failed[i] = error
                    }
                }
            }
        }
    }
    if let error = failures.compactMap({ $0 }).first { throw error }
    return (found.reduce(0, +), added.flatMap { $0 })
}

/// The descriptors of `boxes` cut from `image` (each clipped to the image first; a box with
/// nothing inside is skipped).
private func describe(_ boxes: [Detection], in image: Image<UInt8>, describer: HOGWindowDescriber) throws -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(boxes.count * describer.length)
    var buffer = [Float](repeating: 0, count: describer.length)
    for box in boxes {
        let x0 = max(0, Int(box.x.rounded())), y0 = max(0, Int(box.y.rounded()))
        let x1 = min(image.width, Int(box.maxX.rounded())), y1 = min(image.height, Int(box.maxY.rounded()))
        guard x1 > x0, y1 > y0 else { continue }
        let crop = try image.cropped(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        try buffer.withUnsafeMutableBufferPointer { try describer.describe(crop, into: $0) }
        out.append(contentsOf: buffer)
    }
    return out
}
