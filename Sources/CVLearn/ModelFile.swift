import Foundation

/// The versioned JSON files of CVLearn: trained models (`"format": "classiccv-model"`) and
/// stand-alone PCA fits (`"format": "classiccv-pca"`).
///
/// Model layout (version 1):
/// ```json
/// { "format": "classiccv-model", "version": 1, "type": "gaussian-nb",
///   "n_features": 324, "classes": ["0", "1", …],
///   "scaler": { "type": "standard", "standard": { … } },        // optional
///   "pca": { "parameters": { … }, "mean": [ … ], "components": [ … ], … },  // optional
///   "classifier": { "parameters": { … }, "theta": [ … ], … } }
/// ```
/// Doubles are written in Swift's shortest round-trip form, so a loaded model reproduces the
/// saved one bit for bit. Unknown newer versions, truncated or corrupt JSON, inconsistent
/// array sizes and a feature count different from the data all give one-line errors.
public enum ModelFile {
    /// Current format version.
    public static let version = 1

    struct Envelope: Codable {
        var format: String
        var version: Int
        var type: String
        var n_features: Int
        var classes: [String]
        var scaler: Scaler?
        var pca: PCA?
        var classifier: ClassifierBox
    }

    struct ClassifierBox: Codable {
        let base: any Classifier
        init(_ base: any Classifier) { self.base = base }
        init(from decoder: Decoder) throws {
            guard let kind = decoder.userInfo[ModelFile.kindKey] as? ClassifierKind else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "classifier type missing"))
            }
            base = try kind.classifierType.init(from: decoder)
        }
        func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }
    }

    static let kindKey = CodingUserInfoKey(rawValue: "classiccv.kind")!

    /// JSON bytes of a model.
    public static func encode(_ model: Model) throws -> [UInt8] {
        let env = Envelope(format: "classiccv-model", version: version, type: model.classifier.kind.rawValue,
                           n_features: model.featureCount, classes: model.labels.classes, scaler: model.scaler, pca: model.pca,
                           classifier: ClassifierBox(model.classifier.base))
        return try encodeJSON(env)
    }

    /// Parses a model from JSON bytes.
    /// - Throws: `LearnError.decoding` with a one-line reason.
    public static func decodeModel(_ bytes: [UInt8], source: String = "<memory>") throws -> Model {
        struct Head: Decodable { var format: String?; var version: Int?; var type: String? }
        let head: Head = try decodeJSON(Head.self, bytes, source: source, userInfo: [:])
        guard head.format == "classiccv-model" else {
            throw LearnError.decoding(source: source, reason: head.format == "classiccv-pca" ? "this is a PCA file, not a model" : "not a ClassicCV model file (no \"format\": \"classiccv-model\")")
        }
        guard let v = head.version, v >= 1, v <= version else {
            throw LearnError.decoding(source: source, reason: "model format version \(head.version.map(String.init) ?? "missing") is not supported (this build reads 1...\(version))")
        }
        guard let t = head.type, let kind = ClassifierKind(rawValue: t) else {
            throw LearnError.decoding(source: source, reason: "unknown classifier type '\(head.type ?? "missing")' (known: \(ClassifierKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let env = try decodeJSON(Envelope.self, bytes, source: source, userInfo: [kindKey: kind])
        do {
            return try Model(featureCount: env.n_features, labels: try LabelEncoder(classes: env.classes), scaler: env.scaler, pca: env.pca,
                             classifier: AnyClassifier(env.classifier.base))
        } catch let e as LearnError {
            throw e.relabeled(source)
        }
    }

    /// Writes a model atomically.
    public static func write(_ model: Model, to path: String) throws {
        try writeFileAtomically(try encode(model), to: path)
    }

    /// Reads a model file.
    public static func readModel(path: String) throws -> Model {
        try decodeModel(try readFile(path), source: path)
    }

    struct PCAEnvelope: Codable {
        var format: String
        var version: Int
        var pca: PCA
    }

    /// JSON bytes of a stand-alone PCA fit.
    public static func encode(_ pca: PCA) throws -> [UInt8] {
        try encodeJSON(PCAEnvelope(format: "classiccv-pca", version: version, pca: pca))
    }

    /// Parses a PCA file (or the PCA inside a model file).
    public static func decodePCA(_ bytes: [UInt8], source: String = "<memory>") throws -> PCA {
        struct Head: Decodable { var format: String?; var version: Int? }
        let head = try decodeJSON(Head.self, bytes, source: source, userInfo: [:])
        if head.format == "classiccv-model" {
            guard let p = try decodeModel(bytes, source: source).pca else {
                throw LearnError.decoding(source: source, reason: "the model has no PCA step")
            }
            return p
        }
        guard head.format == "classiccv-pca" else { throw LearnError.decoding(source: source, reason: "not a ClassicCV PCA file") }
        guard let v = head.version, v >= 1, v <= version else {
            throw LearnError.decoding(source: source, reason: "PCA format version \(head.version.map(String.init) ?? "missing") is not supported")
        }
        let p = try decodeJSON(PCAEnvelope.self, bytes, source: source, userInfo: [:]).pca
        do { try p.validate() } catch let e as LearnError { throw e.relabeled(source) }
        return p
    }

    public static func readPCA(path: String) throws -> PCA { try decodePCA(try readFile(path), source: path) }

    public static func write(_ pca: PCA, to path: String) throws { try writeFileAtomically(try encode(pca), to: path) }

    static func encodeJSON<E: Encodable>(_ value: E) throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do { return Array(try enc.encode(value)) + [0x0A] } catch {
            throw LearnError.encoding(target: "<memory>", reason: "\(error)")
        }
    }

    static func decodeJSON<D: Decodable>(_ type: D.Type, _ bytes: [UInt8], source: String, userInfo: [CodingUserInfoKey: Any]) throws -> D {
        let dec = JSONDecoder()
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        dec.userInfo = userInfo
        do {
            return try dec.decode(type, from: Data(bytes))
        } catch let e as DecodingError {
            throw LearnError.decoding(source: source, reason: describe(e))
        } catch let e as LearnError {
            throw e.relabeled(source)
        } catch {
            throw LearnError.decoding(source: source, reason: "corrupt or truncated JSON")
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ p: [CodingKey]) -> String { p.isEmpty ? "top level" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case let .dataCorrupted(c):
            return c.codingPath.isEmpty ? "corrupt or truncated JSON" : "\(path(c.codingPath)): \(c.debugDescription)"
        case let .keyNotFound(k, c): return "missing field '\(k.stringValue)' at \(path(c.codingPath))"
        case let .typeMismatch(_, c): return "wrong value type at \(path(c.codingPath))"
        case let .valueNotFound(_, c): return "missing value at \(path(c.codingPath))"
        @unknown default: return "corrupt JSON"
        }
    }
}
