import CVCore

/// Which part of the linear convolution to return, as `scipy.signal.fftconvolve(mode=)`.
public enum ConvolutionMode: String, Sendable, Hashable, CaseIterable {
    /// Every output where input and kernel overlap: `N + K − 1` per axis.
    case full
    /// The centre of ``full`` with the input's size `N`, starting at index `(K − 1)/2`
    /// (integer division) of the full result — SciPy's `_centered`. For odd kernels this is
    /// the kernel centred on each pixel; for even kernels the centre is the element at
    /// `K/2` (OpenCV's `filter2D` anchor, after flipping, uses `(K−1)/2` — one off for even K).
    case same
    /// Only outputs where the kernel lies entirely inside the input: `N − K + 1` per axis.
    case valid

    /// The default, as SciPy.
    public static let `default` = ConvolutionMode.full
}

/// Linear convolution through the FFT, equal (to rounding) to the direct sum
/// `y[i] = Σ_j x[j] · k[i − j]` with zeros outside both arrays (SciPy `fftconvolve`).
///
/// Border convention: zero padding, no wrap-around — both arrays are zero-padded to
/// `nextFastSize(N + K − 1)` per axis before the transform, so the circular convolution of the
/// DFT equals the linear one; ``ConvolutionMode`` then selects full / same / valid.
/// This is a true convolution (kernel flipped), unlike OpenCV's `filter2D` (correlation).
///
/// - Complexity: O(M log M) with M the padded size, against O(N·K) for the direct sum; worth it
///   for kernels larger than about 11×11.
public enum FFTConvolution {
    /// Convolves two real 1-D or 2-D arrays of the same rank.
    ///
    /// - Parameters:
    ///   - x: the input.
    ///   - kernel: the kernel.
    ///   - mode: default ``ConvolutionMode/full``.
    /// - Returns: shape `N+K−1` (full), `N` (same) or `N−K+1` (valid) per axis. In valid mode the
    ///   two arguments are swapped when the kernel is at least as large as `x` on every axis
    ///   (convolution is commutative; SciPy does the same).
    /// - Throws: `CVError.invalidParameter` for different ranks, or in valid mode when neither
    ///   array is at least as large as the other on every axis.
    public static func convolve<R: FFTScalar>(_ x: FFTArray<R>, _ kernel: FFTArray<R>,
                                              mode: ConvolutionMode = .default) throws -> FFTArray<R> {
        guard x.rank == kernel.rank else {
            throw CVError.invalidParameter(name: "kernel", reason: "rank \(kernel.rank) differs from the input's rank \(x.rank)")
        }
        var a = x, k = kernel
        if mode == .valid {
            let aBigger = zip(a.shape, k.shape).allSatisfy { $0 >= $1 }
            let kBigger = zip(a.shape, k.shape).allSatisfy { $0 <= $1 }
            guard aBigger || kBigger else {
                throw CVError.invalidParameter(name: "kernel", reason: "valid mode needs one array at least as large as the other on every axis, got \(x.shape) and \(kernel.shape)")
            }
            if !aBigger { swap(&a, &k) }
        }
        // 1. Pad both to a fast size that holds the whole linear convolution.
        let fullShape = zip(a.shape, k.shape).map { $0 + $1 - 1 }
        let padded = try fullShape.map { try FFT.nextFastSize($0) }
        let pa = zeroPadded(a, to: padded), pk = zeroPadded(k, to: padded)
        // 2. Multiply the spectra.
        var fa = try FFT.realForward(pa)
        let fk = try FFT.realForward(pk)
        multiply(&fa, fk)
        // 3. Back to real space (backward norm: the inverse carries the 1/N).
        let y = try FFT.realInverse(fa, lastAxisLength: padded[padded.count - 1])
        // 4. Select the requested part of the full result.
        let (start, size): ([Int], [Int])
        switch mode {
        case .full: (start, size) = (fullShape.map { _ in 0 }, fullShape)
        case .same: (start, size) = (k.shape.map { ($0 - 1) / 2 }, a.shape)
        case .valid: (start, size) = (k.shape.map { $0 - 1 }, zip(a.shape, k.shape).map { $0 - $1 + 1 })
        }
        return crop(y, start: start, size: size)
    }

    /// Convolves a 1-channel image (sample values as stored) with a 2-D kernel in Double.
    /// - Returns: a `[height', width']` array per ``ConvolutionMode`` (default ``ConvolutionMode/same``).
    /// - Throws: as ``convolve(_:_:mode:)``, and for a multi-channel image.
    public static func convolve<P: PixelScalar>(image: Image<P>, kernel: FFTArray<Double>,
                                                mode: ConvolutionMode = .same) throws -> FFTArray<Double> {
        try convolve(FFTArray<Double>(image: image), kernel, mode: mode)
    }

    static func zeroPadded<R: FFTScalar>(_ x: FFTArray<R>, to shape: [Int]) -> FFTArray<R> {
        let rows = shape.count == 2 ? shape[0] : 1, cols = shape[shape.count - 1]
        var out = [R](repeating: 0, count: rows * cols)
        out.withUnsafeMutableBufferPointer { d in
            x.elements.withUnsafeBufferPointer { s in
                for r in 0..<x.rows {
                    (d.baseAddress! + r * cols).update(from: s.baseAddress! + r * x.columns, count: x.columns)
                }
            }
        }
        return FFTArray(uncheckedShape: shape, elements: out)
    }

    static func crop<R>(_ y: FFTArray<R>, start: [Int], size: [Int]) -> FFTArray<R> {
        let r0 = start.count == 2 ? start[0] : 0, c0 = start[start.count - 1]
        let rows = size.count == 2 ? size[0] : 1, cols = size[size.count - 1]
        var out = [R](); out.reserveCapacity(rows * cols)
        for r in 0..<rows {
            let base = (r0 + r) * y.columns + c0
            out.append(contentsOf: y.elements[base..<(base + cols)])
        }
        return FFTArray(uncheckedShape: size, elements: out)
    }

    static func multiply<R: FFTScalar>(_ a: inout FFTArray<FFTComplex<R>>, _ b: FFTArray<FFTComplex<R>>) {
        a.elements.withUnsafeMutableBytes { pa in
            b.elements.withUnsafeBytes { pb in
                let n = b.count
                switch R.fftPrecision {
                case .double:
                    let x = pa.baseAddress!.assumingMemoryBound(to: Double.self), y = pb.baseAddress!.assumingMemoryBound(to: Double.self)
                    for i in 0..<n {
                        let ar = x[2 * i], ai = x[2 * i + 1], br = y[2 * i], bi = y[2 * i + 1]
                        x[2 * i] = ar * br - ai * bi; x[2 * i + 1] = ar * bi + ai * br
                    }
                case .float:
                    let x = pa.baseAddress!.assumingMemoryBound(to: Float.self), y = pb.baseAddress!.assumingMemoryBound(to: Float.self)
                    for i in 0..<n {
                        let ar = x[2 * i], ai = x[2 * i + 1], br = y[2 * i], bi = y[2 * i + 1]
                        x[2 * i] = ar * br - ai * bi; x[2 * i + 1] = ar * bi + ai * br
                    }
                }
            }
        }
    }
}
