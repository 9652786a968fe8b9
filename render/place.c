/* Placing glyphs on the page: the shaped glyphs of a line or of the
 * running header and footer at their pen positions, with the line's
 * justification (spaces opened evenly to the eye, syllable gaps,
 * squeezed and trimmed punctuation) and its added hyphen. Drawing and
 * hit testing both walk pages through here, so what is drawn is what is
 * hit. */
#include <math.h>

#include "font.h"
#include "items.h"
#include "place.h"
#include "utf8.h"

/* Shaped glyph g with its pen at (x, y) at px pixels to the em, moved by
 * its offset (dx, dy in JK__OFFSET_UNIT em). */
static void place(const jk_context *ctx, const jk__glyph *g, int dx, int dy,
                  double x, double y, double px, jk__placed_glyph *out)
{
    out->font = jk__font_at(ctx, g->font);
    out->font_index = g->font;
    out->gid = g->gid;
    out->x = x + dx * JK__OFFSET_UNIT * px;
    out->y = y - dy * JK__OFFSET_UNIT * px;
    bool script = (g->style & (JK_STYLE_SUB | JK_STYLE_SUP)) != 0;
    out->size_px = px * out->font->scale * (script ? JK__SCRIPT_SIZE : 1);
    out->advance = g->advance * px;
    out->missing = g->missing != 0;
    out->bold = (g->style & JK_STYLE_BOLD) != 0;
    out->italic = (g->style & JK_STYLE_ITALIC) != 0;
    out->style = g->style;
    out->cluster = g->cluster;
}

/* What the space cps[i] of line l grows by at its factor, em (negative:
 * shrinks). */
static double space_growth(const jk__block *b, const jk__line *l, size_t i)
{
    return ((b->just[i] & JK__JUST_LATIN_SPACE) ? l->space_factor
                                                : l->ko_space_factor) *
           (b->xpos[i + 1] - b->xpos[i]);
}

enum { LEVEL_SPACES = 64 };

double jk__space_level(const jk_context *ctx, const jk__block *b,
                       const jk__line *l)
{
    if (!(l->ratio > 0) || l->columns)
        return 0;
    double v[LEVEL_SPACES];
    size_t n = 0;
    double grow = 0; /* em */
    for (uint32_t i = l->start; i < l->end; i++) {
        if (!jk__is_stretchable(b->cps[i]))
            continue;
        if (n == LEVEL_SPACES)
            return 0;
        grow += space_growth(b, l, i);
        double x = jk__space_blank(ctx, b, i);
        size_t k = n++;
        for (; k > 0 && v[k - 1] > x; k--) /* insertion: n is small */
            v[k] = v[k - 1];
        v[k] = x;
    }
    if (n == 0 || !(grow > 0))
        return 0;
    /* The k narrowest rise to a level no higher than the next. */
    double sum = 0, level = 0;
    for (size_t k = 0; k < n; k++) {
        sum += v[k];
        level = (grow + sum) / (double)(k + 1);
        if (k + 1 == n || level <= v[k + 1])
            break;
    }
    return level;
}

/* The glyphs of code points [from, to) of b from pen *x on baseline y;
 * with `l`, adjusted as that line was composed; with `table`, each cell
 * after a separator at its column. */
static jk_status emit(const jk_context *ctx, const jk__block *b,
                      size_t from, size_t to, double *x, double y,
                      double px, const jk__line *l, const jk__table *table,
                      jk__glyph_fn fn, void *user)
{
    jk__placed_glyph pg;
    double x0 = *x, column = 0;
    double level = l ? jk__space_level(ctx, b, l) : 0;
    size_t k = 0;
    size_t g_end = jk__cp_glyph(b, to);
    size_t o = jk__offset_from(b, jk__cp_glyph(b, from));
    for (size_t gi = jk__cp_glyph(b, from); gi < g_end; gi++) {
        const jk__glyph *g = &b->glyphs[gi];
        bool cluster_start = gi == jk__cp_glyph(b, from) ||
                             b->glyphs[gi - 1].cluster != g->cluster;
        /* A tight line squeezes the blank left of opening brackets (the
         * line's first is trimmed already). */
        if (l && cluster_start && l->squeeze > 0 && g->cluster != from &&
            (b->just[g->cluster] & JK__JUST_OPEN))
            *x -= l->squeeze * jk__blank_em(b, g->cluster) * px;
        int dx = 0, dy = 0;
        const jk__offset *off = jk__offset_at(b, o, gi);
        if (off) {
            dx = off->dx;
            dy = off->dy;
            o++;
        }
        place(ctx, g, dx, dy, *x, y, px, &pg);
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
        if (table && cp == 0x2003 && k + 1 < table->col_count) {
            column += table->cols[k++] * px + l->gap_extra;
            *x = x0 + column;
            continue;
        }
        if (jk__is_stretchable(cp) && level > 0)
            *x += fmax(0, level - jk__space_blank(ctx, b, g->cluster)) * px;
        else if (jk__is_stretchable(cp))
            *x += space_growth(b, l, g->cluster) * px;
        uint32_t last_cp = gi + 1 < b->glyph_count
                               ? b->glyphs[gi + 1].cluster - 1
                               : (uint32_t)b->n - 1;
        if (last_cp + 1 >= to)
            continue;
        if (l->squeeze > 0 && (b->just[last_cp] & JK__JUST_CLOSE))
            *x -= l->squeeze * jk__blank_em(b, last_cp) * px;
        if (l->gap_extra != 0 && !l->columns &&
            (b->just[last_cp] & (l->letters ? JK__JUST_LETTER : JK__JUST_GAP)))
            *x += l->gap_extra;
    }
    return JK_OK;
}

bool jk__line_is_art(const jk_layout *layout, const jk__line *l)
{
    const jk__block *b = &layout->doc->blocks[l->block];
    return b->kind == JK_BLOCK_RULE ||
           (b->kind == JK_BLOCK_FIGURE && b->figure != UINT32_MAX &&
            layout->doc->figures[b->figure].status == JK_IMAGE_OK);
}

/* Marks every glyph of a list marker as such (hit tests and highlights
 * pass over it). */
typedef struct marker_job {
    jk__glyph_fn fn;
    void *user;
} marker_job;

static jk_status marker_glyph(void *user, const jk__placed_glyph *g)
{
    marker_job *j = user;
    jk__placed_glyph m = *g;
    m.cluster = JK__CLUSTER_MARKER;
    return j->fn(j->user, &m);
}

jk_status jk__line_glyphs(const jk_layout *layout, const jk__line *l,
                          jk__glyph_fn fn, void *user)
{
    const jk_context *ctx = layout->doc->ctx;
    const jk__block *b = &layout->doc->blocks[l->block];
    if (jk__line_is_art(layout, l))
        return JK_OK;
    if (l->start == 0 && b->marker) {
        /* The marker hangs in the indent, a little before the text. */
        const jk__block *m = &b->marker->shaped;
        double mx = l->x - (m->xpos[m->n] + JK__MARKER_GAP) * l->size_px;
        marker_job job = {fn, user};
        jk_status st = emit(ctx, m, 0, m->n, &mx, l->y, l->size_px, NULL,
                            NULL, marker_glyph, &job);
        if (st != JK_OK)
            return st;
    }
    double x = l->x - l->trim_start;
    const jk__table *table =
        l->columns ? jk__table_of(layout->doc, l->block) : NULL;
    jk_status st = emit(ctx, b, l->start, l->end, &x, l->y, l->size_px, l,
                        table, fn, user);
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
    pg.style = 0;
    pg.cluster = JK__CLUSTER_HYPHEN;
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
                  pieces[i].to, &x, pieces[i].y, pieces[i].px, NULL, NULL,
                  fn, user);
    }
    return st;
}

/* ----------------------------------------------------------------- rules */

/* Underline and strike of a line: runs of glyphs in a link or underlined,
 * or struck, each one rule from the run's first glyph to its last. */
typedef struct run_job {
    const jk__line *l;
    jk__rule_fn fn;
    void *user;
    double x0[2], x1[2]; /* open runs: underline, strike */
    bool open[2];
    jk_status st;
} run_job;

static void close_run(run_job *j, int k)
{
    if (!j->open[k] || j->st != JK_OK)
        return;
    j->open[k] = false;
    double px = j->l->size_px;
    double t = px * 0.055 > 1 ? px * 0.055 : 1;
    jk__rule r = {j->x0[k], k == 0 ? j->l->y + px * 0.12 : j->l->y - px * 0.3,
                  j->x1[k] - j->x0[k], t, 255};
    j->st = j->fn(j->user, &r);
}

static jk_status run_glyph(void *user, const jk__placed_glyph *g)
{
    run_job *j = user;
    if (g->cluster == JK__CLUSTER_MARKER)
        return JK_OK;
    bool want[2] = {(g->style & (JK_STYLE_LINK | JK_STYLE_UNDERLINE)) != 0,
                    (g->style & JK_STYLE_STRIKE) != 0};
    if (g->cluster == JK__CLUSTER_HYPHEN) /* the hyphen goes with its run */
        want[0] = j->open[0], want[1] = j->open[1];
    for (int k = 0; k < 2; k++) {
        if (!want[k]) {
            close_run(j, k);
            continue;
        }
        if (!j->open[k]) {
            j->open[k] = true;
            j->x0[k] = g->x;
        }
        j->x1[k] = g->x + g->advance;
    }
    return j->st;
}

/* The text box's left edge and width, and the body's pixels. */
static void text_box(const jk_layout *layout, double *left, double *width,
                     double *body)
{
    const jk_settings *s = &layout->settings;
    *left = s->margin_left;
    *width = (double)s->page_width - s->margin_left - s->margin_right;
    *body = jk__body_px(s);
}

jk_status jk__page_rules(const jk_layout *layout, size_t page,
                         jk__rule_fn fn, void *user)
{
    const jk__page *p = &layout->pages[page];
    const jk_document *doc = layout->doc;
    double left, width, body;
    text_box(layout, &left, &width, &body);
    double hair = body * 0.06 > 1 ? body * 0.06 : 1;
    jk_status st = JK_OK;
    for (size_t i = 0; i < p->line_count && st == JK_OK; i++) {
        size_t li = p->first_line + i;
        const jk__line *l = &layout->lines[li];
        const jk__line *next = i + 1 < p->line_count ? l + 1 : NULL;
        const jk__block *b = &doc->blocks[l->block];
        double inset = jk__block_inset(b) * body;
        /* Underlines and strikes along the text. */
        run_job job = {l, fn, user, {0, 0}, {0, 0}, {false, false}, JK_OK};
        if (b->style && (st = jk__line_glyphs(layout, l, run_glyph, &job)))
            break;
        close_run(&job, 0);
        close_run(&job, 1);
        if ((st = job.st) != JK_OK)
            break;
        /* A bar left of each level of block quote, down to the next line
         * when it is in the quote too. */
        for (unsigned d = 1; d <= b->quote_depth && st == JK_OK; d++) {
            double bottom = l->top + l->height;
            if (next && doc->blocks[next->block].quote_depth >= d)
                bottom = next->top;
            jk__rule r = {left + ((d - 1) * JK__QUOTE_INDENT + 0.3) * body,
                          l->top, hair * 2, bottom - l->top, 200};
            st = fn(user, &r);
        }
        if (st != JK_OK)
            break;
        if (b->kind == JK_BLOCK_RULE) { /* a thematic break: a short bar */
            jk__rule r = {left + inset + (width - inset) / 3,
                          l->top + l->height / 2, (width - inset) / 3, hair,
                          255};
            st = fn(user, &r);
        } else if (b->kind == JK_BLOCK_TABLE) {
            /* a hairline above each row (the header row's heavier) and
             * below the table's last */
            bool header = (b->flags & JK__BLOCK_HEADER_ROW) != 0;
            jk__rule r = {left + inset, l->top, width - inset,
                          header ? hair * 1.5 : hair, header ? 255 : 150};
            if (l->start == 0)
                st = fn(user, &r);
            bool table_ends = l->last &&
                              (l->block + 1 >= doc->block_count ||
                               doc->blocks[l->block + 1].kind !=
                                   JK_BLOCK_TABLE);
            if (st == JK_OK && table_ends) {
                r.y = l->top + l->height - hair;
                r.h = hair;
                r.ink = 255;
                st = fn(user, &r);
            }
        } else if (b->kind == JK_BLOCK_FIGURE && !jk__line_is_art(layout, l) &&
                   (i == 0 || l[-1].block != l->block)) {
            /* a placeholder's frame around all its lines on this page */
            size_t e = i;
            while (e + 1 < p->line_count &&
                   layout->lines[p->first_line + e + 1].block == l->block)
                e++;
            const jk__line *z = &layout->lines[p->first_line + e];
            double x0 = left + inset, x1 = left + width;
            double y0 = l->top, y1 = z->top + z->height;
            jk__rule sides[4] = {{x0, y0, x1 - x0, hair, 255},
                                 {x0, y1 - hair, x1 - x0, hair, 255},
                                 {x0, y0, hair, y1 - y0, 255},
                                 {x1 - hair, y0, hair, y1 - y0, 255}};
            for (int k = 0; k < 4 && st == JK_OK; k++)
                st = fn(user, &sides[k]);
        }
    }
    return st;
}

jk_status jk__page_figures(const jk_layout *layout, size_t page,
                           jk__figure_fn fn, void *user)
{
    const jk__page *p = &layout->pages[page];
    jk_status st = JK_OK;
    for (size_t i = 0; i < p->line_count && st == JK_OK; i++) {
        const jk__line *l = &layout->lines[p->first_line + i];
        const jk__block *b = &layout->doc->blocks[l->block];
        if (b->kind != JK_BLOCK_FIGURE || !jk__line_is_art(layout, l))
            continue;
        jk__figure_place f = {b->figure, l->x, l->top, l->width, l->height};
        st = fn(user, &f);
    }
    return st;
}
