import ClassicCV

/// Kernels as values — a sharpening filter2D, Gaussian → Sobel fused into one kernel (rank 1,
/// so it runs as two 1-D passes), scipy's LoG — and two uses of the guided filter.
func kernelsAndGuidedFilter(photo: String, dehazedPNG: String) throws -> (sharp: Image<UInt8>, dx: Image<Float>, log: Image<Float>, crisp: Image<UInt8>, haze: DehazeResult<UInt8>) {
    let rgb = try ImageIO.read(path: photo).image.asUInt8
    let sharp = try rgb.filtered2D(Kernel(rows: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]))   // cv2.filter2D, bit-exact
    let g = GaussianKernel.opencvTaps(size: 5, sigma: 1.2)
    let chain = try Kernel(row: g, column: g).then(Kernel(rows: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))  // 7×7, rank 1
    let gray = rgb.grayscale()
    let dx = try gray.filtered2D(chain, as: Float.self, Filter2DParameters(method: .automatic))  // two 7-tap passes
    let log = try gray.laplacianOfGaussian(LaplacianOfGaussianParameters(sigma: 2))  // scipy.ndimage.gaussian_laplace
    let crisp = try rgb.detailEnhanced(DetailEnhancementParameters(amount: 3))       // base + 3 × detail
    let haze = try rgb.dehazed()                                                     // dark channel prior, paper defaults
    try ImageIO.write(.uint8(haze.image), to: dehazedPNG)
    return (sharp, dx, log, crisp, haze)
}
