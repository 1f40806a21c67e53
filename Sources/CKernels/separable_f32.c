// Float separable convolution over column tiles. See GaussianBlur.swift (separableFloat), which
// builds the plan and runs stripes of rows on the worker pool.
//
// A stripe is processed one column tile at a time (TW samples of the interleaved row). For each
// tile a ring of taps_y + 1 horizontally filtered tile rows is small enough to stay in L1, so the
// vertical taps read L1 instead of full-width rows from L2, and two output rows are made per
// step (ck_conv_v2_f32), so the rows both need are loaded once. Source samples are converted to
// Float per tile segment and outputs rounded per tile row, both while they are in L1.
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

enum { CK_DEPTH_U8 = 0, CK_DEPTH_U16 = 1, CK_DEPTH_F32 = 2 };

static size_t ck_depth_size(int depth) { return depth == CK_DEPTH_U8 ? 1 : depth == CK_DEPTH_U16 ? 2 : 4; }

static float ck_sample_f32(const void *row, int depth, size_t i) {
    switch (depth) {
    case CK_DEPTH_U8: return (float)((const uint8_t *)row)[i];
    case CK_DEPTH_U16: return (float)((const uint16_t *)row)[i];
    default: return ((const float *)row)[i];
    }
}

static void ck_convert_to_f32(const void *row, int depth, size_t start, size_t count, float *out) {
    switch (depth) {
    case CK_DEPTH_U8: ck_u8_to_f32((const uint8_t *)row + start, out, count); break;
    case CK_DEPTH_U16: ck_u16_to_f32((const uint16_t *)row + start, out, count); break;
    default: memcpy(out, (const float *)row + start, count * sizeof(float)); break;
    }
}

// out[q] = sample j0 + q of the padded row (j < 0 and j ≥ n are border samples, mapped through
// col_index), as Float; row == NULL is a constant row.
static void ck_load_padded_segment(const ck_sep_f32_plan *p, const void *row, long j0, size_t len, float *out) {
    const long cn = (long)p->cn, n = (long)(p->width * p->cn), rx = p->taps_x / 2;
    if (!row) {
        for (size_t q = 0; q < len; q++) out[q] = p->constant;
        return;
    }
    const long j1 = j0 + (long)len;
    const long a = j0 > 0 ? j0 : 0, b = j1 < n ? j1 : n;
    for (long j = j0; j < j1; j++) {
        if (j == a && a < b) {  // the part inside the row, converted in one call
            ck_convert_to_f32(row, p->src_depth, (size_t)a, (size_t)(b - a), out + (a - j0));
            j = b - 1;
            continue;
        }
        const long col = j >= 0 ? j / cn : -((-j + cn - 1) / cn);
        const long ch = j - col * cn;
        const int32_t s = p->col_index[col + rx];
        out[j - j0] = s < 0 ? p->constant : ck_sample_f32(row, p->src_depth, (size_t)s * (size_t)cn + (size_t)ch);
    }
}

// Tiles read short segments of many rows, a pattern the hardware prefetchers follow poorly:
// ask for the segment of a row a few steps ahead.
#define CK_SEP_PREFETCH_ROWS 4

static void ck_prefetch_segment(const char *start, size_t bytes, int write) {
    for (size_t o = 0; o < bytes; o += 64) {
        if (write)
            __builtin_prefetch(start + o, 1, 3);
        else
            __builtin_prefetch(start + o, 0, 3);
    }
}

static void ck_store_row(const ck_sep_f32_plan *p, const float *v, size_t y, size_t s0, size_t len) {
    const size_t at = y * p->dst_stride + s0;
    switch (p->dst_depth) {
    case CK_DEPTH_U8: ck_f32_to_u8(v, (uint8_t *)p->dst + at, len); break;
    case CK_DEPTH_U16: ck_f32_to_u16(v, (uint16_t *)p->dst + at, len); break;
    default: break;  // Float rows are written in place by the vertical kernel
    }
}

int ck_sep_f32_rows(const ck_sep_f32_plan *p, size_t y0, size_t y1) {
    const size_t cn = p->cn, n = p->width * cn;
    const int rx = p->taps_x / 2, ry = p->taps_y / 2, slots = p->taps_y + 1;
    if (n == 0 || y0 >= y1) return 0;
    // A ring of about 28 KiB (most of a 32 KiB L1, so the filtered rows stay in L1; see
    // docs/performance.md), in whole blocks of 64 samples.
    size_t tw = (size_t)(7168 / slots) & ~(size_t)63;
    if (tw < 64) tw = 64;
    if (tw > n) tw = n;
    const size_t halo = (size_t)rx * cn;
    const size_t ringLength = (size_t)slots * tw, padLength = tw + 2 * halo;
    float *buffer = (float *)aligned_alloc(64, ((ringLength + padLength + 2 * tw + 15) & ~(size_t)15) * sizeof(float));
    const float **rows = (const float **)malloc((size_t)slots * sizeof(float *));
    if (!buffer || !rows) {
        free(buffer);
        free(rows);
        return -1;
    }
    float *ring = buffer, *pad = ring + ringLength, *tmp = pad + padLength;
    const size_t esize = ck_depth_size(p->src_depth), dsize = ck_depth_size(p->dst_depth);
    const long first = (long)y0 - ry;  // virtual row in ring slot 0
    for (size_t s0 = 0; s0 < n; s0 += tw) {
        const size_t len = n - s0 < tw ? n - s0 : tw;
        const int inside = s0 >= halo && s0 + len + halo <= n;
        long next = first;
        for (size_t y = y0; y < y1;) {
            const int two = y + 1 < y1;
            const long need = (long)y + ry + two;
            for (; next <= need; next++) {
                const int32_t sr = p->row_index[next + ry];
                const void *row = sr < 0 ? NULL : (const char *)p->src + (size_t)sr * p->src_stride * esize;
                float *slot = ring + (size_t)((next - first) % slots) * tw;
                const long ahead = next + ry + CK_SEP_PREFETCH_ROWS;
                if (ahead < (long)p->height + 2 * ry && p->row_index[ahead] >= 0) {
                    const long lo = (long)s0 - (long)halo > 0 ? (long)s0 - (long)halo : 0;
                    const long hi = (long)(s0 + len + halo) < (long)n ? (long)(s0 + len + halo) : (long)n;
                    ck_prefetch_segment((const char *)p->src + ((size_t)p->row_index[ahead] * p->src_stride + (size_t)lo) * esize,
                                        (size_t)(hi - lo) * esize, 0);
                }
                const float *in = pad;
                if (row && inside && p->src_depth == CK_DEPTH_F32)
                    in = (const float *)row + (s0 - halo);
                else
                    ck_load_padded_segment(p, row, (long)s0 - (long)halo, len + 2 * halo, pad);
                ck_conv_h_f32(in, slot, len, cn, p->kx, p->taps_x);
            }
            int slot = (int)(((long)y - ry - first) % slots);
            for (int k = 0; k < p->taps_y + two; k++) {
                rows[k] = ring + (size_t)slot * tw;
                if (++slot == slots) slot = 0;
            }
            if (y + CK_SEP_PREFETCH_ROWS + 1 < y1) {
                const char *d = (const char *)p->dst + ((y + CK_SEP_PREFETCH_ROWS) * p->dst_stride + s0) * dsize;
                ck_prefetch_segment(d, len * dsize, 1);
                ck_prefetch_segment(d + p->dst_stride * dsize, len * dsize, 1);
            }
            float *o0 = tmp, *o1 = tmp + tw;
            if (p->dst_depth == CK_DEPTH_F32) {
                o0 = (float *)p->dst + y * p->dst_stride + s0;
                o1 = o0 + p->dst_stride;
            }
            if (two && p->dst_depth == CK_DEPTH_U8) {
                uint8_t *d0 = (uint8_t *)p->dst + y * p->dst_stride + s0;
                ck_conv_v2_f32_u8(rows, d0, d0 + p->dst_stride, len, p->ky, p->taps_y, p->delta, o0, o1);
            } else if (two) {
                ck_conv_v2_f32(rows, o0, o1, len, p->ky, p->taps_y, p->delta);
                ck_store_row(p, o0, y, s0, len);
                ck_store_row(p, o1, y + 1, s0, len);
            } else {
                ck_conv_v_f32(rows, o0, len, p->ky, p->taps_y, p->delta);
                ck_store_row(p, o0, y, s0, len);
            }
            y += 1 + (size_t)two;
        }
    }
    free(buffer);
    free(rows);
    return 0;
}
