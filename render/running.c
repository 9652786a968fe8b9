/* Running header (the article's title, small, at the top) and footer
 * ("n / N", centred at the bottom). They are not lines: they sit in bands
 * that pagination takes from the text box, and are drawn with the page.
 * The layout owns their shaped text, made when its settings first ask
 * for a header or footer. */
#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "linebreak.h"
#include "memory.h"
#include "running.h"
#include "shape.h"
#include "utf8.h"

/* Size relative to the body text, and the band each takes: three times
 * its size. */
#define RUNNING_SIZE 0.75
#define BAND 3.0

/* The footer's characters, shaped once; index = position in this list. */
static const uint32_t footer_chars[] = {'0', '1', '2', '3', '4', '5', '6',
                                        '7', '8', '9', ' ', '/', 0x2026};
enum { CHAR_SPACE = 10, CHAR_SLASH = 11, CHAR_ELLIPSIS = 12 };

void jk__running_bands(const jk_settings *s, jk__bands *out)
{
    out->px = jk__body_px(s) * RUNNING_SIZE;
    double band = out->px * BAND;
    out->header = s->header ? band : 0;
    out->footer = s->footer ? band : 0;
    out->header_y = s->margin_top + out->px;
    out->footer_y = s->page_height - s->margin_bottom - out->footer +
                    out->px * 2.6;
}

/* Shape `cps` (copied) as a byline-style block that is not part of the
 * document's text: its source offsets are all 0 and its missing glyphs
 * are not the document's. */
static jk_status shape_text(jk_context *ctx, const uint32_t *cps, size_t n,
                            jk__block *out)
{
    memset(out, 0, sizeof *out);
    out->kind = JK_BLOCK_BYLINE;
    out->n = n;
    out->cps = jk__realloc_array(ctx, NULL, n ? n : 1, sizeof *out->cps);
    out->off = jk__calloc(ctx, n + 1, sizeof *out->off);
    if (!out->cps || !out->off)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory shaping");
    if (n)
        memcpy(out->cps, cps, n * sizeof *cps);
    jk__shaper *shaper;
    jk_status st = jk__shaper_create(ctx, n, &shaper);
    size_t missing;
    if (st == JK_OK)
        st = jk__prepare_block(ctx, shaper, out, &missing);
    jk__shaper_destroy(ctx, shaper);
    return st;
}

void jk__running_free(jk_context *ctx, jk__running *r)
{
    jk__block_free(ctx, &r->title);
    jk__block_free(ctx, &r->chars);
    r->ready = false;
}

jk_status jk__running_make(const jk_layout *layout, const jk_settings *s,
                           jk__running *out, bool *made)
{
    const jk__running *r = &layout->running;
    const jk_document *doc = layout->doc;
    jk_context *ctx = layout->ctx;
    *made = false;
    memset(out, 0, sizeof *out);
    if ((!s->header && !s->footer) ||
        (r->ready && r->blocks == doc->block_count))
        return JK_OK;
    jk_status st = shape_text(ctx, footer_chars,
                              sizeof footer_chars / sizeof *footer_chars,
                              &out->chars);
    for (size_t i = 0; i < doc->block_count && st == JK_OK; i++)
        if (doc->blocks[i].kind == JK_BLOCK_TITLE) {
            st = shape_text(ctx, doc->blocks[i].cps, doc->blocks[i].n,
                            &out->title);
            break; /* the first title is the header */
        }
    if (st != JK_OK) {
        jk__running_free(ctx, out);
        return st;
    }
    out->ready = true;
    out->blocks = doc->block_count;
    *made = true;
    return JK_OK;
}

/* How much of the title fits the box: code points [0, *keep), and
 * whether an ellipsis follows. */
static void header_fit(const jk_layout *layout, size_t *keep, bool *ellipsis)
{
    const jk_settings *s = &layout->settings;
    const jk__block *t = &layout->running.title;
    const jk__block *c = &layout->running.chars;
    double width = ((double)s->page_width - s->margin_left -
                    s->margin_right) / (jk__body_px(s) * RUNNING_SIZE);
    *keep = t->n;
    *ellipsis = false;
    if (t->n == 0 || t->xpos[t->n] <= width)
        return;
    double ell = c->xpos[CHAR_ELLIPSIS + 1] - c->xpos[CHAR_ELLIPSIS];
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if ((t->brk[i] & JK__BRK_GRAPHEME) && jk__cluster_start(t, i + 1) &&
            t->xpos[i + 1] + ell <= width)
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
    const jk__block *t = &layout->running.title;
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

size_t jk__running_pieces(const jk_layout *layout, size_t page,
                          jk__run_piece *out)
{
    const jk_settings *s = &layout->settings;
    const jk__running *r = &layout->running;
    size_t n = 0;
    if (!r->ready)
        return 0;
    jk__bands bands;
    jk__running_bands(s, &bands);
    double px = bands.px;
    if (s->header && r->title.n) {
        size_t keep;
        bool ellipsis;
        header_fit(layout, &keep, &ellipsis);
        out[n++] = (jk__run_piece){&r->title, 0, (uint32_t)keep,
                                   s->margin_left, bands.header_y, px};
        if (ellipsis)
            out[n++] = (jk__run_piece){
                &r->chars, CHAR_ELLIPSIS, CHAR_ELLIPSIS + 1,
                s->margin_left + r->title.xpos[keep] * px, bands.header_y,
                px};
    }
    if (s->footer) {
        uint8_t idx[JK__RUN_PIECES - 2];
        size_t count = footer_indices(layout, page, idx, sizeof idx);
        const jk__block *c = &r->chars;
        double w = 0;
        for (size_t i = 0; i < count; i++)
            w += (c->xpos[idx[i] + 1] - c->xpos[idx[i]]) * px;
        double box = (double)s->page_width - s->margin_left - s->margin_right;
        double x = s->margin_left + (box - w) / 2;
        for (size_t i = 0; i < count; i++) {
            out[n++] = (jk__run_piece){c, idx[i], idx[i] + 1u, x,
                                       bands.footer_y, px};
            x += (c->xpos[idx[i] + 1] - c->xpos[idx[i]]) * px;
        }
    }
    return n;
}
