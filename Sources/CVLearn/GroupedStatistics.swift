import CVCore

/// Per-class column sums and squared deviations in fixed row blocks: the statistics Naive Bayes
/// fits on. Blocks of `blockRows` rows are accumulated independently (in parallel) and combined
/// in block order, so results do not depend on the thread count. One pass also validates the
/// values (finite, optionally non-negative) and reports the first offending element.
///
/// For one-hot labels Y these are `Yᵀ·X` (and its centered squares); computed as grouped sums in
/// O(n·d) rather than a GEMM's O(n·d·C).
enum GroupedStatistics {
    static let blockRows = 8192

    /// `sums[c*d + j]` = Σ x_ij over rows of class c; `total[j]` = Σ x_ij over all rows.
    /// Throws for a non-finite value, or a negative one when `nonNegative` names the model.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func sums<T: LearnScalar>(_ x: Matrix<T>, labels y: [Int], classCount C: Int, nonNegative: String?) throws -> (sums: [Double], total: [Double]) {
        let n = x.rows, d = x.columns
        var firstBad = [Int](repeating: -1, count: blockCount(n))
        let checkSign = nonNegative != nil
        let result = firstBad.withUnsafeMutableBufferPointer { bad in
            blockwise(x, labels: y, classCount: C) { b, rows, base, yl, a, tot in
                for i in rows {
                    let r = base + i * d
                    let s = a + yl[i] * d
                    var ok = true
                    for j in 0..<d {
                        let v = Double(r[j])
                        s[j] += v
                        tot[j] += v
                        ok = ok && v.isFinite && (!checkSign || v >= 0)
                    }
                    if !ok && bad[b] < 0 { bad[b] = i }
                }
            }
        }
        if let i = firstBad.first(where: { $0 >= 0 }) {
            let j = (0..<d).first { let v = Double(x[i, $0]); return !v.isFinite || (checkSign && v < 0) }!
            let v = x[i, j]
            if !Double(v).isFinite { throw LearnError.invalidData(reason: "X has a non-finite value (\(v)) at row \(i), column \(j)") }
            throw LearnError.invalidData(reason: "\(nonNegative!) needs non-negative features (counts or frequencies); row \(i), column \(j) is \(v) — use --scale minmax or gaussian-nb")
        }
        return (result.perClass, result.total)
    }

    /// `dev[c*d + j]` = Σ (x_ij − mean_cj)² over rows of class c; `totalDev[j]` = Σ (x_ij − mean_j)².
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func squaredDeviations<T: LearnScalar>(_ x: Matrix<T>, labels y: [Int], classCount C: Int, classMeans: [Double], mean: [Double]) -> (dev: [Double], totalDev: [Double]) {
        let d = x.columns
        let result = classMeans.withUnsafeBufferPointer { cm in
            mean.withUnsafeBufferPointer { m in
                blockwise(x, labels: y, classCount: C) { _, rows, base, yl, a, tot in
                    for i in rows {
                        let r = base + i * d
                        let c = yl[i]
                        let s = a + c * d, mc = cm.baseAddress! + c * d
                        for j in 0..<d {
                            let v = Double(r[j])
                            let e = v - mc[j], f = v - m[j]
                            s[j] += e * e
                            tot[j] += f * f
                        }
                    }
                }
            }
        }
        return (result.perClass, result.total)
    }

    static func blockCount(_ rows: Int) -> Int { (rows + blockRows - 1) / blockRows }

    /// The block scheme both statistics share: `accumulate(b, rows, x, labels, perClass, total)`
    /// adds the rows of block b into its own zeroed `C × d` per-class sums and `d` totals
    /// (blocks in parallel); the blocks are then combined in block order, so the result does
    /// not depend on the thread count.
    private static func blockwise<T: LearnScalar>(
        _ x: Matrix<T>, labels y: [Int], classCount C: Int,
        _ accumulate: (Int, Range<Int>, UnsafePointer<T>, UnsafePointer<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    ) -> (perClass: [Double], total: [Double]) {
        let n = x.rows, d = x.columns
        let blocks = blockCount(n)
        var partial = [Double](repeating: 0, count: blocks * (C + 1) * d)
        x.withUnsafeRows { p in
            y.withUnsafeBufferPointer { yl in
                partial.withUnsafeMutableBufferPointer { acc in
                    let base = p.baseAddress!, labels = yl.baseAddress!, ab = acc.baseAddress!
                    Parallel.forEachStripe(rows: blocks, minRowsPerStripe: 1, stripesPerThread: 1, threads: LinearAlgebra.threadCount) { range in
                        for b in range {
                            let a = ab + b * (C + 1) * d
                            accumulate(b, (b * blockRows)..<min(n, (b + 1) * blockRows), base, labels, a, a + C * d)
                        }
                    }
                }
            }
        }
        var perClass = [Double](repeating: 0, count: C * d), total = [Double](repeating: 0, count: d)
        for b in 0..<blocks {
            let o = b * (C + 1) * d
            for k in 0..<(C * d) { perClass[k] += partial[o + k] }
            for j in 0..<d { total[j] += partial[o + C * d + j] }
        }
        return (perClass, total)
    }
}
