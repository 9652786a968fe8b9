/* Pagination: stack lines into the text box, page after page.
 *
 * Every place between two lines gets a class:
 *   0  free;
 *   1  discouraged: it would leave fewer than `orphans` lines of a
 *      paragraph at a page's foot or fewer than `widows` at the next top;
 *   2  kept together: inside a title or heading, between a heading and
 *      the first two lines after it, between a caption and the line above
 *      it, between the title and the byline.
 * Each page takes as many lines as fit and ends at the last free place;
 * if that leaves the page more than half empty, at the last place that is
 * at worst discouraged; and only if no such place exists (a heading or a
 * caption chain fills the page) at a kept one. */
#include <string.h>

#include "font.h"
#include "layout.h"
#include "place.h"
#include "memory.h"
#include "resource_limits.h"

enum { FREE = 0, DISCOURAGED = 1, KEPT = 2 };

static jk_status new_page(jk_layout *layout, size_t first_line)
{
    jk_context *ctx = layout->ctx;
    if (layout->page_count >= JK__MAX_PAGES)
        return jk__fail(ctx, JK_ERR_LIMIT, "more than %u pages",
                        JK__MAX_PAGES);
    if (!jk__grow(ctx, (void **)&layout->pages, &layout->page_cap,
                  layout->page_count + 1, sizeof *layout->pages))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory paginating");
    jk__page *p = &layout->pages[layout->page_count++];
    p->first_line = first_line;
    p->line_count = 0;
    return JK_OK;
}

/* The ascent and descent of a block's primary font, em, kept for the
 * block's next lines. */
typedef struct block_face {
    uint32_t block; /* UINT32_MAX: none yet */
    double asc, desc;
} block_face;

/* Baseline within a line box: the font's ascent and descent centred in
 * it (half-leading above and below). */
static double baseline_in(const jk_layout *layout, const jk__line *l,
                          block_face *face)
{
    if (face->block != l->block) {
        const jk_context *ctx = layout->ctx;
        const jk__style *style = jk__style_of(&layout->doc->blocks[l->block]);
        int f = jk__font_primary(ctx, style->family, style->bold);
        face->block = l->block;
        face->asc = f >= 0 ? jk__font_at(ctx, (size_t)f)->ascender : 0.8;
        face->desc = f >= 0 ? jk__font_at(ctx, (size_t)f)->descender : 0.2;
    }
    return (l->height - (face->asc + face->desc) * l->size_px) / 2 +
           face->asc * l->size_px;
}

static jk_block_kind kind_of(const jk_layout *layout, size_t line)
{
    return layout->doc->blocks[layout->lines[line].block].kind;
}

/* Class of a page break before line i (i > 0). */
static int break_class(const jk_layout *layout, size_t i,
                       const size_t *index_in_block,
                       const size_t *block_lines)
{
    const jk_settings *s = &layout->settings;
    jk_block_kind kind = kind_of(layout, i);
    size_t j = index_in_block[i], n = block_lines[i];
    if (j > 0) { /* inside a block */
        if (kind == JK_BLOCK_TITLE || kind == JK_BLOCK_HEADING ||
            kind == JK_BLOCK_BYLINE || kind == JK_BLOCK_CAPTION)
            return KEPT;
        /* The first two lines after a heading stay with it. */
        if (j == 1 && i >= 2 && index_in_block[i - 1] == 0 &&
            kind_of(layout, i - 2) == JK_BLOCK_HEADING)
            return KEPT;
        if (j < (size_t)s->orphans || n - j < (size_t)s->widows)
            return DISCOURAGED;
        return FREE;
    }
    jk_block_kind prev = kind_of(layout, i - 1);
    /* A caption stays with its figure or table, on whichever side the
     * source put it (one with neither, with the text before it); a
     * table's header row stays with its first row. */
    const jk_document *doc = layout->doc;
    size_t b = layout->lines[i].block;
    jk_block_kind next = b + 1 < doc->block_count ? doc->blocks[b + 1].kind
                                                  : JK_BLOCK_PARAGRAPH;
    bool captioned = kind == JK_BLOCK_FIGURE || kind == JK_BLOCK_TABLE;
    bool kept_caption =
        (kind == JK_BLOCK_CAPTION &&
         (prev == JK_BLOCK_FIGURE || prev == JK_BLOCK_TABLE ||
          (next != JK_BLOCK_FIGURE && next != JK_BLOCK_TABLE))) ||
        (prev == JK_BLOCK_CAPTION && captioned);
    bool header_row = prev == JK_BLOCK_TABLE && kind == JK_BLOCK_TABLE &&
                      (doc->blocks[layout->lines[i - 1].block].flags &
                       JK__BLOCK_HEADER_ROW);
    if (prev == JK_BLOCK_HEADING || kept_caption || header_row ||
        (prev == JK_BLOCK_TITLE && kind == JK_BLOCK_BYLINE))
        return KEPT;
    return FREE;
}

/* The gap above line i when it is not the first on its page. */
static double gap_before(const jk_layout *layout, size_t i, double body_lh)
{
    if (i == 0 || layout->lines[i - 1].block == layout->lines[i].block)
        return 0;
    const jk__block *blocks = layout->doc->blocks;
    const jk__block *here = &blocks[layout->lines[i].block];
    const jk__block *above = &blocks[layout->lines[i - 1].block];
    if (above->kind == JK_BLOCK_TABLE && here->kind == JK_BLOCK_TABLE)
        return 0; /* a table's rows follow one another */
    if (above->kind == JK_BLOCK_CAPTION &&
        (here->kind == JK_BLOCK_TABLE || here->kind == JK_BLOCK_FIGURE))
        return 0.3 * body_lh; /* a caption above: as close as one below */
    const jk__style *cur = jk__style_of(here);
    const jk__style *prev = jk__style_of(above);
    double g = cur->space_before, a = prev->space_after;
    return (g > a ? g : a) * body_lh;
}

double jk__gap_between(const jk_layout *layout, size_t i)
{
    const jk_settings *s = &layout->settings;
    return gap_before(layout, i, jk__body_px(s) * s->line_height);
}

/* Height a page of lines [s, e) takes, from the top of its first line. */
static double page_height(const jk_layout *layout, size_t s, size_t e,
                          double body_lh)
{
    double h = 0;
    for (size_t i = s; i < e; i++)
        h += (i > s ? gap_before(layout, i, body_lh) : 0) +
             layout->lines[i].height;
    return h;
}

/* A drawn figure, line i, that does not fit in the `room` left on the
 * page (its caption's lines after it counted out) is made smaller to fit
 * when it keeps at least half its height and the room is at least 25% of
 * the box: a smaller picture reads better than a page left half empty.
 * Returns whether it now fits. */
static bool fit_figure(jk_layout *layout, size_t i, double room, double box,
                       double body_lh)
{
    jk__line *l = &layout->lines[i];
    const jk__block *b = &layout->doc->blocks[l->block];
    if (b->kind != JK_BLOCK_FIGURE || !jk__line_is_art(layout, l))
        return false;
    for (size_t k = i + 1; k < layout->line_count; k++) {
        const jk__line *c = &layout->lines[k];
        if (c->block != l->block + 1 ||
            layout->doc->blocks[c->block].kind != JK_BLOCK_CAPTION)
            break;
        room -= gap_before(layout, k, body_lh) + c->height;
    }
    if (room < l->height * 0.5 || room < box * 0.25)
        return false;
    double shrink = room / l->height;
    l->x += l->width * (1 - shrink) / 2;
    l->width *= shrink;
    l->height = room;
    return true;
}

/* Pages from line *from on (the first line of a page) to the last line;
 * with `settled`, only those the lines so far decide, and *from is left
 * at the first line of the next. A page is decided once its first line
 * that does not fit, and all of the block after that line's block, are
 * composed (blocks_done): the rules read no further. */
static jk_status paginate_lines(jk_layout *layout, size_t *from,
                                bool settled, size_t blocks_done)
{
    jk_context *ctx = layout->ctx;
    const jk_settings *s = &layout->settings;
    jk__bands bands;
    jk__running_bands(s, &bands);
    double top = s->margin_top + bands.header;
    double bottom = s->page_height - s->margin_bottom - bands.footer;
    double box = bottom - top;
    /* Like margins too wide for the page (layout.c): bands as tall as
     * the page would put every line below its bottom edge. */
    if (!(box > 0))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "the running header and footer leave no room on a "
                        "%dx%d page", s->page_width, s->page_height);
    double body_lh = jk__body_px(s) * s->line_height;
    size_t n = layout->line_count;
    if (n == 0)
        return settled ? JK_OK : new_page(layout, 0); /* an empty document
                                                         has one page */

    /* Each line's index in its block and its block's line count. */
    size_t *index_in_block = jk__realloc_array(ctx, NULL, 2 * n,
                                               sizeof *index_in_block);
    int8_t *cls = jk__malloc(ctx, n);
    if (!index_in_block || !cls) {
        jk__free(ctx, index_in_block);
        jk__free(ctx, cls);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory paginating");
    }
    size_t *block_lines = index_in_block + n;
    for (size_t i = 0, start = 0; i <= n; i++) {
        if (i < n && i > 0 && layout->lines[i].block == layout->lines[i - 1].block)
            continue;
        for (size_t k = start; k < i; k++) {
            index_in_block[k] = k - start;
            block_lines[k] = i - start;
        }
        start = i;
    }
    for (size_t i = 1; i < n; i++)
        cls[i] = (int8_t)break_class(layout, i, index_in_block, block_lines);

    jk_status st = JK_OK;
    size_t s0 = *from;
    block_face face = {UINT32_MAX, 0, 0};
    while (s0 < n && st == JK_OK) {
        /* As many lines as fit (at least one). */
        size_t e = s0 + 1;
        double h = layout->lines[s0].height;
        while (e < n) {
            double gap = gap_before(layout, e, body_lh);
            double add = gap + layout->lines[e].height;
            if (h + add > box + 1e-6 &&
                !fit_figure(layout, e, box - h - gap, box, body_lh))
                break;
            h += gap + layout->lines[e].height;
            e++;
        }
        if (settled && (e == n || layout->lines[e].block + 1 >= blocks_done))
            break; /* the lines to come may change this page */
        size_t cut = e;
        if (e < n) {
            size_t best[3] = {0, 0, 0}; /* last place of each class */
            for (size_t b = s0 + 1; b <= e; b++)
                for (int c = cls[b]; c <= KEPT; c++)
                    best[c] = b;
            bool half0 = best[FREE] &&
                         page_height(layout, s0, best[FREE], body_lh) >=
                             box / 2;
            bool half1 = best[DISCOURAGED] &&
                         page_height(layout, s0, best[DISCOURAGED],
                                     body_lh) >= box / 2;
            if (half0 || (best[FREE] && !half1))
                cut = best[FREE];
            else if (best[DISCOURAGED])
                cut = best[DISCOURAGED];
            else
                cut = best[KEPT] ? best[KEPT] : e;
        }
        if ((st = new_page(layout, s0)) != JK_OK)
            break;
        double y = top;
        for (size_t i = s0; i < cut && !layout->counting; i++) {
            /* (a counting layout's lines are never drawn) */
            jk__line *l = &layout->lines[i];
            if (i > s0)
                y += gap_before(layout, i, body_lh);
            l->top = y;
            l->y = y + baseline_in(layout, l, &face);
            y += l->height;
        }
        layout->pages[layout->page_count - 1].line_count = cut - s0;
        s0 = cut;
    }
    *from = s0;
    jk__free(ctx, index_in_block);
    jk__free(ctx, cls);
    return st;
}

jk_status jk__paginate(jk_layout *layout)
{
    size_t from = layout->counting ? layout->counted : 0;
    return paginate_lines(layout, &from, false, 0);
}

jk_status jk__paginate_settled(jk_layout *layout, size_t blocks_done)
{
    size_t s0 = layout->counted;
    jk_status st = paginate_lines(layout, &s0, true, blocks_done);
    if (st != JK_OK || s0 == 0)
        return st;
    /* The next page's classes read two lines back, and each line's place
     * in its block: the block of the line before it stays. */
    jk__line *lines = layout->lines;
    size_t keep = s0 - 1;
    while (keep > 0 && lines[keep - 1].block == lines[s0 - 1].block)
        keep--;
    memmove(lines, lines + keep, (layout->line_count - keep) * sizeof *lines);
    layout->line_count -= keep;
    layout->counted = s0 - keep;
    return JK_OK;
}
