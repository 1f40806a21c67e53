import ClassicCV

/// One photo resized for three purposes: display, OpenCV parity and Pillow parity.
func resizeThreeWays(photo: String) throws -> [Image<UInt8>] {
    let rgb = try ImageIO.read(path: photo).image.asUInt8
    let display = try rgb.resized(to: .fill(width: 128, height: 128))              // quality default, centre crop
    let opencv = try rgb.resized(to: .scale(x: 0.25, y: 0.25),
                                 parameters: .opencv(.bilinear))                   // cv2.resize(fx=0.25, INTER_LINEAR)
    let pillow = try rgb.resized(to: .size(width: 200, height: 150),
                                 parameters: .pillow(.lanczos3))                   // img.resize((200, 150), LANCZOS)
    return [display, opencv, pillow]
}
