// Elementwise products of interleaved complex arrays, the pointwise steps of Bluestein's
// algorithm (FFTChirp.swift): out[j] = a[j]·b[j]. `out` may be `a`.
#include "kernels.h"
#include "ck_dispatch.h"

#define CK_CMUL_BODY(T, SUFFIX)                                                                    \
    CK_INLINE void ck_cmul_##SUFFIX##_range(const T *a, const T *b, T *out, size_t j0, size_t n) { \
        for (size_t j = j0; j < n; j++) {                                                          \
            const T ar = a[2 * j], ai = a[2 * j + 1], br = b[2 * j], bi = b[2 * j + 1];            \
            out[2 * j] = ar * br - ai * bi;                                                        \
            out[2 * j + 1] = ar * bi + ai * br;                                                    \
        }                                                                                          \
    }
CK_CMUL_BODY(float, f32)
CK_CMUL_BODY(double, f64)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
// (ar·br − ai·bi, ai·br + ar·bi) = a·br ∓ swap(a)·bi, with fmaddsub doing the ∓.
CK_AVX2_FMA static void ck_cmul_f32_avx2(const float *a, const float *b, float *out, size_t n) {
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        const __m256 av = _mm256_loadu_ps(a + 2 * j), bv = _mm256_loadu_ps(b + 2 * j);
        const __m256 swapped = _mm256_permute_ps(av, 0xB1);
        const __m256 r = _mm256_fmaddsub_ps(av, _mm256_moveldup_ps(bv), _mm256_mul_ps(swapped, _mm256_movehdup_ps(bv)));
        _mm256_storeu_ps(out + 2 * j, r);
    }
    ck_cmul_f32_range(a, b, out, j, n);
}

CK_AVX2_FMA static void ck_cmul_f64_avx2(const double *a, const double *b, double *out, size_t n) {
    size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        const __m256d av = _mm256_loadu_pd(a + 2 * j), bv = _mm256_loadu_pd(b + 2 * j);
        const __m256d swapped = _mm256_permute_pd(av, 0x5);
        const __m256d r = _mm256_fmaddsub_pd(av, _mm256_movedup_pd(bv), _mm256_mul_pd(swapped, _mm256_permute_pd(bv, 0xF)));
        _mm256_storeu_pd(out + 2 * j, r);
    }
    ck_cmul_f64_range(a, b, out, j, n);
}
#define CK_CMUL_VECTOR 1
#else
#define CK_CMUL_VECTOR 0
#endif

void ck_cmul_f32(const float *a, const float *b, float *out, size_t n) {
#if CK_CMUL_VECTOR
    if (ck_has_avx2_fma()) { ck_cmul_f32_avx2(a, b, out, n); return; }
#endif
    ck_cmul_f32_range(a, b, out, 0, n);
}

void ck_cmul_f64(const double *a, const double *b, double *out, size_t n) {
#if CK_CMUL_VECTOR
    if (ck_has_avx2_fma()) { ck_cmul_f64_avx2(a, b, out, n); return; }
#endif
    ck_cmul_f64_range(a, b, out, 0, n);
}
