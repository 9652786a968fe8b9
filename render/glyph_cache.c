/* The glyph cache: coverage bitmaps rasterized by FreeType, kept per
 * (font, size, glyph, subpixel phase, emboldening, hinting, slant) within
 * a budget in bytes, least recently used out first. */
#include <string.h>

#include "context.h"
#include "font.h"
#include "glyph_cache.h"
#include "memory.h"
#include "resource_limits.h"

#include FT_OUTLINE_H

/* tan(12 degrees) in 16.16: the slant of synthetic oblique. */
#define JK__OBLIQUE_SHEAR 0x366A

static uint32_t key_hash(const jk__glyph_key *k)
{
    uint64_t h = k->gid;
    h = h * 0x9E3779B97F4A7C15u ^ ((uint64_t)k->font << 32 | k->phase << 8 |
                                   k->flags);
    h = h * 0x9E3779B97F4A7C15u ^ (uint32_t)k->size;
    h = h * 0x9E3779B97F4A7C15u ^ (uint32_t)k->embolden;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 32;
    return (uint32_t)h;
}

static bool key_equal(const jk__glyph_key *a, const jk__glyph_key *b)
{
    return a->gid == b->gid && a->font == b->font && a->phase == b->phase &&
           a->flags == b->flags && a->size == b->size &&
           a->embolden == b->embolden;
}

static size_t entry_cost(const jk__glyph_entry *e)
{
    return sizeof *e + (size_t)e->width * (size_t)e->rows;
}

static void lru_unlink(jk__glyph_cache *c, jk__glyph_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push_front(jk__glyph_cache *c, jk__glyph_entry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void remove_entry(jk_context *ctx, jk__glyph_entry *e)
{
    jk__glyph_cache *c = &ctx->glyph_cache;
    jk__glyph_entry **pp = &c->buckets[e->hash & (c->bucket_count - 1)];
    while (*pp != e)
        pp = &(*pp)->chain;
    *pp = e->chain;
    lru_unlink(c, e);
    c->count--;
    c->bytes -= entry_cost(e);
    jk__free(ctx, e);
}

/* Drop least recently used glyphs until at most `limit` bytes are held,
 * sparing those of the render in progress. */
static void evict_to(jk_context *ctx, size_t limit)
{
    jk__glyph_cache *c = &ctx->glyph_cache;
    while (c->bytes > limit && c->tail && c->tail->epoch != c->epoch) {
        remove_entry(ctx, c->tail);
        c->evictions++;
    }
}

/* Double the bucket array; on failure keep the old one (longer chains). */
static bool grow_buckets(jk_context *ctx)
{
    jk__glyph_cache *c = &ctx->glyph_cache;
    size_t n = c->bucket_count ? c->bucket_count * 2 : 256;
    jk__glyph_entry **b = jk__calloc(ctx, n, sizeof *b);
    if (!b)
        return false;
    for (size_t i = 0; i < c->bucket_count; i++) {
        jk__glyph_entry *e = c->buckets[i];
        while (e) {
            jk__glyph_entry *next = e->chain;
            e->chain = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    jk__free(ctx, c->buckets);
    c->buckets = b;
    c->bucket_count = n;
    return true;
}

static FT_Int32 load_flags(unsigned hinting)
{
    FT_Int32 f = FT_LOAD_NO_BITMAP;
    switch (hinting) {
    case JK_HINTING_NONE: return f | FT_LOAD_NO_HINTING;
    case JK_HINTING_NORMAL: return f | FT_LOAD_TARGET_NORMAL;
    default: return f | FT_LOAD_TARGET_LIGHT;
    }
}

/* Rasterize into a new entry (not yet in the table). A glyph FreeType
 * cannot load or render becomes a failed entry: drawn as a box, counted,
 * not fatal. */
static jk_status rasterize(jk_context *ctx, const jk__glyph_key *key,
                           jk__glyph_entry **out)
{
    jk__font *f = jk__font_at(ctx, key->font);
    FT_Face face = f->face;
    FT_Bitmap *bm = NULL;
    int left = 0, top = 0;
    FT_Error err = 0;
    if (f->ft_size_26_6 != key->size) {
        err = FT_Set_Char_Size(face, 0, key->size, 72, 72);
        if (err)
            goto done;
        f->ft_size_26_6 = key->size;
    }
    err = FT_Load_Glyph(face, key->gid,
                        load_flags(key->flags & JK__GLYPH_HINT_MASK));
    if (!err && face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        err = FT_Err_Invalid_Glyph_Format;
    if (err)
        goto done;
    FT_Outline *o = &face->glyph->outline;
    if (key->flags & JK__GLYPH_OBLIQUE) {
        FT_Matrix shear = {0x10000, JK__OBLIQUE_SHEAR, 0, 0x10000};
        FT_Outline_Transform(o, &shear);
    }
    if (key->embolden > 0) {
        err = FT_Outline_EmboldenXY(o, key->embolden, key->embolden);
        if (err)
            goto done; /* strokes grow by half the strength each side */
    }
    if (key->phase)
        FT_Outline_Translate(o, key->phase * 16, 0);
    err = FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL);
    if (err)
        goto done;
    bm = &face->glyph->bitmap;
    if (bm->pixel_mode != FT_PIXEL_MODE_GRAY || bm->width > JK__MAX_GLYPH_PX ||
        bm->rows > JK__MAX_GLYPH_PX)
        bm = NULL;
    left = face->glyph->bitmap_left;
    top = face->glyph->bitmap_top;
done:
    if (err == FT_Err_Out_Of_Memory)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory rasterizing");
    size_t w = bm ? bm->width : 0, h = bm ? bm->rows : 0;
    jk__glyph_entry *e = jk__malloc(ctx, sizeof *e + w * h);
    if (!e)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory caching a glyph");
    memset(e, 0, sizeof *e);
    e->key = *key;
    e->left = left;
    e->top = top;
    e->width = (int)w;
    e->rows = (int)h;
    e->failed = err != 0;
    if (err)
        ctx->glyph_cache.failures++;
    for (size_t y = 0; y < h; y++) {
        const unsigned char *src =
            bm->pitch >= 0 ? bm->buffer + y * (size_t)bm->pitch
                           : bm->buffer + (h - 1 - y) * (size_t)-bm->pitch;
        memcpy(e->bits + y * w, src, w);
    }
    *out = e;
    return JK_OK;
}

jk_status jk__glyph_cache_get(jk_context *ctx, const jk__glyph_key *key,
                              const jk__glyph_entry **out)
{
    jk__glyph_cache *c = &ctx->glyph_cache;
    uint32_t hash = key_hash(key);
    if (c->bucket_count) {
        for (jk__glyph_entry *e = c->buckets[hash & (c->bucket_count - 1)]; e;
             e = e->chain) {
            if (e->hash == hash && key_equal(&e->key, key)) {
                c->hits++;
                e->epoch = c->epoch;
                if (c->head != e) {
                    lru_unlink(c, e);
                    lru_push_front(c, e);
                }
                *out = e;
                return JK_OK;
            }
        }
    }
    if (!c->bucket_count && !grow_buckets(ctx))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory caching a glyph");
    if (c->count >= c->bucket_count)
        grow_buckets(ctx); /* failure only lengthens the chains */
    jk__glyph_entry *e = NULL;
    jk_status st = rasterize(ctx, key, &e);
    if (st != JK_OK)
        return st;
    c->misses++;
    e->hash = hash;
    e->epoch = c->epoch;
    size_t cost = entry_cost(e);
    evict_to(ctx, c->budget > cost ? c->budget - cost : 0);
    size_t b = hash & (c->bucket_count - 1);
    e->chain = c->buckets[b];
    c->buckets[b] = e;
    lru_push_front(c, e);
    c->count++;
    c->bytes += cost;
    *out = e;
    return JK_OK;
}

void jk__glyph_cache_begin_render(jk_context *ctx)
{
    ctx->glyph_cache.epoch++;
}

void jk__glyph_cache_end_render(jk_context *ctx)
{
    ctx->glyph_cache.epoch++;
    evict_to(ctx, ctx->glyph_cache.budget);
}

void jk_context_clear_glyph_cache(jk_context *ctx)
{
    if (!ctx)
        return;
    jk__glyph_cache *c = &ctx->glyph_cache;
    while (c->head)
        remove_entry(ctx, c->head);
}

void jk__glyph_cache_free(jk_context *ctx)
{
    jk_context_clear_glyph_cache(ctx);
    jk__free(ctx, ctx->glyph_cache.buckets);
    ctx->glyph_cache.buckets = NULL;
    ctx->glyph_cache.bucket_count = 0;
}

jk_status jk_context_set_glyph_cache_budget(jk_context *ctx, size_t bytes)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    ctx->glyph_cache.budget = bytes;
    ctx->glyph_cache.epoch++; /* nothing is being drawn */
    evict_to(ctx, bytes);
    return JK_OK;
}

jk_status jk_context_get_glyph_cache_stats(const jk_context *ctx,
                                           jk_glyph_cache_stats *out)
{
    jk__clear_error(ctx);
    if (!ctx || !out)
        return JK_ERR_INVALID_ARGUMENT;
    const jk__glyph_cache *c = &ctx->glyph_cache;
    out->hits = c->hits;
    out->misses = c->misses;
    out->evictions = c->evictions;
    out->failures = c->failures;
    out->entries = c->count;
    out->bytes = c->bytes;
    out->budget = c->budget;
    return JK_OK;
}
