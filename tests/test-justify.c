/* test-justify.c - composition rules that hold on any article: no break
 * at a space where UAX #14 or KLREQ forbid one, no-break spaces kept,
 * ragged lines broken at word ends and near full, balanced headings, the
 * gaps between syllables opened only inside Korean words, full-width
 * punctuation squeezed, zero-width runs composed whole, word gaps bounded
 * and even to the eye.
 * Golden data is line texts and byte offsets.
 *
 * usage: test-justify FONT_DIR ARTICLE... (the reference article first)
 * Linked with the library's objects: it reads the layout's lines. */
#include <ctype.h>
#include <math.h>

#include "items.h"
#include "place.h"
#include "utf8.h"
#include "testutil.h"

static jk_context *ctx;

static jk_layout *lay_out(jk_document **doc, const char *text, size_t n,
                          const jk_settings *st)
{
    jk_layout *layout = NULL;
    *doc = NULL;
    jk_status s = jk_document_create_from_text(ctx, text, n, doc);
    CHECKF(s == JK_OK, "%s", jk_context_errmsg(ctx));
    if (s != JK_OK)
        return NULL;
    s = jk_layout_create(*doc, st, &layout);
    CHECKF(s == JK_OK, "%s", jk_context_errmsg(ctx));
    if (s != JK_OK) {
        jk_document_destroy(*doc);
        *doc = NULL;
    }
    return layout;
}

static void done(jk_layout *layout, jk_document *doc)
{
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

static bool is_hangul(uint32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

/* A page of `width` pixels at 100 px to the em, no side margins. */
static void em_page(jk_settings *st, int width)
{
    jk_settings_init(st);
    st->dpi = 72;
    st->font_size_pt = 100;
    st->page_width = width;
    st->page_height = 20000;
    st->margin_left = st->margin_right = 0;
    st->margin_top = st->margin_bottom = 10;
}

static double measure_px(const jk_settings *st)
{
    return st->page_width - st->margin_left - st->margin_right;
}

/* The block's lines joined with '|'. */
static void block_lines(const jk_layout *layout, size_t block, char *out,
                        size_t size)
{
    out[0] = '\0';
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            jk_layout_get_line(layout, p, i, &li);
            if (li.block != block)
                continue;
            char text[1024];
            jk_layout_line_text(layout, p, i, text, sizeof text);
            if (out[0])
                strncat(out, "|", size - strlen(out) - 1);
            strncat(out, text, size - strlen(out) - 1);
        }
}

/* ------------------------------------------------ forbidden breaks */

/* Sequences after which, at the space, no line may break: '^' marks
 * where the next line would start. */
static const struct {
    const char *what, *text;
} forbidden[] = {
    {"no-break space (LB12)", "25\u00A0^kg"},
    {"narrow no-break space", "10\u202F^GB"},
    {"figure space", "1\u2007^000"},
    {"opening bracket (LB14)", "( ^가나)"},
    {"corner bracket (LB14, KLREQ)", "\u300C ^인용\u300D"},
    {"middle dot (KLREQ)", "가나 ^\u00B7다라"},
    {"closing quote after Hangul (KLREQ)", "가나다 ^\u201D라고"},
    {"iteration mark (LB16)", ") ^\u3005"},
    {"two em dashes (LB17)", "\u2014 ^\u2014"},
    {"exclamation (LB13)", "abc ^!"},
    {"question mark (LB13)", "가나 ^?"},
    {"comma (LB13)", "가나 ^,"},
    {"full stop (LB13)", "가나 ^."},
    {"closing bracket (LB13)", "가나 ^)"},
    {"closing corner bracket (LB13)", "가나 ^\u300D"},
    {"colon (LB13)", "가나 ^:"},
    {"solidus (LB13)", "가나 ^/다"},
    {"word joiner (LB11)", "가나 ^\u2060다"},
};

/* Lay out a paragraph of many copies of every pattern at many widths, in
 * every mode and breaker: no line starts at a marked place. */
static void test_forbidden_breaks(void)
{
    static const char *filler[] = {"가", "가나다", "라마바사", "abc", "xyz"};
    size_t cap = 1 << 16, n = 0, marks = 0;
    char *text = malloc(cap);
    size_t *mark = malloc(sizeof *mark * 4096);
    int *which = malloc(sizeof *which * 4096);
    n += (size_t)snprintf(text, cap, "제목\n\n");
    for (int rep = 0; rep < 12; rep++)
        for (size_t f = 0; f < sizeof forbidden / sizeof *forbidden; f++) {
            const char *s = forbidden[f].text;
            n += (size_t)snprintf(text + n, cap - n, "%s ",
                                  filler[(rep + f) % 5]);
            for (; *s; s++) {
                if (*s == '^') {
                    mark[marks] = n;
                    which[marks++] = (int)f;
                } else {
                    text[n++] = *s;
                }
            }
            n += (size_t)snprintf(text + n, cap - n, " %s ",
                                  filler[(rep + 2 * f) % 5]);
        }
    text[n++] = '\n';
    text[n] = '\0';
    static const jk_word_break modes[] = {JK_WORD_BREAK_AUTO,
                                          JK_WORD_BREAK_KEEP_ALL,
                                          JK_WORD_BREAK_NORMAL};
    jk_document *doc = NULL;
    jk_settings st;
    em_page(&st, 900);
    jk_layout *layout = lay_out(&doc, text, n, &st);
    size_t breaks = 0, bad = 0;
    for (int width = 300; width <= 1500 && layout; width += 37)
        for (int m = 0; m < 3; m++)
            for (int b = 0; b < 2; b++) {
                st.page_width = width;
                st.word_break = modes[m];
                st.breaker = b ? JK_BREAKER_GREEDY : JK_BREAKER_OPTIMAL;
                CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
                const jk__block *bl = &layout->doc->blocks[1];
                for (size_t li = 1; li < layout->line_count; li++) {
                    const jk__line *l = &layout->lines[li];
                    if (l->block != 1 || layout->lines[li - 1].block != 1)
                        continue;
                    breaks++;
                    for (size_t k = 0; k < marks; k++)
                        if (jk__off(bl, l->start) == mark[k]) {
                            bad++;
                            CHECKF(0, "width %d mode %d breaker %d: break "
                                      "before %s", width, m, b,
                                   forbidden[which[k]].what);
                        }
                }
            }
    CHECKF(breaks > 1000 && bad == 0, "%zu of %zu breaks forbidden", bad,
           breaks);
    done(layout, doc);
    free(text);
    free(mark);
    free(which);
}

/* "25 kg" with a no-break space is never split, and where a chain of
 * no-break spaces wider than the line must break, no space is lost: the
 * lines hold the whole text. */
static void test_nbsp_kept(void)
{
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "T\n\n");
    size_t body = n;
    for (int i = 0; i < 120; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "ab\u00A0");
    n += (size_t)snprintf(text + n, sizeof text - n, "end\n");
    jk_settings st;
    em_page(&st, 1000);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, n, &st);
    if (!layout)
        return;
    char all[8192] = "";
    size_t lines = 0, prev_end = 0;
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_line_info li;
            char t[1024];
            jk_layout_get_line(layout, p, i, &li);
            if (li.block != 1)
                continue;
            CHECKF(lines == 0 || li.start == prev_end,
                   "line %zu starts at %zu, the one before ended at %zu",
                   lines, li.start, prev_end);
            CHECK(li.x + li.width <= measure_px(&st) + 1e-6);
            prev_end = li.end;
            jk_layout_line_text(layout, p, i, t, sizeof t);
            strcat(all, t);
            lines++;
        }
    text[n - 1] = '\0'; /* without the final line end */
    CHECKF(lines >= 5 && strcmp(all, text + body) == 0,
           "%zu lines; text kept: %d", lines, strcmp(all, text + body) == 0);
    done(layout, doc);

    /* The defect's article: "25 kg" stays together, its space kept. */
    static const char article[] =
        "T\n\nThe parcel weighed 25\u00A0kg today and the other one "
        "12\u00A0kg yesterday, 3\u00A0GB of data and 100\u00A0km away "
        "from the 5\u00A0°C store.\n";
    for (int width = 300; width < 2500; width += 41) {
        em_page(&st, width);
        layout = lay_out(&doc, article, strlen(article), &st);
        for (size_t p = 0; layout && p < jk_layout_page_count(layout); p++)
            for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
                char t[1024];
                jk_layout_line_text(layout, p, i, t, sizeof t);
                CHECKF(strncmp(t, "kg", 2) && strncmp(t, "GB", 2) &&
                           strncmp(t, "km", 2) && strncmp(t, "°C", 3),
                       "width %d: a line starts with '%s'", width, t);
            }
        done(layout, doc);
    }
}

/* ------------------------------------------------------ ragged lines */

/* defects §2: a two-line-plus title and heading were broken mid-word with
 * a short first line. Golden lines at the default page (Kobo Clara). */
static void test_ragged_title(void)
{
    static const char text[] =
        "인공지능 스타트업 xAI가 대규모 언어 모델을 공개했다 연구자들은 "
        "새로운 모델이 기존 모델보다 훨씬 뛰어나다고 평가했다 업계는 "
        "긴장하고 있다\n\n본문.\n\n\n이것은 상당히 길게 작성된 소제목으로 "
        "여러 줄에 걸쳐 표시되어야 합니다 그리고 계속됩니다\n\n본문 "
        "문단입니다.\n";
    jk_settings st;
    jk_settings_init(&st);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, strlen(text), &st);
    if (!layout)
        return;
    char lines[2048];
    block_lines(layout, 0, lines, sizeof lines);
    CHECKF(strcmp(lines, "인공지능 스타트업 xAI가|대규모 언어 모델을 "
                         "공개했다|연구자들은 새로운 모델이|기존 모델보다 "
                         "훨씬 뛰어나다고|평가했다 업계는 긴장하고 있다") == 0,
           "title: %s", lines);
    block_lines(layout, 2, lines, sizeof lines);
    CHECKF(strcmp(lines, "이것은 상당히 길게 작성된|소제목으로 여러 줄에 "
                         "걸쳐|표시되어야 합니다 그리고 계속됩니다") == 0,
           "heading: %s", lines);
    /* Every break at a space, in auto and keep-all, by both breakers. */
    for (int m = 0; m < 2; m++)
        for (int b = 0; b < 2; b++) {
            st.word_break = m ? JK_WORD_BREAK_KEEP_ALL : JK_WORD_BREAK_AUTO;
            st.breaker = b ? JK_BREAKER_GREEDY : JK_BREAKER_OPTIMAL;
            CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
            for (size_t li = 1; li < layout->line_count; li++) {
                const jk__line *l = &layout->lines[li];
                const jk__block *bl = &layout->doc->blocks[l->block];
                if (layout->lines[li - 1].block != l->block)
                    continue;
                CHECKF(jk__is_space(bl->cps[l->start - 1]),
                       "mode %d breaker %d: line %zu breaks inside a word",
                       m, b, li);
            }
        }
    done(layout, doc);
}

/* Width (em) of the text from cps[i] to the next space. */
static double word_width(const jk__block *b, size_t i)
{
    size_t e = i;
    while (e < b->n && !jk__is_space(b->cps[e]))
        e++;
    return b->xpos[e] - b->xpos[i];
}

/* Ragged text (--align left, and every title, heading, caption and
 * byline): no line ends inside a Korean word (auto and keep-all) unless
 * that word is wider than the line, and no line but a block's last is
 * shorter than 60% of the measure unless the next word would not have
 * fitted (a long word) or a forced break ends it. */
static void check_ragged(const jk_layout *layout, const char *what)
{
    const jk_settings *s = &layout->settings;
    for (size_t li = 0; li + 1 < layout->line_count; li++) {
        const jk__line *l = &layout->lines[li], *n = &layout->lines[li + 1];
        const jk__block *b = &layout->doc->blocks[l->block];
        bool justified = s->align == JK_ALIGN_JUSTIFY &&
                         (b->kind == JK_BLOCK_PARAGRAPH ||
                          b->kind == JK_BLOCK_QUOTE ||
                          b->kind == JK_BLOCK_LIST);
        if (justified || n->block != l->block)
            continue;
        double measure = (double)s->page_width - s->margin_left -
                         s->margin_right;
        double next_word = word_width(b, n->start) * l->size_px;
        bool inside = l->end == n->start && l->end > 0 &&
                      is_hangul(b->cps[l->end - 1]) &&
                      is_hangul(b->cps[n->start]);
        if (s->word_break != JK_WORD_BREAK_NORMAL && inside) {
            size_t ws = l->end;
            while (ws > 0 && !jk__is_space(b->cps[ws - 1]))
                ws--;
            double whole = word_width(b, ws) * l->size_px;
            CHECKF(whole > measure, "%s: %s split inside a word of %.0f px "
                   "(measure %.0f), line %zu", what,
                   jk_block_kind_name(b->kind), whole, measure, li);
        }
        /* A balanced heading is narrower by design; its measure is the
         * widest of its lines. */
        double full = measure;
        if (b->kind != JK_BLOCK_PARAGRAPH && b->kind != JK_BLOCK_QUOTE &&
            b->kind != JK_BLOCK_LIST) {
            full = 0;
            for (size_t k = li; k < layout->line_count &&
                                layout->lines[k].block == l->block; k++)
                full = fmax(full, layout->lines[k].width);
            for (size_t k = li; k-- > 0 && layout->lines[k].block == l->block;)
                full = fmax(full, layout->lines[k].width);
        }
        bool long_word = l->width + next_word > 0.999 * full ||
                         next_word > 0.4 * measure;
        CHECKF(l->width >= 0.6 * full || long_word,
               "%s: %s line of %.0f px in %.0f, next word %.0f px", what,
               jk_block_kind_name(b->kind), l->width, full, next_word);
    }
}

static void test_ragged_articles(char **articles, int count)
{
    static const struct {
        int w, h, dpi;
        double pt;
    } conf[] = {{1072, 1448, 300, 10}, {758, 1024, 212, 12},
                {758, 1024, 212, 16}};
    for (int a = 0; a < count; a++) {
        size_t n;
        char *src = tu_read_file(articles[a], &n);
        CHECKF(src != NULL, "cannot read %s", articles[a]);
        if (!src)
            continue;
        jk_document *doc;
        jk_settings st;
        jk_settings_init(&st);
        jk_layout *layout = lay_out(&doc, src, n, &st);
        for (size_t c = 0; layout && c < 3; c++)
            for (int m = 0; m < 2; m++)
                for (int al = 0; al < 2; al++)
                    for (int b = 0; b < 2; b++) {
                        char what[256];
                        st.page_width = conf[c].w;
                        st.page_height = conf[c].h;
                        st.dpi = conf[c].dpi;
                        st.font_size_pt = conf[c].pt;
                        st.word_break = m ? JK_WORD_BREAK_KEEP_ALL
                                          : JK_WORD_BREAK_AUTO;
                        st.align = al ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
                        st.breaker = b ? JK_BREAKER_GREEDY
                                       : JK_BREAKER_OPTIMAL;
                        CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
                        snprintf(what, sizeof what, "%s %dx%d %gpt %s %s %s",
                                 articles[a], conf[c].w, conf[c].h,
                                 conf[c].pt, m ? "keep-all" : "auto",
                                 al ? "left" : "justify",
                                 b ? "greedy" : "optimal");
                        check_ragged(layout, what);
                    }
        done(layout, doc);
        free(src);
    }
}

/* ---------------------------------------------------- balanced blocks */

/* Titles, headings, captions and bylines of two or more lines: lines of
 * similar length, the last not a lone short word. */
static void test_balanced(void)
{
    static const struct {
        const char *text;
        int width;
        const char *want; /* the lines, or NULL: the property only */
    } cases[] = {
        /* One word too many for one line: half and half, not a runt. */
        {"인공지능 스타트업 xAI가 대규모 언어 모델을 공개했다 연구자들\n\n"
         "본문.\n",
         1072, "인공지능 스타트업 xAI가 대규모|언어 모델을 공개했다 연구자들"},
        {"‘X’ 5억명 데이터 먹고 자란다…머스크의 AI 그록 비밀 [트랜D]\n\n"
         "본문.\n",
         758, NULL},
        {"제목\n\n본문.\n\n\n반도체 수출이 석 달 연속 늘었지만 중국 변수와 "
         "환율 부담은 여전하다\n\n본문.\n",
         758, NULL},
        {"제목\n\n본문.\n\n한국은행 본관 앞 모습. 연합뉴스\n\n본문.\n", 500,
         NULL},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        jk_settings st;
        jk_settings_init(&st);
        st.page_width = cases[c].width;
        jk_document *doc;
        jk_layout *layout =
            lay_out(&doc, cases[c].text, strlen(cases[c].text), &st);
        if (!layout)
            continue;
        if (cases[c].want) {
            char lines[1024];
            block_lines(layout, 0, lines, sizeof lines);
            CHECKF(strcmp(lines, cases[c].want) == 0, "case %zu: %s", c,
                   lines);
        }
        for (size_t bi = 0; bi < layout->doc->block_count; bi++) {
            double lo = INFINITY, hi = 0, last = 0;
            size_t lines = 0;
            for (size_t li = 0; li < layout->line_count; li++) {
                const jk__line *l = &layout->lines[li];
                if (l->block != bi)
                    continue;
                lo = fmin(lo, l->width);
                hi = fmax(hi, l->width);
                last = l->width;
                lines++;
            }
            jk_block_kind kind = layout->doc->blocks[bi].kind;
            if (lines < 2 || kind == JK_BLOCK_PARAGRAPH)
                continue;
            CHECKF(last >= 0.5 * hi && lo >= 0.55 * hi,
                   "case %zu block %zu (%s): %zu lines of %.0f..%.0f px, "
                   "last %.0f", c, bi, jk_block_kind_name(kind), lines, lo,
                   hi, last);
        }
        done(layout, doc);
    }
}

/* A Latin heading is balanced by its words, never hyphenated: at 16 pt
 * on a Kindle, with the English patterns, it was "Why winter is the
 * elec-|tric car's oldest enemy". A context of its own: the other tests
 * run without patterns. */
static void test_heading_unhyphenated(const char *font_dir)
{
    jk_context *own = tu_context(font_dir);
    CHECK(own && jk_context_load_hyphenation(own, NULL) == JK_OK);
    static const char text[] =
        "T\n\nText.\n\n\nWhy winter is the electric car\u2019s oldest "
        "enemy\n\n\nText.\n";
    jk_settings st;
    tu_kindle_page(&st, 16);
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    CHECK(own &&
          jk_document_create_from_text(own, text, strlen(text), &doc) ==
              JK_OK &&
          jk_layout_create(doc, &st, &layout) == JK_OK);
    if (layout) {
        char lines[1024];
        block_lines(layout, 2, lines, sizeof lines);
        CHECKF(layout->doc->blocks[2].kind == JK_BLOCK_HEADING &&
                   strcmp(lines, "Why winter is the electric|car\u2019s "
                                 "oldest enemy") == 0,
               "%s", lines);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(own);
}

/* ------------------------------------------------- syllable expansion */

typedef struct pen {
    double x[4096];
    uint32_t cluster[4096];
    size_t n;
} pen;

static jk_status record(void *user, const jk__placed_glyph *g)
{
    pen *p = user;
    if (p->n < 4096 && g->cluster < JK__CLUSTER_MARKER) {
        p->x[p->n] = g->x;
        p->cluster[p->n++] = g->cluster;
    }
    return JK_OK;
}

/* In a very loose keep-all column the gaps between Korean syllables open,
 * but never inside a number with its unit, a Latin word, a Latin word and
 * its particle, or "……". */
static void test_expansion_scope(void)
{
    static const char text[] =
        "T\n\n가나다라마 2000억원 xAI는 information 마바사아 …… 자차카 "
        "32조 타파하 GPT-5를 가나다라마 2000억원 xAI는 information "
        "마바사아 …… 자차카 32조 타파하 GPT-5를 가나다라마 끝.\n";
    jk_settings st;
    em_page(&st, 1300);
    st.word_break = JK_WORD_BREAK_KEEP_ALL;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, strlen(text), &st);
    if (!layout)
        return;
    size_t opened = 0;
    for (size_t li = 0; li < layout->line_count; li++) {
        const jk__line *l = &layout->lines[li];
        const jk__block *b = &layout->doc->blocks[l->block];
        if (l->block != 1 || l->last)
            continue;
        pen p = {.n = 0};
        CHECK(jk__line_glyphs(layout, l, record, &p) == JK_OK);
        for (size_t g = 0; g + 1 < p.n; g++) {
            uint32_t i = p.cluster[g], j = p.cluster[g + 1];
            if (j != i + 1 || jk__is_space(b->cps[i]))
                continue;
            double extra = p.x[g + 1] - p.x[g] -
                           (b->xpos[j] - b->xpos[i]) * l->size_px;
            bool korean = is_hangul(b->cps[i]) && is_hangul(b->cps[j]);
            bool after_digit = false;
            for (size_t k = i + 1; k-- > 0 && !jk__is_space(b->cps[k]);)
                after_digit |= b->cps[k] >= '0' && b->cps[k] <= '9';
            if (korean && !after_digit) {
                opened += extra > 1e-6;
                continue;
            }
            CHECKF(fabs(extra) < 1e-6,
                   "line %zu: %.2f px between U+%04X and U+%04X", li, extra,
                   b->cps[i], b->cps[j]);
        }
    }
    CHECKF(opened > 10, "%zu syllable gaps opened", opened);
    done(layout, doc);
}

/* An English paragraph in a narrow column: where the spaces would pass
 * 270%, the gaps between Latin letters open, by the same amount each and
 * by at most 0.03 em, after the spaces reach 270%; never at a space,
 * punctuation, a hyphen or inside a ligature, and the line still ends at
 * the measure. */
static void test_letter_spacing(void)
{
    static const char text[] =
        "T\n\nFor drivers, the practical consequences are still some way "
        "off. Even on the most optimistic timetable, vehicles using the new "
        "cells would not reach showrooms before the end of the decade. But "
        "if the results survive independent scrutiny, the humble winter "
        "charging stop, long a source of frustration for electric-car "
        "owners, could become noticeably shorter, and considerably less "
        "cold: a first-rate, well-defined efficiency.\n";
    jk_settings st;
    em_page(&st, 900);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, strlen(text), &st);
    if (!layout)
        return;
    size_t tracked = 0, opened = 0;
    for (size_t li = 0; li < layout->line_count; li++) {
        const jk__line *l = &layout->lines[li];
        const jk__block *b = &layout->doc->blocks[l->block];
        if (l->block != 1 || !l->letters)
            continue;
        tracked++;
        CHECKF(l->space_factor >= 1.7 - 1e-6, "line %zu: letters opened "
               "with spaces at +%.0f%%", li, 100 * l->space_factor);
        CHECKF(l->gap_extra > 0 && l->gap_extra <= 0.03 * l->size_px + 1e-6,
               "line %zu: letters %.3f em apart", li,
               l->gap_extra / l->size_px);
        pen p = {.n = 0};
        CHECK(jk__line_glyphs(layout, l, record, &p) == JK_OK);
        for (size_t g = 0; g + 1 < p.n; g++) {
            uint32_t i = p.cluster[g], j = p.cluster[g + 1];
            if (j == i || jk__is_space(b->cps[i]))
                continue;
            double extra = p.x[g + 1] - p.x[g] -
                           (b->xpos[j] - b->xpos[i]) * l->size_px;
            bool letters = j == i + 1 && isalpha((int)b->cps[i]) &&
                           isalpha((int)b->cps[j]) && b->cps[i] < 128 &&
                           b->cps[j] < 128;
            if (letters) {
                opened++;
                CHECKF(fabs(extra - l->gap_extra) < 1e-6,
                       "line %zu: %.2f px between %c and %c, not %.2f", li,
                       extra, (char)b->cps[i], (char)b->cps[j],
                       l->gap_extra);
            } else {
                CHECKF(fabs(extra) < 1e-6,
                       "line %zu: %.2f px between U+%04X and U+%04X", li,
                       extra, b->cps[i], b->cps[j]);
            }
        }
    }
    CHECKF(tracked >= 1 && opened > 20, "%zu lines, %zu letter gaps opened",
           tracked, opened);
    done(layout, doc);
}

/* ------------------------------------------------- punctuation squeeze */

/* Nanum Myeongjo's 『 』 「 」 are full width with half an em of blank. */
static void test_squeeze(void)
{
    static const char text[] =
        "T\n\n이달에 『훈민정음(訓民正音)』이 반포된 지 580년이 된다.\n";
    jk_settings st;
    em_page(&st, 2000);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, text, strlen(text), &st);
    if (!layout)
        return;
    const jk__block *b = &layout->doc->blocks[1];
    /* "이달에 『…』이" at its natural width, less 0.3 em: only squeezing
     * 』 (and shrinking the space) fits it. */
    size_t e = 0;
    while (e < b->n && b->cps[e] != 0x300F)
        e++;
    e += 2; /* 』이 */
    double natural = b->xpos[e] * 100;
    /* 『 after a space keeps no blank: it was squeezed at once. */
    size_t open = 4;
    CHECKF(b->cps[open] == 0x300E &&
               b->xpos[open + 1] - b->xpos[open] < 0.6,
           "『 after a space is %.2f em", b->xpos[open + 1] - b->xpos[open]);
    st.page_width = (int)(natural - 30);
    st.word_break = JK_WORD_BREAK_AUTO;
    CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
    char lines[1024];
    block_lines(layout, 1, lines, sizeof lines);
    CHECKF(strncmp(lines, "이달에 『훈민정음(訓民正音)』이|", 44) == 0,
           "squeezed: %s", lines);
    done(layout, doc);

    /* An opening bracket at a line's start gives up its blank: its ink
     * starts at the margin. Normal mode breaks before 「. */
    static const char start[] = "T\n\n가나다라마바사아자차「카타」\n";
    em_page(&st, 1000);
    st.margin_left = 50;
    st.page_width = 1050;
    st.word_break = JK_WORD_BREAK_NORMAL;
    layout = lay_out(&doc, start, strlen(start), &st);
    if (!layout)
        return;
    bool found = false;
    for (size_t li = 0; li < layout->line_count; li++) {
        const jk__line *l = &layout->lines[li];
        b = &layout->doc->blocks[l->block];
        if (l->block != 1 || b->cps[l->start] != 0x300C)
            continue;
        pen p = {.n = 0};
        jk__line_glyphs(layout, l, record, &p);
        found = true;
        CHECKF(l->trim_start > 40 && fabs(p.x[0] - (50 - l->trim_start)) <
                                         1e-6,
               "trim %.1f px, pen at %.1f", l->trim_start, p.x[0]);
    }
    CHECK(found);
    done(layout, doc);
}

/* ---------------------------------------------------- zero-width runs */

/* defects §1: thousands of zero-width break candidates at one pen
 * position. The lines hold the whole text, inside the box. */
static void test_zero_width_runs(void)
{
    static const char *runs[] = {"\u2060", "\uFEFF", "\u00AD",
                                 "\u00AD\u200B", "\u200B"};
    for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
        size_t unit = strlen(runs[r]), cap = 20000 * unit + 256, n = 0;
        char *text = malloc(cap);
        n += (size_t)snprintf(text, cap, "T\n\n");
        size_t body = n;
        for (int i = 0; i < 30; i++)
            text[n++] = 'x';
        for (int i = 0; i < 20000; i++, n += unit)
            memcpy(text + n, runs[r], unit);
        for (int i = 0; i < 30; i++)
            text[n++] = 'y';
        text[n] = '\0';
        for (int b = 0; b < 2; b++) {
            jk_settings st;
            jk_settings_init(&st);
            st.breaker = b ? JK_BREAKER_GREEDY : JK_BREAKER_OPTIMAL;
            jk_document *doc;
            jk_layout *layout = lay_out(&doc, text, n, &st);
            if (!layout)
                continue;
            size_t lines = 0, len = 0;
            jk_layout_stats stats;
            jk_layout_get_stats(layout, &stats);
            for (size_t li = 0; li < layout->line_count; li++) {
                const jk__line *l = &layout->lines[li];
                if (l->block != 1)
                    continue;
                const jk__block *bl = &layout->doc->blocks[1];
                len += jk__off(bl, l->end) - jk__off(bl, l->start);
                lines++;
                CHECK(l->x + l->width <= measure_px(&st) + 1e-6);
            }
            CHECKF(lines >= 2 && lines <= 3 && len == n - body &&
                       stats.overfull == 0,
                   "run %zu breaker %d: %zu lines, %zu of %zu bytes", r, b,
                   lines, len, n - body);
            done(layout, doc);
        }
        free(text);
    }
}

/* ------------------------------------------------------- word gaps */

/* In auto mode, a justified line with gaps between syllables never grows
 * its spaces past 270% (a word gap of about an em with the letters' side
 * bearings): the syllables take the rest, unless the line has a single
 * gap and two spaces or more: the gap stays shut and the spaces take it
 * (never "번  역beta Translated by"). A gap grows past half the line's
 * average word space only with the spaces: the words stay apart ("최 근
 * 테 슬 라 용 으 로" read as eight). A tight line closes its syllable gaps
 * by at most 0.04 em, in step with its spaces (and a lone one not at
 * all); some lines of these articles do. */
static void test_widest_space(char **articles, int count)
{
    size_t closed = 0; /* lines whose syllable gaps close */
    for (int a = 0; a < count; a++) {
        size_t n;
        char *src = tu_read_file(articles[a], &n);
        if (!src)
            continue;
        static const double sizes[] = {10, 12, 16};
        for (int z = 0; z < 3; z++) {
            jk_settings st;
            tu_kindle_page(&st, sizes[z]);
            jk_document *doc;
            jk_layout *layout = lay_out(&doc, src, n, &st);
            for (size_t li = 0; layout && li < layout->line_count; li++) {
                const jk__line *l = &layout->lines[li];
                const jk__block *b = &doc->blocks[l->block];
                size_t gaps = 0, spaces = 0;
                double word = 0; /* the spaces as set, px */
                for (uint32_t i = l->start; i < l->end; i++) {
                    gaps += i + 1 < l->end && (b->just[i] & JK__JUST_GAP);
                    if (!jk__is_stretchable(b->cps[i]))
                        continue;
                    spaces++;
                    double f = (b->just[i] & JK__JUST_LATIN_SPACE)
                                   ? l->space_factor
                                   : l->ko_space_factor;
                    word += (b->xpos[i + 1] - b->xpos[i]) * (1 + f) *
                            l->size_px;
                }
                if (spaces > 0)
                    word /= (double)spaces;
                bool half = l->gap_extra >= 0.5 * word - 1e-3 &&
                            l->gap_extra > 0.34 * l->size_px;
                /* (before the last stage gaps reach at most 1.5 times
                 * their cap of 0.2 em and a third of 0.1 em more) */
                if (gaps > 0 && spaces > 0 && !l->letters)
                    CHECKF(l->gap_extra <=
                               fmax(0.5 * word, 0.34 * l->size_px) + 1e-3,
                           "%s %g pt line %zu: gaps %.1f px, words %.1f px",
                           articles[a], sizes[z], li, l->gap_extra, word);
                bool lone = gaps == 1 && spaces >= 2;
                if (l->letters) /* no syllable gap to open */
                    CHECKF(gaps == 0 || lone, "%s %g pt line %zu: letters "
                           "opened beside %zu syllable gaps", articles[a],
                           sizes[z], li, gaps);
                if (l->gap_extra > 0 && !lone && !l->letters && !half)
                    CHECKF(l->space_factor <= 1.7 + 1e-6 &&
                               l->ko_space_factor <= 1.7 + 1e-6,
                           "%s %g pt line %zu: spaces +%.0f%% / +%.0f%%",
                           articles[a], sizes[z], li, 100 * l->space_factor,
                           100 * l->ko_space_factor);
                if (lone)
                    CHECKF(l->gap_extra == 0 || l->letters,
                           "%s %g pt line %zu: its one gap %.2f em",
                           articles[a], sizes[z], li,
                           l->gap_extra / l->size_px);
                if (l->gap_extra < 0) {
                    closed++;
                    CHECKF(l->ratio < 0 && !l->letters && gaps > 0 &&
                               fabs(l->gap_extra -
                                    l->ratio * 0.04 * l->size_px) < 1e-3,
                           "%s %g pt line %zu: gaps %.2f em at ratio %.2f",
                           articles[a], sizes[z], li,
                           l->gap_extra / l->size_px, l->ratio);
                }
            }
            done(layout, doc);
        }
        free(src);
    }
    CHECKF(closed > 0, "no tight line closed its syllable gaps");
}

/* The widest word gap a line shows as placed, ink to ink (jk__space_blank
 * plus what placement opened the space by), em; 0 without spaces. */
static double widest_blank(const jk_layout *layout, const jk__line *l)
{
    static pen p; /* 48 KB */
    const jk__block *b = &layout->doc->blocks[l->block];
    p.n = 0;
    CHECK(jk__line_glyphs(layout, l, record, &p) == JK_OK);
    double widest = 0;
    for (size_t g = 0; g + 1 < p.n; g++) {
        uint32_t i = p.cluster[g];
        if (p.cluster[g + 1] != i + 1 || !jk__is_stretchable(b->cps[i]))
            continue;
        /* (the pen after the space, less the next glyph's offset) */
        uint32_t next = jk__cp_glyph(b, i + 1);
        const jk__offset *o = jk__offset_at(b, jk__offset_from(b, next), next);
        double dx = o ? o->dx * JK__OFFSET_UNIT : 0;
        double extra = (p.x[g + 1] - p.x[g]) / l->size_px - dx -
                       (b->xpos[i + 1] - b->xpos[i]);
        widest = fmax(widest, jk__space_blank(layout->doc->ctx, b, i) + extra);
    }
    return widest;
}

/* Whether a text has more Hangul syllables than Latin letters. */
static bool mostly_korean(const char *s, size_t n)
{
    size_t ko = 0, latin = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += jk__utf8_decode((const unsigned char *)s + i, n - i, &cp);
        ko += is_hangul(cp);
        latin += cp < 0x80 && isalpha((int)cp);
    }
    return ko > latin;
}

/* No holes in auto mode (the composition issue's item 6): on every
 * article at 12 and 16 pt, with the English patterns (as the CLI sets
 * them), no justified line shows a word gap wider than an em, ink to ink,
 * nor opens its syllable gaps past 0.45 em (half a word space of 0.9 em);
 * without patterns, where English words cannot break, on the mostly
 * Korean articles. And the ko-tech-english paragraph whose cheapest
 * breaks by ratio alone were `최고기술책임자(CTO) 대` / `니얼 오코너(Daniel
 * O’Con-` (a 1.06 em gap and syllable gaps of 0.47 em: Korean words
 * letter-spaced so that the English lines after them stayed even), or
 * with only word spaces weighed, `최고기술책임자(CTO)` alone with gaps of
 * 0.78 em, keeps its Korean words close: no gap opens past 0.31 em. */
static void test_no_holes(const char *font_dir, char **articles, int count)
{
    jk_context *own = tu_context(font_dir);
    CHECK(own && jk_context_load_hyphenation(own, NULL) == JK_OK);
    if (!own)
        return;
    jk_context *shared = ctx; /* lay_out's: first this test's */
    size_t stretched = 0;
    double most = 0;
    for (int patterns = 1; patterns >= 0; patterns--) {
        ctx = patterns ? own : shared;
        for (int a = 0; a < count; a++) {
            size_t n;
            char *src = tu_read_file(articles[a], &n);
            if (!src)
                continue;
            static const double sizes[] = {12, 16};
            for (int z = 0; z < 2 && (patterns || mostly_korean(src, n));
                 z++) {
                jk_settings st;
                tu_kindle_page(&st, sizes[z]);
                jk_document *doc;
                jk_layout *layout = lay_out(&doc, src, n, &st);
                for (size_t li = 0; layout && li < layout->line_count;
                     li++) {
                    const jk__line *l = &layout->lines[li];
                    if (l->last || l->overfull || l->ratio <= 1)
                        continue;
                    double blank = widest_blank(layout, l);
                    double gap = l->letters ? 0 : l->gap_extra / l->size_px;
                    stretched++;
                    most = fmax(most, blank);
                    CHECKF(blank <= 1.0 && gap <= 0.45,
                           "%s %g pt%s line %zu at ratio %.2f: a word gap "
                           "of %.3f em, syllable gaps %.2f em", articles[a],
                           sizes[z], patterns ? "" : " (no patterns)", li,
                           l->ratio, blank, gap);
                }
                done(layout, doc);
            }
            free(src);
        }
    }
    ctx = own;
    CHECKF(stretched > 300 && most > 0.8, "%zu lines past ratio 1, widest "
           "gap %.2f em", stretched, most);

    static const char para[] =
        "T\n\n미국 AI 스타트업 노스브리지랩스(Northbridge Labs)의 "
        "최고기술책임자(CTO) 대니얼 오코너(Daniel O’Connor)는 이메일 "
        "답변에서 “We welcome independent evaluation of our models, and "
        "we have already shared our internal red-teaming results with the "
        "consortium under a research agreement.”라고 밝혔다.\n";
    jk_settings st;
    tu_kindle_page(&st, 16);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, para, sizeof para - 1, &st);
    size_t lines = 0;
    for (size_t li = 0; layout && li < layout->line_count; li++) {
        const jk__line *l = &layout->lines[li];
        if (doc->blocks[l->block].kind != JK_BLOCK_PARAGRAPH)
            continue;
        lines++;
        double gap = l->letters ? 0 : l->gap_extra / l->size_px;
        CHECKF(gap <= 0.31, "line %zu: syllable gaps %.2f em", li, gap);
    }
    CHECKF(lines >= 8, "%zu lines", lines);
    done(layout, doc);
    ctx = shared;
    jk_context_destroy(own);
}

/* The reference article's second paragraph at ×1.75 on a Kobo Clara is
 * "번역beta Translated by kaka i": its first line cannot be set well,
 * and its one syllable gap (번|역) stays shut while the spaces take the
 * rest. */
static void test_single_gap(const char *article)
{
    size_t n;
    char *src = tu_read_file(article, &n);
    if (!src)
        return;
    jk_settings st;
    jk_settings_init(&st);
    st.scale = 1.75;
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, src, n, &st);
    size_t seen = 0;
    for (size_t li = 0; layout && li < layout->line_count; li++) {
        const jk__line *l = &layout->lines[li];
        const jk__block *b = &doc->blocks[l->block];
        if (l->start != 0 || b->n < 2 || b->cps[0] != 0xBC88 /* 번 */ ||
            b->cps[1] != 0xC5ED /* 역 */ || l->last)
            continue;
        seen++;
        CHECKF(l->gap_extra == 0 || l->letters,
               "번|역 opened by %.2f em", l->gap_extra / l->size_px);
        CHECKF(l->space_factor > 1.7, "spaces +%.0f%%",
               100 * l->space_factor);
    }
    CHECKF(seen == 1, "%zu lines starting 번역", seen);
    done(layout, doc);
    free(src);
}

/* A justified paragraph that can only be set loose (the emergency pass)
 * does not leave a word alone on a ragged line where looser lines could
 * hold it: "Cold" above "weather is a well-known" at 16 pt on a Kindle,
 * "사" between "컨소시엄" and "무국(press@…)" (which it split). */
static void test_no_word_alone(void)
{
    static const struct {
        const char *text;
        const char *first;  /* the paragraph's first line starts so */
        const char *never;  /* no line is this alone */
    } cases[] = {
        {"T\n\nCold weather is a well-known weakness of electric "
         "vehicles. At low temperatures the liquid electrolyte inside a "
         "conventional lithium-ion cell becomes more viscous, the chemical "
         "reactions at the electrodes slow down, and lithium ions struggle "
         "to slot neatly into the graphite anode.\n",
         "Cold weather", "Cold"},
        {"T\n\n보고서에 대한 문의는 컨소시엄 사무국(press@example.org)으로, "
         "평가 세트 관련 기술 문의는 eval-support@fsc-research.example.com "
         "으로 받는다.\n",
         "보고서에", "사"},
    };
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        jk_settings st;
        tu_kindle_page(&st, 16);
        jk_document *doc;
        jk_layout *layout =
            lay_out(&doc, cases[ci].text, strlen(cases[ci].text), &st);
        char lines[2048] = "|", never[64];
        if (layout)
            block_lines(layout, 1, lines + 1, sizeof lines - 2);
        strcat(lines, "|");
        snprintf(never, sizeof never, "|%s|", cases[ci].never);
        CHECKF(strncmp(lines + 1, cases[ci].first,
                       strlen(cases[ci].first)) == 0 &&
                   !strstr(lines, never),
               "case %zu: %s", ci, lines);
        done(layout, doc);
    }
}

/* ------------------------------------------------ drawing = composing */

static jk_status pen_end(void *user, const jk__placed_glyph *g)
{
    double *end = user;
    *end = g->x + g->advance;
    return JK_OK;
}

/* The glyphs a line draws end where composition says the line ends, in
 * every mode and alignment (spaces, syllable gaps, squeezed and trimmed
 * punctuation, hyphens, hanging punctuation): drawing and layout never
 * disagree. */
static void test_drawn_width(char **articles, int count)
{
    for (int a = 0; a < count; a++) {
        size_t n;
        char *src = tu_read_file(articles[a], &n);
        if (!src)
            continue;
        jk_settings st;
        jk_settings_init(&st);
        jk_document *doc;
        jk_layout *layout = lay_out(&doc, src, n, &st);
        for (int c = 0; layout && c < 12; c++) {
            st.word_break = (jk_word_break)(c % 3);
            st.align = (c / 3) % 2 ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
            st.hang_punctuation = c >= 6;
            st.font_size_pt = 8 + c;
            CHECK(jk_layout_set_settings(layout, &st) == JK_OK);
            for (size_t li = 0; li < layout->line_count; li++) {
                const jk__line *l = &layout->lines[li];
                const jk__block *b = &layout->doc->blocks[l->block];
                if (l->end == l->start)
                    continue;
                double end = 0;
                CHECK(jk__line_glyphs(layout, l, pen_end, &end) == JK_OK);
                double want = l->x + l->width;
                uint32_t last = b->cps[l->end - 1];
                bool hangs = st.hang_punctuation &&
                             (last == 0x3001 || last == 0x3002 ||
                              last == 0x2019 || last == 0x201D);
                if ((b->just[l->end - 1] & JK__JUST_CLOSE) &&
                    !l->hyphenated && !hangs)
                    want += jk__blank_em(b, l->end - 1) * l->size_px;
                CHECKF(fabs(end - want) < 0.01 || b->glyph_count == 0,
                       "%s config %d line %zu: glyphs end at %.2f, line at "
                       "%.2f", articles[a], c, li, end, want);
            }
        }
        done(layout, doc);
        free(src);
    }
}

/* Word gaps are made even as a reader sees them: a stretched line opens
 * its narrowest spaces first, blank from ink to ink (jk__space_blank,
 * which sees `리 인` 0.2 em wider than `다 중` in Nanum Myeongjo, the
 * same spaces: 29 px and 18 px on the Kindle at 16 pt), until each opened
 * one reaches the line's level (jk__space_level); the spaces take
 * together what their factors give, so the line still ends at the
 * measure. */
static void test_even_word_gaps(char **articles, int count)
{
    static const char pair[] = "T\n\n“금리 인하보다 중요한 건 수출\n";
    jk_settings st;
    jk_settings_init(&st);
    jk_document *doc;
    jk_layout *layout = lay_out(&doc, pair, strlen(pair), &st);
    if (layout) {
        const jk__block *b = &doc->blocks[1];
        double ri = -1, da = -1; /* 리 인, 다 중 */
        for (size_t i = 1; i + 1 < b->n; i++) {
            if (b->cps[i] != ' ')
                continue;
            if (b->cps[i - 1] == 0xB9AC /* 리 */)
                ri = jk__space_blank(ctx, b, i);
            if (b->cps[i - 1] == 0xB2E4 /* 다 */)
                da = jk__space_blank(ctx, b, i);
        }
        CHECKF(ri > da + 0.15 && da > 0.3, "blank 리 인 %.3f em, 다 중 "
               "%.3f em", ri, da);
        done(layout, doc);
    }
    size_t uneven = 0; /* lines whose opened spaces grew by different
                          amounts */
    for (int a = 0; a < count; a++) {
        size_t n;
        char *src = tu_read_file(articles[a], &n);
        if (!src)
            continue;
        for (int keep = 0; keep < 2; keep++) {
            tu_kindle_page(&st, 16);
            st.word_break =
                keep ? JK_WORD_BREAK_KEEP_ALL : JK_WORD_BREAK_AUTO;
            layout = lay_out(&doc, src, n, &st);
            for (size_t li = 0; layout && li < layout->line_count; li++) {
                const jk__line *l = &layout->lines[li];
                const jk__block *b = &doc->blocks[l->block];
                double level = jk__space_level(ctx, b, l);
                if (level <= 0)
                    continue;
                pen p = {.n = 0};
                CHECK(jk__line_glyphs(layout, l, record, &p) == JK_OK);
                double px = l->size_px, total = 0, want = 0;
                double lo = INFINITY, hi = -INFINITY;
                for (size_t g = 0; g + 1 < p.n; g++) {
                    uint32_t i = p.cluster[g];
                    if (p.cluster[g + 1] != i + 1 ||
                        !jk__is_stretchable(b->cps[i]))
                        continue;
                    /* (the pen after the space: less the next
                     * glyph's offset, a squeezed bracket's) */
                    uint32_t next = jk__cp_glyph(b, i + 1);
                    const jk__offset *o =
                        jk__offset_at(b, jk__offset_from(b, next), next);
                    double dx = o ? o->dx * JK__OFFSET_UNIT : 0;
                    double w = b->xpos[i + 1] - b->xpos[i];
                    double extra = (p.x[g + 1] - p.x[g]) / px - dx - w;
                    double v = jk__space_blank(ctx, b, i);
                    total += extra;
                    want += ((b->just[i] & JK__JUST_LATIN_SPACE)
                                 ? l->space_factor
                                 : l->ko_space_factor) * w;
                    CHECKF(extra >= -1e-6 && v + extra >= level -
                               1e-4, "%s line %zu: a space %.3f em + %.3f "
                               "below the level %.3f", articles[a], li, v,
                           extra, level);
                    if (extra > 1e-6) {
                        CHECKF(fabs(v + extra - level) < 1e-4,
                               "%s line %zu: opened to %.3f em, level %.3f",
                               articles[a], li, v + extra, level);
                        lo = fmin(lo, extra);
                        hi = fmax(hi, extra);
                    }
                }
                CHECKF(fabs(total - want) < 1e-4, "%s line %zu: spaces took "
                       "%.4f em, their factors %.4f", articles[a], li,
                       total, want);
                uneven += hi - lo > 0.02;
            }
            done(layout, doc);
        }
        free(src);
    }
    CHECKF(uneven > 50, "%zu lines opened their spaces unevenly", uneven);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-justify FONT_DIR ARTICLE...\n");
        return 2;
    }
    ctx = tu_context(argv[1]);
    if (!ctx)
        return 1;
    test_forbidden_breaks();
    test_nbsp_kept();
    test_ragged_title();
    test_ragged_articles(argv + 2, argc - 2);
    test_balanced();
    test_expansion_scope();
    test_letter_spacing();
    test_squeeze();
    test_zero_width_runs();
    test_widest_space(argv + 2, argc - 2);
    test_no_holes(argv[1], argv + 2, argc - 2);
    test_single_gap(argv[2]);
    test_no_word_alone();
    test_heading_unhyphenated(argv[1]);
    test_drawn_width(argv + 2, argc - 2);
    test_even_word_gaps(argv + 2, argc - 2);
    jk_context_destroy(ctx);
    return tu_finish("justify");
}
