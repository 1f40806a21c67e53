import ClassicCV

/// Edges of a photo three ways: OpenCV's Canny after a Gaussian blur, scikit-image's Canny,
/// and the raw horizontal Sobel derivative.
func edges(photo: String, output: String) throws -> (opencv: Image<UInt8>, skimage: Image<UInt8>, dx: Image<Float>) {
    let gray = try ImageIO.read(path: photo).image.asUInt8.grayscale()
    let smooth = try gray.gaussianBlurred(.opencv(sigma: 1.4))                  // cv2.GaussianBlur, bit-exact
    let opencv = try smooth.cannyEdges(.opencv(low: 50, high: 150))             // cv2.Canny: 0 or 255
    let skimage = try gray.cannyEdges(.scikitImage(sigma: 2))                   // skimage.feature.canny
    let dx = try gray.sobelDerivative(DerivativeParameters(dx: 1, dy: 0, ksize: 3))  // cv2.Sobel(CV_32F)
    try ImageIO.write(.uint8(opencv), to: output)
    return (opencv, skimage, dx)
}
