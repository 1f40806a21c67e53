// Private helpers for the kernel files: each kernel body is an always-inline function compiled
// twice, once for the baseline target and once with AVX2 enabled, and chosen at run time.
#ifndef CLASSICCV_CK_DISPATCH_H
#define CLASSICCV_CK_DISPATCH_H
#include <stddef.h>
#include <stdint.h>

#define CK_INLINE static inline __attribute__((always_inline))

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CK_AVX2 __attribute__((target("avx2")))
#define CK_AVX2_FMA __attribute__((target("avx2,fma")))
static inline int ck_has_avx2(void) {
    static int cached = -1;  // benign race: every thread computes the same value
    if (cached < 0) cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    return cached;
}
static inline int ck_has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) cached = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    return cached;
}
/// AVX-512 F/VL with FMA: used where its 32 registers let a kernel keep enough independent
/// accumulators in flight (one 512-bit operation covers two 256-bit pipes' worth of samples).
#define CK_AVX512 __attribute__((target("avx2,fma,avx512f,avx512vl")))
static inline int ck_has_avx512(void) {
    static int cached = -1;
    if (cached < 0)
        cached = (ck_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) ? 1 : 0;
    return cached;
}
/// AVX-512 BW on top of that: 16-bit lanes (the 8-bit Gaussian's fixed-point kernels).
#define CK_AVX512BW __attribute__((target("avx2,fma,avx512f,avx512vl,avx512bw")))
static inline int ck_has_avx512bw(void) {
    static int cached = -1;
    if (cached < 0) cached = (ck_has_avx512() && __builtin_cpu_supports("avx512bw")) ? 1 : 0;
    return cached;
}
/// AVX-512 VBMI on top of that: byte permutes across a whole register (table lookups, plans).
#define CK_AVX512VBMI __attribute__((target("avx2,fma,avx512f,avx512vl,avx512bw,avx512vbmi")))
static inline int ck_has_avx512vbmi(void) {
    static int cached = -1;
    if (cached < 0) cached = (ck_has_avx512bw() && __builtin_cpu_supports("avx512vbmi")) ? 1 : 0;
    return cached;
}
#else
#define CK_AVX2
#define CK_AVX2_FMA
#define CK_AVX512
#define CK_AVX512BW
#define CK_AVX512VBMI
static inline int ck_has_avx2(void) { return 0; }
static inline int ck_has_avx2_fma(void) { return 0; }
static inline int ck_has_avx512(void) { return 0; }
static inline int ck_has_avx512bw(void) { return 0; }
static inline int ck_has_avx512vbmi(void) { return 0; }
#endif

/// Defines `ret name params` as a dispatcher between two compilations of `name##_body args`.
#define CK_MULTIVERSION(ret, name, params, args)                                 \
    static ret name##_base params { return name##_body args; }                   \
    CK_AVX2 static ret name##_avx2 params { return name##_body args; }           \
    ret name params { return ck_has_avx2() ? name##_avx2 args : name##_base args; }

/// As CK_MULTIVERSION, for a dispatcher private to its file.
#define CK_MULTIVERSION_STATIC(ret, name, params, args)                          \
    static ret name##_base params { return name##_body args; }                   \
    CK_AVX2 static ret name##_avx2 params { return name##_body args; }           \
    static ret name params { return ck_has_avx2() ? name##_avx2 args : name##_base args; }

/// As CK_MULTIVERSION, with fused multiply-add allowed in the fast compilation (Float kernels,
/// where contracting `a + b·c` changes only the last bit).
#define CK_MULTIVERSION_FMA(ret, name, params, args)                             \
    static ret name##_base params { return name##_body args; }                   \
    CK_AVX2_FMA static ret name##_avx2 params { return name##_body args; }       \
    ret name params { return ck_has_avx2_fma() ? name##_avx2 args : name##_base args; }

#endif
