/* The layout: a document at one set of settings -> lines and pages. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "context.h"
#include "layout.h"
#include "memory.h"
#include "place.h"
#include "resource_limits.h"
#include "utf8.h"

void jk_settings_init(jk_settings *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    s->struct_size = sizeof *s;
    jk_settings_set_device(s, jk_device_find("kobo-clara"));
    s->font_size_pt = 10;
    s->scale = 1;
    s->margin_top = s->margin_right = s->margin_bottom = s->margin_left = -1;
    s->line_height = 1.7; /* Korean body text wants 1.6-1.8 em */
    s->align = JK_ALIGN_JUSTIFY;
    s->word_break = JK_WORD_BREAK_AUTO;
    s->breaker = JK_BREAKER_OPTIMAL;
    s->hyphenate = 1;
    s->widows = 2;
    s->orphans = 2;
    jk_breaking *k = &s->breaking;
    k->tolerance = 200;
    k->loose_tolerance = 2000;
    k->line_penalty = 10;
    k->hyphen_penalty = 50;
    k->syllable_penalty = 300;
    k->fragment_penalty = 400;
    k->punct_penalty = 50;
    k->double_hyphen_demerits = 10000;
    k->final_hyphen_demerits = 5000;
    k->adj_demerits = 10000;
    k->space_stretch = 0.5;
    k->hangul_space_stretch = 0.2;
    k->space_shrink = 0.33;
    k->syllable_stretch = 0.2;
    k->ragged_stretch = 3;
}

double jk__body_px(const jk_settings *s)
{
    return s->font_size_pt * s->scale * s->dpi / 72.0;
}

/* A negative margin means "automatic": 0.22 inch, scaled with the page's
 * dpi (66 px on a 300 ppi Kobo Clara). */
static int margin_px(int m, int dpi)
{
    return m >= 0 ? m : (int)lround(dpi * 0.22);
}

jk_status jk__check_settings(jk_context *ctx, const jk_settings *in,
                             jk_settings *out)
{
    jk_settings s;
    jk_settings_init(&s);
    if (!jk__struct_read(&s, sizeof s, in, in->struct_size, JK__SETTINGS_1_0))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "settings of %zu bytes: set struct_size with "
                        "jk_settings_init", in->struct_size);
    s.struct_size = sizeof s;
    if (s.page_width <= 0 || s.page_height <= 0 ||
        s.page_width > JK__MAX_PAGE_SIDE || s.page_height > JK__MAX_PAGE_SIDE)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "page size %dx%d outside 1..%d pixels", s.page_width,
                        s.page_height, JK__MAX_PAGE_SIDE);
    if (s.dpi <= 0 || s.dpi > JK__MAX_DPI)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "dpi %d outside 1..%d", s.dpi, JK__MAX_DPI);
    if (!(s.font_size_pt > 0) || !(s.scale > 0) || !isfinite(s.scale) ||
        !isfinite(s.font_size_pt))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "font size and scale must be positive");
    double px = jk__body_px(&s);
    if (px < JK__MIN_FONT_PX || px > JK__MAX_FONT_PX)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "body size %.2f px outside %g..%g px", px,
                        JK__MIN_FONT_PX, JK__MAX_FONT_PX);
    if (!(s.line_height >= 0.5 && s.line_height <= 10))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "line height %g outside 0.5..10", s.line_height);
    if ((unsigned)s.align > JK_ALIGN_LEFT ||
        (unsigned)s.word_break > JK_WORD_BREAK_NORMAL ||
        (unsigned)s.breaker > JK_BREAKER_GREEDY)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "bad settings enum");
    const jk_breaking *k = &s.breaking;
    const double params[] = {k->tolerance, k->loose_tolerance,
                             k->line_penalty, k->hyphen_penalty,
                             k->syllable_penalty, k->fragment_penalty,
                             k->punct_penalty,
                             k->double_hyphen_demerits,
                             k->final_hyphen_demerits, k->adj_demerits};
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        if (!(params[i] >= 0 && params[i] <= 1e7))
            return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                            "breaking parameters must be within 0..1e7");
    if (!(k->space_stretch >= 0 && k->space_stretch <= 10) ||
        !(k->hangul_space_stretch >= 0 && k->hangul_space_stretch <= 10) ||
        !(k->space_shrink >= 0 && k->space_shrink < 1) ||
        !(k->syllable_stretch >= 0 && k->syllable_stretch <= 1) ||
        !(k->ragged_stretch >= 0 && k->ragged_stretch <= 100))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "space stretch 0..10, shrink 0..1, syllable "
                        "stretch 0..1 em, ragged stretch 0..100 em");
    if (s.widows < 0 || s.widows > 100 || s.orphans < 0 || s.orphans > 100)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "widows and orphans 0..100");
    if (!(s.first_line_indent >= 0 && s.first_line_indent <= 10))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "first-line indent 0..10 em");
    s.margin_top = margin_px(s.margin_top, s.dpi);
    s.margin_right = margin_px(s.margin_right, s.dpi);
    s.margin_bottom = margin_px(s.margin_bottom, s.dpi);
    s.margin_left = margin_px(s.margin_left, s.dpi);
    /* In 64 bits: two margins near INT_MAX must not wrap to a small sum. */
    if ((int64_t)s.margin_left + s.margin_right >= s.page_width ||
        (int64_t)s.margin_top + s.margin_bottom >= s.page_height)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "margins leave no room on a %dx%d page",
                        s.page_width, s.page_height);
    *out = s;
    return JK_OK;
}

jk_status jk_layout_set_settings(jk_layout *layout, const jk_settings *in)
{
    jk__clear_error(layout ? layout->ctx : NULL);
    if (!layout || !in)
        return JK_ERR_INVALID_ARGUMENT;
    jk_context *ctx = layout->ctx;
    jk_settings s;
    jk_status st = jk__check_settings(ctx, in, &s);
    if (st != JK_OK)
        return st;
    /* All or nothing: the new lines and pages are made in the back
     * arrays, with new header and footer text if it needs any, and only
     * swapped in when everything succeeded. */
    jk__running fresh;
    bool made;
    if ((st = jk__running_make(layout, &s, &fresh, &made)) != JK_OK)
        return st;
    jk_layout next = *layout;
    next.settings = s;
    next.lines = layout->back_lines;
    next.line_cap = layout->back_line_cap;
    next.line_count = 0;
    next.pages = layout->back_pages;
    next.page_cap = layout->back_page_cap;
    next.page_count = 0;
    if (made)
        next.running = fresh;
    st = jk__compose(&next);
    if (st == JK_OK)
        st = jk__paginate(&next);
    /* Whatever happened, the arrays next grew into are the back ones. */
    if (st != JK_OK) {
        layout->back_lines = next.lines;
        layout->back_line_cap = next.line_cap;
        layout->back_pages = next.pages;
        layout->back_page_cap = next.page_cap;
        if (made)
            jk__running_free(ctx, &fresh);
        return st;
    }
    next.back_lines = layout->lines;
    next.back_line_cap = layout->line_cap;
    next.back_pages = layout->pages;
    next.back_page_cap = layout->page_cap;
    if (made)
        jk__running_free(ctx, &layout->running);
    *layout = next;
    return JK_OK;
}

jk_status jk_layout_create(jk_document *doc, const jk_settings *settings,
                           jk_layout **out)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !out)
        return JK_ERR_INVALID_ARGUMENT;
    *out = NULL;
    jk_settings defaults;
    if (!settings) {
        jk_settings_init(&defaults);
        settings = &defaults;
    }
    jk_layout *layout = jk__calloc(doc->ctx, 1, sizeof *layout);
    if (!layout)
        return jk__fail(doc->ctx, JK_ERR_NOMEM, "out of memory");
    layout->doc = doc;
    layout->ctx = doc->ctx;
    jk_status st = jk_layout_set_settings(layout, settings);
    if (st != JK_OK) {
        jk_layout_destroy(layout);
        return st;
    }
    *out = layout;
    return JK_OK;
}

void jk__layout_release(jk_layout *layout)
{
    jk_context *ctx = layout->ctx;
    jk__free(ctx, layout->lines);
    jk__free(ctx, layout->pages);
    jk__free(ctx, layout->back_lines);
    jk__free(ctx, layout->back_pages);
    jk__running_free(ctx, &layout->running);
}

void jk_layout_destroy(jk_layout *layout)
{
    if (!layout)
        return;
    jk__layout_release(layout);
    jk__free(layout->doc->ctx, layout);
}

void jk_layout_get_settings_sized(const jk_layout *layout, jk_settings *out,
                                  size_t out_size)
{
    if (layout && out)
        jk__struct_write(out, out_size, &layout->settings,
                         sizeof layout->settings, JK__SETTINGS_1_0);
}

size_t jk_layout_page_count(const jk_layout *layout)
{
    return layout ? layout->page_count : 0;
}

size_t jk_layout_line_count(const jk_layout *layout, size_t page)
{
    if (!layout || page >= layout->page_count)
        return 0;
    return layout->pages[page].line_count;
}

static const jk__line *get_line(const jk_layout *layout, size_t page,
                               size_t line)
{
    if (!layout || page >= layout->page_count ||
        line >= layout->pages[page].line_count)
        return NULL;
    return &layout->lines[layout->pages[page].first_line + line];
}

jk_status jk_layout_get_line(const jk_layout *layout, size_t page,
                             size_t line, jk_line_info *out)
{
    jk__clear_error(layout ? layout->doc->ctx : NULL);
    if (!layout || !out)
        return JK_ERR_INVALID_ARGUMENT;
    const jk__line *l = get_line(layout, page, line);
    if (!l)
        return jk__fail(layout->doc->ctx, JK_ERR_RANGE,
                        "no line %zu on page %zu", line, page);
    const jk__block *b = &layout->doc->blocks[l->block];
    out->block = l->block;
    out->kind = b->kind;
    out->start = jk__off(b, l->start);
    out->end = jk__off(b, l->end);
    out->x = l->x;
    out->y = l->y;
    out->top = l->top;
    out->width = l->width;
    out->height = l->height;
    out->ratio = l->ratio;
    out->hyphenated = l->hyphenated;
    out->last = l->last;
    return JK_OK;
}

size_t jk_layout_line_text(const jk_layout *layout, size_t page, size_t line,
                           char *buf, size_t buf_size)
{
    const jk__line *l = get_line(layout, page, line);
    if (!l) {
        if (buf && buf_size)
            buf[0] = '\0';
        return 0;
    }
    const jk__block *b = &layout->doc->blocks[l->block];
    if (!b->cps || l->end <= l->start) /* a drawn figure has no text */
        return jk__utf8_copy(NULL, 0, buf, buf_size);
    return jk__utf8_copy(b->cps + l->start, l->end - l->start, buf,
                         buf_size);
}

/* Page of each line is implied by the page table; walk both together. */
jk_status jk_layout_get_stats(const jk_layout *layout, jk_layout_stats *out)
{
    jk__clear_error(layout ? layout->doc->ctx : NULL);
    if (!layout || !out)
        return JK_ERR_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    const jk_settings *s = &layout->settings;
    size_t counted = 0;
    double sum = 0;
    for (size_t p = 0; p < layout->page_count; p++) {
        const jk__page *pg = &layout->pages[p];
        for (size_t i = 0; i < pg->line_count; i++) {
            const jk__line *l = &layout->lines[pg->first_line + i];
            out->lines++;
            out->hyphens += l->hyphenated;
            out->syllable_breaks += l->syllable_break;
            out->overfull += l->overfull;
            if (l->last)
                continue;
            counted++;
            sum += fabs(l->ratio);
            if (counted == 1 || l->ratio > out->max_ratio)
                out->max_ratio = l->ratio;
            out->loose_lines += l->ratio > 1;
            out->tight_lines += l->ratio < -0.5;
        }
        /* A block running over from this page to the next. */
        if (p + 1 >= layout->page_count || pg->line_count == 0)
            continue;
        const jk__page *next = &layout->pages[p + 1];
        size_t last = pg->first_line + pg->line_count - 1;
        if (next->line_count == 0 ||
            layout->lines[last].block != layout->lines[next->first_line].block)
            continue;
        uint32_t blk = layout->lines[last].block;
        size_t before = 0, after = 0;
        for (size_t i = last + 1; i-- > pg->first_line &&
                                  layout->lines[i].block == blk;)
            before++;
        for (size_t i = next->first_line;
             i < next->first_line + next->line_count &&
             layout->lines[i].block == blk;
             i++)
            after++;
        int widows = s->widows > 1 ? s->widows : 1;
        int orphans = s->orphans > 1 ? s->orphans : 1;
        out->widows += after < (size_t)widows;
        out->orphans += before < (size_t)orphans;
    }
    out->mean_abs_ratio = counted ? sum / counted : 0;
    return JK_OK;
}

size_t jk_layout_line_spans(const jk_layout *layout, size_t page,
                            size_t line, jk_span *out, size_t capacity)
{
    const jk__line *l = get_line(layout, page, line);
    if (!l || (!out && capacity))
        return 0;
    return jk__style_spans(&layout->doc->blocks[l->block], l->start, l->end,
                           out, capacity);
}

typedef struct figure_list {
    jk_figure_place *out;
    size_t capacity, count;
} figure_list;

static jk_status list_figure(void *user, const jk__figure_place *f)
{
    figure_list *fl = user;
    if (fl->count < fl->capacity) {
        int x = (int)lround(f->x), y = (int)lround(f->y);
        fl->out[fl->count] = (jk_figure_place){
            f->figure, x, y, (int)lround(f->x + f->w) - x,
            (int)lround(f->y + f->h) - y};
    }
    fl->count++;
    return JK_OK;
}

size_t jk_layout_page_figures(const jk_layout *layout, size_t page,
                              jk_figure_place *out, size_t capacity)
{
    if (!layout || page >= layout->page_count || (!out && capacity))
        return 0;
    figure_list fl = {out, capacity, 0};
    jk__page_figures(layout, page, list_figure, &fl);
    return fl.count;
}
