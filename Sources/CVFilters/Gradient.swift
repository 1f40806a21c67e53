import CVCore
import Foundation

/// How to combine two derivatives into a magnitude.
public enum GradientNorm: String, Sendable, Hashable, CaseIterable {
    /// `|dx| + |dy|` (OpenCV Canny's default).
    case l1
    /// `√(dx² + dy²)` (`cv2.magnitude`).
    case l2
}

extension Image where Pixel == Float {
    /// Gradient magnitude of two derivative images of equal shape (e.g. from
    /// ``Image/sobelDerivative(_:)``): `cv2.magnitude(dx, dy)` for ``GradientNorm/l2``,
    /// `|dx| + |dy|` (OpenCV Canny's L1 gradient) for ``GradientNorm/l1``.
    ///
    /// - Parameters:
    ///   - dx: derivative along x, a Float image.
    ///   - dy: derivative along y, same size and channels as `dx`.
    ///   - norm: default ``GradientNorm/l2``.
    /// - Returns: a Float image of that shape.
    /// - Throws: `CVError.invalidParameter` (named `dy`) when the shapes differ.
    /// - Complexity: O(width·height·channels).
    public static func gradientMagnitude(dx: Image<Float>, dy: Image<Float>, norm: GradientNorm = .l2) throws -> Image<Float> {
        try pointwise(dx, dy) { a, b in norm == .l2 ? (a * a + b * b).squareRoot() : abs(a) + abs(b) }
    }

    /// Gradient orientation `atan2(dy, dx)` mapped to [0, 2π) (or [0, 360) degrees), as `cv2.phase`.
    ///
    /// Conventions: y points down, so with `dy > 0` (brighter below) the angle is in (0, π):
    /// angles turn clockwise on screen. 0 where both derivatives are 0.
    /// - Parameters:
    ///   - dx: derivative along x, a Float image.
    ///   - dy: derivative along y, same size and channels as `dx`.
    ///   - degrees: default false (radians).
    /// - Returns: a Float image of that shape.
    /// - Throws: `CVError.invalidParameter` (named `dy`) when the shapes differ.
    /// - Complexity: O(width·height·channels).
    public static func gradientOrientation(dx: Image<Float>, dy: Image<Float>, degrees: Bool = false) throws -> Image<Float> {
        let full: Float = degrees ? 360 : 2 * .pi
        let k: Float = degrees ? 180 / .pi : 1
        return try pointwise(dx, dy) { a, b in
            var t = atan2(b, a) * k
            if t < 0 { t += full }
            return t >= full ? 0 : t
        }
    }
}

/// `cv2.magnitude` as a free function; use ``CVCore/Image/gradientMagnitude(dx:dy:norm:)``.
@available(*, deprecated, renamed: "Image.gradientMagnitude(dx:dy:norm:)")
public func gradientMagnitude(_ dx: Image<Float>, _ dy: Image<Float>, norm: GradientNorm = .l2) throws -> Image<Float> {
    try Image<Float>.gradientMagnitude(dx: dx, dy: dy, norm: norm)
}

/// `cv2.phase` as a free function; use ``CVCore/Image/gradientOrientation(dx:dy:degrees:)``.
@available(*, deprecated, renamed: "Image.gradientOrientation(dx:dy:degrees:)")
public func gradientOrientation(_ dx: Image<Float>, _ dy: Image<Float>, degrees: Bool = false) throws -> Image<Float> {
    try Image<Float>.gradientOrientation(dx: dx, dy: dy, degrees: degrees)
}

func pointwise(_ a: Image<Float>, _ b: Image<Float>, _ f: (Float, Float) -> Float) throws -> Image<Float> {
    guard a.width == b.width, a.height == b.height, a.channels == b.channels else {
        throw CVError.invalidParameter(name: "dy", reason: "shape \(b.width)x\(b.height)x\(b.channels) differs from dx \(a.width)x\(a.height)x\(a.channels)")
    }
    var out = Image<Float>.uninitialized(width: a.width, height: a.height, channels: a.channels)
    let n = a.rowLength
    a.withUnsafePixels { pa, sa in
        b.withUnsafePixels { pb, sb in
            out.withUnsafeMutablePixels { po, so in
                for y in 0..<a.height {
                    let ra = pa + y * sa, rb = pb + y * sb, ro = po + y * so
                    for i in 0..<n { ro[i] = f(ra[i], rb[i]) }
                }
            }
        }
    }
    return out
}
