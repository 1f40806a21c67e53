import CVCore

/// Image file formats, detected from content (magic bytes), never from the extension.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, pnm, npy

    /// The format whose magic bytes start `bytes`, or nil.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 6, bytes[0..<6].elementsEqual([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) { return .npy }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1]) { return .pnm }
        return nil
    }

    /// The format an output path asks for, from its extension (png, jpg/jpeg, pgm/ppm/pnm/pbm, npy).
    /// - Throws: `CVError.unsupported` naming the path for other extensions.
    public init(pathExtensionOf path: String) throws {
        let ext = path.split(separator: "/").last.flatMap { name -> Substring? in
            guard let dot = name.lastIndex(of: ".") else { return nil }
            return name[name.index(after: dot)...]
        }?.lowercased() ?? ""
        switch ext {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "pgm", "ppm", "pnm", "pbm": self = .pnm
        case "npy": self = .npy
        default:
            throw CVError.unsupported(source: path, reason: "unknown image extension '.\(ext)'; use .png, .jpg, .pgm, .ppm or .npy")
        }
    }
}
