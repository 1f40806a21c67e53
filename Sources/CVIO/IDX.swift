import CVCore
import CVFormats

/// The image view of an IDX image file (parsing lives in CVFormats).
extension IDX {
    /// The images of an IDX image file as 1-channel `Image<UInt8>`s, in file order.
    /// - Parameter path: a 3-D unsigned-byte IDX file, gzip-compressed or not.
    /// - Returns: `count` images of `width × height`.
    /// - Throws: as `IDX.readImages(path:)`.
    /// - Complexity: O(count · height · width).
    public static func images(path: String) throws -> [Image<UInt8>] {
        let f = try readImages(path: path)
        let n = f.height * f.width
        return try (0..<f.count).map { i in
            try Image(width: f.width, height: f.height, channels: 1, samples: Array(f.pixels[i * n..<(i + 1) * n]))
        }
    }
}
