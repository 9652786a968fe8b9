/* Shaping: font choice per character, runs, HarfBuzz in font units,
 * pen positions. Done once per document; everything is kept in em so any
 * font size or page width re-uses it. */
#include <string.h>

#include "font.h"
#include "linebreak.h"
#include "memory.h"
#include "resource_limits.h"
#include "shape.h"

struct jk__shaper {
    hb_buffer_t *buf;
    uint16_t *font;   /* font of each code point */
    uint8_t *scratch; /* bytes, as many as code points */
    size_t cap;
};

jk_status jk__shaper_create(jk_context *ctx, size_t longest,
                            jk__shaper **out)
{
    *out = NULL;
    if (jk__font_count(ctx) == 0)
        return jk__fail(ctx, JK_ERR_NO_FONT, "no font loaded");
    if (longest == 0)
        longest = 1;
    jk__shaper *s = jk__calloc(ctx, 1, sizeof *s);
    if (!s)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");
    s->cap = longest;
    s->font = jk__realloc_array(ctx, NULL, longest, sizeof *s->font);
    s->scratch = jk__malloc(ctx, longest);
    s->buf = hb_buffer_create();
    if (!s->font || !s->scratch || !hb_buffer_allocation_successful(s->buf)) {
        jk__shaper_destroy(ctx, s);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");
    }
    *out = s;
    return JK_OK;
}

void jk__shaper_destroy(jk_context *ctx, jk__shaper *s)
{
    if (!s)
        return;
    hb_buffer_destroy(s->buf);
    jk__free(ctx, s->font);
    jk__free(ctx, s->scratch);
    jk__free(ctx, s);
}

uint8_t *jk__shaper_scratch(jk__shaper *s) { return s->scratch; }

/* Characters that stay in the font of the character before them
 * (combining marks, joiners, variation selectors). */
static bool attaches(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || cp == 0x200C || cp == 0x200D ||
           cp == 0x034F || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

/* Font index for every code point of a block. */
static void pick_fonts(const jk_context *ctx, const jk__block *b,
                       const jk__style *style, uint16_t *font)
{
    /* Script each common character (digits, punctuation, spaces)
     * inherits: the Korean or Latin text before it, or after it at the
     * start of the block. Symbols do not pass theirs on: "−5℃" keeps the
     * text's digits. */
    jk_font_script next = JK_FONT_KOREAN;
    for (size_t i = 0; i < b->n; i++) { /* first strong script */
        bool common;
        jk_font_script s = jk__script_of(b->cps[i], &common);
        if (!common && s != JK_FONT_SYMBOL) {
            next = s;
            break;
        }
    }
    jk_font_script cur = next;
    for (size_t i = 0; i < b->n; i++) {
        uint32_t cp = b->cps[i];
        if (i > 0 && attaches(cp)) {
            font[i] = font[i - 1];
            continue;
        }
        bool common, miss;
        jk_font_script s = jk__script_of(cp, &common);
        if (!common && s != JK_FONT_SYMBOL)
            cur = s;
        /* No font with the glyph: the primary one, whose .notdef shaping
         * gives (glyph 0), drawn as a box. */
        unsigned span = b->style ? b->style[i] : 0;
        jk_font_family family =
            (span & JK_STYLE_CODE) ? JK_FAMILY_MONO : style->family;
        font[i] = (uint16_t)jk__font_pick(ctx, cp, cur, family,
                                          style->bold || (span & JK_STYLE_BOLD),
                                          (span & JK_STYLE_ITALIC) != 0,
                                          &miss);
    }
}

/* The style bits that change a run's size and baseline. */
static unsigned script_style(const jk__block *b, size_t i)
{
    return b->style ? b->style[i] & (JK_STYLE_SUB | JK_STYLE_SUP) : 0;
}

static jk_status shape_run(jk_context *ctx, jk__block *b, hb_buffer_t *buf,
                           size_t start, size_t len, uint16_t font_index,
                           size_t *glyph_cap, size_t *offset_cap,
                           size_t *missing)
{
    const jk__font *font = jk__font_at(ctx, font_index);
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf32(buf, b->cps, (int)b->n, (unsigned)start, (int)len);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_guess_segment_properties(buf);
    hb_buffer_set_language(buf, hb_language_from_string("ko", 2));
    hb_shape(font->hb, buf, NULL, 0);
    if (!hb_buffer_allocation_successful(buf))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");
    unsigned count = 0;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &count);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &count);
    if (!jk__grow(ctx, (void **)&b->glyphs, glyph_cap,
                  b->glyph_count + count, sizeof *b->glyphs))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");
    /* Sub- and superscripts: smaller, on a shifted baseline (the run is
     * all one or the other, see jk__shape_block). */
    unsigned run_style = b->style ? b->style[start] : 0;
    double size = (run_style & (JK_STYLE_SUB | JK_STYLE_SUP)) ? JK__SCRIPT_SIZE
                                                              : 1;
    double rise = (run_style & JK_STYLE_SUP)   ? JK__SUP_RISE
                  : (run_style & JK_STYLE_SUB) ? -JK__SUB_DROP
                                               : 0;
    double k = font->scale / font->upem * size;
    for (unsigned i = 0; i < count; i++) {
        jk__glyph *g = &b->glyphs[b->glyph_count++];
        g->gid = (uint16_t)info[i].codepoint;
        g->cluster = info[i].cluster;
        g->font = (uint8_t)font_index;
        g->style = (uint8_t)((b->style ? b->style[g->cluster] : 0) |
                             (jk__style_of(b)->bold ? JK_STYLE_BOLD
                                                          : 0));
        g->advance = (float)(pos[i].x_advance * k);
        int16_t dx = jk__glyph_offset(pos[i].x_offset * k);
        int16_t dy = jk__glyph_offset(pos[i].y_offset * k + rise);
        if (dx || dy) {
            jk__block_extra *x = jk__block_extra_of(ctx, b);
            if (!x || !jk__grow(ctx, (void **)&x->offsets, offset_cap,
                                x->offset_count + 1, sizeof *x->offsets))
                return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");
            x->offsets[x->offset_count++] =
                (jk__offset){b->glyph_count - 1, dx, dy};
        }
        g->missing = 0;
        if (info[i].codepoint > UINT16_MAX)
            g->gid = 0; /* not an OpenType glyph id: a box */
        if (g->gid != 0)
            continue;
        /* .notdef: one visible box (never a zero-width hole) for a
         * cluster, however many of its characters are missing ("👍🏽"),
         * counted once. */
        bool boxed = i > 0 && info[i - 1].cluster == info[i].cluster &&
                     b->glyphs[b->glyph_count - 2].missing;
        if (boxed) {
            g->missing = JK__GLYPH_HIDDEN;
            g->advance = 0;
        } else {
            g->missing = JK__GLYPH_BOX;
            if (g->advance < 0.5f)
                g->advance = 0.6f;
            (*missing)++;
        }
    }
    return JK_OK;
}

jk_status jk__shape_block(jk_context *ctx, jk__shaper *sh, jk__block *b,
                          size_t *missing)
{
    const jk__style *style = jk__style_of(b);
    size_t glyph_cap = 0, offset_cap = 0;
    *missing = 0;
    if (b->n > sh->cap)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "shaper too small");
    b->xpos = jk__calloc(ctx, b->n + 1, sizeof *b->xpos);
    b->cp_glyph = jk__calloc(ctx, b->n + 1, sizeof *b->cp_glyph);
    if (!b->xpos || !b->cp_glyph)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");

    uint16_t *font = sh->font;
    pick_fonts(ctx, b, style, font);
    for (size_t s = 0; s < b->n;) {
        size_t e = s + 1;
        while (e < b->n && font[e] == font[s] &&
               script_style(b, e) == script_style(b, s))
            e++;
        /* Stream-safe (UAX #15): a run is cut after 30 non-starters in a
         * row and the pieces are shaped apart. HarfBuzz 6 positions a
         * base's marks in time quadratic in their number; pieces keep it
         * linear. Only pathological text (zalgo) is ever cut. */
        size_t piece = s, marks = 0;
        for (size_t i = s; i <= e; i++) {
            marks = i < e && jk__is_nonstarter(b->cps[i]) ? marks + 1 : 0;
            if (i < e && marks <= JK__MAX_NONSTARTERS)
                continue;
            if (i == e || marks > JK__MAX_NONSTARTERS) {
                jk_status st = shape_run(ctx, b, sh->buf, piece, i - piece,
                                         font[s], &glyph_cap, &offset_cap,
                                         missing);
                if (st != JK_OK)
                    return st;
                piece = i;
                marks = 1;
            }
        }
        s = e;
    }

    /* Pen positions per code point. */
    double *adv = b->xpos; /* advance of the cluster starting at i */
    for (size_t g = 0; g < b->glyph_count; g++)
        adv[b->glyphs[g].cluster + 1] += b->glyphs[g].advance;
    size_t g = 0;
    b->xpos[0] = 0;
    for (size_t i = 0; i < b->n; i++) {
        b->xpos[i + 1] += b->xpos[i];
        while (g < b->glyph_count && b->glyphs[g].cluster < i)
            g++;
        b->cp_glyph[i] = (uint32_t)g;
    }
    b->cp_glyph[b->n] = (uint32_t)b->glyph_count;
    /* One glyph a code point, in order: the map is the identity. */
    bool identity = b->glyph_count == b->n;
    for (size_t i = 0; i < b->glyph_count && identity; i++)
        identity = b->glyphs[i].cluster == i;
    if (identity) {
        jk__free(ctx, b->cp_glyph);
        b->cp_glyph = NULL;
    }
    /* The array grew geometrically: give back what it holds over. */
    if (glyph_cap > b->glyph_count && b->glyph_count > 0) {
        jk__glyph *fit = jk__realloc_array(ctx, b->glyphs, b->glyph_count,
                                           sizeof *fit);
        if (fit)
            b->glyphs = fit;
    }

    int pf = jk__font_primary(ctx, style->family, style->bold);
    const jk__font *f = jk__font_at(ctx, (size_t)pf);
    hb_codepoint_t space;
    hb_position_t w = 0;
    if (hb_font_get_nominal_glyph(f->hb, ' ', &space))
        w = hb_font_get_glyph_h_advance(f->hb, space);
    b->space_em = w > 0 ? w / f->upem : 0.25;
    return JK_OK;
}
