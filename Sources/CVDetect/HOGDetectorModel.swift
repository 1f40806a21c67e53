import CVCore
import CVFeatures
import Foundation

/// A linear window classifier over OpenCV-style HOG features: the window size, the HOG
/// geometry, one weight per descriptor value and a bias. A window's score is
/// `weights · descriptor + bias`; OpenCV's `HOGDescriptor.setSVMDetector` takes the same
/// numbers as one vector with the bias last.
///
/// The weights are in OpenCV's descriptor order: blocks column by column (x outer, y inner),
/// inside a block the cells column by column, then the orientation bins — the order of
/// `cv2.HOGDescriptor.compute` and of ``CVFeatures/HOGParameters/dalalTriggs``.
///
/// Stored as JSON (`Codable`):
/// ```json
/// {"format": "classiccv-hog-detector", "version": 1, "name": "people",
///  "window": {"width": 64, "height": 128},
///  "hog": {"cellSize": 8, "blockSize": 16, "blockStride": 8, "orientations": 9, "winSigma": 4,
///          "L2HysThreshold": 0.2, "gammaCorrection": true, "signedGradient": false},
///  "order": "opencv", "weights": [3780 numbers], "bias": -6.66}
/// ```
/// ``people`` and ``daimler`` are OpenCV's two pedestrian detectors, built into the library.
public struct HOGDetectorModel: Sendable, Hashable, Codable {
    /// The HOG geometry, in OpenCV's `HOGDescriptor` terms (sizes in pixels).
    public struct Geometry: Sendable, Hashable, Codable {
        /// Cell side in pixels. OpenCV default 8.
        public var cellSize: Int
        /// Block side in pixels (a multiple of `cellSize`). OpenCV default 16.
        public var blockSize: Int
        /// Block step in pixels (a multiple of `cellSize`). OpenCV default 8.
        public var blockStride: Int
        /// Unsigned orientation bins. OpenCV default 9.
        public var orientations: Int
        /// Gaussian block window σ in pixels; OpenCV default `(blockSize·2)/8` = 4.
        public var winSigma: Double
        /// L2-Hys clipping value. OpenCV default 0.2.
        public var L2HysThreshold: Double
        /// Square root of the samples before gradients. OpenCV default `true`.
        public var gammaCorrection: Bool
        /// Orientations over 360° (OpenCV default `false`; only `false` is supported).
        public var signedGradient: Bool

        /// OpenCV's `HOGDescriptor()` defaults.
        public static let opencvDefault = Geometry(cellSize: 8, blockSize: 16, blockStride: 8, orientations: 9,
                                                   winSigma: 4, L2HysThreshold: 0.2, gammaCorrection: true,
                                                   signedGradient: false)

        /// A geometry from OpenCV's `HOGDescriptor` fields (checked by ``HOGDetectorModel/validate()``).
        public init(cellSize: Int, blockSize: Int, blockStride: Int, orientations: Int, winSigma: Double,
                    L2HysThreshold: Double, gammaCorrection: Bool, signedGradient: Bool) {
            self.cellSize = cellSize; self.blockSize = blockSize; self.blockStride = blockStride
            self.orientations = orientations; self.winSigma = winSigma; self.L2HysThreshold = L2HysThreshold
            self.gammaCorrection = gammaCorrection; self.signedGradient = signedGradient
        }
    }

    /// The window size in pixels.
    public struct WindowSize: Sendable, Hashable, Codable {
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int
        /// A `width × height` window.
        public init(width: Int, height: Int) { self.width = width; self.height = height }
    }

    /// Always `"classiccv-hog-detector"`.
    public var format: String = "classiccv-hog-detector"
    /// File format version, 1.
    public var version: Int = 1
    /// A label (e.g. `people`).
    public var name: String
    /// The detection window (64×128 for people, 48×96 for Daimler).
    public var window: WindowSize
    /// HOG geometry.
    public var hog: Geometry
    /// Always `"opencv"`: the weights are in OpenCV's block order (see the type's summary).
    public var order: String = "opencv"
    /// One weight per descriptor value.
    public var weights: [Float]
    /// Added to the dot product (OpenCV's last coefficient).
    public var bias: Float
    /// How the model was trained (``HOGDetectorTrainer``), absent for imported models.
    public var training: HOGTrainingRecord?
    /// Bounding-box regression applied to every raw hit before grouping
    /// (``HOGBoxRegression``, fitted by ``fitBoxRegression(detector:images:groundTruth:parameters:)``);
    /// absent in older files and imported models. Set it to `nil` for the raw windows.
    public var boxRegression: HOGBoxRegression?

    /// A model from its parts (checked when a detector is made, or by ``validate()``).
    /// - Parameters:
    ///   - hog: default ``Geometry/opencvDefault``.
    ///   - weights: one per descriptor value, in OpenCV's order.
    ///   - bias: added to every window's dot product (OpenCV stores `-rho` of the SVM here).
    public init(name: String, window: WindowSize, hog: Geometry = .opencvDefault, weights: [Float], bias: Float) {
        self.name = name
        self.window = window
        self.hog = hog
        self.weights = weights
        self.bias = bias
    }

    /// OpenCV's default people detector (`HOGDescriptor_getDefaultPeopleDetector`, Dalal &
    /// Triggs' INRIA model): 64×128 window, 3780 weights.
    public static let people: HOGDetectorModel = builtin(BuiltinModels.peopleJSON)
    /// OpenCV's Daimler pedestrian detector (`HOGDescriptor_getDaimlerPeopleDetector`): 48×96
    /// window, 1980 weights.
    public static let daimler: HOGDetectorModel = builtin(BuiltinModels.daimlerJSON)

    /// A built-in model by name (`people`, `daimler`), or `nil`.
    public static func named(_ name: String) -> HOGDetectorModel? {
        switch name.lowercased() {
        case "people", "default": return people
        case "daimler": return daimler
        default: return nil
        }
    }

    private static func builtin(_ json: String) -> HOGDetectorModel {
        do { return try decode(Data(json.utf8), source: "built-in model") } catch {
            preconditionFailure("the built-in model does not decode: \(error)")
        }
    }

    /// Reads a model from JSON bytes and validates it.
    /// - Parameter source: the name to report in errors (e.g. the file path).
    /// - Throws: `CVError.decoding` for malformed JSON, `CVError.invalidParameter` for a model
    ///   that does not hold together (see ``validate()``).
    public static func decode(_ data: Data, source: String) throws -> HOGDetectorModel {
        let model: HOGDetectorModel
        do {
            model = try JSONDecoder().decode(HOGDetectorModel.self, from: data)
        } catch {
            throw CVError.decoding(source: source, reason: "not a HOG detector model (\(describe(error)))")
        }
        try model.validate()
        return model
    }

    /// The model as JSON (keys sorted, so the bytes are reproducible).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// The ``CVFeatures/HOGParameters`` that compute this model's descriptor (OpenCV's preset
    /// with this model's geometry).
    public var hogParameters: HOGParameters {
        var p = HOGParameters.dalalTriggs
        p.cellSize = HOGSize(hog.cellSize, hog.cellSize)
        p.blockSize = HOGSize(hog.blockSize / max(hog.cellSize, 1), hog.blockSize / max(hog.cellSize, 1))
        p.blockStride = HOGSize(hog.blockStride / max(hog.cellSize, 1), hog.blockStride / max(hog.cellSize, 1))
        p.orientations = hog.orientations
        p.clipThreshold = hog.L2HysThreshold
        p.blockWeighting = .gaussian(sigma: hog.winSigma)
        p.transformSqrt = hog.gammaCorrection
        p.signedGradients = hog.signedGradient
        return p
    }

    /// Blocks of a window across and down.
    public var blocksPerWindow: (x: Int, y: Int) {
        ((window.width - hog.blockSize) / max(hog.blockStride, 1) + 1, (window.height - hog.blockSize) / max(hog.blockStride, 1) + 1)
    }

    /// Checks that the fields hold together: a known format, a window of whole blocks, cells
    /// that divide blocks and block strides, finite weights, and as many weights as the
    /// window's descriptor has values.
    /// - Throws: `CVError.invalidParameter` naming the first bad field.
    public func validate() throws {
        guard format == "classiccv-hog-detector", version == 1, order == "opencv" else {
            throw CVError.invalidParameter(name: "format", reason: "expected format classiccv-hog-detector version 1 with order opencv")
        }
        let g = hog
        guard (1...256).contains(g.cellSize), (1...64).contains(g.blockSize / g.cellSize), g.blockSize % g.cellSize == 0,
              g.blockStride >= 1, g.blockStride % g.cellSize == 0, g.blockStride <= g.blockSize else {
            throw CVError.invalidParameter(name: "hog", reason: "cellSize \(g.cellSize), blockSize \(g.blockSize), blockStride \(g.blockStride): blocks and block strides must be whole cells, the stride at most a block")
        }
        guard (1...64).contains(g.orientations), !g.signedGradient else {
            throw CVError.invalidParameter(name: "hog.orientations", reason: "1...64 unsigned bins are supported, got \(g.orientations)\(g.signedGradient ? " signed" : "")")
        }
        guard g.winSigma > 0, g.winSigma.isFinite, g.L2HysThreshold > 0, g.L2HysThreshold.isFinite else {
            throw CVError.invalidParameter(name: "hog.winSigma", reason: "winSigma and L2HysThreshold must be positive numbers")
        }
        guard (g.blockSize...4096).contains(window.width), (g.blockSize...4096).contains(window.height),
              (window.width - g.blockSize) % g.blockStride == 0, (window.height - g.blockSize) % g.blockStride == 0 else {
            throw CVError.invalidParameter(name: "window", reason: "a \(window.width)x\(window.height) window is not a whole number of \(g.blockSize)-pixel blocks \(g.blockStride) pixels apart (at most 4096 a side)")
        }
        let (bx, by) = blocksPerWindow
        let expected = bx * by * (g.blockSize / g.cellSize) * (g.blockSize / g.cellSize) * g.orientations
        guard weights.count == expected else {
            throw CVError.invalidParameter(name: "weights", reason: "a \(window.width)x\(window.height) window has \(expected) descriptor values, the model has \(weights.count) weights")
        }
        guard bias.isFinite, weights.allSatisfy(\.isFinite) else {
            throw CVError.invalidParameter(name: "weights", reason: "weights and bias must be finite numbers")
        }
        try boxRegression?.validate(descriptorLength: weights.count)
    }
}

/// A short reason from a decoding error.
private func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.dataCorrupted(let c): return c.debugDescription
    default: return "\(error)"
    }
}
