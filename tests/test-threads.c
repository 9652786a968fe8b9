/* Drawing from several threads (jk_drawer): every page of a layout drawn
 * by 4 threads at once, each with its own drawer, pages handed out in
 * turn, must equal byte for byte the same pages drawn on one thread
 * through the context — in every pixel format and rotation, with
 * dithering, darkening and a small glyph cache that evicts. Run under
 * ThreadSanitizer in CI (a data race fails it). Page counts on drawers:
 * 4 threads counting at once, while a fifth draws, give the counts of
 * one thread, and so does a count job shared by 4 threads. Also: the
 * drawer's contract (fonts frozen, another
 * context's layout and document refused). */
#include <pthread.h>
#include <stdint.h>

#include "testutil.h"

enum { THREADS = 4 };

typedef struct shared {
    const jk_layout *layout;
    jk_context *ctx;
    size_t pages;
    int width, height, stride;
    jk_pixel_format format;
    int rotation;
    const jk_render_options *ro;
    uint8_t **got;  /* per page, drawn by the threads */
    size_t next;    /* under lock */
    pthread_mutex_t lock;
    int errors;
} shared;

typedef struct worker {
    shared *sh;
    jk_drawer *drawer;
} worker;

static void *draw_pages(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        size_t p = sh->next++;
        pthread_mutex_unlock(&sh->lock);
        if (p >= sh->pages)
            break;
        jk_surface sf = {sh->got[p], sh->width, sh->height, sh->stride,
                         sh->format, sh->rotation};
        jk_rect dirty;
        if (jk_drawer_render_page(w->drawer, sh->layout, p, &sf, sh->ro,
                                  &dirty) != JK_OK) {
            pthread_mutex_lock(&sh->lock);
            sh->errors++;
            pthread_mutex_unlock(&sh->lock);
        }
    }
    return NULL;
}

/* Page counts at 8 sizes, with and without header and footer (which
 * shape text on the drawer's fonts), on a drawer of its own. */
enum { COUNTS = 16 };

typedef struct counter {
    jk_drawer *drawer;
    jk_document *doc;
    const jk_settings *const *settings;
    size_t pages[COUNTS];
    jk_status status;
} counter;

static void *count_pages(void *arg)
{
    counter *c = arg;
    c->status = jk_drawer_page_counts(c->drawer, c->doc, c->settings,
                                      COUNTS, c->pages);
    return NULL;
}

/* A slider's steps: scales 0.8 to 2.2 in eight steps, then the same with
 * header and footer (which shape text on the counting thread's fonts). */
static void slider_settings(jk_settings *st, const jk_settings **ptr,
                            int n)
{
    for (int i = 0; i < n; i++) {
        jk_settings_init(&st[i]);
        st[i].scale = 0.8 + 0.2 * (i % 8);
        st[i].header = st[i].footer = i >= 8;
        ptr[i] = &st[i];
    }
}

static void test_page_counts(jk_context *ctx, jk_document *doc,
                             const jk_layout *layout)
{
    jk_settings st[COUNTS];
    const jk_settings *ptr[COUNTS];
    slider_settings(st, ptr, COUNTS);
    size_t want[COUNTS];
    CHECK(jk_document_page_counts(doc, ptr, COUNTS, want) == JK_OK);
    counter c[THREADS];
    pthread_t t[THREADS + 1];
    worker drawing = {0};
    shared sh = {0};
    uint8_t *page = calloc(1, 2000 * 2000);
    sh.layout = layout;
    sh.pages = jk_layout_page_count(layout);
    sh.got = calloc(sh.pages, sizeof *sh.got);
    for (size_t p = 0; p < sh.pages && page; p++)
        sh.got[p] = page; /* drawn over and over: only the race counts */
    sh.width = sh.stride = 1072;
    sh.height = 1448;
    sh.format = JK_PIXEL_GRAY8;
    pthread_mutex_init(&sh.lock, NULL);
    drawing.sh = &sh;
    CHECK(page && sh.got && jk_drawer_create(ctx, &drawing.drawer) == JK_OK);
    for (int i = 0; i < THREADS; i++) {
        c[i] = (counter){NULL, doc, ptr, {0}, JK_ERR_INVALID_ARGUMENT};
        CHECK(jk_drawer_create(ctx, &c[i].drawer) == JK_OK);
    }
    CHECK(pthread_create(&t[THREADS], NULL, draw_pages, &drawing) == 0);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, count_pages, &c[i]) == 0);
    for (int i = 0; i <= THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK(sh.errors == 0);
    for (int i = 0; i < THREADS; i++) {
        CHECKF(c[i].status == JK_OK, "thread %d: %s", i,
               jk_drawer_errmsg(c[i].drawer));
        for (int k = 0; k < COUNTS; k++)
            CHECKF(c[i].pages[k] == want[k],
                   "thread %d, settings %d: %zu pages, not %zu", i, k,
                   c[i].pages[k], want[k]);
    }
    /* A bad settings is reported on the drawer, by index. */
    st[3].dpi = 0;
    CHECK(jk_drawer_page_counts(c[0].drawer, doc, ptr, COUNTS, want) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECKF(strstr(jk_drawer_errmsg(c[0].drawer), "settings 3: ") != NULL,
           "%s", jk_drawer_errmsg(c[0].drawer));
    CHECK(jk_drawer_page_counts(NULL, doc, ptr, 1, want) ==
          JK_ERR_INVALID_ARGUMENT);
    for (int i = 0; i < THREADS; i++)
        jk_drawer_destroy(c[i].drawer);
    jk_drawer_destroy(drawing.drawer);
    pthread_mutex_destroy(&sh.lock);
    free(sh.got);
    free(page);
}

static void compare(jk_context *ctx, const jk_layout *layout,
                    jk_pixel_format format, int rotation,
                    const jk_render_options *ro, const char *what)
{
    jk_settings st;
    jk_layout_get_settings(layout, &st);
    int w = rotation % 180 ? st.page_height : st.page_width;
    int h = rotation % 180 ? st.page_width : st.page_height;
    int stride = (int)jk_surface_row_bytes(format, w) + 3;
    size_t bytes = (size_t)stride * (size_t)h;
    shared sh = {layout, ctx, jk_layout_page_count(layout), w, h, stride,
                 format, rotation, ro, NULL, 0,
                 PTHREAD_MUTEX_INITIALIZER, 0};
    sh.got = calloc(sh.pages, sizeof *sh.got);
    uint8_t *want = calloc(1, bytes);
    for (size_t p = 0; p < sh.pages; p++)
        sh.got[p] = calloc(1, bytes);
    worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i].sh = &sh;
        CHECK(jk_drawer_create(ctx, &workers[i].drawer) == JK_OK);
    }
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, draw_pages, &workers[i]) ==
              0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    CHECKF(sh.errors == 0, "%s: %d pages failed", what, sh.errors);
    /* The same pages on one thread, through the context. */
    size_t differ = 0;
    for (size_t p = 0; p < sh.pages; p++) {
        memset(want, 0, bytes);
        jk_surface sf = {want, w, h, stride, format, rotation};
        CHECK(jk_layout_render_page_ex((jk_layout *)layout, p, &sf, ro,
                                       NULL) == JK_OK);
        differ += memcmp(want, sh.got[p], bytes) != 0;
        /* and a drawer alone draws them the same too */
    }
    CHECKF(differ == 0, "%s: %zu of %zu pages differ", what, differ,
           sh.pages);
    for (int i = 0; i < THREADS; i++)
        jk_drawer_destroy(workers[i].drawer);
    for (size_t p = 0; p < sh.pages; p++)
        free(sh.got[p]);
    free(sh.got);
    free(want);
}

/* A count job shared by 4 threads, a long document (many more pieces
 * than the job keeps in flight) at 17 settings in three runs: the counts
 * of jk_document_page_counts, and the same when finish does all the work
 * alone. Its errors: by index, the counts before them kept. */
typedef struct job_runner {
    jk_drawer *drawer;
    jk_count_job *job;
    jk_status status;
} job_runner;

static void *run_job(void *arg)
{
    job_runner *r = arg;
    r->status = jk_drawer_count_job_run(r->drawer, r->job);
    return NULL;
}

static void test_count_job(jk_context *ctx, const char *src, size_t n)
{
    enum { TIMES = 30, SETTINGS = 17 };
    char *big = malloc(n * TIMES + TIMES);
    size_t size = 0;
    for (int i = 0; big && i < TIMES; i++) {
        memcpy(big + size, src, n);
        size += n;
        big[size++] = '\n';
    }
    jk_document *doc = NULL;
    CHECK(big && jk_document_create_from_text(ctx, big, size, &doc) ==
                     JK_OK);
    jk_settings st[SETTINGS];
    const jk_settings *ptr[SETTINGS];
    slider_settings(st, ptr, SETTINGS);
    st[16].word_break = JK_WORD_BREAK_KEEP_ALL;
    size_t want[SETTINGS], got[SETTINGS], alone[SETTINGS];
    CHECK(jk_document_page_counts(doc, ptr, SETTINGS, want) == JK_OK);
    jk_count_job *job = NULL;
    CHECK(jk_count_job_create(doc, ptr, SETTINGS, &job) == JK_OK);
    job_runner r[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        r[i] = (job_runner){NULL, job, JK_ERR_INVALID_ARGUMENT};
        CHECK(jk_drawer_create(ctx, &r[i].drawer) == JK_OK);
        CHECK(pthread_create(&t[i], NULL, run_job, &r[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK(r[i].status == JK_OK);
    }
    CHECK(jk_count_job_finish(job, got) == JK_OK);
    CHECK(jk_count_job_finish(job, got) == JK_ERR_INVALID_ARGUMENT);
    jk_count_job_destroy(job);
    CHECK(jk_count_job_create(doc, ptr, SETTINGS, &job) == JK_OK);
    CHECK(jk_count_job_finish(job, alone) == JK_OK);
    jk_count_job_destroy(job);
    for (int k = 0; k < SETTINGS; k++)
        CHECKF(got[k] == want[k] && alone[k] == want[k],
               "settings %d: %zu pages on %d threads, %zu alone, not %zu",
               k, got[k], THREADS, alone[k], want[k]);
    CHECKF(want[0] > 100, "%zu pages only", want[0]);

    /* The second composed with the first cannot be paginated (its
     * header and footer leave no room): named, the first counted. */
    st[1].page_height = 200;
    st[1].header = st[1].footer = 1;
    got[0] = 0;
    got[1] = 12345;
    CHECK(jk_count_job_create(doc, ptr, 2, &job) == JK_OK);
    for (int i = 0; i < 2; i++) {
        r[i].job = job;
        CHECK(pthread_create(&t[i], NULL, run_job, &r[i]) == 0);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CHECK(jk_count_job_finish(job, got) == JK_ERR_INVALID_ARGUMENT);
    CHECKF(strncmp(jk_context_errmsg(ctx), "settings 1: ", 12) == 0, "%s",
           jk_context_errmsg(ctx));
    CHECK(got[0] == want[0] && got[1] == 12345);
    jk_count_job_destroy(job);
    /* refused by index when made; no job, nothing to run or finish */
    ptr[2] = NULL;
    job = (jk_count_job *)&got;
    CHECK(jk_count_job_create(doc, ptr, 3, &job) == JK_ERR_INVALID_ARGUMENT);
    CHECK(job == NULL);
    CHECK(strstr(jk_context_errmsg(ctx), "settings 2") != NULL);
    CHECK(jk_drawer_count_job_run(r[0].drawer, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_count_job_finish(NULL, got) == JK_ERR_INVALID_ARGUMENT);
    jk_count_job_destroy(NULL);
    /* a drawer of another context cannot take part */
    ptr[2] = &st[2];
    jk_context *other = NULL;
    jk_drawer *od = NULL;
    CHECK(jk_context_create(NULL, &other) == JK_OK &&
          jk_drawer_create(other, &od) == JK_OK);
    CHECK(jk_count_job_create(doc, ptr + 2, 1, &job) == JK_OK);
    CHECK(jk_drawer_count_job_run(od, job) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_count_job_finish(job, got) == JK_OK && got[0] == want[2]);
    jk_count_job_destroy(job);
    jk_drawer_destroy(od);
    jk_context_destroy(other);
    for (int i = 0; i < THREADS; i++)
        jk_drawer_destroy(r[i].drawer);
    jk_document_destroy(doc);
    free(big);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-threads FONT_DIR ARTICLE\n");
        return 2;
    }
    jk_context *ctx = tu_context(argv[1]);
    size_t n;
    char *src = tu_read_file(argv[2], &n);
    if (!ctx || !src)
        return 1;
    /* The drawer's contract first: it freezes the font set. */
    jk_drawer *d = NULL;
    CHECK(jk_drawer_create(ctx, &d) == JK_OK);
    jk_font_desc desc = {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0};
    CHECK(jk_context_add_font_memory(ctx, "x", 1, &desc) == JK_ERR_BUSY);
    CHECK(jk_drawer_create(NULL, &d) == JK_ERR_INVALID_ARGUMENT);
    jk_drawer_destroy(d);
    jk_drawer_destroy(NULL);

    jk_document *doc;
    CHECK(jk_document_create_from_text(ctx, src, n, &doc) == JK_OK);
    jk_settings st;
    jk_settings_init(&st);
    st.header = st.footer = 1;
    jk_layout *layout;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_OK);

    /* Another context's drawer cannot draw this layout. */
    jk_context *other = tu_context(argv[1]);
    jk_drawer *od = NULL;
    CHECK(other && jk_drawer_create(other, &od) == JK_OK);
    uint8_t px[64];
    jk_surface tiny = {px, 8, 8, 8, JK_PIXEL_GRAY8, 0};
    CHECK(jk_drawer_render_page(od, layout, 0, &tiny, NULL, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(*jk_drawer_errmsg(od) != '\0');
    const jk_settings *one[] = {&st};
    size_t counted;
    CHECK(jk_drawer_page_counts(od, doc, one, 1, &counted) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(strstr(jk_drawer_errmsg(od), "another context") != NULL);
    jk_drawer_destroy(od);
    jk_context_destroy(other);

    test_page_counts(ctx, doc, layout);
    test_count_job(ctx, src, n);

    jk_render_options ro;
    jk_render_options_init(&ro);
    compare(ctx, layout, JK_PIXEL_GRAY8, 0, &ro, "gray8");
    ro.gray_levels = 16;
    ro.dither = JK_DITHER_FS;
    ro.darken = 0.3;
    compare(ctx, layout, JK_PIXEL_GRAY4, 90, &ro, "gray4, 90 degrees, FS");
    jk_render_options_init(&ro);
    ro.dither = JK_DITHER_ORDERED;
    ro.gray_levels = 2;
    CHECK(jk_context_set_glyph_cache_budget(ctx, 20000) == JK_OK);
    compare(ctx, layout, JK_PIXEL_MONO1, 270, &ro, "mono, 270, small cache");
    jk_render_options_init(&ro);
    ro.invert = 1;
    compare(ctx, layout, JK_PIXEL_RGB565, 180, &ro, "rgb565, 180, night");

    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    free(src);
    return tu_finish("threads");
}
