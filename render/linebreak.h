/* linebreak.h - line break opportunities for jikji (private to the library).
 *
 * UAX #14 (Unicode 15.0.0, with the number tailoring of UAX #14 section 8.2
 * example 7, as used by LineBreakTest.txt), CSS Text 3 word-break:keep-all
 * for Korean, a few KLREQ tailorings, and UAX #29 extended grapheme cluster
 * boundaries.  No allocation, no global state, O(n).
 */
#ifndef JK__LINEBREAK_H
#define JK__LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

#include "jikji.h"          /* jk_word_break */
#include "unicode_tables.h" /* enum jk__lb (JK__LB_*) */

/* Flags in out[i]; they describe the position AFTER cps[i]. */
#define JK__BRK_ALLOWED    0x01u /* a line may break here */
#define JK__BRK_MANDATORY  0x02u /* a line must break here (BK, CR, LF, NL; end of text);
                                   always set together with JK__BRK_ALLOWED */
#define JK__BRK_SYLLABLE   0x04u /* AUTO only: break that keep-all suppresses
                                   (between Hangul/ideographic/letter units);
                                   allowed but costly; set with JK__BRK_ALLOWED */
#define JK__BRK_GRAPHEME   0x08u /* extended grapheme cluster boundary (UAX #29) */
#define JK__BRK_SPACE      0x10u /* cps[i] is a space: class SP, ZW (U+200B) or
                                   U+3000 IDEOGRAPHIC SPACE */

/* Fill out[0..n-1].  cps may hold any uint32_t values (surrogates and values
 * above 0x10FFFF are treated as unassigned, i.e. AL).  n may be 0 (nothing is
 * written; cps and out may then be NULL).  Unknown mode values behave as
 * JK_WORD_BREAK_AUTO. */
void jk__line_breaks(const uint32_t *cps, size_t n, jk_word_break mode,
                     uint8_t *out);

/* Resolved UAX #14 class (enum jk__lb, after LB1: never AI, SG, XX, SA
 * or CJ).  CM and ZWJ are returned as such (LB9/LB10 are contextual). */
int jk__lb_class(uint32_t cp);

/* Canonical_Combining_Class != 0 (for UAX #15 stream-safe counting). */
int jk__is_nonstarter(uint32_t cp);

/* Hangul syllables, jamo and compatibility/halfwidth Hangul letters, CJK
 * unified and compatibility ideographs. */
int jk__is_hangul_or_han(uint32_t cp);

#endif
