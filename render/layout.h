/* The layout: lines and pages of a document at one set of settings
 * (layout.c), made by composition (compose.c) and pagination
 * (paginate.c). */
#ifndef JK__LAYOUT_H
#define JK__LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "document.h"
#include "jikji.h"
#include "running.h"

/* A line of a layout: 88 bytes (a layout of a long document holds many);
 * positions in pixels as doubles, justification as floats. */
typedef struct jk__line {
    double x, y, width, height;
    double top;             /* the line box's top (pagination): the box is
                               [top, top + height) */
    uint32_t block;
    uint32_t start, end; /* code point indices; end excludes break spaces */
    float ratio;
    float space_factor;     /* each inner JK__JUST_LATIN_SPACE grows by
                               this share of its width (negative: shrinks);
                               on a stretched line, what the spaces take
                               together (place.c spreads it evenly to the
                               eye) */
    float ko_space_factor;  /* and each other space */
    float gap_extra;        /* pixels added at each JK__JUST_GAP inside;
                               on a `columns` line, pixels between columns */
    float squeeze;          /* share of each inner punctuation blank taken
                               out (tight lines), 0..1 */
    float trim_start;       /* pixels of the first character's blank taken
                               out (an opening bracket at the line start) */
    float size_px;          /* the block's font size in pixels */
    float hyphen_advance;   /* pixels of the hyphen drawn after the line */
    uint16_t hyphen_gid;    /* glyph drawn after the line when hyphenated */
    uint8_t hyphen_font;
    uint8_t hyphenated : 1, last : 1;
    uint8_t syllable_break : 1; /* the line ends inside a Korean word */
    uint8_t overfull : 1;       /* nothing fitted: wider than the box */
    uint8_t columns : 1;        /* a table row, its cells on the table's
                                   columns (document.h) */
    uint8_t letters : 1;        /* gap_extra opens the gaps between Latin
                                   letters (JK__JUST_LETTER), the line
                                   having no syllable gaps to open */
} jk__line;

typedef struct jk__page {
    size_t first_line, line_count;
} jk__page;

struct jk_layout {
    jk_document *doc;
    /* Allocates and reports: the document's context, or a drawer's for
     * page counts on the drawer's thread (jk_drawer_page_counts). */
    jk_context *ctx;
    jk_settings settings;
    jk__line *lines;
    size_t line_count, line_cap;
    jk__page *pages;
    size_t page_count, page_cap;
    jk__running running; /* header and footer text (running.c) */
    /* Only its pages are wanted (page counts): lines get their block,
     * text and box, not how they justify, and are paged as the blocks
     * are composed (jk__paginate_settled); `counted` is the line the next
     * page starts at (the lines before it dropped, but for the block of
     * the one just before). */
    bool counting;
    size_t counted;
    /* The arrays a new composition is made in: set_settings swaps them
     * in only once all of it has succeeded. */
    jk__line *back_lines;
    size_t back_line_cap;
    jk__page *back_pages;
    size_t back_page_cap;
};

/* The 1.0 layout of jk_settings ends with `footer` (abi.h). */
#define JK__SETTINGS_1_0 JK__SIZE_UP_TO(jk_settings, footer)

/* Indentation of nested blocks, em of the body size: each level of block
 * quote, each level of list (the markers hang in it), and the gap between
 * a marker and its item's text, em of the item. */
#define JK__QUOTE_INDENT 1.2
#define JK__LIST_INDENT 1.6
#define JK__MARKER_GAP 0.45

/* A block's indentation from the left margin, em of the body. */
static inline double jk__block_inset(const jk__block *b)
{
    return b->quote_depth * JK__QUOTE_INDENT + b->list_depth * JK__LIST_INDENT;
}

/* compose.c: break every block into lines (positions relative to x = 0,
 * y unset), appended to layout->lines. */
jk_status jk__compose(jk_layout *layout);
/* layout.c: the settings checked and resolved (margins) into *out; what
 * a layout holds freed (its lines, pages and running text), not the
 * layout itself. */
jk_status jk__check_settings(jk_context *ctx, const jk_settings *in,
                             jk_settings *out);
void jk__layout_release(jk_layout *layout);

/* Blocks [first, end) of the document composed into up to
 * JK__COMPOSE_MAX layouts of it at once, all on the first one's context,
 * their lines appended: the lines of each are exactly those jk__compose
 * gives it, but each block's candidates are found once for all. Their
 * settings must give the same candidates (jk__same_candidates). A block
 * at `first` must not be a caption after a figure (fit_caption sets them
 * together). */
enum { JK__COMPOSE_MAX = 8 };
jk_status jk__compose_blocks(jk_layout *const *layouts, size_t count,
                             size_t first, size_t end);
/* Whether two settings give a block the same candidate breaks and glue
 * (they may differ in size, page, margins, line height and pagination). */
bool jk__same_candidates(const jk_settings *a, const jk_settings *b);
/* paginate.c: set y of every line and cut pages (a counting layout's
 * from line `counted` on). */
jk_status jk__paginate(jk_layout *layout);
/* paginate.c, for a counting layout: the pages the first blocks_done
 * blocks decide, their lines dropped. */
jk_status jk__paginate_settled(jk_layout *layout, size_t blocks_done);

/* paginate.c: the space above line i when it is not the first on its
 * page (between blocks: the larger of the two styles' spacing). */
double jk__gap_between(const jk_layout *layout, size_t i);

/* Pixel size of the body text. */
double jk__body_px(const jk_settings *s);

#endif
