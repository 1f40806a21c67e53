// Float separable-convolution row kernels and sample conversions. See GaussianBlur.swift
// (separableFloat), which drives them row by row.
#include "kernels.h"
#include "ck_dispatch.h"

// Outputs are computed in blocks of CK_CONV_BLOCK held in registers (4 AVX vectors) while the
// taps loop runs, so each tap costs one load and one FMA per vector and nothing is stored
// until the block is done.
#define CK_CONV_BLOCK 32

static inline int ck_taps_symmetric(const float *k, int taps) {
    if (taps % 2 == 0 || taps < 3) return 0;
    for (int t = 0; t < taps / 2; t++)
        if (k[t] != k[taps - 1 - t]) return 0;
    return 1;
}

CK_INLINE void ck_conv_h_f32_body(const float *restrict pad, float *restrict dst, size_t n, size_t cn,
                                  const float *restrict k, int taps) {
    size_t i = 0;
    if (ck_taps_symmetric(k, taps)) {
        // Symmetric taps: add the mirrored samples first, so half the products become plain
        // additions (separate pipes from the FMAs on current cores).
        const int r = taps / 2;
        for (; i + CK_CONV_BLOCK <= n; i += CK_CONV_BLOCK) {
            float acc[CK_CONV_BLOCK];
            const float *c = pad + i + (size_t)r * cn;
            for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] = k[r] * c[j];
            for (int t = 0; t < r; t++) {
                const float kt = k[t];
                const float *a = pad + i + (size_t)t * cn, *b = pad + i + (size_t)(2 * r - t) * cn;
                for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] += kt * (a[j] + b[j]);
            }
            for (int j = 0; j < CK_CONV_BLOCK; j++) dst[i + j] = acc[j];
        }
    }
    for (; i + CK_CONV_BLOCK <= n; i += CK_CONV_BLOCK) {
        float acc[CK_CONV_BLOCK];
        for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] = k[0] * pad[i + j];
        for (int t = 1; t < taps; t++) {
            const float kt = k[t];
            if (kt == 0.0f) continue;
            const float *a = pad + i + (size_t)t * cn;
            for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] += kt * a[j];
        }
        for (int j = 0; j < CK_CONV_BLOCK; j++) dst[i + j] = acc[j];
    }
    for (; i < n; i++) {
        float s = k[0] * pad[i];
        for (int t = 1; t < taps; t++) s += k[t] * pad[i + (size_t)t * cn];
        dst[i] = s;
    }
}
CK_MULTIVERSION_FMA(void, ck_conv_h_f32, (const float *pad, float *dst, size_t n, size_t cn, const float *k, int taps),
                    (pad, dst, n, cn, k, taps))

CK_INLINE void ck_conv_v_f32_body(const float *const *rows, float *restrict dst, size_t n, const float *restrict k,
                                  int taps, float delta) {
    size_t i = 0;
    if (ck_taps_symmetric(k, taps)) {
        const int r = taps / 2;
        for (; i + CK_CONV_BLOCK <= n; i += CK_CONV_BLOCK) {
            float acc[CK_CONV_BLOCK];
            const float *c = rows[r] + i;
            for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] = k[r] * c[j];
            for (int t = 0; t < r; t++) {
                const float kt = k[t];
                const float *a = rows[t] + i, *b = rows[2 * r - t] + i;
                for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] += kt * (a[j] + b[j]);
            }
            for (int j = 0; j < CK_CONV_BLOCK; j++) dst[i + j] = acc[j] + delta;
        }
    }
    for (; i + CK_CONV_BLOCK <= n; i += CK_CONV_BLOCK) {
        float acc[CK_CONV_BLOCK];
        const float *r0 = rows[0] + i;
        for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] = k[0] * r0[j];
        for (int t = 1; t < taps; t++) {
            const float kt = k[t];
            if (kt == 0.0f) continue;
            const float *a = rows[t] + i;
            for (int j = 0; j < CK_CONV_BLOCK; j++) acc[j] += kt * a[j];
        }
        for (int j = 0; j < CK_CONV_BLOCK; j++) dst[i + j] = acc[j] + delta;
    }
    for (; i < n; i++) {
        float s = k[0] * rows[0][i];
        for (int t = 1; t < taps; t++) s += k[t] * rows[t][i];
        dst[i] = s + delta;
    }
}
CK_MULTIVERSION_FMA(void, ck_conv_v_f32, (const float *const *rows, float *dst, size_t n, const float *k, int taps,
                                          float delta),
                    (rows, dst, n, k, taps, delta))

CK_INLINE void ck_u8_to_f32_body(const uint8_t *restrict src, float *restrict dst, size_t n) {
    for (size_t i = 0; i < n; i++) dst[i] = (float)src[i];
}
CK_MULTIVERSION(void, ck_u8_to_f32, (const uint8_t *src, float *dst, size_t n), (src, dst, n))

CK_INLINE void ck_u16_to_f32_body(const uint16_t *restrict src, float *restrict dst, size_t n) {
    for (size_t i = 0; i < n; i++) dst[i] = (float)src[i];
}
CK_MULTIVERSION(void, ck_u16_to_f32, (const uint16_t *src, float *dst, size_t n), (src, dst, n))

// 1.5·2^23: adding and subtracting it rounds a Float of magnitude below 2^22 to the nearest
// integer, ties to even, in plain vector arithmetic. Inputs are clamped first.
#define CK_ROUND_MAGIC_F32 12582912.0f

CK_INLINE void ck_f32_to_u8_body(const float *restrict src, uint8_t *restrict dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = src[i];
        v = v > 0.0f ? v : 0.0f;  // also maps NaN to 0
        v = v < 255.0f ? v : 255.0f;
        dst[i] = (uint8_t)(int32_t)((v + CK_ROUND_MAGIC_F32) - CK_ROUND_MAGIC_F32);
    }
}
CK_MULTIVERSION(void, ck_f32_to_u8, (const float *src, uint8_t *dst, size_t n), (src, dst, n))

CK_INLINE void ck_f32_to_u16_body(const float *restrict src, uint16_t *restrict dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = src[i];
        v = v > 0.0f ? v : 0.0f;
        v = v < 65535.0f ? v : 65535.0f;
        dst[i] = (uint16_t)(int32_t)((v + CK_ROUND_MAGIC_F32) - CK_ROUND_MAGIC_F32);
    }
}
CK_MULTIVERSION(void, ck_f32_to_u16, (const float *src, uint16_t *dst, size_t n), (src, dst, n))
