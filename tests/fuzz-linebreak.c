/* fuzz-linebreak.c - the private break finders on arbitrary code points:
 * jk__line_breaks (UAX #14 with the Korean modes, UAX #29 graphemes) and
 * jk__hyphenate.
 *
 * Input: byte 0 chooses the decoding (bit 0: the rest is little-endian
 * 32-bit values, any uint32_t; else lenient UTF-8, where a byte that
 * starts no sequence is taken as its own value) and, with byte 1, a split
 * point for the checks below. Up to MAX_CPS code points.
 *
 * Checks: only known flags; MANDATORY and SYLLABLE imply ALLOWED;
 * SYLLABLE only in auto mode; the end of the text is a mandatory break and
 * a grapheme boundary; the three modes agree (auto allows exactly what
 * normal allows, and without its syllable breaks exactly what keep-all
 * allows); SPACE marks exactly SP, ZW and U+3000; the text before and
 * after a mandatory break breaks the same on its own (rules never reach
 * across a hard line break); hyphenation flags only on letters and soft
 * hyphens, and a text cut at a token end hyphenates the same in two
 * pieces.
 *
 * Built with libFuzzer (-DJK_FUZZER) this is LLVMFuzzerTestOneInput only;
 * otherwise a main replays files and folders (see fuzz-replay.h).
 */
#define _POSIX_C_SOURCE 200809L /* the replay main: opendir, stat */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyphenate.h"
#include "linebreak.h"

#define MAX_CPS 8192

#define FUZZ_NAME "fuzz-linebreak"
#include "fuzz-common.h"

#include "utf8.h"

static jk_context *g_ctx;
static jk__hyphenator *g_hyph;
static bool g_ready;

static void setup(void)
{
    if (g_ready)
        return;
    g_ready = true;
    if (jk_context_create(NULL, &g_ctx) != JK_OK)
        abort();
    if (jk__hyphenation_available() &&
        jk__hyphenator_create(g_ctx, NULL, &g_hyph) != JK_OK)
        g_hyph = NULL; /* patterns not installed: soft hyphens only */
}

static size_t decode(const uint8_t *d, size_t size, bool raw, uint32_t *cps)
{
    size_t n = 0;
    if (raw) {
        for (size_t i = 0; i + 4 <= size && n < MAX_CPS; i += 4)
            cps[n++] = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 |
                       (uint32_t)d[i + 2] << 16 | (uint32_t)d[i + 3] << 24;
        return n;
    }
    for (size_t i = 0; i < size && n < MAX_CPS;) {
        uint32_t c = d[i];
        size_t len = c >= 0xF0 && c < 0xF8   ? 4
                     : c >= 0xE0 && c < 0xF0 ? 3
                     : c >= 0xC0 && c < 0xE0 ? 2
                                             : 1;
        if (i + len > size)
            len = 1;
        if (len > 1) {
            c &= 0x3Fu >> (len - 1);
            for (size_t k = 1; k < len; k++)
                c = c << 6 | (d[i + k] & 0x3Fu);
        }
        cps[n++] = c;
        i += len;
    }
    return n;
}

static void check_flags(const uint32_t *cps, size_t n, jk_word_break mode,
                        const uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t f = out[i];
        FZ_CHECK((f & ~0x1Fu) == 0, "flags %#x at %zu", f, i);
        FZ_CHECK(!(f & JK__BRK_MANDATORY) || (f & JK__BRK_ALLOWED),
                 "mandatory, not allowed at %zu", i);
        FZ_CHECK(!(f & JK__BRK_SYLLABLE) ||
                     (mode == JK_WORD_BREAK_AUTO && (f & JK__BRK_ALLOWED)),
                 "syllable break at %zu in mode %d", i, (int)mode);
        int cls = jk__lb_class(cps[i]);
        bool space = cls == JK__LB_SP || cls == JK__LB_ZW || cps[i] == 0x3000;
        FZ_CHECK(space == ((f & JK__BRK_SPACE) != 0),
                 "SPACE flag %#x on U+%04X (class %d)", f, cps[i], cls);
    }
    if (n)
        FZ_CHECK((out[n - 1] & (JK__BRK_MANDATORY | JK__BRK_GRAPHEME)) ==
                     (JK__BRK_MANDATORY | JK__BRK_GRAPHEME),
                 "end of text %#x", out[n - 1]);
}

static bool is_token_end(uint32_t c) /* as in hyphenate.c */
{
    return jk__is_space(c) || c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
           c == 0x200B || c == 0x2028 || c == 0x2029;
}

static bool is_latin_letter(uint32_t c) /* as in hyphenate.c */
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return true;
    if (c >= 0xC0 && c <= 0x24F)
        return c != 0xD7 && c != 0xF7;
    return c >= 0x1E00 && c <= 0x1EFF;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t cps[MAX_CPS];
    static uint8_t nor[MAX_CPS], kee[MAX_CPS], aut[MAX_CPS], part[MAX_CPS];
    if (size < 2)
        return 0;
    setup();
    uint8_t opt = data[0], cut = data[1];
    size_t n = decode(data + 2, size - 2, opt & 1, cps);

    for (size_t i = 0; i < n; i++) {
        int cls = jk__lb_class(cps[i]);
        FZ_CHECK(cls >= JK__LB_BK && cls < JK__LB_CJ,
                 "class %d of U+%04X", cls, cps[i]);
        (void)jk__is_nonstarter(cps[i]);
        (void)jk__is_hangul_or_han(cps[i]);
    }

    jk__line_breaks(cps, n, JK_WORD_BREAK_NORMAL, nor);
    jk__line_breaks(cps, n, JK_WORD_BREAK_KEEP_ALL, kee);
    jk__line_breaks(cps, n, JK_WORD_BREAK_AUTO, aut);
    check_flags(cps, n, JK_WORD_BREAK_NORMAL, nor);
    check_flags(cps, n, JK_WORD_BREAK_KEEP_ALL, kee);
    check_flags(cps, n, JK_WORD_BREAK_AUTO, aut);
    for (size_t k = 0; k < n; k++) {
        bool a_allowed = (aut[k] & JK__BRK_ALLOWED) != 0;
        bool a_keep = a_allowed && !(aut[k] & JK__BRK_SYLLABLE);
        FZ_CHECK(a_allowed == ((nor[k] & JK__BRK_ALLOWED) != 0) &&
                     a_keep == ((kee[k] & JK__BRK_ALLOWED) != 0) &&
                     (aut[k] & ~JK__BRK_SYLLABLE) ==
                         (nor[k] & ~JK__BRK_SYLLABLE),
                 "modes disagree at %zu: auto %#x normal %#x keep-all %#x",
                 k, aut[k], nor[k], kee[k]);
    }

    /* Cut after a mandatory break (the cut-th one, cyclically): both
     * pieces break alone as they did together. */
    size_t hard[64], nh = 0;
    for (size_t k = 0; k + 1 < n && nh < 64; k++)
        if (aut[k] & JK__BRK_MANDATORY)
            hard[nh++] = k;
    if (nh) {
        size_t k = hard[cut % nh];
        jk_word_break mode = (jk_word_break)(opt >> 1) % 3;
        const uint8_t *full = mode == JK_WORD_BREAK_NORMAL     ? nor
                              : mode == JK_WORD_BREAK_KEEP_ALL ? kee
                                                               : aut;
        jk__line_breaks(cps, k + 1, mode, part);
        for (size_t i = 0; i <= k; i++)
            FZ_CHECK(part[i] == full[i],
                     "mode %d, text cut after %zu: %#x alone, %#x in full "
                     "at %zu", (int)mode, k, part[i], full[i], i);
        jk__line_breaks(cps + k + 1, n - k - 1, mode, part);
        for (size_t i = k + 1; i < n; i++)
            FZ_CHECK(part[i - k - 1] == full[i],
                     "mode %d, text cut after %zu: %#x alone, %#x in full "
                     "at %zu", (int)mode, k, part[i - k - 1], full[i], i);
    }

    /* Hyphenation points. */
    FZ_CHECK(jk__hyphenate(g_hyph, cps, n, nor) == JK_OK, "hyphenate");
    for (size_t i = 0; i < n; i++) {
        uint8_t f = nor[i];
        FZ_CHECK((f & ~(JK__HYPH_PATTERN | JK__HYPH_SOFT)) == 0 &&
                     f != (JK__HYPH_PATTERN | JK__HYPH_SOFT),
                 "hyphen flags %#x at %zu", f, i);
        FZ_CHECK(!(f & JK__HYPH_SOFT) || (cps[i] == 0xAD && i + 1 < n),
                 "soft hyphen point on U+%04X at %zu", cps[i], i);
        FZ_CHECK(!(f & JK__HYPH_PATTERN) ||
                     (is_latin_letter(cps[i]) && i + 1 < n &&
                      is_latin_letter(cps[i + 1])),
                 "pattern point after U+%04X at %zu", cps[i], i);
    }
    size_t ends[64], ne = 0;
    for (size_t k = 0; k < n && ne < 64; k++)
        if (is_token_end(cps[k]))
            ends[ne++] = k;
    if (ne) {
        size_t k = ends[cut % ne];
        FZ_CHECK(jk__hyphenate(g_hyph, cps, k, part) == JK_OK, "hyphenate");
        FZ_CHECK(jk__hyphenate(g_hyph, cps + k, n - k, part + k) == JK_OK,
                 "hyphenate");
        for (size_t i = 0; i < n; i++)
            FZ_CHECK(part[i] == nor[i],
                     "hyphenation cut at %zu: %#x in pieces, %#x whole at %zu",
                     k, part[i], nor[i], i);
    }
    return 0;
}

#ifndef JK_FUZZER
#include "fuzz-replay.h"

int main(int argc, char **argv)
{
    int rc = fuzz_replay("fuzz-linebreak", argc, argv);
    jk__hyphenator_destroy(g_ctx, g_hyph);
    jk_context_destroy(g_ctx);
    return rc;
}
#endif
