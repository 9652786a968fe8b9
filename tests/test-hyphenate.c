/* test-hyphenate.c - render/hyphenate.c: pattern points of English words,
 * the letter minimums, words and tokens that must stay whole (digits, URLs,
 * e-mail addresses), soft hyphens, mixed Korean/Latin text, odd input; the
 * pattern loader on small files of our own (Liang's algorithm on known
 * patterns, keywords, character sets, a BOM, files that must be refused)
 * and allocation failures, each of which must leak nothing.
 *
 * usage: test-hyphenate [PATTERNS.dic]   (default: the built-in path)
 * Prints "hyphenate: N passed, M failed"; exit 0 when nothing failed.
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
#include "utf8.h" /* jk__utf8_encode */
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
static const char *show(const jk__hyphenator *h, const char *text)
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
static char tmp_names[64][32]; /* files written there, for the tidying */
static size_t tmp_count;

/* Write `size` bytes to a file in the temporary folder; returns its path
 * (static, valid until the next call). */
static const char *temp_file(const char *name, const void *data, size_t size)
{
    static char path[256];
    size_t k = 0;
    while (k < tmp_count && strcmp(tmp_names[k], name) != 0)
        k++;
    if (k == tmp_count && tmp_count < 64)
        snprintf(tmp_names[tmp_count++], sizeof tmp_names[0], "%s", name);
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
                              jk__hyphenator **h)
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
    jk__hyphenator *h = (jk__hyphenator *)&h; /* must become NULL */
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
static void test_words(const jk__hyphenator *h)
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
static void test_minimums(const jk__hyphenator *h)
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

static void test_whole_words(const jk__hyphenator *h)
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

static void test_soft_hyphens(const jk__hyphenator *h)
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

static void test_korean(const jk__hyphenator *h)
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

static void test_odd_input(const jk__hyphenator *h)
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

/* Load a pattern file written from `text`; NULL (and a failed check) if it
 * does not load. */
static jk__hyphenator *load_text(jk_context *ctx, const char *name,
                                const char *text)
{
    jk__hyphenator *h = NULL;
    jk_status st = create_quiet(ctx, temp_file(name, text, strlen(text)), &h);
    CHECKF(st == JK_OK && h != NULL, "%s: %s", name, jk_context_errmsg(ctx));
    return st == JK_OK ? h : NULL;
}

/* Liang's own example (thesis, 1983): the patterns that hyphenate
 * "hyphenation", and the rules of the algorithm on small sets. */
static const char liang_dict[] = "UTF-8\nhy3ph\nhe2n\nhena4\nhen5at\n1na\n"
                                 "n2at\n1tio\n2io\no2n\n";

static void test_liang(jk_context *ctx)
{
    jk__hyphenator *h = load_text(ctx, "liang.dic", liang_dict);
    if (h) {
        /* .h0y3p0h0e2n5a4t2i0o2n. (every pattern's largest digit at
         * each gap): odd after y and after n */
        EXPECT(h, "hyphenation", "hy-phen-ation");
        EXPECT(h, "HYPHENATION Hyphenation", "HY-PHEN-ATION Hy-phen-ation");
        EXPECT(h, "hyphen", "hy-phen"); /* hy3ph; he2n is even */
        EXPECT(h, "nation", "na-tion"); /* 1tio; 1na falls at the start */
        EXPECT(h, "national", "na-tional"); /* o2n beats 1na */
        size_t patterns = 0, nodes = 0, bytes = 0;
        jk__hyphenator_info(h, &patterns, &nodes, &bytes);
        CHECKF(patterns == 9, "patterns %zu", patterns);
        /* h hy hyp hyph he hen hena henat n na nat t ti tio i io o on,
         * and the root */
        CHECKF(nodes == 18 + 1, "nodes %zu", nodes);
        CHECKF(bytes > 0 && bytes < 1024, "bytes %zu", bytes);
        jk__hyphenator_destroy(ctx, h);
    }

    /* Every pattern that matches counts, a prefix of another, a suffix of
     * another or inside it; the largest digit wins (a lookup that keeps
     * only the longest match at each place misses c1d here) */
    h = load_text(ctx, "nested.dic", "UTF-8\n1bcde\nc1d\n");
    if (h) {
        EXPECT(h, "abcdxyz", "abc-dxyz");  /* c1d inside the bcd prefix */
        EXPECT(h, "aabcdexyz", "aa-bc-dexyz"); /* both */
        jk__hyphenator_destroy(ctx, h);
    }
    h = load_text(ctx, "max.dic", "UTF-8\nb1c\nbc4d\nab2c3d3e\n");
    if (h) {
        /* 2 beats 1 after b, 4 beats 3 after c, 3 alone after d */
        EXPECT(h, "abcdefg", "abcd-efg");
        jk__hyphenator_destroy(ctx, h);
    }
    /* the same letters twice: both count */
    h = load_text(ctx, "dup.dic", "UTF-8\nb1cd\nbc1d\n");
    if (h) {
        EXPECT(h, "abcdefg", "ab-c-defg");
        size_t patterns = 0;
        jk__hyphenator_info(h, &patterns, NULL, NULL);
        CHECKF(patterns == 1, "patterns %zu", patterns);
        jk__hyphenator_destroy(ctx, h);
    }
    /* word boundaries: '.' matches only at either end */
    h = load_text(ctx, "dots.dic", "UTF-8\n.ab1\n1xyz.\nc1d\n");
    if (h) {
        EXPECT(h, "abcdefxyz", "ab-c-def-xyz");
        EXPECT(h, "abcdefxyzw", "ab-c-defxyzw");
        EXPECT(h, "xabcdefg xyzabc", "xabc-defg xyzabc");
        jk__hyphenator_destroy(ctx, h);
    }
    /* patterns longer than the word, and 0 digits */
    h = load_text(ctx, "long.dic", "UTF-8\nabcdefghijklmnopqrstuvwxyz1\n"
                                   "a0b0c1d0e\n");
    if (h) {
        EXPECT(h, "abcdefg", "abc-defg");
        jk__hyphenator_destroy(ctx, h);
    }
}

/* One point before every letter from b on. */
static const char *every_gap(const char *head)
{
    static char buf[512];
    size_t k = (size_t)snprintf(buf, sizeof buf, "%s", head);
    for (char c = 'b'; c <= 'z'; c++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "1%c\n", c);
    return buf;
}

/* LEFTHYPHENMIN / RIGHTHYPHENMIN raise the minimums, never lower them;
 * apostrophes and the COMPOUND ones. */
static void test_minimum_keywords(jk_context *ctx)
{
    jk__hyphenator *h = load_text(ctx, "gaps.dic", every_gap("UTF-8\n"));
    if (h) {
        EXPECT(h, "abcdefgh", "ab-c-d-e-fgh");
        EXPECT(h, "ABCDEFGH", "AB-C-D-E-FGH");
        EXPECT(h, "abcd", "abcd"); /* 4 letters: none */
        EXPECT(h, "abcde", "ab-cde");
        /* apostrophes: each part a word of its own; never beside one; 2
         * letters after it and 3 before it at least, as at a word's ends */
        EXPECT(h, "abcdef'ghijklm", "ab-c-def'gh-i-j-klm");
        EXPECT(h, "abcdef\u2019ghijklm", "ab-c-def\u2019gh-i-j-klm");
        EXPECT(h, "ab'cdefgh", "ab'cd-e-fgh");
        EXPECT(h, "abcdefgh's", "ab-c-d-e-fgh's");
        EXPECT(h, "a'bcdefg", "a'bc-d-efg");
        jk__hyphenator_destroy(ctx, h);
    }
    h = load_text(ctx, "gaps34.dic",
                  every_gap("UTF-8\nLEFTHYPHENMIN 3\r\n"
                            "RIGHTHYPHENMIN\t4 % x\n"));
    if (h) {
        EXPECT(h, "abcdefgh", "abc-d-efgh");
        EXPECT(h, "abcdef'ghijklm", "abcdef'ghi-jklm");
        jk__hyphenator_destroy(ctx, h);
    }
    h = load_text(ctx, "gaps11.dic",
                  every_gap("UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 0\n"));
    if (h) {
        EXPECT(h, "abcdefgh", "ab-c-d-e-fgh"); /* never below ours */
        jk__hyphenator_destroy(ctx, h);
    }
    h = load_text(ctx, "gapsc.dic",
                  every_gap("UTF-8\nCOMPOUNDLEFTHYPHENMIN 4\n"
                            "COMPOUNDRIGHTHYPHENMIN 4\n"));
    if (h) {
        EXPECT(h, "abcdefgh", "ab-c-d-e-fgh");  /* no apostrophe: as before */
        EXPECT(h, "abcdef'ghijklm", "ab-cdef'ghij-klm");
        jk__hyphenator_destroy(ctx, h);
    }
    h = load_text(ctx, "gapsc1.dic",
                  every_gap("UTF-8\nCOMPOUNDLEFTHYPHENMIN 1\n"
                            "COMPOUNDRIGHTHYPHENMIN 1\n"));
    if (h) {
        EXPECT(h, "abcdef'ghijklm", "ab-c-def'gh-i-j-klm"); /* ours still */
        jk__hyphenator_destroy(ctx, h);
    }
}

/* Small pattern files of our own: the character sets, lowercasing beyond
 * ASCII, a BOM, line ends and blanks, and every kind of file that must be
 * refused. */
static void test_files(jk_context *ctx)
{
    jk__hyphenator *h = NULL;
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
    /* ISO8859-1: its bytes are U+0000..U+00FF (0xE9 is é, 0xDF ß) */
    static const char latin1_dict[] = "ISO8859-1\r\n\xE9" "1\r\n\xDF" "1\r\n";
    st = create_quiet(ctx,
                      temp_file("l.dic", latin1_dict, sizeof latin1_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "ISO8859-1 dictionary: %s", jk_context_errmsg(ctx));
    if (st == JK_OK) {
        EXPECT(h, "CAFÉTERIA caféteria", "CAFÉ-TERIA café-teria");
        EXPECT(h, "Straßenbahn STRAẞENBAHN", "Straß-enbahn STRAẞ-ENBAHN");
        EXPECT(h, "PAŁACOWY", "PAŁACOWY"); /* not in Latin-1: left alone */
        EXPECT(h, "cafépałac", "cafépałac"); /* the whole word */
        jk__hyphenator_destroy(ctx, h);
        h = NULL;
    }
    /* the same bytes read as UTF-8 would be invalid */
    refuse(ctx, "l8.dic", "UTF-8\n\xE9" "1\n", 9, JK_ERR_INVALID_ARGUMENT,
           "l8.dic:2: invalid UTF-8");
    /* names of the character set: either case, ISO-8859-1 too */
    h = load_text(ctx, "lc.dic", "utf-8\n\xC3\xA9" "1\n");
    jk__hyphenator_destroy(ctx, h);
    h = load_text(ctx, "iso.dic", "ISO-8859-1  \n\xE9" "1\n");
    if (h)
        EXPECT(h, "caféteria", "café-teria");
    jk__hyphenator_destroy(ctx, h);

    static const char bom_dict[] = "\xEF\xBB\xBFUTF-8\n\xC3\xA9" "1";
    st = create_quiet(ctx, temp_file("b.dic", bom_dict, sizeof bom_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "dictionary with a BOM: %s", jk_context_errmsg(ctx));
    if (st == JK_OK) {
        EXPECT(h, "caféteria", "café-teria");
        jk__hyphenator_destroy(ctx, h);
        h = NULL;
    }
    /* blanks, blank lines, CRLF, comments after patterns, no last line end,
     * a line of exactly JK__HYPHEN_MAX_LINE bytes and a long comment */
    char text[2048];
    size_t k = (size_t)snprintf(text, sizeof text,
                                "UTF-8\r\n\r\n   \n\t%% indented comment\n"
                                "  c1d  \r\n\tx1y %% after\n%%");
    memset(text + k, 'z', 600); /* a comment of any length */
    k += 600;
    text[k++] = '\n';
    memset(text + k, 'q', JK__HYPHEN_MAX_LINE - 1);
    k += JK__HYPHEN_MAX_LINE - 1;
    text[k++] = '1';
    memcpy(text + k, "\n\nn1o", 6);
    h = load_text(ctx, "blanks.dic", text);
    if (h) {
        EXPECT(h, "abcdefg wxyzzz monoton", "abc-defg wx-yzzz mon-oton");
        jk__hyphenator_destroy(ctx, h);
    }
    /* NOHYPHEN (a keyword of two-level files) is read and ignored */
    static const char nh_dict[] = "UTF-8\nNOHYPHEN ab,cd\nNOHYPHEN\n"
                                  "NOHYPHEN a,,b\n\xC3\xA9" "1\n";
    st = create_quiet(ctx, temp_file("nh.dic", nh_dict, sizeof nh_dict - 1),
                      &h);
    CHECKF(st == JK_OK, "NOHYPHEN dictionary: %s", jk_context_errmsg(ctx));
    if (st == JK_OK)
        EXPECT(h, "caféteria", "café-teria");
    jk__hyphenator_destroy(ctx, h);
    h = NULL;

    /* refused, each with a status and a message, printing nothing */
    refuse(ctx, "empty.dic", "", 0, JK_ERR_INVALID_ARGUMENT, "empty");
    refuse(ctx, "bomonly.dic", "\xEF\xBB\xBF", 3, JK_ERR_INVALID_ARGUMENT,
           "empty");
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                        0x1A, '\n', 0, 0, 0, 13};
    refuse(ctx, "png.dic", (const char *)png, sizeof png,
           JK_ERR_INVALID_ARGUMENT, "not a hyphenation pattern file");
    refuse(ctx, "nul.dic", "UTF-8\nab\0c\n", 11, JK_ERR_INVALID_ARGUMENT,
           "control character");
    refuse(ctx, "cr.dic", "UTF-8\na1b\rc1d\n", 14, JK_ERR_INVALID_ARGUMENT,
           "control character");
    refuse(ctx, "c1.dic", "UTF-8\na\xC2\x85" "1\n", 10,
           JK_ERR_INVALID_ARGUMENT, "control character");
    refuse(ctx, "nocset.dic", ".a2ch4\n.ad4der\n", 15,
           JK_ERR_INVALID_ARGUMENT, "character set");
    refuse(ctx, "kwfirst.dic", "LEFTHYPHENMIN 2\na1b\n", 20,
           JK_ERR_INVALID_ARGUMENT, "character set");
    refuse(ctx, "cset2.dic", "ISO8859-2\na1b\n", 14, JK_ERR_UNSUPPORTED,
           "ISO8859-2");
    refuse(ctx, "longcset.dic", "UTF-8 but much too long a line\n", 31,
           JK_ERR_INVALID_ARGUMENT, "character set");
    refuse(ctx, "bomlatin.dic", "\xEF\xBB\xBFISO8859-1\na1b\n", 17,
           JK_ERR_INVALID_ARGUMENT, "byte order mark");
    refuse(ctx, "csetonly.dic", "UTF-8\n", 6, JK_ERR_INVALID_ARGUMENT,
           "no hyphenation patterns");
    refuse(ctx, "comments.dic", "UTF-8\n% a\n\nLEFTHYPHENMIN 2\n", 26,
           JK_ERR_INVALID_ARGUMENT, "no hyphenation patterns");
    char longline[JK__HYPHEN_MAX_LINE + 16];
    memcpy(longline, "UTF-8\n", 6);
    memset(longline + 6, 'a', JK__HYPHEN_MAX_LINE);
    longline[6 + JK__HYPHEN_MAX_LINE] = '1'; /* one byte too many */
    longline[7 + JK__HYPHEN_MAX_LINE] = '\n';
    refuse(ctx, "longline.dic", longline, 8 + JK__HYPHEN_MAX_LINE,
           JK_ERR_INVALID_ARGUMENT, "longline.dic:2: not a hyphenation "
           "pattern file (line longer than 256 bytes)");
    refuse(ctx, "digits.dic", "UTF-8\na1b\na12b\n", 15,
           JK_ERR_INVALID_ARGUMENT, "digits.dic:3: two digits in a row");
    refuse(ctx, "noletter.dic", "UTF-8\n5\n", 8, JK_ERR_INVALID_ARGUMENT,
           "without letters");
    refuse(ctx, "dotsonly.dic", "UTF-8\n.1.\n", 10, JK_ERR_INVALID_ARGUMENT,
           "without letters");
    refuse(ctx, "innerdot.dic", "UTF-8\na.1b\n", 11, JK_ERR_INVALID_ARGUMENT,
           "'.' inside a pattern");
    refuse(ctx, "twopat.dic", "UTF-8\na1b c1d\n", 14, JK_ERR_INVALID_ARGUMENT,
           "text after the pattern");
    refuse(ctx, "kwval.dic", "UTF-8\nLEFTHYPHENMIN x\na1b\n", 24,
           JK_ERR_INVALID_ARGUMENT, "LEFTHYPHENMIN needs a number");
    refuse(ctx, "kwbig.dic", "UTF-8\nRIGHTHYPHENMIN 1000\na1b\n", 27,
           JK_ERR_INVALID_ARGUMENT, "RIGHTHYPHENMIN needs a number");
    refuse(ctx, "kwnone.dic", "UTF-8\nCOMPOUNDLEFTHYPHENMIN\na1b\n", 28,
           JK_ERR_INVALID_ARGUMENT, "COMPOUNDLEFTHYPHENMIN needs a number");
    refuse(ctx, "kwunknown.dic", "UTF-8\nHYPHENCHAR 45\na1b\n", 21,
           JK_ERR_UNSUPPORTED, "unknown keyword \"HYPHENCHAR\"");
    refuse(ctx, "nextlevel.dic", "UTF-8\n1-1\nNEXTLEVEL\na1b\n", 24,
           JK_ERR_UNSUPPORTED, "nextlevel.dic:3: two-level");
    refuse(ctx, "nonstd.dic", "UTF-8\nc1k/k=k,1,1\n", 18, JK_ERR_UNSUPPORTED,
           "non-standard");
    refuse(ctx, "nonstd2.dic", "UTF-8\na1b\n1ss/=s,1,2\n", 21,
           JK_ERR_UNSUPPORTED, "nonstd2.dic:3: non-standard");

    /* 65,535 distinct characters load; one more is refused */
    size_t big = 65536 * 6 + 16; /* at most 4 bytes, "1", "\n" a line */
    char *many = malloc(big);
    if (many) {
        memcpy(many, "UTF-8\n", 6);
        size_t k2 = 6, count = 0;
        uint32_t c = '!';
        for (; count < 65535; c++) {
            if ((c >= '0' && c <= '9') || c == '.' || c == '/' || c == '%' ||
                (c >= 0x7F && c <= 0xA0) || (c >= 0xD800 && c <= 0xDFFF))
                continue;
            k2 += jk__utf8_encode(c, many + k2);
            memcpy(many + k2, "1\n", 2);
            k2 += 2;
            count++;
        }
        st = create_quiet(ctx, temp_file("many.dic", many, k2), &h);
        CHECKF(st == JK_OK, "65535 characters: %s", jk_context_errmsg(ctx));
        if (st == JK_OK)
            EXPECT(h, "abcdef Abāăḁz", "ab-c-def Ab-ā-ăḁz");
        jk__hyphenator_destroy(ctx, h);
        h = NULL;
        k2 += jk__utf8_encode(c, many + k2);
        many[k2++] = '1';
        refuse(ctx, "toomany.dic", many, k2, JK_ERR_LIMIT,
               "more than 65535 distinct characters");
        free(many);
    }

    /* missing file, a folder */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no-such-patterns.dic", tmp_dir);
    h = (jk__hyphenator *)&h;
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
    size_t pn = 1, nn = 1, bn = 1;
    jk__hyphenator_info(NULL, &pn, &nn, &bn);
    CHECK(pn == 0 && nn == 0 && bn == 0);
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

/* Fail the Nth allocation, for N = 0, 1, ... until creation succeeds:
 * each failure is JK_ERR_NOMEM and leaks nothing. */
static void test_alloc_failures(const char *path, const char *word,
                                const char *want)
{
    jk_allocator a = {t_malloc, t_realloc, t_free, NULL};
    jk_context *ctx = NULL;
    if (jk_context_create(&a, &ctx) != JK_OK) {
        CHECK(!"context with a test allocator");
        return;
    }
    long base = alloc_live;
    int ok = 0;
    long fail_at = 0;
    for (; fail_at < 100 && !ok; fail_at++) {
        jk__hyphenator *h = (jk__hyphenator *)&h;
        alloc_budget = fail_at;
        jk_status st = create_quiet(ctx, path, &h);
        alloc_budget = -1;
        if (st == JK_OK) {
            ok = 1;
            CHECK(h != NULL);
            CHECKF(strcmp(show(h, word), want) == 0, "%s: %s", path,
                   show(h, word));
            /* hyphenating allocates nothing */
            alloc_budget = 0;
            CHECK(strcmp(show(h, word), want) == 0);
            alloc_budget = -1;
            CHECKF(alloc_live == base + 1, "%s: %ld blocks held", path,
                   alloc_live - base);
            jk__hyphenator_destroy(ctx, h);
        } else {
            CHECKF(st == JK_ERR_NOMEM, "%s: allocation %ld failing: %s",
                   path, fail_at, jk_status_string(st));
            CHECK(h == NULL);
            CHECKF(strstr(jk_context_errmsg(ctx), "out of memory") != NULL,
                   "message: %s", jk_context_errmsg(ctx));
        }
        CHECKF(alloc_live == base, "%s: allocation %ld failing: %ld leaked",
               path, fail_at, alloc_live - base);
    }
    CHECK(ok);
    CHECKF(fail_at >= 3, "%s: only %ld allocations", path, fail_at);
    jk_context_destroy(ctx);
}

int main(int argc, char **argv)
{
    CHECK(jk__hyphenation_available() == 1);
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
    jk__hyphenator *h = NULL;
    jk_status st = create_quiet(ctx, path, &h);
    if (st != JK_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path ? path : "(default)",
                jk_context_errmsg(ctx));
        CHECK(st == JK_OK);
        jk_context_destroy(ctx);
        return tu_finish("hyphenate");
    }
    /* the built-in default works too */
    jk__hyphenator *def = NULL;
    st = create_quiet(ctx, NULL, &def);
    CHECKF(st == JK_OK, "default patterns: %s", jk_context_errmsg(ctx));
    if (def)
        CHECK(strcmp(show(def, "hyphenation"), "hy-phen-ation") == 0);
    jk__hyphenator_destroy(ctx, def);
    /* compact: hyph_en_US.dic's 11,107 patterns in about 260 KB */
    size_t patterns = 0, nodes = 0, bytes = 0;
    jk__hyphenator_info(h, &patterns, &nodes, &bytes);
    CHECKF(patterns > 0 && bytes < 1024 * 1024, "%zu patterns, %zu bytes",
           patterns, bytes);
    if (patterns == 11107) /* hyphen-en-us 2.8.8 */
        CHECKF(nodes == 15334 && bytes < 300 * 1024, "%zu nodes, %zu bytes",
               nodes, bytes);

    test_words(h);
    test_minimums(h);
    test_whole_words(h);
    test_soft_hyphens(h);
    test_korean(h);
    test_odd_input(h);
    test_liang(ctx);
    test_minimum_keywords(ctx);
    test_files(ctx);
    test_alloc_failures(path ? path : JK_HYPHEN_DICT, "hyphenation",
                        "hy-phen-ation");
    test_alloc_failures(temp_file("liang.dic", liang_dict,
                                  sizeof liang_dict - 1),
                        "Hyphenation", "Hy-phen-ation");

    jk__hyphenator_destroy(ctx, h);
    jk_context_destroy(ctx);

    /* tidy the temporary folder */
    char p[300];
    for (size_t i = 0; i < tmp_count; i++) {
        snprintf(p, sizeof p, "%s/%.31s", tmp_dir, tmp_names[i]);
        remove(p);
    }
    rmdir(tmp_dir);
    return tu_finish("hyphenate");
}
