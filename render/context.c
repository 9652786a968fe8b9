/* The context: allocator, FreeType library, error message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyphenate.h"
#include "internal.h"

static const char *const status_text[] = {
#define JK__STATUS_TEXT(name, text) text,
    JK_STATUS_LIST(JK__STATUS_TEXT)
#undef JK__STATUS_TEXT
};

const char *jk_status_string(jk_status status)
{
    if ((unsigned)status >= (unsigned)JK_STATUS_COUNT)
        return "unknown status";
    return status_text[status];
}

const char *jk_version(void) { return JK_VERSION_STRING; }

/* ---------------------------------------------------------------- memory */

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

void *jk__malloc(jk_context *ctx, size_t size)
{
    return ctx->alloc.malloc_fn(size ? size : 1, ctx->alloc.user);
}

void *jk__calloc(jk_context *ctx, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = jk__malloc(ctx, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *jk__realloc_array(jk_context *ctx, void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t bytes = count * size;
    return ctx->alloc.realloc_fn(ptr, bytes ? bytes : 1, ctx->alloc.user);
}

void jk__free(jk_context *ctx, void *ptr)
{
    if (ptr)
        ctx->alloc.free_fn(ptr, ctx->alloc.user);
}

bool jk__grow(jk_context *ctx, void **ptr, size_t *cap, size_t need,
              size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    void *p = jk__realloc_array(ctx, *ptr, n, size);
    if (!p)
        return false;
    *ptr = p;
    *cap = n;
    return true;
}

jk_status jk__fail(jk_context *ctx, jk_status status, const char *fmt, ...)
{
    if (!ctx)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    va_end(ap);
    return status;
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
    return ctx->alloc.realloc_fn(block, (size_t)size, ctx->alloc.user);
}

/* --------------------------------------------------------------- context */

jk_status jk_context_create(const jk_allocator *allocator, jk_context **out)
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
    ctx->ft_memory.user = ctx;
    ctx->ft_memory.alloc = ft_alloc;
    ctx->ft_memory.free = ft_free;
    ctx->ft_memory.realloc = ft_realloc;
    FT_Error err = FT_New_Library(&ctx->ft_memory, &ctx->ft);
    if (err) {
        a.free_fn(ctx, a.user);
        return err == FT_Err_Out_Of_Memory ? JK_ERR_NOMEM : JK_ERR_FREETYPE;
    }
    FT_Add_Default_Modules(ctx->ft);
    ctx->glyph_cache.budget = JK_GLYPH_CACHE_DEFAULT_BUDGET;
    *out = ctx;
    return JK_OK;
}

void jk_context_destroy(jk_context *ctx)
{
    if (!ctx)
        return;
    jk__glyph_cache_free(ctx);
    jk__draw_scratch_free(ctx);
    for (size_t i = 0; i < ctx->font_count; i++)
        jk__font_destroy(ctx, ctx->fonts[i]);
    jk__free(ctx, ctx->fonts);
    jk__hyphenator_destroy(ctx, ctx->hyphenator);
    FT_Done_Library(ctx->ft);
    ctx->alloc.free_fn(ctx, ctx->alloc.user);
}

const char *jk_context_errmsg(const jk_context *ctx)
{
    return ctx ? ctx->errmsg : "no context";
}

jk_status jk_context_load_hyphenation(jk_context *ctx, const char *path)
{
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    jk_hyphenator *h = NULL;
    jk_status st = jk__hyphenator_create(ctx, path, &h);
    if (st != JK_OK)
        return st;
    jk__hyphenator_destroy(ctx, ctx->hyphenator);
    ctx->hyphenator = h;
    return JK_OK;
}

int jk_hyphenation_available(void) { return jk__hyphenation_available(); }
