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
