/* The Markdown reader: CommonMark with GFM tables, strikethrough and task
 * lists, on md4c's push parser (md_parse), into the builder (builder.h).
 *
 * md4c allocates with malloc (it has no allocator hooks): its own memory
 * does not go through the context's allocator; a failed md_parse (md4c
 * out of memory) is JK_ERR_NOMEM. Everything this file and the builder
 * keep goes through the context's allocator.
 *
 * Parser flags: MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS.
 * Raw HTML stays recognised (so it can be dropped). Not enabled: the
 * permissive URL and www autolinks (bare "http://…" and "www.…" become
 * links), quadratic in md4c 0.4.8 (200,000 of them: 11 to 13 s); the
 * others change CommonMark's meaning (underline for '_', LaTeX, wiki
 * links) or duplicate the builder's white-space collapsing.
 *
 * The rules:
 *  - Source offsets are exact: text is mapped to the bytes it was written
 *    as; a decoded character reference to the whole reference; a soft or
 *    hard line break to its line end; a NUL byte to itself; a list
 *    marker to the source's marker (a task item's to its "[").
 *  - Headings: the first level-1 heading outside quotes and lists is the
 *    TITLE (level 1); every other heading, ATX or setext, is a HEADING of
 *    its level 1-6 (with the quote and list depth around it).
 *  - Paragraphs are PARAGRAPH blocks. Emphasis is ITALIC, strong BOLD,
 *    code spans CODE, strikethrough (~~) STRIKE; links are links to their
 *    href (references decoded; the URL is never shown: an autolink keeps
 *    its text, the URL as written). A hard break (two spaces or a
 *    backslash at a line end) is a line break; a soft break is a space.
 *  - Character references: "&amp;", "&#233;", "&#xE9;" are decoded when
 *    the whole reference is one HTML5 knows (numeric ones as HTML reads
 *    them: 0, surrogates and values past U+10FFFF are U+FFFD, 0x80-0x9F
 *    the windows-1252 characters); any other ("&bogus;", "&notit;")
 *    stays as written. A NUL byte is U+FFFD.
 *  - The byline: Markdown has none; the first block after the title, when
 *    it is a paragraph outside quotes and lists of at most 80 characters
 *    (white space runs counted as one) that holds a date or a time (a year
 *    19xx or 20xx not after a digit, or h:mm), is the BYLINE, as in
 *    plain text.
 *  - Block quotes: everything inside has quote_depth + 1; their
 *    paragraphs are QUOTE blocks.
 *  - Lists: every block inside an item has list_depth (the lists around
 *    it); its paragraphs are LIST blocks (QUOTE when a quote inside the
 *    item holds them). The item's first block with text (a paragraph,
 *    heading, code block or table row) carries the marker: bullet lists
 *    "•" at depth 1, "◦" at depth 2, "▪" deeper, whatever bullet the
 *    source used; ordered lists "N." counting from the list's start
 *    number, whatever the delimiter; a task item "☐" or "☑" instead of
 *    the bullet ("N. ☐" when ordered). Later blocks of the item have no
 *    marker. An item whose first block is a nested list shows the nested
 *    item's marker only; an item holding only a figure, none.
 *  - Code blocks, fenced or indented: CODE blocks, preformatted (spaces,
 *    tabs and line ends kept; the info string is not shown).
 *  - Thematic breaks: a RULE block holding one U+2015 mapped to the
 *    break's source bytes.
 *  - Tables (GFM): each row a TABLE block of its cells' text one after
 *    another, U+2003 (EM SPACE) before each cell but the first, at the
 *    first byte of the next cell with text (so the separators before a
 *    cell count its column: an empty cell adds one, empty cells at a
 *    row's end nothing); the header row is a header row (set bold).
 *  - Images: a paragraph holding only an image (white space aside)
 *    becomes a figure: src as written (references decoded), alt the
 *    image's text content, the paragraph's source range (up to the
 *    title's opening quote when the title is the caption). Its CAPTION
 *    block follows it: the image's title when it has one (mapped to the
 *    title's bytes); else the rest of the same paragraph after a line
 *    break when that is one emphasis ("![](a.jpg)\n*caption*"); else the
 *    next paragraph when it is one emphasis (at most 300 characters; the
 *    emphasis that marked it is not kept, styles inside it are); else no
 *    caption. An image anywhere else (inside text or a link, two in a
 *    paragraph, in a heading or a table) contributes its alt text inline.
 *  - Raw HTML is never shown as tags. Inline HTML: the tag's text is
 *    dropped; <br> is a line break; <b> <strong>, <i> <em> <cite> <dfn>
 *    <var>, <code> <kbd> <samp> <tt>, <sub>, <sup>, <u> <ins>, <s>
 *    <strike> <del> set their style until the matching end tag or the
 *    block's end. HTML blocks: tags, comments, doctypes, CDATA and
 *    processing instructions are dropped, the text between tags is kept
 *    (character references decoded as HTML does), the contents of
 *    <script> and <style> are dropped; block-level tags (p, div, h1-h6,
 *    li, dl/dt/dd, table parts, blockquote, pre, section, article and the
 *    like) end a paragraph, <br> is a line break, the inline tags above
 *    set styles. <img> and links in HTML are dropped.
 *  - Nesting: md4c keeps its containers in arrays (no recursion) and is
 *    linear on deep nesting (100,000 nested quotes or lists: under 20 ms),
 *    so the input is not rewritten; this reader keeps one 16-byte record
 *    per open container. Depths shown are capped at JK__MAX_SHOWN_DEPTH
 *    by the builder.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "builder.h"
#include "document.h"
#include "entities.h"
#include "memory.h"
#include "reader.h"
#include "resource_limits.h"
#include "utf8.h"

#ifndef JK__HAVE_MARKDOWN

jk_status jk__read_markdown(jk_document *doc, const char *bytes, size_t size,
                            const jk_read_options *options)
{
    (void)bytes;
    (void)size;
    (void)options;
    return jk__fail(doc->ctx, JK_ERR_UNSUPPORTED,
                    "this build reads no Markdown");
}

#else

#include <md4c.h>

#define NO_OFFSET UINT32_MAX
#define CAPTION_MAX_CHARS 300
#define BYLINE_MAX_CHARS 80
/* Zeros after the copy md4c parses (jk__read_markdown). */
#define MD4C_PAD 16

/* ------------------------------------------------------------ event log */

/* What a paragraph would send the builder, kept until we know what the
 * paragraph is (a figure, a caption, a byline or a paragraph). */
enum { EV_TEXT, EV_CHAR, EV_PUSH, EV_POP, EV_LINK, EV_LINK_END };

typedef struct ev {
    uint8_t type;
    uint32_t value;        /* CHAR: code point; PUSH/POP: style */
    uint32_t data, size;   /* TEXT, LINK: bytes in the log's buffer */
    uint32_t src, src_end; /* TEXT: source range (NO_OFFSET: unknown);
                              CHAR: src */
} ev;

typedef struct evlog {
    ev *evs;
    size_t n, cap;
    char *buf;
    size_t len, buf_cap;
} evlog;

/* ------------------------------------------------------------ the state */

enum { C_QUOTE, C_UL, C_OL, C_LI };

typedef struct frame {
    uint8_t type;
    uint64_t next; /* ordered lists: the next item's number */
} frame;

enum { LEAF_NONE, LEAF_PARA, LEAF_ITEM, LEAF_HEADING, LEAF_CODE,
       LEAF_HTML, LEAF_CELL };

/* The figure machine of a paragraph that began with an image. */
enum { F_START, F_IMG, F_AFTER, F_EM, F_AFTER_EM, F_NO };
/* The caption machine of a paragraph after a figure without caption. */
enum { K_START, K_EM, K_AFTER, K_NO };

/* HTML block states. */
enum { H_TEXT, H_LT, H_END_START, H_NAME, H_ATTRS, H_DQ, H_SQ, H_BANG,
       H_BANG_DASH, H_COMMENT, H_BOGUS, H_RAW };

typedef struct rd {
    jk_context *ctx;
    jk__builder *b;
    const char *in;
    size_t size;
    size_t base; /* md4c's offsets count from here (after a BOM) */
    jk_status st;

    size_t cursor;            /* source offset past the last byte mapped */
    size_t text_from;         /* the cursor before the current text */
    size_t nl_none, nul_none; /* no line end / NUL from here on */
    size_t hr_none;           /* no thematic break line from here on */

    frame *frames;
    size_t frame_count, frame_cap;
    unsigned quote_depth, list_depth;

    int leaf;
    unsigned heading_level;
    size_t heading_first; /* first text offset of the heading */
    bool title_done;
    bool after_title; /* the title was the last block */
    size_t block_serial, title_serial;

    /* the item marker waiting for its item's first block */
    char marker[48];
    size_t marker_size;
    size_t marker_frame; /* frame index of its LI; SIZE_MAX: none */
    size_t marker_source;

    /* tables */
    bool in_head;
    unsigned cell;
    unsigned pending_seps;
    bool row_has_text;

    /* code blocks: indentation md4c gives as spaces of its own */
    unsigned pending_indent;

    /* inline: md4c spans open in this leaf (images' insides aside) */
    unsigned span_depth;
    unsigned img_depth;
    unsigned html_styles[8]; /* pushes by inline or block HTML */
    bool html_cont;          /* the next inline HTML piece continues one */

    /* the paragraph being classified */
    bool para_active, logging;
    bool may_byline, may_caption;
    int fig, cap;
    unsigned em_depth;     /* span depth of the caption emphasis */
    size_t em_push, em_pop; /* their events in the log */
    size_t em_chars;       /* chars before the emphasis */
    size_t chars;          /* characters logged, white space runs as one */
    bool pending_space;
    unsigned char win[5];  /* the last bytes of text, for dates */
    bool has_date;
    size_t para_from;      /* cursor when the paragraph began */
    bool want_caption;     /* after a figure with no caption */
    size_t want_frames;    /* at this nesting */
    evlog log, cap_log;
    /* the image of a figure candidate */
    char *src;
    size_t src_size;
    char *alt;
    size_t alt_size, alt_cap;
    size_t img_first, img_last; /* source bytes known inside it */
    bool has_title;
    size_t title_open; /* the title's opening delimiter, or SIZE_MAX */

    /* HTML blocks */
    int hs;
    size_t lt_off;
    char tag[16];
    size_t tag_len;
    bool tag_close;
    char raw[8]; /* "script" or "style" while in one */
    size_t raw_match;
    unsigned dashes;
} rd;

static jk_status nomem(rd *r)
{
    if (r->st == JK_OK)
        r->st = jk__fail(r->ctx, JK_ERR_NOMEM, "out of memory reading");
    return r->st;
}

static jk_status take(rd *r, jk_status st)
{
    if (r->st == JK_OK)
        r->st = st;
    return r->st;
}

static bool in_input(const rd *r, const char *p)
{
    /* compared as integers: the pointer may be md4c's own string */
    uintptr_t a = (uintptr_t)p, s = (uintptr_t)r->in;
    return a >= s && a - s < r->size;
}

static void advance(rd *r, size_t to)
{
    if (to > r->cursor)
        r->cursor = to;
}

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool is_newline(unsigned char c) { return c == '\n' || c == '\r'; }

static bool is_punct(unsigned char c)
{
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) ||
           (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/* The next line end at or after the cursor (md4c hands line ends as its
 * own "\n"): its offset, and the cursor moves past it. Scans never go
 * back, and a failed scan is remembered, so all of them are linear. */
static size_t take_line_end(rd *r)
{
    size_t p = r->cursor;
    size_t limit = r->nl_none < r->size ? r->nl_none : r->size;
    while (p < limit && !is_newline((unsigned char)r->in[p]))
        p++;
    if (p >= limit) {
        if (r->cursor < r->nl_none)
            r->nl_none = r->cursor;
        return r->cursor;
    }
    size_t next = p + 1;
    if (r->in[p] == '\r' && next < r->size && r->in[next] == '\n')
        next++;
    advance(r, next);
    return p;
}

/* The next NUL byte at or after the cursor (md4c hands it as ""). */
static size_t take_nul(rd *r)
{
    size_t p = r->cursor;
    size_t limit = r->nul_none < r->size ? r->nul_none : r->size;
    while (p < limit && r->in[p] != '\0')
        p++;
    if (p >= limit) {
        if (r->cursor < r->nul_none)
            r->nul_none = r->cursor;
        return r->cursor;
    }
    advance(r, p + 1);
    return p;
}

/* ------------------------------------------------------------ the log */

static void log_clear(rd *r, evlog *l)
{
    jk__free(r->ctx, l->evs);
    jk__free(r->ctx, l->buf);
    memset(l, 0, sizeof *l);
}

static ev *log_add(rd *r, evlog *l, uint8_t type, const char *s, size_t n)
{
    if (r->st != JK_OK)
        return NULL;
    if (l->len + n > UINT32_MAX - 1) {
        take(r, jk__fail(r->ctx, JK_ERR_LIMIT, "paragraph too long"));
        return NULL;
    }
    if (!jk__grow(r->ctx, (void **)&l->evs, &l->cap, l->n + 1,
                  sizeof *l->evs) ||
        (n && !jk__grow(r->ctx, (void **)&l->buf, &l->buf_cap, l->len + n,
                        1))) {
        nomem(r);
        return NULL;
    }
    ev *e = &l->evs[l->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->data = (uint32_t)l->len;
    e->size = (uint32_t)n;
    e->src = e->src_end = NO_OFFSET;
    if (n) {
        memcpy(l->buf + l->len, s, n);
        l->len += n;
    }
    return e;
}

/* ------------------------------------------------------------ blocks */

static bool in_item(const rd *r)
{
    return r->frame_count && r->frames[r->frame_count - 1].type == C_LI;
}

static jk_block_kind para_kind(const rd *r)
{
    for (size_t i = r->frame_count; i-- > 0;) {
        if (r->frames[i].type == C_QUOTE)
            return JK_BLOCK_QUOTE;
        if (r->frames[i].type == C_LI)
            return JK_BLOCK_LIST;
    }
    return JK_BLOCK_PARAGRAPH;
}

/* Attributes for a block of `kind` here, taking the item's marker when
 * `marker` (the item's first block with text). */
static void attrs_for(rd *r, jk_block_kind kind, bool marker,
                      jk__block_attrs *a)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->quote_depth = (uint8_t)(r->quote_depth > 255 ? 255 : r->quote_depth);
    a->list_depth = (uint8_t)(r->list_depth > 255 ? 255 : r->list_depth);
    if (marker && r->marker_frame != SIZE_MAX) {
        a->marker = r->marker;
        a->marker_size = r->marker_size;
        a->marker_source = r->marker_source;
        r->marker_frame = SIZE_MAX;
    }
}

static jk_status begin(rd *r, jk_block_kind kind, bool marker,
                       bool preformatted, bool header_row, unsigned level)
{
    jk__block_attrs a;
    attrs_for(r, kind, marker, &a);
    a.preformatted = preformatted;
    a.header_row = header_row;
    a.level = (uint8_t)level;
    r->block_serial++;
    r->after_title = false;
    return take(r, jk__builder_begin(r->b, &a));
}

/* The block of the current leaf, begun on its first text. */
static jk_status ensure_block(rd *r)
{
    if (r->st != JK_OK || jk__builder_open(r->b))
        return r->st;
    switch (r->leaf) {
    case LEAF_HEADING: {
        bool title = r->heading_level == 1 && !r->title_done &&
                     r->quote_depth == 0 && r->list_depth == 0;
        if (title) {
            r->title_done = true;
            begin(r, JK_BLOCK_TITLE, false, false, false, 1);
            r->title_serial = r->block_serial;
            return r->st;
        }
        return begin(r, JK_BLOCK_HEADING, true, false, false,
                     r->heading_level);
    }
    case LEAF_CODE:
        return begin(r, JK_BLOCK_CODE, true, true, false, 0);
    case LEAF_CELL:
        return begin(r, JK_BLOCK_TABLE, true, false, r->in_head, 0);
    default:
        return begin(r, para_kind(r), true, false, false, 0);
    }
}

static void end_block(rd *r)
{
    if (r->st == JK_OK && jk__builder_open(r->b)) {
        take(r, jk__builder_end(r->b));
        if (r->block_serial == r->title_serial && r->title_serial)
            r->after_title = true;
    }
}

/* ------------------------------------------------------------ output */

/* Text, a character, styles and links for the current leaf: to the log
 * while the paragraph is being classified, else to the builder. */
static void out_text(rd *r, const char *s, size_t n, size_t src,
                     size_t src_end)
{
    if (r->st != JK_OK || n == 0)
        return;
    if (r->logging) {
        ev *e = log_add(r, &r->log, EV_TEXT, s, n);
        if (e) {
            e->src = (uint32_t)src;
            e->src_end = (uint32_t)src_end;
        }
        return;
    }
    if (!jk__builder_open(r->b)) {
        /* leading white space of a block is trimmed anyway; a block is
         * begun by text that shows (so an item's marker is not spent on
         * nothing), or by anything in code */
        bool shows = r->leaf == LEAF_CODE;
        for (size_t i = 0; i < n && !shows; i++)
            shows = !is_blank((unsigned char)s[i]);
        if (!shows)
            return;
        if (ensure_block(r) != JK_OK)
            return;
    }
    take(r, jk__builder_text(r->b, s, n, src, src_end));
}

static void out_char(rd *r, uint32_t cp, size_t src)
{
    if (r->st != JK_OK)
        return;
    if (r->logging) {
        ev *e = log_add(r, &r->log, EV_CHAR, NULL, 0);
        if (e) {
            e->value = cp;
            e->src = (uint32_t)src;
        }
        return;
    }
    if (ensure_block(r) == JK_OK)
        take(r, jk__builder_char(r->b, cp, src));
}

static void out_style(rd *r, unsigned style, bool push)
{
    if (r->st != JK_OK)
        return;
    if (r->logging) {
        ev *e = log_add(r, &r->log, push ? EV_PUSH : EV_POP, NULL, 0);
        if (e)
            e->value = style;
        return;
    }
    if (push)
        jk__builder_push_style(r->b, style);
    else
        jk__builder_pop_style(r->b, style);
}

static void out_link(rd *r, const char *href, size_t n)
{
    if (r->st != JK_OK)
        return;
    if (r->logging) {
        log_add(r, &r->log, EV_LINK, href, n);
        return;
    }
    if (ensure_block(r) == JK_OK)
        take(r, jk__builder_link_begin(r->b, href, n));
}

static void out_link_end(rd *r)
{
    if (r->st != JK_OK)
        return;
    if (r->logging) {
        log_add(r, &r->log, EV_LINK_END, NULL, 0);
        return;
    }
    jk__builder_link_end(r->b);
}

static unsigned style_bit(unsigned style)
{
    unsigned k = 0;
    while (k < 7 && !(style & (1u << k)))
        k++;
    return k;
}

/* Send events [from, to) of a log to the open block, skipping two of
 * them (the caption's own emphasis); unknown offsets become `fallback`.
 * A part of a log (`part`) pops only what it pushed, and all of it at
 * its end, so no style runs on into later blocks. */
static void replay(rd *r, const evlog *l, size_t from, size_t to,
                   size_t skip1, size_t skip2, size_t fallback, bool part)
{
    size_t pushed[8] = {0};
    for (size_t i = from; i < to && r->st == JK_OK; i++) {
        if (i == skip1 || i == skip2)
            continue;
        const ev *e = &l->evs[i];
        switch (e->type) {
        case EV_TEXT: {
            size_t s = e->src == NO_OFFSET ? fallback : e->src;
            size_t t = e->src == NO_OFFSET ? fallback : e->src_end;
            take(r, jk__builder_text(r->b, l->buf + e->data, e->size, s, t));
            break;
        }
        case EV_CHAR:
            take(r, jk__builder_char(r->b, e->value,
                                     e->src == NO_OFFSET ? fallback
                                                         : e->src));
            break;
        case EV_PUSH:
            pushed[style_bit(e->value)]++;
            jk__builder_push_style(r->b, e->value);
            break;
        case EV_POP:
            if (part && !pushed[style_bit(e->value)])
                break;
            if (pushed[style_bit(e->value)])
                pushed[style_bit(e->value)]--;
            jk__builder_pop_style(r->b, e->value);
            break;
        case EV_LINK:
            take(r, jk__builder_link_begin(r->b, l->buf + e->data, e->size));
            break;
        default:
            jk__builder_link_end(r->b);
            break;
        }
    }
    if (part)
        for (unsigned k = 0; k < 8; k++)
            for (; pushed[k]; pushed[k]--)
                jk__builder_pop_style(r->b, 1u << k);
}

/* Whether events [from, to) hold text that shows. */
static bool log_shows(const evlog *l, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const ev *e = &l->evs[i];
        if (e->type == EV_CHAR)
            return true;
        if (e->type == EV_TEXT)
            for (size_t k = 0; k < e->size; k++)
                if (!is_blank((unsigned char)l->buf[e->data + k]))
                    return true;
    }
    return false;
}

/* ------------------------------------------------------------ text */

/* One character reference as written at [src, src + n) (md4c's entity,
 * or HTML's): decoded when jk__char_ref takes all of it (`whole`) or any
 * of it (HTML blocks); returns the bytes used, 0 when it is text. */
static size_t put_ref(rd *r, const char *s, size_t n, size_t src,
                      bool whole)
{
    char out[8];
    size_t k = 0;
    size_t took = jk__char_ref(s, n, out, &k);
    if (took == 0 || (whole && took != n))
        return 0;
    if (k == took) { /* same length: one character at a time, so that
                        the builder maps them all to the reference */
        for (size_t i = 0; i < k;) {
            uint32_t cp;
            size_t c = jk__utf8_decode((const unsigned char *)out + i, k - i,
                                       &cp);
            out_text(r, out + i, c, src, src + took);
            i += c;
        }
    } else {
        out_text(r, out, k, src, src + took);
    }
    return took;
}

/* The paragraph machines see each inline event. */
enum { IN_SPACE, IN_OTHER, IN_EM_ENTER, IN_EM_LEAVE, IN_IMG_ENTER,
       IN_IMG_LEAVE };

static void flush_para(rd *r);

/* Count what the paragraph shows, for the byline and caption lengths,
 * and watch for a date or a time. */
static void count_text(rd *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_blank(c)) {
            r->pending_space = r->chars > 0;
        } else if ((c & 0xC0) != 0x80) {
            r->chars += 1 + r->pending_space;
            r->pending_space = false;
        }
        memmove(r->win, r->win + 1, 4);
        r->win[4] = c;
        const unsigned char *w = r->win;
        if ((!is_digit(w[0]) && ((w[1] == '1' && w[2] == '9') ||
                                 (w[1] == '2' && w[2] == '0')) &&
             is_digit(w[3]) && is_digit(w[4])) ||
            (is_digit(w[1]) && w[2] == ':' && is_digit(w[3]) &&
             is_digit(w[4])))
            r->has_date = true;
    }
}

static void classify(rd *r, int what)
{
    if (!r->logging)
        return;
    switch (r->fig) {
    case F_START:
        r->fig = what == IN_SPACE ? F_START
                 : what == IN_IMG_ENTER ? F_IMG : F_NO;
        break;
    case F_IMG:
        if (what == IN_IMG_LEAVE)
            r->fig = F_AFTER;
        break;
    case F_AFTER:
        if (what == IN_EM_ENTER) {
            r->fig = F_EM;
            r->em_depth = r->span_depth;
            r->em_push = r->log.n;
            r->em_chars = r->chars;
        } else if (what != IN_SPACE) {
            r->fig = F_NO;
        }
        break;
    case F_EM:
        if (what == IN_EM_LEAVE && r->span_depth == r->em_depth) {
            r->fig = F_AFTER_EM;
            r->em_pop = r->log.n - 1; /* its pop is logged already */
        }
        break;
    case F_AFTER_EM:
        if (what != IN_SPACE)
            r->fig = F_NO;
        break;
    default:
        break;
    }
    if (r->may_caption) {
        switch (r->cap) {
        case K_START:
            if (what == IN_EM_ENTER) {
                r->cap = K_EM;
                r->em_depth = r->span_depth;
                r->em_push = r->log.n;
                r->em_chars = r->chars;
            } else if (what != IN_SPACE) {
                r->cap = K_NO;
            }
            break;
        case K_EM:
            if (what == IN_EM_LEAVE && r->span_depth == r->em_depth) {
                r->cap = K_AFTER;
                r->em_pop = r->log.n - 1;
            }
            break;
        case K_AFTER:
            if (what != IN_SPACE)
                r->cap = K_NO;
            break;
        default:
            break;
        }
        if (r->cap == K_NO)
            r->may_caption = false;
    }
    if ((r->fig == F_EM || r->cap == K_EM) &&
        r->chars - r->em_chars > CAPTION_MAX_CHARS) {
        if (r->fig == F_EM)
            r->fig = F_NO;
        r->may_caption = false;
    }
    if (r->chars > BYLINE_MAX_CHARS)
        r->may_byline = false;
    if (r->fig == F_NO && !r->may_caption && !r->may_byline)
        flush_para(r);
}

/* Text of a paragraph-like leaf (or an image inside one). */
static void para_text(rd *r, const char *s, size_t n, size_t src,
                      size_t src_end)
{
    if (r->img_depth > 0) {
        /* an image's text: its alt, and the text shown if it is inline */
        if (r->fig == F_IMG && r->logging) {
            if (!jk__grow(r->ctx, (void **)&r->alt, &r->alt_cap,
                          r->alt_size + n, 1)) {
                nomem(r);
                return;
            }
            memcpy(r->alt + r->alt_size, s, n);
            r->alt_size += n;
            if (src != NO_OFFSET && src < r->img_first)
                r->img_first = src;
            if (src_end != NO_OFFSET && src_end > r->img_last)
                r->img_last = src_end;
        }
        if (r->logging)
            count_text(r, s, n);
        out_text(r, s, n, src, src_end);
        return;
    }
    bool blank = true;
    for (size_t i = 0; i < n && blank; i++)
        blank = is_blank((unsigned char)s[i]);
    if (r->logging)
        count_text(r, s, n);
    /* the machines first: a flush then sends this text live */
    classify(r, blank ? IN_SPACE : IN_OTHER);
    out_text(r, s, n, src, src_end);
}

static bool para_leaf(const rd *r)
{
    return r->leaf == LEAF_PARA || r->leaf == LEAF_ITEM;
}

static void begin_para(rd *r);

/* Text for whatever leaf is open, with pending table separators and code
 * indentation first. */
static void leaf_text(rd *r, const char *s, size_t n, size_t src,
                      size_t src_end)
{
    if (r->st != JK_OK)
        return;
    if (r->leaf == LEAF_ITEM && !r->para_active)
        begin_para(r);
    if (r->leaf == LEAF_CELL && r->pending_seps) {
        bool shows = false;
        for (size_t i = 0; i < n && !shows; i++)
            shows = !is_blank((unsigned char)s[i]);
        if (!shows)
            return;
        for (; r->pending_seps; r->pending_seps--)
            out_text(r, "\xE2\x80\x83", 3, src, src);
    }
    if (r->leaf == LEAF_CELL) {
        bool shows = false;
        for (size_t i = 0; i < n && !shows; i++)
            shows = !is_blank((unsigned char)s[i]);
        r->row_has_text |= shows;
    }
    if (r->leaf == LEAF_CODE && r->pending_indent) {
        /* before the line's text, but not before the previous line's end
         * (tabs give more spaces than bytes) */
        size_t at = src >= r->pending_indent ? src - r->pending_indent : 0;
        if (at < r->text_from)
            at = r->text_from < src ? r->text_from : src;
        for (; r->pending_indent; r->pending_indent--)
            out_text(r, " ", 1, at, at < src ? at + 1 : at);
    }
    if (r->leaf == LEAF_HEADING && r->heading_first == SIZE_MAX &&
        src != NO_OFFSET)
        r->heading_first = src;
    if (para_leaf(r))
        para_text(r, s, n, src, src_end);
    else if (r->leaf != LEAF_NONE)
        out_text(r, s, n, src, src_end);
}

/* ------------------------------------------------------------ HTML */

static bool tag_is(const rd *r, const char *name)
{
    return strlen(name) == r->tag_len && !memcmp(r->tag, name, r->tag_len);
}

static unsigned tag_style(const rd *r)
{
    static const struct {
        const char *name;
        unsigned style;
    } styles[] = {
        {"b", JK_STYLE_BOLD},       {"strong", JK_STYLE_BOLD},
        {"i", JK_STYLE_ITALIC},     {"em", JK_STYLE_ITALIC},
        {"cite", JK_STYLE_ITALIC},  {"dfn", JK_STYLE_ITALIC},
        {"var", JK_STYLE_ITALIC},   {"code", JK_STYLE_CODE},
        {"kbd", JK_STYLE_CODE},     {"samp", JK_STYLE_CODE},
        {"tt", JK_STYLE_CODE},      {"sub", JK_STYLE_SUB},
        {"sup", JK_STYLE_SUP},      {"u", JK_STYLE_UNDERLINE},
        {"ins", JK_STYLE_UNDERLINE}, {"s", JK_STYLE_STRIKE},
        {"strike", JK_STYLE_STRIKE}, {"del", JK_STYLE_STRIKE},
    };
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
        if (tag_is(r, styles[i].name))
            return styles[i].style;
    return 0;
}

static bool tag_is_block(const rd *r)
{
    static const char *const blocks[] = {
        "address", "article", "aside", "blockquote", "caption", "center",
        "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    };
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (tag_is(r, blocks[i]))
            return true;
    return false;
}

/* A tag's meaning, inline or in an HTML block: styles, line breaks and,
 * in blocks, paragraph ends. */
static void tag_done(rd *r, bool in_block)
{
    unsigned style = tag_style(r);
    if (style) {
        unsigned k = style_bit(style);
        if (!r->tag_close) {
            r->html_styles[k]++;
            out_style(r, style, true);
        } else if (r->html_styles[k]) {
            r->html_styles[k]--;
            out_style(r, style, false);
        }
    } else if (tag_is(r, "br")) {
        if (para_leaf(r))
            classify(r, IN_OTHER);
        out_char(r, '\n', r->lt_off);
    } else if (in_block && tag_is_block(r)) {
        end_block(r);
    }
}

/* Undo the styles HTML set in this leaf. */
static void pop_html_styles(rd *r)
{
    for (unsigned k = 0; k < 8; k++)
        for (; r->html_styles[k]; r->html_styles[k]--)
            out_style(r, 1u << k, false);
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(unsigned char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* An HTML block's bytes s[0..n) at source offset src (exact): visible
 * text out, tags read, comments and script/style contents dropped. */
static void html_feed(rd *r, const char *s, size_t n, size_t src)
{
    size_t run = 0; /* start of a run of visible text in s */
    bool in_run = false;
#define FLUSH_RUN(upto)                                                      \
    do {                                                                     \
        if (in_run && (upto) > run)                                          \
            out_text(r, s + run, (upto) - run, src + run, src + (upto));     \
        in_run = false;                                                      \
    } while (0)
    for (size_t i = 0; i < n && r->st == JK_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (r->hs) {
        case H_TEXT:
            if (c == '<') {
                FLUSH_RUN(i);
                r->hs = H_LT;
                r->lt_off = src + i;
            } else if (c == '&') {
                FLUSH_RUN(i);
                size_t took = put_ref(r, s + i, n - i, src + i, false);
                if (took) {
                    i += took - 1;
                } else {
                    run = i;
                    in_run = true;
                }
            } else if (!in_run) {
                run = i;
                in_run = true;
            }
            break;
        case H_LT:
            r->tag_len = 0;
            r->tag_close = false;
            if (is_alpha(c)) {
                r->tag[r->tag_len++] = lower(c);
                r->hs = H_NAME;
            } else if (c == '/') {
                r->hs = H_END_START;
            } else if (c == '!') {
                r->hs = H_BANG;
            } else if (c == '?') {
                r->hs = H_BOGUS;
            } else { /* a '<' that opens nothing is text */
                out_text(r, "<", 1, r->lt_off, r->lt_off + 1);
                r->hs = H_TEXT;
                i--;
            }
            break;
        case H_END_START:
            r->tag_close = true;
            if (is_alpha(c)) {
                r->tag[r->tag_len++] = lower(c);
                r->hs = H_NAME;
            } else {
                r->hs = c == '>' ? H_TEXT : H_BOGUS;
            }
            break;
        case H_NAME:
            if (c == '>' || c == '/' || is_blank(c)) {
                r->hs = H_ATTRS;
                i--;
            } else if (r->tag_len < sizeof r->tag) {
                r->tag[r->tag_len++] = lower(c);
            } else {
                r->tag_len = sizeof r->tag; /* too long for a known name */
            }
            break;
        case H_ATTRS:
            if (c == '"') {
                r->hs = H_DQ;
            } else if (c == '\'') {
                r->hs = H_SQ;
            } else if (c == '>') {
                r->hs = H_TEXT;
                if (!r->tag_close && (tag_is(r, "script") ||
                                      tag_is(r, "style"))) {
                    memcpy(r->raw, r->tag, r->tag_len);
                    r->raw[r->tag_len] = '\0';
                    r->raw_match = 0;
                    r->hs = H_RAW;
                } else {
                    tag_done(r, true);
                }
            }
            break;
        case H_DQ:
            if (c == '"')
                r->hs = H_ATTRS;
            break;
        case H_SQ:
            if (c == '\'')
                r->hs = H_ATTRS;
            break;
        case H_BANG:
            r->hs = c == '-' ? H_BANG_DASH : c == '>' ? H_TEXT : H_BOGUS;
            break;
        case H_BANG_DASH:
            if (c == '-') {
                r->hs = H_COMMENT;
                r->dashes = 2; /* "<!-->" and "<!--->" end at once */
            } else {
                r->hs = c == '>' ? H_TEXT : H_BOGUS;
            }
            break;
        case H_COMMENT:
            if (c == '>' && r->dashes >= 2)
                r->hs = H_TEXT;
            else
                r->dashes = c == '-' ? r->dashes + 1 : 0;
            break;
        case H_BOGUS:
            if (c == '>')
                r->hs = H_TEXT;
            break;
        case H_RAW: {
            /* "</script" or "</style", then the end tag's attributes */
            size_t len = strlen(r->raw);
            if (r->raw_match == 0) {
                r->raw_match = c == '<';
            } else if (r->raw_match == 1) {
                r->raw_match = c == '/' ? 2 : c == '<';
            } else if (r->raw_match < len + 2) {
                r->raw_match = lower(c) == r->raw[r->raw_match - 2]
                                   ? r->raw_match + 1
                                   : c == '<';
            } else if (c == '>' || c == '/' || is_blank(c)) {
                memcpy(r->tag, r->raw, len);
                r->tag_len = len;
                r->tag_close = true;
                r->hs = H_ATTRS;
                i--;
            } else {
                r->raw_match = c == '<';
            }
            break;
        }
        default:
            break;
        }
    }
    FLUSH_RUN(n);
#undef FLUSH_RUN
}

/* An inline raw HTML piece (md4c gives each tag or comment whole, a line
 * at a time): dropped, but for <br> and the style tags. */
static void inline_html(rd *r, const char *s, size_t n, size_t src)
{
    if (n < 2 || s[0] != '<')
        return;
    size_t i = 1;
    r->tag_len = 0;
    r->tag_close = false;
    if (s[i] == '/') {
        r->tag_close = true;
        i++;
    }
    while (i < n && (is_alpha((unsigned char)s[i]) ||
                     (r->tag_len && is_digit((unsigned char)s[i])))) {
        if (r->tag_len < sizeof r->tag)
            r->tag[r->tag_len++] = lower((unsigned char)s[i]);
        else
            r->tag_len = sizeof r->tag + 1;
        i++;
    }
    if (r->tag_len == 0 || r->tag_len > sizeof r->tag)
        return;
    r->lt_off = src;
    tag_done(r, false);
}

/* ------------------------------------------------------------ paragraphs */

static void begin_para(rd *r)
{
    r->para_active = true;
    r->logging = true;
    r->fig = F_START;
    r->cap = K_START;
    r->may_caption = r->want_caption && r->want_frames == r->frame_count &&
                     r->leaf == LEAF_PARA;
    r->want_caption = false;
    r->may_byline = r->after_title && r->leaf == LEAF_PARA &&
                    r->quote_depth == 0 && r->list_depth == 0;
    r->chars = 0;
    r->pending_space = false;
    memset(r->win, 0, sizeof r->win);
    r->has_date = false;
    r->para_from = r->cursor;
    r->alt_size = 0;
    r->src_size = 0;
    r->has_title = false;
    r->title_open = SIZE_MAX;
    r->img_first = SIZE_MAX;
    r->img_last = 0;
    r->em_push = r->em_pop = SIZE_MAX;
}

/* The paragraph is an ordinary one after all: what was logged goes to
 * the builder, the rest follows live. */
static void flush_para(rd *r)
{
    if (!r->logging)
        return;
    r->logging = false;
    r->fig = F_NO;
    r->may_caption = r->may_byline = false;
    if (r->log.n && log_shows(&r->log, 0, r->log.n)) {
        if (ensure_block(r) == JK_OK)
            replay(r, &r->log, 0, r->log.n, SIZE_MAX, SIZE_MAX, r->cursor,
                   false);
    } else if (r->log.n) {
        /* only styles and links so far: they still apply */
        for (size_t i = 0; i < r->log.n; i++) {
            const ev *e = &r->log.evs[i];
            if (e->type == EV_PUSH)
                jk__builder_push_style(r->b, e->value);
            else if (e->type == EV_POP)
                jk__builder_pop_style(r->b, e->value);
            else if (e->type == EV_LINK && ensure_block(r) == JK_OK)
                take(r, jk__builder_link_begin(r->b, r->log.buf + e->data,
                                               e->size));
            else if (e->type == EV_LINK_END)
                jk__builder_link_end(r->b);
        }
    }
    r->log.n = r->log.len = 0;
}

/* The end of the line holding `from`, before its trailing blanks. */
static size_t line_end_from(const rd *r, size_t from)
{
    size_t p = from;
    while (p < r->size && !is_newline((unsigned char)r->in[p]))
        p++;
    while (p > from && (r->in[p - 1] == ' ' || r->in[p - 1] == '\t'))
        p--;
    return p;
}

/* The figure of a paragraph holding only an image, and its caption. */
static void emit_figure(rd *r)
{
    size_t lo = r->para_from;
    size_t start = r->img_first;
    if (start == SIZE_MAX) {
        /* nothing of it known: the first "![" after the paragraph's
         * start */
        start = lo;
        while (start + 1 < r->size &&
               !(r->in[start] == '!' && r->in[start + 1] == '['))
            start++;
        if (start + 1 >= r->size)
            start = lo;
    } else {
        size_t p = start;
        while (p > lo && !(r->in[p - 1] == '!' && r->in[p] == '['))
            p--;
        if (p > lo)
            start = p - 1;
    }
    size_t last = r->img_last > start ? r->img_last : start;
    size_t end = line_end_from(r, last);
    if (r->title_open != SIZE_MAX && r->title_open >= start &&
        r->title_open < end) {
        end = r->title_open; /* the caption's bytes follow */
        while (end > start && is_blank((unsigned char)r->in[end - 1]))
            end--;
    }
    if (end > r->size)
        end = r->size;
    jk__figure_src f;
    memset(&f, 0, sizeof f);
    f.status = JK_IMAGE_OK;
    f.alt = r->alt;
    f.alt_size = r->alt_size;
    f.src = r->src;
    f.src_size = r->src_size;
    f.start = start;
    f.end = end;
    f.quote_depth = (uint8_t)(r->quote_depth > 255 ? 255 : r->quote_depth);
    f.list_depth = (uint8_t)(r->list_depth > 255 ? 255 : r->list_depth);
    r->block_serial++;
    r->after_title = false;
    if (take(r, jk__builder_figure(r->b, &f)) != JK_OK)
        return;
    advance(r, end);

    bool em = r->fig == F_AFTER_EM;
    if (r->has_title) {
        if (begin(r, JK_BLOCK_CAPTION, false, false, false, 0) != JK_OK)
            return;
        replay(r, &r->cap_log, 0, r->cap_log.n, SIZE_MAX, SIZE_MAX, end,
               true);
        end_block(r);
        if (em) { /* the emphasised line, a paragraph of its own */
            if (ensure_block(r) == JK_OK)
                replay(r, &r->log, r->em_push, r->em_pop + 1, SIZE_MAX,
                       SIZE_MAX, r->cursor, true);
            end_block(r);
        }
    } else if (em) {
        if (begin(r, JK_BLOCK_CAPTION, false, false, false, 0) != JK_OK)
            return;
        replay(r, &r->log, r->em_push, r->em_pop + 1, r->em_push, r->em_pop,
               r->cursor, true);
        end_block(r);
    } else {
        r->want_caption = true;
        r->want_frames = r->frame_count;
    }
}

static void end_para(rd *r)
{
    if (!r->para_active)
        return;
    pop_html_styles(r);
    if (r->logging && r->st == JK_OK) {
        if (r->fig == F_AFTER || r->fig == F_AFTER_EM) {
            r->logging = false;
            emit_figure(r);
        } else if (r->may_caption && r->cap == K_AFTER &&
                   log_shows(&r->log, r->em_push, r->em_pop)) {
            r->logging = false;
            if (begin(r, JK_BLOCK_CAPTION, false, false, false, 0) == JK_OK)
                replay(r, &r->log, r->em_push, r->em_pop + 1, r->em_push,
                       r->em_pop, r->cursor, true);
        } else if (r->may_byline && r->has_date && r->chars > 0 &&
                   r->chars <= BYLINE_MAX_CHARS) {
            r->logging = false;
            if (begin(r, JK_BLOCK_BYLINE, false, false, false, 0) == JK_OK)
                replay(r, &r->log, 0, r->log.n, SIZE_MAX, SIZE_MAX,
                       r->cursor, false);
        } else {
            flush_para(r);
        }
    }
    end_block(r);
    r->logging = false;
    r->para_active = false;
    r->log.n = r->log.len = 0;
    r->cap_log.n = r->cap_log.len = 0;
    r->span_depth = r->img_depth = 0;
    r->html_cont = false;
}

/* End whatever leaf is open. */
static void end_leaf(rd *r)
{
    if (para_leaf(r)) {
        end_para(r);
    } else {
        pop_html_styles(r);
        end_block(r);
    }
    r->leaf = LEAF_NONE;
}

/* ------------------------------------------------------------ attributes */

/* An attribute (href, src) as UTF-8 with its references decoded, into a
 * new string of the context's. */
static char *attr_string(rd *r, const MD_ATTRIBUTE *a, size_t *size)
{
    char *out = jk__malloc(r->ctx, (size_t)a->size * 3 + 1);
    if (!out) {
        nomem(r);
        return NULL;
    }
    size_t n = 0;
    for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
        const char *s = a->text + a->substr_offsets[i];
        size_t len = a->substr_offsets[i + 1] - a->substr_offsets[i];
        char dec[8];
        size_t k;
        if (a->substr_types[i] == MD_TEXT_ENTITY &&
            jk__char_ref(s, len, dec, &k) == len) {
            memcpy(out + n, dec, k);
            n += k;
        } else if (a->substr_types[i] == MD_TEXT_NULLCHAR) {
            memcpy(out + n, "\xEF\xBF\xBD", 3);
            n += 3;
        } else {
            memcpy(out + n, s, len);
            n += len;
        }
    }
    out[n] = '\0';
    *size = n;
    return out;
}

/* Where each byte of the image's title is in the source: directly when
 * md4c points into it; else (md4c unescaped it into its own buffer) by
 * walking the source from the title's opening delimiter after the src,
 * which must give back the same bytes. Writes pos[0..size) or returns
 * false. */
static bool title_positions(const rd *r, const MD_SPAN_IMG_DETAIL *d,
                            uint32_t *pos)
{
    const MD_ATTRIBUTE *t = &d->title;
    if (in_input(r, t->text) &&
        t->size <= r->size - (size_t)(t->text - r->in)) {
        size_t at = (size_t)(t->text - r->in);
        for (size_t k = 0; k < t->size; k++)
            pos[k] = (uint32_t)(at + k);
        return true;
    }
    if (!d->src.size || !in_input(r, d->src.text))
        return false;
    size_t p = (size_t)(d->src.text - r->in) + d->src.size;
    if (p < r->size && r->in[p] == '>')
        p++;
    while (p < r->size && is_blank((unsigned char)r->in[p]))
        p++;
    if (p >= r->size ||
        (r->in[p] != '"' && r->in[p] != '\'' && r->in[p] != '('))
        return false;
    p++;
    for (size_t k = 0; k < t->size; k++, p++) {
        if (p < r->size && r->in[p] == '\\' && p + 1 < r->size &&
            (is_punct((unsigned char)r->in[p + 1]) ||
             is_newline((unsigned char)r->in[p + 1])))
            p++;
        if (p >= r->size || r->in[p] != t->text[k])
            return false;
        pos[k] = (uint32_t)p;
    }
    return true;
}

/* The title of a figure candidate's image, as the caption's events. */
static void take_title(rd *r, const MD_SPAN_IMG_DETAIL *d)
{
    const MD_ATTRIBUTE *t = &d->title;
    if (!t->size)
        return;
    uint32_t *pos = jk__realloc_array(r->ctx, NULL, t->size, sizeof *pos);
    if (!pos) {
        nomem(r);
        return;
    }
    bool known = title_positions(r, d, pos);
    r->has_title = true;
    /* the log's output functions write r->log: swap the caption's in */
    evlog keep = r->log;
    r->log = r->cap_log;
    bool was = r->logging;
    r->logging = true;
    for (unsigned i = 0; t->substr_offsets[i] < t->size && r->st == JK_OK;
         i++) {
        size_t o = t->substr_offsets[i], e = t->substr_offsets[i + 1];
        const char *s = t->text + o;
        size_t src = known ? pos[o] : NO_OFFSET;
        if (t->substr_types[i] == MD_TEXT_NULLCHAR) {
            out_char(r, 0xFFFD, src);
        } else if (t->substr_types[i] == MD_TEXT_ENTITY &&
                   put_ref(r, s, e - o, src, true)) {
            /* decoded */
        } else if (!known) {
            out_text(r, s, e - o, NO_OFFSET, NO_OFFSET);
        } else { /* runs of bytes that are contiguous in the source */
            size_t k = o;
            while (k < e) {
                size_t j = k + 1;
                while (j < e && pos[j] == pos[j - 1] + 1)
                    j++;
                out_text(r, t->text + k, j - k, pos[k], pos[j - 1] + 1);
                k = j;
            }
        }
    }
    r->cap_log = r->log;
    r->log = keep;
    r->logging = was;
    if (known) {
        r->title_open = pos[0] ? pos[0] - 1 : 0;
        if (pos[t->size - 1] + 1 > r->img_last)
            r->img_last = pos[t->size - 1] + 1;
    }
    jk__free(r->ctx, pos);
}

/* ------------------------------------------------------------ md4c */

static frame *push_frame(rd *r, uint8_t type)
{
    if (!jk__grow(r->ctx, (void **)&r->frames, &r->frame_cap,
                  r->frame_count + 1, sizeof *r->frames)) {
        nomem(r);
        return NULL;
    }
    frame *f = &r->frames[r->frame_count++];
    f->type = type;
    f->next = 1;
    return f;
}

static size_t put_number(uint64_t v, char *out)
{
    char tmp[24];
    size_t n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* The marker of a new item of the innermost list; its source is the
 * list marker before the item's text (found when the text comes). */
static void make_marker(rd *r, const MD_BLOCK_LI_DETAIL *li)
{
    const frame *list = r->frame_count ? &r->frames[r->frame_count - 1]
                                       : NULL;
    size_t n = 0;
    bool task = li && li->is_task;
    bool done = task && (li->task_mark == 'x' || li->task_mark == 'X');
    if (list && list->type == C_OL) {
        n = put_number(list->next, r->marker);
        r->marker[n++] = '.';
        if (task)
            r->marker[n++] = ' ';
    }
    if (task) {
        memcpy(r->marker + n, done ? "\xE2\x98\x91" : "\xE2\x98\x90", 3);
        n += 3;
    } else if (!list || list->type == C_UL) {
        const char *b = r->list_depth <= 1   ? "\xE2\x80\xA2"  /* • */
                        : r->list_depth == 2 ? "\xE2\x97\xA6"  /* ◦ */
                                             : "\xE2\x96\xAA"; /* ▪ */
        memcpy(r->marker + n, b, 3);
        n += 3;
    }
    r->marker_size = n;
    r->marker_frame = r->frame_count; /* the LI frame, pushed next */
    /* the marker stands for the source's: the first non-blank byte after
     * the cursor (a task's box for a task item) */
    size_t p = r->cursor;
    if (task && li->task_mark_offset > 0 &&
        r->base + li->task_mark_offset < r->size)
        p = r->base + li->task_mark_offset - 1;
    else
        while (p < r->size && (is_blank((unsigned char)r->in[p]) ||
                               r->in[p] == '>'))
            p++;
    r->marker_source = p < r->size ? p : r->cursor;
}

/* A thematic break's first byte: on the first line at or after the
 * cursor ending in three or more of one of - * _ (with blanks), after
 * container markup only. */
static size_t find_break(rd *r, size_t *end)
{
    size_t ls = r->cursor;
    while (ls < r->size && ls < r->hr_none) {
        size_t le = ls;
        while (le < r->size && !is_newline((unsigned char)r->in[le]))
            le++;
        size_t e = le;
        while (e > ls && (r->in[e - 1] == ' ' || r->in[e - 1] == '\t'))
            e--;
        if (e > ls) {
            char c = r->in[e - 1];
            if (c == '-' || c == '*' || c == '_') {
                size_t s = e, count = 0;
                while (s > ls && (r->in[s - 1] == c || r->in[s - 1] == ' ' ||
                                  r->in[s - 1] == '\t'))
                    count += r->in[--s] == c;
                bool prefix = true;
                for (size_t k = ls; k < s && prefix; k++)
                    prefix = r->in[k] &&
                             strchr(" \t>-+*.)0123456789", r->in[k]);
                if (count >= 3 && prefix) {
                    while (r->in[s] != c)
                        s++;
                    *end = e;
                    return s;
                }
            }
        }
        ls = le + 1;
    }
    if (r->cursor < r->hr_none)
        r->hr_none = r->cursor; /* (never, if md4c and this agree) */
    *end = r->cursor;
    return r->cursor;
}

static void emit_rule(rd *r)
{
    size_t end;
    size_t at = find_break(r, &end);
    if (begin(r, JK_BLOCK_RULE, false, false, false, 0) != JK_OK)
        return;
    take(r, jk__builder_text(r->b, "\xE2\x80\x95", 3, at, end > at ? end
                                                                  : at + 1));
    end_block(r);
    advance(r, end);
}

/* After a setext heading the cursor skips its underline, which is not a
 * thematic break. */
static void skip_setext(rd *r)
{
    if (r->heading_first == SIZE_MAX)
        return;
    size_t p = r->heading_first;
    while (p > r->base && !is_newline((unsigned char)r->in[p - 1]))
        p--; /* to the line's start (after a BOM on the first) */
    /* container markup: quote markers, list markers and blanks */
    for (;;) {
        while (p < r->size && (r->in[p] == ' ' || r->in[p] == '\t' ||
                               r->in[p] == '>'))
            p++;
        size_t q = p;
        while (q < r->size && is_digit((unsigned char)r->in[q]))
            q++;
        if (q > p && q < r->size && (r->in[q] == '.' || r->in[q] == ')'))
            q++;
        else if (q == p && q < r->size && strchr("-+*", r->in[q]) && r->in[q])
            q++;
        if (q > p && q < r->size && (r->in[q] == ' ' || r->in[q] == '\t'))
            p = q;
        else
            break;
    }
    size_t h = 0;
    while (p + h < r->size && r->in[p + h] == '#')
        h++;
    if (h >= 1 && h <= 6 &&
        (p + h >= r->size || is_blank((unsigned char)r->in[p + h])))
        return; /* ATX */
    take_line_end(r); /* the heading's last line */
    take_line_end(r); /* the underline */
}

static void start_leaf(rd *r, int leaf)
{
    if (r->leaf != LEAF_NONE)
        end_leaf(r);
    r->leaf = leaf;
    r->span_depth = r->img_depth = 0;
    r->html_cont = false;
    if (leaf != LEAF_PARA && leaf != LEAF_ITEM)
        r->want_caption = false;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    rd *r = user;
    if (r->st != JK_OK)
        return 1;
    if (r->leaf == LEAF_ITEM) /* a tight item's text ends here */
        end_leaf(r);
    switch (type) {
    case MD_BLOCK_QUOTE:
        r->want_caption = false;
        if (push_frame(r, C_QUOTE))
            r->quote_depth++;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: {
        r->want_caption = false;
        frame *f = push_frame(r, type == MD_BLOCK_UL ? C_UL : C_OL);
        if (f) {
            r->list_depth++;
            if (type == MD_BLOCK_OL)
                f->next = ((MD_BLOCK_OL_DETAIL *)detail)->start;
        }
        break;
    }
    case MD_BLOCK_LI:
        r->want_caption = false;
        make_marker(r, detail);
        if (r->frame_count && r->frames[r->frame_count - 1].type == C_OL)
            r->frames[r->frame_count - 1].next++;
        if (push_frame(r, C_LI))
            start_leaf(r, LEAF_ITEM);
        break;
    case MD_BLOCK_HR:
        start_leaf(r, LEAF_NONE);
        emit_rule(r);
        break;
    case MD_BLOCK_H:
        start_leaf(r, LEAF_HEADING);
        r->heading_level = ((MD_BLOCK_H_DETAIL *)detail)->level;
        r->heading_first = SIZE_MAX;
        break;
    case MD_BLOCK_CODE:
        start_leaf(r, LEAF_CODE);
        r->pending_indent = 0;
        break;
    case MD_BLOCK_HTML:
        start_leaf(r, LEAF_HTML);
        r->hs = H_TEXT;
        break;
    case MD_BLOCK_P:
        start_leaf(r, LEAF_PARA);
        begin_para(r);
        break;
    case MD_BLOCK_TABLE:
        start_leaf(r, LEAF_NONE);
        break;
    case MD_BLOCK_THEAD:
        r->in_head = true;
        break;
    case MD_BLOCK_TBODY:
        r->in_head = false;
        break;
    case MD_BLOCK_TR:
        end_block(r);
        r->cell = 0;
        r->pending_seps = 0;
        r->row_has_text = false;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (r->cell++ > 0)
            r->pending_seps++;
        r->leaf = LEAF_CELL;
        r->span_depth = r->img_depth = 0;
        r->html_cont = false;
        break;
    default:
        break;
    }
    return r->st != JK_OK;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    rd *r = user;
    (void)detail;
    if (r->st != JK_OK)
        return 1;
    switch (type) {
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (r->leaf != LEAF_NONE)
            end_leaf(r);
        r->want_caption = false;
        if (r->frame_count)
            r->frame_count--;
        if (type == MD_BLOCK_QUOTE)
            r->quote_depth--;
        else
            r->list_depth--;
        break;
    case MD_BLOCK_LI:
        if (r->leaf != LEAF_NONE)
            end_leaf(r);
        r->want_caption = false;
        if (r->frame_count)
            r->frame_count--;
        if (r->marker_frame >= r->frame_count)
            r->marker_frame = SIZE_MAX; /* an item with no text */
        break;
    case MD_BLOCK_H:
        end_leaf(r);
        skip_setext(r);
        break;
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
        end_leaf(r);
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        pop_html_styles(r);
        r->leaf = LEAF_NONE;
        break;
    case MD_BLOCK_TR:
        end_block(r);
        r->pending_seps = 0;
        break;
    default:
        break;
    }
    /* back in a tight item: its text may go on after the child (not
     * inside a table, whose rows are no containers here) */
    bool child = type == MD_BLOCK_QUOTE || type == MD_BLOCK_UL ||
                 type == MD_BLOCK_OL || type == MD_BLOCK_H ||
                 type == MD_BLOCK_CODE || type == MD_BLOCK_HTML ||
                 type == MD_BLOCK_P || type == MD_BLOCK_TABLE ||
                 type == MD_BLOCK_HR;
    if (child && in_item(r) && r->leaf == LEAF_NONE)
        r->leaf = LEAF_ITEM;
    return r->st != JK_OK;
}

static unsigned span_style(MD_SPANTYPE type)
{
    switch (type) {
    case MD_SPAN_EM: return JK_STYLE_ITALIC;
    case MD_SPAN_STRONG: return JK_STYLE_BOLD;
    case MD_SPAN_CODE: return JK_STYLE_CODE;
    case MD_SPAN_DEL: return JK_STYLE_STRIKE;
    case MD_SPAN_U: return JK_STYLE_UNDERLINE;
    default: return 0;
    }
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    rd *r = user;
    if (r->st != JK_OK)
        return 1;
    if (r->leaf == LEAF_ITEM && !r->para_active)
        begin_para(r);
    r->html_cont = false;
    bool para = para_leaf(r);
    if (r->img_depth > 0) { /* inside an image: its text only */
        if (type == MD_SPAN_IMG)
            r->img_depth++;
        return 0;
    }
    if (type == MD_SPAN_IMG) {
        if (para)
            classify(r, IN_IMG_ENTER);
        r->img_depth = 1;
        if (para && r->fig == F_IMG && r->logging) {
            const MD_SPAN_IMG_DETAIL *d = detail;
            jk__free(r->ctx, r->src);
            r->src = attr_string(r, &d->src, &r->src_size);
            if (d->src.size && in_input(r, d->src.text)) {
                size_t at = (size_t)(d->src.text - r->in);
                if (at < r->img_first)
                    r->img_first = at;
                if (at + d->src.size > r->img_last)
                    r->img_last = at + d->src.size;
            }
            take_title(r, d);
        }
        return r->st != JK_OK;
    }
    if (para)
        classify(r, type == MD_SPAN_EM ? IN_EM_ENTER : IN_OTHER);
    r->span_depth++;
    if (type == MD_SPAN_A) {
        size_t n = 0;
        char *href = attr_string(r, &((MD_SPAN_A_DETAIL *)detail)->href, &n);
        if (href)
            out_link(r, href, n);
        jk__free(r->ctx, href);
    } else {
        unsigned style = span_style(type);
        if (style)
            out_style(r, style, true);
    }
    return r->st != JK_OK;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    rd *r = user;
    (void)detail;
    if (r->st != JK_OK)
        return 1;
    r->html_cont = false;
    bool para = para_leaf(r);
    if (r->img_depth > 0) {
        if (type == MD_SPAN_IMG && --r->img_depth == 0 && para)
            classify(r, IN_IMG_LEAVE);
        return r->st != JK_OK;
    }
    if (type == MD_SPAN_A) {
        out_link_end(r);
    } else {
        unsigned style = span_style(type);
        if (style)
            out_style(r, style, false);
    }
    if (r->span_depth)
        r->span_depth--;
    if (para)
        classify(r, type == MD_SPAN_EM ? IN_EM_LEAVE : IN_OTHER);
    return r->st != JK_OK;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user)
{
    rd *r = user;
    if (r->st != JK_OK)
        return 1;
    /* text from the input is cut at its end (see jk__read_markdown) */
    uintptr_t at = (uintptr_t)s, in = (uintptr_t)r->in;
    if (at >= in && at - in < r->size + MD4C_PAD) {
        if (at - in >= r->size)
            return 0;
        if (n > r->size - (at - in))
            n = (MD_SIZE)(r->size - (at - in));
    }
    bool exact = in_input(r, s) && n <= r->size - (size_t)(s - r->in);
    size_t src = exact ? (size_t)(s - r->in) : NO_OFFSET;
    r->text_from = r->cursor;
    if (exact)
        advance(r, src + n);
    bool html_piece = type == MD_TEXT_HTML;
    if (!html_piece)
        r->html_cont = false;
    switch (type) {
    case MD_TEXT_NULLCHAR: {
        size_t at = take_nul(r);
        if (r->leaf == LEAF_HTML && r->hs != H_TEXT)
            break;
        leaf_text(r, "\xEF\xBF\xBD", 3, at, at + 1);
        break;
    }
    case MD_TEXT_BR: {
        size_t at = take_line_end(r);
        if (r->img_depth > 0) {
            leaf_text(r, " ", 1, at, at + 1);
        } else {
            if (r->leaf == LEAF_ITEM && !r->para_active)
                begin_para(r);
            if (para_leaf(r))
                classify(r, IN_OTHER);
            if (r->leaf != LEAF_NONE)
                out_char(r, '\n', at);
        }
        break;
    }
    case MD_TEXT_SOFTBR: {
        size_t at = take_line_end(r);
        leaf_text(r, " ", 1, at, at + 1);
        break;
    }
    case MD_TEXT_ENTITY:
        if (!exact) {
            leaf_text(r, s, n, r->cursor, r->cursor);
            break;
        }
        if (r->leaf == LEAF_ITEM && !r->para_active)
            begin_para(r);
        {
            /* decoded through the same path as text, so the paragraph
             * machines and table separators see it */
            char out[8];
            size_t k = 0;
            size_t took = jk__char_ref(s, n, out, &k);
            if (took != n || k == 0) {
                leaf_text(r, s, n, src, src + n);
            } else if (k == n) {
                for (size_t i = 0; i < k;) {
                    uint32_t cp;
                    size_t c = jk__utf8_decode(
                        (const unsigned char *)out + i, k - i, &cp);
                    leaf_text(r, out + i, c, src, src + n);
                    i += c;
                }
            } else {
                leaf_text(r, out, k, src, src + n);
            }
        }
        break;
    case MD_TEXT_HTML:
        if (r->leaf == LEAF_HTML) {
            if (exact) {
                html_feed(r, s, n, src);
            } else if (n == 1 && s[0] == '\n') {
                size_t at = take_line_end(r);
                html_feed(r, "\n", 1, at);
            } else {
                size_t at = r->cursor;
                /* md4c's own blanks (indentation): at the cursor */
                for (size_t i = 0; i < n; i++)
                    if (r->hs == H_TEXT)
                        out_text(r, " ", 1, at, at);
            }
        } else if (r->leaf != LEAF_NONE) {
            if (!exact) { /* the line end inside a multi-line tag */
                if (n == 1 && s[0] == '\n')
                    take_line_end(r);
                r->html_cont = true;
                break;
            }
            if (r->html_cont) { /* the tag's next line */
                r->html_cont = false;
                break;
            }
            if (r->leaf == LEAF_ITEM && !r->para_active)
                begin_para(r);
            if (para_leaf(r))
                classify(r, IN_SPACE);
            inline_html(r, s, n, src);
        }
        break;
    default: /* NORMAL, CODE, LATEXMATH */
        if (exact) {
            leaf_text(r, s, n, src, src + n);
        } else if (r->leaf == LEAF_CODE && n == 1 && s[0] == '\n') {
            size_t at = take_line_end(r);
            r->pending_indent = 0;
            leaf_text(r, "\n", 1, at, at + 1);
        } else if (r->leaf == LEAF_CODE) {
            r->pending_indent += n; /* spaces of md4c's own */
        } else if (n == 1 && s[0] == ' ') {
            /* a line end inside a code span */
            size_t at = take_line_end(r);
            leaf_text(r, " ", 1, at, at + 1);
        } else {
            leaf_text(r, s, n, r->cursor, r->cursor);
        }
        break;
    }
    return r->st != JK_OK;
}

jk_status jk__read_markdown(jk_document *doc, const char *bytes, size_t size,
                            const jk_read_options *options)
{
    jk_context *ctx = doc->ctx;
    if (size > JK__MAX_SOURCE_BYTES)
        return jk__fail(ctx, JK_ERR_LIMIT, "text larger than %u bytes",
                        JK__MAX_SOURCE_BYTES);
    /* md4c 0.4.8 reads a byte or two past the end of its input on some
     * malformed text (valgrind sees it on fuzzed tables), and the text it
     * then hands back can run past the end. So it parses a copy with zeros
     * after it, and on_text cuts off whatever lies past the end. */
    char *copy = jk__malloc(ctx, size + MD4C_PAD);
    if (!copy)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading Markdown");
    memcpy(copy, bytes, size);
    memset(copy + size, 0, MD4C_PAD);
    bytes = copy;
    rd r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.in = bytes;
    r.size = size;
    r.nl_none = r.nul_none = r.hr_none = SIZE_MAX;
    r.marker_frame = SIZE_MAX;
    r.b = jk__builder_create(doc, options);
    if (!r.b) {
        jk__free(ctx, copy);
        return JK_ERR_NOMEM;
    }
    /* a BOM is not text */
    if (size >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
        r.cursor = r.base = 3;
    MD_PARSER p;
    memset(&p, 0, sizeof p);
    p.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
    p.enter_block = enter_block;
    p.leave_block = leave_block;
    p.enter_span = enter_span;
    p.leave_span = leave_span;
    p.text = on_text;
    const char *text = bytes + r.cursor;
    int rc = md_parse(text, (MD_SIZE)(size - r.cursor), &p, &r);
    if (rc != 0 && r.st == JK_OK)
        r.st = jk__fail(ctx, JK_ERR_NOMEM, "markdown: out of memory (md4c)");
    if (r.leaf != LEAF_NONE && r.st == JK_OK)
        end_leaf(&r);
    jk_status st = jk__builder_finish(r.b);
    if (r.st == JK_OK)
        r.st = st;
    log_clear(&r, &r.log);
    log_clear(&r, &r.cap_log);
    jk__free(ctx, r.frames);
    jk__free(ctx, r.src);
    jk__free(ctx, r.alt);
    jk__free(ctx, copy);
    return r.st;
}

#endif
