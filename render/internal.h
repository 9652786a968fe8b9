/* Private declarations shared by the library's modules. Every non-static
 * symbol here carries the jk__ prefix. */
#ifndef JK_INTERNAL_H
#define JK_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H
#include FT_OUTLINE_H
#include <hb.h>

#include "jikji.h"
#include "resource_limits.h"
#include "linebreak.h"

/* ---------------------------------------------------------------- memory */

void *jk__malloc(jk_context *ctx, size_t size);
void *jk__calloc(jk_context *ctx, size_t count, size_t size);
/* Resize an array to `count` elements of `size`; overflow-checked. */
void *jk__realloc_array(jk_context *ctx, void *ptr, size_t count,
                        size_t size);
void jk__free(jk_context *ctx, void *ptr);

/* Grow *ptr (an array of *cap elements) so it holds at least `need`. */
bool jk__grow(jk_context *ctx, void **ptr, size_t *cap, size_t need,
              size_t size);

/* Record a failure on the context and return `status`. */
jk_status jk__fail(jk_context *ctx, jk_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ----------------------------------------------------------------- fonts */

typedef struct jk_font {
    jk_font_desc desc;
    hb_blob_t *blob; /* the font's bytes (a mapped file, or `data`) */
    void *data;      /* bytes copied through the allocator, or NULL */
    FT_Face face;
    hb_font_t *hb; /* scale = units per em: shaping in font units */
    double upem;
    double scale;     /* size multiplier beside the Korean font (Latin
                         cap height matched to the Korean font's) */
    double ascender;  /* em, positive up */
    double descender; /* em, positive down */
    long ft_size_26_6; /* current FT_Set_Char_Size, to skip repeats */
} jk_font;

/* ----------------------------------------------------------- glyph cache */

/* What a cached bitmap depends on. */
typedef struct jk_glyph_key {
    uint32_t gid;
    uint16_t font;   /* index on the context */
    uint8_t phase;   /* horizontal subpixel phase, quarter pixels 0..3 */
    uint8_t flags;   /* JK__GLYPH_* */
    int32_t size;    /* 26.6 pixels */
    int32_t embolden; /* 26.6 pixels, darkening plus synthetic bold */
} jk_glyph_key;

#define JK__GLYPH_HINT_MASK 0x03u /* jk_hinting */
#define JK__GLYPH_OBLIQUE 0x04u   /* synthetic slant */

typedef struct jk_glyph_entry {
    jk_glyph_key key;
    uint32_t hash;
    uint32_t epoch; /* the render that used it last */
    struct jk_glyph_entry *chain;      /* hash bucket */
    struct jk_glyph_entry *prev, *next; /* LRU list, most recent first */
    int left, top;    /* bitmap origin: pen x + left, baseline - top */
    int width, rows;  /* the coverage bitmap, rows of `width` bytes */
    uint8_t bits[];
} jk_glyph_entry;

typedef struct jk_glyph_cache {
    jk_glyph_entry **buckets;
    size_t bucket_count; /* a power of two, or 0 */
    size_t count, bytes, budget;
    jk_glyph_entry *head, *tail;
    uint32_t epoch; /* current render; entries of it are not evicted */
    uint64_t hits, misses, evictions;
} jk_glyph_cache;

/* Find or rasterize a glyph; the entry stays valid until the render's
 * epoch ends (jk__glyph_cache_end_render). */
jk_status jk__glyph_cache_get(jk_context *ctx, const jk_glyph_key *key,
                              const jk_glyph_entry **out);
void jk__glyph_cache_begin_render(jk_context *ctx);
void jk__glyph_cache_end_render(jk_context *ctx);
void jk__glyph_cache_free(jk_context *ctx);

/* --------------------------------------------------------------- surface */

/* surface.c: argument checks (format, stride, rotation). */
jk_status jk__check_surface(jk_context *ctx, const jk_surface *sf);
/* The page-oriented size of a surface (width and height swapped for 90
 * and 270). */
void jk__surface_page_size(const jk_surface *sf, int *w, int *h);
/* Rectangles between page and surface coordinates. */
jk_rect jk__rect_to_surface(const jk_surface *sf, jk_rect r);
jk_rect jk__rect_to_page(const jk_surface *sf, jk_rect r);
/* Store final gray values gray[0..x1-x0) as page pixels x0..x1-1 of page
 * row y (turned by the surface's rotation), comparing with what is there.
 * `tmp` holds 4 * (x1 - x0) bytes. Returns whether a pixel changed and
 * widens [*dx0, *dx1) to the changed page columns. */
bool jk__surface_put_row(const jk_surface *sf, int y, int x0, int x1,
                         const uint8_t *gray, uint8_t *tmp, int *dx0,
                         int *dx1);

/* Decode surface row y (its own coordinates) to `width` 8-bit grays. */
void jk__surface_read_row(const jk_surface *sf, int y, uint8_t *gray);

/* Scratch memory of drawing, kept between pages (draw.c). */
struct jk_draw_scratch;
void jk__draw_scratch_free(jk_context *ctx);

struct jk_context {
    jk_allocator alloc;
    FT_Library ft;
    struct FT_MemoryRec_ ft_memory;
    jk_font **fonts;
    size_t font_count, font_cap;
    struct jk_hyphenator *hyphenator; /* NULL: soft hyphens only */
    char errmsg[256];
    jk_glyph_cache glyph_cache;
    struct jk_draw_scratch *draw;
};

void jk__font_destroy(jk_context *ctx, jk_font *font);

/* Index of the font to use for code point `cp` in a block of `family`
 * and weight/slant, preferring `prefer` (the script inherited from the
 * neighbours for common characters). Returns the primary font with
 * *missing = true when no font has the glyph. */
int jk__font_pick(const jk_context *ctx, uint32_t cp, jk_font_script prefer,
                  jk_font_family family, bool bold, bool italic,
                  bool *missing);

/* Script class of a code point for font choice; JK_FONT_SYMBOL for
 * characters that have none of their own (spaces, punctuation, digits)
 * when `common` is set. */
jk_font_script jk__script_of(uint32_t cp, bool *common);

/* The context's main font for `family` (used for metrics and .notdef). */
int jk__font_primary(const jk_context *ctx, jk_font_family family, bool bold);

/* -------------------------------------------------------------- document */

/* Break flags per code point (JK_BRK_* from linebreak.h) plus ours. */
#define JK__BRK_CLUSTER 0x40u /* position after cp i is inside a glyph
                                 cluster: never break there */

typedef struct jk_glyph {
    uint32_t gid;
    uint32_t cluster; /* index of the first code point of its cluster */
    float advance;    /* em of the block's size (run scale applied) */
    float dx, dy;     /* offsets, em, dy positive up */
    uint16_t font;
    uint8_t missing; /* JK__GLYPH_BOX: .notdef, drawn as a box;
                        JK__GLYPH_HIDDEN: .notdef in a cluster that
                        already has its box: not drawn */
    uint8_t style;   /* JK_STYLE_BOLD | JK_STYLE_ITALIC wanted (block style
                        and spans); drawn synthetic where the font lacks
                        it */
} jk_glyph;
enum { JK__GLYPH_BOX = 1, JK__GLYPH_HIDDEN = 2 };

/* Items: the paragraph as boxes, glue and penalties (Knuth-Plass), in em
 * of the block's size, built once per document (items.c). */
enum { JK_ITEM_BOX, JK_ITEM_GLUE, JK_ITEM_PENALTY };
/* Kinds of penalty: how costly a break there is depends on the settings. */
enum {
    JK_PEN_PLAIN,    /* after punctuation: - / … and the like */
    JK_PEN_SYLLABLE, /* between Korean syllables inside a word: auto and
                        normal modes only */
    JK_PEN_WORD,     /* inside a word elsewhere ("60|억", "xAI|는"):
                        normal mode only */
    JK_PEN_FRAGMENT, /* after a word's first syllable ("트|위터") or
                        before its last and punctuation ("니|다."): auto
                        mode, at fragment_penalty */
    JK_PEN_HYPHEN,   /* hyphenation point: a hyphen is added */
    JK_PEN_FORCED    /* a mandatory break inside the block */
};

typedef struct jk_item {
    uint8_t type, kind;
    uint16_t font;   /* penalty: font of the hyphen glyph */
    uint32_t pos;    /* box: first code point; glue: the space; penalty:
                        the break comes before this code point */
    uint32_t gid;    /* penalty: the hyphen glyph */
    float width;     /* box and glue: natural width; penalty: width added
                        at the line end when breaking here (a hyphen) */
} jk_item;

typedef struct jk_block {
    jk_block_kind kind;
    size_t n;        /* code points */
    uint32_t *cps;   /* text as code points */
    uint32_t *off;   /* n + 1 source byte offsets: cp i is [off[i], off[i+1]) */
    uint8_t *brk;    /* n: break flags after cp i, for each word-break mode
                        the one computed at shaping time */
    double *xpos;    /* n + 1: pen position before cp i, em */
    jk_glyph *glyphs;
    size_t glyph_count;
    uint32_t *cp_glyph; /* n + 1: first glyph of cp i's cluster or later */
    uint8_t *style;     /* n: JK_STYLE_* of each code point from spans, or
                           NULL (plain text has none) */
    double space_em;    /* natural width of a space in this block, em */
    uint8_t *just;      /* n: JK__JUST_* justification classes (items.c) */
    jk_item *items;
    size_t item_count;
} jk_block;

struct jk_document {
    jk_context *ctx;
    jk_block *blocks;
    size_t block_count;
    /* Running header and footer text, shaped once in the byline style:
     * the title, and the characters of "n / N" (running.c). */
    jk_block running_title, running_chars;
    size_t missing_glyphs;
    size_t source_size;
    jk_word_break word_break;
};

/* Style of a block kind: size relative to body, family, weight, spacing. */
typedef struct jk_block_style {
    double size;         /* times the body size */
    jk_font_family family;
    bool bold;
    double space_before; /* times the body line height */
    double space_after;
    double line_height;  /* times this block's size; 0 = the settings' */
} jk_block_style;

const jk_block_style *jk__block_style(jk_block_kind kind);

/* reader.c: split plain text into blocks (code points and offsets only). */
jk_status jk__read_text(jk_document *doc, const char *bytes, size_t size);
/* reader.c: one block from the API, its text at source offset `base`. */
jk_status jk__read_block(jk_document *doc, jk_block_kind kind,
                         const char *bytes, size_t size, size_t base,
                         const jk_span *spans, size_t span_count);

/* shape.c: fill glyphs, xpos and breaks of every block. */
jk_status jk__shape_document(jk_document *doc);
/* Shape blocks[first..block_count) of the document (added by the API). */
jk_status jk__shape_blocks_from(jk_document *doc, size_t first);
/* Shape `cps` (copied) as a block of `kind` that is not part of the
 * document's text (its source offsets are all 0). */
jk_status jk__shape_text(jk_document *doc, jk_block_kind kind,
                         const uint32_t *cps, size_t n, jk_block *out);
void jk__block_free(jk_context *ctx, jk_block *b);

/* running.c: shape the running header and footer text once: the footer's
 * characters, and the first title block as soon as there is one. */
jk_status jk__running_prepare(jk_document *doc);

/* Running header and footer: size relative to the body text, and the
 * bands they take from the text box (paginate.c). */
#define JK__RUNNING_SIZE 0.75
void jk__header_bands(const jk_settings *s, double *header, double *footer);

/* items.c: the box/glue/penalty list of every block; `hyphens` holds the
 * hyphenation flags of each block (NULL: none). */
jk_status jk__build_items(jk_document *doc, jk_block *b,
                          const uint8_t *hyphens);

/* UTF-8 helpers (utf8.c). */
/* Decode one code point at s[0..len); returns bytes consumed (>= 1);
 * invalid sequences give U+FFFD and consume one byte. */
size_t jk__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns bytes written. */
size_t jk__utf8_encode(uint32_t cp, char *out);
/* Encode cps[0..n) into buf like snprintf; returns full length. */
size_t jk__utf8_copy(const uint32_t *cps, size_t n, char *buf,
                     size_t buf_size);

bool jk__is_space(uint32_t cp);       /* white space we trim at line ends */
bool jk__is_stretchable(uint32_t cp); /* spaces that take justification */

/* The gap after cps[i] is one between two Korean syllables (or Hanja) of
 * a word: where auto mode may break at a cost. */
bool jk__syllable_gap(const jk_block *b, size_t i);

/* Justification classes of each code point (jk_block.just), set by
 * items.c once per document. */
#define JK__JUST_GAP 0x01u   /* the gap after cps[i] may open when a
                                justified line's spaces have reached their
                                limit (between Korean syllables; never after
                                digits, in Latin words or at punctuation) */
#define JK__JUST_OPEN 0x02u  /* cps[i] is full-width opening punctuation
                                whose left half is blank: squeezable */
#define JK__JUST_CLOSE 0x04u /* cps[i] is full-width closing punctuation
                                whose right half is blank: squeezable */
#define JK__JUST_LATIN_SPACE 0x08u /* cps[i] is a stretchable space with a
                                      Latin letter or digit beside it (it
                                      stretches by space_stretch, a space
                                      between Korean words by
                                      hangul_space_stretch) */

/* The squeezable blank of cps[i] (JK__JUST_OPEN or JK__JUST_CLOSE): half
 * its advance, em. */
static inline double jk__blank_em(const jk_block *b, size_t i)
{
    return (b->xpos[i + 1] - b->xpos[i]) / 2;
}

/* ---------------------------------------------------------------- layout */

typedef struct jk_line {
    uint32_t block;
    uint32_t start, end; /* code point indices; end excludes break spaces */
    double x, y, width, height, ratio;
    double space_factor; /* each inner JK__JUST_LATIN_SPACE grows by this
                            share of its width (negative: shrinks) */
    double ko_space_factor; /* and each other space */
    double gap_extra;    /* pixels added at each JK__JUST_GAP inside */
    double squeeze;      /* share of each inner punctuation blank taken
                            out (tight lines), 0..1 */
    double trim_start;   /* pixels of the first character's blank taken
                            out (an opening bracket at the line start) */
    double size_px;      /* the block's font size in pixels */
    uint32_t hyphen_gid; /* glyph drawn after the line when hyphenated */
    uint16_t hyphen_font;
    uint8_t hyphenated, last;
    uint8_t syllable_break; /* the line ends inside a Korean word */
    uint8_t overfull;       /* nothing fitted: wider than the box */
} jk_line;

typedef struct jk_page {
    size_t first_line, line_count;
} jk_page;

struct jk_layout {
    jk_document *doc;
    jk_settings settings;
    jk_line *lines;
    size_t line_count, line_cap;
    jk_page *pages;
    size_t page_count, page_cap;
};

/* compose.c: break every block into lines (positions relative to x = 0,
 * y unset). */
jk_status jk__compose(jk_layout *layout);
/* paginate.c: set y of every line and cut pages. */
jk_status jk__paginate(jk_layout *layout);

/* A glyph placed on the page, in pixels (x, y: pen position on the
 * baseline, fractional). */
typedef struct jk_placed_glyph {
    jk_font *font;
    uint16_t font_index;
    uint32_t gid;
    double x, y;
    double size_px; /* the size to rasterize at (font scale applied) */
    double advance; /* pixels */
    bool missing;   /* .notdef: draw a box of `advance` width */
    bool bold, italic; /* wanted: synthetic where the font is not */
    uint32_t cluster; /* code point of its block it shows; UINT32_MAX for
                         an added hyphen */
} jk_placed_glyph;

typedef jk_status (*jk__glyph_fn)(void *user, const jk_placed_glyph *g);

/* Place shaped glyph g with its pen at (x, y) at px pixels to the em. */
void jk__place_glyph(const jk_context *ctx, const jk_glyph *g, double x,
                     double y, double px, jk_placed_glyph *out);

/* Call `fn` for every glyph of page line `line` in order, positioned as
 * composed (justification, offsets). Stops at the first non-OK status. */
jk_status jk__line_glyphs(const jk_layout *layout, const jk_line *line,
                          jk__glyph_fn fn, void *user);

/* Placed glyphs of page `page`'s running header and footer. */
jk_status jk__running_glyphs(const jk_layout *layout, size_t page,
                             jk__glyph_fn fn, void *user);

/* Pixel size of the body text. */
double jk__body_px(const jk_settings *s);

#endif
