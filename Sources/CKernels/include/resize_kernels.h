// Row kernels of CVTransform's resize (resize_rows.c): OpenCV's fixed-point 8-bit paths and the
// nearest-neighbour / 2×2 area gathers. Plain loops compiled twice (baseline and AVX2, chosen at
// run time); the horizontal pass uses SSE2 on x86-64 (part of the baseline) and plain C elsewhere.
// The algorithms and tables live in Swift (ResizeEngine.swift, ResizeTables.swift).
#ifndef CLASSICCV_RESIZE_KERNELS_H
#define CLASSICCV_RESIZE_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Horizontal pass of OpenCV's 8-bit resize into Int32 (11-bit weights, no rounding yet):
/// `dst[x·cn + c] = Σ_{k<taps} src[xofs[x] + k·cn + c] · a(x, k)` for x in 0..<ow.
/// `xofs` are byte offsets of each window's first tap; every window lies inside the row
/// (`xofs[x] + taps·cn ≤ rowBytes`) and `xofs` never decreases. `taps` is 2, 4 or 8; `cn` 1–4.
/// Weights are "wide": for pixel x and tap pair j, the eight int16 at `wide + (x·taps/2 + j)·8`
/// are (a(x, 2j), a(x, 2j+1)) repeated four times.
void ck_resize_h_u8i32(const uint8_t *src, size_t rowBytes, int32_t *dst, size_t ow, int cn,
                       const int32_t *xofs, const int16_t *wide, int taps);

/// OpenCV's bilinear vertical 8-bit rounding (`VResizeLinearVec_32s8u`):
/// `dst[i] = sat_u8((((b0·(s0[i] >> 4)) >> 16) + ((b1·(s1[i] >> 4)) >> 16) + 2) >> 2)` with
/// 16-bit products (`0 ≤ s < 2^19`, `|b| ≤ 2^15`).
void ck_resize_v_linear_u8(const int32_t *s0, const int32_t *s1, uint8_t *dst, size_t n, int b0, int b1);

/// OpenCV's bicubic vertical 8-bit path (`VResizeCubicVec_32s8u`): single precision
/// `acc = s0·b0; acc += s1·b1; acc += s2·b2; acc += s3·b3` (no fused multiply-add), rounded to
/// nearest even and saturated.
void ck_resize_v_cubic_u8(const int32_t *s0, const int32_t *s1, const int32_t *s2, const int32_t *s3,
                          uint8_t *dst, size_t n, float b0, float b1, float b2, float b3);

/// Pillow's vertical 8-bit pass: `dst[i] = clip8((2^21 + Σ_k rows[k][i]·w[k]) >> 22)` over
/// `taps` rows (22-bit weights).
void ck_resize_v_pillow_u8(const uint8_t *const *rows, const int32_t *w, int taps, uint8_t *dst, size_t n);
/// Pillow's 8-bit horizontal pass: output pixel x (0..<out) is `clip8(2^21 + Σ_k
/// src[(start[x] + k)·cn + c]·w[x·taps + k])` for k < count[x]. `srcLen` bytes are readable
/// at `src` (the row). AVX2 when available (integer sums: identical to the scalar order).
void ck_resize_h_pillow_u8(const uint8_t *src, size_t srcLen, uint8_t *dst, size_t out, int cn, const int32_t *start,
                           const int32_t *count, const int32_t *w, int taps);

/// Nearest-neighbour gather of one row: pixel x of `dst` is the `cn`-byte pixel at byte offset
/// `xofs[x]` of `src` (a row of `rowBytes` bytes), or zeros when `xofs[x] < 0`.
void ck_resize_nn_row_u8(const uint8_t *src, size_t rowBytes, uint8_t *dst, size_t ow, int cn, const int32_t *xofs);

/// OpenCV's 2×2 area halving of whole cells (`ResizeAreaFastVec_SIMD_8u`):
/// `dst[x·cn + c] = (a + b + c + d + 2) >> 2` over the four samples of cell x, for x in 0..<ow,
/// reading `s0` and `s1` (two source rows) at `2·x·cn + c` and `(2·x + 1)·cn + c`. `cn` 1–4.
void ck_resize_area2_u8(const uint8_t *s0, const uint8_t *s1, uint8_t *dst, size_t ow, int cn);

/// Testing aid: a non-zero value makes every kernel above take its baseline (SSE2 / plain C)
/// path even on AVX2 processors, so tests can cover both. Not for concurrent use.
void ck_resize_force_baseline(int on);

#endif
