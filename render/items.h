/* Items: shaped text and break opportunities as Knuth-Plass boxes, glue
 * and penalties, and each character's justification class (items.c). */
#ifndef JK__ITEMS_H
#define JK__ITEMS_H

#include <stdbool.h>
#include <stdint.h>

#include "document.h"

/* The just[] classes and items of b; `hyphens` holds its hyphenation
 * flags (hyphenate.h). The fixed squeezes of full-width punctuation are
 * applied to its glyphs and pen positions. */
jk_status jk__build_items(jk_context *ctx, jk__block *b,
                          const uint8_t *hyphens);

/* The gap after cps[i] is one between two Korean syllables (or Hanja) of
 * a word: where auto mode may break at a cost. */
bool jk__syllable_gap(const jk__block *b, size_t i);

/* The blank a reader sees at the space cps[i], em: its advance and the
 * blank between it and the ink of the glyphs either side (their side
 * bearings). Stretched lines open their spaces so that these come out
 * even (jk__space_level, place.c). */
double jk__space_blank(const jk_context *ctx, const jk__block *b, size_t i);

#endif
