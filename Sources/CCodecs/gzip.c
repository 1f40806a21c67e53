// gzip/zlib inflate for IDX datasets (Debian ships MNIST-format files gzip-compressed).
#include <stdlib.h>
#include <zlib.h>
#include "common.h"

int cc_gunzip(const uint8_t *data, size_t size, size_t max_out, uint8_t **out, size_t *out_size, cc_error *err) {
    if (err) err->code = CC_OK;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) return cc_fail(err, CC_ERR_NOMEM, "cannot initialise zlib");  // +32: gzip or zlib
    cc_buffer buf = {0};
    uint8_t chunk[1 << 16];
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)(size > 0x7fffffff ? 0x7fffffff : size);
    int zr;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof chunk;
        zr = inflate(&zs, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            inflateEnd(&zs);
            free(buf.data);
            if (zr == Z_BUF_ERROR) return cc_fail(err, CC_ERR_DECODE, "compressed stream is truncated");
            return cc_fail(err, CC_ERR_DECODE, "corrupt compressed stream (%s)", zs.msg ? zs.msg : "zlib error");
        }
        size_t produced = sizeof chunk - zs.avail_out;
        if (buf.size + produced > max_out) {
            inflateEnd(&zs);
            free(buf.data);
            return cc_fail(err, CC_ERR_LIMIT, "decompressed size exceeds %zu bytes", max_out);
        }
        if (!cc_buffer_append(&buf, chunk, produced)) {
            inflateEnd(&zs);
            free(buf.data);
            return cc_fail(err, CC_ERR_NOMEM, "out of memory");
        }
        if (zr != Z_STREAM_END && zs.avail_in == 0 && produced == 0) {
            inflateEnd(&zs);
            free(buf.data);
            return cc_fail(err, CC_ERR_DECODE, "compressed stream is truncated");
        }
    } while (zr != Z_STREAM_END);
    inflateEnd(&zs);
    *out = buf.data;
    *out_size = buf.size;
    return CC_OK;
}

int cc_gunzip_head(const uint8_t *data, size_t size, uint8_t *out, size_t want, size_t *out_size) {
    *out_size = 0;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) return CC_ERR_NOMEM;
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)(size > 0x7fffffff ? 0x7fffffff : size);
    zs.next_out = out;
    zs.avail_out = (uInt)want;
    int zr = Z_OK;
    while (zs.avail_out > 0 && zr == Z_OK) zr = inflate(&zs, Z_NO_FLUSH);
    *out_size = want - zs.avail_out;
    inflateEnd(&zs);
    return (zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR) ? CC_OK : CC_ERR_DECODE;
}
