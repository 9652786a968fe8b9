/* Decoding one HTML character reference (entities.h). */
#include <string.h>

#include "entities.h"
#include "utf8.h"

/* windows-1252 for numeric references 0x80..0x9F (HTML5 8.2.4.80);
 * 0 where the code point stays as it is. */
static const unsigned short c1_table[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static size_t numeric(const char *s, size_t n, char out[8], size_t *out_size)
{
    size_t i = 2;
    bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
    if (hex)
        i++;
    size_t digits = 0;
    unsigned long v = 0;
    for (; i < n; i++, digits++) {
        int d = hex ? jk__hex_digit((unsigned char)s[i])
                    : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0)
            break;
        if (v <= 0x10FFFF)
            v = v * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (digits == 0)
        return 0;
    if (i < n && s[i] == ';')
        i++;
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        v = 0xFFFD;
    else if (v >= 0x80 && v <= 0x9F && c1_table[v - 0x80])
        v = c1_table[v - 0x80];
    *out_size = jk__utf8_encode((uint32_t)v, out);
    return i;
}

/* The entity named exactly s[0..len), or NULL. */
static const jk__entity *lookup(const char *s, size_t len)
{
    size_t lo = 0, hi = jk__entity_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = jk__entities[mid].name;
        size_t nl = strlen(name);
        int c = memcmp(name, s, nl < len ? nl : len);
        if (c == 0)
            c = nl < len ? -1 : nl > len;
        if (c == 0)
            return &jk__entities[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t jk__char_ref(const char *s, size_t n, char out[8], size_t *out_size)
{
    *out_size = 0;
    if (n < 2 || s[0] != '&')
        return 0;
    if (s[1] == '#')
        return numeric(s, n, out, out_size);
    /* The longest name that matches: names are at most 32 bytes. */
    size_t most = n - 1 < 32 ? n - 1 : 32;
    for (size_t len = most; len > 0; len--) {
        const jk__entity *e = lookup(s + 1, len);
        if (e) {
            memcpy(out, e->utf8, e->size);
            *out_size = e->size;
            return len + 1;
        }
    }
    return 0;
}
