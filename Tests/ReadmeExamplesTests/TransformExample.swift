import ClassicCV

/// A thumbnail, OpenCV- and Pillow-compatible resizes, and the 2-D spectrum of a photo.
func resizeAndSpectrum(photo: String, spectrumPNG: String) throws -> (thumbnail: Image<UInt8>, spectrum: FFTArray<FFTComplex<Float>>) {
    let rgb = try ImageIO.read(path: photo).image.asUInt8
    let thumbnail = try rgb.resized(to: .fit(width: 160, height: 160))        // antialiased Lanczos-3
    let half = try rgb.resized(to: .scale(x: 0.5, y: 0.5), parameters: .opencv(.area))         // cv2.INTER_AREA
    let pillow = try half.resized(to: .size(width: 100, height: 80), parameters: .pillow(.bicubic))  // PIL BICUBIC
    let gray = try FFTArray<Float>(image: pillow.grayscale())                 // shape [80, 100]
    let spectrum = try FFT.rfft2(gray)                                        // numpy.fft.rfft2: [80, 51]
    let restored = try FFT.irfft2(spectrum, columns: gray.columns)            // back to [80, 100]
    precondition(restored.shape == gray.shape)
    try ImageIO.write(.uint8(try Spectrum.image(of: rgb.grayscale())), to: spectrumPNG)  // centred log-magnitude
    return (thumbnail, spectrum)
}
