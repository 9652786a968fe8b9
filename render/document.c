/* The document: blocks read from text, and the chain every block goes
 * through once (break opportunities -> shaping -> hyphenation -> items),
 * so that any size and page is composed from it. */
#include <string.h>

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
 * do, the body in the serif (명조) family. */
static const jk__style styles[JK_BLOCK_KIND_COUNT] = {
    [JK_BLOCK_TITLE] = {1.6, JK_FAMILY_SANS, true, 0.0, 0.6, 1.35},
    [JK_BLOCK_BYLINE] = {0.8, JK_FAMILY_SANS, false, 0.0, 1.0, 0},
    [JK_BLOCK_HEADING] = {1.15, JK_FAMILY_SANS, true, 1.0, 0.4, 1.4},
    [JK_BLOCK_PARAGRAPH] = {1.0, JK_FAMILY_SERIF, false, 0.0, 0.5, 0},
    [JK_BLOCK_CAPTION] = {0.85, JK_FAMILY_SANS, false, 0.0, 0.8, 0},
    [JK_BLOCK_QUOTE] = {1.0, JK_FAMILY_SERIF, false, 0.3, 0.8, 0},
    [JK_BLOCK_LIST] = {1.0, JK_FAMILY_SERIF, false, 0.0, 0.3, 0},
    [JK_BLOCK_CODE] = {0.9, JK_FAMILY_SANS, false, 0.3, 0.8, 0},
};

const jk__style *jk__style_of(jk_block_kind kind)
{
    if ((unsigned)kind >= JK_BLOCK_KIND_COUNT)
        kind = JK_BLOCK_PARAGRAPH;
    return &styles[kind];
}

void jk__block_free(jk_context *ctx, jk__block *b)
{
    jk__free(ctx, b->cps);
    jk__free(ctx, b->off);
    jk__free(ctx, b->style);
    jk__free(ctx, b->brk);
    jk__free(ctx, b->xpos);
    jk__free(ctx, b->glyphs);
    jk__free(ctx, b->cp_glyph);
    jk__free(ctx, b->just);
    jk__free(ctx, b->items);
    memset(b, 0, sizeof *b);
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
    return jk__build_items(ctx, b, hyphens);
}

/* Prepare blocks[first..block_count), counting the document's missing
 * glyphs. */
static jk_status prepare_blocks(jk_document *doc, size_t first)
{
    jk_context *ctx = doc->ctx;
    size_t longest = 1, missing = 0;
    for (size_t i = first; i < doc->block_count; i++)
        if (doc->blocks[i].n > longest)
            longest = doc->blocks[i].n;
    jk__shaper *shaper;
    jk_status st = jk__shaper_create(ctx, longest, &shaper);
    for (size_t i = first; i < doc->block_count && st == JK_OK; i++) {
        size_t m = 0;
        st = jk__prepare_block(ctx, shaper, &doc->blocks[i], &m);
        missing += m;
    }
    jk__shaper_destroy(ctx, shaper);
    if (st == JK_OK)
        doc->missing_glyphs += missing;
    return st;
}

void jk_document_destroy(jk_document *doc)
{
    if (!doc)
        return;
    jk_context *ctx = doc->ctx;
    for (size_t i = 0; i < doc->block_count; i++)
        jk__block_free(ctx, &doc->blocks[i]);
    jk__free(ctx, doc->blocks);
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
    if (st != JK_OK) { /* the document stays as it was */
        while (doc->block_count > first)
            jk__block_free(ctx, &doc->blocks[--doc->block_count]);
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
    out->start = b->off[0];
    out->end = b->off[b->n];
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
