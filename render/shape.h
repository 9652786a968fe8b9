/* Shaping: font choice per character, runs, HarfBuzz, pen positions
 * (shape.c). Only shaping: break opportunities, hyphenation and items are
 * the document's other stages. */
#ifndef JK__SHAPE_H
#define JK__SHAPE_H

#include <stddef.h>

#include "document.h"

/* Scratch for shaping blocks of up to `longest` code points. */
typedef struct jk__shaper jk__shaper;
jk_status jk__shaper_create(jk_context *ctx, size_t longest,
                            jk__shaper **out);
void jk__shaper_destroy(jk_context *ctx, jk__shaper *s);
/* Bytes of scratch the shaper lends to the other stages of a block
 * (at least `longest`). */
uint8_t *jk__shaper_scratch(jk__shaper *s);

/* Fill glyphs, cp_glyph, xpos and space_em of b; *missing gets the
 * characters no font has (one per cluster). */
jk_status jk__shape_block(jk_context *ctx, jk__shaper *s, jk__block *b,
                          size_t *missing);

#endif
