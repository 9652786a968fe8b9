/* Running header (the article's title, small, at the top) and footer
 * ("n / N", centred at the bottom). They are not lines: they sit in bands
 * that pagination takes from the text box, and are drawn with the page. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The footer's characters, shaped once; index = position in this list. */
static const uint32_t footer_chars[] = {'0', '1', '2', '3', '4', '5', '6',
                                        '7', '8', '9', ' ', '/', 0x2026};
enum { CHAR_SPACE = 10, CHAR_SLASH = 11, CHAR_ELLIPSIS = 12 };

jk_status jk__running_prepare(jk_document *doc)
{
    if (!doc->running_chars.n) {
        jk_status st = jk__shape_text(
            doc, JK_BLOCK_BYLINE, footer_chars,
            sizeof footer_chars / sizeof *footer_chars, &doc->running_chars);
        if (st != JK_OK)
            return st;
    }
    if (doc->running_title.n)
        return JK_OK; /* the first title is the header */
    for (size_t i = 0; i < doc->block_count; i++)
        if (doc->blocks[i].kind == JK_BLOCK_TITLE)
            return jk__shape_text(doc, JK_BLOCK_BYLINE, doc->blocks[i].cps,
                                  doc->blocks[i].n, &doc->running_title);
    return JK_OK;
}

static double running_px(const jk_settings *s)
{
    return jk__body_px(s) * JK__RUNNING_SIZE;
}

/* How much of the title fits the box: code points [0, *keep), and
 * whether an ellipsis follows. */
static void header_fit(const jk_layout *layout, size_t *keep, bool *ellipsis)
{
    const jk_settings *s = &layout->settings;
    const jk_block *t = &layout->doc->running_title;
    const jk_block *c = &layout->doc->running_chars;
    double width = (s->page_width - s->margin_left - s->margin_right) /
                   running_px(s);
    *keep = t->n;
    *ellipsis = false;
    if (t->n == 0 || t->xpos[t->n] <= width)
        return;
    double ell = c->xpos[CHAR_ELLIPSIS + 1] - c->xpos[CHAR_ELLIPSIS];
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if ((t->brk[i] & JK_BRK_GRAPHEME) &&
            !(t->brk[i] & JK__BRK_CLUSTER) && t->xpos[i + 1] + ell <= width)
            k = i + 1;
    while (k > 0 && jk__is_space(t->cps[k - 1]))
        k--;
    *keep = k;
    *ellipsis = true;
}

/* Footer text "n / N" as indices into footer_chars; returns the count. */
static size_t footer_indices(const jk_layout *layout, size_t page,
                             uint8_t *idx, size_t cap)
{
    char text[64];
    int len = snprintf(text, sizeof text, "%zu / %zu", page + 1,
                       layout->page_count);
    size_t n = 0;
    for (int i = 0; i < len && n < cap; i++)
        idx[n++] = text[i] == ' '   ? CHAR_SPACE
                   : text[i] == '/' ? CHAR_SLASH
                                    : (uint8_t)(text[i] - '0');
    return n;
}

static size_t copy_out(char *buf, size_t size, const char *text, size_t len)
{
    if (buf && size) {
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    return len;
}

size_t jk_layout_page_header(const jk_layout *layout, size_t page,
                             char *buf, size_t buf_size)
{
    if (!layout || page >= layout->page_count || !layout->settings.header)
        return copy_out(buf, buf_size, "", 0);
    size_t keep;
    bool ellipsis;
    header_fit(layout, &keep, &ellipsis);
    const jk_block *t = &layout->doc->running_title;
    size_t len = jk__utf8_copy(t->cps, keep, buf, buf_size);
    if (!ellipsis)
        return len;
    /* Append "…" if it fits whole, snprintf-style otherwise. */
    if (buf && len + 3 < buf_size)
        memcpy(buf + len, "\xE2\x80\xA6", 4);
    return len + 3;
}

size_t jk_layout_page_footer(const jk_layout *layout, size_t page,
                             char *buf, size_t buf_size)
{
    if (!layout || page >= layout->page_count || !layout->settings.footer)
        return copy_out(buf, buf_size, "", 0);
    char text[64];
    int len = snprintf(text, sizeof text, "%zu / %zu", page + 1,
                       layout->page_count);
    return copy_out(buf, buf_size, text, (size_t)len);
}

/* Emit the glyphs of code points [from, to) of block b from pen x. */
static jk_status emit(const jk_layout *layout, const jk_block *b,
                      size_t from, size_t to, double *x, double y,
                      double px, jk__glyph_fn fn, void *user)
{
    const jk_context *ctx = layout->doc->ctx;
    for (size_t gi = b->cp_glyph[from]; gi < b->cp_glyph[to]; gi++) {
        const jk_glyph *g = &b->glyphs[gi];
        jk_placed_glyph pg;
        jk__place_glyph(ctx, g, *x, y, px, &pg);
        jk_status st = g->missing == JK__GLYPH_HIDDEN ? JK_OK
                                                      : fn(user, &pg);
        if (st != JK_OK)
            return st;
        *x += pg.advance;
    }
    return JK_OK;
}

jk_status jk__running_glyphs(const jk_layout *layout, size_t page,
                             jk__glyph_fn fn, void *user)
{
    const jk_settings *s = &layout->settings;
    const jk_document *doc = layout->doc;
    double px = running_px(s), header, footer;
    jk__header_bands(s, &header, &footer);
    jk_status st = JK_OK;
    if (s->header && doc->running_title.n) {
        size_t keep;
        bool ellipsis;
        header_fit(layout, &keep, &ellipsis);
        double x = s->margin_left, y = s->margin_top + px;
        st = emit(layout, &doc->running_title, 0, keep, &x, y, px, fn, user);
        if (st == JK_OK && ellipsis)
            st = emit(layout, &doc->running_chars, CHAR_ELLIPSIS,
                      CHAR_ELLIPSIS + 1, &x, y, px, fn, user);
    }
    if (st == JK_OK && s->footer) {
        uint8_t idx[64];
        size_t n = footer_indices(layout, page, idx, sizeof idx);
        const jk_block *c = &doc->running_chars;
        double w = 0;
        for (size_t i = 0; i < n; i++)
            w += (c->xpos[idx[i] + 1] - c->xpos[idx[i]]) * px;
        double box = s->page_width - s->margin_left - s->margin_right;
        double x = s->margin_left + (box - w) / 2;
        double y = s->page_height - s->margin_bottom - footer + px * 2.6;
        for (size_t i = 0; i < n && st == JK_OK; i++)
            st = emit(layout, c, idx[i], idx[i] + 1u, &x, y, px, fn, user);
    }
    return st;
}
