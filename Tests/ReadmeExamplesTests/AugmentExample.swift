import ClassicCV

/// SimCLR's random views of a photo, and one step of them replayed by hand.
func simclrViews(photo: String, count: Int) throws -> [Image<UInt8>] {
    let rgb = try ImageIO.read(path: photo).image.asUInt8.droppingAlpha()
    var parameters = SimCLRParameters(width: 96, height: 96)    // SimCLR's ImageNet defaults otherwise
    parameters.blurProbability = 0.5                             // kernel 10 % of the side, σ in 0.1...2
    let augment = try SimCLRAugmentation(parameters)
    let views = try augment.views(of: rgb, count: count, seed: 2020)   // same seed, same views
    var rng = SplitMix64(seed: 1)
    let drawn = augment.draw(imageWidth: rgb.width, imageHeight: rgb.height, using: &rng)
    let again = try augment.apply(drawn, to: rgb)               // crop → flip → jitter → gray → blur
    let warmer = try rgb.adjustingHue(0.05).adjustingSaturation(1.3)    // torchvision's formulas
    precondition(again.width == 96 && warmer.width == rgb.width)
    return views
}
