// Small C kernels that need the compiler's vectoriser with run-time CPU dispatch (AVX2 when the
// processor has it, SSE2 otherwise). Plain loops: the algorithms live in Swift.
#ifndef CLASSICCV_KERNELS_H
#define CLASSICCV_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// OpenCV's RGB2GRAY for 8-bit samples: (9798 R + 19235 G + 3735 B + 2^14) >> 15.
/// `channels` is 3 (RGB) or 4 (RGBA, alpha ignored).
void ck_gray_u8(const uint8_t *src, uint8_t *dst, size_t width, int channels);

#endif
