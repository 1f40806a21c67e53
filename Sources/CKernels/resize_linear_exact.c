// Horizontal and vertical passes of OpenCV's INTER_LINEAR_EXACT for 8-bit rows (CVTransform's
// ResizeLinearExact.swift): line[x·cn + c] = p0·c0 + p1·c1 with 8-bit weights (c0 + c1 = 256),
// exact in 16 bits, then out = (a·w0 + b·w1 + 2¹⁵) >> 16 of two lines. AVX2 gathers 8 output
// pixels' two source pixels at once; integer arithmetic, so every path gives the same values.
#include "kernels.h"
#include "ck_dispatch.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void ck_rle_h_scalar(const uint8_t *row, size_t x, uint16_t *line, size_t count, int cn, const int32_t *off0,
                            const int32_t *off1, const int32_t *w0, const int32_t *w1) {
    for (; x < count; x++) {
        const uint8_t *p0 = row + off0[x], *p1 = row + off1[x];
        const uint16_t a = (uint16_t)w0[x], b = (uint16_t)w1[x];
        for (int c = 0; c < cn; c++) line[x * (size_t)cn + (size_t)c] = (uint16_t)(p0[c] * a + p1[c] * b);
    }
}

#if defined(__x86_64__)
/// 3 channels: one 32-bit gather per tap reads a pixel's 3 bytes (and one more); channels 0 and
/// 2, then 1, are weighted as 16-bit lanes; each pair of pixels is packed from 4 to 3 lanes
/// per pixel and stored with overlapping 16-byte stores in increasing order (the 4 bytes past
/// the pair are rewritten by the next store or land in the caller's slack).
CK_AVX2 static size_t ck_rle_h_rgb_avx2(const uint8_t *row, uint16_t *line, size_t count, size_t vecEnd,
                                        const int32_t *off0, const int32_t *off1, const int32_t *w0, const int32_t *w1) {
    const __m256i lowBytes = _mm256_set1_epi32(0x00ff00ff);
    const __m256i pack = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, -1, -1, -1, -1,
                                          0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, -1, -1, -1, -1);
    size_t x = 0;
    for (; x + 8 <= vecEnd; x += 8) {
        const __m256i g0 = _mm256_i32gather_epi32((const int *)row, _mm256_loadu_si256((const __m256i *)(off0 + x)), 1);
        const __m256i g1 = _mm256_i32gather_epi32((const int *)row, _mm256_loadu_si256((const __m256i *)(off1 + x)), 1);
        __m256i a = _mm256_loadu_si256((const __m256i *)(w0 + x)), b = _mm256_loadu_si256((const __m256i *)(w1 + x));
        a = _mm256_or_si256(a, _mm256_slli_epi32(a, 16));
        b = _mm256_or_si256(b, _mm256_slli_epi32(b, 16));
        const __m256i even = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_and_si256(g0, lowBytes), a),
                                              _mm256_mullo_epi16(_mm256_and_si256(g1, lowBytes), b));
        const __m256i odd = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_and_si256(_mm256_srli_epi32(g0, 8), lowBytes), a),
                                             _mm256_mullo_epi16(_mm256_and_si256(_mm256_srli_epi32(g1, 8), lowBytes), b));
        // per 128-bit lane: pixels (0, 1) in lo, (2, 3) in hi, each as c0 c1 c2 junk
        const __m256i lo = _mm256_shuffle_epi8(_mm256_unpacklo_epi16(even, odd), pack);
        const __m256i hi = _mm256_shuffle_epi8(_mm256_unpackhi_epi16(even, odd), pack);
        uint16_t *o = line + 3 * x;
        _mm_storeu_si128((__m128i *)o, _mm256_castsi256_si128(lo));
        _mm_storeu_si128((__m128i *)(o + 6), _mm256_castsi256_si128(hi));
        _mm_storeu_si128((__m128i *)(o + 12), _mm256_extracti128_si256(lo, 1));
        _mm_storeu_si128((__m128i *)(o + 18), _mm256_extracti128_si256(hi, 1));
    }
    (void)count;
    return x;
}

/// 1 channel: the two taps' bytes gathered as 32-bit words, weighted in 32 bits, packed to 16.
CK_AVX2 static size_t ck_rle_h_gray_avx2(const uint8_t *row, uint16_t *line, size_t vecEnd, const int32_t *off0,
                                         const int32_t *off1, const int32_t *w0, const int32_t *w1) {
    const __m256i byte0 = _mm256_set1_epi32(0xff);
    size_t x = 0;
    for (; x + 16 <= vecEnd; x += 16) {
        __m256i r[2];
        for (int h = 0; h < 2; h++) {
            const size_t i = x + 8 * (size_t)h;
            const __m256i g0 = _mm256_i32gather_epi32((const int *)row, _mm256_loadu_si256((const __m256i *)(off0 + i)), 1);
            const __m256i g1 = _mm256_i32gather_epi32((const int *)row, _mm256_loadu_si256((const __m256i *)(off1 + i)), 1);
            r[h] = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_and_si256(g0, byte0), _mm256_loadu_si256((const __m256i *)(w0 + i))),
                                    _mm256_mullo_epi32(_mm256_and_si256(g1, byte0), _mm256_loadu_si256((const __m256i *)(w1 + i))));
        }
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(r[0], r[1]), 0xd8);
        _mm256_storeu_si256((__m256i *)(line + x), packed);
    }
    return x;
}
#endif

void ck_resize_linear_exact_h_u8(const uint8_t *row, size_t rowBytes, uint16_t *line, size_t count, int cn,
                                 const int32_t *off0, const int32_t *off1, const int32_t *w0, const int32_t *w1) {
    size_t x = 0;
#if defined(__x86_64__)
    if ((cn == 1 || cn == 3) && ck_has_avx2()) {
        // Vector blocks only while every gathered 4-byte word lies inside the row (offsets
        // never decrease, so the first pixel whose word would not fits ends them).
        size_t vecEnd = count;
        while (vecEnd > 0 && (size_t)off1[vecEnd - 1] + 4 > rowBytes) vecEnd--;
        x = cn == 3 ? ck_rle_h_rgb_avx2(row, line, count, vecEnd, off0, off1, w0, w1)
                    : ck_rle_h_gray_avx2(row, line, vecEnd, off0, off1, w0, w1);
    }
#endif
    ck_rle_h_scalar(row, x, line, count, cn, off0, off1, w0, w1);
}

CK_INLINE void ck_rle_v_body(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1,
                             uint8_t *dst) {
    // a, b ≤ 255·256 and w0 + w1 = 256: the sum fits 32 bits; fixed trip count per element,
    // so the compiler vectorises it (8 lanes of 32 bits with AVX2).
    for (size_t i = 0; i < count; i++) dst[i] = (uint8_t)(((uint32_t)a[i] * w0 + (uint32_t)b[i] * w1 + 32768u) >> 16);
}

static void ck_rle_v_base(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1, uint8_t *dst) {
    ck_rle_v_body(a, b, count, w0, w1, dst);
}
CK_AVX2 static void ck_rle_v_avx2(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1,
                                  uint8_t *dst) {
    ck_rle_v_body(a, b, count, w0, w1, dst);
}

/// The same loop vectorised over 16 lanes of 32 bits.
CK_AVX512 static void ck_rle_v_avx512(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1,
                                      uint8_t *dst) {
    ck_rle_v_body(a, b, count, w0, w1, dst);
}

#if defined(__x86_64__)
/// The same integers on 16-bit lanes: with both lines offset by −2¹⁵ they fit signed 16 bits,
/// so one `vpmaddwd` of the interleaved lines makes a·w0 + b·w1 − 2¹⁵·256 for 16 values; adding
/// 2¹⁵·256 + 2¹⁵ back restores the rounding sum exactly. Unpack and pack both work within
/// 128-bit lanes, so the values come out in order. Half the lane width of the 32-bit form and
/// no 32-bit multiplies.
CK_AVX512BW static void ck_rle_v_avx512bw(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1,
                                          uint8_t *dst) {
    const __m512i flip = _mm512_set1_epi16((short)0x8000);
    const __m512i w = _mm512_set1_epi32((int)((w1 << 16) | w0));
    const __m512i bias = _mm512_set1_epi32(32768 * 256 + 32768);
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        const __m512i x = _mm512_xor_si512(_mm512_loadu_si512(a + i), flip);
        const __m512i y = _mm512_xor_si512(_mm512_loadu_si512(b + i), flip);
        const __m512i lo = _mm512_srli_epi32(_mm512_add_epi32(_mm512_madd_epi16(_mm512_unpacklo_epi16(x, y), w), bias), 16);
        const __m512i hi = _mm512_srli_epi32(_mm512_add_epi32(_mm512_madd_epi16(_mm512_unpackhi_epi16(x, y), w), bias), 16);
        _mm256_storeu_si256((__m256i *)(dst + i), _mm512_cvtepi16_epi8(_mm512_packus_epi32(lo, hi)));
    }
    ck_rle_v_body(a + i, b + i, count - i, w0, w1, dst + i);
}
#endif

void ck_resize_linear_exact_v_u8(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1,
                                 uint8_t *dst) {
#if defined(__x86_64__)
    if (ck_has_avx512bw()) { ck_rle_v_avx512bw(a, b, count, w0, w1, dst); return; }
#endif
    if (ck_has_avx512()) ck_rle_v_avx512(a, b, count, w0, w1, dst);
    else if (ck_has_avx2()) ck_rle_v_avx2(a, b, count, w0, w1, dst);
    else ck_rle_v_base(a, b, count, w0, w1, dst);
}

// MARK: - Planned horizontal pass (AVX-512 VBMI)
//
// The two taps of an output pixel are adjacent source pixels, so the sources of 16 consecutive
// output values (pixels × channels) lie within a short run of the row whenever the scale is
// below about 7: one 128-byte window, two loads, and one two-register byte permutation
// (`vpermi2b`) puts every value's two source bytes side by side as zero-extended 16-bit lanes,
// which one `vpmaddwd` weights and sums. The plan (per group of 16 values: the window's start,
// the 64 permutation bytes and the 32 weights) is built once per resize. Integer arithmetic:
// the same values as the other paths.

enum { CK_RLE_GROUP = 16, CK_RLE_SPAN = 128 };

size_t ck_resize_linear_exact_h_groups(size_t count, int cn) {
    return (count * (size_t)cn + CK_RLE_GROUP - 1) / CK_RLE_GROUP;
}

int ck_resize_linear_exact_h_plan(size_t count, int cn, const int32_t *off0, const int32_t *off1, const int32_t *w0,
                                  const int32_t *w1, int32_t *start, uint8_t *index, int16_t *weights) {
#if defined(__x86_64__)
    if (!ck_has_avx512vbmi()) return 0;
#else
    return 0;
#endif
    const size_t values = count * (size_t)cn, groups = ck_resize_linear_exact_h_groups(count, cn);
    for (size_t g = 0; g < groups; g++) {
        const size_t v0 = g * CK_RLE_GROUP;
        const int32_t s = off0[v0 / (size_t)cn];
        start[g] = s;
        for (size_t j = 0; j < CK_RLE_GROUP; j++) {
            const size_t v = v0 + j;
            uint8_t *ix = index + g * 64 + 4 * j;
            int16_t *wt = weights + g * 32 + 2 * j;
            ix[0] = ix[1] = ix[2] = ix[3] = 0;
            wt[0] = wt[1] = 0;
            if (v >= values) continue;
            const size_t x = v / (size_t)cn, c = v % (size_t)cn;
            const int32_t a = off0[x] + (int32_t)c - s, b = off1[x] + (int32_t)c - s;
            if (a < 0 || b < 0 || a >= CK_RLE_SPAN || b >= CK_RLE_SPAN) return 0;
            ix[0] = (uint8_t)a; ix[2] = (uint8_t)b;
            wt[0] = (int16_t)w0[x]; wt[1] = (int16_t)w1[x];
        }
    }
    return 1;
}

#if defined(__x86_64__)
CK_AVX512VBMI static inline __mmask64 ck_rle_bytes_mask(int64_t n) {
    return n >= 64 ? ~(__mmask64)0 : n <= 0 ? 0 : (((__mmask64)1 << n) - 1);
}

CK_AVX512VBMI static void ck_rle_h_planned_vbmi(const uint8_t *row, size_t rowBytes, uint16_t *line, size_t values,
                                                const int32_t *start, const uint8_t *index, const int16_t *weights) {
    const __mmask64 lowBytes = 0x5555555555555555ull;  // byte 0 of each 16-bit lane; byte 1 zero
    const size_t groups = (values + CK_RLE_GROUP - 1) / CK_RLE_GROUP;
    // Whole groups whose 128-byte window lies inside the row: plain loads and stores (a
    // narrowing store straight to memory is slow on some cores, so it goes through a register).
    size_t g = 0;
    for (; g < values / CK_RLE_GROUP && (size_t)start[g] + CK_RLE_SPAN <= rowBytes; g++) {
        const uint8_t *p = row + start[g];
        const __m512i pairs = _mm512_maskz_permutex2var_epi8(lowBytes, _mm512_loadu_si512(p), _mm512_loadu_si512(index + g * 64),
                                                             _mm512_loadu_si512(p + 64));
        const __m512i sums = _mm512_madd_epi16(pairs, _mm512_loadu_si512(weights + g * 32));
        _mm256_storeu_si256((__m256i *)(line + g * CK_RLE_GROUP), _mm512_cvtepi32_epi16(sums));
    }
    for (; g < groups; g++) {
        const uint8_t *p = row + start[g];
        const int64_t left = (int64_t)rowBytes - (int64_t)start[g];
        const __m512i lo = _mm512_maskz_loadu_epi8(ck_rle_bytes_mask(left), p);
        const __m512i hi = _mm512_maskz_loadu_epi8(ck_rle_bytes_mask(left - 64), p + 64);
        const __m512i pairs = _mm512_maskz_permutex2var_epi8(lowBytes, lo, _mm512_loadu_si512(index + g * 64), hi);
        const __m512i sums = _mm512_madd_epi16(pairs, _mm512_loadu_si512(weights + g * 32));
        const size_t n = values - g * CK_RLE_GROUP < CK_RLE_GROUP ? values - g * CK_RLE_GROUP : CK_RLE_GROUP;
        const __m256i narrow = _mm512_cvtepi32_epi16(sums);
        _mm256_mask_storeu_epi16(line + g * CK_RLE_GROUP, (__mmask16)((1u << n) - 1u), narrow);
    }
}
#endif

void ck_resize_linear_exact_h_u8_planned(const uint8_t *row, size_t rowBytes, uint16_t *line, size_t values,
                                         const int32_t *start, const uint8_t *index, const int16_t *weights) {
#if defined(__x86_64__)
    ck_rle_h_planned_vbmi(row, rowBytes, line, values, start, index, weights);
#else
    (void)row; (void)rowBytes; (void)line; (void)values; (void)start; (void)index; (void)weights;
#endif
}
