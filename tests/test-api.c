/* The public API's contracts: error paths, destroy(NULL), status strings,
 * allocation failure at every step, PNG output decoded back.
 * Usage: test-api FONT_DIR */
#include <png.h>
#include <stdint.h>

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
        {JK_ERR_BUSY, 12},    {JK_ERR_NOT_FOUND, 13},
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

typedef struct counting {
    long budget; /* allocations left before failing; < 0: never fail */
    long live;   /* blocks currently held */
    long failed;
} counting;

static void *c_malloc(size_t size, void *user)
{
    counting *c = user;
    if (c->budget == 0) {
        c->failed++;
        return NULL;
    }
    if (c->budget > 0)
        c->budget--;
    void *p = malloc(size);
    if (p)
        c->live++;
    return p;
}

static void *c_realloc(void *ptr, size_t size, void *user)
{
    counting *c = user;
    if (!ptr)
        return c_malloc(size, user);
    if (c->budget == 0) {
        c->failed++;
        return NULL;
    }
    if (c->budget > 0)
        c->budget--;
    return realloc(ptr, size);
}

static void c_free(void *ptr, void *user)
{
    counting *c = user;
    if (ptr)
        c->live--;
    free(ptr);
}

static int discard(void *user, const void *data, size_t size)
{
    (void)data;
    *(size_t *)user += size;
    return 0;
}

/* The whole pipeline with one font, failing the Nth allocation for every
 * N in turn: each run must fail cleanly (a status, nothing leaked) or
 * succeed. */
static jk_status pipeline(counting *c, const char *font_path)
{
    jk_allocator a = {c_malloc, c_realloc, c_free, c};
    jk_context *ctx = NULL;
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    jk_status st = jk_context_create(&a, &ctx);
    if (st != JK_OK)
        return st;
    jk_font_desc desc = {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0};
    static const char text[] = "Title\n\nSome words to lay out, "
                               "then break into lines and pages.\n";
    jk_settings s;
    jk_settings_init(&s);
    s.page_width = 200;
    s.page_height = 150;
    s.dpi = 96;
    s.margin_left = s.margin_right = s.margin_top = s.margin_bottom = 10;
    if ((st = jk_context_add_font_file(ctx, font_path, &desc)) ||
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
done:
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    return st;
}

static void test_allocation_failures(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/NotoSerif-Regular.ttf", font_dir);
    counting c = {-1, 0, 0};
    CHECK(pipeline(&c, path) == JK_OK);
    CHECK(c.live == 0);
    long statuses = 0, n;
    for (n = 0; n < 100000; n++) {
        counting f = {n, 0, 0};
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
    test_allocation_failures();
    return tu_finish("api");
}
