/* Running header (the article's title, small, at the top) and footer
 * ("n / N", centred at the bottom): not lines, but bands that pagination
 * takes from the text box, drawn with the page (running.c). They belong
 * to the layout, shaped only when the settings ask for them. */
#ifndef JK__RUNNING_H
#define JK__RUNNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "document.h"
#include "jikji.h"

typedef struct jk__running {
    jk__block title; /* the first title block, shaped in the byline style */
    jk__block chars; /* the characters of "n / N" and the ellipsis */
    bool ready;      /* both shaped for this layout's document */
    size_t blocks;   /* the document's blocks when they were */
} jk__running;

/* Where the bands are on the page, pixels. */
typedef struct jk__bands {
    double header, footer;         /* heights (0 when off) */
    double header_y, footer_y;     /* baselines */
    double px;                     /* their text size */
} jk__bands;

/* The bands of a page under these settings. */
void jk__running_bands(const jk_settings *s, jk__bands *out);

/* The header and footer text `layout` needs under settings `s`: when it
 * has none ready for them, shaped into *out (*made set); else nothing is
 * done. The layout itself is not changed. */
jk_status jk__running_make(const jk_layout *layout, const jk_settings *s,
                           jk__running *out, bool *made);
void jk__running_free(jk_context *ctx, jk__running *r);

/* A stretch of shaped text placed on the page. */
typedef struct jk__run_piece {
    const jk__block *b;
    uint32_t from, to; /* code points */
    double x, y, px;   /* pen, baseline, size */
} jk__run_piece;

/* The pieces of page `page`'s header and footer (at most
 * JK__RUN_PIECES); returns their count. */
enum { JK__RUN_PIECES = 48 };
size_t jk__running_pieces(const jk_layout *layout, size_t page,
                          jk__run_piece *out);

#endif
