/* UTF-8 decoding and encoding. Invalid input never stops decoding: each
 * maximal ill-formed subpart becomes one U+FFFD (Unicode's recommended
 * practice), so no byte is silently dropped. */
#include "utf8.h"

size_t jk__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len)
            break;
        unsigned char b = s[i];
        unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h)
            break;
        v = (v << 6) | (b & 0x3F);
    }
    if (i <= need) {
        *cp = 0xFFFD;
        return i; /* the valid prefix and the lead byte: one subpart */
    }
    *cp = v;
    return need + 1;
}

size_t jk__utf8_encode(uint32_t cp, char *out)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t jk__utf8_copy(const uint32_t *cps, size_t n, char *buf,
                     size_t buf_size)
{
    size_t total = 0, written = 0;
    bool full = !buf || buf_size == 0;
    for (size_t i = 0; i < n; i++) {
        char tmp[4];
        size_t k = jk__utf8_encode(cps[i], tmp);
        /* Copy whole characters only: never a broken sequence. */
        if (!full && written + k < buf_size) {
            for (size_t j = 0; j < k; j++)
                buf[written++] = tmp[j];
        } else {
            full = true;
        }
        total += k;
    }
    if (buf && buf_size)
        buf[written] = '\0';
    return total;
}

bool jk__utf8_valid(const char *bytes, size_t size)
{
    const unsigned char *s = (const unsigned char *)bytes;
    for (size_t i = 0; i < size;) {
        uint32_t cp;
        size_t k = jk__utf8_decode(s + i, size - i, &cp);
        /* U+FFFD itself is fine; a replacement for a broken sequence is
         * not. */
        if (cp == 0xFFFD && !(k == 3 && s[i] == 0xEF && s[i + 1] == 0xBF &&
                              s[i + 2] == 0xBD))
            return false;
        i += k;
    }
    return true;
}
