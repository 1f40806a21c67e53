import Foundation
import XCTest
@testable import CVTransform
import CVCore
import CVFormats
import CVTestSupport

let fftFixtures = FixturePaths.url("fft")

/// A fixture array under Fixtures/fft as Doubles (complex values interleaved re, im, …).
struct FFTTestNPY {
    let shape: [Int]
    let descr: String
    let values: [Double]
    var isComplex: Bool { descr.hasSuffix("c8") || descr.hasSuffix("c16") }

    init(_ relativePath: String) throws {
        let array = try NPYArray.fixture("fft/\(relativePath)")
        shape = array.shape
        descr = array.dtype.descr
        values = array.toDoubles()
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
