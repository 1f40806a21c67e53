/// An axis-aligned box in an image's pixel coordinates, with a confidence score.
///
/// The vocabulary shared by the detector, non-maximum suppression and evaluation: `x` and `y`
/// are the top-left corner, `width` and `height` the size (OpenCV's `cv::Rect` convention;
/// torchvision's corner form is `x1 = x`, `y1 = y`, `x2 = x + width`, `y2 = y + height`).
/// Coordinates are `Double` so that NMS and evaluation take sub-pixel boxes from any
/// detector; the HOG detector's boxes are whole pixels.
public struct Detection: Hashable, Sendable, Codable {
    /// Left edge, in pixels.
    public var x: Double
    /// Top edge, in pixels.
    public var y: Double
    /// Width, in pixels.
    public var width: Double
    /// Height, in pixels.
    public var height: Double
    /// The detector's confidence (for the HOG detector, the linear SVM's decision value).
    public var score: Double

    /// Creates a detection from its corner, size and score.
    public init(x: Double, y: Double, width: Double, height: Double, score: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.score = score
    }

    /// The right edge, `x + width`.
    public var maxX: Double { x + width }
    /// The bottom edge, `y + height`.
    public var maxY: Double { y + height }
    /// `width × height` (torchvision's area: no `+ 1`).
    public var area: Double { width * height }
}
