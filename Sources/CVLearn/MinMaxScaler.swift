/// Scales every feature to a range (default [0, 1]), exactly as scikit-learn's `MinMaxScaler`.
///
/// Fit: `dataMin`, `dataMax`, `dataRange = dataMax − dataMin` (computed in the matrix's own
/// precision, as NumPy does), `scale = (hi − lo) / dataRange` with a range below 10·ε replaced by 1
/// (sklearn's `_handle_zeros_in_scale`), `min = lo − dataMin·scale`. Transform: `x·scale + min`,
/// optionally clipped to [lo, hi].
///
/// - Complexity: O(n·d) time, O(d) memory.
public struct MinMaxScaler: Sendable, Hashable, Codable {
    /// Lower end of the target range. Default 0.
    public var lower: Double
    /// Upper end of the target range. Default 1.
    public var upper: Double
    /// Clip transformed values to the range. Default `false`.
    public var clip: Bool
    /// Per-feature minimum seen in fit (`data_min_`).
    public private(set) var dataMin: [Double]
    /// Per-feature maximum seen in fit (`data_max_`).
    public private(set) var dataMax: [Double]
    /// Per-feature multiplier (`scale_`).
    public private(set) var scale: [Double]
    /// Per-feature offset (`min_`).
    public private(set) var offset: [Double]

    /// Fits on `x`.
    /// - Parameters:
    ///   - x: training matrix, at least one row, finite values.
    ///   - range: target range, default `0...1`; must have `lower < upper`.
    ///   - clip: default `false`.
    /// - Throws: `LearnError.invalidParameter` for an empty range, `LearnError.invalidData` for empty or non-finite data.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, range: ClosedRange<Double> = 0...1, clip: Bool = false) throws {
        guard range.lowerBound < range.upperBound else {
            throw LearnError.invalidParameter(name: "range", reason: "minimum \(range.lowerBound) must be smaller than maximum \(range.upperBound)")
        }
        guard x.rows > 0 else { throw LearnError.invalidData(reason: "MinMaxScaler needs at least one sample") }
        try x.requireFinite()
        lower = range.lowerBound
        upper = range.upperBound
        self.clip = clip
        let d = x.columns
        var lo = Array(x.row(0)), hi = Array(x.row(0))
        x.withUnsafeRows { p in
            for i in 1..<max(x.rows, 1) where i < x.rows {
                let r = p.baseAddress! + i * d
                for j in 0..<d { lo[j] = Swift.min(lo[j], r[j]); hi[j] = Swift.max(hi[j], r[j]) }
            }
        }
        let width = T(upper - lower)
        let tlo = T(lower)
        var scaleT = [T](repeating: 1, count: d), offT = [T](repeating: 0, count: d)
        for j in 0..<d {
            var rangeJ = hi[j] - lo[j]
            if rangeJ < 10 * T.ulpOfOne { rangeJ = 1 }
            scaleT[j] = width / rangeJ
            offT[j] = tlo - lo[j] * scaleT[j]
        }
        dataMin = lo.map(Double.init)
        dataMax = hi.map(Double.init)
        scale = scaleT.map(Double.init)
        offset = offT.map(Double.init)
    }

    /// Number of features the scaler was fitted on.
    public var featureCount: Int { dataMin.count }

    /// `x·scale + min` per row (clipped to the range when `clip`), each step rounded to the
    /// matrix's type.
    ///
    /// scikit-learn: `MinMaxScaler.transform`.
    /// - Returns: a matrix of the same shape and precision.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    /// - Complexity: O(rows·columns).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func transform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(x.columns, featureCount, "MinMaxScaler")
        return x.scaledThenShifted(multiplyingBy: scale, adding: offset, clampedTo: clip ? (T(lower), T(upper)) : nil)
    }

    /// `(x − min) / scale` per row. scikit-learn: `MinMaxScaler.inverse_transform`.
    /// - Throws: `LearnError.mismatch` when the column count differs from the fit.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func inverseTransform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        try requireColumns(x.columns, featureCount, "MinMaxScaler")
        return x.shiftedThenDivided(subtracting: offset, dividingBy: scale)
    }
}

/// A fitted scaler as stored in model files.
public enum Scaler: Sendable, Hashable {
    case standard(StandardScaler)
    case minMax(MinMaxScaler)

    /// The scaler kinds `cvtool train --scale` accepts.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case standard, minmax, none
    }

    /// Fits a scaler of `kind` (nil for `.none`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func fit<T: LearnScalar>(_ kind: Kind, on x: Matrix<T>) throws -> Scaler? {
        switch kind {
        case .standard: return .standard(try StandardScaler(fitting: x))
        case .minmax: return .minMax(try MinMaxScaler(fitting: x))
        case .none: return nil
        }
    }

    public var featureCount: Int {
        switch self { case let .standard(s): return s.featureCount; case let .minMax(s): return s.featureCount }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func transform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        switch self { case let .standard(s): return try s.transform(x); case let .minMax(s): return try s.transform(x) }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func inverseTransform<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<T> {
        switch self { case let .standard(s): return try s.inverseTransform(x); case let .minMax(s): return try s.inverseTransform(x) }
    }
}

extension Scaler: Codable {
    enum CodingKeys: String, CodingKey { case type, standard, minmax }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "standard": self = .standard(try c.decode(StandardScaler.self, forKey: .standard))
        case "minmax": self = .minMax(try c.decode(MinMaxScaler.self, forKey: .minmax))
        case let t: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown scaler type '\(t)'")
        }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .standard(s): try c.encode("standard", forKey: .type); try c.encode(s, forKey: .standard)
        case let .minMax(s): try c.encode("minmax", forKey: .type); try c.encode(s, forKey: .minmax)
        }
    }
}
