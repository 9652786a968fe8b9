/* Fonts: loading, metrics and the per-character fallback chain
 * (font.c). The context's font set is read through these functions. */
#ifndef JK__FONT_H
#define JK__FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include "jikji.h"

typedef struct jk__font {
    jk_font_desc desc;
    hb_blob_t *blob; /* the font's bytes (a mapped file, or `data`) */
    void *data;      /* bytes copied through the allocator, or NULL */
    FT_Face face;
    hb_font_t *hb;   /* scale = units per em: shaping in font units */
    double upem;
    double scale;      /* size multiplier beside the Korean font (Latin
                          cap height matched to the Korean font's) */
    double ascender;   /* em, positive up */
    double descender;  /* em, positive down */
    long ft_size_26_6; /* current FT_Set_Char_Size, to skip repeats */
} jk__font;

/* Font `i` of the context's set (0 <= i < jk__font_count). */
jk__font *jk__font_at(const jk_context *ctx, size_t i);
size_t jk__font_count(const jk_context *ctx);

void jk__font_destroy(jk_context *ctx, jk__font *font);

/* A copy of `src` for drawing on `ctx` (a drawer): the same bytes (a
 * reference), metrics and description, its own FreeType face, no
 * HarfBuzz font. */
jk_status jk__font_clone(jk_context *ctx, const jk__font *src,
                         jk__font **out);

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

/* The context's main font for `family` (used for metrics and .notdef);
 * -1 without fonts. */
int jk__font_primary(const jk_context *ctx, jk_font_family family, bool bold);

#endif
