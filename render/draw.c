/* Drawing: a page's glyphs, from the glyph cache, into a surface.
 *
 * The page's glyphs are first listed (cache entries at whole-pixel
 * positions), then the page is drawn in bands of BAND rows: ink (coverage)
 * is accumulated in a band buffer, turned into gray through the gamma,
 * invert and gray-level curve (and dithering), and stored row by row into
 * the surface in its format and rotation, compared with what was there for
 * the dirty rectangle. No full-page buffer is ever made. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "abi.h"
#include "context.h"
#include "document.h"
#include "glyph_cache.h"
#include "image.h"
#include "memory.h"
#include "place.h"
#include "resource_limits.h"
#include "surface.h"

#define BAND 64

typedef struct draw_item {
    const jk__glyph_entry *g; /* NULL: a solid rectangle of `ink` */
    int x, y, w, h;          /* page pixels: top left and size */
    uint8_t ink;
} draw_item;

/* A figure's image on the page: scaled to its place, shaded and dithered
 * to the output's levels before the bands are drawn. */
typedef struct draw_image {
    uint8_t *px; /* w x h, final gray */
    int x, y, w, h;
} draw_image;

struct jk__draw_scratch {
    draw_item *items;
    size_t count, cap;
    uint32_t *order;
    size_t order_cap;
    uint32_t *band_start; /* bands + 1 */
    size_t band_start_cap;
    uint8_t *band; /* BAND rows of the page width; all zero between uses */
    size_t band_cap;
    uint8_t *gray, *tmp; /* one row of gray, one of packed bytes */
    size_t row_cap;
    int *err; /* Floyd-Steinberg: two rows of error, plus a margin */
    size_t err_cap;
    int row_min[BAND], row_max[BAND]; /* inked columns of each band row */
    draw_image *images; /* this page's */
    size_t image_count, image_cap;
};

static void free_images(jk_context *ctx, struct jk__draw_scratch *s)
{
    for (size_t i = 0; i < s->image_count; i++)
        jk__free(ctx, s->images[i].px);
    s->image_count = 0;
}

void jk__draw_scratch_free(jk_context *ctx)
{
    struct jk__draw_scratch *s = ctx->draw;
    if (!s)
        return;
    jk__free(ctx, s->items);
    jk__free(ctx, s->order);
    jk__free(ctx, s->band_start);
    jk__free(ctx, s->band);
    jk__free(ctx, s->gray);
    jk__free(ctx, s->tmp);
    jk__free(ctx, s->err);
    free_images(ctx, s);
    jk__free(ctx, s->images);
    jk__free(ctx, s);
    ctx->draw = NULL;
}

void jk_render_options_init(jk_render_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->hinting = JK_HINTING_LIGHT;
    o->gamma = 1.0;
    o->gray_levels = 256;
    o->dither = JK_DITHER_NONE;
    o->image_dither = JK_DITHER_ORDERED;
}

/* ---------------------------------------------------------- glyph list */

typedef struct list_job {
    jk_context *ctx;
    struct jk__draw_scratch *s;
    const jk_render_options *opt;
} list_job;

static jk_status push_ink(list_job *job, const jk__glyph_entry *g, int x,
                          int y, int w, int h, uint8_t ink)
{
    struct jk__draw_scratch *s = job->s;
    if (w <= 0 || h <= 0)
        return JK_OK;
    if (!jk__grow(job->ctx, (void **)&s->items, &s->cap, s->count + 1,
                  sizeof *s->items))
        return jk__fail(job->ctx, JK_ERR_NOMEM, "out of memory drawing");
    s->items[s->count++] = (draw_item){g, x, y, w, h, ink};
    return JK_OK;
}

static jk_status push_item(list_job *job, const jk__glyph_entry *g, int x,
                           int y, int w, int h)
{
    return push_ink(job, g, x, y, w, h, 255);
}

/* A rule: at least a pixel each way, on whole pixels. */
static jk_status list_rule(void *user, const jk__rule *r)
{
    if (!(fabs(r->x) < 1e7 && fabs(r->y) < 1e7 && r->w < 1e7 && r->h < 1e7))
        return JK_OK;
    int x0 = (int)lround(r->x), y0 = (int)lround(r->y);
    int x1 = (int)lround(r->x + r->w), y1 = (int)lround(r->y + r->h);
    if (x1 <= x0)
        x1 = x0 + 1;
    if (y1 <= y0)
        y1 = y0 + 1;
    return push_ink(user, NULL, x0, y0, x1 - x0, y1 - y0, r->ink);
}

/* A missing glyph: a hollow box, so the reader sees something is there. */
static jk_status push_box(list_job *job, double x, double y, double adv,
                          double px)
{
    int t = (int)fmax(1, lround(px / 24));
    int x0 = (int)lround(x + px * 0.08), x1 = (int)lround(x + adv - px * 0.08);
    int y0 = (int)lround(y - px * 0.72), y1 = (int)lround(y);
    if (x1 - x0 < 2 * t + 1)
        x1 = x0 + 2 * t + 1;
    jk_status st;
    if ((st = push_item(job, NULL, x0, y0, x1 - x0, t)) ||
        (st = push_item(job, NULL, x0, y1 - t, x1 - x0, t)) ||
        (st = push_item(job, NULL, x0, y0, t, y1 - y0)) ||
        (st = push_item(job, NULL, x1 - t, y0, t, y1 - y0)))
        return st;
    return JK_OK;
}

static jk_status list_glyph(void *user, const jk__placed_glyph *pg)
{
    list_job *job = user;
    double y = round(pg->y); /* baselines on whole pixels */
    if (!(fabs(pg->x) < 1e7 && fabs(y) < 1e7))
        return JK_OK; /* nowhere near the page */
    if (pg->missing)
        return push_box(job, pg->x, y, pg->advance,
                        pg->size_px / pg->font->scale);
    long size = lround(pg->size_px * 64);
    if (size < 64)
        size = 64;
    if (size > JK__MAX_GLYPH_PX * 64L)
        return JK_OK; /* too large to draw: skipped, layout is unaffected */
    /* Quarter-pixel horizontal phase: pen x rounded to 1/4 px. */
    double q = floor(pg->x * 4 + 0.5);
    double xi = floor(q / 4);
    jk__glyph_key key;
    memset(&key, 0, sizeof key);
    key.gid = pg->gid;
    key.font = pg->font_index;
    key.phase = (uint8_t)(q - xi * 4);
    key.flags = (uint8_t)job->opt->hinting;
    key.size = (int32_t)size;
    double embolden = job->opt->darken * 64;
    if (pg->bold && !pg->font->desc.bold)
        embolden += size / 24.0; /* synthetic bold, as FreeType's */
    key.embolden = (int32_t)lround(embolden);
    if (pg->italic && !pg->font->desc.italic)
        key.flags |= JK__GLYPH_OBLIQUE;
    const jk__glyph_entry *g;
    jk_status st = jk__glyph_cache_get(job->ctx, &key, &g);
    if (st != JK_OK)
        return st;
    if (g->failed) /* a damaged font: the box, as for a missing glyph */
        return push_box(job, pg->x, y, pg->advance,
                        pg->size_px / pg->font->scale);
    return push_item(job, g, (int)xi + g->left, (int)y - g->top, g->width,
                     g->rows);
}

/* ----------------------------------------------------------------- ink */

/* Ink over ink: 255 - (255 - a)(255 - b) / 255, rounded. */
static inline uint8_t ink_over(unsigned a, unsigned b)
{
    unsigned t = (255 - a) * (255 - b);
    return (uint8_t)(255 - (((t + 128) * 257) >> 16));
}

static void blit_item(struct jk__draw_scratch *s, const draw_item *it,
                      int pw, int by0, int by1, int cx0, int cx1)
{
    int y0 = it->y > by0 ? it->y : by0;
    int y1 = it->y + it->h < by1 ? it->y + it->h : by1;
    int x0 = it->x > cx0 ? it->x : cx0;
    int x1 = it->x + it->w < cx1 ? it->x + it->w : cx1;
    if (y0 >= y1 || x0 >= x1)
        return;
    for (int y = y0; y < y1; y++) {
        int r = y - by0;
        uint8_t *dst = s->band + (size_t)r * (size_t)pw;
        if (x0 < s->row_min[r])
            s->row_min[r] = x0;
        if (x1 > s->row_max[r])
            s->row_max[r] = x1;
        if (!it->g) {
            if (it->ink == 255)
                memset(dst + x0, 255, (size_t)(x1 - x0));
            else
                for (int x = x0; x < x1; x++)
                    dst[x] = ink_over(dst[x], it->ink);
            continue;
        }
        const uint8_t *src = it->g->bits + (size_t)(y - it->y) * it->w +
                             (x0 - it->x);
        uint8_t *out = dst + x0;
        for (int i = 0; i < x1 - x0; i++) {
            unsigned c = src[i];
            if (!c)
                continue;
            unsigned d = out[i];
            out[i] = d ? ink_over(d, c) : (uint8_t)c;
        }
    }
}

/* ------------------------------------------------------------ shading */

typedef struct shade {
    uint8_t final[256]; /* ink -> stored gray, without dithering */
    uint8_t gray[256];  /* ink -> gray before quantizing */
    int levels;
    jk_dither dither;
} shade;

static const uint8_t bayer8[8][8] = {
    {0, 32, 8, 40, 2, 34, 10, 42},   {48, 16, 56, 24, 50, 18, 58, 26},
    {12, 44, 4, 36, 14, 46, 6, 38},  {60, 28, 52, 20, 62, 30, 54, 22},
    {3, 35, 11, 43, 1, 33, 9, 41},   {51, 19, 59, 27, 49, 17, 57, 25},
    {15, 47, 7, 39, 13, 45, 5, 37},  {63, 31, 55, 23, 61, 29, 53, 21},
};

static inline unsigned quantize(unsigned v, int levels)
{
    unsigned n = (unsigned)levels - 1;
    return (v * n + 127) / 255 * (255 / n);
}

static void make_shade(shade *sh, const jk_render_options *o, int levels)
{
    double g = o->gamma > 0 ? o->gamma : 1.0;
    for (int i = 0; i < 256; i++) {
        double c = i == 0 ? 0 : 255 * pow(i / 255.0, 1 / g);
        unsigned cov = (unsigned)lround(c);
        unsigned v = o->invert ? cov : 255 - cov;
        sh->gray[i] = (uint8_t)v;
        sh->final[i] = (uint8_t)quantize(v, levels);
    }
    sh->levels = levels;
    sh->dither = o->dither;
}

/* Turn a row of gray into levels with dithering, in place. */
static void dither_row(const shade *sh, uint8_t *row, int x0, int n, int y,
                       int *err_cur, int *err_next)
{
    unsigned steps = (unsigned)sh->levels - 1, unit = 255 / steps;
    if (sh->dither == JK_DITHER_ORDERED) {
        const uint8_t *b = bayer8[y & 7];
        for (int i = 0; i < n; i++) {
            unsigned s = row[i] * steps, q = s / 255, rem = s % 255;
            /* up a level when the remainder passes the threshold
             * (t + 0.5) / 64 */
            if (rem * 128 > (2u * b[(x0 + i) & 7] + 1) * 255)
                q++;
            row[i] = (uint8_t)(q * unit);
        }
        return;
    }
    /* Floyd-Steinberg, errors in 1/16 gray; err_* are indexed i + 1. */
    memset(err_next, 0, sizeof *err_next * (size_t)(n + 2));
    for (int i = 0; i < n; i++) {
        int v = row[i] + (err_cur[i + 1] + (err_cur[i + 1] >= 0 ? 8 : -8)) / 16;
        if (v < 0)
            v = 0;
        if (v > 255)
            v = 255;
        int q = (int)quantize((unsigned)v, sh->levels);
        int e = v - q;
        row[i] = (uint8_t)q;
        err_cur[i + 2] += e * 7;
        err_next[i] += e * 3;
        err_next[i + 1] += e * 5;
        err_next[i + 2] += e;
    }
}

/* -------------------------------------------------------------- images */

/* The gray levels drawn: the options', capped by the surface's format. */
static int output_levels(const jk_surface *sf, const jk_render_options *o)
{
    int levels = o->gray_levels ? o->gray_levels : 256;
    if (sf->format == JK_PIXEL_GRAY4 && levels > 16)
        levels = 16;
    if (sf->format == JK_PIXEL_MONO1)
        levels = 2;
    return levels;
}

typedef struct image_job {
    jk_context *ctx;
    struct jk__draw_scratch *s;
    const jk_document *doc;
    const jk_render_options *opt;
    int levels;
    int cx0, cy0, cx1, cy1; /* the clip, page pixels */
} image_job;

/* Dither a scaled image to `levels` in place; the ordered screen is laid
 * on page coordinates, so neighbouring images share it. */
static void dither_image(uint8_t *px, int w, int h, int x0, int y0,
                         int levels, jk_dither how, int *err)
{
    unsigned steps = (unsigned)levels - 1, unit = 255 / steps;
    if (how == JK_DITHER_FS) {
        int *cur = err, *next = err + w + 2;
        memset(cur, 0, sizeof *cur * (size_t)(w + 2));
        for (int y = 0; y < h; y++) {
            memset(next, 0, sizeof *next * (size_t)(w + 2));
            uint8_t *row = px + (size_t)y * (size_t)w;
            for (int x = 0; x < w; x++) {
                int v = row[x] + (cur[x + 1] + (cur[x + 1] >= 0 ? 8 : -8)) / 16;
                v = v < 0 ? 0 : v > 255 ? 255 : v;
                int q = (int)quantize((unsigned)v, levels);
                int e = v - q;
                row[x] = (uint8_t)q;
                cur[x + 2] += e * 7;
                next[x] += e * 3;
                next[x + 1] += e * 5;
                next[x + 2] += e;
            }
            int *t = cur;
            cur = next;
            next = t;
        }
        return;
    }
    for (int y = 0; y < h; y++) {
        uint8_t *row = px + (size_t)y * (size_t)w;
        const uint8_t *b = bayer8[(y0 + y) & 7];
        for (int x = 0; x < w; x++) {
            if (how == JK_DITHER_NONE) {
                row[x] = (uint8_t)quantize(row[x], levels);
                continue;
            }
            unsigned v = row[x] * steps, q = v / 255, rem = v % 255;
            if (rem * 128 > (2u * b[(x0 + x) & 7] + 1) * 255)
                q++;
            row[x] = (uint8_t)(q * unit);
        }
    }
}

static jk_status list_image(void *user, const jk__figure_place *f)
{
    image_job *j = user;
    int x0 = (int)lround(f->x), y0 = (int)lround(f->y);
    int w = (int)lround(f->x + f->w) - x0, h = (int)lround(f->y + f->h) - y0;
    if (w <= 0 || h <= 0 || x0 >= j->cx1 || y0 >= j->cy1 ||
        x0 + w <= j->cx0 || y0 + h <= j->cy0 || (double)w * h > 1e8)
        return JK_OK; /* outside the clip, or absurd */
    struct jk__draw_scratch *s = j->s;
    if (!jk__grow(j->ctx, (void **)&s->images, &s->image_cap,
                  s->image_count + 1, sizeof *s->images))
        return jk__fail(j->ctx, JK_ERR_NOMEM, "out of memory drawing");
    uint8_t *px = jk__malloc(j->ctx, (size_t)w * (size_t)h);
    int *err = j->opt->image_dither == JK_DITHER_FS && j->levels < 256
                   ? jk__calloc(j->ctx, 2 * ((size_t)w + 2), sizeof *err)
                   : NULL;
    jk_status st = px ? JK_OK : JK_ERR_NOMEM;
    if (st == JK_OK && j->opt->image_dither == JK_DITHER_FS &&
        j->levels < 256 && !err)
        st = JK_ERR_NOMEM;
    if (st == JK_OK)
        st = jk__image_scale(j->ctx, &j->doc->figures[f->figure].image, w,
                             h, px);
    if (st == JK_OK) {
        size_t n = (size_t)w * (size_t)h;
        if (j->opt->invert) /* night mode: photographs too */
            for (size_t i = 0; i < n; i++)
                px[i] = (uint8_t)(255 - px[i]);
        if (j->levels < 256)
            dither_image(px, w, h, x0, y0, j->levels, j->opt->image_dither,
                         err);
        s->images[s->image_count++] = (draw_image){px, x0, y0, w, h};
        px = NULL;
    }
    jk__free(j->ctx, err);
    jk__free(j->ctx, px);
    return st == JK_ERR_NOMEM ? jk__fail(j->ctx, st, "out of memory drawing")
                              : st;
}

/* ------------------------------------------------------------- render */

static jk_status check_options(jk_context *ctx, const jk_render_options *o)
{
    if ((unsigned)o->hinting > JK_HINTING_NORMAL ||
        (unsigned)o->dither > JK_DITHER_FS ||
        (unsigned)o->image_dither > JK_DITHER_FS)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad hinting or dither mode");
    if (!(o->darken >= 0 && o->darken <= 1))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "darken %g outside 0..1 px", o->darken);
    if (o->gamma != 0 && !(o->gamma >= 0.1 && o->gamma <= 10))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "gamma %g outside 0.1..10", o->gamma);
    int g = o->gray_levels;
    if (g != 0 && g != 256 && g != 16 && g != 4 && g != 2)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "gray levels %d: want 256, 16, 4 or 2", g);
    return JK_OK;
}

static jk_status ensure_scratch(jk_context *ctx, int pw, size_t bands)
{
    if (!ctx->draw) {
        ctx->draw = jk__calloc(ctx, 1, sizeof *ctx->draw);
        if (!ctx->draw)
            return JK_ERR_NOMEM;
    }
    struct jk__draw_scratch *s = ctx->draw;
    size_t w = (size_t)pw;
    if (s->band_cap < w * BAND) {
        uint8_t *b = jk__calloc(ctx, w, BAND);
        if (!b)
            return JK_ERR_NOMEM;
        jk__free(ctx, s->band);
        s->band = b;
        s->band_cap = w * BAND;
    }
    if (s->row_cap < w) {
        uint8_t *g = jk__malloc(ctx, w), *t = jk__malloc(ctx, w * 4);
        if (!g || !t) {
            jk__free(ctx, g);
            jk__free(ctx, t);
            return JK_ERR_NOMEM;
        }
        jk__free(ctx, s->gray);
        jk__free(ctx, s->tmp);
        s->gray = g;
        s->tmp = t;
        s->row_cap = w;
    }
    if (!jk__grow(ctx, (void **)&s->err, &s->err_cap, 2 * (w + 2),
                  sizeof *s->err) ||
        !jk__grow(ctx, (void **)&s->band_start, &s->band_start_cap,
                  bands + 1, sizeof *s->band_start))
        return JK_ERR_NOMEM;
    s->count = 0;
    return JK_OK;
}

/* Whether a glyph's box meets the clip [cx0, cx1) x [cy0, cy1). */
static bool overlaps(const draw_item *it, int cx0, int cy0, int cx1, int cy1)
{
    return it->y < cy1 && it->y + it->h > cy0 && it->x < cx1 &&
           it->x + it->w > cx0;
}

/* Order the items by the band of their top row (counting sort). Returns
 * how many bands back an item can reach from its first. */
static jk_status sort_items(jk_context *ctx, struct jk__draw_scratch *s,
                            int cx0, int cy0, int cx1, int cy1,
                            size_t bands, int *reach)
{
    if (!jk__grow(ctx, (void **)&s->order, &s->order_cap,
                  s->count ? s->count : 1, sizeof *s->order))
        return JK_ERR_NOMEM;
    uint32_t *start = s->band_start;
    memset(start, 0, sizeof *start * (bands + 1));
    int back = 0;
    for (size_t i = 0; i < s->count; i++) {
        const draw_item *it = &s->items[i];
        if (!overlaps(it, cx0, cy0, cx1, cy1))
            continue;
        int top = it->y > cy0 ? it->y : cy0;
        int bottom = it->y + it->h < cy1 ? it->y + it->h : cy1;
        int b0 = (top - cy0) / BAND, b1 = (bottom - 1 - cy0) / BAND;
        if (b1 - b0 > back)
            back = b1 - b0;
        start[b0 + 1]++;
    }
    for (size_t b = 0; b < bands; b++)
        start[b + 1] += start[b];
    /* place, using start[b] as a cursor, then shift back */
    for (size_t i = 0; i < s->count; i++) {
        const draw_item *it = &s->items[i];
        if (!overlaps(it, cx0, cy0, cx1, cy1))
            continue;
        int top = it->y > cy0 ? it->y : cy0;
        s->order[start[(top - cy0) / BAND]++] = (uint32_t)i;
    }
    for (size_t b = bands; b > 0; b--)
        start[b] = start[b - 1];
    start[0] = 0;
    *reach = back;
    return JK_OK;
}

/* Draw a page of `layout` through `ctx`'s glyph cache, faces and scratch:
 * the layout's own context, or a drawer's. */
static jk_status render_page(jk_context *ctx, const jk_layout *layout,
                             size_t page, const jk_surface *sf,
                             const jk_render_options *options,
                             jk_rect *dirty)
{
    jk_render_options opt;
    jk_render_options_init(&opt);
    if (options && !jk__struct_read(&opt, sizeof opt, options,
                                    options->struct_size,
                                    JK__SIZE_UP_TO(jk_render_options, clip)))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "render options of %zu bytes: set struct_size with "
                        "jk_render_options_init", options->struct_size);
    options = &opt;
    jk_status st = jk__check_surface(ctx, sf);
    if (st == JK_OK)
        st = check_options(ctx, options);
    if (st != JK_OK)
        return st;
    if (page >= layout->page_count)
        return jk__fail(ctx, JK_ERR_RANGE, "page %zu of %zu", page,
                        layout->page_count);

    int pw, ph;
    jk__surface_page_size(sf, &pw, &ph);
    int cx0 = 0, cy0 = 0, cx1 = pw, cy1 = ph;
    if (options->clip_enabled) {
        jk_rect c = options->clip;
        if (c.width <= 0 || c.height <= 0)
            return JK_OK; /* nothing to draw */
        /* Within the surface first, in 64 bits (any int is accepted), so
         * turning it to page coordinates cannot overflow. */
        long long x0 = c.x, y0 = c.y;
        long long x1 = x0 + c.width, y1 = y0 + c.height;
        x0 = x0 > 0 ? x0 : 0;
        y0 = y0 > 0 ? y0 : 0;
        x1 = x1 < sf->width ? x1 : sf->width;
        y1 = y1 < sf->height ? y1 : sf->height;
        if (x0 >= x1 || y0 >= y1)
            return JK_OK;
        c = jk__rect_to_page(sf, (jk_rect){(int)x0, (int)y0, (int)(x1 - x0),
                                           (int)(y1 - y0)});
        cx0 = c.x > 0 ? c.x : 0;
        cy0 = c.y > 0 ? c.y : 0;
        cx1 = c.x + c.width < pw ? c.x + c.width : pw;
        cy1 = c.y + c.height < ph ? c.y + c.height : ph;
        if (cx0 >= cx1 || cy0 >= cy1)
            return JK_OK;
    }
    size_t bands = (size_t)(cy1 - cy0 + BAND - 1) / BAND;
    if (ensure_scratch(ctx, pw, bands) != JK_OK)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory drawing");
    struct jk__draw_scratch *s = ctx->draw;

    /* 1. The page's glyphs, rasterized or found in the cache, its rules,
     * and its images scaled to their places. */
    jk__glyph_cache_begin_render(ctx);
    list_job job = {ctx, s, options};
    st = jk__page_glyphs(layout, page, list_glyph, &job);
    if (st == JK_OK)
        st = jk__page_rules(layout, page, list_rule, &job);
    image_job ij = {ctx, s, layout->doc, options, 0, cx0, cy0, cx1, cy1};
    free_images(ctx, s);
    if (st == JK_OK) {
        ij.levels = output_levels(sf, options);
        st = jk__page_figures(layout, page, list_image, &ij);
    }
    int reach = 0;
    if (st == JK_OK && sort_items(ctx, s, cx0, cy0, cx1, cy1, bands,
                                  &reach) != JK_OK)
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory drawing");
    if (st != JK_OK) {
        jk__glyph_cache_end_render(ctx);
        free_images(ctx, s);
        return st;
    }

    /* 2. Band by band: ink, shade, images, store. Nothing below can
     * fail; the progress function may stop it between bands. */
    int levels = output_levels(sf, options);
    shade sh;
    make_shade(&sh, options, levels);
    bool dither = options->dither != JK_DITHER_NONE && levels < 256;
    int n = cx1 - cx0;
    int *err_cur = s->err, *err_next = s->err + n + 2;
    memset(err_cur, 0, sizeof *err_cur * (size_t)(n + 2));
    int dx0 = INT_MAX, dx1 = INT_MIN, dy0 = INT_MAX, dy1 = INT_MIN;
    for (size_t b = 0; b < bands; b++) {
        if ((st = jk__progress(ctx, JK_STAGE_DRAW, b, bands)) != JK_OK)
            break; /* the page stays part drawn */
        int by0 = cy0 + (int)b * BAND;
        int by1 = by0 + BAND < cy1 ? by0 + BAND : cy1;
        for (int r = 0; r < BAND; r++)
            s->row_min[r] = INT_MAX, s->row_max[r] = INT_MIN;
        size_t first = b >= (size_t)reach ? b - (size_t)reach : 0;
        for (uint32_t k = s->band_start[first]; k < s->band_start[b + 1]; k++)
            blit_item(s, &s->items[s->order[k]], pw, by0, by1, cx0, cx1);
        for (int y = by0; y < by1; y++) {
            int r = y - by0;
            uint8_t *ink = s->band + (size_t)r * (size_t)pw;
            int mn = s->row_min[r], mx = s->row_max[r];
            uint8_t *gray = s->gray;
            if (dither) {
                for (int x = cx0; x < cx1; x++)
                    gray[x - cx0] = sh.gray[ink[x]];
                dither_row(&sh, gray, cx0, n, y, err_cur, err_next);
                int *t = err_cur;
                err_cur = err_next;
                err_next = t;
            } else {
                memset(gray, sh.final[0], (size_t)n);
                for (int x = mn; x < mx; x++)
                    gray[x - cx0] = sh.final[ink[x]];
            }
            if (mx > mn)
                memset(ink + mn, 0, (size_t)(mx - mn));
            for (size_t i = 0; i < s->image_count; i++) {
                const draw_image *im = &s->images[i];
                if (y < im->y || y >= im->y + im->h)
                    continue;
                int a = im->x > cx0 ? im->x : cx0;
                int z = im->x + im->w < cx1 ? im->x + im->w : cx1;
                if (a < z)
                    memcpy(gray + (a - cx0),
                           im->px + (size_t)(y - im->y) * (size_t)im->w +
                               (size_t)(a - im->x),
                           (size_t)(z - a));
            }
            if (jk__surface_put_row(sf, y, cx0, cx1, gray, s->tmp, &dx0,
                                    &dx1)) {
                if (y < dy0)
                    dy0 = y;
                dy1 = y + 1;
            }
        }
    }
    jk__glyph_cache_end_render(ctx);
    free_images(ctx, s);
    if (st != JK_OK)
        return st;
    if (dirty && dx1 > dx0)
        *dirty = jk__rect_to_surface(sf,
                                     (jk_rect){dx0, dy0, dx1 - dx0, dy1 - dy0});
    return JK_OK;
}

jk_status jk_layout_render_page_ex(jk_layout *layout, size_t page,
                                   const jk_surface *sf,
                                   const jk_render_options *options,
                                   jk_rect *dirty)
{
    jk__clear_error(layout ? layout->doc->ctx : NULL);
    if (dirty)
        *dirty = (jk_rect){0, 0, 0, 0};
    if (!layout)
        return JK_ERR_INVALID_ARGUMENT;
    return render_page(layout->doc->ctx, layout, page, sf, options, dirty);
}

jk_status jk_drawer_render_page(jk_drawer *drawer, const jk_layout *layout,
                                size_t page, const jk_surface *sf,
                                const jk_render_options *options,
                                jk_rect *dirty)
{
    jk__clear_error(drawer ? &drawer->ctx : NULL);
    if (dirty)
        *dirty = (jk_rect){0, 0, 0, 0};
    if (!drawer || !layout)
        return JK_ERR_INVALID_ARGUMENT;
    if (layout->doc->ctx != drawer->parent)
        return jk__fail(&drawer->ctx, JK_ERR_INVALID_ARGUMENT,
                        "the layout is of another context");
    return render_page(&drawer->ctx, layout, page, sf, options, dirty);
}

jk_status jk_layout_render_page(jk_layout *layout, size_t page,
                                const jk_surface *sf)
{
    return jk_layout_render_page_ex(layout, page, sf, NULL, NULL);
}
