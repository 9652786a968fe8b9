/* PNG output to a caller's write callback (no stdio): by default our own
 * writer with the run-length stream of deflate.c (the fastest measured on
 * text pages); with a zlib level (or stored), through libpng. */
#include <math.h>
#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "context.h"
#include "deflate.h"
#include "memory.h"
#include "resource_limits.h"
#include "surface.h"
#include "utf8.h"

typedef struct png_sink {
    jk_context *ctx;
    jk_write_fn write;
    void *user;
    bool write_failed;
    char message[128];
} png_sink;

/* libpng must not print: errors are kept and unwound to our setjmp. */
static void on_error(png_structp png, png_const_charp msg)
{
    png_sink *sink = png_get_error_ptr(png);
    snprintf(sink->message, sizeof sink->message, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void on_write(png_structp png, png_bytep data, size_t size)
{
    png_sink *sink = png_get_io_ptr(png);
    if (sink->write(sink->user, data, size) != 0) {
        sink->write_failed = true;
        png_error(png, "write callback failed");
    }
}

static void on_flush(png_structp png) { (void)png; }

static png_voidp png_alloc(png_structp png, png_alloc_size_t size)
{
    png_sink *sink = png_get_mem_ptr(png);
    return jk__malloc(sink->ctx, size);
}

static void png_release(png_structp png, png_voidp ptr)
{
    png_sink *sink = png_get_mem_ptr(png);
    jk__free(sink->ctx, ptr);
}

void jk_png_options_init(jk_png_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->bit_depth = 8;
    o->compression = 0;
}

/* The title as Latin-1 for a tEXt chunk into `out` (NUL-terminated), or
 * false when it holds a character beyond U+00FF (then iTXt, UTF-8). */
static bool to_latin1(const char *s, char *out)
{
    size_t n = strlen(s), k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += jk__utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp > 0xFF || cp == 0)
            return false;
        out[k++] = (char)cp;
    }
    out[k] = '\0';
    return true;
}

/* ------------------------------------------------ the default writer */

/* A chunk: length, type, data, CRC over type and data. */
static int put_chunk(jk_write_fn write, void *user, const char *type,
                     const uint8_t *data, size_t size)
{
    uint8_t head[8] = {(uint8_t)(size >> 24), (uint8_t)(size >> 16),
                       (uint8_t)(size >> 8), (uint8_t)size,
                       (uint8_t)type[0], (uint8_t)type[1],
                       (uint8_t)type[2], (uint8_t)type[3]};
    unsigned long crc = crc32(0L, head + 4, 4);
    if (size)
        crc = crc32(crc, data, (uInt)size);
    uint8_t tail[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16),
                       (uint8_t)(crc >> 8), (uint8_t)crc};
    if (write(user, head, 8) != 0 ||
        (size && write(user, data, size) != 0) || write(user, tail, 4) != 0)
        return -1;
    return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Rows of the surface as PNG scanlines (filter byte 0, then the pixels at
 * `depth` bits) into the stream. `row` holds 2 * width bytes. */
static void feed_rows(jk__deflate *d, const jk_surface *sf, int depth,
                      uint8_t *row)
{
    size_t w = (size_t)sf->width;
    unsigned maxv = (1u << depth) - 1;
    uint8_t filter = 0;
    for (int y = 0; y < sf->height && !d->failed; y++) {
        jk__deflate_write(d, &filter, 1);
        if (sf->format == JK_PIXEL_GRAY8 && depth == 8) {
            jk__deflate_write(d, sf->pixels + (size_t)y * (size_t)sf->stride,
                              w);
            continue;
        }
        jk__surface_read_row(sf, y, row);
        if (depth == 8) {
            jk__deflate_write(d, row, w);
            continue;
        }
        uint8_t *packed = row + w;
        size_t bytes = (w * (size_t)depth + 7) / 8;
        memset(packed, 0, bytes);
        for (size_t x = 0; x < w; x++) {
            unsigned v = (row[x] * maxv + 127) / 255;
            size_t bit = x * (size_t)depth;
            packed[bit / 8] |= (uint8_t)(v << (8 - depth - bit % 8));
        }
        jk__deflate_write(d, packed, bytes);
    }
}

/* The default: our own run-length stream (deflate.c) in a PNG written
 * here — signature, IHDR, pHYs, the title, one IDAT, IEND. */
static jk_status write_fast(jk_context *ctx, const jk_surface *sf,
                            const jk_png_options *o, int depth,
                            jk_write_fn write, void *user)
{
    size_t w = (size_t)sf->width;
    uint8_t *row = jk__malloc(ctx, w * 2);
    jk__deflate *d = jk__malloc(ctx, sizeof *d);
    jk_status st = row && d ? JK_OK
                            : jk__fail(ctx, JK_ERR_NOMEM,
                                       "out of memory writing PNG");
    /* a text page compresses to about a tenth */
    if (st == JK_OK)
        st = jk__deflate_begin(ctx, d, w * (size_t)sf->height / 8 + 1024);
    uint8_t *stream = NULL;
    size_t stream_size = 0;
    if (st == JK_OK) {
        feed_rows(d, sf, depth, row);
        st = jk__deflate_end(d, &stream, &stream_size);
    }
    jk__free(ctx, row);
    jk__free(ctx, d);
    if (st != JK_OK)
        return st;
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G',
                                         '\r', '\n', 0x1A, '\n'};
    uint8_t ihdr[13];
    put32(ihdr, (uint32_t)sf->width);
    put32(ihdr + 4, (uint32_t)sf->height);
    ihdr[8] = (uint8_t)depth;
    ihdr[9] = 0;  /* gray */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (every row: none) */
    ihdr[12] = 0; /* not interlaced */
    int bad = write(user, signature, 8) != 0 ||
              put_chunk(write, user, "IHDR", ihdr, 13);
    if (!bad && o->dpi > 0) {
        uint8_t phys[9];
        uint32_t ppm = (uint32_t)lround(o->dpi / 0.0254);
        put32(phys, ppm);
        put32(phys + 4, ppm);
        phys[8] = 1; /* per metre */
        bad = put_chunk(write, user, "pHYs", phys, 9);
    }
    if (!bad && o->title) {
        /* tEXt: "Title" NUL Latin-1; iTXt: "Title" NUL, uncompressed,
         * method 0, no language, no translated key, UTF-8 */
        size_t n = strlen(o->title);
        uint8_t *t = jk__malloc(ctx, n + 16);
        if (!t) {
            jk__free(ctx, stream);
            return jk__fail(ctx, JK_ERR_NOMEM, "out of memory writing PNG");
        }
        memcpy(t, "Title", 6);
        bool latin = to_latin1(o->title, (char *)t + 6);
        if (latin) {
            bad = put_chunk(write, user, "tEXt", t, 6 + strlen((char *)t + 6));
        } else {
            memset(t + 6, 0, 4);
            memcpy(t + 10, o->title, n);
            bad = put_chunk(write, user, "iTXt", t, 10 + n);
        }
        jk__free(ctx, t);
    }
    if (!bad)
        bad = put_chunk(write, user, "IDAT", stream, stream_size) ||
              put_chunk(write, user, "IEND", NULL, 0);
    jk__free(ctx, stream);
    return bad ? jk__fail(ctx, JK_ERR_IO, "PNG write failed") : JK_OK;
}

jk_status jk_surface_write_png_ex(jk_context *ctx, const jk_surface *sf,
                                  const jk_png_options *options,
                                  jk_write_fn write, void *user)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    jk_png_options o;
    jk_png_options_init(&o);
    if (options && !jk__struct_read(&o, sizeof o, options,
                                    options->struct_size,
                                    JK__SIZE_UP_TO(jk_png_options,
                                                   compression)))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "PNG options of %zu bytes: set struct_size with "
                        "jk_png_options_init", options->struct_size);
    jk_status st = jk__check_surface(ctx, sf);
    if (st != JK_OK)
        return st;
    if (!write)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "no write callback");
    int depth = o.bit_depth ? o.bit_depth : 8;
    if (depth != 8 && depth != 4 && depth != 2 && depth != 1)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "PNG bit depth %d: want 8, 4, 2 or 1", depth);
    if (o.dpi < 0 || o.dpi > JK__MAX_DPI)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "dpi %d out of range",
                        o.dpi);
    if (o.compression < -1 || o.compression > 9)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "compression level %d outside -1..9", o.compression);
    if (o.title && !jk__utf8_valid(o.title, strlen(o.title)))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "the PNG title is not valid UTF-8");
    /* The default: our own run-length writer for 8- and 4-bit pages;
     * rows of 2 and 1 bits pack 4 to 8 pixels a byte, their runs are
     * short and zlib's own run-length mode with its Huffman codes is far
     * smaller there for about the same time (README, "Speed"). */
    if (o.compression == 0 && depth >= 4)
        return write_fast(ctx, sf, &o, depth, write, user);
    size_t w = (size_t)sf->width;
    bool direct = sf->format == JK_PIXEL_GRAY8 && depth == 8;
    /* volatile: read after a longjmp. */
    uint8_t *volatile gray = NULL;
    char *volatile latin = NULL;
    if (!direct && !(gray = jk__malloc(ctx, w * 2)))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory writing PNG");
    if (o.title && !jk__utf8_valid(o.title, strlen(o.title)))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "the PNG title is not valid UTF-8");
    if (o.title && !(latin = jk__malloc(ctx, strlen(o.title) + 1))) {
        jk__free(ctx, gray);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory writing PNG");
    }
    png_sink sink = {ctx, write, user, false, ""};
    png_structp volatile png = png_create_write_struct_2(
        PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning, &sink,
        png_alloc, png_release);
    png_infop volatile info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        if (png)
            png_destroy_write_struct((png_structpp)&png, NULL);
        jk__free(ctx, gray);
        jk__free(ctx, latin);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory starting PNG");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct((png_structpp)&png, (png_infopp)&info);
        jk__free(ctx, gray);
        jk__free(ctx, latin);
        if (sink.write_failed)
            return jk__fail(ctx, JK_ERR_IO, "PNG write failed");
        if (strstr(sink.message, "memory"))
            return jk__fail(ctx, JK_ERR_NOMEM, "out of memory writing PNG");
        return jk__fail(ctx, JK_ERR_PNG, "PNG encoding failed: %s",
                        sink.message);
    }
    png_set_write_fn(png, &sink, on_write, on_flush);
    png_set_IHDR(png, info, (png_uint_32)sf->width, (png_uint_32)sf->height,
                 depth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Text pages are mostly runs of white: unfiltered rows compress best
     * and fastest. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    if (o.compression == 0) {
        png_set_compression_level(png, 1);
        png_set_compression_strategy(png, Z_RLE);
    } else {
        png_set_compression_level(png, o.compression < 0 ? 0 : o.compression);
    }
    if (o.dpi > 0) {
        png_uint_32 ppm = (png_uint_32)lround(o.dpi / 0.0254);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    if (o.title) {
        png_text text;
        memset(&text, 0, sizeof text);
        text.key = (png_charp) "Title";
        if (to_latin1(o.title, latin)) {
            text.compression = PNG_TEXT_COMPRESSION_NONE;
            text.text = latin;
        } else {
            text.compression = PNG_ITXT_COMPRESSION_NONE;
            text.text = (png_charp)o.title;
            text.lang = (png_charp) "";
            text.lang_key = (png_charp) "";
        }
        png_set_text(png, info, &text, 1);
    }
    png_write_info(png, info);
    unsigned maxv = (1u << depth) - 1;
    for (int y = 0; y < sf->height; y++) {
        if (direct) {
            png_write_row(png, sf->pixels + (size_t)y * (size_t)sf->stride);
            continue;
        }
        jk__surface_read_row(sf, y, gray);
        if (depth < 8) {
            uint8_t *packed = gray + w;
            memset(packed, 0, (w * (size_t)depth + 7) / 8);
            for (size_t x = 0; x < w; x++) {
                unsigned v = (gray[x] * maxv + 127) / 255;
                size_t bit = x * (size_t)depth;
                packed[bit / 8] |= (uint8_t)(v << (8 - depth - bit % 8));
            }
            png_write_row(png, packed);
        } else {
            png_write_row(png, gray);
        }
    }
    png_write_end(png, info);
    png_destroy_write_struct((png_structpp)&png, (png_infopp)&info);
    jk__free(ctx, gray);
    jk__free(ctx, latin);
    return JK_OK;
}

jk_status jk_surface_write_png(jk_context *ctx, const jk_surface *sf,
                               int dpi, jk_write_fn write, void *user)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (dpi <= 0 || dpi > JK__MAX_DPI)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "dpi %d out of range",
                        dpi);
    jk_png_options o;
    jk_png_options_init(&o);
    o.dpi = dpi;
    return jk_surface_write_png_ex(ctx, sf, &o, write, user);
}

jk_status jk_drawer_write_png(jk_drawer *drawer, const jk_surface *sf,
                              const jk_png_options *options,
                              jk_write_fn write, void *user)
{
    if (!drawer)
        return JK_ERR_INVALID_ARGUMENT;
    return jk_surface_write_png_ex(&drawer->ctx, sf, options, write, user);
}
