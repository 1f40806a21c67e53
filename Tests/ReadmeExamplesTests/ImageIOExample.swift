import ClassicCV

/// Decodes a photo, makes a gray copy and a 64×64 crop of it, and writes both.
func grayAndCrop(photo: String, grayPNG: String, cropJPEG: String) throws -> Image<UInt8> {
    let decoded = try ImageIO.read(path: photo)          // format from the content; EXIF orientation applied
    let rgb: Image<UInt8> = decoded.image.asUInt8        // interleaved RGB, row-major
    let gray = rgb.grayscale()                           // cv2.cvtColor(RGB2GRAY), bit-exact
    let crop = try gray.cropped(x: 40, y: 30, width: 64, height: 64)   // a view, no copy
    try ImageIO.write(.uint8(gray), to: grayPNG)         // format from the extension; OpenCV's PNG defaults
    try ImageIO.write(.uint8(crop), to: cropJPEG, options: EncodeOptions(jpegQuality: 90))
    return crop
}
