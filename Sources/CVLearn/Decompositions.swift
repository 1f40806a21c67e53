import CLAPACK
import CVFormats
import Foundation

/// Thin LAPACKE wrappers used by PCA (row-major, Double).
typealias LapackInt = Int32

enum Decompositions {
    /// All eigenvalues (ascending) and eigenvectors of a symmetric `n×n` matrix whose upper
    /// triangle is filled (LAPACK `dsyevr`, MRRR). Eigenvector k is column k of `vectors`
    /// (row-major, `vectors[i*n + k]`).
    static func symmetricEigen(_ a: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        try dsyevr(a, n: n, largest: nil)
    }

    /// The `k` largest eigenpairs of a symmetric `n×n` matrix (LAPACK `dsyevr` with an index
    /// range, which skips the other eigenvectors): values ascending, vectors row-major `n×k`
    /// (column j belongs to value j).
    static func symmetricEigenLargest(_ a: [Double], n: Int, k: Int) throws -> (values: [Double], vectors: [Double]) {
        try dsyevr(a, n: n, largest: k)
    }

    /// `dsyevr` on the upper triangle: every eigenpair (`largest` nil, RANGE = 'A') or the
    /// `largest` top ones (RANGE = 'I', indices n−k+1...n).
    private static func dsyevr(_ a: [Double], n: Int, largest: Int?) throws -> (values: [Double], vectors: [Double]) {
        let k = largest ?? n
        var a = a
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * k)
        var isuppz = [LapackInt](repeating: 0, count: 2 * max(k, 1))
        var m: LapackInt = 0
        let range = Int8(UInt8(ascii: largest == nil ? "A" : "I"))
        let (il, iu) = largest == nil ? (LapackInt(0), LapackInt(0)) : (LapackInt(n - k + 1), LapackInt(n))
        let info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), range, Int8(UInt8(ascii: "U")),
                                  LapackInt(n), &a, LapackInt(n), 0, 0, il, iu, 0, &m, &w, &z, LapackInt(k), &isuppz)
        guard info == 0, Int(m) == k else { throw LearnError.invalidData(reason: "LAPACK dsyevr failed (info \(info)); is the data finite?") }
        return (largest == nil ? w : Array(w.prefix(k)), z)
    }

    /// Thin SVD `A = U·diag(S)·Vt` of a row-major `m×n` matrix (LAPACK `dgesdd`, divide and
    /// conquer): U is `m×r`, S has r values (descending), Vt is `r×n`, `r = min(m, n)`.
    static func svd(_ a: [Double], m: Int, n: Int) throws -> (u: [Double], s: [Double], vt: [Double]) {
        var a = a
        let r = min(m, n)
        var s = [Double](repeating: 0, count: r)
        var u = [Double](repeating: 0, count: m * r)
        var vt = [Double](repeating: 0, count: r * n)
        let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "S")), LapackInt(m), LapackInt(n), &a, LapackInt(n),
                                  &s, &u, LapackInt(r), &vt, LapackInt(n))
        guard info == 0 else { throw LearnError.invalidData(reason: "LAPACK dgesdd failed (info \(info)); is the data finite?") }
        return (u, s, vt)
    }

    /// Replaces the row-major `m×k` matrix (m ≥ k) by an orthonormal basis of its columns
    /// (Householder QR: `dgeqrf` + `dorgqr`).
    static func orthonormalize(_ q: inout [Double], m: Int, k: Int) throws {
        var tau = [Double](repeating: 0, count: k)
        var info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, LapackInt(m), LapackInt(k), &q, LapackInt(k), &tau)
        guard info == 0 else { throw LearnError.invalidData(reason: "LAPACK dgeqrf failed (info \(info))") }
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, LapackInt(m), LapackInt(k), LapackInt(k), &q, LapackInt(k), &tau)
        guard info == 0 else { throw LearnError.invalidData(reason: "LAPACK dorgqr failed (info \(info))") }
    }

    /// scikit-learn's `svd_flip(u, v, u_based_decision=False)`: every row of `vt` (`r×n`) is
    /// negated, with the matching column of `u` (`m×r`, optional), when its entry of largest
    /// absolute value (the first one on ties) is negative.
    static func flipSigns(vt: inout [Double], r: Int, n: Int, u: inout [Double]?, m: Int) {
        for k in 0..<r {
            var best = 0
            var bv = -1.0
            for j in 0..<n { let a = abs(vt[k * n + j]); if a > bv { bv = a; best = j } }
            guard vt[k * n + best] < 0 else { continue }
            for j in 0..<n { vt[k * n + j] = -vt[k * n + j] }
            if u != nil { for i in 0..<m { u![i * r + k] = -u![i * r + k] } }
        }
    }
}

/// A small deterministic Gaussian generator (xoshiro256** + Box–Muller) for randomized SVD.
struct GaussianRandom {
    var s: (UInt64, UInt64, UInt64, UInt64)
    var spare: Double?

    /// The xoshiro state from four SplitMix64 outputs, as Vigna recommends for seeding.
    init(seed: UInt64) {
        var splitmix = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        s = (splitmix.next(), splitmix.next(), splitmix.next(), splitmix.next())
    }

    mutating func nextUInt64() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(nextUInt64() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    mutating func normal() -> Double {
        if let v = spare { spare = nil; return v }
        let u1 = uniform(), u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        spare = r * sin(2 * .pi * u2)
        return r * cos(2 * .pi * u2)
    }
}
