/* The document: blocks read from text, and the chain every block goes
 * through once (break opportunities -> shaping -> hyphenation -> items),
 * so that any size and page is composed from it. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "builder.h"
#include "context.h"
#include "document.h"
#include "hyphenate.h"
#include "items.h"
#include "linebreak.h"
#include "memory.h"
#include "reader.h"
#include "resource_limits.h"
#include "shape.h"
#include "utf8.h"

/* Sizes are relative to the body size; spacing to the body line height.
 * Titles and headings are set in the sans family, as Korean news sites
 * do, the body in the serif (명조) family, code in the monospace one. */
static const jk__style styles[JK_BLOCK_KIND_COUNT] = {
    [JK_BLOCK_TITLE] = {1.6, JK_FAMILY_SANS, true, 0.0, 0.6, 1.35},
    [JK_BLOCK_BYLINE] = {0.8, JK_FAMILY_SANS, false, 0.0, 1.0, 0},
    [JK_BLOCK_HEADING] = {1.15, JK_FAMILY_SANS, true, 1.0, 0.4, 1.4},
    [JK_BLOCK_PARAGRAPH] = {1.0, JK_FAMILY_SERIF, false, 0.0, 0.5, 0},
    [JK_BLOCK_CAPTION] = {0.85, JK_FAMILY_SANS, false, 0.0, 0.8, 0},
    [JK_BLOCK_QUOTE] = {1.0, JK_FAMILY_SERIF, false, 0.0, 0.5, 0},
    [JK_BLOCK_LIST] = {1.0, JK_FAMILY_SERIF, false, 0.0, 0.3, 0},
    [JK_BLOCK_CODE] = {0.85, JK_FAMILY_MONO, false, 0.3, 0.6, 1.45},
    [JK_BLOCK_TABLE] = {0.9, JK_FAMILY_SANS, false, 0.6, 0.6, 1.5},
    [JK_BLOCK_FIGURE] = {0.85, JK_FAMILY_SANS, false, 0.6, 0.3, 0},
    [JK_BLOCK_RULE] = {1.0, JK_FAMILY_SERIF, false, 0.6, 0.6, 0},
};

/* Headings by level: h1 (not the title) largest; h4 to h6 the body size,
 * bold. */
static const jk__style heading_levels[7] = {
    [1] = {1.35, JK_FAMILY_SANS, true, 1.2, 0.5, 1.35},
    [2] = {1.15, JK_FAMILY_SANS, true, 1.0, 0.4, 1.4},
    [3] = {1.05, JK_FAMILY_SANS, true, 0.9, 0.35, 1.45},
    [4] = {1.0, JK_FAMILY_SANS, true, 0.8, 0.3, 0},
    [5] = {1.0, JK_FAMILY_SANS, true, 0.8, 0.3, 0},
    [6] = {0.95, JK_FAMILY_SANS, true, 0.8, 0.3, 0},
};

const jk__style *jk__style_of(const jk__block *b)
{
    if (b->kind == JK_BLOCK_HEADING && b->level >= 1 && b->level <= 6)
        return &heading_levels[b->level];
    jk_block_kind kind = b->kind;
    if ((unsigned)kind >= JK_BLOCK_KIND_COUNT)
        kind = JK_BLOCK_PARAGRAPH;
    return &styles[kind];
}

void jk__block_free(jk_context *ctx, jk__block *b)
{
    if (b->marker) {
        jk__block_free(ctx, &b->marker->shaped);
        jk__free(ctx, b->marker->text);
        jk__free(ctx, b->marker);
    }
    if (b->extra) {
        jk__free(ctx, b->extra->hyphens);
        jk__free(ctx, b->extra->offsets);
        jk__free(ctx, b->extra);
    }
    if (b->flags & JK__BLOCK_PACKED) {
        jk__free(ctx, b->xpos);
    } else {
        jk__free(ctx, b->cps);
        jk__free(ctx, b->off);
        jk__free(ctx, b->style);
        jk__free(ctx, b->brk);
        jk__free(ctx, b->xpos);
        jk__free(ctx, b->glyphs);
        jk__free(ctx, b->cp_glyph);
        jk__free(ctx, b->just);
    }
    memset(b, 0, sizeof *b);
}

jk__block_extra *jk__block_extra_of(jk_context *ctx, jk__block *b)
{
    if (!b->extra)
        b->extra = jk__calloc(ctx, 1, sizeof *b->extra);
    return b->extra;
}

const jk__hyphen *jk__hyphen_at(const jk__block *b, uint32_t pos)
{
    if (!b->extra)
        return NULL;
    const jk__hyphen *h = b->extra->hyphens;
    size_t lo = 0, hi = b->extra->hyphen_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->extra->hyphen_count && h[lo].pos == pos ? &h[lo] : NULL;
}

/* Source offsets of a block spanning under 64 KB of source as 16 bits
 * from a base: half the memory (news paragraphs are all far shorter). When
 * memory is short the block keeps its 32-bit ones. */
static void narrow_offsets(jk_context *ctx, jk__block *b)
{
    uint32_t base = b->off[0];
    if (b->off[b->n] - base > UINT16_MAX)
        return;
    /* one uint32 base, then n + 1 uint16, rounded up to uint32s */
    size_t words = 1 + (b->n + 2) / 2;
    uint32_t *narrow = jk__realloc_array(ctx, NULL, words, sizeof *narrow);
    if (!narrow)
        return;
    narrow[0] = base;
    uint16_t *d = (uint16_t *)(narrow + 1);
    for (size_t i = 0; i <= b->n; i++)
        d[i] = (uint16_t)(b->off[i] - base);
    jk__free(ctx, b->off);
    b->off = narrow;
    b->flags |= JK__BLOCK_OFF16;
}

/* The arrays of a prepared short block moved into one allocation: a short
 * paragraph costs one allocation's overhead instead of ten (a document of
 * one-syllable paragraphs is mostly overhead). Long blocks gain nothing
 * and would only fragment the heap. When memory is short the block simply
 * stays as it is. */
enum { PACK_MOST = 64 };
static void pack_block(jk_context *ctx, jk__block *b)
{
    struct piece {
        void **ptr;
        size_t size, align;
    } pieces[] = {
        /* the widest alignment first: xpos starts the pack */
        {(void **)&b->xpos, (b->n + 1) * sizeof *b->xpos, 8},
        {(void **)&b->glyphs, b->glyph_count * sizeof *b->glyphs, 4},
        {(void **)&b->cps, b->n * sizeof *b->cps, 4},
        {(void **)&b->off,
         (b->flags & JK__BLOCK_OFF16 ? 1 + (b->n + 2) / 2 : b->n + 1) *
             sizeof *b->off,
         4},
        {(void **)&b->cp_glyph,
         b->cp_glyph ? (b->n + 1) * sizeof *b->cp_glyph : 0, 4},
        {(void **)&b->style, b->style ? b->n : 0, 1},
        {(void **)&b->brk, b->n, 1},
        {(void **)&b->just, b->n, 1},
    };
    enum { PIECES = sizeof pieces / sizeof pieces[0] };
    size_t total = 0;
    for (size_t i = 0; i < PIECES; i++)
        total = (total + pieces[i].align - 1) / pieces[i].align *
                    pieces[i].align +
                pieces[i].size;
    char *pack = jk__malloc(ctx, total);
    if (!pack)
        return;
    size_t at = 0;
    for (size_t i = 0; i < PIECES; i++) {
        at = (at + pieces[i].align - 1) / pieces[i].align * pieces[i].align;
        void *old = *pieces[i].ptr;
        if (pieces[i].size && old) {
            memcpy(pack + at, old, pieces[i].size);
            *pieces[i].ptr = pack + at;
        } else {
            *pieces[i].ptr = NULL;
        }
        jk__free(ctx, old);
        at += pieces[i].size;
    }
    b->flags |= JK__BLOCK_PACKED;
}

jk_status jk__prepare_block(jk_context *ctx, jk__shaper *shaper,
                            jk__block *b, size_t *missing)
{
    /* Break opportunities once, in auto mode: keep-all and normal are
     * both read off them (see linebreak.h). */
    b->brk = jk__calloc(ctx, b->n ? b->n : 1, 1);
    if (!b->brk)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading text");
    jk__line_breaks(b->cps, b->n, JK_WORD_BREAK_AUTO, b->brk);
    jk_status st = jk__shape_block(ctx, shaper, b, missing);
    if (st != JK_OK)
        return st;
    /* Hyphenation points (soft hyphens even without patterns), in the
     * shaper's scratch: they only feed the items. */
    uint8_t *hyphens = jk__shaper_scratch(shaper);
    st = jk__hyphenate(ctx->hyphenator, b->cps, b->n, hyphens);
    if (st != JK_OK)
        return jk__fail(ctx, st, "hyphenation failed");
    st = jk__build_items(ctx, b, hyphens);
    if (st == JK_OK)
        narrow_offsets(ctx, b);
    if (st == JK_OK && b->n <= PACK_MOST)
        pack_block(ctx, b);
    return st;
}

/* Widen t's columns to hold row b's cells. NOMEM leaves t as it was. */
static jk_status widen_columns(jk_context *ctx, jk__table *t,
                               const jk__block *b)
{
    size_t cells = 1;
    for (size_t i = 0; i < b->n; i++)
        cells += b->cps[i] == 0x2003;
    if (cells > t->col_cap) {
        size_t cap = cells > 2 * (size_t)t->col_cap ? cells : 2 * t->col_cap;
        float *cols = jk__realloc_array(ctx, t->cols, cap, sizeof *cols);
        if (!cols)
            return jk__fail(ctx, JK_ERR_NOMEM, "out of memory for a table");
        t->cols = cols;
        t->col_cap = (uint32_t)cap;
    }
    for (size_t i = 0, k = 0, start = 0; i <= b->n; i++) {
        if (i < b->n && b->cps[i] != 0x2003)
            continue;
        size_t end = i;
        while (end > start && jk__is_space(b->cps[end - 1]))
            end--;
        float w = (float)(b->xpos[end] - b->xpos[start]);
        if (k >= t->col_count) { /* a new column */
            t->width += (t->col_count ? JK__CELL_GAP : 0) + w;
            t->cols[t->col_count++] = w;
        } else if (w > t->cols[k]) {
            t->width += w - t->cols[k];
            t->cols[k] = w;
        }
        k++;
        start = i + 1;
    }
    return JK_OK;
}

/* Forget the rows from block `first` on (they are being taken back). */
static void drop_rows(jk_document *doc, size_t first)
{
    while (doc->table_count &&
           doc->tables[doc->table_count - 1].first >= first)
        jk__free(doc->ctx, doc->tables[--doc->table_count].cols);
    if (!doc->table_count)
        return;
    jk__table *t = &doc->tables[doc->table_count - 1];
    if (t->first + t->count <= first)
        return;
    /* Its columns again from the rows it keeps: room enough already. */
    t->count = (uint32_t)(first - t->first);
    t->col_count = 0;
    t->width = 0;
    for (size_t i = t->first; i < first; i++)
        (void)widen_columns(doc->ctx, t, &doc->blocks[i]);
}

/* The tables of blocks[first..block_count): rows join the table of the
 * row before them. */
static jk_status add_rows(jk_document *doc, size_t first)
{
    jk_context *ctx = doc->ctx;
    for (size_t i = first; i < doc->block_count; i++) {
        if (doc->blocks[i].kind != JK_BLOCK_TABLE)
            continue;
        jk__table *t = doc->table_count ? &doc->tables[doc->table_count - 1]
                                        : NULL;
        if (!t || t->first + t->count != i) {
            if (doc->table_count == doc->table_cap) {
                size_t cap = doc->table_cap ? 2 * doc->table_cap : 4;
                jk__table *tables = jk__realloc_array(ctx, doc->tables, cap,
                                                      sizeof *tables);
                if (!tables) {
                    drop_rows(doc, first);
                    return jk__fail(ctx, JK_ERR_NOMEM,
                                    "out of memory for a table");
                }
                doc->tables = tables;
                doc->table_cap = cap;
            }
            t = &doc->tables[doc->table_count++];
            *t = (jk__table){(uint32_t)i, 0, 0, 0, NULL, 0};
        }
        jk_status st = widen_columns(ctx, t, &doc->blocks[i]);
        if (st != JK_OK) {
            drop_rows(doc, first);
            return st;
        }
        t->count++;
    }
    return JK_OK;
}

const jk__table *jk__table_of(const jk_document *doc, size_t block)
{
    size_t lo = 0, hi = doc->table_count;
    while (lo < hi) { /* the first table after `block` */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->tables[mid].first <= block)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const jk__table *t = &doc->tables[lo - 1];
    return block < (size_t)t->first + t->count ? t : NULL;
}

/* Prepare blocks[first..block_count), counting the document's missing
 * glyphs. */
static jk_status prepare_blocks(jk_document *doc, size_t first)
{
    jk_context *ctx = doc->ctx;
    size_t longest = 1, missing = 0;
    for (size_t i = first; i < doc->block_count; i++) {
        const jk__block *b = &doc->blocks[i];
        if (b->n > longest)
            longest = b->n;
        if (b->marker && b->marker->shaped.n > longest)
            longest = b->marker->shaped.n;
    }
    jk__shaper *shaper;
    jk_status st = jk__shaper_create(ctx, longest, &shaper);
    for (size_t i = first; i < doc->block_count && st == JK_OK; i++) {
        size_t m = 0;
        jk__block *b = &doc->blocks[i];
        if ((st = jk__progress(ctx, JK_STAGE_SHAPE, i - first,
                               doc->block_count - first)) != JK_OK)
            break;
        st = jk__prepare_block(ctx, shaper, b, &m);
        missing += m;
        if (st == JK_OK && b->marker)
            st = jk__prepare_block(ctx, shaper, &b->marker->shaped, &m);
    }
    jk__shaper_destroy(ctx, shaper);
    if (st == JK_OK)
        st = add_rows(doc, first);
    if (st == JK_OK)
        doc->missing_glyphs += missing;
    return st;
}

/* Free the blocks, links and figures past these counts: what a failed
 * add had added (the document is as it was), or everything. */
static void take_back(jk_document *doc, size_t blocks, size_t links,
                      size_t figures)
{
    jk_context *ctx = doc->ctx;
    while (doc->block_count > blocks)
        jk__block_free(ctx, &doc->blocks[--doc->block_count]);
    while (doc->link_count > links)
        jk__free(ctx, doc->links[--doc->link_count].href);
    while (doc->figure_count > figures) {
        jk__figure *fig = &doc->figures[--doc->figure_count];
        jk__image_free(ctx, &fig->image);
        jk__free(ctx, fig->src);
        jk__free(ctx, fig->alt);
    }
}

void jk_document_destroy(jk_document *doc)
{
    if (!doc)
        return;
    jk_context *ctx = doc->ctx;
    take_back(doc, 0, 0, 0);
    jk__free(ctx, doc->blocks);
    jk__free(ctx, doc->figures);
    jk__free(ctx, doc->links);
    for (size_t i = 0; i < doc->table_count; i++)
        jk__free(ctx, doc->tables[i].cols);
    jk__free(ctx, doc->tables);
    ctx->documents--;
    jk__free(ctx, doc);
}

jk_status jk_document_create_from_text(jk_context *ctx, const char *bytes,
                                       size_t size, jk_document **out)
{
    jk__clear_error(ctx);
    if (!ctx || !out)
        return JK_ERR_INVALID_ARGUMENT;
    *out = NULL;
    if (!bytes && size)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "no text");
    if (size > JK__MAX_SOURCE_BYTES)
        return jk__fail(ctx, JK_ERR_LIMIT, "text larger than %u bytes",
                        JK__MAX_SOURCE_BYTES);
    jk_document *doc;
    jk_status st = jk_document_create(ctx, &doc);
    if (st != JK_OK)
        return st;
    doc->source_size = size;
    st = jk__read_text(doc, bytes ? bytes : "", size);
    if (st == JK_OK)
        st = prepare_blocks(doc, 0);
    if (st != JK_OK) {
        jk_document_destroy(doc);
        return st;
    }
    *out = doc;
    return JK_OK;
}

jk_status jk_document_create(jk_context *ctx, jk_document **out)
{
    jk__clear_error(ctx);
    if (!ctx || !out)
        return JK_ERR_INVALID_ARGUMENT;
    *out = NULL;
    if (ctx->font_count == 0)
        return jk__fail(ctx, JK_ERR_NO_FONT,
                        "no font loaded: add fonts before reading text");
    jk_document *doc = jk__calloc(ctx, 1, sizeof *doc);
    if (!doc)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory");
    doc->ctx = ctx;
    ctx->documents++; /* the font set is frozen from here on */
    *out = doc;
    return JK_OK;
}

jk_status jk_document_add_block(jk_document *doc, jk_block_kind kind,
                                const char *text, size_t size,
                                const jk_span *spans, size_t span_count)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc)
        return JK_ERR_INVALID_ARGUMENT;
    jk_context *ctx = doc->ctx;
    if ((unsigned)kind >= JK_BLOCK_KIND_COUNT || (!text && size) ||
        (!spans && span_count))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad block kind, text or spans");
    if (size > JK__MAX_SOURCE_BYTES ||
        doc->source_size + size + 1 > JK__MAX_SOURCE_BYTES)
        return jk__fail(ctx, JK_ERR_LIMIT, "text larger than %u bytes",
                        JK__MAX_SOURCE_BYTES);
    size_t first = doc->block_count;
    size_t base = doc->source_size ? doc->source_size + 1 : 0;
    jk_status st = jk__read_block(doc, kind, text ? text : "", size, base,
                                  spans, span_count);
    if (st == JK_OK && doc->block_count > first)
        st = prepare_blocks(doc, first);
    if (st != JK_OK) {
        take_back(doc, first, doc->link_count, doc->figure_count);
        return st;
    }
    doc->source_size = base + size;
    return JK_OK;
}

size_t jk_document_block_count(const jk_document *doc)
{
    return doc ? doc->block_count : 0;
}

jk_status jk_document_get_block(const jk_document *doc, size_t index,
                                jk_block_info *out)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !out)
        return JK_ERR_INVALID_ARGUMENT;
    if (index >= doc->block_count)
        return jk__fail(doc->ctx, JK_ERR_RANGE, "block %zu of %zu", index,
                        doc->block_count);
    const jk__block *b = &doc->blocks[index];
    out->kind = b->kind;
    out->start = jk__off(b, 0);
    out->end = jk__off(b, b->n);
    return JK_OK;
}

size_t jk_document_block_text(const jk_document *doc, size_t index,
                              char *buf, size_t buf_size)
{
    if (!doc || index >= doc->block_count) {
        if (buf && buf_size)
            buf[0] = '\0';
        return 0;
    }
    const jk__block *b = &doc->blocks[index];
    return jk__utf8_copy(b->cps, b->n, buf, buf_size);
}

size_t jk_document_missing_glyphs(const jk_document *doc)
{
    return doc ? doc->missing_glyphs : 0;
}

/* ------------------------------------------------- structured documents */

void jk_read_options_init(jk_read_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
}

void jk_block_desc_init(jk_block_desc *d)
{
    if (!d)
        return;
    memset(d, 0, sizeof *d);
    d->struct_size = sizeof *d;
    d->kind = JK_BLOCK_PARAGRAPH;
}

void jk_figure_desc_init(jk_figure_desc *d)
{
    if (!d)
        return;
    memset(d, 0, sizeof *d);
    d->struct_size = sizeof *d;
}

int jk_format_available(jk_format format)
{
    switch (format) {
    case JK_FORMAT_TEXT: return 1;
#ifdef JK__HAVE_HTML
    case JK_FORMAT_HTML: return 1;
#endif
#ifdef JK__HAVE_MARKDOWN
    case JK_FORMAT_MARKDOWN: return 1;
#endif
    default: return 0;
    }
}

#define READ_OPTIONS_1_0 JK__SIZE_UP_TO(jk_read_options, user)
#define BLOCK_DESC_1_0 JK__SIZE_UP_TO(jk_block_desc, preformatted)
#define FIGURE_DESC_1_0 JK__SIZE_UP_TO(jk_figure_desc, src)

jk_status jk_document_read(jk_context *ctx, const char *bytes, size_t size,
                           const jk_read_options *options, jk_document **out)
{
    jk__clear_error(ctx);
    if (!ctx || !out || (!bytes && size))
        return JK_ERR_INVALID_ARGUMENT;
    *out = NULL;
    jk_read_options o;
    jk_read_options_init(&o);
    if (options && !jk__struct_read(&o, sizeof o, options,
                                    options->struct_size, READ_OPTIONS_1_0))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "read options of %zu bytes: set struct_size with "
                        "jk_read_options_init", options->struct_size);
    if (o.format == JK_FORMAT_TEXT)
        return jk_document_create_from_text(ctx, bytes, size, out);
    if ((unsigned)o.format > JK_FORMAT_MARKDOWN)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "format %d",
                        (int)o.format);
    if (!jk_format_available(o.format))
        return jk__fail(ctx, JK_ERR_UNSUPPORTED,
                        "this build reads no %s",
                        o.format == JK_FORMAT_HTML ? "HTML" : "Markdown");
    if (size > JK__MAX_SOURCE_BYTES)
        return jk__fail(ctx, JK_ERR_LIMIT, "text larger than %u bytes",
                        JK__MAX_SOURCE_BYTES);
    jk_document *doc;
    jk_status st = jk_document_create(ctx, &doc);
    if (st != JK_OK)
        return st;
    doc->source_size = size;
    st = o.format == JK_FORMAT_HTML
             ? jk__read_html(doc, bytes ? bytes : "", size, &o)
             : jk__read_markdown(doc, bytes ? bytes : "", size, &o);
    if (st == JK_OK)
        st = prepare_blocks(doc, 0);
    if (st != JK_OK) {
        jk_document_destroy(doc);
        return st;
    }
    *out = doc;
    return JK_OK;
}

/* Style bits per byte of `size` bytes from spans, in one sorted sweep:
 * O((size + count) log count). */
typedef struct span_event {
    size_t at;
    unsigned bit;
    int delta;
} span_event;

static int event_order(const void *a, const void *b)
{
    const span_event *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

static jk_status byte_styles(jk_context *ctx, const jk_span *spans,
                             size_t count, size_t size, uint8_t *out)
{
    memset(out, 0, size);
    if (!count)
        return JK_OK;
    span_event *ev = jk__realloc_array(ctx, NULL, count * 16,
                                       sizeof *ev);
    if (!ev)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading");
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        size_t s = spans[i].start, e = spans[i].end < size ? spans[i].end
                                                           : size;
        if (s >= e)
            continue;
        for (unsigned bit = 0; bit < 8; bit++)
            if (spans[i].style & (1u << bit)) {
                ev[n++] = (span_event){s, bit, 1};
                ev[n++] = (span_event){e, bit, -1};
            }
    }
    qsort(ev, n, sizeof *ev, event_order);
    int open[8] = {0};
    size_t k = 0;
    for (size_t i = 0; i < size; i++) {
        while (k < n && ev[k].at <= i) {
            open[ev[k].bit] += ev[k].delta;
            k++;
        }
        uint8_t st = 0;
        for (unsigned bit = 0; bit < 8; bit++)
            if (open[bit] > 0)
                st |= (uint8_t)(1u << bit);
        out[i] = st;
    }
    jk__free(ctx, ev);
    return JK_OK;
}

static int link_order(const void *a, const void *b)
{
    const jk_link *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The builder fed from an API block: its bytes one character at a time
 * with their source offsets, styles and links. */
static jk_status feed_block(jk__builder *bd, const jk_block_desc *d,
                            const uint8_t *styles, const jk_link *links,
                            size_t link_count, size_t base)
{
    const unsigned char *t = (const unsigned char *)d->text;
    size_t li = 0;
    bool in_link = false;
    size_t link_end = 0;
    unsigned cur = 0;
    for (size_t i = 0; i < d->size;) {
        if (in_link && i >= link_end) {
            jk__builder_link_end(bd);
            in_link = false;
        }
        while (li < link_count && links[li].end <= i)
            li++;
        if (li < link_count && links[li].start <= i && !in_link) {
            const char *h = links[li].href ? links[li].href : "";
            if (jk__builder_link_begin(bd, h, strlen(h)) != JK_OK)
                return JK_ERR_NOMEM;
            in_link = true;
            link_end = links[li].end;
            li++;
        }
        uint32_t cp;
        size_t k = jk__utf8_decode(t + i, d->size - i, &cp);
        unsigned want = styles ? styles[i] : 0;
        if (want != cur) {
            jk__builder_pop_style(bd, cur & ~want);
            jk__builder_push_style(bd, want & ~cur);
            cur = want;
        }
        size_t src = d->source ? d->source[i] : base + i;
        size_t end = d->source ? (i + k < d->size ? d->source[i + k]
                                                  : d->source[i] + k)
                               : base + i + k;
        if (end < src)
            end = src + 1;
        jk_status st = jk__builder_text(bd, d->text + i, k, src, end);
        if (st != JK_OK)
            return st;
        i += k;
    }
    return JK_OK;
}

jk_status jk_document_add(jk_document *doc, const jk_block_desc *in)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !in)
        return JK_ERR_INVALID_ARGUMENT;
    jk_context *ctx = doc->ctx;
    jk_block_desc d;
    jk_block_desc_init(&d);
    if (!jk__struct_read(&d, sizeof d, in, in->struct_size, BLOCK_DESC_1_0))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "block of %zu bytes: set struct_size with "
                        "jk_block_desc_init", in->struct_size);
    if ((unsigned)d.kind >= JK_BLOCK_KIND_COUNT || d.kind == JK_BLOCK_FIGURE ||
        (!d.text && d.size) || (!d.spans && d.span_count) ||
        (!d.links && d.link_count) || d.level < 0 || d.level > 6 ||
        d.quote_depth < 0 || d.list_depth < 0)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad block kind, text, spans, links or depths");
    if (d.size > JK__MAX_SOURCE_BYTES ||
        doc->source_size + d.size + 1 > JK__MAX_SOURCE_BYTES)
        return jk__fail(ctx, JK_ERR_LIMIT, "text larger than %u bytes",
                        JK__MAX_SOURCE_BYTES);
    if (d.source)
        for (size_t i = 0; i < d.size; i++)
            if (d.source[i] >= JK__MAX_SOURCE_BYTES)
                return jk__fail(ctx, JK_ERR_LIMIT,
                                "source offset past %u bytes",
                                JK__MAX_SOURCE_BYTES);
    size_t first = doc->block_count, links_before = doc->link_count;
    size_t base = doc->source_size ? doc->source_size + 1 : 0;
    uint8_t *styles = d.span_count ? jk__malloc(ctx, d.size ? d.size : 1)
                                   : NULL;
    jk_link *links = d.link_count ? jk__realloc_array(ctx, NULL, d.link_count,
                                                      sizeof *links)
                                  : NULL;
    jk__builder *bd = jk__builder_create(doc, NULL);
    jk_status st = JK_OK;
    if ((d.span_count && !styles) || (d.link_count && !links) || !bd)
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory reading");
    if (st == JK_OK && styles)
        st = byte_styles(ctx, d.spans, d.span_count, d.size, styles);
    if (st == JK_OK && links) {
        memcpy(links, d.links, d.link_count * sizeof *links);
        qsort(links, d.link_count, sizeof *links, link_order);
    }
    if (st == JK_OK) {
        jk__block_attrs a = {0};
        a.kind = d.kind;
        a.level = (uint8_t)(d.kind == JK_BLOCK_HEADING
                                ? (d.level ? d.level : 2)
                                : 0);
        a.quote_depth = (uint8_t)(d.quote_depth > 255 ? 255 : d.quote_depth);
        a.list_depth = (uint8_t)(d.list_depth > 255 ? 255 : d.list_depth);
        a.preformatted = d.preformatted != 0 || d.kind == JK_BLOCK_CODE;
        a.marker = d.marker;
        a.marker_size = d.marker ? strlen(d.marker) : 0;
        a.marker_source = d.source && d.size ? d.source[0] : base;
        st = jk__builder_begin(bd, &a);
    }
    if (st == JK_OK && d.kind == JK_BLOCK_RULE)
        st = jk__builder_char(bd, 0x2015, base); /* drawn as a rule */
    if (st == JK_OK)
        st = feed_block(bd, &d, styles, links, d.link_count, base);
    jk_status fin = jk__builder_finish(bd);
    if (st == JK_OK)
        st = fin;
    jk__free(ctx, styles);
    jk__free(ctx, links);
    if (st == JK_OK && doc->block_count > first)
        st = prepare_blocks(doc, first);
    if (st != JK_OK) {
        take_back(doc, first, links_before, doc->figure_count);
        return st;
    }
    if (!d.source || !d.size)
        doc->source_size = base + d.size;
    else if (d.source[d.size - 1] + 1 > doc->source_size)
        doc->source_size = d.source[d.size - 1] + 1;
    return JK_OK;
}

jk_status jk_document_add_figure(jk_document *doc, const jk_figure_desc *in)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !in)
        return JK_ERR_INVALID_ARGUMENT;
    jk_context *ctx = doc->ctx;
    jk_figure_desc d;
    jk_figure_desc_init(&d);
    if (!jk__struct_read(&d, sizeof d, in, in->struct_size, FIGURE_DESC_1_0))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "figure of %zu bytes: set struct_size with "
                        "jk_figure_desc_init", in->struct_size);
    if ((!d.data && d.size) || (unsigned)d.status > JK_IMAGE_REFUSED ||
        (d.pixels && (d.width <= 0 || d.height <= 0 || d.stride < d.width)))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "bad figure bytes, pixels or status");
    size_t first = doc->block_count, figures = doc->figure_count;
    size_t base = doc->source_size ? doc->source_size + 1 : 0;
    jk__builder *bd = jk__builder_create(doc, NULL);
    if (!bd)
        return JK_ERR_NOMEM;
    jk__figure_src f = {0};
    f.data = d.data;
    f.size = d.size;
    f.status = d.data || d.pixels ? JK_IMAGE_OK
               : d.status != JK_IMAGE_OK ? d.status
                                         : JK_IMAGE_MISSING;
    f.alt = d.alt;
    f.alt_size = d.alt ? strlen(d.alt) : 0;
    f.src = d.src;
    f.src_size = d.src ? strlen(d.src) : 0;
    f.start = base;
    f.end = base + 1;
    f.pixels = d.data ? NULL : d.pixels;
    f.width = d.width;
    f.height = d.height;
    f.stride = d.stride;
    jk_status st = jk__builder_figure(bd, &f);
    jk_status fin = jk__builder_finish(bd);
    if (st == JK_OK)
        st = fin;
    if (st == JK_OK && doc->block_count > first)
        st = prepare_blocks(doc, first);
    if (st != JK_OK) {
        take_back(doc, first, doc->link_count, figures);
        return st;
    }
    doc->source_size = base + 1;
    return JK_OK;
}

/* --------------------------------------------------- structure queries */

#define BLOCK_ATTRS_1_0 JK__SIZE_UP_TO(jk_block_attrs, figure)
#define FIGURE_INFO_1_0 JK__SIZE_UP_TO(jk_figure_info, end)

jk_status jk_document_get_block_attrs_sized(const jk_document *doc,
                                            size_t index,
                                            jk_block_attrs *out,
                                            size_t out_size)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !out || out_size < BLOCK_ATTRS_1_0)
        return JK_ERR_INVALID_ARGUMENT;
    if (index >= doc->block_count)
        return jk__fail(doc->ctx, JK_ERR_RANGE, "block %zu of %zu", index,
                        doc->block_count);
    const jk__block *b = &doc->blocks[index];
    jk_block_attrs a;
    memset(&a, 0, sizeof a);
    a.level = b->level;
    a.quote_depth = b->quote_depth;
    a.list_depth = b->list_depth;
    a.marker = b->marker ? b->marker->text : NULL;
    a.figure = b->kind == JK_BLOCK_FIGURE && b->figure != UINT32_MAX
                   ? (long)b->figure
                   : -1;
    jk__struct_write(out, out_size, &a, sizeof a, BLOCK_ATTRS_1_0);
    return JK_OK;
}

size_t jk_document_figure_count(const jk_document *doc)
{
    return doc ? doc->figure_count : 0;
}

jk_status jk_document_get_figure_sized(const jk_document *doc, size_t index,
                                       jk_figure_info *out, size_t out_size)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || !out || out_size < FIGURE_INFO_1_0)
        return JK_ERR_INVALID_ARGUMENT;
    if (index >= doc->figure_count)
        return jk__fail(doc->ctx, JK_ERR_RANGE, "figure %zu of %zu", index,
                        doc->figure_count);
    const jk__figure *f = &doc->figures[index];
    jk_figure_info fi;
    memset(&fi, 0, sizeof fi);
    fi.block = f->block;
    fi.status = f->status;
    fi.width = f->image.natural_width;
    fi.height = f->image.natural_height;
    fi.src = f->src;
    fi.alt = f->alt;
    fi.start = f->start;
    fi.end = f->end;
    jk__struct_write(out, out_size, &fi, sizeof fi, FIGURE_INFO_1_0);
    return JK_OK;
}

const char *jk_document_link_at(const jk_document *doc, size_t offset)
{
    if (!doc)
        return NULL;
    /* Links are in source order, and do not overlap. */
    size_t lo = 0, hi = doc->link_count;
    while (lo < hi) { /* first link starting after offset */
        size_t mid = lo + (hi - lo) / 2;
        const jk__link *l = &doc->links[mid];
        if (jk__off(&doc->blocks[l->block], l->start) <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const jk__link *l = &doc->links[lo - 1];
    const jk__block *b = &doc->blocks[l->block];
    return offset < jk__off(b, l->end) ? l->href : NULL;
}

size_t jk__style_spans(const jk__block *b, size_t from, size_t to,
                       jk_span *out, size_t capacity)
{
    if (!b->style || from >= to)
        return 0;
    /* A run of bit k starts where the bit is set and was not before; its
     * span is written when it starts (so spans are in order of starts)
     * and ends where the bit clears. */
    size_t count = 0;
    size_t open_at[8];
    for (size_t i = from; i <= to; i++) {
        unsigned now = i < to ? b->style[i] : 0;
        unsigned before = i > from ? b->style[i - 1] : 0;
        for (unsigned k = 0; k < 8; k++) {
            unsigned bit = 1u << k;
            if ((now & bit) && !(before & bit)) {
                open_at[k] = count;
                if (count < capacity)
                    out[count] = (jk_span){jk__off(b, i), jk__off(b, i),
                                           bit};
                count++;
            } else if (!(now & bit) && (before & bit) &&
                       open_at[k] < capacity) {
                out[open_at[k]].end = jk__off(b, i);
            }
        }
    }
    return count;
}

size_t jk_document_block_spans(const jk_document *doc, size_t index,
                               jk_span *out, size_t capacity)
{
    if (!doc || index >= doc->block_count || (!out && capacity))
        return 0;
    const jk__block *b = &doc->blocks[index];
    return jk__style_spans(b, 0, b->n, out, capacity);
}
