import ArgumentParser
import ClassicCV
import Foundation

/// `cvtool augment`: horizontal-flip and small-shift copies of an IDX image set, or SimCLR's
/// random views (`--simclr`) of an IDX image set or of image files and folders.
struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Add flipped and shifted copies of IDX images, or SimCLR's random views of images (--simclr).",
        usage: """
        cvtool augment <images> -o <path> [--labels <path>] [--labels-out <path>]
                       [--flip] [--shift <N>] [--first <N>]
        cvtool augment <inputs> ... --simclr [--views <N>] [--seed <S>]
                       [--size <WxH>] -o <dir-or-idx> [<SimCLR options>]
        """,
        discussion: """
        Reads an IDX image file (MNIST format, gzip or not) and writes a raw IDX image file \
        with, for every input image in order, the original followed by its copies: with \
        --flip the mirror image (left-right); with --shift N four copies moved by N pixels \
        right, left, down and up (the pixels uncovered at the border repeat the edge row or \
        column). So each image becomes 1 + (flip ? 1 : 0) + (shift ? 4 : 0) rows. --first N \
        keeps only the first N images (a quick development subset; alone it augments \
        nothing). With --labels (an IDX label file or a text file, one label per line) the \
        matching labels file is written too: --labels-out, by default OUT with `images-idx3` \
        replaced by `labels-idx1` (or OUT.labels when the name has no `images-idx3`). The \
        output feeds `cvtool hog` like the original (`cvtool hog OUT --labels OUT-labels ...`).

        Augment the training set only, never the test set. Flips suit mirror-symmetric \
        classes (clothes, faces), not digits or text.

        --simclr writes --views N random views of every image, SimCLR's augmentation \
        (Chen et al. 2020) with torchvision's formulas: a random resized crop (--scale, \
        --ratio) to --size, a horizontal flip (--flip-p), colour jitter of strength \
        --strength (brightness, contrast, saturation 0.8s, hue 0.2s, in random order; \
        --jitter-p), grayscale (--gray-p) and a Gaussian blur (--blur-p; kernel 10 % of \
        the height, sigma 0.1...2). Views are seeded (--seed): image i uses its own stream, \
        so the same command writes the same views. An IDX input gives an IDX file OUT \
        with the N views of image i at rows i*N ... i*N+N-1 (and the labels repeated with \
        --labels); image files and folders give OUT as a folder of PNGs, \
        `<name>.view<k>.png` for view k of <name>.<ext>, all written or none.

        Examples:
          cvtool augment train-images-idx3-ubyte.gz \\
              --labels train-labels-idx1-ubyte.gz --flip -o aug-images-idx3-ubyte
          cvtool augment train-images-idx3-ubyte.gz \\
              --labels train-labels-idx1-ubyte.gz --flip --shift 1 \\
              -o aug-images-idx3-ubyte --labels-out aug-labels-idx1-ubyte
          cvtool augment train-images-idx3-ubyte.gz \\
              --labels train-labels-idx1-ubyte.gz --first 10000 \\
              -o small-images-idx3-ubyte
          cvtool augment photos/ --simclr --views 8 --seed 1 --size 224x224 -o views/
          cvtool augment train-images-idx3-ubyte.gz --labels train-labels-idx1-ubyte.gz \\
              --simclr --views 2 --blur-p 0 -o views-images-idx3-ubyte
        """
    )

    @Argument(help: "IDX image file (with --simclr: IDX image files, image files or folders).")
    var inputs: [String]

    /// The one IDX input of the flip/shift mode (and of an IDX --simclr run).
    var images: String { inputs.first ?? "" }

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output IDX image file (raw, not compressed).", valueName: "path"))
    var output: String

    @Option(help: "Labels of the input images: an IDX label file or text, one per line.")
    var labels: String?

    @Option(name: .customLong("labels-out"), help: "Output labels file (IDX when the labels are 0...255 integers, else text).")
    var labelsOut: String?

    @Flag(help: "Add the left-right mirror image of every image.")
    var flip = false

    @Option(help: "Add four copies shifted by N pixels (right, left, down, up).")
    var shift: Int?

    @Option(help: "Use only the first N images (and labels); alone, this just takes a subset.")
    var first: Int?

    @OptionGroup var simclr: SimCLROptions

    func validate() throws {
        if simclr.simclr { return try validateSimCLR() }
        guard inputs.count == 1 else { throw ValidationError("without --simclr, give exactly one IDX image file") }
        guard flip || shift != nil || first != nil else { throw ValidationError("nothing to do: give --flip, --shift N and/or --first N") }
        if let first, first < 1 { throw ValidationError("--first must be at least 1") }
        if let shift, !(1...64).contains(shift) { throw ValidationError("--shift must be 1...64 pixels") }
        if labelsOut != nil && labels == nil { throw ValidationError("--labels-out needs --labels") }
        try CommandIO.refuseOverwriting(inputs: [images, labels], outputs: [output, labelsPath()])
    }

    /// Where the labels go (nil without --labels).
    func labelsPath() -> String? {
        guard labels != nil else { return nil }
        if let labelsOut { return labelsOut }
        let name = URL(fileURLWithPath: output).lastPathComponent
        if name.contains("images-idx3") {
            return URL(fileURLWithPath: output).deletingLastPathComponent()
                .appendingPathComponent(name.replacingOccurrences(of: "images-idx3", with: "labels-idx1")).path
        }
        return output + ".labels"
    }

    /// Offsets (dx, dy) of the copies after the original; dx = 0, dy = 0 with `mirror` is the flip.
    static func variants(flip: Bool, shift: Int?) -> [(mirror: Bool, dx: Int, dy: Int)] {
        var v: [(mirror: Bool, dx: Int, dy: Int)] = [(false, 0, 0)]
        if flip { v.append((true, 0, 0)) }
        if let s = shift { v += [(false, s, 0), (false, -s, 0), (false, 0, s), (false, 0, -s)] }
        return v
    }

    /// One augmented copy of a `w`×`h` gray image: mirrored and/or moved by (dx, dy), edge replicated.
    static func transform(_ src: UnsafeBufferPointer<UInt8>, w: Int, h: Int, mirror: Bool, dx: Int, dy: Int, into dst: UnsafeMutableBufferPointer<UInt8>) {
        for y in 0..<h {
            let sy = min(h - 1, max(0, y - dy))
            for x in 0..<w {
                var sx = min(w - 1, max(0, x - dx))
                if mirror { sx = w - 1 - sx }
                dst[y * w + x] = src[sy * w + sx]
            }
        }
    }

    /// The labels file: every label repeated `copies` times, as IDX when every label is an
    /// integer 0...255, else as text (one per line).
    static func labelsFile(_ labels: [String], copies: Int) -> [UInt8] {
        var rows: [String] = []
        rows.reserveCapacity(labels.count * copies)
        for l in labels { for _ in 0..<copies { rows.append(l) } }
        let bytes = rows.compactMap { UInt8($0) }
        if bytes.count == rows.count { return IDX.encode(dims: [rows.count], uint8s: bytes) }
        return Array(rows.map { $0 + "\n" }.joined().utf8)
    }

    func run() throws {
        if simclr.simclr { return try runSimCLR() }
        var f = try IDX.readImages(path: images)
        var inLabels: [String]? = nil
        if let labels {
            let l = try LearnIO.readLabels(labels)
            guard l.count == f.count else { throw ValidationError("\(labels) has \(l.count) labels for \(f.count) images") }
            inLabels = l
        }
        if let first, first < f.count {
            f = (first, f.height, f.width, Array(f.pixels.prefix(first * f.height * f.width)))
            inLabels = inLabels.map { Array($0.prefix(first)) }
        }
        let vs = Self.variants(flip: flip, shift: shift)
        let n = f.width * f.height, v = vs.count
        var out = [UInt8](repeating: 0, count: f.count * v * n)
        f.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                Parallel.forEach(count: f.count, chunk: 256) { i in
                    let img = UnsafeBufferPointer(start: s + i * n, count: n)
                    for (j, t) in vs.enumerated() {
                        Self.transform(img, w: f.width, h: f.height, mirror: t.mirror, dx: t.dx, dy: t.dy,
                                       into: UnsafeMutableBufferPointer(start: d + (i * v + j) * n, count: n))
                    }
                }
            }
        }
        // The images and their labels appear together or not at all.
        var files = [(path: output, bytes: IDX.encode(dims: [f.count * v, f.height, f.width], uint8s: out))]
        if let inLabels, let path = labelsPath() { files.insert((path, Self.labelsFile(inLabels, copies: v)), at: 0) }
        try CommandIO.writeTogether(files)
        for file in files.reversed() { CommandIO.announce(file.path) }
        CommandIO.writeStandardError("augment: \(f.count) images -> \(f.count * v) (\(v) per image)\n")
    }
}
