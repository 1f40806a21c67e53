import CVCore

extension FFT {
    /// Moves the zero-frequency term to the centre (NumPy `fftshift`): every axis of length
    /// `n` is rolled by `⌊n/2⌋`, so index 0 lands at `⌊n/2⌋`.
    /// - Returns: an array of the same shape.
    /// - Complexity: O(N).
    public static func fftshift<E>(_ x: FFTArray<E>) -> FFTArray<E> { roll(x, inverse: false) }

    /// Undoes ``fftshift(_:)`` (NumPy `ifftshift`): rolls every axis by `−⌊n/2⌋`. Differs
    /// from `fftshift` only for odd lengths.
    public static func ifftshift<E>(_ x: FFTArray<E>) -> FFTArray<E> { roll(x, inverse: true) }

    private static func roll<E>(_ x: FFTArray<E>, inverse: Bool) -> FFTArray<E> {
        let rows = x.rows, cols = x.columns
        // Destination index of source index i along an axis of n: (i + shift) mod n.
        let sr = inverse ? rows - rows / 2 : rows / 2
        let sc = inverse ? cols - cols / 2 : cols / 2
        var out = x.elements
        x.elements.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    let s = src.baseAddress! + r * cols
                    let d = dst.baseAddress! + ((r + sr) % rows) * cols
                    // Two contiguous pieces: s[0..<cols-sc] -> d[sc...], s[cols-sc..<cols] -> d[0..<sc].
                    (d + sc).update(from: s, count: cols - sc)
                    d.update(from: s + (cols - sc), count: sc)
                }
            }
        }
        return FFTArray(uncheckedShape: x.shape, elements: out)
    }
}
