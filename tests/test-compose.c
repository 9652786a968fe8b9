/* Composition and pagination: hand-checked total-fit breaks, greedy vs
 * optimal, hyphenation, termination on pathological input, widows,
 * orphans and keep-with-next, and the reference article's quality figures.
 * Usage: test-compose FONT_DIR ARTICLE */
#include <math.h>

#include "testutil.h"

static jk_context *ctx;

static jk_layout *lay_out(jk_document **doc, const char *text,
                          const jk_settings *st)
{
    *doc = NULL;
    jk_layout *layout = NULL;
    jk_status s = jk_document_create_from_text(ctx, text, strlen(text), doc);
    CHECKF(s == JK_OK, "%s", jk_context_errmsg(ctx));
    if (s != JK_OK)
        return NULL;
    s = jk_layout_create(*doc, st, &layout);
    CHECKF(s == JK_OK, "%s", jk_context_errmsg(ctx));
    return layout;
}

/* The texts of the lines of block `block`, joined with '|'. */
static void block_lines(const jk_layout *layout, size_t block, char *out,
                        size_t size, double *max_ratio)
{
    out[0] = '\0';
    *max_ratio = -INFINITY;
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            jk_layout_get_line(layout, p, i, &li);
            if (li.block != block)
                continue;
            char text[512];
            jk_layout_line_text(layout, p, i, text, sizeof text);
            if (out[0])
                strncat(out, "|", size - strlen(out) - 1);
            strncat(out, text, size - strlen(out) - 1);
            if (!li.last && li.ratio > *max_ratio)
                *max_ratio = li.ratio;
        }
}

/* Words of 1, 2, 1, 2, 1, 3, 3 and 2 Hangul syllables in a 7.8 em
 * measure, keep-all. In Nanum Myeongjo a syllable is 0.9502 em and a space
 * 0.2998 em; with spaces stretching by 2x their width at ratio 1,
 * shrinking by 0.3x and no syllable gaps opening, by hand:
 *   greedy  "가 가가 가 가가 가" 7.8506 em, shrinks: r = -0.14
 *           "가가가 가가가"     6.0010 em, one space: r = +3.00 (very loose)
 *   optimal "가 가가 가 가가"   6.6006 em, three spaces: r = +0.67
 *           "가 가가가 가가가"  7.2510 em, two spaces:   r = +0.46
 * Total fit trades a tighter first line for a far better second. */
static void test_hand_checked(void)
{
    static const char text[] = "제목\n\n가 가가 가 가가 가 가가가 가가가 가가\n";
    jk_settings st;
    jk_settings_init(&st);
    st.dpi = 72;
    st.font_size_pt = 100; /* 100 px to the em */
    st.page_width = 780;
    st.page_height = 3000;
    st.margin_left = st.margin_right = 0;
    st.margin_top = st.margin_bottom = 10;
    st.word_break = JK_WORD_BREAK_KEEP_ALL;
    st.breaking.hangul_space_stretch = 2; /* Korean words: this space */
    st.breaking.space_shrink = 0.3;
    st.breaking.syllable_stretch = 0; /* spaces only, as in TeX */
    char lines[512];
    double max_ratio;
    jk_document *doc;

    st.breaker = JK_BREAKER_GREEDY;
    jk_layout *layout = lay_out(&doc, text, &st);
    block_lines(layout, 1, lines, sizeof lines, &max_ratio);
    CHECKF(strcmp(lines, "가 가가 가 가가 가|가가가 가가가|가가") == 0,
           "greedy: %s", lines);
    CHECKF(fabs(max_ratio - 3.0) < 0.01, "greedy max ratio %.3f", max_ratio);

    st.breaker = JK_BREAKER_OPTIMAL;
    CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
    block_lines(layout, 1, lines, sizeof lines, &max_ratio);
    CHECKF(strcmp(lines, "가 가가 가 가가|가 가가가 가가가|가가") == 0,
           "optimal: %s", lines);
    CHECKF(fabs(max_ratio - 0.667) < 0.01, "optimal max ratio %.3f",
           max_ratio);
    jk_line_info li;
    CHECK(jk_layout_get_line(layout, 0, 1, &li) == JK_OK); /* after the title */
    CHECKF(fabs(li.ratio - 0.667) < 0.01 && fabs(li.width - 780) < 0.01,
           "justified to the measure: ratio %.3f width %.2f", li.ratio,
           li.width);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

/* Block 1 laid out again at `st`: its lines, joined by '|', are `want`,
 * with `split` words split and `loose` loose lines. Its widest ratio. */
static double expect_block(jk_layout *layout, const jk_settings *st,
                           const char *want, size_t split, size_t loose,
                           const char *what)
{
    char lines[1024];
    double max_ratio;
    CHECK(jk_layout_set_settings(layout, st) == JK_OK);
    block_lines(layout, 1, lines, sizeof lines, &max_ratio);
    CHECKF(strcmp(lines, want) == 0, "%s: %s", what, lines);
    jk_layout_stats stats;
    CHECK(jk_layout_get_stats(layout, &stats) == JK_OK);
    CHECKF(stats.syllable_breaks == split && stats.loose_lines == loose,
           "%s: %zu words split, %zu loose lines", what,
           stats.syllable_breaks, stats.loose_lines);
    return max_ratio;
}

/* Word-break modes through the composer: keep-all never breaks inside a
 * word; normal does where it helps; auto only when keep-all would leave a
 * line very loose. */
static void test_word_break_modes(void)
{
    static const char text[] =
        "제목\n\n글자크기 설정 파란원을 좌우로 움직이시면 글자크기가 변경 "
        "됩니다.\n";
    jk_settings st;
    jk_settings_init(&st);
    jk_document *doc;
    /* At 10 pt "글자크기가" fits on the first line once its syllable gaps
     * close a little with its spaces (ratio -0.68): both modes take it,
     * where spaces alone (at most 67%) could not, and keep-all left the
     * line at ratio 1.6. */
    st.word_break = JK_WORD_BREAK_KEEP_ALL;
    jk_layout *layout = lay_out(&doc, text, &st);
    expect_block(layout, &st,
                 "글자크기 설정 파란원을 좌우로 움직이시면 글자크기가|"
                 "변경 됩니다.",
                 0, 0, "keep-all");
    jk_line_info li;
    CHECK(jk_layout_get_line(layout, 0, 1, &li) == JK_OK);
    CHECKF(li.ratio < -0.5 && li.ratio > -1, "keep-all: ratio %.2f",
           li.ratio);
    st.word_break = JK_WORD_BREAK_AUTO;
    expect_block(layout, &st,
                 "글자크기 설정 파란원을 좌우로 움직이시면 글자크기가|"
                 "변경 됩니다.",
                 0, 0, "auto");

    /* At 13 pt nothing close fits: keep-all leaves a loose line, auto
     * breaks one word instead. Spaces alone would be at ratio 7; the gaps
     * between syllables take most of the slack. */
    st.font_size_pt = 13;
    st.word_break = JK_WORD_BREAK_KEEP_ALL;
    double max_ratio = expect_block(layout, &st,
                                    "글자크기 설정 파란원을 좌우로|"
                                    "움직이시면 글자크기가 변경 됩니다.",
                                    0, 1, "keep-all, 13 pt");
    CHECKF(max_ratio > 1 && max_ratio < 3,
           "keep-all leaves a loose line (%.2f)", max_ratio);
    st.word_break = JK_WORD_BREAK_AUTO;
    max_ratio = expect_block(layout, &st,
                             "글자크기 설정 파란원을 좌우로 움직이시|"
                             "면 글자크기가 변경 됩니다.",
                             1, 0, "auto, 13 pt");
    CHECKF(max_ratio < 1, "auto: ratio %.2f", max_ratio);
    st.font_size_pt = 10;

    /* A paragraph keep-all can set well: auto breaks no word. Five words
     * of two syllables and four spaces are 10.70 em: a 10.71 em measure. */
    static const char easy[] = "제목\n\n가나 다라 마바 사아 자차 카타 파하 "
                               "가나 다라 마바 사아 자차 카타 파하 가나\n";
    jk_layout *l2;
    jk_document *d2;
    st.dpi = 72;
    st.font_size_pt = 100;
    st.page_width = 1071;
    st.margin_left = st.margin_right = 0;
    l2 = lay_out(&d2, easy, &st);
    jk_layout_stats stats;
    CHECK(jk_layout_get_stats(l2, &stats) == JK_OK);
    CHECKF(stats.syllable_breaks == 0, "%zu syllable breaks",
           stats.syllable_breaks);
    jk_layout_destroy(l2);
    jk_document_destroy(d2);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

static void test_hyphenation(void)
{
    static const char text[] =
        "Title\n\nTypesetting information presentation demonstrates "
        "hyphenation algorithms, paragraph composition, and "
        "internationalization considerations comprehensively.\n";
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 500;
    st.margin_left = st.margin_right = 40;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, &st);
    jk_layout_stats stats;
    CHECK(jk_layout_get_stats(layout, &stats) == JK_OK);
    if (!jk_hyphenation_available()) {
        CHECK(stats.hyphens == 0);
    } else {
        /* Patterns are not loaded on this context yet: none. */
        CHECK(stats.hyphens == 0);
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
        CHECK(jk_context_load_hyphenation(ctx, NULL) == JK_OK);
        layout = lay_out(&doc, text, &st);
        CHECK(jk_layout_get_stats(layout, &stats) == JK_OK);
        CHECKF(stats.hyphens > 0, "no hyphen in a narrow English column");
        size_t hyphenated = 0;
        for (size_t p = 0; p < jk_layout_page_count(layout); p++)
            for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
                jk_line_info li;
                char t[256];
                jk_layout_get_line(layout, p, i, &li);
                jk_layout_line_text(layout, p, i, t, sizeof t);
                if (!li.hyphenated)
                    continue;
                hyphenated++;
                /* At least two letters before the hyphen in the word. */
                size_t n = strlen(t), k = n;
                while (k > 0 && t[k - 1] != ' ')
                    k--;
                CHECKF(n - k >= 2, "hyphen after '%s'", t + k);
                CHECK(li.x + li.width <= 500 - 40 + 1e-6);
            }
        CHECK(hyphenated == stats.hyphens);
        /* Two hyphenated lines in a row cost extra: none here. */
        st.hyphenate = 0;
        CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
        CHECK(jk_layout_get_stats(layout, &stats) == JK_OK);
        CHECK(stats.hyphens == 0);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

/* An address inside Korean words, `사무국(press@example.org)으로,`, wider
 * than the line with them: in auto mode no piece between two candidates
 * is, so it used to get no last resorts and the syllables took the
 * breaks (`사 | 무 국(press@example.org)으 | 로,`, a 1.3 em hole). It
 * breaks after the address's punctuation now, and the word around it
 * stays whole. A number's separator is never such a break: at 30 pt
 * `…마바12.5가…` breaks between syllables, not at `12.|5`. */
static void test_address_in_words(void)
{
    static const char text[] =
        "제목\n\n보고서에 대한 문의는 컨소시엄 사무국(press@example.org)으로, "
        "평가 세트 관련 기술 문의는 이메일로 받는다.\n";
    jk_settings st;
    tu_kindle_page(&st, 16);
    char lines[1024];
    double max_ratio;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, &st);
    block_lines(layout, 1, lines, sizeof lines, &max_ratio);
    CHECKF(strstr(lines, "사무국(press") && !strstr(lines, "|로,") &&
               (strstr(lines, "@|") || strstr(lines, ".|")),
           "auto, 16 pt: %s", lines);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);

    static const char number[] =
        "제목\n\n가나다라마바사아자차카타파하가나다라마바12.5가나다라마바사"
        "아자차카타파하가나다라\n";
    st.font_size_pt = 30;
    layout = lay_out(&doc, number, &st);
    block_lines(layout, 1, lines, sizeof lines, &max_ratio);
    CHECKF(strstr(lines, "12.5") != NULL, "a number split: %s", lines);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

/* A first-line indent shortens the first line of a paragraph only; an
 * overlong URL breaks after its punctuation before anywhere else. */
static void test_indent_and_url(void)
{
    static const char text[] =
        "제목\n\n첫 줄은 들여 쓰고 나머지 줄은 들여 쓰지 않는 문단입니다. "
        "여러 줄이 되도록 조금 더 길게 씁니다.\n\n"
        "https://example.com/a-long-path/with_many/segments/and?query=1&"
        "more=2&even_more=3/and/a/last/one/that/keeps/going/on\n";
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 600;
    st.margin_left = st.margin_right = 50;
    st.first_line_indent = 2;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, &st);
    double em = 10 * 300 / 72.0;
    size_t url_lines = 0, url_punct = 0;
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li, prev;
            char t[256];
            jk_layout_get_line(layout, p, i, &li);
            jk_layout_line_text(layout, p, i, t, sizeof t);
            bool first = i == 0 ||
                         (jk_layout_get_line(layout, p, i - 1, &prev),
                          prev.block != li.block);
            if (li.kind == JK_BLOCK_PARAGRAPH && li.block == 1) {
                double want = 50 + (first ? 2 * em : 0);
                CHECKF(fabs(li.x - want) < 0.01, "x %.2f, want %.2f", li.x,
                       want);
                CHECK(li.x + li.width <= 550 + 1e-6);
            }
            if (li.block == 2 && !li.last) {
                url_lines++;
                url_punct += strchr("/?&-_.", t[strlen(t) - 1]) != NULL;
                CHECK(li.x >= 50 && li.x + li.width <= 550 + 1e-6);
            }
        }
    CHECKF(url_lines >= 2 && url_punct == url_lines,
           "%zu of %zu URL lines end after punctuation", url_punct,
           url_lines);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

/* Hanging punctuation: a line ending in "." or "," may reach past the
 * measure by that mark's width, no further; without the option no line
 * does. */
static void test_hanging(const char *article)
{
    size_t n;
    char *src = tu_read_file(article, &n);
    jk_settings st;
    jk_settings_init(&st);
    double right = st.page_width - 66, em = 10 * 300 / 72.0;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, src, &st);
    size_t hanging[2] = {0, 0};
    for (int hang = 0; hang < 2; hang++) {
        st.hang_punctuation = hang;
        CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
        for (size_t p = 0; p < jk_layout_page_count(layout); p++)
            for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
                jk_line_info li;
                char t[512];
                jk_layout_get_line(layout, p, i, &li);
                jk_layout_line_text(layout, p, i, t, sizeof t);
                double over = li.x + li.width - right;
                if (over <= 1e-6)
                    continue;
                hanging[hang]++;
                char last = t[strlen(t) - 1];
                CHECKF(hang && (last == '.' || last == ',') && over < 0.35 * em,
                       "'%s' reaches %.2f px past the measure", t, over);
            }
    }
    CHECKF(hanging[0] == 0 && hanging[1] > 0, "%zu lines hang without the "
           "option, %zu with it", hanging[0], hanging[1]);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    free(src);
}

/* Anchors: every line is found from its first byte; a reading position
 * survives a font-size change; a tap finds the character under it. */
static void test_anchors(const char *article)
{
    size_t n;
    char *src = tu_read_file(article, &n);
    jk_settings st;
    jk_settings_init(&st);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, src, &st);
    size_t pages = jk_layout_page_count(layout), bad = 0, taps = 0;
    for (size_t p = 0; p < pages; p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            size_t fp, fl, off;
            jk_layout_get_line(layout, p, i, &li);
            CHECK(jk_layout_locate(layout, li.start, &fp, &fl) == JK_OK);
            bad += fp != p || fl != i;
            /* A tap on the first character, a little above the baseline. */
            CHECK(jk_layout_hit_test(layout, p, li.x + 2, li.y - 10, &off) ==
                  JK_OK);
            taps += off == li.start;
            /* At the line's right end: its last character. */
            CHECK(jk_layout_hit_test(layout, p, li.x + li.width - 0.5,
                                     li.y, &off) == JK_OK);
            CHECKF(off >= li.start && off < li.end, "tap right of line %zu",
                   i);
            /* Past it, and in the margins above and to the left: no text,
             * and the offset untouched. */
            size_t none = SIZE_MAX;
            CHECK(jk_layout_hit_test(layout, p, li.x + li.width + 1, li.y,
                                     &none) == JK_ERR_NOT_FOUND &&
                  none == SIZE_MAX);
            CHECK(jk_layout_hit_test(layout, p, li.x - 1, li.y, &none) ==
                      JK_ERR_NOT_FOUND &&
                  none == SIZE_MAX);
            CHECK(jk_layout_hit_test(layout, p, -1e9, 1e9, &none) ==
                  JK_ERR_NOT_FOUND);
            CHECK(jk_layout_hit_test(layout, p, NAN, li.y, &none) ==
                  JK_ERR_NOT_FOUND);
        }
    CHECKF(bad == 0, "%zu lines not found from their offsets", bad);
    size_t lines = 0;
    for (size_t p = 0; p < pages; p++)
        lines += jk_layout_line_count(layout, p);
    CHECKF(taps == lines, "%zu of %zu taps on first characters", taps, lines);

    /* Keep a place across sizes: the line found holds the offset. */
    jk_line_info li;
    jk_layout_get_line(layout, 3, 4, &li);
    size_t place = li.start + 7;
    for (double pt = 6; pt <= 24; pt += 3) {
        st.font_size_pt = pt;
        CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
        size_t fp, fl;
        CHECK(jk_layout_locate(layout, place, &fp, &fl) == JK_OK);
        jk_layout_get_line(layout, fp, fl, &li);
        CHECKF(li.start <= place && place <= li.end + 3,
               "%g pt: offset %zu found in %zu..%zu", pt, place, li.start,
               li.end);
    }
    size_t off, fp, fl;
    CHECK(jk_layout_hit_test(layout, 999, 0, 0, &off) == JK_ERR_RANGE);
    CHECK(jk_layout_locate(layout, 0, &fp, NULL) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_layout_locate(layout, 1u << 30, &fp, &fl) == JK_OK &&
          fp + 1 == jk_layout_page_count(layout));
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    free(src);
}

/* Pathological input: every case returns, nothing is lost. */
static void test_termination(void)
{
    jk_settings st;
    jk_settings_init(&st);
    static const jk_breaker breakers[] = {JK_BREAKER_OPTIMAL,
                                          JK_BREAKER_GREEDY};
    size_t n = 100000;
    char *word = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        word[i] = (char)('a' + i % 26);
    word[n] = '\0';
    char *letters = malloc(2 * 10000 + 1);
    for (size_t i = 0; i < 10000; i++)
        letters[2 * i] = 'a', letters[2 * i + 1] = ' ';
    letters[2 * 10000] = '\0';
    const char *texts[] = {word, letters};
    for (size_t t = 0; t < 2; t++)
        for (size_t b = 0; b < 2; b++) {
            st.breaker = breakers[b];
            jk_document *doc;
            jk_layout *layout = lay_out(&doc, texts[t], &st);
            char *got = tu_layout_text(layout);
            char *a = tu_strip(got, strlen(got));
            char *e = tu_strip(texts[t], strlen(texts[t]));
            CHECKF(strcmp(a, e) == 0, "text %zu breaker %zu", t, b);
            jk_layout_stats stats;
            jk_layout_get_stats(layout, &stats);
            CHECK(stats.overfull == 0);
            free(got);
            free(a);
            free(e);
            jk_layout_destroy(layout);
            jk_document_destroy(doc);
        }
    /* A measure narrower than one glyph: lines of one grapheme, overfull,
     * and the layout still returns. */
    st.page_width = 10;
    st.margin_left = st.margin_right = 2;
    st.breaker = JK_BREAKER_OPTIMAL;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, "가나다 abc", &st);
    jk_layout_stats stats;
    jk_layout_get_stats(layout, &stats);
    CHECKF(stats.lines == 6 && stats.overfull == 6, "%zu lines, %zu overfull",
           stats.lines, stats.overfull);
    jk_layout_destroy(layout);
    /* A zero-width page is refused with a message. */
    st.page_width = 0;
    CHECK(jk_layout_create(doc, &st, &layout) == JK_ERR_INVALID_ARGUMENT);
    jk_document_destroy(doc);
    free(word);
    free(letters);
}

/* Widows, orphans, keep-with-next, captions, on every page break of
 * constructed documents at many page heights. */
static void check_pages(const jk_layout *layout, const jk_settings *st,
                        const char *what)
{
    size_t pages = jk_layout_page_count(layout);
    double box = st->page_height - st->margin_top - st->margin_bottom;
    for (size_t p = 0; p + 1 < pages; p++) {
        size_t n = jk_layout_line_count(layout, p);
        jk_line_info last, first, li;
        jk_layout_get_line(layout, p, n - 1, &last);
        jk_layout_get_line(layout, p + 1, 0, &first);
        CHECKF(last.kind != JK_BLOCK_HEADING, "%s: page %zu ends with a "
               "heading", what, p);
        CHECKF(first.kind != JK_BLOCK_CAPTION, "%s: caption parted from "
               "the line above on page %zu", what, p + 1);
        /* The two lines after a heading are on its page. */
        for (size_t i = 0; i < n; i++) {
            jk_layout_get_line(layout, p, i, &li);
            if (li.kind == JK_BLOCK_HEADING && li.last)
                CHECKF(i + 2 < n || (i + 1 < n && 0), "%s: heading at "
                       "line %zu of %zu on page %zu", what, i, n, p);
        }
        if (last.block != first.block)
            continue;
        size_t before = 0, after = 0;
        for (size_t i = n; i-- > 0;) {
            jk_layout_get_line(layout, p, i, &li);
            if (li.block != last.block)
                break;
            before++;
        }
        for (size_t i = 0; i < jk_layout_line_count(layout, p + 1); i++) {
            jk_layout_get_line(layout, p + 1, i, &li);
            if (li.block != first.block)
                break;
            after++;
        }
        /* Allowed only to keep the page at least half full: ending the
         * page before the block instead would leave it less than half
         * full. */
        /* The chain that must move with the block: a heading before it,
         * and a caption's line above. */
        size_t idx = n - before;
        for (;;) {
            jk_line_info above;
            if (idx == 0)
                break;
            jk_layout_get_line(layout, p, idx - 1, &above);
            jk_layout_get_line(layout, p, idx, &li);
            if (above.kind == JK_BLOCK_HEADING || li.kind == JK_BLOCK_CAPTION)
                idx--;
            else
                break;
        }
        double alt = 0; /* baseline of the line before the chain */
        if (idx > 0) {
            jk_layout_get_line(layout, p, idx - 1, &li);
            alt = li.y - st->margin_top;
        }
        CHECKF((before >= (size_t)st->orphans && after >= (size_t)st->widows)
                   || alt < box / 2 + li.height / 2,
               "%s: %zu lines before and %zu after the break of page %zu",
               what, before, after, p);
    }
}

static void test_pagination(const char *article)
{
    /* Paragraphs of 1 to 7 lines, headings, captions. */
    char text[8192] = "제목\n\n";
    static const char *const para[] = {
        "가나다라 마바사 아자차카 타파하. ",
        "한국어 문단입니다. ",
    };
    for (int k = 0; k < 14; k++) {
        if (k % 5 == 3)
            strcat(text, "\n\n소제목입니다\n\n\n");
        for (int w = 0; w < (k * 3) % 7 + 1; w++)
            strcat(text, para[(k + w) % 2]);
        strcat(text, k % 4 == 1 ? "\n사진 설명. 출처\n\n" : "\n\n");
    }
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 600;
    st.dpi = 167;
    st.margin_left = st.margin_right = st.margin_top = st.margin_bottom = 20;
    for (int h = 250; h <= 700; h += 9) {
        st.page_height = h;
        jk_document *doc;
        jk_layout *layout = lay_out(&doc, text, &st);
        char what[64];
        snprintf(what, sizeof what, "constructed, height %d", h);
        check_pages(layout, &st, what);
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
    }

    /* The reference article in the README's configurations: optimal in
     * auto mode has no overfull line, no widow, no orphan; in every mode
     * total fit is more even and has fewer tight lines than greedy. */
    size_t n;
    char *src = tu_read_file(article, &n);
    static const struct {
        int w, h, dpi;
        double pt;
    } conf[] = {{1072, 1448, 300, 10}, {758, 1024, 212, 12}};
    static const jk_word_break modes[] = {JK_WORD_BREAK_AUTO,
                                          JK_WORD_BREAK_KEEP_ALL,
                                          JK_WORD_BREAK_NORMAL};
    for (size_t c = 0; c < 2; c++) {
        jk_settings_init(&st);
        st.page_width = conf[c].w;
        st.page_height = conf[c].h;
        st.dpi = conf[c].dpi;
        st.font_size_pt = conf[c].pt;
        jk_document *doc;
        jk_layout *layout = lay_out(&doc, src, &st);
        jk_layout_stats best;
        jk_layout_get_stats(layout, &best);
        CHECKF(best.overfull == 0 && best.widows == 0 && best.orphans == 0,
               "config %zu: overfull %zu widows %zu orphans %zu", c,
               best.overfull, best.widows, best.orphans);
        check_pages(layout, &st, "reference");
        for (size_t m = 0; m < 3; m++) {
            jk_settings o = st, g = st;
            o.word_break = g.word_break = modes[m];
            g.breaker = JK_BREAKER_GREEDY;
            jk_layout_stats os, gs;
            CHECK(jk_layout_set_settings(layout, &o) == JK_OK);
            jk_layout_get_stats(layout, &os);
            CHECK(jk_layout_set_settings(layout, &g) == JK_OK);
            jk_layout_get_stats(layout, &gs);
            /* Total fit evens the texture out in every mode; in auto it
             * also leaves fewer loose lines (it may split a word where
             * greedy may not). */
            CHECKF(os.mean_abs_ratio < gs.mean_abs_ratio,
                   "config %zu mode %zu: optimal mean |ratio| %.3f, greedy "
                   "%.3f", c, m, os.mean_abs_ratio, gs.mean_abs_ratio);
            CHECKF(modes[m] != JK_WORD_BREAK_AUTO ||
                       os.loose_lines < gs.loose_lines,
                   "config %zu: optimal %zu loose lines, greedy %zu", c,
                   os.loose_lines, gs.loose_lines);
            CHECKF(os.tight_lines < gs.tight_lines,
                   "config %zu mode %zu: optimal %zu tight lines, greedy "
                   "%zu", c, m, os.tight_lines, gs.tight_lines);
        }
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
    }
    free(src);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-compose FONT_DIR ARTICLE\n");
        return 2;
    }
    ctx = tu_context(argv[1]);
    if (!ctx)
        return 1;
    test_hand_checked();
    test_word_break_modes();
    test_termination();
    test_indent_and_url();
    test_address_in_words();
    test_hanging(argv[2]);
    test_anchors(argv[2]);
    test_pagination(argv[2]);
    test_hyphenation(); /* last: it loads patterns into the context */
    jk_context_destroy(ctx);
    return tu_finish("compose");
}
