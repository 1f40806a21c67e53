// C side of ClassicCV's codecs: the only code that calls libpng, libjpeg(-turbo) and zlib.
// Every setjmp/longjmp stays in this target; each entry point returns 0 on success or a
// CC_ERR_* code with a human message in `cc_error`. No global mutable state: every call owns
// its decoder structs, so calls are thread-safe.
#ifndef CLASSICCV_CODECS_H
#define CLASSICCV_CODECS_H

#include <stddef.h>
#include <stdint.h>

enum {
    CC_OK = 0,
    CC_ERR_DECODE = 1,      // corrupt, truncated or invalid data
    CC_ERR_LIMIT = 2,       // dimensions or memory beyond the caller's limits
    CC_ERR_UNSUPPORTED = 3, // valid data using a feature we do not handle
    CC_ERR_ENCODE = 4,
    CC_ERR_NOMEM = 5,
};

typedef struct {
    int code;
    char message[256];
} cc_error;

typedef struct {
    uint64_t max_width;
    uint64_t max_height;
    uint64_t max_pixels;
} cc_limits;

// ---- PNG -------------------------------------------------------------------------------

typedef struct {
    uint32_t width, height;
    int source_bit_depth;   // 1, 2, 4, 8 or 16 as stored
    int source_color_type;  // PNG colour type as stored (0, 2, 3, 4, 6)
    int interlaced;         // 1 for Adam7
    int has_trns;           // tRNS chunk present
    int channels;           // channels after decoding (1-4)
    int bit_depth;          // 8 or 16 after decoding
} cc_png_info;

/// Reads the header, applies `limits`, and fills `info` with the decoded layout.
int cc_png_read_info(const uint8_t *data, size_t size, cc_limits limits, cc_png_info *info, cc_error *err);

/// Decodes into `out` (rows `out_row_bytes` apart, 16-bit samples in native byte order).
/// Layout rules: palette -> RGB, or RGBA with tRNS; gray < 8 bit -> 8 bit scaled;
/// tRNS on RGB -> an added alpha channel (a gray key is ignored, as OpenCV); 16-bit stays 16-bit.
int cc_png_decode(const uint8_t *data, size_t size, cc_limits limits,
                  uint8_t *out, size_t out_row_bytes, cc_png_info *info, cc_error *err);

/// Encodes 8- or 16-bit gray/gray+alpha/RGB/RGBA rows. `level` 0-9 (zlib), `strategy` a zlib
/// strategy (Z_DEFAULT_STRATEGY 0, Z_FILTERED 1, Z_HUFFMAN_ONLY 2, Z_RLE 3, Z_FIXED 4),
/// `filters` a PNG_FILTER_* mask or -1 for libpng's default choice.
/// On success *out is malloc'ed; release with cc_free.
int cc_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t row_bytes,
                  int channels, int bit_depth, int level, int strategy, int filters,
                  uint8_t **out, size_t *out_size, cc_error *err);

// ---- JPEG ------------------------------------------------------------------------------

typedef struct {
    uint32_t width, height;   // as stored (before orientation)
    int source_components;    // 1, 3 or 4
    int jpeg_color_space;     // libjpeg J_COLOR_SPACE of the file
    int progressive;
    int adobe_transform;      // -1 when no Adobe marker, else its transform flag
    int orientation;          // EXIF orientation 1-8 (1 when absent or invalid)
    int channels;             // channels after decoding: 1 (gray) or 3 (RGB)
    int warnings;             // non-fatal libjpeg warnings seen
} cc_jpeg_info;

int cc_jpeg_read_info(const uint8_t *data, size_t size, cc_limits limits, cc_jpeg_info *info, cc_error *err);

/// Decodes to gray (1 channel) or RGB (3 channels), islow IDCT and fancy upsampling
/// (libjpeg's defaults, as Pillow and OpenCV). CMYK/YCCK is converted to RGB as Pillow does,
/// undoing Adobe's inverted storage. A scan that ends early is an error, not a grey patch.
/// Progressive work is bounded: CC_ERR_DECODE past 1000 scans, CC_ERR_LIMIT past the work of
/// 32 full-image scans at `limits.max_pixels`.
int cc_jpeg_decode(const uint8_t *data, size_t size, cc_limits limits,
                   uint8_t *out, size_t out_row_bytes, cc_jpeg_info *info, cc_error *err);

/// `subsampling`: 444, 422 or 420. `channels`: 1 or 3.
int cc_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t row_bytes,
                   int channels, int quality, int progressive, int subsampling, int optimize,
                   uint8_t **out, size_t *out_size, cc_error *err);

// ---- zlib --------------------------------------------------------------------------------

/// Inflates a gzip (or zlib) stream. Fails with CC_ERR_LIMIT past `max_out` bytes and with
/// CC_ERR_DECODE on corrupt or truncated input. *out is malloc'ed; release with cc_free.
int cc_gunzip(const uint8_t *data, size_t size, size_t max_out, uint8_t **out, size_t *out_size, cc_error *err);

/// Inflates only the first `want` bytes of a gzip (or zlib) stream into `out` (a content
/// sniffer's look inside without inflating the whole file); `data` may be a prefix of the
/// stream. *out_size receives how many bytes came out. CC_ERR_DECODE on a corrupt stream.
int cc_gunzip_head(const uint8_t *data, size_t size, uint8_t *out, size_t want, size_t *out_size);

void cc_free(void *p);

#endif
