import ClassicCV

/// The steps of `cvtool canny` with its defaults: decode, gray, blur, Canny, write.
func edgeMap(photo: String, output: String) throws -> Image<UInt8> {
    let decoded = try ImageIO.read(path: photo)                   // 1. decode; EXIF orientation applied
    let gray = decoded.image.asUInt8.grayscale()                  // 2. cv2.cvtColor(RGB2GRAY)
    let smooth = try gray.gaussianBlurred(.opencv(sigma: 1.4))    // 3. cv2.GaussianBlur(gray, (0, 0), 1.4)
    let canny = CannyParameters(.opencv(OpenCVCanny(sigma: 0)))   // 4. OpenCV's Canny, thresholds from the median
    let edges = try smooth.cannyEdges(canny)                      //    (no pre-blur: step 3 made it); 0 or 255
    try ImageIO.write(.uint8(edges), to: output)                  // 5. written atomically
    return edges
}
