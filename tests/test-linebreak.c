/* test-linebreak.c - conformance and Korean tests for render/linebreak.c
 *
 * usage: test-linebreak LineBreakTest.txt GraphemeBreakTest.txt
 * Prints "linebreak: N passed, M failed, K skipped"; exit status 0 when
 * nothing failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"

#define MAXCP 256

static int n_pass, n_fail, n_skip;
static int n_invariant_bad;

/* AUTO must allow exactly the breaks NORMAL allows, and AUTO without its
 * SYLLABLE breaks must equal KEEP_ALL (the library computes AUTO once and
 * derives the other two from it).  Counted, reported once at the end. */
static void check_mode_invariants(const uint32_t *cps, size_t n)
{
    uint8_t nor[MAXCP], kee[MAXCP], aut[MAXCP];
    size_t k;
    jk__line_breaks(cps, n, JK_WORD_BREAK_NORMAL, nor);
    jk__line_breaks(cps, n, JK_WORD_BREAK_KEEP_ALL, kee);
    jk__line_breaks(cps, n, JK_WORD_BREAK_AUTO, aut);
    for (k = 0; k < n; k++) {
        int a_allowed = (aut[k] & JK__BRK_ALLOWED) != 0;
        int a_keep = a_allowed && !(aut[k] & JK__BRK_SYLLABLE);
        if (a_allowed != ((nor[k] & JK__BRK_ALLOWED) != 0) ||
            a_keep != ((kee[k] & JK__BRK_ALLOWED) != 0) ||
            (nor[k] & JK__BRK_SYLLABLE) || (kee[k] & JK__BRK_SYLLABLE) ||
            (aut[k] & ~JK__BRK_SYLLABLE) != (nor[k] & ~JK__BRK_SYLLABLE) ||
            ((aut[k] & JK__BRK_SYLLABLE) && !(aut[k] & JK__BRK_ALLOWED))) {
            n_invariant_bad++;
            return;
        }
    }
}

/* Lines of LineBreakTest.txt that are skipped, with the reason.  Empty:
 * the implementation passes every line. */
static const struct {
    int line;
    const char *why;
} lb_skips[] = {
    { 0, NULL }
};

static const char *skip_reason(int line)
{
    size_t k;
    for (k = 0; k < sizeof lb_skips / sizeof lb_skips[0]; k++)
        if (lb_skips[k].why != NULL && lb_skips[k].line == line)
            return lb_skips[k].why;
    return NULL;
}

static void check(int ok, const char *what)
{
    if (ok) {
        n_pass++;
    } else {
        n_fail++;
        printf("FAIL: %s\n", what);
    }
}

/* ------------------------------------------------------------ UTF-8 */

/* Decode UTF-8 (input is trusted test data). */
static size_t utf8_decode(const char *s, uint32_t *cps, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p && n < max) {
        uint32_t c = *p++;
        int extra = 0;
        if (c >= 0xF0) {
            c &= 0x07;
            extra = 3;
        } else if (c >= 0xE0) {
            c &= 0x0F;
            extra = 2;
        } else if (c >= 0xC0) {
            c &= 0x1F;
            extra = 1;
        }
        while (extra-- > 0 && (*p & 0xC0) == 0x80)
            c = (c << 6) | (*p++ & 0x3Fu);
        cps[n++] = c;
    }
    return n;
}

/* ------------------------------------------------- conformance files */

/* Parse one test line: "× 0023 ÷ 0020 ÷ # comment".  Returns the number of
 * code points; brk[k] says whether the test expects a break after cps[k]. */
static size_t parse_test_line(const char *line, uint32_t *cps, int *brk)
{
    const char *p = line;
    size_t n = 0;
    while (*p && *p != '#' && *p != '\n') {
        if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97) {
            if (n > 0)
                brk[n - 1] = 0; /* × */
            p += 2;
        } else if ((unsigned char)p[0] == 0xC3 &&
                   (unsigned char)p[1] == 0xB7) {
            if (n > 0)
                brk[n - 1] = 1; /* ÷ */
            p += 2;
        } else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F') ||
                   (*p >= 'a' && *p <= 'f')) {
            char *end;
            unsigned long v = strtoul(p, &end, 16);
            if (n < MAXCP) {
                cps[n] = (uint32_t)v;
                brk[n] = -1;
                n++;
            }
            p = end;
        } else {
            p++;
        }
    }
    return n;
}

static void run_file(const char *path, int grapheme)
{
    char line[4096];
    uint32_t cps[MAXCP];
    int brk[MAXCP];
    uint8_t out[MAXCP];
    int lineno = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("FAIL: cannot open %s\n", path);
        n_fail++;
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n, k;
        int ok = 1;
        const char *why;
        lineno++;
        n = parse_test_line(line, cps, brk);
        if (n == 0)
            continue;
        if (!grapheme && (why = skip_reason(lineno)) != NULL) {
            printf("SKIP: %s line %d: %s\n", path, lineno, why);
            n_skip++;
            continue;
        }
        jk__line_breaks(cps, n, JK_WORD_BREAK_NORMAL, out);
        check_mode_invariants(cps, n);
        for (k = 0; k < n; k++) {
            int got = grapheme ? (out[k] & JK__BRK_GRAPHEME) != 0
                               : (out[k] & JK__BRK_ALLOWED) != 0;
            if (got != brk[k])
                ok = 0;
        }
        if (!(out[n - 1] & JK__BRK_MANDATORY))
            ok = 0;
        if (ok) {
            n_pass++;
        } else {
            n_fail++;
            printf("FAIL: %s line %d:", path, lineno);
            for (k = 0; k < n; k++)
                printf(" %04lX %s", (unsigned long)cps[k],
                       (out[k] & (grapheme ? JK__BRK_GRAPHEME
                                           : JK__BRK_ALLOWED)) ? "÷" : "×");
            printf("\n  expected: %s", line);
        }
    }
    fclose(f);
}

/* ---------------------------------------------------- marked strings */

#define MARK_BREAK 0x00F7u  /* ÷ : break allowed (no SYLLABLE flag) */
#define MARK_SYLL  0x00A6u  /* ¦ : break allowed with JK__BRK_SYLLABLE */

static const char *mode_name(jk_word_break m)
{
    return m == JK_WORD_BREAK_NORMAL ? "normal"
         : m == JK_WORD_BREAK_KEEP_ALL ? "keep-all" : "auto";
}

/* The expectation is the text with ÷ (allowed) or ¦ (allowed + SYLLABLE)
 * inserted at each break opportunity; every other internal position must
 * not allow a break.  The end of the text is always mandatory. */
static void check_marked(jk_word_break mode, const char *marked)
{
    uint32_t raw[MAXCP], cps[MAXCP] = { 0 };
    uint8_t want[MAXCP], out[MAXCP];
    size_t nraw = utf8_decode(marked, raw, MAXCP), n = 0, k;
    char what[512];
    int ok = 1;
    for (k = 0; k < nraw; k++) {
        if (raw[k] == MARK_BREAK || raw[k] == MARK_SYLL) {
            if (n > 0)
                want[n - 1] = raw[k] == MARK_BREAK
                                  ? JK__BRK_ALLOWED
                                  : (JK__BRK_ALLOWED | JK__BRK_SYLLABLE);
        } else {
            cps[n] = raw[k];
            want[n] = 0;
            n++;
        }
    }
    jk__line_breaks(cps, n, mode, out);
    check_mode_invariants(cps, n);
    for (k = 0; k + 1 < n; k++)
        if ((out[k] & (JK__BRK_ALLOWED | JK__BRK_SYLLABLE |
                       JK__BRK_MANDATORY)) != want[k])
            ok = 0;
    if (n > 0 && (out[n - 1] & (JK__BRK_ALLOWED | JK__BRK_MANDATORY)) !=
                     (JK__BRK_ALLOWED | JK__BRK_MANDATORY))
        ok = 0;
    snprintf(what, sizeof what, "[%s] %s", mode_name(mode), marked);
    check(ok, what);
    if (!ok) {
        printf("  got:");
        for (k = 0; k < n; k++)
            printf(" %04lX:%02x", (unsigned long)cps[k], out[k]);
        printf("\n");
    }
}

static const jk_word_break all_modes[3] = {
    JK_WORD_BREAK_NORMAL, JK_WORD_BREAK_KEEP_ALL, JK_WORD_BREAK_AUTO
};

/* Expectations per mode: NORMAL, KEEP_ALL, AUTO. */
static const char *const mode_cases[][3] = {
    { "한÷글÷이", "한글이", "한¦글¦이" },
    { "字　÷字", "字　÷字", "字　÷字" },
    { "한÷국÷어÷English÷한÷국÷어 ÷text",
      "한국어English한국어 ÷text",
      "한¦국¦어¦English¦한¦국¦어 ÷text" },
    { "그÷록-1’을", "그록-1’을", "그¦록-1’을" },
    { "가-÷나", "가-÷나", "가-÷나" },
    { "나÷는 ÷학÷생÷이÷다.", "나는 ÷학생이다.", "나¦는 ÷학¦생¦이¦다." },
    { "텍÷스÷트·÷이÷미÷지", "텍스트·÷이미지", "텍¦스¦트·÷이¦미¦지" },
    { "가÷나ㆍ÷다÷라", "가나ㆍ÷다라", "가¦나ㆍ÷다¦라" },
    { "漢÷字÷か÷な", "漢字かな", "漢¦字¦か¦な" },
    { "가ぁ", "가ぁ", "가ぁ" },            /* CJ after Hangul: LB21 */
    { "ぁ÷가", "ぁ가", "ぁ¦가" },          /* small kana is a letter unit */
    { "가÷격÷은 ÷₩12,900÷입÷니÷다",
      "가격은 ÷₩12,900입니다",
      "가¦격¦은 ÷₩12,900¦입¦니¦다" },
    { "(가÷나)÷다", "(가나)다", "(가¦나)¦다" },
    /* brackets inside a word keep it whole in keep-all */
    { "인÷공÷지÷능÷(AI)÷입÷니÷다", "인공지능(AI)입니다",
      "인¦공¦지¦능¦(AI)¦입¦니¦다" },
    { "X(구 ÷트÷위÷터)÷는", "X(구 ÷트위터)는", "X(구 ÷트¦위¦터)¦는" },
    { "「가÷나」÷는", "「가나」는", "「가¦나」¦는" },
    { "“가÷나”다", "“가나”다", "“가¦나”다" },
    { "가÷😀÷나", "가😀나", "가¦😀¦나" },
    { "A÷가", "A가", "A¦가" },
    { "2024÷년", "2024년", "2024¦년" },
    /* a unit and its particle are one word in keep-all */
    { "영÷하 ÷269℃÷에÷서", "영하 ÷269℃에서", "영¦하 ÷269℃¦에¦서" },
    { "50%÷를", "50%를", "50%¦를" },
    { "e-÷mail ÷주÷소", "e-÷mail ÷주소", "e-÷mail ÷주¦소" },
    { "가÷나 ’다÷라", "가나 ’다라", "가¦나 ’다¦라" },
    { "the ÷’90s", "the ÷’90s", "the ÷’90s" },
    { "가\xCC\x88÷나", "가\xCC\x88나", "가\xCC\x88¦나" },
    { "\xE2\x80\x8B÷가÷나", "\xE2\x80\x8B÷가나", "\xE2\x80\x8B÷가¦나" },
};

/* KLREQ: characters that must not start a line, and opening characters
 * after which no line may end. */
static const char *const klreq_closing[] = {
    ")", "]", "}", "’", "”", "」", "』", "〉", "》", "】", "〕", "!", "?",
    "‼", "⁇", "·", "ㆍ", "・", ":", ";", ".", ",", "。", "、",
};
static const char *const klreq_opening[] = {
    "(", "[", "{", "‘", "“", "「", "『", "〈", "《", "【", "〔",
};

/* break flags of the position after code point index `at` of text */
static uint8_t flags_after(const char *text, size_t at, jk_word_break mode)
{
    uint32_t cps[MAXCP];
    uint8_t out[MAXCP];
    size_t n = utf8_decode(text, cps, MAXCP);
    jk__line_breaks(cps, n, mode, out);
    return at < n ? out[at] : 0xFF;
}

static void test_klreq(void)
{
    size_t k, m;
    char text[64], what[160];
    for (m = 0; m < 3; m++) {
        jk_word_break mode = all_modes[m];
        for (k = 0; k < sizeof klreq_closing / sizeof klreq_closing[0];
             k++) {
            const char *x = klreq_closing[k];
            /* "가나X다라": position after 나 (index 1) */
            snprintf(text, sizeof text, "가나%s다라", x);
            snprintf(what, sizeof what, "[%s] KLREQ no break before %s in %s",
                     mode_name(mode), x, text);
            check(!(flags_after(text, 1, mode) & JK__BRK_ALLOWED), what);
            /* "가나 X다라": neither after 나 nor after the space */
            snprintf(text, sizeof text, "가나 %s다라", x);
            snprintf(what, sizeof what, "[%s] KLREQ no break before %s in %s",
                     mode_name(mode), x, text);
            check(!(flags_after(text, 1, mode) & JK__BRK_ALLOWED) &&
                      !(flags_after(text, 2, mode) & JK__BRK_ALLOWED),
                  what);
        }
        for (k = 0; k < sizeof klreq_opening / sizeof klreq_opening[0];
             k++) {
            const char *x = klreq_opening[k];
            snprintf(text, sizeof text, "가나%s다라", x);
            snprintf(what, sizeof what, "[%s] KLREQ no break after %s in %s",
                     mode_name(mode), x, text);
            check(!(flags_after(text, 2, mode) & JK__BRK_ALLOWED), what);
            snprintf(text, sizeof text, "가나 %s다라", x);
            snprintf(what, sizeof what, "[%s] KLREQ no break after %s in %s",
                     mode_name(mode), x, text);
            check(!(flags_after(text, 3, mode) & JK__BRK_ALLOWED), what);
        }
    }
}

/* Texts with no internal break opportunity in any mode. */
static const char *const unbreakable[] = {
    "……", "——", "‥‥", "12,900", "8.1", "₩12,900", "45℃", "300ppi",
    "$(12.5)", "-3.14%", "🇰🇷", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦",
    "가……", "(1)", "1.", "10:30", "[3]",
};

static void test_unbreakable(void)
{
    size_t k, m;
    for (k = 0; k < sizeof unbreakable / sizeof unbreakable[0]; k++)
        for (m = 0; m < 3; m++)
            check_marked(all_modes[m], unbreakable[k]);
}

/* Grapheme bit on a few emoji sequences: one cluster each. */
static void test_graphemes(void)
{
    static const char *const one_cluster[] = {
        "🇰🇷", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "각", "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",
        "e\xCC\x81", "\r\n",
    };
    uint32_t cps[MAXCP];
    uint8_t out[MAXCP];
    size_t k, j, n;
    char what[128];
    for (k = 0; k < sizeof one_cluster / sizeof one_cluster[0]; k++) {
        int ok = 1;
        n = utf8_decode(one_cluster[k], cps, MAXCP);
        jk__line_breaks(cps, n, JK_WORD_BREAK_AUTO, out);
        for (j = 0; j + 1 < n; j++)
            if (out[j] & JK__BRK_GRAPHEME)
                ok = 0;
        if (!(out[n - 1] & JK__BRK_GRAPHEME))
            ok = 0;
        snprintf(what, sizeof what, "one grapheme cluster: case %u",
                 (unsigned)k);
        check(ok, what);
    }
}

static void test_edge_cases(void)
{
    static const uint32_t odd[] = { 0xD800u, 0x110000u, 0xFFFFFFFFu,
                                    0xDFFFu, 0x10FFFFu, 0x7FFFFFFFu };
    uint32_t cps[16] = {0};
    uint8_t out[16];
    size_t k, m;
    char what[128];

    /* n = 0: nothing written */
    out[0] = 0xAA;
    jk__line_breaks(cps, 0, JK_WORD_BREAK_AUTO, out);
    check(out[0] == 0xAA, "n = 0 writes nothing");
    jk__line_breaks(NULL, 0, JK_WORD_BREAK_AUTO, NULL);
    check(1, "n = 0 with NULL pointers");

    /* n = 1 */
    for (m = 0; m < 3; m++) {
        cps[0] = 0xAC00;
        jk__line_breaks(cps, 1, all_modes[m], out);
        check((out[0] & (JK__BRK_ALLOWED | JK__BRK_MANDATORY |
                         JK__BRK_GRAPHEME)) ==
                  (JK__BRK_ALLOWED | JK__BRK_MANDATORY | JK__BRK_GRAPHEME),
              "n = 1: mandatory break at the end");
    }
    cps[0] = ' ';
    jk__line_breaks(cps, 1, JK_WORD_BREAK_NORMAL, out);
    check((out[0] & JK__BRK_SPACE) != 0, "n = 1: space flag");

    /* odd code points: treated as AL, no crash */
    for (k = 0; k < sizeof odd / sizeof odd[0]; k++) {
        snprintf(what, sizeof what, "jk__lb_class(0x%lX) == AL",
                 (unsigned long)odd[k]);
        check(jk__lb_class(odd[k]) == JK__LB_AL, what);
    }
    cps[0] = 'a';
    cps[1] = 0xD800u;
    cps[2] = 0x110000u;
    cps[3] = 0xFFFFFFFFu;
    cps[4] = 'b';
    cps[5] = 0xFFFFFFFFu;
    for (m = 0; m < 3; m++) {
        jk__line_breaks(cps, 6, all_modes[m], out);
        check(!(out[0] & JK__BRK_ALLOWED) && !(out[1] & JK__BRK_ALLOWED) &&
                  !(out[2] & JK__BRK_ALLOWED) && !(out[3] & JK__BRK_ALLOWED) &&
                  !(out[4] & JK__BRK_ALLOWED) && (out[5] & JK__BRK_MANDATORY),
              "invalid code points behave as AL");
    }

    /* 5 regional indicators: pairs, then a lone one */
    for (m = 0; m < 3; m++) {
        check_marked(all_modes[m], "🇰🇷÷🇰🇷÷🇰");
    }
    {
        int ok = 1;
        k = utf8_decode("🇰🇷🇰🇷🇰", cps, 16);
        jk__line_breaks(cps, k, JK_WORD_BREAK_NORMAL, out);
        if ((out[0] & JK__BRK_GRAPHEME) || !(out[1] & JK__BRK_GRAPHEME) ||
            (out[2] & JK__BRK_GRAPHEME) || !(out[3] & JK__BRK_GRAPHEME) ||
            !(out[4] & JK__BRK_GRAPHEME))
            ok = 0;
        check(ok, "5 RI: grapheme pairs");
    }

    /* mandatory breaks and spaces */
    check_marked(JK_WORD_BREAK_NORMAL, "a ÷b");
    {
        k = utf8_decode("a\r\nb\nc\xE2\x80\xA8" "d e\xE3\x80\x80" "f", cps, 16);
        jk__line_breaks(cps, k, JK_WORD_BREAK_NORMAL, out);
        check(!(out[1] & JK__BRK_ALLOWED) && (out[2] & JK__BRK_MANDATORY) &&
                  (out[4] & JK__BRK_MANDATORY) && (out[6] & JK__BRK_MANDATORY) &&
                  !(out[7] & JK__BRK_ALLOWED) && (out[8] & JK__BRK_SPACE) &&
                  (out[8] & JK__BRK_ALLOWED) && !(out[8] & JK__BRK_MANDATORY) &&
                  (out[10] & JK__BRK_SPACE) && !(out[9] & JK__BRK_SPACE),
              "CR LF, LF, LS mandatory; SP and U+3000 space flags");
    }

    /* unknown mode behaves as AUTO */
    check_marked((jk_word_break)7, "한¦글");

    /* property helpers */
    check(jk__lb_class(0x0E01) == JK__LB_AL, "Thai letter (SA) -> AL");
    check(jk__lb_class(0x0E31) == JK__LB_CM, "Thai vowel sign (SA, Mn) -> CM");
    check(jk__lb_class(0x3041) == JK__LB_NS, "small kana (CJ) -> NS");
    check(jk__lb_class(0x00B7) == JK__LB_AL, "U+00B7 (AI) -> AL");
    check(jk__lb_class(0xAC00) == JK__LB_H2 && jk__lb_class(0xAC01) ==
              JK__LB_H3, "Hangul syllables H2/H3");
    check(jk__lb_class(0x1F1F0) == JK__LB_RI, "RI");
    check(jk__lb_class(0x200D) == JK__LB_ZWJ, "ZWJ");
    check(jk__is_nonstarter(0x0301) && jk__is_nonstarter(0x302E) &&
              !jk__is_nonstarter(0x41) && !jk__is_nonstarter(0x1161) &&
              !jk__is_nonstarter(0xFFFFFFFFu),
          "jk__is_nonstarter");
    check(jk__is_hangul_or_han(0xAC00) && jk__is_hangul_or_han(0xD7A3) &&
              jk__is_hangul_or_han(0x1100) && jk__is_hangul_or_han(0x3131) &&
              jk__is_hangul_or_han(0x4E00) && jk__is_hangul_or_han(0x20000) &&
              jk__is_hangul_or_han(0xF900) && !jk__is_hangul_or_han(0x41) &&
              !jk__is_hangul_or_han(0x3042) && !jk__is_hangul_or_han(0x3000) &&
              !jk__is_hangul_or_han(0x110000u),
          "jk__is_hangul_or_han");
}

int main(int argc, char **argv)
{
    size_t k, m;
    if (argc < 3) {
        fprintf(stderr,
                "usage: %s LineBreakTest.txt GraphemeBreakTest.txt\n",
                argv[0]);
        return 2;
    }
    run_file(argv[1], 0);
    run_file(argv[2], 1);
    for (k = 0; k < sizeof mode_cases / sizeof mode_cases[0]; k++)
        for (m = 0; m < 3; m++)
            check_marked(all_modes[m], mode_cases[k][m]);
    test_klreq();
    test_unbreakable();
    test_graphemes();
    test_edge_cases();
    check(n_invariant_bad == 0,
          "AUTO = NORMAL breaks, AUTO minus SYLLABLE = KEEP_ALL");
    printf("linebreak: %d passed, %d failed, %d skipped\n", n_pass, n_fail,
           n_skip);
    return n_fail == 0 ? 0 : 1;
}
