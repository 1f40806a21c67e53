// JPEG decode/encode over libjpeg(-turbo). libjpeg reports errors through error_exit, which
// we turn into a longjmp back to the entry point; every setjmp is here.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include "common.h"

enum {
    CC_JPEG_MAX_SCANS = 1000,   // no encoder writes more than a few dozen
    CC_JPEG_SCAN_BUDGET = 32,   // full-image scans allowed at the pixel limit (encoders write ~10)
};

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    cc_error *err;
    int code;
    int warnings;
    uint64_t scan_budget;  // scans × pixels a decode may take (0: no budget)
} jpeg_context;

static void on_jpeg_error(j_common_ptr cinfo) {
    jpeg_context *ctx = (jpeg_context *)cinfo->err;
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    int code = ctx->code;
    if (cinfo->err->msg_code == JERR_BAD_PRECISION || cinfo->err->msg_code == JERR_NOT_COMPILED) code = CC_ERR_UNSUPPORTED;
    const char *extra = cinfo->err->msg_code == JWRN_JPEG_EOF     ? " (file is truncated)"
                        : cinfo->err->msg_code == JWRN_HIT_MARKER ? " (scan is truncated)"
                                                                  : "";
    if (ctx->err && ctx->err->code == CC_OK) cc_fail(ctx->err, code, "%s%s", msg, extra);
    longjmp(ctx->jump, 1);
}

// Warnings that mean pixels are missing or invented become errors: a truncated file must not
// decode to a grey patch. Other warnings (extraneous bytes before a marker...) are counted.
static void on_jpeg_message(j_common_ptr cinfo, int level) {
    jpeg_context *ctx = (jpeg_context *)cinfo->err;
    if (level >= 0) return;  // trace messages
    int code = cinfo->err->msg_code;
    // JPEG_EOF: the file ends inside a scan; HIT_MARKER: a scan stops early at a marker (EOI)
    // and libjpeg fills the rest with zeros; the others: undecodable entropy-coded data.
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE || code == JWRN_ARITH_BAD_CODE ||
        code == JWRN_MUST_RESYNC) {
        on_jpeg_error(cinfo);
    }
    ctx->warnings++;
}

// Caps the work a hostile progressive file can demand: each scan walks the whole image, so
// a few kilobytes of empty scans over a large frame cost minutes. Both the scan count and
// scans × pixels are bounded.
static void on_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    jpeg_context *ctx = (jpeg_context *)cinfo->err;
    uint64_t scans = (uint64_t)d->input_scan_number, pixels = (uint64_t)d->image_width * d->image_height;
    int too_many = scans > CC_JPEG_MAX_SCANS;
    int too_much = ctx->scan_budget && scans > ctx->scan_budget / (pixels ? pixels : 1);
    if (!too_many && !too_much) return;
    if (ctx->err && ctx->err->code == CC_OK) {
        if (too_many) cc_fail(ctx->err, CC_ERR_DECODE, "more than %d progressive scans", CC_JPEG_MAX_SCANS);
        else cc_fail(ctx->err, CC_ERR_LIMIT, "%llu progressive scans over %ux%u pixels exceed the decode work budget "
                     "(%d full scans at the pixel limit)", (unsigned long long)scans, d->image_width, d->image_height,
                     CC_JPEG_SCAN_BUDGET);
    }
    longjmp(ctx->jump, 1);
}

// Work budget of a decode: CC_JPEG_SCAN_BUDGET scans of an image at the pixel limit.
static uint64_t scan_budget(cc_limits limits) {
    if (!limits.max_pixels) return 0;
    return limits.max_pixels > UINT64_MAX / CC_JPEG_SCAN_BUDGET ? UINT64_MAX : limits.max_pixels * CC_JPEG_SCAN_BUDGET;
}

static uint16_t rd16(const uint8_t *p, int le) { return le ? (uint16_t)(p[0] | p[1] << 8) : (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p, int le) {
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

// EXIF orientation (tag 0x0112 in IFD0) from an APP1 payload; 1 when absent or malformed.
static int exif_orientation(const uint8_t *p, size_t n) {
    if (n < 14 || memcmp(p, "Exif\0\0", 6) != 0) return 1;
    const uint8_t *t = p + 6;
    size_t tn = n - 6;
    int le;
    if (t[0] == 'I' && t[1] == 'I') le = 1;
    else if (t[0] == 'M' && t[1] == 'M') le = 0;
    else return 1;
    if (rd16(t + 2, le) != 42) return 1;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd > tn || tn - ifd < 2) return 1;
    uint16_t count = rd16(t + ifd, le);
    for (uint32_t i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)i * 12;
        if (e + 12 > tn) return 1;
        if (rd16(t + e, le) == 0x0112) {
            uint16_t type = rd16(t + e + 2, le);
            uint16_t v = type == 3 ? rd16(t + e + 8, le) : 0;
            return v >= 1 && v <= 8 ? v : 1;
        }
    }
    return 1;
}

static void fill_info(j_decompress_ptr cinfo, cc_jpeg_info *info, jpeg_context *ctx) {
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->source_components = cinfo->num_components;
    info->jpeg_color_space = cinfo->jpeg_color_space;
    info->progressive = cinfo->progressive_mode;
    info->adobe_transform = cinfo->saw_Adobe_marker ? cinfo->Adobe_transform : -1;
    info->orientation = 1;
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp(m->data, "Exif\0\0", 6) == 0) {
            info->orientation = exif_orientation(m->data, m->data_length);
            break;
        }
    }
    info->channels = cinfo->jpeg_color_space == JCS_GRAYSCALE ? 1 : 3;
    info->warnings = ctx->warnings;
}

static int unsupported_space(j_decompress_ptr cinfo, cc_error *err) {
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: case JCS_YCbCr: case JCS_RGB: case JCS_CMYK: case JCS_YCCK: return CC_OK;
    default: return cc_fail(err, CC_ERR_UNSUPPORTED, "JPEG colour space %d with %d components",
                            (int)cinfo->jpeg_color_space, cinfo->num_components);
    }
}

static void setup_decompress(struct jpeg_decompress_struct *cinfo, jpeg_context *ctx, struct jpeg_progress_mgr *progress,
                             const uint8_t *data, size_t size) {
    cinfo->err = jpeg_std_error(&ctx->base);
    ctx->base.error_exit = on_jpeg_error;
    ctx->base.emit_message = on_jpeg_message;
    jpeg_create_decompress(cinfo);
    progress->progress_monitor = on_progress;
    cinfo->progress = progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
}

int cc_jpeg_read_info(const uint8_t *data, size_t size, cc_limits limits, cc_jpeg_info *info, cc_error *err) {
    if (err) err->code = CC_OK;
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8) return cc_fail(err, CC_ERR_DECODE, "not a JPEG file (no SOI marker)");
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    jpeg_context ctx = {.err = err, .code = CC_ERR_DECODE};
    setup_decompress(&cinfo, &ctx, &progress, data, size);
    if (setjmp(ctx.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return err->code;
    }
    jpeg_read_header(&cinfo, TRUE);
    int rc = cc_check_limits(cinfo.image_width, cinfo.image_height, limits, err);
    if (rc == CC_OK) rc = unsupported_space(&cinfo, err);
    if (rc == CC_OK) fill_info(&cinfo, info, &ctx);
    jpeg_destroy_decompress(&cinfo);
    return rc;
}

// Pillow's CMYK -> RGB: R = (255 - K) - C·(255 - K)/255, with its rounding (MULDIV255).
static inline uint8_t muldiv255(int a, int b) {
    int t = a * b + 128;
    return (uint8_t)(((t >> 8) + t) >> 8);
}

int cc_jpeg_decode(const uint8_t *data, size_t size, cc_limits limits,
                   uint8_t *out, size_t out_row_bytes, cc_jpeg_info *info, cc_error *err) {
    if (err) err->code = CC_OK;
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8) return cc_fail(err, CC_ERR_DECODE, "not a JPEG file (no SOI marker)");
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    jpeg_context ctx = {.err = err, .code = CC_ERR_DECODE, .scan_budget = scan_budget(limits)};
    uint8_t *volatile cmyk_row = NULL;
    setup_decompress(&cinfo, &ctx, &progress, data, size);
    if (setjmp(ctx.jump)) {
        free(cmyk_row);
        jpeg_destroy_decompress(&cinfo);
        return err->code;
    }
    jpeg_read_header(&cinfo, TRUE);
    cc_jpeg_info expected = *info;
    int rc = cc_check_limits(cinfo.image_width, cinfo.image_height, limits, err);
    if (rc == CC_OK) rc = unsupported_space(&cinfo, err);
    if (rc) {
        jpeg_destroy_decompress(&cinfo);
        return rc;
    }
    fill_info(&cinfo, info, &ctx);
    if (info->width != expected.width || info->height != expected.height || info->channels != expected.channels ||
        out_row_bytes < (size_t)info->width * info->channels) {
        jpeg_destroy_decompress(&cinfo);
        return cc_fail(err, CC_ERR_DECODE, "JPEG layout changed between header read and decode");
    }
    // Memory libjpeg may use: coefficient buffers for progressive files are the big item.
    cinfo.mem->max_memory_to_use = (long)(limits.max_pixels ? limits.max_pixels * 16 : 0);

    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cinfo.jpeg_color_space == JCS_GRAYSCALE) cinfo.out_color_space = JCS_GRAYSCALE;
    else if (cmyk) cinfo.out_color_space = JCS_CMYK;
    else cinfo.out_color_space = JCS_RGB;
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    jpeg_start_decompress(&cinfo);
    if (cmyk) {
        cmyk_row = malloc((size_t)cinfo.output_width * 4);
        if (!cmyk_row) ERREXIT(&cinfo, JERR_OUT_OF_MEMORY);
    }
    // Adobe files store CMYK inverted (Photoshop); undo that so C, M, Y, K mean ink amounts.
    int inverted = cinfo.saw_Adobe_marker;
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *row = out + (size_t)cinfo.output_scanline * out_row_bytes;
        if (!cmyk) {
            JSAMPROW r = row;
            jpeg_read_scanlines(&cinfo, &r, 1);
        } else {
            JSAMPROW r = cmyk_row;
            jpeg_read_scanlines(&cinfo, &r, 1);
            for (uint32_t x = 0; x < cinfo.output_width; x++) {
                const uint8_t *s = cmyk_row + 4 * x;
                int c = s[0], m = s[1], yv = s[2], k = s[3];
                if (inverted) { c = 255 - c; m = 255 - m; yv = 255 - yv; k = 255 - k; }
                int nk = 255 - k;
                row[3 * x + 0] = (uint8_t)(nk - muldiv255(c, nk));
                row[3 * x + 1] = (uint8_t)(nk - muldiv255(m, nk));
                row[3 * x + 2] = (uint8_t)(nk - muldiv255(yv, nk));
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    info->warnings = ctx.warnings;
    free(cmyk_row);
    jpeg_destroy_decompress(&cinfo);
    return CC_OK;
}

int cc_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t row_bytes,
                   int channels, int quality, int progressive, int subsampling, int optimize,
                   uint8_t **out, size_t *out_size, cc_error *err) {
    if (err) err->code = CC_OK;
    if (channels != 1 && channels != 3) return cc_fail(err, CC_ERR_ENCODE, "JPEG holds 1 or 3 channels, got %d", channels);
    if (width == 0 || height == 0 || width > 65500 || height > 65500)
        return cc_fail(err, CC_ERR_ENCODE, "JPEG dimensions must be 1...65500, got %ux%u", width, height);
    struct jpeg_compress_struct cinfo;
    jpeg_context ctx = {.err = err, .code = CC_ERR_ENCODE};
    unsigned char *volatile mem = NULL;
    unsigned long mem_size = 0;
    cinfo.err = jpeg_std_error(&ctx.base);
    ctx.base.error_exit = on_jpeg_error;
    jpeg_create_compress(&cinfo);
    if (setjmp(ctx.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(mem);
        return err->code;
    }
    unsigned char *m = NULL;
    jpeg_mem_dest(&cinfo, &m, &mem_size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.optimize_coding = optimize ? TRUE : FALSE;
    if (channels == 3) {
        int h = subsampling == 444 ? 1 : 2, v = subsampling == 420 ? 2 : 1;
        cinfo.comp_info[0].h_samp_factor = h;
        cinfo.comp_info[0].v_samp_factor = v;
        cinfo.comp_info[1].h_samp_factor = cinfo.comp_info[1].v_samp_factor = 1;
        cinfo.comp_info[2].h_samp_factor = cinfo.comp_info[2].v_samp_factor = 1;
    }
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW r = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
        jpeg_write_scanlines(&cinfo, &r, 1);
    }
    jpeg_finish_compress(&cinfo);
    mem = m;
    jpeg_destroy_compress(&cinfo);
    *out = mem;
    *out_size = mem_size;
    return CC_OK;
}
