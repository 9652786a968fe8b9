/* The font-size preview's API (issue 9): page counts at a list of
 * settings, the sample strip, the word at a point, highlight rectangles,
 * and the reader's place kept across every size step, both ways. Linked
 * from the library's objects: the highlight test reads the placed glyphs
 * (place.h) to check that the rectangles cover exactly the range's. */
#include <math.h>
#include <stdint.h>

#include "layout.h"
#include "memory.h"
#include "place.h"
#include "testutil.h"
#include "utf8.h"

static jk_context *ctx;
static const double kSteps[] = {0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2};
enum { STEPS = sizeof kSteps / sizeof kSteps[0] };

/* ---------------------------------------------------------- page counts */

/* One call gives, for each settings, exactly the page count of a layout
 * made with them, whatever the order and whatever the settings differ
 * in; a NULL or bad settings is refused by index. */
static void test_page_counts(jk_document *doc)
{
    jk_settings st[STEPS + 3];
    const jk_settings *ptr[STEPS + 3];
    for (int i = 0; i < STEPS + 3; i++) {
        jk_settings_init(&st[i]);
        st[i].scale = i < STEPS ? kSteps[STEPS - 1 - i] : 1;
        ptr[i] = &st[i];
    }
    st[STEPS].header = st[STEPS].footer = 1;
    st[STEPS + 1].word_break = JK_WORD_BREAK_KEEP_ALL;
    st[STEPS + 1].font_size_pt = 14;
    jk_settings_set_device(&st[STEPS + 2], jk_device_find("kindle-pw1"));
    size_t pages[STEPS + 3];
    CHECK(jk_document_page_counts(doc, ptr, STEPS + 3, pages) == JK_OK);
    size_t previous = SIZE_MAX;
    for (int i = 0; i < STEPS + 3; i++) {
        jk_layout *layout;
        CHECK(jk_layout_create(doc, &st[i], &layout) == JK_OK);
        CHECKF(pages[i] == jk_layout_page_count(layout),
               "settings %d: %zu pages counted, %zu laid out", i, pages[i],
               jk_layout_page_count(layout));
        jk_layout_destroy(layout);
        if (i < STEPS) { /* larger type, more pages */
            CHECKF(pages[i] <= previous, "scale %g: %zu pages",
                   st[i].scale, pages[i]);
            previous = pages[i];
        }
    }
    CHECK(jk_document_page_counts(doc, ptr, 0, NULL) == JK_OK);
    CHECK(jk_document_page_counts(NULL, ptr, 1, pages) ==
          JK_ERR_INVALID_ARGUMENT);
    ptr[2] = NULL;
    CHECK(jk_document_page_counts(doc, ptr, 3, pages) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(strstr(jk_context_errmsg(ctx), "settings 2") != NULL);
    ptr[2] = &st[2];
    st[1].scale = 1000; /* a body size past the limit */
    pages[2] = 12345;
    CHECK(jk_document_page_counts(doc, ptr, 3, pages) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECKF(strstr(jk_context_errmsg(ctx), "settings 1: ") != NULL, "%s",
           jk_context_errmsg(ctx));
    CHECK(pages[2] == 12345);
    /* Composed together, the second cannot be paginated (its header and
     * footer leave no room): named, and the first still counted. */
    jk_settings roomy, cramped;
    jk_settings_init(&roomy);
    roomy.header = roomy.footer = 1;
    cramped = roomy;
    cramped.page_height = 200;
    const jk_settings *pair[] = {&roomy, &cramped};
    size_t two[2] = {0, 12345};
    CHECK(jk_document_page_counts(doc, pair, 2, two) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECKF(strncmp(jk_context_errmsg(ctx), "settings 1: ", 12) == 0, "%s",
           jk_context_errmsg(ctx));
    CHECK(two[0] > 0 && two[1] == 12345);
}

/* A document of thousands of lines at every size, which counting pages
 * as it composes (COUNT_LINES in count.c, 1024) cuts and drops many
 * times over: the counts are those of full layouts, justified and
 * ragged, with headings, figures, captions and tables when Markdown is
 * read. */
static void expect_long_counts(jk_document *doc, const char *what)
{
    for (int align = 0; align < 2; align++) {
        jk_settings st[STEPS];
        const jk_settings *ptr[STEPS];
        size_t pages[STEPS];
        for (int i = 0; i < STEPS; i++) {
            jk_settings_init(&st[i]);
            st[i].scale = kSteps[i];
            st[i].align = align ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
            ptr[i] = &st[i];
        }
        CHECK(jk_document_page_counts(doc, ptr, STEPS, pages) == JK_OK);
        for (int i = 0; i < STEPS; i++) {
            jk_layout *layout;
            CHECK(jk_layout_create(doc, &st[i], &layout) == JK_OK);
            CHECKF(layout->line_count > 2048, "%s: %zu lines only", what,
                   layout->line_count);
            CHECKF(pages[i] == jk_layout_page_count(layout),
                   "%s, align %d, scale %g: %zu pages counted, %zu laid out",
                   what, align, kSteps[i], pages[i],
                   jk_layout_page_count(layout));
            jk_layout_destroy(layout);
        }
    }
}

static void test_long_counts(const char *src, size_t n, const char *md_path)
{
    enum { TIMES = 24 };
    char *text = malloc(TIMES * (n + 2));
    CHECK(text != NULL);
    if (!text)
        return;
    for (int i = 0; i < TIMES; i++) {
        memcpy(text + i * (n + 2), src, n);
        memcpy(text + i * (n + 2) + n, "\n\n", 2);
    }
    jk_document *doc;
    CHECK(jk_document_create_from_text(ctx, text, TIMES * (n + 2), &doc) ==
          JK_OK);
    expect_long_counts(doc, "the article, repeated");
    jk_document_destroy(doc);
    size_t md_n;
    char *md = jk_format_available(JK_FORMAT_MARKDOWN)
                   ? tu_read_file(md_path, &md_n)
                   : NULL;
    if (md) {
        enum { MD_TIMES = 40 };
        char *many = realloc(text, MD_TIMES * (md_n + 2));
        CHECK(many != NULL);
        if (many) {
            text = many;
            for (int i = 0; i < MD_TIMES; i++) {
                memcpy(text + i * (md_n + 2), md, md_n);
                memcpy(text + i * (md_n + 2) + md_n, "\n\n", 2);
            }
            jk_read_options ro;
            jk_read_options_init(&ro);
            ro.format = JK_FORMAT_MARKDOWN;
            CHECK(jk_document_read(ctx, text, MD_TIMES * (md_n + 2), &ro,
                                   &doc) == JK_OK);
            expect_long_counts(doc, "structured.md, repeated");
            jk_document_destroy(doc);
        }
        free(md);
    }
    free(text);
}

/* Layouts composed together (jk__compose_blocks, as page counts do) get
 * exactly the lines each gets composed alone: every field of every
 * line, at every size step, justified and ragged, in every word-break
 * mode, where some sizes need last-resort breaks in a long URL and
 * others do not, with balanced headings, a table and a figure's
 * placeholder. */
static void test_composed_together(void)
{
    static const char text[] =
        "제목이 두 줄로 나뉘는 긴 머리기사: 인공지능 스타트업의 새 모델\n\n"
        "인공지능 스타트업 xAI가 출시한 챗봇 ‘그록(Grok)’이 이용자 5억명의 "
        "데이터를 학습했다는 주장이 나왔다. 자세한 내용은 "
        "https://example.com/very/long/path/that/never/fits/on/one/line/"
        "at/any/size/whatever?query=value&and=more 에서 볼 수 있다. "
        "일련번호 1234567890123456789012345678901234는 작은 글자에서만 "
        "한 줄에 들어간다.\n\n"
        "For drivers, the practical consequences of the new rules are "
        "considerable: battle-tested hyphenation, (parentheses) and "
        "「괄호」 『훈민정음(訓民正音)』이 함께 쓰인다.\n";
    jk_document *doc;
    CHECK(jk_document_create_from_text(ctx, text, sizeof text - 1, &doc) ==
          JK_OK);
    static const char html[] =
        "<h1>표와 그림이 있는 기사의 제목은 두 줄이 되도록 길게 쓴다</h1>"
        "<p>본문 문단은 양쪽 정렬로 짠다. 한국어와 English가 섞여 있다.</p>"
        "<table><tr><th>항목</th><th>값</th></tr>"
        "<tr><td>무게</td><td>25&nbsp;kg</td></tr></table>"
        "<figure><img src=\"missing.png\" alt=\"없는 그림\">"
        "<figcaption>그림 설명은 가운데에 두 줄까지</figcaption></figure>";
    jk_document *structured = NULL;
    jk_read_options ro;
    jk_read_options_init(&ro);
    ro.format = JK_FORMAT_HTML;
    if (jk_format_available(JK_FORMAT_HTML))
        CHECK(jk_document_read(ctx, html, sizeof html - 1, &ro,
                               &structured) == JK_OK);
    jk_document *docs[] = {doc, structured};
    static const jk_word_break modes[] = {JK_WORD_BREAK_AUTO,
                                          JK_WORD_BREAK_KEEP_ALL,
                                          JK_WORD_BREAK_NORMAL};
    size_t compared = 0;
    for (size_t di = 0; di < 2 && docs[di]; di++)
        for (int mode = 0; mode < 3; mode++)
            for (int align = 0; align < 2; align++) {
                jk_layout one[STEPS], many[STEPS];
                jk_layout *ptrs[STEPS];
                for (int i = 0; i < STEPS; i++) {
                    jk_settings st;
                    jk_settings_init(&st);
                    st.scale = kSteps[i];
                    st.word_break = modes[mode];
                    st.align = align ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
                    jk_layout *real;
                    CHECK(jk_layout_create(docs[di], &st, &real) == JK_OK);
                    memset(&one[i], 0, sizeof one[i]);
                    one[i].doc = docs[di];
                    one[i].ctx = ctx;
                    one[i].settings = real->settings; /* resolved */
                    jk_layout_destroy(real);
                    many[i] = one[i];
                    ptrs[i] = &many[i];
                    CHECK(jk__compose(&one[i]) == JK_OK);
                }
                /* together, and in three pieces (as count jobs cut the
                 * document), none starting at a caption after a figure */
                size_t n = docs[di]->block_count, cut[4] = {0, n / 3,
                                                            2 * n / 3, n};
                for (int p = 1; p < 3; p++) {
                    if (cut[p] < cut[p - 1]) /* pieces in order */
                        cut[p] = cut[p - 1];
                    while (cut[p] > 0 && cut[p] < n &&
                           docs[di]->blocks[cut[p]].kind ==
                               JK_BLOCK_CAPTION &&
                           docs[di]->blocks[cut[p] - 1].kind ==
                               JK_BLOCK_FIGURE)
                        cut[p]++;
                }
                for (int p = 0; p < 3; p++)
                    CHECK(jk__compose_blocks(ptrs, STEPS, cut[p],
                                             cut[p + 1]) == JK_OK);
                for (int i = 0; i < STEPS; i++) {
                    CHECKF(many[i].line_count == one[i].line_count,
                           "doc %zu mode %d align %d scale %g: %zu lines "
                           "together, %zu alone", di, mode, align,
                           kSteps[i], many[i].line_count,
                           one[i].line_count);
                    for (size_t l = 0; l < one[i].line_count &&
                                       l < many[i].line_count; l++, compared++)
                        CHECKF(memcmp(&one[i].lines[l], &many[i].lines[l],
                                      sizeof one[i].lines[l]) == 0,
                               "doc %zu mode %d align %d scale %g: line %zu "
                               "differs", di, mode, align, kSteps[i], l);
                    jk__free(ctx, one[i].lines);
                    jk__free(ctx, many[i].lines);
                }
            }
    CHECKF(compared > 1000, "%zu lines compared", compared);
    jk_document_destroy(structured);
    jk_document_destroy(doc);
}

/* --------------------------------------------------------------- sample */

static size_t ink_rows(const uint8_t *px, int w, int h, int *first,
                       int *last)
{
    size_t n = 0;
    *first = -1;
    *last = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (px[(size_t)y * (size_t)w + (size_t)x] < 128) {
                if (*first < 0)
                    *first = y;
                *last = y;
                n++;
                break;
            }
    return n;
}

/* The sample is set as the same paragraph of an article at the same
 * settings: the same height, drawn inside it, cut off by a short
 * surface; measuring alone gives the same height. */
static void test_sample(void)
{
    static const char text[] =
        "가장 빠른 뉴스가 있고 다양한 정보, 쌍방향 소통이 숨쉬는 "
        "다음뉴스를 만나보세요. The quick brown fox jumps over the lazy "
        "dog.\n두 번째 문단입니다.";
    for (int i = 0; i < STEPS; i++) {
        jk_settings st;
        jk_settings_init(&st);
        st.scale = kSteps[i];
        int measured = -1, drawn = -1;
        CHECK(jk_context_render_sample(ctx, text, strlen(text), &st, NULL,
                                       NULL, &measured) == JK_OK);
        /* The same paragraphs in an article of their own. */
        jk_document *doc;
        CHECK(jk_document_create(ctx, &doc) == JK_OK);
        const char *nl = strchr(text, '\n');
        CHECK(jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, text,
                                    (size_t)(nl - text), NULL, 0) == JK_OK);
        CHECK(jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, nl + 1,
                                    strlen(nl + 1), NULL, 0) == JK_OK);
        jk_layout *layout;
        CHECK(jk_layout_create(doc, &st, &layout) == JK_OK);
        size_t lines = jk_layout_line_count(layout, 0);
        jk_line_info first, last;
        CHECK(lines >= 3 && jk_layout_get_line(layout, 0, 0, &first) == JK_OK &&
              jk_layout_get_line(layout, 0, lines - 1, &last) == JK_OK);
        double height = last.top + last.height - first.top;
        CHECKF(fabs(measured - height) <= 1, "scale %g: sample %d px, "
               "article %.1f px", kSteps[i], measured, height);
        jk_layout_destroy(layout);
        jk_document_destroy(doc);

        int w = st.page_width, h = measured + 40;
        uint8_t *px = malloc((size_t)w * (size_t)h);
        memset(px, 0x55, (size_t)w * (size_t)h);
        jk_surface sf = {px, w, h, w, JK_PIXEL_GRAY8, 0};
        CHECK(jk_context_render_sample(ctx, text, strlen(text), &st, NULL,
                                       &sf, &drawn) == JK_OK);
        CHECK(drawn == measured);
        int top, bottom;
        ink_rows(px, w, h, &top, &bottom);
        CHECKF(top > 0 && bottom < measured, "scale %g: ink rows %d..%d of "
               "%d", kSteps[i], top, bottom, measured);
        CHECK(px[(size_t)(h - 1) * (size_t)w] == 255); /* cleared */
        /* A surface half as tall: drawn and cut, no harm. */
        sf.height = measured / 2;
        memset(px, 0x55, (size_t)w * (size_t)h);
        CHECK(jk_context_render_sample(ctx, text, strlen(text), &st, NULL,
                                       &sf, NULL) == JK_OK);
        CHECK(px[(size_t)(measured / 2) * (size_t)w] == 0x55);
        free(px);
    }
    jk_settings st;
    jk_settings_init(&st);
    int h = -1;
    CHECK(jk_context_render_sample(ctx, "", 0, &st, NULL, NULL, &h) == JK_OK &&
          h == 0);
    CHECK(jk_context_render_sample(ctx, NULL, 3, &st, NULL, NULL, &h) ==
          JK_ERR_INVALID_ARGUMENT);
    st.scale = -1;
    CHECK(jk_context_render_sample(ctx, "가", 3, &st, NULL, NULL, &h) ==
          JK_ERR_INVALID_ARGUMENT);
    /* the sample's document is gone: the font set is not frozen */
    jk_font_desc desc = {0};
    jk_status added = jk_context_add_font_memory(ctx, "x", 1, &desc);
    CHECKF(added == JK_ERR_FONT, "%s", jk_status_string(added));
}

/* ---------------------------------------------------------------- words */

static void expect_word(jk_document *doc, const char *text, const char *at,
                        const char *word)
{
    const char *p = strstr(text, at);
    CHECKF(p != NULL, "no '%s'", at);
    if (!p)
        return;
    size_t start = 0, end = 0;
    jk_status s = jk_document_word_at(doc, (size_t)(p - text), &start, &end);
    if (!word) {
        CHECKF(s == JK_ERR_NOT_FOUND, "'%s': a word", at);
        return;
    }
    CHECKF(s == JK_OK && end - start == strlen(word) &&
               !memcmp(text + start, word, end - start),
           "at '%s': '%.*s', want '%s'", at, (int)(end - start),
           text + start, word);
}

static void test_words(void)
{
    static const char text[] =
        "인공지능(AI)입니다. 트위터는 don't 3.5% “그록”, e-ink 60억 달러 "
        "訓民正音이 a16z";
    jk_document *doc;
    CHECK(jk_document_create(ctx, &doc) == JK_OK);
    CHECK(jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, text, strlen(text),
                                NULL, 0) == JK_OK);
    expect_word(doc, text, "인공", "인공지능");
    expect_word(doc, text, "지능(", "인공지능");
    expect_word(doc, text, "AI)", "AI");
    expect_word(doc, text, "I)입", "AI");
    expect_word(doc, text, "입니다", "입니다");
    expect_word(doc, text, "(AI", NULL);
    expect_word(doc, text, ". 트", NULL);
    expect_word(doc, text, " 트위", NULL);
    expect_word(doc, text, "위터는", "트위터는");
    expect_word(doc, text, "n't", "don't");
    expect_word(doc, text, "5%", "3.5");
    expect_word(doc, text, "그록”", "그록");
    expect_word(doc, text, "ink", "ink");
    expect_word(doc, text, "억", "60억");
    expect_word(doc, text, "民", "訓民正音이");
    expect_word(doc, text, "16z", "a16z");
    size_t a = 7, b = 7;
    CHECK(jk_document_word_at(doc, strlen(text) + 5, &a, &b) ==
          JK_ERR_NOT_FOUND && a == 7 && b == 7);
    CHECK(jk_document_word_at(NULL, 0, &a, &b) == JK_ERR_INVALID_ARGUMENT);
    jk_document_destroy(doc);
}

/* ------------------------------------------------- hits and highlights */

typedef struct glyphs {
    const jk__block *b;
    size_t start, end;
    const jk_rect *rect;
    int bad;
} glyphs;

/* Every glyph of the range lies inside the rectangle; no other glyph's
 * body reaches into it. */
static jk_status cover_glyph(void *user, const jk__placed_glyph *g)
{
    glyphs *c = user;
    if (g->cluster >= JK__CLUSTER_MARKER)
        return JK_OK;
    size_t off = jk__off(c->b, g->cluster);
    double x0 = g->x, x1 = g->x + g->advance;
    const jk_rect *r = c->rect;
    if (off >= c->start && off < c->end) {
        if (x0 < r->x - 1e-6 || x1 > r->x + r->width + 1e-6)
            c->bad++;
    } else if (g->advance > 2 && !jk__is_stretchable(c->b->cps[g->cluster]) &&
               x0 + 1 < r->x + r->width && x1 - 1 > r->x) {
        /* (a space has no ink, and in a tight line its advance runs on
         * under the next word, which starts where the space shrank to) */
        c->bad++;
    }
    return JK_OK;
}

/* The reference article: every word of page 2 found again by a tap in the
 * middle of its highlight rectangle, the rectangles hold exactly its
 * glyphs and the word's ink, and taps off the text miss. */
static void test_hits(jk_document *doc, const char *src)
{
    jk_settings st;
    jk_settings_init(&st);
    jk_layout *layout;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_OK);
    const size_t page = 1;
    int w = st.page_width, h = st.page_height;
    uint8_t *px = calloc((size_t)w, (size_t)h);
    jk_surface sf = {px, w, h, w, JK_PIXEL_GRAY8, 0};
    CHECK(jk_layout_render_page(layout, page, &sf) == JK_OK);
    size_t words = 0;
    for (size_t li = 0; li < jk_layout_line_count(layout, page); li++) {
        jk_line_info line;
        CHECK(jk_layout_get_line(layout, page, li, &line) == JK_OK);
        const jk__line *l = &layout->lines[layout->pages[page].first_line + li];
        for (size_t off = line.start; off < line.end;) {
            size_t ws, we;
            if (jk_document_word_at(doc, off, &ws, &we) != JK_OK) {
                off++;
                continue;
            }
            words++;
            /* within this line (a word may run on from the line before) */
            size_t from = ws > line.start ? ws : line.start;
            size_t to = we < line.end ? we : line.end;
            jk_rect r[2];
            size_t n;
            CHECK(jk_layout_range_rects(layout, page, from, to, r, 2, &n) ==
                      JK_OK && n == 1);
            glyphs c = {&layout->doc->blocks[l->block], from, to, &r[0], 0};
            CHECK(jk__line_glyphs(layout, l, cover_glyph, &c) == JK_OK);
            CHECKF(c.bad == 0, "'%.*s': %d glyphs on the wrong side",
                   (int)(to - from), src + from, c.bad);
            CHECK(r[0].y <= line.top + 0.5 &&
                  r[0].y + r[0].height >= line.top + line.height - 0.5);
            /* its ink is there */
            size_t ink = 0;
            for (int y = r[0].y; y < r[0].y + r[0].height; y++)
                for (int x = r[0].x; x < r[0].x + r[0].width; x++)
                    ink += px[(size_t)y * (size_t)w + (size_t)x] < 128;
            CHECKF(ink > 10, "'%.*s': %zu dark pixels", (int)(to - from),
                   src + from, ink);
            /* a tap in its middle finds it */
            size_t hit = 0, hs = 0, he = 0;
            CHECK(jk_layout_hit_test(layout, page,
                                     r[0].x + r[0].width / 2.0,
                                     line.top + line.height / 2, &hit) ==
                  JK_OK);
            CHECK(jk_document_word_at(doc, hit, &hs, &he) == JK_OK);
            CHECKF(hs == ws && he == we, "tap on '%.*s' gave '%.*s'",
                   (int)(we - ws), src + ws, (int)(he - hs), src + hs);
            off = we;
        }
    }
    CHECKF(words > 60, "%zu words on page 2", words);
    /* A range over several lines: a rectangle a line, tiling. */
    jk_line_info l0, l3;
    CHECK(jk_layout_get_line(layout, page, 0, &l0) == JK_OK &&
          jk_layout_get_line(layout, page, 3, &l3) == JK_OK);
    jk_rect r[8];
    size_t n;
    CHECK(jk_layout_range_rects(layout, page, l0.start, l3.end, r, 8, &n) ==
          JK_OK);
    CHECKF(n >= 4, "%zu rectangles", n);
    for (size_t i = 1; i < n && i < 8; i++)
        CHECK(r[i].y >= r[i - 1].y + r[i - 1].height);
    CHECK(jk_layout_range_rects(layout, page, l0.start, l3.end, NULL, 0,
                                &n) == JK_OK && n >= 4);
    CHECK(jk_layout_range_rects(layout, page, 0, 5, r, 8, &n) == JK_OK &&
          n == 0); /* the title is on page 1 */
    CHECK(jk_layout_range_rects(layout, 999, 0, 5, r, 8, &n) == JK_ERR_RANGE);
    /* Misses: far away, the margins, between paragraphs. */
    size_t off = 99;
    CHECK(jk_layout_hit_test(layout, page, -1e9, 1e9, &off) ==
              JK_ERR_NOT_FOUND && off == 99);
    CHECK(jk_layout_hit_test(layout, page, 10, l0.top + 5, &off) ==
          JK_ERR_NOT_FOUND);
    CHECK(jk_layout_hit_test(layout, page, w / 2.0, h - 5.0, &off) ==
          JK_ERR_NOT_FOUND);
    free(px);
    jk_layout_destroy(layout);
}

/* ------------------------------------------------- place across sizes */

/* For offsets all over the article and every pair of the default scale
 * steps: a reader on the page holding `offset` at scale A, with the first
 * line of that page as the anchor, changes to B: the page shown holds the
 * anchor's line; back to A: the same page as before, and a layout that
 * went A -> B -> A is the layout made at A. */
static void test_place_across_sizes(jk_document *doc, size_t source)
{
    jk_settings st[STEPS];
    jk_layout *fresh[STEPS];
    for (int i = 0; i < STEPS; i++) {
        jk_settings_init(&st[i]);
        st[i].scale = kSteps[i];
        CHECK(jk_layout_create(doc, &st[i], &fresh[i]) == JK_OK);
    }
    jk_layout *reader;
    CHECK(jk_layout_create(doc, &st[0], &reader) == JK_OK);
    enum { PLACES = 97 };
    size_t anchor[PLACES], page[PLACES], checked = 0;
    for (int a = 0; a < STEPS; a++) {
        for (int b = 0; b < STEPS; b++) {
            if (a == b)
                continue;
            /* at A: the page holding each offset, its first line the
             * anchor */
            CHECK(jk_layout_set_settings(reader, &st[a]) == JK_OK);
            for (size_t k = 0; k < PLACES; k++) {
                size_t line;
                jk_line_info top;
                CHECK(jk_layout_locate(reader, k * source / PLACES, &page[k],
                                       &line) == JK_OK &&
                      jk_layout_get_line(reader, page[k], 0, &top) == JK_OK);
                anchor[k] = top.start;
            }
            /* to B: the page shown holds the anchor's line */
            CHECK(jk_layout_set_settings(reader, &st[b]) == JK_OK);
            for (size_t k = 0; k < PLACES; k++) {
                size_t q, ql;
                CHECK(jk_layout_locate(reader, anchor[k], &q, &ql) == JK_OK);
                jk_line_info first, last, held;
                size_t n = jk_layout_line_count(reader, q);
                CHECK(jk_layout_get_line(reader, q, 0, &first) == JK_OK &&
                      jk_layout_get_line(reader, q, n - 1, &last) == JK_OK &&
                      jk_layout_get_line(reader, q, ql, &held) == JK_OK);
                CHECKF(first.start <= anchor[k] && anchor[k] <= last.end &&
                           held.start <= anchor[k] &&
                           (anchor[k] < held.end || held.start == anchor[k]),
                       "x%g -> x%g: byte %zu not on page %zu", kSteps[a],
                       kSteps[b], anchor[k], q);
            }
            /* back to A: the same page, the anchor its first line */
            CHECK(jk_layout_set_settings(reader, &st[a]) == JK_OK);
            for (size_t k = 0; k < PLACES; k++) {
                size_t back, bl;
                CHECK(jk_layout_locate(reader, anchor[k], &back, &bl) ==
                      JK_OK);
                CHECKF(back == page[k] && bl == 0,
                       "x%g -> x%g -> x%g: page %zu line %zu, was %zu",
                       kSteps[a], kSteps[b], kSteps[a], back, bl, page[k]);
                checked++;
            }
            /* and the layout itself is the one made fresh at A */
            CHECK(jk_layout_page_count(reader) ==
                  jk_layout_page_count(fresh[a]));
            for (size_t p = 0; p < jk_layout_page_count(reader); p++) {
                jk_line_info x, y;
                CHECK(jk_layout_line_count(reader, p) ==
                      jk_layout_line_count(fresh[a], p));
                CHECK(jk_layout_get_line(reader, p, 0, &x) == JK_OK &&
                      jk_layout_get_line(fresh[a], p, 0, &y) == JK_OK &&
                      x.start == y.start && x.y == y.y);
            }
        }
    }
    CHECKF(checked > 5000, "%zu moves", checked);
    jk_layout_destroy(reader);
    for (int i = 0; i < STEPS; i++)
        jk_layout_destroy(fresh[i]);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-preview FONT_DIR ARTICLE\n");
        return 2;
    }
    ctx = tu_context(argv[1]);
    size_t n;
    char *src = tu_read_file(argv[2], &n);
    if (!ctx || !src)
        return 1;
    jk_document *doc;
    if (jk_document_create_from_text(ctx, src, n, &doc) != JK_OK)
        return 1;
    test_page_counts(doc);
    /* structured.md lies beside the article */
    char md_path[4096];
    const char *slash = strrchr(argv[2], '/');
    snprintf(md_path, sizeof md_path, "%.*sstructured.md",
             slash ? (int)(slash - argv[2] + 1) : 0, argv[2]);
    test_long_counts(src, n, md_path);
    test_composed_together();
    test_words();
    test_hits(doc, src);
    test_place_across_sizes(doc, n);
    jk_document_destroy(doc);
    test_sample();
    jk_context_destroy(ctx);
    free(src);
    return tu_finish("preview");
}
