import Foundation
import CVFormats
import XCTest
import CFFTW
import CVCore
@testable import CVTransform

final class FFTPlanTests: XCTestCase {
    func testSameKeySharesOnePlan() throws {
        let key = FFTPlanKey(shape: [12, 10], kind: .realToComplex, precision: .float)
        let p1 = try FFTPlanner.shared.plan(key)
        let p2 = try FFTPlanner.shared.plan(key)
        XCTAssertTrue(p1 === p2)
        XCTAssertNotNil(FFTPlanner.shared.cachedPlan(key))
        let other = try FFTPlanner.shared.plan(FFTPlanKey(shape: [12, 10], kind: .realToComplex, precision: .double))
        XCTAssertFalse(p1 === other)
        XCTAssertEqual(key.halfSpectrumCount, 12 * 6)
    }

    func testUnalignedBuffersGetAnUnalignedPlanAndCorrectResult() throws {
        let n = 30
        var rng = SplitMix64(seed: 7)
        let x = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        // Shift the data by one Double so that it is 8 mod 16: fftw_alignment_of != 0.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (n + 1) * 8, alignment: 64)
        defer { raw.deallocate() }
        let input = raw.assumingMemoryBound(to: Double.self) + 1
        input.update(from: x, count: n)
        XCTAssertNotEqual(fftw_alignment_of(input), 0)
        var out = [FFTComplex<Double>](repeating: .zero, count: n / 2 + 1)
        try out.withUnsafeMutableBytes { o in
            let plan = try FFTPlanner.shared.plan(shape: [n], kind: .realToComplex, precision: .double,
                                                  input: input, output: o.baseAddress!)
            XCTAssertTrue(plan.key.unaligned)
            plan.execute(input: UnsafeMutableRawPointer(input), output: o.baseAddress!)
            let aligned = FFTPlanKey(shape: [n], kind: .realToComplex, precision: .double)
            XCTAssertFalse(try FFTPlanner.shared.plan(aligned).accepts(input: input, output: o.baseAddress!))
        }
        let ref = try FFT.rfft(FFTArray(x))
        for i in out.indices { XCTAssertEqual(out[i].real, ref[i].real, accuracy: 1e-12); XCTAssertEqual(out[i].imaginary, ref[i].imaginary, accuracy: 1e-12) }
    }

    func testInPlaceComplexPlan() throws {
        let n = 24
        var rng = SplitMix64(seed: 8)
        var buf = (0..<n).map { _ in FFTComplex(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng)) }
        let ref = try FFT.fft(FFTArray(buf))
        try buf.withUnsafeMutableBytes { p in
            let plan = try FFTPlanner.shared.plan(shape: [n], kind: .complexForward, precision: .double,
                                                  input: p.baseAddress!, output: p.baseAddress!)
            XCTAssertTrue(plan.key.inPlace)
            plan.execute(input: p.baseAddress!, output: p.baseAddress!)
        }
        for i in 0..<n { XCTAssertEqual(buf[i].real, ref[i].real, accuracy: 1e-12) }
    }

    func testConcurrentExecutionAndPlanningAgree() throws {
        var rng = SplitMix64(seed: 9)
        let shapes = [[33, 20], [16, 16], [7, 45], [64]]
        let inputs = shapes.map { s in try! FFTArray(shape: s, elements: (0..<s.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &rng) }) }
        let serial = try inputs.map { try FFT.realForward($0) }
        FFTPlanner.shared.removeAllPlans()
        let results = UnsafeMutableBufferPointer<FFTArray<FFTComplex<Float>>?>.allocate(capacity: 64)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            results[i] = try? FFT.realForward(inputs[i % inputs.count], effort: i % 3 == 0 ? .measure : .estimate)
        }
        for i in 0..<64 {
            let r = try XCTUnwrap(results[i])
            let s = serial[i % inputs.count]
            XCTAssertEqual(r.shape, s.shape)
            for k in r.elements.indices {
                XCTAssertEqual(r.elements[k].real, s.elements[k].real, accuracy: 1e-4)
                XCTAssertEqual(r.elements[k].imaginary, s.elements[k].imaginary, accuracy: 1e-4)
            }
        }
    }

    func testWisdomRoundTrip() throws {
        _ = try FFTPlanner.shared.plan(FFTPlanKey(shape: [36, 20], kind: .realToComplex, precision: .float, effort: .measure))
        _ = try FFTPlanner.shared.plan(FFTPlanKey(shape: [36], kind: .complexForward, precision: .double, effort: .measure))
        let f = FFTWisdom.exportString(precision: .float)
        let d = FFTWisdom.exportString(precision: .double)
        XCTAssertTrue(f.contains("fftwf_wisdom"), f)
        XCTAssertTrue(d.contains("fftw_wisdom"), d)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cvt-wisdom-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FFTWisdom.export(toFile: path)
        FFTWisdom.forget()
        try FFTWisdom.import(fromFile: path)
        // Same entries (FFTW's hash table may list them in another order).
        func lines(_ s: String) -> [Substring] { s.split(separator: "\n").map { $0.drop { $0 == " " } }.sorted() }
        XCTAssertEqual(lines(FFTWisdom.exportString(precision: .float)), lines(f))
        XCTAssertEqual(lines(FFTWisdom.exportString(precision: .double)), lines(d))
        // With the wisdom back, a MEASURE plan of the same problem needs no timing runs.
        FFTPlanner.shared.removeAllPlans()
        let key = FFTPlanKey(shape: [36, 20], kind: .realToComplex, precision: .float, effort: .measure)
        let p = try FFTPlanner.shared.plan(key)
        XCTAssertLessThan(p.planningSeconds, 0.05)
        XCTAssertThrowsError(try FFTWisdom.importCombined("(not wisdom)"))
        XCTAssertThrowsError(try FFTWisdom.importString("garbage", precision: .double))
        XCTAssertThrowsError(try FFTWisdom.import(fromFile: "/nonexistent/wisdom"))
    }

    func testBadParametersThrow() throws {
        XCTAssertThrowsError(try FFTArray<Double>(shape: [0, 3], repeating: 0))
        XCTAssertThrowsError(try FFTArray<Double>(shape: [2, 2, 2], repeating: 0))
        XCTAssertThrowsError(try FFTArray<Double>(shape: [2, 3], elements: [1, 2]))
        let h = try FFTArray<FFTComplex<Double>>(shape: [4, 5], repeating: .zero)
        XCTAssertThrowsError(try FFT.irfft2(h, columns: 10)) // 10/2+1 = 6 != 5
        XCTAssertNoThrow(try FFT.irfft2(h, columns: 9))
        XCTAssertThrowsError(try FFT.fft(h))  // 2-D into 1-D function
        XCTAssertThrowsError(try FFTPlanner.shared.plan(FFTPlanKey(shape: [8], kind: .realToComplex, precision: .float, inPlace: true)))
        do {
            _ = try FFT.irfft2(h, columns: 10)
        } catch let CVError.invalidParameter(name, _) {
            XCTAssertEqual(name, "lastAxisLength")
        }
    }

    func testDocumentedDefaults() {
        XCTAssertEqual(FFTNormalization.default, .backward)
        XCTAssertEqual(FFTPlannerEffort.default, .estimate)
        XCTAssertEqual(FFTPlanKey(shape: [4], kind: .complexForward, precision: .double).effort, .estimate)
        let f = FrequencyFilter(band: .lowPass(cutoff: 0.1))
        XCTAssertEqual(f.kind, .gaussian); XCTAssertEqual(f.order, 2); XCTAssertEqual(f.padding, 0)
        let p = PhaseCorrelationParameters()
        XCTAssertEqual(p.window, .hann); XCTAssertEqual(p.upsampleFactor, 100); XCTAssertTrue(p.subtractMean)
        XCTAssertEqual(ConvolutionMode.default, .full)
        XCTAssertEqual(FFTNormalization.ortho.scale(points: 16, inverse: false), 0.25)
    }
}
