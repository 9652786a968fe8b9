/* The HTML reader (reader.h): HTML5 parsed by gumbo into a tree, the tree
 * walked into blocks through the builder (builder.h).
 *
 * The rules (README, "How the HTML reader reads an article"):
 *
 * - Parsing: HTML5 as a browser parses it (gumbo 0.10): unclosed and
 *   misnested tags, character references (&amp; &#xE9; &nbsp; ...). Every
 *   character keeps the source byte offset it was written at: a decoded
 *   reference maps to its '&', a CR LF to its CR, a U+FFFD to the byte or
 *   bytes it replaces (invalid UTF-8, control characters, a NUL in raw
 *   text); a NUL in text is dropped. A leading BOM is ignored. Offsets
 *   never go back: each block starts at or after the previous one's end;
 *   text the parser puts before what precedes it in the source (moved out
 *   of a table, or by the adoption agency) takes the offset where that
 *   ended (and a line break there is a space). Framesets are not read as
 *   such (their tags are ignored): the article is the text.
 * - What is read: the first <article> element where the page has one,
 *   else the first <main>, else the <body>. Site navigation, related
 *   links and footers outside it are left out.
 * - Left out everywhere: script, style, noscript, template, the head (but
 *   its title, below), comments, form controls (form, input, select,
 *   option, optgroup, datalist, textarea, button; a form that holds the
 *   article's first h1, a page wrapped in one form, is read, its controls
 *   still not), embedded content (iframe, object, embed, applet, video,
 *   audio, canvas), svg and math, rp, and any element with the hidden
 *   attribute, aria-hidden="true" or an inline style display: none.
 * - Title: the first h1 is the TITLE block; later h1 are HEADING blocks of
 *   level 1. With no h1, the <title>, when it comes before the article,
 *   is a TITLE block first.
 * - Byline: before the first block of body text (a paragraph, quote, list
 *   item, code block or table row), the first <time> element or the first
 *   element whose class contains "byline" or "author" (ASCII case aside;
 *   one that holds no heading) is one BYLINE block of its whole text.
 * - Headings: h2-h6 are HEADING blocks of their level.
 * - Paragraphs: p, and text directly inside block containers (div,
 *   section, article, header, footer, main, aside, nav, address, center,
 *   details, summary, dl, dt, dd, fieldset, legend, hgroup), are
 *   PARAGRAPH blocks. White space collapses as in HTML; br is a line break
 *   inside the block; &nbsp; stays a no-break space (U+00A0).
 * - Rules: hr is a RULE block holding one U+2015 at the hr's offset.
 * - Quotes: everything inside a blockquote has quote depth + 1; its
 *   paragraphs are QUOTE blocks.
 * - Lists: ul and ol (menu and dir as ul) nest: everything inside has list
 *   depth + 1. The first block of each li carries its marker: in a ul "•"
 *   at depth 1, "◦" at 2, "▪" deeper; in an ol "N." counting from start
 *   (reversed: from the number of items, downwards), an li's value
 *   resetting the count, in the ol's type 1, a, A, i or I (letters from 1,
 *   roman numerals 1-3999, decimal otherwise). An item's paragraphs are
 *   LIST blocks; its later blocks have no marker; a list nested before the
 *   item's own text takes the place of the item's marker. An li outside
 *   a list is an item of depth 1.
 * - Code: pre (and listing, xmp, plaintext) is a CODE block, preformatted:
 *   spaces, tabs and line ends kept (the parser drops a newline right
 *   after <pre>). code, kbd, samp and tt are inline code (JK_STYLE_CODE)
 *   outside pre.
 * - Inline styles: em, i, cite, dfn, var italic; strong, b and th bold; u,
 *   ins underlined; s, del, strike struck out; sub and sup. An a with an
 *   href is a link to it (the href trimmed; the URL is never set as
 *   text); white space at a styled element's or link's edges stays out of
 *   it.
 * - Figures: a figure holding an img is a FIGURE block made from its first
 *   img, where that img is (its src, or data-src when src is empty; its
 *   alt; the img tag's source range); its figcaption is a CAPTION block,
 *   before or after it as the source has it; other images in that figure
 *   are left out. An img alone in a p or div (maybe inside an a, span or
 *   picture), or a direct child of the body, article or main, is a figure
 *   of its own. Any other img is inline: its alt text, at the img tag. An
 *   image that cannot be had is a placeholder holding its alt text (the
 *   builder's), not an error.
 * - Tables: each row (tr) is a TABLE block: its cells' texts one after
 *   another, U+2003 EM SPACE before each cell but the first, at the
 *   start of the next cell with text (so the separators before a cell
 *   count its column; empty cells at a row's end add nothing; a table
 *   nested in a cell adds its cells to the row); a row in thead, or made
 *   of th cells only, is
 *   a header row. A caption is a CAPTION block before the rows. Inside a
 *   row, block elements and nested tables run inline, and br is a space.
 * - Ruby: the base text, then each annotation in parentheses at the rt's
 *   start and end: 漢字<rp>(</rp><rt>한자</rt><rp>)</rp> is 漢字(한자).
 * - Everything else (span, time, abbr, mark, small, q, label, custom
 *   elements) gives its text in the current block.
 *
 * Pathological input stays linear in time and bounded in memory. gumbo is
 * quadratic in nesting depth (40,000 nested div: 1.7 s) and in a tag's
 * attributes, and HTML reopens the formatting elements left open in every
 * following paragraph (<p><b id=1>x<p><b id=2>x...: 10,000 of them took
 * 39 s and 12.8 GB). So before gumbo sees the input, one linear pass over
 * a copy of it follows the HTML tree builder's stack of open elements and
 * list of active formatting elements (what closes what, scopes, foreign
 * content and its integration points, select, tables, templates; when in
 * doubt, counting an element open rather than closed) and blanks tags:
 * overwrites them with spaces, the same length, so offsets stand. It
 * blanks start tags past a nesting depth of 256 open elements
 * (NESTING_CAP) and the end tags that match them by name; formatting start
 * tags past 64 in the formatting list (FORMATTING_CAP); attributes past the
 * 64th of a tag (ATTRIBUTE_CAP); <html>, <head> and <body> tags after the
 * first (they merge attributes, quadratically); frameset and frame tags;
 * and, once more formatting elements would have been reopened than 1024 +
 * size / 16, the start tags of those left open. Void elements, comments,
 * doctypes, CDATA and the text of script, style, textarea, title, xmp,
 * iframe, noembed, noframes and plaintext are stepped over as the HTML
 * tokenizer reads them. The tree is then walked with an explicit stack.
 *
 * gumbo checks no allocation: it allocates from an arena of chunks taken
 * from the context's allocator, all freed at once (never through
 * gumbo_destroy_output, which recurses), that longjmps out of the parse
 * when the allocator fails (JK_ERR_NOMEM, nothing leaked). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "document.h"
#include "memory.h"
#include "reader.h"

#ifndef JK__HAVE_HTML

jk_status jk__read_html(jk_document *doc, const char *bytes, size_t size,
                        const jk_read_options *options)
{
    (void)bytes;
    (void)size;
    (void)options;
    return jk__fail(doc->ctx, JK_ERR_UNSUPPORTED, "this build reads no HTML");
}

#else

#include <gumbo.h>
#include <setjmp.h>

#include "builder.h"
#include "entities.h"
#include "utf8.h"

#define NESTING_CAP 256
#define FORMATTING_CAP 64
#define ATTRIBUTE_CAP 64

/* ------------------------------------------------------- tag scanning */

static bool is_alpha(unsigned char c)
{
    c |= 0x20;
    return c >= 'a' && c <= 'z';
}

/* White space between a tag's parts (CR included: the tokenizer sees CR
 * as LF). */
static bool is_tag_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint32_t hash_byte(uint32_t h, unsigned char c)
{
    return (h ^ lower(c)) * 16777619u; /* FNV-1a */
}

/* A start or end tag as the HTML tokenizer reads one. */
typedef struct tag_info {
    size_t len;           /* from '<' to '>' inclusive */
    size_t name, name_len;
    bool end, self_closing;
    unsigned attrs;
    size_t cut;           /* where the attribute past the cap starts, or 0 */
    size_t attrs_end;     /* just past the last attribute */
    uint32_t attr_hash;   /* names and values: the Noah's Ark key */
    bool html_encoding;   /* encoding="text/html" or
                             "application/xhtml+xml" */
} tag_info;

/* Whether v[0..n) is `word` (lower case), ignoring ASCII case. */
static bool equal_nocase(const char *v, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n != k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)v[i]) != word[i])
            return false;
    return true;
}

/* The tag at s (s[0] '<', then a letter, or '/' and a letter). False when
 * the input ends inside it: the tokenizer drops such a tag, and the rest
 * of the input with it. */
static bool scan_tag(const char *s, size_t n, tag_info *t)
{
    memset(t, 0, sizeof *t);
    size_t i = 1;
    if (s[i] == '/') {
        t->end = true;
        i++;
    }
    t->name = i;
    while (i < n && !is_tag_space((unsigned char)s[i]) && s[i] != '/' &&
           s[i] != '>')
        i++;
    t->name_len = i - t->name;
    uint32_t h = 2166136261u;
    for (;;) {
        while (i < n && (is_tag_space((unsigned char)s[i]) || s[i] == '/')) {
            if (s[i] == '/' && i + 1 < n && s[i + 1] == '>')
                t->self_closing = true;
            i++;
        }
        if (i >= n)
            return false;
        if (s[i] == '>') {
            t->len = i + 1;
            t->attr_hash = h;
            return true;
        }
        size_t a = i++; /* a name may start with '=' */
        while (i < n && !is_tag_space((unsigned char)s[i]) && s[i] != '/' &&
               s[i] != '>' && s[i] != '=')
            i++;
        size_t name_end = i;
        for (size_t k = a; k < i; k++)
            h = hash_byte(h, (unsigned char)s[k]);
        h = hash_byte(h, '=');
        size_t j = i;
        while (j < n && is_tag_space((unsigned char)s[j]))
            j++;
        if (j < n && s[j] == '=') {
            j++;
            while (j < n && is_tag_space((unsigned char)s[j]))
                j++;
            if (j >= n)
                return false;
            size_t v, vend;
            if (s[j] == '"' || s[j] == '\'') {
                const char *q = memchr(s + j + 1, s[j], n - j - 1);
                if (!q)
                    return false;
                v = j + 1;
                vend = (size_t)(q - s);
                i = vend + 1;
            } else {
                v = j; /* "a=>": no value */
                while (j < n && !is_tag_space((unsigned char)s[j]) &&
                       s[j] != '>')
                    j++;
                vend = i = j;
            }
            for (size_t k = v; k < vend; k++)
                h = hash_byte(h, (unsigned char)s[k]);
            if (equal_nocase(s + a, name_end - a, "encoding"))
                t->html_encoding =
                    equal_nocase(s + v, vend - v, "text/html") ||
                    equal_nocase(s + v, vend - v, "application/xhtml+xml");
        }
        h = hash_byte(h, ' ');
        t->attrs++;
        if (t->attrs == ATTRIBUTE_CAP + 1)
            t->cut = a;
        t->attrs_end = i;
    }
}

/* Bytes of markup at o (a tag, comment, doctype or bogus comment), or 0:
 * what the parser may have stepped over inside one text node. */
static size_t markup_len(const char *o, size_t n)
{
    if (n < 2 || o[0] != '<')
        return 0;
    unsigned char c = (unsigned char)o[1];
    if (is_alpha(c) || (c == '/' && n > 2 && is_alpha((unsigned char)o[2]))) {
        tag_info t;
        return scan_tag(o, n, &t) ? t.len : 0;
    }
    if (c == '!' || c == '?' || c == '/') {
        const char *gt = memchr(o, '>', n);
        return gt ? (size_t)(gt - o) + 1 : 0;
    }
    return 0;
}

/* ------------------------------------------------------- nesting cap */

/* What a tag is to the nesting pass (the HTML tree builder's sets). */
enum {
    F_VOID = 1,       /* no end tag, never open */
    F_RAW = 2,        /* text only up to its end tag */
    F_FORMAT = 4,     /* a formatting element */
    F_CLOSES_P = 8,   /* a start tag closing an open p */
    F_SPECIAL = 16,   /* the "special" category */
    F_SCOPE = 32,     /* bounds "has an element in scope" */
    F_MARKER = 64,    /* pushes a marker on the formatting list */
    F_BREAKOUT = 128, /* leaves foreign (svg, math) content */
    F_OPTIONAL = 256, /* end tag optional: a blanked one is not counted */
    F_STILL = 512     /* start tag does not reopen formatting elements */
};

static unsigned tag_flags(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND: case GUMBO_TAG_COL: case GUMBO_TAG_FRAME:
    case GUMBO_TAG_LINK: case GUMBO_TAG_MENUITEM: case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
        return F_VOID | F_SPECIAL | F_STILL;
    case GUMBO_TAG_BR: case GUMBO_TAG_EMBED: case GUMBO_TAG_IMG:
        return F_VOID | F_SPECIAL | F_BREAKOUT;
    case GUMBO_TAG_IMAGE: case GUMBO_TAG_KEYGEN: case GUMBO_TAG_WBR:
    case GUMBO_TAG_INPUT:
        return F_VOID | F_SPECIAL;
    case GUMBO_TAG_HR:
        return F_VOID | F_SPECIAL | F_CLOSES_P | F_BREAKOUT | F_STILL;
    case GUMBO_TAG_ISINDEX:
        return F_VOID | F_SPECIAL | F_CLOSES_P | F_STILL;
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_IFRAME: case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
        return F_RAW | F_SPECIAL | F_STILL;
    case GUMBO_TAG_XMP:
        return F_RAW | F_SPECIAL | F_CLOSES_P;
    case GUMBO_TAG_PLAINTEXT:
        return F_RAW | F_SPECIAL | F_CLOSES_P | F_STILL;
    case GUMBO_TAG_A: case GUMBO_TAG_FONT: /* font: with some attributes */
        return F_FORMAT;
    case GUMBO_TAG_NOBR:
        return F_FORMAT | F_BREAKOUT;
    case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_S:
    case GUMBO_TAG_SMALL: case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG:
    case GUMBO_TAG_TT: case GUMBO_TAG_U:
        return F_FORMAT | F_BREAKOUT;
    case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
        return F_SPECIAL | F_CLOSES_P | F_BREAKOUT | F_OPTIONAL | F_STILL;
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_LISTING: case GUMBO_TAG_MENU:
    case GUMBO_TAG_OL: case GUMBO_TAG_PRE: case GUMBO_TAG_UL:
        return F_SPECIAL | F_CLOSES_P | F_BREAKOUT | F_STILL;
    case GUMBO_TAG_TABLE:
        return F_SPECIAL | F_CLOSES_P | F_BREAKOUT | F_SCOPE | F_STILL;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FORM:
        return F_SPECIAL | F_CLOSES_P | F_STILL;
    case GUMBO_TAG_BODY: case GUMBO_TAG_HEAD:
        return F_SPECIAL | F_BREAKOUT | F_STILL;
    case GUMBO_TAG_HTML:
        return F_SPECIAL | F_SCOPE | F_STILL;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_CAPTION:
        return F_SPECIAL | F_SCOPE | F_MARKER | F_OPTIONAL | F_STILL;
    case GUMBO_TAG_APPLET: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_OBJECT:
        return F_SPECIAL | F_SCOPE | F_MARKER;
    case GUMBO_TAG_TEMPLATE:
        return F_SPECIAL | F_SCOPE | F_MARKER | F_STILL;
    case GUMBO_TAG_TR: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_COLGROUP:
        return F_SPECIAL | F_OPTIONAL | F_STILL;
    case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_RB:
    case GUMBO_TAG_RP: case GUMBO_TAG_RT: case GUMBO_TAG_RTC:
        return F_OPTIONAL;
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_FRAMESET:
        return F_SPECIAL;
    case GUMBO_TAG_RUBY: case GUMBO_TAG_SPAN: case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP: case GUMBO_TAG_VAR:
        return F_BREAKOUT;
    default:
        return 0;
    }
}

/* An open element as the pass models it. */
typedef struct open_el {
    uint32_t key;   /* the name: tag + 1, or a hash with the top bit */
    uint16_t tag;   /* GumboTag */
    bool foreign;   /* svg or math, or inside them */
    bool svg;       /* foreign: svg's, else math's */
    uint8_t mode;   /* a template: 0 nothing inside yet, 1 a col first
                       (the parser then ignores all but col and
                       template), 2 body content first, 3 a table part
                       first */
    bool fspecial;  /* foreign and "special", a scope boundary: MathML's
                       mi, mo, mn, ms, mtext, annotation-xml, SVG's
                       foreignObject, desc, title (other foreign elements
                       are passed over by HTML's scopes) */
    bool gateway;   /* foreign, but what is inside is HTML (an
                       integration point: MathML's mi, mo, mn, ms, mtext
                       and annotation-xml of an HTML encoding, SVG's
                       foreignObject, desc and title) */
    int16_t fmt;    /* its entry in the formatting list, or -1 */
} open_el;

/* An entry of the list of active formatting elements. */
typedef struct fmt_entry {
    uint16_t tag;
    bool marker;
    bool open;      /* on the stack (else HTML reopens it at the next text) */
    int16_t el;     /* its stack index when open */
    uint32_t attrs; /* attribute hash (Noah's Ark) */
    size_t at, len; /* its start tag, for blanking */
} fmt_entry;

#define STACK_MAX (NESTING_CAP + FORMATTING_CAP + 8)
#define FMT_MAX (STACK_MAX + FORMATTING_CAP)
#define BLANKED_SLOTS 512

typedef struct nest {
    char *buf;
    size_t n;
    open_el el[STACK_MAX];
    unsigned depth;
    fmt_entry fmt[FMT_MAX];
    unsigned nfmt, formatting; /* entries; those not markers */
    struct {
        uint32_t key, count;
    } blanked[BLANKED_SLOTS]; /* start tags blanked, by name */
    size_t reopened, reopen_budget;
    bool seen_html, seen_head, seen_body;
} nest;

static void blank(nest *s, size_t at, size_t len)
{
    memset(s->buf + at, ' ', len);
}

/* A tag's name: its GumboTag, and a hash of its lower-case name (what
 * foreign elements and blanked tags are matched by; HTML elements are
 * matched by GumboTag, as gumbo 0.10 does: every unknown element is the
 * same to it). */
static uint32_t name_key(const char *name, size_t len, GumboTag *tag)
{
    char low[16];
    *tag = GUMBO_TAG_UNKNOWN;
    if (len < sizeof low) {
        for (size_t i = 0; i < len; i++)
            low[i] = (char)lower((unsigned char)name[i]);
        *tag = gumbo_tagn_enum(low, (unsigned)len);
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = hash_byte(h, (unsigned char)name[i]);
    return h | 0x80000000u;
}

static void count_blanked(nest *s, uint32_t key)
{
    size_t h = (key * 2654435761u) % BLANKED_SLOTS;
    for (size_t p = 0; p < BLANKED_SLOTS; p++) {
        size_t i = (h + p) % BLANKED_SLOTS;
        if (s->blanked[i].key == key || s->blanked[i].key == 0) {
            s->blanked[i].key = key;
            s->blanked[i].count++;
            return;
        }
    }
    /* full: that end tag reaches the parser, which ignores or closes */
}

static bool take_blanked(nest *s, uint32_t key)
{
    size_t h = (key * 2654435761u) % BLANKED_SLOTS;
    for (size_t p = 0; p < BLANKED_SLOTS; p++) {
        size_t i = (h + p) % BLANKED_SLOTS;
        if (s->blanked[i].key == 0)
            return false;
        if (s->blanked[i].key == key) {
            if (!s->blanked[i].count)
                return false;
            s->blanked[i].count--;
            return true;
        }
    }
    return false;
}

static void reopen(nest *s);

/* A tag blanked as the pass goes: to the parser, white space, which (in
 * body) reopens formatting elements as text does. */
static void blank_tag(nest *s, size_t at, size_t len)
{
    blank(s, at, len);
    reopen(s);
}

static void blank_start(nest *s, size_t at, const tag_info *t, uint32_t name,
                        unsigned flags)
{
    blank_tag(s, at, t->len);
    if (!(flags & F_OPTIONAL))
        count_blanked(s, name);
}

static void remove_fmt(nest *s, unsigned k)
{
    if (s->fmt[k].open)
        s->el[s->fmt[k].el].fmt = -1;
    if (!s->fmt[k].marker)
        s->formatting--;
    memmove(&s->fmt[k], &s->fmt[k + 1],
            (s->nfmt - k - 1) * sizeof *s->fmt);
    s->nfmt--;
    for (unsigned i = k; i < s->nfmt; i++)
        if (s->fmt[i].open)
            s->el[s->fmt[i].el].fmt = (int16_t)i;
}

static void clear_to_marker(nest *s)
{
    while (s->nfmt > 0) {
        bool marker = s->fmt[s->nfmt - 1].marker;
        remove_fmt(s, s->nfmt - 1);
        if (marker)
            break;
    }
}

static void pop(nest *s)
{
    open_el *e = &s->el[--s->depth];
    if (e->fmt >= 0) {
        s->fmt[e->fmt].open = false;
        s->fmt[e->fmt].el = -1;
    }
    if (!e->foreign && (tag_flags((GumboTag)e->tag) & F_MARKER))
        clear_to_marker(s);
}

static void pop_to(nest *s, unsigned k) /* pops el[k] too */
{
    while (s->depth > k)
        pop(s);
}

/* Takes el[k] out of the stack, leaving what is above it open (the
 * adoption agency with a furthest block, a form's end tag). */
static void unstack(nest *s, unsigned k)
{
    if (s->el[k].fmt >= 0) {
        s->fmt[s->el[k].fmt].open = false;
        s->fmt[s->el[k].fmt].el = -1;
    }
    memmove(&s->el[k], &s->el[k + 1], (s->depth - k - 1) * sizeof *s->el);
    s->depth--;
    for (unsigned i = k; i < s->depth; i++)
        if (s->el[i].fmt >= 0)
            s->fmt[s->el[i].fmt].el = (int16_t)i;
}

enum { NS_HTML, NS_SVG, NS_MATH };

static void push(nest *s, GumboTag tag, uint32_t key, int ns,
                 bool html_encoding)
{
    open_el *e = &s->el[s->depth++];
    e->key = key;
    e->tag = (uint16_t)tag;
    e->foreign = ns != NS_HTML;
    e->svg = ns == NS_SVG;
    e->fspecial =
        (ns == NS_MATH &&
         (tag == GUMBO_TAG_MI || tag == GUMBO_TAG_MO || tag == GUMBO_TAG_MN ||
          tag == GUMBO_TAG_MS || tag == GUMBO_TAG_MTEXT ||
          tag == GUMBO_TAG_ANNOTATION_XML)) ||
        (ns == NS_SVG &&
         (tag == GUMBO_TAG_FOREIGNOBJECT || tag == GUMBO_TAG_DESC ||
          tag == GUMBO_TAG_TITLE));
    e->mode = 0;
    e->gateway =
        (ns == NS_MATH &&
         (tag == GUMBO_TAG_MI || tag == GUMBO_TAG_MO || tag == GUMBO_TAG_MN ||
          tag == GUMBO_TAG_MS || tag == GUMBO_TAG_MTEXT ||
          (tag == GUMBO_TAG_ANNOTATION_XML && html_encoding))) ||
        (ns == NS_SVG &&
         (tag == GUMBO_TAG_FOREIGNOBJECT || tag == GUMBO_TAG_DESC ||
          tag == GUMBO_TAG_TITLE));
    e->fmt = -1;
    if (ns == NS_HTML && (tag_flags(tag) & F_MARKER) && s->nfmt < FMT_MAX) {
        fmt_entry *m = &s->fmt[s->nfmt++];
        memset(m, 0, sizeof *m);
        m->marker = true;
        m->el = -1;
    }
}

/* Whether e bounds a search stopping at elements of `flags`: an HTML
 * element by its tag, a foreign one if it is special (the others are
 * passed over, as HTML's scopes do). */
static bool stops(const open_el *e, unsigned flags)
{
    return e->foreign ? e->fspecial
                      : (tag_flags((GumboTag)e->tag) & flags) != 0;
}

/* The topmost open HTML element named `key` below any element of `stop`
 * (0: anywhere), or -1. */
static int find(const nest *s, uint32_t key, unsigned stop)
{
    for (unsigned k = s->depth; k-- > 0;) {
        const open_el *e = &s->el[k];
        if (e->key == key && !e->foreign)
            return (int)k;
        if (stop && stops(e, stop))
            return -1;
    }
    return -1;
}

static uint32_t key_of(GumboTag tag) { return (uint32_t)tag + 1; }

static bool top_is(const nest *s, GumboTag tag)
{
    return s->depth && !s->el[s->depth - 1].foreign &&
           s->el[s->depth - 1].tag == tag;
}

/* Blank the start tags of the formatting elements left open that HTML
 * would reopen: past the budget, every paragraph would clone them all. */
static void drop_reopened(nest *s)
{
    for (unsigned k = s->nfmt; k-- > 0;)
        if (!s->fmt[k].marker && !s->fmt[k].open) {
            blank(s, s->fmt[k].at, s->fmt[k].len);
            remove_fmt(s, k);
        }
}

/* "Reconstruct the active formatting elements": text and most start tags
 * reopen those closed without their end tag. */
static void reopen(nest *s)
{
    if (!s->nfmt || (s->depth && s->el[s->depth - 1].foreign &&
                     !s->el[s->depth - 1].gateway))
        return;
    unsigned k = s->nfmt;
    while (k > 0 && !s->fmt[k - 1].marker && !s->fmt[k - 1].open)
        k--;
    if (k == s->nfmt)
        return;
    size_t count = s->nfmt - k;
    if (s->reopened + count > s->reopen_budget) {
        drop_reopened(s);
        return;
    }
    s->reopened += count;
    for (; k < s->nfmt && s->depth < STACK_MAX; k++) {
        fmt_entry *f = &s->fmt[k];
        open_el *e = &s->el[s->depth];
        e->key = key_of((GumboTag)f->tag);
        e->tag = f->tag;
        e->foreign = e->svg = e->gateway = e->fspecial = false;
        e->mode = 0;
        e->fmt = (int16_t)k;
        f->open = true;
        f->el = (int16_t)s->depth++;
    }
}

/* The last formatting entry named `tag` after the last marker, or -1. */
static int last_fmt(const nest *s, GumboTag tag)
{
    for (unsigned k = s->nfmt; k-- > 0;) {
        if (s->fmt[k].marker)
            return -1;
        if (s->fmt[k].tag == tag)
            return (int)k;
    }
    return -1;
}

/* The adoption agency, as far as nesting goes: with a block above the
 * element the parser moves a clone of it under the block (the model keeps
 * it where it is: never fewer open than the parser has). */
static void adopt(nest *s, int k)
{
    if (!s->fmt[k].open) {
        remove_fmt(s, (unsigned)k);
        return;
    }
    unsigned e = (unsigned)s->fmt[k].el;
    for (unsigned i = e + 1; i < s->depth; i++)
        if (stops(&s->el[i], F_SPECIAL | F_SCOPE))
            return; /* a furthest block, or out of scope */
    pop_to(s, e);
    remove_fmt(s, (unsigned)k);
}

static void close_p(nest *s) /* a p in button scope */
{
    for (unsigned k = s->depth; k-- > 0;) {
        const open_el *e = &s->el[k];
        if (!e->foreign && e->tag == GUMBO_TAG_P) {
            pop_to(s, k);
            return;
        }
        if (stops(e, F_SCOPE) || (!e->foreign && e->tag == GUMBO_TAG_BUTTON))
            return;
    }
}

/* li, dd, dt close the open item of their kind. */
static void close_item(nest *s, GumboTag a, GumboTag b)
{
    for (unsigned k = s->depth; k-- > 0;) {
        const open_el *e = &s->el[k];
        GumboTag t = (GumboTag)e->tag;
        if (!e->foreign && (t == a || t == b)) {
            pop_to(s, k);
            return;
        }
        if (stops(e, F_SPECIAL) &&
            (e->foreign || (t != GUMBO_TAG_ADDRESS && t != GUMBO_TAG_DIV &&
                            t != GUMBO_TAG_P)))
            return;
    }
}

static bool is_heading(GumboTag t)
{
    return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
}

/* The nearest open table element of `a`..`c` below a table, or -1. */
static int find_in_table(const nest *s, GumboTag a, GumboTag b, GumboTag c)
{
    for (unsigned k = s->depth; k-- > 0;) {
        GumboTag t = (GumboTag)s->el[k].tag;
        if (s->el[k].foreign)
            continue; /* table scope passes over foreign elements */
        if (t == a || t == b || t == c)
            return (int)k;
        if (t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TEMPLATE ||
            t == GUMBO_TAG_HTML)
            return -1;
    }
    return -1;
}

static bool table_tag(GumboTag t)
{
    return t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_TABLE ||
           t == GUMBO_TAG_TBODY || t == GUMBO_TAG_TFOOT ||
           t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TR || t == GUMBO_TAG_TD ||
           t == GUMBO_TAG_TH;
}

/* Whether a table (or a template, which may hold table parts) is open:
 * outside, the parser ignores a td or a tr. In doubt, true: a tag the
 * model keeps open and the parser does not costs nothing. */
static bool in_table(const nest *s)
{
    for (unsigned k = s->depth; k-- > 0;) {
        GumboTag t = (GumboTag)s->el[k].tag;
        if (s->el[k].foreign)
            continue; /* the insertion mode is the HTML elements' */
        if (table_tag(t))
            return true;
        if (t == GUMBO_TAG_TEMPLATE) /* as its first tag made it */
            return s->el[k].mode != 2;
    }
    return false;
}

/* "In select": the top is a select, option or optgroup. The parser then
 * ignores most tags, which the model must not take as closing anything. */
static bool in_select(const nest *s)
{
    unsigned k = s->depth;
    while (k > 0 && !s->el[k - 1].foreign &&
           (s->el[k - 1].tag == GUMBO_TAG_OPTION ||
            s->el[k - 1].tag == GUMBO_TAG_OPTGROUP))
        k--;
    return k > 0 && !s->el[k - 1].foreign &&
           s->el[k - 1].tag == GUMBO_TAG_SELECT;
}

/* In select: whether the tag closes the select (then it is processed as
 * usual: true) or is one the parser ignores (false). */
static bool leave_select(nest *s, GumboTag tag, bool end)
{
    int k = find(s, key_of(GUMBO_TAG_SELECT), 0);
    bool closes = tag == GUMBO_TAG_SELECT
                      ? true
                      : end ? table_tag(tag) && find(s, key_of(tag), 0) >= 0
                            : tag == GUMBO_TAG_INPUT ||
                                  tag == GUMBO_TAG_KEYGEN ||
                                  tag == GUMBO_TAG_TEXTAREA ||
                                  (table_tag(tag) &&
                                   find(s, key_of(GUMBO_TAG_TABLE), 0) >= 0);
    if (closes && k >= 0)
        pop_to(s, (unsigned)k);
    return closes && tag != GUMBO_TAG_SELECT;
}

/* The tbody (and tr, for a cell) the parser makes when a row (a cell)
 * comes straight in a table (a section). */
static void implied_rows(nest *s, bool cell)
{
    if (s->depth + 2 >= NESTING_CAP)
        return;
    if (top_is(s, GUMBO_TAG_TABLE))
        push(s, GUMBO_TAG_TBODY, key_of(GUMBO_TAG_TBODY), NS_HTML, false);
    if (cell && (top_is(s, GUMBO_TAG_TBODY) || top_is(s, GUMBO_TAG_THEAD) ||
                 top_is(s, GUMBO_TAG_TFOOT)))
        push(s, GUMBO_TAG_TR, key_of(GUMBO_TAG_TR), NS_HTML, false);
}

/* A tag that leaves foreign content closes it, down to HTML or to an
 * integration point. */
static void break_out(nest *s)
{
    while (s->depth && s->el[s->depth - 1].foreign &&
           !s->el[s->depth - 1].gateway)
        pop(s);
}

/* A start tag; returns whether raw text follows it. */
static bool start_tag(nest *s, size_t at, const tag_info *t, GumboTag tag,
                      uint32_t name)
{
    unsigned f = tag_flags(tag);
    uint32_t key = key_of(tag);
    bool *seen = tag == GUMBO_TAG_HTML   ? &s->seen_html
                 : tag == GUMBO_TAG_HEAD ? &s->seen_head
                 : tag == GUMBO_TAG_BODY ? &s->seen_body
                                         : NULL;
    if (seen) { /* before anything else: a blanked tag has no effect */
        if (*seen)
            blank_tag(s, at, t->len);
        else if (tag != GUMBO_TAG_HTML)
            break_out(s);
        *seen = true;
        return false;
    }
    if (in_select(s) && tag != GUMBO_TAG_OPTION &&
        tag != GUMBO_TAG_OPTGROUP && tag != GUMBO_TAG_SCRIPT &&
        tag != GUMBO_TAG_TEMPLATE && !leave_select(s, tag, false))
        return false;
    if (top_is(s, GUMBO_TAG_TEMPLATE)) { /* its first tag sets its mode */
        open_el *tp = &s->el[s->depth - 1];
        if (!tp->mode)
            tp->mode = tag == GUMBO_TAG_COL                        ? 1
                       : table_tag(tag) && tag != GUMBO_TAG_TABLE ? 3
                       : tag == GUMBO_TAG_COLGROUP                ? 3
                                                                   : 2;
        if (tp->mode == 1 && tag != GUMBO_TAG_COL &&
            tag != GUMBO_TAG_TEMPLATE)
            return false;
    }
    if (s->depth && s->el[s->depth - 1].foreign &&
        !s->el[s->depth - 1].gateway) {
        if (!(f & F_BREAKOUT)) {
            if (t->self_closing)
                return false;
            if (s->depth >= NESTING_CAP)
                blank_start(s, at, t, name, f);
            else
                push(s, tag, name,
                     s->el[s->depth - 1].svg ? NS_SVG : NS_MATH,
                     t->html_encoding);
            return false;
        }
        if (f & F_FORMAT && (s->formatting >= FORMATTING_CAP ||
                             s->nfmt >= FMT_MAX)) {
            blank_start(s, at, t, name, f); /* before it pops anything */
            return false;
        }
        break_out(s);
    }
    if (top_is(s, GUMBO_TAG_COLGROUP) && tag != GUMBO_TAG_COL &&
        tag != GUMBO_TAG_TEMPLATE)
        pop(s); /* a colgroup holds cols only */
    if (tag == GUMBO_TAG_FORM && find(s, key, 0) >= 0 &&
        find(s, key_of(GUMBO_TAG_TEMPLATE), 0) < 0)
        return false; /* the parser ignores a form inside a form */
    if ((table_tag(tag) && tag != GUMBO_TAG_TABLE) ||
        tag == GUMBO_TAG_COL || tag == GUMBO_TAG_COLGROUP) {
        if (!in_table(s))
            return false; /* the parser ignores table parts outside one */
    }
    if ((f & F_FORMAT) && (s->formatting >= FORMATTING_CAP ||
                           s->nfmt >= FMT_MAX)) {
        blank_start(s, at, t, name, f); /* before it closes anything */
        return false;
    }
    /* an li, dd or dt first closes the open item, then the p */
    if (tag == GUMBO_TAG_LI)
        close_item(s, GUMBO_TAG_LI, GUMBO_TAG_LI);
    else if (tag == GUMBO_TAG_DD || tag == GUMBO_TAG_DT)
        close_item(s, GUMBO_TAG_DD, GUMBO_TAG_DT);
    if (f & F_CLOSES_P)
        close_p(s);
    if (f & F_RAW) { /* never blanked: its text must stay text */
        if (!(f & F_STILL))
            reopen(s);
        return true;
    }
    switch (tag) {
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        if (s->depth && !s->el[s->depth - 1].foreign &&
            is_heading((GumboTag)s->el[s->depth - 1].tag))
            pop(s);
        break;
    case GUMBO_TAG_A:
    case GUMBO_TAG_NOBR: {
        int k = last_fmt(s, tag);
        if (k >= 0)
            adopt(s, k);
        break;
    }
    case GUMBO_TAG_BUTTON: {
        int k = find(s, key, F_SCOPE);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        break;
    }
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: {
        int k = find_in_table(s, GUMBO_TAG_TD, GUMBO_TAG_TH, GUMBO_TAG_TD);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        implied_rows(s, true);
        break;
    }
    case GUMBO_TAG_TR: {
        int k = find_in_table(s, GUMBO_TAG_TR, GUMBO_TAG_TR, GUMBO_TAG_TR);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        implied_rows(s, false);
        break;
    }
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT: {
        int k = find_in_table(s, GUMBO_TAG_TBODY, GUMBO_TAG_THEAD,
                              GUMBO_TAG_TFOOT);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        break;
    }
    case GUMBO_TAG_TABLE:
        if (s->depth && !s->el[s->depth - 1].foreign) {
            GumboTag top = (GumboTag)s->el[s->depth - 1].tag;
            if (top == GUMBO_TAG_TABLE || top == GUMBO_TAG_TBODY ||
                top == GUMBO_TAG_THEAD || top == GUMBO_TAG_TFOOT ||
                top == GUMBO_TAG_TR) { /* a table in a table ends it */
                int k = find_in_table(s, tag, tag, tag);
                if (k < 0)
                    return false; /* none in table scope: ignored */
                pop_to(s, (unsigned)k);
            }
        }
        break;
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP: {
        bool select = in_select(s);
        if (top_is(s, GUMBO_TAG_OPTION))
            pop(s);
        if (select && tag == GUMBO_TAG_OPTGROUP &&
            top_is(s, GUMBO_TAG_OPTGROUP))
            pop(s);
        break;
    }
    case GUMBO_TAG_RB: case GUMBO_TAG_RTC:
    case GUMBO_TAG_RP: case GUMBO_TAG_RT:
        if (find(s, key_of(GUMBO_TAG_RUBY), F_SCOPE) < 0)
            break;
        /* "generate implied end tags" (but an rtc for rp and rt) */
        while (s->depth && !s->el[s->depth - 1].foreign) {
            GumboTag top = (GumboTag)s->el[s->depth - 1].tag;
            if (!(top == GUMBO_TAG_DD || top == GUMBO_TAG_DT ||
                  top == GUMBO_TAG_LI || top == GUMBO_TAG_OPTION ||
                  top == GUMBO_TAG_OPTGROUP || top == GUMBO_TAG_P ||
                  top == GUMBO_TAG_RB || top == GUMBO_TAG_RP ||
                  top == GUMBO_TAG_RT ||
                  (top == GUMBO_TAG_RTC && tag != GUMBO_TAG_RP &&
                   tag != GUMBO_TAG_RT)))
                break;
            pop(s);
        }
        break;
    default:
        break;
    }
    if (!(f & F_STILL))
        reopen(s);
    if (f & F_VOID)
        return false;
    if (tag == GUMBO_TAG_SVG || tag == GUMBO_TAG_MATH) {
        if (t->self_closing)
            return false;
        if (s->depth >= NESTING_CAP)
            blank_start(s, at, t, name, f);
        else
            push(s, tag, name, tag == GUMBO_TAG_SVG ? NS_SVG : NS_MATH,
                 t->html_encoding);
        return false;
    }
    if (f & F_FORMAT) {
        if (s->depth >= NESTING_CAP || s->formatting >= FORMATTING_CAP ||
            s->nfmt >= FMT_MAX) {
            blank_start(s, at, t, name, f);
            return false;
        }
        /* Noah's Ark: at most three alike after the last marker */
        unsigned alike = 0, first = 0;
        for (unsigned k = s->nfmt; k-- > 0 && !s->fmt[k].marker;)
            if (s->fmt[k].tag == tag && s->fmt[k].attrs == t->attr_hash) {
                alike++;
                first = k;
            }
        if (alike >= 3)
            remove_fmt(s, first);
        push(s, tag, key, NS_HTML, false);
        fmt_entry *e = &s->fmt[s->nfmt];
        e->tag = (uint16_t)tag;
        e->marker = false;
        e->open = true;
        e->el = (int16_t)(s->depth - 1);
        e->attrs = t->attr_hash;
        e->at = at;
        e->len = t->len;
        s->el[s->depth - 1].fmt = (int16_t)s->nfmt++;
        s->formatting++;
        return false;
    }
    if (s->depth >= NESTING_CAP)
        blank_start(s, at, t, name, f);
    else
        push(s, tag, key, NS_HTML, false);
    return false;
}

static void end_tag(nest *s, size_t at, const tag_info *t, GumboTag tag,
                    uint32_t name)
{
    uint32_t key = key_of(tag);
    if (take_blanked(s, name)) {
        blank_tag(s, at, t->len);
        return;
    }
    if (in_select(s) && tag != GUMBO_TAG_OPTION &&
        tag != GUMBO_TAG_OPTGROUP && tag != GUMBO_TAG_TEMPLATE &&
        !leave_select(s, tag, true) && tag != GUMBO_TAG_SELECT)
        return;
    if (top_is(s, GUMBO_TAG_TEMPLATE) && s->el[s->depth - 1].mode == 1 &&
        tag != GUMBO_TAG_TEMPLATE)
        return; /* a template of cols ignores the rest */
    if (s->depth && s->el[s->depth - 1].foreign) {
        for (unsigned k = s->depth; k-- > 0 && s->el[k].foreign;)
            if (s->el[k].key == name) {
                pop_to(s, k);
                return;
            }
    }
    unsigned f = tag_flags(tag);
    int k;
    switch (tag) {
    case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY:
    case GUMBO_TAG_SELECT: /* outside select mode: nothing to close */
        return;
    case GUMBO_TAG_BR: /* </br> is a <br> */
        reopen(s);
        return;
    case GUMBO_TAG_FORM:
        k = find(s, key, F_SCOPE);
        if (k >= 0)
            unstack(s, (unsigned)k);
        return;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        for (unsigned i = s->depth; i-- > 0;) {
            if (!s->el[i].foreign && is_heading((GumboTag)s->el[i].tag)) {
                pop_to(s, i);
                return;
            }
            if (stops(&s->el[i], F_SCOPE))
                return;
        }
        return;
    default:
        break;
    }
    if (f & F_FORMAT) {
        k = last_fmt(s, tag);
        if (k >= 0) {
            adopt(s, k);
            return;
        }
    }
    switch (tag) { /* closed if in scope, with what is above them */
    case GUMBO_TAG_LI: /* in list item scope */
        for (unsigned i = s->depth; i-- > 0;) {
            GumboTag e = (GumboTag)s->el[i].tag;
            bool html = !s->el[i].foreign;
            if (html && e == GUMBO_TAG_LI) {
                pop_to(s, i);
                return;
            }
            if (stops(&s->el[i], F_SCOPE) ||
                (html && (e == GUMBO_TAG_OL || e == GUMBO_TAG_UL)))
                return;
        }
        return;
    case GUMBO_TAG_TEMPLATE:
        k = find(s, key, 0);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        return;
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP:
        k = find_in_table(s, tag, tag, tag);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        return;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BUTTON: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP: case GUMBO_TAG_LISTING: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_UL: case GUMBO_TAG_P: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT: case GUMBO_TAG_APPLET: case GUMBO_TAG_MARQUEE:
    case GUMBO_TAG_OBJECT:
        k = find(s, key, F_SCOPE);
        if (k >= 0)
            pop_to(s, (unsigned)k);
        return;
    default:
        break;
    }
    /* "any other end tag": the same element, up to a special one */
    for (unsigned i = s->depth; i-- > 0;) {
        if (!s->el[i].foreign && s->el[i].key == key) {
            pop_to(s, i);
            return;
        }
        if (stops(&s->el[i], F_SPECIAL))
            return;
    }
}

/* Past a raw text element's text: its end tag ("</name" then white
 * space, '/' or '>'), or the input's end. */
static size_t skip_raw(const char *b, size_t n, size_t i, const char *name,
                       size_t len)
{
    while (i < n) {
        const char *lt = memchr(b + i, '<', n - i);
        if (!lt)
            return n;
        size_t p = (size_t)(lt - b);
        if (p + 2 + len <= n && b[p + 1] == '/') {
            size_t k = 0;
            while (k < len && lower((unsigned char)b[p + 2 + k]) ==
                                  lower((unsigned char)name[k]))
                k++;
            if (k == len && (p + 2 + len == n ||
                             is_tag_space((unsigned char)b[p + 2 + len]) ||
                             b[p + 2 + len] == '/' || b[p + 2 + len] == '>'))
                return p;
        }
        i = p + 1;
    }
    return n;
}

/* Past a "<!" declaration: a comment, CDATA (in foreign content), a
 * doctype or a bogus comment. */
static size_t skip_declaration(const char *b, size_t n, size_t at,
                               bool foreign)
{
    size_t p = at + 2;
    if (p + 1 < n && b[p] == '-' && b[p + 1] == '-') {
        p += 2;
        if (p < n && b[p] == '>')
            return p + 1;
        if (p + 1 < n && b[p] == '-' && b[p + 1] == '>')
            return p + 2;
        for (;;) {
            const char *d = p < n ? memchr(b + p, '-', n - p) : NULL;
            if (!d)
                return n;
            size_t q = (size_t)(d - b);
            if (q + 2 < n && b[q + 1] == '-' && b[q + 2] == '>')
                return q + 3;
            if (q + 3 < n && b[q + 1] == '-' && b[q + 2] == '!' &&
                b[q + 3] == '>')
                return q + 4;
            p = q + 1;
        }
    }
    if (foreign && n - p >= 7 && !memcmp(b + p, "[CDATA[", 7)) {
        for (size_t q = p + 7; q + 2 < n; q++)
            if (b[q] == ']' && b[q + 1] == ']' && b[q + 2] == '>')
                return q + 3;
        return n;
    }
    const char *gt = memchr(b + at, '>', n - at);
    return gt ? (size_t)(gt - b) + 1 : n;
}

/* The pass over s->buf (see the top of this file). */
static void cap_nesting(nest *s)
{
    char *b = s->buf;
    size_t n = s->n;
    if (n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
        blank(s, 0, 3); /* gumbo keeps a BOM as text */
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(b + i, '<', n - i);
        size_t at = lt ? (size_t)(lt - b) : n;
        if (at > i)
            reopen(s);
        if (!lt)
            return;
        unsigned char c1 = at + 1 < n ? (unsigned char)b[at + 1] : 0;
        bool foreign = s->depth && s->el[s->depth - 1].foreign &&
                       !s->el[s->depth - 1].gateway;
        if (is_alpha(c1) ||
            (c1 == '/' && at + 2 < n && is_alpha((unsigned char)b[at + 2]))) {
            tag_info t;
            if (!scan_tag(b + at, n - at, &t))
                return;
            if (t.cut)
                blank(s, at + t.cut, t.attrs_end - t.cut);
            GumboTag tag;
            uint32_t name = name_key(b + at + t.name, t.name_len, &tag);
            i = at + t.len;
            if (tag == GUMBO_TAG_FRAMESET || tag == GUMBO_TAG_FRAME) {
                /* a frameset would make the parser drop the article, and
                 * makes raw text depend on a flag the pass cannot see */
                blank_tag(s, at, t.len);
            } else if (t.end) {
                end_tag(s, at, &t, tag, name);
            } else if (start_tag(s, at, &t, tag, name)) {
                if (tag == GUMBO_TAG_PLAINTEXT)
                    return;
                i = skip_raw(b, n, i, b + at + t.name, t.name_len);
            }
        } else if (c1 == '!') {
            i = skip_declaration(b, n, at, foreign);
        } else if (c1 == '?' || c1 == '/') {
            const char *gt = memchr(b + at, '>', n - at);
            if (!gt)
                return;
            i = (size_t)(gt - b) + 1;
        } else {
            reopen(s); /* a '<' that is text */
            i = at + 1;
        }
    }
}

/* ------------------------------------------------------- gumbo's arena */

/* gumbo's memory: bumped out of chunks taken from the context and freed
 * all at once. Its frees are ignored: what it frees is mostly the old
 * halves of buffers it doubled, at most as much again. */
typedef struct arena_chunk {
    _Alignas(max_align_t) struct arena_chunk *next;
    size_t used, size; /* bytes of payload, after this header */
} arena_chunk;

typedef struct arena {
    jk_context *ctx;
    arena_chunk *chunks; /* all of them */
    arena_chunk *cur;    /* the one small blocks come from */
    size_t next_size;
    jmp_buf fail;
} arena;

#define ARENA_ALIGN _Alignof(max_align_t)
#define ARENA_MIN_CHUNK 4096
#define ARENA_MAX_CHUNK 65536

static arena_chunk *arena_chunk_new(arena *a, size_t size)
{
    arena_chunk *c = size <= SIZE_MAX - sizeof *c
                         ? jk__malloc(a->ctx, sizeof *c + size)
                         : NULL;
    if (!c)
        longjmp(a->fail, 1); /* gumbo would write through NULL */
    c->used = 0;
    c->size = size;
    c->next = a->chunks;
    a->chunks = c;
    return c;
}

static void *arena_alloc(void *user, size_t size)
{
    arena *a = user;
    if (size > SIZE_MAX / 2)
        longjmp(a->fail, 1);
    size_t need = (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (need > ARENA_MAX_CHUNK / 4) { /* a chunk of its own */
        arena_chunk *c = arena_chunk_new(a, need);
        c->used = need;
        return c + 1;
    }
    if (!a->cur || a->cur->size - a->cur->used < need) {
        a->cur = arena_chunk_new(a, a->next_size);
        if (a->next_size < ARENA_MAX_CHUNK)
            a->next_size *= 2;
    }
    void *p = (char *)(a->cur + 1) + a->cur->used;
    a->cur->used += need;
    return p;
}

static void arena_free(void *user, void *ptr)
{
    (void)user;
    (void)ptr;
}

static void arena_release(arena *a)
{
    while (a->chunks) {
        arena_chunk *next = a->chunks->next;
        jk__free(a->ctx, a->chunks);
        a->chunks = next;
    }
    a->cur = NULL;
}

/* The parse, or NULL when memory failed: the arena (not local here) then
 * holds whatever gumbo had taken. */
static GumboOutput *parse(arena *a, const GumboOptions *o, const char *buf,
                          size_t n)
{
    if (setjmp(a->fail))
        return NULL;
    return gumbo_parse_with_options(o, buf, n);
}

/* ------------------------------------------------------- the tree */

static const GumboVector *children_of(const GumboNode *n)
{
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
        return &n->v.element.children;
    return NULL;
}

/* The node after n in document order inside root (n's children skipped
 * when `skip`): iterative, through the parent links. */
static const GumboNode *next_node(const GumboNode *n, const GumboNode *root,
                                  bool skip)
{
    const GumboVector *kids = children_of(n);
    if (!skip && kids && kids->length)
        return kids->data[0];
    while (n != root) {
        const GumboNode *p = n->parent;
        if (!p)
            return NULL;
        kids = children_of(p);
        size_t i = n->index_within_parent + 1;
        if (kids && i < kids->length && kids->data[i - 1] == n)
            return kids->data[i];
        n = p;
    }
    return NULL;
}

static bool is_element(const GumboNode *n, GumboTag tag)
{
    return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag &&
           n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

static const char *attr(const GumboNode *n, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes,
                                                  name);
    return a ? a->value : NULL;
}

static bool ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Whether `s` holds `word` (lower case), ignoring ASCII case. */
static bool contains(const char *s, const char *word)
{
    size_t k = strlen(word);
    for (; *s; s++) {
        size_t i = 0;
        while (i < k && s[i] && lower((unsigned char)s[i]) == word[i])
            i++;
        if (i == k)
            return true;
    }
    return false;
}

/* An inline style of display: none. */
static bool display_none(const char *style)
{
    for (const char *s = style; *s; s++) {
        size_t i = 0;
        while (i < 7 && s[i] && lower((unsigned char)s[i]) == "display"[i])
            i++;
        if (i < 7)
            continue;
        const char *p = s + 7;
        while (ascii_space(*p))
            p++;
        if (*p != ':')
            continue;
        p++;
        while (ascii_space(*p))
            p++;
        i = 0;
        while (i < 4 && p[i] && lower((unsigned char)p[i]) == "none"[i])
            i++;
        if (i == 4)
            return true;
    }
    return false;
}

/* An unknown element's name, as written, is `name` (lower case). */
static bool unknown_is(const GumboNode *n, const char *name)
{
    if (n->type != GUMBO_NODE_ELEMENT ||
        n->v.element.tag != GUMBO_TAG_UNKNOWN)
        return false;
    GumboStringPiece t = n->v.element.original_tag;
    size_t k = strlen(name);
    if (t.length < k + 1 || !t.data || t.data[0] != '<')
        return false;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)t.data[1 + i]) != name[i])
            return false;
    return t.length == k + 1 || !is_alpha((unsigned char)t.data[1 + k]);
}

static size_t node_start(const GumboNode *n)
{
    return n->type == GUMBO_NODE_ELEMENT ? n->v.element.start_pos.offset
                                         : n->v.text.start_pos.offset;
}

/* ------------------------------------------------------- the walk */

/* What the elements around a node make of its text. */
typedef struct scope {
    const char *href;        /* the link in force, or NULL */
    size_t href_len;
    const GumboNode *image;  /* the image the figure around has set */
    int list, item, rt;      /* frames of the nearest list, li, rt; -1 */
    uint8_t kind, level;     /* of the blocks begun here */
    uint8_t quotes, lists;   /* depths */
    bool pre;                /* preformatted */
    bool raw;                /* in xmp or plaintext: the text is as
                                written, without references (and may sit
                                in formatting elements the parser
                                reopened there) */
    bool flat;               /* one block whatever is inside (a row, the
                                byline) */
    bool thead, header;      /* in a thead; a header row */
    bool figure;             /* inside a figure that has its image */
} scope;

typedef struct frame {
    const GumboNode *node;
    unsigned next;       /* the next child to visit */
    unsigned style;      /* styles pushed */
    bool block;          /* a block boundary: the block ends at the exit */
    bool inline_block;   /* a block element inside a flat one: a space */
    bool byline;
    bool link;           /* set the link in force */
    int8_t content;      /* content children: 0, 1, 2 (two or more); -1 */
    uint8_t paren;       /* rt: 1 '(' to write, 2 written */
    bool marker_pending; /* li: its marker not given yet */
    uint8_t marker_len;
    char marker[24];
    char type;           /* lists: '1', 'a', 'A', 'i', 'I', or 'u' (ul) */
    long counter;
    int step;
    scope sc;            /* for the children */
} frame;

typedef struct walker {
    jk_context *ctx;
    jk__builder *b;
    const char *src;
    size_t size;
    frame *frames;
    size_t depth, cap;
    size_t floor;           /* offsets never decrease */
    bool ws;                /* collapsible white space to write before the
                               next text */
    size_t ws_at;
    unsigned seps;          /* cell separators to write before it */
    size_t sep_at;
    unsigned cells;         /* cells begun in the open row */
    const char *link;       /* the link begun in the open block */
    const GumboNode *title; /* the article's first h1 */
    const GumboNode *forms[4]; /* forms around it */
    size_t form_count;
    bool byline_open;       /* the byline may still come */
} walker;

static bool wraps_title(const walker *w, const GumboNode *n)
{
    for (size_t i = 0; i < w->form_count; i++)
        if (w->forms[i] == n)
            return true;
    return false;
}

static const char *trimmed(const char *s, size_t *len)
{
    while (ascii_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && ascii_space(s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* Not article text (the rules at the top); forms only when `forms`. */
static bool dropped(const walker *w, const GumboNode *n, bool forms)
{
    if (n->type != GUMBO_NODE_ELEMENT)
        return n->type != GUMBO_NODE_TEXT &&
               n->type != GUMBO_NODE_WHITESPACE &&
               n->type != GUMBO_NODE_CDATA;
    const GumboElement *e = &n->v.element;
    if (e->tag_namespace != GUMBO_NAMESPACE_HTML)
        return true; /* svg, math */
    switch (e->tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_BUTTON: case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_RP: case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_FRAME:
    case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
    case GUMBO_TAG_BASE: case GUMBO_TAG_LINK: case GUMBO_TAG_META:
        return true;
    case GUMBO_TAG_FORM:
        if (forms && !wraps_title(w, n))
            return true;
        break;
    default:
        break;
    }
    if (attr(n, "hidden"))
        return true;
    const char *v = attr(n, "aria-hidden");
    size_t len;
    if (v && (v = trimmed(v, &len)) != NULL && len == 4 &&
        contains(v, "true"))
        return true;
    v = attr(n, "style");
    return v && display_none(v);
}

static frame *top(walker *w) { return &w->frames[w->depth - 1]; }

static jk_status nomem(walker *w)
{
    return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory reading HTML");
}

static bool body_kind(jk_block_kind k)
{
    return k == JK_BLOCK_PARAGRAPH || k == JK_BLOCK_QUOTE ||
           k == JK_BLOCK_LIST || k == JK_BLOCK_CODE || k == JK_BLOCK_TABLE;
}

static jk_status open_block(walker *w, const scope *sc, jk_block_kind kind)
{
    jk__block_attrs a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.level = kind == JK_BLOCK_HEADING ? sc->level : 0;
    a.quote_depth = sc->quotes;
    a.list_depth = sc->lists;
    a.preformatted = sc->pre;
    a.header_row = kind == JK_BLOCK_TABLE && sc->header;
    if (kind != JK_BLOCK_RULE && sc->item >= 0 &&
        w->frames[sc->item].marker_pending) {
        frame *li = &w->frames[sc->item];
        li->marker_pending = false;
        a.marker = li->marker;
        a.marker_size = li->marker_len;
        a.marker_source = node_start(li->node);
    }
    if (body_kind(kind))
        w->byline_open = false;
    w->link = NULL;
    w->ws = false;
    if (kind != JK_BLOCK_TABLE)
        w->seps = 0; /* a row keeps the separators of its empty first cells */
    return jk__builder_begin(w->b, &a);
}

static jk_status end_block(walker *w)
{
    w->link = NULL;
    w->ws = false;
    w->seps = 0;
    return jk__builder_end(w->b);
}

/* Text s[0..n) from source [src, end) (the builder's convention), held at
 * or past the floor. */
static jk_status emit(walker *w, const char *s, size_t n, size_t src,
                      size_t end)
{
    if (!n)
        return JK_OK;
    if (src < w->floor)
        src = end = w->floor; /* every character at the floor */
    else if (end < src)
        end = src;
    w->floor = end;
    return jk__builder_text(w->b, s, n, src, end);
}

static bool is_ws(unsigned char c) /* the builder's collapsing set */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* As emit, but a run of white space (outside pre) goes as its first
 * character alone: the builder would collapse it anyway, after holding
 * it all. */
static jk_status piece(walker *w, const char *s, size_t n, size_t src,
                       size_t end)
{
    const scope *sc = &top(w)->sc;
    if (sc->pre && !sc->flat)
        return emit(w, s, n, src, end);
    bool mapped = end - src == n;
    size_t start = 0;
    jk_status st = JK_OK;
    for (size_t i = 0; i + 1 < n && st == JK_OK; i++) {
        if (!is_ws((unsigned char)s[i]) || !is_ws((unsigned char)s[i + 1]))
            continue;
        size_t j = i + 2;
        while (j < n && is_ws((unsigned char)s[j]))
            j++;
        st = emit(w, s + start, i + 1 - start, mapped ? src + start : src,
                  mapped ? src + i + 1 : src);
        start = j;
        i = j - 1;
    }
    if (st != JK_OK || start >= n)
        return st;
    if (mapped)
        return emit(w, s + start, n - start, src + start, end);
    return emit(w, s + start, n - start, src,
                end - src == n - start ? src : end);
}

/* One character the reader adds (a line break, a rule, a separator, a
 * space, a parenthesis) at source offset `at`, kept from decreasing. */
static jk_status put_char(walker *w, uint32_t cp, size_t at)
{
    if (at < w->floor || at >= w->size) {
        /* held at the floor (text the parser moved back, or an element
         * closed by the input's end): there it takes no byte, so a line
         * break is a space */
        char u[4];
        size_t n = jk__utf8_encode(cp == '\n' ? ' ' : cp, u);
        at = w->floor < w->size ? w->floor : w->size;
        return jk__builder_text(w->b, u, n, at, at);
    }
    w->floor = at + 1;
    return jk__builder_char(w->b, cp, at);
}

/* Before any text: the block, the link, a waiting separator or space,
 * a ruby's '('. */
static jk_status begin_content(walker *w)
{
    const scope *sc = &top(w)->sc;
    jk_status st = JK_OK;
    if (!jk__builder_open(w->b))
        st = open_block(w, sc, (jk_block_kind)sc->kind);
    if (st == JK_OK && w->link && w->link != sc->href) {
        jk__builder_link_end(w->b);
        w->link = NULL;
    }
    if (st == JK_OK && w->seps)
        for (; w->seps && st == JK_OK; w->seps--)
            st = put_char(w, 0x2003, w->sep_at);
    else if (st == JK_OK && w->ws)
        st = put_char(w, ' ', w->ws_at);
    w->seps = 0;
    w->ws = false;
    if (st == JK_OK && sc->rt >= 0 && w->frames[sc->rt].paren == 1) {
        w->frames[sc->rt].paren = 2;
        st = put_char(w, '(', node_start(w->frames[sc->rt].node));
    }
    if (st == JK_OK && sc->href && !w->link) {
        st = jk__builder_link_begin(w->b, sc->href, sc->href_len);
        w->link = sc->href;
    }
    return st;
}

/* A deferred space, written now (with the link and styles in force). */
static jk_status flush_space(walker *w)
{
    const scope *sc = &top(w)->sc;
    w->ws = false;
    if (!jk__builder_open(w->b))
        return JK_OK;
    if (w->link && w->link != sc->href) {
        jk__builder_link_end(w->b);
        w->link = NULL;
    }
    return put_char(w, ' ', w->ws_at);
}

/* White space that collapses: for the next text, unless a separator or a
 * block's end comes first. */
static void defer_space(walker *w, size_t at)
{
    if (jk__builder_open(w->b) && !w->ws && !w->seps) {
        w->ws = true;
        w->ws_at = at;
    }
}

/* Bytes of the character at s in the parser's text: UTF-8, but an
 * overflowing numeric reference can leave it a stray byte (then 1). */
static size_t char_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (k > n)
        return 1;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return k;
}

static bool is_fffd(const char *s, size_t n)
{
    return n >= 3 && !memcmp(s, "\xEF\xBF\xBD", 3);
}

/* Bytes of the character at p, or of its maximal ill-formed subpart (one
 * U+FFFD to the parser, as to the Unicode standard). */
static size_t subpart(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 1;
    }
    size_t k = 1;
    while (k < need && k < n && p[k] >= lo && p[k] <= hi) {
        lo = 0x80;
        hi = 0xBF;
        k++;
    }
    return k;
}

/* Piece s[i, i + len) clipped to [from, to). */
static jk_status out(walker *w, const char *s, size_t i, size_t len,
                     size_t src, size_t end, bool mapped, size_t from,
                     size_t to)
{
    size_t a = i > from ? i : from, z = i + len < to ? i + len : to;
    if (a >= z)
        return JK_OK;
    if (mapped)
        return piece(w, s + a, z - a, src + (a - i), src + (z - i));
    return piece(w, s + a, z - a, src, a == i && z == i + len ? end : src);
}

#define RESYNC_WINDOW 64

/* The parser's text s[0..n) against the source it came from, o[0..on) at
 * offset base: every character written with the offset it was written at
 * (references, CR LF, NUL, invalid bytes, markup the parser stepped
 * over); only s[from, to) is written. *at_to: the source offset of
 * s[to]. `raw`: raw text or RCDATA (title, xmp, plaintext): NUL is U+FFFD
 * there, not dropped; `refs`: references are decoded (not in raw text). */
static jk_status align(walker *w, const char *s, size_t n, const char *o,
                       size_t on, size_t base, size_t from, size_t to,
                       bool raw, bool refs, size_t *at_to)
{
    size_t i = 0, j = 0, ri = 0, rj = 0;
    jk_status st = JK_OK;
    bool noted = false;
    *at_to = base + on;
#define FLUSH()                                                              \
    do {                                                                     \
        if (i > ri && st == JK_OK)                                           \
            st = out(w, s, ri, i - ri, base + rj, base + j, true, from, to); \
    } while (0)
    while (i < n && st == JK_OK) {
        if (!noted && i >= to) {
            *at_to = base + j;
            noted = true;
        }
        if (j >= on) { /* the source ran out: the rest at its end */
            FLUSH();
            if (st == JK_OK)
                st = out(w, s, i, n - i, base + on, base + on, false, from,
                         to);
            ri = i = n;
            break;
        }
        unsigned char c = (unsigned char)o[j];
        size_t len = char_len(s + i, n - i);
        size_t m;
        if (c == '<' && !raw && (m = markup_len(o + j, on - j)) != 0) {
            FLUSH(); /* a tag the parser ignored: never text outside raw
                        text, even where a '<' follows in the text */
            j += m;
            ri = i;
            rj = j;
            continue;
        }
        if (c == '&' && refs) {
            char dec[8];
            size_t dn = 0, k = jk__char_ref(o + j, on - j, dec, &dn);
            /* a numeric reference whose value overflows gumbo decodes to
             * its own character: one, whatever it is */
            if (k && o[j + 1] == '#' && (dn > n - i || memcmp(s + i, dec, dn)))
                dn = len;
            if (k && dn <= n - i && (o[j + 1] == '#' || !memcmp(s + i, dec, dn))) {
                FLUSH();
                /* one code point at a time: each at the '&' */
                for (size_t p = 0; p < dn && st == JK_OK;) {
                    size_t cl = char_len(s + i + p, dn - p);
                    st = out(w, s, i + p, cl, base + j, base + j + k, false,
                             from, to);
                    p += cl;
                }
                i += dn;
                j += k;
                ri = i;
                rj = j;
                continue;
            }
        } else if (c == '\r' && s[i] == '\n') {
            FLUSH();
            size_t k = j + 1 < on && o[j + 1] == '\n' ? 2 : 1;
            if (st == JK_OK)
                st = out(w, s, i, 1, base + j, base + j + k, false, from, to);
            i++;
            j += k;
            ri = i;
            rj = j;
            continue;
        }
        if (len <= on - j && !memcmp(s + i, o + j, len)) {
            i += len;
            j += len;
            continue;
        }
        FLUSH();
        ri = i;
        rj = j;
        if (st != JK_OK)
            break;
        if (c == 0 && !raw) {
            j++; /* a NUL the parser dropped (it keeps them as U+FFFD in
                    raw text only) */
        } else if (is_fffd(s + i, n - i)) {
            size_t k = subpart((const unsigned char *)o + j, on - j);
            st = out(w, s, i, 3, base + j, base + j + k, false, from, to);
            i += 3;
            j += k;
        } else {
            size_t lim = on - j < RESYNC_WINDOW ? on - j : RESYNC_WINDOW;
            size_t k = 1;
            while (k + len <= lim && memcmp(o + j + k, s + i, len))
                k++;
            if (k + len <= lim) {
                j += k; /* source the parser left out */
            } else {    /* a character the source lacks, at this offset */
                st = out(w, s, i, len, base + j, base + j, false, from, to);
                i += len;
            }
        }
        ri = i;
        rj = j;
    }
    FLUSH();
#undef FLUSH
    if (!noted)
        *at_to = base + (j < on ? j : on);
    return st;
}

static jk_status text_node(walker *w, const GumboNode *node)
{
    const GumboText *t = &node->v.text;
    const char *s = t->text ? t->text : "";
    size_t n = strlen(s);
    if (!n)
        return JK_OK;
    const scope *sc = &top(w)->sc;
    const char *o = t->original_text.data;
    size_t on = t->original_text.length, base;
    if (o && o >= w->src && on <= w->size &&
        (size_t)(o - w->src) <= w->size - on) {
        base = (size_t)(o - w->src);
    } else {
        o = "";
        on = 0;
        base = w->floor;
    }
    size_t from = 0, to = n;
    bool pre = sc->pre && !sc->flat;
    if (!pre) {
        while (from < n && is_ws((unsigned char)s[from]))
            from++;
        if (from == n) {
            defer_space(w, base);
            return JK_OK;
        }
        while (to > from && is_ws((unsigned char)s[to - 1]))
            to--;
        if (!w->seps)
            from = 0; /* leading space collapses with what is before */
    }
    jk_status st = begin_content(w);
    if (st != JK_OK)
        return st;
    const GumboNode *p = node->parent;
    bool rawtext = sc->raw;
    bool rcdata = p && (is_element(p, GUMBO_TAG_TITLE) ||
                        is_element(p, GUMBO_TAG_TEXTAREA));
    size_t at_to;
    st = align(w, s, n, o, on, base, from, to, rawtext || rcdata, !rawtext,
               &at_to);
    if (st == JK_OK && to < n)
        defer_space(w, at_to);
    return st;
}

/* Content children of frame k's element, counted up to two (cached). */
static int content_count(walker *w, size_t k)
{
    frame *f = &w->frames[k];
    if (f->content >= 0)
        return f->content;
    const GumboVector *kids = &f->node->v.element.children;
    int count = 0;
    for (unsigned i = 0; i < kids->length && count < 2; i++) {
        const GumboNode *c = kids->data[i];
        if (c->type == GUMBO_NODE_TEXT) {
            const char *s = c->v.text.text;
            while (s && *s && is_ws((unsigned char)*s))
                s++;
            count += s && *s;
        } else if (c->type == GUMBO_NODE_ELEMENT && !dropped(w, c, true) &&
                   !is_element(c, GUMBO_TAG_BR) &&
                   !is_element(c, GUMBO_TAG_WBR)) {
            count++;
        }
    }
    f->content = (int8_t)count;
    return count;
}

/* An img that stands alone (a figure of its own): its parent frame is
 * the top one. */
static bool image_alone(walker *w)
{
    size_t k = w->depth - 1;
    const GumboNode *p = w->frames[k].node;
    if (k == 0 || is_element(p, GUMBO_TAG_BODY) ||
        is_element(p, GUMBO_TAG_ARTICLE) || is_element(p, GUMBO_TAG_MAIN))
        return true;
    for (;;) {
        if (content_count(w, k) != 1)
            return false;
        p = w->frames[k].node;
        if (is_element(p, GUMBO_TAG_P) || is_element(p, GUMBO_TAG_DIV))
            return true;
        if (!is_element(p, GUMBO_TAG_A) && !is_element(p, GUMBO_TAG_SPAN) &&
            !unknown_is(p, "picture"))
            return false;
        if (k == 0)
            return false;
        k--;
    }
}

static jk_status figure(walker *w, const GumboNode *img, size_t start,
                        size_t end)
{
    jk__figure_src f;
    memset(&f, 0, sizeof f);
    f.status = JK_IMAGE_OK;
    const char *src = attr(img, "src");
    size_t len = 0;
    if (src)
        src = trimmed(src, &len);
    if (!len && (src = attr(img, "data-src")) != NULL)
        src = trimmed(src, &len);
    f.src = len ? src : NULL;
    f.src_size = len;
    f.alt = attr(img, "alt");
    f.alt_size = f.alt ? strlen(f.alt) : 0;
    if (start < w->floor)
        start = w->floor;
    if (end < start)
        end = start;
    w->floor = end;
    f.start = start;
    f.end = end;
    /* where it stands: indented as the blocks of its quote or list */
    const scope *sc = &top(w)->sc;
    f.quote_depth = sc->quotes;
    f.list_depth = sc->lists;
    w->link = NULL;
    w->ws = false;
    w->seps = 0;
    return jk__builder_figure(w->b, &f);
}

/* The first img of a figure, not inside a nested figure. */
static const GumboNode *first_image(const walker *w, const GumboNode *fig)
{
    bool skip = false;
    for (const GumboNode *n = next_node(fig, fig, false); n;
         n = next_node(n, fig, skip)) {
        skip = n->type != GUMBO_NODE_ELEMENT || dropped(w, n, true) ||
               is_element(n, GUMBO_TAG_FIGURE);
        if (!skip && is_element(n, GUMBO_TAG_IMG))
            return n;
    }
    return NULL;
}

static bool holds_heading(const GumboNode *root)
{
    for (const GumboNode *n = root; n; n = next_node(n, root, false))
        if (n->type == GUMBO_NODE_ELEMENT &&
            n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML &&
            is_heading(n->v.element.tag))
            return true;
    return false;
}

/* HTML's rules for parsing integers: space, a sign, digits. */
static bool parse_int(const char *s, long *out)
{
    if (!s)
        return false;
    while (ascii_space(*s))
        s++;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    long v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        if (v < 1000000000L)
            v = v * 10 + (*s - '0');
    *out = neg ? -v : v;
    return true;
}

static size_t write_decimal(char *out, long v)
{
    char tmp[24];
    size_t n = 0, k = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10) && n < sizeof tmp);
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    return k;
}

/* An ol item's marker: "3.", "c.", "iii.". */
static size_t ordinal(char *out, long v, char type)
{
    size_t k = 0;
    if ((type == 'a' || type == 'A') && v >= 1) {
        char tmp[16];
        size_t n = 0;
        for (unsigned long u = (unsigned long)v; u && n < sizeof tmp;
             u = (u - 1) / 26)
            tmp[n++] = (char)((type == 'a' ? 'a' : 'A') + (u - 1) % 26);
        while (n)
            out[k++] = tmp[--n];
    } else if ((type == 'i' || type == 'I') && v >= 1 && v <= 3999) {
        static const struct {
            unsigned value;
            char digits[3];
        } roman[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                     {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                     {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                     {1, "i"}};
        unsigned long u = (unsigned long)v;
        for (size_t r = 0; r < sizeof roman / sizeof *roman; r++)
            for (; u >= roman[r].value; u -= roman[r].value)
                for (const char *d = roman[r].digits; *d; d++)
                    out[k++] = type == 'i' ? *d : (char)(*d - 32);
    } else {
        k = write_decimal(out, v);
    }
    out[k++] = '.';
    return k;
}

static void set_marker(frame *li, const char *text, size_t len)
{
    memcpy(li->marker, text, len);
    li->marker_len = (uint8_t)len;
    li->marker_pending = true;
}

static jk_status push_frame(walker *w, const GumboNode *node,
                            const scope *sc)
{
    if (!jk__grow(w->ctx, (void **)&w->frames, &w->cap, w->depth + 1,
                  sizeof *w->frames))
        return nomem(w);
    frame *f = &w->frames[w->depth++];
    memset(f, 0, sizeof *f);
    f->node = node;
    f->content = -1;
    f->sc = *sc;
    return JK_OK;
}

static unsigned style_of(GumboTag tag, bool pre)
{
    switch (tag) {
    case GUMBO_TAG_B: case GUMBO_TAG_STRONG: case GUMBO_TAG_TH:
        return JK_STYLE_BOLD;
    case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_CITE:
    case GUMBO_TAG_DFN: case GUMBO_TAG_VAR:
        return JK_STYLE_ITALIC;
    case GUMBO_TAG_CODE: case GUMBO_TAG_KBD: case GUMBO_TAG_SAMP:
    case GUMBO_TAG_TT:
        return pre ? 0 : JK_STYLE_CODE;
    case GUMBO_TAG_U: case GUMBO_TAG_INS:
        return JK_STYLE_UNDERLINE;
    case GUMBO_TAG_S: case GUMBO_TAG_DEL: case GUMBO_TAG_STRIKE:
        return JK_STYLE_STRIKE;
    case GUMBO_TAG_SUB:
        return JK_STYLE_SUB;
    case GUMBO_TAG_SUP:
        return JK_STYLE_SUP;
    default:
        return 0;
    }
}

static bool block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HTML:
    case GUMBO_TAG_LEGEND: case GUMBO_TAG_LI: case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL:
    case GUMBO_TAG_XMP:
        return true;
    default:
        return false;
    }
}

static bool plain(const scope *sc)
{
    return sc->kind == JK_BLOCK_PARAGRAPH && !sc->quotes && !sc->lists &&
           !sc->pre && !sc->flat;
}

static bool byline_element(const walker *w, const GumboNode *n,
                           const scope *sc)
{
    if (!w->byline_open || !plain(sc))
        return false;
    const char *cls = attr(n, "class");
    if (!is_element(n, GUMBO_TAG_TIME) &&
        !(cls && (contains(cls, "byline") || contains(cls, "author"))))
        return false;
    return !holds_heading(n);
}

/* Whether a tr holds th cells and no td. */
static bool header_cells(const GumboNode *tr)
{
    const GumboVector *kids = &tr->v.element.children;
    bool th = false;
    for (unsigned i = 0; i < kids->length; i++) {
        if (is_element(kids->data[i], GUMBO_TAG_TD))
            return false;
        th |= is_element(kids->data[i], GUMBO_TAG_TH);
    }
    return th;
}

static long count_items(const GumboNode *list)
{
    const GumboVector *kids = &list->v.element.children;
    long n = 0;
    for (unsigned i = 0; i < kids->length; i++)
        n += is_element(kids->data[i], GUMBO_TAG_LI);
    return n;
}

static jk_status line_break(walker *w, const GumboNode *node)
{
    const scope *sc = &top(w)->sc;
    if (!jk__builder_open(w->b))
        return JK_OK; /* nothing to break */
    if (sc->flat) {
        defer_space(w, node_start(node));
        return JK_OK;
    }
    w->ws = false;
    w->seps = 0;
    if (w->link && w->link != sc->href) {
        jk__builder_link_end(w->b);
        w->link = NULL;
    }
    return put_char(w, '\n', node_start(node));
}

static jk_status rule(walker *w, const GumboNode *node)
{
    const scope *sc = &top(w)->sc;
    if (sc->flat || sc->pre) {
        defer_space(w, node_start(node));
        return JK_OK;
    }
    jk_status st = end_block(w);
    if (st == JK_OK)
        st = open_block(w, sc, JK_BLOCK_RULE);
    if (st == JK_OK)
        st = put_char(w, 0x2015, node_start(node));
    if (st == JK_OK)
        st = end_block(w);
    return st;
}

static jk_status image(walker *w, const GumboNode *node)
{
    const scope *sc = &top(w)->sc;
    size_t start = node_start(node);
    size_t end = start + node->v.element.original_tag.length;
    bool block = !sc->flat && !sc->pre;
    if (sc->figure && node != sc->image)
        return JK_OK; /* a figure is made of its first image only */
    if (block && ((sc->figure && node == sc->image) || image_alone(w)))
        return figure(w, node, start, end);
    const char *alt = attr(node, "alt");
    size_t n = alt ? strlen(alt) : 0, i = 0;
    while (i < n && is_ws((unsigned char)alt[i]))
        i++;
    if (i == n)
        return JK_OK;
    jk_status st = begin_content(w);
    /* every character at the tag (which is longer than its alt text) */
    return st == JK_OK ? piece(w, alt, n, start, end > start + n ? end : start)
                       : st;
}

static jk_status enter(walker *w, const GumboNode *node, const scope *outer)
{
    const GumboElement *e = &node->v.element;
    GumboTag tag = e->tag;
    switch (tag) { /* void elements */
    case GUMBO_TAG_BR: return line_break(w, node);
    case GUMBO_TAG_HR: return rule(w, node);
    case GUMBO_TAG_IMG: return image(w, node);
    default: break;
    }
    if (tag_flags(tag) & F_VOID)
        return JK_OK;
    scope sc = *outer; /* before the push: outer is in the frames */
    jk_status st = JK_OK;
    const char *href = NULL;
    size_t href_len = 0;
    if (tag == GUMBO_TAG_A && (href = attr(node, "href")) != NULL)
        href = trimmed(href, &href_len);
    /* a space before a styled element or a link is outside it */
    if ((style_of(tag, sc.pre) || href_len) && w->ws)
        st = flush_space(w);
    if (st == JK_OK)
        st = push_frame(w, node, &sc);
    if (st != JK_OK)
        return st;
    size_t index = w->depth - 1;
    frame *f = &w->frames[index];
    scope *s = &f->sc;
    bool flat = s->flat || s->pre, in_pre = s->pre;
    if (byline_element(w, node, s)) {
        f->block = true;
        f->byline = true;
        s->kind = JK_BLOCK_BYLINE;
        s->flat = true;
        return end_block(w);
    }
    bool container = s->kind == JK_BLOCK_PARAGRAPH ||
                     s->kind == JK_BLOCK_LIST || s->kind == JK_BLOCK_QUOTE;
    switch (tag) {
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        if (flat)
            break;
        s->kind = node == w->title ? JK_BLOCK_TITLE : JK_BLOCK_HEADING;
        s->level = node == w->title ? 0 : (uint8_t)(tag - GUMBO_TAG_H1 + 1);
        break;
    case GUMBO_TAG_BLOCKQUOTE:
        if (s->quotes < 255)
            s->quotes++;
        if (container)
            s->kind = JK_BLOCK_QUOTE;
        break;
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR: {
        if (s->lists < 255)
            s->lists++;
        if (container)
            s->kind = JK_BLOCK_LIST;
        if (s->item >= 0) /* the nested list's markers come first */
            w->frames[s->item].marker_pending = false;
        s->list = (int)index;
        f->type = 'u';
        if (tag == GUMBO_TAG_OL) {
            const char *type = attr(node, "type");
            f->type = type && strlen(type) == 1 && strchr("1aAiI", type[0])
                          ? type[0]
                          : '1';
            bool reversed = attr(node, "reversed") != NULL;
            f->step = reversed ? -1 : 1;
            if (!parse_int(attr(node, "start"), &f->counter))
                f->counter = reversed ? count_items(node) : 1;
        }
        break;
    }
    case GUMBO_TAG_LI: {
        if (s->lists == 0)
            s->lists = 1;
        if (container)
            s->kind = JK_BLOCK_LIST;
        s->item = (int)index;
        frame *list = s->list >= 0 ? &w->frames[s->list] : NULL;
        if (list && list->type != 'u') {
            long v;
            if (parse_int(attr(node, "value"), &v))
                list->counter = v;
            char m[24];
            set_marker(f, m, ordinal(m, list->counter, list->type));
            if (list->counter > -1000000000L && list->counter < 1000000000L)
                list->counter += list->step;
        } else {
            set_marker(f, s->lists <= 1 ? "\xE2\x80\xA2" /* • */
                          : s->lists == 2 ? "\xE2\x97\xA6" /* ◦ */
                                          : "\xE2\x96\xAA" /* ▪ */,
                       3);
        }
        break;
    }
    case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
        s->raw = tag == GUMBO_TAG_XMP || tag == GUMBO_TAG_PLAINTEXT;
        if (flat)
            break;
        s->pre = true;
        s->kind = JK_BLOCK_CODE;
        break;
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_CAPTION:
        if (!flat)
            s->kind = JK_BLOCK_CAPTION;
        break;
    case GUMBO_TAG_FIGURE: /* its first image is the figure, where it is */
        if (!flat && (s->image = first_image(w, node)) != NULL)
            s->figure = true;
        break;
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
        s->thead = false;
        break;
    case GUMBO_TAG_THEAD:
        s->thead = true;
        break;
    case GUMBO_TAG_TR:
        if (flat) { /* a nested row: its first cell joins the cell it is in */
            w->cells = 0;
            break;
        }
        s->kind = JK_BLOCK_TABLE;
        s->flat = true;
        s->header = s->thead || header_cells(node);
        w->cells = w->seps = 0;
        break;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH:
        if (s->flat) {
            w->ws = false; /* a cell's start is no space */
            if (w->cells++ > 0) {
                w->seps++;
                w->sep_at = node_start(node);
            }
        }
        break;
    case GUMBO_TAG_A:
        if (href_len) {
            s->href = href;
            s->href_len = href_len;
            f->link = true;
        }
        break;
    case GUMBO_TAG_RT:
        f->paren = 1;
        s->rt = (int)index;
        break;
    default:
        break;
    }
    if (st != JK_OK)
        return st;
    if (block_tag(tag)) {
        if (!flat) {
            f->block = true;
            st = end_block(w);
        } else if (!in_pre) { /* in a row or the byline: a space */
            f->inline_block = true;
            defer_space(w, node_start(node));
        }
    }
    f->style = style_of(tag, s->pre);
    if (f->style)
        jk__builder_push_style(w->b, f->style);
    return st;
}

static jk_status leave(walker *w)
{
    frame *f = top(w);
    jk_status st = JK_OK;
    if (f->style)
        jk__builder_pop_style(w->b, f->style);
    if (f->paren == 2 && jk__builder_open(w->b)) {
        w->ws = false;
        w->seps = 0;
        st = put_char(w, ')', f->node->v.element.end_pos.offset);
    }
    if (f->link && w->link == f->sc.href) {
        jk__builder_link_end(w->b);
        w->link = NULL;
    }
    if (st == JK_OK && f->block)
        st = end_block(w);
    else if (f->inline_block) /* at its end tag: before what follows */
        defer_space(w, f->node->v.element.end_pos.offset);
    if (f->byline)
        w->byline_open = false;
    w->depth--;
    return st;
}

/* Walk the element `root` in scope `sc`. */
static jk_status walk(walker *w, const GumboNode *root, const scope *sc)
{
    jk_status st = push_frame(w, root, sc);
    if (st != JK_OK)
        return st;
    /* the root as a block container of its own */
    w->frames[0].block = true;
    while (w->depth && st == JK_OK) {
        frame *f = top(w);
        const GumboVector *kids = children_of(f->node);
        if (kids && f->next < kids->length) {
            const GumboNode *c = kids->data[f->next++];
            if (c->type == GUMBO_NODE_TEXT ||
                c->type == GUMBO_NODE_WHITESPACE ||
                c->type == GUMBO_NODE_CDATA)
                st = text_node(w, c);
            else if (c->type == GUMBO_NODE_ELEMENT && !dropped(w, c, true))
                st = enter(w, c, &f->sc);
        } else {
            st = leave(w);
        }
    }
    return st;
}

static jk_status read_tree(walker *w, const GumboOutput *out)
{
    const GumboNode *html = out->root, *body = NULL;
    const GumboNode *article = NULL, *main_el = NULL, *title = NULL;
    /* Where the article is, and the page's title. */
    bool skip = false;
    for (const GumboNode *n = out->document; n;
         n = next_node(n, out->document, skip)) {
        skip = n->type != GUMBO_NODE_ELEMENT &&
               n->type != GUMBO_NODE_DOCUMENT;
        if (n->type != GUMBO_NODE_ELEMENT)
            continue;
        if (!title && is_element(n, GUMBO_TAG_TITLE))
            title = n;
        if (!body && is_element(n, GUMBO_TAG_BODY))
            body = n;
        if (is_element(n, GUMBO_TAG_HEAD))
            continue; /* for its title */
        skip = dropped(w, n, false);
        if (!skip && !article && is_element(n, GUMBO_TAG_ARTICLE))
            article = n;
        if (!skip && !main_el && is_element(n, GUMBO_TAG_MAIN))
            main_el = n;
    }
    const GumboNode *root = article ? article : main_el ? main_el
                                             : body ? body : html;
    if (!root || root->type != GUMBO_NODE_ELEMENT)
        return JK_OK;
    /* Its first h1, and the forms that wrap it. */
    skip = false;
    for (const GumboNode *n = root; n; n = next_node(n, root, skip)) {
        skip = n->type != GUMBO_NODE_ELEMENT ||
               (n != root && dropped(w, n, false));
        if (!skip && is_element(n, GUMBO_TAG_H1)) {
            w->title = n;
            break;
        }
    }
    for (const GumboNode *n = w->title; n && n != root; n = n->parent)
        if (is_element(n, GUMBO_TAG_FORM) && w->form_count < 4)
            w->forms[w->form_count++] = n;

    scope sc;
    memset(&sc, 0, sizeof sc);
    sc.kind = JK_BLOCK_PARAGRAPH;
    sc.list = sc.item = sc.rt = -1;
    w->byline_open = true;
    jk_status st = JK_OK;
    if (!w->title && title && node_start(title) < node_start(root)) {
        scope ts = sc;
        ts.kind = JK_BLOCK_TITLE;
        st = walk(w, title, &ts);
    }
    if (st == JK_OK)
        st = walk(w, root, &sc);
    return st;
}

jk_status jk__read_html(jk_document *doc, const char *bytes, size_t size,
                        const jk_read_options *options)
{
    jk_context *ctx = doc->ctx;
    char *copy = jk__malloc(ctx, size ? size : 1);
    nest *ns = jk__malloc(ctx, sizeof *ns);
    if (!copy || !ns) {
        jk__free(ctx, copy);
        jk__free(ctx, ns);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading HTML");
    }
    if (size)
        memcpy(copy, bytes, size);
    memset(ns, 0, sizeof *ns);
    ns->buf = copy;
    ns->n = size;
    ns->reopen_budget = 1024 + size / 16;
    cap_nesting(ns);
    jk__free(ctx, ns);

    arena a;
    memset(&a, 0, sizeof a);
    a.ctx = ctx;
    a.next_size = ARENA_MIN_CHUNK;
    GumboOptions go = kGumboDefaultOptions;
    go.allocator = arena_alloc;
    go.deallocator = arena_free;
    go.userdata = &a;
    go.max_errors = 0; /* errors are not kept */
    GumboOutput *out = parse(&a, &go, copy, size);
    jk_status st = JK_OK;
    if (!out) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory parsing HTML");
    } else {
        walker w;
        memset(&w, 0, sizeof w);
        w.ctx = ctx;
        w.src = copy;
        w.size = size;
        w.b = jk__builder_create(doc, options);
        if (!w.b)
            st = JK_ERR_NOMEM;
        else
            st = read_tree(&w, out);
        if (w.b) {
            jk_status fin = jk__builder_finish(w.b);
            if (st == JK_OK)
                st = fin;
        }
        jk__free(ctx, w.frames);
    }
    arena_release(&a);
    jk__free(ctx, copy);
    return st;
}

#endif
