// The vector form of hog_votes.c's per-pixel rule, written once for CK_HV_W lanes (8 with
// AVX2, 16 with AVX-512) in Clang's vector extensions and included once per width by
// hog_votes.c: the same Float operations as ck_hv_select / ck_hv_vote on every lane (separate
// multiplies and adds, selects for the branches), so every width gives the same bits.
// Expects CK_HV_W, CK_HV_ATTR (the target attribute) and CK_HV_NAME(name) (name with the width).

typedef float CK_HV_NAME(ck_hv_vf) __attribute__((vector_size(4 * CK_HV_W), aligned(4)));
typedef int32_t CK_HV_NAME(ck_hv_vi) __attribute__((vector_size(4 * CK_HV_W), aligned(4)));
typedef uint8_t CK_HV_NAME(ck_hv_vb) __attribute__((vector_size(CK_HV_W), aligned(1)));

#define VF CK_HV_NAME(ck_hv_vf)
#define VI CK_HV_NAME(ck_hv_vi)
#define SEL(m, t, f) ((VF)(((VI)(t) & (m)) | ((VI)(f) & ~(m))))

CK_HV_ATTR static inline void CK_HV_NAME(ck_hv_grad)(const float *p, ck_hv_rows rl, size_t x, VF *gx, VF *gy) {
    *gx = *(const VF *)(p + x + 1) - *(const VF *)(p + x - 1);
    *gy = *(const VF *)(p + x + rl.down) - *(const VF *)(p + x + rl.up);
}

/// Columns below the vector end: the selection of OpenCV's vector loop (ties prefer B, then G).
CK_HV_ATTR static inline void CK_HV_NAME(ck_hv_select)(const float *const *p, int cn, ck_hv_rows rl, size_t x, VF *dx,
                                                        VF *dy) {
    if (cn == 1) { CK_HV_NAME(ck_hv_grad)(p[0], rl, x, dx, dy); return; }
    VF rx, ry, gx, gy, bx, by;
    CK_HV_NAME(ck_hv_grad)(p[0], rl, x, &rx, &ry);
    CK_HV_NAME(ck_hv_grad)(p[1], rl, x, &gx, &gy);
    CK_HV_NAME(ck_hv_grad)(p[2], rl, x, &bx, &by);
    const VF mR = rx * rx + ry * ry, mG = gx * gx + gy * gy, mB = bx * bx + by * by;
    const VI rOverG = mR > mG, keep = (mR > mB) | (mG > mB);
    *dx = SEL(keep, SEL(rOverG, rx, gx), bx);
    *dy = SEL(keep, SEL(rOverG, ry, gy), by);
}

CK_HV_ATTR static inline void CK_HV_NAME(ck_hv_vote)(const ck_hv_consts *k, VF dx, VF dy, uint8_t *b0, uint8_t *b1,
                                                      float *m0, float *m1) {
    const VF mag = __builtin_elementwise_sqrt(dx * dx + dy * dy);
    const VF ax = __builtin_elementwise_abs(dx), ay = __builtin_elementwise_abs(dy);
    const VI xMajor = ax >= ay;
    const VF c = SEL(xMajor, ay, ax) / (SEL(xMajor, ax, ay) + k->eps), c2 = c * c;
    VF a = ((((k->p7 * c2 + k->p5) * c2 + k->p3) * c2 + k->p1) * c);
    a = SEL(xMajor, a, 90 - a);
    a = SEL(dx < 0, 180 - a, a);
    a = SEL(dy < 0, 360 - a, a);
    VF angle = a * k->radPerDeg;
    angle = angle * k->angleScale - 0.5f;
    const VF fl = __builtin_elementwise_floor(angle);
    angle = angle - fl;
    *(VF *)m0 = mag * (1 - angle);
    *(VF *)m1 = mag * angle;
    VI h = __builtin_convertvector(fl, VI);  // fl is an integer: exact
    h = h + ((h < 0) & k->n);
    h = h - ((h >= k->n) & k->n);
    VI h1 = h + 1;
    h1 = h1 & (h1 < k->n);
    *(CK_HV_NAME(ck_hv_vb) *)b0 = __builtin_convertvector(h, CK_HV_NAME(ck_hv_vb));
    *(CK_HV_NAME(ck_hv_vb) *)b1 = __builtin_convertvector(h1, CK_HV_NAME(ck_hv_vb));
}

#undef SEL
#undef VI
#undef VF
