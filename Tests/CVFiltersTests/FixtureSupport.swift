import CVCore
import CVFormats
import CVTestSupport
import Foundation
import XCTest

extension NPYArray {
    /// The elements as Double (the filters tests compare in Double).
    var doubles: [Double] { toDoubles() }
}

enum Fixtures {
    static let directory = FixturePaths.url("filters")

    static func load(_ name: String) throws -> NPYArray { try .fixture("filters/\(name)") }

    static func cases(_ op: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let all = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        return all.filter { $0["op"] as? String == op }
    }

    static func border(_ name: String) -> BorderMode {
        switch name {
        case "nearest": return .replicate
        case "mirror": return .reflect101
        default: return BorderMode(name: name)!
        }
    }
}

func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "size mismatch \(a.count) vs \(b.count)")
    var m = 0.0
    for i in a.indices { m = max(m, abs(a[i] - b[i])) }
    return m
}

/// max |a − b| / max(|b|), the relative error measure used for Float results.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    let scale = max(b.map { abs($0) }.max() ?? 1, 1e-12)
    return maxAbsDiff(a, b) / scale
}

extension Image {
    var doubles: [Double] { samples.map { Double($0.floatValue) } }
}
