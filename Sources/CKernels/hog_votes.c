// Orientation votes of one row of a framed HOG source (CVFeatures' HOGPadded.swift, OpenCV's
// `computeGradient` for the detector): central differences of 1 or 3 Float planes, OpenCV's
// strongest-channel selection, `cartToPolar` magnitude and `fastAtan2` angle, and the split
// between the two nearest of `n` bins. The same Float operations in the same order as the
// Swift loops of HOGGradients.swift (`opencvSelectFramed`, `interpolatedVotes`), so the votes
// are the same bits: separate multiplies and adds, no contraction into FMA.
#include "kernels.h"
#include "ck_dispatch.h"
#include <math.h>
#include <float.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

typedef struct {
    float p1, p3, p5, p7, eps, radPerDeg, angleScale;
    int n;
} ck_hv_consts;

static ck_hv_consts ck_hv_make(int n, float angleScale) {
    const float deg = (float)(180.0 / M_PI);
    ck_hv_consts k = {0.9997878412794807f * deg, -0.3258083974640975f * deg, 0.1555786518463281f * deg,
                      -0.04432655554792128f * deg, (float)DBL_EPSILON, (float)(M_PI / 180.0), angleScale, n};
    return k;
}

/// Column `x`'s gradient: the rule of OpenCV's vector loop (`vec`: ties prefer B, then G) or of
/// its scalar tail (ties prefer R, then G).
static inline void ck_hv_select(const float *const *p, int cn, size_t rl, size_t x, int vec, float *dx, float *dy) {
    if (cn == 1) { *dx = p[0][x + 1] - p[0][x - 1]; *dy = p[0][x + rl] - p[0][x - rl]; return; }
    float gx[3], gy[3], m[3];
    for (int c = 0; c < 3; c++) {
        gx[c] = p[c][x + 1] - p[c][x - 1]; gy[c] = p[c][x + rl] - p[c][x - rl];
        m[c] = gx[c] * gx[c] + gy[c] * gy[c];
    }
    if (vec) {
        const int rOverG = m[0] > m[1];
        const float sx = rOverG ? gx[0] : gx[1], sy = rOverG ? gy[0] : gy[1];
        const int keep = (m[0] > m[1] ? m[0] : m[1]) > m[2];
        *dx = keep ? sx : gx[2]; *dy = keep ? sy : gy[2];
    } else {
        float sx = gx[0], sy = gy[0], mm = m[0];
        if (mm < m[1]) { sx = gx[1]; sy = gy[1]; mm = m[1]; }
        if (mm < m[2]) { sx = gx[2]; sy = gy[2]; }
        *dx = sx; *dy = sy;
    }
}

static inline void ck_hv_vote(const ck_hv_consts *k, float dx, float dy, uint8_t *b0, uint8_t *b1, float *m0,
                              float *m1) {
    const float mag = sqrtf(dx * dx + dy * dy);
    const float ax = fabsf(dx), ay = fabsf(dy);
    const int xMajor = ax >= ay;
    const float c = (xMajor ? ay : ax) / ((xMajor ? ax : ay) + k->eps), c2 = c * c;
    float a = (((k->p7 * c2 + k->p5) * c2 + k->p3) * c2 + k->p1) * c;
    a = xMajor ? a : 90 - a;
    a = dx < 0 ? 180 - a : a;
    a = dy < 0 ? 360 - a : a;
    float angle = a * k->radPerDeg;
    angle = angle * k->angleScale - 0.5f;
    const float fl = floorf(angle);
    angle -= fl;
    *m0 = mag * (1 - angle);
    *m1 = mag * angle;
    int h = (int)fl;
    h = h < 0 ? h + k->n : (h >= k->n ? h - k->n : h);
    *b0 = (uint8_t)h;
    *b1 = (uint8_t)(h + 1 < k->n ? h + 1 : 0);
}

static void ck_hog_votes_scalar(const float *const *p, int cn, size_t rl, size_t from, size_t count, size_t vecEnd,
                                const ck_hv_consts *k, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    for (size_t x = from; x < count; x++) {
        float dx, dy;
        ck_hv_select(p, cn, rl, x, x < vecEnd, &dx, &dy);
        ck_hv_vote(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
}

#if defined(__x86_64__)
CK_AVX2 static inline void ck_hv_grad8(const float *p, size_t rl, size_t x, __m256 *gx, __m256 *gy) {
    *gx = _mm256_sub_ps(_mm256_loadu_ps(p + x + 1), _mm256_loadu_ps(p + x - 1));
    *gy = _mm256_sub_ps(_mm256_loadu_ps(p + x + rl), _mm256_loadu_ps(p + x - rl));
}

CK_AVX2 static inline __m256 ck_hv_mag2(__m256 gx, __m256 gy) {
    return _mm256_add_ps(_mm256_mul_ps(gx, gx), _mm256_mul_ps(gy, gy));
}

/// Eight columns below the vector end: the selection of OpenCV's vector loop.
CK_AVX2 static inline void ck_hv_select8(const float *const *p, int cn, size_t rl, size_t x, __m256 *dx, __m256 *dy) {
    if (cn == 1) { ck_hv_grad8(p[0], rl, x, dx, dy); return; }
    __m256 rx, ry, gx, gy, bx, by;
    ck_hv_grad8(p[0], rl, x, &rx, &ry);
    ck_hv_grad8(p[1], rl, x, &gx, &gy);
    ck_hv_grad8(p[2], rl, x, &bx, &by);
    const __m256 mR = ck_hv_mag2(rx, ry), mG = ck_hv_mag2(gx, gy), mB = ck_hv_mag2(bx, by);
    const __m256 rOverG = _mm256_cmp_ps(mR, mG, _CMP_GT_OQ);
    const __m256 sx = _mm256_blendv_ps(gx, rx, rOverG), sy = _mm256_blendv_ps(gy, ry, rOverG);
    const __m256 keep = _mm256_or_ps(_mm256_cmp_ps(mR, mB, _CMP_GT_OQ), _mm256_cmp_ps(mG, mB, _CMP_GT_OQ));
    *dx = _mm256_blendv_ps(bx, sx, keep);
    *dy = _mm256_blendv_ps(by, sy, keep);
}

CK_AVX2 static inline void ck_hv_vote8(const ck_hv_consts *k, __m256 dx, __m256 dy, uint8_t *b0, uint8_t *b1,
                                       float *m0, float *m1) {
    const __m256 zero = _mm256_setzero_ps(), sign = _mm256_set1_ps(-0.0f);
    const __m256 mag = _mm256_sqrt_ps(ck_hv_mag2(dx, dy));
    const __m256 ax = _mm256_andnot_ps(sign, dx), ay = _mm256_andnot_ps(sign, dy);
    const __m256 xMajor = _mm256_cmp_ps(ax, ay, _CMP_GE_OQ);
    const __m256 num = _mm256_blendv_ps(ax, ay, xMajor), den = _mm256_blendv_ps(ay, ax, xMajor);
    const __m256 c = _mm256_div_ps(num, _mm256_add_ps(den, _mm256_set1_ps(k->eps)));
    const __m256 c2 = _mm256_mul_ps(c, c);
    __m256 a = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(k->p7), c2), _mm256_set1_ps(k->p5));
    a = _mm256_add_ps(_mm256_mul_ps(a, c2), _mm256_set1_ps(k->p3));
    a = _mm256_add_ps(_mm256_mul_ps(a, c2), _mm256_set1_ps(k->p1));
    a = _mm256_mul_ps(a, c);
    a = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(90), a), a, xMajor);
    a = _mm256_blendv_ps(a, _mm256_sub_ps(_mm256_set1_ps(180), a), _mm256_cmp_ps(dx, zero, _CMP_LT_OQ));
    a = _mm256_blendv_ps(a, _mm256_sub_ps(_mm256_set1_ps(360), a), _mm256_cmp_ps(dy, zero, _CMP_LT_OQ));
    __m256 angle = _mm256_mul_ps(a, _mm256_set1_ps(k->radPerDeg));
    angle = _mm256_sub_ps(_mm256_mul_ps(angle, _mm256_set1_ps(k->angleScale)), _mm256_set1_ps(0.5f));
    const __m256 fl = _mm256_floor_ps(angle);
    angle = _mm256_sub_ps(angle, fl);
    _mm256_storeu_ps(m0, _mm256_mul_ps(mag, _mm256_sub_ps(_mm256_set1_ps(1), angle)));
    _mm256_storeu_ps(m1, _mm256_mul_ps(mag, angle));
    const __m256i n = _mm256_set1_epi32(k->n);
    __m256i h = _mm256_cvtps_epi32(fl);  // fl is an integer: exact
    h = _mm256_add_epi32(h, _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), h), n));
    h = _mm256_sub_epi32(h, _mm256_andnot_si256(_mm256_cmpgt_epi32(n, h), n));
    __m256i h1 = _mm256_add_epi32(h, _mm256_set1_epi32(1));
    h1 = _mm256_and_si256(h1, _mm256_cmpgt_epi32(n, h1));
    // Lanes 0–7 as bytes: pack to 16 bits, then to 8 (values < 256).
    const __m256i both = _mm256_packus_epi32(h, h1);                       // h0-3 h1_0-3 | h4-7 h1_4-7
    const __m256i bytes = _mm256_packus_epi16(both, both);                 // per lane: h0-3 h1_0-3 (×2)
    const __m128i lo = _mm256_castsi256_si128(bytes), hi = _mm256_extracti128_si256(bytes, 1);
    const __m128i out = _mm_unpacklo_epi32(lo, hi);                        // h0-3 h4-7 h1_0-3 h1_4-7
    _mm_storel_epi64((__m128i *)b0, out);
    _mm_storel_epi64((__m128i *)b1, _mm_srli_si128(out, 8));
}

CK_AVX2 static void ck_hog_votes_avx2(const float *const *p, int cn, size_t rl, size_t count, size_t vecEnd,
                                      const ck_hv_consts *k, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    size_t x = 0;
    for (; x + 8 <= vecEnd; x += 8) {
        __m256 dx, dy;
        ck_hv_select8(p, cn, rl, x, &dx, &dy);
        ck_hv_vote8(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
    ck_hog_votes_scalar(p, cn, rl, x, count, vecEnd, k, b0, b1, m0, m1);
}

/// The same 16 pixels a step with AVX-512 (masks in place of blends): the same operations on
/// each pixel, so the same bits.
CK_AVX512 static inline void ck_hv_grad16(const float *p, size_t rl, size_t x, __m512 *gx, __m512 *gy) {
    *gx = _mm512_sub_ps(_mm512_loadu_ps(p + x + 1), _mm512_loadu_ps(p + x - 1));
    *gy = _mm512_sub_ps(_mm512_loadu_ps(p + x + rl), _mm512_loadu_ps(p + x - rl));
}

CK_AVX512 static inline __m512 ck_hv_mag2_16(__m512 gx, __m512 gy) {
    return _mm512_add_ps(_mm512_mul_ps(gx, gx), _mm512_mul_ps(gy, gy));
}

CK_AVX512 static inline void ck_hv_select16(const float *const *p, int cn, size_t rl, size_t x, __m512 *dx, __m512 *dy) {
    if (cn == 1) { ck_hv_grad16(p[0], rl, x, dx, dy); return; }
    __m512 rx, ry, gx, gy, bx, by;
    ck_hv_grad16(p[0], rl, x, &rx, &ry);
    ck_hv_grad16(p[1], rl, x, &gx, &gy);
    ck_hv_grad16(p[2], rl, x, &bx, &by);
    const __m512 mR = ck_hv_mag2_16(rx, ry), mG = ck_hv_mag2_16(gx, gy), mB = ck_hv_mag2_16(bx, by);
    const __mmask16 rOverG = _mm512_cmp_ps_mask(mR, mG, _CMP_GT_OQ);
    const __m512 sx = _mm512_mask_blend_ps(rOverG, gx, rx), sy = _mm512_mask_blend_ps(rOverG, gy, ry);
    const __mmask16 keep = _mm512_cmp_ps_mask(mR, mB, _CMP_GT_OQ) | _mm512_cmp_ps_mask(mG, mB, _CMP_GT_OQ);
    *dx = _mm512_mask_blend_ps(keep, bx, sx);
    *dy = _mm512_mask_blend_ps(keep, by, sy);
}

CK_AVX512 static inline void ck_hv_vote16(const ck_hv_consts *k, __m512 dx, __m512 dy, uint8_t *b0, uint8_t *b1,
                                          float *m0, float *m1) {
    const __m512 zero = _mm512_setzero_ps();
    const __m512 mag = _mm512_sqrt_ps(ck_hv_mag2_16(dx, dy));
    const __m512 ax = _mm512_abs_ps(dx), ay = _mm512_abs_ps(dy);
    const __mmask16 xMajor = _mm512_cmp_ps_mask(ax, ay, _CMP_GE_OQ);
    const __m512 num = _mm512_mask_blend_ps(xMajor, ax, ay), den = _mm512_mask_blend_ps(xMajor, ay, ax);
    const __m512 c = _mm512_div_ps(num, _mm512_add_ps(den, _mm512_set1_ps(k->eps)));
    const __m512 c2 = _mm512_mul_ps(c, c);
    __m512 a = _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(k->p7), c2), _mm512_set1_ps(k->p5));
    a = _mm512_add_ps(_mm512_mul_ps(a, c2), _mm512_set1_ps(k->p3));
    a = _mm512_add_ps(_mm512_mul_ps(a, c2), _mm512_set1_ps(k->p1));
    a = _mm512_mul_ps(a, c);
    a = _mm512_mask_blend_ps(xMajor, _mm512_sub_ps(_mm512_set1_ps(90), a), a);
    a = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(dx, zero, _CMP_LT_OQ), a, _mm512_sub_ps(_mm512_set1_ps(180), a));
    a = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(dy, zero, _CMP_LT_OQ), a, _mm512_sub_ps(_mm512_set1_ps(360), a));
    __m512 angle = _mm512_mul_ps(a, _mm512_set1_ps(k->radPerDeg));
    angle = _mm512_sub_ps(_mm512_mul_ps(angle, _mm512_set1_ps(k->angleScale)), _mm512_set1_ps(0.5f));
    const __m512 fl = _mm512_roundscale_ps(angle, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    angle = _mm512_sub_ps(angle, fl);
    _mm512_storeu_ps(m0, _mm512_mul_ps(mag, _mm512_sub_ps(_mm512_set1_ps(1), angle)));
    _mm512_storeu_ps(m1, _mm512_mul_ps(mag, angle));
    const __m512i n = _mm512_set1_epi32(k->n), zi = _mm512_setzero_si512();
    __m512i h = _mm512_cvtps_epi32(fl);  // fl is an integer: exact
    h = _mm512_mask_add_epi32(h, _mm512_cmplt_epi32_mask(h, zi), h, n);
    h = _mm512_mask_sub_epi32(h, _mm512_cmpge_epi32_mask(h, n), h, n);
    __m512i h1 = _mm512_add_epi32(h, _mm512_set1_epi32(1));
    h1 = _mm512_maskz_mov_epi32(_mm512_cmplt_epi32_mask(h1, n), h1);
    _mm_storeu_si128((__m128i *)b0, _mm512_cvtepi32_epi8(h));
    _mm_storeu_si128((__m128i *)b1, _mm512_cvtepi32_epi8(h1));
}

CK_AVX512 static void ck_hog_votes_avx512(const float *const *p, int cn, size_t rl, size_t count, size_t vecEnd,
                                          const ck_hv_consts *k, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    size_t x = 0;
    for (; x + 16 <= vecEnd; x += 16) {
        __m512 dx, dy;
        ck_hv_select16(p, cn, rl, x, &dx, &dy);
        ck_hv_vote16(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
    for (; x + 8 <= vecEnd; x += 8) {
        __m256 dx, dy;
        ck_hv_select8(p, cn, rl, x, &dx, &dy);
        ck_hv_vote8(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
    ck_hog_votes_scalar(p, cn, rl, x, count, vecEnd, k, b0, b1, m0, m1);
}
#endif

void ck_hog_votes_framed(const float *p0, const float *p1, const float *p2, int cn, size_t rowStride, size_t count,
                         size_t vectorEnd, int n, float angleScale, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    const float *p[3] = {p0, p1, p2};
    const ck_hv_consts k = ck_hv_make(n, angleScale);
#if defined(__x86_64__)
    if (ck_has_avx512()) { ck_hog_votes_avx512(p, cn, rowStride, count, vectorEnd, &k, b0, b1, m0, m1); return; }
    if (ck_has_avx2()) { ck_hog_votes_avx2(p, cn, rowStride, count, vectorEnd, &k, b0, b1, m0, m1); return; }
#endif
    ck_hog_votes_scalar(p, cn, rowStride, 0, count, vectorEnd, &k, b0, b1, m0, m1);
}
