// Direct 2-D correlation, one kernel row at a time (Filter2D.swift drives it).
//
// OpenCV's Filter2D (filter.simd.hpp) starts every sum at `delta` and adds the kernel's
// non-zero coefficients in row-major order, each as one fused multiply-add in its AVX2 build.
// Keeping that order (and the fusion) makes the Float sums identical, so 8-bit outputs round
// the same way. A block of outputs stays in registers while the taps of one kernel row are
// applied, so each padded input row is streamed once per kernel row.
#include "kernels.h"
#include "ck_dispatch.h"

// 64 outputs = 8 AVX2 accumulators: enough independent FMA chains to cover the FMA latency
// (32 left the loop latency-bound at one FMA per cycle).
enum { CK_F2D_BLOCK = 64 };

// Every kernel row in one pass: tap t reads ring row rows[row_of_tap[t]], so a block's sums
// stay in registers from delta to the last tap (added per kernel row, the sums went through
// memory once per row: three loads and stores per sample for a 3×3). Same taps, same order.
// With `u8` given, each block is rounded to bytes from the registers as ck_f32_to_u8 does
// (clamped to 0…255, NaN to 0, ties to even) and `dst` is not written: no Float row in between.
CK_INLINE uint8_t ck_f2d_round_u8(float v) {
    v = v > 0.0f ? v : 0.0f;  // also maps NaN to 0
    v = v < 255.0f ? v : 255.0f;
    return (uint8_t)(int32_t)((v + 12582912.0f) - 12582912.0f);  // 1.5·2^23: ties to even
}
CK_INLINE void ck_f2d_sum_body(float *restrict dst, uint8_t *restrict u8, const float *const *rows, size_t n,
                               const float *restrict k, const int32_t *restrict row_of_tap,
                               const int32_t *restrict offsets, int taps, float delta) {
    size_t i = 0;
    for (; i + CK_F2D_BLOCK <= n; i += CK_F2D_BLOCK) {
        float a[CK_F2D_BLOCK];
        for (int j = 0; j < CK_F2D_BLOCK; j++) a[j] = delta;
        for (int t = 0; t < taps; t++) {
            const float kt = k[t];
            const float *s = rows[row_of_tap[t]] + i + offsets[t];
            for (int j = 0; j < CK_F2D_BLOCK; j++) a[j] = a[j] + kt * s[j];
        }
        if (u8)
            for (int j = 0; j < CK_F2D_BLOCK; j++) u8[i + j] = ck_f2d_round_u8(a[j]);
        else
            for (int j = 0; j < CK_F2D_BLOCK; j++) dst[i + j] = a[j];
    }
    for (; i < n; i++) {
        float a = delta;
        for (int t = 0; t < taps; t++) a = a + k[t] * rows[row_of_tap[t]][i + offsets[t]];
        if (u8) u8[i] = ck_f2d_round_u8(a);
        else dst[i] = a;
    }
}
CK_MULTIVERSION_FMA(void, ck_f2d_sum,
                    (float *dst, uint8_t *u8, const float *const *rows, size_t n, const float *k,
                     const int32_t *row_of_tap, const int32_t *offsets, int taps, float delta),
                    (dst, u8, rows, n, k, row_of_tap, offsets, taps, delta))

// OpenCV's bit-exact 8-bit separable path (SeparableFilter.swift): taps scaled by 2^8. Both
// passes work on blocks of CK_FIXED8_BLOCK samples held in registers while the taps are added,
// so each row is read once per tap and written once.
enum { CK_FIXED8_BLOCK = 64 };

// The halves are symmetric (that is when OpenCV takes this path), so taps t and taps−1−t are
// applied to pair sums: half the multiplies.
CK_INLINE void ck_sep_fixed8_h_body(const uint8_t *restrict pad, int32_t *restrict dst, size_t n, size_t cn,
                                    const int32_t *restrict k, int taps) {
    const int r = taps / 2;
    size_t i0 = 0;
    for (; i0 + CK_FIXED8_BLOCK <= n; i0 += CK_FIXED8_BLOCK) {
        int32_t acc[CK_FIXED8_BLOCK];
        const uint8_t *c = pad + i0 + (size_t)r * cn;
        for (int j = 0; j < CK_FIXED8_BLOCK; j++) acc[j] = k[r] * (int32_t)c[j];
        for (int t = 0; t < r; t++) {
            const int32_t kt = k[t];
            const uint8_t *a = pad + i0 + (size_t)t * cn, *b = pad + i0 + (size_t)(taps - 1 - t) * cn;
            for (int j = 0; j < CK_FIXED8_BLOCK; j++) acc[j] += kt * ((int32_t)a[j] + (int32_t)b[j]);
        }
        for (int j = 0; j < CK_FIXED8_BLOCK; j++) dst[i0 + j] = acc[j];
    }
    for (; i0 < n; i0++) {
        int32_t a = 0;
        for (int t = 0; t < taps; t++) a += k[t] * (int32_t)pad[i0 + (size_t)t * cn];
        dst[i0] = a;
    }
}
CK_MULTIVERSION(void, ck_sep_fixed8_h,
                (const uint8_t *pad, int32_t *dst, size_t n, size_t cn, const int32_t *k, int taps),
                (pad, dst, n, cn, k, taps))

// Column sums s = delta + Σ k[t]·rows[t][i] (exact in 32 bits: ≤ 255·2^16 plus delta), the
// symmetric taps applied to pair sums.
CK_INLINE void ck_fixed8_column_sums(const int32_t *const *rows, size_t i0, int32_t *restrict acc, size_t len,
                                     const int32_t *restrict k, int taps, int32_t delta) {
    const int r = taps / 2;
    const int32_t kc = k[r], *c = rows[r] + i0;
    for (size_t j = 0; j < len; j++) acc[j] = delta + kc * c[j];
    for (int t = 0; t < r; t++) {
        const int32_t kt = k[t];
        const int32_t *a = rows[t] + i0, *b = rows[taps - 1 - t] + i0;
        for (size_t j = 0; j < len; j++) acc[j] += kt * (a[j] + b[j]);
    }
}

// s / 2^16 rounded half to even (OpenCV's Float vector loop, exact for these sums) for
// i < span, half up beyond (its scalar tail, (s + 2^15) >> 16); saturated to 0…255.
CK_INLINE void ck_fixed8_round_store(const int32_t *restrict acc, uint8_t *restrict dst, size_t len, size_t even) {
    for (size_t j = 0; j < even; j++) {
        const int32_t q = acc[j] >> 16, rem = acc[j] & 0xFFFF;
        const int32_t v = q + ((rem + (q & 1)) > 0x8000);
        dst[j] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    for (size_t j = even; j < len; j++) {
        const int32_t v = (acc[j] + 0x8000) >> 16;
        dst[j] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

// Full blocks take the sums and the rounding with a constant length, so the block's sums stay
// in registers (with the length a variable they went through the stack, a store and a reload
// per tap: half the filter's time in a profile).
CK_INLINE void ck_sep_fixed8_v_body(const int32_t *const *rows, uint8_t *restrict dst, size_t n, size_t span,
                                    const int32_t *restrict k, int taps, int32_t delta) {
    int32_t acc[CK_FIXED8_BLOCK];
    size_t i0 = 0;
    for (; i0 + CK_FIXED8_BLOCK <= n; i0 += CK_FIXED8_BLOCK) {
        ck_fixed8_column_sums(rows, i0, acc, CK_FIXED8_BLOCK, k, taps, delta);
        if (i0 + CK_FIXED8_BLOCK <= span)
            ck_fixed8_round_store(acc, dst + i0, CK_FIXED8_BLOCK, CK_FIXED8_BLOCK);
        else
            ck_fixed8_round_store(acc, dst + i0, CK_FIXED8_BLOCK, span > i0 ? span - i0 : 0);
    }
    if (i0 < n) {
        const size_t len = n - i0;
        ck_fixed8_column_sums(rows, i0, acc, len, k, taps, delta);
        ck_fixed8_round_store(acc, dst + i0, len, span > i0 ? (span - i0 < len ? span - i0 : len) : 0);
    }
}
CK_MULTIVERSION(void, ck_sep_fixed8_v,
                (const int32_t *const *rows, uint8_t *dst, size_t n, size_t span, const int32_t *k, int taps,
                 int32_t delta),
                (rows, dst, n, span, k, taps, delta))
