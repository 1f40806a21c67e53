import ArgumentParser
import ClassicCV
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time an operation in-process on a decoded image (file I/O excluded).",
        discussion: """
        Prints the median and minimum time over --repeat runs (after one warm-up run) and \
        megapixels per second. With --min-time, short operations are repeated more often, \
        until the timed runs add up to about that many seconds (at most 10 000 runs). Options after IMAGE that bench does not know are passed to the \
        op, with the same spelling as the matching subcommand.

        Ops: \(BenchRegistry.ops.map(\.name).joined(separator: ", "))

        Examples:
          cvtool bench decode-jpeg photo.jpg --repeat 50
          cvtool bench gray photo.png --threads 1 --json
        """
    )

    @Argument(help: "The operation to time.")
    var op: String

    @Argument(help: "The input image.")
    var image: String

    @Option(name: .customLong("repeat"), help: "Timed repetitions.")
    var repetitions: Int = 20

    @Option(name: .customLong("min-time"),
            help: "Repeat short operations until the timed runs take about this many seconds.")
    var minimumSeconds: Double = 0

    @Option(help: "Threads for parallel kernels (default: all cores).")
    var threads: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var opArguments: [String] = []

    func validate() throws {
        guard BenchRegistry.op(named: op) != nil else {
            throw ValidationError("unknown bench op '\(op)'; known: \(BenchRegistry.ops.map(\.name).joined(separator: ", "))")
        }
        guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard minimumSeconds >= 0, minimumSeconds.isFinite else {
            throw ValidationError("--min-time must be a non-negative number of seconds")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let benchOp = BenchRegistry.op(named: op)!
        if let threads { Parallel.threadCount = threads }
        let bytes = try CommandIO.readInput(image)
        let decoded = try ImageIO.decode(bytes, source: image).image
        let benchCase = try benchOp.make(BenchContext(path: image, bytes: bytes, decoded: decoded, arguments: opArguments))

        try benchCase.body()  // warm-up: plans, caches, page faults
        var times: [Double] = []
        func timeOnce() throws {
            let start = DispatchTime.now().uptimeNanoseconds
            try benchCase.body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        try timeOnce()
        // Sub-millisecond operations need many runs before their median settles.
        let runs = max(repetitions, min(10_000, Int((minimumSeconds * 1e3 / max(times[0], 1e-4)).rounded(.up))))
        for _ in 1..<runs { try timeOnce() }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let mpps = Double(benchCase.pixels) / 1e6 / (median / 1e3)
        if json {
            let fields: [String] = [
                "\"op\": \"\(op)\"", "\"image\": \"\(image.replacingOccurrences(of: "\"", with: "\\\""))\"",
                "\"width\": \(decoded.width)", "\"height\": \(decoded.height)", "\"channels\": \(decoded.channels)",
                "\"threads\": \(Parallel.threadCount)", "\"repeat\": \(times.count)",
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
