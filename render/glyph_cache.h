/* The glyph cache: rasterized coverage bitmaps, least recently used out
 * first within a byte budget (glyph_cache.c). */
#ifndef JK__GLYPH_CACHE_H
#define JK__GLYPH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jikji.h"

/* What a cached bitmap depends on. */
typedef struct jk__glyph_key {
    uint32_t gid;
    uint16_t font;    /* index on the context */
    uint8_t phase;    /* horizontal subpixel phase, quarter pixels 0..3 */
    uint8_t flags;    /* JK__GLYPH_* */
    int32_t size;     /* 26.6 pixels */
    int32_t embolden; /* 26.6 pixels, darkening plus synthetic bold */
} jk__glyph_key;

#define JK__GLYPH_HINT_MASK 0x03u /* jk_hinting */
#define JK__GLYPH_OBLIQUE 0x04u   /* synthetic slant */

typedef struct jk__glyph_entry {
    jk__glyph_key key;
    uint32_t hash;
    uint32_t epoch; /* the render that used it last */
    struct jk__glyph_entry *chain;       /* hash bucket */
    struct jk__glyph_entry *prev, *next; /* LRU list, most recent first */
    int left, top;   /* bitmap origin: pen x + left, baseline - top */
    int width, rows; /* the coverage bitmap, rows of `width` bytes */
    bool failed;     /* the font could not give this glyph (a damaged
                        font): drawn as a box */
    uint8_t bits[];
} jk__glyph_entry;

typedef struct jk__glyph_cache {
    jk__glyph_entry **buckets;
    size_t bucket_count; /* a power of two, or 0 */
    size_t count, bytes, budget;
    jk__glyph_entry *head, *tail;
    uint32_t epoch; /* current render; entries of it are not evicted */
    uint64_t hits, misses, evictions, failures;
} jk__glyph_cache;

/* Find or rasterize a glyph; the entry stays valid until the render's
 * epoch ends (jk__glyph_cache_end_render). */
jk_status jk__glyph_cache_get(jk_context *ctx, const jk__glyph_key *key,
                              const jk__glyph_entry **out);
void jk__glyph_cache_begin_render(jk_context *ctx);
void jk__glyph_cache_end_render(jk_context *ctx);
void jk__glyph_cache_free(jk_context *ctx);

#endif
