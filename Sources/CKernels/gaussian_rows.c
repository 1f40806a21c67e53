// Fixed-point Gaussian row kernels (OpenCV's bit-exact 8-bit path). See GaussianBlur.swift.
#include "kernels.h"
#include "ck_dispatch.h"

CK_INLINE void ck_gauss_h_u8u16_body(const uint8_t *restrict pad, uint16_t *restrict dst, size_t n, size_t cn,
                                     const uint16_t *restrict k, int r) {
    const uint8_t *c = pad + (size_t)r * cn;
    const uint16_t kc = k[r];
    if (r == 0) {
        for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(kc * c[i]);
        return;
    }
    if (r == 1) {
        const uint16_t k0 = k[0];
        const uint8_t *a = pad, *b = pad + 2 * cn;
        for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(kc * c[i] + k0 * (a[i] + b[i]));
        return;
    }
    if (r == 2) {
        const uint16_t k0 = k[0], k1 = k[1];
        const uint8_t *a0 = pad, *b0 = pad + 4 * cn, *a1 = pad + cn, *b1 = pad + 3 * cn;
        for (size_t i = 0; i < n; i++)
            dst[i] = (uint16_t)(kc * c[i] + k0 * (a0[i] + b0[i]) + k1 * (a1[i] + b1[i]));
        return;
    }
    if (r == 3) {
        const uint16_t k0 = k[0], k1 = k[1], k2 = k[2];
        const uint8_t *a0 = pad, *b0 = pad + 6 * cn, *a1 = pad + cn, *b1 = pad + 5 * cn;
        const uint8_t *a2 = pad + 2 * cn, *b2 = pad + 4 * cn;
        for (size_t i = 0; i < n; i++)
            dst[i] = (uint16_t)(kc * c[i] + k0 * (a0[i] + b0[i]) + k1 * (a1[i] + b1[i]) + k2 * (a2[i] + b2[i]));
        return;
    }
    // Two tap pairs per pass over dst (dst stays in L1).
    const uint8_t *a0 = pad, *b0 = pad + (size_t)(2 * r) * cn;
    const uint8_t *a1 = pad + cn, *b1 = pad + (size_t)(2 * r - 1) * cn;
    const uint16_t k0 = k[0], k1 = k[1];
    for (size_t i = 0; i < n; i++)
        dst[i] = (uint16_t)(kc * c[i] + k0 * (a0[i] + b0[i]) + k1 * (a1[i] + b1[i]));
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
CK_MULTIVERSION(void, ck_gauss_h_u8u16,
                (const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, const uint16_t *k, int r),
                (pad, dst, n, cn, k, r))

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
CK_MULTIVERSION(void, ck_gauss_v_u16u8,
                (const uint16_t *const *rows, uint8_t *dst, size_t n, const uint16_t *k, int r),
                (rows, dst, n, k, r))
