// Bilateral filter rows with OpenCV's arithmetic (cv2.bilateralFilter). See BilateralExact.swift.
#include <math.h>
#include "median_bilateral_kernels.h"
#include "ck_dispatch.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// One pixel, in tap order, as OpenCV's vector path computes it: w = space·colour (Float),
// wsum += w, sum = fma(value, w, sum). OpenCV's vector code uses fused multiply-adds; the scalar
// path here must too, or the last bit of a sum differs and, rarely, a rounded output.
CK_INLINE void ck_bilat_u8_pixel(const uint8_t *const *planes, uint8_t *dst, size_t x, size_t cn, int r,
                                 const int32_t *ty, const int32_t *tx, const float *space, int ntaps,
                                 const float *color, const int32_t *order) {
    if (cn == 1) {
        const int c0 = planes[r][x + (size_t)r];
        float sum = 0, wsum = 0;
        for (int t = 0; t < ntaps; t++) {
            const int k = order ? order[t] : t;
            const int v = planes[ty[k]][x + (size_t)tx[k]];
            const float w = space[k] * color[v > c0 ? v - c0 : c0 - v];
            wsum += w;
            sum = fmaf((float)v, w, sum);
        }
        dst[x] = (uint8_t)lrintf(sum / wsum);
        return;
    }
    const size_t rc = (size_t)r * 3;
    const int b0 = planes[rc][x + (size_t)r], g0 = planes[rc + 1][x + (size_t)r], r0 = planes[rc + 2][x + (size_t)r];
    float sb = 0, sg = 0, sr = 0, wsum = 0;
    for (int k = 0; k < ntaps; k++) {
        const size_t p = (size_t)ty[k] * 3, o = x + (size_t)tx[k];
        const int b = planes[p][o], g = planes[p + 1][o], rr = planes[p + 2][o];
        const int d = abs(b - b0) + abs(g - g0) + abs(rr - r0);
        const float w = space[k] * color[d];
        wsum += w;
        sb = fmaf((float)b, w, sb);
        sg = fmaf((float)g, w, sg);
        sr = fmaf((float)rr, w, sr);
    }
    const float inv = 1.f / wsum;
    dst[x * 3] = (uint8_t)lrintf(sb * inv);
    dst[x * 3 + 1] = (uint8_t)lrintf(sg * inv);
    dst[x * 3 + 2] = (uint8_t)lrintf(sr * inv);
}

#if defined(__x86_64__)
CK_AVX2_FMA static inline __m256i ck_bilat_load8(const uint8_t *p) {
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p));
}
CK_AVX2_FMA static inline void ck_bilat_store8(uint8_t *dst, __m256 v) {
    const __m256i i = _mm256_cvtps_epi32(v);  // round to nearest even, as cvRound
    const __m128i s = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    _mm_storel_epi64((__m128i *)dst, _mm_packus_epi16(s, s));
}
/// Gray, 8 pixels at x: the arithmetic of ck_bilat_u8_pixel in each lane.
CK_AVX2_FMA static void ck_bilat_u8_gray8(const uint8_t *const *planes, uint8_t *dst, size_t x, int r,
                                          const int32_t *ty, const int32_t *tx, const float *space, int ntaps,
                                          const float *color, const int32_t *order) {
    const __m256i c0 = ck_bilat_load8(planes[r] + x + (size_t)r);
    __m256 sum = _mm256_setzero_ps(), wsum = _mm256_setzero_ps();
    for (int t = 0; t < ntaps; t++) {
        const int k = order ? order[t] : t;
        const __m256i v = ck_bilat_load8(planes[ty[k]] + x + (size_t)tx[k]);
        const __m256i d = _mm256_abs_epi32(_mm256_sub_epi32(v, c0));
        const __m256 w = _mm256_mul_ps(_mm256_set1_ps(space[k]), _mm256_i32gather_ps(color, d, 4));
        wsum = _mm256_add_ps(wsum, w);
        sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(v), w, sum);
    }
    ck_bilat_store8(dst + x, _mm256_div_ps(sum, wsum));
}
/// Gray, 16 pixels at x as two blocks of 8 in one tap loop: each block's sums are a chain of
/// dependent adds and FMAs (4 cycles a tap), so two independent chains keep the gathers busy.
/// Each lane's arithmetic is ck_bilat_u8_gray8's, in the same order.
CK_AVX2_FMA static void ck_bilat_u8_gray16(const uint8_t *const *planes, uint8_t *dst, size_t x, int r,
                                           const int32_t *ty, const int32_t *tx, const float *space, int ntaps,
                                           const float *color, const int32_t *order) {
    const __m256i c0 = ck_bilat_load8(planes[r] + x + (size_t)r), c1 = ck_bilat_load8(planes[r] + x + 8 + (size_t)r);
    __m256 sum0 = _mm256_setzero_ps(), wsum0 = sum0, sum1 = sum0, wsum1 = sum0;
    for (int t = 0; t < ntaps; t++) {
        const int k = order ? order[t] : t;
        const uint8_t *p = planes[ty[k]] + x + (size_t)tx[k];
        const __m256i v0 = ck_bilat_load8(p), v1 = ck_bilat_load8(p + 8);
        const __m256i d0 = _mm256_abs_epi32(_mm256_sub_epi32(v0, c0)), d1 = _mm256_abs_epi32(_mm256_sub_epi32(v1, c1));
        const __m256 s = _mm256_set1_ps(space[k]);
        const __m256 w0 = _mm256_mul_ps(s, _mm256_i32gather_ps(color, d0, 4));
        const __m256 w1 = _mm256_mul_ps(s, _mm256_i32gather_ps(color, d1, 4));
        wsum0 = _mm256_add_ps(wsum0, w0);
        wsum1 = _mm256_add_ps(wsum1, w1);
        sum0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(v0), w0, sum0);
        sum1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(v1), w1, sum1);
    }
    ck_bilat_store8(dst + x, _mm256_div_ps(sum0, wsum0));
    ck_bilat_store8(dst + x + 8, _mm256_div_ps(sum1, wsum1));
}
/// Colour (planar input, interleaved output), 8 pixels at x.
CK_AVX2_FMA static void ck_bilat_u8_rgb8(const uint8_t *const *planes, uint8_t *dst, size_t x, int r,
                                         const int32_t *ty, const int32_t *tx, const float *space, int ntaps,
                                         const float *color) {
    const size_t rc = (size_t)r * 3;
    const __m256i b0 = ck_bilat_load8(planes[rc] + x + (size_t)r), g0 = ck_bilat_load8(planes[rc + 1] + x + (size_t)r),
                  r0 = ck_bilat_load8(planes[rc + 2] + x + (size_t)r);
    __m256 sb = _mm256_setzero_ps(), sg = sb, sr = sb, wsum = sb;
    for (int k = 0; k < ntaps; k++) {
        const size_t p = (size_t)ty[k] * 3, o = x + (size_t)tx[k];
        const __m256i b = ck_bilat_load8(planes[p] + o), g = ck_bilat_load8(planes[p + 1] + o),
                      rr = ck_bilat_load8(planes[p + 2] + o);
        const __m256i d = _mm256_add_epi32(_mm256_add_epi32(_mm256_abs_epi32(_mm256_sub_epi32(b, b0)),
                                                            _mm256_abs_epi32(_mm256_sub_epi32(g, g0))),
                                           _mm256_abs_epi32(_mm256_sub_epi32(rr, r0)));
        const __m256 w = _mm256_mul_ps(_mm256_set1_ps(space[k]), _mm256_i32gather_ps(color, d, 4));
        wsum = _mm256_add_ps(w, wsum);
        sb = _mm256_fmadd_ps(_mm256_cvtepi32_ps(b), w, sb);
        sg = _mm256_fmadd_ps(_mm256_cvtepi32_ps(g), w, sg);
        sr = _mm256_fmadd_ps(_mm256_cvtepi32_ps(rr), w, sr);
    }
    const __m256 inv = _mm256_div_ps(_mm256_set1_ps(1.f), wsum);
    uint8_t tmp[3][8];
    ck_bilat_store8(tmp[0], _mm256_mul_ps(inv, sb));
    ck_bilat_store8(tmp[1], _mm256_mul_ps(inv, sg));
    ck_bilat_store8(tmp[2], _mm256_mul_ps(inv, sr));
    for (int i = 0; i < 8; i++) {
        dst[(x + i) * 3] = tmp[0][i];
        dst[(x + i) * 3 + 1] = tmp[1][i];
        dst[(x + i) * 3 + 2] = tmp[2][i];
    }
}
CK_AVX2_FMA static size_t ck_bilateral_u8_avx2(const uint8_t *const *planes, uint8_t *dst, size_t x, size_t width,
                                               size_t cn, int r, const int32_t *ty, const int32_t *tx,
                                               const float *space, int ntaps, const float *color,
                                               const int32_t *alt_order, size_t alt_end) {
    for (; x + 8 <= width; x += 8) {
        // Gray blocks of 16 where both halves take the same tap order.
        if (cn == 1 && x + 16 <= width && (x + 16 <= alt_end || x >= alt_end)) {
            ck_bilat_u8_gray16(planes, dst, x, r, ty, tx, space, ntaps, color, x < alt_end ? alt_order : NULL);
            x += 8;
            continue;
        }
        if (cn == 1)
            ck_bilat_u8_gray8(planes, dst, x, r, ty, tx, space, ntaps, color, x < alt_end ? alt_order : NULL);
        else
            ck_bilat_u8_rgb8(planes, dst, x, r, ty, tx, space, ntaps, color);
    }
    for (; x < width; x++)
        ck_bilat_u8_pixel(planes, dst, x, cn, r, ty, tx, space, ntaps, color, x < alt_end ? alt_order : NULL);
    return x;
}
#endif

#if defined(__x86_64__)
// AVX-512, gray: the colour weight of 16 lanes from registers instead of a gather. The 256-entry
// table sits in 16 zmm registers; `vpermt2ps` looks up 32 entries at a time (index bits 0–4),
// so differences below 64 (most taps on photographs) take two permutes and a blend, and a tap
// with any lane at 64 or more takes all eight permutes and a blend tree on bits 5–7. The
// values are the table's own, so the output is unchanged; the per-tap gather (`vpgatherdd`),
// which bounded the AVX2 loop, is gone (times in docs/performance.md).
CK_AVX512 static inline __m512i ck_bilat_load16(const uint8_t *p) {
    return _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)p));
}
CK_AVX512 static inline void ck_bilat_store16(uint8_t *dst, __m512 v) {
    // round to nearest even as cvRound; a weighted mean of bytes is within 0…255
    _mm_storeu_si128((__m128i *)(void *)dst, _mm512_cvtusepi32_epi8(_mm512_cvtps_epi32(v)));
}
CK_AVX512 static inline __m512 ck_bilat_color256(const __m512 *table, __m512i d) {
    const __mmask16 b5 = _mm512_test_epi32_mask(d, _mm512_set1_epi32(32));
    const __m512 lo = _mm512_mask_blend_ps(b5, _mm512_permutex2var_ps(table[0], d, table[1]),
                                           _mm512_permutex2var_ps(table[2], d, table[3]));
    if (__builtin_expect(!_mm512_cmpge_epi32_mask(d, _mm512_set1_epi32(64)), 1)) return lo;
    const __mmask16 b6 = _mm512_test_epi32_mask(d, _mm512_set1_epi32(64));
    const __mmask16 b7 = _mm512_test_epi32_mask(d, _mm512_set1_epi32(128));
    __m512 q[3];
    for (int j = 0; j < 3; j++)
        q[j] = _mm512_mask_blend_ps(b5, _mm512_permutex2var_ps(table[4 + 4 * j], d, table[5 + 4 * j]),
                                    _mm512_permutex2var_ps(table[6 + 4 * j], d, table[7 + 4 * j]));
    return _mm512_mask_blend_ps(b7, _mm512_mask_blend_ps(b6, lo, q[0]), _mm512_mask_blend_ps(b6, q[1], q[2]));
}
/// Gray, 32 pixels at x as two chains of 16 (as ck_bilat_u8_gray16); each lane's arithmetic is
/// ck_bilat_u8_pixel's, in the same order.
CK_AVX512 static void ck_bilat_u8_gray32(const uint8_t *const *planes, uint8_t *dst, size_t x, int r,
                                         const int32_t *ty, const int32_t *tx, const float *space, int ntaps,
                                         const __m512 *table, const int32_t *order) {
    const __m512i c0 = ck_bilat_load16(planes[r] + x + (size_t)r), c1 = ck_bilat_load16(planes[r] + x + 16 + (size_t)r);
    __m512 sum0 = _mm512_setzero_ps(), wsum0 = sum0, sum1 = sum0, wsum1 = sum0;
    for (int t = 0; t < ntaps; t++) {
        const int k = order ? order[t] : t;
        const uint8_t *p = planes[ty[k]] + x + (size_t)tx[k];
        const __m512i v0 = ck_bilat_load16(p), v1 = ck_bilat_load16(p + 16);
        const __m512i d0 = _mm512_abs_epi32(_mm512_sub_epi32(v0, c0)), d1 = _mm512_abs_epi32(_mm512_sub_epi32(v1, c1));
        const __m512 s = _mm512_set1_ps(space[k]);
        const __m512 w0 = _mm512_mul_ps(s, ck_bilat_color256(table, d0));
        const __m512 w1 = _mm512_mul_ps(s, ck_bilat_color256(table, d1));
        wsum0 = _mm512_add_ps(wsum0, w0);
        wsum1 = _mm512_add_ps(wsum1, w1);
        sum0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(v0), w0, sum0);
        sum1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(v1), w1, sum1);
    }
    ck_bilat_store16(dst + x, _mm512_div_ps(sum0, wsum0));
    ck_bilat_store16(dst + x + 16, _mm512_div_ps(sum1, wsum1));
}
/// Gray blocks of 32 where the whole block takes one tap order; returns the first pixel left.
CK_AVX512 static size_t ck_bilateral_u8_gray_avx512(const uint8_t *const *planes, uint8_t *dst, size_t width, int r,
                                                    const int32_t *ty, const int32_t *tx, const float *space,
                                                    int ntaps, const float *color, const int32_t *alt_order,
                                                    size_t alt_end) {
    __m512 table[16];
    for (int i = 0; i < 16; i++) table[i] = _mm512_loadu_ps(color + 16 * i);
    size_t x = 0;
    for (; x + 32 <= width && (x + 32 <= alt_end || x >= alt_end); x += 32)
        ck_bilat_u8_gray32(planes, dst, x, r, ty, tx, space, ntaps, table, x < alt_end ? alt_order : NULL);
    return x;
}
#endif

void ck_bilateral_u8(const uint8_t *const *planes, uint8_t *dst, size_t width, size_t cn, int r, const int32_t *ty,
                     const int32_t *tx, const float *space, int ntaps, const float *color, const int32_t *alt_order,
                     size_t alt_end) {
#if defined(__x86_64__)
    size_t x = 0;
    if (cn == 1 && ck_has_avx512())
        x = ck_bilateral_u8_gray_avx512(planes, dst, width, r, ty, tx, space, ntaps, color, alt_order, alt_end);
    if (ck_has_avx2_fma()) {
        ck_bilateral_u8_avx2(planes, dst, x, width, cn, r, ty, tx, space, ntaps, color, alt_order, alt_end);
        return;
    }
#else
    size_t x = 0;
#endif
    for (; x < width; x++)
        ck_bilat_u8_pixel(planes, dst, x, cn, r, ty, tx, space, ntaps, color, x < alt_end ? alt_order : NULL);
}

// Float: the colour weight interpolated in a table over the image's value range.
CK_INLINE float ck_bilat_f32_weight(const float *lut, float d, float scale, int nan_centre) {
    if (nan_centre) return 1.f;
    float a = d * scale;
    if (!(a >= 0)) a = 0;       // (never for finite input) keeps the index defined
    int i = (int)a;
    if (i > (int)(4096 * 3)) i = 4096 * 3;
    a -= (float)i;
    return lut[i] + a * (lut[i + 1] - lut[i]);
}

CK_INLINE void ck_bilateral_f32_body(const float *const *planes, float *dst, size_t width, size_t cn, int r,
                                     const int32_t *ty, const int32_t *tx, const float *space, int ntaps,
                                     const float *lut, float scale) {
    for (size_t x = 0; x < width; x++) {
        float c0[3], sum[3] = {0, 0, 0}, wsum = 0;
        int nan_centre = 0;
        for (size_t c = 0; c < cn; c++) {
            c0[c] = planes[(size_t)r * cn + c][x + (size_t)r];
            nan_centre |= isnan(c0[c]);
        }
        for (int k = 0; k < ntaps; k++) {
            float v[3], d = 0;
            int nan_value = 0;
            for (size_t c = 0; c < cn; c++) {
                v[c] = planes[(size_t)ty[k] * cn + c][x + (size_t)tx[k]];
                nan_value |= isnan(v[c]);
                d += fabsf(v[c] - c0[c]);
            }
            if (nan_value) continue;  // OpenCV skips NaN neighbours
            const float w = space[k] * ck_bilat_f32_weight(lut, d, scale, nan_centre);
            wsum += w;
            for (size_t c = 0; c < cn; c++) sum[c] += v[c] * w;
        }
        for (size_t c = 0; c < cn; c++)
            dst[x * cn + c] = nan_centre ? sum[c] / wsum : (sum[c] + c0[c]) / (wsum + 1.f);
    }
}
CK_MULTIVERSION_FMA(void, ck_bilateral_f32,
                    (const float *const *planes, float *dst, size_t width, size_t cn, int r, const int32_t *ty,
                     const int32_t *tx, const float *space, int ntaps, const float *lut, float scale),
                    (planes, dst, width, cn, r, ty, tx, space, ntaps, lut, scale))
