// OpenCV's L2-Hys block normalisation (`HOGCache::normalizeBlockHistogram`) for CVFeatures'
// HOG.normalizeBlock: Σ v² in 4 lanes over groups of 4, the lanes added as (l0 + l1) + (l2 + l3),
// the tail one by one; scale 1/(√Σ + 0.1·L), clip, then 1/(√Σ + 1e-3). The same Float operations
// in the same order as the Swift form, so the same bits; no contraction into FMA.
#include "kernels.h"
#include "ck_dispatch.h"
#include <math.h>

#pragma clang fp contract(off)

CK_INLINE float ck_hn_sum_squares(const float *v, size_t L) {
    float a[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= L; i += 4)
        for (int l = 0; l < 4; l++) a[l] += v[i + (size_t)l] * v[i + (size_t)l];
    float s = (a[0] + a[1]) + (a[2] + a[3]);
    for (; i < L; i++) s += v[i] * v[i];
    return s;
}

CK_INLINE void ck_hn_body(float *v, size_t L, float clip) {
    float scale = 1.0f / (sqrtf(ck_hn_sum_squares(v, L)) + (float)L * 0.1f);
    for (size_t i = 0; i < L; i++) {
        const float x = v[i] * scale;
        v[i] = clip < x ? clip : x;
    }
    scale = 1.0f / (sqrtf(ck_hn_sum_squares(v, L)) + 1e-3f);
    for (size_t i = 0; i < L; i++) v[i] *= scale;
}

static void ck_hn_base(float *v, size_t L, float clip) { ck_hn_body(v, L, clip); }
CK_AVX2 static void ck_hn_avx2(float *v, size_t L, float clip) { ck_hn_body(v, L, clip); }

void ck_hog_normalize_l2hys_opencv(float *v, size_t L, float clip) {
    if (ck_has_avx2()) ck_hn_avx2(v, L, clip);
    else ck_hn_base(v, L, clip);
}

// Many blocks: the same operations per block, but each block's two square roots and
// divisions wait on its own sums, a latency chain of ~60 cycles per block. Eight blocks'
// sums are collected first and their square roots and divisions done as one vector of 8
// (correctly rounded like the scalar ones: the same bits).
#if defined(__x86_64__)
#include <immintrin.h>

CK_AVX2 static inline __m256 ck_hn_inverse8(const float *sums, float add) {
    return _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_sqrt_ps(_mm256_loadu_ps(sums)), _mm256_set1_ps(add)));
}

CK_AVX2 static void ck_hn_many_avx2(float *v, size_t count, size_t L, float clip) {
    size_t b = 0;
    for (; b + 8 <= count; b += 8) {
        float sums[8], scale[8];
        float *blocks = v + b * L;
        for (int j = 0; j < 8; j++) sums[j] = ck_hn_sum_squares(blocks + (size_t)j * L, L);
        _mm256_storeu_ps(scale, ck_hn_inverse8(sums, (float)L * 0.1f));
        for (int j = 0; j < 8; j++) {
            float *x = blocks + (size_t)j * L;
            for (size_t i = 0; i < L; i++) {
                const float y = x[i] * scale[j];
                x[i] = clip < y ? clip : y;
            }
            sums[j] = ck_hn_sum_squares(x, L);
        }
        _mm256_storeu_ps(scale, ck_hn_inverse8(sums, 1e-3f));
        for (int j = 0; j < 8; j++) {
            float *x = blocks + (size_t)j * L;
            for (size_t i = 0; i < L; i++) x[i] *= scale[j];
        }
    }
    for (; b < count; b++) ck_hn_body(v + b * L, L, clip);
}
#endif

void ck_hog_normalize_l2hys_opencv_blocks(float *v, size_t count, size_t L, float clip) {
#if defined(__x86_64__)
    if (ck_has_avx2()) { ck_hn_many_avx2(v, count, L, clip); return; }
#endif
    for (size_t b = 0; b < count; b++) ck_hn_base(v + b * L, L, clip);
}
