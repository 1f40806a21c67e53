#include "kernels.h"

#define GRAY_BODY(C)                                                                       \
    for (size_t x = 0; x < width; x++) {                                                   \
        uint32_t v = 9798u * src[C * x] + 19235u * src[C * x + 1] + 3735u * src[C * x + 2] \
                     + (1u << 14);                                                         \
        dst[x] = (uint8_t)(v >> 15);                                                       \
    }

static void gray3_base(const uint8_t *restrict src, uint8_t *restrict dst, size_t width) { GRAY_BODY(3) }
static void gray4_base(const uint8_t *restrict src, uint8_t *restrict dst, size_t width) { GRAY_BODY(4) }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) static void gray3_avx2(const uint8_t *restrict src, uint8_t *restrict dst, size_t width) { GRAY_BODY(3) }
__attribute__((target("avx2"))) static void gray4_avx2(const uint8_t *restrict src, uint8_t *restrict dst, size_t width) { GRAY_BODY(4) }
static int has_avx2(void) { return __builtin_cpu_supports("avx2"); }
#else
#define gray3_avx2 gray3_base
#define gray4_avx2 gray4_base
static int has_avx2(void) { return 0; }
#endif

void ck_gray_u8(const uint8_t *src, uint8_t *dst, size_t width, int channels) {
    int avx2 = has_avx2();
    if (channels == 3) (avx2 ? gray3_avx2 : gray3_base)(src, dst, width);
    else (avx2 ? gray4_avx2 : gray4_base)(src, dst, width);
}
