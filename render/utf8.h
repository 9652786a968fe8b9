/* UTF-8 and white space (utf8.c). */
#ifndef JK__UTF8_H
#define JK__UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s[0..len); returns bytes consumed (>= 1);
 * invalid sequences give U+FFFD and consume one byte. */
size_t jk__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns bytes written. */
size_t jk__utf8_encode(uint32_t cp, char *out);
/* Encode cps[0..n) into buf like snprintf; returns full length. */
size_t jk__utf8_copy(const uint32_t *cps, size_t n, char *buf,
                     size_t buf_size);
/* Whether bytes[0..size) are well-formed UTF-8. */
bool jk__utf8_valid(const char *bytes, size_t size);

/* The value of a hexadecimal digit, or -1 (character references, data:
 * URIs). */
static inline int jk__hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* White space we trim at line ends (inline: composition asks for every
 * character, at every size). */
static inline bool jk__is_space(uint32_t cp)
{
    /* Hangul, Han and kana are past every space, Latin letters between
     * two: one or two tests for nearly every character. */
    if (cp > 0x3000 || (cp > ' ' && cp < 0xA0))
        return false;
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* Spaces that take justification. */
static inline bool jk__is_stretchable(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0;
}

#endif
