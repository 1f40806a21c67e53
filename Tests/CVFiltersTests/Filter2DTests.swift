import CVCore
import CVFormats
import CVTestSupport
import Foundation
import XCTest
import CVFilters

/// The references `Tools/fixtures_kernels.py` wrote: `Fixtures/filters/kernels_manifest.json`.
enum KernelFixtures {
    static let manifest: [String: Any] = {
        let data = try! Data(contentsOf: Fixtures.directory.appendingPathComponent("kernels_manifest.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func cases(_ op: String) -> [[String: Any]] {
        (manifest["cases"] as! [[String: Any]]).filter { $0["op"] as? String == op }
    }

    /// A named kernel of the manifest, with OpenCV's anchor (-1 = centre).
    static func kernel(_ name: String) throws -> Kernel {
        let k = (manifest["kernels"] as! [String: Any])[name] as! [String: Any]
        let anchor = k["anchor"] as! [Int]
        return try Kernel(rows: k["rows"] as! [[Double]], anchorX: anchor[0] < 0 ? nil : anchor[0],
                          anchorY: anchor[1] < 0 ? nil : anchor[1])
    }

    static func parameters(_ c: [String: Any]) -> Filter2DParameters {
        Filter2DParameters(delta: c["delta"] as! Double, border: Fixtures.border(c["border"] as! String))
    }
}

/// Per comparison: worst 8-bit difference, pixels off by one, worst Float relative error.
struct FidelityTally: CustomStringConvertible {
    var worstInt = 0.0, offByOne = 0, samples = 0, worstFloat = 0.0

    mutating func add(_ got: [Double], _ want: [Double], integer: Bool) {
        if integer {
            worstInt = max(worstInt, maxAbsDiff(got, want))
            offByOne += zip(got, want).filter { $0 != $1 }.count
            samples += got.count
        } else {
            worstFloat = max(worstFloat, relativeError(got, want))
        }
    }

    var description: String {
        "8-bit max abs diff \(worstInt) (\(offByOne) of \(samples) samples differ), Float max rel err \(worstFloat)"
    }
}

final class Filter2DTests: XCTestCase {
    /// cv2.filter2D (UInt8 → UInt8/Int16/Float, Float → Float): integers identical on its direct path (< 130 coefficients); on its DFT path
    /// (15×15) within 1 at ties OpenCV's own Float error decides; Float ≤ 1e-5 relative.
    func testFilter2DMatchesOpenCV() throws {
        var direct = FidelityTally(), dft = FidelityTally()
        for c in KernelFixtures.cases("filter2D") {
            let kernel = try KernelFixtures.kernel(c["kernel"] as! String)
            let input = try Fixtures.load(c["input"] as! String), ref = try Fixtures.load(c["output"] as! String)
            let p = KernelFixtures.parameters(c)
            let name = c["output"] as! String
            let usesDFT = kernel.width * kernel.height >= 130
                || (input.dtype.descr == "|u1" && c["depth"] as! String == "f32" && kernel.width * kernel.height >= 50)
            let depth = c["depth"] as! String, integer = depth != "f32"
            let got: [Double]
            if depth == "s16" {
                got = try input.uint8Image().filtered2DInt16(kernel, p).samples.map { Double($0) }
            } else if input.dtype.descr == "|u1" {
                got = integer ? try input.uint8Image().filtered2D(kernel, p).doubles
                              : try input.uint8Image().filtered2D(kernel, as: Float.self, p).doubles
            } else {
                got = try input.floatImage().filtered2D(kernel, p).doubles
            }
            if usesDFT { dft.add(got, ref.doubles, integer: integer) } else { direct.add(got, ref.doubles, integer: integer) }
            XCTAssertLessThanOrEqual(maxAbsDiff(got, ref.doubles), integer ? (usesDFT ? 1 : 0) : 1e-5 * max(1, ref.doubles.map(abs).max()!), name)
        }
        print("filter2D direct path: \(direct)\nfilter2D DFT path: \(dft)")
        XCTAssertEqual(direct.worstInt, 0)
        XCTAssertLessThanOrEqual(direct.worstFloat, 1e-5)
        XCTAssertLessThanOrEqual(dft.worstFloat, 1e-5)
    }

    /// cv2.sepFilter2D: bit-exact on its 8-bit fixed-point path (the binomial halves), Float
    /// ≤ 1e-5 relative; the 8-bit Float path within 1 where OpenCV's pair sums round a tie the
    /// other way.
    func testSeparableFilterMatchesOpenCV() throws {
        var tallies: [String: FidelityTally] = [:]
        for c in KernelFixtures.cases("sepFilter2D") {
            let input = try Fixtures.load(c["input"] as! String), ref = try Fixtures.load(c["output"] as! String)
            let row = c["row"] as! [Double], column = c["column"] as! [Double], anchor = c["anchor"] as! [Int]
            let ax = anchor[0] < 0 ? nil : anchor[0], ay = anchor[1] < 0 ? nil : anchor[1]
            let p = KernelFixtures.parameters(c), depth = c["depth"] as! String, integer = depth != "f32"
            let got: [Double]
            if depth == "s16" {
                got = try input.uint8Image().separableFilteredInt16(row: row, column: column, anchorX: ax, anchorY: ay, p)
                    .samples.map { Double($0) }
            } else if input.dtype.descr == "|u1" {
                let image = input.uint8Image()
                got = integer ? try image.separableFiltered(row: row, column: column, anchorX: ax, anchorY: ay, p).doubles
                    : try image.separableFiltered(row: row, column: column, anchorX: ax, anchorY: ay, as: Float.self, p).doubles
            } else {
                got = try input.floatImage().separableFiltered(row: row, column: column, anchorX: ax, anchorY: ay, p).doubles
            }
            let name = c["output"] as! String
            tallies[name.split(separator: "_")[2...2].joined(), default: FidelityTally()].add(got, ref.doubles, integer: integer)
            if integer { XCTAssertLessThanOrEqual(maxAbsDiff(got, ref.doubles), 1, name) }
            else { XCTAssertLessThanOrEqual(relativeError(got, ref.doubles), 1e-5, name) }
        }
        for (halves, tally) in tallies.sorted(by: { $0.key < $1.key }) { print("sepFilter2D \(halves): \(tally)") }
        XCTAssertEqual(tallies["binomial"]?.worstInt, 0)
        XCTAssertLessThanOrEqual(tallies.values.map(\.worstFloat).max()!, 1e-5)
    }

    /// OpenCV refuses BORDER_WRAP in filter2D (FilterEngine asserts); the fixtures record it.
    /// Here wrap is an extension, checked against the readable Double reference.
    func testWrapBorderAgainstReference() throws {
        XCTAssertEqual(KernelFixtures.manifest["filter2D_wrap"] as? String, "refused")
        var rng = SplitMix64(seed: 11)
        let image = rng.noiseImage(width: 19, height: 13, channels: 2)
        let kernel = try Kernel(rows: [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], anchorX: 2, anchorY: 0)
        let got = try image.filtered2D(kernel, as: Float.self, Filter2DParameters(border: .wrap)).doubles
        let want = correlateReference(image, kernel, border: .wrap)
        XCTAssertLessThanOrEqual(relativeError(got, want), 1e-6)
    }

    /// 8- and 16-bit outputs of the direct path (8-bit rounded inside the C kernel, 16-bit
    /// through a Float row) against the Double reference rounded and saturated, including a
    /// kernel with an all-zero row and the all-zero kernel (delta alone).
    func testDirectPathIntegerOutputsAgainstReference() throws {
        var rng = SplitMix64(seed: 29)
        let kernels = [try Kernel(rows: [[0.25, -0.5, 0.75], [0, 0, 0], [1.5, 0.5, -0.25]]),
                       try Kernel(rows: [[0, 0], [0, 0]]),
                       try Kernel(rows: [[0.1, 0.2, 0.3, 0.2, 0.1]])]
        for (trial, kernel) in kernels.enumerated() {
            let image = rng.noiseImage(width: 70 + 13 * trial, height: 9, channels: 1 + trial)
            let wide = image.converted(to: UInt16.self)
            let want = correlateReference(image, kernel, border: .reflect101).map { $0 + 40.25 }
            let wantWide = correlateReference(wide, kernel, border: .reflect101).map { $0 + 40.25 }
            let p = Filter2DParameters(delta: 40.25, method: .direct)
            let u8 = try image.filtered2D(kernel, as: UInt8.self, p).doubles
            let u16 = try wide.filtered2D(kernel, as: UInt16.self, p).doubles
            XCTAssertEqual(roundingMisses(u8, want, top: 255), 0, "u8 \(trial)")
            XCTAssertEqual(roundingMisses(u16, wantWide, top: 65535), 0, "u16 \(trial)")
            if trial == 1 { XCTAssertEqual(Set(u8), [40], "all-zero kernel: delta alone") }
        }
    }

    /// Samples of `got` that differ from `want` rounded and saturated, away from ties (within
    /// 1e-3 of a half, Float sums may round either way).
    private func roundingMisses(_ got: [Double], _ want: [Double], top: Double) -> Int {
        zip(got, want).filter { g, w in
            abs(w - w.rounded(.down) - 0.5) > 1e-3 && g != min(max(w.rounded(), 0), top)
        }.count
    }

    /// The fast direct path against the Double reference on random kernels, anchors and images.
    func testDirectPathAgainstReference() throws {
        var rng = SplitMix64(seed: 23)
        for trial in 0..<12 {
            let w = 1 + Int(rng.next() % 9), h = 1 + Int(rng.next() % 9)
            let coefficients = (0..<(w * h)).map { _ in Double.random(in: -1...1, using: &rng) }
            let kernel = try Kernel(width: w, height: h, coefficients: coefficients,
                                    anchorX: Int(rng.next() % UInt64(w)), anchorY: Int(rng.next() % UInt64(h)))
            let image = rng.noiseImage(width: 1 + Int(rng.next() % 40), height: 1 + Int(rng.next() % 30),
                                       channels: 1 + trial % 3)
            let border: BorderMode = [.reflect101, .reflect, .replicate, .constant(7), .wrap][trial % 5]
            let got = try image.filtered2D(kernel, as: Float.self, Filter2DParameters(delta: 3, border: border)).doubles
            let want = correlateReference(image, kernel, border: border).map { $0 + 3 }
            XCTAssertLessThanOrEqual(relativeError(got, want), 1e-5, "trial \(trial) \(kernel)")
        }
    }

    func testRefusals() throws {
        let image = Image<UInt8>(width: 8, height: 8)
        let k = try Kernel(rows: [[1]])
        XCTAssertThrowsError(try Kernel(rows: [])) { assertNames($0, "kernel") }
        XCTAssertThrowsError(try Kernel(rows: [[1, 2], [3]])) { assertNames($0, "kernel") }
        XCTAssertThrowsError(try Kernel(rows: [[1, .nan]])) { assertNames($0, "kernel") }
        XCTAssertThrowsError(try Kernel(width: 1_000_000_000, height: 1_000_000_000, coefficients: [1])) { assertNames($0, "kernel") }
        XCTAssertThrowsError(try Kernel(rows: [[1, 2, 3]], anchorX: 3)) { assertNames($0, "anchor") }
        XCTAssertThrowsError(try Kernel(rows: [[1, 2, 3]], anchorX: -1)) { assertNames($0, "anchor") }
        XCTAssertThrowsError(try image.filtered2D(k, Filter2DParameters(delta: .nan))) { assertNames($0, "delta") }
        XCTAssertThrowsError(try image.filtered2D(k, Filter2DParameters(delta: 1e300))) { assertNames($0, "delta") }
        XCTAssertThrowsError(try Image<Float>(width: 4, height: 4).filtered2D(k, as: UInt8.self)) { assertNames($0, "depth") }
        XCTAssertThrowsError(try image.separableFiltered(row: [], column: [1])) { assertNames($0, "row") }
        XCTAssertThrowsError(try image.separableFiltered(row: [1], column: [.infinity])) { assertNames($0, "column") }
        XCTAssertThrowsError(try image.separableFiltered(row: [1, 2], column: [1], anchorX: 5)) { assertNames($0, "anchor") }
    }
}

func assertNames(_ error: Error, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    guard case let CVError.invalidParameter(n, _) = error else {
        return XCTFail("expected invalidParameter(\(name)), got \(error)", file: file, line: line)
    }
    XCTAssertEqual(n, name, file: file, line: line)
}

/// Correlation in Double from the definition: out(x, y) = Σ K[j][i]·in(x + i − ax, y + j − ay).
func correlateReference<P: PixelScalar>(_ image: Image<P>, _ k: Kernel, border: BorderMode) -> [Double] {
    let w = image.width, h = image.height, cn = image.channels
    let s = image.samples.map { Double($0.floatValue) }
    var constant = 0.0
    if case .constant(let v) = border { constant = Double(v) }
    var out = [Double](repeating: 0, count: w * h * cn)
    for y in 0..<h { for x in 0..<w { for c in 0..<cn {
        var sum = 0.0
        for j in 0..<k.height { for i in 0..<k.width {
            let sx = border.sourceIndex(x + i - k.anchorX, count: w), sy = border.sourceIndex(y + j - k.anchorY, count: h)
            let v = (sx != nil && sy != nil) ? s[(sy! * w + sx!) * cn + c] : constant
            sum += k[i, j] * v
        } }
        out[(y * w + x) * cn + c] = sum
    } } }
    return out
}
