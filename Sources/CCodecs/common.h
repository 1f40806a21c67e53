#ifndef CLASSICCV_CODECS_COMMON_H
#define CLASSICCV_CODECS_COMMON_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "codecs.h"

static inline int cc_fail(cc_error *err, int code, const char *fmt, ...) {
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static inline int cc_check_limits(uint64_t w, uint64_t h, cc_limits limits, cc_error *err) {
    if (w == 0 || h == 0) return cc_fail(err, CC_ERR_DECODE, "image has zero width or height (%llux%llu)",
                                         (unsigned long long)w, (unsigned long long)h);
    if ((limits.max_width && w > limits.max_width) || (limits.max_height && h > limits.max_height) ||
        (limits.max_pixels && w * h > limits.max_pixels))
        return cc_fail(err, CC_ERR_LIMIT, "%llux%llu exceeds the decode limits (max %llux%llu, %llu pixels)",
                       (unsigned long long)w, (unsigned long long)h, (unsigned long long)limits.max_width,
                       (unsigned long long)limits.max_height, (unsigned long long)limits.max_pixels);
    return CC_OK;
}

// A growable output buffer for encoders.
typedef struct {
    uint8_t *data;
    size_t size, capacity;
    int failed;
} cc_buffer;

int cc_buffer_append(cc_buffer *b, const uint8_t *p, size_t n);

#endif
