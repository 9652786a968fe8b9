/* Pagination: stack lines into the text box, page after page.
 * A heading is kept with the first two lines of what follows it. */
#include "internal.h"

static jk_status new_page(jk_layout *layout, size_t first_line)
{
    jk_context *ctx = layout->doc->ctx;
    if (layout->page_count >= JK_MAX_PAGES)
        return jk__fail(ctx, JK_ERR_LIMIT, "more than %u pages",
                        JK_MAX_PAGES);
    if (!jk__grow(ctx, (void **)&layout->pages, &layout->page_cap,
                  layout->page_count + 1, sizeof *layout->pages))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory paginating");
    jk_page *p = &layout->pages[layout->page_count++];
    p->first_line = first_line;
    p->line_count = 0;
    return JK_OK;
}

/* Baseline within a line box of height lh: the font's ascent and descent
 * centred in it (half-leading above and below). */
static double baseline_in(const jk_layout *layout, const jk_line *l)
{
    const jk_context *ctx = layout->doc->ctx;
    const jk_block *b = &layout->doc->blocks[l->block];
    const jk_block_style *style = jk__block_style(b->kind);
    int f = jk__font_primary(ctx, style->family, style->bold);
    double asc = 0.8, desc = 0.2;
    if (f >= 0) {
        asc = ctx->fonts[f]->ascender;
        desc = ctx->fonts[f]->descender;
    }
    return (l->height - (asc + desc) * l->size_px) / 2 + asc * l->size_px;
}

/* Height of the lines [i, i + count) of the same block and the gap to the
 * next block's first `extra` lines, for keep-with-next. */
static double keep_height(const jk_layout *layout, size_t i, double gap_next)
{
    const jk_line *lines = layout->lines;
    size_t n = layout->line_count;
    double h = 0;
    size_t k = i;
    for (; k < n && lines[k].block == lines[i].block; k++)
        h += lines[k].height;
    if (k < n) {
        h += gap_next;
        for (size_t j = 0; j < 2 && k + j < n &&
                           lines[k + j].block == lines[k].block;
             j++)
            h += lines[k + j].height;
    }
    return h;
}

jk_status jk__paginate(jk_layout *layout)
{
    const jk_settings *s = &layout->settings;
    double top = s->margin_top;
    double bottom = s->page_height - s->margin_bottom;
    double body_lh = jk__body_px(s) * s->line_height;
    double y = top;
    size_t page_lines = 0;
    double gap_after_prev = 0;
    jk_status st = JK_OK;
    if (layout->line_count == 0)
        return new_page(layout, 0); /* an empty document has one page */

    for (size_t i = 0; i < layout->line_count; i++) {
        jk_line *l = &layout->lines[i];
        const jk_block *b = &layout->doc->blocks[l->block];
        const jk_block_style *style = jk__block_style(b->kind);
        bool block_start = i == 0 || layout->lines[i - 1].block != l->block;
        double gap = 0;
        if (block_start && page_lines > 0) {
            gap = style->space_before * body_lh;
            if (gap_after_prev > gap)
                gap = gap_after_prev;
        }
        double need = l->height;
        if (block_start && b->kind == JK_BLOCK_HEADING) {
            double next_gap = 0;
            size_t k = i;
            while (k < layout->line_count &&
                   layout->lines[k].block == l->block)
                k++;
            if (k < layout->line_count) {
                const jk_block_style *ns = jk__block_style(
                    layout->doc->blocks[layout->lines[k].block].kind);
                next_gap = ns->space_before * body_lh;
                if (style->space_after * body_lh > next_gap)
                    next_gap = style->space_after * body_lh;
            }
            need = keep_height(layout, i, next_gap);
        }
        if (page_lines == 0 || y + gap + need > bottom + 1e-6) {
            if (page_lines > 0 || layout->page_count == 0) {
                if ((st = new_page(layout, i)) != JK_OK)
                    return st;
            }
            y = top;
            gap = 0;
            page_lines = 0;
        }
        y += gap;
        l->y = y + baseline_in(layout, l);
        y += l->height;
        page_lines++;
        layout->pages[layout->page_count - 1].line_count = page_lines;
        if (l->last)
            gap_after_prev = style->space_after * body_lh;
    }
    return JK_OK;
}
