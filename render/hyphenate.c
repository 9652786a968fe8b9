/* hyphenate.c - hyphenation points for Latin words (see hyphenate.h).
 *
 * The scanning of the text (tokens, words, addresses, digits, soft hyphens)
 * is ours and always built; only the pattern lookup needs libhyphen
 * (JK_HAVE_HYPHEN). */
#define _POSIX_C_SOURCE 200809L /* fmemopen */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "hyphenate.h"

#if JK_HAVE_HYPHEN
#include <hyphen.h>
#endif

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
    return c <= 0x10FFFF && jk__lb_class(c) == JK_LB_NU; /* other scripts */
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

#if JK_HAVE_HYPHEN

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

struct jk_hyphenator {
    HyphenDict *dict; /* libhyphen's, malloc'ed by it */
    bool utf8;        /* else ISO8859-1 */
};

/* Pattern points of the word w[0..len) (letters and inner apostrophes
 * only, 5 <= len <= JK__HYPHEN_MAX_WORD) into o[0..len). */
static void pattern_points(const jk_hyphenator *h, const uint32_t *w,
                           size_t len, uint8_t *o)
{
    char word[JK__HYPHEN_MAX_WORD * 4 + 1];
    char hyph[sizeof word + 5]; /* libhyphen wants word bytes + 5 */
    size_t bytes = 0;
    for (size_t k = 0; k < len; k++) {
        uint32_t c = is_apostrophe(w[k]) ? '\'' : latin_lower(w[k]);
        if (h->utf8)
            bytes += jk__utf8_encode(c, word + bytes);
        else if (c <= 0xFF)
            word[bytes++] = (char)(unsigned char)c;
        else
            return; /* not in the dictionary's character set */
    }
    word[bytes] = '\0'; /* libhyphen runs strstr on it */
    memset(hyph, 0, sizeof hyph);

    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    int rc = hnj_hyphen_hyphenate3(h->dict, word, (int)bytes, hyph, NULL,
                                   &rep, &pos, &cut, JK__HYPHEN_LEFT_MIN,
                                   JK__HYPHEN_RIGHT_MIN, 0, 0);
    /* Only non-standard patterns fill these, and create() refuses those;
     * libhyphen allocated them with malloc. */
    if (rep) {
        for (size_t k = 0; k < bytes; k++)
            free(rep[k]);
        free(rep);
    }
    free(pos);
    free(cut);
    if (rc != 0)
        return;

    /* hyph[k] (per character after libhyphen's UTF-8 step; characters are
     * our code points one to one) is odd where a hyphen may follow. */
    size_t letters = 0, total = 0;
    for (size_t k = 0; k < len; k++)
        total += !is_apostrophe(w[k]);
    for (size_t k = 0; k + 1 < len; k++) {
        letters += !is_apostrophe(w[k]);
        if (!(hyph[k] & 1))
            continue;
        if (letters < JK__HYPHEN_LEFT_MIN ||
            total - letters < JK__HYPHEN_RIGHT_MIN)
            continue;
        if (is_apostrophe(w[k]) || is_apostrophe(w[k + 1]))
            continue;
        o[k] = JK__HYPH_PATTERN;
    }
}

#endif /* JK_HAVE_HYPHEN */

static bool is_hyphen(uint32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* The words of the token [ts, te). A compound already written with a
 * hyphen ("battle-field") breaks at its hyphen and nowhere else: no
 * pattern points in its parts. */
static void mark_token(const jk_hyphenator *h, const uint32_t *cps,
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
#if JK_HAVE_HYPHEN
        if (h && !mark && we - ws <= JK__HYPHEN_MAX_WORD &&
            letters >= JK__HYPHEN_LEFT_MIN + JK__HYPHEN_RIGHT_MIN)
            pattern_points(h, cps + ws, we - ws, out + ws);
#else
        (void)h;
        (void)mark;
        (void)letters;
#endif
    }
}

jk_status jk__hyphenate(const jk_hyphenator *h, const uint32_t *cps,
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

#if !JK_HAVE_HYPHEN

struct jk_hyphenator {
    int unused;
};

int jk__hyphenation_available(void) { return 0; }

jk_status jk__hyphenator_create(jk_context *ctx, const char *path,
                                jk_hyphenator **out)
{
    (void)path;
    if (out)
        *out = NULL;
    if (!ctx || !out)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "hyphenator: context and output are required");
    return jk__fail(ctx, JK_ERR_UNSUPPORTED,
                    "hyphenation is not available: jikji was built "
                    "without libhyphen");
}

void jk__hyphenator_destroy(jk_context *ctx, jk_hyphenator *h)
{
    if (ctx && h)
        jk__free(ctx, h);
}

#else

int jk__hyphenation_available(void) { return 1; }

/* The lengths libhyphen 2.8.8 reads with fgets into fixed buffers: the
 * character set line into char[MAX_NAME], the others into char[MAX_CHARS].
 * Longer lines would be split there and the rest read as a pattern. */
#define CSET_LINE_MAX (MAX_NAME - 1)  /* bytes with the '\n' */
#define PATTERN_LINE_MAX (MAX_CHARS - 1)

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t p = strlen(prefix);
    return len >= p && memcmp(s, prefix, p) == 0;
}

/* A NOHYPHEN value libhyphen splits on ',' (past its first byte) after
 * dropping its last byte (the '\n'): every piece must be non-empty, or
 * libhyphen would write before its hyphen buffer (strstr of ""). */
static bool nohyphen_ok(const char *v, size_t len)
{
    if (len == 0 || v[0] == ',' || v[len - 1] == ',')
        return false;
    for (size_t i = 1; i < len; i++)
        if (v[i] == ',' && v[i - 1] == ',')
            return false;
    return true;
}

/* Check a pattern file before libhyphen parses it (libhyphen trusts its
 * input).  buf[0..size) has no BOM. */
static jk_status check_patterns(jk_context *ctx, const char *path,
                                const char *buf, size_t size, bool *utf8)
{
    size_t pos = 0, line = 0;
    while (pos < size) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - s) : size - pos; /* without '\n' */
        pos += len + (nl != NULL);
        line++;
        size_t text = len; /* without "\r\n" */
        if (text && s[text - 1] == '\r')
            text--;
        for (size_t j = 0; j < text; j++) {
            unsigned char c = (unsigned char)s[j];
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                                "%s:%zu: not a hyphenation pattern file "
                                "(control character)", path, line);
        }
        if (line == 1) {
            bool name = text > 0;
            for (size_t j = 0; j < text; j++)
                name &= s[j] > ' ' && s[j] < 0x7F;
            if (!name || len + (nl != NULL) > CSET_LINE_MAX)
                return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                                "%s:1: not a hyphenation pattern file (the "
                                "first line must name its character set)",
                                path);
            if (text == 5 && memcmp(s, "UTF-8", 5) == 0)
                *utf8 = true;
            else if (text == 9 && memcmp(s, "ISO8859-1", 9) == 0)
                *utf8 = false;
            else
                return jk__fail(ctx, JK_ERR_UNSUPPORTED,
                                "%s:1: hyphenation patterns in character "
                                "set \"%.*s\": only UTF-8 and ISO8859-1 are "
                                "supported", path, (int)text, s);
            continue;
        }
        if (len + (nl != NULL) > PATTERN_LINE_MAX)
            return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                            "%s:%zu: line longer than %d bytes", path, line,
                            PATTERN_LINE_MAX - 1);
        /* libhyphen's order: NEXTLEVEL, '%' comments, then keywords and
         * patterns (keywords matched as prefixes). */
        if (starts_with(s, len, "NEXTLEVEL") || (len && s[0] == '%'))
            continue;
        if (starts_with(s, len, "NOHYPHEN")) {
            size_t v = 8;
            while (v < len && (s[v] == ' ' || s[v] == '\t'))
                v++;
            if (!nl || !nohyphen_ok(s + v, len - v))
                return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                                "%s:%zu: malformed NOHYPHEN line", path,
                                line);
            continue;
        }
        if (memchr(s, '/', len))
            return jk__fail(ctx, JK_ERR_UNSUPPORTED,
                            "%s:%zu: non-standard hyphenation patterns "
                            "(with '/') are not supported", path, line);
    }
    if (line == 0)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "%s: empty hyphenation pattern file", path);
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
                                jk_hyphenator **out)
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

    FILE *mem = NULL;
    HyphenDict *dict = NULL;
    jk_hyphenator *h = NULL;
    size_t skip = 0;
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        skip = 3; /* a BOM would hide the character set from libhyphen */
    bool utf8 = false;
    st = check_patterns(ctx, path, data + skip, size - skip, &utf8);
    if (st != JK_OK)
        goto done;

    /* libhyphen reads a FILE *: give it exactly the bytes we checked. */
    mem = fmemopen(data + skip, size - skip, "r");
    if (!mem) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory loading %s", path);
        goto done;
    }
    dict = hnj_hyphen_load_file(mem);
    if (!dict) {
        st = jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                      "%s: libhyphen cannot load these patterns", path);
        goto done;
    }
    h = jk__malloc(ctx, sizeof *h);
    if (!h) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory loading %s", path);
        goto done;
    }
    h->dict = dict;
    h->utf8 = utf8;
    dict = NULL;
    *out = h;
done:
    if (dict)
        hnj_hyphen_free(dict);
    if (mem)
        fclose(mem);
    jk__free(ctx, data);
    return st;
}

void jk__hyphenator_destroy(jk_context *ctx, jk_hyphenator *h)
{
    if (!ctx || !h)
        return;
    if (h->dict)
        hnj_hyphen_free(h->dict);
    jk__free(ctx, h);
}

#endif /* JK_HAVE_HYPHEN */
