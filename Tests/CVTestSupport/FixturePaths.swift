import Foundation

/// Where the committed fixtures are: `Fixtures/` at the repository root, found from this
/// source file so tests run from any working directory.
package enum FixturePaths {
    /// `Fixtures/`.
    package static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// `Fixtures/<relative>` as a URL.
    package static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// `Fixtures/<relative>` as a path.
    package static func path(_ relative: String) -> String { url(relative).path }

    /// Names of the files in `Fixtures/<dir>` whose extension is in `ext` (lower case), sorted.
    package static func files(in dir: String, ext: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(dir))
            .filter { ext.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
    }
}
