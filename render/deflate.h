/* A fast zlib stream for page images (deflate.c): run-length matches and
 * fixed Huffman codes, written as rows come. The PNG writer's default. */
#ifndef JK__DEFLATE_H
#define JK__DEFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jikji.h"

typedef struct jk__deflate {
    jk_context *ctx;
    uint8_t *out; /* the stream so far, through the context's allocator */
    size_t len, cap;
    uint64_t bits; /* not yet written, least significant first */
    unsigned nbits;
    unsigned long adler;
    int prev;      /* the last literal, or -1 */
    size_t run;    /* copies of it not yet written */
    bool failed;   /* memory ran out */
    uint16_t lit_code[256];
    uint8_t lit_len[256];
    uint32_t match_bits[259]; /* a match of each length at distance 1 */
    uint8_t match_len[259];
} jk__deflate;

/* Start a stream; `guess` is the buffer to start with. */
jk_status jk__deflate_begin(jk_context *ctx, jk__deflate *d, size_t guess);
void jk__deflate_write(jk__deflate *d, const uint8_t *data, size_t n);
/* The finished stream into *out (the caller frees it with jk__free). */
jk_status jk__deflate_end(jk__deflate *d, uint8_t **out, size_t *size);
/* Drop a stream not ended. */
void jk__deflate_abort(jk__deflate *d);

#endif
