// Linear window scores by block slot (CVDetect's WindowScorer on AVX-512), from a HOG block grid
// stored value-major per block row (as hog_score_planes.c reads it). A window row's windows one
// block apart share their blocks: block j of a grid row is slot (px, py) of window j − px. So
// instead of each window's 3,780 products, every block of a grid row is multiplied once by the
// weights of each of the `bx` slots of that row (a small matrix product, slots × values times
// values × blocks), and window i's score gathers slot px's product at block i + px.
//
// The point is register reuse: one load of 16 blocks' value k feeds `bx` FMAs (one per slot,
// the weight broadcast from memory), where the per-window form needs a load per multiply-add,
// and its loads, not its arithmetic, set its pace. The order differs from OpenCV's (each slot's
// 36 values in one FMA chain, a grid row's slots summed in Float, grid rows added in Double),
// so scores differ from `HOGDescriptor::detect` in the last bits, not in hits.
#include "kernels.h"
#include "ck_dispatch.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// Windows per chunk: the slot products of a chunk's blocks stay in a stack buffer.
#define CK_HSS_CHUNK 256
/// Slot products buffer row: the chunk's blocks (up to CHUNK + 7) rounded up to 32.
#define CK_HSS_ROW (CK_HSS_CHUNK + 32)

#if defined(__x86_64__)
/// Slot products of `nb` consecutive blocks of one value-major grid row: `t[px·CK_HSS_ROW + j]` =
/// Σ_k w[px·L + k] · v[k·rowStride + j], 32 blocks per step (two registers per slot), the
/// last 1–16 in one.
CK_AVX512 CK_INLINE void ck_hss_products(const float *v, size_t rowStride, size_t nb, const float *w, size_t L, float *t,
                               const int BX) {
    size_t j = 0;
    for (; j + 16 < nb; j += 32) {
        const size_t r = nb - j;  // more than 16
        const __mmask16 m1 = r >= 32 ? 0xffff : (__mmask16)((1u << (r - 16)) - 1u);
        __m512 a0[8], a1[8];
        for (int px = 0; px < BX; px++) a0[px] = a1[px] = _mm512_setzero_ps();
        for (size_t k = 0; k < L; k++) {
            const float *p = v + k * rowStride + j;
            const __m512 p0 = _mm512_loadu_ps(p), p1 = _mm512_maskz_loadu_ps(m1, p + 16);
            for (int px = 0; px < BX; px++) {
                const __m512 wv = _mm512_set1_ps(w[(size_t)px * L + k]);
                a0[px] = _mm512_fmadd_ps(p0, wv, a0[px]);
                a1[px] = _mm512_fmadd_ps(p1, wv, a1[px]);
            }
        }
        for (int px = 0; px < BX; px++) {
            _mm512_storeu_ps(t + (size_t)px * CK_HSS_ROW + j, a0[px]);
            _mm512_storeu_ps(t + (size_t)px * CK_HSS_ROW + j + 16, a1[px]);
        }
    }
    // The last 1–16 blocks in one register per slot (a 32-block step would be half empty).
    if (j < nb) {
        const __mmask16 m = (__mmask16)((1u << (nb - j)) - 1u);  // nb − j is 1…16
        __m512 a[8];
        for (int px = 0; px < BX; px++) a[px] = _mm512_setzero_ps();
        for (size_t k = 0; k < L; k++) {
            const __m512 p0 = _mm512_maskz_loadu_ps(m, v + k * rowStride + j);
            for (int px = 0; px < BX; px++) a[px] = _mm512_fmadd_ps(p0, _mm512_set1_ps(w[(size_t)px * L + k]), a[px]);
        }
        for (int px = 0; px < BX; px++) _mm512_storeu_ps(t + (size_t)px * CK_HSS_ROW + j, a[px]);
    }
}

/// Adds to `n` window scores the sum of their `BX` slot products: window i reads slot px at block i + px.
CK_AVX512 CK_INLINE void ck_hss_gather(const float *t, size_t n, double *scores, const int BX) {
    for (size_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1u);
        __m512 s = _mm512_maskz_loadu_ps(m, t + i);
        for (int px = 1; px < BX; px++) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(m, t + (size_t)px * CK_HSS_ROW + i + px));
        const __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(s));
        const __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(s), 1)));
        _mm512_mask_storeu_pd(scores + i, (__mmask8)(m & 0xff), _mm512_add_pd(_mm512_maskz_loadu_pd((__mmask8)(m & 0xff), scores + i), lo));
        _mm512_mask_storeu_pd(scores + i + 8, (__mmask8)(m >> 8),
                              _mm512_add_pd(_mm512_maskz_loadu_pd((__mmask8)(m >> 8), scores + i + 8), hi));
    }
}

/// Up to CK_HSS_CHUNK windows, `BX` slots across (a compile-time constant per caller).
CK_AVX512 CK_INLINE void ck_hss_chunk(const float *planes, size_t rowStride, size_t planeStride, size_t n, const float *w,
                            size_t by, size_t L, double bias, double *scores, const int BX) {
    float t[8 * CK_HSS_ROW] __attribute__((aligned(64)));
    for (size_t i = 0; i < n; i++) scores[i] = bias;
    for (size_t py = 0; py < by; py++) {
        ck_hss_products(planes + py * planeStride, rowStride, n + (size_t)BX - 1, w + py * (size_t)BX * L, L, t, BX);
        ck_hss_gather(t, n, scores, BX);
    }
}

#define CK_HSS_CASE(B)                                                                                          \
    CK_AVX512 static void ck_hss_##B(const float *p, size_t rs, size_t ps, size_t n, const float *w, size_t by, \
                                     size_t L, double bias, double *s) {                                        \
        ck_hss_chunk(p, rs, ps, n, w, by, L, bias, s, B);                                                       \
    }
CK_HSS_CASE(1)
CK_HSS_CASE(2)
CK_HSS_CASE(3)
CK_HSS_CASE(4)
CK_HSS_CASE(5)
CK_HSS_CASE(6)
CK_HSS_CASE(7)
CK_HSS_CASE(8)
#endif

int ck_hog_score_slots_available(size_t bx) {
#if defined(__x86_64__)
    return bx >= 1 && bx <= 8 && ck_has_avx512();
#else
    (void)bx;
    return 0;
#endif
}

void ck_hog_score_windows_slots(const float *planes, size_t rowStride, size_t planeStride, size_t count,
                                const float *weights, size_t bx, size_t by, size_t L, double bias, double *scores) {
#if defined(__x86_64__)
    typedef void (*chunk_fn)(const float *, size_t, size_t, size_t, const float *, size_t, size_t, double, double *);
    static const chunk_fn chunks[9] = {0, ck_hss_1, ck_hss_2, ck_hss_3, ck_hss_4, ck_hss_5, ck_hss_6, ck_hss_7, ck_hss_8};
    if (ck_hog_score_slots_available(bx)) {
        for (size_t i = 0; i < count; i += CK_HSS_CHUNK) {
            const size_t n = count - i < CK_HSS_CHUNK ? count - i : CK_HSS_CHUNK;
            chunks[bx](planes + i, rowStride, planeStride, n, weights, by, L, bias, scores + i);
        }
        return;
    }
#endif
    ck_hog_score_windows_planes(planes, rowStride, planeStride, count, weights, bx, by, L, bias, scores);
}
