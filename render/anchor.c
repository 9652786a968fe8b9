/* Anchors: from a source byte offset to its page and line, from a point
 * on a page back to a byte offset and its word, and from a byte range to
 * the rectangles that show it. They keep a reader's place when the font
 * size changes, let firmware hit-test taps and draw highlights. */
#include <math.h>

#include "linebreak.h"
#include "memory.h"
#include "place.h"

/* Global index of the first line whose block and text reach past
 * `offset`: lines are in source order. */
static size_t line_at_offset(const jk_layout *layout, size_t offset)
{
    size_t lo = 0, hi = layout->line_count;
    while (lo < hi) { /* first line starting after offset */
        size_t mid = lo + (hi - lo) / 2;
        const jk__line *l = &layout->lines[mid];
        if (jk__off(&layout->doc->blocks[l->block], l->start) <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 ? lo - 1 : 0;
}

static size_t page_of_line(const jk_layout *layout, size_t line)
{
    size_t lo = 0, hi = layout->page_count;
    while (lo + 1 < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (layout->pages[mid].first_line <= line)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

jk_status jk_layout_locate(const jk_layout *layout, size_t offset,
                           size_t *page, size_t *line)
{
    jk__clear_error(layout ? layout->doc->ctx : NULL);
    if (!layout || !page || !line)
        return JK_ERR_INVALID_ARGUMENT;
    if (layout->line_count == 0) {
        *page = 0;
        *line = 0;
        return jk__fail(layout->doc->ctx, JK_ERR_RANGE, "no lines");
    }
    size_t g = line_at_offset(layout, offset);
    *page = page_of_line(layout, g);
    *line = g - layout->pages[*page].first_line;
    return JK_OK;
}

typedef struct hit {
    double x;
    uint32_t cluster; /* the last glyph starting left of x, or the first */
    bool found;
} hit;

static jk_status hit_glyph(void *user, const jk__placed_glyph *g)
{
    hit *h = user;
    if (g->cluster == JK__CLUSTER_HYPHEN || g->cluster == JK__CLUSTER_MARKER)
        return JK_OK;
    if (!h->found || g->x <= h->x) {
        h->cluster = g->cluster;
        h->found = true;
    }
    return JK_OK;
}

jk_status jk_layout_hit_test(const jk_layout *layout, size_t page, double x,
                             double y, size_t *offset)
{
    jk__clear_error(layout ? layout->doc->ctx : NULL);
    if (!layout || !offset)
        return JK_ERR_INVALID_ARGUMENT;
    if (page >= layout->page_count)
        return jk__fail(layout->doc->ctx, JK_ERR_RANGE, "page %zu of %zu",
                        page, layout->page_count);
    const jk__page *p = &layout->pages[page];
    if (p->line_count == 0)
        return jk__fail(layout->doc->ctx, JK_ERR_RANGE, "empty page");
    /* The line whose box holds the point; outside every line box (the
     * margins, the space between paragraphs, past a line's end) is a
     * miss. NaN is in no box. */
    const jk__line *best = NULL;
    for (size_t i = 0; i < p->line_count && !best; i++) {
        const jk__line *l = &layout->lines[p->first_line + i];
        if (y >= l->top && y < l->top + l->height &&
            x >= l->x - l->trim_start && x <= l->x + l->width)
            best = l;
    }
    if (!best)
        return jk__fail(layout->doc->ctx, JK_ERR_NOT_FOUND,
                        "no text at (%g, %g) on page %zu", x, y, page);
    const jk__block *b = &layout->doc->blocks[best->block];
    hit h = {x, best->start, false};
    jk_status st = jk__line_glyphs(layout, best, hit_glyph, &h);
    if (st != JK_OK)
        return st;
    *offset = jk__off(b, h.cluster);
    return JK_OK;
}

/* ------------------------------------------------------------- words */

/* Whether code point `cp` is part of a word by itself (jk_document_word_at):
 * letters, digits, Korean, ideographs and marks, by line-break class. */
static bool word_char(uint32_t cp)
{
    switch (jk__lb_class(cp)) {
    case JK__LB_AL: case JK__LB_HL: case JK__LB_NU: case JK__LB_ID:
    case JK__LB_H2: case JK__LB_H3: case JK__LB_JL: case JK__LB_JV:
    case JK__LB_JT: case JK__LB_CM: case JK__LB_ZWJ: case JK__LB_NS:
    case JK__LB_EB: case JK__LB_EM:
        return true;
    default:
        return false;
    }
}

/* Whether cps[i] joins the word on both sides: an apostrophe between
 * letters, a full stop or comma between digits. */
static bool word_joiner(const jk__block *b, size_t i)
{
    if (i == 0 || i + 1 >= b->n)
        return false;
    uint32_t c = b->cps[i];
    int before = jk__lb_class(b->cps[i - 1]), after = jk__lb_class(b->cps[i + 1]);
    if (c == '\'' || c == 0x2019)
        return (before == JK__LB_AL || before == JK__LB_HL) &&
               (after == JK__LB_AL || after == JK__LB_HL);
    if (c == '.' || c == ',')
        return before == JK__LB_NU && after == JK__LB_NU;
    return false;
}

static bool in_word(const jk__block *b, size_t i)
{
    return word_char(b->cps[i]) || word_joiner(b, i);
}

/* The block holding source byte `offset` and the code point there. */
static bool find_char(const jk_document *doc, size_t offset, size_t *block,
                      size_t *cp)
{
    size_t lo = 0, hi = doc->block_count;
    while (lo < hi) { /* first block starting after offset */
        size_t mid = lo + (hi - lo) / 2;
        if (jk__off(&doc->blocks[mid], 0) <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const jk__block *b = &doc->blocks[lo - 1];
    if (offset >= jk__off(b, b->n))
        return false;
    size_t a = 0, z = b->n;
    while (a < z) { /* first code point starting after offset */
        size_t mid = a + (z - a) / 2;
        if (jk__off(b, mid) <= offset)
            a = mid + 1;
        else
            z = mid;
    }
    *block = lo - 1;
    *cp = a - 1;
    return true;
}

jk_status jk_document_word_at(const jk_document *doc, size_t offset,
                              size_t *start, size_t *end)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !start || !end)
        return JK_ERR_INVALID_ARGUMENT;
    size_t bi, i;
    if (!find_char(doc, offset, &bi, &i))
        return jk__fail(doc->ctx, JK_ERR_NOT_FOUND,
                        "byte %zu is in no block", offset);
    const jk__block *b = &doc->blocks[bi];
    if (!in_word(b, i))
        return jk__fail(doc->ctx, JK_ERR_NOT_FOUND,
                        "byte %zu is a space or punctuation", offset);
    size_t first = i, last = i + 1;
    while (first > 0 && in_word(b, first - 1))
        first--;
    while (last < b->n && in_word(b, last))
        last++;
    *start = jk__off(b, first);
    *end = jk__off(b, last);
    return JK_OK;
}

/* ------------------------------------------------------- highlights */

typedef struct span_box {
    const jk__block *b;
    size_t start, end;  /* the byte range */
    double left, right; /* the glyphs in it, pixels */
    bool any, last_in;  /* some glyph was; the latest glyph was */
} span_box;

/* Bytes of the cluster that starts at code point c. */
static size_t cluster_end(const jk__block *b, size_t c)
{
    size_t e = c + 1;
    while (e < b->n && !jk__cluster_start(b, e))
        e++;
    return jk__off(b, e);
}

static jk_status span_glyph(void *user, const jk__placed_glyph *g)
{
    span_box *s = user;
    bool in;
    if (g->cluster == JK__CLUSTER_MARKER)
        return JK_OK;
    if (g->cluster == JK__CLUSTER_HYPHEN) /* it follows its line */
        in = s->last_in;
    else
        in = jk__off(s->b, g->cluster) < s->end &&
             cluster_end(s->b, g->cluster) > s->start;
    s->last_in = in;
    if (!in)
        return JK_OK;
    if (!s->any || g->x < s->left)
        s->left = g->x;
    if (!s->any || g->x + g->advance > s->right)
        s->right = g->x + g->advance;
    s->any = true;
    return JK_OK;
}

jk_status jk_layout_range_rects(const jk_layout *layout, size_t page,
                                size_t start, size_t end, jk_rect *rects,
                                size_t capacity, size_t *count)
{
    jk__clear_error(layout ? layout->doc->ctx : NULL);
    if (!layout || !count || (!rects && capacity))
        return JK_ERR_INVALID_ARGUMENT;
    *count = 0;
    if (page >= layout->page_count)
        return jk__fail(layout->doc->ctx, JK_ERR_RANGE, "page %zu of %zu",
                        page, layout->page_count);
    const jk__page *p = &layout->pages[page];
    for (size_t i = 0; i < p->line_count && start < end; i++) {
        const jk__line *l = &layout->lines[p->first_line + i];
        const jk__block *b = &layout->doc->blocks[l->block];
        if (jk__off(b, l->start) >= end || jk__off(b, l->end) <= start)
            continue;
        span_box s = {b, start, end, 0, 0, false, false};
        jk_status st = jk__line_glyphs(layout, l, span_glyph, &s);
        if (st != JK_OK)
            return st;
        if (!s.any)
            continue;
        if (*count < capacity) {
            jk_rect *r = &rects[*count];
            r->x = (int)floor(s.left);
            /* Rounded vertically, so that the boxes of a paragraph's
             * lines tile without overlap. */
            r->y = (int)lround(l->top);
            r->width = (int)ceil(s.right) - r->x;
            r->height = (int)lround(l->top + l->height) - r->y;
        }
        (*count)++;
    }
    return JK_OK;
}
