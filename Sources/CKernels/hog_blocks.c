// Gaussian-weighted HOG blocks for OpenCV's block geometry (16×16-pixel blocks of 2×2 cells of
// 8 pixels, 8-pixel block stride, two interpolated orientation votes per pixel, 9 bins): the
// horizontal weighted sums of one row of votes and the vertical weighted sums of a block.
// See HOGBlockWeights in HOG.swift (CVFeatures) for the factorisation.
#include "kernels.h"
#include "ck_dispatch.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { CK_HB_BINS = 9, CK_HB_ROW = 18 };

/// Portable form: each pixel scatters into the two block columns containing it.
static void ck_hog_row_sums_scalar(const uint8_t *b0, const uint8_t *b1, const float *m0, const float *m1,
                                   size_t blocksX, const float *colW, float *out) {
    for (size_t bx = 0; bx < blocksX; bx++) {
        float *r = out + bx * CK_HB_ROW;
        for (int k = 0; k < CK_HB_ROW; k++) r[k] = 0;
        for (int j = 0; j < 16; j++) {
            const size_t x = bx * 8 + (size_t)j;
            for (int cx = 0; cx < 2; cx++) {
                const float w = colW[2 * j + cx];
                if (w == 0) continue;
                r[cx * CK_HB_BINS + b0[x]] += m0[x] * w;
                r[cx * CK_HB_BINS + b1[x]] += m1[x] * w;
            }
        }
    }
}

#if defined(__x86_64__)
/// One 8-pixel segment of the row in both of its roles: as the left half of the block starting
/// at it and the right half of the block before. Bins 0–7 of each (role, cell) are one
/// register, accumulated over the segment's pixels from one-hot rows (bin 8's row is zero);
/// bin 8 is summed across the segment's pixels at once and reduced horizontally.
typedef struct { __m256 l0, l1, r0, r1; __m128 bin8; } ck_hb_segment;

/// Bin 8 of a segment: summed across the segment's pixels at once and reduced horizontally
/// (only `bin8` of the result is set).
CK_AVX2_FMA static inline ck_hb_segment ck_hb_segment_sums_bin8(const uint8_t *b0, const uint8_t *b1, const float *m0,
                                                                const float *m1, const float (*w)[8]) {
    ck_hb_segment s;
    s.l0 = _mm256_setzero_ps(); s.l1 = s.l0; s.r0 = s.l0; s.r1 = s.l0;
    const __m256i eight = _mm256_set1_epi32(8);
    const __m256i i0 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)b0));
    const __m256i i1 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)b1));
    const __m256 t8 = _mm256_add_ps(_mm256_and_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(i0, eight)), _mm256_loadu_ps(m0)),
                                    _mm256_and_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(i1, eight)), _mm256_loadu_ps(m1)));
    const __m256 h01 = _mm256_hadd_ps(_mm256_mul_ps(t8, _mm256_loadu_ps(w[0])), _mm256_mul_ps(t8, _mm256_loadu_ps(w[1])));
    const __m256 h23 = _mm256_hadd_ps(_mm256_mul_ps(t8, _mm256_loadu_ps(w[2])), _mm256_mul_ps(t8, _mm256_loadu_ps(w[3])));
    const __m256 h = _mm256_hadd_ps(h01, h23);  // per 128-bit half: (l0, l1, r0, r1)
    s.bin8 = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    return s;
}

CK_AVX2_FMA static inline ck_hb_segment ck_hb_segment_sums(const uint8_t *b0, const uint8_t *b1, const float *m0,
                                                           const float *m1, const float (*w)[8],
                                                           const float *slide) {
    ck_hb_segment s;
    s.l0 = _mm256_setzero_ps(); s.l1 = s.l0; s.r0 = s.l0; s.r1 = s.l0;
    for (int j = 0; j < 8; j++) {
        const __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(slide + b1[j]), _mm256_broadcast_ss(m1 + j),
                                         _mm256_mul_ps(_mm256_loadu_ps(slide + b0[j]), _mm256_broadcast_ss(m0 + j)));
        s.l0 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(&w[0][j]), s.l0);
        s.l1 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(&w[1][j]), s.l1);
        s.r0 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(&w[2][j]), s.r0);
        s.r1 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(&w[3][j]), s.r1);
    }
    const ck_hb_segment t = ck_hb_segment_sums_bin8(b0, b1, m0, m1, w);
    s.bin8 = t.bin8;
    return s;
}

/// Two consecutive segments in one loop over their pixels: each segment's sums are the same
/// chain of FMAs as ck_hb_segment_sums (the same bits), but the two segments' 8 chains are
/// independent, so their latencies overlap (one segment's 4 chains wait on each other).
CK_AVX2_FMA static inline void ck_hb_segment_pair(const uint8_t *b0, const uint8_t *b1, const float *m0,
                                                  const float *m1, const float (*w)[8], const float *slide,
                                                  ck_hb_segment *first, ck_hb_segment *second) {
    __m256 acc[2][4];
    for (int h = 0; h < 2; h++)
        for (int r = 0; r < 4; r++) acc[h][r] = _mm256_setzero_ps();
    for (int j = 0; j < 8; j++)
        for (int h = 0; h < 2; h++) {
            const int x = 8 * h + j;
            const __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(slide + b1[x]), _mm256_broadcast_ss(m1 + x),
                                             _mm256_mul_ps(_mm256_loadu_ps(slide + b0[x]), _mm256_broadcast_ss(m0 + x)));
            for (int r = 0; r < 4; r++) acc[h][r] = _mm256_fmadd_ps(v, _mm256_broadcast_ss(&w[r][j]), acc[h][r]);
        }
    // bin 8 of each segment as in ck_hb_segment_sums
    *first = ck_hb_segment_sums_bin8(b0, b1, m0, m1, w);
    *second = ck_hb_segment_sums_bin8(b0 + 8, b1 + 8, m0 + 8, m1 + 8, w);
    first->l0 = acc[0][0]; first->l1 = acc[0][1]; first->r0 = acc[0][2]; first->r1 = acc[0][3];
    second->l0 = acc[1][0]; second->l1 = acc[1][1]; second->r0 = acc[1][2]; second->r1 = acc[1][3];
}

CK_AVX2_FMA static inline void ck_hb_emit(ck_hb_segment prev, ck_hb_segment cur, float *r) {
    const __m256i reverse = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);  // lane 7 − b holds bin b
    float b8[4];
    _mm_storeu_ps(b8, _mm_add_ps(prev.bin8, _mm_movehl_ps(cur.bin8, cur.bin8)));  // (l0 + r0, l1 + r1)
    _mm256_storeu_ps(r, _mm256_permutevar8x32_ps(_mm256_add_ps(prev.l0, cur.r0), reverse));
    r[8] = b8[0];
    _mm256_storeu_ps(r + 9, _mm256_permutevar8x32_ps(_mm256_add_ps(prev.l1, cur.r1), reverse));
    r[17] = b8[1];
}

CK_AVX2_FMA static void ck_hog_row_sums_avx2(const uint8_t *b0, const uint8_t *b1, const float *m0, const float *m1,
                                             size_t blocksX, const float *colW, float *out) {
    // w[role·2 + cell][j]: the weight of segment pixel j as the left (role 0, block column j)
    // or right (role 1, block column 8 + j) half of a block, towards the block's cell.
    float w[4][8];
    for (int j = 0; j < 8; j++) {
        w[0][j] = colW[2 * j]; w[1][j] = colW[2 * j + 1];
        w[2][j] = colW[2 * (j + 8)]; w[3][j] = colW[2 * (j + 8) + 1];
    }
    // One-hot rows as sliding windows of one table: the 8 Floats at slide + b have their 1 in
    // lane 7 − b (b = 8 reads zeros), so a row's address is the table plus 4·b, an addressing
    // mode, instead of a shift and an add per vote; the sums hold bins in reverse lane order
    // until ck_hb_emit.
    _Alignas(64) static const float table[16] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    const float *oh = table;
    const float (*wc)[8] = (const float (*)[8])w;
    ck_hb_segment prev = ck_hb_segment_sums(b0, b1, m0, m1, wc, oh);
    size_t s = 1;
    for (; s + 1 <= blocksX; s += 2) {
        const size_t x = s * 8;
        ck_hb_segment cur, next;
        ck_hb_segment_pair(b0 + x, b1 + x, m0 + x, m1 + x, wc, oh, &cur, &next);
        ck_hb_emit(prev, cur, out + (s - 1) * CK_HB_ROW);
        ck_hb_emit(cur, next, out + s * CK_HB_ROW);
        prev = next;
    }
    for (; s <= blocksX; s++) {
        const size_t x = s * 8;
        const ck_hb_segment cur = ck_hb_segment_sums(b0 + x, b1 + x, m0 + x, m1 + x, wc, oh);
        ck_hb_emit(prev, cur, out + (s - 1) * CK_HB_ROW);
        prev = cur;
    }
}
#endif

void ck_hog_row_sums_16x8(const uint8_t *b0, const uint8_t *b1, const float *m0, const float *m1, size_t blocksX,
                          const float *colW, float *out) {
#if defined(__x86_64__)
    if (ck_has_avx2_fma()) { ck_hog_row_sums_avx2(b0, b1, m0, m1, blocksX, colW, out); return; }
#endif
    ck_hog_row_sums_scalar(b0, b1, m0, m1, blocksX, colW, out);
}

/// The block's two cell rows as 18-wide weighted sums of its 16 rows of row sums, written in
/// the block's order. Fixed trip counts: the compiler vectorises each row's 18 lanes.
CK_INLINE void ck_hog_block_body(const float *const *rows, size_t offset, const float *rowW, int columnMajor,
                                 float *dst) {
    float a0[CK_HB_ROW] = {0}, a1[CK_HB_ROW] = {0};
    for (int i = 0; i < 16; i++) {
        const float *r = rows[i] + offset;
        const float w0 = rowW[2 * i], w1 = rowW[2 * i + 1];
        for (int k = 0; k < CK_HB_ROW; k++) { a0[k] += w0 * r[k]; a1[k] += w1 * r[k]; }
    }
    for (int cx = 0; cx < 2; cx++)
        for (int b = 0; b < CK_HB_BINS; b++) {
            // cell (cx, cy) goes to (cx·2 + cy)·9 column by column, (cy·2 + cx)·9 row by row
            dst[(columnMajor ? cx * 2 : cx) * CK_HB_BINS + b] = a0[cx * CK_HB_BINS + b];
            dst[(columnMajor ? cx * 2 + 1 : 2 + cx) * CK_HB_BINS + b] = a1[cx * CK_HB_BINS + b];
        }
}

static void ck_hog_block_base(const float *const *rows, size_t offset, const float *rowW, int columnMajor, float *dst) {
    ck_hog_block_body(rows, offset, rowW, columnMajor, dst);
}
CK_AVX2_FMA static void ck_hog_block_avx2(const float *const *rows, size_t offset, const float *rowW, int columnMajor,
                                          float *dst) {
    ck_hog_block_body(rows, offset, rowW, columnMajor, dst);
}

void ck_hog_block_16x8(const float *const *rows, size_t offset, const float *rowW, int columnMajor, float *dst) {
    if (ck_has_avx2_fma()) ck_hog_block_avx2(rows, offset, rowW, columnMajor, dst);
    else ck_hog_block_base(rows, offset, rowW, columnMajor, dst);
}

#if defined(__x86_64__)
enum { CK_HB_GROUP = 8 };  // blocks per step: 8 · 18 = 144 Floats = 9 registers per cell row

/// The block's two 18-wide sums (a0: cell row 0, a1: cell row 1) in its order, as
/// ck_hog_block_body places them.
static inline void ck_hog_block_place(const float *a0, const float *a1, int columnMajor, float *dst) {
    for (int cx = 0; cx < 2; cx++) {
        memcpy(dst + (columnMajor ? cx * 2 : cx) * CK_HB_BINS, a0 + cx * CK_HB_BINS, CK_HB_BINS * sizeof(float));
        memcpy(dst + (columnMajor ? cx * 2 + 1 : 2 + cx) * CK_HB_BINS, a1 + cx * CK_HB_BINS, CK_HB_BINS * sizeof(float));
    }
}

/// Eight blocks at once: their row sums are 144 consecutive Floats of every row, so the
/// vertical sums run in whole 16-lane registers (a block alone fills 18 lanes: two 8-lane and
/// one 4-lane register for 18 values). Each value is the same chain of FMAs over the 16 rows
/// as in ck_hog_block_body (the same bits).
CK_AVX512 static void ck_hog_block_group_avx512(const float *const *rows, size_t offset, const float *rowW,
                                                int columnMajor, float *dst) {
    enum { V = CK_HB_GROUP * CK_HB_ROW / 16 };
    __m512 a0[V], a1[V];
    for (int v = 0; v < V; v++) a0[v] = a1[v] = _mm512_setzero_ps();
    for (int i = 0; i < 16; i++) {
        const float *r = rows[i] + offset;
        const __m512 w0 = _mm512_set1_ps(rowW[2 * i]), w1 = _mm512_set1_ps(rowW[2 * i + 1]);
        for (int v = 0; v < V; v++) {
            const __m512 x = _mm512_loadu_ps(r + 16 * v);
            a0[v] = _mm512_fmadd_ps(w0, x, a0[v]);
            a1[v] = _mm512_fmadd_ps(w1, x, a1[v]);
        }
    }
    float s0[CK_HB_GROUP * CK_HB_ROW], s1[CK_HB_GROUP * CK_HB_ROW];
    for (int v = 0; v < V; v++) { _mm512_storeu_ps(s0 + 16 * v, a0[v]); _mm512_storeu_ps(s1 + 16 * v, a1[v]); }
    for (int b = 0; b < CK_HB_GROUP; b++)
        ck_hog_block_place(s0 + b * CK_HB_ROW, s1 + b * CK_HB_ROW, columnMajor, dst + b * 2 * CK_HB_ROW);
}
#endif

void ck_hog_block_row_16x8(const float *const *rows, size_t blocksX, const float *rowW, int columnMajor, float *dst) {
    size_t bx = 0;
#if defined(__x86_64__)
    if (ck_has_avx512())
        for (; bx + CK_HB_GROUP <= blocksX; bx += CK_HB_GROUP)
            ck_hog_block_group_avx512(rows, bx * CK_HB_ROW, rowW, columnMajor, dst + bx * 2 * CK_HB_ROW);
#endif
    for (; bx < blocksX; bx++) ck_hog_block_16x8(rows, bx * CK_HB_ROW, rowW, columnMajor, dst + bx * 2 * CK_HB_ROW);
}

