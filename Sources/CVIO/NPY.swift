// NPY parsing and writing live in CVFormats (learning reads the same files without images);
// `import CVIO` keeps bringing `NPY`, `NPYArray` and the other array formats along.
@_exported import CVFormats
import CVCore

/// The image view of a NumPy array: H×W (one channel) or H×W×C, as `cv2.imread` /
/// `skimage.io.imread` arrays are laid out.
extension NPYArray {
    /// An image as H×W (1 channel) or H×W×C; UInt8 → uint8, UInt16 → uint16, Float → float32.
    /// - Parameter image: any decoded image.
    /// - Complexity: O(pixels · channels).
    public init(image: AnyImage) {
        func shape(_ w: Int, _ h: Int, _ c: Int) -> [Int] { c == 1 ? [h, w] : [h, w, c] }
        switch image {
        case .uint8(let i): self.init(shape: shape(i.width, i.height, i.channels), uint8s: i.samples)
        case .uint16(let i): self.init(shape: shape(i.width, i.height, i.channels), uint16s: i.samples)
        case .float32(let i): self.init(shape: shape(i.width, i.height, i.channels), floats: i.samples)
        }
    }

    /// The array as an image: H×W → 1 channel, H×W×C (C ≤ 4) → C channels. uint8 and uint16
    /// keep their type; float32 and float64 become Float samples.
    /// - Parameter source: the name errors carry (default `<memory>`).
    /// - Throws: `CVError.unsupported` for other shapes or dtypes.
    /// - Complexity: O(`count`).
    public func toImage(source: String = "<memory>") throws -> AnyImage {
        let (h, w, c) = try imageLayout(source: source)
        switch dtype {
        case .uint8: return .uint8(try Image(width: w, height: h, channels: c, samples: bytes))
        case .uint16: return .uint16(try Image(width: w, height: h, channels: c, samples: bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }))
        case .float32, .float64: return .float32(try Image(width: w, height: h, channels: c, samples: toFloats()))
        default:
            preconditionFailure("imageLayout admits only image dtypes")
        }
    }

    /// Height, width and channels when the array can be read as an image (see ``toImage(source:)``).
    /// - Parameter source: the name errors carry (default `<memory>`).
    /// - Throws: `CVError.unsupported` for other shapes or dtypes.
    public func imageLayout(source: String = "<memory>") throws -> (height: Int, width: Int, channels: Int) {
        guard shape.count == 2 || (shape.count == 3 && (1...4).contains(shape[2])) else {
            throw CVError.unsupported(source: source, reason: "NPY shape \(shape) is not an image (need HxW or HxWxC with C <= 4)")
        }
        guard [.uint8, .uint16, .float32, .float64].contains(dtype) else {
            throw CVError.unsupported(source: source, reason: "NPY dtype \(dtype.descr) is not an image type (uint8, uint16, float32, float64)")
        }
        return (shape[0], shape[1], shape.count == 3 ? shape[2] : 1)
    }
}
