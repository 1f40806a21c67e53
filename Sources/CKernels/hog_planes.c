// HOG source planes (CVFeatures' HOGPadded.swift): a run of 8-bit pixels, 1 or 3 interleaved
// channels, to Float planes, square-rooted for OpenCV's gamma correction. sqrtf of an integer
// 0...255 is the correctly rounded Float of its square root, the same value as the Swift
// table (Double square root rounded to Float: 53 ≥ 2·24 + 2 bits, so no double rounding).
#include "kernels.h"
#include "ck_dispatch.h"
#include <math.h>
#include <pthread.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void ck_hog_planes_scalar(const uint8_t *src, size_t x, size_t count, int cn, int takeSqrt, float *d0, float *d1,
                                 float *d2) {
    for (; x < count; x++) {
        const uint8_t *p = src + x * (size_t)cn;
        if (cn == 1) {
            d0[x] = takeSqrt ? sqrtf((float)p[0]) : (float)p[0];
        } else {
            d0[x] = takeSqrt ? sqrtf((float)p[0]) : (float)p[0];
            d1[x] = takeSqrt ? sqrtf((float)p[1]) : (float)p[1];
            d2[x] = takeSqrt ? sqrtf((float)p[2]) : (float)p[2];
        }
    }
}

#if defined(__x86_64__)
CK_AVX2 static inline __m256 ck_hog_plane8(__m128i bytes, int takeSqrt) {
    const __m256 v = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes));
    return takeSqrt ? _mm256_sqrt_ps(v) : v;
}

/// 8 pixels a step: the 24 (or 8) bytes read exactly, channels separated by byte shuffles.
CK_AVX2 static size_t ck_hog_planes_avx2(const uint8_t *src, size_t x, size_t count, int cn, int takeSqrt, float *d0,
                                         float *d1, float *d2) {
    if (cn == 1) {
        for (; x + 8 <= count; x += 8) _mm256_storeu_ps(d0 + x, ck_hog_plane8(_mm_loadl_epi64((const __m128i *)(src + x)), takeSqrt));
        return x;
    }
    const __m128i a0 = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i b0 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 2, 5, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i a1 = _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i b1 = _mm_setr_epi8(-1, -1, -1, -1, -1, 0, 3, 6, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i a2 = _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i b2 = _mm_setr_epi8(-1, -1, -1, -1, -1, 1, 4, 7, -1, -1, -1, -1, -1, -1, -1, -1);
    for (; x + 8 <= count; x += 8) {
        const uint8_t *p = src + 3 * x;
        const __m128i lo = _mm_loadu_si128((const __m128i *)p), hi = _mm_loadl_epi64((const __m128i *)(p + 16));
        _mm256_storeu_ps(d0 + x, ck_hog_plane8(_mm_or_si128(_mm_shuffle_epi8(lo, a0), _mm_shuffle_epi8(hi, b0)), takeSqrt));
        _mm256_storeu_ps(d1 + x, ck_hog_plane8(_mm_or_si128(_mm_shuffle_epi8(lo, a1), _mm_shuffle_epi8(hi, b1)), takeSqrt));
        _mm256_storeu_ps(d2 + x, ck_hog_plane8(_mm_or_si128(_mm_shuffle_epi8(lo, a2), _mm_shuffle_epi8(hi, b2)), takeSqrt));
    }
    return x;
}

// MARK: Square roots by table (AVX-512 VBMI)
// sqrtf of a byte has 256 possible values: byte plane k of their Float bit patterns is a
// 256-byte table, 4 registers, read for 64 pixels at once by two 128-byte permutes and a blend
// on the index's top bit. Each table holds sqrtf's own results, so the bits are sqrtf's, and
// the lookups cost a few byte shuffles per 64 values instead of a `vsqrtps` per 8.

static uint8_t ck_hp_sqrt_bytes[4][256];
static pthread_once_t ck_hp_sqrt_once = PTHREAD_ONCE_INIT;

static void ck_hp_make_sqrt_bytes(void) {
    for (int n = 0; n < 256; n++) {
        const float f = sqrtf((float)n);
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        for (int k = 0; k < 4; k++) ck_hp_sqrt_bytes[k][n] = (uint8_t)(u >> (8 * k));
    }
}

/// The byte positions to read channel `c` of 64 pixels from (of 192 bytes for 3 channels, 64
/// for one), ordered so that the byte and word unpacks of the table's planes (which work
/// within 128-bit lanes) leave pixels 16k…16k+15 in output register k: position
/// 16·L + 4·k + i carries pixel 16·k + 4·L + i.
static void ck_hp_source_positions(int cn, int c, uint8_t *pos) {
    for (int p = 0; p < 64; p++) {
        const int L = p / 16, k = (p % 16) / 4, i = p % 4, q = 16 * k + 4 * L + i;
        pos[p] = (uint8_t)(cn * q + c);
    }
}

CK_AVX512VBMI static inline __m512i ck_hp_plane_bytes(const __m512i (*t)[4], int k, __m512i n, __mmask64 high) {
    const __m512i lo = _mm512_permutex2var_epi8(t[k][0], n, t[k][1]), hi = _mm512_permutex2var_epi8(t[k][2], n, t[k][3]);
    return _mm512_mask_blend_epi8(high, lo, hi);
}

/// The square roots of 64 bytes `n` (in the order of ck_hp_source_positions) to dst[0..<64].
CK_AVX512VBMI static inline void ck_hp_sqrt64(const __m512i (*t)[4], __m512i n, float *dst) {
    const __mmask64 high = _mm512_movepi8_mask(n);
    const __m512i b0 = ck_hp_plane_bytes(t, 0, n, high), b1 = ck_hp_plane_bytes(t, 1, n, high);
    const __m512i b2 = ck_hp_plane_bytes(t, 2, n, high), b3 = ck_hp_plane_bytes(t, 3, n, high);
    const __m512i wl = _mm512_unpacklo_epi8(b0, b1), wh = _mm512_unpackhi_epi8(b0, b1);
    const __m512i vl = _mm512_unpacklo_epi8(b2, b3), vh = _mm512_unpackhi_epi8(b2, b3);
    _mm512_storeu_si512(dst, _mm512_unpacklo_epi16(wl, vl));
    _mm512_storeu_si512(dst + 16, _mm512_unpackhi_epi16(wl, vl));
    _mm512_storeu_si512(dst + 32, _mm512_unpacklo_epi16(wh, vh));
    _mm512_storeu_si512(dst + 48, _mm512_unpackhi_epi16(wh, vh));
}

/// 64 pixels a step, square-rooted through the tables; returns the pixels done.
CK_AVX512VBMI static size_t ck_hog_planes_sqrt_vbmi(const uint8_t *src, size_t count, int cn, float *d0, float *d1,
                                                float *d2) {
    pthread_once(&ck_hp_sqrt_once, ck_hp_make_sqrt_bytes);
    __m512i t[4][4];
    for (int k = 0; k < 4; k++)
        for (int q = 0; q < 4; q++) t[k][q] = _mm512_loadu_si512(ck_hp_sqrt_bytes[k] + 64 * q);
    const __m512i (*tc)[4] = (const __m512i (*)[4])t;
    size_t x = 0;
    if (cn == 1) {
        uint8_t pos[64];
        ck_hp_source_positions(1, 0, pos);
        const __m512i idx = _mm512_loadu_si512(pos);
        for (; x + 64 <= count; x += 64) ck_hp_sqrt64(tc, _mm512_permutexvar_epi8(idx, _mm512_loadu_si512(src + x)), d0 + x);
        return x;
    }
    __m512i low[3], high[3];
    __mmask64 fromThird[3];
    for (int c = 0; c < 3; c++) {
        uint8_t pos[64];
        ck_hp_source_positions(3, c, pos);
        const __m512i p = _mm512_loadu_si512(pos);
        fromThird[c] = _mm512_cmpge_epu8_mask(p, _mm512_set1_epi8((char)128));
        low[c] = p;                                              // permutex2var reads the low 7 bits
        high[c] = _mm512_sub_epi8(p, _mm512_set1_epi8((char)128));
    }
    float *d[3] = {d0, d1, d2};
    for (; x + 64 <= count; x += 64) {
        const uint8_t *p = src + 3 * x;
        const __m512i x0 = _mm512_loadu_si512(p), x1 = _mm512_loadu_si512(p + 64), x2 = _mm512_loadu_si512(p + 128);
        for (int c = 0; c < 3; c++) {
            __m512i n = _mm512_permutex2var_epi8(x0, low[c], x1);
            n = _mm512_mask_permutexvar_epi8(n, fromThird[c], high[c], x2);
            ck_hp_sqrt64(tc, n, d[c] + x);
        }
    }
    return x;
}
#endif

void ck_hog_planes_u8(const uint8_t *src, size_t count, int cn, int takeSqrt, float *d0, float *d1, float *d2) {
    size_t x = 0;
#if defined(__x86_64__)
    if ((cn == 1 || cn == 3) && takeSqrt && ck_has_avx512vbmi()) x = ck_hog_planes_sqrt_vbmi(src, count, cn, d0, d1, d2);
    if ((cn == 1 || cn == 3) && ck_has_avx2()) x = ck_hog_planes_avx2(src, x, count, cn, takeSqrt, d0, d1, d2);
#endif
    ck_hog_planes_scalar(src, x, count, cn, takeSqrt, d0, d1, d2);
}
