import Foundation
import XCTest
@testable import CVTransform
import CVCore

/// Fixtures/ at the repository root.
let fftFixturesRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")
let fftFixtures = fftFixturesRoot.appendingPathComponent("fft")

/// A minimal .npy reader for the committed fixtures (little-endian, C order): dtypes
/// |u1, <f4, <f8, <c8, <c16. Complex values come back interleaved (re, im, re, im, …).
struct FFTTestNPY {
    let shape: [Int]
    let descr: String
    let values: [Double]
    var isComplex: Bool { descr.hasSuffix("c8") || descr.hasSuffix("c16") }

    init(_ relativePath: String) throws {
        let url = fftFixtures.appendingPathComponent(relativePath)
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, String(bytes: bytes[1..<6], encoding: .ascii) == "NUMPY" else {
            throw CVError.decoding(source: url.path, reason: "not npy")
        }
        let major = bytes[6]
        let headerLen: Int, start: Int
        if major == 1 { headerLen = Int(bytes[8]) | Int(bytes[9]) << 8; start = 10 }
        else { headerLen = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24; start = 12 }
        let header = String(bytes: bytes[start..<(start + headerLen)], encoding: .ascii)!
        func field(_ name: String) -> String {
            let r = header.range(of: "'\(name)': ")!
            return String(header[r.upperBound...])
        }
        let d = field("descr").dropFirst().prefix { $0 != "'" }
        descr = String(d)
        precondition(field("fortran_order").hasPrefix("False"))
        let s = field("shape").dropFirst().prefix { $0 != ")" }
        shape = s.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = Array(bytes[(start + headerLen)...])
        var vals: [Double] = []
        let dt = descr
        body.withUnsafeBytes { raw in
            switch dt {
            case "|u1": vals = raw.map { Double($0) }
            case "<f4", "<c8": vals = raw.bindMemory(to: Float.self).map { Double($0) }
            case "<f8", "<c16": vals = Array(raw.bindMemory(to: Double.self))
            default: fatalError("unsupported dtype \(dt)")
            }
        }
        values = vals
    }

    func complexArray<R: FFTScalar>(_: R.Type = R.self) -> FFTArray<FFTComplex<R>> {
        precondition(isComplex)
        let els = stride(from: 0, to: values.count, by: 2).map { FFTComplex(R(values[$0]), R(values[$0 + 1])) }
        return try! FFTArray(shape: shape, elements: els)
    }

    func realArray<R: FFTScalar>(_: R.Type = R.self) -> FFTArray<R> {
        precondition(!isComplex)
        return try! FFTArray(shape: shape, elements: values.map { R($0) })
    }
}

/// max |a − b| / max |b| over complex arrays (b is the reference).
func fftRelativeError<R>(_ a: FFTArray<FFTComplex<R>>, _ b: [Double]) -> Double {
    var maxDiff = 0.0, maxRef = 0.0
    for (i, z) in a.elements.enumerated() {
        let re = b[2 * i], im = b[2 * i + 1]
        maxDiff = max(maxDiff, hypot(Double(z.real) - re, Double(z.imaginary) - im))
        maxRef = max(maxRef, hypot(re, im))
    }
    return maxDiff / max(maxRef, .leastNormalMagnitude)
}

/// max |a − b| / max |b| over real arrays.
func fftRelativeError<R: FFTScalar>(_ a: FFTArray<R>, _ b: [Double]) -> Double {
    var maxDiff = 0.0, maxRef = 0.0
    for (i, v) in a.elements.enumerated() {
        maxDiff = max(maxDiff, abs(Double(v) - b[i]))
        maxRef = max(maxRef, abs(b[i]))
    }
    return maxDiff / max(maxRef, .leastNormalMagnitude)
}

/// Deterministic pseudo-random numbers for tests (SplitMix64).
struct FFTTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
