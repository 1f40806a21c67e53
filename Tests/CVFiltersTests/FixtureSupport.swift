import CVCore
import Foundation
import XCTest

/// Minimal NPY reader for the committed fixtures (little-endian u1/b1/u2/i2/f4/f8, C order).
struct NPY {
    var shape: [Int]
    var descr: String
    var data: Data

    init(path: String) throws {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](d)
        let major = bytes[6]
        let headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        }
        let header = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
        func field(_ key: String) -> String {
            let r = header.range(of: "'\(key)': ")!
            return String(header[r.upperBound...])
        }
        let descrPart = field("descr").dropFirst()
        descr = String(descrPart.prefix { $0 != "'" })
        let shapePart = field("shape").dropFirst().prefix { $0 != ")" }
        shape = shapePart.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        data = d.subdata(in: (start + headerLength)..<d.count)
    }

    var count: Int { shape.reduce(1, *) }

    func values<T>(_: T.Type) -> [T] {
        data.withUnsafeBytes { raw in Array(raw.bindMemory(to: T.self).prefix(count)) }
    }

    var doubles: [Double] {
        switch descr {
        case "|u1", "|b1": return values(UInt8.self).map { Double($0) }
        case "<u2": return values(UInt16.self).map { Double($0) }
        case "<i2": return values(Int16.self).map { Double($0) }
        case "<f4": return values(Float.self).map { Double($0) }
        case "<f8": return values(Double.self)
        default: fatalError("unsupported dtype \(descr)")
        }
    }

    var width: Int { shape[1] }
    var height: Int { shape[0] }
    var channels: Int { shape.count > 2 ? shape[2] : 1 }

    func uint8() -> Image<UInt8> { try! Image(width: width, height: height, channels: channels, samples: values(UInt8.self)) }
    func uint16() -> Image<UInt16> { try! Image(width: width, height: height, channels: channels, samples: values(UInt16.self)) }
    func float() -> Image<Float> {
        try! Image(width: width, height: height, channels: channels, samples: doubles.map { Float($0) })
    }
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent("filters")

    static func load(_ name: String) throws -> NPY { try NPY(path: directory.appendingPathComponent(name).path) }

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

/// Deterministic pseudo-random generator for tests (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
