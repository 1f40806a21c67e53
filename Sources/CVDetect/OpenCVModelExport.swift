import CVCore
import Foundation

/// A detector model as the YAML file of `cv2.HOGDescriptor.save` / `HOGDescriptor::write`, which
/// `cv2.HOGDescriptor.load` (`HOGDescriptor::read`) reads back: the `opencv_storage` file of
/// OpenCV's `FileStorage` with winSize, blockSize, blockStride, cellSize, nbins,
/// derivAperture, winSigma, histogramNormType, L2HysThreshold, gammaCorrection, nlevels,
/// signedGradient and SVMDetector (the weights, then the bias as the last coefficient).
extension HOGDetectorModel {
    /// The model as OpenCV's HOG YAML. OpenCV's `HOGDescriptor` has no box regression: a
    /// model's ``boxRegression`` is left out, so OpenCV reports the raw windows (the
    /// detections of this model with `boxRegression = nil`).
    /// - Parameter levels: `nlevels` (the pyramid's most levels). Default 64, OpenCV's.
    /// - Returns: the file's text: `%YAML:1.0`, one top-level map named after the model.
    /// - Complexity: O(weights).
    public func opencvYAML(levels: Int = 64) -> String {
        var s = "%YAML:1.0\n---\n\(yamlKey(name)):\n"
        func pair(_ a: Int, _ b: Int) -> String { "[ \(a), \(b) ]" }
        s += "   winSize: \(pair(window.width, window.height))\n"
        s += "   blockSize: \(pair(hog.blockSize, hog.blockSize))\n"
        s += "   blockStride: \(pair(hog.blockStride, hog.blockStride))\n"
        s += "   cellSize: \(pair(hog.cellSize, hog.cellSize))\n"
        s += "   nbins: \(hog.orientations)\n   derivAperture: 1\n"
        s += "   winSigma: \(yamlNumber(hog.winSigma))\n   histogramNormType: 0\n"
        s += "   L2HysThreshold: \(yamlNumber(hog.L2HysThreshold))\n"
        s += "   gammaCorrection: \(hog.gammaCorrection ? 1 : 0)\n   nlevels: \(levels)\n"
        s += "   signedGradient: \(hog.signedGradient ? 1 : 0)\n"
        let coefficients = (weights + [bias]).map { yamlNumber(Double($0), digits: 9) }
        s += "   SVMDetector: [ "
        for (i, c) in coefficients.enumerated() {
            s += c + (i == coefficients.count - 1 ? " ]\n" : (i % 6 == 5 ? ",\n       " : ", "))
        }
        return s
    }

    /// Reads OpenCV's HOG YAML (``opencvYAML(levels:)``, or a file `cv2.HOGDescriptor.save`
    /// wrote): the first top-level map's fields, square cells, blocks and block strides only.
    /// - Parameters:
    ///   - text: the file's text.
    ///   - source: the name to report in errors.
    /// - Returns: the model, named after the map; the bias is SVMDetector's last coefficient.
    /// - Throws: `CVError.decoding` for a missing or malformed field, `CVError.invalidParameter`
    ///   for a model that does not hold together (``validate()``).
    public init(opencvYAML text: String, source: String) throws {
        let fields = try parseOpenCVYAML(text, source: source)
        func ints(_ key: String) throws -> [Double] {
            guard let v = fields.values[key], !v.isEmpty else { throw CVError.decoding(source: source, reason: "missing \(key)") }
            return v
        }
        func square(_ key: String) throws -> Int {
            let v = try ints(key)
            guard v.count == 2, v[0] == v[1], let n = Int(exactly: v[0]) else {
                throw CVError.decoding(source: source, reason: "\(key) must be two equal whole numbers")
            }
            return n
        }
        let win = try ints("winSize")
        guard win.count == 2, let ww = Int(exactly: win[0]), let wh = Int(exactly: win[1]) else {
            throw CVError.decoding(source: source, reason: "winSize must be two whole numbers")
        }
        let coefficients = try ints("SVMDetector")
        guard let nbins = Int(exactly: try ints("nbins")[0]), coefficients.count >= 2 else {
            throw CVError.decoding(source: source, reason: "nbins must be a whole number and SVMDetector hold weights and a bias")
        }
        let geometry = Geometry(cellSize: try square("cellSize"), blockSize: try square("blockSize"),
                                blockStride: try square("blockStride"), orientations: nbins,
                                winSigma: try ints("winSigma")[0], L2HysThreshold: try ints("L2HysThreshold")[0],
                                gammaCorrection: try ints("gammaCorrection")[0] != 0,
                                signedGradient: (fields.values["signedGradient"]?.first ?? 0) != 0)
        self.init(name: fields.name, window: WindowSize(width: ww, height: wh), hog: geometry,
                  weights: coefficients.dropLast().map { Float($0) }, bias: Float(coefficients.last!))
        try validate()
    }
}

/// The first top-level map of an OpenCV YAML file: its name and its fields as numbers
/// (`true`/`false` as 1/0, sequences as lists).
private func parseOpenCVYAML(_ text: String, source: String) throws -> (name: String, values: [String: [Double]]) {
    var name: String?
    var values: [String: [Double]] = [:]
    var key: String?, pending = ""
    func finish() throws {
        guard let k = key else { return }
        let body = pending.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let items = body.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        values[k] = try items.map { item in
            switch item.lowercased() {
            case "true": return 1
            case "false": return 0
            default:
                guard let v = Double(item.hasSuffix(".") ? item + "0" : item) else {
                    throw CVError.decoding(source: source, reason: "\(k): '\(item)' is not a number")
                }
                return v
            }
        }
        key = nil; pending = ""
    }
    for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let line = String(raw)
        if line.hasPrefix("%") || line.hasPrefix("---") { continue }
        if key != nil && !pending.contains("]") && pending.contains("[") { pending += line; continue }
        try finish()
        let indented = line.first == " "
        guard let colon = line.firstIndex(of: ":") else { continue }
        let k = line[..<colon].trimmingCharacters(in: .whitespaces)
        if !indented {
            if name != nil { break }
            name = k
            continue
        }
        key = k
        pending = String(line[line.index(after: colon)...])
    }
    try finish()
    guard let name else { throw CVError.decoding(source: source, reason: "not an OpenCV YAML file (no top-level map)") }
    return (name, values)
}

/// A map key OpenCV's YAML reader accepts: letters, digits and `_`, starting with a letter.
private func yamlKey(_ name: String) -> String {
    var key = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" }.filter(\.isASCII))
    if key.first.map({ !$0.isLetter }) ?? true { key = "hog_" + key }
    return key
}

/// A number OpenCV reads back to the same value: `digits` significant digits (9 round-trips a
/// Float, 17 a Double).
private func yamlNumber(_ v: Double, digits: Int = 17) -> String {
    String(format: "%.\(digits)g", v)
}
