// Complex FFTs down the columns of a block of complex Float columns (a multiple of 8: each row
// of the block is a run of pairs of 256-bit vectors), vectorized across the columns, so that
// every butterfly is plain vertical arithmetic with the twiddle broadcast and the block is
// never transposed. Stockham's autosort formulation (radices 4, 2, 3, 5): the first pass reads
// the block where it lies in the spectrum, the middle passes alternate between two contiguous
// scratch buffers that stay in L2, and the last pass writes the block back in natural order.
//
// Pass with radix R over the current length n = R·m, after s = N/n columns of sub-transforms
// are done (x, y: rows of the input and output of the pass):
//     y[q + s·(R·p + k)] = w_n^(p·k) · Σ_j x[q + s·(p + j·m)] · w_R^(j·k),  w_n = e^(∓2πi/n)
// for p < m, q < s, k < R (Van Loan, Computational Frameworks for the FFT, SIAM 1992, §1.7).
//
// The first pass reads R rows far apart in a large image: lines the hardware prefetchers do not
// see coming (one per page), so each stream is prefetched a few rows ahead. Timings and the
// variants not kept (512-bit registers, radix 8, four-step): docs/performance.md.
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

// 8 complex values in split form: real parts and imaginary parts in one register each. Loaded
// from two interleaved vectors by in-lane shuffles, which put the 8 columns in the order
// 0 1 4 5 2 3 6 7; every pass keeps that order and the last one's unpacks undo it.
typedef struct { __m256 re, im; } ck_c8;

CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_add(ck_c8 a, ck_c8 b) { return (ck_c8){_mm256_add_ps(a.re, b.re), _mm256_add_ps(a.im, b.im)}; }
CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_sub(ck_c8 a, ck_c8 b) { return (ck_c8){_mm256_sub_ps(a.re, b.re), _mm256_sub_ps(a.im, b.im)}; }
// a − i·b and a + i·b
CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_sub_i(ck_c8 a, ck_c8 b) { return (ck_c8){_mm256_add_ps(a.re, b.im), _mm256_sub_ps(a.im, b.re)}; }
CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_add_i(ck_c8 a, ck_c8 b) { return (ck_c8){_mm256_sub_ps(a.re, b.im), _mm256_add_ps(a.im, b.re)}; }
CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_scale(ck_c8 a, __m256 c) { return (ck_c8){_mm256_mul_ps(a.re, c), _mm256_mul_ps(a.im, c)}; }
// a + c·b
CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_fma(__m256 c, ck_c8 b, ck_c8 a) {
    return (ck_c8){_mm256_fmadd_ps(c, b.re, a.re), _mm256_fmadd_ps(c, b.im, a.im)};
}
// a·w for a twiddle broadcast from (cos, sin) at w
CK_AVX2_FMA CK_INLINE ck_c8 ck_c8_twiddle(ck_c8 a, const float *w) {
    const __m256 wr = _mm256_broadcast_ss(w), wi = _mm256_broadcast_ss(w + 1);
    return (ck_c8){_mm256_fmsub_ps(a.re, wr, _mm256_mul_ps(a.im, wi)), _mm256_fmadd_ps(a.re, wi, _mm256_mul_ps(a.im, wr))};
}

// The forward butterfly of radix R on a[0..R), in place, without twiddles: y_k = Σ a_j·w_R^(jk)
// with w_R = e^(−2πi/R). The backward one gives y_(R−k) in place of y_k (the caller swaps).
CK_AVX2_FMA CK_INLINE void ck_colfft_butterfly(int R, ck_c8 *a) {
    switch (R) {
    case 2: {
        const ck_c8 t = ck_c8_sub(a[0], a[1]);
        a[0] = ck_c8_add(a[0], a[1]);
        a[1] = t;
        break;
    }
    case 3: {
        // y1,2 = a0 − ½(a1 + a2) ∓ i·(√3/2)(a1 − a2)
        const ck_c8 sum = ck_c8_add(a[1], a[2]);
        const ck_c8 rot = ck_c8_scale(ck_c8_sub(a[1], a[2]), _mm256_set1_ps(0.86602540378443864676f));
        const ck_c8 u = ck_c8_fma(_mm256_set1_ps(-0.5f), sum, a[0]);
        a[0] = ck_c8_add(a[0], sum);
        a[1] = ck_c8_sub_i(u, rot);
        a[2] = ck_c8_add_i(u, rot);
        break;
    }
    case 4: {
        const ck_c8 t0 = ck_c8_add(a[0], a[2]), t1 = ck_c8_sub(a[0], a[2]);
        const ck_c8 t2 = ck_c8_add(a[1], a[3]), t3 = ck_c8_sub(a[1], a[3]);
        a[0] = ck_c8_add(t0, t2);
        a[2] = ck_c8_sub(t0, t2);
        a[1] = ck_c8_sub_i(t1, t3);
        a[3] = ck_c8_add_i(t1, t3);
        break;
    }
    case 5: {
        // y_k, y_(5−k) = a0 + c_k·(a1 + a4) + c_2k·(a2 + a3) ∓ i·(s_k·(a1 − a4) + s_2k·(a2 − a3)),
        // with c_j = cos(2πj/5), s_j = sin(2πj/5).
        const __m256 c1 = _mm256_set1_ps(0.30901699437494742410f), c2 = _mm256_set1_ps(-0.80901699437494742410f);
        const __m256 s1 = _mm256_set1_ps(0.95105651629515357212f), s2 = _mm256_set1_ps(0.58778525229247312917f);
        const ck_c8 b1 = ck_c8_add(a[1], a[4]), b4 = ck_c8_sub(a[1], a[4]);
        const ck_c8 b2 = ck_c8_add(a[2], a[3]), b3 = ck_c8_sub(a[2], a[3]);
        const ck_c8 u1 = ck_c8_fma(c2, b2, ck_c8_fma(c1, b1, a[0]));
        const ck_c8 u2 = ck_c8_fma(c1, b2, ck_c8_fma(c2, b1, a[0]));
        const ck_c8 v1 = ck_c8_fma(s2, b3, ck_c8_scale(b4, s1));
        const ck_c8 v2 = ck_c8_fma(_mm256_set1_ps(-0.95105651629515357212f), b3, ck_c8_scale(b4, s2));
        a[0] = ck_c8_add(a[0], ck_c8_add(b1, b2));
        a[1] = ck_c8_sub_i(u1, v1);
        a[4] = ck_c8_add_i(u1, v1);
        a[2] = ck_c8_sub_i(u2, v2);
        a[3] = ck_c8_add_i(u2, v2);
        break;
    }
    }
}

// One Stockham pass of radix R over `floats` floats of each row. x, y: rows `xs` and `ys`
// floats apart; n: current length; s: columns of finished sub-transforms. `first`: x is the
// block in the image (interleaved, prefetched ahead); `last`: y is (interleaved again).
CK_AVX2_FMA CK_INLINE void ck_colfft_pass(int R, int backward, int first, int last, const float *x, size_t xs, float *y,
                                          size_t ys, size_t floats, size_t n, size_t s, const float *tw) {
    const size_t m = n / (size_t)R;
    const size_t jump = s * m * xs, step = s * ys;  // between the R input rows, the R output rows
    for (size_t p = 0; p < m; p++) {
        const float *w = tw + 2 * p * (size_t)(R - 1);  // w_n^(p·k) at w[2(k − 1)]
        for (size_t q = 0; q < s; q++) {
            const float *in = x + (q + s * p) * xs;
            float *out = y + (q + s * (size_t)R * p) * ys;
            if (first)
                for (int j = 0; j < R; j++) {
                    const char *ahead = (const char *)(in + (size_t)j * jump + CK_COLFFT_PREFETCH_ROWS * xs);
                    for (size_t o = 0; o < 4 * floats; o += 64) _mm_prefetch(ahead + o, _MM_HINT_T0);
                    _mm_prefetch(ahead + 4 * floats - 1, _MM_HINT_T0);  // the run need not start a line
                }
            for (size_t v = 0; v < floats; v += 16) {
                ck_c8 a[5];
                for (int j = 0; j < R; j++) {
                    const __m256 lo = _mm256_loadu_ps(in + (size_t)j * jump + v), hi = _mm256_loadu_ps(in + (size_t)j * jump + v + 8);
                    a[j] = first ? (ck_c8){_mm256_shuffle_ps(lo, hi, 0x88), _mm256_shuffle_ps(lo, hi, 0xDD)} : (ck_c8){lo, hi};
                }
                ck_colfft_butterfly(R, a);
                for (int k = 0; k < R; k++) {
                    ck_c8 z = a[backward && k ? R - k : k];
                    if (k && p) z = ck_c8_twiddle(z, w + 2 * (k - 1));
                    float *o = out + (size_t)k * step + v;
                    _mm256_storeu_ps(o, last ? _mm256_unpacklo_ps(z.re, z.im) : z.re);
                    _mm256_storeu_ps(o + 8, last ? _mm256_unpackhi_ps(z.re, z.im) : z.im);
                }
            }
        }
    }
}

// Dispatches on the pass's radix, direction and position with constant arguments, so that each
// combination is compiled on its own.
#define CK_COLFFT_PASS_CASES(B, F, L)                                                          \
    switch (R) {                                                                               \
    case 2: ck_colfft_pass(2, B, F, L, x, xs, y, ys, row, len, s, tw); break;                  \
    case 3: ck_colfft_pass(3, B, F, L, x, xs, y, ys, row, len, s, tw); break;                  \
    case 4: ck_colfft_pass(4, B, F, L, x, xs, y, ys, row, len, s, tw); break;                  \
    default: ck_colfft_pass(5, B, F, L, x, xs, y, ys, row, len, s, tw); break;                 \
    }

CK_AVX2_FMA static void ck_colfft_run_avx2(const ck_colfft_plan *plan, float *block, size_t stride, size_t columns,
                                           float *scratch) {
    const size_t n = plan->n, bs = 2 * stride, row = 2 * columns;
    float *buffers[2] = {scratch, scratch + n * row};
    const float *x = block;
    size_t xs = bs, len = n, s = 1;
    for (int i = 0; i < plan->passes; i++) {
        const int first = i == 0, last = i == plan->passes - 1, R = plan->radix[i];
        float *y = last ? block : buffers[i % 2];
        const size_t ys = last ? bs : row;
        const float *tw = plan->twiddles[i];
        if (plan->backward) {
            if (first && last) CK_COLFFT_PASS_CASES(1, 1, 1)
            else if (first) CK_COLFFT_PASS_CASES(1, 1, 0)
            else if (last) CK_COLFFT_PASS_CASES(1, 0, 1)
            else CK_COLFFT_PASS_CASES(1, 0, 0)
        } else {
            if (first && last) CK_COLFFT_PASS_CASES(0, 1, 1)
            else if (first) CK_COLFFT_PASS_CASES(0, 1, 0)
            else if (last) CK_COLFFT_PASS_CASES(0, 0, 1)
            else CK_COLFFT_PASS_CASES(0, 0, 0)
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
