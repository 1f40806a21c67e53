import Foundation

/// Platt probabilities for `KernelSVM`, ported from LIBSVM (`svm_binary_svc_probability`,
/// `sigmoid_train`, `sigmoid_predict`, `multiclass_probability`).
///
/// Per class pair: a 5-fold cross-validation inside the pair's training rows (shuffled with a
/// seeded generator — LIBSVM uses C `rand()`, so folds and hence A, B differ slightly from
/// LIBSVM's) gives out-of-fold decision values f; then (A, B) minimise the regularised
/// cross-entropy of P(y=+1|f) = 1/(1+exp(A·f+B)) by Newton's method with backtracking (Lin, Lin &
/// Weng 2007). Pairwise probabilities are coupled into class probabilities by Wu, Lin & Weng's
/// second method.
enum PlattScaling {
    static func sigmoidPredict(_ f: Double, _ a: Double, _ b: Double) -> Double {
        let fApB = f * a + b
        return fApB >= 0 ? exp(-fApB) / (1 + exp(-fApB)) : 1 / (1 + exp(fApB))
    }

    /// LIBSVM's `sigmoid_train`.
    static func sigmoidTrain(decision dec: [Double], positive: [Bool]) -> (Double, Double) {
        let l = dec.count
        let prior1 = Double(positive.filter { $0 }.count), prior0 = Double(l) - prior1
        let maxIter = 100, minStep = 1e-10, sigma = 1e-12, eps = 1e-5
        let hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2)
        let t = positive.map { $0 ? hi : lo }
        var a = 0.0, b = log((prior0 + 1) / (prior1 + 1))
        func objective(_ a: Double, _ b: Double) -> Double {
            var f = 0.0
            for i in 0..<l {
                let fApB = dec[i] * a + b
                f += fApB >= 0 ? t[i] * fApB + log(1 + exp(-fApB)) : (t[i] - 1) * fApB + log(1 + exp(fApB))
            }
            return f
        }
        var fval = objective(a, b)
        for _ in 0..<maxIter {
            var h11 = sigma, h22 = sigma, h21 = 0.0, g1 = 0.0, g2 = 0.0
            for i in 0..<l {
                let fApB = dec[i] * a + b
                let p: Double, q: Double
                if fApB >= 0 { p = exp(-fApB) / (1 + exp(-fApB)); q = 1 / (1 + exp(-fApB)) } else { p = 1 / (1 + exp(fApB)); q = exp(fApB) / (1 + exp(fApB)) }
                let d2 = p * q
                h11 += dec[i] * dec[i] * d2; h22 += d2; h21 += dec[i] * d2
                let d1 = t[i] - p
                g1 += dec[i] * d1; g2 += d1
            }
            if abs(g1) < eps && abs(g2) < eps { break }
            let det = h11 * h22 - h21 * h21
            let dA = -(h22 * g1 - h21 * g2) / det
            let dB = -(-h21 * g1 + h11 * g2) / det
            let gd = g1 * dA + g2 * dB
            var step = 1.0
            while step >= minStep {
                let na = a + step * dA, nb = b + step * dB
                let nf = objective(na, nb)
                if nf < fval + 0.0001 * step * gd { a = na; b = nb; fval = nf; break }
                step /= 2
            }
            if step < minStep { break }
        }
        return (a, b)
    }

    /// LIBSVM's `multiclass_probability`; `r` is the k×k pairwise matrix (r[i][j] = P(i | i or j)).
    static func multiclassProbability(k: Int, r: [Double]) -> [Double] {
        var p = [Double](repeating: 1 / Double(k), count: k)
        var q = [Double](repeating: 0, count: k * k)
        for t in 0..<k {
            for j in 0..<t { q[t * k + t] += r[j * k + t] * r[j * k + t]; q[t * k + j] = q[j * k + t] }
            for j in (t + 1)..<max(k, t + 1) { q[t * k + t] += r[j * k + t] * r[j * k + t]; q[t * k + j] = -r[j * k + t] * r[t * k + j] }
        }
        let maxIter = max(100, k), eps = 0.005 / Double(k)
        var qp = [Double](repeating: 0, count: k)
        for _ in 0..<maxIter {
            var pQp = 0.0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t * k + j] * p[j] }
                pQp += p[t] * qp[t]
            }
            var maxError = 0.0
            for t in 0..<k { maxError = max(maxError, abs(qp[t] - pQp)) }
            if maxError < eps { break }
            for t in 0..<k {
                let diff = (-qp[t] + pQp) / q[t * k + t]
                p[t] += diff
                pQp = (pQp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
                for j in 0..<k { qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff); p[j] /= (1 + diff) }
            }
        }
        return p
    }

    /// LIBSVM's `svm_binary_svc_probability` for one pair: rows[0..<positives] are class +1.
    static func binaryProbability(x: Matrix<Float>, rows: [Int], positives: Int, cp: Double, cn: Double, kernel: KernelFunction,
                                  parameters: KernelSVM.Parameters, cacheBytes: Int) -> (Double, Double) {
        let l = rows.count, folds = 5
        var perm = Array(0..<l)
        var rng = GaussianRandom(seed: parameters.seed &+ UInt64(rows.first ?? 0) &* 0x9E37_79B9)
        shufflePrefix(&perm, count: l, using: &rng)
        var dec = [Double](repeating: 0, count: l)
        let d = x.columns
        for f in 0..<folds {
            let begin = f * l / folds, end = (f + 1) * l / folds
            let trainLocal = Array(perm[0..<begin]) + Array(perm[end..<l])
            let pos = trainLocal.filter { $0 < positives }, neg = trainLocal.filter { $0 >= positives }
            if pos.isEmpty && neg.isEmpty { for j in begin..<end { dec[perm[j]] = 0 }; continue }
            if neg.isEmpty { for j in begin..<end { dec[perm[j]] = 1 }; continue }
            if pos.isEmpty { for j in begin..<end { dec[perm[j]] = -1 }; continue }
            let subRows = (pos + neg).map { rows[$0] }
            let (coef, rho) = SVCTrainer.solveBinary(x: x, rows: subRows, positives: pos.count, cp: cp, cn: cn, kernel: kernel,
                                                     parameters: parameters, cacheBytes: cacheBytes)
            let svs = coef.indices.filter { coef[$0] != 0 }
            let svm = x.selectingRows(svs.map { subRows[$0] })
            let test = x.selectingRows((begin..<end).map { rows[perm[$0]] })
            let n = end - begin, m = svs.count
            guard n > 0 else { continue }
            var kv = [Float](repeating: 0, count: n * max(m, 1))
            let sqA = test.withUnsafeRows { rowSquaredNorms($0.baseAddress!, n: n, d: d) }
            let sqB = svm.withUnsafeRows { rowSquaredNorms($0.baseAddress!, n: m, d: d) }
            if m > 0 {
                test.withUnsafeRows { a in svm.withUnsafeRows { b in kv.withUnsafeMutableBufferPointer { o in
                    kernel.block(a.baseAddress!, sqA: sqA, n: n, b.baseAddress!, sqB: sqB, m: m, d: d, into: o.baseAddress!)
                } } }
            }
            for (t, j) in (begin..<end).enumerated() {
                var s = 0.0
                for (u, sv) in svs.enumerated() { s += coef[sv] * Double(kv[t * m + u]) }
                dec[perm[j]] = s - rho
            }
        }
        return sigmoidTrain(decision: dec, positive: (0..<l).map { $0 < positives })
    }
}
