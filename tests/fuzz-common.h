/* fuzz-common.h - what the fuzz targets share: FZ_CHECK, a failed check
 * that names its target and aborts (libFuzzer keeps the input), the one
 * context with the bundled fonts that every input of a target uses, and
 * text without its white space for the no-text-lost checks, a check of
 * well-formed UTF-8, and a tiny PNG for the readers' image loaders.
 * The including file defines FUZZ_NAME ("fuzz-html") first. */
#ifndef JK_FUZZ_COMMON_H
#define JK_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jikji.h"
#include "tiny-png.h" /* tu_tiny_png, for the readers' image loaders */

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

/* White space as the readers and the text checks see it. */
static inline int is_space_cp(uint32_t c)
{
    return c == ' ' || (c >= 9 && c <= 13) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
           c == 0xFEFF;
}

/* Append s[0..n) without white space (UTF-8 as the library writes it,
 * always well formed) to out; returns the new length. */
static inline size_t append_stripped(char *out, size_t k, const char *s,
                                     size_t n)
{
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)s + i;
        size_t len = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
        FZ_CHECK(i + len <= n, "truncated UTF-8 from the library");
        uint32_t c = p[0];
        if (len == 2)
            c = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        else if (len == 3)
            c = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) |
                (p[2] & 0x3Fu);
        else if (len == 4)
            c = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        if (!is_space_cp(c) && c != 0x34F) { /* CGJ: stream-safe shaping */
            memcpy(out + k, p, len);
            k += len;
        }
        i += len;
    }
    return k;
}

/* Whether s[0..n) is well-formed UTF-8 without NUL. */
static inline int fz_well_formed(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2
                     : c >= 0xE0 && c < 0xF0             ? 3
                     : c >= 0xF0 && c < 0xF5             ? 4
                                                         : 0;
        if (!len || c == 0 || i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
        if (len == 3 && ((c == 0xE0 && p[i + 1] < 0xA0) ||
                         (c == 0xED && p[i + 1] >= 0xA0)))
            return 0;
        if (len == 4 && ((c == 0xF0 && p[i + 1] < 0x90) ||
                         (c == 0xF4 && p[i + 1] >= 0x90)))
            return 0;
        i += len;
    }
    return 1;
}

#endif
