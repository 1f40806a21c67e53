import CVCore
@testable import CVIO
import Foundation
import XCTest

final class ContainerFormatTests: XCTestCase {
    /// Every NumPy file (v1/v2 headers, both endiannesses, Fortran order, complex) reads back
    /// with the shape, first values and sum that NumPy reported.
    func testNPYFilesMatchNumPyManifest() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("npy/manifest.json")))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        XCTAssertGreaterThanOrEqual(manifest.count, 10)
        for (name, entry) in manifest {
            let a = try Fixture.npy("npy/\(name)")
            XCTAssertEqual(a.shape, entry["shape"] as? [Int], name)
            let values = a.toDoubles()
            let firsts = try XCTUnwrap(entry["first_values_c_order"] as? [Any], name)
            let flatFirst: [Double] = firsts.flatMap { v -> [Double] in
                if let pair = v as? [Double] { return pair }
                return [(v as? Double) ?? Double((v as? Int) ?? 0)]
            }
            for (i, v) in flatFirst.enumerated() {
                XCTAssertEqual(values[i], v, accuracy: abs(v) * 1e-6 + 1e-9, "\(name)[\(i)]")
            }
            if let sum = entry["sum"] as? Double {
                XCTAssertEqual(values.reduce(0, +), sum, accuracy: abs(sum) * 1e-5 + 1e-6, name)
            }
        }
    }

    func testNPYRoundTripsEveryDType() throws {
        let arrays: [NPYArray] = [
            NPYArray(shape: [2, 3], uint8s: [0, 1, 2, 253, 254, 255]),
            NPYArray(shape: [3], uint16s: [0, 1000, 65535]),
            NPYArray(shape: [1, 2, 2], int16s: [-32768, -1, 0, 32767]),
            NPYArray(shape: [2, 2], floats: [0.5, -1.25, .infinity, 3e-38]),
            NPYArray(shape: [2], doubles: [Double.pi, -0.0]),
            NPYArray(shape: [1, 1], complexDoubles: [1.5, -2.5]),
            NPYArray(shape: [2], complexFloats: [1, 2, 3, 4]),
        ]
        for a in arrays {
            let bytes = NPY.encode(a)
            XCTAssertEqual((bytes.count - a.bytes.count) % 64, 0, "header padded to 64 bytes")
            XCTAssertEqual(try NPY.decode(bytes), a)
        }
    }

    func testIDXMatchesNumPyGzipAndRaw() throws {
        let refImages = try Fixture.npy("idx/images.npy")
        let refLabels = try Fixture.npy("idx/labels.npy")
        for suffix in ["", ".gz"] {
            let f = try IDX.readImages(path: Fixture.path("idx/images-idx3-ubyte\(suffix)"))
            XCTAssertEqual([f.count, f.height, f.width], refImages.shape)
            XCTAssertEqual(f.pixels, refImages.bytes)
            let labels = try IDX.readLabels(path: Fixture.path("idx/labels-idx1-ubyte\(suffix)"))
            XCTAssertEqual(labels.map(Double.init), refLabels.toDoubles())
        }
        let images = try IDX.images(path: Fixture.path("idx/images-idx3-ubyte.gz"))
        XCTAssertEqual(images.count, 10)
        XCTAssertEqual(images[3].width, 28)
        let floats = try IDX.read(path: Fixture.path("idx/floats-idx2-f32"))
        XCTAssertEqual(floats.dims, [3, 4])
        XCTAssertThrowsError(try IDX.readImages(path: Fixture.path("idx/labels-idx1-ubyte")))
    }
}

final class PNMScalingTests: XCTestCase {
    /// The Netpbm reading of maxval (full range) differs from OpenCV's only where documented.
    func testFullRangeScaling() throws {
        let raw = try NPY.read(path: Fixture.path("formats/pnm/p5_max100.samples.npy")).toDoubles()
        let img = try ImageIO.read(path: Fixture.path("formats/pnm/p5_max100.pgm"), options: DecodeOptions(pnmScaling: .fullRange)).image
        let ours = flatten(img).values
        for (o, r) in zip(ours, raw) { XCTAssertEqual(o, ((r * 255 + 50) / 100).rounded(.down)) }
        let wide = try ImageIO.read(path: Fixture.path("formats/pnm/p5_max1000.pgm"), options: DecodeOptions(pnmScaling: .fullRange)).image
        XCTAssertEqual(wide.depth, .uint16)
        let rawWide = try NPY.read(path: Fixture.path("formats/pnm/p5_max1000.samples.npy")).toDoubles()
        for (o, r) in zip(flatten(wide).values, rawWide) { XCTAssertEqual(o, ((r * 65535 + 500) / 1000).rounded(.down)) }
    }
}
