// Canny non-maximum suppression and output rows (OpenCV's integer sector test). See Canny.swift.
#include "kernels.h"
#include "ck_dispatch.h"
#include <stdlib.h>
#include <string.h>

CK_INLINE void ck_canny_nms_row_body(const int32_t *restrict mp, const int32_t *restrict ma, const int32_t *restrict mn,
                                     const int16_t *restrict dx, const int16_t *restrict dy, uint8_t *restrict map,
                                     size_t w, int32_t low, int32_t high) {
    // Branch-free so that the loop vectorises: every neighbour is loaded, sectors are masks.
    for (ptrdiff_t x = 0; x < (ptrdiff_t)w; x++) {  // signed: x - 1 at x = 0 is -1, not a wrap
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

CK_INLINE size_t ck_find_u8_body(const uint8_t *restrict row, size_t n, uint8_t value, int64_t base,
                                 int64_t *restrict out) {
    // 32 bytes at a time: a compare mask (one vector compare and movemask under AVX2), then
    // one store per set bit.
    size_t k = 0, i = 0;
    for (; i + 32 <= n; i += 32) {
        uint32_t bits = 0;
        for (int j = 0; j < 32; j++) bits |= (uint32_t)(row[i + j] == value) << j;
        while (bits) {
            out[k++] = base + (int64_t)(i + (size_t)__builtin_ctz(bits));
            bits &= bits - 1;
        }
    }
    for (; i < n; i++)
        if (row[i] == value) out[k++] = base + (int64_t)i;
    return k;
}
CK_MULTIVERSION(size_t, ck_find_u8, (const uint8_t *row, size_t n, uint8_t value, int64_t base, int64_t *out),
                (row, n, value, base, out))

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

// MARK: scikit-image's bilinear non-maximum suppression, in Float

CK_INLINE void ck_skcanny_nms_loop(const float *restrict mp, const float *restrict ma, const float *restrict mn,
                                   const float *restrict iv, const float *restrict jv,
                                   const uint8_t *restrict allowed, uint8_t *restrict map, size_t w, float low,
                                   float high, const int masked) {
    // The four cases of skimage's _nonmaximum_suppression_bilinear as selects (every
    // neighbour is loaded, conditions combine with & rather than &&), so the loop vectorises.
    for (ptrdiff_t x = 0; x < (ptrdiff_t)w; x++) {  // signed: x - 1 at x = 0 is -1, not a wrap
        const float m = ma[x];
        const float is = iv[x], js = jv[x];
        const float ai = is < 0 ? -is : is, aj = js < 0 ? -js : js;
        const int down = is <= 0, left = js <= 0;
        const int cond1 = down == left;
        // Interpolate between the vertical neighbours (up/down) or the horizontal ones.
        const int vertical = cond1 ? (ai > aj) : (ai >= aj);
        const float num = vertical ? aj : ai, den = vertical ? ai : aj;
        const float wgt = num / (den > 0 ? den : 1.0f);  // den == 0 only where m == 0 < low
        const float up = mp[x], dn = mn[x], le = ma[x - 1], ri = ma[x + 1];
        const float n11 = vertical ? (cond1 ? dn : up) : ri;
        const float n21 = vertical ? (cond1 ? up : dn) : le;
        const float n12 = cond1 ? mn[x + 1] : mp[x + 1];
        const float n22 = cond1 ? mp[x - 1] : mn[x - 1];
        const float side1 = n12 * wgt + n11 * (1.0f - wgt);
        const float side2 = n22 * wgt + n21 * (1.0f - wgt);
        int keep = (m >= low) & (side1 <= m) & (side2 <= m);
        if (masked) keep &= allowed[x] != 0;
        map[x] = (uint8_t)(keep ? (m >= high ? 2 : 0) : 1);
    }
}

CK_INLINE void ck_skcanny_nms_loops_body(const float *restrict mp, const float *restrict ma, const float *restrict mn,
                                       const float *restrict iv, const float *restrict jv,
                                       const uint8_t *restrict allowed, uint8_t *restrict map, size_t w, float low,
                                       float high) {
    if (allowed)
        ck_skcanny_nms_loop(mp, ma, mn, iv, jv, allowed, map, w, low, high, 1);
    else
        ck_skcanny_nms_loop(mp, ma, mn, iv, jv, allowed, map, w, low, high, 0);
}
// No FMA: the interpolations round as two products and a sum, as in scikit-image.
CK_MULTIVERSION_STATIC(void, ck_skcanny_nms_loops,
                (const float *mp, const float *ma, const float *mn, const float *iv, const float *jv,
                 const uint8_t *allowed, uint8_t *map, size_t w, float low, float high),
                (mp, ma, mn, iv, jv, allowed, map, w, low, high))

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
// ck_skcanny_nms_loop without a mask, 8 pixels per step, in the same operations (no FMA). A
// step whose 8 magnitudes are all below `low` (most of a photograph's at skimage's default
// thresholds; share in docs/performance.md) only writes 1s. Seeds (2s) are collected from the same masks. Returns
// the number of pixels done (a multiple of 8) and adds the seeds found to *count.
CK_AVX2 static size_t ck_skcanny_nms_avx2(const float *mp, const float *ma, const float *mn, const float *iv,
                                         const float *jv, uint8_t *map, size_t w, float low, float high, int64_t base,
                                         int64_t *seeds, size_t *count) {
    const __m256 vlow = _mm256_set1_ps(low), vhigh = _mm256_set1_ps(high);
    const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
    const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const uint64_t ones = 0x0101010101010101ull;
    size_t k = *count, x = 0;
    for (; x + 8 <= w; x += 8) {
        const __m256 m = _mm256_loadu_ps(ma + x);
        const __m256 aboveLow = _mm256_cmp_ps(m, vlow, _CMP_GE_OQ);
        if (_mm256_movemask_ps(aboveLow) == 0) {
            memcpy(map + x, &ones, 8);
            continue;
        }
        const __m256 is = _mm256_loadu_ps(iv + x), js = _mm256_loadu_ps(jv + x);
        const __m256 ai = _mm256_and_ps(is, absMask), aj = _mm256_and_ps(js, absMask);
        const __m256 down = _mm256_cmp_ps(is, zero, _CMP_LE_OQ), left = _mm256_cmp_ps(js, zero, _CMP_LE_OQ);
        // cond1: down == left (as all-ones masks)
        const __m256 cond1 = _mm256_xor_ps(_mm256_xor_ps(down, left), _mm256_castsi256_ps(_mm256_set1_epi32(-1)));
        const __m256 vertical = _mm256_blendv_ps(_mm256_cmp_ps(ai, aj, _CMP_GE_OQ), _mm256_cmp_ps(ai, aj, _CMP_GT_OQ), cond1);
        const __m256 num = _mm256_blendv_ps(ai, aj, vertical), den = _mm256_blendv_ps(aj, ai, vertical);
        const __m256 wgt = _mm256_div_ps(num, _mm256_blendv_ps(one, den, _mm256_cmp_ps(den, zero, _CMP_GT_OQ)));
        const __m256 up = _mm256_loadu_ps(mp + x), dn = _mm256_loadu_ps(mn + x);
        const __m256 le = _mm256_loadu_ps(ma + x - 1), ri = _mm256_loadu_ps(ma + x + 1);
        const __m256 n11 = _mm256_blendv_ps(ri, _mm256_blendv_ps(up, dn, cond1), vertical);
        const __m256 n21 = _mm256_blendv_ps(le, _mm256_blendv_ps(dn, up, cond1), vertical);
        const __m256 n12 = _mm256_blendv_ps(_mm256_loadu_ps(mp + x + 1), _mm256_loadu_ps(mn + x + 1), cond1);
        const __m256 n22 = _mm256_blendv_ps(_mm256_loadu_ps(mn + x - 1), _mm256_loadu_ps(mp + x - 1), cond1);
        const __m256 rest = _mm256_sub_ps(one, wgt);
        const __m256 side1 = _mm256_add_ps(_mm256_mul_ps(n12, wgt), _mm256_mul_ps(n11, rest));
        const __m256 side2 = _mm256_add_ps(_mm256_mul_ps(n22, wgt), _mm256_mul_ps(n21, rest));
        const __m256 keep = _mm256_and_ps(aboveLow, _mm256_and_ps(_mm256_cmp_ps(side1, m, _CMP_LE_OQ),
                                                                  _mm256_cmp_ps(side2, m, _CMP_LE_OQ)));
        const __m256 strong = _mm256_and_ps(keep, _mm256_cmp_ps(m, vhigh, _CMP_GE_OQ));
        unsigned strongBits = (unsigned)_mm256_movemask_ps(strong);
        // 1 where suppressed, 0 where kept, 2 where kept and strong: 1 + keep − 2·strong with
        // the masks as −1/0, narrowed to bytes.
        const __m256i k32 = _mm256_castps_si256(keep), s32 = _mm256_castps_si256(strong);
        const __m256i v32 = _mm256_sub_epi32(_mm256_add_epi32(_mm256_set1_epi32(1), k32), _mm256_add_epi32(s32, s32));
        const __m128i v16 = _mm_packs_epi32(_mm256_castsi256_si128(v32), _mm256_extracti128_si256(v32, 1));
        _mm_storel_epi64((__m128i *)(map + x), _mm_packus_epi16(v16, v16));
        while (strongBits) {
            seeds[k++] = base + (int64_t)(x + (size_t)__builtin_ctz(strongBits));
            strongBits &= strongBits - 1;
        }
    }
    *count = k;
    return x;
}
#endif

size_t ck_skcanny_nms_row(const float *mp, const float *ma, const float *mn, const float *iv, const float *jv,
                          const uint8_t *allowed, uint8_t *map, size_t w, float low, float high, int64_t base,
                          int64_t *seeds) {
    size_t count = 0, done = 0;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (!allowed && ck_has_avx2()) done = ck_skcanny_nms_avx2(mp, ma, mn, iv, jv, map, w, low, high, base, seeds, &count);
#endif
    if (done == w) return count;
    ck_skcanny_nms_loops(mp + done, ma + done, mn + done, iv + done, jv + done, allowed ? allowed + done : NULL,
                         map + done, w - done, low, high);
    return count + ck_find_u8(map + done, w - done, 2, base + (int64_t)done, seeds + count);
}

CK_INLINE void ck_sobel3_f32_row_body(const float *restrict r0, const float *restrict r1, const float *restrict r2,
                                      float *restrict iv, float *restrict jv, float *restrict mag, size_t w,
                                      float *restrict scratch) {
    // SciPy's Sobel with the reflect border: s = r0 + 2·r1 + r2 and d = r2 − r0 down the
    // columns (padded by one reflected column each side), then jv = s[x+1] − s[x−1] and
    // iv = d[x−1] + 2·d[x] + d[x+1] along the row.
    float *s = scratch + 1, *d = scratch + w + 3;
    for (size_t x = 0; x < w; x++) {
        s[x] = r0[x] + 2.0f * r1[x] + r2[x];
        d[x] = r2[x] - r0[x];
    }
    s[-1] = s[0]; s[w] = s[w - 1];
    d[-1] = d[0]; d[w] = d[w - 1];
    for (ptrdiff_t x = 0; x < (ptrdiff_t)w; x++) {  // signed: x - 1 at x = 0 is -1, not a wrap
        const float j = s[x + 1] - s[x - 1];
        const float i = d[x - 1] + 2.0f * d[x] + d[x + 1];
        jv[x] = j;
        iv[x] = i;
        mag[x] = __builtin_sqrtf(i * i + j * j);
    }
}
static void ck_sobel3_f32_row_base(const float *r0, const float *r1, const float *r2, float *iv, float *jv, float *mag,
                                   size_t w, float *scratch) {
    ck_sobel3_f32_row_body(r0, r1, r2, iv, jv, mag, w, scratch);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
// The interior of ck_sobel3_f32_row_body, 8 pixels per step, in the same operations (no FMA),
// with the column sums made from the three rows as needed instead of a scratch row: outputs x
// in 1 ..< returned end (the caller finishes the two ends).
CK_AVX2 static size_t ck_sobel3_f32_interior_avx2(const float *r0, const float *r1, const float *r2, float *iv,
                                                  float *jv, float *mag, size_t w) {
    const __m256 two = _mm256_set1_ps(2.0f);
    size_t x = 1;
    for (; x + 8 + 1 <= w; x += 8) {
        const __m256 a0 = _mm256_loadu_ps(r0 + x - 1), b0 = _mm256_loadu_ps(r0 + x), c0 = _mm256_loadu_ps(r0 + x + 1);
        const __m256 a1 = _mm256_loadu_ps(r1 + x - 1), c1 = _mm256_loadu_ps(r1 + x + 1);
        const __m256 a2 = _mm256_loadu_ps(r2 + x - 1), b2 = _mm256_loadu_ps(r2 + x), c2 = _mm256_loadu_ps(r2 + x + 1);
        const __m256 sm = _mm256_add_ps(_mm256_add_ps(a0, _mm256_mul_ps(two, a1)), a2);
        const __m256 sp = _mm256_add_ps(_mm256_add_ps(c0, _mm256_mul_ps(two, c1)), c2);
        const __m256 dm = _mm256_sub_ps(a2, a0), dc = _mm256_sub_ps(b2, b0), dp = _mm256_sub_ps(c2, c0);
        const __m256 j = _mm256_sub_ps(sp, sm);
        const __m256 i = _mm256_add_ps(_mm256_add_ps(dm, _mm256_mul_ps(two, dc)), dp);
        _mm256_storeu_ps(jv + x, j);
        _mm256_storeu_ps(iv + x, i);
        _mm256_storeu_ps(mag + x, _mm256_sqrt_ps(_mm256_add_ps(_mm256_mul_ps(i, i), _mm256_mul_ps(j, j))));
    }
    return x;
}
#endif

void ck_sobel3_f32_row(const float *r0, const float *r1, const float *r2, float *iv, float *jv, float *mag, size_t w,
                       float *scratch) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (w >= 10 && ck_has_avx2()) {
        const size_t end = ck_sobel3_f32_interior_avx2(r0, r1, r2, iv, jv, mag, w);
        // The two ends through the scalar body: x = 0 from the first two columns (its right
        // neighbour is x = 1), the tail from one column of left context on.
        float oi[2], oj[2], om[2];
        ck_sobel3_f32_row_base(r0, r1, r2, oi, oj, om, 2, scratch);
        iv[0] = oi[0]; jv[0] = oj[0]; mag[0] = om[0];
        const size_t from = end - 1, tail = w - from;  // one column of left context; tail ≤ 9
        float ti[16], tj[16], tm[16];
        ck_sobel3_f32_row_base(r0 + from, r1 + from, r2 + from, ti, tj, tm, tail, scratch);
        for (size_t x = end; x < w; x++) {
            iv[x] = ti[x - from];
            jv[x] = tj[x - from];
            mag[x] = tm[x - from];
        }
        return;
    }
#endif
    ck_sobel3_f32_row_base(r0, r1, r2, iv, jv, mag, w, scratch);
}
