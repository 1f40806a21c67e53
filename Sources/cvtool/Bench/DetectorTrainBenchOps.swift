import ArgumentParser
import ClassicCV
import Foundation

/// Bench ops of detector training: `HOGDetectorTrainer` end to end (descriptors, random
/// negatives, SVM fits, mining scans) and the box-regression fit, on small sets made in
/// process from IMAGE, so they run anywhere without the generated scenes.
enum DetectorTrainBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "detector-train", summary: "HOG detector training, 32x64 window: --positives N synthetic objects (two dark bars) on crops of IMAGE, --negatives N 160x120 tiles of IMAGE, --rounds R mining rounds (defaults 200, 20, 2; C 0.05, mining threshold -1)") { ctx in
            let options = try Options.parse(ctx.arguments)
            let gray = ctx.decoded.asUInt8.grayscaleIfColor()
            guard gray.width >= 160, gray.height >= 120 else {
                throw CVError.invalidParameter(name: "IMAGE", reason: "detector-train needs an image of at least 160x120, got \(gray.width)x\(gray.height)")
            }
            let negatives = try tiles(of: gray, count: options.negatives)
            let positives = try objects(on: gray, count: options.positives)
            var p = HOGDetectorTrainingParameters(window: .init(width: 32, height: 64), C: 0.05, rounds: options.rounds,
                                                  negativesPerImage: 20, seed: 1)
            p.miningThreshold = -1
            let trainer = try HOGDetectorTrainer(parameters: p)
            return BenchCase(pixels: negatives.count * 160 * 120) { _ = try trainer.train(positives: positives, negatives: negatives) }
        },
        BenchOp(name: "detector-regress", summary: "Box regression fit (HOG features, ridge alpha 100, pairs at IoU >= 0.4, hit -1, padding 8, scale 1.05): --scenes N 160x120 tiles of IMAGE with one synthetic object each (default 40); the model, trained first on 200 objects and 20 tiles without mining, is not timed") { ctx in
            let options = try RegressOptions.parse(ctx.arguments)
            let gray = ctx.decoded.asUInt8.grayscaleIfColor()
            guard gray.width >= 160, gray.height >= 120 else {
                throw CVError.invalidParameter(name: "IMAGE", reason: "detector-regress needs an image of at least 160x120, got \(gray.width)x\(gray.height)")
            }
            let p = HOGDetectorTrainingParameters(window: .init(width: 32, height: 64), C: 0.05, rounds: 0, negativesPerImage: 20, seed: 1)
            let model = try HOGDetectorTrainer(parameters: p).train(positives: try objects(on: gray, count: 200),
                                                                    negatives: try tiles(of: gray, count: 20))
            let detector = try HOGDetector(model: model, parameters: HOGDetectorParameters(hitThreshold: -1, padding: HOGSize(8, 8), scale: 1.05,
                                                                                       groupThreshold: 0, grouping: .none))
            let (scenes, truth) = try objectScenes(on: gray, count: options.scenes)
            let fit = HOGBoxRegressionParameters(features: .hog, alpha: 100, minimumIoU: 0.4)
            return BenchCase(pixels: scenes.count * 160 * 120) {
                _ = try fitBoxRegression(detector: detector, images: scenes, groundTruth: truth, parameters: fit)
            }
        },
    ]

    struct RegressOptions: ParsableArguments {
        @Option var scenes: Int = 40

        func validate() throws {
            guard (1...10_000).contains(scenes) else { throw ValidationError("--scenes must be 1...10000, got \(scenes)") }
        }
    }

    /// `count` tiles (as ``tiles(of:count:)``), each with object window k (``objects(on:count:)``)
    /// pasted at a position that varies with k; the ground truth is the drawn legs' own box.
    static func objectScenes(on image: Image<UInt8>, count: Int) throws -> ([Image<UInt8>], [[Detection]]) {
        let windows = try objects(on: image, count: count)
        var scenes = try tiles(of: image, count: count)
        var truth: [[Detection]] = []
        for k in 0..<count {
            let x = 16 + (k * 29) % 96, y = 8 + (k * 17) % 40
            let leg = 5 + k % 3, gap = 3 + k % 4, left = (32 - 2 * leg - gap) / 2
            windows[k].withUnsafePixels { src, ss in
                scenes[k].withUnsafeMutablePixels { dst, ds in
                    for r in 0..<64 { for c in 0..<32 { dst[(y + r) * ds + x + c] = src[r * ss + c] } }
                }
            }
            truth.append([Detection(x: Double(x + left), y: Double(y + 4), width: Double(2 * leg + gap), height: 56, score: 0)])
        }
        return (scenes, truth)
    }

    struct Options: ParsableArguments {
        @Option var positives: Int = 200
        @Option var negatives: Int = 20
        @Option var rounds: Int = 2

        func validate() throws {
            guard (1...100_000).contains(positives) else { throw ValidationError("--positives must be 1...100000, got \(positives)") }
            guard (1...10_000).contains(negatives) else { throw ValidationError("--negatives must be 1...10000, got \(negatives)") }
        }
    }

    /// `count` 160×120 tiles, left to right and top to bottom, wrapping around the image.
    static func tiles(of image: Image<UInt8>, count: Int) throws -> [Image<UInt8>] {
        let across = image.width / 160, down = image.height / 120
        return try (0..<count).map { k in
            let t = k % (across * down)
            return try image.cropped(x: (t % across) * 160, y: (t / across) * 120, width: 160, height: 120)
        }
    }

    /// `count` 32×64 windows of the image with an object drawn in: two dark legs joined at
    /// the top, at a position and leg width that vary with the index.
    static func objects(on image: Image<UInt8>, count: Int) throws -> [Image<UInt8>] {
        try (0..<count).map { k in
            let x = (k * 37) % (image.width - 32), y = (k * 53) % (image.height - 64)
            var window = try image.cropped(x: x, y: y, width: 32, height: 64)
            let leg = 5 + k % 3, gap = 3 + k % 4, left = (32 - 2 * leg - gap) / 2
            window.withUnsafeMutablePixels { p, s in
                for row in 4..<60 {
                    for col in left..<(left + 2 * leg + gap) where row < 16 || col < left + leg || col >= left + leg + gap {
                        p[row * s + col] = 20
                    }
                }
            }
            return window
        }
    }
}
