import ArgumentParser
import ClassicCV
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time an operation in-process on a decoded image (file I/O excluded).",
        usage: "cvtool bench <op> <image> [--repeat <N>] [<options>] [<op options>]",
        discussion: """
        Prints the median and minimum time over --repeat runs (after one warm-up run) and \
        megapixels per second. With --min-time, short operations are repeated more often, \
        until the timed runs add up to about that many seconds (at most 10 000 runs). \
        Options after IMAGE that bench does not know are passed to the op, with the same \
        spelling as the matching subcommand.

        Ops: \(BenchRegistry.ops.map(\.name).joined(separator: ", "))

        Examples:
          cvtool bench decode-jpeg photo.jpg --repeat 50
          cvtool bench gray photo.png --threads 1 --json
        """
    )

    @Argument(help: ArgumentHelp("The operation to time.", valueName: "op"))
    var op: String

    @Argument(help: ArgumentHelp("The input image.", valueName: "image"))
    var image: String

    @Option(name: .customLong("repeat"), parsing: .unconditional,
            help: ArgumentHelp("Timed repetitions, 1-\(Self.maximumRuns).", valueName: "N"))
    var repetitions: Int = 20

    @Option(name: .customLong("min-time"), parsing: .unconditional,
            help: ArgumentHelp("Repeat short operations until the timed runs take about S seconds (0-\(Int(Self.maximumSeconds))).",
                               valueName: "S"))
    var minimumSeconds: Double = 0

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Threads for parallel kernels, 1-\(Self.maximumThreads) (default: all cores).", valueName: "T"))
    var threads: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var opArguments: [String] = []

    /// Bounds that keep a mistyped value from running for hours: the timed runs never exceed
    /// `maximumRuns`, `--min-time` a minute, the worker threads `maximumThreads`.
    static let maximumRuns = 10_000
    static let maximumSeconds = 60.0
    static let maximumThreads = ThreadCount.maximum

    func validate() throws {
        guard BenchRegistry.op(named: op) != nil else {
            throw ValidationError("unknown bench op '\(op)'; known: \(BenchRegistry.ops.map(\.name).joined(separator: ", "))")
        }
        guard (1...Self.maximumRuns).contains(repetitions) else {
            throw ValidationError("--repeat must be 1...\(Self.maximumRuns), got \(repetitions)")
        }
        guard minimumSeconds >= 0, minimumSeconds <= Self.maximumSeconds else {
            throw ValidationError("--min-time must be 0...\(Int(Self.maximumSeconds)) seconds, got \(minimumSeconds)")
        }
        try ThreadCount.validate(threads)
    }

    /// 1. decode the image and build the op; 2. time it; 3. print the figures.
    func run() throws {
        if let threads { Parallel.threadCount = threads }
        let bytes = try CommandIO.readInput(image)
        let decoded = try ImageIO.decode(bytes, source: image).image
        let context = BenchContext(path: image, bytes: bytes, decoded: decoded, arguments: opArguments)
        let benchCase = try BenchRegistry.op(named: op)!.make(context)
        let times = try measure(benchCase)
        report(times: times, pixels: benchCase.pixels, image: decoded)
    }

    /// The sorted times in milliseconds of at least `--repeat` runs after one warm-up run, more
    /// (up to `maximumRuns`) until they add up to about `--min-time`.
    private func measure(_ benchCase: BenchCase) throws -> [Double] {
        try benchCase.body()  // warm-up: plans, caches, page faults
        var times: [Double] = []
        func timeOnce() throws {
            let start = DispatchTime.now().uptimeNanoseconds
            try benchCase.body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        try timeOnce()
        // Sub-millisecond operations need many runs before their median settles.
        let wanted = (minimumSeconds * 1e3 / max(times[0], 1e-4)).rounded(.up)
        let runs = max(repetitions, Int(min(Double(Self.maximumRuns), wanted)))
        for _ in 1..<runs { try timeOnce() }
        return times.sorted()
    }

    /// Prints the median, the minimum and megapixels per second, as text or one JSON object.
    private func report(times: [Double], pixels: Int, image decoded: AnyImage) {
        let n = times.count
        let median = n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2
        let mpps = Double(pixels) / 1e6 / (median / 1e3)
        if json {
            let fields: [String] = [
                "\"op\": \(LearnIO.json(op))", "\"image\": \(LearnIO.json(image))",
                "\"width\": \(decoded.width)", "\"height\": \(decoded.height)", "\"channels\": \(decoded.channels)",
                "\"threads\": \(Parallel.threadCount)", "\"repeat\": \(n)",
                "\"median_ms\": \(median)", "\"min_ms\": \(times[0])", "\"mpix_per_s\": \(mpps)",
            ]
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("\(op) on \(decoded.width)x\(decoded.height)x\(decoded.channels), \(Parallel.threadCount) thread(s): "
                  + "median \(String(format: "%.3f", median)) ms, min \(String(format: "%.3f", times[0])) ms, "
                  + "\(String(format: "%.1f", mpps)) MP/s")
        }
    }
}
