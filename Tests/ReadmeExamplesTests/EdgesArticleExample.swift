import ClassicCV

/// The steps of `cvtool canny` with its defaults: decode, gray, blur, Canny, write.
func edgeMap(photo: String, output: String) throws -> Image<UInt8> {
    let decoded = try ImageIO.read(path: photo)                   // 1. decode; EXIF orientation applied
    let gray = decoded.image.asUInt8.grayscale()                  // 2. cv2.cvtColor(RGB2GRAY)
    let smooth = try gaussianBlur(gray, .opencv(sigma: 1.4))      // 3. cv2.GaussianBlur(gray, (0, 0), 1.4)
    var parameters = CannyParameters()                            // 4. OpenCV's Canny, thresholds from the median
    parameters.sigma = 0                                          //    (the blur is step 3 here)
    let edges = try canny(smooth, parameters)                     //    0 or 255 per pixel
    try ImageIO.write(.uint8(edges), to: output)                  // 5. written atomically
    return edges
}
