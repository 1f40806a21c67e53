import CVCore
import CVDetect
import CVFormats
import CVTestSupport
import Foundation
import XCTest

/// OpenCV's HOGDescriptor YAML: our files read back to the same model, and a file written by
/// `cv2.HOGDescriptor.save` (Tools/fixtures_detector_training.py) reads to cv2's coefficients,
/// every one identical (9 significant digits round-trip a Float).
final class OpenCVExportTests: XCTestCase {
    func testRoundTripKeepsEveryCoefficient() throws {
        for model in [HOGDetectorModel.people, .daimler] {
            let yaml = model.opencvYAML()
            XCTAssertTrue(yaml.hasPrefix("%YAML:1.0\n---\n\(model.name):\n   winSize: [ \(model.window.width), \(model.window.height) ]\n"))
            for key in ["blockSize: [ 16, 16 ]", "blockStride: [ 8, 8 ]", "cellSize: [ 8, 8 ]", "nbins: 9", "derivAperture: 1",
                        "histogramNormType: 0", "gammaCorrection: 1", "nlevels: 64", "signedGradient: 0", "SVMDetector: [ "] {
                XCTAssertTrue(yaml.contains("\n   \(key)"), key)
            }
            let back = try HOGDetectorModel(opencvYAML: yaml, source: "memory")
            XCTAssertEqual(back.weights, model.weights)
            XCTAssertEqual(back.bias, model.bias, "the bias is the last coefficient")
            XCTAssertEqual(back.window, model.window)
            XCTAssertEqual(back.hog, model.hog)
        }
    }

    func testReadsWhatOpenCVSaves() throws {
        let text = try String(contentsOfFile: FixturePaths.path("detect/training/opencv_saved.yml"), encoding: .utf8)
        let model = try HOGDetectorModel(opencvYAML: text, source: "opencv_saved.yml")
        let coefficients = try NPYArray.fixture("detect/training/opencv_saved_coefficients.npy").values(Float.self)
        XCTAssertEqual(model.window, .init(width: 32, height: 64))
        XCTAssertEqual(model.weights, Array(coefficients.dropLast()))
        XCTAssertEqual(model.bias, -1.25)
        XCTAssertEqual(model.hog, .opencvDefault)
        XCTAssertEqual(try HOGDetectorModel(opencvYAML: model.opencvYAML(), source: "again").weights, model.weights)
    }

    func testMalformedFilesAreRefused() throws {
        let good = HOGDetectorModel.daimler.opencvYAML()
        let bad = [
            "", "%YAML:1.0\n---\n",
            good.replacingOccurrences(of: "nbins: 9", with: "nbins: nine"),
            good.replacingOccurrences(of: "   winSize: [ 48, 96 ]\n", with: ""),
            good.replacingOccurrences(of: "winSize: [ 48, 96 ]", with: "winSize: [ 48, 97 ]"),
            good.replacingOccurrences(of: "cellSize: [ 8, 8 ]", with: "cellSize: [ 8, 4 ]"),
        ]
        for text in bad {
            XCTAssertThrowsError(try HOGDetectorModel(opencvYAML: text, source: "bad.yml"), String(text.prefix(80)))
        }
    }
}
