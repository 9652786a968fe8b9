/* The readers: bytes -> blocks of code points with source offsets. Plain
 * text in reader.c (the rules are in README.md); HTML and Markdown in
 * html.c and markdown.c. */
#ifndef JK__READER_H
#define JK__READER_H

#include <stddef.h>

#include "jikji.h"

/* Split plain text into blocks appended to the document. */
jk_status jk__read_text(jk_document *doc, const char *bytes, size_t size);
/* One block from the API, its text at source offset `base`; `spans` are
 * applied in one sorted sweep. Appends nothing for white space only. */
jk_status jk__read_block(jk_document *doc, jk_block_kind kind,
                         const char *bytes, size_t size, size_t base,
                         const jk_span *spans, size_t span_count);
/* Make room for one more block at the document's end (geometric). */
jk_status jk__reserve_block(jk_document *doc);

/* The structured readers, on builder.h: HTML on gumbo (html.c) and
 * Markdown on md4c (markdown.c). They append blocks and figures to the
 * document (unprepared: the document shapes them after); `options` gives
 * the image loader (may be NULL). The rules they follow are in README.md
 * and at the top of each file. */
jk_status jk__read_html(jk_document *doc, const char *bytes, size_t size,
                        const jk_read_options *options);
jk_status jk__read_markdown(jk_document *doc, const char *bytes,
                            size_t size, const jk_read_options *options);

#endif
