import ClassicCV
import Foundation

/// What every fuzz target shares: the small decode limits and the seed writers for the formats
/// that have no committed fixture to start from.
public enum Fuzz {
    /// Limits small enough that a mutated header cannot ask for more memory than libFuzzer's
    /// RSS limit allows; a header beyond them must be rejected with `limitExceeded`, not crash.
    public static let limits = DecodeLimits(maxWidth: 1 << 12, maxHeight: 1 << 12, maxPixels: 1 << 22)

    /// Decode options with `limits`, every other option at its default.
    public static let options = DecodeOptions(limits: limits)

    /// Runs `body` on the input as an array; thrown errors are the expected way to reject bytes.
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, _ body: ([UInt8]) throws -> Void) -> Int32 {
        let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        try? body(bytes)
        return 0
    }

    /// Writes seeds into `$FUZZ_WRITE_SEEDS` when it is set (Tools/fuzz.sh does this before a
    /// run), then exits; otherwise returns at once.
    public static func writeSeedsIfAsked(_ make: () throws -> [String: [UInt8]]) {
        guard let dir = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"] else { return }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (name, bytes) in try make() {
                try Data(bytes).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
            }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("seed writing failed: \(error)\n".utf8))
            exit(1)
        }
    }

    /// A small labelled table (three separable blobs of two features) for the learning seeds.
    public static func blobs(rows: Int = 12) -> (Matrix<Double>, [String]) {
        let x = Matrix<Double>(rows: rows, columns: 2) { r, c in Double(r % 3) * 4 + Double((r * 7 + c * 3) % 5) / 5 }
        return (x, (0..<rows).map { "c\($0 % 3)" })
    }
}
