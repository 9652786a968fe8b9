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
    uint8_t style;     /* JK_STYLE_* of its text */
    uint32_t cluster;  /* code point of its block it shows, or one of: */
} jk__placed_glyph;
#define JK__CLUSTER_HYPHEN UINT32_MAX       /* an added hyphen */
#define JK__CLUSTER_MARKER (UINT32_MAX - 1) /* a list item's marker */

/* A solid rectangle drawn with the page (underlines, strikes, the bars of
 * block quotes, table rules, thematic breaks, placeholder frames), page
 * pixels; ink 255 is black. */
typedef struct jk__rule {
    double x, y, w, h;
    uint8_t ink;
} jk__rule;
typedef jk_status (*jk__rule_fn)(void *user, const jk__rule *r);

/* Every rule of page `page`. */
jk_status jk__page_rules(const jk_layout *layout, size_t page,
                         jk__rule_fn fn, void *user);

/* A figure's image on the page, page pixels. */
typedef struct jk__figure_place {
    uint32_t figure; /* index in the document's figures */
    double x, y, w, h;
} jk__figure_place;
typedef jk_status (*jk__figure_fn)(void *user, const jk__figure_place *f);

/* Every drawn image of page `page`. */
jk_status jk__page_figures(const jk_layout *layout, size_t page,
                           jk__figure_fn fn, void *user);

/* Whether line `l` shows no glyphs of its own: a drawn image, a rule. */
bool jk__line_is_art(const jk_layout *layout, const jk__line *l);

/* On a stretched line of b, the blank, em, that its inner spaces open to
 * as the reader sees them (jk__space_blank): the narrowest first, each up
 * to this level, together taking what their factors give; 0 on any other
 * line, or one of more spaces than are sorted (the factors then apply to
 * each). */
double jk__space_level(const jk_context *ctx, const jk__block *b,
                       const jk__line *l);

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
