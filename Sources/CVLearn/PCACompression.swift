import Foundation

/// Lossy compression of a single-channel image by PCA: the image is cut into samples (its rows,
/// or non-overlapping square patches), PCA is fitted on those samples, and every sample is
/// rebuilt from its first k components. CVLearn does not see images: the caller passes the
/// plane as a row-major `[Float]` (e.g. 0…255) and converts the result back.
///
/// Recipe: 1. samples (`height × width` for rows; `(H/p)·(W/p) × p²` for patches, the plane
/// padded by edge replication to a multiple of p); 2. one PCA with the largest requested k
/// (the covariance solver, so smaller k reuse the leading axes); 3. per k: project,
/// reconstruct, clip to `[0, peak]`, crop, and measure `PSNR = 10·log10(peak² / MSE)`.
///
/// - Complexity: O(N·s + s³) for N pixels and sample length s, plus O(N·k) per k.
public enum PCACompression {
    /// How the plane is cut into samples.
    public enum Layout: Sendable, Hashable {
        /// Each image row is one sample of `width` values.
        case rows
        /// Non-overlapping `size × size` patches, each one sample of `size²` values.
        case patches(size: Int)
    }

    /// The reconstruction with k components.
    public struct Result: Sendable {
        public let components: Int
        /// Reconstructed plane, `width × height`, row-major, clipped to `[0, peak]`.
        public let pixels: [Float]
        /// Mean squared error against the input.
        public let mse: Double
        /// Peak signal-to-noise ratio in dB (infinite for a perfect reconstruction).
        public let psnr: Double
        /// Cumulative explained-variance ratio of the k components.
        public let explainedVarianceRatio: Double
        /// Values stored per sample (k) relative to the original (sample length), ignoring the basis.
        public let compressionRatio: Double
    }

    /// Compresses `pixels` with each component count in `componentCounts`.
    /// - Parameters:
    ///   - pixels: `width·height` values, row-major.
    ///   - width: image width in pixels.
    ///   - height: image height in pixels.
    ///   - layout: `.rows` (default) or `.patches(size:)`.
    ///   - componentCounts: ascending or not, each ≥ 1 and ≤ min(samples, sample length).
    ///   - peak: the largest possible value, for clipping and PSNR. Default 255.
    /// - Throws: `LearnError.invalidParameter` for bad sizes or counts.
    public static func compress(pixels: [Float], width: Int, height: Int, layout: Layout = .rows,
                                componentCounts: [Int], peak: Double = 255) throws -> [Result] {
        guard width >= 1, height >= 1, pixels.count == width * height else {
            throw LearnError.invalidParameter(name: "pixels", reason: "\(pixels.count) values for a \(width)x\(height) plane")
        }
        guard !componentCounts.isEmpty else { throw LearnError.invalidParameter(name: "components", reason: "no component counts given") }
        let samples = try makeSamples(pixels: pixels, width: width, height: height, layout: layout)
        let limit = min(samples.rows, samples.columns)
        for k in componentCounts where k < 1 || k > limit {
            throw LearnError.invalidParameter(name: "components", reason: "\(k) must be between 1 and \(limit) for \(samples.rows) samples of \(samples.columns) values")
        }
        let kmax = componentCounts.max()!
        let solver: PCA.Solver = samples.rows >= samples.columns ? .covarianceEigh : .full
        let pca = try PCA(fitting: samples.converted(to: Double.self), parameters: .init(components: .count(kmax), solver: solver))
        var results: [Result] = []
        for k in componentCounts {
            let p = try pca.truncated(to: k)
            let back = try p.inverseTransform(try p.transform(samples.converted(to: Double.self)))
            var plane = assemble(back, width: width, height: height, layout: layout)
            var se = 0.0
            for i in 0..<plane.count {
                plane[i] = Float(min(max(Double(plane[i]), 0), peak))
                let e = Double(plane[i]) - Double(pixels[i])
                se += e * e
            }
            let mse = se / Double(plane.count)
            let psnr = mse == 0 ? Double.infinity : 10 * log10(peak * peak / mse)
            results.append(Result(components: k, pixels: plane, mse: mse, psnr: psnr,
                                  explainedVarianceRatio: p.explainedVarianceRatio.reduce(0, +),
                                  compressionRatio: Double(k) / Double(samples.columns)))
        }
        return results
    }

    /// The sample matrix of a plane.
    public static func makeSamples(pixels: [Float], width: Int, height: Int, layout: Layout) throws -> Matrix<Float> {
        switch layout {
        case .rows:
            return try Matrix(rows: height, columns: width, values: pixels)
        case let .patches(p):
            guard p >= 1, p <= min(width, height) else {
                throw LearnError.invalidParameter(name: "patch", reason: "patch size \(p) must be between 1 and \(min(width, height))")
            }
            let py = (height + p - 1) / p, px = (width + p - 1) / p
            var m = Matrix<Float>(rows: py * px, columns: p * p)
            for by in 0..<py { for bx in 0..<px { for y in 0..<p { for x in 0..<p {
                let sy = min(by * p + y, height - 1), sx = min(bx * p + x, width - 1)
                m[by * px + bx, y * p + x] = pixels[sy * width + sx]
            } } } }
            return m
        }
    }

    /// Inverse of `makeSamples` (cropping the padding).
    static func assemble(_ m: Matrix<Double>, width: Int, height: Int, layout: Layout) -> [Float] {
        switch layout {
        case .rows:
            return m.storage.map { Float($0) }
        case let .patches(p):
            let px = (width + p - 1) / p
            var out = [Float](repeating: 0, count: width * height)
            for y in 0..<height { for x in 0..<width {
                out[y * width + x] = Float(m[(y / p) * px + x / p, (y % p) * p + x % p])
            } }
            return out
        }
    }
}
