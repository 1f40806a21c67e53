/// The C-SVC kernel matrix `Q_ij = y_i y_j K(x_i, x_j)` of one binary sub-problem, with rows
/// computed on demand through BLAS and kept in a `KernelCache` (LIBSVM's `SVC_Q`).
///
/// The sample rows live in a private Float copy that is physically permuted when the solver
/// swaps two indices (shrinking), so a prefix of rows is always one contiguous block for
/// `cblas_sgemv`.
final class SVCQMatrix {
    let l: Int
    let d: Int
    let kernel: KernelFunction
    let x: UnsafeMutablePointer<Float>
    let sq: UnsafeMutablePointer<Float>
    let y: UnsafeMutablePointer<Int8>
    let qd: UnsafeMutablePointer<Double>
    let cache: KernelCache
    /// Scratch row (kernel values before the sign flip).
    private let tmp: UnsafeMutablePointer<Float>

    init(x rows: UnsafePointer<Float>, l: Int, d: Int, y labels: [Int8], kernel: KernelFunction, cacheBytes: Int) {
        self.l = l
        self.d = d
        self.kernel = kernel
        x = .allocate(capacity: max(1, l * d))
        x.initialize(from: rows, count: l * d)
        sq = .allocate(capacity: l)
        let norms = rowSquaredNorms(rows, n: l, d: d)
        for i in 0..<l { sq[i] = norms[i] }
        y = .allocate(capacity: l)
        for i in 0..<l { y[i] = labels[i] }
        qd = .allocate(capacity: l)
        tmp = .allocate(capacity: max(1, l))
        cache = KernelCache(rows: l, bytes: cacheBytes)
        for i in 0..<l {
            kernel.row(x + i * d, sqX: sq[i], x + i * d, sqY: sq + i, count: 1, d: d, into: tmp)
            // LIBSVM computes QD in double; for RBF it is exactly 1.
            qd[i] = kernel.type == .rbf ? 1 : Double(tmp[0])
        }
    }

    deinit {
        x.deallocate(); sq.deallocate(); y.deallocate(); qd.deallocate(); tmp.deallocate()
    }

    /// Row `i` of Q, valid for columns `0..<len`.
    @inline(__always)
    func row(_ i: Int, _ len: Int) -> UnsafeMutablePointer<Float> {
        let (data, start) = cache.data(i, len: len)
        if start < len {
            let n = len - start
            kernel.row(x + i * d, sqX: sq[i], x + start * d, sqY: sq + start, count: n, d: d, into: data + start)
            if y[i] > 0 {
                for j in start..<len where y[j] < 0 { data[j] = -data[j] }
            } else {
                for j in start..<len where y[j] > 0 { data[j] = -data[j] }
            }
        }
        return data
    }

    func swapIndex(_ i: Int, _ j: Int) {
        cache.swapIndex(i, j)
        let a = x + i * d, b = x + j * d
        for k in 0..<d { let t = a[k]; a[k] = b[k]; b[k] = t }
        swap(&sq[i], &sq[j])
        swap(&y[i], &y[j])
        swap(&qd[i], &qd[j])
    }
}

/// LIBSVM's SMO solver for the C-SVC dual
///
///     min ½ αᵀQα − eᵀα   s.t. yᵀα = 0, 0 ≤ α_i ≤ C_i,
///
/// with second-order working-set selection (WSS 2 of Fan, Chen & Lin 2005), shrinking and
/// gradient reconstruction, a faithful port of `Solver::Solve` in LIBSVM 3.x (svm.cpp): the same
/// iteration order, stopping rule (max violation < eps), shrinking schedule (every
/// min(l, 1000) iterations, unshrink once the violation is below 10·eps) and ρ computation.
///
/// - Reference: R.-E. Fan, P.-H. Chen, C.-J. Lin, "Working set selection using second order
///   information for training support vector machines", JMLR 6 (2005) 1889–1918.
///   C.-C. Chang, C.-J. Lin, "LIBSVM: a library for support vector machines", ACM TIST 2(3)
///   (2011), doi:10.1145/1961189.1961199.
final class SMOSolver {
    struct Result {
        /// α_i · y_i in the original sample order.
        var coefficients: [Double]
        var rho: Double
        var iterations: Int
    }

    private static let tau = 1e-12
    private enum Status: UInt8 { case lower, upper, free }

    private let q: SVCQMatrix
    private let l: Int
    private let cp: Double, cn: Double, eps: Double
    private let shrinking: Bool
    private var activeSize: Int
    private var unshrink = false
    private let alpha: UnsafeMutablePointer<Double>
    private let g: UnsafeMutablePointer<Double>
    private let gBar: UnsafeMutablePointer<Double>
    private let status: UnsafeMutablePointer<Status>
    private let activeSet: UnsafeMutablePointer<Int>
    private let y: UnsafeMutablePointer<Int8>

    init(q: SVCQMatrix, cp: Double, cn: Double, eps: Double, shrinking: Bool) {
        self.q = q
        l = q.l
        self.cp = cp
        self.cn = cn
        self.eps = eps
        self.shrinking = shrinking
        activeSize = l
        alpha = .allocate(capacity: l); alpha.initialize(repeating: 0, count: l)
        g = .allocate(capacity: l); g.initialize(repeating: -1, count: l)  // p = −e
        gBar = .allocate(capacity: l); gBar.initialize(repeating: 0, count: l)
        status = .allocate(capacity: l); status.initialize(repeating: .lower, count: l)
        activeSet = .allocate(capacity: l)
        for i in 0..<l { activeSet[i] = i }
        y = q.y
    }

    deinit {
        alpha.deallocate(); g.deallocate(); gBar.deallocate(); status.deallocate(); activeSet.deallocate()
    }

    @inline(__always) private func cOf(_ i: Int) -> Double { y[i] > 0 ? cp : cn }
    @inline(__always) private func updateStatus(_ i: Int) {
        status[i] = alpha[i] >= cOf(i) ? .upper : (alpha[i] <= 0 ? .lower : .free)
    }
    @inline(__always) private func isUpper(_ i: Int) -> Bool { status[i] == .upper }
    @inline(__always) private func isLower(_ i: Int) -> Bool { status[i] == .lower }
    @inline(__always) private func isFree(_ i: Int) -> Bool { status[i] == .free }

    /// Solves; `progress` is called now and then with the current maximal violation.
    func solve(maxIterations: Int? = nil, progress: ((Double) -> Void)? = nil) -> Result {
        // α = 0 initially: G = p = −1 and Ḡ = 0, no initial gradient pass needed.
        let maxIter = maxIterations ?? max(10_000_000, l > Int(Int32.max) / 100 ? Int(Int32.max) : 100 * l)
        var iter = 0
        var counter = min(l, 1000) + 1
        while iter < maxIter {
            counter -= 1
            if counter == 0 {
                counter = min(l, 1000)
                if shrinking { doShrinking() }
            }
            var (ws, violation) = selectWorkingSet()
            if ws == nil {
                reconstructGradient()
                activeSize = l
                (ws, violation) = selectWorkingSet()
                if ws == nil { break }
                counter = 1
            }
            if let progress, iter % 1000 == 0 { progress(violation) }
            let (i, j) = ws!
            iter += 1
            step(i, j)
        }
        if iter >= maxIter, activeSize < l {
            reconstructGradient()
            activeSize = l
        }
        let rho = calculateRho()
        var coef = [Double](repeating: 0, count: l)
        for i in 0..<l { coef[activeSet[i]] = alpha[i] * Double(y[i]) }
        return Result(coefficients: coef, rho: rho, iterations: iter)
    }

    @inline(__always)
    private func step(_ i: Int, _ j: Int) {
        let qi = q.row(i, activeSize)
        let qj = q.row(j, activeSize)
        let qd = q.qd
        let ci = cOf(i), cj = cOf(j)
        let oldI = alpha[i], oldJ = alpha[j]
        if y[i] != y[j] {
            var quad = qd[i] + qd[j] + 2 * Double(qi[j])
            if quad <= 0 { quad = Self.tau }
            let delta = (-g[i] - g[j]) / quad
            let diff = alpha[i] - alpha[j]
            alpha[i] += delta; alpha[j] += delta
            if diff > 0 {
                if alpha[j] < 0 { alpha[j] = 0; alpha[i] = diff }
            } else {
                if alpha[i] < 0 { alpha[i] = 0; alpha[j] = -diff }
            }
            if diff > ci - cj {
                if alpha[i] > ci { alpha[i] = ci; alpha[j] = ci - diff }
            } else {
                if alpha[j] > cj { alpha[j] = cj; alpha[i] = cj + diff }
            }
        } else {
            var quad = qd[i] + qd[j] - 2 * Double(qi[j])
            if quad <= 0 { quad = Self.tau }
            let delta = (g[i] - g[j]) / quad
            let sum = alpha[i] + alpha[j]
            alpha[i] -= delta; alpha[j] += delta
            if sum > ci {
                if alpha[i] > ci { alpha[i] = ci; alpha[j] = sum - ci }
            } else {
                if alpha[j] < 0 { alpha[j] = 0; alpha[i] = sum }
            }
            if sum > cj {
                if alpha[j] > cj { alpha[j] = cj; alpha[i] = sum - cj }
            } else {
                if alpha[i] < 0 { alpha[i] = 0; alpha[j] = sum }
            }
        }
        let dai = alpha[i] - oldI, daj = alpha[j] - oldJ
        for k in 0..<activeSize { g[k] += Double(qi[k]) * dai + Double(qj[k]) * daj }
        let ui = isUpper(i), uj = isUpper(j)
        updateStatus(i); updateStatus(j)
        if ui != isUpper(i) {
            let r = q.row(i, l)
            if ui { for k in 0..<l { gBar[k] -= ci * Double(r[k]) } } else { for k in 0..<l { gBar[k] += ci * Double(r[k]) } }
        }
        if uj != isUpper(j) {
            let r = q.row(j, l)
            if uj { for k in 0..<l { gBar[k] -= cj * Double(r[k]) } } else { for k in 0..<l { gBar[k] += cj * Double(r[k]) } }
        }
    }

    /// WSS 2; nil when the maximal violation is below eps. Also returns the violation.
    @inline(__always)
    private func selectWorkingSet() -> ((Int, Int)?, Double) {
        var gmax = -Double.infinity, gmax2 = -Double.infinity
        var gmaxIdx = -1, gminIdx = -1
        var objDiffMin = Double.infinity
        for t in 0..<activeSize {
            if y[t] == 1 {
                if !isUpper(t), -g[t] >= gmax { gmax = -g[t]; gmaxIdx = t }
            } else {
                if !isLower(t), g[t] >= gmax { gmax = g[t]; gmaxIdx = t }
            }
        }
        let i = gmaxIdx
        if i != -1 {
            let qi = q.row(i, activeSize)
            let qd = q.qd
            let qdi = qd[i]
            let yi = Double(y[i])
            for j in 0..<activeSize {
                if y[j] == 1 {
                    if !isLower(j) {
                        let gradDiff = gmax + g[j]
                        if g[j] >= gmax2 { gmax2 = g[j] }
                        if gradDiff > 0 {
                            let quad = qdi + qd[j] - 2.0 * yi * Double(qi[j])
                            let objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / Self.tau
                            if objDiff <= objDiffMin { gminIdx = j; objDiffMin = objDiff }
                        }
                    }
                } else {
                    if !isUpper(j) {
                        let gradDiff = gmax - g[j]
                        if -g[j] >= gmax2 { gmax2 = -g[j] }
                        if gradDiff > 0 {
                            let quad = qdi + qd[j] + 2.0 * yi * Double(qi[j])
                            let objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / Self.tau
                            if objDiff <= objDiffMin { gminIdx = j; objDiffMin = objDiff }
                        }
                    }
                }
            }
        } else {
            for j in 0..<activeSize {
                if y[j] == 1 { if !isLower(j), g[j] >= gmax2 { gmax2 = g[j] } } else { if !isUpper(j), -g[j] >= gmax2 { gmax2 = -g[j] } }
            }
        }
        if gmax + gmax2 < eps || gminIdx == -1 { return (nil, gmax + gmax2) }
        return ((gmaxIdx, gminIdx), gmax + gmax2)
    }

    private func swapIndex(_ i: Int, _ j: Int) {
        q.swapIndex(i, j)
        swap(&g[i], &g[j])
        swap(&status[i], &status[j])
        swap(&alpha[i], &alpha[j])
        swap(&activeSet[i], &activeSet[j])
        swap(&gBar[i], &gBar[j])
        // p is −1 everywhere: nothing to swap.
    }

    private func reconstructGradient() {
        guard activeSize != l else { return }
        for j in activeSize..<l { g[j] = gBar[j] - 1 }
        var nrFree = 0
        for j in 0..<activeSize where isFree(j) { nrFree += 1 }
        if nrFree * l > 2 * activeSize * (l - activeSize) {
            for i in activeSize..<l {
                let qi = q.row(i, activeSize)
                var s = 0.0
                for j in 0..<activeSize where isFree(j) { s += alpha[j] * Double(qi[j]) }
                g[i] += s
            }
        } else {
            for i in 0..<activeSize where isFree(i) {
                let qi = q.row(i, l)
                let ai = alpha[i]
                for j in activeSize..<l { g[j] += ai * Double(qi[j]) }
            }
        }
    }

    @inline(__always)
    private func beShrunk(_ i: Int, _ gmax1: Double, _ gmax2: Double) -> Bool {
        if isUpper(i) {
            return y[i] == 1 ? -g[i] > gmax1 : -g[i] > gmax2
        } else if isLower(i) {
            return y[i] == 1 ? g[i] > gmax2 : g[i] > gmax1
        }
        return false
    }

    private func doShrinking() {
        var gmax1 = -Double.infinity, gmax2 = -Double.infinity
        for i in 0..<activeSize {
            if y[i] == 1 {
                if !isUpper(i), -g[i] >= gmax1 { gmax1 = -g[i] }
                if !isLower(i), g[i] >= gmax2 { gmax2 = g[i] }
            } else {
                if !isUpper(i), -g[i] >= gmax2 { gmax2 = -g[i] }
                if !isLower(i), g[i] >= gmax1 { gmax1 = g[i] }
            }
        }
        if !unshrink, gmax1 + gmax2 <= eps * 10 {
            unshrink = true
            reconstructGradient()
            activeSize = l
        }
        var i = 0
        while i < activeSize {
            if beShrunk(i, gmax1, gmax2) {
                activeSize -= 1
                while activeSize > i {
                    if !beShrunk(activeSize, gmax1, gmax2) {
                        swapIndex(i, activeSize)
                        break
                    }
                    activeSize -= 1
                }
            }
            i += 1
        }
    }

    private func calculateRho() -> Double {
        var nrFree = 0
        var ub = Double.infinity, lb = -Double.infinity, sumFree = 0.0
        for i in 0..<activeSize {
            let yG = Double(y[i]) * g[i]
            if isUpper(i) {
                if y[i] == -1 { ub = min(ub, yG) } else { lb = max(lb, yG) }
            } else if isLower(i) {
                if y[i] == 1 { ub = min(ub, yG) } else { lb = max(lb, yG) }
            } else {
                nrFree += 1
                sumFree += yG
            }
        }
        return nrFree > 0 ? sumFree / Double(nrFree) : (ub + lb) / 2
    }
}
