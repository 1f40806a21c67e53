// HOG source planes (CVFeatures' HOGPadded.swift): a run of 8-bit pixels, 1 or 3 interleaved
// channels, to Float planes, square-rooted for OpenCV's gamma correction. sqrtf of an integer
// 0...255 is the correctly rounded Float of its square root, the same value as the Swift
// table (Double square root rounded to Float: 53 ≥ 2·24 + 2 bits, so no double rounding).
#include "kernels.h"
#include "ck_dispatch.h"
#include <math.h>
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
CK_AVX2 static size_t ck_hog_planes_avx2(const uint8_t *src, size_t count, int cn, int takeSqrt, float *d0, float *d1,
                                         float *d2) {
    size_t x = 0;
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
#endif

void ck_hog_planes_u8(const uint8_t *src, size_t count, int cn, int takeSqrt, float *d0, float *d1, float *d2) {
    size_t x = 0;
#if defined(__x86_64__)
    if ((cn == 1 || cn == 3) && ck_has_avx2()) x = ck_hog_planes_avx2(src, count, cn, takeSqrt, d0, d1, d2);
#endif
    ck_hog_planes_scalar(src, x, count, cn, takeSqrt, d0, d1, d2);
}
