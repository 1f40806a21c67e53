// Orientation votes of one row of a framed HOG source (CVFeatures' HOGPadded.swift, OpenCV's
// `computeGradient` for the detector): central differences of 1 or 3 Float planes, OpenCV's
// strongest-channel selection, `cartToPolar` magnitude and `fastAtan2` angle, and the split
// between the two nearest of `n` bins. The same Float operations in the same order as the
// Swift loops of HOGGradients.swift (`opencvSelectFramed`, `interpolatedVotes`), so the votes
// are the same bits: separate multiplies and adds, no contraction into FMA.
#include "kernels.h"
#include "ck_dispatch.h"
#include <math.h>
#include <float.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

/// Offsets in Floats from a pixel to the pixels above and below it.
typedef struct { ptrdiff_t up, down; } ck_hv_rows;

typedef struct {
    float p1, p3, p5, p7, eps, radPerDeg, angleScale;
    int n;
} ck_hv_consts;

static ck_hv_consts ck_hv_make(int n, float angleScale) {
    const float deg = (float)(180.0 / M_PI);
    ck_hv_consts k = {0.9997878412794807f * deg, -0.3258083974640975f * deg, 0.1555786518463281f * deg,
                      -0.04432655554792128f * deg, (float)DBL_EPSILON, (float)(M_PI / 180.0), angleScale, n};
    return k;
}

/// Column `x`'s gradient: the rule of OpenCV's vector loop (`vec`: ties prefer B, then G) or of
/// its scalar tail (ties prefer R, then G).
static inline void ck_hv_select(const float *const *p, int cn, ck_hv_rows rl, size_t x, int vec, float *dx, float *dy) {
    if (cn == 1) { *dx = p[0][x + 1] - p[0][x - 1]; *dy = p[0][(ptrdiff_t)x + rl.down] - p[0][(ptrdiff_t)x + rl.up]; return; }
    float gx[3], gy[3], m[3];
    for (int c = 0; c < 3; c++) {
        gx[c] = p[c][x + 1] - p[c][x - 1]; gy[c] = p[c][(ptrdiff_t)x + rl.down] - p[c][(ptrdiff_t)x + rl.up];
        m[c] = gx[c] * gx[c] + gy[c] * gy[c];
    }
    if (vec) {
        const int rOverG = m[0] > m[1];
        const float sx = rOverG ? gx[0] : gx[1], sy = rOverG ? gy[0] : gy[1];
        const int keep = (m[0] > m[1] ? m[0] : m[1]) > m[2];
        *dx = keep ? sx : gx[2]; *dy = keep ? sy : gy[2];
    } else {
        float sx = gx[0], sy = gy[0], mm = m[0];
        if (mm < m[1]) { sx = gx[1]; sy = gy[1]; mm = m[1]; }
        if (mm < m[2]) { sx = gx[2]; sy = gy[2]; }
        *dx = sx; *dy = sy;
    }
}

static inline void ck_hv_vote(const ck_hv_consts *k, float dx, float dy, uint8_t *b0, uint8_t *b1, float *m0,
                              float *m1) {
    const float mag = sqrtf(dx * dx + dy * dy);
    const float ax = fabsf(dx), ay = fabsf(dy);
    const int xMajor = ax >= ay;
    const float c = (xMajor ? ay : ax) / ((xMajor ? ax : ay) + k->eps), c2 = c * c;
    float a = (((k->p7 * c2 + k->p5) * c2 + k->p3) * c2 + k->p1) * c;
    a = xMajor ? a : 90 - a;
    a = dx < 0 ? 180 - a : a;
    a = dy < 0 ? 360 - a : a;
    float angle = a * k->radPerDeg;
    angle = angle * k->angleScale - 0.5f;
    const float fl = floorf(angle);
    angle -= fl;
    *m0 = mag * (1 - angle);
    *m1 = mag * angle;
    int h = (int)fl;
    h = h < 0 ? h + k->n : (h >= k->n ? h - k->n : h);
    *b0 = (uint8_t)h;
    *b1 = (uint8_t)(h + 1 < k->n ? h + 1 : 0);
}

static void ck_hog_votes_scalar(const float *const *p, int cn, ck_hv_rows rl, size_t from, size_t count, size_t vecEnd,
                                const ck_hv_consts *k, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    for (size_t x = from; x < count; x++) {
        float dx, dy;
        ck_hv_select(p, cn, rl, x, x < vecEnd, &dx, &dy);
        ck_hv_vote(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
}

#if defined(__x86_64__)
#define CK_HV_W 8
#define CK_HV_ATTR CK_AVX2
#define CK_HV_NAME(name) name##8
#include "hog_votes_simd.h"
#undef CK_HV_NAME
#undef CK_HV_ATTR
#undef CK_HV_W

#define CK_HV_W 16
#define CK_HV_ATTR CK_AVX512
#define CK_HV_NAME(name) name##16
#include "hog_votes_simd.h"
#undef CK_HV_NAME
#undef CK_HV_ATTR
#undef CK_HV_W

/// Pixels `from..<count`: 8 a step below the vector end, then the scalar rule.
CK_AVX2 static void ck_hog_votes_avx2(const float *const *p, int cn, ck_hv_rows rl, size_t from, size_t count,
                                      size_t vecEnd, const ck_hv_consts *k, uint8_t *b0, uint8_t *b1, float *m0,
                                      float *m1) {
    size_t x = from;
    for (; x + 8 <= vecEnd; x += 8) {
        ck_hv_vf8 dx, dy;
        ck_hv_select8(p, cn, rl, x, &dx, &dy);
        ck_hv_vote8(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
    ck_hog_votes_scalar(p, cn, rl, x, count, vecEnd, k, b0, b1, m0, m1);
}

/// 16 pixels a step, the rest as ck_hog_votes_avx2 does it.
CK_AVX512 static void ck_hog_votes_avx512(const float *const *p, int cn, ck_hv_rows rl, size_t count, size_t vecEnd,
                                          const ck_hv_consts *k, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    size_t x = 0;
    for (; x + 16 <= vecEnd; x += 16) {
        ck_hv_vf16 dx, dy;
        ck_hv_select16(p, cn, rl, x, &dx, &dy);
        ck_hv_vote16(k, dx, dy, b0 + x, b1 + x, m0 + x, m1 + x);
    }
    ck_hog_votes_avx2(p, cn, rl, x, count, vecEnd, k, b0, b1, m0, m1);
}
#endif

void ck_hog_votes_framed(const float *p0, const float *p1, const float *p2, int cn, ptrdiff_t up, ptrdiff_t down,
                         size_t count, size_t vectorEnd, int n, float angleScale, uint8_t *b0, uint8_t *b1, float *m0, float *m1) {
    const float *p[3] = {p0, p1, p2};
    const ck_hv_consts k = ck_hv_make(n, angleScale);
    const ck_hv_rows rows = {up, down};
#if defined(__x86_64__)
    if (ck_has_avx512()) { ck_hog_votes_avx512(p, cn, rows, count, vectorEnd, &k, b0, b1, m0, m1); return; }
    if (ck_has_avx2()) { ck_hog_votes_avx2(p, cn, rows, 0, count, vectorEnd, &k, b0, b1, m0, m1); return; }
#endif
    ck_hog_votes_scalar(p, cn, rows, 0, count, vectorEnd, &k, b0, b1, m0, m1);
}
