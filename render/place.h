/* Placing glyphs on the page: one iterator for the lines and the running
 * header and footer, used by drawing and hit testing (place.c). */
#ifndef JK__PLACE_H
#define JK__PLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "font.h"
#include "layout.h"

/* A glyph placed on the page, in pixels (x, y: pen position on the
 * baseline, fractional). */
typedef struct jk__placed_glyph {
    const jk__font *font;
    uint16_t font_index;
    uint32_t gid;
    double x, y;
    double size_px;    /* the size to rasterize at (font scale applied) */
    double advance;    /* pixels */
    bool missing;      /* .notdef: draw a box of `advance` width */
    bool bold, italic; /* wanted: synthetic where the font is not */
    uint32_t cluster;  /* code point of its block it shows; UINT32_MAX for
                          an added hyphen */
} jk__placed_glyph;

typedef jk_status (*jk__glyph_fn)(void *user, const jk__placed_glyph *g);

/* Call `fn` for every glyph of line `line` in order, positioned as
 * composed (justification, squeezes, offsets, the added hyphen). Stops
 * at the first non-OK status. */
jk_status jk__line_glyphs(const jk_layout *layout, const jk__line *line,
                          jk__glyph_fn fn, void *user);

/* Every glyph of page `page`: its lines', then its running header's and
 * footer's. */
jk_status jk__page_glyphs(const jk_layout *layout, size_t page,
                          jk__glyph_fn fn, void *user);

#endif
