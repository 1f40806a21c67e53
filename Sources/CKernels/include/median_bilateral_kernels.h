// Row kernels of the median and bilateral filters (median_*.c, bilateral_*.c). The algorithms
// and their border handling live in Swift (MedianFilter.swift, BilateralFilter.swift).
#ifndef CLASSICCV_MEDIAN_BILATERAL_KERNELS_H
#define CLASSICCV_MEDIAN_BILATERAL_KERNELS_H
#include <stddef.h>
#include <stdint.h>

// MARK: Median by sorting networks (median_net.c), ksize 3 or 5.

/// One output row of the k×k median (k = 3 or 5). `rows[0..k-1]` are the k input rows the
/// window spans, each padded with r = k/2 border pixels on both sides (element 0 is column −r);
/// `m = (width + 2r)·cn` is their length. `sorted` is scratch for k·m samples (the rows sorted
/// column by column). Writes `dst[i]` for i in 0..<width·cn, channels independent.
void ck_median_net_u8(const uint8_t *const *rows, uint8_t *sorted, uint8_t *dst, size_t width, size_t cn, int k);
void ck_median_net_u16(const uint16_t *const *rows, uint16_t *sorted, uint16_t *dst, size_t width, size_t cn, int k);
void ck_median_net_f32(const float *const *rows, float *sorted, float *dst, size_t width, size_t cn, int k);

/// Two output rows of the 8-bit 3×3 median, read straight from unpadded image rows: `r0…r2`
/// are the input rows of output row `d0`, `r1…r3` those of `d1` (`d1` NULL: one row). Column −1
/// reads input column `left`, column `width` reads `right` (−1: the value `constant`). Writes
/// width·cn samples per row, channels independent.
void ck_median3_u8(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3, uint8_t *d0,
                   uint8_t *d1, size_t width, size_t cn, long left, long right, uint8_t constant);

// MARK: Constant-time median (median_hist.c), 8-bit, any odd k up to 255.

/// Scratch bytes ck_median_hist_u8 needs for a tile of `tile_width` output columns.
size_t ck_median_hist_scratch_bytes(size_t tile_width, size_t cn, int r);
/// The k×k median (k = 2r+1) of a tile of output columns x0..<x0+tw over `nrows` output rows
/// (Perreault & Hébert 2007: a 16+256-bin histogram per column, a kernel histogram slid along
/// the row, fine bins updated lazily). `rows[i]` (i in 0..<nrows+2r) is the input row that
/// output row i's window starts at (already resolved through the border; a constant row for a
/// constant border). `cols[j]` (j in 0..<tw+2r) is the input column of window column x0−r+j, or
/// −1 for the constant `constant`. `dst` points at output (row 0, column x0), rows `dst_stride`
/// samples apart. `scratch`: ck_median_hist_scratch_bytes(tw, cn, r) bytes, 32-byte aligned.
void ck_median_hist_u8(const uint8_t *const *rows, size_t nrows, const int32_t *cols, size_t tw, size_t cn, int r,
                       uint8_t constant, uint8_t *dst, size_t dst_stride, void *scratch);

// MARK: Bilateral filter (bilateral_rows.c), OpenCV's arithmetic.

/// One output row of cv2.bilateralFilter on 8-bit samples, 1 or 3 channels. `planes[t·cn + c]`
/// is channel c of the t-th of the 2r+1 input rows the window spans, as a plane padded with r
/// samples each side (element 0 is column −r). Tap k reads row `ty[k]` at column x − r + `tx[k]`
/// with weight `space[k]`; `color[d]` is the colour weight of the summed absolute difference d.
/// Per pixel, in tap order: w = space·color, wsum += w, sum_c = fma(value_c, w, sum_c);
/// gray: round(sum / wsum), colour: round(sum_c · (1 / wsum)), ties to even.
/// Pixels x < `alt_end` take the taps in the order `alt_order` instead (OpenCV's unrolled 5×5
/// vector path); pass alt_end = 0 for none.
void ck_bilateral_u8(const uint8_t *const *planes, uint8_t *dst, size_t width, size_t cn, int r, const int32_t *ty,
                     const int32_t *tx, const float *space, int ntaps, const float *color, const int32_t *alt_order,
                     size_t alt_end);
/// One output row of cv2.bilateralFilter on Float samples, 1 or 3 channels (planes as above,
/// the centre tap excluded from the taps). The colour weight of the summed absolute difference
/// d is `lut[i] + a·(lut[i+1] − lut[i])` with i = ⌊d·scale⌋, a the fraction; out =
/// (Σ w·v + v₀) / (Σ w + 1). NaN samples are skipped as OpenCV does.
void ck_bilateral_f32(const float *const *planes, float *dst, size_t width, size_t cn, int r, const int32_t *ty,
                      const int32_t *tx, const float *space, int ntaps, const float *lut, float scale);

#endif
