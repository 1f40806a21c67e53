// Running-sum box filter row kernels (Double sums of Float samples). See GuidedFilter.swift.
#include "kernels.h"
#include "ck_dispatch.h"

// A running sum is a serial chain of dependent additions (one add latency per sample). The row
// is cut into CK_HSUM_SEGMENTS runs of whole pixels, each starting from a directly summed
// window, and the runs are walked in lockstep: segments × channels independent chains.
#define CK_HSUM_SEGMENTS 4

CK_INLINE void ck_box_hsum_f32f64_cn(const float *restrict pad, double *restrict dst, size_t pixels, const size_t cn,
                                     size_t taps) {
    enum { K = CK_HSUM_SEGMENTS };
    const size_t seg = pixels / K, last = pixels - (K - 1) * seg;
    double s[K][4];
    for (size_t k = 0; k < K; k++)
        for (size_t c = 0; c < cn; c++) {
            double v = 0;
            for (size_t t = 0; t < taps; t++) v += pad[(k * seg + t) * cn + c];
            s[k][c] = v;
        }
    for (size_t k = 0; k < K; k++)
        for (size_t c = 0; c < cn; c++) dst[k * seg * cn + c] = s[k][c];
    for (size_t j = 1; j < seg; j++)
        for (size_t k = 0; k < K; k++) {
            const size_t p = k * seg + j;
            for (size_t c = 0; c < cn; c++) {
                s[k][c] += (double)pad[(p - 1 + taps) * cn + c] - (double)pad[(p - 1) * cn + c];
                dst[p * cn + c] = s[k][c];
            }
        }
    for (size_t j = seg > 0 ? seg : 1; j < last; j++) {
        const size_t p = (K - 1) * seg + j;
        for (size_t c = 0; c < cn; c++) {
            s[K - 1][c] += (double)pad[(p - 1 + taps) * cn + c] - (double)pad[(p - 1) * cn + c];
            dst[p * cn + c] = s[K - 1][c];
        }
    }
}

void ck_box_hsum_f32f64(const float *pad, double *dst, size_t n, size_t cn, int r) {
    const size_t taps = (size_t)(2 * r + 1);
    if (cn >= 1 && cn <= 4 && n % cn == 0 && n / cn >= 4 * CK_HSUM_SEGMENTS) {
        switch (cn) {
        case 1: ck_box_hsum_f32f64_cn(pad, dst, n, 1, taps); return;
        case 2: ck_box_hsum_f32f64_cn(pad, dst, n / 2, 2, taps); return;
        case 3: ck_box_hsum_f32f64_cn(pad, dst, n / 3, 3, taps); return;
        default: ck_box_hsum_f32f64_cn(pad, dst, n / 4, 4, taps); return;
        }
    }
    // Short rows (and other channel counts): one chain per channel.
    const size_t span = taps * cn;
    for (size_t c = 0; c < cn && c < n; c++) {
        double s = 0;
        for (size_t t = c; t < span; t += cn) s += pad[t];
        dst[c] = s;
    }
    for (size_t i = cn; i < n; i++) dst[i] = dst[i - cn] + ((double)pad[i - cn + span] - (double)pad[i - cn]);
}

CK_INLINE void ck_box_vupdate_f64_body(double *restrict col, const double *restrict add, const double *restrict sub,
                                       size_t n) {
    for (size_t i = 0; i < n; i++) col[i] += add[i] - sub[i];
}
CK_MULTIVERSION(void, ck_box_vupdate_f64, (double *col, const double *add, const double *sub, size_t n),
                (col, add, sub, n))

CK_INLINE void ck_box_vadd_f64_body(double *restrict col, const double *restrict add, size_t n) {
    for (size_t i = 0; i < n; i++) col[i] += add[i];
}
CK_MULTIVERSION(void, ck_box_vadd_f64, (double *col, const double *add, size_t n), (col, add, n))

CK_INLINE void ck_scale_f64f32_body(const double *restrict src, float *restrict dst, size_t n, double scale) {
    for (size_t i = 0; i < n; i++) dst[i] = (float)(src[i] * scale);
}
CK_MULTIVERSION(void, ck_scale_f64f32, (const double *src, float *dst, size_t n, double scale), (src, dst, n, scale))

void ck_box_hsum_u32(const uint32_t *pad, uint32_t *dst, size_t n, size_t cn, int r) {
    const size_t span = (size_t)(2 * r + 1) * cn;
    // Running sums held in registers for 1 and 3 channels (no store-to-load chain).
    if (cn == 1 && n > 0) {
        uint32_t s = 0;
        for (size_t t = 0; t < span; t++) s += pad[t];
        dst[0] = s;
        for (size_t i = 1; i < n; i++) {
            s += pad[i - 1 + span] - pad[i - 1];
            dst[i] = s;
        }
        return;
    }
    if (cn == 3 && n >= 3) {
        uint32_t s0 = 0, s1 = 0, s2 = 0;
        for (size_t t = 0; t < span; t += 3) { s0 += pad[t]; s1 += pad[t + 1]; s2 += pad[t + 2]; }
        dst[0] = s0; dst[1] = s1; dst[2] = s2;
        for (size_t i = 3; i + 2 < n; i += 3) {
            const uint32_t *a = pad + i - 3 + span, *b = pad + i - 3;
            s0 += a[0] - b[0]; s1 += a[1] - b[1]; s2 += a[2] - b[2];
            dst[i] = s0; dst[i + 1] = s1; dst[i + 2] = s2;
        }
        return;
    }
    for (size_t c = 0; c < cn && c < n; c++) {
        uint32_t s = 0;
        for (size_t t = c; t < span; t += cn) s += pad[t];
        dst[c] = s;
    }
    for (size_t i = cn; i < n; i++) dst[i] = dst[i - cn] + (pad[i - cn + span] - pad[i - cn]);
}

CK_INLINE void ck_u32_to_f32_body(const uint32_t *restrict src, float *restrict dst, size_t n, float scale) {
    for (size_t i = 0; i < n; i++) dst[i] = (float)src[i] * scale;
}
CK_MULTIVERSION(void, ck_u32_to_f32, (const uint32_t *src, float *dst, size_t n, float scale), (src, dst, n, scale))

CK_INLINE void ck_vbox_pass_f32_body(const float *restrict src, size_t sstride, float *restrict dst, size_t dstride,
                                     uint8_t *restrict dst8, size_t d8stride, size_t h, size_t bw,
                                     const int32_t *rowmap, const float *restrict constRow, int r, float scale,
                                     float *restrict col) {
    // rowmap[v + r] is the source row of virtual row v (−r ≤ v < h + r + 1), or −1 for constRow.
#define CK_ROW(v) (rowmap[(v) + r] < 0 ? constRow : src + (size_t)rowmap[(v) + r] * sstride)
    for (size_t i = 0; i < bw; i++) col[i] = 0;
    for (int v = -r; v <= r; v++) {
        const float *row = CK_ROW(v);
        for (size_t i = 0; i < bw; i++) col[i] += row[i];
    }
    for (size_t y = 0; y < h; y++) {
        if (dst8) {
            uint8_t *o = dst8 + y * d8stride;
            for (size_t i = 0; i < bw; i++) {
                float v = __builtin_rintf(col[i] * scale);
                v = v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
                o[i] = (uint8_t)v;
            }
        } else {
            float *o = dst + y * dstride;
            for (size_t i = 0; i < bw; i++) o[i] = col[i] * scale;
        }
        if (y + 1 < h) {
            const float *add = CK_ROW((int)y + r + 1), *sub = CK_ROW((int)y - r);
            for (size_t i = 0; i < bw; i++) col[i] += add[i] - sub[i];
        }
    }
#undef CK_ROW
}
CK_MULTIVERSION(void, ck_vbox_pass_f32,
                (const float *src, size_t sstride, float *dst, size_t dstride, uint8_t *dst8, size_t d8stride,
                 size_t h, size_t bw, const int32_t *rowmap, const float *constRow, int r, float scale, float *col),
                (src, sstride, dst, dstride, dst8, d8stride, h, bw, rowmap, constRow, r, scale, col))

// MARK: UInt8 box filter (integer running sums)

// Window sums by doubling (windows wider than 16): B_w[i] = Σ_{t<w} pad[i + t·cn] for
// w = 2, 4, 8, …, each level from the one before with one shifted add (B_2w[i] = B_w[i] +
// B_w[i + w·cn]), and the window of `taps` as the sum of the levels of its binary digits at
// consecutive offsets, added while the next level is made; the top level is never stored.
// 21 taps: 4 vector passes over rows that stay in L1, where a running sum is one dependent
// scalar chain per channel (timing in docs/performance.md). taps ≥ 4.
CK_INLINE void ck_box_hlevels_u8u16(const uint8_t *restrict pad, uint16_t *restrict dst, size_t n, size_t cn,
                                    size_t taps, uint16_t *restrict scratch) {
    for (size_t i = 0; i < n; i++) dst[i] = (taps & 1) ? pad[i] : 0;
    size_t offset = (taps & 1) ? cn : 0;  // where the next digit's level is read
    size_t len = n + (taps - 2) * cn;     // B_2 is defined on [0, len)
    uint16_t *level = scratch, *next = scratch + len;
    for (size_t i = 0; i < len; i++) level[i] = (uint16_t)(pad[i] + pad[i + cn]);
    for (size_t w = 2;; w <<= 1) {
        const size_t step = w * cn;
        const uint16_t *b = level + offset;
        if (4 * w > taps) {  // 2w is the top digit: B_2w = B_w + B_w(+step), not stored
            if (taps & w)
                for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(dst[i] + b[i] + b[i + step] + b[i + 2 * step]);
            else
                for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(dst[i] + b[i] + b[i + step]);
            return;
        }
        const size_t nextLen = len - step;
        size_t i = 0;
        if (taps & w) {
            for (; i < n; i++) {
                dst[i] = (uint16_t)(dst[i] + b[i]);
                next[i] = (uint16_t)(level[i] + level[i + step]);
            }
            offset += step;
        }
        for (; i < nextLen; i++) next[i] = (uint16_t)(level[i] + level[i + step]);
        len = nextLen;
        uint16_t *t = level;
        level = next;
        next = t;
    }
}

CK_INLINE void ck_box_hshift_u8u16(const uint8_t *restrict pad, uint16_t *restrict dst, size_t n, size_t cn,
                                   const size_t taps) {
    for (size_t i = 0; i < n; i++) {
        uint16_t s = 0;
        for (size_t t = 0; t < taps; t++) s = (uint16_t)(s + pad[i + t * cn]);
        dst[i] = s;
    }
}

CK_INLINE void ck_box_hsum_u8u16_body(const uint8_t *restrict pad, uint16_t *restrict dst, size_t n, size_t cn,
                                      int r, uint16_t *restrict scratch) {
    const size_t taps = (size_t)(2 * r + 1);
    // Narrow windows: every tap summed in registers, 16 lanes per AVX2 instruction, no
    // dependency chain; literal tap counts let the compiler unroll the taps.
    switch (taps) {
    case 3: ck_box_hshift_u8u16(pad, dst, n, cn, 3); return;
    case 5: ck_box_hshift_u8u16(pad, dst, n, cn, 5); return;
    case 7: ck_box_hshift_u8u16(pad, dst, n, cn, 7); return;
    case 9: ck_box_hshift_u8u16(pad, dst, n, cn, 9); return;
    default: break;
    }
    if (taps <= 16) {
        for (size_t i = 0; i < n; i++) dst[i] = pad[i];
        for (size_t t = 1; t < taps; t++) {
            const uint8_t *a = pad + t * cn;
            for (size_t i = 0; i < n; i++) dst[i] = (uint16_t)(dst[i] + a[i]);
        }
        return;
    }
    // Wide windows: doubling levels.
    ck_box_hlevels_u8u16(pad, dst, n, cn, taps, scratch);
}
CK_MULTIVERSION(void, ck_box_hsum_u8u16,
                (const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, int r, uint16_t *scratch),
                (pad, dst, n, cn, r, scratch))

CK_INLINE void ck_box_vadd_u16i32_body(int32_t *restrict col, const uint16_t *restrict add, size_t n) {
    for (size_t i = 0; i < n; i++) col[i] += add[i];
}
CK_MULTIVERSION(void, ck_box_vadd_u16i32, (int32_t *col, const uint16_t *add, size_t n), (col, add, n))

CK_INLINE void ck_box_vstep_u8_body(int32_t *restrict col, const uint16_t *restrict add, const uint16_t *restrict sub,
                                    uint8_t *restrict dst, size_t n, int32_t area, int normalize) {
    if (normalize) {
        // round(col / area), exactly: the area is odd, so there are no ties, and the rounded
        // quotient is floor((col + area/2) / area). A Float estimate is within 1 of it and an
        // integer remainder check corrects it; the loop runs 8 lanes wide under AVX2.
        const int32_t half = area / 2;
        const float inv = 1.0f / (float)area;
        for (size_t i = 0; i < n; i++) {
            int32_t t = col[i] + half;
            int32_t q = (int32_t)((float)t * inv);
            int32_t rem = t - q * area;
            q += (rem >= area) - (rem < 0);
            dst[i] = (uint8_t)(q > 255 ? 255 : q);
        }
    } else {
        for (size_t i = 0; i < n; i++) dst[i] = (uint8_t)(col[i] > 255 ? 255 : col[i]);
    }
    if (add)
        for (size_t i = 0; i < n; i++) col[i] += (int32_t)add[i] - (int32_t)sub[i];
}
CK_MULTIVERSION(void, ck_box_vstep_u8,
                (int32_t *col, const uint16_t *add, const uint16_t *sub, uint8_t *dst, size_t n, int32_t area,
                 int normalize),
                (col, add, sub, dst, n, area, normalize))

// MARK: UInt8 box filter with 16-bit column sums (windows of at most 255 pixels)

CK_INLINE void ck_box_vadd_u16_body(uint16_t *restrict col, const uint16_t *restrict add, size_t n) {
    for (size_t i = 0; i < n; i++) col[i] = (uint16_t)(col[i] + add[i]);
}
CK_MULTIVERSION(void, ck_box_vadd_u16, (uint16_t *col, const uint16_t *add, size_t n), (col, add, n))

CK_INLINE void ck_box_vstep_u8u16_body(uint16_t *restrict col, const uint16_t *restrict add,
                                       const uint16_t *restrict sub, uint8_t *restrict dst, size_t n,
                                       uint16_t half, uint16_t magic, int shift, int normalize) {
    if (normalize) {
        // floor((col + half) / area) as a 16-bit multiply-high and a shift; the caller has
        // checked that the reciprocal is exact over every sum.
        for (size_t i = 0; i < n; i++) {
            uint16_t t = (uint16_t)(col[i] + half);
            uint16_t hi = (uint16_t)(((uint32_t)t * magic) >> 16);
            dst[i] = (uint8_t)(hi >> shift);
        }
    } else {
        for (size_t i = 0; i < n; i++) dst[i] = (uint8_t)(col[i] > 255 ? 255 : col[i]);
    }
    if (add)
        for (size_t i = 0; i < n; i++) col[i] = (uint16_t)(col[i] + add[i] - sub[i]);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
// The same in AVX2 intrinsics, one pass over the row: compilers widen the multiply-high to
// 32-bit lanes (vpmulld), at half the throughput of vpmulhuw.
CK_AVX2 static void ck_box_vstep_u8u16_avx2(uint16_t *restrict col, const uint16_t *restrict add,
                                            const uint16_t *restrict sub, uint8_t *restrict dst, size_t n,
                                            uint16_t half, uint16_t magic, int shift, int normalize) {
    const __m256i vhalf = _mm256_set1_epi16((short)half), vmagic = _mm256_set1_epi16((short)magic);
    const __m128i vshift = _mm_cvtsi32_si128(shift);
    const __m256i v255 = _mm256_set1_epi16(255);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(col + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(col + i + 16));
        __m256i qa, qb;
        if (normalize) {
            qa = _mm256_srl_epi16(_mm256_mulhi_epu16(_mm256_add_epi16(a, vhalf), vmagic), vshift);
            qb = _mm256_srl_epi16(_mm256_mulhi_epu16(_mm256_add_epi16(b, vhalf), vmagic), vshift);
        } else {
            qa = _mm256_min_epu16(a, v255);
            qb = _mm256_min_epu16(b, v255);
        }
        // packus works per 128-bit lane; the permute puts the 32 bytes back in order.
        __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(qa, qb), 0xD8);
        _mm256_storeu_si256((__m256i *)(dst + i), packed);
        if (add) {
            a = _mm256_sub_epi16(_mm256_add_epi16(a, _mm256_loadu_si256((const __m256i *)(add + i))),
                                 _mm256_loadu_si256((const __m256i *)(sub + i)));
            b = _mm256_sub_epi16(_mm256_add_epi16(b, _mm256_loadu_si256((const __m256i *)(add + i + 16))),
                                 _mm256_loadu_si256((const __m256i *)(sub + i + 16)));
            _mm256_storeu_si256((__m256i *)(col + i), a);
            _mm256_storeu_si256((__m256i *)(col + i + 16), b);
        }
    }
    if (i < n)
        ck_box_vstep_u8u16_body(col + i, add ? add + i : NULL, add ? sub + i : NULL, dst + i, n - i, half, magic,
                                shift, normalize);
}
#endif

void ck_box_vstep_u8u16(uint16_t *col, const uint16_t *add, const uint16_t *sub, uint8_t *dst, size_t n,
                        uint16_t half, uint16_t magic, int shift, int normalize) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (ck_has_avx2()) {
        ck_box_vstep_u8u16_avx2(col, add, sub, dst, n, half, magic, shift, normalize);
        return;
    }
#endif
    ck_box_vstep_u8u16_body(col, add, sub, dst, n, half, magic, shift, normalize);
}
