// Fixed-point Gaussian row kernels (OpenCV's bit-exact 8-bit path). See GaussianBlur.swift.
#include "kernels.h"
#include "ck_dispatch.h"

// Widest vertical kernel of the AVX-512 path (its taps live in registers and on the stack).
#define CK_GAUSS_SIGNED_MAX_RADIUS 63

CK_INLINE void ck_gauss_h_u8u16_body(const uint8_t *restrict pad, uint16_t *restrict dst, size_t n, size_t cn,
                                     const uint16_t *restrict k, int r, uint16_t offset) {
    const uint8_t *c = pad + (size_t)r * cn;
    const uint16_t kc = k[r];
    if (r == 0) {
        for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(offset + kc * c[i]);
        return;
    }
    if (r == 1) {
        const uint16_t k0 = k[0];
        const uint8_t *a = pad, *b = pad + 2 * cn;
        for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(offset + kc * c[i] + k0 * (a[i] + b[i]));
        return;
    }
    if (r == 2) {
        const uint16_t k0 = k[0], k1 = k[1];
        const uint8_t *a0 = pad, *b0 = pad + 4 * cn, *a1 = pad + cn, *b1 = pad + 3 * cn;
        for (size_t i = 0; i < n; i++)
            dst[i] = (uint16_t)(offset + kc * c[i] + k0 * (a0[i] + b0[i]) + k1 * (a1[i] + b1[i]));
        return;
    }
    if (r == 3) {
        const uint16_t k0 = k[0], k1 = k[1], k2 = k[2];
        const uint8_t *a0 = pad, *b0 = pad + 6 * cn, *a1 = pad + cn, *b1 = pad + 5 * cn;
        const uint8_t *a2 = pad + 2 * cn, *b2 = pad + 4 * cn;
        for (size_t i = 0; i < n; i++)
            dst[i] = (uint16_t)(offset + kc * c[i] + k0 * (a0[i] + b0[i]) + k1 * (a1[i] + b1[i])
                                + k2 * (a2[i] + b2[i]));
        return;
    }
    // Two tap pairs per pass over dst (dst stays in L1).
    const uint8_t *a0 = pad, *b0 = pad + (size_t)(2 * r) * cn;
    const uint8_t *a1 = pad + cn, *b1 = pad + (size_t)(2 * r - 1) * cn;
    const uint16_t k0 = k[0], k1 = k[1];
    for (size_t i = 0; i < n; i++)
        dst[i] = (uint16_t)(offset + kc * c[i] + k0 * (a0[i] + b0[i]) + k1 * (a1[i] + b1[i]));
    int t = 2;
    for (; t + 1 < r; t += 2) {
        const uint16_t ka = k[t], kb = k[t + 1];
        const uint8_t *pa = pad + (size_t)t * cn, *qa = pad + (size_t)(2 * r - t) * cn;
        const uint8_t *pb = pad + (size_t)(t + 1) * cn, *qb = pad + (size_t)(2 * r - t - 1) * cn;
        for (size_t i = 0; i < n; i++)
            dst[i] = (uint16_t)(dst[i] + ka * (pa[i] + qa[i]) + kb * (pb[i] + qb[i]));
    }
    for (; t < r; t++) {
        const uint16_t ka = k[t];
        const uint8_t *pa = pad + (size_t)t * cn, *qa = pad + (size_t)(2 * r - t) * cn;
        for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(dst[i] + ka * (pa[i] + qa[i]));
    }
}
static void ck_gauss_h_u8u16_base(const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, const uint16_t *k, int r,
                                  uint16_t offset) {
    ck_gauss_h_u8u16_body(pad, dst, n, cn, k, r, offset);
}
CK_AVX2 static void ck_gauss_h_u8u16_avx2(const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, const uint16_t *k,
                                          int r, uint16_t offset) {
    ck_gauss_h_u8u16_body(pad, dst, n, cn, k, r, offset);
}
// The same loops in 512-bit registers (32 lanes of 16 bits).
CK_AVX512BW static void ck_gauss_h_u8u16_avx512(const uint8_t *pad, uint16_t *dst, size_t n, size_t cn,
                                                const uint16_t *k, int r, uint16_t offset) {
    ck_gauss_h_u8u16_body(pad, dst, n, cn, k, r, offset);
}
void ck_gauss_h_u8u16(const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, const uint16_t *k, int r,
                      uint16_t offset) {
    if (ck_has_avx512bw()) ck_gauss_h_u8u16_avx512(pad, dst, n, cn, k, r, offset);
    else if (ck_has_avx2()) ck_gauss_h_u8u16_avx2(pad, dst, n, cn, k, r, offset);
    else ck_gauss_h_u8u16_base(pad, dst, n, cn, k, r, offset);
}

CK_INLINE void ck_gauss_v_u16u8_body(const uint16_t *const *rows, uint8_t *restrict dst, size_t n,
                                     const uint16_t *restrict k, int r) {
    const uint32_t kc = k[r];
    const uint16_t *c = rows[r];
    if (r == 0) {
        for (size_t i = 0; i < n; i++) dst[i] = (uint8_t)((kc * c[i] + 0x8000u) >> 16);
        return;
    }
    if (r == 1) {
        const uint16_t *a = rows[0], *b = rows[2];
        const uint32_t k0 = k[0];
        for (size_t i = 0; i < n; i++) {
            uint32_t s = kc * c[i] + k0 * ((uint32_t)a[i] + b[i]);
            dst[i] = (uint8_t)((s + 0x8000u) >> 16);
        }
        return;
    }
    if (r == 2) {
        const uint16_t *a0 = rows[0], *b0 = rows[4], *a1 = rows[1], *b1 = rows[3];
        const uint32_t k0 = k[0], k1 = k[1];
        for (size_t i = 0; i < n; i++) {
            uint32_t s = kc * c[i] + k0 * ((uint32_t)a0[i] + b0[i]) + k1 * ((uint32_t)a1[i] + b1[i]);
            dst[i] = (uint8_t)((s + 0x8000u) >> 16);
        }
        return;
    }
    if (r == 3) {
        const uint16_t *a0 = rows[0], *b0 = rows[6], *a1 = rows[1], *b1 = rows[5], *a2 = rows[2], *b2 = rows[4];
        const uint32_t k0 = k[0], k1 = k[1], k2 = k[2];
        for (size_t i = 0; i < n; i++) {
            uint32_t s = kc * c[i] + k0 * ((uint32_t)a0[i] + b0[i]) + k1 * ((uint32_t)a1[i] + b1[i])
                         + k2 * ((uint32_t)a2[i] + b2[i]);
            dst[i] = (uint8_t)((s + 0x8000u) >> 16);
        }
        return;
    }
    // Chunks of 256 columns; the accumulator lives in L1.
    uint32_t acc[256];
    for (size_t x0 = 0; x0 < n; x0 += 256) {
        size_t m = n - x0 < 256 ? n - x0 : 256;
        {
            const uint16_t *cc = c + x0;
            const uint16_t *a0 = rows[0] + x0, *b0 = rows[2 * r] + x0, *a1 = rows[1] + x0, *b1 = rows[2 * r - 1] + x0;
            const uint32_t k0 = k[0], k1 = k[1];
            for (size_t i = 0; i < m; i++)
                acc[i] = kc * cc[i] + k0 * ((uint32_t)a0[i] + b0[i]) + k1 * ((uint32_t)a1[i] + b1[i]);
        }
        int t = 2;
        for (; t + 1 < r; t += 2) {
            const uint16_t *a0 = rows[t] + x0, *b0 = rows[2 * r - t] + x0;
            const uint16_t *a1 = rows[t + 1] + x0, *b1 = rows[2 * r - t - 1] + x0;
            const uint32_t k0 = k[t], k1 = k[t + 1];
            for (size_t i = 0; i < m; i++)
                acc[i] += k0 * ((uint32_t)a0[i] + b0[i]) + k1 * ((uint32_t)a1[i] + b1[i]);
        }
        for (; t < r; t++) {
            const uint16_t *a0 = rows[t] + x0, *b0 = rows[2 * r - t] + x0;
            const uint32_t k0 = k[t];
            for (size_t i = 0; i < m; i++) acc[i] += k0 * ((uint32_t)a0[i] + b0[i]);
        }
        uint8_t *o = dst + x0;
        for (size_t i = 0; i < m; i++) o[i] = (uint8_t)((acc[i] + 0x8000u) >> 16);
    }
}
static void ck_gauss_v_u16u8_base(const uint16_t *const *rows, uint8_t *dst, size_t n, const uint16_t *k, int r) {
    ck_gauss_v_u16u8_body(rows, dst, n, k, r);
}
CK_AVX2 static void ck_gauss_v_u16u8_avx2(const uint16_t *const *rows, uint8_t *dst, size_t n, const uint16_t *k,
                                          int r) {
    ck_gauss_v_u16u8_body(rows, dst, n, k, r);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// The vertical step with vpmaddwd instead of 32-bit multiplies (two micro-ops for 8 or 16
// lanes). vpmaddwd multiplies signed 16-bit values, so the rows hold h' = h − 2¹⁵ (the
// horizontal step adds the offset 2¹⁵ modulo 2¹⁶), and the rows t and 2r − t, which share a
// tap, are interleaved so that one instruction gives k·(a' + b') in 32 bits. The sum is then
// Σ k·h − 2¹⁵·Σk modulo 2³², so adding 2¹⁵·Σk back (Σk = 2⁸ for OpenCV's 8-bit kernels),
// with the 2¹⁵ of the rounding, restores it exactly. Every tap must be ≤ 2¹⁵ − 1
// (ck_gauss_v_offset checks; 8-bit taps are at most 2⁸). The 16-bit unpacks work within
// 128-bit lanes; the 32 → 16-bit pack undoes their order.
CK_AVX512BW CK_INLINE void ck_gauss_v_s16u8_avx512_step(const uint16_t *const *rows, uint8_t *dst, size_t x,
                                                         __mmask32 m, const __m512i *taps, __m512i bias, int r) {
    const __m512i c = _mm512_maskz_loadu_epi16(m, rows[r] + x), zero = _mm512_setzero_si512();
    __m512i lo = _mm512_madd_epi16(_mm512_unpacklo_epi16(c, zero), taps[r]);
    __m512i hi = _mm512_madd_epi16(_mm512_unpackhi_epi16(c, zero), taps[r]);
    for (int t = 0; t < r; t++) {
        const __m512i a = _mm512_maskz_loadu_epi16(m, rows[t] + x);
        const __m512i b = _mm512_maskz_loadu_epi16(m, rows[2 * r - t] + x);
        lo = _mm512_add_epi32(lo, _mm512_madd_epi16(_mm512_unpacklo_epi16(a, b), taps[t]));
        hi = _mm512_add_epi32(hi, _mm512_madd_epi16(_mm512_unpackhi_epi16(a, b), taps[t]));
    }
    lo = _mm512_srli_epi32(_mm512_add_epi32(lo, bias), 16);
    hi = _mm512_srli_epi32(_mm512_add_epi32(hi, bias), 16);
    _mm512_mask_cvtepi16_storeu_epi8(dst + x, m, _mm512_packus_epi32(lo, hi));
}

// Two output rows from the 2r + 2 rows they span: each row is loaded once, where one output
// row at a time loads 2r + 1 rows per output (the ring of rows is in L2, not L1).
CK_AVX512BW CK_INLINE void ck_gauss_v2_s16u8_avx512_step(const uint16_t *const *rows, uint8_t *dst0, uint8_t *dst1,
                                                          size_t x, __mmask32 m, const __m512i *taps, __m512i bias,
                                                          int r) {
    __m512i lo0 = _mm512_setzero_si512(), hi0 = lo0, lo1 = lo0, hi1 = lo0;
    __m512i near = _mm512_maskz_loadu_epi16(m, rows[0] + x);          // rows[t]
    __m512i far = _mm512_maskz_loadu_epi16(m, rows[2 * r + 1] + x);   // rows[2r + 1 − t]
    for (int t = 0; t < r; t++) {
        const __m512i next = _mm512_maskz_loadu_epi16(m, rows[t + 1] + x);
        const __m512i mirror = _mm512_maskz_loadu_epi16(m, rows[2 * r - t] + x);
        lo0 = _mm512_add_epi32(lo0, _mm512_madd_epi16(_mm512_unpacklo_epi16(near, mirror), taps[t]));
        hi0 = _mm512_add_epi32(hi0, _mm512_madd_epi16(_mm512_unpackhi_epi16(near, mirror), taps[t]));
        lo1 = _mm512_add_epi32(lo1, _mm512_madd_epi16(_mm512_unpacklo_epi16(next, far), taps[t]));
        hi1 = _mm512_add_epi32(hi1, _mm512_madd_epi16(_mm512_unpackhi_epi16(next, far), taps[t]));
        near = next;
        far = mirror;
    }
    // Now near = rows[r] and far = rows[r + 1], the two centres.
    const __m512i zero = _mm512_setzero_si512();
    lo0 = _mm512_add_epi32(lo0, _mm512_madd_epi16(_mm512_unpacklo_epi16(near, zero), taps[r]));
    hi0 = _mm512_add_epi32(hi0, _mm512_madd_epi16(_mm512_unpackhi_epi16(near, zero), taps[r]));
    lo1 = _mm512_add_epi32(lo1, _mm512_madd_epi16(_mm512_unpacklo_epi16(far, zero), taps[r]));
    hi1 = _mm512_add_epi32(hi1, _mm512_madd_epi16(_mm512_unpackhi_epi16(far, zero), taps[r]));
    lo0 = _mm512_srli_epi32(_mm512_add_epi32(lo0, bias), 16);
    hi0 = _mm512_srli_epi32(_mm512_add_epi32(hi0, bias), 16);
    lo1 = _mm512_srli_epi32(_mm512_add_epi32(lo1, bias), 16);
    hi1 = _mm512_srli_epi32(_mm512_add_epi32(hi1, bias), 16);
    _mm512_mask_cvtepi16_storeu_epi8(dst0 + x, m, _mm512_packus_epi32(lo0, hi0));
    _mm512_mask_cvtepi16_storeu_epi8(dst1 + x, m, _mm512_packus_epi32(lo1, hi1));
}

// The taps as (k, k) pairs of 16-bit values (the centre as (k, 0)) and the bias that undoes
// the rows' offset and rounds.
CK_AVX512BW CK_INLINE __m512i ck_gauss_v_s16_taps(const uint16_t *k, int r, __m512i *taps) {
    for (int t = 0; t < r; t++) taps[t] = _mm512_set1_epi32((int)((uint32_t)k[t] << 16 | k[t]));
    taps[r] = _mm512_set1_epi32(k[r]);
    uint32_t sum = k[r];
    for (int t = 0; t < r; t++) sum += 2u * k[t];
    return _mm512_set1_epi32((int)(0x8000u * sum + 0x8000u));
}

CK_AVX512BW static void ck_gauss_v2_s16u8_avx512(const uint16_t *const *rows, uint8_t *dst0, uint8_t *dst1, size_t n,
                                                 const uint16_t *k, int r) {
    __m512i taps[CK_GAUSS_SIGNED_MAX_RADIUS + 1];
    const __m512i bias = ck_gauss_v_s16_taps(k, r, taps);
    size_t x = 0;
    for (; x + 32 <= n; x += 32) ck_gauss_v2_s16u8_avx512_step(rows, dst0, dst1, x, 0xFFFFFFFFu, taps, bias, r);
    if (x < n) ck_gauss_v2_s16u8_avx512_step(rows, dst0, dst1, x, ((__mmask32)1 << (n - x)) - 1, taps, bias, r);
}

CK_AVX512BW static void ck_gauss_v_s16u8_avx512(const uint16_t *const *rows, uint8_t *dst, size_t n, const uint16_t *k,
                                                int r) {
    __m512i taps[CK_GAUSS_SIGNED_MAX_RADIUS + 1];
    const __m512i bias = ck_gauss_v_s16_taps(k, r, taps);
    size_t x = 0;
    for (; x + 32 <= n; x += 32) ck_gauss_v_s16u8_avx512_step(rows, dst, x, 0xFFFFFFFFu, taps, bias, r);
    if (x < n) ck_gauss_v_s16u8_avx512_step(rows, dst, x, ((__mmask32)1 << (n - x)) - 1, taps, bias, r);
}
#endif

uint16_t ck_gauss_v_offset(const uint16_t *k, int r) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (!ck_has_avx512bw() || r > CK_GAUSS_SIGNED_MAX_RADIUS) return 0;
    for (int t = 0; t <= r; t++)
        if (k[t] > 0x7FFF) return 0;
    return 0x8000;
#else
    (void)k; (void)r;
    return 0;
#endif
}

void ck_gauss_v_u16u8(const uint16_t *const *rows, uint8_t *dst, size_t n, const uint16_t *k, int r, uint16_t offset) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (offset) { ck_gauss_v_s16u8_avx512(rows, dst, n, k, r); return; }
#endif
    if (ck_has_avx2()) ck_gauss_v_u16u8_avx2(rows, dst, n, k, r);
    else ck_gauss_v_u16u8_base(rows, dst, n, k, r);
}

void ck_gauss_v2_u16u8(const uint16_t *const *rows, uint8_t *dst0, uint8_t *dst1, size_t n, const uint16_t *k, int r,
                       uint16_t offset) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (offset) { ck_gauss_v2_s16u8_avx512(rows, dst0, dst1, n, k, r); return; }
#endif
    ck_gauss_v_u16u8(rows, dst0, n, k, r, offset);
    ck_gauss_v_u16u8(rows + 1, dst1, n, k, r, offset);
}
