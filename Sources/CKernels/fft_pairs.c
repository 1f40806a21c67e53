// Two real rows through one complex FFT ("two for the price of one"), the pre- and
// post-processing loops of FFTRealTwoD.swift. For real rows a, b of length n, z = a + i·b has
// the DFT Z with A[k] = (Z[k] + conj Z[n−k]) / 2 and B[k] = (Z[k] − conj Z[n−k]) / (2i); the
// inverse builds Z from the half spectra A, B (k ≤ n/2) through their Hermitian extensions.
// FFTW's complex codelets are AVX while its real-input (hc2c) ones are partly SSE2, so at
// n = 1920 one complex FFT per pair costs about 60 % of two real-input FFTs.
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
    CK_INLINE void ck_fft_unpack_pairs_##SUFFIX##_body(const T *z, size_t n, T *a, T *b) {      \
        const size_t m = n / 2 + 1;                                                               \
        const T h = (T)0.5;                                                                       \
        for (size_t k = 0; k < m; k++) {                                                          \
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
    CK_INLINE void ck_fft_merge_pairs_##SUFFIX##_body(const T *a, const T *b, size_t n, T *z) { \
        const size_t m = n / 2 + 1;                                                               \
        const size_t nyquist = n % 2 == 0 ? n / 2 : (size_t)-1;                                   \
        for (size_t k = 0; k < m; k++) {                                                          \
            const int real = k == 0 || k == nyquist; /* imaginary parts irfft ignores */          \
            const T ar = a[2 * k], ai = real ? 0 : a[2 * k + 1];                                  \
            const T br = b ? b[2 * k] : 0, bi = (b && !real) ? b[2 * k + 1] : 0;                  \
            z[2 * k] = ar - bi;                                                                   \
            z[2 * k + 1] = ai + br;                                                               \
        }                                                                                         \
        for (size_t k = m; k < n; k++) {                                                          \
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
    CK_MULTIVERSION(void, ck_fft_unpack_pairs_##SUFFIX, (const T *z, size_t n, T *a, T *b), (z, n, a, b))           \
    CK_MULTIVERSION(void, ck_fft_merge_pairs_##SUFFIX, (const T *a, const T *b, size_t n, T *z), (a, b, n, z))      \
    CK_MULTIVERSION(void, ck_fft_split_pairs_##SUFFIX, (const T *z, size_t n, T *a, T *b), (z, n, a, b))

CK_PAIR_KERNELS(float, f32)
CK_PAIR_KERNELS(double, f64)

// Transposes of blocks of complex values (8 bytes for Float, 16 for Double), used to give each
// FFT column of a block its own contiguous run: dst[c·dst_stride + r] = src[r·src_stride + c].
// Source rows are taken a cache line's worth at a time (8 or 4 values), so each visit to a
// destination row writes one whole line, and the source rows a few tiles ahead are
// prefetched: in the FFT's column pass they are lines of a large image, 1 per row of a 4K
// spectrum, which the hardware prefetchers do not see coming.
typedef struct { uint64_t lo, hi; } ck_u128;

#define CK_TRANSPOSE_AHEAD 16

#define CK_TRANSPOSE_KERNEL(T, SUFFIX, TILE)                                                      \
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
    }                                                                                             \
    CK_MULTIVERSION(void, ck_transpose_##SUFFIX, (const void *src, size_t src_stride, void *dst, size_t dst_stride, size_t rows, size_t cols), \
                    (src, src_stride, dst, dst_stride, rows, cols))

CK_TRANSPOSE_KERNEL(uint64_t, c64, 8)
CK_TRANSPOSE_KERNEL(ck_u128, c128, 4)
