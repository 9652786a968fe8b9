/* Layout invariants: no text lost, every line inside the text box (by its
 * geometry and by the ink on the rendered page), on the reference article
 * and on texts of our own, at several devices and sizes.
 * Usage: test-layout FONT_DIR ARTICLE */
#include <math.h>
#include <stdint.h>

#include "testutil.h"

static jk_context *ctx;

enum { RENDER = 1, /* check the ink of every page too */
       NO_BOX = 2  /* the box is narrower than a glyph: only termination
                      and text are checked */ };

/* Layout `src` with `st`; check the invariants; return the page count. */
static size_t check_layout(const char *name, const char *src, size_t n,
                           const char *expect_text, const jk_settings *st,
                           unsigned flags)
{
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    jk_status s = jk_document_create_from_text(ctx, src, n, &doc);
    CHECKF(s == JK_OK, "%s: %s", name, jk_context_errmsg(ctx));
    if (s != JK_OK)
        return 0;
    s = jk_layout_create(doc, st, &layout);
    CHECKF(s == JK_OK, "%s: %s", name, jk_context_errmsg(ctx));
    if (s != JK_OK) {
        jk_document_destroy(doc);
        return 0;
    }
    jk_settings used;
    jk_layout_get_settings(layout, &used);

    /* No text lost: the lines, concatenated, are the input less spaces. */
    char *got = tu_layout_text(layout);
    char *a = tu_strip(got, strlen(got));
    char *b = expect_text ? tu_strip(expect_text, strlen(expect_text))
                        : tu_strip(src, n);
    CHECKF(strcmp(a, b) == 0, "%s at %g pt: text differs (%zu vs %zu bytes)",
           name, used.font_size_pt, strlen(a), strlen(b));
    free(got);
    free(a);
    free(b);

    /* Inside the box, and offsets that run forward through the source. */
    double left = used.margin_left, right = used.page_width - used.margin_right;
    double top = used.margin_top, bottom = used.page_height - used.margin_bottom;
    size_t pages = jk_layout_page_count(layout), prev_end = 0;
    CHECK(pages >= 1);
    for (size_t p = 0; p < pages; p++) {
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            CHECK(jk_layout_get_line(layout, p, i, &li) == JK_OK);
            CHECKF((flags & NO_BOX) ||
                       (li.x >= left - 1e-6 && li.x + li.width <= right + 1e-6),
                   "%s p%zu l%zu: x %.2f width %.2f outside %.0f..%.0f",
                   name, p, i, li.x, li.width, left, right);
            CHECKF(li.y > top && li.y <= bottom,
                   "%s p%zu l%zu: baseline %.2f outside %.0f..%.0f", name, p,
                   i, li.y, top, bottom);
            CHECKF(li.start >= prev_end && li.end >= li.start,
                   "%s p%zu l%zu: offsets %zu..%zu after %zu", name, p, i,
                   li.start, li.end, prev_end);
            CHECK(li.end <= n);
            prev_end = li.end;
        }
    }

    /* The ink stays inside the box, with slack for glyphs whose ink
     * overhangs their advance (the hook of an "f" reaches 0.07 em past it in
     * Noto Serif): 2 px or 10% of an em. */
    if (flags & RENDER) {
        double em = used.font_size_pt * used.scale * used.dpi / 72.0;
        double slack = em * 0.1 > 2 ? em * 0.1 : 2;
        int w = used.page_width, h = used.page_height;
        uint8_t *px = calloc((size_t)w * h, 1);
        jk_surface sf = {.pixels = px, .width = w, .height = h, .stride = w,
                         .format = JK_PIXEL_GRAY8};
        for (size_t p = 0; p < pages; p++) {
            CHECK(jk_layout_render_page(layout, p, &sf) == JK_OK);
            size_t outside = 0, ink = 0;
            int ox = -1, oy = -1;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    if (px[(size_t)y * w + x] > 128)
                        continue;
                    ink++;
                    if (x < left - slack || x >= right + slack ||
                        y < top - slack || y >= bottom + slack) {
                        outside++;
                        ox = x;
                        oy = y;
                    }
                }
            CHECKF(outside == 0,
                   "%s at %g pt, page %zu: %zu dark pixels outside, at %d,%d",
                   name, used.font_size_pt, p, outside, ox, oy);
            CHECKF(ink > 0, "%s page %zu is blank", name, p);
        }
        free(px);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    return pages;
}

static void test_reference(const char *path)
{
    size_t n;
    char *src = tu_read_file(path, &n);
    CHECK(src != NULL);
    if (!src)
        return;
    /* Four of the library's devices: the biggest and smallest pages, two
     * ppi between. */
    static const char *const dev[] = {"kobo-clara", "kindle-pw1",
                                      "kindle-basic", "kobo-elipsa"};
    static const double sizes[] = {6, 8, 10, 14, 24};
    static const jk_word_break modes[] = {
        JK_WORD_BREAK_AUTO, JK_WORD_BREAK_KEEP_ALL, JK_WORD_BREAK_NORMAL};
    for (size_t d = 0; d < sizeof dev / sizeof dev[0]; d++)
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
            for (size_t m = 0; m < 3; m++)
                for (int greedy = 0; greedy < 2; greedy++) {
                    jk_settings st;
                    jk_settings_init(&st);
                    jk_settings_set_device(&st, jk_device_find(dev[d]));
                    st.font_size_pt = sizes[z];
                    st.word_break = modes[m];
                    st.breaker = greedy ? JK_BREAKER_GREEDY
                                        : JK_BREAKER_OPTIMAL;
                    /* Rendering every page of every case is slow; ink is
                     * checked on the default device in auto mode. */
                    check_layout("reference", src, n, NULL, &st,
                                 d == 0 && m == 0 && !greedy ? RENDER : 0);
                }
    /* Bigger type means more pages. */
    jk_settings st;
    jk_settings_init(&st);
    size_t small = check_layout("reference", src, n, NULL, &st, 0);
    st.scale = 2;
    size_t big = check_layout("reference", src, n, NULL, &st, 0);
    CHECKF(big > small, "%zu pages at scale 2, %zu at 1", big, small);
    free(src);
}

static void test_own_texts(void)
{
    jk_settings st;
    jk_settings_init(&st);

    static const char mixed[] =
        "제목 Title\r\n\r\n"
        "한국어와 English가 섞인 문장입니다. URL https://example.com/a/b?c=d"
        "&e=f 그리고 e-mail someone@example.org, 숫자 12,900원과 45℃, "
        "‘인용’과 “큰따옴표”, 텍스트·이미지, 말줄임……\r\n";
    check_layout("mixed", mixed, sizeof mixed - 1, NULL, &st, RENDER);

    /* A 20,000-character word: broken, never overflowing, nothing lost. */
    size_t n = 20000;
    char *word = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        word[i] = (char)('a' + i % 26);
    word[n] = '\0';
    check_layout("20000 letters", word, n, NULL, &st, 0);
    /* ... and of Hangul (3 bytes each). */
    char *hangul = malloc(3 * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(hangul + 3 * i, "한", 3);
    hangul[3 * n] = '\0';
    check_layout("20000 syllables", hangul, 3 * n, NULL, &st, 0);
    free(hangul);
    free(word);

    /* A base letter and 200,000 combining marks (stream-safe shaping keeps
     * this linear; quadratic shaping would hit the test timeout). */
    size_t marks = 200000;
    char *zalgo = malloc(2 * marks + 4);
    zalgo[0] = 'a';
    for (size_t i = 0; i < marks; i++)
        memcpy(zalgo + 1 + 2 * i, "\xCC\x81", 2); /* U+0301 */
    memcpy(zalgo + 1 + 2 * marks, " b", 3);
    check_layout("200000 marks", zalgo, 2 * marks + 3, NULL, &st, 0);
    free(zalgo);

    /* Emoji: flags, skin tones, ZWJ sequences stay whole and lay out. */
    static const char emoji[] = "국기 \xF0\x9F\x87\xB0\xF0\x9F\x87\xB7 "
                                "손 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD "
                                "개발자 \xF0\x9F\x91\xA9\xE2\x80\x8D"
                                "\xF0\x9F\x92\xBB 끝";
    check_layout("emoji", emoji, sizeof emoji - 1, NULL, &st, RENDER);

    /* Invalid UTF-8: the replacement characters are laid out too. */
    static const char bad[] = "abc\xFF\xFE def";
    check_layout("invalid", bad, sizeof bad - 1,
                 "abc\xEF\xBF\xBD\xEF\xBF\xBD" "def", &st, RENDER);

    /* Empty and blank input: one empty page, no error. */
    check_layout("empty", "", 0, NULL, &st, 0);
    check_layout("spaces", "   \n\n  \t ", 9, NULL, &st, 0);

    /* A narrow page (one glyph wide) still terminates. */
    st.page_width = 200;
    st.margin_left = st.margin_right = 80;
    check_layout("narrow", mixed, sizeof mixed - 1, NULL, &st, NO_BOX);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-layout FONT_DIR ARTICLE\n");
        return 2;
    }
    ctx = tu_context(argv[1]);
    if (!ctx)
        return 1;
    test_reference(argv[2]);
    test_own_texts();
    jk_context_destroy(ctx);
    return tu_finish("layout");
}
