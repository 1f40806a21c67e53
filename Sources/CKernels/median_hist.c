// Constant-time 8-bit median (Perreault & Hébert, "Median Filtering in Constant Time", IEEE TIP
// 16(9), 2007, doi:10.1109/TIP.2007.902329). See MedianHistogram.swift.
//
// Every window column keeps a histogram of its k samples: 16 coarse bins (the high nibble) and
// 256 fine bins. Moving down a row costs one decrement and one increment per column. Along a
// row the kernel's coarse histogram is the sum of k column histograms, slid by one add and one
// subtract of 16 counters per pixel; only the one coarse bin that holds the median needs its 16
// fine counters, and those are brought up to date lazily (from the column where that bin was
// last used), so the cost per pixel does not depend on k. Counters are 16-bit: k² ≤ 65025.
#include <string.h>
#include "median_bilateral_kernels.h"
#include "ck_dispatch.h"

enum { CK_MH_FINE = 256, CK_MH_COARSE = 16 };

size_t ck_median_hist_scratch_bytes(size_t tw, size_t cn, int r) {
    const size_t columns = tw + 2 * (size_t)r;
    return columns * cn * (CK_MH_FINE + CK_MH_COARSE) * sizeof(uint16_t) + (CK_MH_FINE + 2 * CK_MH_COARSE) * 4;
}

CK_INLINE void ck_mh_add16(uint16_t *restrict a, const uint16_t *restrict b) {
    for (int i = 0; i < 16; i++) a[i] = (uint16_t)(a[i] + b[i]);
}
/// The bin of `h` (16 counters) holding the sample of rank `rank` when `*below` samples lie
/// below `h[0]` (at most `rank` of them); `*below` becomes the count below the found bin. The
/// walk starts at `guess`, the previous pixel's bin: neighbouring medians are close, so it
/// usually takes no step, where a scan from bin 0 costs a mispredicted exit per pixel.
CK_INLINE int ck_mh_find16(const uint16_t *h, uint32_t rank, uint32_t *below, int guess) {
    uint32_t s = *below;
    for (int i = 0; i < 16; i++) s += i < guess ? h[i] : 0;
    int b = guess;
    while (b > 0 && s > rank) s -= h[--b];
    while (s + h[b] <= rank) s += h[b++];
    *below = s;
    return b;
}
CK_INLINE void ck_mh_step16(uint16_t *restrict a, const uint16_t *restrict add, const uint16_t *restrict sub) {
    for (int i = 0; i < 16; i++) a[i] = (uint16_t)(a[i] + add[i] - sub[i]);
}

/// Adds `delta` (+1 or −1, as 16-bit wrap-around) to the column histograms for one input row.
CK_INLINE void ck_mh_row(uint16_t *fine, uint16_t *coarse, const uint8_t *row, const int32_t *cols, size_t columns,
                         size_t cn, uint8_t constant, uint16_t delta) {
    for (size_t j = 0; j < columns; j++) {
        const int32_t s = cols[j];
        for (size_t c = 0; c < cn; c++) {
            const uint8_t v = s < 0 ? constant : row[(size_t)s * cn + c];
            const size_t h = j * cn + c;
            fine[h * CK_MH_FINE + v] = (uint16_t)(fine[h * CK_MH_FINE + v] + delta);
            coarse[h * CK_MH_COARSE + (v >> 4)] = (uint16_t)(coarse[h * CK_MH_COARSE + (v >> 4)] + delta);
        }
    }
}

/// One output row of one channel: the kernel histogram slid along the tile.
CK_INLINE void ck_mh_channel_row(const uint16_t *fine, const uint16_t *coarse, size_t tw, size_t cn, size_t c, int r,
                                 uint16_t *kcoarse, uint16_t *kfine, int32_t *luc, uint8_t *dst) {
    const size_t k = 2 * (size_t)r + 1, hs = cn;  // histogram index step between columns
    const uint32_t rank = (uint32_t)(k * k / 2);
    memset(kcoarse, 0, CK_MH_COARSE * sizeof(uint16_t));
    for (size_t j = 0; j < k; j++) ck_mh_add16(kcoarse, coarse + (j * hs + c) * CK_MH_COARSE);
    for (int b = 0; b < CK_MH_COARSE; b++) luc[b] = 0;  // fine bin b covers columns [luc−k, luc); none yet
    memset(kfine, 0, CK_MH_FINE * sizeof(uint16_t));
    int b = 0, i = 0;  // the previous pixel's coarse and fine bins
    for (size_t x = 0; x < tw; x++) {
        if (x > 0)
            ck_mh_step16(kcoarse, coarse + ((x + k - 1) * hs + c) * CK_MH_COARSE, coarse + ((x - 1) * hs + c) * CK_MH_COARSE);
        // 1. The coarse bin holding the sample of the median's rank.
        uint32_t below = 0;
        b = ck_mh_find16(kcoarse, rank, &below, b);
        // 2. Its fine counters brought to columns [x, x+k).
        uint16_t *f = kfine + b * 16;
        const size_t end = x + k;
        if ((size_t)luc[b] <= x) {
            memset(f, 0, 16 * sizeof(uint16_t));
            for (size_t j = x; j < end; j++) ck_mh_add16(f, fine + (j * hs + c) * CK_MH_FINE + b * 16);
        } else {
            for (size_t j = (size_t)luc[b]; j < end; j++) {
                if (j >= k) ck_mh_step16(f, fine + (j * hs + c) * CK_MH_FINE + b * 16, fine + ((j - k) * hs + c) * CK_MH_FINE + b * 16);
                else ck_mh_add16(f, fine + (j * hs + c) * CK_MH_FINE + b * 16);
            }
        }
        luc[b] = (int32_t)end;
        // 3. The fine bin within it.
        i = ck_mh_find16(f, rank, &below, i);
        dst[x * cn + c] = (uint8_t)(b * 16 + i);
    }
}

CK_INLINE void ck_median_hist_u8_rows(const uint8_t *const *rows, size_t nrows, const int32_t *cols, size_t tw,
                                      size_t cn, int r, uint8_t constant, uint8_t *dst, size_t dst_stride,
                                      void *scratch) {
    const size_t columns = tw + 2 * (size_t)r, k = 2 * (size_t)r + 1;
    uint16_t *fine = (uint16_t *)scratch;
    uint16_t *coarse = fine + columns * cn * CK_MH_FINE;
    uint16_t *kfine = coarse + columns * cn * CK_MH_COARSE;
    uint16_t *kcoarse = kfine + CK_MH_FINE;
    int32_t *luc = (int32_t *)(kcoarse + CK_MH_COARSE);
    memset(fine, 0, columns * cn * (CK_MH_FINE + CK_MH_COARSE) * sizeof(uint16_t));
    for (size_t t = 0; t + 1 < k; t++) ck_mh_row(fine, coarse, rows[t], cols, columns, cn, constant, 1);
    for (size_t y = 0; y < nrows; y++) {
        ck_mh_row(fine, coarse, rows[y + k - 1], cols, columns, cn, constant, 1);
        for (size_t c = 0; c < cn; c++)
            ck_mh_channel_row(fine, coarse, tw, cn, c, r, kcoarse, kfine, luc, dst + y * dst_stride);
        ck_mh_row(fine, coarse, rows[y], cols, columns, cn, constant, (uint16_t)0xFFFF);
    }
}

/// Gray images get their own inlined copy with the channel count a constant.
CK_INLINE void ck_median_hist_u8_body(const uint8_t *const *rows, size_t nrows, const int32_t *cols, size_t tw,
                                      size_t cn, int r, uint8_t constant, uint8_t *dst, size_t dst_stride,
                                      void *scratch) {
    if (cn == 1) ck_median_hist_u8_rows(rows, nrows, cols, tw, 1, r, constant, dst, dst_stride, scratch);
    else ck_median_hist_u8_rows(rows, nrows, cols, tw, cn, r, constant, dst, dst_stride, scratch);
}

void ck_median_hist_u8(const uint8_t *const *rows, size_t nrows, const int32_t *cols, size_t tw, size_t cn, int r,
                       uint8_t constant, uint8_t *dst, size_t dst_stride, void *scratch);
CK_MULTIVERSION(void, ck_median_hist_u8,
                (const uint8_t *const *rows, size_t nrows, const int32_t *cols, size_t tw, size_t cn, int r,
                 uint8_t constant, uint8_t *dst, size_t dst_stride, void *scratch),
                (rows, nrows, cols, tw, cn, r, constant, dst, dst_stride, scratch))
