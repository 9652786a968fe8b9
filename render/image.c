/* Images for figures (image.h): PNG through libpng, JPEG through libjpeg,
 * WebP through libwebp (where built with it), to sRGB-encoded luminance,
 * averaged down in linear light while the rows stream in, so memory
 * follows the kept size, not the file's (WebP decodes whole, at most twice
 * the kept size on the long side: libwebp scales larger files down as it
 * decodes, as libjpeg's DCT scaling does). */
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t */
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>
#ifdef JK__HAVE_WEBP
#include <webp/decode.h>
#endif

#include "image.h"
#include "memory.h"
#include "resource_limits.h"

/* Rec. 709 / sRGB primaries: luminance from linear R, G, B. */
#define KR 0.2126f
#define KG 0.7152f
#define KB 0.0722f

/* ------------------------------------------------------------ tone curves */

#define ENC_STEPS 4096

typedef struct tone {
    float lut8[256]; /* 8-bit sample -> linear light */
    float thr[255];  /* linear light halfway between sRGB codes k and k+1 */
    uint8_t enc[ENC_STEPS]; /* the code at linear i / ENC_STEPS */
} tone;

static double srgb_to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* exponent 0: samples are sRGB; else linear = sample^exponent (gAMA). */
static double decode_sample(double c, double exponent)
{
    return exponent > 0 ? pow(c, exponent) : srgb_to_linear(c);
}

static void tone_init(tone *t, double exponent)
{
    for (int k = 0; k < 256; k++)
        t->lut8[k] = (float)decode_sample(k / 255.0, exponent);
    for (int k = 0; k < 255; k++)
        t->thr[k] = (float)srgb_to_linear((k + 0.5) / 255.0);
    int code = 0;
    for (int i = 0; i < ENC_STEPS; i++) {
        while (code < 255 && (float)i / ENC_STEPS > t->thr[code])
            code++;
        t->enc[i] = (uint8_t)code;
    }
}

/* 16-bit samples: a 4097-point curve, interpolated (error below 1e-5). */
#define LUT16_STEPS 4096

static void lut16_init(float *lut, double exponent)
{
    for (int i = 0; i <= LUT16_STEPS; i++)
        lut[i] = (float)decode_sample((double)i / LUT16_STEPS, exponent);
}

static inline float lin16(const float *lut, unsigned v)
{
    float p = (float)v * ((float)LUT16_STEPS / 65535.0f);
    int i = (int)p;
    if (i >= LUT16_STEPS)
        return lut[LUT16_STEPS];
    return lut[i] + (lut[i + 1] - lut[i]) * (p - (float)i);
}

/* Linear light to the nearest sRGB code (rounded in the encoded scale):
 * the code where v's step of the table starts, moved past the thresholds
 * inside the step (one at most: the steps are finer than sRGB's). */
static inline uint8_t encode(const tone *t, float v)
{
    if (!(v > 0))
        return 0;
    if (v >= 1)
        return 255;
    int code = t->enc[(int)(v * ENC_STEPS)];
    while (code < 255 && v > t->thr[code])
        code++;
    while (code > 0 && !(v > t->thr[code - 1])) /* v * ENC_STEPS rounded up */
        code--;
    return (uint8_t)code;
}

/* ----------------------------------------------------- pixels to linear */

enum {
    PX_PAL, /* 8-bit index into a precomputed linear palette */
    PX_G8,
    PX_GA8,
    PX_RGB8,
    PX_RGBA8,
    PX_G16,
    PX_GA16,
    PX_RGB16,
    PX_RGBA16,
    PX_CMYK,    /* ink, 0 none */
    PX_CMYK_INV /* Adobe's inverted CMYK: 0 full ink */
};

typedef struct pixfmt {
    int kind;
    const tone *t;
    const float *lut16; /* 16-bit kinds */
    const float *pal;   /* PX_PAL: 256 linear values, alpha composited */
} pixfmt;

static inline float luma(const float *lut, unsigned r, unsigned g,
                         unsigned b)
{
    return KR * lut[r] + KG * lut[g] + KB * lut[b];
}

static inline float luma16(const float *lut, unsigned r, unsigned g,
                           unsigned b)
{
    return KR * lin16(lut, r) + KG * lin16(lut, g) + KB * lin16(lut, b);
}

static inline unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* n pixels of `row` to linear luminance over white. */
static void to_linear(const pixfmt *f, const uint8_t *row, int n, float *lin)
{
    const float *l8 = f->t->lut8, *l16 = f->lut16;
    switch (f->kind) {
    case PX_PAL:
        for (int x = 0; x < n; x++)
            lin[x] = f->pal[row[x]];
        break;
    case PX_G8:
        for (int x = 0; x < n; x++)
            lin[x] = l8[row[x]];
        break;
    case PX_GA8:
        for (int x = 0; x < n; x++, row += 2) {
            float a = row[1] / 255.0f;
            lin[x] = a * l8[row[0]] + (1.0f - a);
        }
        break;
    case PX_RGB8:
        for (int x = 0; x < n; x++, row += 3)
            lin[x] = luma(l8, row[0], row[1], row[2]);
        break;
    case PX_RGBA8:
        for (int x = 0; x < n; x++, row += 4) {
            float a = row[3] / 255.0f;
            lin[x] = a * luma(l8, row[0], row[1], row[2]) + (1.0f - a);
        }
        break;
    case PX_G16:
        for (int x = 0; x < n; x++, row += 2)
            lin[x] = lin16(l16, be16(row));
        break;
    case PX_GA16:
        for (int x = 0; x < n; x++, row += 4) {
            float a = be16(row + 2) / 65535.0f;
            lin[x] = a * lin16(l16, be16(row)) + (1.0f - a);
        }
        break;
    case PX_RGB16:
        for (int x = 0; x < n; x++, row += 6)
            lin[x] = luma16(l16, be16(row), be16(row + 2), be16(row + 4));
        break;
    case PX_RGBA16:
        for (int x = 0; x < n; x++, row += 8) {
            float a = be16(row + 6) / 65535.0f;
            lin[x] = a * luma16(l16, be16(row), be16(row + 2),
                                be16(row + 4)) +
                     (1.0f - a);
        }
        break;
    case PX_CMYK:
    case PX_CMYK_INV:
        /* Naive CMYK (no profile): each of R, G, B the product of the two
         * inks' remainders, taken as sRGB-encoded. */
        for (int x = 0; x < n; x++, row += 4) {
            unsigned k = row[3], rgb[3];
            for (int c = 0; c < 3; c++) {
                unsigned v = f->kind == PX_CMYK_INV
                                 ? row[c] * k
                                 : (255u - row[c]) * (255u - k);
                rgb[c] = (v + 127u) / 255u;
            }
            lin[x] = luma(l8, rgb[0], rgb[1], rgb[2]);
        }
        break;
    }
}

/* ------------------------------------------------------------ averaging */

/* Area averaging from sw x sh source pixels down to tw x th (tw <= sw,
 * th <= sh): a source pixel spans at most two output pixels on each axis,
 * with exact fractional weights. Rows in order need two accumulator rows;
 * pixels in any order (Adam7 passes) one accumulator per output pixel. */
typedef struct sink {
    int sw, sh, tw, th;
    bool same;  /* no averaging: pixels encoded as they come */
    bool whole; /* pixels in any order */
    int32_t *xi, *yi; /* first output index of each source index */
    float *xw, *yw;   /* its weights there and at the next, pairs */
    float *acc;       /* rows of tw + 1 (the + 1 takes zero weights) */
    float *cur, *next, *hrow;
    int jcur; /* first output row not yet emitted (streaming) */
    uint8_t *out;
    const tone *tone;
} sink;

static void axis_weights(int src, int dst, int32_t *idx, float *w)
{
    /* Output i covers [i*src, (i+1)*src) and source x [x*dst, (x+1)*dst)
     * in units of 1/dst source pixels; an output's weights sum to 1. */
    for (int64_t x = 0; x < src; x++) {
        int64_t a = x * dst, b = a + dst, i = a / src, end = (i + 1) * src;
        idx[x] = (int32_t)i;
        w[2 * x] = (float)((b <= end ? b : end) - a) / (float)src;
        w[2 * x + 1] = b <= end ? 0.0f : (float)(b - end) / (float)src;
    }
}

static void sink_free(jk_context *ctx, sink *s)
{
    jk__free(ctx, s->xi);
    jk__free(ctx, s->yi);
    jk__free(ctx, s->xw);
    jk__free(ctx, s->yw);
    jk__free(ctx, s->acc);
    jk__free(ctx, s->out);
    memset(s, 0, sizeof *s);
}

static bool sink_init(jk_context *ctx, sink *s, int sw, int sh, int tw,
                      int th, bool whole, const tone *t)
{
    memset(s, 0, sizeof *s);
    s->sw = sw;
    s->sh = sh;
    s->tw = tw;
    s->th = th;
    s->whole = whole;
    s->tone = t;
    s->same = tw == sw && th == sh;
    s->out = jk__malloc(ctx, (size_t)tw * (size_t)th);
    if (!s->out)
        return false;
    if (s->same)
        return true;
    size_t row = (size_t)tw + 1;
    s->xi = jk__realloc_array(ctx, NULL, (size_t)sw, sizeof *s->xi);
    s->yi = jk__realloc_array(ctx, NULL, (size_t)sh, sizeof *s->yi);
    s->xw = jk__realloc_array(ctx, NULL, 2 * (size_t)sw, sizeof *s->xw);
    s->yw = jk__realloc_array(ctx, NULL, 2 * (size_t)sh, sizeof *s->yw);
    s->acc = jk__calloc(ctx, whole ? row * ((size_t)th + 1) : 3 * row,
                        sizeof *s->acc);
    if (!s->xi || !s->yi || !s->xw || !s->yw || !s->acc) {
        sink_free(ctx, s);
        return false;
    }
    axis_weights(sw, tw, s->xi, s->xw);
    axis_weights(sh, th, s->yi, s->yw);
    s->cur = s->acc;
    s->next = s->acc + row;
    s->hrow = s->acc + 2 * row;
    return true;
}

static void sink_emit(sink *s)
{
    uint8_t *o = s->out + (size_t)s->jcur * (size_t)s->tw;
    for (int i = 0; i < s->tw; i++)
        o[i] = encode(s->tone, s->cur[i]);
    float *t = s->cur;
    s->cur = s->next;
    s->next = t;
    memset(s->next, 0, ((size_t)s->tw + 1) * sizeof *s->next);
    s->jcur++;
}

/* Source row y (every row once, in order) of linear values. */
static void sink_row(sink *s, int y, const float *lin)
{
    if (s->same) {
        uint8_t *o = s->out + (size_t)y * (size_t)s->tw;
        for (int x = 0; x < s->sw; x++)
            o[x] = encode(s->tone, lin[x]);
        return;
    }
    while (s->jcur < s->yi[y])
        sink_emit(s);
    float *h = s->hrow;
    memset(h, 0, ((size_t)s->tw + 1) * sizeof *h);
    for (int x = 0; x < s->sw; x++) {
        int i = s->xi[x];
        h[i] += lin[x] * s->xw[2 * x];
        h[i + 1] += lin[x] * s->xw[2 * x + 1];
    }
    float w0 = s->yw[2 * y], w1 = s->yw[2 * y + 1];
    for (int i = 0; i < s->tw; i++)
        s->cur[i] += w0 * h[i];
    if (w1 > 0)
        for (int i = 0; i < s->tw; i++)
            s->next[i] += w1 * h[i];
}

/* n pixels of source row y at x0, x0 + dx, ... (whole sinks). */
static void sink_pixels(sink *s, int y, const float *lin, int n, int x0,
                        int dx)
{
    if (s->same) {
        uint8_t *o = s->out + (size_t)y * (size_t)s->tw;
        for (int k = 0, x = x0; k < n; k++, x += dx)
            o[x] = encode(s->tone, lin[k]);
        return;
    }
    size_t row = (size_t)s->tw + 1;
    float *a0 = s->acc + (size_t)s->yi[y] * row, *a1 = a0 + row;
    float w0 = s->yw[2 * y], w1 = s->yw[2 * y + 1];
    for (int k = 0, x = x0; k < n; k++, x += dx) {
        int i = s->xi[x];
        float h0 = lin[k] * s->xw[2 * x], h1 = lin[k] * s->xw[2 * x + 1];
        a0[i] += w0 * h0;
        a0[i + 1] += w0 * h1;
        a1[i] += w1 * h0;
        a1[i + 1] += w1 * h1;
    }
}

static void sink_finish(sink *s)
{
    if (s->same)
        return;
    if (!s->whole) {
        while (s->jcur < s->th)
            sink_emit(s);
        return;
    }
    size_t row = (size_t)s->tw + 1;
    for (int j = 0; j < s->th; j++)
        for (int i = 0; i < s->tw; i++)
            s->out[(size_t)j * (size_t)s->tw + (size_t)i] =
                encode(s->tone, s->acc[(size_t)j * row + (size_t)i]);
}

/* ------------------------------------------------------------- helpers */

static bool too_big(uint64_t w, uint64_t h)
{
    return w > JK__MAX_IMAGE_SIDE || h > JK__MAX_IMAGE_SIDE ||
           w * h > JK__MAX_IMAGE_PIXELS;
}

/* The kept size: at most JK__IMAGE_STORE_SIDE on the long side. */
static void fit(int w, int h, int *tw, int *th)
{
    int m = w > h ? w : h;
    *tw = w;
    *th = h;
    if (m <= JK__IMAGE_STORE_SIDE)
        return;
    *tw = (int)(((int64_t)w * JK__IMAGE_STORE_SIDE + m / 2) / m);
    *th = (int)(((int64_t)h * JK__IMAGE_STORE_SIDE + m / 2) / m);
    if (*tw < 1)
        *tw = 1;
    if (*th < 1)
        *th = 1;
}

static double sane_dpi(double dpi)
{
    return dpi >= 1 && dpi <= JK__MAX_DPI ? dpi : 0;
}

static jk_status nomem(jk_context *ctx, const char *what)
{
    return jk__fail(ctx, JK_ERR_NOMEM, "out of memory decoding %s", what);
}

/* (EXIF orientation, below) */
static uint8_t *orient(jk_context *ctx, const uint8_t *src, int w, int h,
                       int o, int *ow, int *oh);

/* The picture sunk into s (stored w x h, as the file has it) turned
 * upright by EXIF orientation o, into out, with the natural size and
 * density of the upright picture. NOMEM leaves out as it was. */
static jk_status finish_upright(jk_context *ctx, sink *s, int o, int w,
                                int h, double xdpi, double ydpi,
                                jk__image *out, const char *what)
{
    sink_finish(s);
    int ow = s->tw, oh = s->th;
    uint8_t *gray = s->out;
    if (o != 1) {
        gray = orient(ctx, s->out, s->tw, s->th, o, &ow, &oh);
        if (!gray)
            return nomem(ctx, what);
    } else {
        s->out = NULL; /* out owns it now */
    }
    bool swap = o >= 5;
    out->gray = gray;
    out->width = ow;
    out->height = oh;
    out->natural_width = swap ? h : w;
    out->natural_height = swap ? w : h;
    out->dpi = swap ? ydpi : xdpi;
    return JK_OK;
}

/* ------------------------------------------------------------------ PNG */

typedef struct png_dec {
    jk_context *ctx;
    const uint8_t *data;
    size_t size, pos;
    png_structp png;
    png_infop info;
    bool nomem;    /* an allocation failed, libpng's or ours */
    bool rows;     /* reading rows */
    bool finished; /* every row delivered */
    bool refused;
    bool cut; /* stopped reading past the last row (JK__PNG_TRAILING) */
    size_t trailing;
    uint32_t width, height;
    bool interlaced;
    int pend_pass, pend_row; /* the row being read, and if it was fed */
    bool pend_fed;
    pixfmt fmt;
    tone t;
    float *lut16;
    float pal[256];
    uint8_t *row;
    float *lin;
    sink s;
    double dpi;
} png_dec;

static png_voidp png_mem_alloc(png_structp png, png_alloc_size_t size)
{
    void *p = jk__malloc(png_get_mem_ptr(png), size);
    if (!p)
        ((png_dec *)png_get_error_ptr(png))->nomem = true;
    return p;
}

static void png_mem_free(png_structp png, png_voidp ptr)
{
    jk__free(png_get_mem_ptr(png), ptr);
}

static void on_png_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Past the last row (of the last pass): libpng only looks for the end of
 * the compressed stream then. */
static bool png_past_rows(png_dec *d)
{
#ifdef PNG_USER_TRANSFORM_INFO_SUPPORTED
    if (!d->rows)
        return false;
    return d->interlaced ? png_get_current_pass_number(d->png) >= 7
                         : png_get_current_row_number(d->png) >= d->height;
#else
    (void)d;
    return false;
#endif
}

static void on_png_read(png_structp png, png_bytep out, size_t n)
{
    png_dec *d = png_get_io_ptr(png);
    if (png_past_rows(d)) {
        d->trailing += n;
        if (d->trailing > JK__PNG_TRAILING) {
            d->cut = true;
            png_error(png, "too much data after the image");
        }
    }
    if (n > d->size - d->pos)
        png_error(png, "truncated");
    memcpy(out, d->data + d->pos, n);
    d->pos += n;
}

/* The first chunk's width and height, before libpng is involved. */
static bool png_ihdr_size(const uint8_t *p, size_t n, uint32_t *w,
                          uint32_t *h)
{
    if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
        return false;
    *w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
         (uint32_t)p[18] << 8 | p[19];
    *h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 |
         (uint32_t)p[22] << 8 | p[23];
    return true;
}

static void png_feed(png_dec *d)
{
    int pass = d->pend_pass, r = d->pend_row;
    if (!d->interlaced) {
        to_linear(&d->fmt, d->row, (int)d->width, d->lin);
        sink_row(&d->s, r, d->lin);
    } else {
        int n = (int)PNG_PASS_COLS(d->width, pass);
        to_linear(&d->fmt, d->row, n, d->lin);
        sink_pixels(&d->s, (int)PNG_ROW_FROM_PASS_ROW(r, pass), d->lin, n,
                    (int)PNG_PASS_START_COL(pass),
                    (int)PNG_PASS_COL_OFFSET(pass));
    }
    d->pend_fed = true;
}

static void png_read_one(png_dec *d, int pass, int r)
{
    d->pend_pass = pass;
    d->pend_row = r;
    d->pend_fed = false;
    png_read_row(d->png, d->row, NULL);
    png_feed(d);
}

/* Chunks never needed: skipped unread (no text or profile inflated). */
static const png_byte png_ignored[] = "iCCP\0tEXt\0zTXt\0iTXt\0sPLT\0eXIf\0"
                                      "hIST\0tIME\0bKGD\0cHRM\0sBIT\0oFFs\0"
                                      "pCAL\0sCAL\0";

/* Everything that may end in png_error (a longjmp to decode_png). */
static void png_run(png_dec *d)
{
    png_structp png = d->png;
    png_infop info = d->info;
    png_set_user_limits(png, JK__MAX_IMAGE_SIDE, JK__MAX_IMAGE_SIDE);
    png_set_chunk_cache_max(png, 64);
    png_set_chunk_malloc_max(png, 1u << 20);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, png_ignored,
                                (int)(sizeof png_ignored / 5));
    png_set_read_fn(png, d, on_png_read);
    png_read_info(png, info);

    png_uint_32 w, h;
    int depth, ct, il;
    png_get_IHDR(png, info, &w, &h, &depth, &ct, &il, NULL, NULL);
    d->width = w;
    d->height = h;
    d->interlaced = il == PNG_INTERLACE_ADAM7;
    if (too_big(w, h)) { /* IHDR not first: not caught above */
        d->refused = true;
        return;
    }

    /* gAMA is honoured, as a pure power; no gAMA or an sRGB chunk: sRGB */
    double exponent = 0;
    png_fixed_point g;
    if (!png_get_valid(png, info, PNG_INFO_sRGB) &&
        png_get_gAMA_fixed(png, info, &g) && g > 0)
        exponent = 100000.0 / g;
    tone_init(&d->t, exponent);
    d->fmt.t = &d->t;

    if (ct == PNG_COLOR_TYPE_PALETTE) {
        png_colorp plte = NULL;
        int np = 0, nt = 0;
        png_bytep trns = NULL;
        png_get_PLTE(png, info, &plte, &np);
        if (png_get_valid(png, info, PNG_INFO_tRNS))
            png_get_tRNS(png, info, &trns, &nt, NULL);
        for (int i = 0; i < 256; i++) {
            float v = 0.0f, a = 1.0f; /* past the palette: black, as libpng */
            if (i < np)
                v = luma(d->t.lut8, plte[i].red, plte[i].green,
                         plte[i].blue);
            if (trns && i < nt)
                a = trns[i] / 255.0f;
            d->pal[i] = a * v + (1.0f - a);
        }
        png_set_packing(png);
        d->fmt.kind = PX_PAL;
        d->fmt.pal = d->pal;
    } else {
        if (ct == PNG_COLOR_TYPE_GRAY && depth < 8)
            png_set_expand_gray_1_2_4_to_8(png);
        if (png_get_valid(png, info, PNG_INFO_tRNS))
            png_set_tRNS_to_alpha(png);
    }
    png_read_update_info(png, info);
    int ch = png_get_channels(png, info);
    bool wide = png_get_bit_depth(png, info) == 16;
    if (ct != PNG_COLOR_TYPE_PALETTE) {
        static const int kinds[2][4] = {{PX_G8, PX_GA8, PX_RGB8, PX_RGBA8},
                                        {PX_G16, PX_GA16, PX_RGB16,
                                         PX_RGBA16}};
        if (ch < 1 || ch > 4)
            png_error(png, "unexpected channels");
        d->fmt.kind = kinds[wide][ch - 1];
    }
    if (wide) {
        d->lut16 = jk__realloc_array(d->ctx, NULL, LUT16_STEPS + 1,
                                     sizeof *d->lut16);
        if (!d->lut16) {
            d->nomem = true;
            png_error(png, "out of memory");
        }
        lut16_init(d->lut16, exponent);
        d->fmt.lut16 = d->lut16;
    }

    png_uint_32 xppm, yppm;
    int unit;
    if (png_get_pHYs(png, info, &xppm, &yppm, &unit) &&
        unit == PNG_RESOLUTION_METER)
        d->dpi = sane_dpi(xppm * 0.0254);

    int tw, th;
    fit((int)w, (int)h, &tw, &th);
    d->row = jk__malloc(d->ctx, png_get_rowbytes(png, info));
    d->lin = jk__realloc_array(d->ctx, NULL, w, sizeof *d->lin);
    if (!d->row || !d->lin ||
        !sink_init(d->ctx, &d->s, (int)w, (int)h, tw, th, d->interlaced,
                   &d->t)) {
        d->nomem = true;
        png_error(png, "out of memory");
    }

    d->rows = true;
    if (!d->interlaced) {
        for (png_uint_32 y = 0; y < h; y++)
            png_read_one(d, 0, (int)y);
    } else {
        for (int pass = 0; pass < 7; pass++) {
            if (PNG_PASS_COLS(w, pass) == 0)
                continue;
            png_uint_32 rows = PNG_PASS_ROWS(h, pass);
            for (png_uint_32 r = 0; r < rows; r++)
                png_read_one(d, pass, (int)r);
        }
    }
    /* No png_read_end: nothing after the pixels is needed. */
    d->finished = true;
}

static jk_status decode_png(jk_context *ctx, const uint8_t *data,
                            size_t size, jk__image *out,
                            jk_image_status *why)
{
    uint32_t hw, hh;
    if (png_ihdr_size(data, size, &hw, &hh) && too_big(hw, hh)) {
        *why = JK_IMAGE_REFUSED;
        return JK_OK;
    }
    png_dec *d = jk__calloc(ctx, 1, sizeof *d);
    if (!d)
        return nomem(ctx, "a PNG image");
    d->ctx = ctx;
    d->data = data;
    d->size = size;
    jk_status st = JK_OK;
    d->png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, d, on_png_error,
                                      on_png_warning, ctx, png_mem_alloc,
                                      png_mem_free);
    if (d->png)
        d->info = png_create_info_struct(d->png);
    if (!d->png || !d->info) {
        if (d->png)
            png_destroy_read_struct(&d->png, NULL, NULL);
        jk__free(ctx, d);
        return nomem(ctx, "a PNG image");
    }
    if (setjmp(png_jmpbuf(d->png)) == 0) {
        png_run(d);
    } else if (d->cut && !d->nomem) {
        /* The pixels are all there; any other fault, even past the last
         * row (a checksum, a stream that does not end), is damage. */
        if (!d->pend_fed)
            png_feed(d);
        d->finished = true;
    }
    if (d->nomem) {
        st = nomem(ctx, "a PNG image");
    } else if (!d->finished) {
        *why = d->refused ? JK_IMAGE_REFUSED : JK_IMAGE_CORRUPT;
    } else { /* (upright as stored: nothing to allocate, cannot fail) */
        st = finish_upright(ctx, &d->s, 1, (int)d->width, (int)d->height,
                            d->dpi, d->dpi, out, "a PNG image");
        *why = JK_IMAGE_OK;
    }
    png_destroy_read_struct(&d->png, &d->info, NULL);
    sink_free(ctx, &d->s);
    jk__free(ctx, d->row);
    jk__free(ctx, d->lin);
    jk__free(ctx, d->lut16);
    jk__free(ctx, d);
    return st;
}

/* ----------------------------------------------------------------- EXIF */

typedef struct exif {
    int orientation; /* 1..8 */
    double xdpi, ydpi;
} exif;

static unsigned rd16(const uint8_t *p, bool le)
{
    return le ? (unsigned)p[1] << 8 | p[0] : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const uint8_t *p, bool le)
{
    return le ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[1] << 8 | p[0]
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                    (uint32_t)p[2] << 8 | p[3];
}

/* The TIFF structure of the first APP1 "Exif" segment before the first
 * scan, or false. */
static bool jpeg_find_exif(const uint8_t *p, size_t n, const uint8_t **tiff,
                           size_t *len)
{
    size_t i = 2; /* after SOI */
    while (i + 4 <= n) {
        if (p[i] != 0xFF)
            return false;
        unsigned m = p[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2; /* no length */
            continue;
        }
        if (m == 0xDA || m == 0xD9)
            return false;
        size_t seg = (size_t)p[i + 2] << 8 | p[i + 3];
        if (seg < 2 || seg > n - i - 2)
            return false;
        if (m == 0xE1 && seg >= 8 && memcmp(p + i + 4, "Exif\0\0", 6) == 0) {
            *tiff = p + i + 10;
            *len = seg - 8;
            return true;
        }
        i += 2 + seg;
    }
    return false;
}

static double exif_rational(const uint8_t *t, size_t n, const uint8_t *e,
                            bool le)
{
    uint32_t off = rd32(e + 8, le);
    if (rd16(e + 2, le) != 5 || rd32(e + 4, le) < 1 || n < 8 || off > n - 8)
        return 0;
    uint32_t num = rd32(t + off, le), den = rd32(t + off + 4, le);
    return den ? (double)num / den : 0;
}

/* IFD0's orientation (0x0112) and resolution (0x011A, 0x011B, 0x0128). */
/* Kept out of line: inlined into the decoder, whose setjmp GCC then
 * fears clobbers its locals. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void exif_parse(const uint8_t *t, size_t n, exif *x)
{
    if (n < 8)
        return;
    bool le;
    if (t[0] == 'I' && t[1] == 'I')
        le = true;
    else if (t[0] == 'M' && t[1] == 'M')
        le = false;
    else
        return;
    if (rd16(t + 2, le) != 42)
        return;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd > n - 2)
        return;
    size_t count = rd16(t + ifd, le), room = (n - ifd - 2) / 12;
    if (count > room)
        count = room;
    unsigned unit = 2; /* inches, TIFF's default */
    double xr = 0, yr = 0;
    for (size_t k = 0; k < count; k++) {
        const uint8_t *e = t + ifd + 2 + 12 * k;
        unsigned tag = rd16(e, le), type = rd16(e + 2, le);
        uint32_t cnt = rd32(e + 4, le);
        if (tag == 0x0112 && cnt >= 1 && (type == 3 || type == 4)) {
            uint32_t v = type == 3 ? rd16(e + 8, le) : rd32(e + 8, le);
            if (v >= 1 && v <= 8)
                x->orientation = (int)v;
        } else if (tag == 0x011A) {
            xr = exif_rational(t, n, e, le);
        } else if (tag == 0x011B) {
            yr = exif_rational(t, n, e, le);
        } else if (tag == 0x0128 && type == 3 && cnt >= 1) {
            unit = rd16(e + 8, le);
        }
    }
    double scale = unit == 2 ? 1 : unit == 3 ? 2.54 : 0;
    x->xdpi = sane_dpi(xr * scale);
    x->ydpi = sane_dpi((yr > 0 ? yr : xr) * scale);
}

/* The stored w x h pixels turned upright by EXIF orientation o, into a new
 * buffer (*ow x *oh). Display pixel (X, Y) comes from stored (x, y). */
static uint8_t *orient(jk_context *ctx, const uint8_t *src, int w, int h,
                       int o, int *ow, int *oh)
{
    bool swap = o >= 5;
    int dw = swap ? h : w, dh = swap ? w : h;
    uint8_t *dst = jk__malloc(ctx, (size_t)w * (size_t)h);
    if (!dst)
        return NULL;
    for (int Y = 0; Y < dh; Y++)
        for (int X = 0; X < dw; X++) {
            int x, y;
            switch (o) {
            case 2: x = w - 1 - X, y = Y; break;
            case 3: x = w - 1 - X, y = h - 1 - Y; break;
            case 4: x = X, y = h - 1 - Y; break;
            case 5: x = Y, y = X; break;
            case 6: x = Y, y = h - 1 - X; break;
            case 7: x = w - 1 - Y, y = h - 1 - X; break;
            case 8: x = w - 1 - Y, y = X; break;
            default: x = X, y = Y; break;
            }
            dst[(size_t)Y * (size_t)dw + (size_t)X] =
                src[(size_t)y * (size_t)w + (size_t)x];
        }
    *ow = dw;
    *oh = dh;
    return dst;
}

/* ----------------------------------------------------------------- JPEG */

enum { JF_NONE, JF_NOMEM, JF_CORRUPT, JF_REFUSED };

typedef struct jpeg_dec {
    struct jpeg_error_mgr err; /* first: cinfo.err points here */
    struct jpeg_progress_mgr progress;
    struct jpeg_decompress_struct cinfo;
    jmp_buf jmp;
    jk_context *ctx;
    int fail;
    bool done;
    pixfmt fmt;
    tone t;
    uint8_t *row;
    float *lin;
    sink s;
    int width, height; /* as stored */
} jpeg_dec;

static void on_jpeg_error(j_common_ptr c)
{
    jpeg_dec *d = (jpeg_dec *)(void *)c->err;
    switch (c->err->msg_code) {
    case JERR_OUT_OF_MEMORY:
        d->fail = JF_NOMEM;
        break;
    case JERR_NO_BACKING_STORE: /* past JK__JPEG_MEMORY */
    case JERR_IMAGE_TOO_BIG:
    case JERR_WIDTH_OVERFLOW:
    case JERR_BAD_PRECISION: /* 12-bit */
    case JERR_SOF_UNSUPPORTED: /* lossless, hierarchical */
    case JERR_NOT_COMPILED:
    case JERR_ARITH_NOTIMPL:
    case JERR_CONVERSION_NOTIMPL:
        d->fail = JF_REFUSED;
        break;
    default:
        d->fail = JF_CORRUPT;
        break;
    }
    longjmp(d->jmp, 1);
}

/* Warnings are libjpeg's way to report damaged data it papers over (a
 * truncated file is padded with gray): all of them but the harmless ones
 * make the image corrupt, at once. */
static void on_jpeg_message(j_common_ptr c, int level)
{
    if (level >= 0)
        return; /* trace */
    jpeg_dec *d = (jpeg_dec *)(void *)c->err;
    c->err->num_warnings++;
    switch (c->err->msg_code) {
    case JWRN_ADOBE_XFORM:
    case JWRN_JFIF_MAJOR:
    case JWRN_BOGUS_ICC:
        return;
    case JWRN_EXTRANEOUS_DATA:
        if (c->err->msg_parm.i[1] == 0xD9)
            return; /* padding before the end: the pixels are complete */
        break;
    default:
        break;
    }
    d->fail = JF_CORRUPT;
    longjmp(d->jmp, 1);
}

static void on_jpeg_output(j_common_ptr c) { (void)c; }

static void on_jpeg_progress(j_common_ptr c)
{
    jpeg_dec *d = (jpeg_dec *)(void *)c->err;
    if (c->is_decompressor &&
        ((j_decompress_ptr)c)->input_scan_number > JK__MAX_JPEG_SCANS) {
        d->fail = JF_REFUSED;
        longjmp(d->jmp, 1);
    }
}

/* The DCT scale M/8 that decodes the fewest pixels still at least the kept
 * size: the IDCT itself shrinks the picture, and the rows to average. */
static unsigned jpeg_scale(int w, int h)
{
    int64_t m = w > h ? w : h;
    unsigned num = 8;
    while (num > 1 && (m * (num - 1) + 7) / 8 >= JK__IMAGE_STORE_SIDE)
        num--;
    return num;
}

/* Everything that may end in a longjmp to decode_jpeg. */
static void jpeg_run(jpeg_dec *d, const uint8_t *data, size_t size)
{
    j_decompress_ptr ci = &d->cinfo;
    jpeg_create_decompress(ci);
    ci->mem->max_memory_to_use = (long)JK__JPEG_MEMORY;
    d->progress.progress_monitor = on_jpeg_progress;
    ci->progress = &d->progress;
    jpeg_mem_src(ci, data, (unsigned long)size);
    if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK) {
        d->fail = JF_CORRUPT; /* tables only */
        return;
    }
    d->width = (int)ci->image_width;
    d->height = (int)ci->image_height;
    if (too_big(ci->image_width, ci->image_height)) {
        d->fail = JF_REFUSED;
        return;
    }
    tone_init(&d->t, 0);
    d->fmt.t = &d->t;
    switch (ci->jpeg_color_space) {
    case JCS_GRAYSCALE:
        ci->out_color_space = JCS_GRAYSCALE;
        d->fmt.kind = PX_G8;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        ci->out_color_space = JCS_RGB;
        d->fmt.kind = PX_RGB8;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        /* Photoshop writes CMYK inverted and says so with APP14 */
        ci->out_color_space = JCS_CMYK;
        d->fmt.kind = ci->saw_Adobe_marker ? PX_CMYK_INV : PX_CMYK;
        break;
    default:
        d->fail = JF_REFUSED;
        return;
    }
    int tw, th;
    fit(d->width, d->height, &tw, &th);
    ci->scale_num = jpeg_scale(d->width, d->height);
    ci->scale_denom = 8;
    jpeg_calc_output_dimensions(ci);
    int sw = (int)ci->output_width, sh = (int)ci->output_height;
    if (tw > sw)
        tw = sw;
    if (th > sh)
        th = sh;
    d->row = jk__realloc_array(d->ctx, NULL, (size_t)sw,
                               (size_t)ci->output_components);
    d->lin = jk__realloc_array(d->ctx, NULL, (size_t)sw, sizeof *d->lin);
    if (!d->row || !d->lin ||
        !sink_init(d->ctx, &d->s, sw, sh, tw, th, false, &d->t)) {
        d->fail = JF_NOMEM;
        return;
    }
    jpeg_start_decompress(ci);
    if ((int)ci->output_width != sw || (int)ci->output_height != sh) {
        d->fail = JF_CORRUPT;
        return;
    }
    JSAMPROW rows[1] = {d->row};
    while (ci->output_scanline < ci->output_height) {
        int y = (int)ci->output_scanline;
        if (jpeg_read_scanlines(ci, rows, 1) != 1) {
            d->fail = JF_CORRUPT;
            return;
        }
        to_linear(&d->fmt, d->row, sw, d->lin);
        sink_row(&d->s, y, d->lin);
    }
    /* To the end marker: a file cut short is damaged even when only its
     * last bytes are missing (progressive files could not tell). */
    jpeg_finish_decompress(ci);
    d->done = true;
}

static jk_status decode_jpeg(jk_context *ctx, const uint8_t *data,
                             size_t size, jk__image *out,
                             jk_image_status *why)
{
    exif x = {1, 0, 0};
    const uint8_t *tiff;
    size_t tiff_len;
    if (jpeg_find_exif(data, size, &tiff, &tiff_len))
        exif_parse(tiff, tiff_len, &x);

    jpeg_dec *d = jk__calloc(ctx, 1, sizeof *d);
    if (!d)
        return nomem(ctx, "a JPEG image");
    d->ctx = ctx;
    d->cinfo.err = jpeg_std_error(&d->err);
    d->err.error_exit = on_jpeg_error;
    d->err.emit_message = on_jpeg_message;
    d->err.output_message = on_jpeg_output;
    if (setjmp(d->jmp) == 0)
        jpeg_run(d, data, size);
    else
        d->done = false;

    double xdpi = 0, ydpi = 0;
    if (d->done) {
        const struct jpeg_decompress_struct *ci = &d->cinfo;
        if (ci->saw_JFIF_marker && (ci->density_unit == 1 ||
                                    ci->density_unit == 2)) {
            double k = ci->density_unit == 2 ? 2.54 : 1;
            xdpi = sane_dpi(ci->X_density * k);
            ydpi = sane_dpi((ci->Y_density ? ci->Y_density : ci->X_density) *
                            k);
        } else {
            xdpi = x.xdpi;
            ydpi = x.ydpi;
        }
    }
    jpeg_destroy_decompress(&d->cinfo);

    jk_status st = JK_OK;
    if (d->fail == JF_NOMEM) {
        st = nomem(ctx, "a JPEG image");
    } else if (!d->done) {
        *why = d->fail == JF_REFUSED ? JK_IMAGE_REFUSED : JK_IMAGE_CORRUPT;
    } else {
        st = finish_upright(ctx, &d->s, x.orientation, d->width, d->height,
                            xdpi, ydpi, out, "a JPEG image");
        if (st == JK_OK)
            *why = JK_IMAGE_OK;
    }
    sink_free(ctx, &d->s);
    jk__free(ctx, d->row);
    jk__free(ctx, d->lin);
    jk__free(ctx, d);
    return st;
}

/* ----------------------------------------------------------------- WebP */

#ifdef JK__HAVE_WEBP
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The EXIF chunk of an extended (VP8X) WebP file: a TIFF header, with or
 * without the "Exif\0\0" that some writers put before it. */
static bool webp_find_exif(const uint8_t *p, size_t n, const uint8_t **tiff,
                           size_t *len)
{
    for (size_t at = 12; at + 8 <= n;) {
        uint32_t size = le32(p + at + 4);
        if (size > n - at - 8)
            return false;
        if (memcmp(p + at, "EXIF", 4) == 0) {
            const uint8_t *t = p + at + 8;
            if (size >= 6 && memcmp(t, "Exif\0\0", 6) == 0) {
                t += 6;
                size -= 6;
            }
            *tiff = t;
            *len = size;
            return true;
        }
        at += 8 + (size_t)size + (size & 1);
    }
    return false;
}

static jk_status decode_webp(jk_context *ctx, const uint8_t *data,
                             size_t size, jk__image *out,
                             jk_image_status *why)
{
    WebPBitstreamFeatures ft;
    VP8StatusCode vs = WebPGetFeatures(data, size, &ft);
    if (vs != VP8_STATUS_OK) {
        *why = vs == VP8_STATUS_UNSUPPORTED_FEATURE ? JK_IMAGE_REFUSED
                                                    : JK_IMAGE_CORRUPT;
        return JK_OK;
    }
    /* An animation is not a photograph; past the limits, refused. */
    if (ft.has_animation || ft.width < 1 || ft.height < 1 ||
        too_big((uint64_t)ft.width, (uint64_t)ft.height)) {
        *why = JK_IMAGE_REFUSED;
        return JK_OK;
    }
    exif x = {1, 0, 0};
    const uint8_t *tiff;
    size_t tiff_len;
    if (webp_find_exif(data, size, &tiff, &tiff_len))
        exif_parse(tiff, tiff_len, &x);

    /* Decoded at most twice the kept long side, then averaged down. */
    int sw = ft.width, sh = ft.height, m = sw > sh ? sw : sh;
    WebPDecoderConfig cfg;
    if (!WebPInitDecoderConfig(&cfg))
        return jk__fail(ctx, JK_ERR_UNSUPPORTED, "libwebp's ABI differs");
    if (m > 2 * JK__IMAGE_STORE_SIDE) {
        sw = (int)(((int64_t)ft.width * 2 * JK__IMAGE_STORE_SIDE + m / 2) / m);
        sh = (int)(((int64_t)ft.height * 2 * JK__IMAGE_STORE_SIDE + m / 2) /
                   m);
        sw = sw < 1 ? 1 : sw;
        sh = sh < 1 ? 1 : sh;
        cfg.options.use_scaling = 1;
        cfg.options.scaled_width = sw;
        cfg.options.scaled_height = sh;
    }
    int bpp = ft.has_alpha ? 4 : 3;
    size_t stride = (size_t)sw * (size_t)bpp;
    uint8_t *px = jk__realloc_array(ctx, NULL, (size_t)sh, stride);
    float *lin = jk__realloc_array(ctx, NULL, (size_t)sw, sizeof *lin);
    tone *t = jk__malloc(ctx, sizeof *t);
    jk_status st = JK_OK;
    sink s;
    memset(&s, 0, sizeof s);
    int tw, th;
    fit(sw, sh, &tw, &th);
    if (!px || !lin || !t) {
        st = nomem(ctx, "a WebP image");
        goto done;
    }
    tone_init(t, 0);
    cfg.output.colorspace = ft.has_alpha ? MODE_RGBA : MODE_RGB;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = px;
    cfg.output.u.RGBA.stride = (int)stride;
    cfg.output.u.RGBA.size = (size_t)sh * stride;
    vs = WebPDecode(data, size, &cfg);
    WebPFreeDecBuffer(&cfg.output); /* ours: nothing of libwebp's held */
    if (vs == VP8_STATUS_OUT_OF_MEMORY) {
        st = nomem(ctx, "a WebP image");
        goto done;
    }
    if (vs != VP8_STATUS_OK) {
        *why = vs == VP8_STATUS_UNSUPPORTED_FEATURE ? JK_IMAGE_REFUSED
                                                    : JK_IMAGE_CORRUPT;
        goto done;
    }
    if (!sink_init(ctx, &s, sw, sh, tw, th, false, t)) {
        st = nomem(ctx, "a WebP image");
        goto done;
    }
    pixfmt f = {ft.has_alpha ? PX_RGBA8 : PX_RGB8, t, NULL, NULL};
    for (int y = 0; y < sh; y++) {
        to_linear(&f, px + (size_t)y * stride, sw, lin);
        sink_row(&s, y, lin);
    }
    st = finish_upright(ctx, &s, x.orientation, ft.width, ft.height, x.xdpi,
                        x.ydpi, out, "a WebP image");
    if (st == JK_OK)
        *why = JK_IMAGE_OK;
done:
    sink_free(ctx, &s);
    jk__free(ctx, px);
    jk__free(ctx, lin);
    jk__free(ctx, t);
    return st;
}
#endif

/* ------------------------------------------------------------------ API */

jk_status jk__image_decode(jk_context *ctx, const void *data, size_t size,
                           jk__image *out, jk_image_status *why)
{
    if (!out || !why)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "no image to fill");
    memset(out, 0, sizeof *out);
    *why = JK_IMAGE_REFUSED;
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!data && size)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "image bytes missing");
    const uint8_t *p = data;
    jk_status st = JK_OK;
    if (size > JK__MAX_IMAGE_BYTES)
        *why = JK_IMAGE_REFUSED;
    else if (size >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        st = decode_png(ctx, p, size, out, why);
    else if (size >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        st = decode_jpeg(ctx, p, size, out, why);
#ifdef JK__HAVE_WEBP
    else if (size >= 12 && memcmp(p, "RIFF", 4) == 0 &&
             memcmp(p + 8, "WEBP", 4) == 0)
        st = decode_webp(ctx, p, size, out, why);
#endif
    if (st != JK_OK || *why != JK_IMAGE_OK) {
        jk__image_free(ctx, out);
        if (st != JK_OK)
            *why = JK_IMAGE_REFUSED;
    }
    return st;
}

jk_status jk__image_from_gray(jk_context *ctx, const uint8_t *pixels,
                              int width, int height, int stride,
                              jk__image *out, jk_image_status *why)
{
    if (!out || !why)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "no image to fill");
    memset(out, 0, sizeof *out);
    *why = JK_IMAGE_REFUSED;
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!pixels || width <= 0 || height <= 0 || stride < width)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad gray pixels: %dx%d, stride %d", width, height,
                        stride);
    if (too_big((uint64_t)width, (uint64_t)height))
        return JK_OK;
    int tw, th;
    fit(width, height, &tw, &th);
    tone *t = jk__malloc(ctx, sizeof *t);
    float *lin = jk__realloc_array(ctx, NULL, (size_t)width, sizeof *lin);
    sink s;
    bool ok = t && lin;
    if (ok) {
        tone_init(t, 0);
        ok = sink_init(ctx, &s, width, height, tw, th, false, t);
    }
    if (ok) {
        for (int y = 0; y < height; y++) {
            const uint8_t *row = pixels + (size_t)y * (size_t)stride;
            if (s.same) {
                memcpy(s.out + (size_t)y * (size_t)width, row,
                       (size_t)width);
                continue;
            }
            for (int x = 0; x < width; x++)
                lin[x] = t->lut8[row[x]];
            sink_row(&s, y, lin);
        }
        sink_finish(&s);
        out->gray = s.out;
        s.out = NULL;
        out->width = tw;
        out->height = th;
        out->natural_width = width;
        out->natural_height = height;
        *why = JK_IMAGE_OK;
        sink_free(ctx, &s);
    }
    jk__free(ctx, t);
    jk__free(ctx, lin);
    return ok ? JK_OK : nomem(ctx, "gray pixels");
}

void jk__image_free(jk_context *ctx, jk__image *img)
{
    if (!img)
        return;
    jk__free(ctx, img->gray);
    memset(img, 0, sizeof *img);
}

/* For each output index: the source indices it covers (first, count by
 * offsets) and their weights, summing to 1; any ratio, up or down. */
typedef struct gather {
    int32_t *first, *off;
    float *w;
} gather;

static bool gather_init(jk_context *ctx, gather *g, int src, int dst)
{
    size_t total = 0;
    for (int64_t i = 0; i < dst; i++) {
        int64_t a = i * src, b = a + src;
        total += (size_t)((b - 1) / dst - a / dst + 1);
    }
    g->first = jk__realloc_array(ctx, NULL, (size_t)dst, sizeof *g->first);
    g->off = jk__realloc_array(ctx, NULL, (size_t)dst + 1, sizeof *g->off);
    g->w = jk__realloc_array(ctx, NULL, total, sizeof *g->w);
    if (!g->first || !g->off || !g->w)
        return false;
    size_t k = 0;
    for (int64_t i = 0; i < dst; i++) {
        int64_t a = i * src, b = a + src;
        g->first[i] = (int32_t)(a / dst);
        g->off[i] = (int32_t)k;
        for (int64_t x = a / dst; x <= (b - 1) / dst; x++) {
            int64_t lo = x * dst > a ? x * dst : a;
            int64_t hi = (x + 1) * dst < b ? (x + 1) * dst : b;
            g->w[k++] = (float)(hi - lo) / (float)src;
        }
    }
    g->off[dst] = (int32_t)k;
    return true;
}

static void gather_free(jk_context *ctx, gather *g)
{
    jk__free(ctx, g->first);
    jk__free(ctx, g->off);
    jk__free(ctx, g->w);
}

jk_status jk__image_scale(jk_context *ctx, const jk__image *img, int width,
                          int height, uint8_t *out)
{
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!img || !img->gray || img->width <= 0 || img->height <= 0 || !out ||
        width < 1 || height < 1)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad image scale to %dx%d", width, height);
    if (width > JK__MAX_PAGE_SIDE || height > JK__MAX_PAGE_SIDE)
        return jk__fail(ctx, JK_ERR_LIMIT, "image scaled to %dx%d", width,
                        height);
    int sw = img->width, sh = img->height;
    if (sw == width && sh == height) {
        memcpy(out, img->gray, (size_t)sw * (size_t)sh);
        return JK_OK;
    }
    gather gx = {0}, gy = {0};
    tone *t = jk__malloc(ctx, sizeof *t);
    /* two horizontally averaged source rows, cached: consecutive output
     * rows share their edge rows */
    float *rows = jk__realloc_array(ctx, NULL, 3 * (size_t)width,
                                    sizeof *rows);
    bool ok = t && rows && gather_init(ctx, &gx, sw, width) &&
              gather_init(ctx, &gy, sh, height);
    if (ok) {
        tone_init(t, 0);
        float *cache[2] = {rows, rows + width}, *acc = rows + 2 * width;
        int cached[2] = {-1, -1};
        for (int j = 0; j < height; j++) {
            memset(acc, 0, (size_t)width * sizeof *acc);
            for (int32_t k = gy.off[j]; k < gy.off[j + 1]; k++) {
                int y = gy.first[j] + (k - gy.off[j]);
                float *h = cache[y & 1];
                if (cached[y & 1] != y) {
                    const uint8_t *src = img->gray + (size_t)y * (size_t)sw;
                    for (int i = 0; i < width; i++) {
                        const uint8_t *p = src + gx.first[i];
                        float v = 0;
                        for (int32_t q = gx.off[i]; q < gx.off[i + 1]; q++)
                            v += gx.w[q] * t->lut8[*p++];
                        h[i] = v;
                    }
                    cached[y & 1] = y;
                }
                float wv = gy.w[k];
                for (int i = 0; i < width; i++)
                    acc[i] += wv * h[i];
            }
            uint8_t *o = out + (size_t)j * (size_t)width;
            for (int i = 0; i < width; i++)
                o[i] = encode(t, acc[i]);
        }
    }
    gather_free(ctx, &gx);
    gather_free(ctx, &gy);
    jk__free(ctx, t);
    jk__free(ctx, rows);
    return ok ? JK_OK : nomem(ctx, "a scaled image");
}
