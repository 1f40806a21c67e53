import Foundation
import CVTestSupport
import XCTest
@testable import CVLearn

/// Paths and loaders for Fixtures/learn (written by Tools/fixtures_learn.py).
enum Fixtures {
    static let root = FixturePaths.url("learn")

    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    // JSONDecoder parses numbers with correct rounding (JSONSerialization on Linux does not).
    nonisolated(unsafe) static var cachedReference: [String: JSONValue]?
    static var reference: [String: JSONValue] {
        if let r = cachedReference { return r }
        let data = try! Data(contentsOf: root.appendingPathComponent("reference.json"))
        guard case let .object(r) = try! JSONDecoder().decode(JSONValue.self, from: data) else { fatalError("reference.json") }
        cachedReference = r
        return r
    }

    static func group(_ name: String) -> [String: JSONValue] {
        guard case let .object(g)? = reference[name] else { fatalError("no group \(name) in reference.json") }
        return g
    }

    nonisolated(unsafe) static var cachedDigits: FeatureTable?
    static var digits: FeatureTable {
        if let d = cachedDigits { return d }
        let d = try! FeatureTable.read(path: path("digits.csv"))
        cachedDigits = d
        return d
    }

    static let digitsTrainCount = 1257

    static func digitsSplit() -> (xtr: Matrix<Double>, ytr: [String], xte: Matrix<Double>, yte: [String]) {
        let t = digits
        let x = t.features.asDouble
        let n = x.rows
        return (x.selectingRows(0..<digitsTrainCount), Array(t.labels![0..<digitsTrainCount]),
                x.selectingRows(digitsTrainCount..<n), Array(t.labels![digitsTrainCount..<n]))
    }
}

indirect enum JSONValue: Decodable {
    case number(Double), string(String), array([JSONValue]), object([String: JSONValue]), bool(Bool), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}

/// All numbers of a (nested) JSON array, flattened in order; "nan"/"inf" strings become Doubles.
func doubles(_ v: JSONValue?) -> [Double] {
    switch v {
    case let .number(d)?: return [d]
    case let .string(s)?: return [Double(s) ?? .nan]
    case let .array(a)?: return a.flatMap { doubles($0) }
    default: return []
    }
}

func ints(_ v: JSONValue?) -> [Int] { doubles(v).map { Int($0) } }

func strings(_ v: JSONValue?) -> [String] {
    guard case let .array(a)? = v else { return [] }
    return a.map { if case let .string(s) = $0 { return s }; return "" }
}

/// Asserts |a − b| ≤ atol + rtol·|b| elementwise; reports the worst offender and returns the max abs diff.
@discardableResult
func assertClose(_ a: [Double], _ b: [Double], rtol: Double = 0, atol: Double = 0, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) -> Double {
    XCTAssertEqual(a.count, b.count, "\(what): count", file: file, line: line)
    var worst = 0.0, worstIndex = -1, maxAbs = 0.0
    for i in 0..<min(a.count, b.count) {
        let d = abs(a[i] - b[i])
        maxAbs = max(maxAbs, d)
        let excess = d - (atol + rtol * abs(b[i]))
        if excess > worst || (a[i].isNaN != b[i].isNaN) { worst = max(excess, 1e-300); worstIndex = i }
    }
    if worstIndex >= 0 {
        XCTFail("\(what): element \(worstIndex) is \(a[worstIndex]), expected \(b[worstIndex]) (rtol \(rtol), atol \(atol))", file: file, line: line)
    }
    return maxAbs
}
