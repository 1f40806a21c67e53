import CVCore
import CVIO
import CVTestSupport
import Foundation
import XCTest

/// Committed fixtures (paths from CVTestSupport).
enum Fixture {
    static func path(_ relative: String) -> String { FixturePaths.path(relative) }

    static func files(in dir: String, ext: Set<String>) throws -> [String] { try FixturePaths.files(in: dir, ext: ext) }

    static func npy(_ relative: String) throws -> NPYArray { try .fixture(relative) }
}

/// Samples of any decoded image as Doubles with its (height, width, channels).
func flatten(_ image: AnyImage) -> (h: Int, w: Int, c: Int, values: [Double]) {
    switch image {
    case .uint8(let i): return (i.height, i.width, i.channels, i.samples.map(Double.init))
    case .uint16(let i): return (i.height, i.width, i.channels, i.samples.map(Double.init))
    case .float32(let i): return (i.height, i.width, i.channels, i.samples.map(Double.init))
    }
}

/// Max |a - b| between a decoded image and a reference array of the same shape.
/// A 2-channel (gray+alpha) image is compared with OpenCV's 4-channel expansion (G, A).
func maxAbsDifference(_ image: AnyImage, _ ref: NPYArray, file: StaticString = #filePath, line: UInt = #line) -> Double {
    let (h, w, c, ours) = flatten(image)
    let rc = ref.shape.count == 3 ? ref.shape[2] : 1
    guard ref.shape[0] == h, ref.shape[1] == w else {
        XCTFail("size \(w)x\(h) differs from reference shape \(ref.shape)", file: file, line: line)
        return .infinity
    }
    let r = ref.toDoubles()
    var worst = 0.0
    if c == 2 && rc == 4 {
        for i in 0..<(h * w) {
            for k in 0..<3 { worst = max(worst, abs(ours[2 * i] - r[4 * i + k])) }
            worst = max(worst, abs(ours[2 * i + 1] - r[4 * i + 3]))
        }
        return worst
    }
    guard c == rc else {
        XCTFail("\(c) channels, reference has \(rc)", file: file, line: line)
        return .infinity
    }
    for i in 0..<ours.count { worst = max(worst, abs(ours[i] - r[i])) }
    return worst
}
