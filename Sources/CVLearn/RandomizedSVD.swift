/// Randomized truncated SVD (Halko, Martinsson & Tropp 2011, Algorithms 4.3/4.4 and 5.1),
/// as scikit-learn's `randomized_svd` uses it for PCA, with every product in DGEMM.
///
/// 1. `Ω`: `d × (k+p)` standard normal probes (seeded); `Y = A·Ω`.
/// 2. `q` power iterations `Y = A·(Aᵀ·Y)`, re-orthonormalized by QR after every product
///    (sklearn normalizes by LU; both keep the same subspace).
/// 3. `Q = qr(Y)`; `B = Qᵀ·A` (`(k+p) × d`); thin SVD of B (`dgesdd`); keep k.
///
/// Reference: N. Halko, P. G. Martinsson, J. A. Tropp, SIAM Review 53(2):217–288, 2011,
/// doi:10.1137/090771806.
enum RandomizedSVD {
    /// Leading `k` singular values and right singular vectors (`k × columns`, row-major) of the
    /// row-major `rows × columns` matrix `a`.
    static func leadingRightSingularVectors(_ a: [Double], rows m: Int, columns n: Int, k: Int, oversamples: Int,
                                            powerIterations q: Int, seed: UInt64) throws -> (s: [Double], vt: [Double]) {
        let l = min(k + oversamples, min(m, n))
        var rng = GaussianRandom(seed: seed)
        let omega = (0..<(n * l)).map { _ in rng.normal() }
        let A = Matrix<Double>(uncheckedRows: m, columns: n, storage: a)
        var y = A.multiplied(by: Matrix(uncheckedRows: n, columns: l, storage: omega))  // m × l
        for _ in 0..<q {
            try Decompositions.orthonormalize(&y.storage, m: m, k: l)
            var z = A.multiplied(by: y, transposeSelf: true)  // n × l
            try Decompositions.orthonormalize(&z.storage, m: n, k: l)
            y = A.multiplied(by: z)
        }
        try Decompositions.orthonormalize(&y.storage, m: m, k: l)
        let b = y.multiplied(by: A, transposeSelf: true)  // l × n
        let (_, s, vt) = try Decompositions.svd(b.storage, m: l, n: n)
        let kk = min(k, s.count)
        return (Array(s.prefix(kk)), Array(vt[0..<(kk * n)]))
    }
}
