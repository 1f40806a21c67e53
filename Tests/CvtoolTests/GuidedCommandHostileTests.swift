import Foundation
import XCTest

/// `enhance`, `dehaze`, `feather` and `bilateral --fast` with the hostile values
/// `KernelCommandTests` and `MedianBilateralCommandTests` leave out: one line naming the option
/// or file (exit 1 for bad data), nothing written.
extension HostileValueTests {
    func testEnhanceDehazeFeatherRefuseHostileValues() throws {
        for v in ["1e9", "inf"] { try assertRefused("enhance", ["--amount", v], status: 1, mentions: "--amount") }
        try assertRefused("enhance", ["--radius", "1000000000"], status: 1, mentions: "--radius")
        for v in ["nan", "-1"] { try assertRefused("enhance", ["--eps", v], status: 1, mentions: "--eps") }
        for v in ["0", "-3"] { try assertRefused("dehaze", ["--patch", v], status: 1, mentions: "--patch") }
        for v in ["0", "1000000000"] { try assertRefused("dehaze", ["--radius", v], status: 1, mentions: "--radius") }
        for v in ["0", "nan"] { try assertRefused("dehaze", ["--eps", v], status: 1, mentions: "--eps") }
        let mask = CLI.fixtures.appendingPathComponent("formats/png/gray8.png").path
        for v in ["0", "1000000000"] {
            try assertRefused("feather", ["--mask", mask, "--radius", v], status: 1, mentions: "--radius")
        }
        for v in ["0", "nan"] { try assertRefused("feather", ["--mask", mask, "--eps", v], status: 1, mentions: "--eps") }
    }

    /// A directory as --transmission or --mask, and a mask that is not an image, are named.
    func testDehazeAndFeatherRefuseDirectoriesAndNonImages() throws {
        let folder = CLI.fixtures.appendingPathComponent("filters").path
        let text = CLI.fixtures.appendingPathComponent("filters/VERSIONS.txt").path
        try assertRefused("dehaze", ["--transmission", folder], status: 1, mentions: "is a directory")
        try assertRefused("feather", ["--mask", folder], status: 1, mentions: "is a directory")
        try assertRefused("feather", ["--mask", text], status: 1, mentions: "VERSIONS.txt")
    }

    func testFastBilateralRefusesHostileValues() throws {
        for v in ["-3", "1000000000"] { try assertRefused("bilateral", ["--fast", "--diameter", v], status: 1, mentions: "--diameter") }
        for v in ["0", "nan"] { try assertRefused("bilateral", ["--fast", "--sigma-color", v], status: 1, mentions: "--sigma-color") }
        try assertRefused("bilateral", ["--fast", "--sigma-space", "1e9"], status: 1, mentions: "--sigma-space")
        try assertRefused("bilateral", ["--fast", "--diameter", "0", "--sigma-space", "0"], status: 1, mentions: "--sigma-space")
    }
}

final class GuidedCommandHostileTests: XCTestCase {
    /// The fast bilateral filter accepts a tiny σ_color (its range levels are capped) and
    /// writes its output. (A mask of another size: `KernelCommandTests.testFeatherChecksTheMask`.)
    func testFastBilateralTinySigmaColor() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rgb = CLI.fixtures.appendingPathComponent("formats/png/rgb8.png").path
        let out = dir.appendingPathComponent("o.png").path
        let fast = try CLI.run(["bilateral", rgb, "--fast", "--diameter", "61", "--sigma-color", "1e-30", "-o", out])
        XCTAssertEqual(fast.status, 0, fast.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }
}
