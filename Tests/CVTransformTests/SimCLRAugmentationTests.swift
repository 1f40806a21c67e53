import CVCore
import CVFormats
import CVTransform
import CVTestSupport
import XCTest

final class SimCLRAugmentationTests: XCTestCase {
    func testDefaultsAreSimCLRs() throws {
        let p = SimCLRParameters(width: 224, height: 224)
        XCTAssertEqual(p.scale, 0.08...1)
        XCTAssertEqual(p.ratio, (3.0 / 4)...(4.0 / 3))
        XCTAssertEqual([p.flipProbability, p.jitterProbability, p.grayscaleProbability, p.blurProbability], [0.5, 0.8, 0.2, 0.5])
        XCTAssertEqual(p.jitter, ColorJitter(brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2))
        XCTAssertEqual(p.blurSigma, 0.1...2)
        XCTAssertEqual(p.blurKernelSize, 23)
        XCTAssertEqual(SimCLRParameters(width: 28, height: 28).blurKernelSize, 3)
    }

    /// Same seed, same views; another seed, other views; shapes as asked.
    func testViewsAreSeededAndShaped() throws {
        var rng = SplitMix64(seed: 3)
        let image = rng.noiseImage(width: 61, height: 47, channels: 3)
        let augment = try SimCLRAugmentation(SimCLRParameters(width: 32, height: 24))
        let a = try augment.views(of: image, count: 6, seed: 11), b = try augment.views(of: image, count: 6, seed: 11)
        let c = try augment.views(of: image, count: 6, seed: 12)
        XCTAssertEqual(a.count, 6)
        XCTAssertTrue(zip(a, b).allSatisfy { $0 == $1 })
        XCTAssertFalse(zip(a, c).allSatisfy { $0 == $1 })
        XCTAssertTrue(a.allSatisfy { $0.width == 32 && $0.height == 24 && $0.channels == 3 })
        let gray = try augment.views(of: image.channel(0), count: 2, seed: 1)
        XCTAssertTrue(gray.allSatisfy { $0.channels == 1 })
    }

    /// A view is its drawn parameters replayed: crop, flip, jitter, gray, blur in that order.
    func testViewIsTheComposedSteps() throws {
        var rng = SplitMix64(seed: 5)
        let image = rng.noiseImage(width: 40, height: 30, channels: 3)
        let augment = try SimCLRAugmentation(SimCLRParameters(width: 20, height: 20))
        var draws = SplitMix64(seed: 99)
        var found = false
        for _ in 0..<200 {
            let v = augment.draw(imageWidth: 40, imageHeight: 30, using: &draws)
            guard v.flipped, let j = v.jitter, v.grayscale, let s = v.blurSigma else { continue }
            var x = try RandomResizedCrop(width: 20, height: 20).apply(image, box: v.box).horizontallyFlipped()
            x = try j.apply(x).torchvisionGrayscale(outputChannels: 3).torchvisionGaussianBlurred(kernelSize: 3, sigma: s)
            XCTAssertEqual(try augment.apply(v, to: image), x)
            found = true
            break
        }
        XCTAssertTrue(found)
    }

    /// Draw frequencies follow the probabilities (10,000 draws, ±3 %), boxes stay inside the image
    /// and within the scale range unless they are the fallback.
    func testDrawFrequencies() throws {
        let augment = try SimCLRAugmentation(SimCLRParameters(width: 28, height: 28))
        var rng = SplitMix64(seed: 1)
        var flips = 0, jitters = 0, grays = 0, blurs = 0
        let n = 10_000
        for _ in 0..<n {
            let v = augment.draw(imageWidth: 28, imageHeight: 28, using: &rng)
            flips += v.flipped ? 1 : 0; jitters += v.jitter == nil ? 0 : 1
            grays += v.grayscale ? 1 : 0; blurs += v.blurSigma == nil ? 0 : 1
            XCTAssertTrue(v.box.x >= 0 && v.box.y >= 0 && v.box.x + v.box.width <= 28 && v.box.y + v.box.height <= 28)
            if let s = v.blurSigma { XCTAssertTrue((0.1...2).contains(s)) }
            if let j = v.jitter { XCTAssertEqual(Set(j.order).count, 4); XCTAssertTrue((0.2...1.8).contains(j.brightness!)) }
        }
        for (got, p) in [(flips, 0.5), (jitters, 0.8), (grays, 0.2), (blurs, 0.5)] {
            XCTAssertEqual(Double(got) / Double(n), p, accuracy: 0.03)
        }
    }

    /// Bad parameters are refused once, naming the parameter.
    func testRefusals() throws {
        func refused(_ name: String, _ edit: (inout SimCLRParameters) -> Void) {
            var p = SimCLRParameters(width: 32, height: 32)
            edit(&p)
            XCTAssertThrowsError(try SimCLRAugmentation(p)) { e in
                guard case let CVError.invalidParameter(n, _) = e else { return XCTFail("\(e)") }
                XCTAssertEqual(n, name)
            }
        }
        refused("flipProbability") { $0.flipProbability = 1.5 }
        refused("jitterProbability") { $0.jitterProbability = -0.1 }
        refused("grayscaleProbability") { $0.grayscaleProbability = .nan }
        refused("blurProbability") { $0.blurProbability = .infinity }
        refused("scale") { $0.scale = 0...1 }
        refused("scale") { $0.scale = 0.5...2 }
        refused("ratio") { $0.ratio = 0...1 }
        refused("ratio") { $0.ratio = 1...Double.infinity }
        refused("size") { $0.width = 0 }
        refused("size") { $0.width = 1_000_000_000 }
        refused("size") { $0.width = 100_000; $0.height = 100_000 }
        refused("hue") { $0.jitter.hue = 0.7 }
        refused("brightness") { $0.jitter.brightness = .nan }
        refused("blurSigma") { $0.blurSigma = 0...1 }
        refused("blurKernelFraction") { $0.blurKernelFraction = 2 }
        refused("blurKernelFraction") { $0.height = 100_000; $0.width = 100 }
        let augment = try! SimCLRAugmentation(SimCLRParameters(width: 8, height: 8))
        var rng = SplitMix64(seed: 0)
        let image = rng.noiseImage(width: 9, height: 9, channels: 3)
        XCTAssertThrowsError(try augment.views(of: image, count: 0, seed: 0))
        XCTAssertThrowsError(try augment.views(of: image, count: 1_000_000_000, seed: 0))
        XCTAssertThrowsError(try augment.views(of: rng.noiseImage(width: 9, height: 9, channels: 4), count: 1, seed: 0))
        XCTAssertThrowsError(try image.adjustingHue(.nan))
        XCTAssertThrowsError(try image.adjustingContrast(-1))
        XCTAssertThrowsError(try image.torchvisionGaussianBlurred(kernelSize: 4, sigma: 1))
        XCTAssertThrowsError(try image.torchvisionGaussianBlurred(kernelSize: 3, sigma: 0))
        XCTAssertThrowsError(try image.torchvisionGaussianBlurred(kernelSize: 1_000_001, sigma: 1))
    }

    /// The blur kernel against a Double evaluation of torchvision's formula, and the blur of a
    /// tiny image (kernel wider than the image: the mirror pattern repeats).
    func testBlurKernelAndTinyImage() throws {
        var rng = SplitMix64(seed: 8)
        let tiny = rng.noiseImage(width: 2, height: 3, channels: 1)
        let out = try tiny.torchvisionGaussianBlurred(kernelSize: 9, sigma: 2)
        XCTAssertEqual([out.width, out.height], [2, 3])
        let one = try Image<UInt8>(width: 1, height: 1, channels: 3, samples: [10, 20, 30]).torchvisionGaussianBlurred(kernelSize: 5, sigma: 1)
        XCTAssertEqual(one.samples, [10, 20, 30])
    }
}
