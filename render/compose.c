/* Composition: break each block into lines at a size and width.
 * A first-fit (greedy) breaker; spaces shrink to 80% and stretch as
 * needed for justification. */
#include <math.h>

#include "internal.h"

/* Shrink of a space: it may narrow to 80% of its natural width. */
#define SPACE_SHRINK 0.2
/* Stretch used for the adjustment ratio: to 150% counts as ratio 1. */
#define SPACE_STRETCH 0.5

static bool can_break(uint8_t f, jk_word_break mode)
{
    if (f & JK__BRK_CLUSTER)
        return false;
    if (f & JK_BRK_MANDATORY)
        return true;
    if (!(f & JK_BRK_ALLOWED))
        return false;
    return mode != JK_WORD_BREAK_KEEP_ALL && mode != JK_WORD_BREAK_AUTO
               ? true
               : !(f & JK_BRK_SYLLABLE);
}

typedef struct measure {
    double natural; /* em */
    size_t spaces;  /* inner stretchable spaces */
} measure;

static size_t trim_end(const jk_block *b, size_t start, size_t end)
{
    while (end > start && jk__is_space(b->cps[end - 1]))
        end--;
    return end;
}

/* The longest prefix of [start, limit) that fits `width_em`, ending at a
 * grapheme boundary if one fits, else at any cluster boundary; at least
 * one cluster, so every line makes progress. */
static size_t emergency_end(const jk_block *b, size_t start, size_t limit,
                            double width_em)
{
    size_t best_grapheme = 0, best_any = 0;
    for (size_t i = start; i < limit; i++) {
        if (b->xpos[i + 1] - b->xpos[start] > width_em)
            break;
        if (b->brk[i] & JK__BRK_CLUSTER)
            continue;
        best_any = i + 1;
        if (b->brk[i] & JK_BRK_GRAPHEME)
            best_grapheme = i + 1;
    }
    if (best_grapheme)
        return best_grapheme;
    if (best_any)
        return best_any;
    size_t e = start + 1; /* nothing fits: one whole cluster */
    while (e < limit && (b->brk[e - 1] & JK__BRK_CLUSTER))
        e++;
    return e;
}

static jk_status add_line(jk_layout *layout, const jk_line *line)
{
    jk_context *ctx = layout->doc->ctx;
    if (!jk__grow(ctx, (void **)&layout->lines, &layout->line_cap,
                  layout->line_count + 1, sizeof *layout->lines))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory composing");
    layout->lines[layout->line_count++] = *line;
    return JK_OK;
}

static jk_status compose_block(jk_layout *layout, uint32_t bi)
{
    const jk_settings *s = &layout->settings;
    const jk_block *b = &layout->doc->blocks[bi];
    const jk_block_style *style = jk__block_style(b->kind);
    double px = jk__body_px(s) * style->size;
    double width = s->page_width - s->margin_left - s->margin_right;
    double width_em = width / px;
    bool justify = s->align == JK_ALIGN_JUSTIFY &&
                   (b->kind == JK_BLOCK_PARAGRAPH ||
                    b->kind == JK_BLOCK_QUOTE || b->kind == JK_BLOCK_LIST);
    /* Only justified lines may shrink their spaces. */
    double shrink_em = justify ? b->space_em * SPACE_SHRINK : 0;
    double lh = style->line_height > 0 ? style->line_height : s->line_height;

    size_t start = 0;
    while (start < b->n) {
        /* Scan break opportunities; keep the last that fits. The scan
         * stops once the text so far cannot fit, so a long word costs
         * one pass, not one per line. */
        size_t fit = 0, fit_end = 0, fit_spaces = 0, spaces = 0;
        size_t limit = b->n;
        bool forced = false;
        for (size_t i = start; i < b->n; i++) {
            if (jk__is_stretchable(b->cps[i]))
                spaces++;
            if (!jk__is_space(b->cps[i]) &&
                b->xpos[i + 1] - b->xpos[start] - spaces * shrink_em >
                    width_em + 1e-9) {
                limit = i + 1;
                break;
            }
            uint8_t f = b->brk[i];
            bool last = i + 1 == b->n;
            if (!last && !can_break(f, s->word_break))
                continue;
            size_t e = trim_end(b, start, i + 1);
            size_t inner = spaces;
            for (size_t k = e; k <= i; k++)
                inner -= jk__is_stretchable(b->cps[k]);
            fit = i + 1;
            fit_end = e;
            fit_spaces = inner;
            if ((f & JK_BRK_MANDATORY) && !last) {
                forced = true;
                break;
            }
        }
        jk_line line = {0};
        line.block = bi;
        line.size_px = px;
        line.height = px * lh;
        line.x = s->margin_left;
        if (!fit) { /* an unbreakable run longer than the line */
            fit = emergency_end(b, start, limit, width_em);
            fit_end = trim_end(b, start, fit);
            if (fit_end == start)
                fit_end = fit;
            fit_spaces = 0;
            for (size_t k = start; k < fit_end; k++)
                fit_spaces += jk__is_stretchable(b->cps[k]);
        }
        line.start = (uint32_t)start;
        line.end = (uint32_t)fit_end;
        line.last = fit >= b->n;
        double nat = (b->xpos[fit_end] - b->xpos[start]) * px;
        line.width = nat;
        /* The last line is ragged unless it had to shrink to fit. */
        if (justify && fit_spaces > 0 &&
            ((!line.last && !forced) || nat > width)) {
            double diff = width - nat;
            double room = diff >= 0 ? fit_spaces * b->space_em *
                                          SPACE_STRETCH * px
                                    : fit_spaces * shrink_em * px;
            line.ratio = room > 0 ? diff / room : 0;
            line.space_extra = diff / fit_spaces;
            line.width = width;
        }
        jk_status st = add_line(layout, &line);
        if (st != JK_OK)
            return st;
        start = fit;
    }
    return JK_OK;
}

jk_status jk__compose(jk_layout *layout)
{
    for (size_t i = 0; i < layout->doc->block_count; i++) {
        jk_status st = compose_block(layout, (uint32_t)i);
        if (st != JK_OK)
            return st;
    }
    return JK_OK;
}
