import CVCore
import CVFormats

/// The parameters of ``SimCLRAugmentation``; every default is SimCLR's ImageNet setting.
public struct SimCLRParameters: Sendable, Hashable {
    /// Output width and height of every view in pixels (SimCLR: 224×224).
    public var width: Int, height: Int
    /// Random resized crop area range. Default 0.08...1.
    public var scale: ClosedRange<Double> = 0.08...1
    /// Random resized crop aspect ratio range. Default 3/4...4/3.
    public var ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)
    /// Probability of the horizontal flip. Default 0.5.
    public var flipProbability: Double = 0.5
    /// The colour jitter (default: strength s = 1, `ColorJitter(0.8, 0.8, 0.8, 0.2)`).
    public var jitter = ColorJitter(strength: 1)
    /// Probability of applying the colour jitter. Default 0.8.
    public var jitterProbability: Double = 0.8
    /// Probability of turning the view gray (3 equal channels). Default 0.2.
    public var grayscaleProbability: Double = 0.2
    /// Probability of the Gaussian blur. Default 0.5.
    public var blurProbability: Double = 0.5
    /// Range of the blur's σ in pixels. Default 0.1...2.
    public var blurSigma: ClosedRange<Double> = 0.1...2
    /// Blur kernel size as a fraction of the view's height, made odd: `2·⌊⌊f·height⌋ / 2⌋ + 1`
    /// (SimCLR's code). Default 0.1 (23 taps at 224, 3 at 28).
    public var blurKernelFraction: Double = 0.1

    /// - Parameters: `width`, `height`: the view size; the rest keep SimCLR's defaults.
    public init(width: Int, height: Int) {
        self.width = width; self.height = height
    }

    /// The blur kernel size for these parameters.
    public var blurKernelSize: Int { 2 * (Int(blurKernelFraction * Double(height)) / 2) + 1 }

    /// Throws `CVError.invalidParameter` for a bad size, range, probability or strength.
    public func validate() throws {
        try RandomResizedCrop(width: width, height: height, scale: scale, ratio: ratio).validate()
        for (name, p) in [("flipProbability", flipProbability), ("jitterProbability", jitterProbability),
                          ("grayscaleProbability", grayscaleProbability), ("blurProbability", blurProbability)] {
            guard p >= 0, p <= 1 else { throw CVError.invalidParameter(name: name, reason: "must lie in [0, 1], got \(p)") }
        }
        try jitter.validate()
        guard blurSigma.lowerBound.isFinite, blurSigma.upperBound.isFinite, blurSigma.lowerBound > 0 else {
            throw CVError.invalidParameter(name: "blurSigma", reason: "must be positive and finite, got \(blurSigma.lowerBound)...\(blurSigma.upperBound)")
        }
        guard blurKernelFraction.isFinite, blurKernelFraction >= 0, blurKernelFraction <= 1 else {
            throw CVError.invalidParameter(name: "blurKernelFraction", reason: "must lie in [0, 1], got \(blurKernelFraction)")
        }
        guard blurKernelSize <= TorchvisionBlur.maxKernelSize else {
            throw CVError.invalidParameter(
                name: "blurKernelFraction", reason: "gives a \(blurKernelSize)-tap blur at height \(height); the limit is \(TorchvisionBlur.maxKernelSize)")
        }
    }
}

/// Everything drawn for one view: replaying it on the same image gives the same view.
public struct SimCLRView: Sendable, Hashable {
    /// The crop of the input image.
    public var box: CropBox
    /// Whether the view is mirrored.
    public var flipped: Bool
    /// The colour jitter factors, nil when the jitter was not applied.
    public var jitter: ColorJitterFactors?
    /// Whether the view was turned gray.
    public var grayscale: Bool
    /// The blur σ, nil when the view was not blurred.
    public var blurSigma: Double?
}

/// SimCLR's data augmentation: random resized crop → horizontal flip → colour jitter (p = 0.8)
/// → random grayscale (p = 0.2) → Gaussian blur (p = 0.5), each step as torchvision computes
/// it (see ``RandomResizedCrop``, ``ColorJitter``, ``CVCore/Image/torchvisionGrayscale(outputChannels:)``,
/// ``CVCore/Image/torchvisionGaussianBlurred(kernelSize:sigma:)``).
///
/// The random draws are ours, from ``CVFormats/SplitMix64``, in this order per view: the
/// crop (2 per attempt, 2 for the position), the flip (1), whether to jitter (1) and the
/// jitter's factors (3 for the order, then 1 per adjustment), the grayscale (1), whether to
/// blur (1) and σ (1). A seed therefore names the same views on every platform.
///
/// ```swift
/// let augment = try SimCLRAugmentation(SimCLRParameters(width: 96, height: 96))
/// let views = try augment.views(of: photo, count: 4, seed: 7)   // 4 RGB 96×96 views
/// ```
///
/// - Complexity: O(views · (crop resize + width · height · (jitter + blur taps))).
///
/// References: T. Chen, S. Kornblith, M. Norouzi, G. Hinton, "A simple framework for
/// contrastive learning of visual representations", ICML 2020, arXiv:2002.05709 (§3,
/// Appendix A); torchvision `transforms` (the formulas).
public struct SimCLRAugmentation: Sendable {
    /// The validated parameters.
    public let parameters: SimCLRParameters
    /// Most views of one image per call.
    public static let maxViews = 10_000

    /// - Throws: `CVError.invalidParameter` when ``SimCLRParameters/validate()`` does.
    public init(_ parameters: SimCLRParameters) throws {
        try parameters.validate()
        self.parameters = parameters
    }

    /// `count` views of `image`, drawn from `SplitMix64(seed: seed)`.
    /// - Parameters:
    ///   - image: 1 or 3 channels (views of a 1-channel image stay 1-channel).
    ///   - count: 1...``maxViews``.
    ///   - seed: any value; the same seed gives the same views.
    /// - Returns: `count` images of `width`×`height` with the input's channels.
    /// - Throws: `CVError.invalidParameter` for a bad count, an empty image or other than 1 or 3 channels.
    public func views(of image: Image<UInt8>, count: Int, seed: UInt64) throws -> [Image<UInt8>] {
        guard count >= 1, count <= Self.maxViews else {
            throw CVError.invalidParameter(name: "count", reason: "must be 1...\(Self.maxViews), got \(count)")
        }
        var rng = SplitMix64(seed: seed)
        return try (0..<count).map { _ in try apply(draw(imageWidth: image.width, imageHeight: image.height, using: &rng), to: image) }
    }

    /// Draws the parameters of one view of a `imageWidth`×`imageHeight` image.
    public func draw(imageWidth: Int, imageHeight: Int, using rng: inout SplitMix64) -> SimCLRView {
        let p = parameters
        let box = crop.box(imageWidth: imageWidth, imageHeight: imageHeight, using: &rng)
        let flipped = rng.chance(p.flipProbability)
        let jitter = rng.chance(p.jitterProbability) ? p.jitter.factors(using: &rng) : nil
        let gray = rng.chance(p.grayscaleProbability)
        let sigma = rng.chance(p.blurProbability) ? rng.uniform(p.blurSigma.lowerBound, p.blurSigma.upperBound) : nil
        return SimCLRView(box: box, flipped: flipped, jitter: jitter, grayscale: gray, blurSigma: sigma)
    }

    /// The view `view` of `image`: 1. crop and resize; 2. flip; 3. jitter; 4. grayscale; 5. blur.
    /// - Throws: `CVError.invalidParameter` for an empty image, one with other than 1 or 3
    ///   channels, or a box outside it.
    public func apply(_ view: SimCLRView, to image: Image<UInt8>) throws -> Image<UInt8> {
        guard image.width > 0, image.height > 0 else {
            throw CVError.invalidParameter(name: "image", reason: "cannot augment an empty \(image.width)x\(image.height) image")
        }
        try AugmentChannels.check(image)
        var out = try crop.apply(image, box: view.box)
        if view.flipped { out = out.horizontallyFlipped() }
        if let jitter = view.jitter { out = try jitter.apply(out) }
        if view.grayscale { out = try out.torchvisionGrayscale(outputChannels: out.channels) }
        if let sigma = view.blurSigma { out = try out.torchvisionGaussianBlurred(kernelSize: parameters.blurKernelSize, sigma: sigma) }
        return out
    }

    /// The seed of image `index` in a batch seeded with `seed` (so each image of a folder or
    /// IDX file gets its own stream, whatever order they are processed in).
    public static func seed(_ seed: UInt64, image index: Int) -> UInt64 {
        var mix = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return mix.next()
    }

    private var crop: RandomResizedCrop {
        RandomResizedCrop(width: parameters.width, height: parameters.height, scale: parameters.scale, ratio: parameters.ratio)
    }
}
