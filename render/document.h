/* The document model: blocks of text and what the stages before
 * composition make of each, once per document (document.c drives them:
 * reader -> break opportunities -> shaping -> hyphenation -> items). */
#ifndef JK__DOCUMENT_H
#define JK__DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "jikji.h"

/* A shaped glyph, in em of its block's size: 12 bytes, one or so for
 * every character of a document. OpenType glyph ids are 16 bits. The few
 * glyphs with offsets (marks, raised scripts, squeezed brackets) have them
 * in the block's extra `offsets`. */
typedef struct jk__glyph {
    uint32_t cluster; /* index of the first code point of its cluster */
    float advance;    /* em of the block's size (font scale applied) */
    uint16_t gid;
    uint8_t font : 6;    /* index on the context (< JK__MAX_FONTS) */
    uint8_t missing : 2; /* JK__GLYPH_BOX: .notdef, drawn as a box;
                            JK__GLYPH_HIDDEN: .notdef in a cluster that
                            already has its box: not drawn */
    uint8_t style;    /* JK_STYLE_BOLD | JK_STYLE_ITALIC wanted (block
                         style and spans), and the others; drawn synthetic
                         where the font lacks it */
} jk__glyph;
_Static_assert(sizeof(jk__glyph) == 12, "a glyph is 12 bytes");

/* A glyph's offset from its pen position, JK__OFFSET_UNIT em (dy positive
 * up); sorted by glyph. */
typedef struct jk__offset {
    uint32_t glyph;
    int16_t dx, dy;
} jk__offset;
#define JK__OFFSET_UNIT (1.0 / 4096)

/* An offset in em as a glyph keeps it (clamped to about 8 em). */
static inline int16_t jk__glyph_offset(double em)
{
    double u = em / JK__OFFSET_UNIT;
    u = u > 32767 ? 32767 : u < -32767 ? -32767 : u;
    return (int16_t)(u < 0 ? u - 0.5 : u + 0.5);
}
enum { JK__GLYPH_BOX = 1, JK__GLYPH_HIDDEN = 2 };

/* Sub- and superscripts: their size relative to the text, and how far
 * their baseline moves, em of the text. */
#define JK__SCRIPT_SIZE 0.7
#define JK__SUP_RISE 0.33
#define JK__SUB_DROP 0.15

/* Items: where a paragraph may break (Knuth-Plass glue and penalties;
 * the boxes are the text between them, measured from xpos), in em of the
 * block's size (items.c). */
enum { JK__ITEM_GLUE, JK__ITEM_PENALTY };
/* Kinds of penalty: how costly a break there is depends on the settings. */
enum {
    JK__PEN_PLAIN,    /* after punctuation: - / … and the like */
    JK__PEN_SYLLABLE, /* between Korean syllables inside a word: auto and
                         normal modes only */
    JK__PEN_WORD,     /* inside a word elsewhere ("60|억", "xAI|는"):
                         normal mode only */
    JK__PEN_FRAGMENT, /* after a word's first syllable ("트|위터") or
                         before its last and punctuation ("니|다."): auto
                         mode, at fragment_penalty */
    JK__PEN_HYPHEN,   /* hyphenation point: a hyphen is added */
    JK__PEN_FORCED    /* a mandatory break inside the block */
};

typedef struct jk__item {
    uint32_t pos;    /* glue: the first space of a run after text (the
                        break comes after the run); penalty: the break
                        comes before this code point */
    uint8_t type, kind;
} jk__item;

/* The items are not stored: a penalty's kind + 1 sits in the top bits of
 * brk[i] for the break after cps[i] (linebreak.h uses the low five), and
 * glue is the first space of a run after text with no penalty before it
 * (jk__next_item). */
#define JK__BRK_PEN_SHIFT 5

typedef struct jk__item_iter {
    size_t i;
    int phase;
} jk__item_iter;


/* The hyphen a hyphenation point adds (the block's extra hyphens, by
 * pos). */
typedef struct jk__hyphen {
    uint32_t pos;   /* as its penalty's */
    uint32_t gid;   /* the hyphen glyph */
    uint16_t font;
    float width;    /* em added at the line end */
} jk__hyphen;

/* Justification classes of each code point (jk__block.just, items.c). */
#define JK__JUST_GAP 0x01u   /* the gap after cps[i] may open in a justified
                                line (between Korean syllables; never after
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
#define JK__JUST_LETTER 0x10u /* the gap after cps[i] is between two Latin
                                 letters or digits of a word (not inside a
                                 ligature): a line with no syllable gaps
                                 opens these a little before its spaces
                                 pass 270% */

typedef struct jk__block {
    uint8_t kind;         /* jk_block_kind */
    /* Structure (builder.h; plain text has none of it). */
    uint8_t level;        /* headings: 1..6, else 0 */
    uint8_t quote_depth;  /* block quotes around it */
    uint8_t list_depth;   /* lists around it */
    uint8_t flags;        /* JK__BLOCK_* */
    uint32_t n;           /* code points (< JK__MAX_SOURCE_BYTES) */
    uint32_t glyph_count;
    uint32_t figure;      /* FIGURE: index in the document's figures */
    float space_em;       /* natural width of a space in this block, em */
    uint32_t *cps;   /* text as code points */
    uint32_t *off;   /* n + 1 source byte offsets: cp i is [off[i], off[i+1]);
                        once prepared, read them with jk__off (a block of
                        under 64 KB of source keeps them as 16 bits) */
    uint8_t *style;  /* n: JK_STYLE_* of each code point from spans, or
                        NULL (plain text has none) */
    uint8_t *brk;    /* n: break opportunities after cp i (linebreak.h),
                        computed in auto mode: keep-all and normal are
                        read off them; and the penalty kinds (items) */
    double *xpos;    /* n + 1: pen position before cp i, em */
    jk__glyph *glyphs;
    uint32_t *cp_glyph; /* n + 1: first glyph of cp i's cluster or later;
                           NULL when glyph i shows code point i for every
                           i (most text): read it with jk__cp_glyph */
    uint8_t *just;      /* n: JK__JUST_* */
    struct jk__block_extra *extra; /* what few blocks have; or NULL */
    struct jk__marker *marker; /* a list item's marker; NULL: none */
} jk__block;

/* What only some blocks have, apart, so that a block of the usual kind
 * stays small (a document of short paragraphs is mostly blocks). */
typedef struct jk__block_extra {
    jk__hyphen *hyphens;  /* one for each JK__PEN_HYPHEN, in order */
    jk__offset *offsets;  /* for the glyphs that have one, in order */
    uint32_t hyphen_count, offset_count;
} jk__block_extra;

/* b's extra part, made when it has none; NULL when memory fails. */
jk__block_extra *jk__block_extra_of(jk_context *ctx, jk__block *b);

/* A list item's marker: its text, and that text shaped as the item's is
 * (drawn hanging before the item's first line). */
typedef struct jk__marker {
    jk__block shaped;
    char *text; /* UTF-8 */
} jk__marker;
enum {
    JK__BLOCK_PRE = 1,        /* preformatted: spaces and line ends kept */
    JK__BLOCK_HEADER_ROW = 2, /* a table's header row */
    JK__BLOCK_PACKED = 4,     /* its arrays are one allocation, at xpos */
    JK__BLOCK_OFF16 = 8       /* off holds a 32-bit base, then n + 1
                                 16-bit offsets from it */
};

/* The source byte offset of code point i (i <= n). */
static inline uint32_t jk__off(const jk__block *b, size_t i)
{
    if (!(b->flags & JK__BLOCK_OFF16))
        return b->off[i];
    const uint16_t *d = (const uint16_t *)(b->off + 1);
    return b->off[0] + d[i];
}

/* A figure: its image (gray NULL unless status is OK) and what the source
 * said of it. */
typedef struct jk__figure {
    jk__image image;
    jk_image_status status;
    char *src, *alt;   /* NUL-terminated, never NULL */
    size_t start, end; /* source bytes of the element */
    uint32_t block;
} jk__figure;

/* A link over code points [start, end) of a block. */
typedef struct jk__link {
    uint32_t block, start, end;
    char *href;
} jk__link;

/* The next item of b in order; false after the last. Start with
 * (jk__item_iter){0, 0}. */
static inline bool jk__next_item(const jk__block *b, jk__item_iter *it,
                                 jk__item *out)
{
    while (it->i < b->n) {
        size_t i = it->i;
        if (it->phase == 0) {
            it->phase = 1;
            uint32_t cp = b->cps[i];
            if ((cp == ' ' || cp == 0xA0) && i > 0 && b->cps[i - 1] != ' ' &&
                b->cps[i - 1] != 0xA0 &&
                !(b->brk[i - 1] >> JK__BRK_PEN_SHIFT)) {
                *out = (jk__item){(uint32_t)i, JK__ITEM_GLUE, 0};
                return true;
            }
        }
        it->phase = 0;
        it->i++;
        unsigned kind = b->brk[i] >> JK__BRK_PEN_SHIFT;
        if (kind && i + 1 < b->n) {
            *out = (jk__item){(uint32_t)(i + 1), JK__ITEM_PENALTY,
                              (uint8_t)(kind - 1)};
            return true;
        }
    }
    return false;
}

/* The first entry of b->offsets for glyph g or later. */
static inline size_t jk__offset_from(const jk__block *b, size_t g)
{
    if (!b->extra)
        return 0;
    const jk__offset *o = b->extra->offsets;
    size_t lo = 0, hi = b->extra->offset_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o[mid].glyph < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The offset entry k of b if it is glyph g's, or NULL. */
static inline const jk__offset *jk__offset_at(const jk__block *b, size_t k,
                                              size_t g)
{
    return b->extra && k < b->extra->offset_count &&
                   b->extra->offsets[k].glyph == g
               ? &b->extra->offsets[k]
               : NULL;
}

/* The first glyph of cps[i]'s cluster or later (i <= n). */
static inline uint32_t jk__cp_glyph(const jk__block *b, size_t i)
{
    return b->cp_glyph ? b->cp_glyph[i] : (uint32_t)i;
}

/* Whether cps[i] begins a glyph cluster (0 and n always do): a line may
 * only break before a cluster's first code point. */
static inline bool jk__cluster_start(const jk__block *b, size_t i)
{
    return i == 0 || i >= b->n ||
           (jk__cp_glyph(b, i) < b->glyph_count &&
            b->glyphs[jk__cp_glyph(b, i)].cluster == i);
}

/* The squeezable blank of cps[i] (JK__JUST_OPEN or JK__JUST_CLOSE): half
 * its advance, em. */
static inline double jk__blank_em(const jk__block *b, size_t i)
{
    return (b->xpos[i + 1] - b->xpos[i]) / 2;
}

void jk__block_free(jk_context *ctx, jk__block *b);

/* The hyphen of the hyphenation point before code point `pos`. */
const jk__hyphen *jk__hyphen_at(const jk__block *b, uint32_t pos);

/* A table: a run of TABLE blocks (its rows; cells separated by U+2003
 * at each next cell's start) and its columns' widths, em of the rows'
 * size, widened as rows are added (document.c). Where the widths fit the
 * measure, each row is one line with its cells on the columns (compose.c,
 * place.c); where not, rows run on as text. */
typedef struct jk__table {
    uint32_t first, count; /* rows: blocks[first .. first + count) */
    uint32_t col_count, col_cap;
    float *cols;           /* widths of its columns */
    double width;          /* of them all, the gaps between included */
} jk__table;

/* Em between a table's columns: an em space, as its separators, or as
 * little as half of one where that lets the columns fit. */
#define JK__CELL_GAP 1.0
#define JK__CELL_GAP_MIN 0.5

/* The table block i is a row of, or NULL. */
const jk__table *jk__table_of(const jk_document *doc, size_t block);

struct jk_document {
    jk_context *ctx;
    jk__block *blocks;
    size_t block_count, block_cap;
    size_t missing_glyphs;
    size_t source_size;
    jk__figure *figures;
    size_t figure_count, figure_cap;
    jk__link *links; /* in source order */
    size_t link_count, link_cap;
    jk__table *tables; /* in block order */
    size_t table_count, table_cap;
};

/* How a block kind is set: size relative to body, family, weight,
 * spacing. */
typedef struct jk__style {
    double size;         /* times the body size */
    jk_font_family family;
    bool bold;
    double space_before; /* times the body line height */
    double space_after;
    double line_height;  /* times this block's size; 0 = the settings' */
} jk__style;

const jk__style *jk__style_of(const jk__block *b);

/* The style runs of code points [from, to) of a block as source-byte
 * spans (jk_document_block_spans); returns how many. */
size_t jk__style_spans(const jk__block *b, size_t from, size_t to,
                       jk_span *out, size_t capacity);

/* Run a block through break opportunities, shaping, hyphenation and items
 * (its cps, off and style read); *missing gets the characters no font
 * has. `shaper` is shape.c's scratch for the longest block. */
struct jk__shaper;
jk_status jk__prepare_block(jk_context *ctx, struct jk__shaper *shaper,
                            jk__block *b, size_t *missing);

#endif
