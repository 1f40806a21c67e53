// 3×3 integer derivative row kernels (Sobel/Scharr on 8-bit images, Int16 results) and the
// Canny gradient magnitude. See Sobel.swift and Canny.swift.
#include "kernels.h"
#include "ck_dispatch.h"

CK_INLINE void ck_sep3_vert_u8s16_body(const uint8_t *restrict r0, const uint8_t *restrict r1, const uint8_t *restrict r2,
                                       int16_t *restrict dst, size_t n, int k0, int k1, int k2) {
    const int16_t a = (int16_t)k0, b = (int16_t)k1, c = (int16_t)k2;
    // Sobel's two 3-tap kernels as adds (the same integers as the products).
    if (k0 == 1 && k1 == 2 && k2 == 1) {
        for (size_t i = 0; i < n; i++)
            dst[i] = (int16_t)((int16_t)r0[i] + (int16_t)((int16_t)r1[i] << 1) + (int16_t)r2[i]);
        return;
    }
    if (k0 == -1 && k1 == 0 && k2 == 1) {
        for (size_t i = 0; i < n; i++) dst[i] = (int16_t)((int16_t)r2[i] - (int16_t)r0[i]);
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = (int16_t)(a * (int16_t)r0[i] + b * (int16_t)r1[i] + c * (int16_t)r2[i]);
}
CK_MULTIVERSION(void, ck_sep3_vert_u8s16,
                (const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, int16_t *dst, size_t n, int k0, int k1, int k2),
                (r0, r1, r2, dst, n, k0, k1, k2))

CK_INLINE void ck_sep3_horz_s16_body(const int16_t *restrict src, int16_t *restrict dst, size_t n, size_t cn,
                                     int k0, int k1, int k2) {
    const int16_t a = (int16_t)k0, b = (int16_t)k1, c = (int16_t)k2;
    const int16_t *s1 = src + cn, *s2 = src + 2 * cn;
    if (k0 == -1 && k1 == 0 && k2 == 1) {
        for (size_t i = 0; i < n; i++) dst[i] = (int16_t)(s2[i] - src[i]);
        return;
    }
    if (k0 == 1 && k1 == 2 && k2 == 1) {
        for (size_t i = 0; i < n; i++) dst[i] = (int16_t)(src[i] + (int16_t)(s1[i] * 2) + s2[i]);
        return;
    }
    for (size_t i = 0; i < n; i++) dst[i] = (int16_t)(a * src[i] + b * s1[i] + c * s2[i]);
}
CK_MULTIVERSION(void, ck_sep3_horz_s16,
                (const int16_t *src, int16_t *dst, size_t n, size_t cn, int k0, int k1, int k2),
                (src, dst, n, cn, k0, k1, k2))

CK_INLINE void ck_sobel3_vert_body(const uint8_t *restrict r0, const uint8_t *restrict r1, const uint8_t *restrict r2,
                                   int16_t *restrict smooth, int16_t *restrict diff, size_t n) {
    for (size_t i = 0; i < n; i++) {
        smooth[i] = (int16_t)((int16_t)r0[i] + 2 * (int16_t)r1[i] + (int16_t)r2[i]);
        diff[i] = (int16_t)((int16_t)r2[i] - (int16_t)r0[i]);
    }
}
CK_MULTIVERSION(void, ck_sobel3_vert,
                (const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, int16_t *smooth, int16_t *diff, size_t n),
                (r0, r1, r2, smooth, diff, n))

CK_INLINE void ck_sobel3_horz_mag_body(const int16_t *restrict smooth, const int16_t *restrict diff,
                                       int16_t *restrict dx, int16_t *restrict dy, int32_t *restrict mag,
                                       size_t w, int l2) {
    if (l2) {
        for (size_t i = 0; i < w; i++) {
            int16_t gx = (int16_t)(smooth[i + 2] - smooth[i]);
            int16_t gy = (int16_t)(diff[i] + 2 * diff[i + 1] + diff[i + 2]);
            dx[i] = gx;
            dy[i] = gy;
            mag[i] = (int32_t)gx * gx + (int32_t)gy * gy;
        }
    } else {
        for (size_t i = 0; i < w; i++) {
            int16_t gx = (int16_t)(smooth[i + 2] - smooth[i]);
            int16_t gy = (int16_t)(diff[i] + 2 * diff[i + 1] + diff[i + 2]);
            dx[i] = gx;
            dy[i] = gy;
            int16_t ax = gx < 0 ? (int16_t)-gx : gx, ay = gy < 0 ? (int16_t)-gy : gy;
            mag[i] = (int32_t)ax + (int32_t)ay;
        }
    }
}
CK_MULTIVERSION(void, ck_sobel3_horz_mag,
                (const int16_t *smooth, const int16_t *diff, int16_t *dx, int16_t *dy, int32_t *mag, size_t w, int l2),
                (smooth, diff, dx, dy, mag, w, l2))
