/// The one-vs-one class pairs of a `classCount`-class problem in LIBSVM's order:
/// (0, 1), (0, 2), …, (0, k−1), (1, 2), …, (k−2, k−1).
///
/// Every array indexed by pair — the decision-value columns, `rho`, the Platt parameters, the
/// training sub-problems — uses this order, so each loop over pairs iterates this sequence
/// instead of counting `p` by hand beside two nested class loops.
///
/// - Complexity: k(k−1)/2 elements, O(1) each.
struct ClassPairs: Sequence, Sendable {
    /// One pair: `first < second`; `index` is its position in LIBSVM's order.
    struct Pair: Equatable, Sendable {
        let first: Int
        let second: Int
        let index: Int
    }

    /// Number of classes k.
    let classCount: Int

    /// Number of pairs, k(k−1)/2.
    var count: Int { classCount * (classCount - 1) / 2 }

    struct Iterator: IteratorProtocol {
        let classCount: Int
        var first = 0, second = 1, index = 0

        mutating func next() -> Pair? {
            if second >= classCount {
                first += 1
                second = first + 1
                if second >= classCount { return nil }
            }
            defer { second += 1; index += 1 }
            return Pair(first: first, second: second, index: index)
        }
    }

    func makeIterator() -> Iterator { Iterator(classCount: classCount) }

    var underestimatedCount: Int { Swift.max(count, 0) }
}
