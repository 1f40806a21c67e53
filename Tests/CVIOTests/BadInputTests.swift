import CVCore
@testable import CVIO
import Foundation
import XCTest

/// The broken-file corpus: every file fails with the documented error kind, never a crash.
final class BadInputTests: XCTestCase {
    func testEveryBadFileFailsWithItsDocumentedError() throws {
        let manifest = try String(contentsOfFile: Fixture.path("bad/manifest.tsv"), encoding: .utf8)
        var checked = 0
        for line in manifest.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 2 else { continue }
            let (file, kind) = (cols[0], cols[1])
            let mustContain = cols.count > 2 ? cols[2] : ""
            let path = Fixture.path("bad/\(file)")
            let bytes = try FileIO.readAll(path)
            let decode: () throws -> Void
            if file.hasPrefix("idx") {
                decode = { _ = try IDX.decode(bytes, source: path) }
            } else if file.hasSuffix(".npy") {
                decode = { _ = try NPY.decode(bytes, source: path) }
            } else {
                decode = { _ = try ImageIO.decode(bytes, source: path) }
            }
            XCTAssertThrowsError(try decode(), file) { error in
                guard let e = error as? CVError else { return XCTFail("\(file): not a CVError: \(error)") }
                let text = e.description
                XCTAssertTrue(text.hasPrefix(path), "\(file): message does not name the file: \(text)")
                switch (kind, e) {
                case ("decoding", .decoding), ("limitExceeded", .limitExceeded), ("unsupported", .unsupported): break
                default: XCTFail("\(file): expected \(kind), got \(text)")
                }
                if !mustContain.isEmpty {
                    XCTAssertTrue(text.lowercased().contains(mustContain), "\(file): '\(text)' lacks '\(mustContain)'")
                }
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 30)
    }

    /// Limits are checked from the header: a valid image over a small limit is refused.
    func testLimitsAreConfigurable() throws {
        let path = Fixture.path("images/chelsea.png")
        let small = DecodeOptions(limits: DecodeLimits(maxWidth: 100, maxHeight: 100, maxPixels: 10_000))
        for p in [path, Fixture.path("images/chelsea.jpg")] {
            XCTAssertThrowsError(try ImageIO.read(path: p, options: small)) { error in
                guard case .limitExceeded = error as? CVError else { return XCTFail("\(error)") }
            }
        }
        let pixelsOnly = DecodeOptions(limits: DecodeLimits(maxPixels: 451 * 300 - 1))
        XCTAssertThrowsError(try ImageIO.read(path: path, options: pixelsOnly))
        XCTAssertNoThrow(try ImageIO.read(path: path, options: DecodeOptions(limits: DecodeLimits(maxPixels: 451 * 300))))
    }

    func testMissingFileAndDirectoryAreIOErrors() {
        XCTAssertThrowsError(try ImageIO.read(path: "/nonexistent/x.png")) { error in
            guard case .io(let path, _) = error as? CVError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/x.png")
        }
        XCTAssertThrowsError(try ImageIO.read(path: Fixture.path("images"))) { error in
            guard case .io = error as? CVError else { return XCTFail("\(error)") }
        }
    }

    /// Decoding from many threads at once gives the same pixels (no shared decoder state).
    func testConcurrentDecodingIsConsistent() throws {
        let png = try FileIO.readAll(Fixture.path("images/coffee.png"))
        let jpg = try FileIO.readAll(Fixture.path("images/coffee.jpg"))
        let refPNG = try ImageIO.decode(png).image, refJPG = try ImageIO.decode(jpg).image
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let ok = (try? ImageIO.decode(i % 2 == 0 ? png : jpg).image) == (i % 2 == 0 ? refPNG : refJPG)
            if !ok { failures.mutate { $0 += 1 } }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
