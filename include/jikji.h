/*
 * jikji — typesetting Korean and Latin text for e-ink screens.
 *
 * The one public header. Objects are opaque and follow one pattern:
 * jk_X_create / jk_X_destroy (destroy(NULL) is harmless) and getters.
 * Functions that can fail return a jk_status; results come back through
 * output parameters. A failing call leaves a message on the context
 * (jk_context_errmsg). The library never prints, exits or aborts, and
 * keeps no global state: two contexts share nothing.
 *
 * Pipeline: bytes -> jk_document (read, shaped once) -> jk_layout (lines and
 * pages at one jk_settings; re-settable cheaply) -> a page drawn into a
 * caller-owned jk_surface -> PNG through a write callback.
 */
#ifndef JIKJI_H
#define JIKJI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(JK_BUILDING_SHARED)
#define JK_API __declspec(dllexport)
#elif defined(__GNUC__)
#define JK_API __attribute__((visibility("default")))
#else
#define JK_API
#endif

#define JK_VERSION_MAJOR 0
#define JK_VERSION_MINOR 1
#define JK_VERSION_MICRO 0
#define JK_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- status */

/* One list of status codes, each with its text (X-macro). */
#define JK_STATUS_LIST(X)                                                    \
    X(JK_OK, "no error")                                                     \
    X(JK_ERR_NOMEM, "out of memory")                                         \
    X(JK_ERR_INVALID_ARGUMENT, "invalid argument")                           \
    X(JK_ERR_IO, "input/output error")                                       \
    X(JK_ERR_FONT, "cannot load font")                                       \
    X(JK_ERR_NO_FONT, "no font loaded")                                      \
    X(JK_ERR_RANGE, "index out of range")                                    \
    X(JK_ERR_LIMIT, "input exceeds a resource limit")                        \
    X(JK_ERR_PNG, "PNG encoding failed")                                     \
    X(JK_ERR_FREETYPE, "FreeType error")                                     \
    X(JK_ERR_SHAPING, "shaping failed")

typedef enum jk_status {
#define JK__STATUS_ENUM(name, text) name,
    JK_STATUS_LIST(JK__STATUS_ENUM)
#undef JK__STATUS_ENUM
    JK_STATUS_COUNT
} jk_status;

/* Static text for a status code; never NULL. */
JK_API const char *jk_status_string(jk_status status);

/* Library version as "major.minor.micro". */
JK_API const char *jk_version(void);

/* --------------------------------------------------------------- context */

/* Allocator hooks. All three must be set; `user` is passed back to each.
 * free_fn(NULL, user) must be harmless. */
typedef struct jk_allocator {
    void *(*malloc_fn)(size_t size, void *user);
    void *(*realloc_fn)(void *ptr, size_t size, void *user);
    void (*free_fn)(void *ptr, void *user);
    void *user;
} jk_allocator;

/* A context owns the allocator, a FreeType library, the fonts and the last
 * error message. Not thread-safe; use one context per thread. */
typedef struct jk_context jk_context;

/* Create a context. `allocator` may be NULL (the C library's malloc).
 * The allocator struct is copied. On failure *out is NULL. */
JK_API jk_status jk_context_create(const jk_allocator *allocator,
                                   jk_context **out);
JK_API void jk_context_destroy(jk_context *ctx);

/* Detailed message of the last failure on this context ("" if none).
 * Owned by the context; valid until the next call on it. */
JK_API const char *jk_context_errmsg(const jk_context *ctx);

/* ----------------------------------------------------------------- fonts */

/* What a font is for. The fallback chain for a character tries fonts meant
 * for its script first (in the order they were added), then every other
 * font that has the glyph, then draws a visible .notdef box. */
typedef enum jk_font_script {
    JK_FONT_KOREAN = 0, /* Hangul, Hanja, CJK punctuation */
    JK_FONT_LATIN = 1,  /* Latin, Greek, Cyrillic letters and digits */
    JK_FONT_SYMBOL = 2  /* symbols and anything else */
} jk_font_script;

typedef enum jk_font_family {
    JK_FAMILY_SERIF = 0, /* body text */
    JK_FAMILY_SANS = 1   /* headings, captions, bylines */
} jk_font_family;

typedef struct jk_font_desc {
    jk_font_script script;
    jk_font_family family;
    int bold;   /* nonzero: a bold face */
    int italic; /* nonzero: an italic face */
} jk_font_desc;

/* Add a font from a file (the first face of it). */
JK_API jk_status jk_context_add_font_file(jk_context *ctx, const char *path,
                                          const jk_font_desc *desc);

/* Add a font from memory. The bytes are copied. */
JK_API jk_status jk_context_add_font_memory(jk_context *ctx, const void *data,
                                            size_t size,
                                            const jk_font_desc *desc);

/* Add the bundled font set (see fonts/ in the source tree) from `dir`.
 * Fails with JK_ERR_FONT naming the first file that cannot be loaded. */
JK_API jk_status jk_context_add_bundled_fonts(jk_context *ctx,
                                              const char *dir);

JK_API int jk_context_font_count(const jk_context *ctx);

/* -------------------------------------------------------------- document */

typedef enum jk_block_kind {
    JK_BLOCK_TITLE = 0,
    JK_BLOCK_BYLINE,
    JK_BLOCK_HEADING,
    JK_BLOCK_PARAGRAPH,
    JK_BLOCK_CAPTION,
    JK_BLOCK_QUOTE,
    JK_BLOCK_LIST,
    JK_BLOCK_CODE,
    JK_BLOCK_KIND_COUNT
} jk_block_kind;

/* "title", "byline", ...; "unknown" for an out-of-range value. */
JK_API const char *jk_block_kind_name(jk_block_kind kind);

/* A read and shaped article. Holds a reference to its context's fonts: the
 * context must outlive it. */
typedef struct jk_document jk_document;

/* Read a plain-text article (UTF-8 with or without BOM, LF or CRLF; invalid
 * bytes become U+FFFD) and shape it. The rules for titles, bylines,
 * headings, captions and paragraphs are in README.md. The bytes are not
 * referenced after the call. */
JK_API jk_status jk_document_create_from_text(jk_context *ctx,
                                              const char *bytes, size_t size,
                                              jk_document **out);
JK_API void jk_document_destroy(jk_document *doc);

typedef struct jk_block_info {
    jk_block_kind kind;
    size_t start, end; /* source byte offsets, half-open */
} jk_block_info;

JK_API size_t jk_document_block_count(const jk_document *doc);
JK_API jk_status jk_document_get_block(const jk_document *doc, size_t index,
                                       jk_block_info *out);

/* The block's text as UTF-8 (as read: joined lines, U+FFFD for invalid
 * bytes). Copies at most buf_size-1 bytes and a NUL; returns the full
 * length in bytes (snprintf-style). */
JK_API size_t jk_document_block_text(const jk_document *doc, size_t index,
                                     char *buf, size_t buf_size);

/* Characters that no font could draw (shown as boxes). */
JK_API size_t jk_document_missing_glyphs(const jk_document *doc);

/* -------------------------------------------------------------- settings */

typedef enum jk_align {
    JK_ALIGN_JUSTIFY = 0,
    JK_ALIGN_LEFT = 1
} jk_align;

#ifndef JK_WORD_BREAK_DEFINED
#define JK_WORD_BREAK_DEFINED
typedef enum jk_word_break {
    JK_WORD_BREAK_AUTO = 0,
    JK_WORD_BREAK_KEEP_ALL = 1,
    JK_WORD_BREAK_NORMAL = 2
} jk_word_break;
#endif

/* Page and type settings. jk_settings_init fills the defaults: Kobo Clara
 * page (1072x1448 at 300 dpi), 10 pt body, scale 1, line height 1.7,
 * automatic margins (a negative margin: 0.22 inch at the page's dpi),
 * justified, word break auto. */
typedef struct jk_settings {
    int page_width, page_height; /* pixels */
    int dpi;                     /* pixels per inch */
    double font_size_pt;         /* body size in points */
    double scale;                /* multiplies every size */
    int margin_top, margin_right, margin_bottom, margin_left; /* pixels */
    double line_height;          /* times the font size */
    jk_align align;
    jk_word_break word_break;    /* Korean line-breaking mode */
} jk_settings;

JK_API void jk_settings_init(jk_settings *settings);

/* ---------------------------------------------------------------- layout */

typedef struct jk_layout jk_layout;

/* Lay out `doc` with `settings` (copied). The document must outlive it. */
JK_API jk_status jk_layout_create(jk_document *doc,
                                  const jk_settings *settings,
                                  jk_layout **out);
JK_API void jk_layout_destroy(jk_layout *layout);

/* Re-lay out with new settings: no re-reading, no re-shaping. */
JK_API jk_status jk_layout_set_settings(jk_layout *layout,
                                        const jk_settings *settings);
JK_API void jk_layout_get_settings(const jk_layout *layout,
                                   jk_settings *out);

JK_API size_t jk_layout_page_count(const jk_layout *layout);
JK_API size_t jk_layout_line_count(const jk_layout *layout, size_t page);

typedef struct jk_line_info {
    size_t block;       /* index of the block the line belongs to */
    jk_block_kind kind; /* the block's kind */
    size_t start, end;  /* source byte offsets; end excludes the spaces at
                           which the line broke */
    double x, y;        /* left edge and baseline, pixels */
    double width;       /* set width, pixels */
    double height;      /* line height (leading), pixels */
    double ratio;       /* justification adjustment ratio (0 if ragged) */
    int hyphenated;     /* the line ends with an added hyphen */
    int last;           /* last line of its block */
} jk_line_info;

JK_API jk_status jk_layout_get_line(const jk_layout *layout, size_t page,
                                    size_t line, jk_line_info *out);

/* The line's text as laid out (UTF-8, without an added hyphen); returns the
 * full length, copies like snprintf. */
JK_API size_t jk_layout_line_text(const jk_layout *layout, size_t page,
                                  size_t line, char *buf, size_t buf_size);

/* --------------------------------------------------------------- surface */

typedef enum jk_pixel_format {
    JK_PIXEL_GRAY8 = 0 /* one byte a pixel, 0 black .. 255 white */
} jk_pixel_format;

/* Caller-owned pixels. */
typedef struct jk_surface {
    uint8_t *pixels;
    int width, height;
    int stride; /* bytes from one row to the next, >= the row size */
    jk_pixel_format format;
} jk_surface;

/* Draw page `page` (from 0) into `surface`, black on white; the page is
 * cleared first. The surface should be the page size; larger surfaces get
 * the page at the top left, smaller ones are clipped. */
JK_API jk_status jk_layout_render_page(jk_layout *layout, size_t page,
                                       const jk_surface *surface);

/* ------------------------------------------------------------------- PNG */

/* Receives PNG bytes; returns 0 on success, nonzero to stop with
 * JK_ERR_IO. */
typedef int (*jk_write_fn)(void *user, const void *data, size_t size);

/* Encode a GRAY8 surface as an 8-bit gray PNG with a pHYs chunk of `dpi`. */
JK_API jk_status jk_surface_write_png(jk_context *ctx,
                                      const jk_surface *surface, int dpi,
                                      jk_write_fn write, void *user);

#ifdef __cplusplus
}
#endif
#endif /* JIKJI_H */
