import ClassicCV
import Foundation
import XCTest

/// `cvtool median` and `cvtool bilateral`: their outputs equal the library's, hostile values
/// end in one clear error naming the option, and inputs are never overwritten.
extension HostileValueTests {
    func testMedianRefusesBadSizes() throws {
        for v in ["0", "-3", "4", "257", "1000000000"] { try assertRefused("median", ["--size", v], status: 1, mentions: "--size") }
        for v in ["nan", "1e9", "three"] { try assertRefused("median", ["--size", v], status: 64, mentions: "--size") }
        try assertRefused("median", ["--preset", "matlab"], status: 64, mentions: "--preset")
        try assertRefused("median", ["--border", "sideways"], status: 64, mentions: "--border")
    }

    func testBilateralRefusesBadDiameterAndSigmas() throws {
        for v in ["-1", "4", "67", "1000000000"] {
            try assertRefused("bilateral", ["--diameter", v], status: 1, mentions: "--diameter")
        }
        for name in ["--sigma-color", "--sigma-space"] {
            for v in ["0", "-1", "nan", "inf", "1e9"] { try assertRefused("bilateral", [name, v], status: 1, mentions: name) }
        }
        // d = 0 derives the window from sigma-space: too wide for the exact method.
        try assertRefused("bilateral", ["--diameter", "0", "--sigma-space", "100"], status: 1, mentions: "--sigma-space")
        try assertRefused("bilateral", ["--diameter", "1e9"], status: 64, mentions: "--diameter")
    }
}

final class MedianBilateralCommandTests: XCTestCase {
    let chelsea = CLI.fixtures.appendingPathComponent("images/chelsea.png").path

    /// The command writes what the library computes, and `-o` naming the input is refused.
    func testOutputsMatchLibraryAndInputIsKept() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try ImageIO.read(path: chelsea).image.asUInt8
        let runs: [([String], Image<UInt8>)] = [
            (["median", "--size", "7"], try image.medianFiltered(MedianParameters(size: 7))),
            (["median", "--size", "3", "--preset", "scipy"], try image.medianFiltered(.scipy(size: 3))),
            (["bilateral", "--diameter", "5", "--sigma-color", "30", "--sigma-space", "5"],
             try image.bilateralFiltered(BilateralParameters(diameter: 5, sigmaColor: 30, sigmaSpace: 5))),
            (["bilateral", "--diameter", "15", "--fast"],
             try image.bilateralFiltered(BilateralParameters(diameter: 15, method: .fastApproximate))),
        ]
        for (i, (args, expected)) in runs.enumerated() {
            let out = dir.appendingPathComponent("out\(i).png").path
            let r = try CLI.run([args[0], chelsea] + args.dropFirst() + ["-o", out])
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertEqual(try ImageIO.read(path: out).image.asUInt8, expected, "\(args)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: chelsea))
        for command in ["median", "bilateral"] {
            let r = try CLI.run([command, chelsea, "-o", chelsea])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("refusing to overwrite"), r.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: chelsea)), before)
    }
}
