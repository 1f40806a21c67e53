/// The largest images ClassicCV produces: the same bounds as the decoder's default limits
/// (`DecodeLimits` in CVIO), so whatever an operation outputs can also be read back.
///
/// Operations whose output size or cost follows a parameter (a resize target, a filter
/// radius, a Gaussian σ) refuse values beyond these bounds with
/// ``CVError/invalidParameter(name:reason:)`` instead of allocating without limit.
public enum ImageLimits {
    /// Most pixels along one side: 262,144.
    public static let maxSide = 262_144
    /// Most pixels in all: 2²⁸ (268,435,456).
    public static let maxPixels = 1 << 28

    /// Throws `CVError.invalidParameter` unless a `width`×`height` output fits the limits.
    /// - Parameters:
    ///   - widthName, heightName: the parameter names to report for a side that is too long.
    ///   - totalName: the parameter name to report when the sides fit but the area does not.
    package static func checkOutput(width: Int, height: Int, widthName: String, heightName: String,
                                    totalName: String) throws {
        guard width <= maxSide else {
            throw CVError.invalidParameter(name: widthName, reason: "the output would be \(width) pixels wide; the limit is \(maxSide)")
        }
        guard height <= maxSide else {
            throw CVError.invalidParameter(name: heightName, reason: "the output would be \(height) pixels high; the limit is \(maxSide)")
        }
        guard width * height <= maxPixels else {
            throw CVError.invalidParameter(
                name: totalName, reason: "the output would have \(width)x\(height) pixels; the limit is \(maxPixels) in all")
        }
    }
}
