import ArgumentParser
import ClassicCV
import Foundation

/// The options of `cvtool augment --simclr`.
struct SimCLROptions: ParsableArguments {
    @Flag(help: "SimCLR's random views (crop, flip, colour jitter, grayscale, blur) instead of flips/shifts.")
    var simclr = false

    @Option(help: "With --simclr: views per image, 1...10000.")
    var views: Int = 2

    @Option(help: "With --simclr: seed of the random draws.")
    var seed: UInt64 = 0

    @Option(help: "With --simclr: view size WxH (default: the IDX image size, 224x224 for image files).")
    var size: String?

    @Option(help: "With --simclr: crop area range MIN,MAX within (0, 1].")
    var scale: String = "0.08,1"

    @Option(help: "With --simclr: crop aspect ratio range MIN,MAX.")
    var ratio: String = "0.75,1.3333333333333333"

    @Option(help: "With --simclr: colour jitter strength s, 0...2.5.")
    var strength: Double = 1

    @Option(name: .customLong("flip-p"), help: "With --simclr: flip probability.")
    var flipProbability: Double = 0.5

    @Option(name: .customLong("jitter-p"), help: "With --simclr: colour jitter probability.")
    var jitterProbability: Double = 0.8

    @Option(name: .customLong("gray-p"), help: "With --simclr: grayscale probability.")
    var grayProbability: Double = 0.2

    @Option(name: .customLong("blur-p"), help: "With --simclr: Gaussian blur probability.")
    var blurProbability: Double = 0.5

    @Option(help: "Worker threads, 1...256 (default: all cores).")
    var threads: Int?

    /// `MIN,MAX` as a range; an inverted or unparsable pair is a usage error naming the option.
    static func range(_ text: String, _ option: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1] else {
            throw ValidationError("\(option) must look like MIN,MAX, got '\(text)'")
        }
        guard !a.isNaN, !b.isNaN else { throw ValidationError("\(option) must not be NaN, got '\(text)'") }
        guard a <= b else { throw ValidationError("\(option): the minimum \(a) is above the maximum \(b)") }
        return a...b
    }

    /// `WxH` with positive integers.
    static func viewSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else {
            throw ValidationError("--size must look like WxH with positive integers, got '\(text)'")
        }
        return (w, h)
    }

    /// The library's parameters for views of `width`×`height` (validated by the library).
    func parameters(width: Int, height: Int) throws -> SimCLRParameters {
        var p = SimCLRParameters(width: width, height: height)
        p.scale = try Self.range(scale, "--scale")
        p.ratio = try Self.range(ratio, "--ratio")
        p.jitter = ColorJitter(strength: strength)
        p.flipProbability = flipProbability
        p.jitterProbability = jitterProbability
        p.grayscaleProbability = grayProbability
        p.blurProbability = blurProbability
        return p
    }
}

extension AugmentCommand {
    /// The library names of the parameters, as the user wrote them.
    static let simclrOptionNames = [
        "flipProbability": "--flip-p", "jitterProbability": "--jitter-p", "grayscaleProbability": "--gray-p",
        "blurProbability": "--blur-p", "scale": "--scale", "ratio": "--ratio", "size": "--size", "count": "--views",
        "brightness": "--strength", "contrast": "--strength", "saturation": "--strength", "hue": "--strength",
    ]

    /// Most bytes an IDX output of views may hold (2 GiB).
    static let maxViewBytes = 1 << 31

    func validateSimCLR() throws {
        guard !flip, shift == nil, first == nil else { throw ValidationError("--simclr does not combine with --flip, --shift or --first") }
        try ThreadCount.validate(simclr.threads)
        if let size = simclr.size { _ = try SimCLROptions.viewSize(size) }
        _ = try SimCLROptions.range(simclr.scale, "--scale")
        _ = try SimCLROptions.range(simclr.ratio, "--ratio")
        if labelsOut != nil && labels == nil { throw ValidationError("--labels-out needs --labels") }
    }

    func runSimCLR() throws {
        if let threads = simclr.threads { Parallel.threadCount = threads }
        if inputs.count == 1, IDX.isIDX(path: images) { return try simclrIDX() }
        guard labels == nil else { throw ValidationError("--labels goes with an IDX input; image files keep their names") }
        try simclrFiles()
    }

    /// The validated augmentation, with the library's parameter names replaced by the options'.
    func augmentation(width: Int, height: Int) throws -> SimCLRAugmentation {
        let p = try simclr.parameters(width: width, height: height)
        return try CommandIO.namingOptions(Self.simclrOptionNames) { try SimCLRAugmentation(p) }
    }

    /// Checks --views against the library's bound (so `--views 0` is refused before any work).
    func checkViewCount() throws {
        guard simclr.views >= 1, simclr.views <= SimCLRAugmentation.maxViews else {
            throw CVError.invalidParameter(name: "--views", reason: "must be 1...\(SimCLRAugmentation.maxViews), got \(simclr.views)")
        }
    }

    /// IDX in, IDX out: the views of image i at rows i·N ..< (i+1)·N.
    private func simclrIDX() throws {
        try checkViewCount()
        let f = try IDX.readImages(path: images)
        let size: (width: Int, height: Int) = try simclr.size.map(SimCLROptions.viewSize) ?? (f.width, f.height)
        let augment = try augmentation(width: size.width, height: size.height)
        let n = simclr.views, viewPixels = size.width * size.height
        guard f.count.multipliedReportingOverflow(by: n * viewPixels).overflow == false, f.count * n * viewPixels <= Self.maxViewBytes else {
            throw CVError.invalidParameter(name: "--views", reason: "\(f.count) images x \(n) views of \(size.width)x\(size.height) would exceed \(Self.maxViewBytes) bytes")
        }
        var inLabels: [String]? = nil
        if let labels {
            let l = try LearnIO.readLabels(labels)
            guard l.count == f.count else { throw ValidationError("\(labels) has \(l.count) labels for \(f.count) images") }
            inLabels = l
        }
        let out = try Self.views(of: f, augment: augment, views: n, seed: simclr.seed)
        var files = [(path: output, bytes: IDX.encode(dims: [f.count * n, size.height, size.width], uint8s: out))]
        if let inLabels, let path = labelsPath() { files.insert((path, Self.labelsFile(inLabels, copies: n)), at: 0) }
        try CommandIO.refuseOverwriting(inputs: [images, labels], outputs: files.map { $0.path })
        try CommandIO.writeTogether(files)
        for file in files.reversed() { CommandIO.announce(file.path) }
        CommandIO.writeStandardError("augment: \(f.count) images -> \(f.count * n) SimCLR views (\(n) per image, seed \(simclr.seed))\n")
    }

    /// Every image's views, in parallel over images, each image with its own seed.
    static func views(of f: (count: Int, height: Int, width: Int, pixels: [UInt8]), augment: SimCLRAugmentation,
                      views n: Int, seed: UInt64) throws -> [UInt8] {
        let inPixels = f.width * f.height, viewPixels = augment.parameters.width * augment.parameters.height
        var out = [UInt8](repeating: 0, count: f.count * n * viewPixels)
        try out.withUnsafeMutableBufferPointer { dst in
            let d = dst.baseAddress!
            try Parallel.forEachStripe(rows: f.count, minRowsPerStripe: 64) { rows in
                for i in rows {
                let image = try Image(width: f.width, height: f.height, channels: 1,
                                      samples: Array(f.pixels[i * inPixels..<(i + 1) * inPixels]))
                let views = try augment.views(of: image, count: n, seed: SimCLRAugmentation.seed(seed, image: i))
                for (k, v) in views.enumerated() {
                    v.withUnsafePixels { p, _ in (d + (i * n + k) * viewPixels).update(from: p, count: viewPixels) }
                }
                }
            }
        }
        return out
    }

    /// Image files and folders in, a folder of PNGs out.
    private func simclrFiles() throws {
        try checkViewCount()
        let found = try ImageInputs.collect(inputs, labelsFromDirs: false, strict: true)
        guard !found.items.isEmpty else { throw ValidationError("no images found in \(inputs.joined(separator: ", "))") }
        let size: (width: Int, height: Int) = try simclr.size.map(SimCLROptions.viewSize) ?? (224, 224)
        let augment = try augmentation(width: size.width, height: size.height)
        let names = try Self.outputNames(found, views: simclr.views, directory: output)
        try CommandIO.refuseOverwriting(inputs: found.filePaths + [images], outputs: names.flatMap { $0 })
        var files: [(path: String, bytes: [UInt8])] = []
        for row in found.items.indices {
            let views = try augment.views(of: try found.load(row, resizedTo: nil), count: simclr.views,
                                          seed: SimCLRAugmentation.seed(simclr.seed, image: row))
            for (k, v) in views.enumerated() { files.append((names[row][k], try CommandIO.encodeImage(.uint8(v), for: names[row][k]))) }
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try CommandIO.writeTogether(files)
        CommandIO.writeStandardError("augment: \(found.items.count) images -> \(files.count) SimCLR views in \(output) (seed \(simclr.seed))\n")
    }

    /// `DIR/<name>.view<k>.png` for every row; two inputs with the same name are refused.
    static func outputNames(_ found: ImageInputs, views n: Int, directory: String) throws -> [[String]] {
        var seen: [String: String] = [:]
        return try found.items.indices.map { row in
            let name = found.name(row)
            let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
            if let other = seen[stem] { throw ValidationError("\(other) and \(name) would both write \(stem).view*.png") }
            seen[stem] = name
            return (0..<n).map { URL(fileURLWithPath: directory).appendingPathComponent("\(stem).view\($0).png").path }
        }
    }
}
