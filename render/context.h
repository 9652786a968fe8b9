/* The context object: what it owns (context.c). Only the modules that
 * keep state on the context include this; the others reach the
 * allocator and the error message through memory.h and the fonts through
 * font.h. */
#ifndef JK__CONTEXT_H
#define JK__CONTEXT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "glyph_cache.h"
#include "jikji.h"

struct jk__font;
struct jk__hyphenator; /* hyphenate.h */
struct jk__draw_scratch;

struct jk_context {
    jk_allocator alloc;
    char errmsg[256];
    /* A memory budget (jk_context_create_with_budget): every allocation
     * then carries its size in a header, and `used` (the context's own
     * count, or its parent's for a drawer) may not pass `budget`. */
    size_t budget;        /* 0: none */
    _Atomic size_t *used;
    _Atomic size_t used_own;
    bool over_budget;     /* an allocation was refused for it since the
                             call began: failures say JK_ERR_LIMIT */
    jk_progress_fn progress; /* or NULL (jk_context_set_progress) */
    void *progress_user;
    FT_Library ft;
    struct FT_MemoryRec_ ft_memory;
    struct jk__font **fonts;
    size_t font_count, font_cap;
    size_t documents; /* documents alive: the font set is frozen while
                         any is (font.c) */
    size_t drawers;   /* drawers made from it: likewise */
    struct jk__hyphenator *hyphenator; /* NULL: soft hyphens only */
    jk__glyph_cache glyph_cache;
    struct jk__draw_scratch *draw;
};

/* A drawer (jikji.h): a context of its own for drawing from one thread —
 * its FreeType library and faces (on the parent's font bytes; HarfBuzz
 * fonts are shared, immutable), glyph cache, scratch and message —
 * beside the parent whose documents and layouts it draws. Only drawing,
 * PNG writing and page counting run on it. */
struct jk_drawer {
    jk_context ctx;
    jk_context *parent;
};

/* Set up `ctx` as a drawing context of `parent` (context.c). */
jk_status jk__context_init_drawing(jk_context *ctx, jk_context *parent);
/* Free what a context owns, not the context itself. */
void jk__context_release(jk_context *ctx);

/* draw.c: the scratch memory of drawing, kept between pages. */
void jk__draw_scratch_free(jk_context *ctx);

#endif
