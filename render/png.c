/* PNG output through libpng, to a caller's write callback (no stdio). */
#include <math.h>
#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "context.h"
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
     * and fastest. The default is run-length zlib, measured (jikji-bench)
     * faster than level 1 and smaller on text pages. */
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
