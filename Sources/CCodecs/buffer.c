#include <stdlib.h>
#include "common.h"

int cc_buffer_append(cc_buffer *b, const uint8_t *p, size_t n) {
    if (b->failed) return 0;
    if (b->size + n > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 65536;
        while (cap < b->size + n) cap *= 2;
        uint8_t *q = realloc(b->data, cap);
        if (!q) { b->failed = 1; return 0; }
        b->data = q;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, p, n);
    b->size += n;
    return 1;
}

void cc_free(void *p) { free(p); }
