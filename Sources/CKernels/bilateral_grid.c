// The bilateral grid's kernels (splat, blur, slice). See bilateral_grid_kernels.h and
// BilateralFast.swift.
#include <math.h>
#include <string.h>
#include "bilateral_grid_kernels.h"
#include "ck_dispatch.h"

// MARK: Splat

#define CK_BGRID_SPLAT(T, NAME)                                                                                     \
    CK_INLINE void NAME##_cn(const T *restrict src, size_t width, const size_t cn, size_t s, float lo, float inv_sr,  \
                             size_t gd, float *restrict grid) {                                                     \
        const size_t cn1 = cn + 1, gw = (width + s - 1) / s;                                                        \
        const float top = (float)(gd - 1);                                                                          \
        for (size_t x = 0, gx = 0, next = s; x < width; x++) {                                                     \
            if (x == next) { gx++; next += s; } /* gx = x / s without a division */                                 \
            const T *p = src + x * cn;                                                                              \
            float g = 0;                                                                                            \
            for (size_t c = 0; c < cn; c++) g += (float)p[c];                                                       \
            const float z = (g - lo) * inv_sr;                                                                      \
            if (!(z >= 0 && z <= top)) continue; /* NaN, infinities, outside the range */                          \
            size_t z0 = (size_t)z;                                                                                  \
            if (z0 > gd - 2) z0 = gd - 2;                                                                           \
            const float t = z - (float)z0, u = 1 - t;                                                              \
            float *cell = grid + (z0 * gw + gx) * cn1, *up = cell + gw * cn1;                                    \
            for (size_t c = 0; c < cn; c++) {                                                                       \
                const float v = (float)p[c];                                                                        \
                cell[c] += u * v;                                                                                   \
                up[c] += t * v;                                                                                     \
            }                                                                                                       \
            cell[cn] += u;                                                                                          \
            up[cn] += t;                                                                                            \
        }                                                                                                           \
    }                                                                                                               \
    void NAME(const T *src, size_t width, size_t cn, size_t s, float lo, float inv_sr, size_t gd, float *grid) {     \
        if (gd < 2) return;                                                                                         \
        switch (cn) {                                                                                               \
        case 1: NAME##_cn(src, width, 1, s, lo, inv_sr, gd, grid); return;                                          \
        case 3: NAME##_cn(src, width, 3, s, lo, inv_sr, gd, grid); return;                                          \
        default: NAME##_cn(src, width, cn, s, lo, inv_sr, gd, grid); return;                                       \
        }                                                                                                           \
    }

CK_BGRID_SPLAT(uint8_t, ck_bgrid_splat_u8)
CK_BGRID_SPLAT(float, ck_bgrid_splat_f32)

// MARK: Blur

// out[i] = Σ_k w[r + k] · in[base + i + k·stride] for i in 0..<count, terms outside 0..<total
// left out: a Gaussian along one axis of a block layout (stride = the axis' block length).
// Where every tap is inside (the interior) blocks of 16 outputs keep their sums in registers
// over all taps (one store per output); near the ends, 2r + 1 shifted multiply-adds per tap
// over the short edge runs.
CK_INLINE void ck_bgrid_blur_edge(const float *restrict in, size_t total, size_t base, size_t i0, size_t i1,
                                  size_t stride, const float *restrict w, int r, float *restrict out) {
    for (size_t i = i0; i < i1; i++) out[i] = w[r] * in[base + i];
    for (int k = 1; k <= r; k++) {
        const size_t off = (size_t)k * stride;
        const float wa = w[r + k], wb = w[r - k];
        // After: base + i + off < total.
        size_t end = total > base + off ? total - base - off : 0;
        if (end > i1) end = i1;
        for (size_t i = i0; i < end; i++) out[i] += wa * in[base + i + off];
        // Before: base + i ≥ off.
        size_t start = off > base ? off - base : 0;
        if (start < i0) start = i0;
        for (size_t i = start; i < i1; i++) out[i] += wb * in[base + i - off];
    }
}

CK_INLINE void ck_bgrid_blur_flat_body(const float *restrict in, size_t total, size_t base, size_t count,
                                       size_t stride, const float *restrict w, int r, float *restrict out) {
    enum { B = 16 };
    const size_t reach = (size_t)r * stride;
    // Interior: base + i − reach ≥ 0 and base + i + reach < total.
    size_t lo = reach > base ? reach - base : 0, hi = total > reach + base ? total - reach - base : 0;
    if (hi > count) hi = count;
    if (lo > hi) lo = hi;
    const size_t blocks_end = lo + (hi - lo) / B * B;
    ck_bgrid_blur_edge(in, total, base, 0, lo, stride, w, r, out);
    for (size_t i = lo; i < blocks_end; i += B) {
        const float *c = in + base + i;
        float acc[B];
        for (int t = 0; t < B; t++) acc[t] = w[r] * c[t];
        for (int k = 1; k <= r; k++) {
            const size_t off = (size_t)k * stride;
            const float wa = w[r + k], wb = w[r - k], *after = c + off, *before = c - off;
            for (int t = 0; t < B; t++) acc[t] += wa * after[t] + wb * before[t];
        }
        for (int t = 0; t < B; t++) out[i + t] = acc[t];
    }
    ck_bgrid_blur_edge(in, total, base, blocks_end, count, stride, w, r, out);
}
CK_MULTIVERSION_STATIC(void, ck_bgrid_blur_flat,
                       (const float *in, size_t total, size_t base, size_t count, size_t stride, const float *w, int r,
                        float *out),
                       (in, total, base, count, stride, w, r, out))

void ck_bgrid_blur_row(float *row, float *tmp, size_t gw, size_t gd, size_t cn1, const float *wx, int rx,
                       const float *wz, int rz) {
    // Level-major rows: x runs within a level's plane, the levels are whole planes apart.
    const size_t plane = gw * cn1, n = gd * plane;
    for (size_t z = 0; z < gd; z++) ck_bgrid_blur_flat(row + z * plane, plane, 0, plane, cn1, wx, rx, tmp + z * plane);
    ck_bgrid_blur_flat(tmp, n, 0, n, plane, wz, rz, row);
}

void ck_bgrid_blur_y(const float *in, size_t rows, size_t first, size_t count, size_t n, const float *w, int r,
                     float *out) {
    ck_bgrid_blur_flat(in, rows * n, first * n, count * n, n, w, r, out);
}

// MARK: Slice

CK_INLINE void ck_bgrid_lerp_body(const float *restrict a, const float *restrict b, float t, float *restrict out,
                                  size_t n) {
    const float u = 1 - t;
    for (size_t i = 0; i < n; i++) out[i] = u * a[i] + t * b[i];
}
CK_MULTIVERSION_STATIC(void, ck_bgrid_lerp, (const float *a, const float *b, float t, float *out, size_t n),
                       (a, b, t, out, n))

static inline uint8_t ck_bgrid_store_u8(float v) {
    // Saturate, then round to nearest even by adding and removing 1.5·2^23 (no libm call).
    v = v < 0 ? 0 : v > 255 ? 255 : v;
    return (uint8_t)(int)((v + 12582912.0f) - 12582912.0f);
}
static inline float ck_bgrid_store_f32(float v) { return v; }

// Four Floats as one vector (GCC/Clang vector extension: SSE on x86-64, NEON on ARM).
typedef float ck_bgrid_v4 __attribute__((vector_size(16)));
static inline ck_bgrid_v4 ck_bgrid_load4(const float *p) {
    ck_bgrid_v4 v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define CK_BGRID_SLICE(T, NAME, STORE)                                                                              \
    CK_INLINE void NAME##_cn(const T *restrict src, T *restrict dst, size_t width, const size_t cn,                   \
                             const float *restrict grid, const int32_t *gx0, const int32_t *gx1, const float *wx,   \
                             float lo, float inv_sr, size_t gw, size_t gd) {                                        \
        const size_t cn1 = cn + 1, plane = gw * cn1;                                                                \
        const float top = (float)(gd - 1);                                                                          \
        for (size_t x = 0; x < width; x++) {                                                                        \
            const T *p = src + x * cn;                                                                              \
            float g = 0;                                                                                            \
            for (size_t c = 0; c < cn; c++) g += (float)p[c];                                                       \
            float z = (g - lo) * inv_sr;                                                                            \
            if (!isfinite(z)) {                                                                                     \
                for (size_t c = 0; c < cn; c++) dst[x * cn + c] = p[c];                                             \
                continue;                                                                                           \
            }                                                                                                       \
            z = z < 0 ? 0 : z > top ? top : z;                                                                      \
            size_t z0 = (size_t)z;                                                                                  \
            if (z0 > gd - 2) z0 = gd - 2;                                                                           \
            const float tz = z - (float)z0, uz = 1 - tz, tx = wx[x], ux = 1 - tx;                                   \
            const float *a = grid + (z0 * gw + (size_t)gx0[x]) * cn1;                                               \
            const float *b = grid + (z0 * gw + (size_t)gx1[x]) * cn1;                                               \
            float acc[5];                                                                                           \
            if (cn == 3) { /* a cell is one 4-lane vector: the three sums and the weight */                         \
                const ck_bgrid_v4 v = ux * (uz * ck_bgrid_load4(a) + tz * ck_bgrid_load4(a + plane)) +              \
                                      tx * (uz * ck_bgrid_load4(b) + tz * ck_bgrid_load4(b + plane));               \
                memcpy(acc, &v, sizeof v);                                                                          \
            } else {                                                                                                \
                for (size_t c = 0; c < cn1; c++)                                                                    \
                    acc[c] = ux * (uz * a[c] + tz * a[plane + c]) + tx * (uz * b[c] + tz * b[plane + c]);           \
            }                                                                                                       \
            if (!(acc[cn] > 0)) {                                                                                   \
                for (size_t c = 0; c < cn; c++) dst[x * cn + c] = p[c];                                             \
                continue;                                                                                           \
            }                                                                                                       \
            const float inv = 1 / acc[cn];                                                                          \
            for (size_t c = 0; c < cn; c++) dst[x * cn + c] = STORE(acc[c] * inv);                                  \
        }                                                                                                           \
    }                                                                                                               \
    void NAME(const T *src, T *dst, size_t width, size_t cn, const float *g0, const float *g1, float wy,              \
              const int32_t *gx0, const int32_t *gx1, const float *wx, float lo, float inv_sr, size_t gw, size_t gd, \
              float *tmp) {                                                                                         \
        if (gd < 2 || cn > 4) return;                                                                               \
        const float *grid = g0;                                                                                     \
        if (wy != 0 && g1 != g0) {                                                                                  \
            ck_bgrid_lerp(g0, g1, wy, tmp, gw * gd * (cn + 1));                                                     \
            grid = tmp;                                                                                             \
        }                                                                                                           \
        switch (cn) {                                                                                               \
        case 1: NAME##_cn(src, dst, width, 1, grid, gx0, gx1, wx, lo, inv_sr, gw, gd); return;                          \
        case 3: NAME##_cn(src, dst, width, 3, grid, gx0, gx1, wx, lo, inv_sr, gw, gd); return;                          \
        default: NAME##_cn(src, dst, width, cn, grid, gx0, gx1, wx, lo, inv_sr, gw, gd); return;                        \
        }                                                                                                           \
    }

CK_BGRID_SLICE(uint8_t, ck_bgrid_slice_u8, ck_bgrid_store_u8)
CK_BGRID_SLICE(float, ck_bgrid_slice_f32, ck_bgrid_store_f32)
