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
static void ck_conv_h_f32_base(const float *pad, float *dst, size_t n, size_t cn, const float *k, int taps) {
    ck_conv_h_f32_body(pad, dst, n, cn, k, taps);
}
CK_AVX2_FMA static void ck_conv_h_f32_avx2(const float *pad, float *dst, size_t n, size_t cn, const float *k, int taps) {
    ck_conv_h_f32_body(pad, dst, n, cn, k, taps);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
// Symmetric taps, blocks of 64 outputs: eight accumulators keep both FMA pipes busy through
// the 4-cycle FMA latency, where the 32-output blocks above wait on it (512-bit variants:
// docs/performance.md). Per output the same operations in the
// same order as ck_conv_h_f32_body, so the results are identical.
CK_AVX2_FMA static size_t ck_conv_h_f32_sym_avx2(const float *pad, float *dst, size_t n, size_t cn, const float *k,
                                                int r) {
    const __m256 kc = _mm256_set1_ps(k[r]);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const float *c = pad + i + (size_t)r * cn;
        __m256 acc[8];
        for (int j = 0; j < 8; j++) acc[j] = _mm256_mul_ps(kc, _mm256_loadu_ps(c + 8 * j));
        for (int t = 0; t < r; t++) {
            const __m256 kt = _mm256_set1_ps(k[t]);
            const float *a = pad + i + (size_t)t * cn, *b = pad + i + (size_t)(2 * r - t) * cn;
            for (int j = 0; j < 8; j++)
                acc[j] = _mm256_fmadd_ps(kt, _mm256_add_ps(_mm256_loadu_ps(a + 8 * j), _mm256_loadu_ps(b + 8 * j)), acc[j]);
        }
        for (int j = 0; j < 8; j++) _mm256_storeu_ps(dst + i + 8 * j, acc[j]);
    }
    return i;
}
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
// Symmetric taps with radius R ≤ 9, AVX-512VL (for its 32 registers): output vectors 8·cn
// samples apart need the same windows `pad + base + m·cn` shifted by 8 taps, so a stream of
// them keeps its 2R + 1 windows in registers and loads only the 8 new ones per vector (17
// loads, most of them splitting cache lines, in the blocks above). The windows live in a ring
// of 2R + 1 registers whose slots are compile-time constants because the stream loop is
// unrolled 2R + 1 times. The sum is split over four accumulators (t mod 4) so the FMA latency
// overlaps; that changes the rounding order from the blocks above (results agree to ~1 ulp).
// Fewer loads per vector than the blocks above (cycle counts in docs/performance.md).
#define CK_UNROLL _Pragma("clang loop unroll(full)")
CK_INLINE CK_AVX512 void ck_hstream_step(const float *pad, float *dst, size_t base, size_t cn, const __m256 *kv,
                                         __m256 *W, const int R, const int p) {
    const int NS = 2 * R + 1;
    CK_UNROLL for (int m = 2 * R - 7 < 0 ? 0 : 2 * R - 7; m <= 2 * R; m++)
        W[(8 * p + m) % NS] = _mm256_loadu_ps(pad + base + (size_t)m * cn);
    __m256 acc[4];
    acc[0] = _mm256_mul_ps(kv[R], W[(8 * p + R) % NS]);
    CK_UNROLL for (int t = 0; t < R; t++) {
        const __m256 pair = _mm256_add_ps(W[(8 * p + t) % NS], W[(8 * p + 2 * R - t) % NS]);
        if (t < 3)
            acc[t + 1] = _mm256_mul_ps(kv[t], pair);
        else
            acc[(t + 1) % 4] = _mm256_fmadd_ps(kv[t], pair, acc[(t + 1) % 4]);
    }
    __m256 sum;
    if (R >= 3)
        sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    else if (R == 2)
        sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), acc[2]);
    else
        sum = _mm256_add_ps(acc[0], acc[1]);
    _mm256_storeu_ps(dst + base, sum);
}

#define CK_HSTREAM_STEP(p)                                      \
    if ((p) < 2 * R + 1) {                                      \
        ck_hstream_step(pad, dst, base, cn, kv, W, R, (p));      \
        base += 8 * cn;                                         \
        if (base + 8 > n) break;                                \
    }

CK_INLINE CK_AVX512 size_t ck_conv_h_f32_stream(const float *pad, float *dst, size_t n, size_t cn, const float *k,
                                                const int R) {
    __m256 kv[10], W[19];
    CK_UNROLL for (int t = 0; t <= R; t++) kv[t] = _mm256_set1_ps(k[t]);
    for (size_t s = 0; s < cn; s++) {
        size_t base = 8 * s;
        if (base + 8 > n) break;
        CK_UNROLL for (int m = 0; m < 2 * R - 7; m++) W[m] = _mm256_loadu_ps(pad + base + (size_t)m * cn);
        for (;;) {
            CK_HSTREAM_STEP(0) CK_HSTREAM_STEP(1) CK_HSTREAM_STEP(2) CK_HSTREAM_STEP(3) CK_HSTREAM_STEP(4)
            CK_HSTREAM_STEP(5) CK_HSTREAM_STEP(6) CK_HSTREAM_STEP(7) CK_HSTREAM_STEP(8) CK_HSTREAM_STEP(9)
            CK_HSTREAM_STEP(10) CK_HSTREAM_STEP(11) CK_HSTREAM_STEP(12) CK_HSTREAM_STEP(13) CK_HSTREAM_STEP(14)
            CK_HSTREAM_STEP(15) CK_HSTREAM_STEP(16) CK_HSTREAM_STEP(17) CK_HSTREAM_STEP(18)
        }
    }
    return n & ~(size_t)7;
}
#undef CK_HSTREAM_STEP

#define CK_HSTREAM(R)                                                                                   \
    CK_AVX512 static size_t ck_conv_h_f32_stream##R(const float *pad, float *dst, size_t n, size_t cn, \
                                                    const float *k) {                                  \
        return ck_conv_h_f32_stream(pad, dst, n, cn, k, R);                                            \
    }
CK_HSTREAM(1) CK_HSTREAM(2) CK_HSTREAM(3) CK_HSTREAM(4) CK_HSTREAM(5) CK_HSTREAM(6) CK_HSTREAM(7) CK_HSTREAM(8)
CK_HSTREAM(9)
#undef CK_HSTREAM

static size_t (*const ck_conv_h_f32_streams[10])(const float *, float *, size_t, size_t, const float *) = {
    NULL, ck_conv_h_f32_stream1, ck_conv_h_f32_stream2, ck_conv_h_f32_stream3, ck_conv_h_f32_stream4,
    ck_conv_h_f32_stream5, ck_conv_h_f32_stream6, ck_conv_h_f32_stream7, ck_conv_h_f32_stream8,
    ck_conv_h_f32_stream9};
#endif

void ck_conv_h_f32(const float *pad, float *dst, size_t n, size_t cn, const float *k, int taps) {
    size_t done = 0;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (ck_has_avx512() && taps / 2 >= 1 && taps / 2 <= 9 && ck_taps_symmetric(k, taps))
        done = ck_conv_h_f32_streams[taps / 2](pad, dst, n, cn, k);
    else if (ck_has_avx2_fma() && ck_taps_symmetric(k, taps))
        done = ck_conv_h_f32_sym_avx2(pad, dst, n, cn, k, taps / 2);
#endif
    if (done == n) return;
    if (ck_has_avx2_fma())
        ck_conv_h_f32_avx2(pad + done, dst + done, n - done, cn, k, taps);
    else
        ck_conv_h_f32_base(pad + done, dst + done, n - done, cn, k, taps);
}

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

// Two output rows from taps + 1 input rows: dst0 from rows[0 ..< taps], dst1 from
// rows[1 ... taps]. With symmetric taps the rows that both outputs read are loaded once per
// block (2·r + 4 loads for two rows instead of 2·(2·r + 1)); each output is summed in the same
// order as ck_conv_v_f32, so the results are identical to two calls of it.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
// One block of the two-row symmetric sum, shared by the 256- and 512-bit kernels: vector type
// V, intrinsic prefix P (_mm256, _mm512), W lanes, two vectors per row. Reads rows, r, k, kc
// and i; declares acc0a, acc0b (dst0) and acc1a, acc1b (dst1). Walking t up, a = rows[t] pairs
// with rows[2r − t] for dst0, and rows[t + 1] with p = rows[2r + 1 − t] for dst1, so each row
// is loaded once per block.
#define CK_V2_SYM_ACCUMULATE(V, P, W)                                                          \
    V acc0a = P##_mul_ps(kc, P##_loadu_ps(rows[r] + i));                                       \
    V acc0b = P##_mul_ps(kc, P##_loadu_ps(rows[r] + i + W));                                   \
    V acc1a = P##_mul_ps(kc, P##_loadu_ps(rows[r + 1] + i));                                   \
    V acc1b = P##_mul_ps(kc, P##_loadu_ps(rows[r + 1] + i + W));                               \
    V aa = P##_loadu_ps(rows[0] + i), ab = P##_loadu_ps(rows[0] + i + W);                      \
    V pa = P##_loadu_ps(rows[2 * r + 1] + i), pb = P##_loadu_ps(rows[2 * r + 1] + i + W);      \
    for (int t = 0; t < r; t++) {                                                              \
        const V kt = P##_set1_ps(k[t]);                                                        \
        const float *an = rows[t + 1] + i, *bn = rows[2 * r - t] + i;                          \
        const V na = P##_loadu_ps(an), nb = P##_loadu_ps(an + W);                              \
        const V ba = P##_loadu_ps(bn), bb = P##_loadu_ps(bn + W);                              \
        acc0a = P##_fmadd_ps(kt, P##_add_ps(aa, ba), acc0a);                                   \
        acc0b = P##_fmadd_ps(kt, P##_add_ps(ab, bb), acc0b);                                   \
        acc1a = P##_fmadd_ps(kt, P##_add_ps(na, pa), acc1a);                                   \
        acc1b = P##_fmadd_ps(kt, P##_add_ps(nb, pb), acc1b);                                   \
        aa = na; ab = nb; pa = ba; pb = bb;                                                    \
    }

CK_AVX2_FMA static size_t ck_conv_v2_f32_sym_avx2(const float *const *rows, float *dst0, float *dst1, size_t n,
                                                  const float *k, int r, float delta) {
    const __m256 vd = _mm256_set1_ps(delta);
    const __m256 kc = _mm256_set1_ps(k[r]);
    // Only whole blocks of CK_CONV_BLOCK, as ck_conv_v_f32 (its tail takes another formula).
    const size_t blocks = n - n % CK_CONV_BLOCK;
    size_t i = 0;
    for (; i < blocks; i += 16) {
        CK_V2_SYM_ACCUMULATE(__m256, _mm256, 8)
        _mm256_storeu_ps(dst0 + i, _mm256_add_ps(acc0a, vd));
        _mm256_storeu_ps(dst0 + i + 8, _mm256_add_ps(acc0b, vd));
        _mm256_storeu_ps(dst1 + i, _mm256_add_ps(acc1a, vd));
        _mm256_storeu_ps(dst1 + i + 8, _mm256_add_ps(acc1b, vd));
    }
    return i;
}

// The same with 512-bit vectors: two per row and block, so four accumulators (eight 256-bit
// halves) are in flight, enough to cover the FMA latency; the 256-bit version has four halves.
// With u0/u1 given, the sums are rounded to UInt8 in the register as ck_f32_to_u8 does
// (clamp at 255, round to nearest even, negatives and NaN to 0) and stored as bytes; dst0/dst1
// are not written.
CK_AVX512 CK_INLINE void ck_v2_store_u8(uint8_t *out, __m512 v) {
    const __m512i q = _mm512_cvtps_epi32(_mm512_min_ps(_mm512_set1_ps(255.0f), v));
    _mm_storeu_si128((__m128i *)out, _mm512_cvtusepi32_epi8(_mm512_max_epi32(q, _mm512_setzero_si512())));
}

CK_AVX512 CK_INLINE size_t ck_conv_v2_f32_sym_avx512_body(const float *const *rows, float *dst0, float *dst1, uint8_t *u0,
                                                uint8_t *u1, size_t n, const float *k, int r, float delta) {
    const __m512 vd = _mm512_set1_ps(delta);
    const __m512 kc = _mm512_set1_ps(k[r]);
    const size_t blocks = n - n % CK_CONV_BLOCK;
    size_t i = 0;
    for (; i < blocks; i += 32) {
        CK_V2_SYM_ACCUMULATE(__m512, _mm512, 16)
        if (u0) {
            ck_v2_store_u8(u0 + i, _mm512_add_ps(acc0a, vd));
            ck_v2_store_u8(u0 + i + 16, _mm512_add_ps(acc0b, vd));
            ck_v2_store_u8(u1 + i, _mm512_add_ps(acc1a, vd));
            ck_v2_store_u8(u1 + i + 16, _mm512_add_ps(acc1b, vd));
        } else {
            _mm512_storeu_ps(dst0 + i, _mm512_add_ps(acc0a, vd));
            _mm512_storeu_ps(dst0 + i + 16, _mm512_add_ps(acc0b, vd));
            _mm512_storeu_ps(dst1 + i, _mm512_add_ps(acc1a, vd));
            _mm512_storeu_ps(dst1 + i + 16, _mm512_add_ps(acc1b, vd));
        }
    }
    return i;
}

CK_AVX512 static size_t ck_conv_v2_f32_sym_avx512(const float *const *rows, float *dst0, float *dst1, size_t n,
                                                  const float *k, int r, float delta) {
    return ck_conv_v2_f32_sym_avx512_body(rows, dst0, dst1, NULL, NULL, n, k, r, delta);
}

CK_AVX512 static size_t ck_conv_v2_f32_sym_avx512_u8(const float *const *rows, uint8_t *u0, uint8_t *u1, size_t n,
                                                     const float *k, int r, float delta) {
    return ck_conv_v2_f32_sym_avx512_body(rows, NULL, NULL, u0, u1, n, k, r, delta);
}
#endif

void ck_conv_v2_f32(const float *const *rows, float *dst0, float *dst1, size_t n, const float *k, int taps,
                    float delta) {
    size_t done = 0;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (ck_has_avx512() && ck_taps_symmetric(k, taps))
        done = ck_conv_v2_f32_sym_avx512(rows, dst0, dst1, n, k, taps / 2, delta);
    else if (ck_has_avx2_fma() && ck_taps_symmetric(k, taps))
        done = ck_conv_v2_f32_sym_avx2(rows, dst0, dst1, n, k, taps / 2, delta);
#endif
    if (done == n) return;
    const float *shifted[taps];
    for (int t = 0; t < taps; t++) shifted[t] = rows[t] + done;
    ck_conv_v_f32(shifted, dst0 + done, n - done, k, taps, delta);
    for (int t = 0; t < taps; t++) shifted[t] = rows[t + 1] + done;
    ck_conv_v_f32(shifted, dst1 + done, n - done, k, taps, delta);
}

void ck_conv_v2_f32_u8(const float *const *rows, uint8_t *dst0, uint8_t *dst1, size_t n, const float *k, int taps,
                       float delta, float *scratch0, float *scratch1) {
    size_t done = 0;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (ck_has_avx512() && ck_taps_symmetric(k, taps))
        done = ck_conv_v2_f32_sym_avx512_u8(rows, dst0, dst1, n, k, taps / 2, delta);
#endif
    if (done == n) return;
    const float *shifted[taps + 1];
    for (int t = 0; t <= taps; t++) shifted[t] = rows[t] + done;
    ck_conv_v2_f32(shifted, scratch0, scratch1, n - done, k, taps, delta);
    ck_f32_to_u8(scratch0, dst0 + done, n - done);
    ck_f32_to_u8(scratch1, dst1 + done, n - done);
}

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
static void ck_f32_to_u8_base(const float *src, uint8_t *dst, size_t n) { ck_f32_to_u8_body(src, dst, n); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
// 32 samples per step: clamp above at 255 (min keeps a NaN, its second operand), convert with
// the default rounding (to nearest, ties to even; NaN gives INT32_MIN), then saturating packs to
// 16 and 8 bits (negatives to 0) and undo the packs' lane interleave. Same results as the body.
CK_AVX2 static void ck_f32_to_u8_avx2(const float *src, uint8_t *dst, size_t n) {
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    const __m256 top = _mm256_set1_ps(255.0f);
#define CK_CVT(p) _mm256_cvtps_epi32(_mm256_min_ps(top, _mm256_loadu_ps(p)))
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i a = CK_CVT(src + i), b = CK_CVT(src + i + 8), c = CK_CVT(src + i + 16), d = CK_CVT(src + i + 24);
        const __m256i ab = _mm256_packs_epi32(a, b), cd = _mm256_packs_epi32(c, d);
        const __m256i bytes = _mm256_packus_epi16(ab, cd);
        _mm256_storeu_si256((__m256i *)(dst + i), _mm256_permutevar8x32_epi32(bytes, order));
    }
#undef CK_CVT
    ck_f32_to_u8_body(src + i, dst + i, n - i);
}
#endif

void ck_f32_to_u8(const float *src, uint8_t *dst, size_t n) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (ck_has_avx2()) {
        ck_f32_to_u8_avx2(src, dst, n);
        return;
    }
#endif
    ck_f32_to_u8_base(src, dst, n);
}

CK_INLINE void ck_f32_to_u16_body(const float *restrict src, uint16_t *restrict dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = src[i];
        v = v > 0.0f ? v : 0.0f;
        v = v < 65535.0f ? v : 65535.0f;
        dst[i] = (uint16_t)(int32_t)((v + CK_ROUND_MAGIC_F32) - CK_ROUND_MAGIC_F32);
    }
}
CK_MULTIVERSION(void, ck_f32_to_u16, (const float *src, uint16_t *dst, size_t n), (src, dst, n))
