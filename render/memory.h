/* Memory and errors: every allocation goes through the context's
 * allocator; every failure leaves its message on the context. */
#ifndef JK__MEMORY_H
#define JK__MEMORY_H

#include <stdbool.h>
#include <stddef.h>

#include "jikji.h"

void *jk__malloc(jk_context *ctx, size_t size);
void *jk__calloc(jk_context *ctx, size_t count, size_t size);
/* Resize an array to `count` elements of `size`; overflow-checked. */
void *jk__realloc_array(jk_context *ctx, void *ptr, size_t count,
                        size_t size);
void jk__free(jk_context *ctx, void *ptr);

/* Grow *ptr (an array of *cap elements) so it holds at least `need`,
 * geometrically. Inline where it has room already: hot loops grow their
 * arrays an element at a time. */
bool jk__grow_to(jk_context *ctx, void **ptr, size_t *cap, size_t need,
                 size_t size);

static inline bool jk__grow(jk_context *ctx, void **ptr, size_t *cap,
                            size_t need, size_t size)
{
    return need <= *cap || jk__grow_to(ctx, ptr, cap, need, size);
}

/* At the start of every public call that returns a status: the message
 * describes only the most recent call, so a call that succeeds leaves it
 * empty (jikji.h, jk_context_errmsg). NULL is harmless. */
void jk__clear_error(const jk_context *ctx);

/* Tell the progress function how far `stage` is; JK_ERR_CANCELLED (the
 * message set) when it asks to stop, else JK_OK. */
jk_status jk__progress(jk_context *ctx, jk_stage stage, size_t done,
                       size_t total);

/* Record a failure on the context and return `status`. */
jk_status jk__fail(jk_context *ctx, jk_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
