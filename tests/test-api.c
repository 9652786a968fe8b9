/* The public API's contracts: error paths, destroy(NULL), status strings,
 * allocation failure at every step, PNG output decoded back.
 * Usage: test-api FONT_DIR */
#include <png.h>
#include <stdint.h>

#include <limits.h>
#include <math.h>
#include <stddef.h>

#include "testutil.h"

static const char *font_dir;

static void test_status_and_null(void)
{
    /* Every status has a static text, and keeps its number for ever
     * (the ABI): the numbers are written here once, by hand. */
    static const struct {
        jk_status status;
        int number;
    } numbers[] = {
        {JK_OK, 0},           {JK_ERR_NOMEM, 1},    {JK_ERR_INVALID_ARGUMENT, 2},
        {JK_ERR_IO, 3},       {JK_ERR_FONT, 4},     {JK_ERR_NO_FONT, 5},
        {JK_ERR_RANGE, 6},    {JK_ERR_LIMIT, 7},    {JK_ERR_PNG, 8},
        {JK_ERR_FREETYPE, 9}, {JK_ERR_SHAPING, 10}, {JK_ERR_UNSUPPORTED, 11},
        {JK_ERR_BUSY, 12},    {JK_ERR_NOT_FOUND, 13}, {JK_ERR_CANCELLED, 14},
    };
    size_t listed = 0;
#define COUNT_STATUS(name, value, text) listed++;
    JK_STATUS_LIST(COUNT_STATUS)
#undef COUNT_STATUS
    CHECK(listed == sizeof numbers / sizeof *numbers);
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        CHECK((int)numbers[i].status == numbers[i].number);
        const char *t = jk_status_string(numbers[i].status);
        CHECK(t[0] != '\0' && strcmp(t, "unknown status") != 0);
    }
    CHECK(strcmp(jk_status_string(JK_OK), "no error") == 0);
    CHECK(strcmp(jk_status_string((jk_status)999), "unknown status") == 0);
    CHECK(strcmp(jk_status_string((jk_status)-1), "unknown status") == 0);
    CHECK(strcmp(jk_version(), JK_VERSION_STRING) == 0);
    CHECK(jk_version_number() == JK_VERSION_NUMBER);
    CHECK(JK_VERSION_ATLEAST(JK_VERSION_MAJOR, JK_VERSION_MINOR,
                             JK_VERSION_MICRO));
    CHECK(!JK_VERSION_ATLEAST(JK_VERSION_MAJOR, JK_VERSION_MINOR,
                              JK_VERSION_MICRO + 1));
    CHECK(JK_VERSION_ATLEAST(0, 9, 99) || JK_VERSION_MAJOR == 0);
    CHECK(strcmp(jk_block_kind_name(JK_BLOCK_CAPTION), "caption") == 0);
    CHECK(strcmp(jk_block_kind_name((jk_block_kind)99), "unknown") == 0);

    jk_context_destroy(NULL);
    jk_document_destroy(NULL);
    jk_layout_destroy(NULL);
    CHECK(jk_context_create(NULL, NULL) == JK_ERR_INVALID_ARGUMENT);
    jk_allocator half = {0};
    jk_context *ctx = (jk_context *)1;
    CHECK(jk_context_create(&half, &ctx) == JK_ERR_INVALID_ARGUMENT);
    CHECK(ctx == NULL);
    CHECK(jk_document_block_count(NULL) == 0);
    CHECK(jk_layout_page_count(NULL) == 0);
    CHECK(jk_context_font_count(NULL) == 0);
    CHECK(strcmp(jk_context_errmsg(NULL), "no context") == 0);
}

static void test_errors(void)
{
    jk_context *ctx = NULL;
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    CHECK(jk_context_errmsg(ctx)[0] == '\0');

    /* No font yet: a document cannot be made. */
    jk_document *doc = (jk_document *)1;
    CHECK(jk_document_create_from_text(ctx, "가", 3, &doc) == JK_ERR_NO_FONT);
    CHECK(doc == NULL);
    CHECK(strstr(jk_context_errmsg(ctx), "font") != NULL);

    /* Fonts: missing file, not a font, garbage in memory. */
    jk_font_desc desc = {JK_FONT_KOREAN, JK_FAMILY_SERIF, 0, 0};
    CHECK(jk_context_add_font_file(ctx, "/nonexistent/x.ttf", &desc) ==
          JK_ERR_IO);
    CHECK(strstr(jk_context_errmsg(ctx), "/nonexistent/x.ttf") != NULL);
    jk_status empty = jk_context_add_font_file(ctx, "/dev/null", &desc);
    CHECK(empty == JK_ERR_FONT || empty == JK_ERR_IO);
    CHECK(jk_context_add_font_file(ctx, "/", &desc) == JK_ERR_IO);
    char not_font[1000];
    memset(not_font, 'x', sizeof not_font);
    CHECK(jk_context_add_font_memory(ctx, not_font, sizeof not_font, &desc) ==
          JK_ERR_FONT);
    CHECK(jk_context_add_font_memory(ctx, NULL, 10, &desc) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_font_desc bad = {(jk_font_script)7, JK_FAMILY_SERIF, 0, 0};
    CHECK(jk_context_add_font_memory(ctx, not_font, sizeof not_font, &bad) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_context_add_bundled_fonts(ctx, "/nonexistent") == JK_ERR_IO);
    CHECK(jk_context_font_count(ctx) == 0);

    /* From memory, then a document. */
    char path[4096];
    snprintf(path, sizeof path, "%s/NanumMyeongjo.ttf", font_dir);
    size_t size = 0;
    char *data = tu_read_file(path, &size);
    CHECK(data != NULL);
    CHECK(jk_context_add_font_memory(ctx, data, size, &desc) == JK_OK);
    free(data); /* copied */
    CHECK(jk_context_font_count(ctx) == 1);
    CHECK(jk_document_create_from_text(ctx, NULL, 5, &doc) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_document_create_from_text(ctx, "가나다 라마", 16, &doc) ==
          JK_OK);

    jk_block_info bi;
    CHECK(jk_document_get_block(doc, 5, &bi) == JK_ERR_RANGE);
    CHECK(jk_document_get_block(doc, 0, NULL) == JK_ERR_INVALID_ARGUMENT);
    char small[4];
    size_t full = jk_document_block_text(doc, 0, small, sizeof small);
    CHECK(full == 16);
    CHECK(strcmp(small, "가") == 0); /* whole characters only */

    /* Settings out of range are refused with a message. */
    jk_settings st;
    jk_settings_init(&st);
    jk_layout *layout = NULL;
    st.page_width = 0;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_ERR_INVALID_ARGUMENT);
    CHECK(layout == NULL);
    CHECK(strstr(jk_context_errmsg(ctx), "page size") != NULL);
    jk_settings_init(&st);
    st.font_size_pt = -1;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_ERR_INVALID_ARGUMENT);
    jk_settings_init(&st);
    st.margin_left = 600;
    st.margin_right = 600;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_ERR_INVALID_ARGUMENT);
    jk_settings_init(&st);
    st.dpi = 0;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_ERR_INVALID_ARGUMENT);

    /* Defaults with NULL settings; then re-set. */
    CHECK(jk_layout_create(doc, NULL, &layout) == JK_OK);
    CHECK(jk_layout_page_count(layout) == 1);
    jk_settings got;
    jk_layout_get_settings(layout, &got);
    CHECK(got.page_width == 1072 && got.dpi == 300);
    CHECK(got.margin_left == 66); /* automatic margin, resolved */
    jk_settings_init(&st);
    st.line_height = 0.1;
    CHECK(jk_layout_set_settings(layout, &st) == JK_ERR_INVALID_ARGUMENT);
    jk_settings_init(&st);
    st.font_size_pt = 20;
    CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
    jk_line_info li;
    CHECK(jk_layout_get_line(layout, 0, 99, &li) == JK_ERR_RANGE);
    CHECK(jk_layout_get_line(layout, 3, 0, &li) == JK_ERR_RANGE);
    CHECK(jk_layout_line_text(layout, 3, 0, small, sizeof small) == 0);
    CHECK(small[0] == '\0');

    /* Surfaces: bad ones are refused, the page range is checked. */
    uint8_t px[64] = {0};
    jk_surface sf = {px, 8, 8, 8, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page(layout, 1, &sf) == JK_ERR_RANGE);
    jk_surface narrow = {px, 8, 8, 4, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page(layout, 0, &narrow) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_surface none = {NULL, 8, 8, 8, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page(layout, 0, &none) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_layout_render_page(layout, 0, &sf) == JK_OK); /* clipped */

    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
}

/* ------------------------------------------------ failing allocations */

static int discard(void *user, const void *data, size_t size)
{
    (void)data;
    *(size_t *)user += size;
    return 0;
}

/* The whole pipeline with one font, failing the Nth allocation for every
 * N in turn: each run must fail cleanly (a status, nothing leaked) or
 * succeed. */
static jk_status pipeline_budget(tu_counting *c, const char *font_path,
                                 size_t budget)
{
    jk_allocator a = tu_counting_allocator(c);
    jk_context *ctx = NULL;
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    jk_status st = jk_context_create_with_budget(&a, budget, &ctx);
    if (st != JK_OK)
        return st;
    jk_font_desc desc = {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0};
    static const char text[] = "Title\n\nSome words to lay out, "
                               "then hyphenation considerations, "
                               "break into lines and pages.\n";
    jk_settings s;
    jk_settings_init(&s);
    s.page_width = 200;
    s.page_height = 150;
    s.dpi = 96;
    s.margin_left = s.margin_right = s.margin_top = s.margin_bottom = 10;
    /* Hyphenation patterns through the same allocator (defects §6: with
     * libhyphen a failing malloc here exited the process). */
    if ((st = jk_context_add_font_file(ctx, font_path, &desc)) ||
        (st = jk_context_load_hyphenation(ctx, NULL)) ||
        (st = jk_document_create_from_text(ctx, text, sizeof text - 1,
                                           &doc)) ||
        (st = jk_layout_create(doc, &s, &layout)))
        goto done;
    uint8_t px[200 * 150] = {0};
    jk_surface sf = {px, 200, 150, 200, JK_PIXEL_GRAY8, 0};
    size_t bytes = 0;
    if ((st = jk_layout_render_page(layout, 0, &sf)) ||
        (st = jk_surface_write_png(ctx, &sf, 96, discard, &bytes)))
        goto done;
    /* Drawing options, a rotated packed surface, a glyph cache so small
     * it evicts, and PNG with a title at 4 bits. */
    uint8_t px4[100 * 150] = {0};
    jk_surface sf4 = {px4, 150, 200, 75, JK_PIXEL_GRAY4, 90};
    jk_render_options ro;
    jk_render_options_init(&ro);
    ro.darken = 0.4;
    ro.dither = JK_DITHER_FS;
    jk_rect dirty;
    jk_png_options po;
    jk_png_options_init(&po);
    po.bit_depth = 4;
    po.title = "Title 제목";
    if ((st = jk_context_set_glyph_cache_budget(ctx, 3000)) ||
        (st = jk_layout_render_page_ex(layout, 0, &sf4, &ro, &dirty)) ||
        (st = jk_surface_write_png_ex(ctx, &sf4, &po, discard, &bytes)))
        goto done;
    /* A document built block by block, with an italic span. */
    jk_document *built = NULL;
    jk_span span = {5, 10, JK_STYLE_ITALIC};
    if ((st = jk_document_create(ctx, &built)) == JK_OK &&
        (st = jk_document_add_block(built, JK_BLOCK_TITLE, "Title", 5, NULL,
                                    0)) == JK_OK)
        st = jk_document_add_block(built, JK_BLOCK_PARAGRAPH,
                                   "Some words, slanted.", 20, &span, 1);
    jk_document_destroy(built);
    if (st != JK_OK)
        goto done;
    /* The font-size preview: page counts at other settings (on a drawer
     * too, and by a count job), a sample strip, highlight rectangles and
     * the word at an offset. */
    jk_settings big = s, small = s;
    big.scale = 1.5;
    small.font_size_pt = 8;
    const jk_settings *steps[] = {&big, &small};
    size_t counts[2], rects;
    size_t ws, we;
    jk_rect r[4];
    jk_drawer *drawer = NULL;
    jk_count_job *job = NULL;
    if ((st = jk_drawer_create(ctx, &drawer)) == JK_OK)
        st = jk_drawer_page_counts(drawer, doc, steps, 2, counts);
    if (st == JK_OK && (st = jk_count_job_create(doc, steps, 2, &job)) ==
                           JK_OK &&
        (st = jk_drawer_count_job_run(drawer, job)) == JK_OK)
        st = jk_count_job_finish(job, counts);
    jk_count_job_destroy(job);
    jk_drawer_destroy(drawer);
    if (st != JK_OK)
        goto done;
    if ((st = jk_document_page_counts(doc, steps, 2, counts)) ||
        (st = jk_context_render_sample(ctx, "Sample 글자", 12, &s, NULL, &sf,
                                       NULL)) ||
        (st = jk_layout_range_rects(layout, 0, 0, 40, r, 4, &rects)) ||
        (st = jk_document_word_at(doc, 1, &ws, &we)))
        goto done;
done:
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    return st;
}

static jk_status pipeline(tu_counting *c, const char *font_path)
{
    return pipeline_budget(c, font_path, 0);
}

/* A memory budget: for every budget from nothing up to what the pipeline
 * needs, each run either succeeds or fails with JK_ERR_LIMIT saying so
 * (never plain out-of-memory, since the system's allocator never fails
 * here), with nothing leaked; the allocation sweep again with a budget
 * large enough, so that every allocation carries its header. */
static void test_memory_budget(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/NotoSerif-Regular.ttf", font_dir);
    size_t step = 16384, budget = 0, ok_at = 0;
    long limits = 0;
    for (; budget < (64u << 20); budget += step) {
        tu_counting c;
    tu_counting_init(&c);
        jk_status st = pipeline_budget(&c, path, budget ? budget : 1);
        CHECKF(c.live == 0, "budget %zu leaked %ld blocks", budget, c.live);
        CHECKF(st == JK_OK || st == JK_ERR_LIMIT, "budget %zu: %s", budget,
               jk_status_string(st));
        if (st == JK_OK) {
            ok_at = budget;
            break;
        }
        limits++;
        if (budget > (1u << 20))
            step = 65536;
    }
    CHECKF(ok_at > 0 && limits > 20, "succeeded at %zu after %ld refusals",
           ok_at, limits);
    /* The message and the counter. */
    jk_context *ctx = NULL;
    CHECK(jk_context_create_with_budget(NULL, 1, &ctx) == JK_ERR_LIMIT &&
          !ctx);
    CHECK(jk_context_create_with_budget(NULL, 8u << 20, &ctx) == JK_OK);
    size_t base = jk_context_memory_used(ctx);
    CHECK(base > 0 && base <= (8u << 20));
    jk_font_desc desc = {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0};
    static char big[10u << 20];
    memset(big, 0x55, sizeof big);
    CHECK(jk_context_add_font_memory(ctx, big, sizeof big, &desc) ==
          JK_ERR_LIMIT);
    CHECK(strstr(jk_context_errmsg(ctx), "budget") != NULL);
    CHECK(jk_context_memory_used(ctx) == base);
    jk_context_destroy(ctx);
    CHECK(jk_context_memory_used(NULL) == 0);
    /* Every allocation failing in turn, with headers on. */
    long n, statuses = 0;
    for (n = 0; n < 100000; n++) {
        tu_counting f;
        tu_counting_init(&f);
        f.budget = n;
        jk_status st = pipeline_budget(&f, path, 256u << 20);
        CHECKF(f.live == 0, "budgeted: failing allocation %ld leaked %ld",
               n, f.live);
        if (f.failed == 0)
            break;
        statuses += st != JK_OK;
    }
    CHECKF(statuses > 50, "only %ld failing runs", statuses);
}

static void test_allocation_failures(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/NotoSerif-Regular.ttf", font_dir);
    tu_counting c;
    tu_counting_init(&c);
    CHECK(pipeline(&c, path) == JK_OK);
    CHECK(c.live == 0);
    long statuses = 0, n;
    for (n = 0; n < 100000; n++) {
        tu_counting f;
        tu_counting_init(&f);
        f.budget = n;
        jk_status st = pipeline(&f, path);
        CHECKF(f.live == 0, "failing allocation %ld leaked %ld blocks", n,
               f.live);
        if (f.failed == 0) {
            CHECK(st == JK_OK);
            break;
        }
        CHECKF(st != JK_OK || f.failed > 0, "allocation %ld", n);
        statuses += st != JK_OK;
    }
    CHECKF(statuses > 50, "only %ld failing runs", statuses);
    printf("allocation failures: %ld points tried\n", n);
}


/* ------------------------------------------------------------ contracts */

static jk_context *bundled(void)
{
    jk_context *ctx = NULL;
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    CHECK(jk_context_add_bundled_fonts(ctx, font_dir) == JK_OK);
    return ctx;
}

static const char article[] =
    "제목 하나\n\n첫 문단입니다. 여러 줄이 되도록 조금 길게 씁니다. "
    "글자크기 설정 파란원을 좌우로 움직이시면 글자크기가 변경 됩니다.\n\n"
    "둘째 문단도 있습니다. The quick brown fox jumps over the lazy dog.\n";

/* Everything a reader can see of a layout, as text. */
static void snapshot(const jk_layout *layout, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%zu pages;",
                                jk_layout_page_count(layout));
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            jk_layout_get_line(layout, p, i, &li);
            n += (size_t)snprintf(out + n, size - n, "%zu:%zu@%.2f,%.2f|",
                                  li.start, li.end, li.x, li.y);
            n += jk_layout_line_text(layout, p, i, out + n, size - n);
            if (n >= size)
                return;
        }
}

/* defects §7: margins near INT_MAX are refused, summed in 64 bits. */
static void test_margins_overflow(void)
{
    jk_context *ctx = bundled();
    jk_document *doc = NULL;
    CHECK(jk_document_create_from_text(ctx, article, sizeof article - 1,
                                       &doc) == JK_OK);
    jk_settings s;
    jk_layout *layout = NULL;
    static const int pairs[][2] = {{INT_MAX, 1}, {INT_MAX, INT_MAX},
                                   {1, INT_MAX}};
    for (size_t i = 0; i < 3; i++) {
        jk_settings_init(&s);
        s.margin_left = pairs[i][0];
        s.margin_right = pairs[i][1];
        CHECK(jk_layout_create(doc, &s, &layout) == JK_ERR_INVALID_ARGUMENT &&
              layout == NULL);
        jk_settings_init(&s);
        s.margin_top = pairs[i][0];
        s.margin_bottom = pairs[i][1];
        CHECK(jk_layout_create(doc, &s, &layout) == JK_ERR_INVALID_ARGUMENT);
    }
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
}

/* defects §8: a jk_layout_set_settings that fails at any stage leaves the
 * layout exactly as it was: pages, lines, settings. Failing allocations
 * are tried one by one, and settings refused after the checks (header and
 * footer bands that leave no room). */
static void test_settings_transaction(void)
{
    tu_counting c;
    tu_counting_init(&c);
    jk_allocator a = tu_counting_allocator(&c);
    jk_context *ctx = NULL;
    CHECK(jk_context_create(&a, &ctx) == JK_OK);
    CHECK(jk_context_add_bundled_fonts(ctx, font_dir) == JK_OK);
    jk_document *doc = NULL;
    CHECK(jk_document_create_from_text(ctx, article, sizeof article - 1,
                                       &doc) == JK_OK);
    jk_settings s, got;
    jk_settings_init(&s);
    s.page_width = 400;
    s.page_height = 900;
    jk_layout *layout = NULL;
    CHECK(jk_layout_create(doc, &s, &layout) == JK_OK);
    static char before[16384], after[16384];
    snapshot(layout, before, sizeof before);

    jk_settings bad = s;
    bad.header = bad.footer = 1;
    bad.font_size_pt = 40;
    bad.page_height = 120;
    CHECK(jk_layout_set_settings(layout, &bad) == JK_ERR_INVALID_ARGUMENT);
    CHECK(strstr(jk_context_errmsg(ctx), "no room") != NULL);
    snapshot(layout, after, sizeof after);
    CHECK(strcmp(before, after) == 0);
    jk_settings_init(&got);
    jk_layout_get_settings(layout, &got);
    CHECK(got.page_height == 900 && got.header == 0 &&
          got.font_size_pt == s.font_size_pt);

    /* Larger type, header and footer (new running text to shape), every
     * allocation failing in turn. */
    jk_settings next = s;
    next.font_size_pt = 16;
    next.header = next.footer = 1;
    long points = 0;
    for (long n = 0; n < 10000; n++, points++) {
        c.budget = n;
        c.failed = 0;
        jk_status st = jk_layout_set_settings(layout, &next);
        c.budget = -1;
        if (c.failed == 0) {
            CHECKF(st == JK_OK, "after %ld allocations: %s (%s)", n,
                   jk_status_string(st), jk_context_errmsg(ctx));
            break;
        }
        CHECK(st == JK_ERR_NOMEM);
        snapshot(layout, after, sizeof after);
        CHECKF(strcmp(before, after) == 0,
               "allocation %ld failing changed the layout", n);
        jk_layout_get_settings(layout, &got);
        CHECK(got.font_size_pt == s.font_size_pt && got.header == 0);
        char hdr[64];
        CHECK(jk_layout_page_header(layout, 0, hdr, sizeof hdr) == 0);
    }
    CHECKF(points > 3, "only %ld allocations in set_settings", points);
    char hdr[64];
    CHECK(jk_layout_page_header(layout, 0, hdr, sizeof hdr) > 0 &&
          strncmp(hdr, "제목", 6) == 0);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    CHECK(c.live == 0);
}

/* Errors like SQLite's: the message is the most recent call's, empty after
 * a success; every status has its own static text. */
static void test_error_messages(void)
{
    jk_context *ctx = bundled();
    jk_document *doc = NULL;
    CHECK(jk_document_create_from_text(ctx, article, sizeof article - 1,
                                       &doc) == JK_OK);
    jk_layout *layout = NULL;
    CHECK(jk_layout_create(doc, NULL, &layout) == JK_OK);
    CHECK(jk_context_errmsg(ctx)[0] == '\0');
    jk_line_info li;
    CHECK(jk_layout_get_line(layout, 99, 0, &li) == JK_ERR_RANGE);
    CHECK(jk_context_errmsg(ctx)[0] != '\0');
    CHECK(jk_layout_get_line(layout, 0, 0, &li) == JK_OK);
    CHECK(jk_context_errmsg(ctx)[0] == '\0');
    size_t off;
    CHECK(jk_layout_hit_test(layout, 0, -1e9, 1e9, &off) ==
          JK_ERR_NOT_FOUND);
    CHECK(strstr(jk_context_errmsg(ctx), "no text") != NULL);
    jk_layout_stats stats;
    CHECK(jk_layout_get_stats(layout, &stats) == JK_OK);
    CHECK(jk_context_errmsg(ctx)[0] == '\0');
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
}

typedef struct released {
    int count;
} released;

static void on_release(void *user) { ((released *)user)->count++; }

/* Fonts: frozen while documents exist, borrowed memory released once when
 * the context is done with it (at once when refused), damaged files
 * refused (defects §10), glyphs a font cannot give drawn as the box. */
static void test_fonts(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/NotoSerif-Regular.ttf", font_dir);
    size_t size;
    unsigned char *bytes = (unsigned char *)tu_read_file(path, &size);
    CHECK(bytes != NULL);
    if (!bytes)
        return;
    jk_font_desc latin = {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0};

    /* Borrowed: released by jk_context_destroy, once. */
    released r = {0};
    jk_context *ctx = NULL;
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    CHECK(jk_context_add_font_borrowed(ctx, bytes, size, &latin, on_release,
                                       &r) == JK_OK);
    CHECK(r.count == 0);
    /* Refused at once: garbage, and a truncated copy of the same font. */
    released g = {0};
    static const unsigned char junk[10] = "not a font";
    CHECK(jk_context_add_font_borrowed(ctx, junk, sizeof junk, &latin,
                                       on_release, &g) == JK_ERR_FONT &&
          g.count == 1);
    CHECK(jk_context_add_font_borrowed(ctx, bytes, size / 10, &latin,
                                       on_release, &g) == JK_ERR_FONT &&
          g.count == 2);
    CHECK(strstr(jk_context_errmsg(ctx), "damaged") != NULL);
    CHECK(jk_context_add_font_memory(ctx, bytes, size / 10, &latin) ==
          JK_ERR_FONT);

    /* Frozen while a document exists. */
    jk_document *doc = NULL;
    static const char text[] = "Title\n\nWords.\n";
    CHECK(jk_document_create_from_text(ctx, text, sizeof text - 1, &doc) ==
          JK_OK);
    CHECK(jk_context_add_font_file(ctx, path, &latin) == JK_ERR_BUSY);
    CHECK(strstr(jk_context_errmsg(ctx), "frozen") != NULL);
    released b = {0};
    CHECK(jk_context_add_font_borrowed(ctx, bytes, size, &latin, on_release,
                                       &b) == JK_ERR_BUSY &&
          b.count == 1);
    CHECK(jk_context_font_count(ctx) == 1);
    jk_document_destroy(doc);
    CHECK(jk_context_add_font_file(ctx, path, &latin) == JK_OK);
    jk_context_destroy(ctx);
    CHECK(r.count == 1);

    /* The bundled list is the font folder's. */
    CHECK(jk_bundled_font_count() == 10);
    for (size_t i = 0; i < jk_bundled_font_count(); i++) {
        const char *file = NULL;
        jk_font_desc d;
        CHECK(jk_bundled_font(i, &file, &d) == JK_OK && file &&
              strstr(file, ".ttf"));
    }
    CHECK(jk_bundled_font(10, NULL, NULL) == JK_ERR_RANGE);

    /* A font whose outlines are garbage but whose tables fit: it loads,
     * its glyphs fail to draw, and each is drawn as the box and counted. */
    unsigned char *bad = malloc(size);
    memcpy(bad, bytes, size);
    size_t tables = (size_t)bad[4] << 8 | bad[5];
    for (size_t i = 0; i < tables; i++) {
        unsigned char *rec = bad + 12 + 16 * i;
        if (memcmp(rec, "glyf", 4) != 0)
            continue;
        size_t off = (size_t)rec[8] << 24 | (size_t)rec[9] << 16 |
                     (size_t)rec[10] << 8 | rec[11];
        size_t len = (size_t)rec[12] << 24 | (size_t)rec[13] << 16 |
                     (size_t)rec[14] << 8 | rec[15];
        memset(bad + off, 0xFF, len); /* every contour count -1... */
    }
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    CHECK(jk_context_add_font_memory(ctx, bad, size, &latin) == JK_OK);
    CHECK(jk_document_create_from_text(ctx, text, sizeof text - 1, &doc) ==
          JK_OK);
    jk_layout *layout = NULL;
    jk_settings s;
    jk_settings_init(&s);
    s.page_width = 300;
    s.page_height = 200;
    CHECK(jk_layout_create(doc, &s, &layout) == JK_OK);
    uint8_t *px = calloc(300 * 200, 1);
    jk_surface sf = {px, 300, 200, 300, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page(layout, 0, &sf) == JK_OK);
    jk_glyph_cache_stats cs;
    CHECK(jk_context_get_glyph_cache_stats(ctx, &cs) == JK_OK);
    size_t ink = 0;
    for (size_t i = 0; i < 300 * 200; i++)
        ink += px[i] < 128;
    CHECKF(cs.failures >= 5 && ink > 100,
           "%llu glyphs failed, %zu dark pixels",
           (unsigned long long)cs.failures, ink);
    free(px);
    free(bad);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    free(bytes);
}

/* Structs that grow: a caller's jk_settings exactly as long as the 1.0
 * layout is read and written no further (ASan sees any overrun); a larger
 * struct_size from a newer caller is taken as far as this library goes;
 * one below the 1.0 layout is refused. */
static void test_struct_sizes(void)
{
    jk_context *ctx = bundled();
    jk_document *doc = NULL;
    CHECK(jk_document_create_from_text(ctx, article, sizeof article - 1,
                                       &doc) == JK_OK);
    size_t v1 = offsetof(jk_settings, footer) + sizeof(int);
    jk_settings full;
    jk_settings_init(&full);
    full.font_size_pt = 13;
    jk_settings *old = malloc(v1);
    memcpy(old, &full, v1);
    old->struct_size = v1;
    jk_layout *a = NULL, *b = NULL;
    CHECK(jk_layout_create(doc, old, &a) == JK_OK);
    CHECK(jk_layout_create(doc, &full, &b) == JK_OK);
    static char sa[16384], sb[16384];
    snapshot(a, sa, sizeof sa);
    snapshot(b, sb, sizeof sb);
    CHECK(strcmp(sa, sb) == 0);
    /* get_settings writes v1 bytes only: a canary after them survives. */
    unsigned char *buf = malloc(v1 + 16);
    memset(buf, 0xA5, v1 + 16);
    jk_layout_get_settings_sized(a, (jk_settings *)buf, v1);
    CHECK(((jk_settings *)buf)->struct_size == v1 &&
          ((jk_settings *)buf)->font_size_pt == 13);
    bool canary = true;
    for (size_t i = v1; i < v1 + 16; i++)
        canary &= buf[i] == 0xA5;
    CHECK(canary);
    /* Too short to be any version; a newer, longer one. */
    old->struct_size = v1 - 1;
    jk_layout *c = NULL;
    CHECK(jk_layout_set_settings(a, old) == JK_ERR_INVALID_ARGUMENT);
    CHECK(strstr(jk_context_errmsg(ctx), "struct_size") != NULL);
    unsigned char *newer = calloc(1, sizeof full + 64);
    memcpy(newer, &full, sizeof full);
    ((jk_settings *)newer)->struct_size = sizeof full + 64;
    CHECK(jk_layout_create(doc, (jk_settings *)newer, &c) == JK_OK);
    /* A zeroed render options struct (struct_size 0) is the defaults. */
    jk_render_options ro;
    memset(&ro, 0, sizeof ro);
    uint8_t *px = calloc(1072 * 1448, 1);
    jk_surface sf = {px, 1072, 1448, 1072, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page_ex(a, 0, &sf, &ro, NULL) == JK_OK);
    free(px);
    free(newer);
    free(buf);
    free(old);
    jk_layout_destroy(a);
    jk_layout_destroy(b);
    jk_layout_destroy(c);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
}

/* Presets and names in one table each. */
static void test_presets(void)
{
    const jk_device *d = jk_device_find("kindle-pw1");
    CHECK(d && d->width == 758 && d->height == 1024 && d->dpi == 212);
    CHECK(jk_device_find("no such device") == NULL);
    CHECK(jk_device_count() >= 9 && jk_device_get(jk_device_count()) == NULL);
    jk_settings s;
    jk_settings_init(&s);
    jk_settings_set_device(&s, d);
    CHECK(s.page_width == 758 && s.page_height == 1024 && s.dpi == 212);
    int v = -1;
    CHECK(jk_value_of(JK_NAMES_WORD_BREAK, "keep-all", &v) == JK_OK &&
          v == JK_WORD_BREAK_KEEP_ALL);
    CHECK(jk_value_of(JK_NAMES_DITHER, "fs", &v) == JK_OK &&
          v == JK_DITHER_FS);
    CHECK(jk_value_of(JK_NAMES_ALIGN, "centre", &v) == JK_ERR_NOT_FOUND);
    CHECK(strcmp(jk_name_of(JK_NAMES_PIXEL_FORMAT, JK_PIXEL_RGB565),
                 "rgb565") == 0);
    CHECK(jk_name_of(JK_NAMES_ALIGN, 99) == NULL &&
          jk_name_of(JK_NAMES_ALIGN, -1) == NULL &&
          jk_name_of((jk_name_set)99, 0) == NULL);
    for (int k = 0; k < JK_BLOCK_KIND_COUNT; k++)
        CHECK(strcmp(jk_block_kind_name((jk_block_kind)k),
                     jk_name_of(JK_NAMES_BLOCK_KIND, k)) == 0);
    CHECK(jk_png_depth_for_levels(256) == 8 &&
          jk_png_depth_for_levels(16) == 4 &&
          jk_png_depth_for_levels(4) == 2 && jk_png_depth_for_levels(2) == 1 &&
          jk_png_depth_for_levels(3) == 0);
    /* The page of a rotated panel, and taps through it. */
    jk_surface sf = {NULL, 1448, 1072, 2896, JK_PIXEL_RGB565, 90};
    int w, h;
    CHECK(jk_surface_page_size(&sf, &w, &h) == JK_OK && w == 1072 &&
          h == 1448);
    static const int rotations[] = {0, 90, 180, 270};
    for (int r = 0; r < 4; r++) {
        sf.rotation = rotations[r];
        sf.width = r % 2 ? 1448 : 1072;
        sf.height = r % 2 ? 1072 : 1448;
        double x = 100.5, y = 300.5, sx, sy, bx, by;
        CHECK(jk_page_to_surface(&sf, x, y, &sx, &sy) == JK_OK);
        CHECK(jk_surface_to_page(&sf, sx, sy, &bx, &by) == JK_OK &&
              fabs(bx - x) < 1e-9 && fabs(by - y) < 1e-9);
        /* The header's pixel formula for the pixel (100, 300). */
        int ex[] = {100, 1448 - 1 - 300, 1072 - 1 - 100, 300};
        int ey[] = {300, 100, 1448 - 1 - 300, 1072 - 1 - 100};
        CHECKF((int)sx == ex[r] && (int)sy == ey[r],
               "rotation %d: (%g, %g)", rotations[r], sx, sy);
    }
    sf.rotation = 45;
    CHECK(jk_surface_page_size(&sf, &w, &h) == JK_ERR_INVALID_ARGUMENT);
}

/* defects §12: a PNG title that is not valid UTF-8 is refused. */
static void test_png_title(void)
{
    jk_context *ctx = NULL;
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    uint8_t px[16] = {0};
    jk_surface sf = {px, 4, 4, 4, JK_PIXEL_GRAY8, 0};
    jk_png_options po;
    jk_png_options_init(&po);
    size_t bytes = 0;
    static const char *const bad[] = {"\xff\xfe bad \xc3", "\xc0\xaf",
                                      "\xed\xa0\x80", "abc\xe2\x82"};
    for (size_t i = 0; i < 4; i++) {
        po.title = bad[i];
        CHECK(jk_surface_write_png_ex(ctx, &sf, &po, discard, &bytes) ==
              JK_ERR_INVALID_ARGUMENT);
    }
    po.title = "제목 \xef\xbf\xbd fine";
    CHECK(jk_surface_write_png_ex(ctx, &sf, &po, discard, &bytes) == JK_OK);
    jk_context_destroy(ctx);
}

/* ------------------------------------------------------------------ PNG */

static int fail_write(void *user, const void *data, size_t size)
{
    (void)user;
    (void)data;
    (void)size;
    return -1;
}

static void test_png(void)
{
    jk_context *ctx = tu_context(font_dir);
    CHECK(ctx != NULL);
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    static const char text[] = "제목\n\n한글 본문과 Latin text.\n";
    CHECK(jk_document_create_from_text(ctx, text, sizeof text - 1, &doc) ==
          JK_OK);
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 300;
    st.page_height = 200;
    st.dpi = 212;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_OK);
    int stride = 304; /* wider than the row: padding must not leak in */
    uint8_t *px = malloc((size_t)stride * 200);
    memset(px, 7, (size_t)stride * 200);
    jk_surface sf = {px, 300, 200, stride, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page(layout, 0, &sf) == JK_OK);
    CHECK(px[300] == 7); /* padding untouched */
    membuf m = {0};
    CHECK(jk_surface_write_png(ctx, &sf, 212, mem_write, &m) == JK_OK);
    CHECK(m.size > 8 && memcmp(m.data, "\x89PNG", 4) == 0);
    CHECK(jk_surface_write_png(ctx, &sf, 212, fail_write, NULL) == JK_ERR_IO);
    CHECK(jk_surface_write_png(ctx, &sf, 0, mem_write, &m) ==
          JK_ERR_INVALID_ARGUMENT);

    /* Decode: size, depth, dpi and every pixel. */
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL,
                                             NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, &m, mem_read);
        png_read_info(png, info);
        CHECK(png_get_image_width(png, info) == 300);
        CHECK(png_get_image_height(png, info) == 200);
        CHECK(png_get_bit_depth(png, info) == 8);
        CHECK(png_get_color_type(png, info) == PNG_COLOR_TYPE_GRAY);
        png_uint_32 xr, yr;
        int unit;
        CHECK(png_get_pHYs(png, info, &xr, &yr, &unit) == PNG_INFO_pHYs);
        CHECK(unit == PNG_RESOLUTION_METER);
        CHECKF(xr == 8346 && yr == 8346, "pHYs %u", (unsigned)xr);
        uint8_t row[300];
        size_t differ = 0, dark = 0;
        for (int y = 0; y < 200; y++) {
            png_read_row(png, row, NULL);
            differ += memcmp(row, px + (size_t)y * stride, 300) != 0;
            for (int x = 0; x < 300; x++)
                dark += row[x] < 128;
        }
        CHECK(differ == 0);
        CHECK(dark > 100);
    } else {
        CHECK(!"PNG decoding failed");
    }
    png_destroy_read_struct(&png, &info, NULL);
    free(m.data);
    free(px);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
}

/* ---------------------------------------------- documents from the API */

static size_t render_ink(jk_document *doc, uint8_t *px)
{
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 600;
    st.page_height = 400;
    st.margin_top = st.margin_bottom = 10;
    jk_layout *layout = NULL;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_OK);
    jk_surface sf = {px, 600, 400, 600, JK_PIXEL_GRAY8, 0};
    memset(px, 255, 600 * 400);
    CHECK(jk_layout_render_page(layout, 0, &sf) == JK_OK);
    jk_layout_destroy(layout);
    size_t ink = 0;
    for (size_t i = 0; i < 600 * 400; i++)
        ink += px[i] < 128;
    return ink;
}

static void test_api_documents(void)
{
    jk_context *ctx = NULL;
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    jk_document *doc = (jk_document *)1;
    CHECK(jk_document_create(ctx, &doc) == JK_ERR_NO_FONT && doc == NULL);
    CHECK(jk_context_add_bundled_fonts(ctx, font_dir) == JK_OK);

    static const char title[] = "제목입니다";
    static const char body[] = "보통 글자와 기울임 italic 그리고 굵게 끝.";
    /* Byte ranges: "기울임 italic" and "굵게". */
    const char *it = strstr(body, "기울임"), *bo = strstr(body, "굵게");
    jk_span spans[2] = {
        {(size_t)(it - body), (size_t)(it - body) + strlen("기울임 italic"),
         JK_STYLE_ITALIC},
        {(size_t)(bo - body), (size_t)(bo - body) + strlen("굵게"),
         JK_STYLE_BOLD},
    };
    jk_document *styled = NULL, *plain = NULL;
    CHECK(jk_document_create(ctx, &styled) == JK_OK);
    CHECK(jk_document_create(ctx, &plain) == JK_OK);
    CHECK(jk_document_add_block(styled, JK_BLOCK_TITLE, title,
                                sizeof title - 1, NULL, 0) == JK_OK);
    CHECK(jk_document_add_block(styled, JK_BLOCK_PARAGRAPH, body,
                                sizeof body - 1, spans, 2) == JK_OK);
    CHECK(jk_document_add_block(styled, JK_BLOCK_PARAGRAPH, " \n\t ", 4,
                                NULL, 0) == JK_OK); /* adds nothing */
    CHECK(jk_document_add_block(styled, (jk_block_kind)42, "x", 1, NULL,
                                0) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_document_add_block(styled, JK_BLOCK_PARAGRAPH, "x", 1, NULL,
                                1) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_document_add_block(NULL, JK_BLOCK_PARAGRAPH, "x", 1, NULL, 0) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_document_block_count(styled) == 2);
    jk_block_info bi;
    CHECK(jk_document_get_block(styled, 1, &bi) == JK_OK);
    CHECKF(bi.kind == JK_BLOCK_PARAGRAPH && bi.start == sizeof title &&
               bi.end == sizeof title + sizeof body - 1,
           "block 1 at %zu..%zu", bi.start, bi.end);
    char text[128];
    jk_document_block_text(styled, 1, text, sizeof text);
    CHECK(strcmp(text, body) == 0);
    CHECK(jk_document_add_block(plain, JK_BLOCK_TITLE, title,
                                sizeof title - 1, NULL, 0) == JK_OK);
    CHECK(jk_document_add_block(plain, JK_BLOCK_PARAGRAPH, body,
                                sizeof body - 1, NULL, 0) == JK_OK);

    /* Same text; the styled one is drawn differently: Noto Serif Italic
     * for the Latin word, slanted Nanum Myeongjo for the Hangul (it has no
     * italic face), Nanum Myeongjo Bold for "굵게". */
    uint8_t *a = malloc(600 * 400), *b = malloc(600 * 400);
    size_t ink_styled = render_ink(styled, a), ink_plain = render_ink(plain, b);
    CHECK(ink_plain > 100 && ink_styled > 100);
    CHECK(memcmp(a, b, 600 * 400) != 0);

    /* Synthetic oblique alone: Hangul in italics has no italic face. */
    jk_document *h1 = NULL, *h2 = NULL;
    jk_span all = {0, 9, JK_STYLE_ITALIC};
    CHECK(jk_document_create(ctx, &h1) == JK_OK);
    CHECK(jk_document_create(ctx, &h2) == JK_OK);
    CHECK(jk_document_add_block(h1, JK_BLOCK_PARAGRAPH, "가나다", 9, &all,
                                1) == JK_OK);
    CHECK(jk_document_add_block(h2, JK_BLOCK_PARAGRAPH, "가나다", 9, NULL,
                                0) == JK_OK);
    render_ink(h1, a);
    render_ink(h2, b);
    /* Slanted: the top of the glyphs moves right, so the leftmost ink of
     * the upper rows lies further right than in the upright text. */
    int left_a = 600, left_b = 600;
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 600; x++) {
            if (a[y * 600 + x] < 128 && x < left_a && y < 200)
                left_a = x;
            if (b[y * 600 + x] < 128 && x < left_b && y < 200)
                left_b = x;
        }
    CHECK(memcmp(a, b, 600 * 400) != 0);
    CHECKF(left_a > left_b, "oblique leftmost ink %d, upright %d", left_a,
           left_b);

    /* Bold: Nanum Myeongjo Bold, more ink than the regular face. */
    jk_document *b1 = NULL;
    jk_span bold = {0, 9, JK_STYLE_BOLD};
    CHECK(jk_document_create(ctx, &b1) == JK_OK);
    CHECK(jk_document_add_block(b1, JK_BLOCK_PARAGRAPH, "가나다", 9, &bold,
                                1) == JK_OK);
    size_t ink_bold = render_ink(b1, a), ink_regular = render_ink(h2, b);
    CHECKF(ink_bold > ink_regular * 5 / 4, "bold ink %zu, regular %zu",
           ink_bold, ink_regular);
    jk_document_destroy(b1);
    free(a);
    free(b);
    jk_document_destroy(h1);
    jk_document_destroy(h2);
    jk_document_destroy(styled);
    jk_document_destroy(plain);
    jk_context_destroy(ctx);
}

/* Cancellation at every progress call in turn: reading, shaping, a new
 * layout, new settings, drawing. Each cancelled call says so, leaves
 * nothing behind (the counting allocator), and the objects it had stay as
 * they were and go on working. */
typedef struct cancel_at {
    long calls, at; /* cancel at call number `at` (from 1) */
    int stages[4];
} cancel_at;

static int cancel_progress(void *user, jk_stage stage, size_t done,
                           size_t total)
{
    cancel_at *c = user;
    CHECK(total == 0 || done <= total);
    if ((unsigned)stage < 4)
        c->stages[stage]++;
    return ++c->calls == c->at;
}

static void test_cancellation(void)
{
    long at = 1, cancelled = 0;
    int seen[4] = {0};
    for (;; at++) {
        tu_counting c;
    tu_counting_init(&c);
        jk_allocator a = tu_counting_allocator(&c);
        jk_context *ctx = NULL;
        CHECK(jk_context_create(&a, &ctx) == JK_OK);
        CHECK(jk_context_add_bundled_fonts(ctx, font_dir) == JK_OK);
        cancel_at k = {0, at, {0}};
        jk_context_set_progress(ctx, cancel_progress, &k);
        jk_document *doc = NULL;
        jk_layout *layout = NULL;
        jk_status st = jk_document_create_from_text(ctx, article,
                                                    sizeof article - 1, &doc);
        jk_settings s;
        jk_settings_init(&s);
        s.page_width = 400;
        s.page_height = 600;
        if (st == JK_OK)
            st = jk_layout_create(doc, &s, &layout);
        static char before[16384], after[16384];
        if (st == JK_OK) {
            snapshot(layout, before, sizeof before);
            jk_settings big = s;
            big.font_size_pt = 14;
            st = jk_layout_set_settings(layout, &big);
            if (st == JK_ERR_CANCELLED) { /* as it was */
                CHECK(strstr(jk_context_errmsg(ctx), "cancelled") != NULL);
                snapshot(layout, after, sizeof after);
                CHECKF(strcmp(before, after) == 0, "cancelled at %ld", at);
            }
        }
        if (st == JK_OK) {
            static uint8_t px[400 * 600];
            jk_surface sf = {px, 400, 600, 400, JK_PIXEL_GRAY8, 0};
            st = jk_layout_render_page(layout, 0, &sf);
        }
        bool was_cancelled = st == JK_ERR_CANCELLED;
        CHECKF(st == JK_OK || was_cancelled, "call %ld: %s", at,
               jk_status_string(st));
        if (was_cancelled) {
            cancelled++;
            CHECKF(layout || strstr(jk_context_errmsg(ctx), "cancelled"),
                   "at %ld: %s", at, jk_context_errmsg(ctx));
            /* still usable: without the callback, it all works */
            jk_context_set_progress(ctx, NULL, NULL);
            jk_document *again = NULL;
            CHECK(jk_document_create_from_text(ctx, article,
                                               sizeof article - 1,
                                               &again) == JK_OK);
            jk_layout *l2 = NULL;
            CHECK(jk_layout_create(again, &s, &l2) == JK_OK);
            if (layout)
                CHECK(jk_layout_set_settings(layout, &s) == JK_OK);
            jk_layout_destroy(l2);
            jk_document_destroy(again);
        }
        for (int i = 0; i < 4; i++)
            if (k.stages[i] > seen[i])
                seen[i] = k.stages[i];
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
        jk_context_destroy(ctx);
        CHECKF(c.live == 0, "cancelled at %ld: %ld blocks leaked", at,
               c.live);
        if (!was_cancelled)
            break;
    }
    CHECKF(cancelled >= 10, "%ld calls cancelled", cancelled);
    for (int i = 0; i < 4; i++)
        CHECKF(seen[i] > 0, "stage %d never reported", i);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test-api FONT_DIR\n");
        return 2;
    }
    font_dir = argv[1];
    test_status_and_null();
    test_errors();
    test_png();
    test_api_documents();
    test_margins_overflow();
    test_settings_transaction();
    test_error_messages();
    test_fonts();
    test_struct_sizes();
    test_presets();
    test_png_title();
    test_allocation_failures();
    test_memory_budget();
    test_cancellation();
    return tu_finish("api");
}
