/* PNG output through libpng, to a caller's write callback (no stdio). */
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>

#include "internal.h"

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

jk_status jk_surface_write_png(jk_context *ctx, const jk_surface *sf,
                               int dpi, jk_write_fn write, void *user)
{
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!sf || !sf->pixels || sf->width <= 0 || sf->height <= 0 ||
        sf->stride < sf->width || !write)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad surface or no write callback");
    if (sf->format != JK_PIXEL_GRAY8)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "PNG output wants a GRAY8 surface");
    if (dpi <= 0 || dpi > JK_MAX_DPI)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "dpi %d out of range",
                        dpi);
    /* volatile: it is read after a longjmp. */
    png_sink sink = {ctx, write, user, false, ""};
    png_structp volatile png = png_create_write_struct_2(
        PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning, &sink,
        png_alloc, png_release);
    if (!png)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory starting PNG");
    png_infop volatile info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct((png_structpp)&png, NULL);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory starting PNG");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct((png_structpp)&png, (png_infopp)&info);
        if (sink.write_failed)
            return jk__fail(ctx, JK_ERR_IO, "PNG write failed");
        return jk__fail(ctx, JK_ERR_PNG, "PNG encoding failed: %s",
                        sink.message);
    }
    png_set_write_fn(png, &sink, on_write, on_flush);
    png_set_IHDR(png, info, (png_uint_32)sf->width, (png_uint_32)sf->height,
                 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < sf->height; y++)
        png_write_row(png, sf->pixels + (size_t)y * (size_t)sf->stride);
    png_write_end(png, info);
    png_destroy_write_struct((png_structpp)&png, (png_infopp)&info);
    return JK_OK;
}
