/* Building a document from a structured reader (html.c, markdown.c, and
 * jk_document_add for the API): text pieces with the source offsets they
 * came from and the inline styles in force, white space handled as HTML
 * and CommonMark do, block attributes (heading level, quote and list
 * depth, list marker, preformatted code), links and figures (builder.c).
 *
 * A reader calls, per block: jk__builder_begin, then any number of
 * jk__builder_text / _char / _push_style / _pop_style / _link_begin /
 * _link_end, then jk__builder_end; figures with jk__builder_figure
 * between blocks. Blocks are appended to the document unprepared; the
 * document shapes them when the reader returns. Errors are sticky: after
 * a failure every call returns it again and adds nothing. */
#ifndef JK__BUILDER_H
#define JK__BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jikji.h"

/* Nesting shown (indentation): deeper quotes and lists are set at this
 * depth. The readers cap the parser's own nesting separately. */
#define JK__MAX_SHOWN_DEPTH 8

/* What a block is, besides its text. */
typedef struct jk__block_attrs {
    jk_block_kind kind;
    uint8_t level;       /* headings: 1..6 (1 is the article title's
                            level; a reader makes the first h1 the title) */
    uint8_t quote_depth; /* block quotes around it (capped at
                            JK__MAX_SHOWN_DEPTH) */
    uint8_t list_depth;  /* lists around it; a list item's blocks >= 1 */
    bool preformatted;   /* code: spaces, tabs and line ends kept */
    bool header_row;     /* table: a header row (set bold) */
    const char *marker;  /* list item: its marker ("•", "3.", "iv."),
                            UTF-8, copied; NULL: none (a continuation) */
    size_t marker_size;
    size_t marker_source; /* source offset the marker stands for (the
                             item's start) */
} jk__block_attrs;

/* How a figure's image is given: its bytes, or its reference `src` to
 * load (a data: URI is decoded here; anything else goes to the read
 * options' loader, when there is one), or a status saying why it cannot
 * be had. */
typedef struct jk__figure_src {
    const void *data;      /* encoded PNG, JPEG or WebP, or NULL: load src */
    size_t size;
    const uint8_t *pixels; /* or 8-bit gray pixels (the API's) */
    int width, height, stride;
    jk_image_status status; /* not OK: no image, for this reason
                               (MISSING, REFUSED) */
    const char *alt;       /* UTF-8, may be NULL */
    size_t alt_size;
    const char *src;       /* the source's reference as written, for JSON */
    size_t src_size;
    size_t start, end;     /* source bytes of the element */
    uint8_t quote_depth, list_depth; /* where it stands (indented so) */
} jk__figure_src;

typedef struct jk__builder jk__builder;

/* A builder appending to `doc`, loading images through `options` (may be
 * NULL: no loader); NULL when memory fails (the message is on the
 * context). */
jk__builder *jk__builder_create(jk_document *doc,
                                const jk_read_options *options);
/* Ends an open block, frees the builder; returns the first error met, or
 * JK_OK. */
jk_status jk__builder_finish(jk__builder *b);

/* Start a block (an open one is ended first). */
jk_status jk__builder_begin(jk__builder *b, const jk__block_attrs *a);
/* Whether a block is open. */
bool jk__builder_open(const jk__builder *b);

/* Append UTF-8 text (invalid bytes and control characters become
 * U+FFFD) that the source holds at [src, src_end). When that is exactly
 * n bytes, byte i came from src + i (text as written); otherwise every
 * character came from `src` (a decoded character reference: "&amp;" at
 * [src, src + 5) gives "&"). Outside a block, text opens a paragraph.
 * White space (space, tab, CR, LF, FF) collapses to one space and is
 * trimmed at the block's ends and around line breaks, unless the block is
 * preformatted (then tabs go to the next multiple of 4 columns, lines
 * keep their indentation, and line ends break lines); U+00A0 stays a
 * no-break space. */
jk_status jk__builder_text(jk__builder *b, const char *s, size_t n,
                           size_t src, size_t src_end);
/* One character from `src`: '\n' is a line break inside the block (<br>,
 * a Markdown hard break), kept even where white space collapses. */
jk_status jk__builder_char(jk__builder *b, uint32_t cp, size_t src);

/* Inline styles (JK_STYLE_*) for what is appended next; nested pushes of
 * the same style count. */
void jk__builder_push_style(jk__builder *b, unsigned style);
void jk__builder_pop_style(jk__builder *b, unsigned style);

/* Text appended between these links to `href` (copied; the JSON gives it
 * beside the link's span). Links do not nest: an inner begin ends the
 * outer link. */
jk_status jk__builder_link_begin(jk__builder *b, const char *href,
                                 size_t n);
void jk__builder_link_end(jk__builder *b);

/* End the open block; a block of white space only adds nothing. */
jk_status jk__builder_end(jk__builder *b);

/* A figure block (ending any open block): the image decoded now; a
 * data: URI in src is decoded here too. When the image cannot be had the
 * figure is a placeholder with its alt text, and the status says why;
 * that is not an error. The caption is the CAPTION block the reader adds
 * after it. */
jk_status jk__builder_figure(jk__builder *b, const jk__figure_src *f);

#endif
