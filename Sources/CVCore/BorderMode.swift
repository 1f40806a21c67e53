/// How filters read pixels outside the image. Shared by every filter in ClassicCV.
///
/// With `abcdefgh` the row and `|` its edges (OpenCV's notation):
/// - ``reflect101``: `gfedcb|abcdefgh|gfedcba` — OpenCV's default (`BORDER_REFLECT_101`),
///   scikit-image/SciPy `mode="mirror"`.
/// - ``reflect``: `fedcba|abcdefgh|hgfedcb` — OpenCV `BORDER_REFLECT`, SciPy `mode="reflect"`.
/// - ``replicate``: `aaaaaa|abcdefgh|hhhhhhh` — OpenCV `BORDER_REPLICATE`, SciPy `mode="nearest"`.
/// - ``constant(_:)``: `vvvvvv|abcdefgh|vvvvvvv` — OpenCV `BORDER_CONSTANT`, SciPy `mode="constant"`.
///   The value is in the image's own sample units (e.g. 0...255 for UInt8).
/// - ``wrap``: `cdefgh|abcdefgh|abcdefg` — OpenCV `BORDER_WRAP`, SciPy `mode="wrap"`/`"grid-wrap"`.
public enum BorderMode: Sendable, Hashable, CustomStringConvertible {
    case reflect101
    case reflect
    case replicate
    case constant(Float)
    case wrap

    /// OpenCV's default.
    public static let `default` = BorderMode.reflect101

    /// Parses the command-line spelling: `reflect101`, `reflect`, `replicate`, `constant`
    /// (`constant:V` for a value other than 0) or `wrap`.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "reflect101", "reflect-101", "reflect_101", "mirror": self = .reflect101
        case "reflect", "symmetric": self = .reflect
        case "replicate", "nearest", "edge": self = .replicate
        case "wrap": self = .wrap
        case "constant": self = .constant(0)
        default:
            if lower.hasPrefix("constant:"), let v = Float(lower.dropFirst("constant:".count)) {
                self = .constant(v)
            } else {
                return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .reflect101: return "reflect101"
        case .reflect: return "reflect"
        case .replicate: return "replicate"
        case .constant(let v): return v == 0 ? "constant" : "constant:\(v)"
        case .wrap: return "wrap"
        }
    }

    /// The in-image index that stands for index `i` of a row or column of `n` samples,
    /// or `nil` when the border is ``constant(_:)`` and `i` is outside `0..<n`.
    ///
    /// Works for any distance from the edge (the pattern repeats), like OpenCV's
    /// `borderInterpolate`. - Precondition: `n > 0`.
    @inlinable
    public func sourceIndex(_ i: Int, count n: Int) -> Int? {
        if i >= 0 && i < n { return i }
        switch self {
        case .constant:
            return nil
        case .replicate:
            return i < 0 ? 0 : n - 1
        case .wrap:
            let m = i % n
            return m < 0 ? m + n : m
        case .reflect:
            // Period 2n: 0..n-1 then n-1..0.
            let period = 2 * n
            var m = i % period
            if m < 0 { m += period }
            return m < n ? m : period - 1 - m
        case .reflect101:
            if n == 1 { return 0 }
            let period = 2 * n - 2
            var m = i % period
            if m < 0 { m += period }
            return m < n ? m : period - m
        }
    }
}
