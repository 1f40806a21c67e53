// Kernels of the bilateral grid (bilateral_grid.c): the fast bilateral approximation's splat,
// blur and slice. The algorithm, its parameters and its banding live in BilateralFast.swift.
//
// A grid row holds gd range levels × gw cells × (cn + 1) Floats, level-major (each level a
// plane of gw cells): per cell and level the weighted sum of the samples (cn values) and the
// weight itself.
// The guide of a pixel is its sample (gray) or the sum of its channels (colour); its level
// coordinate is z = (guide − lo) · inv_sr.
#ifndef CLASSICCV_BILATERAL_GRID_KERNELS_H
#define CLASSICCV_BILATERAL_GRID_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Adds one image row (width pixels of cn samples) to `grid_row`: pixel x goes to cell x / s
/// (box in space) and to levels ⌊z⌋ and ⌊z⌋ + 1 with linear weights. Pixels whose guide is not
/// finite or lies outside [0, gd − 1] in z are left out.
void ck_bgrid_splat_u8(const uint8_t *src, size_t width, size_t cn, size_t s, float lo, float inv_sr, size_t gd,
                       float *grid_row);
void ck_bgrid_splat_f32(const float *src, size_t width, size_t cn, size_t s, float lo, float inv_sr, size_t gd,
                        float *grid_row);

/// Blurs a grid row in place along x (taps wx[0..2rx], centre rx) and then along the levels
/// (wz[0..2rz]); cells outside the grid count as empty. `tmp`: scratch for one grid row.
void ck_bgrid_blur_row(float *row, float *tmp, size_t gw, size_t gd, size_t cn1, const float *wx, int rx,
                       const float *wz, int rz);

/// Rows first..<first + count of the blur along y of the `rows` consecutive grid rows at `in`
/// (each n Floats; taps w[0..2r], rows outside count as empty), into `out` (count rows).
void ck_bgrid_blur_y(const float *in, size_t rows, size_t first, size_t count, size_t n, const float *w, int r,
                     float *out);

/// One output row: the grid interpolated linearly between rows g0 and g1 (weight wy on g1)
/// into `tmp` (one grid row), then per pixel linearly between cells gx0[x], gx1[x] (weight
/// wx[x] on gx1) and between the two levels around its guide; the output is the interpolated
/// weighted sum over the interpolated weight. The 8-bit output rounds to nearest even and
/// saturates. A pixel whose guide is not finite keeps its input value.
void ck_bgrid_slice_u8(const uint8_t *src, uint8_t *dst, size_t width, size_t cn, const float *g0, const float *g1,
                       float wy, const int32_t *gx0, const int32_t *gx1, const float *wx, float lo, float inv_sr,
                       size_t gw, size_t gd, float *tmp);
void ck_bgrid_slice_f32(const float *src, float *dst, size_t width, size_t cn, const float *g0, const float *g1,
                        float wy, const int32_t *gx0, const int32_t *gx1, const float *wx, float lo, float inv_sr,
                        size_t gw, size_t gd, float *tmp);

#endif
