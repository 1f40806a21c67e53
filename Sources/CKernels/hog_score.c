// Linear window scores from a HOG block grid (CVDetect's WindowScorer, OpenCV's
// HOGDescriptor::detect order). See WindowScoring.swift.
#include "kernels.h"
#include "ck_dispatch.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Per window and block: four Float lanes over groups of 4 values (the first group a product,
// not 0 + product: the same value), the lanes reduced as (l0 + l1) + (l2 + l3) with the halves
// widened to Double, added to the window's Double sum. Every window keeps exactly this order;
// only windows are interleaved (several accumulators share one weight load), so scores are the
// same bits as one window at a time. Separate multiply and add (no FMA): OpenCV's rounding.

CK_INLINE double ck_hog_lane_sum(const float *a) { return (double)(a[0] + a[1]) + (double)(a[2] + a[3]); }

/// One window, portable C in the same order (the last `count % 4` windows of a row, and
/// every window without AVX2).
static double ck_hog_score_one(const float *b, size_t rowFloats, const float *w, size_t bx, size_t by, size_t L,
                               double bias) {
    double s = bias;
    for (size_t py = 0; py < by; py++) {
        const float *br = b + py * rowFloats, *wr = w + py * bx * L;
        for (size_t px = 0; px < bx; px++, br += L, wr += L) {
            float a[4] = {0, 0, 0, 0};
            for (size_t k = 0; k < L; k += 4)
                for (int l = 0; l < 4; l++) a[l] += br[k + l] * wr[k + l];
            s += ck_hog_lane_sum(a);
        }
    }
    return s;
}

#if defined(__x86_64__)
/// Per block, the lane sums `(double)(l0 + l1) + (double)(l2 + l3)` of 4 windows held by two
/// accumulators (windows (0, 1) and (2, 3) in their 128-bit halves) added to their sums `s`:
/// the Float pairs by horizontal adds, widened, the Double pairs by horizontal adds — the
/// scalar order, in vectors.
CK_AVX2 static inline __m256d ck_hog_lane_sums4(__m256 a0, __m256 a1, __m256d s) {
    const __m256 h = _mm256_hadd_ps(a0, a1);  // windows (0, 2) in the low half, (1, 3) in the high
    return _mm256_add_pd(s, _mm256_hadd_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(h)),
                                           _mm256_cvtps_pd(_mm256_extractf128_ps(h, 1))));
}

/// Eight windows, two per 256-bit accumulator (the weights broadcast to both halves).
CK_AVX2 static size_t ck_hog_score_avx2(const float *b, size_t rowFloats, size_t step, size_t count, const float *w,
                                        size_t bx, size_t by, size_t L, double bias, double *scores) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256d s0 = _mm256_set1_pd(bias), s1 = s0;
        const float *b0 = b + i * step;
        for (size_t py = 0; py < by; py++) {
            const float *br = b0 + py * rowFloats, *wr = w + py * bx * L;
            for (size_t px = 0; px < bx; px++, br += L, wr += L) {
                __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
                for (size_t k = 0; k < L; k += 4) {
                    const __m256 wv = _mm256_broadcast_ps((const __m128 *)(wr + k));
                    const float *p = br + k;
                    a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu2_m128(p + step, p), wv));
                    a1 = _mm256_add_ps(a1, _mm256_mul_ps(_mm256_loadu2_m128(p + 3 * step, p + 2 * step), wv));
                    a2 = _mm256_add_ps(a2, _mm256_mul_ps(_mm256_loadu2_m128(p + 5 * step, p + 4 * step), wv));
                    a3 = _mm256_add_ps(a3, _mm256_mul_ps(_mm256_loadu2_m128(p + 7 * step, p + 6 * step), wv));
                }
                s0 = ck_hog_lane_sums4(a0, a1, s0);
                s1 = ck_hog_lane_sums4(a2, a3, s1);
            }
        }
        _mm256_storeu_pd(scores + i, s0);
        _mm256_storeu_pd(scores + i + 4, s1);
    }
    // Four of the last 4–7 windows of the row: the same with two accumulators.
    for (; i + 4 <= count; i += 4) {
        __m256d s0 = _mm256_set1_pd(bias);
        const float *b0 = b + i * step;
        for (size_t py = 0; py < by; py++) {
            const float *br = b0 + py * rowFloats, *wr = w + py * bx * L;
            for (size_t px = 0; px < bx; px++, br += L, wr += L) {
                __m256 a0 = _mm256_setzero_ps(), a1 = a0;
                for (size_t k = 0; k < L; k += 4) {
                    const __m256 wv = _mm256_broadcast_ps((const __m128 *)(wr + k));
                    const float *p = br + k;
                    a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu2_m128(p + step, p), wv));
                    a1 = _mm256_add_ps(a1, _mm256_mul_ps(_mm256_loadu2_m128(p + 3 * step, p + 2 * step), wv));
                }
                s0 = ck_hog_lane_sums4(a0, a1, s0);
            }
        }
        _mm256_storeu_pd(scores + i, s0);
    }
    return i;
}
#endif

void ck_hog_score_windows(const float *blocks, size_t rowFloats, size_t step, size_t count, const float *weights,
                          size_t bx, size_t by, size_t L, double bias, double *scores) {
    size_t i = 0;
#if defined(__x86_64__)
    if (L % 4 == 0) {
        if (ck_has_avx2()) i = ck_hog_score_avx2(blocks, rowFloats, step, count, weights, bx, by, L, bias, scores);
    }
#endif
    for (; i < count; i++) scores[i] = ck_hog_score_one(blocks + i * step, rowFloats, weights, bx, by, L, bias);
}
