/* jikji-bench: how fast a page of an article is drawn.
 *
 *   jikji-bench FONT_DIR ARTICLE [PAGE]
 *
 * Median times, on a Kobo Clara page (1072x1448 GRAY8, 300 dpi, 10 pt):
 * drawing with a warm glyph cache, with a cold one, drawing and encoding
 * PNG at several zlib levels, the whole pipeline from the article's bytes
 * to a PNG, and, when `mutool` (Debian's mupdf-tools) is installed, the
 * same article as HTML drawn by `mutool draw` at the same page and font
 * size, in the same run; the font-size preview (the contact sheet, page
 * counts at eight sizes). Not a test: figures vary with the machine. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jikji.h"

#define PAGE_W 1072
#define PAGE_H 1448
#define DPI 300
#define FONT_PT 10.0

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *size = n > 0 ? (size_t)n : 0;
    return buf;
}

typedef struct sink {
    unsigned char *data;
    size_t size, cap;
} sink;

static int sink_write(void *user, const void *data, size_t size)
{
    sink *s = user;
    if (s->size + size > s->cap) {
        size_t cap = (s->size + size) * 2;
        unsigned char *d = realloc(s->data, cap);
        if (!d)
            return -1;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->size, data, size);
    s->size += size;
    return 0;
}

/* Runs of zero-width break candidates (word joiners, BOMs, soft hyphens,
 * soft hyphen + zero-width space pairs) inside a word: total fit sees
 * every one of them at the same pen position. Read, shape and lay out at
 * 256 KB and 1 MB; linear time means about 4x between the two. */
static void bench_zero_width(jk_context *ctx)
{
    static const struct {
        const char *name, *unit;
    } runs[] = {{"U+2060 word joiners", "\xe2\x81\xa0"},
                {"U+FEFF", "\xef\xbb\xbf"},
                {"U+00AD soft hyphens", "\xc2\xad"},
                {"U+00AD U+200B pairs", "\xc2\xad\xe2\x80\x8b"}};
    static const size_t sizes[] = {256u << 10, 1u << 20};
    jk_settings st;
    jk_settings_init(&st);
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        double ms[2] = {0, 0};
        for (size_t k = 0; k < 2; k++) {
            size_t unit = strlen(runs[r].unit), n = 0;
            char *text = malloc(sizes[k] + 128);
            if (!text)
                return;
            n += (size_t)sprintf(text, "T\n\n%s", "xxxxxxxxxxxxxxxxxxxxxxxxx");
            while (n + unit + 32 < sizes[k]) {
                memcpy(text + n, runs[r].unit, unit);
                n += unit;
            }
            n += (size_t)sprintf(text + n, "xxxxxxxxxxxxxxxxxxxxxxxxx\n");
            double t[3];
            for (int i = 0; i < 3; i++) {
                jk_document *doc = NULL;
                jk_layout *layout = NULL;
                double t0 = now_ms();
                if (jk_document_create_from_text(ctx, text, n, &doc) == JK_OK)
                    jk_layout_create(doc, &st, &layout);
                t[i] = now_ms() - t0;
                jk_layout_destroy(layout);
                jk_document_destroy(doc);
            }
            ms[k] = median(t, 3);
            free(text);
        }
        printf("zero-width run, %-22s read + shape + lay out: 256 KB "
               "%7.1f ms, 1 MB %7.1f ms (x%.1f)\n", runs[r].name, ms[0],
               ms[1], ms[0] > 0 ? ms[1] / ms[0] : 0);
    }
}

/* The bench's page: a Kobo Clara at 300 dpi, 10 pt. */
static void bench_settings(jk_settings *st)
{
    jk_settings_init(st);
    st->page_width = PAGE_W;
    st->page_height = PAGE_H;
    st->dpi = DPI;
    st->font_size_pt = FONT_PT;
}

typedef struct pipeline {
    jk_context *ctx;
    jk_document *doc;
    jk_layout *layout;
} pipeline;

static int open_pipeline(pipeline *p, const char *fonts, const char *text,
                         size_t size)
{
    memset(p, 0, sizeof *p);
    jk_settings st;
    bench_settings(&st);
    if (jk_context_create(NULL, &p->ctx) != JK_OK ||
        jk_context_add_bundled_fonts(p->ctx, fonts) != JK_OK ||
        jk_document_create_from_text(p->ctx, text, size, &p->doc) != JK_OK ||
        jk_layout_create(p->doc, &st, &p->layout) != JK_OK)
        return -1;
    return 0;
}

static void close_pipeline(pipeline *p)
{
    jk_layout_destroy(p->layout);
    jk_document_destroy(p->doc);
    jk_context_destroy(p->ctx);
}

/* The article as HTML for mutool: title, byline, headings, paragraphs. */
static int write_html(const jk_document *doc, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fprintf(fp, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                "<style>@page{margin:0.22in} body{margin:0;"
                "line-height:1.7;text-align:justify}</style></head><body>\n");
    for (size_t i = 0; i < jk_document_block_count(doc); i++) {
        jk_block_info bi;
        jk_document_get_block(doc, i, &bi);
        size_t n = jk_document_block_text(doc, i, NULL, 0);
        char *t = malloc(n + 1);
        if (!t)
            break;
        jk_document_block_text(doc, i, t, n + 1);
        const char *tag = bi.kind == JK_BLOCK_TITLE     ? "h1"
                          : bi.kind == JK_BLOCK_HEADING ? "h2"
                                                        : "p";
        fprintf(fp, "<%s>", tag);
        for (char *c = t; *c; c++) {
            if (*c == '<')
                fputs("&lt;", fp);
            else if (*c == '&')
                fputs("&amp;", fp);
            else
                fputc(*c, fp);
        }
        fprintf(fp, "</%s>\n", tag);
        free(t);
    }
    fputs("</body></html>\n", fp);
    return fclose(fp);
}

/* Peak resident memory of the last command timed, KB, as wait4 reports
 * it: at least this process's own size (see measure). */
static long last_peak_kb;

/* Wall time of one command, in ms; negative on failure. */
static double time_command(char *const argv[])
{
    fflush(NULL); /* or the child writes our buffered lines again */
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *null = freopen("/dev/null", "w", stderr);
        null = freopen("/dev/null", "w", stdout);
        (void)null;
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    last_peak_kb = ru.ru_maxrss;
    return now_ms() - t0;
}

/* Median wall time of `runs` runs of a command, ms; negative on failure. */
static double median_command(char *const argv[], int runs)
{
    double t[32];
    for (int i = 0; i < runs && i < 32; i++)
        if ((t[i] = time_command(argv)) < 0)
            return -1;
    return median(t, runs < 32 ? runs : 32);
}

/* The article repeated `times` times: its first line (the title) once,
 * then the rest again and again. */
static char *repeat_article(const char *text, size_t size, int times,
                            size_t *out_size)
{
    const char *nl = memchr(text, '\n', size);
    size_t head = nl ? (size_t)(nl - text) + 1 : 0, body = size - head;
    char *big = malloc(head + (body + 2) * (size_t)times + 1);
    if (!big)
        return NULL;
    memcpy(big, text, head);
    size_t n = head;
    for (int i = 0; i < times; i++) {
        memcpy(big + n, text + head, body);
        n += body;
        big[n++] = '\n';
        big[n++] = '\n';
    }
    *out_size = n;
    return big;
}

/* The article's title, then its words in a shuffled order (a fixed
 * seed) in paragraphs of its own paragraphs' word counts, in turn, up to
 * `want` bytes: text of that size with no paragraph repeated, so that no
 * branch predictor learns it (the article repeated 100 times flatters
 * whatever runs each paragraph the same way each time). */
static char *shuffle_words(const char *text, size_t size, size_t want,
                           size_t *out_size)
{
    const char *nl = memchr(text, '\n', size);
    size_t head = nl ? (size_t)(nl - text) + 1 : 0;
    size_t cap = 1024, count = 0, pcount = 0, pcap = 64;
    const char **word = malloc(cap * sizeof *word);
    size_t *len = malloc(cap * sizeof *len), *per = calloc(pcap, sizeof *per);
    char *out = malloc(want + 65536);
    size_t n = 0;
    if (!word || !len || !per || !out)
        goto fail;
    for (size_t i = head; i < size;) {
        while (i < size && (text[i] == ' ' || text[i] == '\n')) {
            if (text[i] == '\n' && i + 1 < size && text[i + 1] == '\n' &&
                per[pcount] > 0 && ++pcount == pcap) {
                size_t *grown = realloc(per, 2 * pcap * sizeof *per);
                if (!grown)
                    goto fail;
                memset(grown + pcap, 0, pcap * sizeof *grown);
                per = grown;
                pcap *= 2;
            }
            i++;
        }
        size_t j = i;
        while (j < size && text[j] != ' ' && text[j] != '\n')
            j++;
        if (j == i)
            break;
        if (count == cap) {
            const char **w2 = realloc(word, 2 * cap * sizeof *word);
            size_t *l2 = w2 ? realloc(len, 2 * cap * sizeof *len) : NULL;
            if (w2)
                word = w2;
            if (!l2)
                goto fail;
            len = l2;
            cap *= 2;
        }
        word[count] = text + i;
        len[count++] = j - i;
        per[pcount]++;
        i = j;
    }
    if (per[pcount] > 0)
        pcount++;
    if (!count || !pcount)
        goto fail;
    memcpy(out, text, head);
    n = head;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (size_t p = 0; n < want; p = (p + 1) % pcount) {
        for (size_t k = 0; k < per[p] && n + 1024 < want + 65536; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t w = (size_t)(seed >> 33) % count;
            memcpy(out + n, word[w], len[w] < 1000 ? len[w] : 1000);
            n += len[w] < 1000 ? len[w] : 1000;
            out[n++] = k + 1 < per[p] ? ' ' : '\n';
        }
        out[n++] = '\n';
    }
    free(word);
    free(len);
    free(per);
    *out_size = n;
    return out;
fail:
    free(word);
    free(len);
    free(per);
    free(out);
    return NULL;
}

/* One thread's share of the page counts: its settings on its drawer
 * (jk_drawer_page_counts), or, when `job` is set, pieces of a count job
 * shared by all the threads (jk_drawer_count_job_run). */
typedef struct count_share {
    jk_drawer *drawer;
    jk_document *doc;
    const jk_settings *settings[8];
    size_t pages[8], count;
    jk_count_job *job;
    jk_status status;
} count_share;

static void *count_thread(void *arg)
{
    count_share *j = arg;
    j->status = j->job ? jk_drawer_count_job_run(j->drawer, j->job)
                       : jk_drawer_page_counts(j->drawer, j->doc,
                                               j->settings, j->count,
                                               j->pages);
    return NULL;
}

/* Settings i's drawer of `threads` when the settings are dealt out in
 * turn, back and forth (0 1 1 0 0 1 1 0 for two), so each drawer
 * gets small and large scales alike. A small scale costs more (its
 * measure holds more syllables) and a drawer's first setting costs more
 * than its others (the candidates are found once for all of them), so
 * dealing in one direction leaves one drawer the dearest of each round
 * (the two halves alone, x100 article: 38.3 and 34.9 ms that way, 36.7
 * and 35.6 back and forth). */
static int drawer_of(size_t i, int threads)
{
    int round = (int)(i / (size_t)threads), at = (int)(i % (size_t)threads);
    return round % 2 == 0 ? at : threads - 1 - at;
}

/* How the counts share the cores. */
typedef enum count_way {
    ONE_THREAD, /* jk_document_page_counts */
    DRAWERS,    /* the settings dealt out to drawers (drawer_of) */
    JOB         /* a count job shared by the threads, made and finished
                   in the time */
} count_way;

/* Median of `runs` runs of the page counts at the 8 settings, on
 * `threads` threads the `way` says; pages[] from the last run.
 * COUNT_RUNS: on a shared virtual machine a neighbour takes the second
 * core now and then. */
enum { COUNT_RUNS = 11 };
static double count_ms(jk_context *ctx, jk_document *doc,
                       const jk_settings *const *settings, size_t *pages,
                       count_way way, int threads, int runs)
{
    enum { MOST = 4 };
    count_share share[MOST] = {{0}};
    pthread_t t[MOST];
    double ms[COUNT_RUNS];
    if (threads > MOST)
        threads = MOST;
    if (way == ONE_THREAD)
        threads = 0;
    if (runs > COUNT_RUNS)
        runs = COUNT_RUNS;
    for (int k = 0; k < threads; k++) {
        if (jk_drawer_create(ctx, &share[k].drawer) != JK_OK)
            return -1;
        share[k].doc = doc;
        for (size_t i = 0; i < 8 && way == DRAWERS; i++)
            if (drawer_of(i, threads) == k)
                share[k].settings[share[k].count++] = settings[i];
    }
    bool failed = false;
    for (int r = 0; r < runs && !failed; r++) {
        double t0 = now_ms();
        jk_count_job *job = NULL;
        if (way == ONE_THREAD)
            failed = jk_document_page_counts(doc, settings, 8, pages) !=
                     JK_OK;
        else if (way == JOB)
            failed = jk_count_job_create(doc, settings, 8, &job) != JK_OK;
        int started = 0;
        while (started < threads && !failed) {
            share[started].job = job;
            if (pthread_create(&t[started], NULL, count_thread,
                               &share[started]) != 0)
                failed = true;
            else
                started++;
        }
        for (int k = 0; k < started; k++) {
            pthread_join(t[k], NULL);
            failed |= share[k].status != JK_OK;
        }
        if (job && !failed)
            failed = jk_count_job_finish(job, pages) != JK_OK;
        jk_count_job_destroy(job);
        ms[r] = now_ms() - t0;
    }
    for (int k = 0; k < threads; k++) {
        for (size_t i = 0, got = 0; i < 8 && way == DRAWERS; i++)
            if (drawer_of(i, threads) == k)
                pages[i] = share[k].pages[got++];
        jk_drawer_destroy(share[k].drawer);
    }
    return failed ? -1 : median(ms, runs);
}

/* The font-size preview (issue 9): the whole `jikji preview` process
 * against `jikji render` of one page, and page counts at the eight
 * default scales of the article repeated 100 times against mutool laying
 * that document out once. */
static void bench_preview(const char *self, const char *fonts,
                          const char *article, const char *text, size_t size)
{
    char cli[4096];
    const char *slash = strrchr(self, '/');
    snprintf(cli, sizeof cli, "%.*s/jikji",
             slash ? (int)(slash - self) : 1, slash ? self : ".");
    if (access(cli, X_OK) != 0) {
        printf("preview: no CLI at %s, skipped\n", cli);
        return;
    }
    char sheet[] = "/tmp/jikji-bench-sheet-XXXXXX.png";
    int fd = mkstemps(sheet, 4);
    if (fd >= 0)
        close(fd);
    char page[] = "/tmp/jikji-bench-page-XXXXXX-%d.png";
    int fd2 = mkstemps(page, 7);
    if (fd2 >= 0)
        close(fd2);
    char one[4200];
    snprintf(one, sizeof one, page, 1);
    char *preview[] = {cli, "preview", (char *)article, "--fonts",
                       (char *)fonts, "-o", sheet, NULL};
    char *render[] = {cli, "render", (char *)article, "--fonts",
                      (char *)fonts, "--page", "1", "-o", page, NULL};
    double tp = median_command(preview, 11), tr = median_command(render, 11);
    if (tp > 0 && tr > 0)
        printf("preview, 8-scale contact sheet, whole process: %7.1f ms "
               "median of 11 (target < 150 ms); render of one page: %7.1f "
               "ms; ratio %.1fx\n", tp, tr, tp / tr);
    else
        printf("preview: the CLI failed, skipped\n");
    unlink(sheet);
    unlink(one);
    unlink(page);

    /* Page counts at 8 sizes, the article repeated 100 times, on one
     * thread and on two drawers; and the same on text of that size that
     * does not repeat. */
    size_t big_size, mixed_size;
    char *big = repeat_article(text, size, 100, &big_size);
    char *mixed = big ? shuffle_words(text, size, big_size, &mixed_size)
                      : NULL;
    jk_context *ctx = NULL;
    jk_document *doc = NULL, *mixed_doc = NULL;
    if (!big || !mixed || jk_context_create(NULL, &ctx) != JK_OK ||
        jk_context_add_bundled_fonts(ctx, fonts) != JK_OK ||
        jk_document_create_from_text(ctx, big, big_size, &doc) != JK_OK ||
        jk_document_create_from_text(ctx, mixed, mixed_size, &mixed_doc) !=
            JK_OK) {
        printf("page counts: setup failed\n");
        goto done;
    }
    static const double scales[] = {0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2};
    jk_settings st[8];
    const jk_settings *ptr[8];
    size_t pages[8];
    for (int i = 0; i < 8; i++) {
        bench_settings(&st[i]);
        st[i].scale = scales[i];
        ptr[i] = &st[i];
    }
    double counts = count_ms(ctx, doc, ptr, pages, ONE_THREAD, 1,
                             COUNT_RUNS);
    double counts2 = count_ms(ctx, doc, ptr, pages, DRAWERS, 2, COUNT_RUNS);
    double countsj = count_ms(ctx, doc, ptr, pages, JOB, 2, COUNT_RUNS);
    printf("page counts at 8 scales, article x100 (%zu KB; %zu..%zu "
           "pages): %7.1f ms median of 11; on 2 drawers (4 scales each): "
           "%7.1f ms; a count job on 2 threads: %7.1f ms\n", big_size >> 10,
           pages[0], pages[7], counts, counts2, countsj);
    double mixed1 = count_ms(ctx, mixed_doc, ptr, pages, ONE_THREAD, 1,
                             COUNT_RUNS);
    double mixed2 = count_ms(ctx, mixed_doc, ptr, pages, DRAWERS, 2,
                             COUNT_RUNS);
    double mixedj = count_ms(ctx, mixed_doc, ptr, pages, JOB, 2, COUNT_RUNS);
    printf("page counts at 8 scales, its words shuffled into paragraphs "
           "that never repeat (%zu KB): %7.1f ms; on 2 drawers: %7.1f ms; "
           "a count job on 2 threads: %7.1f ms\n", mixed_size >> 10, mixed1,
           mixed2, mixedj);
    if (system("command -v mutool >/dev/null 2>&1") != 0) {
        printf("mutool: not installed, page-count comparison skipped\n");
        goto done;
    }
    char html[] = "/tmp/jikji-bench-x100-XXXXXX.html";
    int hf = mkstemps(html, 5);
    if (hf >= 0)
        close(hf);
    char png[64], w[32], h[32], r[16], fs[16];
    snprintf(png, sizeof png, "%s.png", html);
    snprintf(w, sizeof w, "%g", PAGE_W * 72.0 / DPI);
    snprintf(h, sizeof h, "%g", PAGE_H * 72.0 / DPI);
    snprintf(r, sizeof r, "%d", DPI);
    snprintf(fs, sizeof fs, "%g", FONT_PT);
    char *args[] = {"mutool", "draw", "-q", "-c", "gray", "-r", r, "-W", w,
                    "-H", h, "-S", fs, "-o", png, html, "1", NULL};
    /* The ratio from runs timed in turns: mutool, then the counts on one
     * thread, on two drawers and by a count job on two threads (the
     * median of 3 each: the first runs in the caches mutool left), PAIRS
     * times, so that both sides see the machine as it is then (mutool
     * alone took 317 to 429 ms a run across one morning's bench runs on
     * this virtual machine, and the cores of this one are not always
     * equally fast: two drawers' halves ran 49 and 77 ms in one run). */
    enum { PAIRS = 7 };
    double tm[PAIRS], t1[PAIRS], t2[PAIRS], tj[PAIRS];
    bool paired = hf >= 0 && write_html(doc, html) == 0;
    for (int i = 0; i < PAIRS && paired; i++) {
        tm[i] = time_command(args);
        t1[i] = count_ms(ctx, doc, ptr, pages, ONE_THREAD, 1, 3);
        t2[i] = count_ms(ctx, doc, ptr, pages, DRAWERS, 2, 3);
        tj[i] = count_ms(ctx, doc, ptr, pages, JOB, 2, 3);
        paired = tm[i] > 0 && t1[i] > 0 && t2[i] > 0 && tj[i] > 0;
    }
    if (paired) {
        double mt = median(tm, PAIRS), m1 = median(t1, PAIRS),
               m2 = median(t2, PAIRS), mj = median(tj, PAIRS);
        printf("mutool draw, the same x100 as HTML, laid out once (page 1 "
               "drawn): %7.1f ms median of %d, timed in turns with the "
               "counts (%.1f ms on one thread, %.1f on two drawers, %.1f "
               "by a count job on two threads); jikji's 8 counts are %.3f "
               "of it on one thread, %.3f on two drawers, %.3f by the job "
               "(target < 0.1)\n", mt, PAIRS, m1, m2, mj, m1 / mt, m2 / mt,
               mj / mt);
    } else {
        printf("mutool: failed on the x100 HTML\n");
    }
    unlink(html);
    unlink(png);
done:
    jk_document_destroy(mixed_doc);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    free(mixed);
    free(big);
}

/* Median wall time and median peak memory of `runs` runs (at most 15).
 * The peak is what /usr/bin/time reports for the command: a child forked
 * from this process would count this process's own resident size too
 * (Linux keeps the larger high-water mark across exec), and this process
 * holds the 100x documents. Without /usr/bin/time, that is the figure. */
static int measure(char *const argv[], int runs, double *ms, double *peak_mb)
{
    double t[15], m[15];
    if (runs > 15)
        runs = 15;
    char peak_file[] = "/tmp/jikji-bench-peak-XXXXXX";
    int fd = access("/usr/bin/time", X_OK) == 0 ? mkstemp(peak_file) : -1;
    if (fd >= 0)
        close(fd);
    char *timed[64] = {"/usr/bin/time", "-f", "%M", "-o", peak_file};
    size_t n = 0;
    while (argv[n] && n + 6 < 64) {
        timed[5 + n] = argv[n];
        n++;
    }
    timed[5 + n] = NULL;
    for (int i = 0; i < runs; i++) {
        if ((t[i] = time_command(fd >= 0 ? timed : argv)) < 0)
            return -1;
        long kb = last_peak_kb;
        FILE *fp = fd >= 0 ? fopen(peak_file, "r") : NULL;
        if (fp) {
            if (fscanf(fp, "%ld", &kb) != 1)
                kb = last_peak_kb;
            fclose(fp);
        }
        m[i] = kb / 1024.0;
    }
    if (fd >= 0)
        unlink(peak_file);
    *ms = median(t, runs);
    *peak_mb = median(m, runs);
    return 0;
}

static int write_bytes(const char *path, const char *bytes, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    size_t n = fwrite(bytes, 1, size, fp);
    return fclose(fp) == 0 && n == size ? 0 : -1;
}

/* The document as Typst 0.10 markup: the page in pt, the body font and
 * size, justified total-fit paragraphs; each block a string (no markup
 * read into it). */
static int write_typst(const jk_document *doc, const char *path,
                       double width_pt, double height_pt, double margin_in,
                       double size_pt)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fprintf(fp, "#set page(width: %.2fpt, height: %.2fpt, margin: %.2fin)\n"
                "#set text(font: (\"Noto Serif\", \"NanumMyeongjo\"), "
                "size: %gpt, lang: \"ko\")\n"
                "#set par(justify: true, linebreaks: \"optimized\", "
                "leading: 0.7em)\n\n",
            width_pt, height_pt, margin_in, size_pt);
    for (size_t i = 0; i < jk_document_block_count(doc); i++) {
        size_t n = jk_document_block_text(doc, i, NULL, 0);
        char *t = malloc(n + 1);
        if (!t)
            break;
        jk_document_block_text(doc, i, t, n + 1);
        fputs("#\"", fp);
        for (char *c = t; *c; c++) {
            if (*c == '"' || *c == '\\')
                fputc('\\', fp);
            fputc(*c, fp);
        }
        fputs("\"\n\n", fp);
        free(t);
    }
    return fclose(fp);
}

/* Remove a folder's files and the folder (the bench's own pages). */
static void clear_dir(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "jikji-bench: could not remove %s\n", dir);
}

/* Issue 12's export: every page of the article repeated 100 times as PNG,
 * Kindle Paperwhite 1 at 9 pt, by jikji on every core and on one, by
 * mutool (the same paragraphs as HTML, its own fonts) and by Typst 0.10
 * when installed ($JIKJI_TYPST, or typst on the PATH); whole processes,
 * with their peak memory. */
static void bench_export(const char *self, const char *fonts,
                         const char *text, size_t size)
{
    char cli[4096];
    const char *slash = strrchr(self, '/');
    snprintf(cli, sizeof cli, "%.*s/jikji",
             slash ? (int)(slash - self) : 1, slash ? self : ".");
    char dir[] = "/tmp/jikji-bench-export-XXXXXX";
    if (access(cli, X_OK) != 0 || !mkdtemp(dir)) {
        printf("export: no CLI or no temporary folder, skipped\n");
        return;
    }
    size_t big_size;
    char *big = repeat_article(text, size, 100, &big_size);
    char txt[4200], html[4200], typ[4200], out[4200], mout[4200],
        tout[4200];
    snprintf(txt, sizeof txt, "%s/x100.txt", dir);
    snprintf(html, sizeof html, "%s/x100.html", dir);
    snprintf(typ, sizeof typ, "%s/x100.typ", dir);
    snprintf(out, sizeof out, "%s/j-%%04d.png", dir);
    snprintf(mout, sizeof mout, "%s/m-%%d.png", dir);
    snprintf(tout, sizeof tout, "%s/t-{n}.png", dir);
    jk_context *ctx = NULL;
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    jk_settings st;
    jk_settings_init(&st);
    jk_settings_set_device(&st, jk_device_find("kindle-pw1"));
    st.font_size_pt = 9;
    if (!big || write_bytes(txt, big, big_size) ||
        jk_context_create(NULL, &ctx) != JK_OK ||
        jk_context_add_bundled_fonts(ctx, fonts) != JK_OK ||
        jk_document_create_from_text(ctx, big, big_size, &doc) != JK_OK ||
        jk_layout_create(doc, &st, &layout) != JK_OK ||
        write_html(doc, html)) {
        printf("export: setup failed\n");
        goto done;
    }
    size_t pages = jk_layout_page_count(layout);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char jobs[24];
    snprintf(jobs, sizeof jobs, "%ld", cores > 0 ? cores : 1);
    char *all[] = {cli, "render", txt, "--fonts", (char *)fonts, "--device",
                   "kindle-pw1", "--font-size", "9", "-j", jobs, "-o", out,
                   NULL};
    char *one[] = {cli, "render", txt, "--fonts", (char *)fonts, "--device",
                   "kindle-pw1", "--font-size", "9", "-j", "1", "-o", out,
                   NULL};
    double tj, mj, t1, m1;
    if (measure(all, 3, &tj, &mj) || measure(one, 3, &t1, &m1)) {
        printf("export: jikji failed\n");
        goto done;
    }
    printf("export, x100 article (%zu KB), Kindle PW1 9 pt, %zu pages:\n",
           big_size >> 10, pages);
    printf("  jikji -j %s: %7.1f ms, %5.2f ms a page, peak %5.1f MB\n",
           jobs, tj, tj / pages, mj);
    printf("  jikji -j 1: %7.1f ms, %5.2f ms a page, peak %5.1f MB; %s "
           "threads give %.2fx the pages a second (target >= 1.8 at 2)\n",
           t1, t1 / pages, m1, jobs, t1 / tj);
    char w[32], h[32];
    snprintf(w, sizeof w, "%g", st.page_width * 72.0 / st.dpi);
    snprintf(h, sizeof h, "%g", st.page_height * 72.0 / st.dpi);
    if (system("command -v mutool >/dev/null 2>&1") == 0) {
        char *m[] = {"mutool", "draw", "-q", "-c", "gray", "-r", "212", "-W",
                     w, "-H", h, "-S", "9", "-o", mout, html, NULL};
        double tm, mm;
        if (measure(m, 3, &tm, &mm) == 0)
            printf("  mutool draw (HTML, its fonts): %7.1f ms, peak %5.1f "
                   "MB; jikji is %.1fx faster a page (target >= 6), its "
                   "peak %.2f of mutool's (target <= 1)\n",
                   tm, mm, tm / tj, mj / mm);
    }
    const char *typst = getenv("JIKJI_TYPST");
    if (!typst || !*typst)
        typst = system("command -v typst >/dev/null 2>&1") == 0 ? "typst"
                                                                 : NULL;
    if (typst && write_typst(doc, typ, st.page_width * 72.0 / st.dpi,
                             st.page_height * 72.0 / st.dpi, 0.22, 9) == 0) {
        char *t[] = {(char *)typst, "compile", "--font-path", (char *)fonts,
                     "--ppi", "212", typ, tout, NULL};
        double tt, mt;
        if (measure(t, 3, &tt, &mt) == 0)
            printf("  typst 0.10 compile to PNG: %7.1f ms, peak %5.1f MB; "
                   "jikji is %.1fx faster (target >= 6)\n",
                   tt, mt, tt / tj);
    } else {
        printf("  typst: not found ($JIKJI_TYPST), skipped\n");
    }
done:
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    free(big);
    clear_dir(dir);
}

/* A realloc that always moves (as pool allocators and ASan do): building
 * block arrays by a constant step would be quadratic under it. */
static void *moving_malloc(size_t n, void *u)
{
    (void)u;
    return malloc(n);
}
static void moving_free(void *p, void *u)
{
    (void)u;
    free(p);
}
static void *moving_realloc(void *p, size_t n, void *u)
{
    (void)u;
    void *q = malloc(n);
    if (q && p) {
        /* the old size is not known here: copy what malloc says it has */
        size_t old = malloc_usable_size(p);
        memcpy(q, p, old < n ? old : n);
    }
    if (q)
        free(p);
    return q;
}

/* Building documents at two sizes each (issue 12, defects §4-§5): the
 * figures should grow about twice for twice the input. */
static void bench_building(const char *fonts)
{
    jk_context *ctx = NULL;
    jk_allocator mover = {moving_malloc, moving_realloc, moving_free, NULL};
    jk_context *moving = NULL;
    if (jk_context_create(NULL, &ctx) != JK_OK ||
        jk_context_add_bundled_fonts(ctx, fonts) != JK_OK ||
        jk_context_create(&mover, &moving) != JK_OK ||
        jk_context_add_bundled_fonts(moving, fonts) != JK_OK) {
        printf("building: setup failed\n");
        goto done;
    }
    jk_settings st;
    jk_settings_init(&st);
    double t[2];
    /* one-syllable paragraphs: 512 KB and 1 MB */
    for (int k = 0; k < 2; k++) {
        size_t bytes = (512u << 10) << k, n = 0;
        char *text = malloc(bytes + 16);
        n += (size_t)sprintf(text, "제목\n\n");
        while (n + 5 <= bytes)
            memcpy(text + n, "가\n\n", 5), n += 5;
        double t0 = now_ms();
        jk_document *doc = NULL;
        jk_layout *layout = NULL;
        jk_document_create_from_text(ctx, text, n, &doc);
        jk_layout_create(doc, &st, &layout);
        t[k] = now_ms() - t0;
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
        free(text);
    }
    printf("building, one-syllable paragraphs, read + shape + lay out: "
           "512 KB %7.1f ms, 1 MB %7.1f ms (x%.1f)\n", t[0], t[1],
           t[1] / t[0]);
    /* one-character spans in one paragraph: 40,000 and 80,000 */
    for (int k = 0; k < 2; k++) {
        size_t count = 40000u << k;
        char *text = malloc(count * 2);
        jk_span *spans = malloc(count * sizeof *spans);
        for (size_t i = 0; i < count; i++) {
            text[2 * i] = 'a';
            text[2 * i + 1] = ' ';
            spans[i] = (jk_span){2 * i, 2 * i + 1,
                                 i % 2 ? JK_STYLE_BOLD : JK_STYLE_ITALIC};
        }
        double t0 = now_ms();
        jk_document *doc = NULL;
        jk_document_create(ctx, &doc);
        jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, text, count * 2,
                              spans, count);
        t[k] = now_ms() - t0;
        jk_document_destroy(doc);
        free(spans);
        free(text);
    }
    printf("building, one-character spans in a paragraph: 40,000 %7.1f "
           "ms, 80,000 %7.1f ms (x%.1f)\n", t[0], t[1], t[1] / t[0]);
    /* paragraphs through the API with a moving allocator */
    for (int k = 0; k < 2; k++) {
        size_t count = 100000u << k;
        double t0 = now_ms();
        jk_document *doc = NULL;
        jk_document_create(moving, &doc);
        for (size_t i = 0; i < count; i++)
            jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, "가", 3, NULL, 0);
        t[k] = now_ms() - t0;
        jk_document_destroy(doc);
    }
    printf("building, paragraphs one by one, a moving allocator: 100,000 "
           "%7.1f ms, 200,000 %7.1f ms (x%.1f)\n", t[0], t[1], t[1] / t[0]);
done:
    jk_context_destroy(moving);
    jk_context_destroy(ctx);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: jikji-bench FONT_DIR ARTICLE [PAGE]\n");
        return 2;
    }
    const char *fonts = argv[1];
    size_t size;
    char *text = read_file(argv[2], &size);
    if (!text) {
        fprintf(stderr, "jikji-bench: cannot read %s\n", argv[2]);
        return 1;
    }
    int page_no = argc > 3 ? atoi(argv[3]) : 2;
    pipeline p;
    if (open_pipeline(&p, fonts, text, size) != 0) {
        fprintf(stderr, "jikji-bench: %s\n",
                p.ctx ? jk_context_errmsg(p.ctx) : "no context");
        return 1;
    }
    size_t pages = jk_layout_page_count(p.layout);
    if (page_no < 1 || (size_t)page_no > pages)
        page_no = 1;
    size_t page = (size_t)page_no - 1;
    unsigned char *px = malloc((size_t)PAGE_W * PAGE_H);
    jk_surface sf = {px, PAGE_W, PAGE_H, PAGE_W, JK_PIXEL_GRAY8, 0};
    printf("jikji %s: page %d of %zu, %zu lines, %dx%d GRAY8, %d dpi, "
           "%g pt\n", jk_version(), page_no, pages,
           jk_layout_line_count(p.layout, page), PAGE_W, PAGE_H, DPI,
           FONT_PT);

    enum { RUNS = 101, SLOW_RUNS = 21 };
    double t[RUNS];
    jk_glyph_cache_stats s0, s1;
    jk_layout_render_page(p.layout, page, &sf); /* warm up */
    jk_context_get_glyph_cache_stats(p.ctx, &s0);
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        jk_layout_render_page(p.layout, page, &sf);
        t[i] = now_ms() - t0;
    }
    jk_context_get_glyph_cache_stats(p.ctx, &s1);
    double warm = median(t, RUNS);
    printf("draw, warm cache:  %7.3f ms median of %d (%llu glyphs "
           "rasterized)\n", warm, RUNS,
           (unsigned long long)(s1.misses - s0.misses));

    for (int i = 0; i < SLOW_RUNS; i++) {
        jk_context_clear_glyph_cache(p.ctx);
        double t0 = now_ms();
        jk_layout_render_page(p.layout, page, &sf);
        t[i] = now_ms() - t0;
    }
    jk_context_get_glyph_cache_stats(p.ctx, &s1);
    printf("draw, cold cache:  %7.3f ms median of %d (%zu glyphs, %zu "
           "bytes cached)\n", median(t, SLOW_RUNS), SLOW_RUNS, s1.entries,
           s1.bytes);

    static const int levels[] = {0, 1, 3, 6, 9, -1};
    double png_default = 0;
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        jk_png_options po;
        jk_png_options_init(&po);
        po.dpi = DPI;
        po.compression = levels[l];
        sink out = {0};
        for (int i = 0; i < SLOW_RUNS; i++) {
            out.size = 0;
            double t0 = now_ms();
            jk_layout_render_page(p.layout, page, &sf);
            jk_surface_write_png_ex(p.ctx, &sf, &po, sink_write, &out);
            t[i] = now_ms() - t0;
        }
        double m = median(t, SLOW_RUNS);
        if (levels[l] == 0)
            png_default = m;
        if (levels[l] == 0)
            printf("draw + PNG, default (RLE):");
        else if (levels[l] < 0)
            printf("draw + PNG, stored:       ");
        else
            printf("draw + PNG, zlib level %d: ", levels[l]);
        printf("%7.3f ms median, %zu bytes\n", m, out.size);
        free(out.data);
    }
    for (int i = 0; i < 4; i++) {
        jk_png_options po;
        jk_png_options_init(&po);
        po.dpi = DPI;
        po.bit_depth = 8 >> i;
        jk_render_options ro;
        jk_render_options_init(&ro);
        ro.gray_levels = 1 << po.bit_depth;
        sink out = {0};
        for (int k = 0; k < SLOW_RUNS; k++) {
            out.size = 0;
            double t0 = now_ms();
            jk_layout_render_page_ex(p.layout, page, &sf, &ro, NULL);
            jk_surface_write_png_ex(p.ctx, &sf, &po, sink_write, &out);
            t[k] = now_ms() - t0;
        }
        printf("draw + PNG, %d gray levels, %d-bit: %7.3f ms, %zu bytes\n",
               ro.gray_levels, po.bit_depth, median(t, SLOW_RUNS), out.size);
        free(out.data);
    }

    /* Everything from the bytes, as a command-line run would do it. */
    for (int i = 0; i < SLOW_RUNS; i++) {
        double t0 = now_ms();
        pipeline q;
        sink out = {0};
        jk_png_options po;
        jk_png_options_init(&po);
        po.dpi = DPI;
        if (open_pipeline(&q, fonts, text, size) == 0) {
            jk_layout_render_page(q.layout, page, &sf);
            jk_surface_write_png_ex(q.ctx, &sf, &po, sink_write, &out);
        }
        close_pipeline(&q);
        free(out.data);
        t[i] = now_ms() - t0;
    }
    double whole = median(t, SLOW_RUNS);
    printf("whole pipeline (fonts, read, shape, lay out, draw, PNG): "
           "%7.3f ms median\n", whole);

    /* Reading and shaping happen once; a new font size re-runs only
     * composition and pagination (the font-size preview). */
    for (int i = 0; i < SLOW_RUNS; i++) {
        jk_document *doc = NULL;
        double t0 = now_ms();
        jk_document_create_from_text(p.ctx, text, size, &doc);
        t[i] = now_ms() - t0;
        jk_document_destroy(doc);
    }
    printf("read + shape the article:  %7.3f ms median\n",
           median(t, SLOW_RUNS));
    static const jk_breaker breakers[] = {JK_BREAKER_OPTIMAL,
                                          JK_BREAKER_GREEDY};
    for (int k = 0; k < 2; k++) {
        jk_settings st;
        jk_layout_get_settings(p.layout, &st);
        st.breaker = breakers[k];
        for (int i = 0; i < RUNS; i++) {
            st.font_size_pt = 6 + i % 19; /* 6 to 24 pt */
            double t0 = now_ms();
            jk_layout_set_settings(p.layout, &st);
            t[i] = now_ms() - t0;
        }
        printf("re-lay out at a new size (%s): %7.3f ms median of %d, "
               "6-24 pt\n", k ? "greedy" : "optimal", median(t, RUNS), RUNS);
    }

    bench_zero_width(p.ctx);
    bench_preview(argv[0], fonts, argv[2], text, size);
    bench_export(argv[0], fonts, text, size);
    bench_building(fonts);

    if (system("command -v mutool >/dev/null 2>&1") != 0) {
        printf("mutool: not installed (apt-get install mupdf-tools), "
               "comparison skipped\n");
    } else {
        char html[] = "/tmp/jikji-bench-XXXXXX.html";
        int fd = mkstemps(html, 5);
        if (fd >= 0)
            close(fd);
        char png[64], w[32], h[32], r[16], pg[16], fs[16];
        snprintf(png, sizeof png, "%s.png", html);
        snprintf(w, sizeof w, "%g", PAGE_W * 72.0 / DPI);
        snprintf(h, sizeof h, "%g", PAGE_H * 72.0 / DPI);
        snprintf(r, sizeof r, "%d", DPI);
        snprintf(pg, sizeof pg, "%d", page_no);
        snprintf(fs, sizeof fs, "%g", FONT_PT);
        char *args[] = {"mutool", "draw", "-q", "-c", "gray", "-r", r, "-W",
                        w, "-H", h, "-S", fs, "-o", png, html, pg, NULL};
        int ok = fd >= 0 && write_html(p.doc, html) == 0;
        int n = 0;
        for (int i = 0; ok && i < 11; i++) {
            double m = time_command(args);
            if (m < 0)
                ok = 0;
            else
                t[n++] = m;
        }
        if (ok && n) {
            double mt = median(t, n);
            printf("mutool draw (HTML, same page size, font size, gray PNG): "
                   "%7.3f ms median of %d\n", mt, n);
            printf("ratio mutool / jikji: %.1fx the whole pipeline, %.1fx "
                   "draw + PNG\n", mt / whole, mt / png_default);
        } else {
            printf("mutool: failed to run, comparison skipped\n");
        }
        unlink(html);
        unlink(png);
    }
    free(px);
    free(text);
    close_pipeline(&p);
    return 0;
}
