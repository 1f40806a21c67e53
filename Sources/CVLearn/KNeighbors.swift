import CVCore
import Foundation

/// k-nearest-neighbours classification, matching scikit-learn's `KNeighborsClassifier` with
/// `algorithm="brute"`.
///
/// Recipe (prediction; fitting only stores the table):
/// 1. The k nearest training rows of every query (`NeighborSearch`: a float32 SGEMM per block
///    of queries screens out the rows that provably cannot enter the k smallest, the others
///    get Double distances through scikit-learn's heap, so equal distances at the k-th place
///    resolve as there).
/// 2. Weights: 1 each (`uniform`) or 1/d (`distance`); a query with a neighbour at distance 0
///    gives weight 1 to its zero-distance neighbours and 0 to the others (scikit-learn's
///    `_get_weights`).
/// 3. Probabilities: per class, the sum of its neighbours' weights over the total.
/// 4. Prediction: the class with the largest probability, the smallest class index on ties
///    (`np.argmax`, as `scipy.stats.mode`).
///
/// The model file holds the training table: `n × d` numbers (60,000 × 324 HOG rows are about
/// 19.4 million values, ~200 MB of JSON as float32 text) plus one label per row.
///
/// - Complexity: prediction O(q·n·d) for q queries and n training rows (the SGEMM), plus
///   O(q·n) for the scan and O(q·c·(d + log k)) for the c candidates per query that survive
///   the screen; memory O(n·d) (Double and float32 copies) plus 32 MB of scratch per thread.
/// - Reference: T. Cover, P. Hart, "Nearest neighbor pattern classification", IEEE Trans.
///   Information Theory 13(1), 1967, doi:10.1109/TIT.1967.1053964.
public struct KNeighborsClassifier: Classifier, Hashable {
    public static let kind = ClassifierKind.knn

    /// How the neighbours' votes are weighted (scikit-learn `weights`).
    public enum Weights: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every neighbour counts 1.
        case uniform
        /// A neighbour counts 1/distance; exact matches take all the weight.
        case distance
    }

    /// Hyper-parameters.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Neighbours consulted, k ≥ 1 and at most the training rows. Default 5 (`n_neighbors`).
        public var neighbors: Int
        /// Vote weighting. Default `.uniform`.
        public var weights: Weights
        /// Distance. Default `.euclidean`.
        public var metric: NeighborMetric

        public init(neighbors: Int = 5, weights: Weights = .uniform, metric: NeighborMetric = .euclidean) {
            self.neighbors = neighbors
            self.weights = weights
            self.metric = metric
        }

        /// Checks k against 1 and, when known, the training row count.
        /// - Throws: `LearnError.invalidParameter(name: "neighbors", …)`.
        public func validate(trainingRows: Int? = nil) throws {
            guard neighbors >= 1 else {
                throw LearnError.invalidParameter(name: "neighbors", reason: "must be at least 1, got \(neighbors)")
            }
            if let n = trainingRows, neighbors > n {
                throw LearnError.invalidParameter(name: "neighbors", reason: "\(neighbors) neighbours but only \(n) training rows")
            }
        }
    }

    public let parameters: Parameters
    public let classCount: Int
    public let featureCount: Int
    /// The training rows, `rows × featureCount` row-major (`_fit_X`).
    public let trainingRows: [Double]
    /// Class index of each training row (`_y`).
    public let trainingLabels: [Int]
    /// True when every stored value is a Float (the model file then writes them as float32 text).
    let singlePrecision: Bool
    private let search: NeighborSearch

    /// Stores the training table.
    /// - Throws: `LearnError.invalidParameter` for k outside 1...rows; `LearnError.invalidData`
    ///   for empty or non-finite data, bad labels, or an all-zero row under the cosine metric.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init<T: LearnScalar>(fitting x: Matrix<T>, labels y: [Int], classCount: Int, parameters: Parameters = Parameters()) throws {
        try parameters.validate()
        guard x.rows > 0, x.columns > 0 else { throw LearnError.invalidData(reason: "k-nearest neighbours needs at least one sample and one feature") }
        try parameters.validate(trainingRows: x.rows)
        try validateTargets(y, rows: x.rows, classCount: classCount)
        try x.requireFinite()
        try self.init(parameters: parameters, classCount: classCount, featureCount: x.columns,
                      rows: x.storage.map { Double($0) }, labels: y, singlePrecision: T.self == Float.self)
    }

    private init(parameters: Parameters, classCount: Int, featureCount: Int, rows: [Double], labels: [Int], singlePrecision: Bool) throws {
        self.parameters = parameters
        self.classCount = classCount
        self.featureCount = featureCount
        self.trainingRows = rows
        self.trainingLabels = labels
        self.singlePrecision = singlePrecision
        search = try NeighborSearch(rows: rows, count: labels.count, dimension: featureCount, metric: parameters.metric)
    }

    /// The k nearest training rows of each row of `x`, nearest first (equal distances: lower
    /// index first). scikit-learn: `kneighbors(X)`.
    /// - Returns: distances and training-row indices, both `rows × k` row-major.
    /// - Throws: `LearnError.mismatch` for a wrong column count; `LearnError.invalidData` for
    ///   non-finite values or an all-zero row under the cosine metric.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func neighbors<T: LearnScalar>(_ x: Matrix<T>) throws -> (distances: Matrix<Double>, indices: [Int]) {
        try requireFeatures(x)
        try x.requireFinite()
        let (d, i) = try search.nearest(x, k: parameters.neighbors)
        return (try Matrix(rows: x.rows, columns: parameters.neighbors, values: d), i)
    }

    /// Class probabilities: each class's share of the neighbours' weights. scikit-learn:
    /// `predict_proba`. - Returns: `rows × classCount`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func probabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        let (dist, idx) = try neighbors(x)
        return classShares(dist, idx)
    }

    /// The probabilities (their arg-max is the prediction). scikit-learn: `predict_proba`.
    public func decisionValues<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double> {
        try probabilities(x)!
    }

    /// `log` of the probabilities (−∞ for classes without votes). scikit-learn: `predict_log_proba`.
    public func logProbabilities<T: LearnScalar>(_ x: Matrix<T>) throws -> Matrix<Double>? {
        var p = try probabilities(x)!
        for t in 0..<p.storage.count { p.storage[t] = log(p.storage[t]) }
        return p
    }

    /// Steps 2–3: weights and per-class sums, normalised per row.
    private func classShares(_ dist: Matrix<Double>, _ idx: [Int]) -> Matrix<Double> {
        let k = parameters.neighbors, c = classCount, n = dist.rows
        var out = Matrix<Double>(rows: n, columns: c)
        var w = [Double](repeating: 1, count: k)
        for i in 0..<n {
            if parameters.weights == .distance { neighbourWeights(dist, row: i, into: &w) }
            for t in 0..<k { out[i, trainingLabels[idx[i * k + t]]] += w[t] }
            var total = 0.0
            for j in 0..<c { total += out[i, j] }
            // scikit-learn leaves a row whose weights sum to 0 unnormalised.
            if total != 0 { for j in 0..<c { out[i, j] /= total } }
        }
        return out
    }

    /// 1/d per neighbour; when some distance is 0, 1 for those and 0 for the rest.
    private func neighbourWeights(_ dist: Matrix<Double>, row i: Int, into w: inout [Double]) {
        let k = parameters.neighbors
        var exact = false
        for t in 0..<k { w[t] = 1 / dist[i, t]; if w[t].isInfinite { exact = true } }
        if exact { for t in 0..<k { w[t] = w[t].isInfinite ? 1 : 0 } }
    }

    // MARK: Codable (the model file)

    private enum CodingKeys: String, CodingKey {
        case parameters, classCount = "n_classes", featureCount = "n_features", fitX = "fit_X", fitXFloat32 = "fit_X_float32", labels = "y"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let parameters = try c.decode(Parameters.self, forKey: .parameters)
        let classCount = try c.decode(Int.self, forKey: .classCount), featureCount = try c.decode(Int.self, forKey: .featureCount)
        let labels = try c.decode([Int].self, forKey: .labels)
        let single = c.contains(.fitXFloat32)
        let rows = single ? try c.decode([Float].self, forKey: .fitXFloat32).map(Double.init) : try c.decode([Double].self, forKey: .fitX)
        guard classCount >= 1, featureCount >= 1, !labels.isEmpty, rows.count == (try checkedProduct(labels.count, featureCount, "fit_X")),
              labels.allSatisfy({ (0..<classCount).contains($0) }), rows.allSatisfy(\.isFinite) else {
            throw LearnError.decoding(source: "<memory>", reason: "k-nearest-neighbours table: \(rows.count) values, \(labels.count) labels, \(featureCount) features, \(classCount) classes do not agree")
        }
        do { try parameters.validate(trainingRows: labels.count) } catch let e as LearnError {
            throw LearnError.decoding(source: "<memory>", reason: e.description)
        }
        try self.init(parameters: parameters, classCount: classCount, featureCount: featureCount, rows: rows, labels: labels, singlePrecision: single)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(classCount, forKey: .classCount)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(trainingLabels, forKey: .labels)
        if singlePrecision { try c.encode(trainingRows.map { Float($0) }, forKey: .fitXFloat32) } else { try c.encode(trainingRows, forKey: .fitX) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.parameters == b.parameters && a.classCount == b.classCount && a.trainingRows == b.trainingRows && a.trainingLabels == b.trainingLabels
    }

    public func hash(into h: inout Hasher) { h.combine(parameters); h.combine(trainingLabels); h.combine(trainingRows.count) }
}
