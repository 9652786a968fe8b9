/* Drawing: a page's glyphs rasterized with FreeType into a surface. */
#include <math.h>
#include <string.h>

#include "internal.h"

static jk_status check_surface(jk_context *ctx, const jk_surface *sf)
{
    if (!sf || !sf->pixels || sf->width <= 0 || sf->height <= 0)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "bad surface");
    if (sf->format != JK_PIXEL_GRAY8)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "unsupported pixel format %d", (int)sf->format);
    if (sf->stride < sf->width)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "stride %d smaller than the row (%d bytes)",
                        sf->stride, sf->width);
    return JK_OK;
}

/* Darken the surface by coverage: black ink over what is there. */
static void blit_coverage(const jk_surface *sf, const FT_Bitmap *bm, int x0,
                          int y0)
{
    for (unsigned row = 0; row < bm->rows; row++) {
        int y = y0 + (int)row;
        if (y < 0 || y >= sf->height)
            continue;
        const unsigned char *src = bm->buffer + (long)row * bm->pitch;
        uint8_t *dst = sf->pixels + (size_t)y * (size_t)sf->stride;
        for (unsigned col = 0; col < bm->width; col++) {
            int x = x0 + (int)col;
            if (x < 0 || x >= sf->width || !src[col])
                continue;
            dst[x] = (uint8_t)((dst[x] * (255 - src[col]) + 127) / 255);
        }
    }
}

static void fill_rect(const jk_surface *sf, int x0, int y0, int x1, int y1)
{
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > sf->width)
        x1 = sf->width;
    if (y1 > sf->height)
        y1 = sf->height;
    for (int y = y0; y < y1; y++)
        if (x1 > x0)
            memset(sf->pixels + (size_t)y * (size_t)sf->stride + x0, 0,
                   (size_t)(x1 - x0));
}

/* A missing glyph: a hollow box, so the reader sees something is there. */
static void draw_box(const jk_surface *sf, double x, double y, double adv,
                     double px)
{
    int t = (int)fmax(1, lround(px / 24));
    int x0 = (int)lround(x + px * 0.08), x1 = (int)lround(x + adv - px * 0.08);
    int y0 = (int)lround(y - px * 0.72), y1 = (int)lround(y);
    if (x1 - x0 < 2 * t + 1)
        x1 = x0 + 2 * t + 1;
    fill_rect(sf, x0, y0, x1, y0 + t);
    fill_rect(sf, x0, y1 - t, x1, y1);
    fill_rect(sf, x0, y0, x0 + t, y1);
    fill_rect(sf, x1 - t, y0, x1, y1);
}

static jk_status draw_glyph(jk_context *ctx, const jk_surface *sf,
                            jk_font *f, uint32_t gid, double size_px,
                            double x, double y)
{
    long size = lround(size_px * 64);
    if (size < 64)
        size = 64;
    if (size > JK_MAX_GLYPH_PX * 64L)
        return JK_OK; /* too large to draw: skipped, layout is unaffected */
    FT_Face face = f->face;
    if (f->ft_size_26_6 != size) {
        if (FT_Set_Char_Size(face, 0, size, 72, 72))
            return jk__fail(ctx, JK_ERR_FREETYPE, "cannot size font");
        f->ft_size_26_6 = size;
    }
    if (FT_Load_Glyph(face, gid, FT_LOAD_TARGET_LIGHT))
        return JK_OK; /* a broken glyph is left blank, not fatal */
    if (FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL))
        return JK_OK;
    FT_GlyphSlot slot = face->glyph;
    if (slot->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY)
        return JK_OK;
    blit_coverage(sf, &slot->bitmap, (int)lround(x) + slot->bitmap_left,
                  (int)lround(y) - slot->bitmap_top);
    return JK_OK;
}

typedef struct draw_job {
    jk_context *ctx;
    const jk_surface *sf;
} draw_job;

static jk_status draw_placed(void *user, const jk_placed_glyph *g)
{
    draw_job *job = user;
    double y = round(g->y);
    if (g->missing) {
        draw_box(job->sf, g->x, y, g->advance, g->size_px / g->font->scale);
        return JK_OK;
    }
    return draw_glyph(job->ctx, job->sf, g->font, g->gid, g->size_px, g->x,
                      y);
}

jk_status jk_layout_render_page(jk_layout *layout, size_t page,
                                const jk_surface *sf)
{
    if (!layout)
        return JK_ERR_INVALID_ARGUMENT;
    jk_context *ctx = layout->doc->ctx;
    jk_status st = check_surface(ctx, sf);
    if (st != JK_OK)
        return st;
    if (page >= layout->page_count)
        return jk__fail(ctx, JK_ERR_RANGE, "page %zu of %zu", page,
                        layout->page_count);
    for (int y = 0; y < sf->height; y++)
        memset(sf->pixels + (size_t)y * (size_t)sf->stride, 255,
               (size_t)sf->width);
    const jk_page *p = &layout->pages[page];
    draw_job job = {ctx, sf};
    for (size_t li = 0; li < p->line_count; li++) {
        st = jk__line_glyphs(layout, &layout->lines[p->first_line + li],
                             draw_placed, &job);
        if (st != JK_OK)
            return st;
    }
    return JK_OK;
}
