import CVCore
import CVFeatures
import CVFormats
import CVLearn
import Foundation

/// HOG features of the first images of a Fashion-MNIST IDX file, as `cvtool hog IDX --cell 7x7
/// --block 2x2` computes them (scikit-image preset: 9 orientations, L2-Hys; 324 float32 values
/// per 28 × 28 image), for tests whose scikit-learn references were made from those features.
package enum FashionHOGFeatures {
    /// - Parameters: `path`: an IDX image file; `count`: how many leading images.
    /// - Returns: `count × 324` float32 rows.
    package static func features(path: String, count: Int) throws -> Matrix<Float> {
        let idx = try IDX.readImages(path: path)
        var p = HOGParameters.scikitImage
        p.cellSize = HOGSize(7, 7)
        p.blockSize = HOGSize(2, 2)
        let engine = try HOG(p)
        let side = idx.width * idx.height
        let length = try p.grid(width: idx.width, height: idx.height).descriptorLength
        var values = [Float](repeating: 0, count: count * length)
        try values.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                let img = try Image<UInt8>(width: idx.width, height: idx.height, channels: 1,
                                           samples: Array(idx.pixels[(i * side)..<((i + 1) * side)]))
                try engine.compute(img, into: UnsafeMutableBufferPointer(rebasing: out[(i * length)..<((i + 1) * length)]), parallel: false)
            }
        }
        return try Matrix(rows: count, columns: length, values: values)
    }
}
