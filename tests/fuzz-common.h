/* fuzz-common.h - what the fuzz targets share: FZ_CHECK, a failed check
 * that names its target and aborts (libFuzzer keeps the input), and the
 * one context with the bundled fonts that every input of a target uses.
 * The including file defines FUZZ_NAME ("fuzz-html") first. */
#ifndef JK_FUZZ_COMMON_H
#define JK_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "jikji.h"

#ifndef JK_FUZZ_FONT_DIR
#define JK_FUZZ_FONT_DIR "fonts"
#endif

#define FZ_CHECK(cond, ...)                                                  \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, FUZZ_NAME ": check failed: %s: ", #cond);        \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* The target's context (NULL until fz_context makes it). */
static inline jk_context **fz_slot(void)
{
    static jk_context *ctx;
    return &ctx;
}

/* Made on the first input: the bundled fonts from $JIKJI_FONT_DIR, else
 * the source tree's (JK_FUZZ_FONT_DIR, set by meson), and the hyphenation
 * patterns when they are installed. */
static inline jk_context *fz_context(void)
{
    jk_context **ctx = fz_slot();
    if (*ctx)
        return *ctx;
    const char *dir = getenv("JIKJI_FONT_DIR");
    if (!dir || !*dir)
        dir = JK_FUZZ_FONT_DIR;
    if (jk_context_create(NULL, ctx) != JK_OK) {
        fprintf(stderr, FUZZ_NAME ": no context\n");
        abort();
    }
    if (jk_context_add_bundled_fonts(*ctx, dir) != JK_OK) {
        fprintf(stderr, FUZZ_NAME ": fonts from %s: %s\n", dir,
                jk_context_errmsg(*ctx));
        abort();
    }
    if (jk_hyphenation_available())
        (void)jk_context_load_hyphenation(*ctx, NULL);
    return *ctx;
}

/* At the replay's end (valgrind and ASan look for leaks). */
static inline void fz_release(void)
{
    jk_context_destroy(*fz_slot());
    *fz_slot() = NULL;
}

#endif
