/* Memory and errors: the context's allocator and its message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "memory.h"

/* With a budget, each block starts with its size, in a header as aligned
 * as malloc's blocks are. */
typedef union header {
    size_t size;
    max_align_t align;
} header;

/* Take `size` bytes from the budget; false (and the context told) when
 * they do not fit. */
static bool take(jk_context *ctx, size_t size)
{
    size_t before = atomic_fetch_add(ctx->used, size);
    if (before + size > ctx->budget || before + size < before) {
        atomic_fetch_sub(ctx->used, size);
        ctx->over_budget = true;
        return false;
    }
    return true;
}

void *jk__malloc(jk_context *ctx, size_t size)
{
    if (!size)
        size = 1;
    if (!ctx->budget)
        return ctx->alloc.malloc_fn(size, ctx->alloc.user);
    if (size > SIZE_MAX - sizeof(header) ||
        !take(ctx, size + sizeof(header)))
        return NULL;
    header *h = ctx->alloc.malloc_fn(size + sizeof(header), ctx->alloc.user);
    if (!h) {
        atomic_fetch_sub(ctx->used, size + sizeof(header));
        return NULL;
    }
    h->size = size;
    return h + 1;
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
    if (!bytes)
        bytes = 1;
    if (!ctx->budget)
        return ctx->alloc.realloc_fn(ptr, bytes, ctx->alloc.user);
    if (!ptr)
        return jk__malloc(ctx, bytes);
    if (bytes > SIZE_MAX - sizeof(header))
        return NULL;
    header *h = (header *)ptr - 1;
    size_t old = h->size;
    if (bytes > old && !take(ctx, bytes - old))
        return NULL;
    header *n = ctx->alloc.realloc_fn(h, bytes + sizeof(header),
                                      ctx->alloc.user);
    if (!n) {
        if (bytes > old)
            atomic_fetch_sub(ctx->used, bytes - old);
        return NULL;
    }
    if (bytes < old)
        atomic_fetch_sub(ctx->used, old - bytes);
    n->size = bytes;
    return n + 1;
}

void jk__free(jk_context *ctx, void *ptr)
{
    if (!ptr)
        return;
    if (!ctx->budget) {
        ctx->alloc.free_fn(ptr, ctx->alloc.user);
        return;
    }
    header *h = (header *)ptr - 1;
    atomic_fetch_sub(ctx->used, h->size + sizeof(header));
    ctx->alloc.free_fn(h, ctx->alloc.user);
}

bool jk__grow_to(jk_context *ctx, void **ptr, size_t *cap, size_t need,
                 size_t size)
{
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
    if (ctx) {
        ((jk_context *)ctx)->errmsg[0] = '\0';
        ((jk_context *)ctx)->over_budget = false;
    }
}

jk_status jk__fail(jk_context *ctx, jk_status status, const char *fmt, ...)
{
    if (!ctx)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    va_end(ap);
    /* Memory that failed for the budget, not the system: say so. */
    if (status == JK_ERR_NOMEM && ctx->over_budget) {
        char why[sizeof ctx->errmsg];
        memcpy(why, ctx->errmsg, sizeof why);
        snprintf(ctx->errmsg, sizeof ctx->errmsg,
                 "memory budget of %zu bytes reached (%.200s)", ctx->budget,
                 why);
        status = JK_ERR_LIMIT;
    }
    return status;
}

jk_status jk__progress(jk_context *ctx, jk_stage stage, size_t done,
                       size_t total)
{
    static const char *const stages[] = {"reading", "shaping", "laying out",
                                         "drawing"};
    if (!ctx->progress || !ctx->progress(ctx->progress_user, stage, done,
                                         total))
        return JK_OK;
    return jk__fail(ctx, JK_ERR_CANCELLED, "cancelled while %s (%zu of %zu)",
                    stages[stage], done, total);
}
