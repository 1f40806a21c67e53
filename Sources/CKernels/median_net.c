// Median of 3×3 and 5×5 windows by sorting networks, vectorised across pixels by the compiler
// (min/max of whole rows). See MedianSortingNetwork.swift.
#include "median_bilateral_kernels.h"
#include "ck_dispatch.h"

// The element-wise builtins: with `a < b ? a : b` the vectoriser promotes the 8-bit 5×5 network
// to 32-bit lanes (a quarter of the throughput, and spills).
#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_min)
#define CK_MED_IMIN(a, b) __builtin_elementwise_min(a, b)
#define CK_MED_IMAX(a, b) __builtin_elementwise_max(a, b)
#else
#define CK_MED_IMIN(a, b) ((b) < (a) ? (b) : (a))
#define CK_MED_IMAX(a, b) ((a) < (b) ? (b) : (a))
#endif
#define CK_MED_SORT2(a, b)              \
    do {                                \
        T lo_ = CK_MED_MIN(a, b);       \
        (b) = CK_MED_MAX(a, b);         \
        (a) = lo_;                      \
    } while (0)

// Step 1, shared by every window that covers a column: the k rows sorted column by column
// (3 or 9 compare-exchanges per column), so each window only merges k sorted columns.
#define CK_MED_COLUMNS(T, S, SUFFIX)                                                                  \
    CK_INLINE void ck_med_columns3_##SUFFIX(const S *const *rows, T *s, size_t m) {                 \
        const S *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];                                          \
        T *s0 = s, *s1 = s + m, *s2 = s + 2 * m;                                                      \
        for (size_t i = 0; i < m; i++) {                                                              \
            T a = CK_MED_KEY(r0[i]), b = CK_MED_KEY(r1[i]), c = CK_MED_KEY(r2[i]);                    \
            CK_MED_SORT2(a, b); CK_MED_SORT2(b, c); CK_MED_SORT2(a, b);                               \
            s0[i] = a; s1[i] = b; s2[i] = c;                                                          \
        }                                                                                             \
    }                                                                                                 \
    CK_INLINE void ck_med_columns5_##SUFFIX(const S *const *rows, T *s, size_t m) {                 \
        const S *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3], *r4 = rows[4];            \
        for (size_t i = 0; i < m; i++) {                                                              \
            T a = CK_MED_KEY(r0[i]), b = CK_MED_KEY(r1[i]), c = CK_MED_KEY(r2[i]);                    \
            T d = CK_MED_KEY(r3[i]), e = CK_MED_KEY(r4[i]);                                           \
            /* the optimal 9-comparator network for 5 */                                              \
            CK_MED_SORT2(a, b); CK_MED_SORT2(d, e); CK_MED_SORT2(c, e); CK_MED_SORT2(c, d);           \
            CK_MED_SORT2(b, e); CK_MED_SORT2(a, d); CK_MED_SORT2(a, c); CK_MED_SORT2(b, d);           \
            CK_MED_SORT2(b, c);                                                                       \
            s[i] = a; s[m + i] = b; s[2 * m + i] = c; s[3 * m + i] = d; s[4 * m + i] = e;             \
        }                                                                                             \
    }

// Step 2 for 3×3: with columns sorted, the median is the median of {max of the minima, median
// of the middles, min of the maxima} (12 min/max per window instead of 19 compare-exchanges).
#define CK_MED_WINDOWS3(T, S, SUFFIX)                                                                 \
    CK_INLINE void ck_med_windows3_##SUFFIX(const T *s, S *restrict dst, size_t n, size_t cn, size_t m) { \
        const T *lo = s, *mid = s + m, *hi = s + 2 * m;                                               \
        for (size_t i = 0; i < n; i++) {                                                              \
            T a = lo[i], b = lo[i + cn], c = lo[i + 2 * cn];                                          \
            T maxlo = CK_MED_MAX(CK_MED_MAX(a, b), c);                                                \
            a = hi[i]; b = hi[i + cn]; c = hi[i + 2 * cn];                                            \
            T minhi = CK_MED_MIN(CK_MED_MIN(a, b), c);                                                \
            a = mid[i]; b = mid[i + cn]; c = mid[i + 2 * cn];                                         \
            T medmid = CK_MED_MAX(CK_MED_MIN(a, b), CK_MED_MIN(CK_MED_MAX(a, b), c));                 \
            T x = maxlo, y = medmid, z = minhi;                                                       \
            dst[i] = CK_MED_UNKEY(CK_MED_MAX(CK_MED_MIN(x, y), CK_MED_MIN(CK_MED_MAX(x, y), z)));     \
        }                                                                                             \
    }

// Step 2 for 5×5: a selection network on 5 sorted columns (146 min/max), found by pruning a
// Batcher odd-even merge sort of 25 inputs: comparators that never act on inputs with sorted
// columns (checked on all 6^5 such 0/1 inputs, which suffices by the 0-1 principle) and those
// that do not reach the median's output were removed.
#define CK_MED_LOAD(col, rank) (s[(size_t)(rank) * m + i + (size_t)(col) * cn])
#define CK_MED_WINDOWS5(T, S, SUFFIX)                                                                    \
    CK_INLINE T ck_med25_##SUFFIX(const T *s, size_t i, size_t cn, size_t m) {                        \
    /* load: p_i = column perm[i]/5, rank perm[i]%5 */ \
    T p0 = CK_MED_LOAD(0, 0); \
    T p1 = CK_MED_LOAD(0, 1); \
    T p2 = CK_MED_LOAD(0, 2); \
    T p3 = CK_MED_LOAD(0, 3); \
    T p4 = CK_MED_LOAD(0, 4); \
    T p5 = CK_MED_LOAD(1, 0); \
    T p6 = CK_MED_LOAD(1, 1); \
    T p7 = CK_MED_LOAD(1, 2); \
    T p8 = CK_MED_LOAD(1, 3); \
    T p9 = CK_MED_LOAD(1, 4); \
    T p10 = CK_MED_LOAD(2, 0); \
    T p11 = CK_MED_LOAD(2, 1); \
    T p12 = CK_MED_LOAD(2, 2); \
    T p13 = CK_MED_LOAD(2, 3); \
    T p14 = CK_MED_LOAD(2, 4); \
    T p15 = CK_MED_LOAD(3, 0); \
    T p16 = CK_MED_LOAD(3, 1); \
    T p17 = CK_MED_LOAD(3, 2); \
    T p18 = CK_MED_LOAD(3, 3); \
    T p19 = CK_MED_LOAD(3, 4); \
    T p20 = CK_MED_LOAD(4, 0); \
    T p21 = CK_MED_LOAD(4, 1); \
    T p22 = CK_MED_LOAD(4, 2); \
    T p23 = CK_MED_LOAD(4, 3); \
    T p24 = CK_MED_LOAD(4, 4); \
    CK_MED_SORT2(p4, p5); \
    CK_MED_SORT2(p14, p15); \
    CK_MED_SORT2(p5, p7); \
    CK_MED_SORT2(p8, p10); \
    CK_MED_SORT2(p9, p11); \
    CK_MED_SORT2(p12, p14); \
    CK_MED_SORT2(p5, p6); \
    CK_MED_SORT2(p9, p10); \
    CK_MED_SORT2(p13, p14); \
    CK_MED_SORT2(p0, p4); \
    CK_MED_SORT2(p1, p5); \
    CK_MED_SORT2(p2, p6); \
    CK_MED_SORT2(p8, p12); \
    CK_MED_SORT2(p10, p14); \
    CK_MED_SORT2(p11, p15); \
    CK_MED_SORT2(p16, p20); \
    CK_MED_SORT2(p17, p21); \
    CK_MED_SORT2(p18, p22); \
    CK_MED_SORT2(p19, p23); \
    CK_MED_SORT2(p2, p4); \
    CK_MED_SORT2(p3, p5); \
    CK_MED_SORT2(p10, p12); \
    CK_MED_SORT2(p11, p13); \
    CK_MED_SORT2(p18, p20); \
    CK_MED_SORT2(p19, p21); \
    CK_MED_SORT2(p1, p2); \
    CK_MED_SORT2(p3, p4); \
    CK_MED_SORT2(p5, p6); \
    CK_MED_SORT2(p9, p10); \
    CK_MED_SORT2(p11, p12); \
    CK_MED_SORT2(p13, p14); \
    CK_MED_SORT2(p17, p18); \
    CK_MED_SORT2(p19, p20); \
    CK_MED_SORT2(p21, p22); \
    CK_MED_SORT2(p0, p8); \
    CK_MED_SORT2(p1, p9); \
    CK_MED_SORT2(p2, p10); \
    CK_MED_SORT2(p3, p11); \
    CK_MED_SORT2(p4, p12); \
    CK_MED_SORT2(p5, p13); \
    CK_MED_SORT2(p6, p14); \
    p7 = CK_MED_MIN(p7, p15); \
    CK_MED_SORT2(p4, p8); \
    CK_MED_SORT2(p5, p9); \
    CK_MED_SORT2(p6, p10); \
    CK_MED_SORT2(p7, p11); \
    CK_MED_SORT2(p20, p24); \
    CK_MED_SORT2(p2, p4); \
    CK_MED_SORT2(p3, p5); \
    CK_MED_SORT2(p6, p8); \
    CK_MED_SORT2(p7, p9); \
    CK_MED_SORT2(p10, p12); \
    CK_MED_SORT2(p11, p13); \
    CK_MED_SORT2(p22, p24); \
    CK_MED_SORT2(p1, p2); \
    CK_MED_SORT2(p3, p4); \
    CK_MED_SORT2(p5, p6); \
    CK_MED_SORT2(p7, p8); \
    CK_MED_SORT2(p9, p10); \
    CK_MED_SORT2(p11, p12); \
    p13 = CK_MED_MIN(p13, p14); \
    CK_MED_SORT2(p21, p22); \
    CK_MED_SORT2(p23, p24); \
    p16 = CK_MED_MAX(p0, p16); \
    p17 = CK_MED_MAX(p1, p17); \
    p18 = CK_MED_MAX(p2, p18); \
    p19 = CK_MED_MAX(p3, p19); \
    p20 = CK_MED_MAX(p4, p20); \
    p21 = CK_MED_MAX(p5, p21); \
    p6 = CK_MED_MIN(p6, p22); \
    p7 = CK_MED_MIN(p7, p23); \
    p8 = CK_MED_MIN(p8, p24); \
    p16 = CK_MED_MAX(p8, p16); \
    p17 = CK_MED_MAX(p9, p17); \
    p10 = CK_MED_MIN(p10, p18); \
    p11 = CK_MED_MIN(p11, p19); \
    p12 = CK_MED_MIN(p12, p20); \
    p13 = CK_MED_MIN(p13, p21); \
    p10 = CK_MED_MAX(p6, p10); \
    p11 = CK_MED_MAX(p7, p11); \
    p12 = CK_MED_MIN(p12, p16); \
    p13 = CK_MED_MIN(p13, p17); \
    p12 = CK_MED_MAX(p10, p12); \
    p11 = CK_MED_MIN(p11, p13); \
    p12 = CK_MED_MAX(p11, p12); \
    return p12; \
    }                                                                                                 \
    CK_INLINE void ck_med_windows5_##SUFFIX(const T *s, S *restrict dst, size_t n, size_t cn, size_t m) { \
        for (size_t i = 0; i < n; i++) dst[i] = CK_MED_UNKEY(ck_med25_##SUFFIX(s, i, cn, m));         \
    }

// The row runs in chunks of CK_MED_CHUNK outputs so the sorted columns are read back from L1:
// sorted whole, an RGB 1080p row's three sorted rows and its ring of padded rows (34 KB)
// overflowed a 32 KB L1 (see docs/performance.md).
#define CK_MED_CHUNK 1024
#define CK_MED_ROW(T, S, SUFFIX)                                                                      \
    CK_MED_COLUMNS(T, S, SUFFIX)                                                                      \
    CK_MED_WINDOWS3(T, S, SUFFIX)                                                                     \
    CK_MED_WINDOWS5(T, S, SUFFIX)                                                                     \
    CK_INLINE void ck_median_net_##SUFFIX##_body(const S *const *rows, T *sorted, S *dst, size_t width, size_t cn, \
                                                 int k) {                                             \
        const size_t n = width * cn;                                                                  \
        for (size_t x0 = 0; x0 < n; x0 += CK_MED_CHUNK) {                                             \
            const size_t nc = n - x0 < CK_MED_CHUNK ? n - x0 : CK_MED_CHUNK;                          \
            const size_t mc = nc + (size_t)(k - 1) * cn;                                              \
            const S *sub[5];                                                                          \
            for (int t = 0; t < k; t++) sub[t] = rows[t] + x0;                                        \
            if (k == 3) {                                                                             \
                ck_med_columns3_##SUFFIX(sub, sorted, mc);                                            \
                ck_med_windows3_##SUFFIX(sorted, dst + x0, nc, cn, mc);                               \
            } else {                                                                                  \
                ck_med_columns5_##SUFFIX(sub, sorted, mc);                                            \
                ck_med_windows5_##SUFFIX(sorted, dst + x0, nc, cn, mc);                               \
            }                                                                                         \
        }                                                                                             \
    }

#define CK_MED_MIN CK_MED_IMIN
#define CK_MED_MAX CK_MED_IMAX
#define CK_MED_KEY(x) (x)
#define CK_MED_UNKEY(x) (x)
#define T uint8_t
CK_MED_ROW(uint8_t, uint8_t, u8)
#undef T
#define T uint16_t
CK_MED_ROW(uint16_t, uint16_t, u16)
#undef T
#undef CK_MED_KEY
#undef CK_MED_UNKEY

// Float samples are sorted as 32-bit integer keys that order as the Floats do (the sign bit
// flipped for positives, every bit for negatives): the vectoriser keeps integer min/max in
// full-width lanes, where its Float comparisons fall back to narrow ones. NaNs sort past ±∞.
CK_INLINE uint32_t ck_med_key(float f) {
    uint32_t u;
    __builtin_memcpy(&u, &f, 4);
    return u ^ (uint32_t)(((int32_t)u >> 31) | (int32_t)0x80000000);
}
CK_INLINE float ck_med_unkey(uint32_t k) {
    const uint32_t u = k ^ (uint32_t)(((int32_t)~k >> 31) | (int32_t)0x80000000);
    float f;
    __builtin_memcpy(&f, &u, 4);
    return f;
}
#define CK_MED_KEY(x) ck_med_key(x)
#define CK_MED_UNKEY(x) ck_med_unkey(x)
#define T uint32_t
CK_MED_ROW(uint32_t, float, f32)
#undef T

// AVX-512 BW where present (64 bytes per min/max), else AVX2, else the SSE2 baseline.
#define CK_MED_DISPATCH(T, SUFFIX, K)                                                                    \
    static void ck_median_net_##SUFFIX##_base(const T *const *rows, T *sorted, T *dst, size_t w, size_t cn, int k) { \
        ck_median_net_##SUFFIX##_body(rows, (K *)(void *)sorted, dst, w, cn, k);                                   \
    }                                                                                                 \
    CK_AVX2 static void ck_median_net_##SUFFIX##_avx2(const T *const *rows, T *sorted, T *dst, size_t w, size_t cn, \
                                                      int k) {                                        \
        ck_median_net_##SUFFIX##_body(rows, (K *)(void *)sorted, dst, w, cn, k);                                   \
    }                                                                                                 \
    CK_AVX512BW static void ck_median_net_##SUFFIX##_avx512(const T *const *rows, T *sorted, T *dst, size_t w,   \
                                                           size_t cn, int k) {                        \
        ck_median_net_##SUFFIX##_body(rows, (K *)(void *)sorted, dst, w, cn, k);                                   \
    }                                                                                                 \
    void ck_median_net_##SUFFIX(const T *const *rows, T *sorted, T *dst, size_t w, size_t cn, int k) { \
        if (ck_has_avx512bw()) ck_median_net_##SUFFIX##_avx512(rows, sorted, dst, w, cn, k);          \
        else if (ck_has_avx2()) ck_median_net_##SUFFIX##_avx2(rows, sorted, dst, w, cn, k);           \
        else ck_median_net_##SUFFIX##_base(rows, sorted, dst, w, cn, k);                              \
    }

// `sorted` holds the keys (uint32_t for Float samples: same size).
CK_MED_DISPATCH(uint8_t, u8, uint8_t)
CK_MED_DISPATCH(uint16_t, u16, uint16_t)
CK_MED_DISPATCH(float, f32, uint32_t)
