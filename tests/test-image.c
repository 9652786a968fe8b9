/* Tests of the image module (render/image.c): every PNG colour type and
 * bit depth, Adam7, transparency over white, gAMA; JPEG baseline,
 * progressive, gray, CMYK and YCCK, EXIF orientations and density; WebP
 * lossless, lossy, alpha, EXIF, animated and bombs (where built with it);
 * damaged, foreign and oversized files; memory bounds and allocation
 * failures; linear-light averaging. Test images are written in memory
 * with libpng's and libjpeg's writers; expected grays come from the
 * sRGB formulas below, not from the module. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>
#include <png.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jpeglib.h>
#ifdef JK__HAVE_WEBP
#include <webp/encode.h>
#endif

#include "testutil.h"

#include "image.h"
#include "resource_limits.h"

/* --------------------------------------------------------- reference */

static double eotf(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double oetf(double l)
{
    if (l <= 0)
        return 0;
    if (l >= 1)
        return 1;
    return l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055;
}

static int enc(double lin)
{
    return (int)lround(oetf(lin) * 255);
}

static double lum(double r, double g, double b) /* encoded 0..1 */
{
    return 0.2126 * eotf(r) + 0.7152 * eotf(g) + 0.0722 * eotf(b);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* --------------------------------------- a context on the counting allocator */

static jk_context *counting_context(tu_counting *c)
{
    jk_allocator a = tu_counting_allocator(c);
    jk_context *ctx = NULL;
    c->budget = -1;
    if (jk_context_create(&a, &ctx) != JK_OK)
        return NULL;
    return ctx;
}

/* ------------------------------------------------------- PNG writing */

static void png_out(png_structp png, png_bytep data, size_t size)
{
    mem_write(png_get_io_ptr(png), data, size);
}

static void png_noflush(png_structp png)
{
    (void)png;
}

typedef struct png_spec {
    int w, h, ct, depth;
    bool interlace;
    const unsigned *samples; /* w*h*channels, native range */
    const png_color *pal;
    int npal;
    const png_byte *trns; /* palette alpha */
    int ntrns;
    const png_color_16 *trns_color; /* gray or RGB key */
    double gamma;                   /* gAMA value, 0 none */
    bool srgb;
    png_uint_32 ppm; /* pHYs, 0 none */
} png_spec;

static int channels_of(int ct)
{
    switch (ct) {
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        return 2;
    case PNG_COLOR_TYPE_RGB:
        return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA:
        return 4;
    default:
        return 1;
    }
}

static membuf png_make(const png_spec *s)
{
    membuf m = {0};
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "png_make failed\n");
        exit(2);
    }
    png_set_write_fn(png, &m, png_out, png_noflush);
    png_set_IHDR(png, info, (png_uint_32)s->w, (png_uint_32)s->h, s->depth,
                 s->ct,
                 s->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (s->pal)
        png_set_PLTE(png, info, s->pal, s->npal);
    if (s->trns || s->trns_color)
        png_set_tRNS(png, info, s->trns, s->ntrns, s->trns_color);
    if (s->gamma > 0)
        png_set_gAMA(png, info, s->gamma);
    if (s->srgb)
        png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    if (s->ppm)
        png_set_pHYs(png, info, s->ppm, s->ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    int ch = channels_of(s->ct);
    size_t rowbytes = ((size_t)s->w * (size_t)ch * (size_t)s->depth + 7) / 8;
    png_bytep *rows = calloc((size_t)s->h, sizeof *rows);
    for (int y = 0; y < s->h; y++) {
        png_bytep r = rows[y] = calloc(rowbytes, 1);
        for (int i = 0; i < s->w * ch; i++) {
            unsigned v = s->samples[(size_t)y * (size_t)(s->w * ch) + i];
            if (s->depth == 16) {
                r[2 * i] = (png_byte)(v >> 8);
                r[2 * i + 1] = (png_byte)v;
            } else if (s->depth == 8) {
                r[i] = (png_byte)v;
            } else {
                int bit = i * s->depth;
                r[bit / 8] |= (png_byte)(v << (8 - s->depth - bit % 8));
            }
        }
    }
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    for (int y = 0; y < s->h; y++)
        free(rows[y]);
    free(rows);
    return m;
}

static uint32_t crc32_of(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void chunk(membuf *m, const char *type, const uint8_t *data, size_t n)
{
    uint8_t h[8];
    put32(h, (uint32_t)n);
    memcpy(h + 4, type, 4);
    mem_write(m, h, 8);
    if (n)
        mem_write(m, data, n);
    uint32_t crc = crc32_of((const uint8_t *)type, 4, 0);
    crc = crc32_of(data, n, crc);
    uint8_t c[4];
    put32(c, crc);
    mem_write(m, c, 4);
}

/* The same PNG with its compressed data in IDAT chunks of `piece` bytes,
 * and `extra` appended to that data (bytes past the zlib stream's end
 * are never looked at by a correct reader after the last row). */
static membuf png_reidat(const membuf *src, size_t piece, const uint8_t *extra,
                         size_t extra_n)
{
    membuf z = {0}, out = {0};
    mem_write(&out, src->data, 8);
    size_t i = 8;
    bool wrote = false;
    while (i + 12 <= src->size) {
        uint32_t n = get32(src->data + i);
        const char *type = (const char *)src->data + i + 4;
        const uint8_t *body = src->data + i + 8;
        if (memcmp(type, "IDAT", 4) == 0) {
            mem_write(&z, body, n);
        } else {
            if (memcmp(type, "IEND", 4) == 0 && !wrote) {
                if (extra_n)
                    mem_write(&z, extra, extra_n);
                for (size_t k = 0; k < z.size; k += piece)
                    chunk(&out, "IDAT", z.data + k,
                          z.size - k < piece ? z.size - k : piece);
                wrote = true;
            }
            chunk(&out, type, body, n);
        }
        i += 12 + n;
    }
    free(z.data);
    return out;
}

/* ------------------------------------------------------ JPEG writing */

typedef struct jpeg_spec {
    int w, h, comps;
    J_COLOR_SPACE in, as; /* input space; file space (JCS_UNKNOWN: default) */
    int quality;
    bool progressive;
    bool no_jfif, no_adobe;
    bool full_chroma; /* 4:4:4 */
    int density_unit, xdensity, ydensity;
    const uint8_t *app1; /* EXIF segment, "Exif\0\0" first */
    size_t app1_n;
    const uint8_t *pixels; /* w*h*comps */
    const jpeg_scan_info *scans;
    int nscans;
} jpeg_spec;

static membuf jpeg_make(const jpeg_spec *s)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *buf = NULL;
    unsigned long size = 0;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = (JDIMENSION)s->w;
    c.image_height = (JDIMENSION)s->h;
    c.input_components = s->comps;
    c.in_color_space = s->in;
    jpeg_set_defaults(&c);
    if (s->as != JCS_UNKNOWN)
        jpeg_set_colorspace(&c, s->as);
    jpeg_set_quality(&c, s->quality ? s->quality : 90, TRUE);
    if (s->full_chroma)
        c.comp_info[0].h_samp_factor = c.comp_info[0].v_samp_factor = 1;
    if (s->progressive)
        jpeg_simple_progression(&c);
    if (s->scans) {
        c.scan_info = s->scans;
        c.num_scans = s->nscans;
    }
    if (s->no_jfif)
        c.write_JFIF_header = FALSE;
    if (s->no_adobe)
        c.write_Adobe_marker = FALSE;
    if (s->density_unit) {
        c.density_unit = (UINT8)s->density_unit;
        c.X_density = (UINT16)s->xdensity;
        c.Y_density = (UINT16)s->ydensity;
    }
    jpeg_start_compress(&c, TRUE);
    if (s->app1)
        jpeg_write_marker(&c, JPEG_APP0 + 1, s->app1, (unsigned)s->app1_n);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row =
            (JSAMPROW)(s->pixels + (size_t)c.next_scanline * (size_t)s->w *
                                       (size_t)s->comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    membuf m = {0};
    mem_write(&m, buf, size);
    free(buf);
    return m;
}

/* An APP1 Exif segment: IFD0 with orientation (0: none) and resolution
 * (xres 0: none). */
static size_t exif_make(uint8_t *b, bool le, int orientation, uint32_t xres,
                        uint32_t yres, int unit)
{
    size_t n = 0;
#define P16(v)                                                                \
    do {                                                                      \
        unsigned v_ = (unsigned)(v);                                          \
        b[n++] = (uint8_t)(le ? v_ : v_ >> 8);                                \
        b[n++] = (uint8_t)(le ? v_ >> 8 : v_);                                \
    } while (0)
#define P32(v)                                                                \
    do {                                                                      \
        uint32_t w_ = (uint32_t)(v);                                          \
        if (le) {                                                             \
            P16(w_ & 0xFFFF);                                                 \
            P16(w_ >> 16);                                                    \
        } else {                                                              \
            P16(w_ >> 16);                                                    \
            P16(w_ & 0xFFFF);                                                 \
        }                                                                     \
    } while (0)
    memcpy(b, "Exif\0\0", 6);
    n = 6;
    b[n++] = le ? 'I' : 'M';
    b[n++] = le ? 'I' : 'M';
    P16(42);
    P32(8);
    int count = (orientation ? 1 : 0) + (xres ? 3 : 0);
    P16(count);
    uint32_t data = 8 + 2 + 12 * (uint32_t)count + 4;
    if (orientation) {
        P16(0x0112);
        P16(3);
        P32(1);
        P16(orientation);
        P16(0);
    }
    if (xres) {
        P16(0x011A);
        P16(5);
        P32(1);
        P32(data);
        P16(0x011B);
        P16(5);
        P32(1);
        P32(data + 8);
        P16(0x0128);
        P16(3);
        P32(1);
        P16(unit);
        P16(0);
    }
    P32(0); /* no IFD1 */
    if (xres) {
        P32(xres);
        P32(1);
        P32(yres);
        P32(1);
    }
#undef P16
#undef P32
    return n;
}

/* ---------------------------------------------------------- decoding */

static jk_context *g_ctx;

static jk_image_status decode(const membuf *m, jk__image *img)
{
    jk_image_status why = JK_IMAGE_MISSING;
    jk_status st = jk__image_decode(g_ctx, m->data, m->size, img, &why);
    CHECKF(st == JK_OK, "%s", jk_status_string(st));
    CHECK((why == JK_IMAGE_OK) == (img->gray != NULL));
    if (why != JK_IMAGE_OK)
        CHECK(img->width == 0 && img->height == 0 && img->natural_width == 0);
    return why;
}

static int px(const jk__image *img, int x, int y)
{
    return img->gray[(size_t)y * (size_t)img->width + (size_t)x];
}

/* Mean gray of a rectangle. */
static double mean(const jk__image *img, int x0, int y0, int w, int h)
{
    double s = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            s += px(img, x, y);
    return s / (w * h);
}

/* One row of pixels (and a second, equal) of one PNG type; each pixel's
 * expected gray. */
static void check_png_row(const char *name, png_spec *s, const int *expect,
                          int tol)
{
    membuf m = png_make(s);
    jk__image img;
    jk_image_status why = decode(&m, &img);
    CHECKF(why == JK_IMAGE_OK, "%s: status %d", name, why);
    if (why == JK_IMAGE_OK) {
        CHECKF(img.width == s->w && img.height == s->h &&
                   img.natural_width == s->w && img.natural_height == s->h,
               "%s: %dx%d", name, img.width, img.height);
        for (int y = 0; y < s->h; y++)
            for (int x = 0; x < s->w; x++) {
                int e = expect[(size_t)y * (size_t)s->w + (size_t)x];
                int g = px(&img, x, y);
                CHECKF(abs(g - e) <= tol, "%s: pixel %d,%d is %d, not %d",
                       name, x, y, g, e);
            }
    }
    jk__image_free(g_ctx, &img);
    free(m.data);
}

static void test_png_gray(void)
{
    /* 1, 2, 4 bits: levels scale to 0..255 (already sRGB-encoded) */
    for (int depth = 1; depth <= 8; depth *= 2) {
        int levels = 1 << depth, w = levels < 16 ? levels : 16;
        unsigned v[16 * 2];
        int e[16 * 2];
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < w; x++) {
                unsigned lv = (unsigned)(y ? w - 1 - x : x) *
                              (unsigned)(levels - 1) / (unsigned)(w - 1);
                v[y * w + x] = lv;
                e[y * w + x] = (int)lround(lv * 255.0 / (levels - 1));
            }
        png_spec s = {.w = w,
                      .h = 2,
                      .ct = PNG_COLOR_TYPE_GRAY,
                      .depth = depth,
                      .samples = v};
        char name[32];
        snprintf(name, sizeof name, "gray %d", depth);
        check_png_row(name, &s, e, 0);
    }
    /* 16 bits: the low byte counts (values 8-bit cannot hold) */
    unsigned v16[] = {0, 300, 0x8080, 0x80FF, 40000, 65535};
    int e16[6];
    for (int i = 0; i < 6; i++)
        e16[i] = enc(eotf(v16[i] / 65535.0));
    png_spec s = {.w = 6,
                  .h = 1,
                  .ct = PNG_COLOR_TYPE_GRAY,
                  .depth = 16,
                  .samples = v16};
    check_png_row("gray 16", &s, e16, 0);

    /* tRNS key: that gray is transparent, so white */
    unsigned vk[] = {0, 77, 200};
    int ek[] = {0, 255, 200};
    png_color_16 key = {.gray = 77};
    png_spec sk = {.w = 3,
                   .h = 1,
                   .ct = PNG_COLOR_TYPE_GRAY,
                   .depth = 8,
                   .samples = vk,
                   .trns_color = &key};
    check_png_row("gray 8 tRNS", &sk, ek, 0);
    png_color_16 key2 = {.gray = 2};
    unsigned v2[] = {0, 1, 2, 3};
    int e2[] = {0, 85, 255, 255};
    png_spec s2 = {.w = 4,
                   .h = 1,
                   .ct = PNG_COLOR_TYPE_GRAY,
                   .depth = 2,
                   .samples = v2,
                   .trns_color = &key2};
    check_png_row("gray 2 tRNS", &s2, e2, 0);
}

static void test_png_alpha(void)
{
    /* gray + alpha: composited over white in linear light */
    unsigned ga[] = {0, 255, 0, 128, 0, 0, 128, 128, 255, 64, 200, 10};
    int e[6];
    for (int i = 0; i < 6; i++) {
        double a = ga[2 * i + 1] / 255.0;
        e[i] = enc(a * eotf(ga[2 * i] / 255.0) + (1 - a));
    }
    CHECK(e[1] >= 187 && e[1] <= 188); /* black at half alpha: 188, not 128 */
    png_spec s = {.w = 6,
                  .h = 1,
                  .ct = PNG_COLOR_TYPE_GRAY_ALPHA,
                  .depth = 8,
                  .samples = ga};
    check_png_row("gray+alpha 8", &s, e, 1);
    unsigned ga16[12];
    for (int i = 0; i < 12; i++)
        ga16[i] = ga[i] * 257;
    s.depth = 16;
    s.samples = ga16;
    check_png_row("gray+alpha 16", &s, e, 1);

    /* RGB and RGBA */
    unsigned rgb[] = {255, 0,   0,   0,   255, 0, 0, 0,  255, 128, 64,
                      200, 255, 255, 255, 0,   0, 0, 10, 250, 90};
    int er[7];
    for (int i = 0; i < 7; i++)
        er[i] = enc(lum(rgb[3 * i] / 255.0, rgb[3 * i + 1] / 255.0,
                        rgb[3 * i + 2] / 255.0));
    CHECK(er[0] == 127 && er[1] == 220 && er[2] == 76);
    png_spec sr = {
        .w = 7, .h = 1, .ct = PNG_COLOR_TYPE_RGB, .depth = 8, .samples = rgb};
    check_png_row("rgb 8", &sr, er, 1);
    unsigned rgb16[21];
    for (int i = 0; i < 21; i++)
        rgb16[i] = rgb[i] * 257;
    sr.depth = 16;
    sr.samples = rgb16;
    check_png_row("rgb 16", &sr, er, 1);

    /* RGB with a tRNS colour key */
    png_color_16 key = {.red = 128, .green = 64, .blue = 200};
    int ek[7];
    memcpy(ek, er, sizeof ek);
    ek[3] = 255;
    sr.depth = 8;
    sr.samples = rgb;
    sr.trns_color = &key;
    check_png_row("rgb 8 tRNS", &sr, ek, 1);

    unsigned rgba[] = {255, 0, 0, 255, 0, 255, 0,  128, 0,  0,
                       255, 0, 0, 0,   0, 64,  30, 60,  90, 200};
    int ea[5];
    for (int i = 0; i < 5; i++) {
        double a = rgba[4 * i + 3] / 255.0;
        ea[i] = enc(a * lum(rgba[4 * i] / 255.0, rgba[4 * i + 1] / 255.0,
                            rgba[4 * i + 2] / 255.0) +
                    (1 - a));
    }
    png_spec sa = {.w = 5,
                   .h = 1,
                   .ct = PNG_COLOR_TYPE_RGB_ALPHA,
                   .depth = 8,
                   .samples = rgba};
    check_png_row("rgba 8", &sa, ea, 1);
    unsigned rgba16[20];
    for (int i = 0; i < 20; i++)
        rgba16[i] = rgba[i] * 257;
    sa.depth = 16;
    sa.samples = rgba16;
    check_png_row("rgba 16", &sa, ea, 1);
}

static void test_png_palette(void)
{
    png_color pal[16];
    png_byte alpha[16];
    for (int i = 0; i < 16; i++) {
        pal[i].red = (png_byte)(i * 17);
        pal[i].green = (png_byte)(255 - i * 13);
        pal[i].blue = (png_byte)((i * 71) & 255);
        alpha[i] = (png_byte)(i * 16);
    }
    for (int depth = 1; depth <= 8; depth *= 2) {
        int n = depth == 8 ? 16 : 1 << depth;
        for (int t = 0; t < 2; t++) {
            unsigned idx[16];
            int e[16];
            for (int i = 0; i < n; i++) {
                idx[i] = (unsigned)(n - 1 - i);
                const png_color *c = &pal[idx[i]];
                double l =
                    lum(c->red / 255.0, c->green / 255.0, c->blue / 255.0);
                /* with tRNS, entries past it are opaque */
                double a = t && idx[i] < (unsigned)n - 1
                               ? alpha[idx[i]] / 255.0
                               : 1.0;
                e[i] = enc(a * l + (1 - a));
            }
            png_spec s = {.w = n,
                          .h = 1,
                          .ct = PNG_COLOR_TYPE_PALETTE,
                          .depth = depth,
                          .samples = idx,
                          .pal = pal,
                          .npal = n};
            if (t) {
                s.trns = alpha;
                s.ntrns = n - 1;
            }
            char name[40];
            snprintf(name, sizeof name, "palette %d%s", depth,
                     t ? " tRNS" : "");
            check_png_row(name, &s, e, 1);
        }
    }
    /* a fully transparent entry is white; half-transparent black 188 */
    png_color bw[2] = {{0, 0, 0}, {0, 0, 0}};
    png_byte ta[2] = {0, 128};
    unsigned idx[] = {0, 1};
    int e[] = {255, enc(128 / 255.0 * 0 + (1 - 128 / 255.0))};
    png_spec s = {.w = 2,
                  .h = 1,
                  .ct = PNG_COLOR_TYPE_PALETTE,
                  .depth = 8,
                  .samples = idx,
                  .pal = bw,
                  .npal = 2,
                  .trns = ta,
                  .ntrns = 2};
    check_png_row("palette over white", &s, e, 1);
}

/* Adam7: the same pixels as the plain file, for sizes that leave some
 * passes empty. */
static void test_png_interlaced(void)
{
    static const int sizes[][2] = {{1, 1}, {3, 2}, {5, 9}, {37, 23}, {64, 7}};
    static const int types[][2] = {{PNG_COLOR_TYPE_GRAY, 8},
                                   {PNG_COLOR_TYPE_RGB_ALPHA, 8},
                                   {PNG_COLOR_TYPE_PALETTE, 2},
                                   {PNG_COLOR_TYPE_GRAY_ALPHA, 16},
                                   {PNG_COLOR_TYPE_RGB, 16}};
    png_color pal[4] = {
        {0, 0, 0}, {200, 10, 10}, {10, 200, 10}, {255, 255, 255}};
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++) {
            int w = sizes[si][0], h = sizes[si][1];
            int ct = types[ti][0], depth = types[ti][1];
            int ch = channels_of(ct);
            unsigned max = (1u << depth) - 1;
            unsigned *v = malloc(sizeof *v * (size_t)(w * h * ch));
            for (int i = 0; i < w * h * ch; i++)
                v[i] = (unsigned)(i * 2654435761u >> 7) % (max + 1);
            png_spec s = {.w = w,
                          .h = h,
                          .ct = ct,
                          .depth = depth,
                          .samples = v,
                          .pal = pal,
                          .npal = 4};
            if (ct != PNG_COLOR_TYPE_PALETTE)
                s.pal = NULL, s.npal = 0;
            membuf plain = png_make(&s);
            s.interlace = true;
            membuf adam = png_make(&s);
            CHECK(adam.data[28] == 1); /* IHDR's interlace byte */
            jk__image a, b;
            CHECK(decode(&plain, &a) == JK_IMAGE_OK);
            CHECK(decode(&adam, &b) == JK_IMAGE_OK);
            CHECKF(a.gray && b.gray && a.width == b.width &&
                       a.height == b.height &&
                       memcmp(a.gray, b.gray, (size_t)w * (size_t)h) == 0,
                   "interlaced %dx%d type %d/%d differs", w, h, ct, depth);
            jk__image_free(g_ctx, &a);
            jk__image_free(g_ctx, &b);
            free(plain.data);
            free(adam.data);
            free(v);
        }
}

static void test_png_gamma_dpi(void)
{
    unsigned v[] = {0, 64, 128, 255};
    int lin[4], p22[4], srgb[4];
    for (int i = 0; i < 4; i++) {
        lin[i] = enc(v[i] / 255.0);
        p22[i] = enc(pow(v[i] / 255.0, 1 / 0.45455));
        srgb[i] = (int)v[i];
    }
    CHECK(lin[2] == 188);
    png_spec s = {.w = 4,
                  .h = 1,
                  .ct = PNG_COLOR_TYPE_GRAY,
                  .depth = 8,
                  .samples = v,
                  .gamma = 1.0};
    check_png_row("gAMA 1.0", &s, lin, 1);
    s.gamma = 0.45455;
    check_png_row("gAMA 1/2.2", &s, p22, 1);
    s.srgb = true; /* sRGB wins over its gAMA */
    check_png_row("sRGB", &s, srgb, 0);
    unsigned v16[] = {0, 64 * 257, 128 * 257, 65535};
    s.depth = 16;
    s.samples = v16;
    s.srgb = false;
    s.gamma = 1.0;
    check_png_row("gAMA 1.0, 16 bits", &s, lin, 1);

    s.depth = 8;
    s.samples = v;
    s.gamma = 0;
    s.ppm = 11811; /* 300 dpi */
    membuf m = png_make(&s);
    jk__image img;
    CHECK(decode(&m, &img) == JK_IMAGE_OK);
    CHECKF(fabs(img.dpi - 300) < 0.1, "pHYs dpi %g", img.dpi);
    jk__image_free(g_ctx, &img);
    free(m.data);
    s.ppm = 0;
    m = png_make(&s);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.dpi == 0);
    jk__image_free(g_ctx, &img);
    free(m.data);
}

/* A large PNG, averaged down in linear light to the stored side. */
static void test_png_large(void)
{
    int w = 4100, h = 50;
    unsigned *v = malloc(sizeof *v * (size_t)(w * h));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            v[y * w + x] = x < w / 2 ? 0 : (x & 1) ? 255 : (y < 25 ? 255 : 0);
    png_spec s = {
        .w = w, .h = h, .ct = PNG_COLOR_TYPE_GRAY, .depth = 8, .samples = v};
    membuf m = png_make(&s);
    jk__image img;
    CHECK(decode(&m, &img) == JK_IMAGE_OK);
    CHECKF(img.width == JK__IMAGE_STORE_SIDE && img.height == 25 &&
               img.natural_width == w && img.natural_height == h,
           "large PNG kept %dx%d of %dx%d", img.width, img.height,
           img.natural_width, img.natural_height);
    if (img.gray) {
        /* left black, right top white, right bottom a fine 50% pattern:
         * linear average 0.5, sRGB 188 */
        CHECK(mean(&img, 10, 2, 900, 20) < 1);
        CHECKF(fabs(mean(&img, 1100, 0, 900, 12) - 255) < 1, "%g",
               mean(&img, 1100, 0, 900, 12));
        double m50 = mean(&img, 1100, 13, 900, 12);
        CHECKF(fabs(m50 - 188) < 2, "50%% pattern averaged to %g", m50);
    }
    jk__image_free(g_ctx, &img);
    free(m.data);

    /* interlaced and large: the whole-image accumulator */
    s.interlace = true;
    m = png_make(&s);
    jk__image b;
    CHECK(decode(&m, &b) == JK_IMAGE_OK);
    CHECK(b.width == JK__IMAGE_STORE_SIDE && b.height == 25);
    if (b.gray) {
        double m50 = mean(&b, 1100, 13, 900, 12);
        CHECKF(fabs(m50 - 188) < 2, "interlaced 50%% pattern: %g", m50);
        CHECK(mean(&b, 10, 2, 900, 20) < 1);
    }
    jk__image_free(g_ctx, &b);
    free(m.data);
    free(v);
}

static membuf small_png(int w, int h, bool interlace)
{
    unsigned *v = malloc(sizeof *v * (size_t)(w * h * 4));
    for (int i = 0; i < w * h * 4; i++)
        v[i] = (unsigned)(i * 97 % 251);
    png_spec s = {.w = w,
                  .h = h,
                  .ct = PNG_COLOR_TYPE_RGB_ALPHA,
                  .depth = 8,
                  .samples = v,
                  .interlace = interlace};
    membuf m = png_make(&s);
    free(v);
    return m;
}

/* ------------------------------------------------------------ JPEG */

static uint8_t *fill(int w, int h, int comps, const uint8_t *value)
{
    uint8_t *p = malloc((size_t)w * (size_t)h * (size_t)comps);
    for (int i = 0; i < w * h; i++)
        memcpy(p + (size_t)i * (size_t)comps, value, (size_t)comps);
    return p;
}

static void test_jpeg_kinds(void)
{
    /* gray: values survive */
    int w = 64, h = 32;
    uint8_t *g = malloc((size_t)(w * h));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            g[y * w + x] = (uint8_t)(x < 16   ? 20
                                     : x < 32 ? 100
                                     : x < 48 ? 180
                                              : 240);
    jpeg_spec s = {.w = w,
                   .h = h,
                   .comps = 1,
                   .in = JCS_GRAYSCALE,
                   .quality = 95,
                   .pixels = g};
    membuf m = jpeg_make(&s);
    jk__image img;
    CHECK(decode(&m, &img) == JK_IMAGE_OK);
    CHECK(img.width == w && img.height == h && img.natural_width == w);
    if (img.gray) {
        CHECKF(fabs(mean(&img, 2, 2, 12, 28) - 20) < 3, "%g",
               mean(&img, 2, 2, 12, 28));
        CHECK(fabs(mean(&img, 34, 2, 12, 28) - 180) < 3);
    }
    jk__image_free(g_ctx, &img);
    free(m.data);
    /* progressive: the same picture */
    s.progressive = true;
    m = jpeg_make(&s);
    bool sof2 = false;
    for (size_t i = 0; i + 1 < m.size; i++)
        sof2 |= m.data[i] == 0xFF && m.data[i + 1] == 0xC2;
    CHECK(sof2);
    CHECK(decode(&m, &img) == JK_IMAGE_OK);
    if (img.gray) {
        CHECK(fabs(mean(&img, 2, 2, 12, 28) - 20) < 3);
        CHECK(fabs(mean(&img, 50, 2, 12, 28) - 240) < 3);
    }
    jk__image_free(g_ctx, &img);
    free(m.data);
    free(g);

    /* RGB (YCbCr in the file): luminance in linear light */
    static const uint8_t colours[][3] = {{255, 0, 0},
                                         {0, 255, 0},
                                         {0, 0, 255},
                                         {128, 128, 128},
                                         {40, 160, 220}};
    for (int k = 0; k < 5; k++) {
        for (int prog = 0; prog < 2; prog++) {
            uint8_t *p = fill(32, 32, 3, colours[k]);
            jpeg_spec sc = {.w = 32,
                            .h = 32,
                            .comps = 3,
                            .in = JCS_RGB,
                            .quality = 98,
                            .progressive = prog,
                            .pixels = p};
            m = jpeg_make(&sc);
            int e = enc(lum(colours[k][0] / 255.0, colours[k][1] / 255.0,
                            colours[k][2] / 255.0));
            CHECK(decode(&m, &img) == JK_IMAGE_OK);
            if (img.gray)
                CHECKF(fabs(mean(&img, 8, 8, 16, 16) - e) < 4,
                       "colour %d: %g, not %d", k, mean(&img, 8, 8, 16, 16),
                       e);
            jk__image_free(g_ctx, &img);
            free(m.data);
            free(p);
        }
    }

    /* CMYK: Adobe's inverted (as Photoshop writes), YCCK, and plain */
    static const uint8_t inks[][4] = {{0, 0, 0, 0},
                                      {0, 0, 0, 255},
                                      {0, 0, 0, 128},
                                      {255, 0, 0, 0},
                                      {0, 255, 255, 0}};
    for (int k = 0; k < 5; k++) {
        double r = (1 - inks[k][0] / 255.0) * (1 - inks[k][3] / 255.0);
        double gg = (1 - inks[k][1] / 255.0) * (1 - inks[k][3] / 255.0);
        double b = (1 - inks[k][2] / 255.0) * (1 - inks[k][3] / 255.0);
        int e = enc(lum(r, gg, b));
        for (int kind = 0; kind < 3; kind++) {
            uint8_t v[4];
            for (int c = 0; c < 4; c++)
                v[c] = kind < 2 ? (uint8_t)(255 - inks[k][c]) : inks[k][c];
            uint8_t *p = fill(32, 32, 4, v);
            jpeg_spec sc = {.w = 32,
                            .h = 32,
                            .comps = 4,
                            .in = JCS_CMYK,
                            .as = kind == 1 ? JCS_YCCK : JCS_UNKNOWN,
                            .quality = 98,
                            .no_adobe = kind == 2,
                            .pixels = p};
            m = jpeg_make(&sc);
            CHECK(decode(&m, &img) == JK_IMAGE_OK);
            if (img.gray)
                CHECKF(fabs(mean(&img, 8, 8, 16, 16) - e) < 4,
                       "CMYK ink %d kind %d: %g, not %d", k, kind,
                       mean(&img, 8, 8, 16, 16), e);
            jk__image_free(g_ctx, &img);
            free(m.data);
            free(p);
        }
    }
}

/* Stored 64x48: a black block at the stored top-left corner (0th row,
 * 0th column), a mid-gray one at the top-right (0th row, last column).
 * Where the EXIF table (TIFF 6.0, Orientation) says they show. */
enum { TL, TR, BR, BL };
static void test_jpeg_orientation(void)
{
    static const int black_at[9] = {0, TL, TR, BR, BL, TL, TR, BR, BL};
    static const int gray_at[9] = {0, TR, TL, BL, BR, BL, BR, TR, TL};
    int w = 64, h = 48, q = 16;
    uint8_t *p = malloc((size_t)(w * h));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            p[y * w + x] = (uint8_t)(y < q && x < q        ? 0
                                     : y < q && x >= w - q ? 128
                                                           : 255);
    for (int o = 1; o <= 8; o++)
        for (int le = 0; le < 2; le++) {
            uint8_t exif[128];
            size_t n = exif_make(exif, le, o, 0, 0, 0);
            jpeg_spec s = {.w = w,
                           .h = h,
                           .comps = 1,
                           .in = JCS_GRAYSCALE,
                           .quality = 95,
                           .progressive = o % 2,
                           .app1 = exif,
                           .app1_n = n,
                           .pixels = p};
            membuf m = jpeg_make(&s);
            jk__image img;
            CHECK(decode(&m, &img) == JK_IMAGE_OK);
            bool swap = o >= 5;
            int dw = swap ? h : w, dh = swap ? w : h;
            CHECKF(img.width == dw && img.height == dh &&
                       img.natural_width == dw && img.natural_height == dh,
                   "orientation %d: %dx%d", o, img.width, img.height);
            if (img.gray && img.width == dw) {
                int cx[4] = {0, dw - q, dw - q, 0};
                int cy[4] = {0, 0, dh - q, dh - q};
                for (int c = 0; c < 4; c++) {
                    double v = mean(&img, cx[c] + 2, cy[c] + 2, q - 4, q - 4);
                    double want = c == black_at[o]  ? 0
                                  : c == gray_at[o] ? 128
                                                    : 255;
                    CHECKF(fabs(v - want) < 6,
                           "orientation %d (%s): corner %d is %g, not %g", o,
                           le ? "II" : "MM", c, v, want);
                }
            }
            jk__image_free(g_ctx, &img);
            free(m.data);
        }
    /* garbage orientation values and a broken IFD: upright, as stored */
    uint8_t exif[128];
    size_t n = exif_make(exif, true, 9, 0, 0, 0);
    jpeg_spec s = {.w = w,
                   .h = h,
                   .comps = 1,
                   .in = JCS_GRAYSCALE,
                   .quality = 95,
                   .app1 = exif,
                   .app1_n = n,
                   .pixels = p};
    membuf m = jpeg_make(&s);
    jk__image img;
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.width == w && img.gray &&
          px(&img, 3, 3) < 20);
    jk__image_free(g_ctx, &img);
    free(m.data);
    n = exif_make(exif, false, 6, 0, 0, 0);
    exif[10] = 0x7F; /* IFD0 offset far outside */
    s.app1_n = n;
    m = jpeg_make(&s);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.width == w);
    jk__image_free(g_ctx, &img);
    free(m.data);
    n = exif_make(exif, true, 6, 0, 0, 0);
    s.app1_n = 16; /* IFD cut short: the entry is not read */
    m = jpeg_make(&s);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.width == w);
    jk__image_free(g_ctx, &img);
    free(m.data);
    free(p);
}

static void test_jpeg_density(void)
{
    uint8_t v = 200;
    uint8_t *p = fill(16, 8, 1, &v);
    jpeg_spec s = {.w = 16,
                   .h = 8,
                   .comps = 1,
                   .in = JCS_GRAYSCALE,
                   .pixels = p,
                   .density_unit = 1,
                   .xdensity = 150,
                   .ydensity = 150};
    membuf m = jpeg_make(&s);
    jk__image img;
    CHECK(decode(&m, &img) == JK_IMAGE_OK);
    CHECKF(img.dpi == 150, "JFIF dpi %g", img.dpi);
    jk__image_free(g_ctx, &img);
    free(m.data);
    s.density_unit = 2; /* per cm */
    s.xdensity = s.ydensity = 100;
    m = jpeg_make(&s);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && fabs(img.dpi - 254) < 0.01);
    jk__image_free(g_ctx, &img);
    free(m.data);
    s.density_unit = 0; /* aspect only: no density */
    s.xdensity = s.ydensity = 1;
    m = jpeg_make(&s);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.dpi == 0);
    jk__image_free(g_ctx, &img);
    free(m.data);
    /* EXIF resolution, both byte orders; turned with the picture */
    uint8_t exif[128];
    for (int le = 0; le < 2; le++) {
        size_t n = exif_make(exif, le, 6, 100, 200, 2);
        jpeg_spec e = {.w = 16,
                       .h = 8,
                       .comps = 1,
                       .in = JCS_GRAYSCALE,
                       .pixels = p,
                       .no_jfif = true,
                       .app1 = exif,
                       .app1_n = n};
        m = jpeg_make(&e);
        CHECK(decode(&m, &img) == JK_IMAGE_OK);
        CHECKF(img.dpi == 200 && img.width == 8, "EXIF dpi %g", img.dpi);
        jk__image_free(g_ctx, &img);
        free(m.data);
        n = exif_make(exif, le, 1, 118, 118, 3); /* per cm */
        e.app1_n = n;
        m = jpeg_make(&e);
        CHECK(decode(&m, &img) == JK_IMAGE_OK);
        CHECKF(fabs(img.dpi - 299.72) < 0.01, "EXIF cm dpi %g", img.dpi);
        jk__image_free(g_ctx, &img);
        free(m.data);
    }
    free(p);
}

/* Far larger than the stored side: DCT-scaled, then averaged. */
static void test_jpeg_large(void)
{
    int w = 4200, h = 64;
    uint8_t *p = malloc((size_t)w * (size_t)h * 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *q = p + ((size_t)y * (size_t)w + (size_t)x) * 3;
            uint8_t v = x < w / 2 ? 30 : 220;
            q[0] = q[1] = q[2] = v;
        }
    jpeg_spec s = {
        .w = w, .h = h, .comps = 3, .in = JCS_RGB, .quality = 90, .pixels = p};
    uint8_t exif[64];
    size_t n = exif_make(exif, true, 8, 0, 0, 0);
    for (int turned = 0; turned < 2; turned++) {
        s.app1 = turned ? exif : NULL;
        s.app1_n = n;
        membuf m = jpeg_make(&s);
        jk__image img;
        CHECK(decode(&m, &img) == JK_IMAGE_OK);
        int kw = JK__IMAGE_STORE_SIDE, kh = 31;
        if (turned) {
            CHECKF(img.width == kh && img.height == kw &&
                       img.natural_width == h && img.natural_height == w,
                   "large turned JPEG %dx%d of %dx%d", img.width, img.height,
                   img.natural_width, img.natural_height);
            /* orientation 8: stored left is display bottom */
            if (img.gray && img.height == kw) {
                CHECK(fabs(mean(&img, 2, kw - 900, 27, 800) - 30) < 4);
                CHECK(fabs(mean(&img, 2, 100, 27, 800) - 220) < 4);
            }
        } else {
            CHECKF(img.width == kw && img.height == kh &&
                       img.natural_width == w && img.natural_height == h,
                   "large JPEG %dx%d of %dx%d", img.width, img.height,
                   img.natural_width, img.natural_height);
            if (img.gray && img.width == kw) {
                CHECK(fabs(mean(&img, 100, 2, 800, 27) - 30) < 4);
                CHECK(fabs(mean(&img, 1100, 2, 800, 27) - 220) < 4);
            }
        }
        jk__image_free(g_ctx, &img);
        free(m.data);
    }
    free(p);
}

/* ---------------------------------------------- damaged and refused */

static void test_damaged(void)
{
    jk__image img;
    /* PNG: truncated, a flipped IDAT byte (CRC), no IDAT at all */
    membuf m = small_png(40, 30, false);
    membuf half = {0};
    mem_write(&half, m.data, m.size / 2);
    CHECK(decode(&half, &img) == JK_IMAGE_CORRUPT);
    free(half.data);
    membuf bad = {0};
    mem_write(&bad, m.data, m.size);
    size_t idat = 8;
    while (memcmp(bad.data + idat + 4, "IDAT", 4) != 0)
        idat += 12 + get32(bad.data + idat);
    bad.data[idat + 8 + get32(bad.data + idat) / 2] ^= 0x55;
    CHECK(decode(&bad, &img) == JK_IMAGE_CORRUPT);
    free(bad.data);
    membuf noidat = {0};
    mem_write(&noidat, m.data, idat);
    chunk(&noidat, "IEND", NULL, 0);
    CHECK(decode(&noidat, &img) == JK_IMAGE_CORRUPT);
    free(noidat.data);
    membuf sig = {0};
    mem_write(&sig, m.data, 8);
    CHECK(decode(&sig, &img) == JK_IMAGE_CORRUPT);
    free(sig.data);
    free(m.data);
    /* interlaced, cut in half */
    m = small_png(40, 30, true);
    half = (membuf){0};
    mem_write(&half, m.data, m.size / 2);
    CHECK(decode(&half, &img) == JK_IMAGE_CORRUPT);
    free(half.data);
    free(m.data);

    /* JPEG: baseline and progressive cut in half; a marker inside the
     * entropy-coded data */
    int w = 96, h = 64;
    uint8_t *p = malloc((size_t)(w * h * 3));
    for (int i = 0; i < w * h * 3; i++)
        p[i] = (uint8_t)(i * 31 % 256);
    for (int prog = 0; prog < 2; prog++) {
        jpeg_spec s = {.w = w,
                       .h = h,
                       .comps = 3,
                       .in = JCS_RGB,
                       .progressive = prog,
                       .pixels = p};
        m = jpeg_make(&s);
        CHECK(decode(&m, &img) == JK_IMAGE_OK);
        jk__image_free(g_ctx, &img);
        half = (membuf){0};
        mem_write(&half, m.data, m.size / 2);
        CHECKF(decode(&half, &img) == JK_IMAGE_CORRUPT, "truncated %s",
               prog ? "progressive" : "baseline");
        free(half.data);
        half = (membuf){0};
        mem_write(&half, m.data, m.size - 2); /* only EOI missing */
        CHECKF(decode(&half, &img) == JK_IMAGE_CORRUPT, "no EOI, %s",
               prog ? "progressive" : "baseline");
        jk__image_free(g_ctx, &img);
        free(half.data);
        if (!prog) {
            size_t sos = 2;
            while (!(m.data[sos] == 0xFF && m.data[sos + 1] == 0xDA))
                sos += 2 + ((size_t)m.data[sos + 2] << 8 | m.data[sos + 3]);
            size_t mid = sos + (m.size - sos) / 2;
            bad = (membuf){0};
            mem_write(&bad, m.data, m.size);
            bad.data[mid] = 0xFF;
            bad.data[mid + 1] = 0xD5;
            CHECK(decode(&bad, &img) == JK_IMAGE_CORRUPT);
            free(bad.data);
        } else {
            /* junk before the final EOI: the pixels are complete */
            bad = (membuf){0};
            mem_write(&bad, m.data, m.size - 2);
            mem_write(&bad, "junk\xFF\xD9", 6);
            CHECK(decode(&bad, &img) == JK_IMAGE_OK);
            jk__image_free(g_ctx, &img);
            free(bad.data);
        }
        free(m.data);
    }
    free(p);

    /* not an image, or nothing */
    static const char *foreign[] = {
        "GIF89a\x01\x00\x01\x00\x00\x00\x00", "plain text, not a picture",
        "\x89PNX\r\n\x1a\n0000000000000000", "\xFF\xD8", "BM6\x00\x00\x00"};
    for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
        membuf f = {(unsigned char *)foreign[i], strlen(foreign[i]), 0, 0};
        CHECKF(decode(&f, &img) == JK_IMAGE_REFUSED, "foreign %zu", i);
    }
    membuf empty = {0};
    CHECK(decode(&empty, &img) == JK_IMAGE_REFUSED);
    jk_image_status why;
    CHECK(jk__image_decode(g_ctx, NULL, 0, &img, &why) == JK_OK &&
          why == JK_IMAGE_REFUSED);
    /* past JK__MAX_IMAGE_BYTES: refused unread (the buffer is not that
     * long; a read would show under the sanitizers) */
    static const uint8_t pngsig[8] = {0x89, 'P',  'N',  'G',
                                      '\r', '\n', 0x1A, '\n'};
    CHECK(jk__image_decode(g_ctx, pngsig, JK__MAX_IMAGE_BYTES + (size_t)1,
                           &img, &why) == JK_OK &&
          why == JK_IMAGE_REFUSED);
    CHECK(jk__image_decode(g_ctx, "x", 1, NULL, &why) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__image_decode(g_ctx, NULL, 10, &img, &why) ==
          JK_ERR_INVALID_ARGUMENT);
}

/* Headers past the limits: refused at once, with no memory to speak of. */
static void test_bombs(void)
{
    tu_counting c = {0};
    jk_context *ctx = counting_context(&c);
    CHECK(ctx != NULL);
    if (!ctx)
        return;
    static const uint32_t dims[][2] = {
        {100000, 100000}, {30001, 1}, {1, 30001}, {10000, 5001}};
    for (size_t k = 0; k < 4; k++) {
        membuf m = {0};
        mem_write(&m, "\x89PNG\r\n\x1a\n", 8);
        uint8_t ihdr[13] = {0};
        put32(ihdr, dims[k][0]);
        put32(ihdr + 4, dims[k][1]);
        ihdr[8] = 8;
        ihdr[9] = 6; /* RGBA */
        chunk(&m, "IHDR", ihdr, 13);
        uint8_t junk[64] = {0x78, 0x9C};
        chunk(&m, "IDAT", junk, sizeof junk);
        chunk(&m, "IEND", NULL, 0);
        size_t base = c.bytes;
        c.peak = base;
        jk__image img;
        jk_image_status why;
        double t0 = now();
        jk_status st = jk__image_decode(ctx, m.data, m.size, &img, &why);
        double dt = now() - t0;
        CHECK(st == JK_OK);
        CHECKF(why == JK_IMAGE_REFUSED, "PNG %ux%u: %d", dims[k][0],
               dims[k][1], why);
        CHECKF(c.peak - base < 4096, "PNG bomb took %zu bytes", c.peak - base);
        CHECK(dt < 0.1);
        free(m.data);
    }
    /* within the limits, one row of a 29999 x 1666 image, then nothing:
     * memory is rows, not the image */
    {
        membuf m = {0};
        mem_write(&m, "\x89PNG\r\n\x1a\n", 8);
        uint8_t ihdr[13] = {0};
        put32(ihdr, 29999);
        put32(ihdr + 4, 1666);
        ihdr[8] = 16;
        ihdr[9] = 6; /* RGBA 16 */
        chunk(&m, "IHDR", ihdr, 13);
        uint8_t z[] = {0x78, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF};
        chunk(&m, "IDAT", z, sizeof z);
        chunk(&m, "IEND", NULL, 0);
        size_t base = c.bytes;
        c.peak = base;
        jk__image img;
        jk_image_status why;
        CHECK(jk__image_decode(ctx, m.data, m.size, &img, &why) == JK_OK &&
              why == JK_IMAGE_CORRUPT);
        /* rows of 240 KB (libpng's two, ours, linear floats), the kept
         * 2048 x 114 and accumulators */
        CHECKF(c.peak - base < 2u << 20, "big header took %zu bytes",
               c.peak - base);
        free(m.data);
    }
    /* JPEG SOF claiming 65000 x 65000 */
    uint8_t v = 128;
    uint8_t *p = fill(16, 16, 1, &v);
    jpeg_spec s = {
        .w = 16, .h = 16, .comps = 1, .in = JCS_GRAYSCALE, .pixels = p};
    membuf m = jpeg_make(&s);
    for (int k = 0; k < 2; k++) {
        size_t i = 2;
        while (!(m.data[i] == 0xFF && m.data[i + 1] == 0xC0))
            i += 2 + ((size_t)m.data[i + 2] << 8 | m.data[i + 3]);
        unsigned side = k ? 30001 : 65000;
        m.data[i + 5] = (uint8_t)(side >> 8);
        m.data[i + 6] = (uint8_t)side;
        m.data[i + 7] = (uint8_t)(side >> 8);
        m.data[i + 8] = (uint8_t)side;
        jk__image img;
        jk_image_status why;
        size_t base = c.bytes;
        c.peak = base;
        double t0 = now();
        CHECK(jk__image_decode(ctx, m.data, m.size, &img, &why) == JK_OK);
        CHECKF(why == JK_IMAGE_REFUSED, "JPEG %u: %d", side, why);
        CHECK(now() - t0 < 0.1);
        CHECKF(c.peak - base < 16384, "JPEG bomb took %zu bytes",
               c.peak - base);
    }
    free(m.data);
    free(p);
    CHECK(c.live > 0); /* only the context's own */
    jk_context_destroy(ctx);
    CHECK(c.live == 0);
}

/* A final fixed-Huffman deflate block of `bytes` bytes: a literal 0,
 * then (length 258, distance 1) every 13 bits, with no end: 159 times its
 * size if inflated. */
static void deflate_runs(membuf *m, size_t bytes)
{
    uint8_t *bits = calloc(bytes, 1);
    size_t bit = 0;
#define PUT(code, n, msb_first)                                               \
    do {                                                                      \
        for (int k_ = 0; k_ < (n); k_++, bit++) {                             \
            int b_ = (msb_first) ? (n)-1 - k_ : k_;                           \
            if ((code) >> b_ & 1)                                             \
                bits[bit / 8] |= (uint8_t)(1u << (bit % 8));                  \
        }                                                                     \
    } while (0)
    PUT(1, 1, 0);    /* BFINAL */
    PUT(1, 2, 0);    /* BTYPE 01: fixed codes */
    PUT(0x30, 8, 1); /* literal 0 */
    while (bit + 13 < bytes * 8) {
        PUT(0xC5, 8, 1); /* 285: length 258 */
        PUT(0, 5, 1);    /* distance 1 */
    }
#undef PUT
    mem_write(m, bits, bytes);
    free(bits);
}

/* Patch the first SOF's size. */
static void jpeg_resize(membuf *m, unsigned w, unsigned h)
{
    size_t i = 2;
    while (!(m->data[i] == 0xFF && (m->data[i + 1] & 0xF0) == 0xC0 &&
             m->data[i + 1] != 0xC4))
        i += 2 + ((size_t)m->data[i + 2] << 8 | m->data[i + 3]);
    m->data[i + 5] = (uint8_t)(h >> 8);
    m->data[i + 6] = (uint8_t)h;
    m->data[i + 7] = (uint8_t)(w >> 8);
    m->data[i + 8] = (uint8_t)w;
}

/* Progressive files of endless scans and of more coefficients than
 * libjpeg may hold; a huge baseline header over little data. */
static void test_jpeg_limits(void)
{
    uint8_t *p = malloc(16 * 16);
    for (int i = 0; i < 256; i++)
        p[i] = (uint8_t)(i * 37);
    /* DC, then every AC coefficient alone, first at Al = k and refined
     * bit by bit: 1 + 63 * (k + 1) valid scans */
    static jpeg_scan_info scans[1 + 63 * 5];
    for (int al = 2; al <= 4; al += 2) {
        int n = 0;
        scans[n++] = (jpeg_scan_info){1, {0}, 0, 0, 0, 0};
        for (int c = 1; c < 64; c++) {
            scans[n++] = (jpeg_scan_info){1, {0}, c, c, 0, al};
            for (int b = al; b > 0; b--)
                scans[n++] = (jpeg_scan_info){1, {0}, c, c, b, b - 1};
        }
        jpeg_spec s = {.w = 16,
                       .h = 16,
                       .comps = 1,
                       .in = JCS_GRAYSCALE,
                       .pixels = p,
                       .scans = scans,
                       .nscans = n};
        membuf m = jpeg_make(&s);
        jk__image img;
        jk_image_status want =
            n > JK__MAX_JPEG_SCANS ? JK_IMAGE_REFUSED : JK_IMAGE_OK;
        CHECKF(decode(&m, &img) == want, "%d scans", n);
        if (img.gray)
            CHECK(abs(px(&img, 5, 5) - p[5 * 16 + 5]) < 8);
        jk__image_free(g_ctx, &img);
        free(m.data);
    }
    free(p);
    /* 20000 x 2500 progressive 4:4:4: 300 MB of coefficients */
    uint8_t *rgb = malloc(16 * 16 * 3);
    for (int i = 0; i < 16 * 16 * 3; i++)
        rgb[i] = (uint8_t)(i * 11);
    jpeg_spec s = {.w = 16,
                   .h = 16,
                   .comps = 3,
                   .in = JCS_RGB,
                   .progressive = true,
                   .full_chroma = true,
                   .pixels = rgb};
    membuf m = jpeg_make(&s);
    jpeg_resize(&m, 20000, 2500);
    jk__image img;
    double t0 = now();
    CHECK(decode(&m, &img) == JK_IMAGE_REFUSED);
    CHECK(now() - t0 < 0.5);
    free(m.data);
    /* the same size, baseline: rows stream; the data ends at once */
    s.progressive = false;
    m = jpeg_make(&s);
    jpeg_resize(&m, 20000, 2500);
    t0 = now();
    CHECK(decode(&m, &img) == JK_IMAGE_CORRUPT);
    CHECK(now() - t0 < 0.5);
    free(m.data);
    free(rgb);
}

/* Thousands of IDATs, and a deflate stream running on far past the last
 * row: the same picture, bounded memory and time. */
static void test_many_idat(void)
{
    tu_counting c = {0};
    jk_context *ctx = counting_context(&c);
    if (!ctx)
        return;
    int w = 300, h = 200;
    unsigned *v = malloc(sizeof *v * (size_t)(w * h));
    for (int i = 0; i < w * h; i++)
        v[i] = (unsigned)(i * 2654435761u >> 13) & 255; /* incompressible */
    png_spec s = {
        .w = w, .h = h, .ct = PNG_COLOR_TYPE_GRAY, .depth = 8, .samples = v};
    membuf one = png_make(&s);
    membuf many = png_reidat(&one, 1, NULL, 0);
    CHECK(many.size > one.size + 12 * 1000);
    jk__image a, b;
    jk_image_status why;
    CHECK(jk__image_decode(ctx, one.data, one.size, &a, &why) == JK_OK &&
          why == JK_IMAGE_OK);
    size_t base = c.bytes;
    c.peak = base;
    CHECK(jk__image_decode(ctx, many.data, many.size, &b, &why) == JK_OK &&
          why == JK_IMAGE_OK);
    CHECKF(c.peak - base < (size_t)(w * h) + 96 * 1024,
           "many IDATs took %zu bytes", c.peak - base);
    CHECK(a.gray && b.gray && memcmp(a.gray, b.gray, (size_t)(w * h)) == 0);
    jk__image_free(ctx, &b);

    /* The zlib stream's end replaced by a fixed-Huffman block of runs
     * (258 zeros every 13 bits) 8 MB long: 1.3 GB if inflated to the
     * end. The last row is complete long before. */
    /* Rows as stored blocks (exact), then the bomb, in one stream. */
    membuf raw = {0};
    uint8_t zh[2] = {0x78, 0x01};
    mem_write(&raw, zh, 2);
    size_t rowlen = (size_t)w + 1;
    for (int y = 0; y < h; y++) {
        uint8_t bh[5] = {0, (uint8_t)rowlen, (uint8_t)(rowlen >> 8),
                         (uint8_t)~rowlen, (uint8_t)(~rowlen >> 8)};
        mem_write(&raw, bh, 5);
        uint8_t row[301];
        row[0] = 0;
        for (int x = 0; x < w; x++)
            row[1 + x] = (uint8_t)v[y * w + x];
        mem_write(&raw, row, rowlen);
    }
    deflate_runs(&raw, 8u << 20);
    membuf src = {0};
    mem_write(&src, one.data, 33); /* signature and IHDR */
    chunk(&src, "IDAT", raw.data, raw.size);
    chunk(&src, "IEND", NULL, 0);
    free(raw.data);
    c.peak = base;
    double t0 = now();
    CHECK(jk__image_decode(ctx, src.data, src.size, &b, &why) == JK_OK);
    double dt = now() - t0;
    CHECKF(why == JK_IMAGE_OK, "bomb: %d", why);
    CHECK(a.gray && b.gray && memcmp(a.gray, b.gray, (size_t)(w * h)) == 0);
    CHECKF(dt < 0.5, "trailing deflate data took %.2f s", dt);
    printf("image: 1.3 GB deflate tail stopped after %.3f s\n", dt);
    CHECKF(c.peak - base < (size_t)(w * h) + 96 * 1024, "bomb took %zu bytes",
           c.peak - base);
    jk__image_free(ctx, &b);
    free(src.data);

    /* zTXt and iCCP bombs before the pixels: never inflated */
    src = (membuf){0};
    mem_write(&src, one.data, 33);
    static const char *const kinds[] = {"zTXt", "iCCP"};
    for (int k = 0; k < 2; k++) {
        membuf body = {0};
        mem_write(&body, "Comment\0\0\x78\x01", 11);
        deflate_runs(&body, 1u << 20);
        chunk(&src, kinds[k], body.data, body.size);
        free(body.data);
    }
    mem_write(&src, one.data + 33, one.size - 33);
    c.peak = base;
    t0 = now();
    CHECK(jk__image_decode(ctx, src.data, src.size, &b, &why) == JK_OK &&
          why == JK_IMAGE_OK);
    dt = now() - t0;
    CHECK(a.gray && b.gray && memcmp(a.gray, b.gray, (size_t)(w * h)) == 0);
    CHECKF(c.peak - base < (size_t)(w * h) + 96 * 1024 && dt < 0.5,
           "text and profile bombs took %zu bytes, %.2f s", c.peak - base, dt);
    jk__image_free(ctx, &a);
    jk__image_free(ctx, &b);
    free(src.data);
    free(one.data);
    free(many.data);
    free(v);
    jk_context_destroy(ctx);
    CHECK(c.live == 0);
}

/* Averaging down keeps a flat gray exactly: the weights of every kept
 * pixel sum to one, for plain rows, Adam7 passes and DCT-scaled JPEG. */
static void test_flat_downsample(void)
{
    int w = 4500, h = 30;
    uint8_t *flat = malloc((size_t)(w * h));
    memset(flat, 200, (size_t)(w * h));
    unsigned *v = malloc(sizeof *v * (size_t)(w * h));
    for (int i = 0; i < w * h; i++)
        v[i] = 200;
    jk__image img[5];
    jk_image_status why;
    CHECK(jk__image_from_gray(g_ctx, flat, w, h, w, &img[0], &why) == JK_OK);
    png_spec s = {
        .w = w, .h = h, .ct = PNG_COLOR_TYPE_GRAY, .depth = 8, .samples = v};
    membuf m[4];
    m[0] = png_make(&s);
    s.interlace = true;
    m[1] = png_make(&s);
    jpeg_spec j = {
        .w = w, .h = h, .comps = 1, .in = JCS_GRAYSCALE, .pixels = flat};
    m[2] = jpeg_make(&j);
    j.progressive = true;
    m[3] = jpeg_make(&j);
    for (int k = 0; k < 4; k++)
        CHECK(decode(&m[k], &img[k + 1]) == JK_IMAGE_OK);
    for (int k = 0; k < 5; k++) {
        CHECKF(img[k].width == JK__IMAGE_STORE_SIDE && img[k].height == 14,
               "flat %d: %dx%d", k, img[k].width, img[k].height);
        int lo = 255, hi = 0;
        for (int i = 0; img[k].gray && i < img[k].width * img[k].height; i++) {
            lo = img[k].gray[i] < lo ? img[k].gray[i] : lo;
            hi = img[k].gray[i] > hi ? img[k].gray[i] : hi;
        }
        CHECKF(lo == 200 && hi == 200, "flat 200 (case %d) kept as %d..%d", k,
               lo, hi);
        jk__image_free(g_ctx, &img[k]);
        if (k < 4)
            free(m[k].data);
    }
    free(flat);
    free(v);
}

/* -------------------------------------------------- gray and scaling */

static void test_from_gray(void)
{
    uint8_t px8[3 * 5];
    for (int i = 0; i < 15; i++)
        px8[i] = (uint8_t)(i * 17);
    jk__image img;
    jk_image_status why;
    /* width 3, stride 5: the padding is not copied */
    CHECK(jk__image_from_gray(g_ctx, px8, 3, 3, 5, &img, &why) == JK_OK &&
          why == JK_IMAGE_OK);
    CHECK(img.width == 3 && img.height == 3 && img.natural_width == 3);
    if (img.gray)
        CHECK(px(&img, 0, 1) == 5 * 17 && px(&img, 2, 2) == 12 * 17);
    jk__image_free(g_ctx, &img);
    CHECK(jk__image_from_gray(g_ctx, NULL, 3, 3, 3, &img, &why) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__image_from_gray(g_ctx, px8, 0, 3, 3, &img, &why) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__image_from_gray(g_ctx, px8, 3, -1, 3, &img, &why) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__image_from_gray(g_ctx, px8, 4, 3, 3, &img, &why) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(img.gray == NULL);
    /* past the limits: refused, not read (the pointer is not that big) */
    CHECK(jk__image_from_gray(g_ctx, px8, 30001, 1, 30001, &img, &why) ==
              JK_OK &&
          why == JK_IMAGE_REFUSED && img.gray == NULL);
    CHECK(jk__image_from_gray(g_ctx, px8, 10000, 10000, 10000, &img, &why) ==
              JK_OK &&
          why == JK_IMAGE_REFUSED);
    /* larger than the stored side: averaged in linear light */
    int w = 5000, h = 10;
    uint8_t *big = malloc((size_t)(w * h));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            big[y * w + x] = x < 2000   ? 0
                             : x < 4000 ? 255
                                        : (uint8_t)((x ^ y) & 1 ? 255 : 0);
    CHECK(jk__image_from_gray(g_ctx, big, w, h, w, &img, &why) == JK_OK &&
          why == JK_IMAGE_OK);
    CHECK(img.width == JK__IMAGE_STORE_SIDE && img.height == 4 &&
          img.natural_width == w && img.natural_height == h);
    if (img.gray) {
        CHECK(mean(&img, 0, 0, 800, 4) < 0.5);
        CHECK(mean(&img, 900, 0, 700, 4) > 254.5);
        double c = mean(&img, 1700, 0, 300, 4);
        CHECKF(fabs(c - 188) < 2, "checker averaged to %g", c);
    }
    jk__image_free(g_ctx, &img);
    free(big);
}

static void test_scale(void)
{
    uint8_t check[64 * 64];
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 64; x++)
            check[y * 64 + x] = (x + y) & 1 ? 255 : 0;
    jk__image img;
    jk_image_status why;
    CHECK(jk__image_from_gray(g_ctx, check, 64, 64, 64, &img, &why) == JK_OK);
    uint8_t out[64 * 64];
    /* a fine 50% checker: linear average 0.5, sRGB 188 (not 128) */
    CHECK(jk__image_scale(g_ctx, &img, 32, 32, out) == JK_OK);
    int lo = 255, hi = 0;
    for (int i = 0; i < 32 * 32; i++)
        lo = out[i] < lo ? out[i] : lo, hi = out[i] > hi ? out[i] : hi;
    CHECKF(lo == 188 && hi == 188, "checker 64 -> 32: %d..%d", lo, hi);
    CHECK(jk__image_scale(g_ctx, &img, 1, 1, out) == JK_OK && out[0] == 188);
    CHECK(jk__image_scale(g_ctx, &img, 13, 7, out) == JK_OK);
    for (int i = 0; i < 13 * 7; i++)
        CHECKF(abs(out[i] - 188) <= 6, "checker 64 -> 13x7: %d", out[i]);
    /* the same size: a copy */
    CHECK(jk__image_scale(g_ctx, &img, 64, 64, out) == JK_OK &&
          memcmp(out, check, sizeof check) == 0);
    jk__image_free(g_ctx, &img);

    /* up: whole source pixels repeat; a pixel straddling two averages
     * them in linear light */
    uint8_t two[4] = {0, 255, 255, 0};
    CHECK(jk__image_from_gray(g_ctx, two, 2, 2, 2, &img, &why) == JK_OK);
    CHECK(jk__image_scale(g_ctx, &img, 4, 4, out) == JK_OK);
    static const uint8_t up4[16] = {0,   0,   255, 255, 0,   0,   255, 255,
                                    255, 255, 0,   0,   255, 255, 0,   0};
    CHECK(memcmp(out, up4, 16) == 0);
    CHECK(jk__image_scale(g_ctx, &img, 3, 3, out) == JK_OK);
    CHECKF(out[0] == 0 && out[2] == 255 && out[4] == 188 && out[1] == 188 &&
               out[3] == 188 && out[8] == 0,
           "2x2 -> 3x3: %d %d %d / %d %d", out[0], out[1], out[2], out[3],
           out[4]);
    CHECK(jk__image_scale(g_ctx, &img, 1000, 3, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__image_scale(g_ctx, &img, 0, 3, out) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__image_scale(g_ctx, &img, 40000, 1, out) == JK_ERR_LIMIT);
    jk__image_free(g_ctx, &img);
    CHECK(jk__image_scale(g_ctx, &img, 2, 2, out) == JK_ERR_INVALID_ARGUMENT);

    /* any ratio keeps a flat gray flat, and a gradient's linear mean */
    uint8_t grad[7 * 5];
    double sum = 0;
    for (int i = 0; i < 35; i++) {
        grad[i] = (uint8_t)(i * 7);
        sum += eotf(grad[i] / 255.0);
    }
    CHECK(jk__image_from_gray(g_ctx, grad, 7, 5, 7, &img, &why) == JK_OK);
    CHECK(jk__image_scale(g_ctx, &img, 1, 1, out) == JK_OK);
    CHECKF(abs(out[0] - enc(sum / 35)) <= 1, "mean %d, not %d", out[0],
           enc(sum / 35));
    jk__image_free(g_ctx, &img);
    uint8_t flat[7 * 5];
    memset(flat, 77, sizeof flat);
    CHECK(jk__image_from_gray(g_ctx, flat, 7, 5, 7, &img, &why) == JK_OK);
    static const int sizes[][2] = {{3, 2}, {11, 13}, {1, 5}, {40, 1}};
    for (int k = 0; k < 4; k++) {
        CHECK(jk__image_scale(g_ctx, &img, sizes[k][0], sizes[k][1], out) ==
              JK_OK);
        for (int i = 0; i < sizes[k][0] * sizes[k][1]; i++)
            CHECKF(out[i] == 77, "flat to %dx%d: %d", sizes[k][0], sizes[k][1],
                   out[i]);
    }
    jk__image_free(g_ctx, &img);
}

/* -------------------------------------------------- failing memory */

typedef struct sample {
    const char *name;
    membuf data; /* or pixels: */
    const uint8_t *pixels;
    int w, h;
    int scale_w, scale_h;
} sample;

static jk_status run_sample(jk_context *ctx, const sample *s, jk__image *img,
                            uint8_t *scaled)
{
    jk_image_status why;
    jk_status st;
    if (s->pixels)
        st = jk__image_from_gray(ctx, s->pixels, s->w, s->h, s->w, img, &why);
    else
        st = jk__image_decode(ctx, s->data.data, s->data.size, img, &why);
    if (st != JK_OK) {
        CHECKF(img->gray == NULL && why == JK_IMAGE_REFUSED,
               "%s: a failure left an image", s->name);
        return st;
    }
    CHECKF(why == JK_IMAGE_OK, "%s: %d", s->name, why);
    if (scaled && img->gray) {
        st = jk__image_scale(ctx, img, s->scale_w, s->scale_h, scaled);
        if (st != JK_OK)
            jk__image_free(ctx, img);
    }
    return st;
}

/* ----------------------------------------------------------------- WebP */

#ifdef JK__HAVE_WEBP
/* WebP files made with libwebp's encoder: lossless RGB or RGBA, or lossy
 * RGB at quality q. */
static membuf webp_make(const uint8_t *px, int w, int h, bool alpha, int q)
{
    uint8_t *out = NULL;
    size_t n;
    if (q > 0)
        n = WebPEncodeRGB(px, w, h, w * 3, (float)q, &out);
    else if (alpha)
        n = WebPEncodeLosslessRGBA(px, w, h, w * 4, &out);
    else
        n = WebPEncodeLosslessRGB(px, w, h, w * 3, &out);
    membuf m = {0};
    CHECK(n > 12);
    mem_write(&m, out, n);
    WebPFree(out);
    return m;
}

static void put_le(membuf *m, uint32_t v, int bytes)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    mem_write(m, b, (size_t)bytes);
}

/* A simple-format file rewritten as an extended one (VP8X) with `flags`
 * and an EXIF chunk holding exif[0..n) (none when n is 0). */
static membuf webp_extended(const membuf *simple, int w, int h,
                            unsigned flags, const uint8_t *exif, size_t n)
{
    membuf m = {0};
    size_t image = simple->size - 12;
    size_t total = 4 + 18 + image + (n ? 8 + n + (n & 1) : 0);
    mem_write(&m, "RIFF", 4);
    put_le(&m, (uint32_t)total, 4);
    mem_write(&m, "WEBPVP8X", 8);
    put_le(&m, 10, 4);
    put_le(&m, flags | (n ? 0x08u : 0), 4);
    put_le(&m, (uint32_t)(w - 1), 3);
    put_le(&m, (uint32_t)(h - 1), 3);
    mem_write(&m, simple->data + 12, image);
    if (n) {
        mem_write(&m, "EXIF", 4);
        put_le(&m, (uint32_t)n, 4);
        mem_write(&m, exif, n);
        if (n & 1)
            mem_write(&m, "", 1);
    }
    return m;
}

static void test_webp(void)
{
    /* Colours to known grays, lossless: exact to a code. */
    static const uint8_t colours[5][4] = {{255, 0, 0, 255},
                                          {0, 255, 0, 255},
                                          {0, 0, 255, 255},
                                          {128, 128, 128, 255},
                                          {200, 120, 40, 255}};
    int w = 5 * 8, h = 8;
    uint8_t rgb[40 * 8 * 3], rgba[40 * 8 * 4];
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *c = colours[x / 8];
            memcpy(rgb + (y * w + x) * 3, c, 3);
            memcpy(rgba + (y * w + x) * 4, c, 4);
            /* the RGBA file: the bottom half fades out */
            rgba[(y * w + x) * 4 + 3] = (uint8_t)(y < 4 ? 255 : y < 6 ? 128
                                                                      : 0);
        }
    membuf m = webp_make(rgb, w, h, false, 0);
    jk__image img;
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.width == w &&
          img.height == h && img.natural_width == w && img.dpi == 0);
    for (int k = 0; k < 5 && img.gray; k++) {
        int want = enc(lum(colours[k][0] / 255.0, colours[k][1] / 255.0,
                           colours[k][2] / 255.0));
        CHECKF(abs(px(&img, k * 8 + 3, 3) - want) <= 1,
               "WebP lossless colour %d: %d, want %d", k,
               px(&img, k * 8 + 3, 3), want);
    }
    jk__image_free(g_ctx, &img);
    free(m.data);

    /* Transparency over white, in linear light. */
    m = webp_make(rgba, w, h, true, 0);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.width == w);
    for (int k = 0; k < 5 && img.gray; k++) {
        double l = lum(colours[k][0] / 255.0, colours[k][1] / 255.0,
                       colours[k][2] / 255.0);
        double a = 128 / 255.0;
        CHECKF(abs(px(&img, k * 8 + 3, 2) - enc(l)) <= 1 &&
                   abs(px(&img, k * 8 + 3, 5) - enc(a * l + (1 - a))) <= 1 &&
                   px(&img, k * 8 + 3, 7) == 255,
               "WebP alpha, colour %d: %d %d %d", k, px(&img, k * 8 + 3, 2),
               px(&img, k * 8 + 3, 5), px(&img, k * 8 + 3, 7));
    }
    jk__image_free(g_ctx, &img);
    free(m.data);

    /* Lossy: a flat gray stays that gray. */
    uint8_t *flat = malloc(64 * 64 * 3);
    memset(flat, 100, 64 * 64 * 3);
    m = webp_make(flat, 64, 64, false, 90);
    CHECK(decode(&m, &img) == JK_IMAGE_OK && img.width == 64);
    CHECK(img.gray && abs((int)lround(mean(&img, 8, 8, 48, 48)) - 100) <= 2);
    jk__image_free(g_ctx, &img);
    free(m.data);
    free(flat);

    /* EXIF orientations 1-8 in an extended file (with and without the
     * "Exif\0\0" prefix): the corners end up where the JPEG test's do. */
    static const int black_at[9] = {0, TL, TR, BR, BL, TL, TR, BR, BL};
    int ow = 48, oh = 32, q = 12;
    uint8_t *p = malloc((size_t)(ow * oh * 3));
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
            memset(p + (y * ow + x) * 3,
                   y < q && x < q ? 0 : y < q && x >= ow - q ? 128 : 255, 3);
    membuf simple = webp_make(p, ow, oh, false, 0);
    for (int o = 1; o <= 8; o++) {
        uint8_t exif[128];
        size_t n = exif_make(exif, o % 2, o, 300, 300, 2);
        int skip = o % 3 == 0 ? 6 : 0;
        m = webp_extended(&simple, ow, oh, 0, exif + skip, n - (size_t)skip);
        CHECKF(decode(&m, &img) == JK_IMAGE_OK, "orientation %d", o);
        bool swap = o >= 5;
        int dw = swap ? oh : ow, dh = swap ? ow : oh;
        CHECKF(img.width == dw && img.height == dh && img.natural_width == dw,
               "WebP orientation %d: %dx%d", o, img.width, img.height);
        CHECKF(fabs(img.dpi - 300) < 1e-6, "WebP EXIF density %g", img.dpi);
        if (img.gray && img.width == dw) {
            int cx[4] = {0, dw - q, dw - q, 0};
            int cy[4] = {0, 0, dh - q, dh - q};
            for (int c = 0; c < 4; c++)
                if (c == black_at[o])
                    CHECKF(mean(&img, cx[c] + 2, cy[c] + 2, q - 4, q - 4) < 2,
                           "WebP orientation %d: corner %d not black", o, c);
        }
        jk__image_free(g_ctx, &img);
        free(m.data);
    }

    /* Damaged: cut short, or its image chunk garbled. */
    for (size_t cut = 13; cut < simple.size; cut += simple.size / 7) {
        membuf t = {simple.data, cut, 0, 0};
        CHECKF(decode(&t, &img) == JK_IMAGE_CORRUPT, "cut at %zu", cut);
    }
    membuf bad = {0};
    mem_write(&bad, simple.data, simple.size);
    for (size_t i = 25; i < bad.size; i++)
        bad.data[i] ^= 0x5A;
    jk_image_status why = decode(&bad, &img);
    CHECK(why == JK_IMAGE_CORRUPT || why == JK_IMAGE_OK);
    jk__image_free(g_ctx, &img);
    free(bad.data);

    /* Animated: refused (not a photograph). */
    m = webp_extended(&simple, ow, oh, 0x02, NULL, 0);
    CHECK(decode(&m, &img) == JK_IMAGE_REFUSED);
    free(m.data);
    free(simple.data);
    free(p);

    /* A bomb: a 16384 x 16384 lossless header, refused before anything
     * is allocated for it. */
    membuf bomb = {0};
    mem_write(&bomb, "RIFF", 4);
    put_le(&bomb, 4 + 8 + 6, 4);
    mem_write(&bomb, "WEBPVP8L", 8);
    put_le(&bomb, 5, 4);
    uint32_t bits = 16383u | 16383u << 14; /* width-1, height-1; no alpha */
    mem_write(&bomb, "\x2f", 1);
    put_le(&bomb, bits, 4);
    mem_write(&bomb, "", 1);
    tu_counting c = {0};
    c.budget = -1;
    jk_context *ctx = counting_context(&c);
    if (ctx) {
        jk_image_status w2 = JK_IMAGE_OK;
        CHECK(jk__image_decode(ctx, bomb.data, bomb.size, &img, &w2) ==
                  JK_OK &&
              w2 == JK_IMAGE_REFUSED && c.peak < 4096);
        jk_context_destroy(ctx);
    }
    free(bomb.data);

    /* Wider than twice the kept side: scaled while decoded, then averaged
     * to the kept side; the picture's halves stay apart. */
    int lw = 5000, lh = 40;
    uint8_t *wide = malloc((size_t)(lw * lh * 3));
    for (int y = 0; y < lh; y++)
        for (int x = 0; x < lw; x++)
            memset(wide + (y * lw + x) * 3, x < lw / 2 ? 30 : 220, 3);
    m = webp_make(wide, lw, lh, false, 0);
    CHECK(decode(&m, &img) == JK_IMAGE_OK &&
          img.width == JK__IMAGE_STORE_SIDE && img.natural_width == lw &&
          img.natural_height == lh);
    if (img.gray) {
        CHECK(abs(px(&img, 100, img.height / 2) - 30) <= 2);
        CHECK(abs(px(&img, img.width - 100, img.height / 2) - 220) <= 2);
    }
    jk__image_free(g_ctx, &img);
    free(m.data);
    free(wide);
}
#endif

/* Fail the Nth allocation through the context for every N: NOMEM or the
 * same result, never a leak. */
static void test_allocation_failures(void)
{
    int gw = 3000, gh = 20;
    uint8_t *gp = malloc((size_t)(gw * gh));
    for (int i = 0; i < gw * gh; i++)
        gp[i] = (uint8_t)(i * 13);
    uint8_t exif[64];
    size_t en = exif_make(exif, false, 6, 0, 0, 0);
    uint8_t *jp = malloc(80 * 60 * 3);
    for (int i = 0; i < 80 * 60 * 3; i++)
        jp[i] = (uint8_t)(i * 7);
    jpeg_spec js = {.w = 80,
                    .h = 60,
                    .comps = 3,
                    .in = JCS_RGB,
                    .progressive = true,
                    .app1 = exif,
                    .app1_n = en,
                    .pixels = jp};
    png_color pal[4] = {{0, 0, 0}, {255, 0, 0}, {0, 0, 255}, {255, 255, 255}};
    png_byte ta[3] = {0, 100, 200};
    unsigned idx[40 * 20];
    for (int i = 0; i < 800; i++)
        idx[i] = (unsigned)(i % 4);
    png_spec ps = {.w = 40,
                   .h = 20,
                   .ct = PNG_COLOR_TYPE_PALETTE,
                   .depth = 2,
                   .samples = idx,
                   .pal = pal,
                   .npal = 4,
                   .trns = ta,
                   .ntrns = 3,
                   .interlace = true};
    unsigned *v16 = malloc(sizeof *v16 * 2500 * 3 * 4);
    for (int i = 0; i < 2500 * 3 * 4; i++)
        v16[i] = (unsigned)(i * 7919 % 65536);
    png_spec big16 = {.w = 2500,
                      .h = 3,
                      .ct = PNG_COLOR_TYPE_RGB_ALPHA,
                      .depth = 16,
                      .samples = v16};
    sample samples[] = {
        {"PNG RGBA interlaced", small_png(33, 17, true), NULL, 0, 0, 20, 9},
        {"PNG palette tRNS", png_make(&ps), NULL, 0, 0, 7, 70},
        {"PNG 16-bit large", png_make(&big16), NULL, 0, 0, 100, 2},
        {"JPEG progressive turned", jpeg_make(&js), NULL, 0, 0, 31, 17},
        {"gray pixels large", {0}, gp, gw, gh, 64, 64},
#ifdef JK__HAVE_WEBP
        {"WebP lossless", webp_make(jp, 80, 60, false, 0), NULL, 0, 0, 31,
         17},
#endif
    };
    for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
        sample *s = &samples[k];
        tu_counting c = {0};
        jk_context *ctx = counting_context(&c);
        if (!ctx)
            continue;
        long start = c.live;
        jk__image ref;
        uint8_t *ref_scaled = malloc((size_t)(s->scale_w * s->scale_h));
        uint8_t *scaled = malloc((size_t)(s->scale_w * s->scale_h));
        CHECK(run_sample(ctx, s, &ref, ref_scaled) == JK_OK);
        long before = c.live; /* with the reference image */
        long n, failures = 0;
        for (n = 0; n < 10000; n++) {
            c.budget = n;
            c.failed = 0;
            jk__image img;
            jk_status st = run_sample(ctx, s, &img, scaled);
            c.budget = -1;
            if (c.failed == 0) {
                CHECKF(st == JK_OK, "%s: %s with no failure", s->name,
                       jk_status_string(st));
                CHECK(img.gray && ref.gray && img.width == ref.width &&
                      img.height == ref.height &&
                      memcmp(img.gray, ref.gray,
                             (size_t)img.width * (size_t)img.height) == 0 &&
                      memcmp(scaled, ref_scaled,
                             (size_t)(s->scale_w * s->scale_h)) == 0);
                jk__image_free(ctx, &img);
                break;
            }
            failures++;
            CHECKF(st == JK_ERR_NOMEM, "%s: allocation %ld failing gave %s",
                   s->name, n, jk_status_string(st));
            CHECKF(c.live == before, "%s: allocation %ld leaked %ld blocks",
                   s->name, n, c.live - before);
            if (st == JK_OK)
                jk__image_free(ctx, &img);
        }
        CHECKF(failures >= 3, "%s: only %ld allocations", s->name, failures);
        printf("image: %s: %ld failing allocations tried\n", s->name,
               failures);
        jk__image_free(ctx, &ref);
        CHECK(c.live == start);
        jk_context_destroy(ctx);
        CHECK(c.live == 0);
        free(ref_scaled);
        free(scaled);
        free(s->data.data);
    }
    free(gp);
    free(jp);
    free(v16);
}

int main(void)
{
    if (jk_context_create(NULL, &g_ctx) != JK_OK)
        return 1;
    test_png_gray();
    test_png_alpha();
    test_png_palette();
    test_png_interlaced();
    test_png_gamma_dpi();
    test_png_large();
    test_jpeg_kinds();
    test_jpeg_orientation();
    test_jpeg_density();
    test_jpeg_large();
    test_jpeg_limits();
    test_damaged();
    test_bombs();
    test_many_idat();
    test_flat_downsample();
    test_from_gray();
    test_scale();
#ifdef JK__HAVE_WEBP
    test_webp();
#endif
    test_allocation_failures();
    jk_context_destroy(g_ctx);
    return tu_finish("image");
}
