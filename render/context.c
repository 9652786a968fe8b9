/* The context: allocator, FreeType library, fonts, caches, error
 * message; it owns them all and frees them. */
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_MODULE_H

#include "context.h"
#include "font.h"
#include "hyphenate.h"
#include "memory.h"

const char *jk_status_string(jk_status status)
{
    switch (status) {
#define JK__STATUS_TEXT(name, value, text)                                   \
    case name:                                                               \
        return text;
        JK_STATUS_LIST(JK__STATUS_TEXT)
#undef JK__STATUS_TEXT
    }
    return "unknown status";
}

const char *jk_version(void) { return JK_VERSION_STRING; }

unsigned jk_version_number(void) { return JK_VERSION_NUMBER; }

/* Without allocator hooks: the C library's. */
static void *std_malloc(size_t size, void *user)
{
    (void)user;
    return malloc(size);
}
static void *std_realloc(void *ptr, size_t size, void *user)
{
    (void)user;
    return realloc(ptr, size);
}
static void std_free(void *ptr, void *user)
{
    (void)user;
    free(ptr);
}

/* FreeType allocates through the context's allocator too. */
static void *ft_alloc(FT_Memory memory, long size)
{
    jk_context *ctx = memory->user;
    return size > 0 ? jk__malloc(ctx, (size_t)size) : NULL;
}
static void ft_free(FT_Memory memory, void *block)
{
    jk__free(memory->user, block);
}
static void *ft_realloc(FT_Memory memory, long cur, long size, void *block)
{
    (void)cur;
    jk_context *ctx = memory->user;
    if (size <= 0)
        return NULL;
    return jk__realloc_array(ctx, block, (size_t)size, 1);
}

/* --------------------------------------------------------------- context */

/* FreeType on the context's allocator, a default glyph cache. */
static jk_status init_common(jk_context *ctx)
{
    ctx->ft_memory.user = ctx;
    ctx->ft_memory.alloc = ft_alloc;
    ctx->ft_memory.free = ft_free;
    ctx->ft_memory.realloc = ft_realloc;
    FT_Error err = FT_New_Library(&ctx->ft_memory, &ctx->ft);
    if (err) {
        ctx->ft = NULL;
        return err == FT_Err_Out_Of_Memory ? JK_ERR_NOMEM : JK_ERR_FREETYPE;
    }
    FT_Add_Default_Modules(ctx->ft);
    ctx->glyph_cache.budget = JK_GLYPH_CACHE_DEFAULT_BUDGET;
    return JK_OK;
}

jk_status jk__context_init_drawing(jk_context *ctx, jk_context *parent)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = parent->alloc;
    ctx->budget = parent->budget; /* one budget for both */
    ctx->used = parent->used;
    jk_status st = init_common(ctx);
    if (st != JK_OK)
        return jk__fail(parent, st, "cannot start FreeType for a drawer");
    ctx->glyph_cache.budget = parent->glyph_cache.budget;
    if (parent->font_count &&
        !(ctx->fonts = jk__calloc(ctx, parent->font_count,
                                  sizeof *ctx->fonts))) {
        jk__context_release(ctx);
        return jk__fail(parent, JK_ERR_NOMEM, "out of memory for a drawer");
    }
    ctx->font_cap = parent->font_count;
    for (size_t i = 0; i < parent->font_count; i++) {
        st = jk__font_clone(ctx, parent->fonts[i], &ctx->fonts[i]);
        if (st != JK_OK) {
            jk__fail(parent, st, "%s", ctx->errmsg);
            jk__context_release(ctx);
            return st;
        }
        ctx->font_count++;
    }
    return JK_OK;
}

void jk__context_release(jk_context *ctx)
{
    jk__glyph_cache_free(ctx);
    jk__draw_scratch_free(ctx);
    for (size_t i = 0; i < ctx->font_count; i++)
        jk__font_destroy(ctx, ctx->fonts[i]);
    jk__free(ctx, ctx->fonts);
    ctx->fonts = NULL;
    ctx->font_count = 0;
    jk__hyphenator_destroy(ctx, ctx->hyphenator);
    ctx->hyphenator = NULL;
    if (ctx->ft)
        FT_Done_Library(ctx->ft);
    ctx->ft = NULL;
}

jk_status jk_drawer_create(jk_context *ctx, jk_drawer **out)
{
    jk__clear_error(ctx);
    if (!ctx || !out)
        return JK_ERR_INVALID_ARGUMENT;
    *out = NULL;
    jk_drawer *d = ctx->alloc.malloc_fn(sizeof *d, ctx->alloc.user);
    if (!d)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory for a drawer");
    jk_status st = jk__context_init_drawing(&d->ctx, ctx);
    if (st != JK_OK) {
        ctx->alloc.free_fn(d, ctx->alloc.user);
        return st;
    }
    d->parent = ctx;
    ctx->drawers++;
    *out = d;
    return JK_OK;
}

void jk_drawer_destroy(jk_drawer *d)
{
    if (!d)
        return;
    jk_context *parent = d->parent;
    jk__context_release(&d->ctx);
    parent->drawers--;
    parent->alloc.free_fn(d, parent->alloc.user);
}

const char *jk_drawer_errmsg(const jk_drawer *d)
{
    return d ? d->ctx.errmsg : "no drawer";
}

jk_status jk_context_create(const jk_allocator *allocator, jk_context **out)
{
    return jk_context_create_with_budget(allocator, 0, out);
}

jk_status jk_context_create_with_budget(const jk_allocator *allocator,
                                        size_t budget, jk_context **out)
{
    if (!out)
        return JK_ERR_INVALID_ARGUMENT;
    *out = NULL;
    jk_allocator a = {std_malloc, std_realloc, std_free, NULL};
    if (allocator) {
        if (!allocator->malloc_fn || !allocator->realloc_fn ||
            !allocator->free_fn)
            return JK_ERR_INVALID_ARGUMENT;
        a = *allocator;
    }
    jk_context *ctx = a.malloc_fn(sizeof *ctx, a.user);
    if (!ctx)
        return JK_ERR_NOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = a;
    ctx->budget = budget;
    ctx->used = &ctx->used_own;
    jk_status st = init_common(ctx);
    if (st != JK_OK) {
        a.free_fn(ctx, a.user);
        return st == JK_ERR_NOMEM && budget ? JK_ERR_LIMIT : st;
    }
    *out = ctx;
    return JK_OK;
}

void jk_context_destroy(jk_context *ctx)
{
    if (!ctx)
        return;
    jk__context_release(ctx);
    ctx->alloc.free_fn(ctx, ctx->alloc.user);
}

const char *jk_context_errmsg(const jk_context *ctx)
{
    return ctx ? ctx->errmsg : "no context";
}

jk_status jk_context_load_hyphenation(jk_context *ctx, const char *path)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    jk__hyphenator *h = NULL;
    jk_status st = jk__hyphenator_create(ctx, path, &h);
    if (st != JK_OK)
        return st;
    jk__hyphenator_destroy(ctx, ctx->hyphenator);
    ctx->hyphenator = h;
    return JK_OK;
}

int jk_hyphenation_available(void) { return jk__hyphenation_available(); }

size_t jk_context_memory_used(const jk_context *ctx)
{
    return ctx && ctx->budget ? atomic_load(ctx->used) : 0;
}

void jk_context_set_progress(jk_context *ctx, jk_progress_fn fn, void *user)
{
    if (!ctx)
        return;
    ctx->progress = fn;
    ctx->progress_user = fn ? user : NULL;
}
