/* jikji preview — the font-size contact sheet: the page holding one
 * place of the article (or a sample text) at each size step, side by
 * side in one PNG, each labelled with its scale, size and the article's
 * page count at that size. Everything on the sheet, labels included, is
 * set and drawn by the library. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A sheet: 8-bit gray, rows `w` bytes apart. */
typedef struct sheet {
    uint8_t *px;
    int w, h;
} sheet;

enum { PAPER = 255, FRAME = 136 };

static const char builtin_sample[] =
    "가장 빠른 뉴스가 있고 다양한 정보, 쌍방향 소통이 숨쉬는 다음뉴스를 "
    "만나보세요. 인공지능(AI) 챗봇 ‘그록’은 2023년 11월 공개됐다. "
    "The quick brown fox jumps over the lazy dog: 0123456789.";

static void fill(sheet *s, int x, int y, int w, int h, uint8_t v)
{
    for (int r = y < 0 ? 0 : y; r < y + h && r < s->h; r++)
        for (int c = x < 0 ? 0 : x; c < x + w && c < s->w; c++)
            s->px[(size_t)r * (size_t)s->w + (size_t)c] = v;
}

/* A one-pixel frame just outside the box. */
static void frame(sheet *s, int x, int y, int w, int h)
{
    fill(s, x - 1, y - 1, w + 2, 1, FRAME);
    fill(s, x - 1, y + h, w + 2, 1, FRAME);
    fill(s, x - 1, y, 1, h, FRAME);
    fill(s, x + w, y, 1, h, FRAME);
}

/* Weights of an area-averaging resampler along one axis: destination
 * pixel d covers source [d * n / m, (d + 1) * n / m); each source pixel
 * counts by how much of it lies inside. */
typedef struct taps {
    int *first, *count;
    float *w; /* `per` weights a destination pixel */
    int per;
} taps;

static int taps_make(taps *t, int n, int m)
{
    double f = (double)n / m;
    t->per = (int)ceil(f) + 1;
    t->first = malloc(sizeof *t->first * (size_t)m);
    t->count = malloc(sizeof *t->count * (size_t)m);
    t->w = malloc(sizeof *t->w * (size_t)m * (size_t)t->per);
    if (!t->first || !t->count || !t->w)
        return -1;
    for (int d = 0; d < m; d++) {
        double a = d * f, b = (d + 1) * f;
        int i0 = (int)floor(a), k = 0;
        t->first[d] = i0;
        for (int i = i0; i < n && i < b && k < t->per; i++) {
            double lo = a > i ? a : i, hi = b < i + 1 ? b : i + 1;
            t->w[(size_t)d * (size_t)t->per + (size_t)k++] =
                (float)((hi - lo) / f);
        }
        t->count[d] = k;
    }
    return 0;
}

static void taps_free(taps *t)
{
    free(t->first);
    free(t->count);
    free(t->w);
}

/* Scale a gray image of sw x sh (rows sstride apart) to dw x dh at
 * (dx, dy) of the sheet, averaging areas. */
static int resample(const uint8_t *src, int sw, int sh, size_t sstride,
                    sheet *dst, int dx, int dy, int dw, int dh)
{
    taps tx = {0}, ty = {0};
    float *rows = malloc(sizeof *rows * (size_t)dw * (size_t)sh);
    int rc = -1;
    if (!rows || taps_make(&tx, sw, dw) || taps_make(&ty, sh, dh))
        goto done;
    for (int y = 0; y < sh; y++) {
        const uint8_t *in = src + (size_t)y * sstride;
        float *out = rows + (size_t)y * (size_t)dw;
        for (int x = 0; x < dw; x++) {
            const float *w = tx.w + (size_t)x * (size_t)tx.per;
            const uint8_t *p = in + tx.first[x];
            float v = 0;
            for (int k = 0; k < tx.count[x]; k++)
                v += w[k] * p[k];
            out[x] = v;
        }
    }
    for (int y = 0; y < dh && dy + y < dst->h; y++) {
        uint8_t *out = dst->px + (size_t)(dy + y) * (size_t)dst->w + dx;
        const float *w = ty.w + (size_t)y * (size_t)ty.per;
        for (int x = 0; x < dw && dx + x < dst->w; x++) {
            float v = 0;
            for (int k = 0; k < ty.count[y]; k++)
                v += w[k] * rows[(size_t)(ty.first[y] + k) * (size_t)dw +
                                 (size_t)x];
            out[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f);
        }
    }
    rc = 0;
done:
    free(rows);
    taps_free(&tx);
    taps_free(&ty);
    return rc;
}

/* Settings for text on the sheet itself: `px` pixels, `width` wide, no
 * margins, ragged. */
static void sheet_text_settings(jk_settings *s, int width, double px)
{
    jk_settings_init(s);
    s->page_width = width;
    s->dpi = 72; /* so points are pixels */
    s->font_size_pt = px;
    s->margin_left = s->margin_right = 0;
    s->line_height = 1.4;
    s->align = JK_ALIGN_LEFT;
    s->hyphenate = 0;
}

/* Set `text` on the sheet at (x, y), `width` wide; with `to` NULL only
 * measure. Returns its height, or -1 after the message. */
static int sheet_text(jk_context *ctx, sheet *to, int x, int y, int width,
                      double px, const char *text)
{
    jk_settings s;
    sheet_text_settings(&s, width, px);
    int h = 0;
    jk_surface sf = {0};
    if (to) {
        sf.pixels = to->px + (size_t)y * (size_t)to->w + (size_t)x;
        sf.width = width;
        sf.height = to->h - y;
        sf.stride = to->w;
        sf.format = JK_PIXEL_GRAY8;
    }
    if (jk_context_render_sample(ctx, text, strlen(text), &s, NULL,
                                 to ? &sf : NULL, &h) != JK_OK) {
        fail_runtime("label: %s", jk_context_errmsg(ctx));
        return -1;
    }
    return h;
}

/* "12.5", "8", "1.25": a number without trailing zeros. */
static void number(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.2f", v);
    char *p = buf + strlen(buf);
    while (p > buf && p[-1] == '0')
        *--p = '\0';
    if (p > buf && p[-1] == '.')
        p[-1] = '\0';
}

/* The settings of step i. */
static void step_settings(const jk_settings *base, const preview_request *rq,
                          size_t i, jk_settings *out)
{
    *out = *base;
    if (rq->font_sizes)
        out->font_size_pt = rq->steps[i];
    else
        out->scale = rq->steps[i];
}

/* "×1.25 · 12.5 pt · 14쪽" (without the scale for --font-sizes, without
 * pages when there is no article). */
static void label_text(char *buf, size_t n, const preview_request *rq,
                       const jk_settings *s, const size_t *pages)
{
    char scale[32], pt[32];
    number(scale, sizeof scale, s->scale);
    number(pt, sizeof pt, s->font_size_pt * s->scale);
    int len = rq->font_sizes ? snprintf(buf, n, "%s pt", pt)
                             : snprintf(buf, n, "×%s · %s pt", scale, pt);
    if (pages && len >= 0 && (size_t)len < n)
        snprintf(buf + len, n - (size_t)len, " · %zu쪽", *pages);
}

/* The sheet's heading: the article's title and the page it shows. */
static void heading_text(char *buf, size_t n, const jk_document *doc,
                         const jk_settings *base, const preview_request *rq)
{
    char pt[32];
    number(pt, sizeof pt, base->font_size_pt);
    char title[512] = "";
    jk_block_info bi;
    if (doc && jk_document_get_block(doc, 0, &bi) == JK_OK &&
        bi.kind == JK_BLOCK_TITLE)
        jk_document_block_text(doc, 0, title, sizeof title);
    snprintf(buf, n, "%s%s%d × %d px · %d ppi · 본문 %s pt · %zu단계",
             title, *title ? "\n" : "", base->page_width, base->page_height,
             base->dpi, pt, rq->step_count);
}

/* The geometry of a sheet. */
typedef struct grid {
    double factor;    /* sheet pixels a page pixel */
    int gutter;
    int panel_w;      /* a page (or strip) on the sheet */
    int columns, rows;
    double label_px;  /* label text size */
    int label_h, heading_h;
} grid;

static void grid_make(grid *g, const jk_settings *base,
                      const preview_request *rq)
{
    size_t n = rq->step_count;
    bool sample = rq->sample != NULL;
    g->columns = sample ? 1 : rq->columns ? rq->columns : n < 4 ? (int)n : 4;
    if ((size_t)g->columns > n)
        g->columns = (int)n;
    g->rows = (int)((n + (size_t)g->columns - 1) / (size_t)g->columns);
    if (rq->sheet_width > 0) {
        g->gutter = rq->sheet_width / (23 * g->columns + 1);
        if (g->gutter < 6)
            g->gutter = 6;
        g->panel_w = (rq->sheet_width - (g->columns + 1) * g->gutter) /
                     g->columns;
    } else {
        g->panel_w = sample ? base->page_width : (base->page_width + 1) / 2;
        g->gutter = g->panel_w / 22 < 6 ? 6 : g->panel_w / 22;
    }
    if (g->panel_w < 16)
        g->panel_w = 16;
    g->factor = (double)g->panel_w / base->page_width;
    /* Labels a 24th of a panel; beside a sample strip, three quarters of
     * the body size. */
    g->label_px = fmax(11, g->panel_w / 24.0);
    if (sample)
        g->label_px = fmax(11, 0.75 * g->factor * base->font_size_pt *
                                   base->scale * base->dpi / 72);
}

/* A panel of the sheet: where it goes and what it shows. */
typedef struct panel {
    jk_layout *layout; /* its step's (pages), or NULL (samples) */
    size_t page;
    int x, top, width, src_h, dst_h;
} panel;

/* The drawn page in `px` (the device's width, src_h rows) averaged down
 * into the panel's place, framed. Nonzero when memory ran out. */
static int draw_panel(const panel *pn, const uint8_t *px,
                      const jk_settings *base, sheet *sh)
{
    if (pn->src_h > 0 && pn->dst_h > 0 &&
        resample(px, base->page_width, pn->src_h, (size_t)base->page_width,
                 sh, pn->x, pn->top, pn->width, pn->dst_h))
        return -1;
    frame(sh, pn->x, pn->top, pn->width, pn->dst_h);
    return 0;
}

/* The panels' pages drawn by `threads` threads, a drawer each (one
 * thread: the context), panels handed out in turn; each writes only its
 * own place on the sheet. */
typedef struct panel_job {
    jk_context *ctx;
    panel *panels;
    size_t count;
    const jk_settings *base;
    const jk_render_options *ro;
    sheet *sh;
    atomic_size_t next;
    atomic_int failed;
} panel_job;

typedef struct panel_worker {
    panel_job *job;
    jk_drawer *drawer;
    pthread_t thread;
    char message[256];
} panel_worker;

static void *draw_panels_thread(void *arg)
{
    panel_worker *w = arg;
    panel_job *j = w->job;
    const jk_settings *b = j->base;
    uint8_t *px = malloc((size_t)b->page_width * (size_t)b->page_height);
    if (!px) {
        snprintf(w->message, sizeof w->message, "out of memory");
        atomic_store(&j->failed, 1);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->count || atomic_load(&j->failed))
            break;
        panel *pn = &j->panels[i];
        jk_surface sf = {px, b->page_width, b->page_height, b->page_width,
                         JK_PIXEL_GRAY8, 0};
        jk_status s = w->drawer
                          ? jk_drawer_render_page(w->drawer, pn->layout,
                                                  pn->page, &sf, j->ro, NULL)
                          : jk_layout_render_page_ex(pn->layout, pn->page,
                                                     &sf, j->ro, NULL);
        if (s != JK_OK || draw_panel(pn, px, b, j->sh)) {
            snprintf(w->message, sizeof w->message, "step %zu: %s", i + 1,
                     s != JK_OK ? (w->drawer ? jk_drawer_errmsg(w->drawer)
                                             : jk_context_errmsg(j->ctx))
                                : "out of memory");
            atomic_store(&j->failed, 1);
            break;
        }
    }
    free(px);
    return NULL;
}

static int draw_panels(jk_context *ctx, panel *panels, size_t n,
                       const jk_settings *base, const jk_render_options *ro,
                       sheet *sh, int threads)
{
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > n)
        threads = n ? (int)n : 1;
    panel_job job = {ctx, panels, n, base, ro, sh, 0, 0};
    panel_worker *w = calloc((size_t)threads, sizeof *w);
    if (!w)
        return fail_runtime("out of memory");
    int rc = 0, started = 0;
    for (int i = 0; i < threads && !rc; i++) {
        w[i].job = &job;
        if (threads > 1 && jk_drawer_create(ctx, &w[i].drawer) != JK_OK)
            rc = fail_runtime("%s", jk_context_errmsg(ctx));
    }
    for (int i = 0; i < threads && !rc; i++) {
        if (pthread_create(&w[i].thread, NULL, draw_panels_thread, &w[i])) {
            rc = fail_runtime("cannot start a thread");
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++)
        pthread_join(w[i].thread, NULL);
    for (int i = 0; i < threads; i++) {
        if (!rc && w[i].message[0])
            rc = fail_runtime("%s", w[i].message);
        jk_drawer_destroy(w[i].drawer);
    }
    free(w);
    return rc;
}

int preview(jk_context *ctx, jk_document *doc, const jk_settings *base,
            const jk_render_options *ro, const jk_png_options *po,
            const preview_request *rq)
{
    size_t n = rq->step_count;
    jk_settings *steps = calloc(n, sizeof *steps);
    const jk_settings **ptrs = calloc(n, sizeof *ptrs);
    size_t *pages = calloc(n, sizeof *pages);
    size_t *shown = calloc(n, sizeof *shown);
    int *strip_h = calloc(n, sizeof *strip_h);
    uint8_t *page_px = NULL;
    panel *panels = NULL;
    sheet sh = {0};
    FILE *fp = NULL;
    int rc = 0;
    if (!steps || !ptrs || !pages || !shown || !strip_h) {
        rc = fail_runtime("out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        step_settings(base, rq, i, &steps[i]);
        ptrs[i] = &steps[i];
    }
    /* The page counts of every step in one call: the labels need them
     * before any page is drawn. */
    if (doc) {
        jk_status s = jk_document_page_counts(doc, ptrs, n, pages);
        if (s == JK_ERR_INVALID_ARGUMENT) {
            rc = fail_usage("%s", jk_context_errmsg(ctx));
            goto done;
        } else if (s != JK_OK) {
            rc = fail_runtime("%s", jk_context_errmsg(ctx));
            goto done;
        }
    }

    grid g;
    grid_make(&g, base, rq);
    char text[1024];
    heading_text(text, sizeof text, doc, base, rq);
    int width = g.columns * g.panel_w + (g.columns - 1) * g.gutter;
    g.heading_h = sheet_text(ctx, NULL, 0, 0, width, g.label_px * 1.2, text);
    g.label_h = 0;
    for (size_t i = 0; i < n && g.heading_h >= 0; i++) {
        char label[256];
        label_text(label, sizeof label, rq, &steps[i], doc ? &pages[i] : NULL);
        int h = sheet_text(ctx, NULL, 0, 0, g.panel_w, g.label_px, label);
        if (h < 0) {
            g.heading_h = -1;
            break;
        }
        if (h > g.label_h)
            g.label_h = h;
    }
    if (g.heading_h < 0) {
        rc = EXIT_RUNTIME;
        goto done;
    }

    /* Each panel's height: the page turned to sheet pixels, or the
     * sample's own height there. */
    int panel_h = (int)lround(base->page_height * g.factor);
    long total_h = g.gutter + g.heading_h + g.gutter;
    if (rq->sample) {
        for (size_t i = 0; i < n; i++) {
            if (jk_context_render_sample(ctx, rq->sample, strlen(rq->sample),
                                         &steps[i], ro, NULL,
                                         &strip_h[i]) != JK_OK) {
                rc = fail_usage("%s", jk_context_errmsg(ctx));
                goto done;
            }
            total_h += g.label_h + (long)lround(strip_h[i] * g.factor) +
                       g.gutter;
        }
    } else {
        total_h += (long)g.rows * (g.label_h + panel_h + g.gutter);
    }
    sh.w = rq->sheet_width > 0 ? rq->sheet_width : width + 2 * g.gutter;
    if (total_h > 32768 || sh.w > 32768) {
        rc = fail_usage("a sheet of %d x %ld pixels is too large: fewer "
                        "steps or a smaller --sheet-width", sh.w, total_h);
        goto done;
    }
    sh.h = (int)total_h;
    sh.px = malloc((size_t)sh.w * (size_t)sh.h);
    if (!sh.px) {
        rc = fail_runtime("out of memory");
        goto done;
    }
    memset(sh.px, PAPER, (size_t)sh.w * (size_t)sh.h);
    if (sheet_text(ctx, &sh, g.gutter, g.gutter, width, g.label_px * 1.2,
                   text) < 0) {
        rc = EXIT_RUNTIME;
        goto done;
    }

    /* One page buffer, drawn at the device's own size, then averaged
     * down to the panel. */
    size_t tallest = (size_t)base->page_height;
    for (size_t i = 0; rq->sample && i < n; i++)
        if ((size_t)strip_h[i] > tallest)
            tallest = (size_t)strip_h[i];
    page_px = malloc((size_t)base->page_width * tallest);
    if (!page_px) {
        rc = fail_runtime("out of memory");
        goto done;
    }
    int y = g.gutter + g.heading_h + g.gutter;
    panels = calloc(n, sizeof *panels);
    if (!panels) {
        rc = fail_runtime("out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int col = (int)(i % (size_t)g.columns);
        int x = g.gutter + col * (g.panel_w + g.gutter);
        if (col == 0 && i > 0 && !rq->sample)
            y += g.label_h + panel_h + g.gutter;
        char label[256];
        label_text(label, sizeof label, rq, &steps[i], doc ? &pages[i] : NULL);
        if (sheet_text(ctx, &sh, x, y, g.panel_w, g.label_px, label) < 0) {
            rc = EXIT_RUNTIME;
            goto done;
        }
        panel *pn = &panels[i];
        pn->x = x;
        pn->top = y + g.label_h;
        pn->width = g.panel_w;
        pn->src_h = rq->sample ? strip_h[i] : base->page_height;
        pn->dst_h = rq->sample ? (int)lround(strip_h[i] * g.factor) : panel_h;
        jk_status s = JK_OK;
        if (rq->sample) {
            /* samples are set and drawn here, on the context: small */
            jk_surface sf = {page_px, base->page_width, pn->src_h,
                             base->page_width, JK_PIXEL_GRAY8, 0};
            s = jk_context_render_sample(ctx, rq->sample, strlen(rq->sample),
                                         &steps[i], ro, &sf, NULL);
            if (s == JK_OK && draw_panel(pn, page_px, base, &sh))
                s = JK_ERR_NOMEM;
            y += g.label_h + pn->dst_h + g.gutter;
        } else {
            /* each step a layout of its own, drawn below on every core */
            s = jk_layout_create(doc, &steps[i], &pn->layout);
            size_t line;
            if (s == JK_OK)
                s = jk_layout_locate(pn->layout, rq->at, &shown[i], &line);
            if (s == JK_ERR_RANGE) /* no lines at all: the first page */
                s = JK_OK, shown[i] = 0;
            pn->page = shown[i];
        }
        if (s != JK_OK) {
            rc = fail_runtime("step %zu: %s", i + 1,
                              s == JK_ERR_NOMEM ? "out of memory"
                                                : jk_context_errmsg(ctx));
            goto done;
        }
    }
    if (!rq->sample && (rc = draw_panels(ctx, panels, n, base, ro, &sh,
                                         rq->threads)) != 0)
        goto done;

    fp = fopen(rq->output, "wb");
    if (!fp) {
        rc = fail_runtime("cannot write %s", rq->output);
        goto done;
    }
    jk_png_options sheet_po = *po;
    sheet_po.dpi = (int)lround(base->dpi * g.factor);
    sheet_po.title = "jikji preview";
    jk_surface out = {sh.px, sh.w, sh.h, sh.w, JK_PIXEL_GRAY8, 0};
    jk_status s = jk_surface_write_png_ex(ctx, &out, &sheet_po, write_file,
                                          fp);
    if (fclose(fp) != 0 && s == JK_OK)
        s = JK_ERR_IO;
    fp = NULL;
    if (s != JK_OK) {
        rc = fail_runtime("cannot write %s: %s", rq->output,
                          jk_context_errmsg(ctx));
        goto done;
    }
    printf("# scale pt pages page\n");
    for (size_t i = 0; i < n; i++) {
        char scale[32], pt[32];
        number(scale, sizeof scale, steps[i].scale);
        number(pt, sizeof pt, steps[i].font_size_pt * steps[i].scale);
        if (doc && !rq->sample)
            printf("%s %s %zu %zu\n", scale, pt, pages[i], shown[i] + 1);
        else if (doc)
            printf("%s %s %zu -\n", scale, pt, pages[i]);
        else
            printf("%s %s - -\n", scale, pt);
    }
done:
    if (fp)
        fclose(fp);
    for (size_t i = 0; panels && i < n; i++)
        jk_layout_destroy(panels[i].layout);
    free(panels);
    free(page_px);
    free(sh.px);
    free(strip_h);
    free(shown);
    free(pages);
    free(ptrs);
    free(steps);
    return rc;
}

const char *preview_builtin_sample(void)
{
    return builtin_sample;
}
