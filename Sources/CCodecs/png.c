// PNG decode/encode over libpng. libpng reports errors by longjmp; every setjmp is here.
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include "common.h"

typedef struct {
    const uint8_t *data;
    size_t size, pos;
    cc_error *err;
} png_source;

typedef struct {
    cc_error *err;
    int code;  // error code to report when libpng longjmps
} png_context;

static void on_png_error(png_structp png, png_const_charp msg) {
    png_context *ctx = png_get_error_ptr(png);
    if (ctx->err && ctx->err->code == CC_OK)
        cc_fail(ctx->err, ctx->code ? ctx->code : CC_ERR_DECODE, "%s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static void read_from_memory(png_structp png, png_bytep out, png_size_t n) {
    png_source *src = png_get_io_ptr(png);
    if (n > src->size - src->pos) png_error(png, "file is truncated");
    memcpy(out, src->data + src->pos, n);
    src->pos += n;
}

// Sets up the transformations (documented in codecs.h) and fills `info`; libpng state must
// have read the header already.
static void configure_transforms(png_structp png, png_infop pinfo, cc_png_info *info) {
    png_uint_32 w, h;
    int depth, color, interlace;
    png_get_IHDR(png, pinfo, &w, &h, &depth, &color, &interlace, NULL, NULL);
    info->width = w;
    info->height = h;
    info->source_bit_depth = depth;
    info->source_color_type = color;
    info->interlaced = interlace == PNG_INTERLACE_ADAM7;
    info->has_trns = png_get_valid(png, pinfo, PNG_INFO_tRNS) != 0;

    int channels;
    switch (color) {
    case PNG_COLOR_TYPE_GRAY: channels = 1; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: channels = 2; break;
    case PNG_COLOR_TYPE_PALETTE: channels = 3; break;
    case PNG_COLOR_TYPE_RGB: channels = 3; break;
    default: channels = 4; break;
    }
    // Palette images are read as one index per byte and expanded by expand_palette(), which
    // refuses indices past the palette (libpng would silently paint them black).
    if (color == PNG_COLOR_TYPE_PALETTE && depth < 8) png_set_packing(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    // tRNS becomes alpha for palette and RGB images. A gray colour key is ignored, as OpenCV's
    // IMREAD_UNCHANGED does, so gray files stay 1-channel.
    if (info->has_trns && color == PNG_COLOR_TYPE_RGB) {
        png_set_tRNS_to_alpha(png);
        channels += 1;
    }
    if (info->has_trns && color == PNG_COLOR_TYPE_PALETTE) channels += 1;
    info->bit_depth = depth == 16 ? 16 : 8;
    if (depth == 16) {
        // PNG stores big-endian; hand back native (little-endian on every platform we target).
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png);
    }
    if (info->interlaced) png_set_interlace_handling(png);
    info->channels = channels;
}

// Expands index rows (one byte each) to RGB or RGBA in place from the right, so `out` can hold
// the indices at the start of each row. Returns 0 when an index exceeds the palette.
static int expand_palette(png_structp png, png_infop pinfo, uint8_t *out, size_t row_bytes, const cc_png_info *info) {
    png_colorp palette = NULL;
    int num_palette = 0;
    if (!png_get_PLTE(png, pinfo, &palette, &num_palette)) return 0;
    png_bytep trans = NULL;
    int num_trans = 0;
    if (info->has_trns) png_get_tRNS(png, pinfo, &trans, &num_trans, NULL);
    const int c = info->channels;
    for (uint32_t y = 0; y < info->height; y++) {
        uint8_t *row = out + (size_t)y * row_bytes;
        for (int64_t x = (int64_t)info->width - 1; x >= 0; x--) {
            int i = row[x];
            if (i >= num_palette) return 0;
            uint8_t *d = row + (size_t)x * c;
            uint8_t a = (trans && i < num_trans) ? trans[i] : 255;
            d[0] = palette[i].red;
            d[1] = palette[i].green;
            d[2] = palette[i].blue;
            if (c == 4) d[3] = a;
        }
    }
    return 1;
}

static int begin_read(png_structp *png, png_infop *pinfo, png_context *ctx, png_source *src, cc_error *err) {
    if (src->size < 8 || png_sig_cmp(src->data, 0, 8) != 0)
        return cc_fail(err, CC_ERR_DECODE, "not a PNG file (bad signature)");
    *png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, on_png_error, on_png_warning);
    if (!*png) return cc_fail(err, CC_ERR_NOMEM, "out of memory creating the PNG reader");
    *pinfo = png_create_info_struct(*png);
    if (!*pinfo) {
        png_destroy_read_struct(png, NULL, NULL);
        return cc_fail(err, CC_ERR_NOMEM, "out of memory creating the PNG reader");
    }
    png_set_read_fn(*png, src, read_from_memory);
    return CC_OK;
}

static int check_header(png_structp png, png_infop pinfo, cc_limits limits, cc_error *err) {
    png_uint_32 w = png_get_image_width(png, pinfo), h = png_get_image_height(png, pinfo);
    return cc_check_limits(w, h, limits, err);
}

// Chunks we never use: skipped unread, so a broken text or ICC profile chunk costs nothing.
static const png_byte ignored_chunks[] = "iCCP\0iTXt\0sPLT\0tEXt\0zTXt\0eXIf\0";

static void apply_user_limits(png_structp png) {
    // Our own limits are checked right after the header; libpng's defaults (1,000,000 rows or
    // columns) would otherwise report oversize images as "Invalid IHDR data".
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_chunk_malloc_max(png, 64u << 20);  // ancillary chunks at most 64 MiB
    png_set_chunk_cache_max(png, 1000);        // and at most 1000 of them
    // libpng reports a chunk over those caps as a "benign" error and then allocates it
    // anyway (a 2^31-byte tEXt length costs 2 GB); every benign error is an error here.
    png_set_benign_errors(png, 0);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored_chunks, (int)(sizeof ignored_chunks / 5));
}

int cc_png_read_info(const uint8_t *data, size_t size, cc_limits limits, cc_png_info *info, cc_error *err) {
    if (err) err->code = CC_OK;
    png_source src = {data, size, 0, err};
    png_context ctx = {err, CC_ERR_DECODE};
    png_structp png;
    png_infop pinfo;
    int rc = begin_read(&png, &pinfo, &ctx, &src, err);
    if (rc) return rc;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return err->code;
    }
    apply_user_limits(png);
    png_read_info(png, pinfo);
    rc = check_header(png, pinfo, limits, err);
    if (rc == CC_OK) configure_transforms(png, pinfo, info);
    png_destroy_read_struct(&png, &pinfo, NULL);
    return rc;
}

int cc_png_decode(const uint8_t *data, size_t size, cc_limits limits,
                  uint8_t *out, size_t out_row_bytes, cc_png_info *info, cc_error *err) {
    if (err) err->code = CC_OK;
    png_source src = {data, size, 0, err};
    png_context ctx = {err, CC_ERR_DECODE};
    png_structp png;
    png_infop pinfo;
    png_bytep *volatile rows = NULL;
    int rc = begin_read(&png, &pinfo, &ctx, &src, err);
    if (rc) return rc;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, &pinfo, NULL);
        return err->code;
    }
    apply_user_limits(png);
    png_read_info(png, pinfo);
    cc_png_info expected = *info;
    rc = check_header(png, pinfo, limits, err);
    if (rc) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return rc;
    }
    configure_transforms(png, pinfo, info);
    png_read_update_info(png, pinfo);
    size_t need = info->source_color_type == PNG_COLOR_TYPE_PALETTE ? (size_t)info->width * info->channels
                                                                    : png_get_rowbytes(png, pinfo);
    if (info->width != expected.width || info->height != expected.height || info->channels != expected.channels ||
        info->bit_depth != expected.bit_depth || need > out_row_bytes) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return cc_fail(err, CC_ERR_DECODE, "PNG layout changed between header read and decode");
    }
    rows = malloc(sizeof(png_bytep) * info->height);
    if (!rows) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return cc_fail(err, CC_ERR_NOMEM, "out of memory");
    }
    for (uint32_t y = 0; y < info->height; y++) rows[y] = out + (size_t)y * out_row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);  // validates the trailing chunks and IEND, as OpenCV does
    free(rows);
    rows = NULL;
    if (info->source_color_type == PNG_COLOR_TYPE_PALETTE && !expand_palette(png, pinfo, out, out_row_bytes, info)) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return cc_fail(err, CC_ERR_DECODE, "palette index exceeds the palette size");
    }
    png_destroy_read_struct(&png, &pinfo, NULL);
    return CC_OK;
}

static void write_to_buffer(png_structp png, png_bytep p, png_size_t n) {
    cc_buffer *b = png_get_io_ptr(png);
    if (!cc_buffer_append(b, p, n)) png_error(png, "out of memory");
}

static void flush_nothing(png_structp png) { (void)png; }

int cc_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t row_bytes,
                  int channels, int bit_depth, int level, int strategy, int filters,
                  uint8_t **out, size_t *out_size, cc_error *err) {
    if (err) err->code = CC_OK;
    static const int color_types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4) return cc_fail(err, CC_ERR_ENCODE, "PNG cannot hold %d channels", channels);
    if (bit_depth != 8 && bit_depth != 16) return cc_fail(err, CC_ERR_ENCODE, "PNG bit depth must be 8 or 16, got %d", bit_depth);
    if (width == 0 || height == 0) return cc_fail(err, CC_ERR_ENCODE, "PNG cannot hold an empty image");
    png_context ctx = {err, CC_ERR_ENCODE};
    cc_buffer buf = {0};
    png_bytep *volatile rows = NULL;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
    if (!png) return cc_fail(err, CC_ERR_NOMEM, "out of memory");
    png_infop pinfo = png_create_info_struct(png);
    if (!pinfo) {
        png_destroy_write_struct(&png, NULL);
        return cc_fail(err, CC_ERR_NOMEM, "out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(buf.data);
        png_destroy_write_struct(&png, &pinfo);
        return err->code;
    }
    png_set_write_fn(png, &buf, write_to_buffer, flush_nothing);
    png_set_compression_level(png, level);
    png_set_compression_strategy(png, strategy);
    if (filters >= 0) png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_set_IHDR(png, pinfo, width, height, bit_depth, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, pinfo);
    if (bit_depth == 16) {
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png);
    }
    rows = malloc(sizeof(png_bytep) * height);
    if (!rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * row_bytes);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    free(rows);
    png_destroy_write_struct(&png, &pinfo);
    *out = buf.data;
    *out_size = buf.size;
    return CC_OK;
}
