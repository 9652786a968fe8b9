/* A fast zlib stream for page images (deflate.h): runs of one byte as
 * matches at distance 1, everything else as literals, in one block of
 * the fixed Huffman codes (RFC 1951 3.2.6). A text page is mostly runs
 * of white, so this takes a fraction of zlib's time for a stream a
 * little larger than zlib's run-length mode gives. */
#include <string.h>
#include <zlib.h>

#include "deflate.h"
#include "memory.h"

/* Huffman codes are sent most significant bit first into a stream packed
 * from the least significant bit: tables of reversed codes. */
static unsigned reverse(unsigned code, unsigned len)
{
    unsigned r = 0;
    for (unsigned i = 0; i < len; i++)
        r |= ((code >> i) & 1u) << (len - 1 - i);
    return r;
}

/* The fixed literal/length code of symbol s (0..287). */
static void fixed_code(unsigned s, unsigned *code, unsigned *len)
{
    if (s < 144)
        *code = 0x30 + s, *len = 8;
    else if (s < 256)
        *code = 0x190 + (s - 144), *len = 9;
    else if (s < 280)
        *code = s - 256, *len = 7;
    else
        *code = 0xC0 + (s - 280), *len = 8;
    *code = reverse(*code, *len);
}

/* Length codes (257..285) and their extra bits, RFC 1951 3.2.5. */
static const unsigned short length_base[29] = {
    3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const unsigned char length_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
    2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};

static void put_bits(jk__deflate *d, uint64_t bits, unsigned n)
{
    d->bits |= bits << d->nbits;
    d->nbits += n;
    if (d->nbits < 32)
        return;
    if (d->len + 8 > d->cap) {
        size_t cap = d->cap * 2;
        uint8_t *out = jk__realloc_array(d->ctx, d->out, cap, 1);
        if (!out) {
            d->failed = true;
            d->nbits = 0;
            d->bits = 0;
            return;
        }
        d->out = out;
        d->cap = cap;
    }
    /* four bytes at once, little-endian */
    d->out[d->len] = (uint8_t)d->bits;
    d->out[d->len + 1] = (uint8_t)(d->bits >> 8);
    d->out[d->len + 2] = (uint8_t)(d->bits >> 16);
    d->out[d->len + 3] = (uint8_t)(d->bits >> 24);
    d->len += 4;
    d->bits >>= 32;
    d->nbits -= 32;
}

static void put_literal(jk__deflate *d, unsigned v)
{
    put_bits(d, d->lit_code[v], d->lit_len[v]);
}

/* A match of `len` (3..258) at distance 1. */
static void put_match(jk__deflate *d, unsigned len)
{
    put_bits(d, d->match_bits[len], d->match_len[len]);
}

/* The pending run: `run` more copies of the last literal. */
static void flush_run(jk__deflate *d)
{
    while (d->run >= 3) {
        unsigned m = d->run > 258 ? 258 : (unsigned)d->run;
        /* never leave 1 or 2 over after a 258 when 3 can be matched */
        if (d->run > 258 && d->run - 258 < 3)
            m = (unsigned)d->run - 3;
        put_match(d, m);
        d->run -= m;
    }
    while (d->run > 0) {
        put_literal(d, d->prev);
        d->run--;
    }
}

jk_status jk__deflate_begin(jk_context *ctx, jk__deflate *d, size_t guess)
{
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    d->cap = guess > 64 ? guess : 64;
    d->out = jk__malloc(ctx, d->cap);
    if (!d->out)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory writing PNG");
    for (unsigned s = 0; s < 256; s++) {
        unsigned code, len;
        fixed_code(s, &code, &len);
        d->lit_code[s] = (uint16_t)code;
        d->lit_len[s] = (uint8_t)len;
    }
    /* a match: its length symbol, extra bits, then distance code 0 (5
     * zero bits: distance 1) */
    for (unsigned len = 3; len <= 258; len++) {
        unsigned i = 0;
        while (i + 1 < 29 && length_base[i + 1] <= len)
            i++;
        unsigned code, clen;
        fixed_code(257 + i, &code, &clen);
        uint32_t bits = code | (uint32_t)(len - length_base[i]) << clen;
        d->match_bits[len] = bits;
        d->match_len[len] = (uint8_t)(clen + length_extra[i] + 5);
    }
    d->out[0] = 0x78; /* deflate, 32K window */
    d->out[1] = 0x01; /* fastest; (0x7801 % 31 == 0) */
    d->len = 2;
    d->adler = adler32(0L, Z_NULL, 0);
    put_bits(d, 1 | 1u << 1, 3); /* BFINAL, BTYPE 01: fixed codes */
    d->prev = -1;
    return JK_OK;
}

void jk__deflate_write(jk__deflate *d, const uint8_t *data, size_t n)
{
    d->adler = adler32(d->adler, data, (uInt)n);
    size_t i = 0;
    while (i < n && !d->failed) {
        uint8_t c = data[i];
        if ((int)c == d->prev) {
            /* the run goes on: count it a word at a time */
            size_t j = i + 1;
            uint64_t pattern = c * 0x0101010101010101ull;
            while (j + 8 <= n) {
                uint64_t w;
                memcpy(&w, data + j, 8);
                if (w != pattern)
                    break;
                j += 8;
            }
            while (j < n && data[j] == c)
                j++;
            d->run += j - i;
            i = j;
            continue;
        }
        flush_run(d);
        put_literal(d, c);
        d->prev = c;
        i++;
    }
}

jk_status jk__deflate_end(jk__deflate *d, uint8_t **out, size_t *size)
{
    flush_run(d);
    put_bits(d, 0, 7); /* end of block (256): seven zero bits */
    /* the last partial bytes */
    while (!d->failed && d->nbits > 0) {
        if (d->len + 1 > d->cap) {
            uint8_t *o = jk__realloc_array(d->ctx, d->out, d->cap + 16, 1);
            if (!o) {
                d->failed = true;
                break;
            }
            d->out = o;
            d->cap += 16;
        }
        d->out[d->len++] = (uint8_t)d->bits;
        d->bits >>= 8;
        d->nbits = d->nbits > 8 ? d->nbits - 8 : 0;
    }
    if (!d->failed && d->len + 4 > d->cap) {
        uint8_t *o = jk__realloc_array(d->ctx, d->out, d->len + 4, 1);
        if (o)
            d->out = o, d->cap = d->len + 4;
        else
            d->failed = true;
    }
    if (d->failed) {
        jk__free(d->ctx, d->out);
        d->out = NULL;
        return jk__fail(d->ctx, JK_ERR_NOMEM, "out of memory writing PNG");
    }
    uint32_t a = (uint32_t)d->adler; /* big-endian trailer */
    d->out[d->len++] = (uint8_t)(a >> 24);
    d->out[d->len++] = (uint8_t)(a >> 16);
    d->out[d->len++] = (uint8_t)(a >> 8);
    d->out[d->len++] = (uint8_t)a;
    *out = d->out;
    *size = d->len;
    d->out = NULL;
    return JK_OK;
}

void jk__deflate_abort(jk__deflate *d)
{
    jk__free(d->ctx, d->out);
    d->out = NULL;
}
