/*
 * Raw FFTW baseline for `cvtool bench fft`: the same 2-D real-to-complex single-precision
 * transform, planned with the same flags on fftwf_malloc buffers, executed with
 * fftwf_execute and no wrapper at all.
 *
 *   gcc -O2 -o .bench/fftw_baseline Tools/fftw_baseline.c -lfftw3f -lm
 *   .bench/fftw_baseline WIDTH HEIGHT [REPEAT] [WISDOM_FILE] [estimate|measure]
 *
 * With WISDOM_FILE written by `cvtool bench fft IMAGE --wisdom WISDOM_FILE`, FFTW rebuilds the
 * very plan cvtool used (FFTW_MEASURE is non-deterministic otherwise). Prints one JSON line:
 * {"op": "fftw-raw", "width": W, "height": H, "median_ms": ..., "min_ms": ..., "planning_ms": ...}
 * Timing: one warm-up run, then REPEAT runs (default 50), median and minimum, CLOCK_MONOTONIC.
 */
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s WIDTH HEIGHT [REPEAT] [WISDOM_FILE] [estimate|measure]\n", argv[0]);
        return 64;
    }
    int w = atoi(argv[1]), h = atoi(argv[2]);
    int repeat = argc > 3 ? atoi(argv[3]) : 50;
    const char *wisdom = argc > 4 && strcmp(argv[4], "-") != 0 ? argv[4] : NULL;
    unsigned flags = (argc > 5 && strcmp(argv[5], "estimate") == 0) ? FFTW_ESTIMATE : FFTW_MEASURE;
    if (w < 1 || h < 1 || repeat < 1) { fprintf(stderr, "bad size or repeat\n"); return 64; }
    if (wisdom && !fftwf_import_wisdom_from_filename(wisdom)) {
        fprintf(stderr, "fftw_baseline: cannot import single-precision wisdom from %s\n", wisdom);
        return 1;
    }
    size_t n = (size_t)w * h, m = (size_t)h * (w / 2 + 1);
    float *in = fftwf_alloc_real(n);
    fftwf_complex *out = fftwf_alloc_complex(m);
    double t0 = now_ms();
    fftwf_plan p = fftwf_plan_dft_r2c_2d(h, w, in, out, flags);
    double planning = now_ms() - t0;
    if (!p) { fprintf(stderr, "no plan\n"); return 1; }
    srand(1);
    for (size_t i = 0; i < n; i++) in[i] = (float)(rand() % 256);
    fftwf_execute(p);  /* warm-up */
    double *t = malloc(sizeof(double) * repeat);
    for (int r = 0; r < repeat; r++) {
        double s = now_ms();
        fftwf_execute(p);
        t[r] = now_ms() - s;
    }
    qsort(t, repeat, sizeof(double), cmp);
    double median = repeat % 2 ? t[repeat / 2] : (t[repeat / 2 - 1] + t[repeat / 2]) / 2;
    printf("{\"op\": \"fftw-raw\", \"width\": %d, \"height\": %d, \"median_ms\": %.4f, \"min_ms\": %.4f, \"planning_ms\": %.3f}\n",
           w, h, median, t[0], planning);
    fftwf_destroy_plan(p);
    fftwf_free(in);
    fftwf_free(out);
    free(t);
    return 0;
}
