import CLAPACK

/// The two element types CVLearn computes with: `Float` (what `cvtool hog` and NPY float32
/// tables hold) and `Double` (CSV/LIBSVM text, model parameters). Each forwards to the matching
/// single- or double-precision CBLAS routine, so generic code runs at BLAS speed for both.
public protocol LearnScalar: BinaryFloatingPoint, Sendable, Codable, LosslessStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    /// NumPy's dtype string for this type (`<f4`, `<f8`).
    static var npyDescr: String { get }
    /// `C = alpha·op(A)·op(B) + beta·C`, row-major (CBLAS `?gemm`).
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Upper triangle of `C = alpha·Aᵀ·A + beta·C` for a row-major `k×n` matrix A (CBLAS `?syrk`).
    static func syrkAtA(n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: LearnScalar {
    public static var npyDescr: String { "<f4" }
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inlinable
    public static func syrkAtA(n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(k), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }
}

extension Double: LearnScalar {
    public static var npyDescr: String { "<f8" }
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inlinable
    public static func syrkAtA(n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                               beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(k), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }
}

/// Process-wide settings of the BLAS/LAPACK backend (OpenBLAS).
public enum LinearAlgebra {
    /// Threads OpenBLAS uses. OpenBLAS reads `OPENBLAS_NUM_THREADS` (or `OMP_NUM_THREADS`) at
    /// start-up; setting this property overrides it for the whole process. Values below 1 are
    /// stored as 1.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Stops OpenBLAS's worker threads until the next threaded BLAS call starts them again.
    ///
    /// OpenBLAS starts its workers when the library is loaded, and idle workers spin on
    /// `sched_yield` for about 0.1 s before sleeping: a process that links OpenBLAS but does
    /// not use it at once (an image command of `cvtool`) would share its cores with them.
    public static func stopIdleThreads() { _ = blas_thread_shutdown_() }

    /// OpenBLAS's build description (version, target CPU, threading model).
    public static var backendDescription: String {
        guard let c = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: c)
    }
}
