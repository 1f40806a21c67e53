import CVCore

/// A 2-D correlation kernel: `height` rows of `width` coefficients (Double) and an anchor, the
/// coefficient that lands on the output pixel. The value type behind
/// ``CVCore/Image/filtered2D(_:as:_:)`` (`cv2.filter2D`) and its algebra.
///
/// The filter is a *correlation*, as OpenCV's `filter2D`: output(x, y) = Σ K[j][i] ·
/// input(x + i − anchor.x, y + j − anchor.y). Convolution is correlation with the kernel
/// flipped (``flipped``).
///
/// Algebra (each result is again one kernel, so a chain or a sum of linear filters runs as one
/// pass):
/// - `a + b`: parallel branches (anchors aligned; the result covers both).
/// - `s * k`: scaling.
/// - ``then(_:)``: the kernel of filtering with `self` and then with another kernel (their full
///   2-D convolution), so Gaussian → Sobel is one kernel.
/// - ``separableTerms(tolerance:)``: the rank-r decomposition by SVD, which lets a rank-1 kernel
///   run as two 1-D passes.
public struct Kernel: Sendable, Hashable, CustomStringConvertible {
    /// Columns. 1...``maxSide``.
    public let width: Int
    /// Rows. 1...``maxSide``.
    public let height: Int
    /// Row-major: `coefficients[y·width + x]`.
    public let coefficients: [Double]
    /// Column of the anchor, 0..<width.
    public let anchorX: Int
    /// Row of the anchor, 0..<height.
    public let anchorY: Int

    /// Largest side: 4,097 coefficients (the exact Gaussian's longest kernel).
    public static let maxSide = 4_097
    /// Most coefficients: 16,384 (128 × 128). The direct sum costs one multiply-add per
    /// coefficient per sample.
    public static let maxCount = 16_384

    /// A kernel from its rows.
    /// - Parameters:
    ///   - rows: the coefficients, row by row; every row the same length.
    ///   - anchorX: column of the anchor; default `nil`, the centre `width / 2` (OpenCV's -1).
    ///   - anchorY: row of the anchor; default `nil`, the centre `height / 2`.
    /// - Throws: `CVError.invalidParameter` naming `kernel` (empty, ragged, a non-finite
    ///   coefficient, a side above ``maxSide`` or more than ``maxCount`` coefficients) or
    ///   `anchor` (outside the kernel).
    public init(rows: [[Double]], anchorX: Int? = nil, anchorY: Int? = nil) throws {
        let w = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == w }) else {
            throw CVError.invalidParameter(name: "kernel", reason: "every row must have the same number of coefficients")
        }
        try self.init(width: w, height: rows.count, coefficients: rows.flatMap { $0 }, anchorX: anchorX, anchorY: anchorY)
    }

    /// A kernel from row-major coefficients; see ``init(rows:anchorX:anchorY:)``.
    /// - Throws: as ``init(rows:anchorX:anchorY:)``, and `kernel` when the count is not width·height.
    public init(width: Int, height: Int, coefficients: [Double], anchorX: Int? = nil, anchorY: Int? = nil) throws {
        try Self.validate(width: width, height: height, count: coefficients.count)
        guard coefficients.allSatisfy(\.isFinite) else {
            throw CVError.invalidParameter(name: "kernel", reason: "coefficients must be finite (no NaN or infinity)")
        }
        let ax = anchorX ?? width / 2, ay = anchorY ?? height / 2
        guard (0..<width).contains(ax), (0..<height).contains(ay) else {
            throw CVError.invalidParameter(name: "anchor",
                                           reason: "must lie inside the \(width)x\(height) kernel, got (\(ax), \(ay))")
        }
        self.init(unchecked: width, height, coefficients, ax, ay)
    }

    /// The outer product `column · rowᵀ` (what `cv2.sepFilter2D(src, -1, row, column)` applies).
    /// - Throws: as ``init(rows:anchorX:anchorY:)``.
    public init(row: [Double], column: [Double], anchorX: Int? = nil, anchorY: Int? = nil) throws {
        try Self.validate(width: row.count, height: column.count, count: row.count * column.count)
        try self.init(width: row.count, height: column.count,
                      coefficients: column.flatMap { c in row.map { c * $0 } }, anchorX: anchorX, anchorY: anchorY)
    }

    init(unchecked width: Int, _ height: Int, _ coefficients: [Double], _ anchorX: Int, _ anchorY: Int) {
        self.width = width
        self.height = height
        self.coefficients = coefficients
        self.anchorX = anchorX
        self.anchorY = anchorY
    }

    private static func validate(width: Int, height: Int, count: Int) throws {
        guard width > 0, height > 0 else {
            throw CVError.invalidParameter(name: "kernel", reason: "must have at least one coefficient")
        }
        guard width <= maxSide, height <= maxSide else {
            throw CVError.invalidParameter(name: "kernel", reason: "sides must be at most \(maxSide), got \(width)x\(height)")
        }
        guard width.multipliedReportingOverflow(by: height).partialValue <= maxCount, width * height == count else {
            throw CVError.invalidParameter(
                name: "kernel", reason: width * height != count && width * height <= maxCount
                    ? "needs \(width)x\(height) = \(width * height) coefficients, got \(count)"
                    : "has \(width)x\(height) coefficients; at most \(maxCount)")
        }
    }

    /// The coefficient at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Double { coefficients[y * width + x] }

    /// The kernel turned by 180° (convolution ↔ correlation); the anchor turns with it.
    public var flipped: Kernel {
        Kernel(unchecked: width, height, coefficients.reversed(), width - 1 - anchorX, height - 1 - anchorY)
    }

    /// Sum of the coefficients (1 for a smoothing kernel, 0 for a derivative).
    public var sum: Double { coefficients.reduce(0, +) }

    public var description: String {
        "Kernel(\(width)x\(height), anchor (\(anchorX), \(anchorY)))"
    }
}

// MARK: - Algebra

extension Kernel {
    /// Parallel branches: `(a + b)` filters as `a` plus `b`. The anchors are aligned and the
    /// result spans both kernels (zeros where only one reaches).
    /// - Throws: `CVError.invalidParameter` naming `kernel` when the sum outgrows ``maxSide`` or ``maxCount``.
    public static func + (a: Kernel, b: Kernel) throws -> Kernel {
        let left = max(a.anchorX, b.anchorX), top = max(a.anchorY, b.anchorY)
        let right = max(a.width - a.anchorX, b.width - b.anchorX), bottom = max(a.height - a.anchorY, b.height - b.anchorY)
        let w = left + right, h = top + bottom
        try validate(width: w, height: h, count: w * h)
        var c = [Double](repeating: 0, count: w * h)
        for k in [a, b] {
            let ox = left - k.anchorX, oy = top - k.anchorY
            for y in 0..<k.height {
                for x in 0..<k.width { c[(y + oy) * w + x + ox] += k[x, y] }
            }
        }
        return Kernel(unchecked: w, h, c, left, top)
    }

    /// Scaling: `(s * k)` filters as `k` times `s`.
    /// - Precondition: `s` is finite.
    public static func * (s: Double, k: Kernel) -> Kernel {
        precondition(s.isFinite, "a kernel's scale must be finite")
        return Kernel(unchecked: k.width, k.height, k.coefficients.map { s * $0 }, k.anchorX, k.anchorY)
    }

    /// The one kernel that filtering with `self` and then with `next` amounts to: their full 2-D
    /// convolution as correlation kernels, (width₁ + width₂ − 1) × (height₁ + height₂ − 1), with
    /// the anchors added. Exact away from the image border; near it the two-pass chain reads the
    /// first pass's *border-extended output*, the fused kernel the border-extended input.
    /// - Throws: `CVError.invalidParameter` naming `kernel` when the result outgrows ``maxSide`` or ``maxCount``.
    /// - Complexity: O(width₁·height₁·width₂·height₂).
    public func then(_ next: Kernel) throws -> Kernel {
        let w = width + next.width - 1, h = height + next.height - 1
        try Self.validate(width: w, height: h, count: w * h)
        var c = [Double](repeating: 0, count: w * h)
        // out(p) = Σ_j next[j] · mid(p + j − a₂), mid(q) = Σ_i self[i] · in(q + i − a₁):
        // the input offset i + j lands at index i + j of the result.
        for j in 0..<next.height {
            for i in 0..<next.width {
                let b = next[i, j]
                if b == 0 { continue }
                for y in 0..<height {
                    for x in 0..<width { c[(y + j) * w + x + i] += b * self[x, y] }
                }
            }
        }
        return Kernel(unchecked: w, h, c, anchorX + next.anchorX, anchorY + next.anchorY)
    }
}
