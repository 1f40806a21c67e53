import CVCore
import Foundation

extension Image where Pixel == UInt8 {
    /// torchvision's `gaussian_blur` of a uint8 tensor (the op behind `transforms.GaussianBlur`).
    ///
    /// Recipe: 1. the 1-D kernel `exp(−x²/2σ²)` at `x = linspace(−(k−1)/2, (k−1)/2, k)`,
    /// normalised to sum 1, in Float; 2. mirror padding without repeating the edge sample
    /// (`torch.nn.functional.pad(mode="reflect")`, OpenCV's `BORDER_REFLECT_101`); 3. the
    /// kernel across the rows, then down the columns, in Float; 4. round half to even
    /// (`torch.round`) and store as UInt8.
    ///
    /// torchvision convolves once with the outer-product 2-D kernel; the separable passes give
    /// the same sums up to Float rounding, so outputs agree within 1 (see docs/fidelity.md).
    /// This is not ``CVFilters`` `gaussianBlur`, whose presets reproduce OpenCV's and
    /// scikit-image's kernels.
    ///
    /// - Parameters:
    ///   - kernelSize: odd, 1...4097 (SimCLR: 10 % of the image side, made odd).
    ///   - sigma: standard deviation in pixels, finite, > 0 (SimCLR draws it in 0.1...2).
    /// - Returns: a new image of the same size and channels.
    /// - Throws: `CVError.invalidParameter` for an even or out-of-range kernel size or a bad σ.
    /// - Complexity: O(width · height · channels · kernelSize).
    public func torchvisionGaussianBlurred(kernelSize: Int, sigma: Double) throws -> Image {
        let taps = try TorchvisionBlur.kernel(size: kernelSize, sigma: sigma)
        guard kernelSize > 1, width > 0, height > 0 else { return copy() }
        var out = Image.uninitialized(width: width, height: height, channels: channels)
        var rows = [Float](repeating: 0, count: width * channels * height)
        withUnsafePixels { src, ss in
            rows.withUnsafeMutableBufferPointer { mid in
                taps.withUnsafeBufferPointer { k in
                    TorchvisionBlur.horizontal(src, ss, mid.baseAddress!, width, height, channels, k)
                    out.withUnsafeMutablePixels { dst, ds in
                        TorchvisionBlur.vertical(mid.baseAddress!, dst, ds, width, height, channels, k)
                    }
                }
            }
        }
        return out
    }
}

/// The steps of torchvision's Gaussian blur.
enum TorchvisionBlur {
    static let maxKernelSize = 4_097

    /// `_get_gaussian_kernel1d` in Float: linspace, exp, divided by the sum.
    static func kernel(size: Int, sigma: Double) throws -> [Float] {
        guard size >= 1, size <= maxKernelSize, size % 2 == 1 else {
            throw CVError.invalidParameter(name: "kernelSize", reason: "must be odd and 1...\(maxKernelSize), got \(size)")
        }
        guard sigma.isFinite, sigma > 0 else {
            throw CVError.invalidParameter(name: "sigma", reason: "must be a finite number > 0, got \(sigma)")
        }
        let half = Float(size - 1) * 0.5, s = Float(sigma)
        // torch.linspace computes start + i·step from the front half and end − (n−1−i)·step
        // from the back half; with symmetric ends both give ±(half − i·step) exactly here.
        let step = size == 1 ? 0 : (2 * half) / Float(size - 1)
        var pdf = (0..<size).map { i -> Float in
            let x = i < size / 2 ? -half + Float(i) * step : half - Float(size - 1 - i) * step
            let z = x / s
            return Float(exp(Double(-0.5 * (z * z))))
        }
        let total = pdf.reduce(0, +)
        for i in pdf.indices { pdf[i] /= total }
        return pdf
    }

    /// Rows: `mid[y][x·c + ch] = Σ_t k[t] · src[y][reflect(x + t − r)·c + ch]`.
    static func horizontal(_ src: UnsafePointer<UInt8>, _ ss: Int, _ mid: UnsafeMutablePointer<Float>,
                           _ w: Int, _ h: Int, _ c: Int, _ k: UnsafeBufferPointer<Float>) {
        let r = k.count / 2
        let table = (-r..<(w + r)).map { BorderMode.reflect101.sourceIndex($0, count: w)! }
        table.withUnsafeBufferPointer { columns in
            for y in 0..<h {
                let s = src + y * ss, d = mid + y * w * c
                for x in 0..<w {
                    for ch in 0..<c {
                        var acc: Float = 0
                        for t in 0..<k.count { acc += k[t] * Float(s[columns[x + t] * c + ch]) }
                        d[x * c + ch] = acc
                    }
                }
            }
        }
    }

    /// Columns, then `torch.round` (half to even) into UInt8.
    static func vertical(_ mid: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt8>, _ ds: Int,
                         _ w: Int, _ h: Int, _ c: Int, _ k: UnsafeBufferPointer<Float>) {
        let r = k.count / 2, n = w * c
        let rowsIndex = (-r..<(h + r)).map { BorderMode.reflect101.sourceIndex($0, count: h)! }
        let accumulator = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { accumulator.deallocate() }
        let acc = accumulator.baseAddress!
        for y in 0..<h {
            for i in 0..<n { acc[i] = 0 }
            for t in 0..<k.count {
                let row = mid + rowsIndex[y + t] * n, kt = k[t]
                for i in 0..<n { acc[i] += kt * row[i] }
            }
            let d = dst + y * ds
            for i in 0..<n { d[i] = UInt8(min(max(acc[i].rounded(.toNearestOrEven), 0), 255)) }
        }
    }
}
