// Complex FFTs down the columns of a block of complex Float columns (a multiple of 4: each row
// of the block is a run of 256-bit vectors), vectorized across the columns, so that every
// butterfly is plain vertical arithmetic with the twiddle broadcast and the block is never
// transposed. Stockham's autosort formulation (radices 4, 2, 3, 5): the first pass reads the
// block where it lies in the spectrum, the middle passes alternate between two contiguous
// scratch buffers that stay in L2, and the last pass writes the block back in natural order.
//
// Pass with radix R over the current length n = R·m, after s = N/n columns of sub-transforms
// are done (x, y: rows of the input and output of the pass):
//     y[q + s·(R·p + k)] = w_n^(p·k) · Σ_j x[q + s·(p + j·m)] · w_R^(j·k),  w_n = e^(∓2πi/n)
// for p < m, q < s, k < R (Van Loan, Computational Frameworks for the FFT, SIAM 1992, §1.7).
//
// The first pass reads R rows far apart in a large image: lines the hardware prefetchers do not
// see coming (one per page), so each stream is prefetched a few rows ahead. Blocks of 32
// columns (256 bytes of each row) beat 8 and 16 at 1024², 1080p and 4K: fewer blocks, each
// reading longer runs of every row.
#include <math.h>
#include <stdlib.h>
#include "kernels.h"
#include "ck_dispatch.h"

#define CK_COLFFT_MAX_PASSES 64
#define CK_COLFFT_PREFETCH_ROWS 16

struct ck_colfft_plan {
    size_t n;
    int backward;
    int passes;
    int radix[CK_COLFFT_MAX_PASSES];
    float *twiddles[CK_COLFFT_MAX_PASSES];  // pass i: (cos, sin) of w_n^(p·k) at [p·(R−1) + k−1]
};

static int ck_colfft_next_radix(size_t n) {
    if (n % 4 == 0) return 4;
    if (n % 2 == 0) return 2;
    if (n % 3 == 0) return 3;
    if (n % 5 == 0) return 5;
    return 0;
}

void ck_colfft_plan_destroy(ck_colfft_plan *plan) {
    if (!plan) return;
    for (int i = 0; i < plan->passes; i++) free(plan->twiddles[i]);
    free(plan);
}

ck_colfft_plan *ck_colfft_plan_create(size_t n, int backward) {
    if (n < 2 || !ck_has_avx2_fma()) return NULL;
    ck_colfft_plan *plan = calloc(1, sizeof *plan);
    if (!plan) return NULL;
    plan->n = n;
    plan->backward = backward;
    const double sign = backward ? 2.0 : -2.0;
    size_t len = n;
    while (len > 1) {
        const int r = ck_colfft_next_radix(len);
        if (r == 0 || plan->passes == CK_COLFFT_MAX_PASSES) { ck_colfft_plan_destroy(plan); return NULL; }
        const size_t m = len / (size_t)r;
        float *t = malloc(sizeof(float) * 2 * (m * (size_t)(r - 1) + 1));
        if (!t) { ck_colfft_plan_destroy(plan); return NULL; }
        // Angles in Double, so that every twiddle is the correctly rounded Float.
        for (size_t p = 0; p < m; p++)
            for (int k = 1; k < r; k++) {
                const double a = sign * M_PI * (double)(p * (size_t)k) / (double)len;
                t[2 * (p * (size_t)(r - 1) + (size_t)(k - 1))] = (float)cos(a);
                t[2 * (p * (size_t)(r - 1) + (size_t)(k - 1)) + 1] = (float)sin(a);
            }
        plan->radix[plan->passes] = r;
        plan->twiddles[plan->passes] = t;
        plan->passes++;
        len = m;
    }
    return plan;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// v·w for a broadcast twiddle w = (wr, wi): (vr·wr − vi·wi, vi·wr + vr·wi).
#define CK_CMUL_BCAST(v, wr, wi) _mm256_fmaddsub_ps(v, wr, _mm256_mul_ps(_mm256_permute_ps(v, 0xB1), wi))
// v·i: (−vi, vr); v·(−i) is its negation.
#define CK_TIMES_I(v, neg_re) _mm256_xor_ps(_mm256_permute_ps(v, 0xB1), neg_re)

// One butterfly of radix R on a[0..R) (one vector of 4 columns from each of R rows), in place,
// without the twiddles. `dir` is −1 forward, +1 backward (the sign of the exponent).
CK_AVX2_FMA CK_INLINE void ck_colfft_butterfly(int R, __m256 *a, float dir) {
    const __m256 neg_re = _mm256_setr_ps(-0.f, 0, -0.f, 0, -0.f, 0, -0.f, 0);
    const __m256 d = _mm256_set1_ps(dir);
    switch (R) {
    case 2: {
        const __m256 s = _mm256_add_ps(a[0], a[1]), t = _mm256_sub_ps(a[0], a[1]);
        a[0] = s; a[1] = t;
        break;
    }
    case 3: {
        // y1,2 = a0 − ½(a1 + a2) ± dir·i·(√3/2)(a1 − a2)
        const __m256 sum = _mm256_add_ps(a[1], a[2]);
        const __m256 rot = _mm256_mul_ps(_mm256_mul_ps(d, _mm256_set1_ps(0.86602540378443864676f)),
                                         CK_TIMES_I(_mm256_sub_ps(a[1], a[2]), neg_re));
        const __m256 u = _mm256_fmadd_ps(_mm256_set1_ps(-0.5f), sum, a[0]);
        a[0] = _mm256_add_ps(a[0], sum);
        a[1] = _mm256_add_ps(u, rot);
        a[2] = _mm256_sub_ps(u, rot);
        break;
    }
    case 4: {
        const __m256 t0 = _mm256_add_ps(a[0], a[2]), t1 = _mm256_sub_ps(a[0], a[2]);
        const __m256 t2 = _mm256_add_ps(a[1], a[3]);
        const __m256 t3 = _mm256_mul_ps(d, CK_TIMES_I(_mm256_sub_ps(a[1], a[3]), neg_re));  // dir·i·(a1 − a3)
        a[0] = _mm256_add_ps(t0, t2);
        a[2] = _mm256_sub_ps(t0, t2);
        a[1] = _mm256_add_ps(t1, t3);
        a[3] = _mm256_sub_ps(t1, t3);
        break;
    }
    case 5: {
        // y_k = a0 + c_k·(a1 + a4) + c_2k·(a2 + a3) + dir·i·(s_k·(a1 − a4) + s_2k·(a2 − a3)),
        // with c_j = cos(2πj/5), s_j = sin(2πj/5).
        const __m256 c1 = _mm256_set1_ps(0.30901699437494742410f), c2 = _mm256_set1_ps(-0.80901699437494742410f);
        const __m256 s1 = _mm256_mul_ps(d, _mm256_set1_ps(0.95105651629515357212f));
        const __m256 s2 = _mm256_mul_ps(d, _mm256_set1_ps(0.58778525229247312917f));
        const __m256 b1 = _mm256_add_ps(a[1], a[4]), b4 = _mm256_sub_ps(a[1], a[4]);
        const __m256 b2 = _mm256_add_ps(a[2], a[3]), b3 = _mm256_sub_ps(a[2], a[3]);
        const __m256 u1 = _mm256_fmadd_ps(c2, b2, _mm256_fmadd_ps(c1, b1, a[0]));
        const __m256 u2 = _mm256_fmadd_ps(c1, b2, _mm256_fmadd_ps(c2, b1, a[0]));
        const __m256 v1 = CK_TIMES_I(_mm256_fmadd_ps(s2, b3, _mm256_mul_ps(s1, b4)), neg_re);
        const __m256 v2 = CK_TIMES_I(_mm256_fnmadd_ps(s1, b3, _mm256_mul_ps(s2, b4)), neg_re);
        a[0] = _mm256_add_ps(a[0], _mm256_add_ps(b1, b2));
        a[1] = _mm256_add_ps(u1, v1);
        a[4] = _mm256_sub_ps(u1, v1);
        a[2] = _mm256_add_ps(u2, v2);
        a[3] = _mm256_sub_ps(u2, v2);
        break;
    }
    }
}

// One Stockham pass of radix R over `floats` floats of each row. x, y: rows `xs` and `ys`
// floats apart; n: current length; s: columns of finished sub-transforms; `prefetch`: the input
// is the block in the image.
CK_AVX2_FMA CK_INLINE void ck_colfft_pass(int R, const float *x, size_t xs, float *y, size_t ys, size_t floats, size_t n,
                                          size_t s, const float *tw, float dir, int prefetch) {
    const size_t m = n / (size_t)R;
    const size_t jump = s * m * xs, step = s * ys;  // between the R input rows, the R output rows
    for (size_t p = 0; p < m; p++) {
        __m256 wr[5], wi[5];
        for (int k = 1; k < R; k++) {
            wr[k] = _mm256_set1_ps(tw[2 * (p * (size_t)(R - 1) + (size_t)(k - 1))]);
            wi[k] = _mm256_set1_ps(tw[2 * (p * (size_t)(R - 1) + (size_t)(k - 1)) + 1]);
        }
        for (size_t q = 0; q < s; q++) {
            const float *in = x + (q + s * p) * xs;
            float *out = y + (q + s * (size_t)R * p) * ys;
            if (prefetch)
                for (int j = 0; j < R; j++) {
                    const char *ahead = (const char *)(in + (size_t)j * jump + CK_COLFFT_PREFETCH_ROWS * xs);
                    for (size_t o = 0; o < 4 * floats; o += 64) _mm_prefetch(ahead + o, _MM_HINT_T0);
                    _mm_prefetch(ahead + 4 * floats - 1, _MM_HINT_T0);  // the run need not start a line
                }
            for (size_t v = 0; v < floats; v += 8) {
                __m256 a[5];
                for (int j = 0; j < R; j++) a[j] = _mm256_loadu_ps(in + (size_t)j * jump + v);
                ck_colfft_butterfly(R, a, dir);
                _mm256_storeu_ps(out + v, a[0]);
                for (int k = 1; k < R; k++)
                    _mm256_storeu_ps(out + (size_t)k * step + v, p == 0 ? a[k] : CK_CMUL_BCAST(a[k], wr[k], wi[k]));
            }
        }
    }
}

CK_AVX2_FMA static void ck_colfft_run_avx2(const ck_colfft_plan *plan, float *block, size_t stride, size_t columns,
                                           float *scratch) {
    const size_t n = plan->n, bs = 2 * stride, row = 2 * columns;
    float *buffers[2] = {scratch, scratch + n * row};
    const float dir = plan->backward ? 1.0f : -1.0f;
    const float *x = block;
    size_t xs = bs, len = n, s = 1;
    for (int i = 0; i < plan->passes; i++) {
        const int last = i == plan->passes - 1, R = plan->radix[i];
        float *y = last ? block : buffers[i % 2];
        const size_t ys = last ? bs : row;
        const float *tw = plan->twiddles[i];
        const int prefetch = i == 0;
        switch (R) {
        case 2: ck_colfft_pass(2, x, xs, y, ys, row, len, s, tw, dir, prefetch); break;
        case 3: ck_colfft_pass(3, x, xs, y, ys, row, len, s, tw, dir, prefetch); break;
        case 4: ck_colfft_pass(4, x, xs, y, ys, row, len, s, tw, dir, prefetch); break;
        default: ck_colfft_pass(5, x, xs, y, ys, row, len, s, tw, dir, prefetch); break;
        }
        x = y;
        xs = ys;
        len /= (size_t)R;
        s *= (size_t)R;
    }
}

void ck_colfft_run(const ck_colfft_plan *plan, float *block, size_t stride, size_t columns, float *scratch) {
    ck_colfft_run_avx2(plan, block, stride, columns, scratch);
}
#else
void ck_colfft_run(const ck_colfft_plan *plan, float *block, size_t stride, size_t columns, float *scratch) {
    (void)plan; (void)block; (void)stride; (void)columns; (void)scratch;  // plans are never made without AVX2
}
#endif
