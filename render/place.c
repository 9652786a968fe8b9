/* Placing glyphs on the page: the shaped glyphs of a line or of the
 * running header and footer at their pen positions, with the line's
 * justification (spaces, syllable gaps, squeezed and trimmed
 * punctuation) and its added hyphen. Drawing and hit testing both walk
 * pages through here, so what is drawn is what is hit. */
#include "font.h"
#include "place.h"
#include "utf8.h"

/* Shaped glyph g with its pen at (x, y) at px pixels to the em. */
static void place(const jk_context *ctx, const jk__glyph *g, double x,
                  double y, double px, jk__placed_glyph *out)
{
    out->font = jk__font_at(ctx, g->font);
    out->font_index = g->font;
    out->gid = g->gid;
    out->x = x + g->dx * px;
    out->y = y - g->dy * px;
    out->size_px = px * out->font->scale;
    out->advance = g->advance * px;
    out->missing = g->missing != 0;
    out->bold = (g->style & JK_STYLE_BOLD) != 0;
    out->italic = (g->style & JK_STYLE_ITALIC) != 0;
    out->cluster = g->cluster;
}

/* The glyphs of code points [from, to) of b from pen *x on baseline y;
 * with `l`, adjusted as that line was composed. */
static jk_status emit(const jk_context *ctx, const jk__block *b,
                      size_t from, size_t to, double *x, double y,
                      double px, const jk__line *l, jk__glyph_fn fn,
                      void *user)
{
    jk__placed_glyph pg;
    for (size_t gi = b->cp_glyph[from]; gi < b->cp_glyph[to]; gi++) {
        const jk__glyph *g = &b->glyphs[gi];
        bool cluster_start = gi == b->cp_glyph[from] ||
                             b->glyphs[gi - 1].cluster != g->cluster;
        /* A tight line squeezes the blank left of opening brackets (the
         * line's first is trimmed already). */
        if (l && cluster_start && l->squeeze > 0 && g->cluster != from &&
            (b->just[g->cluster] & JK__JUST_OPEN))
            *x -= l->squeeze * jk__blank_em(b, g->cluster) * px;
        place(ctx, g, *x, y, px, &pg);
        jk_status st = g->missing == JK__GLYPH_HIDDEN ? JK_OK
                                                      : fn(user, &pg);
        if (st != JK_OK)
            return st;
        *x += pg.advance;
        /* Justification after the cluster's last glyph: spaces grow or
         * shrink by their share, syllable gaps open by gap_extra, closing
         * punctuation gives up part of its blank. */
        bool cluster_end = gi + 1 >= b->glyph_count ||
                           b->glyphs[gi + 1].cluster != g->cluster;
        if (!l || !cluster_end)
            continue;
        uint32_t cp = b->cps[g->cluster];
        if (jk__is_stretchable(cp))
            *x += ((b->just[g->cluster] & JK__JUST_LATIN_SPACE)
                       ? l->space_factor
                       : l->ko_space_factor) *
                  (b->xpos[g->cluster + 1] - b->xpos[g->cluster]) * px;
        uint32_t last_cp = gi + 1 < b->glyph_count
                               ? b->glyphs[gi + 1].cluster - 1
                               : (uint32_t)b->n - 1;
        if (last_cp + 1 >= to)
            continue;
        if (l->squeeze > 0 && (b->just[last_cp] & JK__JUST_CLOSE))
            *x -= l->squeeze * jk__blank_em(b, last_cp) * px;
        if (l->gap_extra != 0 && (b->just[last_cp] & JK__JUST_GAP))
            *x += l->gap_extra;
    }
    return JK_OK;
}

jk_status jk__line_glyphs(const jk_layout *layout, const jk__line *l,
                          jk__glyph_fn fn, void *user)
{
    const jk_context *ctx = layout->doc->ctx;
    const jk__block *b = &layout->doc->blocks[l->block];
    double x = l->x - l->trim_start;
    jk_status st = emit(ctx, b, l->start, l->end, &x, l->y, l->size_px, l,
                        fn, user);
    if (st != JK_OK || !l->hyphenated || !l->hyphen_gid)
        return st;
    jk__placed_glyph pg;
    pg.font = jk__font_at(ctx, l->hyphen_font);
    pg.font_index = l->hyphen_font;
    pg.gid = l->hyphen_gid;
    pg.x = x;
    pg.y = l->y;
    pg.size_px = l->size_px * pg.font->scale;
    pg.advance = l->hyphen_advance;
    pg.missing = false;
    pg.bold = pg.italic = false;
    pg.cluster = UINT32_MAX;
    return fn(user, &pg);
}

jk_status jk__page_glyphs(const jk_layout *layout, size_t page,
                          jk__glyph_fn fn, void *user)
{
    const jk__page *p = &layout->pages[page];
    jk_status st = JK_OK;
    for (size_t i = 0; i < p->line_count && st == JK_OK; i++)
        st = jk__line_glyphs(layout, &layout->lines[p->first_line + i], fn,
                             user);
    jk__run_piece pieces[JK__RUN_PIECES];
    size_t n = st == JK_OK ? jk__running_pieces(layout, page, pieces) : 0;
    for (size_t i = 0; i < n && st == JK_OK; i++) {
        double x = pieces[i].x;
        st = emit(layout->doc->ctx, pieces[i].b, pieces[i].from,
                  pieces[i].to, &x, pieces[i].y, pieces[i].px, NULL, fn,
                  user);
    }
    return st;
}
