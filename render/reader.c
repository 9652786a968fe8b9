/* Plain-text reader: bytes -> blocks of code points with source offsets.
 *
 * The rules (also in README.md):
 *  - UTF-8 with or without BOM; CRLF, CR or LF line ends; each ill-formed
 *    subpart becomes U+FFFD; control characters other than tab and line
 *    ends become U+FFFD; tabs count as spaces.
 *  - Lines are trimmed; runs of spaces and tabs inside a line become one
 *    space. Blank lines separate chunks.
 *  - The first non-blank line is the title (if at most 150 characters).
 *  - The next non-blank line is the byline if it is at most 80 characters
 *    and holds a date or a time (a year 19xx/20xx, or h:mm).
 *  - A chunk of two or more lines whose lines (but the last) are of similar
 *    length (at least 60% of the longest, the longest 40 to 120 columns)
 *    is hard-wrapped text: its lines are joined into one paragraph (a
 *    caption on the chunk's last line stays a caption).
 *  - Otherwise each line is a block of its own:
 *    heading: alone in its chunk, after two or more blank lines, at most 60
 *             characters, not ending in sentence punctuation;
 *    caption: at most 60 characters, "description. source" where the
 *             source is at most 3 words and the line does not end in
 *             sentence punctuation (the portal style "일론 머스크. Flickr");
 *    list:    starts with "- ", "* ", "• " or a number of at most two
 *             digits followed by ". " or ") ";
 *    paragraph: anything else.
 */
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "linebreak.h"
#include "memory.h"
#include "reader.h"
#include "utf8.h"

typedef struct text {
    uint32_t *cps;
    uint32_t *off; /* n + 1 */
    size_t n;
} text;

typedef struct line {
    size_t s, e;        /* trimmed code point range */
    size_t blank_before; /* blank lines just before it */
} line;

static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n') ||
           (cp >= 0x7F && cp < 0xA0);
}

/* Decode the whole source; line ends become one '\n' each. */
static jk_status decode(jk_context *ctx, const char *bytes, size_t size,
                        text *t)
{
    const unsigned char *s = (const unsigned char *)bytes;
    size_t i = 0;
    if (size >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    t->cps = jk__realloc_array(ctx, NULL, size - i + 1, sizeof *t->cps);
    t->off = jk__realloc_array(ctx, NULL, size - i + 2, sizeof *t->off);
    if (!t->cps || !t->off)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading text");
    size_t n = 0;
    while (i < size) {
        uint32_t cp;
        size_t k = jk__utf8_decode(s + i, size - i, &cp);
        if (cp == '\r') {
            cp = '\n';
            if (i + 1 < size && s[i + 1] == '\n')
                k = 2;
        } else if (is_control(cp)) {
            cp = 0xFFFD;
        }
        t->cps[n] = cp;
        t->off[n] = (uint32_t)i;
        n++;
        i += k;
    }
    t->off[n] = (uint32_t)size;
    t->n = n;
    /* Sized for one byte a character; Korean takes three: give back the
     * rest (shrinking, so it cannot fail). */
    uint32_t *cps = jk__realloc_array(ctx, t->cps, n + 1, sizeof *cps);
    uint32_t *off = jk__realloc_array(ctx, t->off, n + 1, sizeof *off);
    if (cps)
        t->cps = cps;
    if (off)
        t->off = off;
    return JK_OK;
}

/* East Asian wide and fullwidth characters (two columns in a terminal
 * or a text editor's monospace font). */
static bool is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

static size_t columns(const text *t, const line *l)
{
    size_t c = 0;
    for (size_t i = l->s; i < l->e; i++)
        c += is_wide(t->cps[i]) ? 2 : 1;
    return c;
}

static bool is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

static bool has_date_or_time(const text *t, const line *l)
{
    for (size_t i = l->s; i < l->e; i++) {
        if (i + 4 <= l->e && is_digit(t->cps[i]) &&
            is_digit(t->cps[i + 1]) && is_digit(t->cps[i + 2]) &&
            is_digit(t->cps[i + 3]) &&
            ((t->cps[i] == '1' && t->cps[i + 1] == '9') ||
             (t->cps[i] == '2' && t->cps[i + 1] == '0')) &&
            (i == l->s || !is_digit(t->cps[i - 1])))
            return true;
        if (i + 3 < l->e && is_digit(t->cps[i]) && t->cps[i + 1] == ':' &&
            is_digit(t->cps[i + 2]) && is_digit(t->cps[i + 3]))
            return true;
    }
    return false;
}

static bool is_closer(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
           cp == 0x2019 || cp == 0x201D || cp == 0x300D || cp == 0x300F ||
           cp == 0x3009 || cp == 0x300B;
}

static bool is_sentence_end(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ',' || cp == ';' ||
           cp == ':' || cp == 0x3002 || cp == 0x2026 || cp == 0xFF0E ||
           cp == 0xFF01 || cp == 0xFF1F;
}

static bool ends_sentence(const text *t, const line *l)
{
    size_t e = l->e;
    while (e > l->s && is_closer(t->cps[e - 1]))
        e--;
    return e > l->s && is_sentence_end(t->cps[e - 1]);
}

static bool is_caption(const text *t, const line *l)
{
    if (l->e - l->s > 60 || ends_sentence(t, l))
        return false;
    size_t dot = 0;
    for (size_t i = l->s; i + 1 < l->e; i++)
        if (t->cps[i] == '.' && t->cps[i + 1] == ' ' && i > l->s)
            dot = i + 2;
    if (!dot || dot >= l->e || l->e - dot > 25)
        return false;
    size_t words = 1;
    for (size_t i = dot; i < l->e; i++)
        words += t->cps[i] == ' ';
    return words <= 3;
}

static bool is_list_item(const text *t, const line *l)
{
    size_t n = l->e - l->s;
    const uint32_t *c = t->cps + l->s;
    if (n >= 2 && (c[0] == '-' || c[0] == '*' || c[0] == 0x2022) &&
        c[1] == ' ')
        return true;
    size_t d = 0;
    while (d < n && d < 3 && is_digit(c[d]))
        d++;
    return d >= 1 && d <= 2 && d + 1 < n && (c[d] == '.' || c[d] == ')') &&
           c[d + 1] == ' ';
}

static bool is_hard_wrapped(const text *t, const line *ls, size_t count)
{
    if (count < 2)
        return false;
    size_t longest = 0;
    for (size_t i = 0; i < count; i++) {
        size_t c = columns(t, &ls[i]);
        if (c > longest)
            longest = c;
    }
    if (longest < 40 || longest > 120)
        return false;
    for (size_t i = 0; i + 1 < count; i++) {
        if (columns(t, &ls[i]) * 10 < longest * 6)
            return false;
        if (i > 0 && is_list_item(t, &ls[i]))
            return false;
    }
    return !is_list_item(t, &ls[count - 1]);
}

jk_status jk__reserve_block(jk_document *doc)
{
    /* Geometric: a moving realloc (a pool or arena allocator) copies the
     * array a logarithmic number of times, not once a block. */
    if (!jk__grow(doc->ctx, (void **)&doc->blocks, &doc->block_cap,
                  doc->block_count + 1, sizeof *doc->blocks))
        return jk__fail(doc->ctx, JK_ERR_NOMEM, "out of memory reading text");
    return JK_OK;
}

/* Append a block made of lines ls[0..count), joined with one space each;
 * inner runs of spaces and tabs become one space. */
static jk_status add_block(jk_document *doc, const text *t, jk_block_kind kind,
                           const line *ls, size_t count)
{
    jk_context *ctx = doc->ctx;
    /* how far into the text, in code points */
    jk_status pst = jk__progress(ctx, JK_STAGE_READ, ls[0].s, t->n);
    if (pst != JK_OK)
        return pst;
    size_t cap = 0;
    for (size_t i = 0; i < count; i++)
        cap += ls[i].e - ls[i].s + 1;
    jk__block b;
    memset(&b, 0, sizeof b);
    b.kind = kind;
    jk_status st = jk__reserve_block(doc);
    if (st != JK_OK)
        return st;
    b.cps = jk__realloc_array(ctx, NULL, cap, sizeof *b.cps);
    b.off = jk__realloc_array(ctx, NULL, cap + 1, sizeof *b.off);
    if (!b.cps || !b.off) {
        jk__free(ctx, b.cps);
        jk__free(ctx, b.off);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading text");
    }
    size_t n = 0;
    for (size_t li = 0; li < count; li++) {
        const line *l = &ls[li];
        if (li > 0) { /* the line end and the spaces around it */
            b.cps[n] = ' ';
            b.off[n++] = t->off[ls[li - 1].e];
        }
        for (size_t i = l->s; i < l->e; i++) {
            uint32_t cp = t->cps[i];
            if (cp == ' ' || cp == '\t') {
                if (n > 0 && b.cps[n - 1] == ' ' && i > l->s &&
                    (t->cps[i - 1] == ' ' || t->cps[i - 1] == '\t'))
                    continue;
                cp = ' ';
            }
            b.cps[n] = cp;
            b.off[n++] = t->off[i];
        }
    }
    b.off[n] = t->off[ls[count - 1].e];
    b.n = n;
    doc->blocks[doc->block_count++] = b;
    return JK_OK;
}

jk_status jk__read_text(jk_document *doc, const char *bytes, size_t size)
{
    jk_context *ctx = doc->ctx;
    text t = {NULL, NULL, 0};
    line *lines = NULL;
    jk_status st = decode(ctx, bytes, size, &t);
    if (st != JK_OK)
        goto done;

    /* Split into trimmed lines, remembering blank lines before each: as
     * many entries as there are line ends, at most. */
    size_t line_count = 0, blank = 0, ends = 1;
    for (size_t i = 0; i < t.n; i++)
        ends += t.cps[i] == '\n';
    lines = jk__realloc_array(ctx, NULL, ends, sizeof *lines);
    if (!lines) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading text");
        goto done;
    }
    for (size_t i = 0; i <= t.n;) {
        size_t s = i;
        while (i < t.n && t.cps[i] != '\n')
            i++;
        size_t e = i;
        while (s < e && jk__is_space(t.cps[s]))
            s++;
        while (e > s && jk__is_space(t.cps[e - 1]))
            e--;
        if (s == e) {
            blank++;
        } else {
            lines[line_count].s = s;
            lines[line_count].e = e;
            lines[line_count].blank_before = blank;
            line_count++;
            blank = 0;
        }
        i++;
    }

    size_t li = 0;
    if (li < line_count && lines[li].e - lines[li].s <= 150) {
        if ((st = add_block(doc, &t, JK_BLOCK_TITLE, &lines[li], 1)))
            goto done;
        li++;
        if (li < line_count && lines[li].e - lines[li].s <= 80 &&
            has_date_or_time(&t, &lines[li])) {
            if ((st = add_block(doc, &t, JK_BLOCK_BYLINE, &lines[li], 1)))
                goto done;
            li++;
        }
    }
    while (li < line_count) {
        /* The rest of this chunk: lines up to the next blank line. */
        size_t end = li + 1;
        while (end < line_count && lines[end].blank_before == 0)
            end++;
        /* A caption under a paragraph is its own block, not the short
         * last line of hard-wrapped text. */
        size_t wrap_end = end;
        if (end - li >= 2 && is_caption(&t, &lines[end - 1]))
            wrap_end = end - 1;
        if (is_hard_wrapped(&t, &lines[li], wrap_end - li)) {
            if ((st = add_block(doc, &t, JK_BLOCK_PARAGRAPH, &lines[li],
                                wrap_end - li)))
                goto done;
            li = wrap_end;
            if (li == end)
                continue;
        }
        for (; li < end; li++) {
            const line *l = &lines[li];
            jk_block_kind kind = JK_BLOCK_PARAGRAPH;
            if (l->blank_before >= 2 &&
                l->e - l->s <= 60 && !ends_sentence(&t, l) &&
                (li + 1 == line_count || lines[li + 1].blank_before >= 1))
                kind = JK_BLOCK_HEADING;
            else if (is_caption(&t, l))
                kind = JK_BLOCK_CAPTION;
            else if (is_list_item(&t, l))
                kind = JK_BLOCK_LIST;
            if ((st = add_block(doc, &t, kind, l, 1)))
                goto done;
        }
    }
done:
    jk__free(ctx, lines);
    jk__free(ctx, t.cps);
    jk__free(ctx, t.off);
    return st;
}

static int span_by_start(const void *a, const void *b)
{
    const jk_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The style of every code point from the spans: spans sorted by start,
 * swept once with the code points in offset order; the open spans' ends
 * kept in a min-heap. O((n + m) log m). */
static jk_status apply_spans(jk_context *ctx, jk__block *b, size_t base,
                             const jk_span *spans, size_t count)
{
    jk_span *sorted = jk__realloc_array(ctx, NULL, count, sizeof *sorted);
    size_t *ends = jk__realloc_array(ctx, NULL, count, sizeof *ends);
    b->style = jk__calloc(ctx, b->n ? b->n : 1, 1);
    jk_status st = JK_OK;
    if (!sorted || !ends || !b->style) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading text");
        goto done;
    }
    memcpy(sorted, spans, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, span_by_start);
    /* Open spans as a min-heap of their ends; a count of open spans per
     * style bit. */
    size_t open = 0, next = 0;
    size_t bold = 0, italic = 0;
    size_t limit = b->off[b->n] - base + 1;
    for (size_t i = 0; i < b->n; i++) {
        size_t at = b->off[i] - base;
        while (next < count && sorted[next].start <= at) {
            const jk_span *sp = &sorted[next++];
            unsigned style = sp->style & (JK_STYLE_BOLD | JK_STYLE_ITALIC);
            if (sp->end <= at || !style)
                continue;
            /* heap push: the end (no further than the block's text) with
             * the style in the low bits */
            size_t end = sp->end < limit ? sp->end : limit;
            size_t k = open++;
            ends[k] = end << 2 | style;
            while (k > 0 && ends[(k - 1) / 2] > ends[k]) {
                size_t p = (k - 1) / 2, t = ends[p];
                ends[p] = ends[k];
                ends[k] = t;
                k = p;
            }
            bold += (style & JK_STYLE_BOLD) != 0;
            italic += (style & JK_STYLE_ITALIC) != 0;
        }
        while (open > 0 && (ends[0] >> 2) <= at) { /* heap pop */
            unsigned style = (unsigned)(ends[0] & 3);
            bold -= (style & JK_STYLE_BOLD) != 0;
            italic -= (style & JK_STYLE_ITALIC) != 0;
            ends[0] = ends[--open];
            for (size_t k = 0;;) {
                size_t l = 2 * k + 1, r = l + 1, m = k;
                if (l < open && ends[l] < ends[m])
                    m = l;
                if (r < open && ends[r] < ends[m])
                    m = r;
                if (m == k)
                    break;
                size_t t = ends[m];
                ends[m] = ends[k];
                ends[k] = t;
                k = m;
            }
        }
        b->style[i] = (uint8_t)((bold ? JK_STYLE_BOLD : 0) |
                                (italic ? JK_STYLE_ITALIC : 0));
    }
done:
    jk__free(ctx, sorted);
    jk__free(ctx, ends);
    return st;
}

jk_status jk__read_block(jk_document *doc, jk_block_kind kind,
                         const char *bytes, size_t size, size_t base,
                         const jk_span *spans, size_t span_count)
{
    jk_context *ctx = doc->ctx;
    text t = {NULL, NULL, 0};
    jk_status st = decode(ctx, bytes, size, &t);
    if (st != JK_OK)
        goto done;
    /* One block: line ends inside it are spaces; trimmed like a line. */
    for (size_t i = 0; i < t.n; i++)
        if (t.cps[i] == '\n')
            t.cps[i] = ' ';
    line l = {0, t.n, 0};
    while (l.s < l.e && jk__is_space(t.cps[l.s]))
        l.s++;
    while (l.e > l.s && jk__is_space(t.cps[l.e - 1]))
        l.e--;
    if (l.s == l.e)
        goto done; /* nothing to set */
    for (size_t i = 0; i <= t.n; i++)
        t.off[i] += (uint32_t)base;
    if ((st = add_block(doc, &t, kind, &l, 1)) != JK_OK)
        goto done;
    if (span_count) {
        jk__block *b = &doc->blocks[doc->block_count - 1];
        st = apply_spans(ctx, b, base, spans, span_count);
        if (st != JK_OK) {
            jk__block_free(ctx, b);
            doc->block_count--;
        }
    }
done:
    jk__free(ctx, t.cps);
    jk__free(ctx, t.off);
    return st;
}
