import ClassicCV
import Foundation
import XCTest

/// Runs every Swift example of README.md on the bundled fixtures, writing into a temporary
/// directory, and checks that each ```swift block of the README appears in this target's
/// sources, so the README cannot drift from code that compiles.
final class ReadmeExamplesTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("readme-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func fixture(_ relative: String) -> String {
        Self.root.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    private func output(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    func testImageIOExample() throws {
        let crop = try grayAndCrop(photo: fixture("images/coffee.jpg"), grayPNG: output("gray.png"),
                                   cropJPEG: output("crop.jpg"))
        XCTAssertEqual([crop.width, crop.height, crop.channels], [64, 64, 1])
        let gray = try ImageIO.read(path: output("gray.png")).image
        XCTAssertEqual(gray.channels, 1)
        XCTAssertEqual(try ImageIO.read(path: output("crop.jpg")).format, .jpeg)
    }

    func testFiltersExample() throws {
        let result = try edges(photo: fixture("images/coffee.jpg"), output: output("edges.png"))
        XCTAssertTrue(result.opencv.samples.contains(255))
        XCTAssertTrue(result.skimage.samples.contains(255))
        XCTAssertEqual(result.dx.width, result.opencv.width)
        XCTAssertEqual(try ImageIO.read(path: output("edges.png")).image.asUInt8, result.opencv)
    }

    func testTransformExample() throws {
        let result = try resizeAndSpectrum(photo: fixture("images/coffee.jpg"), spectrumPNG: output("spectrum.png"))
        XCTAssertLessThanOrEqual(max(result.thumbnail.width, result.thumbnail.height), 160)
        XCTAssertEqual(result.spectrum.shape, [80, 51])
        XCTAssertEqual(try ImageIO.read(path: output("spectrum.png")).image.channels, 1)
    }

    func testFeaturesExample() throws {
        let result = try hogDescriptors(photo: fixture("images/coffee.jpg"))
        XCTAssertEqual(result.people.values.count, 3780)
        XCTAssertEqual(result.skimage.values.count, result.skimage.grid.descriptorLength)
    }

    func testLearnExample() throws {
        let report = try classify(table: fixture("learn/digits.csv"))
        XCTAssertEqual(report.classes.count, 10)
        XCTAssertGreaterThan(report.accuracy, 0.8)
    }

    func testAugmentExample() throws {
        let views = try simclrViews(photo: fixture("images/chelsea.png"), count: 4)
        XCTAssertEqual(views.count, 4)
        XCTAssertTrue(views.allSatisfy { $0.width == 96 && $0.height == 96 && $0.channels == 3 })
    }

    func testFormatsExample() throws {
        let array = try exportArrays(photo: fixture("images/coffee.jpg"), npy: output("gray.npy"),
                                     table: output("pets.csv"), libsvm: output("pets.libsvm"))
        XCTAssertEqual(array.dtype, .uint8)
        XCTAssertEqual(array.shape.count, 2)
        let table = try FeatureTable.read(path: output("pets.csv"))
        XCTAssertEqual(table.labels, ["cat", "dog"])
        XCTAssertEqual(try FeatureTable.read(path: output("pets.libsvm")).count, 2)
    }

    func testEdgesArticleExample() throws {
        let edges = try edgeMap(photo: fixture("images/coffee.jpg"), output: output("coffee.edges.png"))
        XCTAssertTrue(edges.samples.allSatisfy { $0 == 0 || $0 == 255 })
        XCTAssertEqual(try ImageIO.read(path: output("coffee.edges.png")).image.asUInt8, edges)
    }

    func testResizeArticleExample() throws {
        let images = try resizeThreeWays(photo: fixture("images/coffee.jpg"))
        XCTAssertEqual([images[0].width, images[0].height], [128, 128])
        XCTAssertEqual([images[2].width, images[2].height], [200, 150])
    }

    func testHOGClassifierArticleExample() throws {
        let accuracy = try faceAccuracy(images: fixture("datasets/lfw-subset-images-idx3-ubyte.gz"),
                                        labels: fixture("datasets/lfw-subset-labels-idx1-ubyte.gz"))
        XCTAssertGreaterThan(accuracy, 0.9)
    }

    /// Every ```swift block of README.md, line for line (leading and trailing blanks of each
    /// line ignored), is part of one of this target's source files.
    func testEveryReadmeSwiftBlockIsCompiledHere() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = Self.swiftBlocks(in: readme)
        XCTAssertGreaterThanOrEqual(blocks.count, 6, "the README's module tour has one example per module")
        let sources = try Self.targetSources().map(Self.normalized)
        for block in blocks {
            let wanted = Self.normalized(block)
            XCTAssertTrue(sources.contains { $0.contains(wanted) },
                          "README block not found verbatim in Tests/ReadmeExamplesTests:\n\(block)")
        }
    }

    /// The same for the articles of the DocC catalog.
    func testEveryArticleSwiftBlockIsCompiledHere() throws {
        let catalog = Self.root.appendingPathComponent("Sources/ClassicCV/ClassicCV.docc")
        let articles = try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }
        let sources = try Self.targetSources().map(Self.normalized)
        var count = 0
        for article in articles {
            let text = try String(contentsOf: catalog.appendingPathComponent(article), encoding: .utf8)
            for block in Self.swiftBlocks(in: text) {
                count += 1
                XCTAssertTrue(sources.contains { $0.contains(Self.normalized(block)) },
                              "\(article): block not found verbatim in Tests/ReadmeExamplesTests:\n\(block)")
            }
        }
        XCTAssertGreaterThanOrEqual(count, 3, "one example per pipeline article")
    }

    /// The dependency lines the README shows name the package and product Package.swift declares.
    func testReadmeDependencyLinesMatchTheManifest() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        XCTAssertTrue(manifest.contains(#"name: "ClassicCV","#))
        XCTAssertTrue(manifest.contains(#".library(name: "ClassicCV", targets: ["ClassicCV"])"#))
        XCTAssertTrue(readme.contains(#".product(name: "ClassicCV", package: "ClassicCV")"#))
    }

    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = [], current: [String]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil {
                current!.append(String(line))
            }
        }
        return blocks
    }

    static func targetSources() throws -> [String] {
        let folder = root.appendingPathComponent("Tests/ReadmeExamplesTests")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    static func normalized(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}
