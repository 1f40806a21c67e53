/// Stratified k-fold splits, as scikit-learn's `StratifiedKFold`: classes are numbered by first
/// appearance, the sorted labels are dealt round-robin to the folds to decide how many samples
/// of each class every test fold gets, and each class's samples (in data order) fill the folds
/// in turn. With `seed`, each class's fold assignment is shuffled (sklearn's `shuffle=True`;
/// the generator differs from NumPy's, so shuffled folds are not sklearn's). Without a seed the
/// folds are identical to `StratifiedKFold(n_splits=k)`.
///
/// - Complexity: O(n + k·C).
public struct StratifiedKFold: Sendable, Hashable {
    /// Number of folds (≥ 2).
    public let splits: Int
    /// Shuffle seed, or nil for no shuffling (default).
    public let seed: UInt64?

    /// - Throws: `LearnError.invalidParameter` when `splits < 2`.
    public init(splits: Int, seed: UInt64? = nil) throws {
        guard splits >= 2 else { throw LearnError.invalidParameter(name: "splits", reason: "need at least 2 folds, got \(splits)") }
        self.splits = splits
        self.seed = seed
    }

    /// Test-fold index (0..<splits) of every sample.
    /// - Throws: `LearnError.invalidParameter` when `splits` exceeds the number of samples or of
    ///   members of every class.
    public func testFolds(labels y: [Int]) throws -> [Int] {
        var firstSeen: [Int: Int] = [:]
        var encoded = [Int](repeating: 0, count: y.count)
        for (i, v) in y.enumerated() {
            if firstSeen[v] == nil { firstSeen[v] = firstSeen.count }
            encoded[i] = firstSeen[v]!
        }
        let c = firstSeen.count
        var counts = [Int](repeating: 0, count: c)
        for e in encoded { counts[e] += 1 }
        guard splits <= y.count else {
            throw LearnError.invalidParameter(name: "splits", reason: "cannot make \(splits) folds from \(y.count) samples")
        }
        guard counts.contains(where: { $0 >= splits }) else {
            throw LearnError.invalidParameter(name: "splits", reason: "\(splits) folds but no class has that many members")
        }
        let order = encoded.sorted()
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: c), count: splits)
        for (pos, cls) in order.enumerated() { allocation[pos % splits][cls] += 1 }
        var rng = seed.map { GaussianRandom(seed: $0) }
        var folds = [Int](repeating: 0, count: y.count)
        var members = [[Int]](repeating: [], count: c)
        for (i, e) in encoded.enumerated() { members[e].append(i) }
        for k in 0..<c {
            var assignment: [Int] = []
            for f in 0..<splits { assignment += [Int](repeating: f, count: allocation[f][k]) }
            if rng != nil {
                for i in stride(from: assignment.count - 1, to: 0, by: -1) {
                    let j = Int(rng!.nextUInt64() % UInt64(i + 1))
                    assignment.swapAt(i, j)
                }
            }
            for (idx, sample) in members[k].enumerated() { folds[sample] = assignment[idx] }
        }
        return folds
    }

    /// `(train, test)` index lists for each fold.
    public func split(labels y: [Int]) throws -> [(train: [Int], test: [Int])] {
        let folds = try testFolds(labels: y)
        return (0..<splits).map { f in
            (train: folds.indices.filter { folds[$0] != f }, test: folds.indices.filter { folds[$0] == f })
        }
    }
}
