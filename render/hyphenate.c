/* hyphenate.c - hyphenation points for Latin words (see hyphenate.h).
 *
 * Two halves, both ours.  The scan of the text finds the words (tokens,
 * addresses, digits, soft hyphens, apostrophes, compounds) and applies the
 * letter minimums.  The patterns are Liang's (Frank M. Liang, "Word
 * Hy-phen-a-tion by Com-put-er", Stanford 1983, as in TeX): a pattern is a
 * string of letters with a digit between any two of them, "hy3ph" or
 * ".ach4"; every pattern that occurs in the word wrapped in '.' lays its
 * digits on the gaps it covers, each gap keeps the largest, and an odd one
 * is a hyphenation point.
 *
 * The patterns are kept in a trie on the characters (mapped to a dense
 * alphabet of 16-bit symbols), built from the patterns sorted by their
 * letters: level by level, so that the children of a node are contiguous
 * and sorted by symbol.  For a word of m characters (dots included) the
 * lookup walks the trie from each of the m starting places, at most as deep
 * as the longest pattern, one binary search among a node's children a step:
 * O(m x longest pattern x log alphabet), all on the stack.
 *
 * Loading reads the file once into memory (through the context's
 * allocator), checks and counts it line by line, unpacks the patterns into
 * one temporary block, sorts them, and builds the trie in a single
 * allocation that is the hyphenator itself. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hyphenate.h"
#include "linebreak.h" /* jk__lb_class */
#include "memory.h"
#include "utf8.h"      /* jk__is_space */

#define SOFT_HYPHEN 0xADu

/* ------------------------------------------------------ character classes */

static bool is_latin_letter(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return true;
    if (c >= 0xC0 && c <= 0x24F) /* Latin-1 letters, Extended-A and -B */
        return c != 0xD7 && c != 0xF7;
    return c >= 0x1E00 && c <= 0x1EFF; /* Latin Extended Additional */
}

static bool is_digit(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return true;
    if (c == 0xB2 || c == 0xB3 || c == 0xB9 || /* superscripts */
        (c >= 0x2070 && c <= 0x2079) || (c >= 0x2080 && c <= 0x2089) ||
        (c >= 0xFF10 && c <= 0xFF19))
        return true;
    return c <= 0x10FFFF && jk__lb_class(c) == JK__LB_NU; /* other scripts */
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2BC;
}

/* Marks that may sit inside a word but make it unfit for the patterns. */
static bool is_word_mark(uint32_t c)
{
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200C || c == 0x200D;
}

/* Ends a token (for the address test). */
static bool is_token_end(uint32_t c)
{
    return jk__is_space(c) || c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
           c == 0x200B || c == 0x2028 || c == 0x2029;
}

static bool is_word_core(uint32_t c) { return is_latin_letter(c) || is_digit(c); }

/* ---------------------------------------------------------- tokens, words */

/* The token [ts, te) looks like a URL, e-mail address, host name or path. */
static bool token_is_address(const uint32_t *cps, size_t ts, size_t te)
{
    for (size_t i = ts; i < te; i++) {
        uint32_t c = cps[i];
        if (c == '@' || c == '/' || c == '\\' || c == 0xFF20 /* fullwidth @ */)
            return true;
        if (c == '.' && i + 1 < te && is_latin_letter(cps[i + 1]))
            return true;
        if ((c == 'w' || c == 'W') && i + 3 < te &&
            (cps[i + 1] == 'w' || cps[i + 1] == 'W') &&
            (cps[i + 2] == 'w' || cps[i + 2] == 'W') && cps[i + 3] == '.')
            return true;
    }
    return false;
}

/* -------------------------------------------------------------- patterns */

/* No symbol: a character the patterns do not have. */
#define NO_SYM 0xFFFFu
#define MAX_SYMS 0xFFFFu /* symbols 0..0xFFFE */

/* A trie node: the node of a string is reached from the root through its
 * characters' symbols.  12 bytes. */
typedef struct hy_node {
    uint32_t child;  /* index of the first child; they are contiguous and
                        sorted by symbol */
    uint32_t digits; /* offset in jk__hyphenator.digits of the digit vector
                        (length + 1 bytes) of the pattern with exactly this
                        string, 0 if none */
    uint16_t sym;    /* symbol of the last character */
    uint16_t nchild;
} hy_node;

struct jk__hyphenator {
    const hy_node *nodes;  /* node 0 is the root */
    const uint32_t *syms;  /* the alphabet: code points, ascending; a
                              symbol is an index here */
    const uint8_t *digits; /* digit vectors; digits[0] unused */
    size_t node_count, sym_count, digit_bytes;
    size_t patterns;       /* distinct letter strings */
    size_t bytes;          /* of this one allocation */
    uint16_t dot;          /* symbol of '.', or NO_SYM */
    uint8_t left_min, right_min;   /* letters before / after a point */
    uint8_t inner_left, inner_right; /* ... and beside an apostrophe */
    bool latin1;           /* ISO8859-1 patterns: code points <= 0xFF */
};

/* The first index of the sorted syms[0..n) not below c. */
static size_t lower_bound(const uint32_t *syms, size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (syms[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint16_t sym_of(const jk__hyphenator *h, uint32_t c)
{
    size_t lo = lower_bound(h->syms, h->sym_count, c);
    return lo < h->sym_count && h->syms[lo] == c ? (uint16_t)lo : NO_SYM;
}

/* The child of node `n` through symbol `s`, or 0 (the root is no one's
 * child). */
static uint32_t child_of(const jk__hyphenator *h, const hy_node *n,
                         uint16_t s)
{
    uint32_t lo = n->child, hi = n->child + n->nchild;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->nodes[mid].sym < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n->child + n->nchild && h->nodes[lo].sym == s ? lo : 0;
}

/* Liang's values of the symbols s[0..m) (a word with its two dots):
 * val[k], k = 0..m, is the largest digit any pattern puts before s[k]. */
static void liang_values(const jk__hyphenator *h, const uint16_t *s, size_t m,
                         uint8_t *val)
{
    memset(val, 0, m + 1);
    for (size_t i = 0; i < m; i++) {
        const hy_node *n = &h->nodes[0];
        for (size_t j = i; j < m; j++) {
            uint32_t c = s[j] == NO_SYM ? 0 : child_of(h, n, s[j]);
            if (!c)
                break;
            n = &h->nodes[c];
            if (n->digits) { /* a pattern of j - i + 1 letters at i */
                const uint8_t *d = h->digits + n->digits;
                for (size_t k = 0; k <= j - i + 1; k++)
                    if (val[i + k] < d[k])
                        val[i + k] = d[k];
            }
        }
    }
}

/* Lowercase for the pattern lookup: ASCII, Latin-1, Latin Extended-A and
 * Latin Extended Additional (the rest maps to itself). */
static uint32_t latin_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if (c == 0x130) /* I WITH DOT ABOVE */
        return 'i';
    if (c == 0x178) /* Y WITH DIAERESIS */
        return 0xFF;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c | 1u; /* capital even, small odd */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1u) ? c + 1 : c; /* capital odd, small even */
    if (c == 0x1E9E) /* CAPITAL SHARP S */
        return 0xDF;
    if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF))
        return c | 1u;
    return c;
}

/* Pattern points of the word w[0..len) (letters and inner apostrophes
 * only, no two apostrophes in a row, len <= JK__HYPHEN_MAX_WORD) into
 * o[0..len).  Each run of letters between apostrophes is a word for the
 * patterns (TeX's view, and libhyphen's), so patterns holding an apostrophe
 * never match; the minimums count letters. */
static void pattern_points(const jk__hyphenator *h, const uint32_t *w,
                           size_t len, uint8_t *o)
{
    size_t total = 0;
    for (size_t k = 0; k < len; k++) {
        if (is_apostrophe(w[k]))
            continue;
        total++;
        if (h->latin1 && latin_lower(w[k]) > 0xFF)
            return; /* not in the dictionary's character set */
    }
    if (total < (size_t)h->left_min + h->right_min)
        return;

    uint16_t s[JK__HYPHEN_MAX_WORD + 2];
    uint8_t val[JK__HYPHEN_MAX_WORD + 3];
    size_t before = 0; /* letters before the part */
    for (size_t ps = 0; ps < len;) {
        size_t pe = ps;
        while (pe < len && !is_apostrophe(w[pe]))
            pe++;
        size_t plen = pe - ps;
        if (plen >= 2) {
            s[0] = h->dot;
            for (size_t k = 0; k < plen; k++)
                s[k + 1] = sym_of(h, latin_lower(w[ps + k]));
            s[plen + 1] = h->dot;
            liang_values(h, s, plen + 2, val);
            /* the gap after part letter k is val[k + 2]; the gaps at the
             * part's ends, next to an apostrophe, are never points */
            for (size_t k = 0; k + 1 < plen; k++) {
                if (!(val[k + 2] & 1))
                    continue;
                if (ps > 0 && k + 1 < h->inner_left)
                    continue; /* too near the apostrophe before */
                if (pe < len && plen - 1 - k < h->inner_right)
                    continue; /* too near the apostrophe after */
                size_t left = before + k + 1;
                if (left < h->left_min || total - left < h->right_min)
                    continue;
                o[ps + k] = JK__HYPH_PATTERN;
            }
        }
        before += plen;
        ps = pe + 1; /* past the apostrophe */
    }
}

static bool is_hyphen(uint32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* The words of the token [ts, te). A compound already written with a
 * hyphen ("battle-field") breaks at its hyphen and nowhere else: no
 * pattern points in its parts. */
static void mark_token(const jk__hyphenator *h, const uint32_t *cps,
                       size_t ts, size_t te, uint8_t *out)
{
    bool compound = false;
    for (size_t j = ts; j < te && !compound; j++)
        compound = is_hyphen(cps[j]);
    if (compound)
        h = NULL; /* soft hyphens only */
    size_t k = ts;
    while (k < te) {
        if (!is_word_core(cps[k])) {
            k++;
            continue;
        }
        size_t ws = k, letters = 0;
        bool digit = false, mark = false;
        bool soft = k > ts && cps[k - 1] == SOFT_HYPHEN; /* one just before */
        for (; k < te; k++) {
            uint32_t c = cps[k];
            if (is_latin_letter(c)) {
                letters++;
            } else if (is_digit(c)) {
                digit = true;
            } else if (is_word_mark(c)) {
                mark = true;
            } else if (is_apostrophe(c) || c == SOFT_HYPHEN) {
                /* inside the word only: a letter or digit must follow */
                size_t j = k + 1;
                while (j < te && cps[j] == SOFT_HYPHEN)
                    j++;
                if (j >= te || !is_word_core(cps[j])) {
                    soft |= c == SOFT_HYPHEN; /* one just after the word */
                    break;
                }
                soft |= c == SOFT_HYPHEN || j > k + 1;
                k = j - 1; /* past the soft hyphens in a row (linear) */
            } else {
                break;
            }
        }
        size_t we = k;
        if (digit)
            continue;
        if (soft) {
            for (size_t j = ws; j < we; j++)
                if (cps[j] == SOFT_HYPHEN && j + 1 < we &&
                    cps[j + 1] != SOFT_HYPHEN)
                    out[j] = JK__HYPH_SOFT; /* a letter or digit follows */
            continue;
        }
        if (h && !mark && we - ws <= JK__HYPHEN_MAX_WORD &&
            letters >= JK__HYPHEN_LEFT_MIN + JK__HYPHEN_RIGHT_MIN)
            pattern_points(h, cps + ws, we - ws, out + ws);
    }
}

jk_status jk__hyphenate(const jk__hyphenator *h, const uint32_t *cps,
                        size_t n, uint8_t *out)
{
    if (n == 0)
        return JK_OK;
    if (!cps || !out)
        return JK_ERR_INVALID_ARGUMENT;
    memset(out, 0, n);
    size_t i = 0;
    while (i < n) {
        if (is_token_end(cps[i])) {
            i++;
            continue;
        }
        size_t ts = i;
        while (i < n && !is_token_end(cps[i]))
            i++;
        if (!token_is_address(cps, ts, i))
            mark_token(h, cps, ts, i, out);
    }
    return JK_OK;
}

/* ------------------------------------------------------------ hyphenator */

int jk__hyphenation_available(void) { return 1; }

/* A pattern unpacked, while loading: its letters as symbols, and its
 * digits at digit_pool + (letters - letter_pool) + index (a pattern of len
 * letters has len + 1 digits). */
typedef struct hy_rec {
    const uint16_t *letters;
    uint32_t len;
    uint32_t index; /* in file order */
} hy_rec;

#define CP_LIMIT 0x110000u /* code points 0..0x10FFFF */

typedef struct loader {
    jk_context *ctx;
    const char *path;
    size_t line;
    bool latin1;
    unsigned lhmin, rhmin, clhmin, crhmin; /* from keywords; 0 = none */
    /* first pass: counts, and the characters seen (a bit each) */
    size_t patterns, letters;
    uint64_t *seen;
    /* second pass: the patterns unpacked */
    const uint32_t *syms;
    size_t sym_count;
    hy_rec *recs;
    uint16_t *letter_pool;
    uint8_t *digit_pool;
    size_t rec_n, letter_n;
} loader;

static bool is_blank(uint32_t c) { return c == ' ' || c == '\t'; }

static bool is_control(uint32_t c)
{
    return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
}

/* Strict UTF-8: the length of the sequence at s[0..n) and its code point
 * in *cp, or 0 if it is invalid (overlong, surrogate, beyond U+10FFFF,
 * cut short). */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < min || v >= CP_LIMIT || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static uint16_t loader_sym(const loader *L, uint32_t c)
{
    /* present: every letter was seen */
    return (uint16_t)lower_bound(L->syms, L->sym_count, c);
}

/* The first line: the character set. */
static jk_status read_charset(loader *L, const unsigned char *s, size_t len,
                              bool bom)
{
    while (len && is_blank(s[len - 1]))
        len--;
    bool name = len > 0 && len <= 40 &&
                ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'));
    for (size_t j = 0; j < len && name; j++) {
        unsigned char c = s[j];
        name = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
               c == ':';
    }
    if (!name)
        return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                        "%s:1: not a hyphenation pattern file (the first "
                        "line must name its character set, UTF-8 or "
                        "ISO8859-1)", L->path);
    char cset[41];
    for (size_t j = 0; j < len; j++)
        cset[j] = (char)(s[j] >= 'a' && s[j] <= 'z' ? s[j] - 0x20 : s[j]);
    cset[len] = '\0';
    if (strcmp(cset, "UTF-8") == 0) {
        L->latin1 = false;
    } else if (strcmp(cset, "ISO8859-1") == 0 ||
               strcmp(cset, "ISO-8859-1") == 0) {
        if (bom)
            return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                            "%s: a UTF-8 byte order mark, but the first "
                            "line says ISO8859-1", L->path);
        L->latin1 = true;
    } else {
        return jk__fail(L->ctx, JK_ERR_UNSUPPORTED,
                        "%s:1: hyphenation patterns in character set "
                        "\"%.*s\": only UTF-8 and ISO8859-1 are supported",
                        L->path, (int)len, (const char *)s);
    }
    return JK_OK;
}

/* A keyword line, cps[a..b) (blanks trimmed) starting with the capitals
 * cps[a..k). */
static jk_status keyword(loader *L, const unsigned char *s,
                         const uint32_t *cps, size_t a, size_t k, size_t b)
{
    /* the capitals are ASCII, and so are the blanks before them: bytes and
     * code points agree up to k */
    const char *kw = (const char *)s + a;
    size_t kl = k - a;
    unsigned *slot = NULL;
#define KW(name) (kl == sizeof name - 1 && memcmp(kw, name, kl) == 0)
    if (KW("LEFTHYPHENMIN"))
        slot = &L->lhmin;
    else if (KW("RIGHTHYPHENMIN"))
        slot = &L->rhmin;
    else if (KW("COMPOUNDLEFTHYPHENMIN"))
        slot = &L->clhmin;
    else if (KW("COMPOUNDRIGHTHYPHENMIN"))
        slot = &L->crhmin;
    else if (KW("NOHYPHEN"))
        return JK_OK; /* libhyphen's; it acts only with NEXTLEVEL */
    else if (KW("NEXTLEVEL"))
        return jk__fail(L->ctx, JK_ERR_UNSUPPORTED,
                        "%s:%zu: two-level (compound) hyphenation patterns "
                        "(NEXTLEVEL) are not supported", L->path, L->line);
    else
        return jk__fail(L->ctx, JK_ERR_UNSUPPORTED,
                        "%s:%zu: unknown keyword \"%.*s\" in hyphenation "
                        "patterns", L->path, L->line, (int)kl, kw);
#undef KW
    size_t i = k, digits = 0;
    unsigned v = 0;
    while (i < b && is_blank(cps[i]))
        i++;
    for (; i < b && cps[i] >= '0' && cps[i] <= '9' && digits < 4; i++) {
        v = v * 10 + (cps[i] - '0');
        digits++;
    }
    while (i < b && is_blank(cps[i]))
        i++;
    if (digits == 0 || digits > 3 || v > JK__HYPHEN_MAX_WORD ||
        (i < b && cps[i] != '%'))
        return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                        "%s:%zu: %.*s needs a number from 0 to %d", L->path,
                        L->line, (int)kl, kw, JK__HYPHEN_MAX_WORD);
    *slot = v;
    return JK_OK;
}

/* One line after the first, s[0..len) without its line end.  The first
 * pass (fill false) checks and counts, the second stores. */
static jk_status pattern_line(loader *L, const unsigned char *s, size_t len,
                              bool fill)
{
    size_t i = 0;
    while (i < len && is_blank(s[i]))
        i++;
    if (i == len || s[i] == '%')
        return JK_OK; /* blank, or a comment (of any length, unchecked) */
    if (len > JK__HYPHEN_MAX_LINE)
        return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                        "%s:%zu: not a hyphenation pattern file (line "
                        "longer than %d bytes)", L->path, L->line,
                        JK__HYPHEN_MAX_LINE);

    uint32_t cps[JK__HYPHEN_MAX_LINE];
    size_t n = 0;
    for (size_t j = 0; j < len;) {
        uint32_t c = s[j];
        size_t step = 1;
        if (!L->latin1 && !(step = utf8_seq(s + j, len - j, &c)))
            return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                            "%s:%zu: invalid UTF-8", L->path, L->line);
        if (is_control(c))
            return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                            "%s:%zu: not a hyphenation pattern file "
                            "(control character)", L->path, L->line);
        cps[n++] = c;
        j += step;
    }
    size_t a = 0, b = n;
    while (is_blank(cps[a]))
        a++; /* not blank throughout: s[i] is not */
    while (is_blank(cps[b - 1]))
        b--;

    size_t k = a;
    while (k < b && cps[k] >= 'A' && cps[k] <= 'Z')
        k++;
    if (k - a >= 2 && (k == b || is_blank(cps[k]) ||
                       (cps[k] >= '0' && cps[k] <= '9')))
        return keyword(L, s, cps, a, k, b);

    /* a pattern, and maybe a comment after it */
    size_t e = a;
    while (e < b && !is_blank(cps[e]))
        e++;
    for (size_t j = a; j < e; j++)
        if (cps[j] == '/')
            return jk__fail(L->ctx, JK_ERR_UNSUPPORTED,
                            "%s:%zu: non-standard hyphenation patterns "
                            "(with '/') are not supported", L->path,
                            L->line);
    size_t c = e;
    while (c < b && is_blank(cps[c]))
        c++;
    if (c < b && cps[c] != '%')
        return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                        "%s:%zu: text after the pattern", L->path, L->line);

    uint32_t letters[JK__HYPHEN_MAX_LINE];
    uint8_t digits[JK__HYPHEN_MAX_LINE + 1];
    size_t nl = 0, real = 0;
    bool after_digit = false;
    digits[0] = 0;
    for (size_t j = a; j < e; j++) {
        uint32_t ch = cps[j];
        if (ch >= '0' && ch <= '9') {
            if (after_digit)
                return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                                "%s:%zu: two digits in a row in a pattern "
                                "(values go from 0 to 9)", L->path,
                                L->line);
            digits[nl] = (uint8_t)(ch - '0');
            after_digit = true;
        } else {
            letters[nl++] = ch;
            digits[nl] = 0;
            real += ch != '.';
            after_digit = false;
        }
    }
    if (real == 0)
        return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                        "%s:%zu: a pattern without letters", L->path,
                        L->line);
    for (size_t j = 1; j + 1 < nl; j++)
        if (letters[j] == '.')
            return jk__fail(L->ctx, JK_ERR_INVALID_ARGUMENT,
                            "%s:%zu: '.' inside a pattern (it marks a word's "
                            "start or end)", L->path, L->line);

    if (!fill) {
        L->patterns++;
        L->letters += nl;
        for (size_t j = 0; j < nl; j++)
            L->seen[letters[j] / 64] |= (uint64_t)1 << (letters[j] % 64);
        return JK_OK;
    }
    hy_rec *r = &L->recs[L->rec_n];
    uint16_t *lp = L->letter_pool + L->letter_n;
    r->letters = lp;
    r->len = (uint32_t)nl;
    r->index = (uint32_t)L->rec_n;
    for (size_t j = 0; j < nl; j++)
        lp[j] = loader_sym(L, letters[j]);
    memcpy(L->digit_pool + L->letter_n + L->rec_n, digits, nl + 1);
    L->rec_n++;
    L->letter_n += nl;
    return JK_OK;
}

/* Every line of buf[0..size) (after any BOM). */
static jk_status scan_lines(loader *L, const unsigned char *buf, size_t size,
                            bool bom, bool fill)
{
    size_t pos = 0;
    L->line = 0;
    while (pos < size) {
        const unsigned char *s = buf + pos;
        const unsigned char *nl = memchr(s, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - s) : size - pos;
        pos += len + (nl != NULL);
        L->line++;
        if (len && s[len - 1] == '\r')
            len--;
        jk_status st = JK_OK;
        if (L->line == 1) {
            if (len > JK__HYPHEN_MAX_LINE)
                len = JK__HYPHEN_MAX_LINE + 1; /* not a name either way */
            if (!fill)
                st = read_charset(L, s, len, bom);
        } else {
            st = pattern_line(L, s, len, fill);
        }
        if (st != JK_OK)
            return st;
    }
    return JK_OK;
}

static int rec_cmp(const hy_rec *x, const hy_rec *y)
{
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++)
        if (x->letters[i] != y->letters[i])
            return x->letters[i] < y->letters[i] ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1; /* a prefix first */
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Sort the patterns by their letters (heapsort: in place, no allocation;
 * the C library's qsort may call malloc). */
static void sift_down(hy_rec *r, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && rec_cmp(&r[c], &r[c + 1]) < 0)
            c++;
        if (rec_cmp(&r[i], &r[c]) >= 0)
            return;
        hy_rec t = r[i];
        r[i] = r[c];
        r[c] = t;
        i = c;
    }
}

static void sort_recs(hy_rec *r, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(r, i, n);
    for (size_t end = n; end-- > 1;) {
        hy_rec t = r[0];
        r[0] = r[end];
        r[end] = t;
        sift_down(r, 0, end);
    }
}

#define ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

/* The trie from the sorted patterns, in one allocation. */
static jk_status build_trie(loader *L, jk__hyphenator **out)
{
    const hy_rec *recs = L->recs;
    size_t np = L->patterns;

    /* Nodes: one per distinct prefix (the root too), so each pattern adds
     * its letters beyond the prefix it shares with the one before it. */
    size_t nodes = 1, dbytes = 1, distinct = 0;
    for (size_t i = 0; i < np; i++) {
        size_t lcp = 0;
        if (i > 0) {
            size_t m = recs[i].len < recs[i - 1].len ? recs[i].len
                                                     : recs[i - 1].len;
            while (lcp < m && recs[i].letters[lcp] == recs[i - 1].letters[lcp])
                lcp++;
        }
        nodes += recs[i].len - lcp;
        if (!(i > 0 && lcp == recs[i].len && lcp == recs[i - 1].len)) {
            distinct++; /* not a repeat of the one before */
            dbytes += recs[i].len + 1;
        }
    }
    if (nodes > UINT32_MAX || dbytes > UINT32_MAX)
        return jk__fail(L->ctx, JK_ERR_LIMIT,
                        "%s: too many hyphenation patterns", L->path);

    size_t off_nodes = ALIGN8(sizeof(jk__hyphenator));
    size_t off_syms = ALIGN8(off_nodes + nodes * sizeof(hy_node));
    size_t off_digits = off_syms + L->sym_count * sizeof(uint32_t);
    size_t total = off_digits + dbytes;
    unsigned char *mem = jk__malloc(L->ctx, total);
    if (!mem)
        return jk__fail(L->ctx, JK_ERR_NOMEM,
                        "out of memory loading %s", L->path);
    jk__hyphenator *h = (jk__hyphenator *)mem;
    hy_node *nd = (hy_node *)(mem + off_nodes);
    uint32_t *syms = (uint32_t *)(mem + off_syms);
    uint8_t *dg = mem + off_digits;
    memcpy(syms, L->syms, L->sym_count * sizeof *syms);
    dg[0] = 0;

    /* Level by level: a node waiting in the queue holds the range
     * [child, digits) of the sorted patterns that start with its string,
     * and that string's length in nchild.  Its children are made at once,
     * in order, so each node's children are contiguous and sorted. */
    nd[0].sym = NO_SYM;
    nd[0].child = 0;
    nd[0].digits = (uint32_t)np;
    nd[0].nchild = 0;
    size_t next = 1, dpos = 1;
    for (size_t k = 0; k < next; k++) {
        size_t lo = nd[k].child, hi = nd[k].digits, depth = nd[k].nchild;
        uint32_t vec = 0;
        size_t i = lo;
        for (; i < hi && recs[i].len == depth; i++) { /* its own pattern */
            const uint8_t *d = L->digit_pool +
                               (size_t)(recs[i].letters - L->letter_pool) +
                               recs[i].index;
            if (!vec) {
                vec = (uint32_t)dpos;
                memcpy(dg + dpos, d, depth + 1);
                dpos += depth + 1;
            } else { /* the same letters again: both count */
                for (size_t m = 0; m <= depth; m++)
                    if (dg[vec + m] < d[m])
                        dg[vec + m] = d[m];
            }
        }
        size_t first = next, count = 0;
        while (i < hi) {
            uint16_t c = recs[i].letters[depth];
            size_t j = i + 1;
            while (j < hi && recs[j].letters[depth] == c)
                j++;
            nd[next].sym = c;
            nd[next].child = (uint32_t)i;
            nd[next].digits = (uint32_t)j;
            nd[next].nchild = (uint16_t)(depth + 1);
            next++;
            count++;
            i = j;
        }
        nd[k].child = (uint32_t)first;
        nd[k].digits = vec;
        nd[k].nchild = (uint16_t)count;
    }
    /* next == nodes and dpos == dbytes here, by the counting above */

    h->nodes = nd;
    h->syms = syms;
    h->digits = dg;
    h->node_count = next;
    h->sym_count = L->sym_count;
    h->digit_bytes = dpos;
    h->patterns = distinct;
    h->bytes = total;
    h->dot = sym_of(h, '.');
    h->latin1 = L->latin1;
    unsigned lmin = L->lhmin > JK__HYPHEN_LEFT_MIN ? L->lhmin
                                                   : JK__HYPHEN_LEFT_MIN;
    unsigned rmin = L->rhmin > JK__HYPHEN_RIGHT_MIN ? L->rhmin
                                                    : JK__HYPHEN_RIGHT_MIN;
    unsigned il = L->clhmin ? L->clhmin : lmin;
    unsigned ir = L->crhmin ? L->crhmin : rmin;
    h->left_min = (uint8_t)lmin;
    h->right_min = (uint8_t)rmin;
    h->inner_left = (uint8_t)(il > JK__HYPHEN_LEFT_MIN ? il
                                                       : JK__HYPHEN_LEFT_MIN);
    h->inner_right = (uint8_t)(ir > JK__HYPHEN_RIGHT_MIN
                                   ? ir
                                   : JK__HYPHEN_RIGHT_MIN);
    *out = h;
    return JK_OK;
}

/* Read the whole file through the context's allocator. */
static jk_status read_file(jk_context *ctx, const char *path, char **data,
                           size_t *size)
{
    *data = NULL;
    *size = 0;
    errno = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return jk__fail(ctx, JK_ERR_IO,
                        "cannot open hyphenation patterns %s: %s", path,
                        errno ? strerror(errno) : "unknown error");
    jk_status st = JK_OK;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (!jk__grow(ctx, (void **)&buf, &cap, n + 65536, 1)) {
            st = jk__fail(ctx, JK_ERR_NOMEM,
                          "out of memory reading %s", path);
            goto done;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n > JK__HYPHEN_MAX_FILE_BYTES) {
            st = jk__fail(ctx, JK_ERR_LIMIT,
                          "hyphenation patterns %s larger than %u bytes",
                          path, JK__HYPHEN_MAX_FILE_BYTES);
            goto done;
        }
        if (got == 0 || n < cap) {
            if (ferror(fp)) {
                st = jk__fail(ctx, JK_ERR_IO,
                              "cannot read hyphenation patterns %s: %s",
                              path, errno ? strerror(errno) : "read error");
                goto done;
            }
            if (feof(fp))
                break;
        }
    }
    *data = buf;
    *size = n;
    buf = NULL;
done:
    jk__free(ctx, buf);
    fclose(fp);
    return st;
}

jk_status jk__hyphenator_create(jk_context *ctx, const char *path,
                                jk__hyphenator **out)
{
    if (out)
        *out = NULL;
    if (!ctx || !out)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "hyphenator: context and output are required");
    if (!path) {
#ifdef JK_HYPHEN_DICT
        path = JK_HYPHEN_DICT;
#else
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "no hyphenation patterns given and no default "
                        "built in");
#endif
    }

    char *data = NULL;
    size_t size = 0;
    jk_status st = read_file(ctx, path, &data, &size);
    if (st != JK_OK)
        return st;

    loader L;
    memset(&L, 0, sizeof L);
    L.ctx = ctx;
    L.path = path;
    void *tmp = NULL;
    const unsigned char *buf = (const unsigned char *)data;
    bool bom = size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
    if (bom) {
        buf += 3;
        size -= 3;
    }
    if (size == 0) {
        st = jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                      "%s: empty hyphenation pattern file", path);
        goto done;
    }

    /* First pass: check, count, and note the characters. */
    L.seen = jk__calloc(ctx, CP_LIMIT / 64, sizeof *L.seen);
    if (!L.seen) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory loading %s", path);
        goto done;
    }
    st = scan_lines(&L, buf, size, bom, false);
    if (st != JK_OK)
        goto done;
    if (L.patterns == 0) {
        st = jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                      "%s: no hyphenation patterns", path);
        goto done;
    }
    for (size_t w = 0; w < CP_LIMIT / 64; w++)
        for (uint64_t b = L.seen[w]; b; b &= b - 1)
            L.sym_count++;
    if (L.sym_count > MAX_SYMS) {
        st = jk__fail(ctx, JK_ERR_LIMIT,
                      "%s: hyphenation patterns with more than %u distinct "
                      "characters", path, MAX_SYMS);
        goto done;
    }

    /* Second pass: the patterns unpacked into one temporary block. */
    size_t rec_bytes = ALIGN8(L.patterns * sizeof(hy_rec));
    size_t sym_bytes = ALIGN8(L.sym_count * sizeof(uint32_t));
    size_t letter_bytes = L.letters * sizeof(uint16_t);
    tmp = jk__malloc(ctx, rec_bytes + sym_bytes + letter_bytes + L.letters +
                              L.patterns);
    if (!tmp) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory loading %s", path);
        goto done;
    }
    L.recs = tmp;
    uint32_t *syms = (uint32_t *)((unsigned char *)tmp + rec_bytes);
    L.syms = syms;
    L.letter_pool = (uint16_t *)((unsigned char *)tmp + rec_bytes + sym_bytes);
    L.digit_pool = (uint8_t *)tmp + rec_bytes + sym_bytes + letter_bytes;
    size_t ns = 0;
    for (size_t w = 0; w < CP_LIMIT / 64; w++)
        for (uint64_t b = L.seen[w]; b; b &= b - 1) {
            unsigned bit = 0;
            while (!((b >> bit) & 1u))
                bit++;
            syms[ns++] = (uint32_t)(w * 64 + bit);
        }
    jk__free(ctx, L.seen);
    L.seen = NULL;
    st = scan_lines(&L, buf, size, bom, true); /* checked: cannot fail */
    if (st != JK_OK)
        goto done;
    jk__free(ctx, data);
    data = NULL;

    sort_recs(L.recs, L.patterns);
    st = build_trie(&L, out);
done:
    jk__free(ctx, tmp);
    jk__free(ctx, L.seen);
    jk__free(ctx, data);
    return st;
}

void jk__hyphenator_destroy(jk_context *ctx, jk__hyphenator *h)
{
    if (ctx && h)
        jk__free(ctx, h);
}

void jk__hyphenator_info(const jk__hyphenator *h, size_t *patterns,
                         size_t *nodes, size_t *bytes)
{
    if (patterns)
        *patterns = h ? h->patterns : 0;
    if (nodes)
        *nodes = h ? h->node_count : 0;
    if (bytes)
        *bytes = h ? h->bytes : 0;
}
