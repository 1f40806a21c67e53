import Foundation
import XCTest

/// `--help` of `cvtool` and of every subcommand reads cleanly in an 80-column terminal.
final class HelpLayoutTests: XCTestCase {
    /// The subcommands registered in CVTool.swift, read from `cvtool --help`.
    func subcommands() throws -> [String] {
        let help = try CLI.run(["--help"], environment: ["COLUMNS": "80"])
        XCTAssertEqual(help.status, 0, help.stderr)
        return help.stdout.components(separatedBy: "SUBCOMMANDS:").last!
            .split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0 != "See" }
    }

    /// Lines wider than 80 columns, and option entries that show two default values.
    func problems(in help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        var found = lines.filter { $0.count > 80 }.map { "longer than 80 columns: \($0)" }
        let defaultWord = try! NSRegularExpression(pattern: "\\bdefault\\b")
        for entry in optionEntries(lines)
        where defaultWord.numberOfMatches(in: entry, range: NSRange(entry.startIndex..., in: entry)) > 1 {
            found.append("two defaults: \(entry)")
        }
        return found
    }

    /// Each option's help, with its continuation lines joined: an entry starts with two spaces
    /// and a dash or `<`, continuation lines are indented further.
    func optionEntries(_ lines: [String]) -> [String] {
        var entries: [String] = []
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if indent == 2, trimmed.first == "-" || trimmed.first == "<" {
                entries.append(String(trimmed))
            } else if indent > 2, !entries.isEmpty, !trimmed.isEmpty {
                entries[entries.count - 1] += " " + trimmed
            } else {
                entries.append("")
            }
        }
        return entries.filter { !$0.isEmpty }
    }

    func testTopLevelHelpFitsEightyColumns() throws {
        let help = try CLI.run(["--help"], environment: ["COLUMNS": "80"])
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(problems(in: help.stdout), [])
    }

    func testEverySubcommandHelpFitsEightyColumns() throws {
        let names = try subcommands()
        XCTAssertGreaterThan(names.count, 15, "\(names)")
        for name in names {
            let help = try CLI.run(["help", name], environment: ["COLUMNS": "80"])
            XCTAssertEqual(help.status, 0, name)
            XCTAssertEqual(problems(in: help.stdout), [], "cvtool help \(name)")
        }
    }

    func testOutputOptionIsSpelledTheSameEverywhere() throws {
        for name in try subcommands() {
            let help = try CLI.run(["help", name], environment: ["COLUMNS": "80"]).stdout
            for line in help.split(separator: "\n") where line.hasPrefix("  -o") || line.hasPrefix("  --output") {
                XCTAssertTrue(line.hasPrefix("  -o, --output <path>"), "cvtool help \(name): \(line)")
            }
        }
        for name in ["blur", "box", "guided", "sobel", "resize", "fft", "fft-filter"] {
            let help = try CLI.run(["help", name], environment: ["COLUMNS": "80"]).stdout
            XCTAssertTrue(help.contains("  -o, --output <path>"), "\(name): \(help)")
        }
    }
}
