import CVCore
import CVFormats
import CVTestSupport
import Foundation
import XCTest

/// The cases of `Fixtures/filters/median_bilateral/manifest.json` (Tools/fixtures_median_bilateral.py)
/// and their inputs: seeded ones drawn again here, photographs read from their stored crops.
struct MedianBilateralCase {
    let entry: [String: Any]
    var input: String { entry["input"] as! String }
    var output: String { entry["output"] as! String }
    var border: BorderMode { BorderMode(name: entry["border"] as! String)! }
    func int(_ key: String) -> Int { entry[key] as! Int }
    func double(_ key: String) -> Double { (entry[key] as! NSNumber).doubleValue }

    static func all(_ op: String) throws -> [MedianBilateralCase] {
        let data = try Data(contentsOf: FixturePaths.url("filters/median_bilateral/manifest.json"))
        let list = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        return list.filter { $0["op"] as? String == op }.map(MedianBilateralCase.init)
    }

    /// The input as an NPY array (the same bytes the Python script filtered).
    func inputArray() throws -> NPYArray {
        if let file = entry["file"] as? String { return try .fixture("filters/median_bilateral/\(file)") }
        let (w, h, c) = (int("width"), int("height"), int("channels"))
        var rng = SplitMix64(seed: UInt64(int("seed")))
        let shape = c > 1 ? [h, w, c] : [h, w]
        switch entry["dtype"] as! String {
        case "uint8": return try NPYArray(shape: shape, dtype: .uint8, bytes: seededSamples(&rng, count: w * h * c) { UInt8(truncatingIfNeeded: $0 >> 40) })
        case "uint16": return try NPYArray(shape: shape, dtype: .uint16, bytes: seededSamples(&rng, count: w * h * c) { UInt16($0 >> 48) })
        default: return try NPYArray(shape: shape, dtype: .float32, bytes: seededSamples(&rng, count: w * h * c) { Float($0 >> 40) / Float(1 << 24) })
        }
    }

    func expected() throws -> NPYArray { try .fixture("filters/median_bilateral/\(output)") }
}

/// `count` samples drawn as the fixture script draws them: sample i from the i-th output.
func seededSamples<T>(_ rng: inout SplitMix64, count: Int, _ sample: (UInt64) -> T) -> [UInt8] {
    let values = (0..<count).map { _ in sample(rng.next()) }
    return values.withUnsafeBytes { Array($0) }
}

/// The number of samples that differ and the largest difference, as Doubles.
func differences(_ a: [Double], _ b: [Double]) -> (count: Int, max: Double) {
    precondition(a.count == b.count, "size mismatch \(a.count) vs \(b.count)")
    var count = 0, m = 0.0
    for i in a.indices where a[i] != b[i] { count += 1; m = max(m, abs(a[i] - b[i])) }
    return (count, m)
}
