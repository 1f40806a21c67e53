import ClassicCV

/// Noise removal two ways: the median (salt-and-pepper) and the bilateral filter (edges kept),
/// each exactly as OpenCV computes it, plus the bilateral filter's constant-time approximation.
func denoise(photo: String, output: String) throws -> (median: Image<UInt8>, bilateral: Image<UInt8>, fast: Image<UInt8>) {
    let rgb = try ImageIO.read(path: photo).image.asUInt8.droppingAlpha()
    let median = try rgb.medianFiltered(.opencv(size: 5))                       // cv2.medianBlur(img, 5)
    let bilateral = try rgb.bilateralFiltered(BilateralParameters(diameter: 9, sigmaColor: 75, sigmaSpace: 75))
    let fast = try rgb.bilateralFiltered(BilateralParameters(diameter: 31, sigmaColor: 40, sigmaSpace: 31,
                                                             method: .fastApproximate))  // cost independent of d
    try ImageIO.write(.uint8(bilateral), to: output)                            // = cv2.bilateralFilter(img, 9, 75, 75)
    return (median, bilateral, fast)
}
