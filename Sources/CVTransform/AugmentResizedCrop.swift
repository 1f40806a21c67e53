import CVCore
import CVFormats
import Foundation

/// A crop rectangle in pixels: `x`, `y` is the top-left corner (y down), `width`×`height` its size.
public struct CropBox: Sendable, Hashable, CustomStringConvertible {
    /// Left column. Top row. Size in pixels.
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// torchvision's `RandomResizedCrop`: a crop of random area and aspect ratio, resized to a
/// fixed output size.
///
/// The box follows `RandomResizedCrop.get_params` exactly: up to 10 attempts, each drawing an
/// area fraction uniformly in `scale` and an aspect ratio log-uniformly in `ratio`, sides
/// `int(round(sqrt(area·ratio)))` and `int(round(sqrt(area/ratio)))` (ties to even, as Python's
/// `round`); the first box that fits gets a uniformly drawn position. When none fits, the
/// centre crop of the whole image, clamped into the ratio range (`w = W, h = round(w / min
/// ratio)` for too tall an image, `h = H, w = round(h · max ratio)` for too wide a one). The
/// crop is then resized with Pillow's antialiased bilinear filter (`PIL.Image.resize(...,
/// BILINEAR)`, which torchvision calls for PIL images; its tensor path, bilinear with
/// `antialias=True`, is the same triangle filter in Float and agrees within 1).
///
/// - Complexity: O(output pixels · taps), taps growing with the shrink factor.
///
/// References: C. Szegedy et al., "Going deeper with convolutions", CVPR 2015 (the crop),
/// doi:10.1109/CVPR.2015.7298594; torchvision `transforms.RandomResizedCrop`.
public struct RandomResizedCrop: Sendable, Hashable {
    /// Output width and height in pixels.
    public var width: Int, height: Int
    /// Range of the crop's area as a fraction of the image's. Default 0.08...1.
    public var scale: ClosedRange<Double>
    /// Range of the crop's aspect ratio (width / height). Default 3/4...4/3.
    public var ratio: ClosedRange<Double>

    /// - Parameters:
    ///   - width, height: output size in pixels (each 1...`ImageLimits.maxSide`).
    ///   - scale: area fraction range, within (0, 1]; default 0.08...1.
    ///   - ratio: aspect ratio range, positive; default 3/4...4/3.
    public init(width: Int, height: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        self.width = width; self.height = height; self.scale = scale; self.ratio = ratio
    }

    /// Throws `CVError.invalidParameter` for a size outside the image limits, a scale outside
    /// (0, 1] or a non-positive or non-finite ratio.
    public func validate() throws {
        guard width >= 1, height >= 1 else {
            throw CVError.invalidParameter(name: "size", reason: "must be at least 1x1 pixels, got \(width)x\(height)")
        }
        try ImageLimits.checkOutput(width: width, height: height, widthName: "size", heightName: "size", totalName: "size")
        guard scale.lowerBound.isFinite, scale.upperBound.isFinite, scale.lowerBound > 0, scale.upperBound <= 1 else {
            throw CVError.invalidParameter(name: "scale", reason: "must lie in (0, 1], got \(scale.lowerBound)...\(scale.upperBound)")
        }
        guard ratio.lowerBound.isFinite, ratio.upperBound.isFinite, ratio.lowerBound > 0 else {
            throw CVError.invalidParameter(name: "ratio", reason: "must be positive and finite, got \(ratio.lowerBound)...\(ratio.upperBound)")
        }
    }

    /// Draws a crop box of an `imageWidth`×`imageHeight` image: 2 draws per attempt (area,
    /// log-ratio), then 2 for the position of the box that fits (row first, as torchvision).
    public func box(imageWidth: Int, imageHeight: Int, using rng: inout SplitMix64) -> CropBox {
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let areaFraction = rng.uniform(scale.lowerBound, scale.upperBound)
            let logAspect = rng.uniform(logRatio.0, logRatio.1)
            if let box = Self.attempt(imageWidth: imageWidth, imageHeight: imageHeight, areaFraction: areaFraction,
                                      aspect: exp(logAspect)) {
                let y = rng.below(imageHeight - box.height + 1)
                let x = rng.below(imageWidth - box.width + 1)
                return CropBox(x: x, y: y, width: box.width, height: box.height)
            }
        }
        return Self.fallback(imageWidth: imageWidth, imageHeight: imageHeight, ratio: ratio)
    }

    /// One attempt of `get_params`: the box's size for an area fraction and an aspect ratio,
    /// or nil when it does not fit.
    public static func attempt(imageWidth: Int, imageHeight: Int, areaFraction: Double, aspect: Double) -> (width: Int, height: Int)? {
        let area = Double(imageWidth * imageHeight) * areaFraction
        let w = Int((area * aspect).squareRoot().rounded(.toNearestOrEven))
        let h = Int((area / aspect).squareRoot().rounded(.toNearestOrEven))
        guard w > 0, w <= imageWidth, h > 0, h <= imageHeight else { return nil }
        return (w, h)
    }

    /// `get_params`' fallback: the whole image, clamped into the ratio range, centred.
    public static func fallback(imageWidth: Int, imageHeight: Int, ratio: ClosedRange<Double>) -> CropBox {
        let inRatio = Double(imageWidth) / Double(imageHeight)
        var w = imageWidth, h = imageHeight
        if inRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return CropBox(x: (imageWidth - w) / 2, y: (imageHeight - h) / 2, width: w, height: h)
    }

    /// The crop `box` of `image` resized to `width`×`height` with Pillow's bilinear filter
    /// (torchvision's `F.resized_crop` of a PIL image).
    /// - Throws: `CVError.invalidParameter` when the box is not inside the image.
    public func apply<P: PixelScalar>(_ image: Image<P>, box: CropBox) throws -> Image<P> {
        let crop = try image.cropped(x: box.x, y: box.y, width: box.width, height: box.height)
        return try crop.resized(to: .size(width: width, height: height), parameters: .pillow(.bilinear))
    }
}
