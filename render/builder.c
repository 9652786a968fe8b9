/* Building blocks from structured readers (builder.h): code points with
 * source offsets and style bits, white space as HTML and CommonMark
 * collapse it, block attributes, links, figures. */
#include <string.h>

#include "builder.h"
#include "document.h"
#include "image.h"
#include "memory.h"
#include "reader.h"
#include "resource_limits.h"
#include "utf8.h"

typedef struct pending_link {
    uint32_t start, end; /* code points of the open block */
    char *href;
} pending_link;

struct jk__builder {
    jk_document *doc;
    jk_context *ctx;
    const jk_read_options *options;
    jk_status status; /* sticky */
    bool open;
    jk__block_attrs attrs;
    char *marker; /* attrs.marker, copied */
    uint32_t *cps, *off;
    uint8_t *style;
    size_t n, cap;
    uint32_t end_off;   /* source offset after the last character */
    unsigned column;    /* preformatted: column of the next character */
    unsigned counts[8]; /* pushes of each style bit */
    pending_link *links;
    size_t link_count, link_cap;
    bool in_link;
};

static jk_status fail(jk__builder *b, jk_status st)
{
    if (b->status == JK_OK)
        b->status = st;
    return b->status;
}

static jk_status nomem(jk__builder *b)
{
    return fail(b, jk__fail(b->ctx, JK_ERR_NOMEM, "out of memory reading"));
}

jk__builder *jk__builder_create(jk_document *doc,
                                const jk_read_options *options)
{
    jk__builder *b = jk__calloc(doc->ctx, 1, sizeof *b);
    if (!b) {
        jk__fail(doc->ctx, JK_ERR_NOMEM, "out of memory reading");
        return NULL;
    }
    b->doc = doc;
    b->ctx = doc->ctx;
    b->options = options;
    return b;
}

static void drop_links(jk__builder *b)
{
    for (size_t i = 0; i < b->link_count; i++)
        jk__free(b->ctx, b->links[i].href);
    b->link_count = 0;
    b->in_link = false;
}

jk_status jk__builder_finish(jk__builder *b)
{
    if (!b)
        return JK_ERR_NOMEM;
    jk__builder_end(b);
    jk_status st = b->status;
    drop_links(b);
    jk__free(b->ctx, b->links);
    jk__free(b->ctx, b->marker);
    jk__free(b->ctx, b->cps);
    jk__free(b->ctx, b->off);
    jk__free(b->ctx, b->style);
    jk__free(b->ctx, b);
    return st;
}

bool jk__builder_open(const jk__builder *b) { return b->open; }

jk_status jk__builder_begin(jk__builder *b, const jk__block_attrs *a)
{
    if (jk__builder_end(b) != JK_OK)
        return b->status;
    b->attrs = *a;
    b->attrs.marker = NULL;
    if (b->attrs.quote_depth > JK__MAX_SHOWN_DEPTH)
        b->attrs.quote_depth = JK__MAX_SHOWN_DEPTH;
    if (b->attrs.list_depth > JK__MAX_SHOWN_DEPTH)
        b->attrs.list_depth = JK__MAX_SHOWN_DEPTH;
    if (b->attrs.level > 6)
        b->attrs.level = 6;
    jk__free(b->ctx, b->marker);
    b->marker = NULL;
    if (a->marker && a->marker_size) {
        b->marker = jk__malloc(b->ctx, a->marker_size + 1);
        if (!b->marker)
            return nomem(b);
        memcpy(b->marker, a->marker, a->marker_size);
        b->marker[a->marker_size] = '\0';
        b->attrs.marker = b->marker;
    }
    b->open = true;
    b->n = 0;
    b->end_off = 0;
    b->column = 0;
    return JK_OK;
}

static unsigned current_style(const jk__builder *b)
{
    unsigned s = 0;
    for (unsigned i = 0; i < 8; i++)
        if (b->counts[i])
            s |= 1u << i;
    return s;
}

static jk_status put(jk__builder *b, uint32_t cp, uint32_t off,
                     uint32_t end)
{
    if (b->n >= JK__MAX_SOURCE_BYTES)
        return fail(b, jk__fail(b->ctx, JK_ERR_LIMIT, "block too long"));
    if (b->n + 1 >= b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        uint32_t *c = jk__realloc_array(b->ctx, b->cps, cap, sizeof *c);
        if (!c)
            return nomem(b);
        b->cps = c;
        uint32_t *o = jk__realloc_array(b->ctx, b->off, cap + 1, sizeof *o);
        if (!o)
            return nomem(b);
        b->off = o;
        uint8_t *st = jk__realloc_array(b->ctx, b->style, cap, 1);
        if (!st)
            return nomem(b);
        b->style = st;
        b->cap = cap;
    }
    b->cps[b->n] = cp;
    b->off[b->n] = off;
    b->style[b->n] = (uint8_t)current_style(b);
    b->n++;
    b->end_off = end;
    return JK_OK;
}

static bool is_ws(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f';
}

static jk_status ensure_open(jk__builder *b)
{
    if (b->open)
        return JK_OK;
    jk__block_attrs a = {0};
    a.kind = JK_BLOCK_PARAGRAPH;
    return jk__builder_begin(b, &a);
}

jk_status jk__builder_text(jk__builder *b, const char *s, size_t n,
                           size_t src, size_t src_end)
{
    if (b->status != JK_OK || ensure_open(b) != JK_OK)
        return b->status;
    if (src_end > JK__MAX_SOURCE_BYTES)
        return fail(b, jk__fail(b->ctx, JK_ERR_LIMIT, "source too large"));
    bool mapped = src_end - src == n;
    bool pre = b->attrs.preformatted;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n && b->status == JK_OK;) {
        uint32_t cp;
        size_t k = jk__utf8_decode(u + i, n - i, &cp);
        uint32_t off = (uint32_t)(mapped ? src + i : src);
        uint32_t end = (uint32_t)(mapped ? src + i + k : src_end);
        i += k;
        if (pre && cp == '\r') {
            if (i < n && u[i] == '\n')
                continue; /* CR LF: the LF breaks the line */
            cp = '\n';
        }
        if (pre && cp == '\t') { /* to the next multiple of 4 columns */
            do
                put(b, ' ', off, end), b->column++;
            while (b->column % 4 && b->status == JK_OK);
            continue;
        }
        if (!pre && is_ws(cp))
            cp = ' ';
        else if (cp != '\n' && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)))
            cp = 0xFFFD;
        put(b, cp, off, end);
        b->column = cp == '\n' ? 0 : b->column + 1;
    }
    return b->status;
}

jk_status jk__builder_char(jk__builder *b, uint32_t cp, size_t src)
{
    if (b->status != JK_OK || ensure_open(b) != JK_OK)
        return b->status;
    if (src >= JK__MAX_SOURCE_BYTES)
        return fail(b, jk__fail(b->ctx, JK_ERR_LIMIT, "source too large"));
    /* A line break is marked as U+2028 until the block ends, so that
     * collapsing white space keeps it. */
    if (cp == '\n')
        cp = 0x2028;
    put(b, cp, (uint32_t)src, (uint32_t)src + 1);
    b->column = 0;
    return b->status;
}

void jk__builder_push_style(jk__builder *b, unsigned style)
{
    for (unsigned i = 0; i < 8; i++)
        if (style & (1u << i))
            b->counts[i]++;
}

void jk__builder_pop_style(jk__builder *b, unsigned style)
{
    for (unsigned i = 0; i < 8; i++)
        if ((style & (1u << i)) && b->counts[i])
            b->counts[i]--;
}

/* s[0..n) as a string of well-formed UTF-8, whatever the reader gives
 * (an href, a figure's src and alt): gumbo hands back a stray byte for a
 * numeric reference past 2^31 in an attribute ("&#x0cccccccccccccccca"),
 * md4c the source's own bytes. Invalid sequences become U+FFFD (3 bytes
 * each at most), NULs go. */
static char *copy_string(jk__builder *b, const char *s, size_t n)
{
    char *c = n < SIZE_MAX / 3 ? jk__malloc(b->ctx, 3 * n + 1) : NULL;
    if (!c) {
        nomem(b);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += jk__utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp != 0)
            k += jk__utf8_encode(cp, c + k);
    }
    c[k] = '\0';
    return c;
}

jk_status jk__builder_link_begin(jk__builder *b, const char *href, size_t n)
{
    if (b->status != JK_OK || ensure_open(b) != JK_OK)
        return b->status;
    jk__builder_link_end(b);
    if (!jk__grow(b->ctx, (void **)&b->links, &b->link_cap,
                  b->link_count + 1, sizeof *b->links))
        return nomem(b);
    char *h = copy_string(b, href, n);
    if (!h)
        return b->status;
    b->links[b->link_count++] = (pending_link){(uint32_t)b->n, 0, h};
    b->in_link = true;
    jk__builder_push_style(b, JK_STYLE_LINK);
    return JK_OK;
}

void jk__builder_link_end(jk__builder *b)
{
    if (!b->in_link)
        return;
    b->links[b->link_count - 1].end = (uint32_t)b->n;
    b->in_link = false;
    jk__builder_pop_style(b, JK_STYLE_LINK);
}

/* Collapse white space in place (not preformatted): runs of spaces to
 * one, none at the ends or around a line break; `map[i]` gets the new
 * index of code point i (for the links); *kept the count before the
 * trailing spaces go. Returns the new count. */
static size_t collapse(jk__builder *b, uint32_t *map, size_t *kept)
{
    size_t w = 0;
    for (size_t i = 0; i < b->n; i++) {
        uint32_t cp = b->cps[i];
        map[i] = (uint32_t)w;
        if (cp == ' ') {
            if (w == 0 || b->cps[w - 1] == ' ' || b->cps[w - 1] == 0x2028)
                continue;
        } else if (cp == 0x2028 && w > 0 && b->cps[w - 1] == ' ') {
            w--; /* no space before a line break */
        }
        b->cps[w] = cp;
        b->off[w] = b->off[i];
        b->style[w] = b->style[i];
        w++;
    }
    map[b->n] = (uint32_t)w;
    *kept = w;
    while (w > 0 && (b->cps[w - 1] == ' ' || b->cps[w - 1] == 0x2028))
        w--;
    return w;
}

/* Preformatted: line ends stay; each line's leading spaces become no-break
 * spaces, so that a line keeps its indentation after a break; the block's
 * trailing line ends go. */
static size_t keep_lines(jk__builder *b)
{
    bool start = true;
    for (size_t i = 0; i < b->n; i++) {
        if (b->cps[i] == '\n' || b->cps[i] == 0x2028) {
            b->cps[i] = '\n';
            start = true;
        } else if (b->cps[i] == ' ' && start) {
            b->cps[i] = 0xA0;
        } else {
            start = false;
        }
    }
    size_t w = b->n;
    while (w > 0 && (b->cps[w - 1] == '\n' || b->cps[w - 1] == 0xA0 ||
                     b->cps[w - 1] == ' '))
        w--;
    return w;
}

/* The marker of a list item, shaped with the item: every character at
 * the item's source offset. */
static jk_status make_marker(jk__builder *b, jk__block *blk)
{
    const unsigned char *m = (const unsigned char *)b->marker;
    size_t len = strlen(b->marker);
    jk__marker *mk = jk__calloc(b->ctx, 1, sizeof *mk);
    if (!mk)
        return nomem(b);
    jk__block *s = &mk->shaped;
    s->kind = blk->kind;
    s->figure = UINT32_MAX;
    s->cps = jk__realloc_array(b->ctx, NULL, len + 1, sizeof *s->cps);
    s->off = jk__calloc(b->ctx, len + 2, sizeof *s->off);
    mk->text = b->marker;
    b->marker = NULL; /* the marker owns it now */
    blk->marker = mk;
    if (!s->cps || !s->off)
        return nomem(b); /* freed with blk */
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += jk__utf8_decode(m + i, len - i, &cp);
        s->cps[n] = cp;
        s->off[n++] = (uint32_t)b->attrs.marker_source;
    }
    s->off[n] = (uint32_t)b->attrs.marker_source;
    s->n = n;
    return JK_OK;
}

jk_status jk__builder_end(jk__builder *b)
{
    if (!b->open || b->status != JK_OK) {
        b->open = false;
        drop_links(b);
        return b->status;
    }
    b->open = false;
    jk__builder_link_end(b);
    jk_context *ctx = b->ctx;
    uint32_t *map = NULL;
    size_t n, kept = b->n;
    if (b->attrs.preformatted) {
        n = keep_lines(b);
    } else {
        map = jk__realloc_array(ctx, NULL, b->n + 1, sizeof *map);
        if (!map)
            return nomem(b);
        n = collapse(b, map, &kept);
        for (size_t i = 0; i < n; i++)
            if (b->cps[i] == 0x2028)
                b->cps[i] = '\n';
    }
    if (n == 0) {
        jk__free(ctx, map);
        drop_links(b);
        return JK_OK;
    }
    if (jk__reserve_block(b->doc) != JK_OK) {
        jk__free(ctx, map);
        return fail(b, JK_ERR_NOMEM);
    }
    jk__block blk;
    memset(&blk, 0, sizeof blk);
    blk.kind = b->attrs.kind;
    blk.n = n;
    blk.level = b->attrs.level;
    blk.quote_depth = b->attrs.quote_depth;
    blk.list_depth = b->attrs.list_depth;
    blk.flags = (uint8_t)((b->attrs.preformatted ? JK__BLOCK_PRE : 0) |
                          (b->attrs.header_row ? JK__BLOCK_HEADER_ROW : 0));
    blk.figure = UINT32_MAX;
    blk.cps = jk__realloc_array(ctx, NULL, n, sizeof *blk.cps);
    blk.off = jk__realloc_array(ctx, NULL, n + 1, sizeof *blk.off);
    bool styled = b->attrs.header_row;
    for (size_t i = 0; i < n && !styled; i++)
        styled = b->style[i] != 0;
    if (styled)
        blk.style = jk__malloc(ctx, n);
    if (!blk.cps || !blk.off || (styled && !blk.style)) {
        jk__block_free(ctx, &blk);
        jk__free(ctx, map);
        return nomem(b);
    }
    memcpy(blk.cps, b->cps, n * sizeof *blk.cps);
    memcpy(blk.off, b->off, n * sizeof *blk.off);
    /* the end: after the last character kept (off[n] is the first
     * trailing space dropped; entries past the compacted ones are stale) */
    blk.off[n] = n == kept ? b->end_off : b->off[n];
    if (blk.off[n] < blk.off[n - 1])
        blk.off[n] = blk.off[n - 1];
    if (styled)
        for (size_t i = 0; i < n; i++)
            blk.style[i] = (uint8_t)(b->style[i] |
                                     (b->attrs.header_row ? JK_STYLE_BOLD
                                                          : 0));
    if (b->marker && make_marker(b, &blk) != JK_OK) {
        jk__block_free(ctx, &blk);
        jk__free(ctx, map);
        return b->status;
    }
    /* The links, on the kept code points. */
    jk_document *doc = b->doc;
    uint32_t index = (uint32_t)doc->block_count;
    for (size_t i = 0; i < b->link_count; i++) {
        pending_link *l = &b->links[i];
        uint32_t s = map ? map[l->start] : l->start;
        uint32_t e = map ? map[l->end] : l->end;
        if (e > n)
            e = (uint32_t)n;
        if (s >= e)
            continue;
        if (!jk__grow(ctx, (void **)&doc->links, &doc->link_cap,
                      doc->link_count + 1, sizeof *doc->links)) {
            jk__block_free(ctx, &blk);
            jk__free(ctx, map);
            return nomem(b);
        }
        doc->links[doc->link_count++] = (jk__link){index, s, e, l->href};
        l->href = NULL;
    }
    jk__free(ctx, map);
    drop_links(b);
    doc->blocks[doc->block_count++] = blk;
    /* how far, in source bytes (the total is not known here) */
    jk_status st = jk__progress(ctx, JK_STAGE_READ, blk.off[blk.n], 0);
    return st == JK_OK ? JK_OK : fail(b, st);
}

/* ---------------------------------------------------------------- figures */

static int base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* A data: URI's bytes ("data:image/png;base64,...", or percent-encoded
 * without ";base64"). JK_IMAGE_OK with *out (the caller frees it);
 * CORRUPT for an encoding error; REFUSED past the size limit; MISSING
 * when memory failed (the builder's status says so). */
static jk_image_status data_uri(jk__builder *b, const char *src, size_t n,
                                uint8_t **out, size_t *size)
{
    const char *comma = memchr(src, ',', n);
    if (!comma)
        return JK_IMAGE_CORRUPT;
    size_t head = (size_t)(comma - src);
    bool base64 = head >= 7 && !memcmp(comma - 7, ";base64", 7);
    const char *p = comma + 1;
    size_t len = n - head - 1;
    if (len / 4 * 3 > JK__MAX_IMAGE_BYTES)
        return JK_IMAGE_REFUSED;
    uint8_t *buf = jk__malloc(b->ctx, len + 1);
    if (!buf) {
        nomem(b);
        return JK_IMAGE_MISSING;
    }
    size_t w = 0;
    if (base64) {
        unsigned acc = 0, bits = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
                continue;
            int v = base64_value(c);
            if (v < 0) {
                jk__free(b->ctx, buf);
                return JK_IMAGE_CORRUPT;
            }
            acc = (acc << 6) | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                buf[w++] = (uint8_t)(acc >> bits);
            }
        }
    } else {
        for (size_t i = 0; i < len; i++) {
            int hi, lo;
            if (p[i] == '%' && i + 2 < len &&
                (hi = jk__hex_digit((unsigned char)p[i + 1])) >= 0 &&
                (lo = jk__hex_digit((unsigned char)p[i + 2])) >= 0) {
                buf[w++] = (uint8_t)(hi << 4 | lo);
                i += 2;
            } else {
                buf[w++] = (uint8_t)p[i];
            }
        }
    }
    *out = buf;
    *size = w;
    return JK_IMAGE_OK;
}

static bool has_prefix(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

jk_status jk__builder_figure(jk__builder *b, const jk__figure_src *f)
{
    if (jk__builder_end(b) != JK_OK)
        return b->status;
    jk_context *ctx = b->ctx;
    jk_document *doc = b->doc;
    if (!jk__grow(ctx, (void **)&doc->figures, &doc->figure_cap,
                  doc->figure_count + 1, sizeof *doc->figures))
        return nomem(b);
    jk__figure fig;
    memset(&fig, 0, sizeof fig);
    fig.start = f->start;
    fig.end = f->end > f->start ? f->end : f->start;
    fig.src = copy_string(b, f->src ? f->src : "", f->src ? f->src_size : 0);
    fig.alt = copy_string(b, f->alt ? f->alt : "", f->alt ? f->alt_size : 0);
    if (!fig.src || !fig.alt)
        goto fail;

    /* The bytes: given, a data: URI, or the loader's. */
    const void *data = f->data;
    size_t size = f->size;
    uint8_t *owned = NULL;
    const void *loaded = NULL;
    size_t loaded_size = 0;
    jk_image_status why = f->status;
    if (!data && !f->pixels && why == JK_IMAGE_OK) {
        const jk_read_options *o = b->options;
        if (f->src && has_prefix(f->src, f->src_size, "data:")) {
            why = data_uri(b, f->src, f->src_size, &owned, &size);
            data = owned;
        } else if (o && o->load && f->src && f->src_size) {
            /* (the loader gets the bytes as written: a file's name) */
            char *ref = jk__malloc(ctx, f->src_size + 1);
            if (!ref) {
                nomem(b);
                goto fail;
            }
            memcpy(ref, f->src, f->src_size);
            ref[f->src_size] = '\0';
            why = o->load(o->user, ref, &loaded, &loaded_size);
            jk__free(ctx, ref);
            if (why == JK_IMAGE_OK && !loaded)
                why = JK_IMAGE_MISSING;
            data = loaded;
            size = loaded_size;
        } else {
            why = JK_IMAGE_MISSING;
        }
    }
    if (b->status != JK_OK)
        goto fail;
    jk_status st = JK_OK;
    if (why == JK_IMAGE_OK && f->pixels)
        st = jk__image_from_gray(ctx, f->pixels, f->width, f->height,
                                 f->stride, &fig.image, &why);
    else if (why == JK_IMAGE_OK && size > JK__MAX_IMAGE_BYTES)
        why = JK_IMAGE_REFUSED;
    else if (why == JK_IMAGE_OK)
        st = jk__image_decode(ctx, data, size, &fig.image, &why);
    if (loaded && b->options->unload)
        b->options->unload(b->options->user, loaded, loaded_size);
    jk__free(ctx, owned);
    if (st != JK_OK) {
        fail(b, st);
        goto fail;
    }
    fig.status = why;
    if (why != JK_IMAGE_OK)
        jk__image_free(ctx, &fig.image);

    /* The figure's block: its alt text, every character at the element's
     * start, for the placeholder; empty text for a drawn image. */
    jk__block_attrs a = {0};
    a.kind = JK_BLOCK_FIGURE;
    a.quote_depth = f->quote_depth;
    a.list_depth = f->list_depth;
    if (jk__builder_begin(b, &a) != JK_OK)
        goto fail;
    const char *alt = fig.alt;
    if (why != JK_IMAGE_OK && !*alt)
        alt = "그림"; /* a placeholder always says what it stands for */
    if (why != JK_IMAGE_OK &&
        jk__builder_text(b, alt, strlen(alt), fig.start, fig.end) != JK_OK)
        goto fail;
    if (why == JK_IMAGE_OK) {
        /* no text: a block of its own all the same */
        b->open = false;
        if (jk__reserve_block(doc) != JK_OK) {
            fail(b, JK_ERR_NOMEM);
            goto fail;
        }
        jk__block blk;
        memset(&blk, 0, sizeof blk);
        blk.kind = JK_BLOCK_FIGURE;
        blk.quote_depth = b->attrs.quote_depth;
        blk.list_depth = b->attrs.list_depth;
        blk.figure = (uint32_t)doc->figure_count;
        blk.cps = jk__realloc_array(ctx, NULL, 1, sizeof *blk.cps);
        blk.off = jk__calloc(ctx, 1, sizeof *blk.off);
        if (!blk.cps || !blk.off) {
            jk__block_free(ctx, &blk);
            nomem(b);
            goto fail;
        }
        blk.off[0] = (uint32_t)fig.start;
        fig.block = (uint32_t)doc->block_count;
        doc->blocks[doc->block_count++] = blk;
    } else {
        size_t before = doc->block_count;
        if (jk__builder_end(b) != JK_OK)
            goto fail;
        fig.block = (uint32_t)before;
        if (doc->block_count > before)
            doc->blocks[before].figure = (uint32_t)doc->figure_count;
    }
    doc->figures[doc->figure_count++] = fig;
    return JK_OK;
fail:
    jk__free(ctx, fig.src);
    jk__free(ctx, fig.alt);
    jk__image_free(ctx, &fig.image);
    return b->status != JK_OK ? b->status : nomem(b);
}
