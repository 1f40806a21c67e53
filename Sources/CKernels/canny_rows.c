// Canny non-maximum suppression and output rows (OpenCV's integer sector test). See Canny.swift.
#include "kernels.h"
#include "ck_dispatch.h"
#include <stdlib.h>
#include <string.h>

CK_INLINE void ck_canny_nms_row_body(const int32_t *restrict mp, const int32_t *restrict ma, const int32_t *restrict mn,
                                     const int16_t *restrict dx, const int16_t *restrict dy, uint8_t *restrict map,
                                     size_t w, int32_t low, int32_t high) {
    // Branch-free so that the loop vectorises: every neighbour is loaded, sectors are masks.
    for (size_t x = 0; x < w; x++) {
        const int32_t m = ma[x];
        const int32_t xs = dx[x], ys = dy[x];
        const int32_t ax = xs < 0 ? -xs : xs;
        const int32_t ay = (ys < 0 ? -ys : ys) << 15;
        const int32_t tg22x = ax * 13573;
        const int32_t tg67x = tg22x + (ax << 16);
        const int32_t ul = mp[x - 1], up = mp[x], ur = mp[x + 1];
        const int32_t dl = mn[x - 1], dn = mn[x], dr = mn[x + 1];
        const int32_t le = ma[x - 1], ri = ma[x + 1];
        const int32_t neg = (xs ^ ys) < 0;
        const int32_t d1 = neg ? ur : ul;
        const int32_t d2 = neg ? dl : dr;
        const int32_t hsec = ay < tg22x;
        const int32_t vsec = (!hsec) & (ay > tg67x);
        const int32_t dsec = (!hsec) & (!vsec);
        const int32_t hmax = (m > le) & (m >= ri);
        const int32_t vmax = (m > up) & (m >= dn);
        const int32_t dmax = (m > d1) & (m > d2);
        const int32_t isMax = (m > low) & ((hsec & hmax) | (vsec & vmax) | (dsec & dmax));
        const int32_t strong = m > high;
        // isMax: 0 (weak) or 2 (strong); otherwise 1.
        map[x] = (uint8_t)(isMax ? 2 * strong : 1);
    }
}
CK_MULTIVERSION(void, ck_canny_nms_row,
                (const int32_t *mp, const int32_t *ma, const int32_t *mn, const int16_t *dx, const int16_t *dy,
                 uint8_t *map, size_t w, int32_t low, int32_t high),
                (mp, ma, mn, dx, dy, map, w, low, high))

size_t ck_find_u8(const uint8_t *row, size_t n, uint8_t value, int64_t base, int64_t *out) {
    // Eight bytes at a time: skip words with no byte equal to `value` (the common case).
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t pattern = ones * value;
    size_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, row + i, 8);
        v ^= pattern;
        if (((v - ones) & ~v & highs) == 0) continue;
        for (size_t j = i; j < i + 8; j++)
            if (row[j] == value) out[k++] = base + (int64_t)j;
    }
    for (; i < n; i++)
        if (row[i] == value) out[k++] = base + (int64_t)i;
    return k;
}

CK_INLINE void ck_canny_output_row_body(const uint8_t *restrict map, uint8_t *restrict out, size_t w) {
    for (size_t x = 0; x < w; x++) out[x] = map[x] == 2 ? 255 : 0;
}
CK_MULTIVERSION(void, ck_canny_output_row, (const uint8_t *map, uint8_t *out, size_t w), (map, out, w))

size_t ck_canny_hysteresis(uint8_t *map, ptrdiff_t step, int64_t *stack, size_t count, size_t capacity,
                           int64_t **grown) {
    const ptrdiff_t off[8] = {-step - 1, -step, -step + 1, -1, 1, step - 1, step, step + 1};
    int64_t *s = stack;
    size_t pushed = 0;
    *grown = NULL;
    while (count > 0) {
        const int64_t m = s[--count];
        if (count + 8 > capacity) {
            size_t cap = capacity * 2 + 64;
            int64_t *bigger = (int64_t *)malloc(cap * sizeof(int64_t));
            if (!bigger) return (size_t)-1;
            for (size_t i = 0; i < count; i++) bigger[i] = s[i];
            if (*grown) free(*grown);
            *grown = bigger;
            s = bigger;
            capacity = cap;
        }
        uint8_t *p = map + m;
        for (int d = 0; d < 8; d++) {
            if (p[off[d]] == 0) {
                p[off[d]] = 2;
                s[count++] = m + off[d];
                pushed++;
            }
        }
    }
    return pushed;
}
