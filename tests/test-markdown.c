/* The Markdown reader (render/markdown.c) through the public API: each
 * construct to block kinds, levels, depths, markers, spans, links,
 * figures and source offsets; no text lost against md4c-html's rendering
 * of the same input; the reference article against its plain-text
 * version; pathological input in bounded time and memory; every
 * allocation failing in turn.
 * Usage: test-markdown FONT_DIR TESTS_DIR */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <md4c-html.h>
#include <ctype.h>
#include <time.h>

#include "testutil.h"

static const char *font_dir, *tests_dir;
static jk_context *ctx;

/* tu_tiny_png in base64, for data: URIs; the loader gives the PNG for any
 * image but "missing*". */
#define TINY_PNG_B64                                                         \
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAAAAACRn/EaAAAAD0lEQVR4nGNgcGg4wAAnAB4" \
    "PBIEv2ayfAAAAAElFTkSuQmCC"

static jk_image_status tiny_loader(void *user, const char *src,
                                   const void **data, size_t *size)
{
    (void)user;
    if (strncmp(src, "missing", 7) == 0)
        return JK_IMAGE_MISSING;
    *data = tu_tiny_png;
    *size = sizeof tu_tiny_png;
    return JK_IMAGE_OK;
}

/* Files under the tests folder (the articles' figures/). */
static jk_image_status file_loader(void *user, const char *src,
                                   const void **data, size_t *size)
{
    (void)user;
    if (strstr(src, "..") || src[0] == '/')
        return JK_IMAGE_REFUSED;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tests_dir, src);
    char *bytes = tu_read_file(path, size);
    if (!bytes)
        return JK_IMAGE_MISSING;
    *data = bytes;
    return JK_IMAGE_OK;
}

static void file_unload(void *user, const void *data, size_t size)
{
    (void)user;
    (void)size;
    free((void *)data);
}

static jk_status read_md_with(jk_context *c, const char *s, size_t n,
                              bool files, jk_document **doc)
{
    jk_read_options o;
    jk_read_options_init(&o);
    o.format = JK_FORMAT_MARKDOWN;
    o.load = files ? file_loader : tiny_loader;
    o.unload = files ? file_unload : NULL;
    return jk_document_read(c, s, n, &o, doc);
}

static jk_document *md_n(const char *s, size_t n)
{
    jk_document *doc = NULL;
    jk_status st = read_md_with(ctx, s, n, false, &doc);
    CHECKF(st == JK_OK, "read: %s", jk_context_errmsg(ctx));
    return doc;
}

static jk_document *md(const char *s) { return md_n(s, strlen(s)); }

static char *block_text(const jk_document *doc, size_t i)
{
    size_t n = jk_document_block_text(doc, i, NULL, 0);
    char *s = malloc(n + 1);
    jk_document_block_text(doc, i, s, n + 1);
    return s;
}

static jk_block_info info(const jk_document *doc, size_t i)
{
    jk_block_info bi = {JK_BLOCK_KIND_COUNT, 0, 0};
    jk_document_get_block(doc, i, &bi);
    return bi;
}

static jk_block_attrs attrs(const jk_document *doc, size_t i)
{
    jk_block_attrs a;
    memset(&a, 0, sizeof a);
    a.figure = -2;
    jk_document_get_block_attrs(doc, i, &a);
    return a;
}

/* Block i is of `kind` with exactly `text`. */
#define EXPECT_BLOCK(doc, i, kind_, text_)                                   \
    do {                                                                     \
        char *t_ = block_text((doc), (i));                                   \
        jk_block_info bi_ = info((doc), (i));                                \
        CHECKF(bi_.kind == (kind_) && strcmp(t_, (text_)) == 0,              \
               "block %zu: %s '%s', want %s '%s'", (size_t)(i),              \
               jk_block_kind_name(bi_.kind), t_, jk_block_kind_name(kind_),  \
               (text_));                                                     \
        free(t_);                                                            \
    } while (0)

static bool marker_is(const jk_document *doc, size_t i, const char *want)
{
    jk_block_attrs a = attrs(doc, i);
    if (!want)
        return a.marker == NULL;
    return a.marker && strcmp(a.marker, want) == 0;
}

/* The span of `style` in block i that starts at `start`, or 0 spans. */
static bool has_span(const jk_document *doc, size_t i, size_t start,
                     size_t end, unsigned style)
{
    jk_span sp[64];
    size_t n = jk_document_block_spans(doc, i, sp, 64);
    for (size_t k = 0; k < n && k < 64; k++)
        if (sp[k].start == start && sp[k].end == end && sp[k].style == style)
            return true;
    return false;
}

static size_t span_count(const jk_document *doc, size_t i)
{
    return jk_document_block_spans(doc, i, NULL, 0);
}

/* Offset of the first `needle` in `hay` (for expected offsets). */
static size_t at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    return p ? (size_t)(p - hay) : (size_t)-1;
}

/* ------------------------------------------------------------ constructs */

static void test_basics(void)
{
    CHECK(jk_format_available(JK_FORMAT_MARKDOWN) == 1);
    jk_document *doc = md("");
    CHECK(doc && jk_document_block_count(doc) == 0);
    jk_document_destroy(doc);
    doc = md(" \n\t\n  \n");
    CHECK(doc && jk_document_block_count(doc) == 0);
    jk_document_destroy(doc);
    jk_read_options o;
    jk_read_options_init(&o);
    o.format = JK_FORMAT_MARKDOWN;
    doc = NULL;
    CHECK(jk_document_read(ctx, NULL, 0, &o, &doc) == JK_OK && doc);
    jk_document_destroy(doc);
    CHECK(jk_document_read(ctx, NULL, 3, &o, &doc) ==
          JK_ERR_INVALID_ARGUMENT);
    /* a BOM is not text, and offsets still count it */
    doc = md("\xEF\xBB\xBFHello");
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH, "Hello");
    CHECK(info(doc, 0).start == 3 && info(doc, 0).end == 8);
    jk_document_destroy(doc);
}

static void test_headings(void)
{
    const char *s = "# The *title*\n\n## Part A\n\n# Another h1\n\n"
                    "###### Six\n\nSetext two\n---\n\nSetext one\n===\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 6);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_TITLE, "The title");
    CHECK(attrs(doc, 0).level == 1);
    CHECK(info(doc, 0).start == 2 && info(doc, 0).end == at(s, "*\n"));
    CHECK(has_span(doc, 0, at(s, "title"), at(s, "title") + 5,
                   JK_STYLE_ITALIC));
    EXPECT_BLOCK(doc, 1, JK_BLOCK_HEADING, "Part A");
    CHECK(attrs(doc, 1).level == 2);
    EXPECT_BLOCK(doc, 2, JK_BLOCK_HEADING, "Another h1");
    CHECK(attrs(doc, 2).level == 1);
    EXPECT_BLOCK(doc, 3, JK_BLOCK_HEADING, "Six");
    CHECK(attrs(doc, 3).level == 6);
    EXPECT_BLOCK(doc, 4, JK_BLOCK_HEADING, "Setext two");
    CHECK(attrs(doc, 4).level == 2);
    EXPECT_BLOCK(doc, 5, JK_BLOCK_HEADING, "Setext one");
    CHECK(attrs(doc, 5).level == 1);
    jk_document_destroy(doc);

    /* A level-1 heading in a quote or a list is no title. */
    doc = md("> # Quoted\n\n- # Listed\n\n# Real\n");
    EXPECT_BLOCK(doc, 0, JK_BLOCK_HEADING, "Quoted");
    CHECK(attrs(doc, 0).quote_depth == 1 && attrs(doc, 0).level == 1);
    EXPECT_BLOCK(doc, 1, JK_BLOCK_HEADING, "Listed");
    CHECK(attrs(doc, 1).list_depth == 1 && marker_is(doc, 1, "•"));
    EXPECT_BLOCK(doc, 2, JK_BLOCK_TITLE, "Real");
    jk_document_destroy(doc);
}

static void test_inline(void)
{
    const char *s = "Plain **bold** *it* _it2_ `co de` ~~gone~~ "
                    "[link](http://x.y/?a=1&amp;b=2 \"t\") <https://au.to/x>\n"
                    "soft  \nhard\\\nback";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 1);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH,
                 "Plain bold it it2 co de gone link https://au.to/x soft\n"
                 "hard\nback");
    /* a run's span ends at the next character shown (after the
     * closing markup) */
    CHECK(has_span(doc, 0, at(s, "bold"), at(s, "bold") + 6, JK_STYLE_BOLD));
    CHECK(has_span(doc, 0, at(s, "it*"), at(s, "it*") + 3, JK_STYLE_ITALIC));
    CHECK(has_span(doc, 0, at(s, "it2"), at(s, "it2") + 4, JK_STYLE_ITALIC));
    CHECK(has_span(doc, 0, at(s, "co de"), at(s, "co de") + 6,
                   JK_STYLE_CODE));
    CHECK(has_span(doc, 0, at(s, "gone"), at(s, "gone") + 6,
                   JK_STYLE_STRIKE));
    CHECK(has_span(doc, 0, at(s, "link]"), at(s, " <https"),
                   JK_STYLE_LINK));
    const char *href = jk_document_link_at(doc, at(s, "link]") + 1);
    CHECKF(href && strcmp(href, "http://x.y/?a=1&b=2") == 0, "href %s",
           href ? href : "(none)");
    href = jk_document_link_at(doc, at(s, "au.to"));
    CHECK(href && strcmp(href, "https://au.to/x") == 0);
    CHECK(jk_document_link_at(doc, at(s, "Plain")) == NULL);
    CHECK(jk_document_link_at(doc, at(s, "soft")) == NULL);
    CHECK(span_count(doc, 0) == 7);
    CHECK(info(doc, 0).start == 0 && info(doc, 0).end == strlen(s));
    jk_document_destroy(doc);

    /* Nested styles; character references decoded and mapped to the
     * whole reference; unknown ones, and ones CommonMark does not take
     * whole, as written. */
    s = "***both*** &amp;&#x4E00;&#233; **&copy;** &bogus; &notit; "
        "&#0; &#150;";
    doc = md(s);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH,
                 "both &一é © &bogus; &notit; \xEF\xBF\xBD \xE2\x80\x93");
    CHECK(has_span(doc, 0, 3, 10, JK_STYLE_BOLD) &&
          has_span(doc, 0, 3, 10, JK_STYLE_ITALIC));
    CHECK(span_count(doc, 0) == 3);
    size_t c = at(s, "&copy;");
    CHECKF(has_span(doc, 0, c, c + 8, JK_STYLE_BOLD),
           "the bold reference covers &copy;");
    jk_document_destroy(doc);

    /* A hard break as the block's last thing is dropped; a NUL byte is
     * U+FFFD at its own offset. */
    static const char nul[] = "a\0b **c\0**";
    doc = md_n(nul, sizeof nul - 1);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH,
                 "a\xEF\xBF\xBD" "b c\xEF\xBF\xBD");
    CHECK(has_span(doc, 0, 6, 8, JK_STYLE_BOLD));
    CHECK(info(doc, 0).end == 8); /* after the second NUL */
    jk_document_destroy(doc);

    /* Spaces collapsed inside a block leave its end after its last
     * character (the builder once took a stale offset). */
    doc = md("a  ~~s~~");
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH, "a s");
    CHECK(info(doc, 0).end == 6 && has_span(doc, 0, 5, 6, JK_STYLE_STRIKE));
    jk_document_destroy(doc);

    /* Unclosed emphasis is text. */
    doc = md("**never *closed _at all");
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH, "**never *closed _at all");
    CHECK(span_count(doc, 0) == 0);
    jk_document_destroy(doc);
}

static void test_byline(void)
{
    jk_document *doc = md("# 제목\n\n글 홍길동 기자 2024. 6. 15.\n\n본문.\n");
    EXPECT_BLOCK(doc, 1, JK_BLOCK_BYLINE, "글 홍길동 기자 2024. 6. 15.");
    EXPECT_BLOCK(doc, 2, JK_BLOCK_PARAGRAPH, "본문.");
    jk_document_destroy(doc);
    doc = md("# T\n\nBy *Jo* at 9:30\n");
    EXPECT_BLOCK(doc, 1, JK_BLOCK_BYLINE, "By Jo at 9:30");
    CHECK(span_count(doc, 1) == 1);
    jk_document_destroy(doc);
    /* No date, a date inside a number, too long, not right after the
     * title, or no title: paragraphs. */
    const char *const no[] = {
        "# T\n\nBy Jo\n",
        "# T\n\nPart 120245 of it\n",
        ("# T\n\nOn 2024-01-02 a long paragraph went on and on and on past "
         "eighty characters of text.\n"),
        "# T\n\n## H\n\n2024-01-02\n",
        "2024-01-02\n",
        "# T\n\n> 2024-01-02\n",
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        doc = md(no[i]);
        for (size_t b = 0; b < jk_document_block_count(doc); b++)
            CHECKF(info(doc, b).kind != JK_BLOCK_BYLINE, "case %zu", i);
        jk_document_destroy(doc);
    }
}

static void test_quotes(void)
{
    const char *s = "> one\n> > two\n> > > three\n>\n> # Head\n\nout\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 5);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_QUOTE, "one");
    CHECK(attrs(doc, 0).quote_depth == 1);
    EXPECT_BLOCK(doc, 1, JK_BLOCK_QUOTE, "two");
    CHECK(attrs(doc, 1).quote_depth == 2);
    EXPECT_BLOCK(doc, 2, JK_BLOCK_QUOTE, "three");
    CHECK(attrs(doc, 2).quote_depth == 3);
    CHECK(info(doc, 2).start == at(s, "three"));
    EXPECT_BLOCK(doc, 3, JK_BLOCK_HEADING, "Head");
    CHECK(attrs(doc, 3).quote_depth == 3 || attrs(doc, 3).quote_depth == 1);
    EXPECT_BLOCK(doc, 4, JK_BLOCK_PARAGRAPH, "out");
    CHECK(attrs(doc, 4).quote_depth == 0);
    jk_document_destroy(doc);

    /* Shown depth is capped. */
    char deep[64];
    memset(deep, '>', 20);
    strcpy(deep + 20, " deep");
    doc = md(deep);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_QUOTE, "deep");
    CHECK(attrs(doc, 0).quote_depth == 8);
    jk_document_destroy(doc);
}

static void test_lists(void)
{
    const char *s = "- a\n  * b\n    + c\n      - d\n        - e\n- f\n";
    jk_document *doc = md(s);
    static const char *const marks[] = {"•", "◦", "▪", "▪", "▪", "•"};
    static const char *const texts[] = {"a", "b", "c", "d", "e", "f"};
    static const int depths[] = {1, 2, 3, 4, 5, 1};
    CHECK(jk_document_block_count(doc) == 6);
    for (size_t i = 0; i < 6; i++) {
        EXPECT_BLOCK(doc, i, JK_BLOCK_LIST, texts[i]);
        CHECKF(marker_is(doc, i, marks[i]), "marker %zu", i);
        CHECKF(attrs(doc, i).list_depth == depths[i], "depth %zu: %d", i,
               attrs(doc, i).list_depth);
        CHECK(info(doc, i).start == at(s, texts[i]));
    }
    jk_document_destroy(doc);

    /* Ordered lists count from their start; loose items' later
     * paragraphs have no marker; ')' delimiters are shown as '.'. */
    s = "7. seven\n\n   more of seven\n8. eight\n\n\n1) one\n2) two\n";
    doc = md(s);
    CHECK(jk_document_block_count(doc) == 5);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_LIST, "seven");
    CHECK(marker_is(doc, 0, "7."));
    EXPECT_BLOCK(doc, 1, JK_BLOCK_LIST, "more of seven");
    CHECK(marker_is(doc, 1, NULL) && attrs(doc, 1).list_depth == 1);
    EXPECT_BLOCK(doc, 2, JK_BLOCK_LIST, "eight");
    CHECK(marker_is(doc, 2, "8."));
    CHECK(marker_is(doc, 3, "1.") && marker_is(doc, 4, "2."));
    jk_document_destroy(doc);

    /* Tasks; a quote in an item; an item in a quote; code in an item. */
    s = "- [ ] todo\n- [x] done\n1. [X] first\n\n"
        "- > quoted in item\n\n> - item in quote\n\n- ```\n  code\n  ```\n";
    doc = md(s);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_LIST, "todo");
    CHECK(marker_is(doc, 0, "☐"));
    EXPECT_BLOCK(doc, 1, JK_BLOCK_LIST, "done");
    CHECK(marker_is(doc, 1, "☑"));
    EXPECT_BLOCK(doc, 2, JK_BLOCK_LIST, "first");
    CHECK(marker_is(doc, 2, "1. ☑"));
    EXPECT_BLOCK(doc, 3, JK_BLOCK_QUOTE, "quoted in item");
    CHECK(attrs(doc, 3).quote_depth == 1 && attrs(doc, 3).list_depth == 1);
    CHECK(marker_is(doc, 3, "•"));
    EXPECT_BLOCK(doc, 4, JK_BLOCK_LIST, "item in quote");
    CHECK(attrs(doc, 4).quote_depth == 1 && attrs(doc, 4).list_depth == 1);
    EXPECT_BLOCK(doc, 5, JK_BLOCK_CODE, "code");
    CHECK(attrs(doc, 5).list_depth == 1 && marker_is(doc, 5, "•"));
    jk_document_destroy(doc);

    /* An empty item spends no marker on the next block. */
    doc = md("-\n\npara\n");
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH, "para");
    CHECK(marker_is(doc, 0, NULL) && attrs(doc, 0).list_depth == 0);
    jk_document_destroy(doc);
}

static void test_code(void)
{
    const char *s = "```python extra\ndef f():\n\treturn  1\n\n  # end\n```\n\n"
                    "    indented\n      more\n\n~~~\n<b>&amp;</b>\n~~~\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 3);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_CODE,
                 "def f():\n\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0return  1\n\n"
                 "\xC2\xA0\xC2\xA0# end");
    CHECK(info(doc, 0).start == at(s, "def"));
    EXPECT_BLOCK(doc, 1, JK_BLOCK_CODE, "indented\n\xC2\xA0\xC2\xA0more");
    CHECK(info(doc, 1).start == at(s, "indented"));
    EXPECT_BLOCK(doc, 2, JK_BLOCK_CODE, "<b>&amp;</b>");
    jk_document_destroy(doc);
}

static void test_rules(void)
{
    const char *s = "Head\n---\n\n***\n\n - - -\n\n> ___\n\n- * * *\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 5);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_HEADING, "Head");
    size_t want[] = {at(s, "***"), at(s, "- - -"), at(s, "___"),
                     at(s, "* * *")};
    for (size_t i = 0; i < 4; i++) {
        EXPECT_BLOCK(doc, i + 1, JK_BLOCK_RULE, "―");
        CHECKF(info(doc, i + 1).start == want[i], "rule %zu at %zu, not %zu",
               i, info(doc, i + 1).start, want[i]);
    }
    CHECK(attrs(doc, 3).quote_depth == 1);
    CHECK(attrs(doc, 4).list_depth == 1);
    jk_document_destroy(doc);
}

static void test_tables(void)
{
    const char *s = "| Name | **Age** |  |\n|:--|--:|---|\n| 김 | 30 | x |\n"
                    "|  | 41 |  |\n| a `b` [c](d) | | |\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 4);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_TABLE, "Name\xE2\x80\x83" "Age");
    /* the header row is bold throughout */
    CHECK(has_span(doc, 0, at(s, "Name"), at(s, "Age") + 3, JK_STYLE_BOLD));
    EXPECT_BLOCK(doc, 1, JK_BLOCK_TABLE,
                 "김\xE2\x80\x83" "30\xE2\x80\x83x");
    CHECK(span_count(doc, 1) == 0);
    CHECK(info(doc, 1).start == at(s, "김"));
    /* an empty first cell keeps the next in its column */
    EXPECT_BLOCK(doc, 2, JK_BLOCK_TABLE, "\xE2\x80\x83" "41");
    EXPECT_BLOCK(doc, 3, JK_BLOCK_TABLE, "a b c");
    CHECK(has_span(doc, 3, at(s, "`b`") + 1, at(s, "`b`") + 3,
                   JK_STYLE_CODE));
    const char *href = jk_document_link_at(doc, at(s, "[c]") + 1);
    CHECK(href && strcmp(href, "d") == 0);
    jk_document_destroy(doc);
}

static void test_figures(void)
{
    /* Alone in its paragraph: a figure; the title its caption. */
    const char *s = "Before.\n\n![A *cat*](cat.png \"The &amp; cap\")\n\nAfter.\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 4);
    EXPECT_BLOCK(doc, 1, JK_BLOCK_FIGURE, "");
    CHECK(attrs(doc, 1).figure == 0);
    EXPECT_BLOCK(doc, 2, JK_BLOCK_CAPTION, "The & cap");
    CHECK(info(doc, 2).start == at(s, "The") &&
          info(doc, 2).end == at(s, "cap\"") + 3);
    CHECK(jk_document_figure_count(doc) == 1);
    jk_figure_info fi;
    CHECK(jk_document_get_figure(doc, 0, &fi) == JK_OK);
    CHECK(fi.block == 1 && fi.status == JK_IMAGE_OK && fi.width == 4 &&
          fi.height == 3);
    CHECK(strcmp(fi.src, "cat.png") == 0 && strcmp(fi.alt, "A cat") == 0);
    CHECKF(fi.start == at(s, "![") && fi.end == at(s, " \"The"),
           "figure [%zu, %zu)", fi.start, fi.end);
    jk_document_destroy(doc);

    /* The caption as an emphasised line of the same paragraph, or the
     * next paragraph all in emphasis; a missing image is a placeholder
     * holding its alt text. */
    s = "![](a.png)\n*Same paragraph*\n\n![Alt B](missing.png)\n\n"
        "_Next **one**_\n\n![](c.png)\n\nNot *a caption*\n";
    doc = md(s);
    CHECK(jk_document_block_count(doc) == 6);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_FIGURE, "");
    EXPECT_BLOCK(doc, 1, JK_BLOCK_CAPTION, "Same paragraph");
    CHECK(info(doc, 1).start == at(s, "Same"));
    CHECK(span_count(doc, 1) == 0); /* the emphasis was the caption's */
    EXPECT_BLOCK(doc, 2, JK_BLOCK_FIGURE, "Alt B");
    EXPECT_BLOCK(doc, 3, JK_BLOCK_CAPTION, "Next one");
    CHECK(span_count(doc, 3) == 1); /* the bold inside stays */
    EXPECT_BLOCK(doc, 4, JK_BLOCK_FIGURE, "");
    EXPECT_BLOCK(doc, 5, JK_BLOCK_PARAGRAPH, "Not a caption");
    CHECK(jk_document_figure_count(doc) == 3);
    CHECK(jk_document_get_figure(doc, 1, &fi) == JK_OK &&
          fi.status == JK_IMAGE_MISSING && strcmp(fi.alt, "Alt B") == 0 &&
          fi.block == 2);
    CHECK(fi.start == at(s, "![Alt") && fi.end == at(s, "g)\n\n_") + 2);
    jk_document_destroy(doc);

    /* Anywhere else an image is its alt text inline. */
    const char *const inl[] = {
        "Text ![alt](x.png) more",        "[![alt](x.png)](http://l)",
        "![alt](x.png) ![two](y.png)",    "![alt](x.png) and text",
        "| h |\n|---|\n| ![alt](x.png) |", "# ![alt](x.png)",
    };
    for (size_t i = 0; i < sizeof inl / sizeof *inl; i++) {
        doc = md(inl[i]);
        CHECKF(jk_document_figure_count(doc) == 0, "case %zu", i);
        char *t = block_text(doc, jk_document_block_count(doc) - 1);
        CHECKF(strstr(t, "alt") != NULL, "case %zu: '%s'", i, t);
        free(t);
        jk_document_destroy(doc);
    }
    doc = md("[![alt](x.png)](http://l)");
    const char *href = jk_document_link_at(doc, 4);
    CHECK(href && strcmp(href, "http://l") == 0);
    jk_document_destroy(doc);

    /* A data: URI is decoded by the library; a title that md4c copies
     * (escapes in it) still maps to its bytes. */
    s = "![d](data:image/png;base64," TINY_PNG_B64 " 'It\\'s \\*here\\*')";
    doc = md(s);
    CHECK(jk_document_get_figure(doc, 0, &fi) == JK_OK &&
          fi.status == JK_IMAGE_OK && fi.width == 4);
    EXPECT_BLOCK(doc, 1, JK_BLOCK_CAPTION, "It's *here*");
    CHECK(info(doc, 1).start == at(s, "It") &&
          info(doc, 1).end == strlen(s) - 2);
    jk_document_destroy(doc);
}

static void test_html(void)
{
    const char *s = "<div class=\"x\">\n<p>First <b>bold</b> &amp; "
                    "&lt;ok&gt;</p>\n<script>var x = \"<p>\";</script>\n"
                    "<!-- a <p> comment -->\n<style>p{}</style>\n"
                    "<p>Second<br>line</p>\n</div>\n\n"
                    "Inline <span>kept</span> H<sub>2</sub>O a<br/>b "
                    "<!-- gone --> <em>unclosed\n\nNext\n";
    jk_document *doc = md(s);
    CHECK(jk_document_block_count(doc) == 4);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_PARAGRAPH, "First bold & <ok>");
    CHECK(has_span(doc, 0, at(s, "bold"), at(s, "bold</b> ") + 8,
                   JK_STYLE_BOLD));
    EXPECT_BLOCK(doc, 1, JK_BLOCK_PARAGRAPH, "Second\nline");
    EXPECT_BLOCK(doc, 2, JK_BLOCK_PARAGRAPH, "Inline kept H2O a\nb unclosed");
    size_t sub = at(s, ">2<") + 1;
    CHECK(has_span(doc, 2, sub, sub + 7, JK_STYLE_SUB));
    /* the unclosed <em> ends with its block */
    EXPECT_BLOCK(doc, 3, JK_BLOCK_PARAGRAPH, "Next");
    CHECK(span_count(doc, 3) == 0);
    jk_document_destroy(doc);
}

/* Blocks in order, offsets inside the source and in their block. */
static void check_offsets(const jk_document *doc, size_t size,
                          const char *what)
{
    size_t prev = 0;
    for (size_t i = 0; i < jk_document_block_count(doc); i++) {
        jk_block_info bi = info(doc, i);
        CHECKF(bi.start <= bi.end && bi.end <= size && bi.start >= prev,
               "%s: block %zu [%zu, %zu) after %zu, of %zu", what, i,
               bi.start, bi.end, prev, size);
        prev = bi.start;
        jk_span sp[256];
        size_t n = jk_document_block_spans(doc, i, sp, 256);
        for (size_t k = 0; k < n && k < 256; k++)
            CHECKF(sp[k].start >= bi.start && sp[k].end <= bi.end &&
                       sp[k].start < sp[k].end,
                   "%s: block %zu span [%zu, %zu)", what, i, sp[k].start,
                   sp[k].end);
    }
}

/* ------------------------------------------------------------ reference */

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void html_out(const MD_CHAR *s, MD_SIZE n, void *user)
{
    put(user, s, n);
}

static size_t put_cp(unsigned cp, char *o)
{
    if (cp < 0x80)
        return o[0] = (char)cp, 1;
    if (cp < 0x800)
        return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63)),
               2;
    if (cp < 0x10000)
        return o[0] = (char)(0xE0 | cp >> 12),
               o[1] = (char)(0x80 | ((cp >> 6) & 63)),
               o[2] = (char)(0x80 | (cp & 63)), 3;
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63));
    o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* Text with the few references md4c-html (or raw HTML in the tests'
 * inputs) writes decoded. */
static void put_decoded(buf *b, const char *s, size_t n)
{
    static const struct {
        const char *name, *utf8;
    } names[] = {{"&amp;", "&"},  {"&lt;", "<"},      {"&gt;", ">"},
                 {"&quot;", "\""}, {"&nbsp;", "\xC2\xA0"}, {"&copy;", "©"}};
    for (size_t i = 0; i < n;) {
        bool done = false;
        for (size_t k = 0; k < 6 && s[i] == '&'; k++) {
            size_t l = strlen(names[k].name);
            if (i + l <= n && !memcmp(s + i, names[k].name, l)) {
                put(b, names[k].utf8, strlen(names[k].utf8));
                i += l;
                done = true;
                break;
            }
        }
        if (!done && s[i] == '&' && i + 2 < n && s[i + 1] == '#') {
            char *end;
            bool hex = s[i + 2] == 'x' || s[i + 2] == 'X';
            unsigned long v = strtoul(s + i + 2 + hex, &end, hex ? 16 : 10);
            if (*end == ';') {
                char o[4];
                put(b, o, put_cp((unsigned)v, o));
                i = (size_t)(end - s) + 1;
                done = true;
            }
        }
        if (!done)
            put(b, s + i++, 1);
    }
}

/* An attribute's value in a tag's text. */
static bool attr_value(const char *tag, size_t n, const char *name, buf *out)
{
    size_t l = strlen(name);
    for (size_t i = 1; i + l + 2 < n; i++)
        if (tag[i - 1] == ' ' && !memcmp(tag + i, name, l) &&
            tag[i + l] == '=' && tag[i + l + 1] == '"') {
            size_t s = i + l + 2, e = s;
            while (e < n && tag[e] != '"')
                e++;
            put_decoded(out, tag + s, e - s);
            return true;
        }
    return false;
}

/* The text md4c-html's rendering shows, as this reader should set it:
 * tags, comments and script/style contents dropped; an image alone in
 * its paragraph gives its title (the caption; its image is drawn), any
 * other its alt text; a thematic break U+2015. */
static char *reference_text(const char *src, size_t size)
{
    buf html = {0}, out = {0};
    put(&html, "", 0);
    put(&out, "", 0);
    md_html(src, (MD_SIZE)size, html_out, &html,
            MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS, 0);
    const char *h = html.s;
    size_t n = html.n;
    for (size_t i = 0; i < n;) {
        if (!strncmp(h + i, "<!--", 4)) {
            const char *e = strstr(h + i + 4, "-->");
            i = e ? (size_t)(e - h) + 3 : n;
        } else if (!strncmp(h + i, "<script", 7) ||
                   !strncmp(h + i, "<style", 6)) {
            const char *end = h[i + 2] == 'c' ? "</script>" : "</style>";
            const char *e = strstr(h + i, end);
            i = e ? (size_t)(e - h) + strlen(end) : n;
        } else if (h[i] == '<' && i + 1 < n &&
                   (isalpha((unsigned char)h[i + 1]) || h[i + 1] == '/' ||
                    h[i + 1] == '!' || h[i + 1] == '?')) {
            size_t e = i;
            while (e < n && h[e] != '>')
                e++;
            if (!strncmp(h + i, "<img", 4)) {
                /* alone, or before an emphasised line (its caption) */
                const char *after = h + e + 1;
                while (*after == '\n' || *after == ' ')
                    after++;
                const char *p_end = strstr(after, "</p>");
                bool caption = !strncmp(after, "<em>", 4) && p_end &&
                               p_end - after >= 5 &&
                               !strncmp(p_end - 5, "</em>", 5);
                bool alone = i >= 3 && !strncmp(h + i - 3, "<p>", 3) &&
                             (!strncmp(after, "</p>", 4) || caption);
                if (alone)
                    attr_value(h + i, e - i, "title", &out);
                else
                    attr_value(h + i, e - i, "alt", &out);
            } else if (!strncmp(h + i, "<hr", 3)) {
                put(&out, "―", strlen("―"));
            }
            i = e + 1;
        } else {
            size_t e = i + 1;
            while (e < n && h[e] != '<')
                e++;
            put_decoded(&out, h + i, e - i);
            i = e;
        }
    }
    free(html.s);
    char *stripped = tu_strip(out.s, out.n);
    free(out.s);
    return stripped;
}

static char *document_text(const jk_document *doc)
{
    buf all = {0};
    put(&all, "", 0);
    for (size_t i = 0; i < jk_document_block_count(doc); i++) {
        if (info(doc, i).kind == JK_BLOCK_FIGURE)
            continue; /* drawn images: no text (placeholders' alt) */
        char *t = block_text(doc, i);
        put(&all, t, strlen(t));
        free(t);
    }
    char *stripped = tu_strip(all.s, all.n);
    free(all.s);
    return stripped;
}

static void check_no_text_lost(const char *what, const char *src,
                               size_t size)
{
    jk_document *doc = md_n(src, size);
    if (!doc)
        return;
    char *want = reference_text(src, size);
    char *got = document_text(doc);
    size_t k = 0;
    while (want[k] && want[k] == got[k])
        k++;
    CHECKF(strcmp(want, got) == 0,
           "%s: text differs from md4c-html's at byte %zu:\n  want '%.60s'\n"
           "  got  '%.60s'", what, k, want + k, got + k);
    check_offsets(doc, size, what);
    free(want);
    free(got);
    jk_document_destroy(doc);
}

static const char kitchen_sink[] =
    "# Title & *more*\n\nBy Kim, 2024-05-06\n\n"
    "Para with **b**, *i*, `c`, ~~s~~, [l](u), <http://a.b>, &copy; &#65;\n"
    "soft line  \nhard line\n\n"
    "## Lists\n\n- one\n- two\n  1. three\n  2. four\n     - [x] five\n\n"
    "   more four\n\n> quote\n> > nested *q*\n>\n> - in quote\n\n"
    "```\ncode  <kept>\n\tx\n```\n\n    indented\n\n***\n\n"
    "| a | b |\n|---|---|\n| 1 | **2** |\n| | 4 |\n\n"
    "![alt 1](p.png \"title one\")\n\n![alt two](q.png)\n*cap two*\n\n"
    "Inline ![alt three](r.png) image.\n\n"
    "<div>\n<p>html <i>x</i> &amp; y</p>\n<script>no()</script>\n"
    "<!-- no -->\n</div>\n\nText <span>s</span> <br> end.\n\n"
    "Setext\n======\n\n1. a\n\n   b\n2. c\n";

static void test_no_text_lost(void)
{
    check_no_text_lost("kitchen sink", kitchen_sink, sizeof kitchen_sink - 1);
    const char *files[] = {"structured.md", "ko-grok-news.md"};
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", tests_dir, files[i]);
        size_t n = 0;
        char *src = tu_read_file(path, &n);
        CHECKF(src != NULL, "%s", path);
        if (src)
            check_no_text_lost(files[i], src, n);
        free(src);
    }
}

/* The Markdown version of the reference article is the plain-text one,
 * block for block, with its four photographs before their captions. */
static void test_reference_article(void)
{
    char path[4096];
    size_t mn = 0, tn = 0;
    snprintf(path, sizeof path, "%s/ko-grok-news.md", tests_dir);
    char *m = tu_read_file(path, &mn);
    snprintf(path, sizeof path, "%s/ko-grok-news.txt", tests_dir);
    char *t = tu_read_file(path, &tn);
    CHECK(m && t);
    if (!m || !t) {
        free(m);
        free(t);
        return;
    }
    jk_document *md_doc = NULL, *txt = NULL;
    CHECK(read_md_with(ctx, m, mn, true, &md_doc) == JK_OK);
    CHECK(jk_document_create_from_text(ctx, t, tn, &txt) == JK_OK);
    if (md_doc && txt) {
        size_t j = 0, figures = 0;
        for (size_t i = 0; i < jk_document_block_count(md_doc); i++) {
            jk_block_info bi = info(md_doc, i);
            if (bi.kind == JK_BLOCK_FIGURE) {
                CHECK(i + 1 < jk_document_block_count(md_doc) &&
                      info(md_doc, i + 1).kind == JK_BLOCK_CAPTION);
                figures++;
                continue;
            }
            char *a = block_text(md_doc, i), *b = block_text(txt, j);
            CHECKF(bi.kind == info(txt, j).kind && strcmp(a, b) == 0,
                   "block %zu: %s '%s', text %zu: %s '%s'", i,
                   jk_block_kind_name(bi.kind), a, j,
                   jk_block_kind_name(info(txt, j).kind), b);
            free(a);
            free(b);
            j++;
        }
        CHECK(j == jk_document_block_count(txt));
        CHECK(figures == 4 && jk_document_figure_count(md_doc) == 4);
        static const char *const srcs[] = {
            "figures/grok-1.jpg", "figures/grok-2.jpg", "figures/grok-3.png",
            "figures/grok-4.png"};
        for (size_t f = 0; f < 4; f++) {
            jk_figure_info fi;
            CHECK(jk_document_get_figure(md_doc, f, &fi) == JK_OK);
            CHECK(strcmp(fi.src, srcs[f]) == 0);
            /* decoded when the file is there (tests/figures/ is made by
             * make-figures), else a placeholder */
            char fp[4096];
            snprintf(fp, sizeof fp, "%s/%s", tests_dir, srcs[f]);
            FILE *exists = fopen(fp, "rb");
            CHECKF(fi.status == (exists ? JK_IMAGE_OK : JK_IMAGE_MISSING),
                   "%s: status %d", srcs[f], (int)fi.status);
            CHECK(!exists || (fi.width > 0 && fi.height > 0));
            if (exists)
                fclose(exists);
        }
        check_offsets(md_doc, mn, "ko-grok-news.md");
    }
    jk_document_destroy(md_doc);
    jk_document_destroy(txt);
    free(m);
    free(t);
}

/* The magazine article: its structure, and a layout of it drawn. */
static void test_structured(void)
{
    char path[4096];
    size_t n = 0;
    snprintf(path, sizeof path, "%s/structured.md", tests_dir);
    char *src = tu_read_file(path, &n);
    CHECK(src != NULL);
    if (!src)
        return;
    jk_document *doc = NULL;
    CHECK(read_md_with(ctx, src, n, true, &doc) == JK_OK);
    if (!doc) {
        free(src);
        return;
    }
    size_t count[JK_BLOCK_KIND_COUNT] = {0};
    int max_quote = 0, max_list = 0;
    bool header_row = false, code_span = false, link = false;
    for (size_t i = 0; i < jk_document_block_count(doc); i++) {
        jk_block_info bi = info(doc, i);
        jk_block_attrs a = attrs(doc, i);
        count[bi.kind]++;
        max_quote = a.quote_depth > max_quote ? a.quote_depth : max_quote;
        max_list = a.list_depth > max_list ? a.list_depth : max_list;
        jk_span sp[64];
        size_t k = jk_document_block_spans(doc, i, sp, 64);
        for (size_t s = 0; s < k && s < 64; s++) {
            if (bi.kind == JK_BLOCK_TABLE && sp[s].style == JK_STYLE_BOLD &&
                sp[s].start == bi.start && sp[s].end == bi.end)
                header_row = true;
            code_span |= sp[s].style == JK_STYLE_CODE;
            link |= sp[s].style == JK_STYLE_LINK;
        }
    }
    CHECK(count[JK_BLOCK_TITLE] == 1 && count[JK_BLOCK_BYLINE] == 1);
    CHECK(count[JK_BLOCK_FIGURE] == 3 && count[JK_BLOCK_CAPTION] == 3);
    CHECK(count[JK_BLOCK_HEADING] >= 5 && count[JK_BLOCK_TABLE] == 4);
    CHECK(count[JK_BLOCK_CODE] == 1 && count[JK_BLOCK_RULE] == 1);
    CHECK(count[JK_BLOCK_QUOTE] == 2 && max_quote == 2);
    CHECK(count[JK_BLOCK_LIST] >= 10 && max_list == 3);
    CHECK(header_row && code_span && link);
    const char *href =
        jk_document_link_at(doc, at(src, "CommonMark 명세") + 1);
    CHECK(href && strcmp(href, "https://spec.commonmark.org/0.30/") == 0);
    CHECKF(jk_document_missing_glyphs(doc) == 0, "%zu glyphs missing",
           jk_document_missing_glyphs(doc));

    /* Laid out: every line inside the page and its block; code is
     * never justified. */
    jk_settings st;
    jk_settings_init(&st);
    jk_layout *layout = NULL;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_OK);
    size_t lines = 0;
    for (size_t p = 0; layout && p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            CHECK(jk_layout_get_line(layout, p, i, &li) == JK_OK);
            jk_block_info bi = info(doc, li.block);
            CHECK(li.start >= bi.start && li.end <= bi.end);
            CHECK(li.x >= 0 && li.x + li.width <= st.page_width + 0.5 &&
                  li.y <= st.page_height);
            if (li.kind == JK_BLOCK_CODE)
                CHECK(li.ratio == 0);
            lines++;
        }
    CHECK(lines > 50);
    if (layout) {
        int w = st.page_width, h = st.page_height;
        uint8_t *px = malloc((size_t)w * (size_t)h);
        memset(px, 0xFF, (size_t)w * (size_t)h);
        jk_surface sf = {px, w, h, w, JK_PIXEL_GRAY8, 0};
        CHECK(jk_layout_render_page(layout, 0, &sf) == JK_OK);
        size_t dark = 0;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            dark += px[i] < 128;
        CHECK(dark > 1000);
        free(px);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    free(src);
}

/* ------------------------------------------------------------ limits */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* head, then unit `times` times (a NUL byte when unit is ""), then
 * tail. */
static char *repeat(const char *head, const char *unit, size_t times,
                    const char *tail, size_t *size)
{
    size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
    size_t each = u ? u : 1;
    char *s = malloc(h + each * times + t + 1);
    memcpy(s, head, h);
    for (size_t i = 0; i < times; i++)
        memcpy(s + h + i * each, u ? unit : "", each);
    memcpy(s + h + each * times, tail, t + 1);
    *size = h + each * times + t;
    return s;
}

/* Pathological input reads in bounded time and in memory (through the
 * context's allocator) a small multiple of its size. */
static void test_pathological(void)
{
    static const struct {
        const char *name, *head, *unit;
        size_t times;
        const char *tail;
    } cases[] = {
        {"1 MB of backticks (a fence)", "", "`", 1000000, ""},
        {"1 MB of backticks in text", "a ", "`", 1000000, ""},
        {"backtick runs", "", "`a``", 250000, ""},
        {"100000 nested quotes", "", ">", 100000, " deep\n"},
        {"100000 nested quotes, spaced", "", "> ", 100000, "deep\n"},
        {"100000 nested lists", "", "- ", 100000, "deep\n"},
        {"100000 nested ordered lists", "", "1. ", 100000, "deep\n"},
        {"indented nested lists", "", "- a\n  ", 2000, "- end\n"},
        {"100000 emphasis runs", "", "*a* ", 100000, "\n"},
        {"100000 strong runs", "", "**a** ", 100000, "\n"},
        {"nested emphasis", "", "*", 100000, "a"},
        {"unclosed emphasis", "", "*_", 250000, "\n"},
        {"1 MB of NUL bytes", "", "", 1000000, ""},
        {"links", "", "[a](b) ", 100000, ""},
        {"unclosed links", "", "[a](", 100000, ""},
        {"images", "", "![a](b \"t\") ", 50000, ""},
        {"10000 figures", "", "![a](b \"t\")\n\n", 10000, ""},
        {"100000 thematic breaks", "", "***\n", 100000, ""},
        {"setext headings", "", "a\n=\n", 100000, ""},
        {"100000 table rows", "|a|b|\n|---|---|\n", "|x|y|\n", 100000, ""},
        {"html", "", "<div>\n<b>", 100000, ""},
        {"inline html", "a ", "<b>x<br>", 100000, ""},
        {"entities", "", "&amp;&#1;&bogus;", 60000, ""},
        {"hard breaks", "", "a  \n", 100000, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t size;
        char *s = repeat(cases[i].head, cases[i].unit, cases[i].times,
                         cases[i].tail, &size);
        tu_counting c;
        tu_counting_init(&c);
        jk_allocator a = tu_counting_allocator(&c);
        jk_context *cx = NULL;
        CHECK(jk_context_create(&a, &cx) == JK_OK);
        CHECK(jk_context_add_bundled_fonts(cx, font_dir) == JK_OK);
        size_t fonts = c.bytes;
        double t0 = now();
        jk_document *doc = NULL;
        jk_status st = read_md_with(cx, s, size, false, &doc);
        double t1 = now();
        CHECKF(st == JK_OK, "%s: %s", cases[i].name, jk_context_errmsg(cx));
        size_t blocks = jk_document_block_count(doc);
        if (doc)
            check_offsets(doc, size, cases[i].name);
        jk_document_destroy(doc);
        size_t peak = c.peak - fonts;
        printf("# %-30s %8zu bytes %7zu blocks %7.3f s peak %6.1f MB "
               "(%.0f bytes a byte)\n", cases[i].name, size, blocks,
               t1 - t0, peak / 1e6, (double)peak / (double)size);
        /* generous bounds: under valgrind too */
        CHECKF(t1 - t0 < 120, "%s took %.1f s", cases[i].name, t1 - t0);
        CHECKF(peak < 400 * size + 4000000, "%s: peak %zu bytes for %zu",
               cases[i].name, peak, size);
        jk_context_destroy(cx);
        CHECK(c.live == 0);
        free(s);
    }
}

/* A BOM before an ATX heading: the heading is not taken for a setext one
 * (whose underline the reader skips), so what follows keeps its offsets
 * (a fuzzed input put every NUL after it at the end of the text). */
static void test_bom_heading(void)
{
    static const char s[] = "\xEF\xBB\xBF# T\n\xC3\xA9\0\0x\n\nlast\n";
    size_t n = sizeof s - 1;
    jk_document *doc = NULL;
    CHECK(read_md_with(ctx, s, n, false, &doc) == JK_OK);
    CHECK(jk_document_block_count(doc) == 3);
    EXPECT_BLOCK(doc, 0, JK_BLOCK_TITLE, "T");
    EXPECT_BLOCK(doc, 1, JK_BLOCK_PARAGRAPH,
                 "\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBDx");
    CHECK(info(doc, 1).start == 7 && info(doc, 1).end == 12);
    EXPECT_BLOCK(doc, 2, JK_BLOCK_PARAGRAPH, "last");
    CHECK(info(doc, 2).start == 14);
    /* a character a line: every line's bytes in order, inside [7, 12) */
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 18; /* a character a line */
    st.page_height = 400;
    st.dpi = 96;
    st.margin_left = st.margin_right = st.margin_top = st.margin_bottom = 2;
    jk_layout *layout = NULL;
    CHECK(doc && jk_layout_create(doc, &st, &layout) == JK_OK);
    size_t prev = 7, lines = 0;
    for (size_t p = 0; layout && p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            jk_layout_get_line(layout, p, i, &li);
            if (li.block != 1)
                continue;
            lines++;
            CHECKF(li.start >= prev && li.start <= li.end && li.end <= 12,
                   "line [%zu, %zu) after %zu", li.start, li.end, prev);
            prev = li.start;
        }
    CHECK(lines == 4);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

/* md4c 0.4.8 reads past the end of this fuzzed input (a table at the
 * end): read exactly its bytes, in a buffer of its own size, so that
 * valgrind and ASan see any read past it (the reader gives md4c a padded
 * copy). */
static void test_md4c_reads_past_the_end(void)
{
    char path[4096];
    snprintf(path, sizeof path,
             "%s/fuzz/corpus-markdown/crash-md4c-reads-past-the-end",
             tests_dir);
    size_t n = 0;
    char *file = tu_read_file(path, &n);
    CHECK(file && n > 4);
    if (!file || n <= 4) {
        free(file);
        return;
    }
    char *exact = malloc(n - 4); /* the fuzz target's 4 header bytes off */
    memcpy(exact, file + 4, n - 4);
    jk_document *doc = NULL;
    CHECK(read_md_with(ctx, exact, n - 4, false, &doc) == JK_OK &&
          jk_document_block_count(doc) > 0);
    jk_document_destroy(doc);
    free(exact);
    free(file);
}

/* Reading a small document of every construct, failing the Nth
 * allocation for every N: JK_ERR_NOMEM or JK_OK, nothing leaked. */
static void test_allocation_failures(void)
{
    static const char doc_src[] =
        "# T *t*\n\nBy A 2024\n\nP **b** [l](u) &amp; `c`\n\n"
        "> q\n\n- a\n  1. b\n- [x] c\n\n```\nx\n```\n\n***\n\n"
        "| h | i |\n|---|---|\n| 1 | 2 |\n\n"
        "![a](data:image/png;base64," TINY_PNG_B64 " \"cap\")\n\n"
        "![b](p.png)\n\n*caption*\n\n<p>h <b>t</b></p>\n\nx<br>y\n";
    char font[4096];
    snprintf(font, sizeof font, "%s/NotoSerif-Regular.ttf", font_dir);
    jk_font_desc desc = {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0};
    long n, statuses = 0;
    for (n = 0; n < 100000; n++) {
        tu_counting c;
        tu_counting_init(&c);
        c.budget = n;
        jk_allocator a = tu_counting_allocator(&c);
        jk_context *cx = NULL;
        jk_status st = jk_context_create(&a, &cx);
        jk_document *doc = NULL;
        if (st == JK_OK) /* one font: a quicker sweep */
            st = jk_context_add_font_file(cx, font, &desc);
        if (st == JK_OK)
            st = read_md_with(cx, doc_src, sizeof doc_src - 1, false, &doc);
        CHECKF(st == JK_OK || st == JK_ERR_NOMEM, "allocation %ld: %d", n,
               (int)st);
        CHECKF((st == JK_OK) == (doc != NULL), "allocation %ld", n);
        if (doc)
            CHECK(jk_document_block_count(doc) == 17);
        jk_document_destroy(doc);
        jk_context_destroy(cx);
        CHECKF(c.live == 0, "failing allocation %ld leaked %ld blocks", n,
               c.live);
        if (c.failed == 0) {
            CHECK(st == JK_OK);
            break;
        }
        statuses += st == JK_ERR_NOMEM;
    }
    CHECK(statuses > 20);
    printf("# allocation failures: %ld runs\n", n + 1);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FONT_DIR TESTS_DIR\n", argv[0]);
        return 2;
    }
    font_dir = argv[1];
    tests_dir = argv[2];
    ctx = tu_context(font_dir);
    if (!ctx)
        return 1;
    test_basics();
    test_headings();
    test_inline();
    test_byline();
    test_quotes();
    test_lists();
    test_code();
    test_rules();
    test_tables();
    test_figures();
    test_md4c_reads_past_the_end();
    test_bom_heading();
    test_html();
    test_no_text_lost();
    test_reference_article();
    test_structured();
    test_pathological();
    test_allocation_failures();
    jk_context_destroy(ctx);
    return tu_finish("markdown");
}
