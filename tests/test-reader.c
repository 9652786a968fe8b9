/* The plain-text reader: block structure of the reference article and the
 * rules for encodings, line ends and bad input.
 * Usage: test-reader FONT_DIR ARTICLE */
#include "testutil.h"

static jk_context *ctx;

static jk_document *read_text(const char *s, size_t n)
{
    jk_document *doc = NULL;
    jk_status st = jk_document_create_from_text(ctx, s, n, &doc);
    CHECKF(st == JK_OK, "%s", jk_context_errmsg(ctx));
    return doc;
}

static char *block_text(const jk_document *doc, size_t i)
{
    size_t n = jk_document_block_text(doc, i, NULL, 0);
    char *s = malloc(n + 1);
    jk_document_block_text(doc, i, s, n + 1);
    return s;
}

static jk_block_kind kind_of(const jk_document *doc, size_t i)
{
    jk_block_info info;
    if (jk_document_get_block(doc, i, &info) != JK_OK)
        return JK_BLOCK_KIND_COUNT;
    return info.kind;
}

/* Every block of `kind`, in order, must be exactly `want`. */
static void expect_kind(const jk_document *doc, jk_block_kind kind,
                        const char *const *want, size_t count)
{
    size_t found = 0;
    for (size_t i = 0; i < jk_document_block_count(doc); i++) {
        if (kind_of(doc, i) != kind)
            continue;
        char *t = block_text(doc, i);
        CHECKF(found < count && strcmp(t, want[found]) == 0,
               "%s %zu is '%s'", jk_block_kind_name(kind), found, t);
        free(t);
        found++;
    }
    CHECKF(found == count, "%zu %s blocks, want %zu", found,
           jk_block_kind_name(kind), count);
}

static void test_reference(const char *path)
{
    size_t n;
    char *src = tu_read_file(path, &n);
    CHECK(src != NULL);
    if (!src)
        return;
    jk_document *doc = read_text(src, n);
    static const char *const title[] = {
        "‘X’ 5억명 데이터 먹고 자란다…머스크의 AI 그록 비밀 [트랜D]"};
    static const char *const byline[] = {"트랜D 2024. 6. 15. 05:00"};
    static const char *const headings[] = {
        "일론 머스크의 xAI", "머스크의 AI 중심 전략",
        "머스크가 추구하는 AI의 미래"};
    static const char *const captions[] = {
        "일론 머스크. Flickr", "xAI의 AI 그록. xAI 홈페이지",
        "테슬라 기가팩토리. 위키피디아", "일론 머스크와 샘 알트먼. 이노빌리지"};
    expect_kind(doc, JK_BLOCK_TITLE, title, 1);
    expect_kind(doc, JK_BLOCK_BYLINE, byline, 1);
    expect_kind(doc, JK_BLOCK_HEADING, headings, 3);
    expect_kind(doc, JK_BLOCK_CAPTION, captions, 4);
    CHECK(kind_of(doc, 0) == JK_BLOCK_TITLE);
    CHECK(kind_of(doc, 1) == JK_BLOCK_BYLINE);

    /* Every other non-empty line is a paragraph of its own, and every
     * block's offsets cover its text in the source. */
    size_t nonblank = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && src[e] != '\n')
            e++;
        char *t = tu_strip(src + i, e - i);
        nonblank += t[0] != '\0';
        free(t);
        i = e + 1;
    }
    size_t blocks = jk_document_block_count(doc);
    CHECKF(blocks == nonblank, "%zu blocks for %zu lines", blocks, nonblank);
    for (size_t i = 0; i < blocks; i++) {
        jk_block_info info;
        CHECK(jk_document_get_block(doc, i, &info) == JK_OK);
        char *a = tu_strip(src + info.start, info.end - info.start);
        char *t = block_text(doc, i);
        char *b = tu_strip(t, strlen(t));
        CHECKF(strcmp(a, b) == 0, "block %zu offsets", i);
        free(a);
        free(b);
        free(t);
    }
    CHECK(jk_document_missing_glyphs(doc) == 0);
    jk_document_destroy(doc);
    free(src);
}

static void expect_blocks(const char *src, size_t n, const char *const *want,
                          size_t count)
{
    jk_document *doc = read_text(src, n);
    CHECKF(jk_document_block_count(doc) == count, "%zu blocks, want %zu",
           jk_document_block_count(doc), count);
    for (size_t i = 0; i < count && i < jk_document_block_count(doc); i++) {
        char *t = block_text(doc, i);
        CHECKF(strcmp(t, want[i]) == 0, "block %zu is '%s', want '%s'", i, t,
               want[i]);
        free(t);
    }
    jk_document_destroy(doc);
}

static void test_encodings(void)
{
    /* BOM and CRLF: same blocks as LF without BOM. */
    static const char crlf[] = "\xEF\xBB\xBF제목\r\n\r\n첫 문단입니다.\r\n"
                               "둘째 문단.\r\n";
    static const char *const want[] = {"제목", "첫 문단입니다.", "둘째 문단."};
    expect_blocks(crlf, sizeof crlf - 1, want, 3);
    static const char cr[] = "제목\r\r첫 문단입니다.\r둘째 문단.";
    expect_blocks(cr, sizeof cr - 1, want, 3);

    /* Invalid UTF-8: each bad subpart is one U+FFFD, nothing dropped. */
    static const char bad[] = "a\xFF" "b\xE0\x80" "c\xED\xA0\x80" "d\xF0\x9F"
                              "e\xC3";
    static const char *const bad_want[] = {
        "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD"
        "\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\xEF\xBF\xBD"};
    expect_blocks(bad, sizeof bad - 1, bad_want, 1);
    /* Control characters become U+FFFD, tabs spaces. */
    static const char ctl[] = "a\x01" "b\tc";
    static const char *const ctl_want[] = {"a\xEF\xBF\xBD" "b c"};
    expect_blocks(ctl, sizeof ctl - 1, ctl_want, 1);
    /* NUL inside the text is not an end. */
    static const char nul[] = "a\0b";
    static const char *const nul_want[] = {"a\xEF\xBF\xBD" "b"};
    expect_blocks(nul, sizeof nul - 1, nul_want, 1);

    /* Empty input and only spaces: no blocks, no error. */
    expect_blocks("", 0, NULL, 0);
    expect_blocks("   \n \t \n\xE3\x80\x80\n", 9 + 3, NULL, 0);
}

static void test_structure(void)
{
    /* Hard-wrapped lines of similar length join into one paragraph;
     * inner runs of spaces become one. */
    static const char wrapped[] =
        "A Title\n\n"
        "This paragraph was wrapped by an email program at about\n"
        "sixty columns, so its lines are of similar length and  it\n"
        "ends with a short line.\n\n"
        "Second paragraph, one line.\n";
    static const char *const want[] = {
        "A Title",
        "This paragraph was wrapped by an email program at about sixty "
        "columns, so its lines are of similar length and it ends with a "
        "short line.",
        "Second paragraph, one line."};
    expect_blocks(wrapped, sizeof wrapped - 1, want, 3);

    /* List items stay separate; a heading needs two blank lines. */
    static const char list[] = "제목\n\n- 하나\n- 둘\n\n\n소제목\n\n본문.\n";
    jk_document *doc = read_text(list, sizeof list - 1);
    CHECK(jk_document_block_count(doc) == 5);
    CHECK(kind_of(doc, 1) == JK_BLOCK_LIST);
    CHECK(kind_of(doc, 2) == JK_BLOCK_LIST);
    CHECK(kind_of(doc, 3) == JK_BLOCK_HEADING);
    CHECK(kind_of(doc, 4) == JK_BLOCK_PARAGRAPH);
    jk_document_destroy(doc);

    /* A caption under a short paragraph is not its hard-wrapped tail. */
    static const char cap[] = "제목\n\n짧은 문단이지만 사십 칸은 넘는 한 줄입니다. "
                              "그렇습니다.\n사진 설명. 출처\n";
    doc = read_text(cap, sizeof cap - 1);
    CHECK(jk_document_block_count(doc) == 3);
    CHECK(kind_of(doc, 1) == JK_BLOCK_PARAGRAPH);
    CHECK(kind_of(doc, 2) == JK_BLOCK_CAPTION);
    jk_document_destroy(doc);

    /* Characters no bundled font has: one box per grapheme cluster,
     * counted; a joiner between two of them is no box of its own. */
    static const char emoji[] = "가 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD 나 "
                                "\xEE\x80\x80 다";
    doc = read_text(emoji, sizeof emoji - 1); /* 👍🏽 and U+E000 */
    CHECKF(jk_document_missing_glyphs(doc) == 2, "%zu missing",
           jk_document_missing_glyphs(doc));
    jk_document_destroy(doc);

    /* A first line too long for a title is a paragraph. */
    char *longline = malloc(400);
    memset(longline, 'a', 399);
    longline[399] = '\0';
    doc = read_text(longline, 399);
    CHECK(kind_of(doc, 0) == JK_BLOCK_PARAGRAPH);
    jk_document_destroy(doc);
    free(longline);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-reader FONT_DIR ARTICLE\n");
        return 2;
    }
    ctx = tu_context(argv[1]);
    if (!ctx)
        return 1;
    test_reference(argv[2]);
    test_encodings();
    test_structure();
    jk_context_destroy(ctx);
    return tu_finish("reader");
}
