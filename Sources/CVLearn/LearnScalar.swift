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
}

extension Double: LearnScalar {
    public static var npyDescr: String { "<f8" }
}

// One generic body per BLAS routine: the precision picks `s…` or `d…` (a test on `Self` that
// specialization folds away); the pointers are rebound to the type they already point to.
extension LearnScalar {
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                            a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                            beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) {
        let ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans
        if Self.self == Float.self {
            cblas_sgemm(CblasRowMajor, ta, tb, blasint(m), blasint(n), blasint(k), Float(alpha), a.rebound(), blasint(lda),
                        b.rebound(), blasint(ldb), Float(beta), c.rebound(), blasint(ldc))
        } else {
            precondition(Self.self == Double.self, "LearnScalar is Float or Double")
            cblas_dgemm(CblasRowMajor, ta, tb, blasint(m), blasint(n), blasint(k), Double(alpha), a.rebound(), blasint(lda),
                        b.rebound(), blasint(ldb), Double(beta), c.rebound(), blasint(ldc))
        }
    }

    @inlinable
    public static func syrkAtA(n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                               beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) {
        if Self.self == Float.self {
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(k), Float(alpha), a.rebound(), blasint(lda),
                        Float(beta), c.rebound(), blasint(ldc))
        } else {
            precondition(Self.self == Double.self, "LearnScalar is Float or Double")
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(k), Double(alpha), a.rebound(), blasint(lda),
                        Double(beta), c.rebound(), blasint(ldc))
        }
    }
}

extension UnsafePointer {
    /// The same address as a pointer to `U`, which must be the type stored there.
    @usableFromInline @inline(__always)
    func rebound<U>() -> UnsafePointer<U> { UnsafeRawPointer(self).assumingMemoryBound(to: U.self) }
}

extension UnsafeMutablePointer {
    /// The same address as a pointer to `U`, which must be the type stored there.
    @usableFromInline @inline(__always)
    func rebound<U>() -> UnsafeMutablePointer<U> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: U.self) }
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
