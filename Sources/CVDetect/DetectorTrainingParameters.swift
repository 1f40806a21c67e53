import CVCore
import CVFeatures

/// The options of ``HOGDetectorTrainer`` (Dalal & Triggs' training recipe), named as the
/// `cvtool detector train` options that set them.
public struct HOGDetectorTrainingParameters: Sendable, Hashable {
    /// The detection window (`--window`). Default 64×128; a whole number of blocks.
    public var window: HOGDetectorModel.WindowSize = .init(width: 64, height: 128)
    /// The HOG geometry. Default OpenCV's `HOGDescriptor()` (8-px cells, 16-px blocks, 8-px
    /// block stride, 9 bins).
    public var hog: HOGDetectorModel.Geometry = .opencvDefault
    /// The linear SVM's C (`-C`, LIBLINEAR's). Default 0.01. (0, 1e6].
    public var C: Double = 0.01
    /// Hard-negative mining rounds after the first fit (`--rounds`). Default 2. 0...100.
    public var rounds: Int = 2
    /// Random windows drawn from each negative image for the first fit
    /// (`--negatives-per-image`). Default 10. 0...10,000.
    public var negativesPerImage: Int = 10
    /// Per round and negative image, at most this many of the highest-scoring false positives
    /// are added (`--hard-per-image`). Default 50. 1...100,000.
    public var hardNegativesPerImage: Int = 50
    /// A raw hit on a negative image scoring at least this is a false positive
    /// (`--mining-threshold`). Default 0 (the detector's own threshold); below 0 also takes the
    /// windows inside the margin. Finite.
    public var miningThreshold: Double = 0
    /// The part of each positive image that is the window (`--positive-region X,Y,WxH`, in the
    /// positive's pixels), cut out (after mirroring and jitter, so shifted copies bring in
    /// real surroundings) and resized to ``window`` when its size differs. Default nil: the
    /// whole positive. How much context the window keeps around the object is a trade-off
    /// (Dalal & Triggs 2005, §6.4: a 16-pixel margin helped their people): more context
    /// describes the object's surroundings, a window closer to the object's own box
    /// localises it better, since the detector reports the window as the object's box.
    public var positiveRegion: Region?
    /// A rectangle in a positive image's pixels.
    public struct Region: Sendable, Hashable, Codable {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    }
    /// Before each mining round, drop the negatives the current model scores below −1
    /// (`--prune-easy`): outside the margin they have no loss and no dual weight, so the fit
    /// they were part of does not change without them, while every later refit gets cheaper
    /// (Felzenszwalb et al. 2010's "data mining" cache shrinking). Default false.
    public var pruneEasyNegatives: Bool = false
    /// Add each positive's mirror image (`--mirror`). Default false.
    public var mirrorPositives: Bool = false
    /// Jittered copies added per positive (and per mirror image), each shifted and scaled by up
    /// to ``jitterAmplitude`` (`--jitter`). Default 0. 0...100.
    public var positiveJitter: Int = 0
    /// The largest shift of a jittered copy, as a fraction of the window's side, and the
    /// largest change of scale, `1 ± amplitude` (`--jitter-amplitude`). Default 0.05. [0, 0.5].
    public var jitterAmplitude: Double = 0.05
    /// Seeds the random negative windows and the SVM's coordinate order (`--seed`). Default 0.
    public var seed: UInt64 = 0
    /// How negative images are scanned for hard negatives: pyramid scale and window stride
    /// (`hitThreshold` is ``miningThreshold``, grouping none). Default scale 1.05, stride 8×8,
    /// padding 0.
    public var mining = HOGDetectorParameters(winStride: HOGSize(8, 8), padding: HOGSize(0, 0), scale: 1.05,
                                              groupThreshold: 0, grouping: .none)
    /// Most descriptor values held for the SVM (rows × descriptor length). Default 2.5e8
    /// (1 GB as Float, twice that while the SVM copies it to Double).
    public var maxTrainingValues: Int = 250_000_000

    public init(window: HOGDetectorModel.WindowSize = .init(width: 64, height: 128), C: Double = 0.01, rounds: Int = 2,
                negativesPerImage: Int = 10, mirrorPositives: Bool = false, seed: UInt64 = 0) {
        self.window = window; self.C = C; self.rounds = rounds
        self.negativesPerImage = negativesPerImage; self.mirrorPositives = mirrorPositives; self.seed = seed
    }

    /// A model of this window and geometry with zero weights (what the descriptors are made for).
    /// - Throws: `CVError.invalidParameter` naming `window` or `hog` when they do not fit.
    public func untrainedModel() throws -> HOGDetectorModel {
        let cells = hog.blockSize / max(hog.cellSize, 1)
        let bx = (window.width - hog.blockSize) / max(hog.blockStride, 1) + 1
        let by = (window.height - hog.blockSize) / max(hog.blockStride, 1) + 1
        guard (1...4096).contains(window.width), (1...4096).contains(window.height), bx >= 1, by >= 1 else {
            throw CVError.invalidParameter(name: "window", reason: "must be at least one \(hog.blockSize)-pixel block and at most 4096 a side, got \(window.width)x\(window.height)")
        }
        let model = HOGDetectorModel(name: "trained", window: window, hog: hog,
                                     weights: [Float](repeating: 0, count: bx * by * cells * cells * max(hog.orientations, 0)), bias: 0)
        try model.validate()
        return model
    }

    /// Checks every option.
    /// - Throws: `CVError.invalidParameter` naming the first bad option as the CLI spells it.
    public func validate() throws {
        let model = try untrainedModel()
        guard C.isFinite, C > 0, C <= 1e6 else {
            throw CVError.invalidParameter(name: "C", reason: "must be a number in (0, 1e6], got \(C)")
        }
        guard (0...100).contains(rounds) else { throw CVError.invalidParameter(name: "rounds", reason: "must be 0...100, got \(rounds)") }
        guard (0...10_000).contains(negativesPerImage) else {
            throw CVError.invalidParameter(name: "negatives-per-image", reason: "must be 0...10000, got \(negativesPerImage)")
        }
        guard (1...100_000).contains(hardNegativesPerImage) else {
            throw CVError.invalidParameter(name: "hard-per-image", reason: "must be 1...100000, got \(hardNegativesPerImage)")
        }
        guard (0...100).contains(positiveJitter) else {
            throw CVError.invalidParameter(name: "jitter", reason: "must be 0...100, got \(positiveJitter)")
        }
        guard jitterAmplitude.isFinite, (0...0.5).contains(jitterAmplitude) else {
            throw CVError.invalidParameter(name: "jitter-amplitude", reason: "must be a number in [0, 0.5], got \(jitterAmplitude)")
        }
        if let r = positiveRegion, !(r.x >= 0 && r.y >= 0 && (1...4096).contains(r.width) && (1...4096).contains(r.height)) {
            throw CVError.invalidParameter(name: "positive-region", reason: "must start at x, y >= 0 and be 1...4096 a side, got \(r.x),\(r.y),\(r.width)x\(r.height)")
        }
        guard miningThreshold.isFinite else {
            throw CVError.invalidParameter(name: "mining-threshold", reason: "must be a finite number, got \(miningThreshold)")
        }
        guard maxTrainingValues >= 1 else {
            throw CVError.invalidParameter(name: "maxTrainingValues", reason: "must be positive, got \(maxTrainingValues)")
        }
        try mining.validate(for: model)
    }
}

/// What training did, stored in the model file (``HOGDetectorModel/training``).
public struct HOGTrainingRecord: Sendable, Hashable, Codable {
    /// One hard-negative mining round.
    public struct Round: Sendable, Hashable, Codable {
        /// 1 for the first mining round.
        public var round: Int
        /// Raw hits (before grouping) scoring at least the mining threshold on the negative images.
        public var falsePositives: Int
        /// Of those, the ones added to the negatives (the best `hardNegativesPerImage` per image).
        public var added: Int
        /// Negative windows in the training set after the round.
        public var negatives: Int
        /// Easy negatives (scored below −1 by the model before the round) removed first, with
        /// ``HOGDetectorTrainingParameters/pruneEasyNegatives``; nil without.
        public var pruned: Int?
        public init(round: Int, falsePositives: Int, added: Int, negatives: Int) {
            self.round = round; self.falsePositives = falsePositives; self.added = added; self.negatives = negatives
        }
    }

    /// Positive windows (mirrors included).
    public var positives: Int
    /// Whether mirror images were added.
    public var mirrored: Bool
    /// Jittered copies per positive and their amplitude (nil in files written before jitter).
    public var jitter: Int?, jitterAmplitude: Double?
    /// The part of each positive that was the window (nil: the whole positive).
    public var positiveRegion: HOGDetectorTrainingParameters.Region?
    /// Negative images scanned.
    public var negativeImages: Int
    /// Random negative windows of the first fit.
    public var randomNegatives: Int
    /// The SVM's C.
    public var C: Double
    /// The seed.
    public var seed: UInt64
    /// The mining threshold.
    public var miningThreshold: Double
    /// The mining rounds, in order.
    public var rounds: [Round]
}
