/* Small helpers shared by the C tests: checks that count failures, file
 * reading, a context with the bundled fonts, text comparison, and an
 * allocator that counts and fails on purpose. */
#ifndef JK_TESTUTIL_H
#define JK_TESTUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jikji.h"

static int tu_failures, tu_checks;

#define CHECK(cond)                                                          \
    do {                                                                     \
        tu_checks++;                                                         \
        if (!(cond)) {                                                       \
            tu_failures++;                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

#define CHECKF(cond, ...)                                                    \
    do {                                                                     \
        tu_checks++;                                                         \
        if (!(cond)) {                                                       \
            tu_failures++;                                                   \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

/* The closing line meson's log and CI read. */
static inline int tu_finish(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, tu_checks - tu_failures,
           tu_failures);
    return tu_failures ? 1 : 0;
}

static inline char *tu_read_file(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(fp);
    *size = (size_t)n;
    return buf;
}

/* Default settings on a Kindle Paperwhite 1 page (758x1024 at 212 dpi,
 * the device preset), default margins, at `pt` points. */
static inline void tu_kindle_page(jk_settings *st, double pt)
{
    jk_settings_init(st);
    jk_settings_set_device(st, jk_device_find("kindle-pw1"));
    st->font_size_pt = pt;
}

static inline jk_context *tu_context(const char *font_dir)
{
    jk_context *ctx = NULL;
    if (jk_context_create(NULL, &ctx) != JK_OK)
        return NULL;
    if (jk_context_add_bundled_fonts(ctx, font_dir) != JK_OK) {
        fprintf(stderr, "fonts: %s\n", jk_context_errmsg(ctx));
        jk_context_destroy(ctx);
        return NULL;
    }
    return ctx;
}

/* Decode one UTF-8 sequence leniently (for whitespace tests only). */
static inline size_t tu_utf8(const unsigned char *s, size_t n, unsigned *cp)
{
    if (s[0] < 0x80 || n < 2) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && n >= 3) {
        *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if (n >= 4) {
        *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
              ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
    *cp = s[0];
    return 1;
}

static inline bool tu_is_space(unsigned cp)
{
    return cp == ' ' || (cp >= 9 && cp <= 13) || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           cp == 0xFEFF;
}

/* Copy `s` without its white space (and a BOM). Caller frees. */
static inline char *tu_strip(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = tu_utf8((const unsigned char *)s + i, n - i, &cp);
        if (!tu_is_space(cp))
            memcpy(out + k, s + i, len), k += len;
        i += len;
    }
    out[k] = '\0';
    return out;
}

/* All line texts of all pages, concatenated. Caller frees. */
static inline char *tu_layout_text(const jk_layout *layout)
{
    size_t cap = 1024, n = 0;
    char *all = malloc(cap);
    all[0] = '\0';
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            size_t len = jk_layout_line_text(layout, p, i, NULL, 0);
            while (n + len + 1 > cap)
                all = realloc(all, cap *= 2);
            jk_layout_line_text(layout, p, i, all + n, len + 1);
            n += len;
        }
    return all;
}

/* PNG bytes collected in memory (a jk_write_fn), and read back. */
typedef struct membuf {
    unsigned char *data;
    size_t size, cap, read;
} membuf;

static inline int mem_write(void *user, const void *data, size_t size)
{
    membuf *m = user;
    if (m->size + size > m->cap) {
        m->cap = (m->size + size) * 2;
        m->data = realloc(m->data, m->cap);
    }
    memcpy(m->data + m->size, data, size);
    m->size += size;
    return 0;
}

#ifdef PNG_LIBPNG_VER /* with <png.h> included before this header */
static inline void mem_read(png_structp png, png_bytep out, size_t size)
{
    membuf *m = png_get_io_ptr(png);
    if (m->read + size > m->size)
        png_error(png, "short PNG");
    memcpy(out, m->data + m->read, size);
    m->read += size;
}
#endif

#include "tiny-png.h" /* tu_tiny_png */

/* An allocator that counts what it holds and fails on purpose: after
 * `budget` more allocations every one fails (< 0: never; tu_counting_init
 * sets -1), or only the `fail_at`th call does (0: none). Each block
 * carries its size, for `bytes` and `peak`. */
typedef struct tu_counting {
    long budget;
    size_t fail_at;
    size_t calls;       /* allocations asked for */
    long live, failed;  /* blocks held; allocations refused */
    size_t bytes, peak; /* bytes held, and the most at once */
} tu_counting;

typedef union tu_header {
    size_t size;
    max_align_t align;
} tu_header;

static inline void tu_counting_init(tu_counting *c)
{
    memset(c, 0, sizeof *c);
    c->budget = -1;
}

/* Whether this allocation is refused. */
static inline bool tu_count_refuses(tu_counting *c)
{
    c->calls++;
    if (c->budget == 0 || (c->fail_at && c->calls == c->fail_at)) {
        c->failed++;
        return true;
    }
    if (c->budget > 0)
        c->budget--;
    return false;
}

static inline void tu_count_grew(tu_counting *c, size_t old, size_t size)
{
    c->bytes = c->bytes - old + size;
    if (c->bytes > c->peak)
        c->peak = c->bytes;
}

static inline void *tu_count_malloc(size_t size, void *user)
{
    tu_counting *c = user;
    if (tu_count_refuses(c))
        return NULL;
    tu_header *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    c->live++;
    tu_count_grew(c, 0, size);
    return h + 1;
}

static inline void *tu_count_realloc(void *ptr, size_t size, void *user)
{
    tu_counting *c = user;
    if (!ptr)
        return tu_count_malloc(size, user);
    if (tu_count_refuses(c))
        return NULL;
    tu_header *h = (tu_header *)ptr - 1;
    size_t old = h->size;
    tu_header *n = realloc(h, sizeof *n + size);
    if (!n)
        return NULL;
    n->size = size;
    tu_count_grew(c, old, size);
    return n + 1;
}

static inline void tu_count_free(void *ptr, void *user)
{
    tu_counting *c = user;
    if (!ptr)
        return;
    tu_header *h = (tu_header *)ptr - 1;
    c->live--;
    c->bytes -= h->size;
    free(h);
}

static inline jk_allocator tu_counting_allocator(tu_counting *c)
{
    jk_allocator a = {tu_count_malloc, tu_count_realloc, tu_count_free, c};
    return a;
}

#endif
