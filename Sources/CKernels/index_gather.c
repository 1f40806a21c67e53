// Indexed gathers of complex values plus a constant, the permutations of Rader's algorithm
// (FFTRader.swift): dst[i] = src[index[i]] + (add_re, add_im). The index tables are
// permutations, so the loads are scattered but every store is sequential.
#include "kernels.h"
#include "ck_dispatch.h"

#define CK_GATHER_KERNEL(T, SUFFIX)                                                                \
    CK_INLINE void ck_gather_##SUFFIX##_body(const void *from, const int32_t *index, void *to, size_t n, \
                                             T add_re, T add_im) {                               \
        const T *src = (const T *)from;                                                           \
        T *dst = (T *)to;                                                                         \
        for (size_t i = 0; i < n; i++) {                                                          \
            const T *s = src + 2 * (size_t)index[i];                                              \
            dst[2 * i] = s[0] + add_re;                                                           \
            dst[2 * i + 1] = s[1] + add_im;                                                       \
        }                                                                                         \
    }                                                                                             \
    CK_MULTIVERSION(void, ck_gather_##SUFFIX,                                                     \
                    (const void *src, const int32_t *index, void *dst, size_t n, T add_re, T add_im), \
                    (src, index, dst, n, add_re, add_im))

CK_GATHER_KERNEL(float, c64)
CK_GATHER_KERNEL(double, c128)
