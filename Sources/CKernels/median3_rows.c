// The 8-bit 3×3 median, two output rows per pass, straight from the image rows (no padded
// copies). See Median3x3.swift for the driver and docs/performance.md for the measurements.
#include "median_bilateral_kernels.h"
#include "ck_dispatch.h"

// 64 bytes: one zmm register with AVX-512 BW, two ymm with AVX2, four xmm on the baseline.
typedef uint8_t ck_m3v __attribute__((vector_size(64), aligned(1)));
#define CK_M3V 64

#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_min)
#define CK_M3_MIN(a, b) __builtin_elementwise_min(a, b)
#define CK_M3_MAX(a, b) __builtin_elementwise_max(a, b)
#else
#define CK_M3_MIN(a, b) ((b) < (a) ? (b) : (a))
#define CK_M3_MAX(a, b) ((a) < (b) ? (b) : (a))
#endif

// Median of three: 4 min/max.
#define CK_M3_MED3(a, b, c) CK_M3_MAX(CK_M3_MIN(a, b), CK_M3_MIN(CK_M3_MAX(a, b), c))

// A macro, not a function: a 64-byte vector returned from a function warns about the ABI on
// the targets without AVX-512 (-Wpsabi), even when inlined.
#define ck_m3_load(p) (*(const ck_m3v *)(const void *)(p))

// The columns of one shift: rows 1 and 2 (shared by both output rows) sorted once, then rows
// 0 and 3 each merged into that pair: low, middle and high of each output row's column.
#define CK_M3_COLUMNS(off, lo0, mi0, hi0, lo1, mi1, hi1)                                  \
    do {                                                                                  \
        ck_m3v a_ = ck_m3_load(r0 + (off)), b_ = ck_m3_load(r1 + (off));                  \
        ck_m3v c_ = ck_m3_load(r2 + (off)), d_ = ck_m3_load(r3 + (off));                  \
        ck_m3v l_ = CK_M3_MIN(b_, c_), h_ = CK_M3_MAX(b_, c_);                             \
        lo0 = CK_M3_MIN(a_, l_); hi0 = CK_M3_MAX(a_, h_); mi0 = CK_M3_MAX(l_, CK_M3_MIN(a_, h_)); \
        lo1 = CK_M3_MIN(d_, l_); hi1 = CK_M3_MAX(d_, h_); mi1 = CK_M3_MAX(l_, CK_M3_MIN(d_, h_)); \
    } while (0)

// With sorted columns, the window median is the median of {max of the lows, median of the
// middles, min of the highs} (12 min/max per output).
#define CK_M3_WINDOW(la, lb, lc, ma, mb, mc, ha, hb, hc)                                  \
    CK_M3_MED3(CK_M3_MAX(CK_M3_MAX(la, lb), lc), CK_M3_MED3(ma, mb, mc), CK_M3_MIN(CK_M3_MIN(ha, hb), hc))

// 64 outputs of both rows at sample i (needs i − cn ≥ 0 and i + cn + 64 ≤ n).
CK_INLINE void ck_m3_block(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3,
                           uint8_t *d0, uint8_t *d1, size_t i, size_t cn) {
    ck_m3v la0, ma0, ha0, la1, ma1, ha1, lb0, mb0, hb0, lb1, mb1, hb1, lc0, mc0, hc0, lc1, mc1, hc1;
    CK_M3_COLUMNS(i - cn, la0, ma0, ha0, la1, ma1, ha1);
    CK_M3_COLUMNS(i, lb0, mb0, hb0, lb1, mb1, hb1);
    CK_M3_COLUMNS(i + cn, lc0, mc0, hc0, lc1, mc1, hc1);
    ck_m3v o0 = CK_M3_WINDOW(la0, lb0, lc0, ma0, mb0, mc0, ha0, hb0, hc0);
    __builtin_memcpy(d0 + i, &o0, CK_M3V);
    if (d1) {
        ck_m3v o1 = CK_M3_WINDOW(la1, lb1, lc1, ma1, mb1, mc1, ha1, hb1, hc1);
        __builtin_memcpy(d1 + i, &o1, CK_M3V);
    }
}

// One output sample by the plain 19-exchange route, for the border columns: sample index
// i + dx·cn where column −1 reads `left` and column `width` reads `right` (−1: the constant).
CK_INLINE uint8_t ck_m3_at(const uint8_t *row, ptrdiff_t i, ptrdiff_t dx, size_t width, size_t cn, long left,
                           long right, uint8_t constant) {
    const ptrdiff_t x = i / (ptrdiff_t)cn + dx, c = i % (ptrdiff_t)cn;
    if (x >= 0 && x < (ptrdiff_t)width) return row[x * (ptrdiff_t)cn + c];
    const long src = x < 0 ? left : right;
    return src < 0 ? constant : row[src * (long)cn + c];
}

CK_INLINE uint8_t ck_m3_scalar(const uint8_t *const *rows, ptrdiff_t i, size_t width, size_t cn, long left,
                               long right, uint8_t constant) {
    uint8_t v[9];
    for (int t = 0; t < 3; t++)
        for (int dx = -1; dx <= 1; dx++) v[t * 3 + dx + 1] = ck_m3_at(rows[t], i, dx, width, cn, left, right, constant);
    for (int a = 1; a < 9; a++)  // insertion sort: 2·cn samples per row
        for (int b = a; b > 0 && v[b - 1] > v[b]; b--) {
            uint8_t t = v[b]; v[b] = v[b - 1]; v[b - 1] = t;
        }
    return v[4];
}

CK_INLINE void ck_median3_u8_body(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3,
                                  uint8_t *d0, uint8_t *d1, size_t width, size_t cn, long left, long right,
                                  uint8_t constant) {
    const size_t n = width * cn;
    size_t done = cn;  // first sample the vector blocks have not covered
    if (n >= 2 * cn + CK_M3V) {
        size_t i = cn;
        for (; i + cn + CK_M3V <= n; i += CK_M3V) ck_m3_block(r0, r1, r2, r3, d0, d1, i, cn);
        if (i < n - cn) ck_m3_block(r0, r1, r2, r3, d0, d1, n - cn - CK_M3V, cn);  // overlapping tail
        done = n - cn;
    }
    const uint8_t *top[3] = {r0, r1, r2}, *bottom[3] = {r1, r2, r3};
    for (size_t i = 0; i < n; i++) {
        if (i >= cn && i < done) i = done;
        if (i >= n) break;
        d0[i] = ck_m3_scalar(top, (ptrdiff_t)i, width, cn, left, right, constant);
        if (d1) d1[i] = ck_m3_scalar(bottom, (ptrdiff_t)i, width, cn, left, right, constant);
    }
}

static void ck_median3_u8_base(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3,
                               uint8_t *d0, uint8_t *d1, size_t w, size_t cn, long l, long r, uint8_t c) {
    ck_median3_u8_body(r0, r1, r2, r3, d0, d1, w, cn, l, r, c);
}
CK_AVX2 static void ck_median3_u8_avx2(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3,
                                       uint8_t *d0, uint8_t *d1, size_t w, size_t cn, long l, long r, uint8_t c) {
    ck_median3_u8_body(r0, r1, r2, r3, d0, d1, w, cn, l, r, c);
}
CK_AVX512BW static void ck_median3_u8_avx512(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2,
                                             const uint8_t *r3, uint8_t *d0, uint8_t *d1, size_t w, size_t cn,
                                             long l, long r, uint8_t c) {
    ck_median3_u8_body(r0, r1, r2, r3, d0, d1, w, cn, l, r, c);
}

void ck_median3_u8(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3, uint8_t *d0,
                   uint8_t *d1, size_t width, size_t cn, long left, long right, uint8_t constant) {
    if (ck_has_avx512bw()) ck_median3_u8_avx512(r0, r1, r2, r3, d0, d1, width, cn, left, right, constant);
    else if (ck_has_avx2()) ck_median3_u8_avx2(r0, r1, r2, r3, d0, d1, width, cn, left, right, constant);
    else ck_median3_u8_base(r0, r1, r2, r3, d0, d1, width, cn, left, right, constant);
}
