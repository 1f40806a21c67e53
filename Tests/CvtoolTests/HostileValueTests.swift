import Foundation
import XCTest

/// Hostile option values (0, negative, NaN, infinite, huge) end quickly in one clear error
/// naming the option: exit 1 for a value the library refuses, 64 for one that does not parse
/// or that the command line itself bounds.
final class HostileValueTests: XCTestCase {
    let small = CLI.fixtures.appendingPathComponent("formats/png/gray8.png").path

    /// Runs `cvtool <command> <small image> <args> -o <temp>` and checks the refusal: `status`,
    /// `mention` on the first stderr line, a single line for status 1, and no output written.
    func assertRefused(_ command: String, _ args: [String], status: Int32, mentions mention: String,
                       extraInput: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.png").path
        let inputs = extraInput ? [small, small] : [small]
        let outputArgs = command == "phase-correlate" ? [] : ["-o", out]
        let start = Date()
        let r = try CLI.run([command] + inputs + args + outputArgs)
        let label = "cvtool \(command) \(args.joined(separator: " "))"
        XCTAssertEqual(r.status, status, "\(label): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertTrue(lines.first?.contains(mention) ?? false, "\(label) should name \(mention): \(r.stderr)", file: file, line: line)
        if status == 1 { XCTAssertEqual(lines.count, 1, "\(label): \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(label) wrote an output", file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, label, file: file, line: line)
    }

    func testBlurRefusesBadSigmaAndKernelSize() throws {
        for v in ["-1", "nan", "inf"] { try assertRefused("blur", ["--sigma", v], status: 1, mentions: "--sigma") }
        try assertRefused("blur", ["--sigma", "0"], status: 1, mentions: "sigma")
        try assertRefused("blur", ["--sigma-y", "-1"], status: 1, mentions: "--sigma-y")
        try assertRefused("blur", ["--sigma-y", "nan"], status: 1, mentions: "--sigma-y")
        for v in ["-3", "4", "1000000000"] { try assertRefused("blur", ["--ksize", v], status: 1, mentions: "--ksize") }
        try assertRefused("blur", ["--ksize", "1e9"], status: 64, mentions: "--ksize")
        try assertRefused("blur", ["--ksize", "5", "--preset", "scikit-image"], status: 64, mentions: "--ksize")
        try assertRefused("blur", ["--border", "sideways"], status: 64, mentions: "--border")
        try assertRefused("blur", ["--method", "slow"], status: 64, mentions: "--method")
    }

    func testBoxAndGuidedRefuseBadRadiiAndEpsilon() throws {
        try assertRefused("box", ["--radius", "-1"], status: 1, mentions: "--radius")
        for v in ["nan", "1e9"] { try assertRefused("box", ["--radius", v], status: 64, mentions: "--radius") }
        for v in ["0", "-1"] { try assertRefused("guided", ["--radius", v], status: 1, mentions: "--radius") }
        try assertRefused("guided", ["--radius", "1e8"], status: 64, mentions: "--radius")
        for v in ["0", "-1", "nan", "inf"] { try assertRefused("guided", ["--eps", v], status: 1, mentions: "--eps") }
        for v in ["0", "-1"] { try assertRefused("guided", ["--subsample", v], status: 1, mentions: "--subsample") }
        try assertRefused("guided", ["--subsample", "1e9"], status: 64, mentions: "--subsample")
    }

    func testSobelRefusesBadOrdersAndScale() throws {
        for v in ["-1", "1000000000"] { try assertRefused("sobel", ["--dx", v], status: 1, mentions: "--dx") }
        try assertRefused("sobel", ["--dx", "0", "--dy", "0"], status: 1, mentions: "--dx")
        for v in ["nan", "inf"] { try assertRefused("sobel", ["--scale", v], status: 1, mentions: "--scale") }
        try assertRefused("sobel", ["--ksize", "-3"], status: 64, mentions: "--ksize")
    }

    func testResizeRefusesBadTargets() throws {
        for v in ["0", "-1", "nan", "inf", "1e9", "1e-9"] {
            try assertRefused("resize", ["--scale", v], status: 1, mentions: "--scale")
        }
        for v in ["0x5", "-5x5"] { try assertRefused("resize", ["--size", v], status: 1, mentions: "width") }
        try assertRefused("resize", ["--fit", "5x0"], status: 1, mentions: "height")
        for v in ["x5", "1e9x1", "5"] { try assertRefused("resize", ["--size", v], status: 64, mentions: "--size") }
        try assertRefused("resize", ["--scale", "2", "--size", "4x4"], status: 64, mentions: "exactly one")
        try assertRefused("resize", ["--scale", "2", "--compat", "opencv", "--filter", "lanczos3"], status: 1, mentions: "--filter")
        try assertRefused("resize", ["--scale", "2", "--compat", "none"], status: 64, mentions: "--compat")
    }

    func testFFTFilterAndPhaseCorrelationRefuseBadValues() throws {
        for v in ["0", "-1", "nan", "inf"] { try assertRefused("fft-filter", ["--lowpass", v], status: 1, mentions: "--lowpass") }
        try assertRefused("fft-filter", ["--bandpass", "0.2,0.1"], status: 1, mentions: "--bandpass")
        try assertRefused("fft-filter", ["--bandpass", "x"], status: 64, mentions: "--bandpass")
        for v in ["0", "-1", "nan"] {
            try assertRefused("fft-filter", ["--lowpass", "0.1", "--kind", "butterworth", "--order", v], status: 1, mentions: "--order")
        }
        try assertRefused("fft-filter", ["--lowpass", "0.1", "--padding", "-1"], status: 1, mentions: "--padding")
        try assertRefused("fft-filter", [], status: 64, mentions: "exactly one")
        for v in ["0", "-1", "1000000000"] {
            try assertRefused("phase-correlate", ["--upsample", v], status: 1, mentions: "--upsample", extraInput: true)
        }
        try assertRefused("phase-correlate", ["--upsample", "1e9"], status: 64, mentions: "--upsample", extraInput: true)
    }

    func testConvertAndBenchBoundTheirOwnOptions() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpg = dir.appendingPathComponent("x.jpg").path
        for (args, option) in [(["--quality", "101"], "--quality"), (["--quality", "-1"], "--quality"),
                               (["--compression", "10"], "--compression"), (["--depth", "12"], "--depth"),
                               (["--subsampling", "411"], "--subsampling")] {
            let r = try CLI.run(["convert", small, jpg] + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), r.stderr)
        }
        for (args, option) in [(["--repeat", "0"], "--repeat"), (["--repeat", "1000000000"], "--repeat"),
                               (["--min-time", "-1"], "--min-time"), (["--min-time", "nan"], "--min-time"),
                               (["--min-time", "1e300"], "--min-time"), (["--threads", "0"], "--threads"),
                               (["--threads", "9223372036854775807"], "--threads")] {
            let r = try CLI.run(["bench", "gray", small] + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), r.stderr)
        }
    }

    /// Values that used to overflow, abort on allocation or run for minutes.
    func testExtremeValuesEndQuickly() throws {
        let huge = "9223372036854775807"
        try assertRefused("sobel", ["--dx", huge, "--dy", "1"], status: 1, mentions: "--dx")
        try assertRefused("sobel", ["--dx", "1", "--dy", huge], status: 1, mentions: "--dx")
        try assertRefused("sobel", ["--dx", huge, "--dy", "1", "--ksize", "-1"], status: 1, mentions: "--dx")
        for v in ["38", "8000", "100000", "262145", huge] {
            try assertRefused("fft-filter", ["--lowpass", "0.1", "--padding", v], status: 1, mentions: "--padding")
        }
        for v in ["1001", "10000", huge] {
            try assertRefused("phase-correlate", ["--upsample", v], status: 1, mentions: "--upsample", extraInput: true)
        }
        for v in ["1e300", huge] { try assertRefused("blur", ["--sigma", v], status: 1, mentions: "--sigma") }
        try assertRefused("box", ["--radius", huge], status: 1, mentions: "--radius")
        try assertRefused("guided", ["--radius", huge], status: 1, mentions: "--radius")
        try assertRefused("resize", ["--scale", "1e300"], status: 1, mentions: "--scale")
    }

    /// A directory, a FIFO (which would block a read for ever) and a link to a device (which
    /// never ends) given as the input image are refused at once with one line naming them.
    func testInputsThatAreNotRegularFilesAreRefused() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo.png").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let zero = dir.appendingPathComponent("zero.png").path
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        for input in [dir.path, fifo, zero] {
            for command in ["info", "blur", "convert"] {
                let args = command == "convert" ? [command, input, dir.appendingPathComponent("o.png").path] : [command, input]
                let start = Date()
                let r = try CLI.run(args, timeout: 30)
                XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertTrue(r.stderr.contains(input), r.stderr)
                XCTAssertLessThan(Date().timeIntervalSince(start), 20)
            }
        }
    }

    /// `--threads` (every command that has it) and `pca fit --repeat` have stated ranges; a
    /// huge value used to trap converting to OpenBLAS's `Int32` or to run for ever.
    func testThreadAndRepeatCountsAreBounded() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blobs = CLI.fixtures.appendingPathComponent("learn/blobs.csv").path
        let model = dir.appendingPathComponent("m.json").path, pca = dir.appendingPathComponent("p.json").path
        XCTAssertEqual(try CLI.run(["train", blobs, "-o", model]).status, 0)
        XCTAssertEqual(try CLI.run(["pca", "fit", blobs, "-o", pca]).status, 0)
        let out = dir.appendingPathComponent("o").path
        let commands: [[String]] = [["train", blobs, "-o", out + ".json"], ["predict", model, blobs], ["evaluate", model, blobs],
                                    ["join", blobs, blobs], ["pca", "fit", blobs, "-o", out + ".json"],
                                    ["pca", "compress", small, "--components", "2", "-o", out + ".png"],
                                    ["hog", small, "--cell", "4x4", "--block", "1x1"]]
        for command in commands {
            for v in ["0", "257", "9223372036854775807"] {
                let r = try CLI.run(command + ["--threads", v])
                XCTAssertEqual(r.status, 64, "\(command) --threads \(v): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains("--threads"), r.stderr)
            }
        }
        for v in ["-1", "1001", "9223372036854775807"] {
            let r = try CLI.run(["pca", "fit", blobs, "-o", out + ".json", "--repeat", v])
            XCTAssertEqual(r.status, 64, "--repeat \(v): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--repeat"), r.stderr)
        }
        // Captions that fall outside a small picture are clipped, not a crash.
        for extra in [[], ["--count", "9223372036854775807"], ["--columns", "9223372036854775807"]] {
            let r = try CLI.run(["pca", "eigenimages", pca, "--shape", "2x4", "-o", out + ".png"] + extra)
            XCTAssertEqual(r.status, 0, "\(extra): \(r.stderr)")
        }
    }

    func testNegativeValuesReachTheLibrary() throws {
        // ArgumentParser would read `-1` as an option without `.unconditional`.
        let r = try CLI.run(["blur", small, "--sigma", "-1", "-o", "-"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertFalse(r.stderr.contains("Missing value"), r.stderr)
        XCTAssertTrue(r.stderr.contains("invalid parameter '--sigma'"), r.stderr)
    }
}
