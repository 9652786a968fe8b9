/* test-hyphenate.c - render/hyphenate.c: pattern points of English words,
 * the letter minimums, words and tokens that must stay whole (digits, URLs,
 * e-mail addresses), soft hyphens, mixed Korean/Latin text, odd input,
 * pattern files that must be refused, and allocation failures.
 *
 * usage: test-hyphenate [PATTERNS.dic]   (default: the built-in path)
 * Prints "hyphenate: N passed, M failed"; exit 0 when nothing failed, 77
 * (skipped) when jikji was built without libhyphen.
 */
#define _POSIX_C_SOURCE 200809L /* dup, dup2, mkstemp, mkdtemp */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hyphenate.h"
#include "internal.h" /* jk__utf8_encode */
#include "testutil.h"

/* ------------------------------------------------------------- helpers */

/* UTF-8 to code points; returns the count (at most `cap`). */
static size_t decode(const char *s, uint32_t *cps, size_t cap)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < cap;) {
        unsigned cp;
        i += tu_utf8((const unsigned char *)s + i, len - i, &cp);
        cps[n++] = cp;
    }
    return n;
}

/* The text with its points shown: '-' after a pattern point, a soft hyphen
 * written '~' and followed by '=' where it is a point, '?' after any other
 * flag value. */
static const char *show(const jk_hyphenator *h, const char *text)
{
    static char buf[4096];
    uint32_t cps[1024];
    uint8_t out[1024];
    size_t n = decode(text, cps, 1024);
    memset(out, 0xEE, sizeof out);
    if (jk__hyphenate(h, cps, n, out) != JK_OK)
        return "(error)";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (cps[i] == 0xAD)
            buf[k++] = '~';
        else
            k += jk__utf8_encode(cps[i], buf + k);
        if (out[i] == JK__HYPH_PATTERN)
            buf[k++] = '-';
        else if (out[i] == JK__HYPH_SOFT)
            buf[k++] = '=';
        else if (out[i] != 0)
            buf[k++] = '?';
    }
    buf[k] = '\0';
    return buf;
}

#define EXPECT(h, text, want)                                                \
    do {                                                                     \
        const char *got_ = show((h), (text));                                \
        CHECKF(strcmp(got_, (want)) == 0, "%s: got \"%s\", want \"%s\"",    \
               (text), got_, (want));                                        \
    } while (0)

/* Standard output and error go to a file while `fn` runs; returns the
 * number of bytes written there. */
static int quiet_fd[2] = {-1, -1};
static FILE *quiet_file;

static void quiet_begin(void)
{
    fflush(stdout);
    fflush(stderr);
    quiet_file = tmpfile();
    quiet_fd[0] = dup(1);
    quiet_fd[1] = dup(2);
    dup2(fileno(quiet_file), 1);
    dup2(fileno(quiet_file), 2);
}

static long quiet_end(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(quiet_fd[0], 1);
    dup2(quiet_fd[1], 2);
    close(quiet_fd[0]);
    close(quiet_fd[1]);
    fseek(quiet_file, 0, SEEK_END);
    long size = ftell(quiet_file);
    fclose(quiet_file);
    return size;
}

static char tmp_dir[] = "/tmp/jk-hyphen-XXXXXX";

/* Write `size` bytes to a file in the temporary folder; returns its path
 * (static, valid until the next call). */
static const char *temp_file(const char *name, const void *data, size_t size)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return "/nonexistent";
    fwrite(data, 1, size, fp);
    fclose(fp);
    return path;
}

/* Create a hyphenator quietly: checks that nothing was printed. */
static jk_status create_quiet(jk_context *ctx, const char *path,
                              jk_hyphenator **h)
{
    quiet_begin();
    jk_status st = jk__hyphenator_create(ctx, path, h);
    long printed = quiet_end();
    CHECKF(printed == 0, "creating from %s printed %ld bytes",
           path ? path : "(default)", printed);
    return st;
}

/* A pattern file that must be refused with `want` and a message. */
static void refuse(jk_context *ctx, const char *name, const char *data,
                   size_t size, jk_status want, const char *msg_part)
{
    const char *path = temp_file(name, data, size);
    jk_hyphenator *h = (jk_hyphenator *)&h; /* must become NULL */
    jk_status st = create_quiet(ctx, path, &h);
    CHECKF(st == want, "%s: status %s, want %s", name, jk_status_string(st),
           jk_status_string(want));
    CHECKF(h == NULL, "%s: output not cleared", name);
    CHECKF(strstr(jk_context_errmsg(ctx), msg_part) != NULL,
           "%s: message \"%s\" lacks \"%s\"", name, jk_context_errmsg(ctx),
           msg_part);
    jk__hyphenator_destroy(ctx, h);
}

/* --------------------------------------------------------------- tests */

/* The en_US patterns (hyph_en_US.dic of hyphen-en-us 2.8.8), checked by
 * hand against Merriam-Webster's syllables: every point is a sensible
 * syllable break, and the 2-before/3-after minimums remove the rest. */
static void test_words(const jk_hyphenator *h)
{
    EXPECT(h, "hyphenation", "hy-phen-ation");
    EXPECT(h, "Hyphenation", "Hy-phen-ation");
    EXPECT(h, "HYPHENATION", "HY-PHEN-ATION");
    EXPECT(h, "typesetting", "type-set-ting");
    EXPECT(h, "Typesetting", "Type-set-ting");
    EXPECT(h, "information", "in-for-ma-tion");
    EXPECT(h, "computer", "com-puter");
    EXPECT(h, "Gigafactory", "Gi-gafac-tory");
    EXPECT(h, "presentation", "pre-sen-ta-tion");
    EXPECT(h, "algorithm", "al-go-rithm");
    EXPECT(h, "paragraph", "para-graph");
    EXPECT(h, "Paragraph", "Para-graph");
    EXPECT(h, "newspaper", "news-pa-per");
    EXPECT(h, "technology", "tech-nol-ogy");
    EXPECT(h, "international", "in-ter-na-tional");
    EXPECT(h, "Washington", "Wash-ing-ton");
    EXPECT(h, "semiconductor", "semi-con-duc-tor");
    EXPECT(h, "justification", "jus-ti-fi-ca-tion");
    /* short words: nothing */
    EXPECT(h, "a", "a");
    EXPECT(h, "the", "the");
    EXPECT(h, "news", "news");
    EXPECT(h, "table", "ta-ble");
    /* punctuation around words is no part of them */
    EXPECT(h, "(hyphenation),", "(hy-phen-ation),");
    EXPECT(h, "\"Typesetting\"", "\"Type-set-ting\"");
    EXPECT(h, "state-of-the-art typesetting", "state-of-the-art type-set-ting");
}

/* No point after the first letter nor before the last two, even where the
 * patterns have one (a-ble, pro-gram-mer's last syllables...). */
static void test_minimums(const jk_hyphenator *h)
{
    uint32_t cps[64];
    uint8_t out[64];
    const char *words[] = {"hyphenation", "typesetting", "information",
                           "computer",    "Gigafactory", "presentation",
                           "algorithm",   "paragraph",   "academy",
                           "abolition",   "editor",      "uneasily",
                           "oration",     "rhythmically"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t n = decode(words[w], cps, 64);
        CHECK(jk__hyphenate(h, cps, n, out) == JK_OK);
        CHECKF(out[0] == 0, "%s: point after the first letter", words[w]);
        CHECKF(out[n - 1] == 0 && out[n - 2] == 0 && out[n - 3] == 0,
               "%s: point before the last two letters", words[w]);
    }
    EXPECT(h, "academy", "acad-emy");
    EXPECT(h, "abolition", "abo-li-tion");
    EXPECT(h, "uneasily", "un-easily");
    EXPECT(h, "editor", "ed-i-tor");
}

static void test_whole_words(const jk_hyphenator *h)
{
    EXPECT(h, "a16z", "a16z");
    EXPECT(h, "hyphenation2023", "hyphenation2023");
    EXPECT(h, "2023hyphenation", "2023hyphenation");
    EXPECT(h, "GPT-5", "GPT-5");
    /* a compound breaks at its own hyphen only (no "bat-tle-field") */
    EXPECT(h, "battlefield battle-field", "bat-tle-field battle-field");
    EXPECT(h, "state-of-the-art information",
           "state-of-the-art in-for-ma-tion");
    EXPECT(h, "hyphenation‐algorithms", "hyphenation‐algorithms");
    EXPECT(h, "battle-fi­eld", "battle-fi~=eld");
    EXPECT(h, "COVID-19 information", "COVID-19 in-for-ma-tion");
    EXPECT(h, "https://example.com/hyphenation",
           "https://example.com/hyphenation");
    EXPECT(h, "(https://example.com/hyphenation).",
           "(https://example.com/hyphenation).");
    EXPECT(h, "someone@hyphenation.org", "someone@hyphenation.org");
    EXPECT(h, "www.hyphenation.com", "www.hyphenation.com");
    EXPECT(h, "WWW.HYPHENATION.COM", "WWW.HYPHENATION.COM");
    EXPECT(h, "hyphenation.com", "hyphenation.com");
    EXPECT(h, "typesetting/hyphenation", "typesetting/hyphenation");
    EXPECT(h, "C:\\typesetting\\hyphenation", "C:\\typesetting\\hyphenation");
    /* only the address token is spared; its neighbours are not */
    EXPECT(h, "typesetting www.hyphenation.com hyphenation",
           "type-set-ting www.hyphenation.com hy-phen-ation");
    EXPECT(h, "typesetting\u00A0someone@hyphenation.org",
           "type-set-ting\u00A0someone@hyphenation.org");
    /* a full stop before a space or Hangul is not a host name */
    EXPECT(h, "typesetting. Hyphenation", "type-set-ting. Hy-phen-ation");
    EXPECT(h, "Gigafactory.그", "Gi-gafac-tory.그");
    /* combining marks: left whole; precomposed letters are fine */
    EXPECT(h, "informatio\u0301n", "informatio\u0301n");
    /* apostrophes stay inside the word; no point next to one */
    EXPECT(h, "Gigafactory's", "Gi-gafac-tory's");
    EXPECT(h, "Gigafactory\u2019s", "Gi-gafac-tory\u2019s");
    EXPECT(h, "don't", "don't");
    EXPECT(h, "'typesetting'", "'type-set-ting'");
}

static void test_soft_hyphens(const jk_hyphenator *h)
{
    EXPECT(h, "hy\u00ADphen", "hy~=phen");
    /* the author's points only, none from the patterns, no minimums */
    EXPECT(h, "hyphen\u00ADation", "hyphen~=ation");
    EXPECT(h, "a\u00ADbcdef", "a~=bcdef");
    EXPECT(h, "hy\u00AD\u00ADphen", "hy~~=phen");
    /* at a word's edge it allows nothing, and still stops the patterns */
    EXPECT(h, "\u00ADhyphen\u00AD", "~hyphen~");
    EXPECT(h, "hyphen\u00AD typesetting", "hyphen~ type-set-ting");
    /* words with digits and addresses keep theirs unused */
    EXPECT(h, "a1\u00ADbcdef", "a1~bcdef");
    EXPECT(h, "www.hy\u00ADphen.com", "www.hy~phen.com");
    /* Korean around it */
    EXPECT(h, "한국\u00AD어 hy\u00ADphen", "한국~어 hy~=phen");
    /* no hyphenator: soft hyphens still work, patterns do not */
    EXPECT(NULL, "hy\u00ADphen hyphenation", "hy~=phen hyphenation");
}

static void test_korean(const jk_hyphenator *h)
{
    /* 한0 국1 어2 ' '3 h4 y5 p6 h7 e8 n9 a10 t11 i12 o13 n14 ' '15 문16 장17 */
    uint32_t cps[32];
    uint8_t out[32];
    size_t n = decode("한국어 hyphenation 문장", cps, 32);
    CHECK(n == 18);
    memset(out, 0xEE, sizeof out);
    CHECK(jk__hyphenate(h, cps, n, out) == JK_OK);
    for (size_t i = 0; i < n; i++)
        CHECKF(out[i] == ((i == 5 || i == 9) ? JK__HYPH_PATTERN : 0),
               "mixed text: out[%zu] = %u", i, out[i]);
    CHECK(out[18] == 0xEE); /* nothing written past n */

    EXPECT(h, "Gigafactory에서 hyphenation을 typesetting했다",
           "Gi-gafac-tory에서 hy-phen-ation을 type-set-ting했다");
    EXPECT(h, "「hyphenation」과 ‘typesetting’", "「hy-phen-ation」과 ‘type-set-ting’");
    EXPECT(h, "테슬라의 기가팩토리", "테슬라의 기가팩토리");
}

static void test_odd_input(const jk_hyphenator *h)
{
    uint8_t out[8] = {0xEE};
    /* n = 0: nothing read or written; NULL is fine */
    CHECK(jk__hyphenate(h, NULL, 0, NULL) == JK_OK);
    CHECK(jk__hyphenate(h, NULL, 0, out) == JK_OK && out[0] == 0xEE);
    uint32_t one = 'a';
    CHECK(jk__hyphenate(h, NULL, 1, out) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk__hyphenate(h, &one, 1, NULL) == JK_ERR_INVALID_ARGUMENT);

    /* a 10,000-letter word: skipped, not a crash; so is one of 101 letters,
     * while 100 letters are still hyphenated */
    size_t big = 10000;
    uint32_t *cps = malloc((big + 20) * sizeof *cps);
    uint8_t *flags = malloc(big + 20);
    const char *unit = "hyphenation";
    for (size_t i = 0; i < big; i++)
        cps[i] = (uint32_t)unit[i % 11];
    CHECK(jk__hyphenate(h, cps, big, flags) == JK_OK);
    size_t marked = 0;
    for (size_t i = 0; i < big; i++)
        marked += flags[i] != 0;
    CHECK(marked == 0);
    for (size_t len = 99; len <= 101; len++) {
        for (size_t i = 0; i < len; i++)
            cps[i] = (uint32_t)unit[i % 11];
        CHECK(jk__hyphenate(h, cps, len, flags) == JK_OK);
        marked = 0;
        for (size_t i = 0; i < len; i++)
            marked += flags[i] != 0;
        CHECKF((marked > 0) == (len <= JK__HYPHEN_MAX_WORD),
               "%zu letters: %zu points", len, marked);
    }
    /* the long word beside a short one: the short one still works */
    for (size_t i = 0; i < 500; i++)
        cps[i] = 'x';
    cps[500] = ' ';
    size_t n = 501 + decode("typesetting", cps + 501, 20);
    CHECK(jk__hyphenate(h, cps, n, flags) == JK_OK);
    CHECK(flags[504] == JK__HYPH_PATTERN && flags[507] == JK__HYPH_PATTERN);
    marked = 0;
    for (size_t i = 0; i < n; i++)
        marked += flags[i] != 0;
    CHECK(marked == 2);

    /* 10,000 soft hyphens in a row inside a word: the last one counts
     * (and the scan stays linear) */
    cps[0] = 'a';
    for (size_t i = 1; i <= big; i++)
        cps[i] = 0xAD;
    cps[big + 1] = 'b';
    CHECK(jk__hyphenate(h, cps, big + 2, flags) == JK_OK);
    marked = 0;
    for (size_t i = 0; i < big + 2; i++)
        marked += flags[i] != 0;
    CHECK(marked == 1 && flags[big] == JK__HYPH_SOFT);

    /* invalid and huge code points: neither letters nor spaces */
    uint32_t odd[] = {0xFFFFFFFFu, 'h', 'y', 'p', 'h', 'e', 'n', 'a', 't',
                      'i', 'o', 'n', 0xD800, 0x110000, ' ', 0x7FFFFFFFu,
                      0xDFFF, 0, 0xFFFE, 0x10FFFF};
    size_t on = sizeof odd / sizeof *odd;
    uint8_t oout[sizeof odd / sizeof *odd];
    CHECK(jk__hyphenate(h, odd, on, oout) == JK_OK);
    for (size_t i = 0; i < on; i++)
        CHECKF(oout[i] == ((i == 2 || i == 6) ? JK__HYPH_PATTERN : 0),
               "odd code points: out[%zu] = %u", i, oout[i]);

    /* Latin letters beyond ASCII: lowercased, looked up, no crash */
    EXPECT(h, "ÉCOLE Ångström façade naïveté Łódź ŁÓDŹ Ḫ",
           "ÉCOLE Ångström façade naïveté Łódź ŁÓDŹ Ḫ");
    free(cps);
    free(flags);
}

/* Small pattern files of our own: the character sets, lowercasing beyond
 * ASCII, a BOM, and every kind of file that must be refused. */
static void test_files(jk_context *ctx)
{
    jk_hyphenator *h = NULL;
    jk_status st;

    /* "é1" and "ł1": a break after é and after ł */
    static const char utf8_dict[] = "UTF-8\nLEFTHYPHENMIN 2\n"
                                    "RIGHTHYPHENMIN 3\n% comment\n"
                                    "\xC3\xA9" "1\n\xC5\x82" "1\n";
    st = create_quiet(ctx, temp_file("u.dic", utf8_dict, sizeof utf8_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "UTF-8 dictionary: %s", jk_context_errmsg(ctx));
    if (st == JK_OK) {
        EXPECT(h, "CAFÉTERIA caféteria", "CAFÉ-TERIA café-teria");
        EXPECT(h, "PAŁACOWY pałacowy", "PAŁ-ACOWY pał-acowy");
        EXPECT(h, "CAFÉ", "CAFÉ"); /* 3 letters after: none here */
        jk__hyphenator_destroy(ctx, h);
        h = NULL;
    }
    static const char latin1_dict[] = "ISO8859-1\r\n\xE9" "1\r\n";
    st = create_quiet(ctx,
                      temp_file("l.dic", latin1_dict, sizeof latin1_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "ISO8859-1 dictionary: %s", jk_context_errmsg(ctx));
    if (st == JK_OK) {
        EXPECT(h, "CAFÉTERIA caféteria", "CAFÉ-TERIA café-teria");
        EXPECT(h, "PAŁACOWY", "PAŁACOWY"); /* not in Latin-1: left alone */
        jk__hyphenator_destroy(ctx, h);
        h = NULL;
    }
    static const char bom_dict[] = "\xEF\xBB\xBFUTF-8\n\xC3\xA9" "1";
    st = create_quiet(ctx, temp_file("b.dic", bom_dict, sizeof bom_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "dictionary with a BOM: %s", jk_context_errmsg(ctx));
    if (st == JK_OK) {
        EXPECT(h, "caféteria", "café-teria");
        jk__hyphenator_destroy(ctx, h);
        h = NULL;
    }

    /* refused, each with a status and a message, printing nothing */
    refuse(ctx, "empty.dic", "", 0, JK_ERR_INVALID_ARGUMENT, "empty");
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                        0x1A, '\n', 0, 0, 0, 13};
    refuse(ctx, "png.dic", (const char *)png, sizeof png,
           JK_ERR_INVALID_ARGUMENT, "not a hyphenation pattern file");
    refuse(ctx, "nul.dic", "UTF-8\nab\0c\n", 11, JK_ERR_INVALID_ARGUMENT,
           "control character");
    refuse(ctx, "nocset.dic", ".a2ch4\n.ad4der\n", 15, JK_ERR_UNSUPPORTED,
           "character set");
    refuse(ctx, "cset2.dic", "ISO8859-2\na1b\n", 14, JK_ERR_UNSUPPORTED,
           "ISO8859-2");
    refuse(ctx, "longcset.dic", "UTF-8 but much too long a line\n", 31,
           JK_ERR_INVALID_ARGUMENT, "character set");
    char longline[200];
    memcpy(longline, "UTF-8\n", 6);
    memset(longline + 6, 'a', 120);
    longline[126] = '\n';
    refuse(ctx, "long.dic", longline, 127, JK_ERR_INVALID_ARGUMENT,
           "longer than");
    refuse(ctx, "nohyphen1.dic", "UTF-8\nNOHYPHEN\n", 15,
           JK_ERR_INVALID_ARGUMENT, "NOHYPHEN");
    refuse(ctx, "nohyphen2.dic", "UTF-8\nNOHYPHEN a,,b\n", 20,
           JK_ERR_INVALID_ARGUMENT, "NOHYPHEN");
    refuse(ctx, "nohyphen3.dic", "UTF-8\nNOHYPHEN a,\n", 18,
           JK_ERR_INVALID_ARGUMENT, "NOHYPHEN");
    refuse(ctx, "nohyphen4.dic", "UTF-8\nNOHYPHEN x", 16,
           JK_ERR_INVALID_ARGUMENT, "NOHYPHEN");
    refuse(ctx, "nonstd.dic", "UTF-8\nc1k/k=k,1,1\n", 18, JK_ERR_UNSUPPORTED,
           "non-standard");

    /* a NOHYPHEN line that is well formed loads */
    static const char nh_dict[] = "UTF-8\nNOHYPHEN ab,cd\n\xC3\xA9" "1\n";
    st = create_quiet(ctx, temp_file("nh.dic", nh_dict, sizeof nh_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "NOHYPHEN dictionary: %s", jk_context_errmsg(ctx));
    jk__hyphenator_destroy(ctx, h);
    h = NULL;

    /* missing file, a folder */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no-such-patterns.dic", tmp_dir);
    h = (jk_hyphenator *)&h;
    st = create_quiet(ctx, missing, &h);
    CHECK(st == JK_ERR_IO);
    CHECK(h == NULL);
    CHECKF(strstr(jk_context_errmsg(ctx), "no-such-patterns.dic") &&
               strstr(jk_context_errmsg(ctx), "No such file"),
           "message: %s", jk_context_errmsg(ctx));
    st = create_quiet(ctx, tmp_dir, &h);
    CHECK(st == JK_ERR_IO);
    CHECK(h == NULL);
    CHECKF(strstr(jk_context_errmsg(ctx), tmp_dir) != NULL, "message: %s",
           jk_context_errmsg(ctx));

    /* argument errors */
    CHECK(jk__hyphenator_create(NULL, missing, &h) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(h == NULL);
    CHECK(jk__hyphenator_create(ctx, missing, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    jk__hyphenator_destroy(ctx, NULL);
    jk__hyphenator_destroy(NULL, NULL);
}

/* --------------------------------------------------- allocation failure */

static long alloc_budget = -1; /* allocations left; -1 = unlimited */
static long alloc_live;

static void *t_malloc(size_t size, void *user)
{
    (void)user;
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    void *p = malloc(size);
    alloc_live += p != NULL;
    return p;
}
static void *t_realloc(void *ptr, size_t size, void *user)
{
    (void)user;
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    void *p = realloc(ptr, size);
    alloc_live += p != NULL && ptr == NULL;
    return p;
}
static void t_free(void *ptr, void *user)
{
    (void)user;
    alloc_live -= ptr != NULL;
    free(ptr);
}

static void test_alloc_failures(const char *path)
{
    jk_allocator a = {t_malloc, t_realloc, t_free, NULL};
    jk_context *ctx = NULL;
    if (jk_context_create(&a, &ctx) != JK_OK) {
        CHECK(!"context with a test allocator");
        return;
    }
    long base = alloc_live;
    int ok = 0;
    for (long fail_at = 0; fail_at < 100 && !ok; fail_at++) {
        jk_hyphenator *h = NULL;
        alloc_budget = fail_at;
        jk_status st = create_quiet(ctx, path, &h);
        alloc_budget = -1;
        if (st == JK_OK) {
            ok = 1;
            CHECK(h != NULL);
            CHECK(strcmp(show(h, "hyphenation"), "hy-phen-ation") == 0);
            jk__hyphenator_destroy(ctx, h);
        } else {
            CHECKF(st == JK_ERR_NOMEM, "allocation %ld failing: %s", fail_at,
                   jk_status_string(st));
            CHECK(h == NULL);
        }
        CHECKF(alloc_live == base, "allocation %ld failing: %ld leaked",
               fail_at, alloc_live - base);
    }
    CHECK(ok);
    jk_context_destroy(ctx);
}

int main(int argc, char **argv)
{
    if (!jk__hyphenation_available()) {
        /* Skipped; but create must say why it cannot, quietly, and soft
         * hyphens work anyway (a failure here still fails the test). */
        jk_context *ctx = NULL;
        jk_hyphenator *h = (jk_hyphenator *)&h;
        if (jk_context_create(NULL, &ctx) == JK_OK) {
            CHECK(create_quiet(ctx, NULL, &h) == JK_ERR_UNSUPPORTED);
            CHECK(h == NULL);
            CHECK(strstr(jk_context_errmsg(ctx), "libhyphen") != NULL);
            jk_context_destroy(ctx);
        }
        EXPECT(NULL, "hy\u00ADphen hyphenation", "hy~=phen hyphenation");
        if (tu_failures)
            return tu_finish("hyphenate");
        puts("hyphenate: 0 passed, 0 failed");
        return 77;
    }
    const char *path = argc > 1 ? argv[1] : NULL;
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }

    jk_context *ctx = NULL;
    if (jk_context_create(NULL, &ctx) != JK_OK) {
        fprintf(stderr, "cannot create a context\n");
        return 1;
    }
    jk_hyphenator *h = NULL;
    jk_status st = create_quiet(ctx, path, &h);
    if (st != JK_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path ? path : "(default)",
                jk_context_errmsg(ctx));
        CHECK(st == JK_OK);
        jk_context_destroy(ctx);
        return tu_finish("hyphenate");
    }
    /* the built-in default works too */
    jk_hyphenator *def = NULL;
    st = create_quiet(ctx, NULL, &def);
    CHECKF(st == JK_OK, "default patterns: %s", jk_context_errmsg(ctx));
    if (def)
        CHECK(strcmp(show(def, "hyphenation"), "hy-phen-ation") == 0);
    jk__hyphenator_destroy(ctx, def);

    test_words(h);
    test_minimums(h);
    test_whole_words(h);
    test_soft_hyphens(h);
    test_korean(h);
    test_odd_input(h);
    test_files(ctx);
    test_alloc_failures(path ? path : JK_HYPHEN_DICT);

    jk__hyphenator_destroy(ctx, h);
    jk_context_destroy(ctx);

    /* tidy the temporary folder */
    const char *names[] = {"u.dic",         "l.dic",         "b.dic",
                           "empty.dic",     "png.dic",       "nul.dic",
                           "nocset.dic",    "cset2.dic",     "longcset.dic",
                           "long.dic",      "nohyphen1.dic", "nohyphen2.dic",
                           "nohyphen3.dic", "nohyphen4.dic", "nonstd.dic",
                           "nh.dic"};
    char p[300];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", tmp_dir, names[i]);
        remove(p);
    }
    rmdir(tmp_dir);
    return tu_finish("hyphenate");
}
