/* Anchors: from a source byte offset to its page and line, and from a
 * point on a page back to a byte offset. They keep a reader's place when
 * the font size changes and let firmware hit-test taps. */
#include <math.h>

#include "place.h"
#include "memory.h"

/* Global index of the first line whose block and text reach past
 * `offset`: lines are in source order. */
static size_t line_at_offset(const jk_layout *layout, size_t offset)
{
    size_t lo = 0, hi = layout->line_count;
    while (lo < hi) { /* first line starting after offset */
        size_t mid = lo + (hi - lo) / 2;
        const jk__line *l = &layout->lines[mid];
        if (layout->doc->blocks[l->block].off[l->start] <= offset)
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
    if (g->cluster == UINT32_MAX)
        return JK_OK; /* the added hyphen */
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
    *offset = b->off[h.cluster];
    return JK_OK;
}
