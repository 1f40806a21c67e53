// A small pool of worker threads for Parallel.forEachStripe. See include/kernels.h.
//
// Why not Dispatch: waking a sleeping Dispatch worker costs on the order of 0.1 ms on the
// development VM, as much as a whole sub-millisecond kernel, so those kernels gained nothing
// from a second thread. Workers here spin for a short while after each job (as OpenCV's pool
// does) and only then sleep, so back-to-back calls find them awake.
//
// Protocol: `claim` packs (job generation << 32 | next stripe). A job's fields are written
// before the generation is published; a worker runs a stripe only after claiming it with a
// compare-and-swap on the current generation, so the job (and its context) outlives every
// claimed stripe; the caller returns when `done` reaches the stripe count.
#include "kernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define CK_POOL_MAX_WORKERS 63
#define CK_POOL_SPIN_NS 200000L

static struct {
    _Atomic uint64_t claim;
    _Atomic long done;
    _Atomic int sleepers;
    _Atomic int busy;
    long stripes;
    int workers;
    ck_stripe_fn fn;
    void *ctx;
    int started;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
} ck_pool = {.mutex = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static inline void ck_cpu_relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

static long ck_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

// Claims and runs stripes of job `gen` until none are left or the job has changed.
static void ck_pool_work(uint32_t gen) {
    for (;;) {
        uint64_t c = atomic_load(&ck_pool.claim);
        if ((uint32_t)(c >> 32) != gen) return;
        uint32_t i = (uint32_t)c;
        if ((long)i >= ck_pool.stripes) return;
        if (atomic_compare_exchange_weak(&ck_pool.claim, &c, c + 1)) {
            ck_pool.fn(ck_pool.ctx, (long)i);
            atomic_fetch_add(&ck_pool.done, 1);
        }
    }
}

static void *ck_pool_worker(void *arg) {
    const int index = (int)(intptr_t)arg;
    uint32_t seen = (uint32_t)(atomic_load(&ck_pool.claim) >> 32);
    for (;;) {
        long spinStart = ck_now_ns();
        unsigned spins = 0;
        uint32_t gen;
        while ((gen = (uint32_t)(atomic_load(&ck_pool.claim) >> 32)) == seen) {
            ck_cpu_relax();
            if ((++spins & 255) == 0 && ck_now_ns() - spinStart > CK_POOL_SPIN_NS) {
                pthread_mutex_lock(&ck_pool.mutex);
                atomic_fetch_add(&ck_pool.sleepers, 1);
                while ((uint32_t)(atomic_load(&ck_pool.claim) >> 32) == seen)
                    pthread_cond_wait(&ck_pool.wake, &ck_pool.mutex);
                atomic_fetch_sub(&ck_pool.sleepers, 1);
                pthread_mutex_unlock(&ck_pool.mutex);
                spinStart = ck_now_ns();
            }
        }
        seen = gen;
        if (index < ck_pool.workers) ck_pool_work(gen);
    }
    return NULL;
}

void ck_pool_run(long stripes, int threads, ck_stripe_fn fn, void *ctx) {
    int idle = 0;
    if (threads > CK_POOL_MAX_WORKERS + 1) threads = CK_POOL_MAX_WORKERS + 1;
    if (threads <= 1 || stripes <= 1 || !atomic_compare_exchange_strong(&ck_pool.busy, &idle, 1)) {
        // One thread, one stripe, or the pool is taken (a nested or concurrent call): serial.
        for (long i = 0; i < stripes; i++) fn(ctx, i);
        return;
    }
    while (ck_pool.started < threads - 1) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&t, &attr, ck_pool_worker, (void *)(intptr_t)ck_pool.started);
        pthread_attr_destroy(&attr);
        if (failed) break;
        ck_pool.started++;
    }
    ck_pool.stripes = stripes;
    ck_pool.workers = threads - 1;
    ck_pool.fn = fn;
    ck_pool.ctx = ctx;
    atomic_store(&ck_pool.done, 0);
    const uint32_t gen = (uint32_t)(atomic_load(&ck_pool.claim) >> 32) + 1;
    atomic_store(&ck_pool.claim, (uint64_t)gen << 32);
    if (atomic_load(&ck_pool.sleepers) > 0) {
        pthread_mutex_lock(&ck_pool.mutex);
        pthread_cond_broadcast(&ck_pool.wake);
        pthread_mutex_unlock(&ck_pool.mutex);
    }
    ck_pool_work(gen);
    while (atomic_load(&ck_pool.done) < stripes) ck_cpu_relax();
    atomic_store(&ck_pool.busy, 0);
}
