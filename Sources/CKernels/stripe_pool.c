// A small pool of worker threads for CVCore's `Parallel`. See include/kernels.h.
//
// Why not Dispatch: waking a sleeping Dispatch worker costs as much as a whole
// sub-millisecond kernel, so such kernels gained nothing from a second thread. Workers here
// spin for a short while after each job (as OpenCV's pool does) and only then sleep, so
// back-to-back calls find them awake. Measurements: docs/performance.md.
//
// Protocol. `claim` packs (generation << 32 | next stripe). Each job takes two generations:
// an odd one while it is open, then an even one, with the next stripe at CK_CLOSED, once it
// is done. The caller writes a job's fields (atomics) only while the pool is closed, then
// opens it. A worker reads the fields after loading `claim` and runs a stripe only after a
// compare-and-swap of that same `claim` value succeeds: had the caller closed the job
// meanwhile (and so perhaps written the next job's fields), the swap fails. So every stripe
// a worker runs was claimed from the job whose fields it read, runs once, and is counted in
// that job's `done`, which the caller waits for before it closes the job and returns.
#include "kernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define CK_POOL_MAX_WORKERS 63
#define CK_POOL_SPIN_NS 200000L
#define CK_CLOSED 0xFFFFFFFFu

static struct {
    _Atomic uint64_t claim;
    _Atomic long done;
    _Atomic int sleepers;       // workers waiting on `wake`
    _Atomic int callerWaiting;  // the caller waits on `finished`
    _Atomic int busy;
    // The open job: written by its caller while the pool is closed.
    _Atomic long stripes;
    _Atomic int threads;  // participants: the caller (0) and workers 1 ..< threads
    _Atomic(ck_stripe_fn) fn;
    _Atomic(void *) ctx;
    int started;  // workers created; touched only by the caller holding `busy`
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    pthread_cond_t finished;
} ck_pool = {
    .claim = (uint64_t)CK_CLOSED,
    .mutex = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .finished = PTHREAD_COND_INITIALIZER,
};

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

static inline uint32_t ck_generation(uint64_t claim) { return (uint32_t)(claim >> 32); }

// Tells a caller sleeping in ck_pool_wait that its last stripe is done.
static void ck_pool_finished(void) {
    if (!atomic_load(&ck_pool.callerWaiting)) return;
    pthread_mutex_lock(&ck_pool.mutex);
    pthread_cond_broadcast(&ck_pool.finished);
    pthread_mutex_unlock(&ck_pool.mutex);
}

// Participant `index` claims and runs stripes of the open job `gen` until none are left or
// the job has changed.
static void ck_pool_work(uint32_t gen, int index) {
    for (;;) {
        uint64_t c = atomic_load(&ck_pool.claim);
        if (ck_generation(c) != gen) return;
        const long i = (long)(uint32_t)c;
        const long stripes = atomic_load(&ck_pool.stripes);
        const int threads = atomic_load(&ck_pool.threads);
        const ck_stripe_fn fn = atomic_load(&ck_pool.fn);
        void *const ctx = atomic_load(&ck_pool.ctx);
        if (i >= stripes || index >= threads) return;
        // Succeeds only if `claim` still holds c: the job was not closed since the fields were read.
        if (!atomic_compare_exchange_weak(&ck_pool.claim, &c, c + 1)) continue;
        fn(ctx, i);
        if (atomic_fetch_add(&ck_pool.done, 1) + 1 == stripes) ck_pool_finished();
    }
}

// Waits until the generation differs from `seen`: spins for CK_POOL_SPIN_NS, then sleeps.
static uint32_t ck_pool_next_generation(uint32_t seen) {
    long spinStart = ck_now_ns();
    unsigned spins = 0;
    uint32_t gen;
    while ((gen = ck_generation(atomic_load(&ck_pool.claim))) == seen) {
        ck_cpu_relax();
        if ((++spins & 255) == 0 && ck_now_ns() - spinStart > CK_POOL_SPIN_NS) {
            pthread_mutex_lock(&ck_pool.mutex);
            atomic_fetch_add(&ck_pool.sleepers, 1);
            while (ck_generation(atomic_load(&ck_pool.claim)) == seen)
                pthread_cond_wait(&ck_pool.wake, &ck_pool.mutex);
            atomic_fetch_sub(&ck_pool.sleepers, 1);
            pthread_mutex_unlock(&ck_pool.mutex);
            spinStart = ck_now_ns();
        }
    }
    return gen;
}

static void *ck_pool_worker(void *arg) {
    const int index = (int)(intptr_t)arg;
    uint32_t gen = ck_generation(atomic_load(&ck_pool.claim));
    // The job that started this worker may already be open (odd generation): a worker that
    // waited for the next generation sat out the first job of the process.
    if (gen & 1) ck_pool_work(gen, index);
    for (;;) {
        gen = ck_pool_next_generation(gen);
        if (gen & 1) ck_pool_work(gen, index);
    }
    return NULL;
}

// Creates workers 1 ..< threads that do not exist yet (fewer if the system refuses).
static void ck_pool_start_workers(int threads) {
    while (ck_pool.started < threads - 1) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&t, &attr, ck_pool_worker, (void *)(intptr_t)(ck_pool.started + 1));
        pthread_attr_destroy(&attr);
        if (failed) break;
        ck_pool.started++;
    }
}

// Waits until `done` reaches `stripes`: spins for CK_POOL_SPIN_NS (short jobs end sooner),
// then sleeps until the worker that finishes the last stripe signals.
static void ck_pool_wait(long stripes) {
    long spinStart = ck_now_ns();
    unsigned spins = 0;
    while (atomic_load(&ck_pool.done) < stripes) {
        ck_cpu_relax();
        if ((++spins & 255) == 0 && ck_now_ns() - spinStart > CK_POOL_SPIN_NS) {
            pthread_mutex_lock(&ck_pool.mutex);
            atomic_store(&ck_pool.callerWaiting, 1);
            while (atomic_load(&ck_pool.done) < stripes) pthread_cond_wait(&ck_pool.finished, &ck_pool.mutex);
            atomic_store(&ck_pool.callerWaiting, 0);
            pthread_mutex_unlock(&ck_pool.mutex);
        }
    }
}

void ck_pool_run(long stripes, int threads, ck_stripe_fn fn, void *ctx) {
    int idle = 0;
    if (threads > CK_POOL_MAX_WORKERS + 1) threads = CK_POOL_MAX_WORKERS + 1;
    if (threads <= 1 || stripes <= 1 || stripes >= (long)CK_CLOSED
        || !atomic_compare_exchange_strong(&ck_pool.busy, &idle, 1)) {
        // One thread, one stripe, or the pool is taken (a nested or concurrent call): serial.
        for (long i = 0; i < stripes; i++) fn(ctx, i);
        return;
    }
    ck_pool_start_workers(threads);
    // 1. Fill in the job while the pool is closed, then open it.
    atomic_store(&ck_pool.stripes, stripes);
    atomic_store(&ck_pool.threads, threads);
    atomic_store(&ck_pool.fn, fn);
    atomic_store(&ck_pool.ctx, ctx);
    atomic_store(&ck_pool.done, 0);
    const uint32_t open = ck_generation(atomic_load(&ck_pool.claim)) + 1;
    atomic_store(&ck_pool.claim, (uint64_t)open << 32);
    if (atomic_load(&ck_pool.sleepers) > 0) {
        pthread_mutex_lock(&ck_pool.mutex);
        pthread_cond_broadcast(&ck_pool.wake);
        pthread_mutex_unlock(&ck_pool.mutex);
    }
    // 2. Take stripes like any worker, wait for the others, close the job.
    ck_pool_work(open, 0);
    ck_pool_wait(stripes);
    atomic_store(&ck_pool.claim, (uint64_t)(open + 1) << 32 | CK_CLOSED);
    atomic_store(&ck_pool.busy, 0);
}
