import CLAPACK
import CVCore
import Foundation

/// The kernel functions of `KernelSVM`.
///
/// | kernel | K(x, y) | sklearn / LIBSVM |
/// |---|---|---|
/// | `linear` | x·y | `kernel="linear"`, `-t 0` |
/// | `polynomial` | (γ x·y + coef0)^degree | `kernel="poly"`, `-t 1` |
/// | `rbf` | exp(−γ‖x − y‖²) | `kernel="rbf"`, `-t 2` |
/// | `sigmoid` | tanh(γ x·y + coef0) | `kernel="sigmoid"`, `-t 3` |
/// | `chi2` | exp(−γ Σ_k (x_k − y_k)² / (x_k + y_k)), terms with x_k + y_k = 0 skipped | `sklearn.metrics.pairwise.chi2_kernel` (needs x, y ≥ 0) |
/// | `intersection` | Σ_k min(x_k, y_k) | histogram intersection (Swain & Ballard 1991; needs x, y ≥ 0) |
///
/// χ² and intersection suit histogram features such as HOG.
public enum KernelType: String, Sendable, Hashable, Codable, CaseIterable {
    case linear
    case polynomial = "poly"
    case rbf
    case sigmoid
    case chi2
    case intersection

    /// Whether γ enters the kernel.
    public var usesGamma: Bool { self == .polynomial || self == .rbf || self == .sigmoid || self == .chi2 }
    /// Whether the kernel is defined for non-negative features only.
    public var needsNonNegative: Bool { self == .chi2 || self == .intersection }
}

/// γ as a number or one of scikit-learn's rules.
public enum GammaSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `1 / (n_features · X.var())` over all elements of the training matrix (sklearn's default
    /// `gamma="scale"`; 1 when the variance is 0).
    case scale
    /// `1 / n_features` (sklearn's `gamma="auto"`, LIBSVM's default).
    case auto
    /// A fixed positive value.
    case value(Double)

    /// Parses `scale`, `auto` or a positive number.
    /// - Throws: `LearnError.invalidParameter` otherwise.
    public init(parsing s: String) throws {
        switch s.lowercased() {
        case "scale": self = .scale
        case "auto": self = .auto
        default:
            guard let v = Double(s), v > 0, v.isFinite else {
                throw LearnError.invalidParameter(name: "gamma", reason: "expected scale, auto or a positive number, got '\(s)'")
            }
            self = .value(v)
        }
    }

    public var description: String {
        switch self {
        case .scale: return "scale"
        case .auto: return "auto"
        case let .value(v): return "\(v)"
        }
    }

    /// The numeric γ for a training matrix.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func resolve<T: LearnScalar>(for x: Matrix<T>) -> Double {
        switch self {
        case let .value(v): return v
        case .auto: return 1.0 / Double(max(x.columns, 1))
        case .scale:
            // NumPy's X.var(): two-pass mean then mean of squared deviations (in Double here).
            let n = Double(x.storage.count)
            guard n > 0 else { return 1 }
            var s = 0.0
            x.withUnsafeRows { p in for v in p { s += Double(v) } }
            let mean = s / n
            var ss = 0.0
            x.withUnsafeRows { p in for v in p { let d = Double(v) - mean; ss += d * d } }
            let v = ss / n
            return v == 0 ? 1.0 : 1.0 / (Double(x.columns) * v)
        }
    }
}

/// A kernel with its numeric parameters resolved (γ is a number here).
public struct KernelFunction: Sendable, Hashable, Codable {
    public var type: KernelType
    public var gamma: Double
    public var degree: Int
    public var coef0: Double

    public init(type: KernelType, gamma: Double, degree: Int = 3, coef0: Double = 0) {
        self.type = type
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
    }

    /// Whether rows are computed from dot products (one BLAS `sgemv`/`sgemm`).
    var isDotBased: Bool { type != .chi2 && type != .intersection }

    /// Reference implementation: K(a, b) evaluated directly in Double (slow, readable; used by
    /// tests to check the BLAS paths).
    public func evaluate(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        func dot() -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        switch type {
        case .linear: return dot()
        case .polynomial: return pow(gamma * dot() + coef0, Double(degree))
        case .rbf: return exp(-gamma * zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
        case .sigmoid: return tanh(gamma * dot() + coef0)
        case .chi2:
            var s = 0.0
            for (x, y) in zip(a, b) where x + y != 0 { s += (x - y) * (x - y) / (x + y) }
            return exp(-gamma * s)
        case .intersection: return zip(a, b).reduce(0) { $0 + min($1.0, $1.1) }
        }
    }

    /// Turns dot products `dots[j] = x·y_j` into kernel values in place (`sqX = ‖x‖²`,
    /// `sqY[j] = ‖y_j‖²`, only read for RBF).
    @inline(__always)
    func finishDots(_ dots: UnsafeMutablePointer<Float>, count: Int, sqX: Float, sqY: UnsafePointer<Float>) {
        switch type {
        case .linear: break
        case .rbf:
            let g = Float(-gamma)
            for j in 0..<count {
                let d2 = max(0, sqX + sqY[j] - 2 * dots[j])
                dots[j] = expf(g * d2)
            }
        case .polynomial:
            let g = gamma, c0 = coef0, deg = degree
            for j in 0..<count { dots[j] = Float(powi(g * Double(dots[j]) + c0, deg)) }
        case .sigmoid:
            let g = gamma, c0 = coef0
            for j in 0..<count { dots[j] = Float(tanh(g * Double(dots[j]) + c0)) }
        case .chi2, .intersection: break
        }
    }

    /// χ² or intersection kernel between `x` and rows `y[0..<count]` (row stride `d`).
    @inline(__always)
    func direct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int, d: Int, into out: UnsafeMutablePointer<Float>) {
        if type == .chi2 {
            let g = Float(-gamma)
            for j in 0..<count {
                let r = y + j * d
                var s: Float = 0
                for k in 0..<d {
                    let a = x[k], b = r[k]
                    let den = a + b
                    if den != 0 { let t = a - b; s += t * t / den }
                }
                out[j] = expf(g * s)
            }
        } else {
            var j = 0
            while j < count {
                let r = y + j * d
                var acc = SIMD8<Float>.zero
                var k = 0
                while k + 8 <= d {
                    let a = UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self)
                    let b = UnsafeRawPointer(r + k).loadUnaligned(as: SIMD8<Float>.self)
                    acc += pointwiseMin(a, b)
                    k += 8
                }
                var s = acc.sum()
                while k < d { s += min(x[k], r[k]); k += 1 }
                out[j] = s
                j += 1
            }
        }
    }

    /// One kernel row: `out[j] = K(x, y_j)` for rows `y[0..<count]` (row-major, stride `d`).
    /// Dot-product kernels use one `cblas_sgemv`; RBF uses ‖x‖² + ‖y‖² − 2·x·y.
    func row(_ x: UnsafePointer<Float>, sqX: Float, _ y: UnsafePointer<Float>, sqY: UnsafePointer<Float>, count: Int, d: Int,
             into out: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        if isDotBased {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, blasint(count), blasint(d), 1, y, blasint(d), x, 1, 0, out, 1)
            finishDots(out, count: count, sqX: sqX, sqY: sqY)
        } else {
            direct(x, y, count: count, d: d, into: out)
        }
    }

    /// A block of kernel values: `out[i*m + j] = K(a_i, b_j)` for `a` (`n×d`) and `b` (`m×d`),
    /// dot-product kernels through one `cblas_sgemm`.
    func block(_ a: UnsafePointer<Float>, sqA: UnsafePointer<Float>, n: Int, _ b: UnsafePointer<Float>, sqB: UnsafePointer<Float>, m: Int, d: Int,
               into out: UnsafeMutablePointer<Float>) {
        guard n > 0, m > 0 else { return }
        if isDotBased {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(m), blasint(d), 1, a, blasint(d), b, blasint(d), 0, out, blasint(m))
            for i in 0..<n { finishDots(out + i * m, count: m, sqX: sqA[i], sqY: sqB) }
        } else {
            for i in 0..<n { direct(a + i * d, b, count: m, d: d, into: out + i * m) }
        }
    }
}

@inline(__always)
func powi(_ x: Double, _ n: Int) -> Double {
    // LIBSVM's powi: exponentiation by squaring.
    var tmp = x, ret = 1.0
    var t = n
    while t > 0 {
        if t & 1 == 1 { ret *= tmp }
        tmp *= tmp
        t >>= 1
    }
    return ret
}

/// Squared row norms of a row-major `n×d` Float matrix (accumulated in Double).
func rowSquaredNorms(_ x: UnsafePointer<Float>, n: Int, d: Int) -> [Float] {
    var out = [Float](repeating: 0, count: n)
    for i in 0..<n {
        let r = x + i * d
        var s = 0.0
        for k in 0..<d { let v = Double(r[k]); s += v * v }
        out[i] = Float(s)
    }
    return out
}

/// Runs `body(worker)` for every worker in `0..<workers` (``Parallel/forEachWorker(_:_:)``)
/// while OpenBLAS uses `blasThreads` threads in each; restores OpenBLAS's thread count afterwards.
func withWorkers(_ workers: Int, blasThreads: Int, _ body: (Int) -> Void) {
    withBLASThreads(blasThreads) { Parallel.forEachWorker(workers, body) }
}

/// Runs `workers` workers sharing the tasks `0..<tasks` (``Parallel/forEachWorker(_:tasks:_:)``)
/// while OpenBLAS uses `blasThreads` threads in each; restores OpenBLAS's thread count afterwards.
func withWorkers(_ workers: Int, tasks: Int, blasThreads: Int, _ body: (Int, Parallel.TaskQueue) -> Void) {
    withBLASThreads(blasThreads) { Parallel.forEachWorker(workers, tasks: tasks, body) }
}

/// Runs `body` with OpenBLAS's thread count set to `threads` (at least 1), then restores it:
/// threads that each call BLAS run it single-threaded instead of oversubscribing the cores.
private func withBLASThreads(_ threads: Int, _ body: () -> Void) {
    let saved = Int(openblas_get_num_threads())
    openblas_set_num_threads(Int32(max(1, threads)))
    defer { openblas_set_num_threads(Int32(saved)) }
    body()
}
