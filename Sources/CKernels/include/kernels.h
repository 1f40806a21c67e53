// Small C kernels that need the compiler's vectoriser with run-time CPU dispatch (AVX2 when the
// processor has it, SSE2 otherwise). Plain loops: the algorithms live in Swift.
#ifndef CLASSICCV_KERNELS_H
#define CLASSICCV_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// OpenCV's RGB2GRAY for 8-bit samples: (9798 R + 19235 G + 3735 B + 2^14) >> 15.
/// `channels` is 3 (RGB) or 4 (RGBA, alpha ignored).
void ck_gray_u8(const uint8_t *src, uint8_t *dst, size_t width, int channels);

// MARK: Gaussian rows (gaussian_rows.c). OpenCV's bit-exact 8-bit fixed point: taps are
// symmetric, sum to 256 (8 fraction bits), `k[0...r]` is the left half with k[r] the centre.

/// Horizontal pass: `dst[i] = offset + k[r]·pad[i + r·cn] + Σ_{t<r} k[t]·(pad[i + t·cn] +
/// pad[i + (2r−t)·cn])` for i in 0..<n, in 16-bit arithmetic (exact: every filtered value is
/// ≤ 255·256; the offset is added modulo 2^16). `pad` holds the row with r·cn border samples
/// on each side. `offset` is the vertical pass's ck_gauss_v_offset.
void ck_gauss_h_u8u16(const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, const uint16_t *k, int r,
                      uint16_t offset);

/// The offset the vertical pass wants added to the rows for this kernel on this CPU: 2^15
/// where its AVX-512 path (signed 16-bit multiply-adds, every tap < 2^15) applies, else 0.
uint16_t ck_gauss_v_offset(const uint16_t *k, int r);

/// Vertical pass over 2r+1 horizontally filtered rows, each holding `h + offset` modulo 2^16
/// with `offset = ck_gauss_v_offset(k, r)`: `s = k[r]·h_r[i] + Σ_{t<r} k[t]·(h_t[i] + h_{2r−t}[i])`
/// in 32 bits, `dst[i] = (s + 2^15) >> 16`.
void ck_gauss_v_u16u8(const uint16_t *const *rows, uint8_t *dst, size_t n, const uint16_t *k, int r, uint16_t offset);
/// ck_gauss_v_u16u8 for two consecutive output rows: `rows` holds the 2r+2 rows they span
/// (dst0 from rows[0...2r], dst1 from rows[1...2r+1]).
void ck_gauss_v2_u16u8(const uint16_t *const *rows, uint8_t *dst0, uint8_t *dst1, size_t n, const uint16_t *k, int r,
                       uint16_t offset);

// MARK: 3×3 derivatives (sobel_rows.c), 8-bit in, Int16 out (exact while |result| < 2^15).

/// `dst[i] = k0·r0[i] + k1·r1[i] + k2·r2[i]` for i in 0..<n.
void ck_sep3_vert_u8s16(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, int16_t *dst, size_t n,
                        int k0, int k1, int k2);
/// `dst[i] = k0·src[i] + k1·src[i + cn] + k2·src[i + 2cn]` for i in 0..<n (src has cn border samples each side).
void ck_sep3_horz_s16(const int16_t *src, int16_t *dst, size_t n, size_t cn, int k0, int k1, int k2);
/// Sobel 3×3 vertical half: `smooth = r0 + 2·r1 + r2`, `diff = r2 − r0`, n samples.
void ck_sobel3_vert(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, int16_t *smooth, int16_t *diff, size_t n);
/// Sobel 3×3 horizontal half for one 1-channel row of width w (`smooth`, `diff` have one border
/// sample each side): `dx = smooth[i+2] − smooth[i]`, `dy = diff[i] + 2·diff[i+1] + diff[i+2]`,
/// `mag = |dx| + |dy|` (l2 = 0) or `dx² + dy²` (l2 ≠ 0).
void ck_sobel3_horz_mag(const int16_t *smooth, const int16_t *diff, int16_t *dx, int16_t *dy, int32_t *mag,
                        size_t w, int l2);

// MARK: Canny (canny_rows.c)

/// OpenCV's non-maximum suppression for one row: `mp`, `ma`, `mn` are the magnitudes of the
/// rows above, at and below (readable at index −1 and w). Sectors split at tan 22.5° =
/// 13573/2^15; strictly greater than one neighbour, ≥ the other (diagonals: strictly both).
/// `map[x]` = 1 (not a maximum or ≤ low), 2 (maximum > high), 0 (maximum in (low, high]).
/// Requires |dx|, |dy| < 2^15.
void ck_canny_nms_row(const int32_t *mp, const int32_t *ma, const int32_t *mn, const int16_t *dx, const int16_t *dy,
                      uint8_t *map, size_t w, int32_t low, int32_t high);
/// Writes `base + i` for every i with `row[i] == value` into `out` (capacity n); returns the count.
size_t ck_find_u8(const uint8_t *row, size_t n, uint8_t value, int64_t base, int64_t *out);
/// 8-connected growth on a map with a frame of non-zero values (row step `step`): pops offsets
/// from `stack` (`count` entries, room for `capacity`), turns neighbouring 0s into 2s and pushes
/// them. When the stack must grow, a malloc'ed replacement is stored in `*grown` (caller frees;
/// NULL if `stack` sufficed). Returns the number of pixels marked, or (size_t)−1 when out of memory.
size_t ck_canny_hysteresis(uint8_t *map, ptrdiff_t step, int64_t *stack, size_t count, size_t capacity,
                           int64_t **grown);
/// scikit-image's bilinear non-maximum suppression for one row (`skimage.feature.canny`), in
/// Float: `mp`, `ma`, `mn` are the magnitudes of the rows above, at and below (readable at
/// index −1 and w), `iv`/`jv` the vertical/horizontal Sobel responses, `allowed` the eroded
/// mask row (NULL: every pixel). `map[x]` = 2 (kept, magnitude ≥ high), 0 (kept, below high),
/// 1 (suppressed, outside the mask or below low), as ck_canny_hysteresis expects. The indices
/// `base + x` of the 2s are written to `seeds` (room for w); returns their number.
size_t ck_skcanny_nms_row(const float *mp, const float *ma, const float *mn, const float *iv, const float *jv,
                          const uint8_t *allowed, uint8_t *map, size_t w, float low, float high, int64_t base,
                          int64_t *seeds);
/// SciPy's 3×3 Sobel pair on one Float row (reflect border; the caller maps rows r0/r2 at the
/// image edges): `jv` = d/dx ([-1, 0, 1] along x, [1, 2, 1] along y), `iv` = d/dy, and
/// `mag = √(iv² + jv²)`. `scratch`: 2·(w + 2) floats. Requires w ≥ 1.
void ck_sobel3_f32_row(const float *r0, const float *r1, const float *r2, float *iv, float *jv, float *mag, size_t w,
                       float *scratch);
/// `out[x] = map[x] == 2 ? 255 : 0`.
void ck_canny_output_row(const uint8_t *map, uint8_t *out, size_t w);

// MARK: Box sums (box_rows.c)

/// Horizontal window sums in Double: `dst[i] = Σ_{t=0}^{2r} pad[i + t·cn]` for i in 0..<n, where
/// `pad` holds the row (n samples, cn interleaved channels) with r·cn border samples each side.
/// Running sums (each sample is added once and subtracted once), restarted in 4 runs of the row
/// that proceed in lockstep so that the dependent additions overlap.
void ck_box_hsum_f32f64(const float *pad, double *dst, size_t n, size_t cn, int r);
/// `col[i] += add[i] − sub[i]` (slide a column window down by one row).
void ck_box_vupdate_f64(double *col, const double *add, const double *sub, size_t n);
/// `col[i] += add[i]`.
void ck_box_vadd_f64(double *col, const double *add, size_t n);
/// `dst[i] = (float)(src[i]·scale)`.
void ck_scale_f64f32(const double *src, float *dst, size_t n, double scale);
/// Unnormalized horizontal window sums modulo 2^32: `dst[i] = Σ_{t=0}^{2r} pad[i + t·cn]`
/// (exact while the true sum is < 2^32). Running sums, as ck_box_hsum_f32f64.
void ck_box_hsum_u32(const uint32_t *pad, uint32_t *dst, size_t n, size_t cn, int r);
/// `dst[i] = (float)src[i]·scale`.
void ck_u32_to_f32(const uint32_t *src, float *dst, size_t n, float scale);
/// UInt8 horizontal window sums: `dst[i] = Σ_{t=0}^{2r} pad[i + t·cn]` for i in 0..<n, `pad` as in
/// ck_box_hsum_f32f64. Requires r ≤ 127 (so every sum fits in 16 bits). Shifted adds for
/// windows up to 16 wide (the taps summed in registers for 3, 5, 7 and 9), sums of doubling
/// levels beyond, in `scratch` (2·(n + 2r·cn) values).
void ck_box_hsum_u8u16(const uint8_t *pad, uint16_t *dst, size_t n, size_t cn, int r, uint16_t *scratch);
/// `col[i] += add[i]`.
void ck_box_vadd_u16i32(int32_t *col, const uint16_t *add, size_t n);
/// Writes one UInt8 output row from the column sums and slides the window: `dst[i] =
/// round(col[i] / area)` (saturated) when `normalize`, else `min(col[i], 255)`; then, unless
/// `add` is NULL, `col[i] += add[i] − sub[i]`. Needs an odd `area` and 0 ≤ col ≤ 255·area < 2^31.
void ck_box_vstep_u8(int32_t *col, const uint16_t *add, const uint16_t *sub, uint8_t *dst, size_t n, int32_t area,
                     int normalize);
/// `col[i] += add[i]` in 16 bits (column sums of windows of at most 257 pixels fit).
void ck_box_vadd_u16(uint16_t *col, const uint16_t *add, size_t n);
/// As ck_box_vstep_u8 with 16-bit column sums (0 ≤ col ≤ 255·area ≤ 65535): `dst[i] =
/// ((col[i] + half)·magic >> 16) >> shift` when `normalize` — equal to round(col / area) when
/// `half = area / 2` and (magic, shift) is a reciprocal of the odd area that is exact for every
/// numerator up to 255·area + half — else `min(col[i], 255)`; then `col[i] += add[i] − sub[i]`.
void ck_box_vstep_u8u16(uint16_t *col, const uint16_t *add, const uint16_t *sub, uint8_t *dst, size_t n,
                        uint16_t half, uint16_t magic, int shift, int normalize);
/// One vertical box pass over a block of `bw` columns and `h` rows of Float samples:
/// output row y = scale · Σ_{v=y−r}^{y+r} row(v), where row(v) is `src + rowmap[v + r]·sstride`
/// (or `constRow` when that entry is −1); `rowmap` covers v in −r ..< h + r + 1. Running column
/// sums in Float (`col`: bw scratch). Writes Float rows to `dst` (stride `dstride`) when `dst8`
/// is NULL, else rounds to nearest (ties to even), saturates to 0…255 and writes `dst8`.
void ck_vbox_pass_f32(const float *src, size_t sstride, float *dst, size_t dstride, uint8_t *dst8, size_t d8stride,
                      size_t h, size_t bw, const int32_t *rowmap, const float *constRow, int r, float scale, float *col);

// MARK: Float separable convolution (conv_rows.c)

/// `dst[i] = Σ_{t<taps} k[t]·pad[i + t·cn]` for i in 0..<n (zero taps skipped). AVX2 + FMA
/// when available.
void ck_conv_h_f32(const float *pad, float *dst, size_t n, size_t cn, const float *k, int taps);
/// `dst[i] = Σ_{t<taps} k[t]·rows[t][i] + delta` for i in 0..<n (zero taps skipped).
void ck_conv_v_f32(const float *const *rows, float *dst, size_t n, const float *k, int taps, float delta);
/// Two rows of ck_conv_v_f32 from `taps + 1` input rows: `dst0` from rows[0 ..< taps], `dst1`
/// from rows[1 ... taps]; identical results, fewer loads when the taps are symmetric.
void ck_conv_v2_f32(const float *const *rows, float *dst0, float *dst1, size_t n, const float *k, int taps,
                    float delta);
/// ck_conv_v2_f32 followed by ck_f32_to_u8 of both rows (identical results); with AVX-512
/// and symmetric taps the sums are rounded in the register. `scratch0/1` hold n Floats each.
void ck_conv_v2_f32_u8(const float *const *rows, uint8_t *dst0, uint8_t *dst1, size_t n, const float *k, int taps,
                       float delta, float *scratch0, float *scratch1);
/// `dst[i] = (float)src[i]`.
void ck_u8_to_f32(const uint8_t *src, float *dst, size_t n);
/// `dst[i] = (float)src[i]`.
void ck_u16_to_f32(const uint16_t *src, float *dst, size_t n);
/// Rounds to nearest (ties to even) and saturates to 0…255 (NaN → 0).
void ck_f32_to_u8(const float *src, uint8_t *dst, size_t n);
/// Rounds to nearest (ties to even) and saturates to 0…65535 (NaN → 0).
void ck_f32_to_u16(const float *src, uint16_t *dst, size_t n);

// MARK: Float separable convolution driver (separable_f32.c)

/// One separable convolution in Float arithmetic: source and destination samples are UInt8 (0),
/// UInt16 (1) or Float (2), interleaved with `cn` channels; strides count samples. Output
/// sample (y, i) is `Σ_v ky[v]·Σ_t kx[t]·src(y − ry + v, i + (t − rx)·cn) + delta`, rounded and
/// saturated for integer destinations. Border rows and columns come from `row_index` (entry
/// v + ry for virtual row v in −ry ..< height + ry) and `col_index` (entry c + rx for virtual
/// column c in −rx ..< width + rx): a source index, or −1 for `constant`.
typedef struct {
    const void *src;
    size_t src_stride;
    int src_depth;
    void *dst;
    size_t dst_stride;
    int dst_depth;
    size_t width, height, cn;
    const float *kx;
    int taps_x;
    const float *ky;
    int taps_y;
    float delta, constant;
    const int32_t *col_index;
    const int32_t *row_index;
} ck_sep_f32_plan;

/// Writes output rows y0 ..< y1 (reads the source rows they need). Returns 0, or −1 when its
/// scratch (about 28 KiB plus three tile rows) cannot be allocated.
int ck_sep_f32_rows(const ck_sep_f32_plan *plan, size_t y0, size_t y1);

// MARK: Worker threads (stripe_pool.c)

/// Body of one stripe: `fn(ctx, stripe)`.
typedef void (*ck_stripe_fn)(void *ctx, long stripe);
/// Runs `fn(ctx, s)` exactly once for every s in 0..<stripes on the calling thread and up to
/// `threads − 1` pool workers (created on first use; they spin for `CK_POOL_SPIN_NS` after each job,
/// then sleep), and returns when every stripe is done: no call of `fn` runs after it returns.
/// Stripes are claimed dynamically, so which thread runs which stripe is not fixed. The
/// caller, too, spins for as long while the last stripes run, then sleeps. Runs serially, in
/// order, when `threads` ≤ 1, `stripes` ≤ 1 or ≥ 2³² − 1, or another call is in flight
/// (a nested call from a stripe, or a concurrent call from another thread). At most 64
/// threads (the caller and 63 workers).
void ck_pool_run(long stripes, int threads, ck_stripe_fn fn, void *ctx);

// MARK: 2-D real FFT helpers (fft_pairs.c)

// Two real rows through one complex FFT. n is the real row length; half spectra hold
// n/2 + 1 interleaved complex values; z holds n. A NULL second row means zeros (pack,
// merge) or "not wanted" (unpack, split).
/// z = a + i·b.
void ck_fft_pack_pairs_f32(const float *a, const float *b, float *z, size_t n);
void ck_fft_pack_pairs_f64(const double *a, const double *b, double *z, size_t n);
/// Half spectra A, B of a and b from Z = DFT(a + i·b).
void ck_fft_unpack_pairs_f32(const float *z, size_t n, float *a, float *b);
void ck_fft_unpack_pairs_f64(const double *z, size_t n, double *a, double *b);
/// Z = Â + i·B̂ from half spectra (Hermitian extensions; DC/Nyquist imaginary parts dropped).
void ck_fft_merge_pairs_f32(const float *a, const float *b, size_t n, float *z);
void ck_fft_merge_pairs_f64(const double *a, const double *b, size_t n, double *z);
/// a = Re z, b = Im z.
void ck_fft_split_pairs_f32(const float *z, size_t n, float *a, float *b);
void ck_fft_split_pairs_f64(const double *z, size_t n, double *a, double *b);
/// dst[c·dst_stride + r] = src[r·src_stride + c] for r < rows, c < cols, on 8-byte (complex
/// Float) or 16-byte (complex Double) elements; strides in elements; blocks must not overlap.
void ck_transpose_c64(const void *src, size_t src_stride, void *dst, size_t dst_stride, size_t rows, size_t cols);
void ck_transpose_c128(const void *src, size_t src_stride, void *dst, size_t dst_stride, size_t rows, size_t cols);
/// Complex FFTs of length n down the columns of a block of complex Floats (fft_columns.c),
/// vectorized across the columns; NULL when n has a prime factor above 5 or the CPU lacks
/// AVX2/FMA. `backward` selects the exponent's sign (+); neither direction scales.
typedef struct ck_colfft_plan ck_colfft_plan;
ck_colfft_plan *ck_colfft_plan_create(size_t n, int backward);
void ck_colfft_plan_destroy(ck_colfft_plan *plan);
/// Transforms the block in place: rows `stride` complex values apart, `columns` (a multiple of
/// 8) complex values each; `scratch` holds 2·n·columns complex Floats.
void ck_colfft_run(const ck_colfft_plan *plan, float *block, size_t stride, size_t columns, float *scratch);
/// out[j] = a[j]·b[j] for n interleaved complex values (complex_multiply.c); `out` may be `a`.
void ck_cmul_f32(const float *a, const float *b, float *out, size_t n);
void ck_cmul_f64(const double *a, const double *b, double *out, size_t n);
/// A whole direct 2-D correlation row (filter2d_rows.c): for i in 0..<n, the sum starts at
/// `delta`, then `+= k[t]·rows[row_of_tap[t]][i + offsets[t]]` for t = 0, 1, … in order (kernel
/// rows in order, each row's taps left to right), fused multiply-adds when the CPU has FMA.
/// Stored to `dst` as Float, or, with `u8` given (`dst` then unused), rounded to UInt8 as
/// ck_f32_to_u8 rounds it.
void ck_f2d_sum(float *dst, uint8_t *u8, const float *const *rows, size_t n, const float *k, const int32_t *row_of_tap,
                const int32_t *offsets, int taps, float delta);
/// OpenCV's bit-exact 8-bit separable filter (filter2d_rows.c), for symmetric odd halves
/// (k[t] == k[taps−1−t]): row sums `dst[i] = Σ_t k[t]·pad[i + t·cn]` in 32 bits (taps ·2^8).
void ck_sep_fixed8_h(const uint8_t *pad, int32_t *dst, size_t n, size_t cn, const int32_t *k, int taps);
/// Column sums `s = delta + Σ_t k[t]·rows[t][i]` (taps ·2^8, delta ·2^16), then s / 2^16 rounded
/// half to even for i < span and half up beyond, saturated.
void ck_sep_fixed8_v(const int32_t *const *rows, uint8_t *dst, size_t n, size_t span, const int32_t *k, int taps,
                     int32_t delta);
/// dst[i] = src[index[i]] + (add_re, add_im) over n interleaved complex values (index_gather.c).
void ck_gather_c64(const void *src, const int32_t *index, void *dst, size_t n, float add_re, float add_im);
void ck_gather_c128(const void *src, const int32_t *index, void *dst, size_t n, double add_re, double add_im);

// MARK: HOG window scores (hog_score.c)
/// Linear scores of `count` windows in a row (CVDetect's WindowScorer): window `i`'s block
/// `(px, py)` is the `L` Floats at `blocks + py·rowFloats + i·step + px·L`, its weights at
/// `weights + (py·bx + px)·L`; `scores[i]` = bias + Σ blocks' dot products in OpenCV's order
/// (4 Float lanes per block, `(l0 + l1) + (l2 + l3)` added in Double). `L` a multiple of 4.
void ck_hog_score_windows(const float *blocks, size_t rowFloats, size_t step, size_t count, const float *weights,
                          size_t bx, size_t by, size_t L, double bias, double *scores);

// MARK: HOG window scores from a value-major block grid (hog_score_planes.c)
/// One row of `count` blocks of `L` Floats to value-major form: `out[k·rowStride + b]` =
/// `blocks[b·L + k]` (`rowStride ≥ count`).
void ck_hog_transpose_block_row(const float *blocks, size_t count, size_t L, float *out, size_t rowStride);
/// Whether ck_hog_score_windows_planes has its vector form here (AVX-512, `L` a multiple of 4).
int ck_hog_score_planes_available(size_t L);
/// As ck_hog_score_windows with windows one block apart, from value-major grid rows: window
/// `i`'s block `(px, py)` value `k` is `planes[py·planeStride + k·rowStride + i + px]`. The
/// same order per window, so the same bits.
void ck_hog_score_windows_planes(const float *planes, size_t rowStride, size_t planeStride, size_t count,
                                 const float *weights, size_t bx, size_t by, size_t L, double bias, double *scores);

// MARK: L2-Hys of a value-major block row (hog_normalize_planes.c)
/// Transposes a row of `count` unnormalised blocks of `L` Floats to value-major form
/// (`out[k·rowStride + b]`, as ck_hog_transpose_block_row) and applies OpenCV's L2-Hys with
/// clip `clip` to each block there. Sums of squares in one chain per block: the same
/// operations as OpenCV's in another order.
void ck_hog_l2hys_value_major_row(const float *blocks, size_t count, size_t L, float clip, float *out, size_t rowStride);

// MARK: HOG window scores by block slot (hog_score_slots.c)
/// Whether ck_hog_score_windows_slots has its vector form here (AVX-512, `bx` ≤ 8 blocks across).
int ck_hog_score_slots_available(size_t bx);
/// The windows of ck_hog_score_windows_planes (same layout and weights), each grid block
/// multiplied once by every slot's weights and the products gathered per window: the same sum
/// in another order (FMA chains per slot, Float within a grid row, Double across rows), so the
/// scores differ from OpenCV's order in the last bits. Falls back to
/// ck_hog_score_windows_planes where the vector form is not available.
void ck_hog_score_windows_slots(const float *planes, size_t rowStride, size_t planeStride, size_t count,
                                const float *weights, size_t bx, size_t by, size_t L, double bias, double *scores);


// MARK: HOG Gaussian-weighted blocks, OpenCV's geometry (hog_blocks.c)
/// Horizontal half of the block sums for 16×16 blocks of 8×8 cells at an 8-pixel stride, 9 bins,
/// two votes per pixel (bins `b0`/`b1` < 9, weights `m0`/`m1`): `out[bx·18 + cx·9 + bin]` =
/// Σ_j colW[2j + cx] · vote(8·bx + j) over the block's 16 columns, for `blocksX` block
/// columns (the row holds `8·(blocksX + 1)` pixels). `colW`: 16 × 2 weights (0 = no vote).
void ck_hog_row_sums_16x8(const uint8_t *b0, const uint8_t *b1, const float *m0, const float *m1, size_t blocksX,
                          const float *colW, float *out);
/// Vertical half: block histogram (36 values, cells column by column when `columnMajor`) as
/// Σ_i rowW[2i + cy] · rows[i][offset + cx·9 + bin] over the block's 16 rows.
void ck_hog_block_16x8(const float *const *rows, size_t offset, const float *rowW, int columnMajor, float *dst);
/// The same for the `blocksX` blocks of a block row at once, written one after another from
/// `dst` (36 values each): the same bits as `blocksX` calls of ck_hog_block_16x8.
void ck_hog_block_row_16x8(const float *const *rows, size_t blocksX, const float *rowW, int columnMajor, float *dst);


// MARK: INTER_LINEAR_EXACT horizontal pass (resize_linear_exact.c)
/// `line[x·cn + c] = row[off0[x] + c]·w0[x] + row[off1[x] + c]·w1[x]` for x < count (byte
/// offsets `off0 ≤ off1` never decreasing, `w0 + w1 = 256`); `rowBytes` bytes are readable at
/// `row`. For 3 channels `line` must have 4 UInt16 of slack past `3·count`.
void ck_resize_linear_exact_h_u8(const uint8_t *row, size_t rowBytes, uint16_t *line, size_t count, int cn,
                                 const int32_t *off0, const int32_t *off1, const int32_t *w0, const int32_t *w1);
/// Groups of 16 output values (pixels × channels) of a planned horizontal pass.
size_t ck_resize_linear_exact_h_groups(size_t count, int cn);
/// Plans the horizontal pass for AVX-512 VBMI (per group: `start[g]`, 64 `index` bytes, 32
/// `weights`; arrays of ck_resize_linear_exact_h_groups entries): 1 when the machine has it and
/// every group's sources lie within 128 bytes, else 0 (use ck_resize_linear_exact_h_u8).
int ck_resize_linear_exact_h_plan(size_t count, int cn, const int32_t *off0, const int32_t *off1, const int32_t *w0,
                                  const int32_t *w1, int32_t *start, uint8_t *index, int16_t *weights);
/// The horizontal pass by a plan (only after ck_resize_linear_exact_h_plan returned 1): the
/// same `line` as ck_resize_linear_exact_h_u8 for `values = count·cn`; no slack needed.
void ck_resize_linear_exact_h_u8_planned(const uint8_t *row, size_t rowBytes, uint16_t *line, size_t values,
                                         const int32_t *start, const uint8_t *index, const int16_t *weights);
/// The vertical pass: `dst[i] = (a[i]·w0 + b[i]·w1 + 2¹⁵) >> 16` for i < count (lines from the
/// horizontal pass, `w0 + w1 = 256`).
void ck_resize_linear_exact_v_u8(const uint16_t *a, const uint16_t *b, size_t count, uint32_t w0, uint32_t w1,
                                 uint8_t *dst);


// MARK: HOG orientation votes of a framed source (hog_votes.c)
/// Votes of `count` pixels of one row of 1 or 3 Float planes (`p0`, `p1`, `p2`; each with real
/// neighbours at ±1, the row above at `up` and the row below at `down` Floats from it; the
/// rows of a whole plane or a ring of three rows): central differences, OpenCV's strongest channel (its
/// vector rule below `vectorEnd`, its scalar rule from there), magnitude, `fastAtan2` angle ·
/// (π/180) · `angleScale` − 0.5 split between bins `b0` and `b1` (mod `n`) with weights
/// `m0`/`m1`. The same Float operations as CVFeatures' Swift vote loops: the same bits.
void ck_hog_votes_framed(const float *p0, const float *p1, const float *p2, int cn, ptrdiff_t up, ptrdiff_t down,
                         size_t count, size_t vectorEnd, int n, float angleScale, uint8_t *b0, uint8_t *b1, float *m0, float *m1);


// MARK: HOG block normalisation, OpenCV's L2-Hys (hog_normalize.c)
/// `v[0..<L]` normalised in place as `HOGCache::normalizeBlockHistogram` does (Σ v² in 4 lanes
/// of groups of 4, then the tail; 1/(√Σ + 0.1·L), clip at `clip`, 1/(√Σ + 1e-3)).
void ck_hog_normalize_l2hys_opencv(float *v, size_t L, float clip);
/// The same for `count` consecutive blocks of `L` values at `v` (the same bits as one at a time).
void ck_hog_normalize_l2hys_opencv_blocks(float *v, size_t count, size_t L, float clip);


// MARK: HOG source planes (hog_planes.c)
/// `count` pixels of `cn` (1 or 3) interleaved 8-bit channels at `src` to Float planes `d0`
/// (`d1`, `d2` for 3 channels), `sqrtf` applied when `takeSqrt` (OpenCV's gamma correction).
void ck_hog_planes_u8(const uint8_t *src, size_t count, int cn, int takeSqrt, float *d0, float *d1, float *d2);

#endif
