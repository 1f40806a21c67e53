import CKernels
import CVCore

extension Image {
    /// Filters with a separable kernel given as its two 1-D halves: `cv2.sepFilter2D(src, ddepth,
    /// kernelX=row, kernelY=column, anchor=(anchorX, anchorY), delta=delta, borderType=border)`.
    ///
    /// out(x, y) = delta + Σⱼ column[j]·Σᵢ row[i]·in(x + i − anchorX, y + j − anchorY): a pass
    /// along x, then one along y. As OpenCV, UInt8 → UInt8 with two symmetric smoothing halves
    /// (non-negative, sum 1, centred) that are exact in 8-bit fixed point (every tap a multiple
    /// of 1/256, as [1, 2, 1]/4) runs in integers — row sums of taps·256, column sums of
    /// those ·256 — and is bit-exact, including OpenCV's two ways of rounding a tie (its vector
    /// loop to even, its scalar tail up). Everything else runs in
    /// Float (row pass, then column pass plus delta), equal to OpenCV within Float rounding:
    /// Float outputs ≤ 1e-5 relative, 8-bit outputs identical except, rarely, by 1 at
    /// rounding ties (10 of 27,332 fixture samples: OpenCV sums a symmetric column as pairs;
    /// figures in `docs/fidelity.md`).
    ///
    /// - Parameters:
    ///   - row: taps along x (1...``Kernel/maxSide``, finite).
    ///   - column: taps along y (1...``Kernel/maxSide``, finite).
    ///   - anchorX: anchor in `row`; default `nil`, the centre `row.count / 2`.
    ///   - anchorY: anchor in `column`; default `nil`, the centre `column.count / 2`.
    ///   - as: output sample type: the input's own or Float (OpenCV's `ddepth`).
    ///   - parameters: delta and border (``Filter2DParameters/method`` is not used).
    /// - Returns: an image of the same size and channel count, of sample type `D`.
    /// - Throws: `CVError.invalidParameter` naming `row` or `column` (empty, non-finite, too
    ///   long), `anchor`, `depth`, or what ``Filter2DParameters/validate()`` refuses.
    /// - Complexity: O(width·height·channels·(row.count + column.count)).
    ///
    /// Reference: OpenCV `imgproc/src/filter.dispatch.cpp` (`createSeparableLinearFilter`,
    /// `getKernelType`, `createBitExactKernel_32S`).
    public func separableFiltered<D: PixelScalar>(row: [Double], column: [Double], anchorX: Int? = nil,
                                                  anchorY: Int? = nil, as _: D.Type,
                                                  _ parameters: Filter2DParameters = Filter2DParameters()) throws -> Image<D> {
        try parameters.validate()
        try Filter2DParameters.checkDepths(Pixel.self, D.self)
        let ax = try checkedTaps(row, name: "row", anchor: anchorX)
        let ay = try checkedTaps(column, name: "column", anchor: anchorY)
        let delta = parameters.delta, border = parameters.border
        if Pixel.depth == .uint8, D.depth == .uint8,
           let kx = fixedPointSmoothing(row, anchor: ax), let ky = fixedPointSmoothing(column, anchor: ay) {
            return (self as! Image<UInt8>).separableFixed8(kx: kx, ky: ky, delta: delta, border: border) as! Image<D>
        }
        var out = Image<D>.uninitialized(width: width, height: height, channels: channels)
        let w = width, h = height, cn = channels
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                separableFloat(src, ss, dst, ds, width: w, height: h, channels: cn, kx: centred(row, anchor: ax),
                               ky: centred(column, anchor: ay), border: border, delta: Float(delta))
            }
        }
        return out
    }

    /// ``separableFiltered(row:column:anchorX:anchorY:as:_:)`` at the input's sample type (`ddepth=-1`).
    public func separableFiltered(row: [Double], column: [Double], anchorX: Int? = nil, anchorY: Int? = nil,
                                  _ parameters: Filter2DParameters = Filter2DParameters()) throws -> Image<Pixel> {
        try separableFiltered(row: row, column: column, anchorX: anchorX, anchorY: anchorY, as: Pixel.self, parameters)
    }
}

/// Validates one half of a separable kernel and returns its anchor.
private func checkedTaps(_ taps: [Double], name: String, anchor: Int?) throws -> Int {
    guard !taps.isEmpty, taps.count <= Kernel.maxSide else {
        throw CVError.invalidParameter(name: name, reason: "must have 1...\(Kernel.maxSide) taps, got \(taps.count)")
    }
    guard taps.allSatisfy(\.isFinite) else {
        throw CVError.invalidParameter(name: name, reason: "taps must be finite (no NaN or infinity)")
    }
    let a = anchor ?? taps.count / 2
    guard (0..<taps.count).contains(a) else {
        throw CVError.invalidParameter(name: "anchor", reason: "must lie inside the \(taps.count)-tap \(name), got \(a)")
    }
    return a
}

/// The taps ·256 as integers when OpenCV's sepFilter2D takes its bit-exact 8-bit path for them:
/// `getKernelType` says smooth and symmetric (centred, odd, mirror-equal, non-negative, sum 1
/// within FLT_EPSILON·(|sum| + 1)) and `createBitExactKernel_32S` finds every tap·256 within
/// 10·FLT_EPSILON·256 of an integer. `nil` otherwise.
private func fixedPointSmoothing(_ taps: [Double], anchor: Int) -> [Int32]? {
    let n = taps.count, epsilon = Double(Float.ulpOfOne)
    guard anchor * 2 + 1 == n, taps.allSatisfy({ $0 >= 0 }),
          (0..<n).allSatisfy({ taps[$0] == taps[n - 1 - $0] }) else { return nil }
    let sum = taps.reduce(0, +)
    guard abs(sum - 1) <= epsilon * (abs(sum) + 1) else { return nil }
    let scaled = taps.map { $0 * 256 }
    let fixed = scaled.map { $0.rounded(.toNearestOrEven) }
    guard zip(scaled, fixed).allSatisfy({ abs($0 - $1) <= 10 * epsilon * 256 }) else { return nil }
    return fixed.map { Int32($0) }
}

extension Image where Pixel == UInt8 {
    /// OpenCV's bit-exact 8-bit separable path: Int32 row sums of taps·2⁸, then per output
    /// sample the column sum of those·(taps·2⁸) plus delta·2¹⁶. OpenCV finishes it two ways
    /// (`SymmColumnVec_32s8u` and its scalar tail, filter.simd.hpp): the vector loop, over
    /// the first ``fixed8VectorSpan(_:taps:)`` samples of a row, sums in Float with taps/2¹⁶
    /// (exact for these sums) and rounds ties to even; the scalar tail computes
    /// `(s + 2¹⁵) >> 16`, ties up. `ck_sep_fixed8_h` / `ck_sep_fixed8_v` reproduce both, so ties
    /// round as OpenCV rounds them at that column.
    func separableFixed8(kx: [Int32], ky: [Int32], delta: Double, border: BorderMode) -> Image<UInt8> {
        var out = Image<UInt8>.uninitialized(width: width, height: height, channels: channels)
        let rx = kx.count / 2, ry = ky.count / 2, n = width * channels, cn = channels
        let fixedDelta = Int32((delta * 65536).rounded(.toNearestOrEven).clamped(to: -2e9...2e9))
        let span = fixed8VectorSpan(n, taps: ky.count)
        let w = width, h = height
        withUnsafePixels { src, ss in
            out.withUnsafeMutablePixels { dst, ds in
                kx.withUnsafeBufferPointer { kxb in
                    ky.withUnsafeBufferPointer { kyb in
                        let kxp = kxb.baseAddress!, kyp = kyb.baseAddress!
                        runSeparable(source: src, sourceStride: ss, destination: dst, destinationStride: ds,
                                     width: w, height: h, channels: cn, rx: rx, ry: ry, border: border,
                                     constant: border.constantValue(UInt8.self), intermediate: Int32.self,
                                     horizontal: { pad, row in ck_sep_fixed8_h(pad, row, n, cn, kxp, Int32(2 * rx + 1)) },
                                     vertical: { rows, outRow in
                                         let r = UnsafeRawPointer(rows).assumingMemoryBound(to: UnsafePointer<Int32>?.self)
                                         ck_sep_fixed8_v(r, outRow, n, span, kyp, Int32(2 * ry + 1), fixedDelta)
                                     })
                    }
                }
            }
        }
        return out
    }
}

/// Samples of a row OpenCV's AVX2 `SymmColumnVec_32s8u` covers: blocks of 32 while they fit,
/// then one of 16; none for a 1-tap column.
func fixed8VectorSpan(_ n: Int, taps: Int) -> Int {
    guard taps > 1 else { return 0 }
    var i = 0
    while i <= n - 32 { i += 32 }
    if i <= n - 16 { i += 16 }
    return i
}

private extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
