// Linear window scores from a HOG block grid stored value-major per block row (CVDetect's
// WindowScorer): the grid row's value k of every block is one contiguous run, so 16 windows one
// block apart read their value k with one load and the windows sit in vector lanes. Every
// window keeps OpenCV's order (`HOGDescriptor::detect`): per block four Float lanes over the
// groups of 4 values — lane l sums values 4g + l, the first term a product — reduced as
// (l0 + l1) + (l2 + l3) with the halves widened to Double, added to a Double sum that starts
// at the bias. Lanes hold windows instead of value groups, so nothing is reduced across lanes:
// the scores are the same bits as hog_score.c's. Separate multiply and add (no FMA).
#include "kernels.h"
#include "ck_dispatch.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

void ck_hog_transpose_block_row(const float *blocks, size_t count, size_t L, float *out, size_t rowStride) {
    size_t b = 0;
#if defined(__x86_64__)
    // Four blocks at a time: each group of 4 values of the four blocks is a 4×4 transpose.
    if (L % 4 == 0) {
        for (; b + 4 <= count; b += 4) {
            const float *s = blocks + b * L;
            for (size_t k = 0; k < L; k += 4) {
                __m128 r0 = _mm_loadu_ps(s + k), r1 = _mm_loadu_ps(s + L + k);
                __m128 r2 = _mm_loadu_ps(s + 2 * L + k), r3 = _mm_loadu_ps(s + 3 * L + k);
                _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
                _mm_storeu_ps(out + k * rowStride + b, r0);
                _mm_storeu_ps(out + (k + 1) * rowStride + b, r1);
                _mm_storeu_ps(out + (k + 2) * rowStride + b, r2);
                _mm_storeu_ps(out + (k + 3) * rowStride + b, r3);
            }
        }
    }
#endif
    for (; b < count; b++)
        for (size_t k = 0; k < L; k++) out[k * rowStride + b] = blocks[b * L + k];
}

/// One window in the same order, portable C (every window without AVX-512).
static double ck_hsp_one(const float *t, size_t rowStride, size_t planeStride, const float *w, size_t bx, size_t by,
                         size_t L, double bias) {
    double s = bias;
    for (size_t py = 0; py < by; py++)
        for (size_t px = 0; px < bx; px++) {
            const float *v = t + py * planeStride + px, *wr = w + (py * bx + px) * L;
            float a[4] = {0, 0, 0, 0};
            for (size_t k = 0; k < L; k += 4)
                for (size_t l = 0; l < 4; l++) a[l] += v[(k + l) * rowStride] * wr[k + l];
            s += (double)(a[0] + a[1]) + (double)(a[2] + a[3]);
        }
    return s;
}

#if defined(__x86_64__)
/// Sixteen windows (fewer at the end of the row: masked loads and stores).
CK_AVX512 static void ck_hsp_16(const float *t, size_t rowStride, size_t planeStride, __mmask16 m, const float *w,
                                size_t bx, size_t by, size_t L, double bias, double *scores) {
    __m512d s0 = _mm512_set1_pd(bias), s1 = s0;
    for (size_t py = 0; py < by; py++)
        for (size_t px = 0; px < bx; px++) {
            const float *v = t + py * planeStride + px, *wr = w + (py * bx + px) * L;
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (size_t k = 0; k < L; k += 4) {
                const float *p = v + k * rowStride;
                a0 = _mm512_add_ps(a0, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p), _mm512_set1_ps(wr[k])));
                a1 = _mm512_add_ps(a1, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p + rowStride), _mm512_set1_ps(wr[k + 1])));
                a2 = _mm512_add_ps(a2, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p + 2 * rowStride), _mm512_set1_ps(wr[k + 2])));
                a3 = _mm512_add_ps(a3, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p + 3 * rowStride), _mm512_set1_ps(wr[k + 3])));
            }
            const __m512 h01 = _mm512_add_ps(a0, a1), h23 = _mm512_add_ps(a2, a3);
            s0 = _mm512_add_pd(s0, _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(h01)),
                                                 _mm512_cvtps_pd(_mm512_castps512_ps256(h23))));
            s1 = _mm512_add_pd(s1, _mm512_add_pd(_mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(h01), 1))),
                                                 _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(h23), 1)))));
        }
    _mm512_mask_storeu_pd(scores, (__mmask8)(m & 0xff), s0);
    _mm512_mask_storeu_pd(scores + 8, (__mmask8)(m >> 8), s1);
}

/// Thirty-two windows: two groups of 16 share each weight broadcast, and their 8
/// accumulators are independent chains (16 windows' 4 chains leave the adds waiting on each
/// other's latency).
CK_AVX512 static void ck_hsp_32(const float *t, size_t rowStride, size_t planeStride, const float *w, size_t bx,
                                size_t by, size_t L, double bias, double *scores) {
    __m512d s[4] = {_mm512_set1_pd(bias), _mm512_set1_pd(bias), _mm512_set1_pd(bias), _mm512_set1_pd(bias)};
    for (size_t py = 0; py < by; py++)
        for (size_t px = 0; px < bx; px++) {
            const float *v = t + py * planeStride + px, *wr = w + (py * bx + px) * L;
            __m512 a[2][4];
            for (int h = 0; h < 2; h++)
                for (int l = 0; l < 4; l++) a[h][l] = _mm512_setzero_ps();
            for (size_t k = 0; k < L; k += 4)
                for (int l = 0; l < 4; l++) {
                    const float *p = v + (k + (size_t)l) * rowStride;
                    const __m512 wv = _mm512_set1_ps(wr[k + (size_t)l]);
                    a[0][l] = _mm512_add_ps(a[0][l], _mm512_mul_ps(_mm512_loadu_ps(p), wv));
                    a[1][l] = _mm512_add_ps(a[1][l], _mm512_mul_ps(_mm512_loadu_ps(p + 16), wv));
                }
            for (int h = 0; h < 2; h++) {
                const __m512 h01 = _mm512_add_ps(a[h][0], a[h][1]), h23 = _mm512_add_ps(a[h][2], a[h][3]);
                s[2 * h] = _mm512_add_pd(s[2 * h], _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(h01)),
                                                                 _mm512_cvtps_pd(_mm512_castps512_ps256(h23))));
                s[2 * h + 1] = _mm512_add_pd(
                    s[2 * h + 1],
                    _mm512_add_pd(_mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(h01), 1))),
                                  _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(h23), 1)))));
            }
        }
    for (int q = 0; q < 4; q++) _mm512_storeu_pd(scores + 8 * q, s[q]);
}

CK_AVX512 static void ck_hsp_avx512(const float *t, size_t rowStride, size_t planeStride, size_t count, const float *w,
                                    size_t bx, size_t by, size_t L, double bias, double *scores) {
    size_t i = 0;
    for (; i + 32 <= count; i += 32) ck_hsp_32(t + i, rowStride, planeStride, w, bx, by, L, bias, scores + i);
    for (; i < count; i += 16) {
        const size_t n = count - i < 16 ? count - i : 16;
        ck_hsp_16(t + i, rowStride, planeStride, (__mmask16)((1u << n) - 1u), w, bx, by, L, bias, scores + i);
    }
}
#endif

int ck_hog_score_planes_available(size_t L) { return L % 4 == 0 && ck_has_avx512(); }

void ck_hog_score_windows_planes(const float *planes, size_t rowStride, size_t planeStride, size_t count,
                                 const float *weights, size_t bx, size_t by, size_t L, double bias, double *scores) {
#if defined(__x86_64__)
    if (ck_hog_score_planes_available(L)) {
        ck_hsp_avx512(planes, rowStride, planeStride, count, weights, bx, by, L, bias, scores);
        return;
    }
#endif
    for (size_t i = 0; i < count; i++) scores[i] = ck_hsp_one(planes + i, rowStride, planeStride, weights, bx, by, L, bias);
}
