import CVFormats
import XCTest

final class SplitMix64Tests: XCTestCase {
    /// The sequence is Vigna's `splitmix64.c` bit for bit: fixtures and seeded tests rely on it.
    func testSequenceMatchesTheReferenceImplementation() {
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual((0..<3).map { _ in rng.next() }, [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        XCTAssertEqual((0..<100).map { _ in a.next() }, (0..<100).map { _ in b.next() })
        XCTAssertEqual(a.state, 42 &+ 100 &* 0x9E37_79B9_7F4A_7C15)
    }
}
