import ClassicCV
import Foundation

/// Bench ops of CVDetect. Options after IMAGE are `cvtool detect`'s (see DetectOptions).
enum DetectBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "detect", summary: "HOG people detection over the scale pyramid, as cv2.HOGDescriptor.detectMultiScale (IMAGE as decoded; --model, --scale, --stride, --padding, ...)") { ctx in
            let detector = try DetectOptions.parse(ctx.arguments).detector()
            let image = ctx.decoded.asUInt8
            let input = image.channels == 2 ? image.channel(0) : (image.channels == 4 ? image.droppingAlpha() : image)
            return BenchCase(pixels: input.pixelCount) { _ = try detector.detect(in: input) }
        },
    ]
}
