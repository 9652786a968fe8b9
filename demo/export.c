/* jikji render — the PNG export: pages drawn on every core (a drawer and
 * a page buffer a thread, pages handed out one at a time), each written
 * to its own file, so the files are the same whatever the thread count.
 * A progress line goes to standard error when it is a terminal. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* A highlight over rectangle `r` of an 8-bit page: the paper turns a
 * quarter darker (lighter in night mode) and the ink stays; with two gray
 * levels, where a shade would round away, the rectangle is inverted. */
static void shade(const jk_surface *sf, const jk_rect *r,
                  const jk_render_options *ro)
{
    int x0 = r->x < 0 ? 0 : r->x, y0 = r->y < 0 ? 0 : r->y;
    int x1 = r->x + r->width, y1 = r->y + r->height;
    if (x1 > sf->width)
        x1 = sf->width;
    if (y1 > sf->height)
        y1 = sf->height;
    for (int y = y0; y < y1; y++) {
        uint8_t *row = sf->pixels + (size_t)y * (size_t)sf->stride;
        for (int x = x0; x < x1; x++) {
            int v = row[x];
            if (ro->gray_levels == 2)
                v = 255 - v;
            else if (ro->invert)
                v = 255 - (255 - v) * 3 / 4;
            else
                v = v * 3 / 4;
            row[x] = (uint8_t)v;
        }
    }
}

typedef struct page_rects {
    jk_rect *rects;
    size_t count;
} page_rects;

enum { MESSAGE = 4096 + 1024 }; /* a file name and why */

typedef struct worker {
    const export_job *job;
    jk_drawer *drawer;      /* NULL: the context itself (one thread) */
    const page_rects *highlights; /* by page - job->first, or NULL */
    atomic_size_t *next;    /* the next page to draw */
    atomic_size_t *done;
    atomic_int *failed;
    pthread_mutex_t *lock;  /* for the first message */
    char *message;          /* MESSAGE bytes */
    pthread_t thread;
} worker;

static void record(worker *w, const char *fmt, const char *a, const char *b)
{
    pthread_mutex_lock(w->lock);
    if (!atomic_load(w->failed))
        snprintf(w->message, MESSAGE, fmt, a, b);
    atomic_store(w->failed, 1);
    pthread_mutex_unlock(w->lock);
}

static void *work(void *arg)
{
    worker *w = arg;
    const export_job *job = w->job;
    const jk_settings *st = job->settings;
    size_t stride = (size_t)st->page_width;
    uint8_t *pixels = calloc((size_t)st->page_height, stride);
    if (!pixels) {
        record(w, "%s%s", "out of memory", "");
        return NULL;
    }
    jk_surface sf = {pixels, st->page_width, st->page_height, (int)stride,
                     JK_PIXEL_GRAY8, 0};
    for (;;) {
        size_t p = atomic_fetch_add(w->next, 1);
        if (p >= job->last || atomic_load(w->failed))
            break;
        jk_status s =
            w->drawer
                ? jk_drawer_render_page(w->drawer, job->layout, p, &sf,
                                        job->render, NULL)
                : jk_layout_render_page_ex((jk_layout *)job->layout, p, &sf,
                                           job->render, NULL);
        const char *why = w->drawer ? jk_drawer_errmsg(w->drawer)
                                    : jk_context_errmsg(job->ctx);
        char name[4096];
        format_pattern(job->pattern, (int)p + 1, name, sizeof name);
        if (s != JK_OK) {
            record(w, "%s: %s", name, why);
            break;
        }
        if (w->highlights) {
            const page_rects *h = &w->highlights[p - job->first];
            for (size_t i = 0; i < h->count; i++)
                shade(&sf, &h->rects[i], job->render);
        }
        FILE *fp = fopen(name, "wb");
        if (!fp) {
            record(w, "cannot write %s: %s", name, strerror(errno));
            break;
        }
        s = w->drawer ? jk_drawer_write_png(w->drawer, &sf, job->png,
                                            write_file, fp)
                      : jk_surface_write_png_ex(job->ctx, &sf, job->png,
                                                write_file, fp);
        why = w->drawer ? jk_drawer_errmsg(w->drawer)
                        : jk_context_errmsg(job->ctx);
        if (fclose(fp) != 0 && s == JK_OK)
            s = JK_ERR_IO, why = "cannot close it";
        if (s != JK_OK) {
            record(w, "cannot write %s: %s", name, why);
            break;
        }
        atomic_fetch_add(w->done, 1);
    }
    free(pixels);
    return NULL;
}

/* The highlight's rectangles on every page exported, gathered before the
 * threads start (the layout answers queries on one thread). */
static page_rects *gather_highlights(const export_job *job)
{
    size_t n = job->last - job->first;
    page_rects *h = calloc(n ? n : 1, sizeof *h);
    if (!h)
        return NULL;
    for (size_t p = job->first; p < job->last; p++) {
        size_t count = 0;
        jk_layout_range_rects(job->layout, p, job->highlight[0],
                              job->highlight[1], NULL, 0, &count);
        page_rects *r = &h[p - job->first];
        if (!count)
            continue;
        r->rects = malloc(count * sizeof *r->rects);
        if (!r->rects) {
            for (size_t i = 0; i < n; i++)
                free(h[i].rects);
            free(h);
            return NULL;
        }
        jk_layout_range_rects(job->layout, p, job->highlight[0],
                              job->highlight[1], r->rects, count, &r->count);
    }
    return h;
}

int export_pages(const export_job *job)
{
    int threads = job->threads > 0 ? job->threads : 1;
    size_t pages = job->last - job->first;
    if ((size_t)threads > pages)
        threads = pages ? (int)pages : 1;
    page_rects *highlights = NULL;
    if (job->highlight && !(highlights = gather_highlights(job)))
        return fail_runtime("out of memory");
    atomic_size_t next = job->first, done = 0;
    atomic_int failed = 0;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    char message[MESSAGE] = "";
    worker *w = calloc((size_t)threads, sizeof *w);
    int rc = w ? 0 : fail_runtime("out of memory");
    int started = 0;
    for (int i = 0; i < threads && !rc; i++) {
        w[i] = (worker){job, NULL, highlights, &next, &done, &failed, &lock,
                        message, 0};
        /* One thread draws on the context, as ever; more each take a
         * drawer. */
        if (threads > 1 && jk_drawer_create(job->ctx, &w[i].drawer) != JK_OK)
            rc = fail_runtime("%s", jk_context_errmsg(job->ctx));
    }
    bool progress = isatty(STDERR_FILENO) && pages > 1;
    for (int i = 0; i < threads && !rc; i++) {
        if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
            atomic_store(&failed, 1);
            snprintf(message, sizeof message, "cannot start a thread");
            break;
        }
        started++;
    }
    /* The progress line, while the threads draw. */
    while (progress && started && !atomic_load(&failed) &&
           atomic_load(&done) < pages) {
        fprintf(stderr, "\rjikji: page %zu of %zu", atomic_load(&done),
                pages);
        struct timespec nap = {0, 100 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    for (int i = 0; i < started; i++)
        pthread_join(w[i].thread, NULL);
    if (progress && started)
        fprintf(stderr, "\r%*s\r", 40, "");
    for (int i = 0; w && i < threads; i++)
        jk_drawer_destroy(w[i].drawer);
    free(w);
    if (highlights) {
        for (size_t i = 0; i < pages; i++)
            free(highlights[i].rects);
        free(highlights);
    }
    if (!rc && atomic_load(&failed))
        rc = fail_runtime("%s", message);
    return rc;
}
