/* Memory and errors: the context's allocator and its message. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "memory.h"

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

void jk__clear_error(const jk_context *ctx)
{
    /* The message is the context's scratch, not part of its value: the
     * getters on const objects clear it too. */
    if (ctx)
        ((jk_context *)ctx)->errmsg[0] = '\0';
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
