// OpenCV's L2-Hys block normalisation (`HOGCache::normalizeBlockHistogram`: scale by
// 1/(‖v‖ + 0.1·L), clip, scale by 1/(‖v‖ + 1e-3)) for the detector's value-major block rows:
// a grid row of blocks is transposed (value k of every block contiguous, as the window scorer
// reads it) and normalised there with 16 blocks in the lanes of a register, so the sums of
// squares need no reduction across lanes and each block's square roots and divisions are one
// lane of a vector operation instead of a latency chain per block. The sums of squares run
// in one FMA chain per block (not OpenCV's four lanes), so values differ from its order in the
// last bits.
#include "kernels.h"
#include "ck_dispatch.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// One block (column `b` of the value-major row), portable C.
static void ck_hnp_one(float *v, size_t rowStride, size_t L, float clip) {
    float s = 0;
    for (size_t k = 0; k < L; k++) s += v[k * rowStride] * v[k * rowStride];
    float scale = 1.0f / (sqrtf(s) + (float)L * 0.1f);
    s = 0;
    for (size_t k = 0; k < L; k++) {
        const float x = v[k * rowStride] * scale, y = clip < x ? clip : x;
        v[k * rowStride] = y;
        s += y * y;
    }
    scale = 1.0f / (sqrtf(s) + 1e-3f);
    for (size_t k = 0; k < L; k++) v[k * rowStride] *= scale;
}

#if defined(__x86_64__)
CK_AVX512 static void ck_hnp_avx512(float *out, size_t count, size_t L, float clip, size_t rowStride) {
    const __m512 one = _mm512_set1_ps(1.0f), clipv = _mm512_set1_ps(clip);
    const __m512 add1 = _mm512_set1_ps((float)L * 0.1f), add2 = _mm512_set1_ps(1e-3f);
    for (size_t b = 0; b < count; b += 16) {
        const __mmask16 m = count - b >= 16 ? 0xffff : (__mmask16)((1u << (count - b)) - 1u);
        float *v = out + b;
        __m512 s = _mm512_setzero_ps();
        for (size_t k = 0; k < L; k++) {
            const __m512 x = _mm512_maskz_loadu_ps(m, v + k * rowStride);
            s = _mm512_fmadd_ps(x, x, s);
        }
        const __m512 scale1 = _mm512_div_ps(one, _mm512_add_ps(_mm512_sqrt_ps(s), add1));
        s = _mm512_setzero_ps();
        for (size_t k = 0; k < L; k++) {
            const __m512 y = _mm512_min_ps(clipv, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, v + k * rowStride), scale1));
            _mm512_mask_storeu_ps(v + k * rowStride, m, y);
            s = _mm512_fmadd_ps(y, y, s);
        }
        const __m512 scale2 = _mm512_div_ps(one, _mm512_add_ps(_mm512_sqrt_ps(s), add2));
        for (size_t k = 0; k < L; k++)
            _mm512_mask_storeu_ps(v + k * rowStride, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, v + k * rowStride), scale2));
    }
}
#endif

void ck_hog_l2hys_value_major_row(const float *blocks, size_t count, size_t L, float clip, float *out, size_t rowStride) {
    ck_hog_transpose_block_row(blocks, count, L, out, rowStride);
#if defined(__x86_64__)
    if (ck_has_avx512()) {
        ck_hnp_avx512(out, count, L, clip, rowStride);
        return;
    }
#endif
    for (size_t b = 0; b < count; b++) ck_hnp_one(out + b, rowStride, L, clip);
}
