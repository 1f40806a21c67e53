/// Standardizes features to zero mean and unit variance, exactly as scikit-learn's
/// `StandardScaler` does.
///
/// Fit: `mean = Σx / n` and the population variance by the corrected two-pass algorithm
/// `var = (Σ(x−mean)² − (Σ(x−mean))²/n) / n` (Chan, Golub & LeVeque 1983,
/// doi:10.1080/00031305.1983.10483115), accumulated in `Double` row after row — the order NumPy
/// reduces along axis 0, so the results are bit-identical to sklearn's. Features whose variance
/// is indistinguishable from 0 (`var ≤ n·ε·var + (n·mean·ε)²`, sklearn's `_is_constant_feature`)
/// get `scale = 1` (sklearn's `_handle_zeros_in_scale`), so constant columns map to 0 instead of
/// NaN. Transform: `(x − mean) / scale`, evaluated in `Double` and rounded to the matrix's type
/// after each step (as NumPy does for float32 data with float64 parameters).
///
/// - Complexity: O(n·d) time, O(d) memory.
public struct StandardScaler: Sendable, Hashable, Codable {
    /// Subtract the mean. Default `true`.
    public var withMean: Bool
    /// Divide by the standard deviation. Default `true`.
    public var withStd: Bool
    /// Per-feature mean (`mean_`).
    public private(set) var mean: [Double]
    /// Per-feature population variance (`var_`).
    public private(set) var variance: [Double]
    /// Per-feature divisor (`scale_`): the standard deviation, or 1 for constant features.
    public private(set) var scale: [Double]
    /// Number of samples seen during fit (`n_samples_seen_`).
    public private(set) var samplesSeen: Int

    /// Fits the scaler on `x` (rows = samples).
    /// - Parameters:
    ///   - x: training matrix, at least one row, finite values.
    ///   - withMean: default `true`.
    ///   - withStd: default `true`.
    /// - Throws: `LearnError.invalidData` for an empty or non-finite matrix.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, withMean: Bool = true, withStd: Bool = true) throws {
        guard x.rows > 0 else { throw LearnError.invalidData(reason: "StandardScaler needs at least one sample") }
        try x.requireFinite()
        self.withMean = withMean
        self.withStd = withStd
        let n = x.rows, d = x.columns
        var sum = [Double](repeating: 0, count: d)
        var corr = [Double](repeating: 0, count: d)
        var sq = [Double](repeating: 0, count: d)
        x.withUnsafeRows { p in
            sum.withUnsafeMutableBufferPointer { s in
                for i in 0..<n { let r = p.baseAddress! + i * d; for j in 0..<d { s[j] += Double(r[j]) } }
            }
            let mean = sum.map { $0 / Double(n) }
            corr.withUnsafeMutableBufferPointer { c in
                sq.withUnsafeMutableBufferPointer { q in
                    for i in 0..<n {
                        let r = p.baseAddress! + i * d
                        for j in 0..<d { let t = Double(r[j]) - mean[j]; c[j] += t; q[j] += t * t }
                    }
                }
            }
        }
        let nd = Double(n)
        mean = sum.map { $0 / nd }
        variance = (0..<d).map { (sq[$0] - corr[$0] * corr[$0] / nd) / nd }
        let eps = Double.ulpOfOne
        let (mean, variance) = (self.mean, self.variance)
        scale = (0..<d).map { j in
            let v = variance[j], m = mean[j]
            let constant = v <= nd * eps * v + (nd * m * eps) * (nd * m * eps)
            return constant ? 1 : v.squareRoot()
        }
        samplesSeen = n
    }

    /// Number of features the scaler was fitted on.
    public var featureCount: Int { mean.count }

    /// `(x − mean) / scale` for every row, each step rounded to the matrix's type.
    ///
    /// scikit-learn: `StandardScaler.transform`.
    /// - Returns: a matrix of the same shape and precision.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    /// - Complexity: O(rows·columns).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func transform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(x.columns, featureCount, "StandardScaler")
        return x.shiftedThenDivided(subtracting: withMean ? mean : nil, dividingBy: withStd ? scale : nil)
    }

    /// `x · scale + mean` for every row. scikit-learn: `StandardScaler.inverse_transform`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func inverseTransform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(x.columns, featureCount, "StandardScaler")
        return x.scaledThenShifted(multiplyingBy: withStd ? scale : nil, adding: withMean ? mean : nil)
    }
}

/// Throws `LearnError.mismatch` unless `got == expected`.
func requireColumns(_ got: Int, _ expected: Int, _ what: String) throws {
    guard got == expected else {
        throw LearnError.mismatch(reason: "\(what) was fitted on \(expected) features, the data has \(got)")
    }
}

// The two per-feature affine maps of the scalers, each step evaluated in Double and rounded to
// the matrix's type (NumPy's order for float32 data with float64 parameters). A nil array skips
// its step; the optionals are resolved once, outside the row loop.
extension Matrix {
    /// `(x − shift) / divisor` per feature: `StandardScaler.transform`, `MinMaxScaler.inverseTransform`.
    func shiftedThenDivided(subtracting shift: [Double]?, dividingBy divisor: [Double]?) -> Matrix {
        let d = columns
        let subtracts = shift != nil, divides = divisor != nil
        let s = shift ?? [], q = divisor ?? []
        return mappingRows { r in
            for j in 0..<d {
                var v = r[j]
                if subtracts { v = Element(Double(v) - s[j]) }
                if divides { v = Element(Double(v) / q[j]) }
                r[j] = v
            }
        }
    }

    /// `x · factor + shift` per feature, then clamped to `bounds` when given:
    /// `StandardScaler.inverseTransform`, `MinMaxScaler.transform`.
    func scaledThenShifted(multiplyingBy factor: [Double]?, adding shift: [Double]?,
                           clampedTo bounds: (lower: Element, upper: Element)? = nil) -> Matrix {
        let d = columns
        let multiplies = factor != nil, adds = shift != nil, clamps = bounds != nil
        let f = factor ?? [], s = shift ?? []
        let (lower, upper) = bounds ?? (0, 0)
        return mappingRows { r in
            for j in 0..<d {
                var v = r[j]
                if multiplies { v = Element(Double(v) * f[j]) }
                if adds { v = Element(Double(v) + s[j]) }
                if clamps { v = Swift.min(Swift.max(v, lower), upper) }
                r[j] = v
            }
        }
    }
}
