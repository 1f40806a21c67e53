// Stress harness for the stripe pool (Sources/CKernels/stripe_pool.c): many back-to-back
// ck_pool_run jobs, counting stripes run twice, stripes not yet run when ck_pool_run
// returned, and callbacks that ran after it returned. See docs/performance.md.
//
//   cc -O2 -pthread -I Sources/CKernels/include Tools/pool-stress/pool_stress.c
//      Sources/CKernels/stripe_pool.c -o /tmp/pool_stress && /tmp/pool_stress 8000000 2
// (one command; arguments: jobs, threads).
#include "kernels.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_STRIPES 16

static _Atomic long active = -1;        // the job whose ck_pool_run has not returned yet
static _Atomic int runs[MAX_STRIPES];   // runs of each stripe of the current job
static _Atomic long late;               // callbacks of a job that had already returned

static void stripe(void *ctx, long s) {
    long job = (long)(intptr_t)ctx;
    if (atomic_load(&active) != job) atomic_fetch_add(&late, 1);
    if (s >= 0 && s < MAX_STRIPES) atomic_fetch_add(&runs[s], 1);
}

int main(int argc, char **argv) {
    long jobs = argc > 1 ? atol(argv[1]) : 1000000;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    long twice = 0, missing = 0;
    for (long job = 0; job < jobs; job++) {
        long stripes = 2 + job % (MAX_STRIPES - 1);
        for (int s = 0; s < MAX_STRIPES; s++) atomic_store(&runs[s], 0);
        atomic_store(&active, job);
        ck_pool_run(stripes, threads, stripe, (void *)(intptr_t)job);
        atomic_store(&active, -1);
        for (long s = 0; s < stripes; s++) {
            int r = atomic_load(&runs[s]);
            if (r == 0) missing++;
            if (r > 1) twice += r - 1;
        }
    }
    printf("%ld jobs on %d threads: %ld stripes run twice, %ld not run at return, %ld callbacks after return\n",
           jobs, threads, twice, missing, atomic_load(&late));
    return twice || missing || atomic_load(&late) ? 1 : 0;
}
