// Row kernels of CVTransform's resize; see include/resize_kernels.h. Each body is an always-inline
// function compiled twice (baseline and AVX2) and chosen at run time, so baseline x86-64 builds
// (SSE2 only) still get AVX2 where the processor has it.
#include "resize_kernels.h"
#include <string.h>

#if defined(__clang__)
// The bicubic vertical pass must round after every product and sum, as OpenCV's SSE code does.
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define RZ_SSE2 1
#else
#define RZ_SSE2 0
#endif

#define RZ_INLINE static inline __attribute__((always_inline))

static int rz_force_baseline = 0;

void ck_resize_force_baseline(int on) { rz_force_baseline = on; }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define RZ_AVX2 __attribute__((target("avx2")))
static int rz_has_avx2(void) {
    static int cached = -1;  // benign race: every thread computes the same value
    if (cached < 0) cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    return cached && !rz_force_baseline;
}
#else
#define RZ_AVX2
static int rz_has_avx2(void) { return 0; }
#endif

/// `ret name params`: a dispatcher between a baseline and an AVX2 compilation of `name##_body`.
#define RZ_MULTIVERSION(name, params, args)                                  \
    static void name##_base params { name##_body args; }                     \
    RZ_AVX2 static void name##_avx2 params { name##_body args; }             \
    void name params {                                                       \
        if (rz_has_avx2()) name##_avx2 args;                                 \
        else name##_base args;                                               \
    }

// MARK: - Horizontal pass, UInt8 → Int32

// Weights come "wide": for pixel x and tap pair j, eight int16 (a[2j], a[2j+1]) × 4, ready for a
// 16-bit multiply-add over channel-interleaved (tap, tap+1) pairs.
#define RZ_ALPHA(x, k) wide[((x) * (size_t)(taps / 2) + (size_t)((k) / 2)) * 8 + ((k) & 1)]

/// Plain loop for any channel count and tap count (tails, gray, two channels, other targets).
static void rz_h_scalar(const uint8_t *restrict src, int32_t *restrict dst, size_t x0, size_t x1, int cn,
                        const int32_t *restrict xofs, const int16_t *restrict wide, int taps) {
    for (size_t x = x0; x < x1; x++) {
        const uint8_t *s = src + xofs[x];
        int32_t *d = dst + x * (size_t)cn;
        for (int c = 0; c < cn; c++) {
            int32_t sum = 0;
            for (int k = 0; k < taps; k++) sum += (int32_t)s[k * cn + c] * RZ_ALPHA(x, k);
            d[c] = sum;
        }
    }
}

#if RZ_SSE2
static inline uint32_t rz_load32(const void *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/// Baseline (SSE2, no byte shuffle): per output pixel, `taps/2` multiply-adds over the 4 bytes at
/// each tap, interleaved in pairs (the fourth lane of a 3-channel pixel is overwritten next).
#define RZ_PAIR(p, q)                                                                            \
    _mm_unpacklo_epi8(_mm_unpacklo_epi8(_mm_cvtsi32_si128((int)rz_load32(p)),                    \
                                        _mm_cvtsi32_si128((int)rz_load32(q))), zero)
#define RZ_W(j) _mm_loadu_si128((const __m128i *)(w + 8 * (j)))
#define RZ_HV(CN, T)                                                                              \
    for (size_t x = 0; x < xfast; x++) {                                                          \
        const uint8_t *s = src + xofs[x];                                                         \
        const int16_t *w = wide + x * (T / 2) * 8;                                                \
        __m128i acc = _mm_madd_epi16(RZ_PAIR(s, s + CN), RZ_W(0));                                \
        if (T >= 4) acc = _mm_add_epi32(acc, _mm_madd_epi16(RZ_PAIR(s + 2 * CN, s + 3 * CN), RZ_W(1))); \
        if (T >= 8) {                                                                             \
            acc = _mm_add_epi32(acc, _mm_madd_epi16(RZ_PAIR(s + 4 * CN, s + 5 * CN), RZ_W(2)));   \
            acc = _mm_add_epi32(acc, _mm_madd_epi16(RZ_PAIR(s + 6 * CN, s + 7 * CN), RZ_W(3)));   \
        }                                                                                         \
        _mm_storeu_si128((__m128i *)(dst + x * CN), acc);                                         \
    }

static void rz_h_sse2(const uint8_t *restrict src, size_t xfast, int32_t *restrict dst, int cn,
                      const int32_t *restrict xofs, const int16_t *restrict wide, int taps) {
    const __m128i zero = _mm_setzero_si128();
    if (cn == 3) {
        if (taps == 2) { RZ_HV(3, 2) } else if (taps == 4) { RZ_HV(3, 4) } else { RZ_HV(3, 8) }
    } else {
        if (taps == 2) { RZ_HV(4, 2) } else if (taps == 4) { RZ_HV(4, 4) } else { RZ_HV(4, 8) }
    }
}

RZ_AVX2 RZ_INLINE void rz_h_avx2_t(const uint8_t *restrict src, size_t xfast, int32_t *restrict dst,
                                   const int32_t *restrict xofs, const int16_t *restrict wide, const int cn,
                                   const int taps) {
    int8_t m[2][16];
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 8; i++) {
            int c = i / 2, t = 2 * p + (i & 1);
            m[p][2 * i] = c < cn ? (int8_t)(t * cn + c) : (int8_t)0x80;
            m[p][2 * i + 1] = (int8_t)0x80;
        }
    const __m256i m0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)m[0]));
    const __m256i m1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)m[1]));
    const int groups = (taps + 3) / 4, pairs = taps / 2;
    size_t x = 0;
    for (; x + 2 <= xfast; x += 2) {
        const uint8_t *s0 = src + xofs[x], *s1 = src + xofs[x + 1];
        const int16_t *w0 = wide + x * (size_t)pairs * 8, *w1 = w0 + (size_t)pairs * 8;
        __m256i acc = _mm256_setzero_si256();
        for (int g = 0; g < groups; g++) {
            __m256i v = _mm256_inserti128_si256(
                _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(s0 + 4 * g * cn))),
                _mm_loadu_si128((const __m128i *)(s1 + 4 * g * cn)), 1);
            __m256i wa = _mm256_inserti128_si256(
                _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(w0 + 16 * g))),
                _mm_loadu_si128((const __m128i *)(w1 + 16 * g)), 1);
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_shuffle_epi8(v, m0), wa));
            if (2 * g + 1 < pairs) {
                __m256i wb = _mm256_inserti128_si256(
                    _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(w0 + 16 * g + 8))),
                    _mm_loadu_si128((const __m128i *)(w1 + 16 * g + 8)), 1);
                acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_shuffle_epi8(v, m1), wb));
            }
        }
        _mm_storeu_si128((__m128i *)(dst + x * (size_t)cn), _mm256_castsi256_si128(acc));
        _mm_storeu_si128((__m128i *)(dst + (x + 1) * (size_t)cn), _mm256_extracti128_si256(acc, 1));
    }
    rz_h_scalar(src, dst, x, xfast, cn, xofs, wide, taps);
}

/// AVX2: two output pixels per step, one per 128-bit lane. Each group of four taps is one
/// 16-byte load per pixel; a byte shuffle spreads (tap, tap+1) pairs into zero-extended 16-bit
/// lanes for the multiply-add. Specialised per channel and tap count.
RZ_AVX2 static void rz_h_avx2(const uint8_t *restrict src, size_t xfast, int32_t *restrict dst, int cn,
                              const int32_t *restrict xofs, const int16_t *restrict wide, int taps) {
    if (cn == 3) {
        if (taps == 2) rz_h_avx2_t(src, xfast, dst, xofs, wide, 3, 2);
        else if (taps == 4) rz_h_avx2_t(src, xfast, dst, xofs, wide, 3, 4);
        else rz_h_avx2_t(src, xfast, dst, xofs, wide, 3, 8);
    } else {
        if (taps == 2) rz_h_avx2_t(src, xfast, dst, xofs, wide, 4, 2);
        else if (taps == 4) rz_h_avx2_t(src, xfast, dst, xofs, wide, 4, 4);
        else rz_h_avx2_t(src, xfast, dst, xofs, wide, 4, 8);
    }
}
#endif

void ck_resize_h_u8i32(const uint8_t *src, size_t rowBytes, int32_t *dst, size_t ow, int cn, const int32_t *xofs,
                       const int16_t *wide, int taps) {
#if RZ_SSE2
    if ((cn == 3 || cn == 4) && (taps == 2 || taps == 4 || taps == 8)) {
        // Vector loads read whole 16-byte groups (AVX2) or 4 bytes per tap (SSE2), and 3-channel
        // stores write a fourth lane: stop where either would leave the row (xofs never
        // decreases, so the fast part is a prefix).
        int avx2 = rz_has_avx2();
        size_t reach = avx2 ? (size_t)(4 * ((taps - 1) / 4) * cn + 16) : (size_t)((taps - 1) * cn + 4);
        size_t xfast = ow;
        if (cn == 3 && xfast > 0) xfast--;
        while (xfast > 0 && (size_t)xofs[xfast - 1] + reach > rowBytes) xfast--;
        if (avx2) rz_h_avx2(src, xfast, dst, cn, xofs, wide, taps);
        else rz_h_sse2(src, xfast, dst, cn, xofs, wide, taps);
        rz_h_scalar(src, dst, xfast, ow, cn, xofs, wide, taps);
        return;
    }
#endif
    (void)rowBytes;
    rz_h_scalar(src, dst, 0, ow, cn, xofs, wide, taps);
}

// MARK: - Vertical passes

/// Scalar forms of the vertical roundings (tails and non-x86 targets).
static inline uint8_t rz_linear1(int32_t a, int32_t b, int16_t w0, int16_t w1) {
    int16_t t0 = (int16_t)(((int32_t)w0 * (int16_t)(a >> 4)) >> 16), t1 = (int16_t)(((int32_t)w1 * (int16_t)(b >> 4)) >> 16);
    int v = (t0 + t1 + 2) >> 2;
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

static inline uint8_t rz_cubic1(int32_t a, int32_t b, int32_t c, int32_t d, float b0, float b1, float b2, float b3) {
    // |acc| < 2^22, so adding and subtracting 1.5·2^23 rounds to nearest even (like cvtps2dq).
    const float magic = 12582912.0f;
    float acc = (float)a * b0;
    acc += (float)b * b1;
    acc += (float)c * b2;
    acc += (float)d * b3;
    float r = (acc + magic) - magic;
    r = r < 0.0f ? 0.0f : (r > 255.0f ? 255.0f : r);
    return (uint8_t)(int32_t)r;
}

#if RZ_SSE2
/// 32 Int32 results (four vectors of 8, in order) saturated to bytes, in order.
RZ_AVX2 static inline __m256i rz_pack32_avx2(__m256i a, __m256i b, __m256i c, __m256i d) {
    __m256i p = _mm256_packus_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
    return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

RZ_AVX2 static inline __m256i rz_lin16_avx2(const int32_t *p, __m256i w) {
    __m256i a = _mm256_srai_epi32(_mm256_loadu_si256((const __m256i *)p), 4);
    __m256i b = _mm256_srai_epi32(_mm256_loadu_si256((const __m256i *)(p + 8)), 4);
    return _mm256_mulhi_epi16(_mm256_packs_epi32(a, b), w);
}

RZ_AVX2 static void rz_v_linear_avx2(const int32_t *restrict s0, const int32_t *restrict s1, uint8_t *restrict dst,
                                     size_t n, int b0, int b1) {
    const __m256i w0 = _mm256_set1_epi16((int16_t)b0), w1 = _mm256_set1_epi16((int16_t)b1);
    const __m256i two = _mm256_set1_epi16(2);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        // 16-bit lanes hold samples in the packs' lane order; the final pack restores order.
        __m256i lo = _mm256_srai_epi16(_mm256_add_epi16(_mm256_add_epi16(rz_lin16_avx2(s0 + i, w0),
                                                                         rz_lin16_avx2(s1 + i, w1)), two), 2);
        __m256i hi = _mm256_srai_epi16(_mm256_add_epi16(_mm256_add_epi16(rz_lin16_avx2(s0 + i + 16, w0),
                                                                         rz_lin16_avx2(s1 + i + 16, w1)), two), 2);
        __m256i p = _mm256_packus_epi16(lo, hi);
        p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)(dst + i), p);
    }
    for (; i < n; i++) dst[i] = rz_linear1(s0[i], s1[i], (int16_t)b0, (int16_t)b1);
}

static void rz_v_linear_sse2(const int32_t *restrict s0, const int32_t *restrict s1, uint8_t *restrict dst,
                             size_t n, int b0, int b1) {
    const __m128i w0 = _mm_set1_epi16((int16_t)b0), w1 = _mm_set1_epi16((int16_t)b1), two = _mm_set1_epi16(2);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i r[2];
        for (int h = 0; h < 2; h++) {
            const int32_t *p = s0 + i + 8 * h, *q = s1 + i + 8 * h;
            __m128i a = _mm_packs_epi32(_mm_srai_epi32(_mm_loadu_si128((const __m128i *)p), 4),
                                        _mm_srai_epi32(_mm_loadu_si128((const __m128i *)(p + 4)), 4));
            __m128i b = _mm_packs_epi32(_mm_srai_epi32(_mm_loadu_si128((const __m128i *)q), 4),
                                        _mm_srai_epi32(_mm_loadu_si128((const __m128i *)(q + 4)), 4));
            r[h] = _mm_srai_epi16(_mm_add_epi16(_mm_add_epi16(_mm_mulhi_epi16(a, w0), _mm_mulhi_epi16(b, w1)), two), 2);
        }
        _mm_storeu_si128((__m128i *)(dst + i), _mm_packus_epi16(r[0], r[1]));
    }
    for (; i < n; i++) dst[i] = rz_linear1(s0[i], s1[i], (int16_t)b0, (int16_t)b1);
}

RZ_AVX2 static inline __m256i rz_cub8_avx2(const int32_t *a, const int32_t *b, const int32_t *c, const int32_t *d,
                                           __m256 b0, __m256 b1, __m256 b2, __m256 b3) {
    __m256 acc = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)a)), b0);
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)b)), b1));
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)c)), b2));
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)d)), b3));
    return _mm256_cvtps_epi32(acc);  // current rounding mode: nearest even
}

RZ_AVX2 static void rz_v_cubic_avx2(const int32_t *restrict s0, const int32_t *restrict s1, const int32_t *restrict s2,
                                    const int32_t *restrict s3, uint8_t *restrict dst, size_t n, float b0, float b1,
                                    float b2, float b3) {
    const __m256 v0 = _mm256_set1_ps(b0), v1 = _mm256_set1_ps(b1), v2 = _mm256_set1_ps(b2), v3 = _mm256_set1_ps(b3);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i r[4];
        for (int q = 0; q < 4; q++) {
            size_t j = i + 8 * (size_t)q;
            r[q] = rz_cub8_avx2(s0 + j, s1 + j, s2 + j, s3 + j, v0, v1, v2, v3);
        }
        _mm256_storeu_si256((__m256i *)(dst + i), rz_pack32_avx2(r[0], r[1], r[2], r[3]));
    }
    for (; i < n; i++) dst[i] = rz_cubic1(s0[i], s1[i], s2[i], s3[i], b0, b1, b2, b3);
}

static void rz_v_cubic_sse2(const int32_t *restrict s0, const int32_t *restrict s1, const int32_t *restrict s2,
                            const int32_t *restrict s3, uint8_t *restrict dst, size_t n, float b0, float b1,
                            float b2, float b3) {
    const __m128 v0 = _mm_set1_ps(b0), v1 = _mm_set1_ps(b1), v2 = _mm_set1_ps(b2), v3 = _mm_set1_ps(b3);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i r[4];
        for (int q = 0; q < 4; q++) {
            size_t j = i + 4 * (size_t)q;
            __m128 acc = _mm_mul_ps(_mm_cvtepi32_ps(_mm_loadu_si128((const __m128i *)(s0 + j))), v0);
            acc = _mm_add_ps(acc, _mm_mul_ps(_mm_cvtepi32_ps(_mm_loadu_si128((const __m128i *)(s1 + j))), v1));
            acc = _mm_add_ps(acc, _mm_mul_ps(_mm_cvtepi32_ps(_mm_loadu_si128((const __m128i *)(s2 + j))), v2));
            acc = _mm_add_ps(acc, _mm_mul_ps(_mm_cvtepi32_ps(_mm_loadu_si128((const __m128i *)(s3 + j))), v3));
            r[q] = _mm_cvtps_epi32(acc);
        }
        _mm_storeu_si128((__m128i *)(dst + i),
                         _mm_packus_epi16(_mm_packs_epi32(r[0], r[1]), _mm_packs_epi32(r[2], r[3])));
    }
    for (; i < n; i++) dst[i] = rz_cubic1(s0[i], s1[i], s2[i], s3[i], b0, b1, b2, b3);
}
#endif

void ck_resize_v_linear_u8(const int32_t *s0, const int32_t *s1, uint8_t *dst, size_t n, int b0, int b1) {
#if RZ_SSE2
    if (rz_has_avx2()) rz_v_linear_avx2(s0, s1, dst, n, b0, b1);
    else rz_v_linear_sse2(s0, s1, dst, n, b0, b1);
#else
    for (size_t i = 0; i < n; i++) dst[i] = rz_linear1(s0[i], s1[i], (int16_t)b0, (int16_t)b1);
#endif
}

void ck_resize_v_cubic_u8(const int32_t *s0, const int32_t *s1, const int32_t *s2, const int32_t *s3, uint8_t *dst,
                          size_t n, float b0, float b1, float b2, float b3) {
#if RZ_SSE2
    if (rz_has_avx2()) rz_v_cubic_avx2(s0, s1, s2, s3, dst, n, b0, b1, b2, b3);
    else rz_v_cubic_sse2(s0, s1, s2, s3, dst, n, b0, b1, b2, b3);
#else
    for (size_t i = 0; i < n; i++) dst[i] = rz_cubic1(s0[i], s1[i], s2[i], s3[i], b0, b1, b2, b3);
#endif
}

RZ_INLINE void ck_resize_v_pillow_u8_body(const uint8_t *const *rows, const int32_t *restrict w, int taps,
                                          uint8_t *restrict dst, size_t n) {
    enum { BLOCK = 512 };
    int32_t acc[BLOCK];
    for (size_t i0 = 0; i0 < n; i0 += BLOCK) {
        size_t m = n - i0 < BLOCK ? n - i0 : BLOCK;
        for (size_t i = 0; i < m; i++) acc[i] = 1 << 21;
        for (int k = 0; k < taps; k++) {
            const uint8_t *restrict r = rows[k] + i0;
            const int32_t wk = w[k];
            for (size_t i = 0; i < m; i++) acc[i] += (int32_t)r[i] * wk;
        }
        for (size_t i = 0; i < m; i++) {
            int32_t v = acc[i] >> 22;
            dst[i0 + i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
}
RZ_MULTIVERSION(ck_resize_v_pillow_u8, (const uint8_t *const *rows, const int32_t *w, int taps, uint8_t *dst, size_t n),
                (rows, w, taps, dst, n))

// MARK: - Nearest neighbour

#define RZ_NN(CN, COPY)                                                                          \
    for (size_t x = 0; x < ow; x++) {                                                            \
        int32_t o = xofs[x];                                                                     \
        uint8_t *d = dst + x * CN;                                                               \
        if (o < 0) { memset(d, 0, CN); continue; }                                               \
        COPY;                                                                                    \
    }

RZ_INLINE void ck_resize_nn_row_u8_body(const uint8_t *restrict src, size_t rowBytes, uint8_t *restrict dst, size_t ow,
                                        int cn, const int32_t *restrict xofs) {
    switch (cn) {
    case 1: RZ_NN(1, d[0] = src[o]) break;
    case 2: RZ_NN(2, memcpy(d, src + o, 2)) break;
    case 4: RZ_NN(4, memcpy(d, src + o, 4)) break;
    case 3: {
        // 4-byte copies (the extra byte is overwritten by the next pixel) while both the read
        // and the write stay inside their rows; 3-byte copies for the rest.
        size_t xfast = ow > 0 ? ow - 1 : 0;
        while (xfast > 0 && (xofs[xfast - 1] < 0 || (size_t)xofs[xfast - 1] + 4 > rowBytes)) xfast--;
        size_t x = 0;
        for (; x < xfast; x++) {
            int32_t o = xofs[x];
            if (o < 0) { memset(dst + 3 * x, 0, 3); continue; }
            memcpy(dst + 3 * x, src + o, 4);
        }
        for (; x < ow; x++) {
            int32_t o = xofs[x];
            if (o < 0) memset(dst + 3 * x, 0, 3);
            else memcpy(dst + 3 * x, src + o, 3);
        }
        break;
    }
    default:
        for (size_t x = 0; x < ow; x++) {
            int32_t o = xofs[x];
            if (o < 0) memset(dst + x * (size_t)cn, 0, (size_t)cn);
            else memcpy(dst + x * (size_t)cn, src + o, (size_t)cn);
        }
    }
}
RZ_MULTIVERSION(ck_resize_nn_row_u8,
                (const uint8_t *src, size_t rowBytes, uint8_t *dst, size_t ow, int cn, const int32_t *xofs),
                (src, rowBytes, dst, ow, cn, xofs))

// MARK: - 2×2 area halving

#define RZ_AREA2(CN)                                                                              \
    for (size_t x = 0; x < ow; x++) {                                                             \
        const uint8_t *a = s0 + 2 * CN * x, *b = s1 + 2 * CN * x;                                 \
        for (int c = 0; c < CN; c++)                                                              \
            dst[x * CN + c] = (uint8_t)((a[c] + a[c + CN] + b[c] + b[c + CN] + 2) >> 2);          \
    }

RZ_INLINE void ck_resize_area2_u8_body(const uint8_t *restrict s0, const uint8_t *restrict s1, uint8_t *restrict dst,
                                       size_t ow, int cn) {
    switch (cn) {
    case 1: RZ_AREA2(1) break;
    case 2: RZ_AREA2(2) break;
    case 3: RZ_AREA2(3) break;
    default: RZ_AREA2(4) break;
    }
}

static void ck_resize_area2_u8_base(const uint8_t *s0, const uint8_t *s1, uint8_t *dst, size_t ow, int cn) {
    ck_resize_area2_u8_body(s0, s1, dst, ow, cn);
}
RZ_AVX2 static void ck_resize_area2_u8_avx2(const uint8_t *s0, const uint8_t *s1, uint8_t *dst, size_t ow, int cn) {
    ck_resize_area2_u8_body(s0, s1, dst, ow, cn);
}

#if RZ_SSE2
/// Three channels with AVX2, eight output pixels per step: per 128-bit lane, a byte shuffle puts
/// the same channel of neighbouring pixels side by side, a multiply-add with ones sums the
/// pairs (16-bit), the two rows are added and rounded, and a final shuffle packs 6 + 6 bytes.
RZ_AVX2 static size_t rz_area2_rgb_avx2(const uint8_t *restrict s0, const uint8_t *restrict s1, uint8_t *restrict dst,
                                        size_t ow) {
    const __m256i pairs = _mm256_setr_epi8(0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11, -1, -1, -1, -1,
                                           0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11, -1, -1, -1, -1);
    const __m256i squeeze = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, -1, -1, -1, -1,
                                             0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, -1, -1, -1, -1);
    const __m256i ones = _mm256_set1_epi8(1), two = _mm256_set1_epi16(2);
    size_t x = 0;
    for (; x + 10 <= ow; x += 8) {
        // r[0]: lane 0 = pixels x, x+1, lane 1 = x+4, x+5; r[1]: x+2, x+3 and x+6, x+7.
        __m256i r[2];
        for (int h = 0; h < 2; h++) {
            const uint8_t *a = s0 + 6 * x + 12 * h, *b = s1 + 6 * x + 12 * h;
            __m256i va = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)a)),
                                                 _mm_loadu_si128((const __m128i *)(a + 24)), 1);
            __m256i vb = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)b)),
                                                 _mm_loadu_si128((const __m128i *)(b + 24)), 1);
            __m256i sa = _mm256_maddubs_epi16(_mm256_shuffle_epi8(va, pairs), ones);
            __m256i sb = _mm256_maddubs_epi16(_mm256_shuffle_epi8(vb, pairs), ones);
            r[h] = _mm256_srli_epi16(_mm256_add_epi16(_mm256_add_epi16(sa, sb), two), 2);
        }
        // Lane 0 = pixels x..x+3, lane 1 = x+4..x+7, 12 bytes each (16-byte stores overlap).
        __m256i p = _mm256_shuffle_epi8(_mm256_packus_epi16(r[0], r[1]), squeeze);
        _mm_storeu_si128((__m128i *)(dst + 3 * x), _mm256_castsi256_si128(p));
        _mm_storeu_si128((__m128i *)(dst + 3 * x + 12), _mm256_extracti128_si256(p, 1));
    }
    return x;
}
#endif

void ck_resize_area2_u8(const uint8_t *s0, const uint8_t *s1, uint8_t *dst, size_t ow, int cn) {
#if RZ_SSE2
    if (cn == 3 && rz_has_avx2()) {
        size_t x = rz_area2_rgb_avx2(s0, s1, dst, ow);
        ck_resize_area2_u8_base(s0 + 6 * x, s1 + 6 * x, dst + 3 * x, ow - x, 3);
        return;
    }
    if (rz_has_avx2()) { ck_resize_area2_u8_avx2(s0, s1, dst, ow, cn); return; }
#endif
    ck_resize_area2_u8_base(s0, s1, dst, ow, cn);
}

// MARK: - Pillow horizontal pass (8-bit, 22-bit fixed point)

RZ_INLINE uint8_t rz_pillow_clip8(int32_t v) {
    v >>= 22;
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// One output pixel, scalar: Σ_k src[k·cn + c]·w[k], from Pillow's rounding offset 2^21.
RZ_INLINE void rz_pillow_h_pixel(const uint8_t *p, const int32_t *w, int n, int cn, uint8_t *d) {
    int32_t a[4] = {1 << 21, 1 << 21, 1 << 21, 1 << 21};
    for (int k = 0; k < n; k++)
        for (int c = 0; c < cn; c++) a[c] += (int32_t)p[k * cn + c] * w[k];
    for (int c = 0; c < cn; c++) d[c] = rz_pillow_clip8(a[c]);
}

static void ck_resize_h_pillow_u8_base(const uint8_t *src, size_t srcLen, uint8_t *dst, size_t out, int cn,
                                       const int32_t *start, const int32_t *count, const int32_t *w, int taps) {
    (void)srcLen;
    for (size_t x = 0; x < out; x++)
        rz_pillow_h_pixel(src + (size_t)start[x] * cn, w + x * taps, count[x], cn, dst + x * cn);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
// AVX2: the taps of one output pixel are summed 8 int32 lanes at a time — 8 taps of a gray
// row, 4 pixels of a 2-channel row, or 2 pixels of an RGB (padded to 4 lanes by a byte
// shuffle) or RGBA row — then the lanes of each channel are added. Integer sums, so the
// result equals the scalar order exactly.
RZ_AVX2 static void ck_resize_h_pillow_u8_avx2(const uint8_t *src, size_t srcLen, uint8_t *dst, size_t out, int cn,
                                               const int32_t *start, const int32_t *count, const int32_t *w,
                                               int taps) {
    const uint8_t *end = src + srcLen;
    const __m128i rgbPad = _mm_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i pairs = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
    const __m256i twos = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3);
    for (size_t x = 0; x < out; x++) {
        const uint8_t *p = src + (size_t)start[x] * cn;
        const int32_t *wx = w + x * taps;
        const int n = count[x];
        uint8_t *d = dst + x * cn;
        __m256i acc = _mm256_setzero_si256();
        int k = 0;
        switch (cn) {
        case 1:
            for (; k + 8 <= n; k += 8) {
                __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + k)));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(v, _mm256_loadu_si256((const __m256i *)(wx + k))));
            }
            break;
        case 2:
            for (; k + 4 <= n; k += 4) {
                __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 2 * k)));
                __m256i wk = _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(wx + k))), twos);
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(v, wk));
            }
            break;
        case 3:
            // 8-byte loads reach 2 bytes past the second pixel: stay inside the row.
            for (; k + 2 <= n && p + 3 * k + 8 <= end; k += 2) {
                __m128i b = _mm_shuffle_epi8(_mm_loadl_epi64((const __m128i *)(p + 3 * k)), rgbPad);
                __m256i v = _mm256_cvtepu8_epi32(b);
                __m256i wk = _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(_mm_loadl_epi64((const __m128i *)(wx + k))), pairs);
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(v, wk));
            }
            break;
        default:  // 4
            for (; k + 2 <= n; k += 2) {
                __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 4 * k)));
                __m256i wk = _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(_mm_loadl_epi64((const __m128i *)(wx + k))), pairs);
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(v, wk));
            }
            break;
        }
        if (cn >= 3) {
            // One more tap with a 4-byte load when the window is odd (lane 3 of an RGB pixel
            // reads the next pixel's red: it is never stored).
            __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
            if (k < n && p + cn * k + 4 <= end) {
                int32_t word;
                memcpy(&word, p + cn * k, 4);
                __m128i v = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(word));
                s4 = _mm_add_epi32(s4, _mm_mullo_epi32(v, _mm_set1_epi32(wx[k])));
                k++;
            }
            if (k == n) {
                // Round, shift, saturate to 0…255 (packs to int16, then to uint8).
                s4 = _mm_srai_epi32(_mm_add_epi32(s4, _mm_set1_epi32(1 << 21)), 22);
                s4 = _mm_packus_epi16(_mm_packs_epi32(s4, s4), s4);
                const uint32_t packed = (uint32_t)_mm_cvtsi128_si32(s4);
                if (cn == 4) {
                    memcpy(d, &packed, 4);
                } else {
                    d[0] = (uint8_t)packed; d[1] = (uint8_t)(packed >> 8); d[2] = (uint8_t)(packed >> 16);
                }
                continue;
            }
            acc = _mm256_castsi128_si256(s4);  // lanes 4–7 are not read below
        }
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, acc);
        int32_t a[4] = {1 << 21, 1 << 21, 1 << 21, 1 << 21};
        switch (cn) {
        case 1: for (int i = 0; i < 8; i++) a[0] += lanes[i]; break;
        case 2: for (int i = 0; i < 8; i += 2) { a[0] += lanes[i]; a[1] += lanes[i + 1]; } break;
        default: for (int c = 0; c < 4; c++) a[c] += lanes[c]; break;
        }
        for (; k < n; k++)
            for (int c = 0; c < cn; c++) a[c] += (int32_t)p[k * cn + c] * wx[k];
        for (int c = 0; c < cn; c++) d[c] = rz_pillow_clip8(a[c]);
    }
}
#endif

void ck_resize_h_pillow_u8(const uint8_t *src, size_t srcLen, uint8_t *dst, size_t out, int cn, const int32_t *start,
                           const int32_t *count, const int32_t *w, int taps) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (rz_has_avx2() && cn >= 1 && cn <= 4) {
        ck_resize_h_pillow_u8_avx2(src, srcLen, dst, out, cn, start, count, w, taps);
        return;
    }
#endif
    ck_resize_h_pillow_u8_base(src, srcLen, dst, out, cn, start, count, w, taps);
}
