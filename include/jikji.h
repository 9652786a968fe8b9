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

#include "jikji-version.h"

/* ---------------------------------------------------------------- status */

/* One list of status codes, each with its number and its text (X-macro).
 * A status keeps its number for ever; new ones are added with new
 * numbers. Treat any status you do not know as a failure:
 * jk_status_string gives a text for every value. */
#define JK_STATUS_LIST(X)                                                    \
    X(JK_OK, 0, "no error")                                                  \
    X(JK_ERR_NOMEM, 1, "out of memory")                                      \
    X(JK_ERR_INVALID_ARGUMENT, 2, "invalid argument")                        \
    X(JK_ERR_IO, 3, "input/output error")                                    \
    X(JK_ERR_FONT, 4, "cannot load font")                                    \
    X(JK_ERR_NO_FONT, 5, "no font loaded")                                   \
    X(JK_ERR_RANGE, 6, "index out of range")                                 \
    X(JK_ERR_LIMIT, 7, "input exceeds a resource limit")                     \
    X(JK_ERR_PNG, 8, "PNG encoding failed")                                  \
    X(JK_ERR_FREETYPE, 9, "FreeType error")                                  \
    X(JK_ERR_SHAPING, 10, "shaping failed")                                  \
    X(JK_ERR_UNSUPPORTED, 11, "not supported in this build")                 \
    X(JK_ERR_BUSY, 12, "in use: not while documents exist")                  \
    X(JK_ERR_NOT_FOUND, 13, "nothing there")                                 \
    X(JK_ERR_CANCELLED, 14, "cancelled by the progress callback")

typedef enum jk_status {
#define JK__STATUS_ENUM(name, value, text) name = value,
    JK_STATUS_LIST(JK__STATUS_ENUM)
#undef JK__STATUS_ENUM
} jk_status;

/* Static text for a status code; never NULL. */
JK_API const char *jk_status_string(jk_status status);

/* Version of the library linked at run time (the headers' may differ):
 * "major.minor.micro", and as JK_VERSION_ENCODE(major, minor, micro). */
JK_API const char *jk_version(void);
JK_API unsigned jk_version_number(void);

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

/* A context whose allocations through `allocator` (NULL: the C library's)
 * never add up to more than `budget` bytes at a time: its fonts copied to
 * memory, glyph cache, hyphenation patterns, documents, layouts, drawers
 * and the scratch of every call, and FreeType's and libpng's memory. A
 * call that would pass it fails with JK_ERR_LIMIT and says so, leaving
 * nothing allocated and its objects as they were. 0 means no budget (as
 * jk_context_create). With a budget each allocation carries a 16-byte
 * header. Not counted: HarfBuzz's shaping buffers and font objects (a few
 * hundred kilobytes), md4c's and libjpeg's working memory (bounded by the
 * input limits). */
JK_API jk_status jk_context_create_with_budget(const jk_allocator *allocator,
                                               size_t budget,
                                               jk_context **out);
/* Bytes counted against the budget now (0 without one). */
JK_API size_t jk_context_memory_used(const jk_context *ctx);

/* Progress and cancellation. Long operations call the context's progress
 * function as they go: reading (blocks made), shaping (blocks shaped),
 * layout (blocks composed) and drawing (bands of a page drawn), with
 * `done` of `total` units of that stage. Returning nonzero cancels: the
 * call stops with JK_ERR_CANCELLED, having freed what it made — no new
 * document or layout, jk_layout_set_settings leaves the layout as it
 * was, a page being drawn is left part drawn — and every object stays
 * usable. It is called on the thread of the call (drawers have none). */
typedef enum jk_stage {
    JK_STAGE_READ = 0,
    JK_STAGE_SHAPE = 1,
    JK_STAGE_LAYOUT = 2,
    JK_STAGE_DRAW = 3
} jk_stage;
typedef int (*jk_progress_fn)(void *user, jk_stage stage, size_t done,
                              size_t total);
/* Set (or with NULL, clear) the context's progress function. */
JK_API void jk_context_set_progress(jk_context *ctx, jk_progress_fn fn,
                                    void *user);

/* The message of the most recent call that returned a status, on this
 * context or on a document, layout or surface call made with it: what
 * failed and why, or "" when that call succeeded (every call that returns
 * a status clears it first, as SQLite's sqlite3_errmsg does). Owned by
 * the context; valid until the next call on it. jk_status_string gives
 * the static text of a status. */
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
    JK_FAMILY_SANS = 1,  /* headings, captions, bylines */
    JK_FAMILY_MONO = 2   /* code (Korean in code: the sans family) */
} jk_font_family;

typedef struct jk_font_desc {
    jk_font_script script;
    jk_font_family family;
    int bold;   /* nonzero: a bold face */
    int italic; /* nonzero: an italic face */
} jk_font_desc;

/* The font set is frozen while documents exist: a document is shaped
 * with the fonts it was read with, and drawing must use the same ones. A
 * font added while a document of this context exists is refused with
 * JK_ERR_BUSY (destroy the documents first). A font whose bytes are not
 * a well-formed font file (a table that reaches past the end of the data,
 * as in a truncated file) is refused with JK_ERR_FONT. */

/* Add a font from a file (the first face of it). The file is mapped, not
 * read: it must not change while the context uses it. */
JK_API jk_status jk_context_add_font_file(jk_context *ctx, const char *path,
                                          const jk_font_desc *desc);

/* Add a font from memory. The bytes are copied. */
JK_API jk_status jk_context_add_font_memory(jk_context *ctx, const void *data,
                                            size_t size,
                                            const jk_font_desc *desc);

/* Add a font from memory the caller keeps: no copy is made (a font in
 * firmware's flash, a mapped partition). `data` must stay valid and
 * unchanged until `release` is called (may be NULL), once, with `user`,
 * when the context no longer needs it: at jk_context_destroy, or at once
 * when the font is refused. */
JK_API jk_status jk_context_add_font_borrowed(jk_context *ctx,
                                              const void *data, size_t size,
                                              const jk_font_desc *desc,
                                              void (*release)(void *user),
                                              void *user);

/* The bundled font set, in fallback order: file names (in fonts/ of the
 * source tree, share/jikji/fonts installed) and what each is for, so
 * firmware that loads fonts from memory can give them the same roles.
 * jk_bundled_font returns JK_ERR_RANGE past the last. */
JK_API size_t jk_bundled_font_count(void);
JK_API jk_status jk_bundled_font(size_t index, const char **file,
                                 jk_font_desc *desc);

/* Add the bundled font set from `dir`. Fails with JK_ERR_FONT naming the
 * first file that cannot be loaded (the fonts added before it stay). */
JK_API jk_status jk_context_add_bundled_fonts(jk_context *ctx,
                                              const char *dir);

JK_API int jk_context_font_count(const jk_context *ctx);

/* ---------------------------------------------------------- hyphenation */

/* Load Latin hyphenation patterns: a TeX pattern file in the .dic form
 * of Debian's hyphen-* packages (hyph_en_US.dic); NULL: the default
 * chosen at build time. Documents read after this carry hyphenation
 * points for their Latin words. Replaces patterns loaded before. The
 * patterns are read with the context's allocator (about 260 KB for
 * English) and checked: a file that is not one is refused with a message
 * naming the line. */
JK_API jk_status jk_context_load_hyphenation(jk_context *ctx,
                                             const char *path);

/* Nonzero: this build can hyphenate (always, since 1.0: kept for
 * programs that asked). */
JK_API int jk_hyphenation_available(void);

/* -------------------------------------------------------------- document */

/* Kinds of block. New kinds are added at the end (before the count,
 * whose value is this header's and may grow in a minor version). */
typedef enum jk_block_kind {
    JK_BLOCK_TITLE = 0,
    JK_BLOCK_BYLINE = 1,
    JK_BLOCK_HEADING = 2,   /* levels 1..6 (jk_block_attrs) */
    JK_BLOCK_PARAGRAPH = 3,
    JK_BLOCK_CAPTION = 4,
    JK_BLOCK_QUOTE = 5,     /* a paragraph inside block quotes */
    JK_BLOCK_LIST = 6,      /* a list item's paragraph */
    JK_BLOCK_CODE = 7,      /* preformatted: never justified or
                               hyphenated; long lines wrap */
    JK_BLOCK_TABLE = 8,     /* a table row: its cells, one after another */
    JK_BLOCK_FIGURE = 9,    /* an image (or its placeholder) */
    JK_BLOCK_RULE = 10,     /* a thematic break */
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

/* Build a document block by block, for text a caller has parsed itself
 * (HTML, an e-book): an empty document, then blocks in reading order. */
JK_API jk_status jk_document_create(jk_context *ctx, jk_document **out);

/* Inline styles of a stretch of a block's text: byte offsets into the text
 * given to jk_document_add_block, half-open. Code is set in the monospace
 * face; links are underlined; sub- and superscripts are smaller, on a
 * lowered or raised baseline. */
enum {
    JK_STYLE_BOLD = 1,
    JK_STYLE_ITALIC = 2,
    JK_STYLE_CODE = 4,
    JK_STYLE_LINK = 8,
    JK_STYLE_SUB = 16,
    JK_STYLE_SUP = 32,
    JK_STYLE_STRIKE = 64,
    JK_STYLE_UNDERLINE = 128
};
typedef struct jk_span {
    size_t start, end;
    unsigned style; /* JK_STYLE_* bits */
} jk_span;

/* Append a block of UTF-8 `text` (invalid bytes become U+FFFD; line ends
 * are spaces; runs of spaces become one; trimmed) with `spans` of inline
 * style (may be NULL). Where a font has no bold or italic face, the
 * glyphs are emboldened or slanted. Source offsets of a document built
 * this way count the blocks' texts one after the other, one byte apart.
 * Text that is only white space adds no block. */
JK_API jk_status jk_document_add_block(jk_document *doc, jk_block_kind kind,
                                       const char *text, size_t size,
                                       const jk_span *spans,
                                       size_t span_count);

/* A link: source bytes [start, end) of a block's text go to href. */
typedef struct jk_link {
    size_t start, end;
    const char *href; /* UTF-8, NUL-terminated */
} jk_link;

/* A block with everything a structured article has, for
 * jk_document_add: jk_block_desc_init, then set what applies. */
typedef struct jk_block_desc {
    size_t struct_size;   /* sizeof(jk_block_desc), set by init */
    jk_block_kind kind;
    const char *text;     /* UTF-8 */
    size_t size;
    const jk_span *spans; /* inline styles, byte offsets into text */
    size_t span_count;
    const jk_link *links; /* byte offsets into text */
    size_t link_count;
    const size_t *source; /* NULL, or `size` entries: the source offset of
                             each byte of text (text decoded from markup
                             keeps the offsets of what it was written as);
                             NULL: one byte apart after the previous
                             block, as jk_document_add_block */
    int level;            /* headings 1..6; 0 means 2 */
    int quote_depth;      /* block quotes around the block */
    int list_depth;       /* lists around it (a list item: 1 or more) */
    const char *marker;   /* a list item's marker ("•", "3."), UTF-8, or
                             NULL */
    int preformatted;     /* keep spaces, tabs and line ends (code) */
} jk_block_desc;

JK_API void jk_block_desc_init(jk_block_desc *desc);
JK_API jk_status jk_document_add(jk_document *doc, const jk_block_desc *desc);

/* What became of a figure's image. A figure whose image is not OK is set
 * as a framed placeholder holding its alt text, above its caption; the
 * article never fails for it. */
typedef enum jk_image_status {
    JK_IMAGE_OK = 0,      /* decoded and drawn */
    JK_IMAGE_MISSING = 1, /* not found (or no loader, or not loaded) */
    JK_IMAGE_CORRUPT = 2, /* damaged or truncated data */
    JK_IMAGE_REFUSED = 3  /* not allowed: past the size limits, an
                             unsupported format, outside the article's
                             folder, a network address */
} jk_image_status;

/* A figure for jk_document_add_figure: encoded bytes, or 8-bit gray
 * pixels, or neither (then `status` says why; a placeholder is set). Its
 * caption is the CAPTION block added after it. */
typedef struct jk_figure_desc {
    size_t struct_size;     /* set by init */
    const void *data;       /* PNG, JPEG or WebP bytes, or NULL */
    size_t size;
    const uint8_t *pixels;  /* or gray pixels (sRGB-encoded, 0 black) */
    int width, height, stride;
    jk_image_status status; /* with neither: MISSING or REFUSED */
    const char *alt;        /* UTF-8, NUL-terminated, or NULL */
    const char *src;        /* where it came from, for JSON, or NULL */
} jk_figure_desc;

JK_API void jk_figure_desc_init(jk_figure_desc *desc);
JK_API jk_status jk_document_add_figure(jk_document *doc,
                                        const jk_figure_desc *desc);

typedef struct jk_block_info {
    jk_block_kind kind;
    size_t start, end; /* source byte offsets, half-open */
} jk_block_info;

/* A block's structure (jk_document_get_block_attrs). */
typedef struct jk_block_attrs {
    size_t struct_size; /* set by the call to the caller's size */
    int level;          /* headings: 1..6; else 0 */
    int quote_depth, list_depth;
    const char *marker; /* list item marker, or NULL; owned by the
                           document */
    long figure;        /* FIGURE blocks: the figure's index; else -1 */
} jk_block_attrs;

JK_API jk_status jk_document_get_block_attrs_sized(const jk_document *doc,
                                                   size_t index,
                                                   jk_block_attrs *out,
                                                   size_t out_size);
#define jk_document_get_block_attrs(doc, index, out)                         \
    jk_document_get_block_attrs_sized((doc), (index), (out), sizeof *(out))

/* The inline styles of block `index` as spans of source bytes: one span
 * for each maximal run of each style bit (a bold run inside an italic one
 * gives two spans), in order of their starts. Writes at most `capacity`
 * (out may be NULL when it is 0) and returns how many there are. */
JK_API size_t jk_document_block_spans(const jk_document *doc, size_t index,
                                      jk_span *out, size_t capacity);

/* The href of the link holding source byte `offset`, or NULL. */
JK_API const char *jk_document_link_at(const jk_document *doc,
                                       size_t offset);

/* Figures, in reading order. */
typedef struct jk_figure_info {
    size_t struct_size;     /* set by the call to the caller's size */
    size_t block;           /* its FIGURE block */
    jk_image_status status;
    int width, height;      /* the image's natural size in pixels (0 when
                               it has none) */
    const char *src;        /* as the source wrote it, or "" */
    const char *alt;        /* or "" */
    size_t start, end;      /* source bytes of the element */
} jk_figure_info;

JK_API size_t jk_document_figure_count(const jk_document *doc);
JK_API jk_status jk_document_get_figure_sized(const jk_document *doc,
                                              size_t index,
                                              jk_figure_info *out,
                                              size_t out_size);
#define jk_document_get_figure(doc, index, out)                              \
    jk_document_get_figure_sized((doc), (index), (out), sizeof *(out))

/* ------------------------------------------------------------ reading */

typedef enum jk_format {
    JK_FORMAT_TEXT = 0,     /* plain text (jk_document_create_from_text) */
    JK_FORMAT_HTML = 1,     /* HTML5, as feeds and read-later services give
                               articles (a build with gumbo) */
    JK_FORMAT_MARKDOWN = 2  /* CommonMark with GFM tables (a build with
                               md4c) */
} jk_format;

/* Whether this build reads a format. */
JK_API int jk_format_available(jk_format format);

/* How jk_document_read reads. Images: a figure's reference (an <img
 * src>, a Markdown image) is a data: URI, decoded by the library, or is
 * given to `load`, which returns JK_IMAGE_OK with the bytes (kept valid
 * until `unload` is called with them, or until jk_document_read returns
 * when unload is NULL), or the reason it cannot (MISSING, REFUSED). With
 * no `load` every other image is missing: the library reads no files and
 * opens no connections. */
typedef struct jk_read_options {
    size_t struct_size; /* set by init */
    jk_format format;
    jk_image_status (*load)(void *user, const char *src, const void **data,
                            size_t *size);
    void (*unload)(void *user, const void *data, size_t size);
    void *user;
} jk_read_options;

JK_API void jk_read_options_init(jk_read_options *options);

/* Read an article in options->format (NULL: plain text) and shape it. A
 * figure whose image cannot be had is a placeholder and its status says
 * why (jk_document_get_figure); that is not a failure. */
JK_API jk_status jk_document_read(jk_context *ctx, const char *bytes,
                                  size_t size,
                                  const jk_read_options *options,
                                  jk_document **out);

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

typedef enum jk_word_break {
    JK_WORD_BREAK_AUTO = 0,     /* keep-all, but a Korean word may break
                                   between syllables at a cost, where
                                   keeping it whole would leave a loose
                                   line */
    JK_WORD_BREAK_KEEP_ALL = 1, /* 어절: only at spaces and punctuation */
    JK_WORD_BREAK_NORMAL = 2    /* 글자: between any two syllables */
} jk_word_break;

typedef enum jk_breaker {
    JK_BREAKER_OPTIMAL = 0, /* total-fit (Knuth-Plass) paragraphs */
    JK_BREAKER_GREEDY = 1   /* first-fit lines: faster, looser */
} jk_breaker;

/* Total-fit line breaking parameters, in TeX's units: badness is
 * 100 |r|^3 for an adjustment ratio r; demerits add up per line. The
 * defaults (jk_settings_init) and why are in README.md. */
typedef struct jk_breaking {
    double tolerance;         /* largest badness of a line, first pass */
    double loose_tolerance;   /* second pass, when the first finds none */
    double line_penalty;      /* added to every line's badness */
    double hyphen_penalty;    /* breaking at a hyphenation point */
    double syllable_penalty;  /* auto mode: breaking inside a Korean word */
    double fragment_penalty;  /* auto mode: ... leaving one syllable
                                 alone ("트|위터", "사용합니|다.") */
    double punct_penalty;     /* breaking after - / … and other punctuation */
    double double_hyphen_demerits; /* two hyphenated lines in a row */
    double final_hyphen_demerits;  /* hyphen on the next-to-last line */
    double adj_demerits;      /* neighbouring lines of very different
                                 tightness (fitness classes) */
    double space_stretch;     /* a space beside a Latin letter or digit
                                 may grow by this share of its width at
                                 ratio 1 (0.5: to 150%) */
    double hangul_space_stretch; /* a space between Korean words (which
                                 reads wider: the syllables' side
                                 bearings), likewise (0.2: to 120%) */
    double space_shrink;      /* and shrink by this share at ratio -1 */
    double syllable_stretch;  /* a justified line whose spaces have
                                 reached their limit opens each gap between
                                 two Korean syllables of a word by up to
                                 this much at ratio 1, em (every mode) */
    double ragged_stretch;    /* ragged lines (left aligned; titles,
                                 headings, captions, bylines): the stretch
                                 of the blank at a line's right end, em:
                                 a line this much short has badness 100 */
} jk_breaking;

/* Structs that grow. jk_settings, jk_render_options and jk_png_options
 * begin with `struct_size`, which their init function sets to the size
 * the caller was compiled with. New fields are only ever added at the end
 * of these structs, so a program built against an older header passes an
 * older, shorter struct: the library reads only its first struct_size
 * bytes (and jk_layout_get_settings writes only as many as the caller's
 * struct holds) and gives every newer field its default. A struct_size of 0 means the 1.0 layout, so a
 * zeroed render or PNG options struct is the defaults, as it always was.
 * jk_breaking, inside jk_settings, does not grow: new composition
 * parameters are added at the end of jk_settings. Every other struct of
 * this header keeps its layout for the whole 1.x series. */

/* Page and type settings. jk_settings_init fills the defaults: Kobo Clara
 * page (1072x1448 at 300 dpi), 10 pt body, scale 1, line height 1.7,
 * automatic margins (a negative margin: 0.22 inch at the page's dpi),
 * justified, word break auto, optimal breaking, widows and orphans 2. */
typedef struct jk_settings {
    size_t struct_size;          /* sizeof(jk_settings), set by init */
    int page_width, page_height; /* pixels */
    int dpi;                     /* pixels per inch */
    double font_size_pt;         /* body size in points */
    double scale;                /* multiplies every size */
    int margin_top, margin_right, margin_bottom, margin_left; /* pixels */
    double line_height;          /* times the font size */
    jk_align align;
    jk_word_break word_break;    /* Korean line-breaking mode */
    jk_breaker breaker;          /* optimal (default) or greedy */
    jk_breaking breaking;        /* optimal breaker's parameters */
    int hyphenate;               /* nonzero: use hyphenation points (the
                                    document must have them, see
                                    jk_context_load_hyphenation) */
    int hang_punctuation;        /* nonzero: . , and closing quotes at a
                                    line end hang into the right margin */
    double first_line_indent;    /* em of the paragraph's size; 0: none */
    int widows;   /* fewest lines of a paragraph at the top of a page */
    int orphans;  /* fewest lines of a paragraph at the bottom of a page */
    int header;   /* nonzero: running header (the title) on every page */
    int footer;   /* nonzero: running footer "n / N" */
} jk_settings;

JK_API void jk_settings_init(jk_settings *settings);

/* ---------------------------------------------------------------- layout */

/* A rectangle in pixels; empty when width or height is <= 0. */
typedef struct jk_rect {
    int x, y, width, height;
} jk_rect;

typedef struct jk_layout jk_layout;

/* Lay out `doc` with `settings` (copied). The document must outlive it. */
JK_API jk_status jk_layout_create(jk_document *doc,
                                  const jk_settings *settings,
                                  jk_layout **out);
JK_API void jk_layout_destroy(jk_layout *layout);

/* Re-lay out with new settings: no re-reading, no re-shaping. */
JK_API jk_status jk_layout_set_settings(jk_layout *layout,
                                        const jk_settings *settings);
/* The layout's settings into `out`, margins resolved: as many fields as
 * the caller's jk_settings has (the macro passes its size, so `out` need
 * not be initialised; struct_size is set to it). */
JK_API void jk_layout_get_settings_sized(const jk_layout *layout,
                                         jk_settings *out, size_t out_size);
#define jk_layout_get_settings(layout, out)                                  \
    jk_layout_get_settings_sized((layout), (out), sizeof *(out))

JK_API size_t jk_layout_page_count(const jk_layout *layout);

/* How many pages `doc` takes at each of `count` settings, into pages[i]:
 * exactly jk_layout_page_count of a layout made with settings[i] (an
 * array of pointers, so that a caller's struct may be of any version).
 * The document is not read or shaped again; only composition and
 * pagination run, in scratch layouts, and settings in a row that differ
 * only in size, page, margins, line height or pagination share each
 * block's candidate breaks (up to 8 at a time). On an error (bad
 * settings, memory) the message names the settings' index ("settings 3:
 * ..."; "settings 0 to 7: ..." when composing them together failed) and
 * the counts from there on are not set. A settings slider shows these beside its steps;
 * jk_drawer_page_counts counts on other threads. */
JK_API jk_status jk_document_page_counts(jk_document *doc,
                                         const jk_settings *const *settings,
                                         size_t count, size_t *pages);
JK_API size_t jk_layout_line_count(const jk_layout *layout, size_t page);

typedef struct jk_line_info {
    size_t block;       /* index of the block the line belongs to */
    jk_block_kind kind; /* the block's kind */
    size_t start, end;  /* source byte offsets; end excludes the spaces at
                           which the line broke */
    double x, y;        /* left edge and baseline, pixels */
    double top;         /* top of the line box (height tall), pixels */
    double width;       /* set width, pixels */
    double height;      /* line height (leading), pixels */
    double ratio;       /* justification adjustment ratio (0 if ragged) */
    int hyphenated;     /* the line ends with an added hyphen */
    int last;           /* last line of its block */
} jk_line_info;

JK_API jk_status jk_layout_get_line(const jk_layout *layout, size_t page,
                                    size_t line, jk_line_info *out);

/* Anchors. The page and line (on that page) that hold source byte
 * `offset`: the last line starting at or before it. After a font-size
 * change this finds the reader's place again. JK_ERR_RANGE when the
 * layout has no lines. */
JK_API jk_status jk_layout_locate(const jk_layout *layout, size_t offset,
                                  size_t *page, size_t *line);

/* The source byte offset of the character at (x, y) on `page`, pixels:
 * in the line whose box (jk_line_info: [x, x + width] by [top, top +
 * height)) holds the point, the glyph at or left of x. JK_ERR_NOT_FOUND,
 * and *offset unchanged, when no line holds it (a margin, the space
 * between paragraphs, past a line's end). */
JK_API jk_status jk_layout_hit_test(const jk_layout *layout, size_t page,
                                    double x, double y, size_t *offset);

/* The word holding source byte `offset` of `doc`, as the half-open byte
 * range [*start, *end): for a dictionary look-up of a tapped word
 * (jk_layout_hit_test, then this). A word is a run of letters, digits,
 * Korean syllables and jamo, ideographs, and their marks, inside one
 * block; an apostrophe between two letters ("don't") and a full stop or
 * comma between two digits ("3.5") belong to it; spaces and other
 * punctuation end it. Korean particles stay with their word ("트위터는").
 * JK_ERR_NOT_FOUND, *start and *end unchanged, when the character there
 * is a space or punctuation or `offset` is in no block. */
JK_API jk_status jk_document_word_at(const jk_document *doc, size_t offset,
                                     size_t *start, size_t *end);

/* The rectangles on `page`, pixels, that cover the characters of source
 * bytes [start, end): one for each line of the page holding any of them,
 * as tall as the line box (jk_line_info top and height, rounded to whole
 * pixels so that a paragraph's boxes tile) and from the left
 * edge of the first of those glyphs to the right edge of the last (with
 * the line's added hyphen when the range reaches the line's end): what to
 * shade for a highlight or a search hit. *count gets how many there are;
 * at most `capacity` are written to `rects` (which may be NULL when
 * capacity is 0), in line order. A range with nothing on the page gives
 * 0. */
JK_API jk_status jk_layout_range_rects(const jk_layout *layout, size_t page,
                                       size_t start, size_t end,
                                       jk_rect *rects, size_t capacity,
                                       size_t *count);

/* Running header and footer text of a page ("" when off): the title,
 * shortened with "…" to fit, and "n / N". Copies like snprintf. */
JK_API size_t jk_layout_page_header(const jk_layout *layout, size_t page,
                                    char *buf, size_t buf_size);
JK_API size_t jk_layout_page_footer(const jk_layout *layout, size_t page,
                                    char *buf, size_t buf_size);

/* Quality figures of a layout. Loose: ratio > 1, tight: ratio < -0.5,
 * counted over lines that are not the last of their block. A widow is a
 * block split over two pages with fewer than `widows` lines (at least 1)
 * at the top of the second; an orphan, fewer than `orphans` at the bottom
 * of the first. */
typedef struct jk_layout_stats {
    size_t lines;
    double max_ratio;      /* largest ratio of a non-last line */
    double mean_abs_ratio; /* mean |ratio| of non-last lines */
    size_t loose_lines, tight_lines;
    size_t hyphens;         /* lines ending with an added hyphen */
    size_t syllable_breaks; /* lines ending inside a Korean word */
    size_t widows, orphans;
    size_t overfull;        /* lines wider than the text box */
} jk_layout_stats;

JK_API jk_status jk_layout_get_stats(const jk_layout *layout,
                                     jk_layout_stats *out);

/* Where the figures' images of a page are drawn, pixels (placeholders
 * are lines). Writes at most `capacity`, returns how many. */
typedef struct jk_figure_place {
    size_t figure; /* index for jk_document_get_figure */
    int x, y, width, height;
} jk_figure_place;

JK_API size_t jk_layout_page_figures(const jk_layout *layout, size_t page,
                                     jk_figure_place *out, size_t capacity);

/* The inline styles of a line, as jk_document_block_spans gives a
 * block's, cut to the line. */
JK_API size_t jk_layout_line_spans(const jk_layout *layout, size_t page,
                                   size_t line, jk_span *out,
                                   size_t capacity);

/* The line's text as laid out (UTF-8, without an added hyphen); returns the
 * full length, copies like snprintf. */
JK_API size_t jk_layout_line_text(const jk_layout *layout, size_t page,
                                  size_t line, char *buf, size_t buf_size);

/* --------------------------------------------------------------- surface */

/* How a surface stores its pixels. Every row starts `stride` bytes after
 * the previous one; bytes past the row's last pixel are never touched.
 * Gray values below are 8-bit (0 black .. 255 white) before packing;
 * packing rounds to the nearest level the format holds. */
typedef enum jk_pixel_format {
    JK_PIXEL_GRAY8 = 0,  /* one byte a pixel: 0 black .. 255 white */
    JK_PIXEL_GRAY4 = 1,  /* two pixels a byte, the left one in the high
                            nibble: 0 black .. 15 white;
                            nibble = (gray * 15 + 127) / 255 */
    JK_PIXEL_MONO1 = 2,  /* eight pixels a byte, the leftmost in the most
                            significant bit; 1 white, 0 black (gray >= 128
                            is white) */
    JK_PIXEL_RGB565 = 3, /* 16 bits a pixel, little-endian: red in bits
                            15-11, green 10-5, blue 4-0; r = b =
                            (gray * 31 + 127) / 255, g = (gray * 63 + 127)
                            / 255 */
    JK_PIXEL_XRGB8888 = 4, /* 32 bits, the little-endian word 0xXXRRGGBB:
                              bytes B, G, R, X in memory; X is 0xFF */
    JK_PIXEL_BGRA8888 = 5, /* 32 bits, the little-endian word 0xBBGGRRAA
                              (DRM's BGRA8888): bytes A, R, G, B in
                              memory; A is 0xFF (opaque) */
    JK_PIXEL_FORMAT_COUNT
} jk_pixel_format;

/* Caller-owned pixels. A zero-initialised `rotation` is the usual upright
 * panel.
 *
 * `rotation` is how the panel is mounted: the page is turned clockwise by
 * that many degrees (0, 90, 180 or 270) when stored in the surface. For 90
 * and 270 the page is `height` pixels wide and `width` pixels tall. Page
 * pixel (x, y), on a page of W x H pixels, is stored at surface pixel:
 *     0: (x, y)          90: (H - 1 - y, x)
 *   180: (W-1-x, H-1-y)  270: (y, W - 1 - x) */
typedef struct jk_surface {
    uint8_t *pixels;
    int width, height; /* the surface's own size in pixels */
    int stride; /* bytes from one row to the next, >= the row size */
    jk_pixel_format format;
    int rotation; /* 0, 90, 180 or 270 degrees clockwise */
} jk_surface;

/* The page a surface shows: its own size, turned back by its rotation
 * (90 and 270 swap width and height). A layout for a rotated panel takes
 * this as its page size. */
JK_API jk_status jk_surface_page_size(const jk_surface *surface, int *width,
                                      int *height);

/* Between page and surface coordinates, in pixels, continuous (pixel
 * (x, y) covers [x, x + 1) x [y, y + 1)): a tap on a rotated touch panel
 * (surface coordinates) to the page point to hit-test, and a page point
 * (a line's box, a highlight) to where it is on the panel. */
JK_API jk_status jk_surface_to_page(const jk_surface *surface, double sx,
                                    double sy, double *x, double *y);
JK_API jk_status jk_page_to_surface(const jk_surface *surface, double x,
                                    double y, double *sx, double *sy);

/* Bytes one row of `width` pixels takes in `format`; 0 for a bad format or
 * width. */
JK_API size_t jk_surface_row_bytes(jk_pixel_format format, int width);

/* The surface's pixel (x, y), in the surface's own coordinates, as 8-bit
 * gray (formats with fewer levels expand exactly: GRAY4 n -> n * 17,
 * MONO1 -> 0 or 255, RGB565 -> its green channel expanded, 32-bit -> its
 * green byte). Returns -1 for a bad surface or position. */
JK_API int jk_surface_get_gray(const jk_surface *surface, int x, int y);

typedef enum jk_hinting {
    JK_HINTING_LIGHT = 0,  /* vertical hinting only: advances stay linear
                              (the default) */
    JK_HINTING_NONE = 1,   /* unhinted outlines */
    JK_HINTING_NORMAL = 2  /* full hinting of the outlines */
} jk_hinting;

typedef enum jk_dither {
    JK_DITHER_NONE = 0,    /* round each pixel to the nearest level (text) */
    JK_DITHER_ORDERED = 1, /* 8x8 Bayer matrix */
    JK_DITHER_FS = 2       /* Floyd-Steinberg error diffusion */
} jk_dither;

/* How a page is drawn. jk_render_options_init fills the defaults; a zeroed
 * struct means the same defaults. */
typedef struct jk_render_options {
    size_t struct_size; /* sizeof(jk_render_options), set by init; 0: the
                           1.0 layout */
    jk_hinting hinting; /* default light */
    double darken;      /* outline emboldening in pixels at the rendered
                           size, 0..1 (thin strokes wash out on e-ink);
                           default 0 */
    double gamma;       /* coverage curve: coverage^(1/gamma); above 1
                           darkens antialiased edges, below 1 lightens;
                           0.1..10, 0 means 1 */
    int gray_levels;    /* 256, 16, 4 or 2 levels; 0 means 256. Formats
                           with fewer levels (GRAY4 16, MONO1 2) cap it */
    jk_dither dither;   /* default none */
    int invert;         /* nonzero: white on black (night mode) */
    int clip_enabled;   /* nonzero: only pixels inside `clip` are drawn;
                           the rest of the surface is left untouched */
    jk_rect clip;       /* in the surface's own coordinates */
    /* 1.1 */
    jk_dither image_dither; /* figures' photographs to the gray levels:
                               default ordered (an 8x8 Bayer screen, no
                               crawling texture on e-ink) */
} jk_render_options;

JK_API void jk_render_options_init(jk_render_options *options);

/* Draw page `page` (from 0) into `surface`: the page is turned by the
 * surface's rotation, the area is cleared to white (black when inverted)
 * and the glyphs drawn through the context's glyph cache. The surface
 * should be the page size (turned); larger surfaces get the page at the
 * top left and blank beyond, smaller ones are clipped. No full-page copy
 * is made: the page is drawn in bands straight into the surface.
 * `options` may be NULL (defaults). If `dirty` is not NULL it receives the
 * bounding box, in surface coordinates, of the pixels whose value changed
 * from what the surface held (width 0 when none did): the rectangle to
 * refresh on an e-ink panel. */
JK_API jk_status jk_layout_render_page_ex(jk_layout *layout, size_t page,
                                          const jk_surface *surface,
                                          const jk_render_options *options,
                                          jk_rect *dirty);

/* jk_layout_render_page_ex with default options and no dirty rectangle. */
JK_API jk_status jk_layout_render_page(jk_layout *layout, size_t page,
                                       const jk_surface *surface);

/* ---------------------------------------------------------------- sample */

/* A short text set and drawn at `settings` without building an article:
 * the preview strip of a font-size slider. `text` (UTF-8, `size` bytes;
 * each line a paragraph) is set as body paragraphs exactly as an
 * article's are at these settings — the page width, left and right
 * margins, size, scale, line height, alignment, word break and
 * composition — from the top of the surface, with no top or bottom
 * margin, header or footer. *height (may be NULL) gets the height it
 * takes in pixels, the bottom of its last line box; `surface` may be NULL
 * to measure only. The surface is cleared to white (black with
 * options->invert) and lines below its height are cut off, as are lines
 * past the largest page (32768 pixels). `options` may be NULL. */
JK_API jk_status jk_context_render_sample(jk_context *ctx, const char *text,
                                          size_t size,
                                          const jk_settings *settings,
                                          const jk_render_options *options,
                                          const jk_surface *surface,
                                          int *height);

/* --------------------------------------------------------------- drawers */

/* Drawing from several threads. A context draws through its own glyph
 * cache, FreeType faces and scratch, so jk_layout_render_page is for one
 * thread at a time. A drawer is a drawing context of its own, made from a
 * context: give each thread one, and they draw pages of the context's
 * layouts at the same time.
 *
 * Thread rules:
 * - A context, its documents and layouts are used by one thread at a time
 *   (each call reports through the context's message), except as below.
 * - While no thread changes them (no jk_layout_set_settings, new
 *   documents, fonts or glyph cache settings, no jk_layout_render_page),
 *   any number of drawers draw their layouts and count their documents'
 *   pages concurrently, one thread per drawer: jk_drawer_render_page,
 *   jk_drawer_page_counts and jk_drawer_write_png only read the document
 *   and layout.
 * - The allocator given to jk_context_create is then called from those
 *   threads too: it must be thread-safe (the C library's is).
 * - The font set is frozen while drawers exist (JK_ERR_BUSY), as while
 *   documents do. A drawer must not outlive its context. */
typedef struct jk_drawer jk_drawer;

JK_API jk_status jk_drawer_create(jk_context *ctx, jk_drawer **out);
JK_API void jk_drawer_destroy(jk_drawer *drawer);
/* The drawer's own message, as jk_context_errmsg. */
JK_API const char *jk_drawer_errmsg(const jk_drawer *drawer);

/* jk_layout_render_page_ex on the drawer: the same pixels, byte for byte.
 * The layout must be of the drawer's context. */
JK_API jk_status jk_drawer_render_page(jk_drawer *drawer,
                                       const jk_layout *layout, size_t page,
                                       const jk_surface *surface,
                                       const jk_render_options *options,
                                       jk_rect *dirty);

/* jk_document_page_counts on the drawer, from its thread: the same
 * counts, the document only read, the drawer's message (naming the
 * settings' index) on an error. A slider's page counts on several cores:
 * give each thread a drawer and a share of the settings, or, better, a
 * count job (below) to share. The document must be of the drawer's
 * context. Progress is not reported and cannot cancel it. */
JK_API jk_status jk_drawer_page_counts(jk_drawer *drawer, jk_document *doc,
                                       const jk_settings *const *settings,
                                       size_t count, size_t *pages);

/* Page counts shared out among threads: a count job cuts the document
 * into pieces of a few pages, which threads compose, each piece for all
 * the settings at once, taking the next as they come free (a slower or
 * busier core takes fewer), while the pages are cut in order as the
 * pieces are done. The counts are those of jk_document_page_counts, and
 * each block's candidate breaks are found once for all the settings, not
 * once a thread (as dealing the settings out to drawers does). No thread
 * waits on another's work: the job shares itself through C11 atomics.
 *   jk_count_job_create(doc, settings, n, &job);
 *   each thread, with a drawer of its own: jk_drawer_count_job_run(d, job);
 *   once every run has returned: jk_count_job_finish(job, pages);
 *   jk_count_job_destroy(job);
 * finish, on the thread that made the job, does whatever is left (all of
 * it when no thread ran) and gives the counts; it runs once. The
 * settings are checked by create (a NULL or bad one refused by index);
 * the document and its fonts must not change while the job exists. On an
 * error (memory, a settings that cannot be paginated) finish reports the
 * first settings that failed by index, as jk_document_page_counts does,
 * and sets the counts before it only. Memory: a few pages' lines a
 * settings, and at most 16 pieces' lines in flight. */
typedef struct jk_count_job jk_count_job;

JK_API jk_status jk_count_job_create(jk_document *doc,
                                     const jk_settings *const *settings,
                                     size_t count, jk_count_job **out);
/* Composes pieces of the job on the drawer until none is left to take;
 * any number of threads at once, each with its own drawer of the
 * document's context. It may return early (when it is many pieces ahead
 * of the slowest), the others then go on. Errors the job meets are
 * finish's. */
JK_API jk_status jk_drawer_count_job_run(jk_drawer *drawer,
                                         jk_count_job *job);
JK_API jk_status jk_count_job_finish(jk_count_job *job, size_t *pages);
JK_API void jk_count_job_destroy(jk_count_job *job);

/* ----------------------------------------------------------- glyph cache */

/* Rendered glyph bitmaps are cached on the context per (font, size,
 * glyph, quarter-pixel phase, darkening, hinting, synthetic style), least
 * recently used first out, within a budget in bytes (bitmaps and their
 * bookkeeping). The glyphs of the page being drawn are kept until the page
 * is done even when they alone exceed the budget. */
#define JK_GLYPH_CACHE_DEFAULT_BUDGET (4u * 1024u * 1024u)

typedef struct jk_glyph_cache_stats {
    uint64_t hits;      /* glyph lookups served from the cache */
    uint64_t misses;    /* glyphs rasterized */
    uint64_t evictions; /* glyphs dropped to keep within the budget */
    uint64_t failures;  /* glyphs their font could not give (a damaged
                           font): drawn as the missing-glyph box */
    size_t entries;     /* glyphs held now */
    size_t bytes;       /* bytes held now */
    size_t budget;      /* the budget */
} jk_glyph_cache_stats;

/* Set the budget in bytes (glyphs beyond it are dropped now). 0 keeps no
 * glyph between pages. */
JK_API jk_status jk_context_set_glyph_cache_budget(jk_context *ctx,
                                                   size_t bytes);
/* Counters since the context was created. */
JK_API jk_status jk_context_get_glyph_cache_stats(const jk_context *ctx,
                                                  jk_glyph_cache_stats *out);
/* Drop every cached glyph (the counters keep counting). */
JK_API void jk_context_clear_glyph_cache(jk_context *ctx);

/* ------------------------------------------------------ presets, names */

/* A device jikji knows: its panel upright. Owned by the library, for the
 * life of the program; fields may be added at its end in later versions
 * (never write one). */
typedef struct jk_device {
    const char *name;        /* "kobo-clara", as --device takes it */
    const char *description; /* "Kobo Clara HD / 2E" */
    int width, height, dpi;  /* pixels, upright */
} jk_device;

JK_API size_t jk_device_count(void);
/* The device at `index` (from 0), NULL past the last. */
JK_API const jk_device *jk_device_get(size_t index);
/* The device called `name`, NULL when there is none. */
JK_API const jk_device *jk_device_find(const char *name);
/* Set the page size and dpi of `settings` to the device's (upright; for a
 * panel mounted turned, see jk_surface_page_size). */
JK_API void jk_settings_set_device(jk_settings *settings,
                                   const jk_device *device);

/* The names of enum values, as the CLI and JSON spell them ("justify",
 * "keep-all", "greedy", "ordered", "rgb565", "caption", ...). */
typedef enum jk_name_set {
    JK_NAMES_ALIGN = 0,        /* jk_align */
    JK_NAMES_WORD_BREAK = 1,   /* jk_word_break */
    JK_NAMES_BREAKER = 2,      /* jk_breaker */
    JK_NAMES_HINTING = 3,      /* jk_hinting */
    JK_NAMES_DITHER = 4,       /* jk_dither */
    JK_NAMES_PIXEL_FORMAT = 5, /* jk_pixel_format */
    JK_NAMES_BLOCK_KIND = 6    /* jk_block_kind */
} jk_name_set;

/* The name of `value` in `set`; NULL when the set has no such value (so
 * a loop from 0 lists them all). */
JK_API const char *jk_name_of(jk_name_set set, int value);
/* The value called `name` in `set`; JK_ERR_NOT_FOUND when none is. */
JK_API jk_status jk_value_of(jk_name_set set, const char *name, int *value);

/* The PNG bit depth that stores a page drawn at `gray_levels` exactly
 * (256 or 0: 8, 16: 4, 4: 2, 2: 1); 0 for any other count. */
JK_API int jk_png_depth_for_levels(int gray_levels);

/* ------------------------------------------------------------------- PNG */

/* Receives PNG bytes; returns 0 on success, nonzero to stop with
 * JK_ERR_IO. */
typedef int (*jk_write_fn)(void *user, const void *data, size_t size);

/* PNG output. A zeroed struct means the defaults (jk_png_options_init). */
typedef struct jk_png_options {
    size_t struct_size; /* sizeof(jk_png_options), set by init; 0: the 1.0
                           layout */
    int bit_depth;   /* gray bits a pixel: 8, 4, 2 or 1; 0 means 8. Each
                        pixel becomes round(gray * (2^depth - 1) / 255),
                        so a page drawn at gray_levels 2^depth is stored
                        exactly */
    int dpi;         /* pHYs resolution; 0: no pHYs chunk */
    const char *title; /* UTF-8 "Title" text chunk (tEXt when it is
                          Latin-1, iTXt otherwise); NULL: none. Not valid
                          UTF-8: JK_ERR_INVALID_ARGUMENT */
    int compression; /* zlib level 1..9; -1: stored, no compression;
                        0: jikji's default, chosen for speed (README,
                        "Speed"): at 8 and 4 bits its own run-length
                        stream (fixed codes; a third of zlib's time on a
                        text page, a third larger), at 2 and 1 bits zlib's
                        run-length mode */
} jk_png_options;

JK_API void jk_png_options_init(jk_png_options *options);

/* Encode `surface` (any format) as a gray PNG through `write`; no file
 * I/O. `options` may be NULL. The pixels are written as stored: a rotated
 * surface gives a PNG of the panel's memory, turned; for an upright PNG of
 * a page, draw it into a surface of rotation 0 (as the CLI does). */
JK_API jk_status jk_surface_write_png_ex(jk_context *ctx,
                                         const jk_surface *surface,
                                         const jk_png_options *options,
                                         jk_write_fn write, void *user);

/* jk_surface_write_png_ex as 8-bit gray with a pHYs chunk of `dpi`. */
/* jk_surface_write_png_ex from a drawer's thread. */
JK_API jk_status jk_drawer_write_png(jk_drawer *drawer,
                                     const jk_surface *surface,
                                     const jk_png_options *options,
                                     jk_write_fn write, void *user);
JK_API jk_status jk_surface_write_png(jk_context *ctx,
                                      const jk_surface *surface, int dpi,
                                      jk_write_fn write, void *user);

#ifdef __cplusplus
}
#endif
#endif /* JIKJI_H */
