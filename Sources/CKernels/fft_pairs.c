// Two real rows through one complex FFT ("two for the price of one"), the pre- and
// post-processing loops of FFTRealTwoD.swift. For real rows a, b of length n, z = a + i·b has
// the DFT Z with A[k] = (Z[k] + conj Z[n−k]) / 2 and B[k] = (Z[k] − conj Z[n−k]) / (2i); the
// inverse builds Z from the half spectra A, B (k ≤ n/2) through their Hermitian extensions.
// Why: FFTW's complex codelets are AVX while its real-input (hc2c) ones are partly SSE2, so
// one complex FFT per pair is cheaper than two real-input FFTs (docs/performance.md).
#include "kernels.h"
#include "ck_dispatch.h"

#define CK_PAIR_KERNELS(T, SUFFIX)                                                                \
    CK_INLINE void ck_fft_pack_pairs_##SUFFIX##_body(const T *a, const T *b, T *z, size_t n) {  \
        if (b) {                                                                                  \
            for (size_t j = 0; j < n; j++) { z[2 * j] = a[j]; z[2 * j + 1] = b[j]; }              \
        } else {                                                                                  \
            for (size_t j = 0; j < n; j++) { z[2 * j] = a[j]; z[2 * j + 1] = 0; }                 \
        }                                                                                         \
    }                                                                                             \
    /* values k0 ..< k1 of the half spectra */                                                \
    CK_INLINE void ck_fft_unpack_range_##SUFFIX(const T *z, size_t n, T *a, T *b, size_t k0, size_t k1) { \
        const T h = (T)0.5;                                                                       \
        for (size_t k = k0; k < k1; k++) {                                                        \
            const size_t k2 = k == 0 ? 0 : n - k;                                                 \
            const T xr = z[2 * k], xi = z[2 * k + 1], yr = z[2 * k2], yi = z[2 * k2 + 1];         \
            a[2 * k] = h * (xr + yr);                                                             \
            a[2 * k + 1] = h * (xi - yi);                                                         \
            if (b) {                                                                              \
                b[2 * k] = h * (xi + yi);                                                         \
                b[2 * k + 1] = h * (yr - xr);                                                     \
            }                                                                                     \
        }                                                                                         \
    }                                                                                             \
    /* values k0 ..< k1 of z */                                                                   \
    CK_INLINE void ck_fft_merge_range_##SUFFIX(const T *a, const T *b, size_t n, T *z, size_t k0, size_t k1) { \
        const size_t m = n / 2 + 1;                                                               \
        const size_t nyquist = n % 2 == 0 ? n / 2 : (size_t)-1;                                   \
        for (size_t k = k0; k < k1 && k < m; k++) {                                               \
            const int real = k == 0 || k == nyquist; /* imaginary parts irfft ignores */          \
            const T ar = a[2 * k], ai = real ? 0 : a[2 * k + 1];                                  \
            const T br = b ? b[2 * k] : 0, bi = (b && !real) ? b[2 * k + 1] : 0;                  \
            z[2 * k] = ar - bi;                                                                   \
            z[2 * k + 1] = ai + br;                                                               \
        }                                                                                         \
        for (size_t k = k0 > m ? k0 : m; k < k1; k++) {                                           \
            const size_t kk = n - k;                                                              \
            const T ar = a[2 * kk], ai = a[2 * kk + 1];                                           \
            const T br = b ? b[2 * kk] : 0, bi = b ? b[2 * kk + 1] : 0;                           \
            z[2 * k] = ar + bi;                                                                   \
            z[2 * k + 1] = br - ai;                                                               \
        }                                                                                         \
    }                                                                                             \
    CK_INLINE void ck_fft_split_pairs_##SUFFIX##_body(const T *z, size_t n, T *a, T *b) {       \
        if (b) {                                                                                  \
            for (size_t j = 0; j < n; j++) { a[j] = z[2 * j]; b[j] = z[2 * j + 1]; }              \
        } else {                                                                                  \
            for (size_t j = 0; j < n; j++) a[j] = z[2 * j];                                       \
        }                                                                                         \
    }                                                                                             \
    CK_MULTIVERSION(void, ck_fft_pack_pairs_##SUFFIX, (const T *a, const T *b, T *z, size_t n), (a, b, z, n))       \
    CK_MULTIVERSION(void, ck_fft_split_pairs_##SUFFIX, (const T *z, size_t n, T *a, T *b), (z, n, a, b))

CK_PAIR_KERNELS(float, f32)
CK_PAIR_KERNELS(double, f64)

// Vector unpack and merge: Z[n−k] for consecutive k are consecutive values read backwards, so
// a block of them is loaded from n−k−(V−1) and its complex values reversed in the register.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// Reverses the 4 complex Floats (or 2 complex Doubles) of a register.
#define CK_REVERSE_C64(v) _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), 0x1B))
#define CK_REVERSE_C128(v) _mm256_permute2f128_pd(v, v, 0x01)

// The AVX2 unpack and merge of one precision, SFX f32 or f64: T the scalar, V the register
// type, S the intrinsic suffix (ps, pd), L complex values per register, HALF ½ in T, REV the
// reversal of a register's complex values, BLEND the immediate that takes the odd (imaginary)
// lanes from the second operand, SWAP the permute immediate that swaps re and im, SETR the
// setr intrinsic with one (re, im) sign pair per complex value.
//
// Unpack: A = ½(sum.re, diff.im), B = ½(sum.im, −diff.re) with sum, diff = Z[k] ± Z[n−k].
// Merge: Z[k] = A[k] + i·B[k] = (ar − bi, ai + br) for 0 < k < m (DC and Nyquist stay scalar:
// their imaginary parts are dropped), and Z[k] = conj A[n−k] + i·conj B[n−k] = (ar + bi, br − ai)
// above. With b absent, B = 0.
#define CK_PAIRS_AVX2(SFX, T, V, S, L, HALF, REV, BLEND, SWAP, SETR)                                            \
    CK_AVX2 static void ck_fft_unpack_pairs_##SFX##_avx2(const T *z, size_t n, T *a, T *b) {                  \
        const size_t m = n / 2 + 1;                                                                            \
        const V half = _mm256_set1_##S(HALF), halfNeg = SETR(HALF, -HALF);                                    \
        ck_fft_unpack_range_##SFX(z, n, a, b, 0, 1);                                                           \
        size_t k = 1;                                                                                          \
        for (; k + L <= m; k += L) {                                                                           \
            const V x = _mm256_loadu_##S(z + 2 * k);                                                           \
            const V y = REV(_mm256_loadu_##S(z + 2 * (n - k - (L - 1))));                                      \
            const V sum = _mm256_add_##S(x, y), diff = _mm256_sub_##S(x, y);                                   \
            _mm256_storeu_##S(a + 2 * k, _mm256_mul_##S(half, _mm256_blend_##S(sum, diff, BLEND)));           \
            if (b) {                                                                                           \
                const V t = _mm256_permute_##S(_mm256_blend_##S(diff, sum, BLEND), SWAP);                      \
                _mm256_storeu_##S(b + 2 * k, _mm256_mul_##S(halfNeg, t));                                      \
            }                                                                                                  \
        }                                                                                                      \
        ck_fft_unpack_range_##SFX(z, n, a, b, k, m);                                                           \
    }                                                                                                          \
                                                                                                               \
    CK_AVX2_FMA static void ck_fft_merge_pairs_##SFX##_avx2(const T *a, const T *b, size_t n, T *z) {         \
        const size_t m = n / 2 + 1, last = n % 2 == 0 ? m - 1 : m; /* [1, last) has no real-only value */     \
        const V negRe = SETR(-1, 1), negIm = SETR(1, -1);                                                      \
        const V zero = _mm256_setzero_##S();                                                                   \
        ck_fft_merge_range_##SFX(a, b, n, z, 0, 1);                                                            \
        size_t k = 1;                                                                                          \
        for (; k + L <= last; k += L) {                                                                        \
            const V av = _mm256_loadu_##S(a + 2 * k);                                                          \
            const V bv = b ? _mm256_loadu_##S(b + 2 * k) : zero;                                               \
            /* (ar − bi, ai + br) = a + (−bi, br) */                                                           \
            _mm256_storeu_##S(z + 2 * k, _mm256_fmadd_##S(negRe, _mm256_permute_##S(bv, SWAP), av));          \
        }                                                                                                      \
        ck_fft_merge_range_##SFX(a, b, n, z, k, m);                                                            \
        k = m;                                                                                                 \
        for (; k + L <= n; k += L) {                                                                           \
            const V av = REV(_mm256_loadu_##S(a + 2 * (n - k - (L - 1))));                                     \
            const V bv = b ? REV(_mm256_loadu_##S(b + 2 * (n - k - (L - 1)))) : zero;                          \
            /* (ar + bi, br − ai) = (bi, br) + (ar, −ai) */                                                    \
            _mm256_storeu_##S(z + 2 * k, _mm256_fmadd_##S(negIm, av, _mm256_permute_##S(bv, SWAP)));          \
        }                                                                                                      \
        ck_fft_merge_range_##SFX(a, b, n, z, k, n);                                                            \
    }

#define CK_SETR_C64(re, im) _mm256_setr_ps(re, im, re, im, re, im, re, im)
#define CK_SETR_C128(re, im) _mm256_setr_pd(re, im, re, im)
CK_PAIRS_AVX2(f32, float, __m256, ps, 4, 0.5f, CK_REVERSE_C64, 0xAA, 0xB1, CK_SETR_C64)
CK_PAIRS_AVX2(f64, double, __m256d, pd, 2, 0.5, CK_REVERSE_C128, 0xA, 0x5, CK_SETR_C128)
#define CK_PAIR_VECTOR 1
#else
#define CK_PAIR_VECTOR 0
#endif

void ck_fft_unpack_pairs_f32(const float *z, size_t n, float *a, float *b) {
#if CK_PAIR_VECTOR
    if (ck_has_avx2()) { ck_fft_unpack_pairs_f32_avx2(z, n, a, b); return; }
#endif
    ck_fft_unpack_range_f32(z, n, a, b, 0, n / 2 + 1);
}

void ck_fft_unpack_pairs_f64(const double *z, size_t n, double *a, double *b) {
#if CK_PAIR_VECTOR
    if (ck_has_avx2()) { ck_fft_unpack_pairs_f64_avx2(z, n, a, b); return; }
#endif
    ck_fft_unpack_range_f64(z, n, a, b, 0, n / 2 + 1);
}

void ck_fft_merge_pairs_f32(const float *a, const float *b, size_t n, float *z) {
#if CK_PAIR_VECTOR
    if (ck_has_avx2_fma()) { ck_fft_merge_pairs_f32_avx2(a, b, n, z); return; }
#endif
    ck_fft_merge_range_f32(a, b, n, z, 0, n);
}

void ck_fft_merge_pairs_f64(const double *a, const double *b, size_t n, double *z) {
#if CK_PAIR_VECTOR
    if (ck_has_avx2_fma()) { ck_fft_merge_pairs_f64_avx2(a, b, n, z); return; }
#endif
    ck_fft_merge_range_f64(a, b, n, z, 0, n);
}

// Transposes of blocks of complex values (8 bytes for Float, 16 for Double), used to give each
// FFT column of a block its own contiguous run: dst[c·dst_stride + r] = src[r·src_stride + c].
// Source rows are taken a cache line's worth at a time (8 or 4 values), so each visit to a
// destination row writes one whole line, and the source rows a few tiles ahead are
// prefetched: in the FFT's column pass they are lines of a large image, 1 per row of a 4K
// spectrum, which the hardware prefetchers do not see coming.
typedef struct { uint64_t lo, hi; } ck_u128;

#define CK_TRANSPOSE_AHEAD 16

#define CK_TRANSPOSE_BODY(T, SUFFIX, TILE)                                                        \
    CK_INLINE void ck_transpose_##SUFFIX##_body(const void *from, size_t src_stride, void *to, size_t dst_stride, \
                                                size_t rows, size_t cols) {                       \
        const T *src = (const T *)from;                                                           \
        T *dst = (T *)to;                                                                         \
        const size_t row_bytes = cols * sizeof(T);                                                \
        size_t r = 0;                                                                             \
        for (; r + TILE <= rows; r += TILE) {                                                     \
            if (r + CK_TRANSPOSE_AHEAD + TILE <= rows)                                            \
                for (size_t i = 0; i < TILE; i++) {                                               \
                    const char *next = (const char *)(src + (r + CK_TRANSPOSE_AHEAD + i) * src_stride); \
                    for (size_t o = 0; o < row_bytes; o += 64) __builtin_prefetch(next + o, 0, 3); \
                }                                                                                 \
            const T *s = src + r * src_stride;                                                    \
            for (size_t c = 0; c < cols; c++) {                                                   \
                T *d = dst + c * dst_stride + r;                                                  \
                for (size_t i = 0; i < TILE; i++) d[i] = s[i * src_stride + c];                   \
            }                                                                                     \
        }                                                                                         \
        for (; r < rows; r++)                                                                     \
            for (size_t c = 0; c < cols; c++) dst[c * dst_stride + r] = src[r * src_stride + c];  \
    }

CK_TRANSPOSE_BODY(ck_u128, c128, 4)
CK_MULTIVERSION(void, ck_transpose_c128, (const void *src, size_t src_stride, void *dst, size_t dst_stride, size_t rows, size_t cols),
                (src, src_stride, dst, dst_stride, rows, cols))
CK_TRANSPOSE_BODY(uint64_t, c64, 8)

#if CK_PAIR_VECTOR
// Complex Floats as 64-bit lanes, 4×4 blocks in registers (two unpacks and a 128-bit permute
// per output row instead of one scalar move per value), 8 source rows per pass so that each
// destination row still receives a whole 64-byte line (timings in docs/performance.md).
CK_AVX2 static void ck_transpose_c64_avx2(const void *from, size_t src_stride, void *to, size_t dst_stride,
                                          size_t rows, size_t cols) {
    const double *src = (const double *)from;
    double *dst = (double *)to;
    const size_t row_bytes = cols * sizeof(double);
    size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
        if (r + CK_TRANSPOSE_AHEAD + 8 <= rows)
            for (size_t i = 0; i < 8; i++) {
                const char *next = (const char *)(src + (r + CK_TRANSPOSE_AHEAD + i) * src_stride);
                for (size_t o = 0; o < row_bytes; o += 64) __builtin_prefetch(next + o, 0, 3);
            }
        size_t c = 0;
        for (; c + 4 <= cols; c += 4) {
            for (size_t h = 0; h < 8; h += 4) {
                const double *s = src + (r + h) * src_stride + c;
                const __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + src_stride);
                const __m256d r2 = _mm256_loadu_pd(s + 2 * src_stride), r3 = _mm256_loadu_pd(s + 3 * src_stride);
                const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
                const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
                double *d = dst + c * dst_stride + r + h;
                _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));
                _mm256_storeu_pd(d + dst_stride, _mm256_permute2f128_pd(t1, t3, 0x20));
                _mm256_storeu_pd(d + 2 * dst_stride, _mm256_permute2f128_pd(t0, t2, 0x31));
                _mm256_storeu_pd(d + 3 * dst_stride, _mm256_permute2f128_pd(t1, t3, 0x31));
            }
        }
        for (; c < cols; c++)
            for (size_t i = 0; i < 8; i++) dst[c * dst_stride + r + i] = src[(r + i) * src_stride + c];
    }
    for (; r < rows; r++)
        for (size_t c = 0; c < cols; c++) dst[c * dst_stride + r] = src[r * src_stride + c];
}
#endif

void ck_transpose_c64(const void *src, size_t src_stride, void *dst, size_t dst_stride, size_t rows, size_t cols) {
#if CK_PAIR_VECTOR
    if (ck_has_avx2()) { ck_transpose_c64_avx2(src, src_stride, dst, dst_stride, rows, cols); return; }
#endif
    ck_transpose_c64_body(src, src_stride, dst, dst_stride, rows, cols);
}
