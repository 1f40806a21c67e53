import CVCore
import CVFeatures
import CVTransform

/// The HOG descriptor of one window exactly as ``HOGDetector`` sees it, in OpenCV's order:
/// what a detector is trained on.
///
/// The window image (resized to the model's window with OpenCV's `INTER_LINEAR_EXACT` when it
/// is another size) goes through the detector's own block grid (`HOG.paddedBlockGrid` with no
/// padding, borders reflected as `BORDER_REFLECT_101`), and the blocks are gathered column by
/// column (x outer, y inner) — `cv2.HOGDescriptor.compute`'s order, the order of
/// ``HOGDetectorModel/weights``. So ``HOGDetectorModel/score(_:)`` of a descriptor equals,
/// bit for bit, the score the detector gives that window when it scans a window-sized image.
///
/// - Complexity: O(window pixels) per window.
public struct HOGWindowDescriber: Sendable {
    /// The geometry whose descriptors this makes.
    public let model: HOGDetectorModel
    let hog: HOG

    /// - Parameter model: the window and HOG geometry (its weights are not used).
    /// - Throws: `CVError.invalidParameter` for a model that does not hold together.
    public init(model: HOGDetectorModel) throws {
        try model.validate()
        self.model = model
        hog = try HOG(model.hogParameters)
    }

    /// Values per descriptor (the model's weight count).
    public var length: Int { model.weights.count }

    /// The descriptor of `window`.
    /// - Parameter window: 1 (gray) or 3 (RGB) channels, alpha dropped; resized to the model's
    ///   window when it is another size.
    /// - Returns: ``length`` values in OpenCV's block order.
    /// - Throws: `CVError.invalidParameter` for an empty image.
    public func describe(_ window: Image<UInt8>) throws -> [Float] {
        var out = [Float](repeating: 0, count: length)
        try out.withUnsafeMutableBufferPointer { try describe(window, into: $0) }
        return out
    }

    /// ``describe(_:)`` into `out` (``length`` values), without allocating the result.
    public func describe(_ window: Image<UInt8>, into out: UnsafeMutableBufferPointer<Float>) throws {
        precondition(out.count >= length, "the output holds \(out.count) values, the descriptor \(length)")
        let grid = try hog.paddedBlockGrid(windowSized(window), padding: HOGSize(0, 0), parallel: false)
        gatherColumnMajor(grid, into: out)
    }

    /// The image as the detector's window: 1 or 3 channels, the window's size.
    private func windowSized(_ image: Image<UInt8>) throws -> Image<UInt8> {
        guard image.width >= 1, image.height >= 1 else {
            throw CVError.invalidParameter(name: "image", reason: "the image is empty (\(image.width)x\(image.height))")
        }
        let img = image.channels == 2 || image.channels == 4 ? image.droppingAlpha() : image
        let w = model.window
        return img.width == w.width && img.height == w.height ? img : resizeLinearExact(img, width: w.width, height: w.height)
    }

    /// The grid's row-major blocks in OpenCV's column-major window order.
    private func gatherColumnMajor(_ grid: HOGBlockGrid, into out: UnsafeMutableBufferPointer<Float>) {
        let (bx, by) = model.blocksPerWindow
        let L = grid.blockLength
        precondition(grid.blocksX == bx && grid.blocksY == by && bx * by * L == length, "block grid does not match the window")
        grid.values.withUnsafeBufferPointer { g in
            for x in 0..<bx {
                for y in 0..<by {
                    let src = g.baseAddress! + (y * bx + x) * L, dst = out.baseAddress! + (x * by + y) * L
                    dst.update(from: src, count: L)
                }
            }
        }
    }
}

extension HOGDetectorModel {
    /// `weights · descriptor + bias`, added up in OpenCV's order (block rows top to bottom,
    /// four-lane block dot products): the detector's score of the window the descriptor came
    /// from (``HOGWindowDescriber``) to the last bits where the scan uses that order, within
    /// 1e-5 where it sums by block slot (AVX-512).
    /// - Parameter descriptor: ``weights``.count values in OpenCV's block order.
    public func score(_ descriptor: [Float]) -> Double {
        precondition(descriptor.count == weights.count, "descriptor has \(descriptor.count) values, the model \(weights.count)")
        let (bx, by) = blocksPerWindow
        let L = weights.count / (bx * by)
        var s = Double(bias)
        descriptor.withUnsafeBufferPointer { d in
            weights.withUnsafeBufferPointer { w in
                for y in 0..<by {
                    for x in 0..<bx {
                        let k = (x * by + y) * L
                        addBlockDot(d.baseAddress! + k, w.baseAddress! + k, L, to: &s)
                    }
                }
            }
        }
        return s
    }
}
