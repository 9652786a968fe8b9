/* linebreak.c - line break opportunities and grapheme boundaries.
 *
 * UAX #14 rules LB2..LB31 of Unicode 15.0.0 (revision 49) with the number
 * tailoring of section 8.2 example 7 (the form LineBreakTest.txt checks),
 * implemented as one left-to-right pass with a little state instead of a
 * pair table:
 *
 *   - a "unit" is a base character plus the CM/ZWJ characters that LB9
 *     attaches to it; rules look at the class of the unit (L) on the left
 *     of a position and the class of the next character (R) on the right;
 *   - for the "X SP* ..." rules (LB8, LB14..LB17) the class of the unit
 *     before the current run of spaces is remembered;
 *   - the LB25 regular expressions are tracked by a three-state machine
 *     (none / inside NU (NU|SY|IS)* / after the closing CL|CP);
 *   - LB30a counts the regional indicators of the current run.
 * The only look-ahead is LB25 "(PR|PO) x (OP|HY) NU", which skips the
 * marks attached to the OP/HY; every mark run is skipped at most once, so
 * the whole pass is O(n).
 *
 * Tailorings on top of UAX #14 (all modes, including NORMAL):
 *   KLREQ (Requirements for Hangul Text Layout) says a line must not start
 *   with closing punctuation or middle dots.  UAX #14 already prevents
 *   that for CL, CP, EX, IS, SY, NS and QU when they follow a letter.
 *   It does not for
 *     (a) U+00B7 MIDDLE DOT (AI -> AL) and U+318D HANGUL LETTER ARAEA
 *         (ID; used as an interpunct in Korean) after a letter, e.g.
 *         "텍스트·이미지": LB31 would allow a break before the dot;
 *     (b) any of these after a space (LB18), e.g. "가나 ·다라".
 *   So: no break before U+00B7 or U+318D where LB31 would give one; and
 *   after spaces no break before U+00B7, U+318D, U+30FB KATAKANA MIDDLE
 *   DOT, U+203C, U+2047, nor, when the text before the spaces is Hangul
 *   or CJK, before the closing quotes U+2019 and U+201D (outside CJK
 *   context they stay breakable: "the ’90s").  None of these sequences
 *   occurs in LineBreakTest.txt.
 *
 * word-break (CSS Text 3):
 *   KEEP_ALL suppresses break opportunities between two "letter units":
 *   units of class AL (incl. resolved AI/XX/SA), HL, NU, ID, EB, EM, the
 *   Hangul classes H2, H3, JL, JV, JT, and CJ (small kana, letters).  The
 *   KLREQ interpuncts U+00B7 and U+318D are not letter units, so a line
 *   may still break after them ("텍스트·|이미지").  Opportunities given by
 *   spaces, hyphens, punctuation etc. remain, except that brackets inside
 *   a word do not split it either ("인공지능(AI)입니다": none before "(",
 *   none after ")" when a letter unit follows).  AUTO keeps each suppressed
 *   opportunity as JK__BRK_ALLOWED | JK__BRK_SYLLABLE.  NORMAL is plain
 *   UAX #14 (plus the KLREQ tailorings above).
 *
 * Grapheme clusters: UAX #29 extended grapheme clusters, Unicode 15.0.0
 * (GB3..GB13 and GB999; GB9c only exists from 15.1).
 */
#include "linebreak.h"

#include <stdbool.h>

#include "unicode_tables.h"

#define BIT(c) (1ul << (c))

/* Classes after which LB9 does not attach CM/ZWJ. */
#define NO_ATTACH (BIT(JK__LB_BK) | BIT(JK__LB_CR) | BIT(JK__LB_LF) | \
                   BIT(JK__LB_NL) | BIT(JK__LB_SP) | BIT(JK__LB_ZW))
#define KEEPALL_UNITS (BIT(JK__LB_AL) | BIT(JK__LB_HL) | BIT(JK__LB_NU) | \
                       BIT(JK__LB_ID) | BIT(JK__LB_EB) | BIT(JK__LB_EM) | \
                       BIT(JK__LB_H2) | BIT(JK__LB_H3) | BIT(JK__LB_JL) | \
                       BIT(JK__LB_JV) | BIT(JK__LB_JT) | BIT(JK__LB_CJ))
#define CJK_CONTEXT (BIT(JK__LB_ID) | BIT(JK__LB_H2) | BIT(JK__LB_H3) | \
                     BIT(JK__LB_JL) | BIT(JK__LB_JV) | BIT(JK__LB_JT) | \
                     BIT(JK__LB_CJ))
#define HAS(set, c) (((set) & BIT(c)) != 0)

enum { NUM_NONE, NUM_IN, NUM_CLOSED };

int jk__lb_class(uint32_t cp)
{
    int c = JK__UP_LB(jk__uprops(cp));
    return c == JK__LB_CJ ? JK__LB_NS : c;
}

int jk__is_nonstarter(uint32_t cp)
{
    return (jk__uprops(cp) & JK__UP_NONSTARTER) != 0;
}

int jk__is_hangul_or_han(uint32_t cp)
{
    return (jk__uprops(cp) & JK__UP_HANGUL_HAN) != 0;
}

static int is_interpunct(uint32_t cp)
{
    return cp == 0x00B7u || cp == 0x318Du;
}

/* KLREQ: never at the start of a line, even after a space. */
static int no_start_after_space(uint32_t cp)
{
    return cp == 0x00B7u || cp == 0x318Du || cp == 0x30FBu ||
           cp == 0x203Cu || cp == 0x2047u;
}

static int is_closing_quote(uint32_t cp)
{
    return cp == 0x2019u || cp == 0x201Du;
}

/* Class (CJ resolved to NS) of the first character after cps[j] that is not
 * a CM or ZWJ, or -1 at the end of the text. */
static int next_base_class(const uint32_t *cps, size_t n, size_t j)
{
    for (j++; j < n; j++) {
        int c = JK__UP_LB(jk__uprops(cps[j]));
        if (c != JK__LB_CM && c != JK__LB_ZWJ)
            return c == JK__LB_CJ ? JK__LB_NS : c;
    }
    return -1;
}

/* State describing the text up to and including cps[i]. */
struct lb_unit {
    int raw;          /* resolved class of cps[i] itself */
    int cls;          /* class of the unit (LB9/LB10 applied) */
    int prev_cls;     /* class of the unit before it (LB21a) */
    int sp_before;    /* class of the unit before the current SP run */
    int sp_before_cjk;
    int num;          /* LB25 state */
    size_t ri;        /* regional indicators in the current run */
    unsigned ka : 1;  /* unit is a keep-all letter unit */
    unsigned cjk : 1; /* unit is Hangul / CJK (KLREQ context) */
    unsigned wide : 1;/* OP/CP unit is East Asian F/W/H (LB30) */
    unsigned epcn : 1;/* unit base is Extended_Pictographic & Cn (LB30b) */
};

/* Start a new unit with character cp (table class tcls, property word w). */
static void start_unit(struct lb_unit *u, uint32_t cp, int tcls, uint16_t w,
                       int first)
{
    int cls = tcls == JK__LB_CJ ? JK__LB_NS : tcls;
    int raw = cls;
    if (cls == JK__LB_CM || cls == JK__LB_ZWJ) {
        cls = JK__LB_AL; /* LB10 */
        tcls = JK__LB_AL;
        w = 0;
    }
    if (first) {
        u->prev_cls = -1;
        u->sp_before = -1;
        u->sp_before_cjk = 0;
        u->num = NUM_NONE;
        u->ri = 0;
    } else {
        u->prev_cls = u->cls;
        if (cls == JK__LB_SP && u->cls != JK__LB_SP) {
            u->sp_before = u->cls;
            u->sp_before_cjk = u->cjk;
        }
    }
    if (cls == JK__LB_NU)
        u->num = NUM_IN;
    else if ((cls == JK__LB_SY || cls == JK__LB_IS) && u->num == NUM_IN)
        u->num = NUM_IN;
    else if ((cls == JK__LB_CL || cls == JK__LB_CP) && u->num == NUM_IN)
        u->num = NUM_CLOSED;
    else
        u->num = NUM_NONE;
    if (cls == JK__LB_RI)
        u->ri = (!first && u->cls == JK__LB_RI) ? u->ri + 1 : 1;
    else
        u->ri = 0;
    u->raw = raw;
    u->cls = cls;
    u->ka = HAS(KEEPALL_UNITS, tcls) && !is_interpunct(cp);
    u->cjk = HAS(CJK_CONTEXT, tcls) || (w & JK__UP_HANGUL_HAN) != 0;
    u->wide = (w & JK__UP_EA_WIDE) != 0;
    u->epcn = (w & JK__UP_EXTPICT_CN) != 0;
}

/* Decide the UAX #14 (+ tailorings, + word-break) status of the position
 * between the unit described by u (ending at cps[i]) and cps[i+1]. */
static uint8_t decide(const struct lb_unit *u, const uint32_t *cps, size_t n,
                      size_t i, int tcls, uint16_t w, jk_word_break mode)
{
    const uint8_t brk = JK__BRK_ALLOWED;
    const uint8_t must = JK__BRK_ALLOWED | JK__BRK_MANDATORY;
    const uint32_t cp = cps[i + 1];
    int b = tcls == JK__LB_CJ ? JK__LB_NS : tcls;
    int L = u->cls, R;

    /* LB4, LB5 */
    if (u->raw == JK__LB_BK)
        return must;
    if (u->raw == JK__LB_CR)
        return b == JK__LB_LF ? 0 : must;
    if (u->raw == JK__LB_LF || u->raw == JK__LB_NL)
        return must;
    /* LB6 */
    if (b == JK__LB_BK || b == JK__LB_CR || b == JK__LB_LF || b == JK__LB_NL)
        return 0;
    /* LB7 */
    if (b == JK__LB_SP || b == JK__LB_ZW)
        return 0;
    /* LB8: ZW SP* ÷ */
    if (L == JK__LB_ZW || (L == JK__LB_SP && u->sp_before == JK__LB_ZW))
        return brk;
    /* LB8a */
    if (u->raw == JK__LB_ZWJ)
        return 0;
    /* LB9, LB10 */
    if (b == JK__LB_CM || b == JK__LB_ZWJ) {
        if (!HAS(NO_ATTACH, u->raw))
            return 0;
        R = JK__LB_AL;
        tcls = JK__LB_AL;
        w = 0;
    } else {
        R = b;
    }
    /* LB11 */
    if (L == JK__LB_WJ || R == JK__LB_WJ)
        return 0;
    /* LB12, LB12a */
    if (L == JK__LB_GL)
        return 0;
    if (R == JK__LB_GL && L != JK__LB_SP && L != JK__LB_BA && L != JK__LB_HY)
        return 0;
    /* LB13 (with the example 7 tailoring NU is excluded, but LB25 then
     * gives the same result for every class in this list) */
    if (R == JK__LB_CL || R == JK__LB_CP || R == JK__LB_EX || R == JK__LB_IS ||
        R == JK__LB_SY)
        return 0;
    /* LB14: OP SP* × */
    if (L == JK__LB_OP || (L == JK__LB_SP && u->sp_before == JK__LB_OP))
        return 0;
    /* LB15: QU SP* × OP */
    if (R == JK__LB_OP &&
        (L == JK__LB_QU || (L == JK__LB_SP && u->sp_before == JK__LB_QU)))
        return 0;
    /* LB16: (CL | CP) SP* × NS */
    if (R == JK__LB_NS &&
        (L == JK__LB_CL || L == JK__LB_CP ||
         (L == JK__LB_SP &&
          (u->sp_before == JK__LB_CL || u->sp_before == JK__LB_CP))))
        return 0;
    /* LB17: B2 SP* × B2 */
    if (R == JK__LB_B2 &&
        (L == JK__LB_B2 || (L == JK__LB_SP && u->sp_before == JK__LB_B2)))
        return 0;
    /* LB18, with the KLREQ tailoring (b) */
    if (L == JK__LB_SP) {
        if (R == b && (no_start_after_space(cp) ||
                       (is_closing_quote(cp) && u->sp_before_cjk)))
            return 0;
        return brk;
    }
    /* LB19 */
    if (L == JK__LB_QU || R == JK__LB_QU)
        return 0;
    /* LB20 */
    if (L == JK__LB_CB || R == JK__LB_CB)
        return brk;
    /* LB21 */
    if (R == JK__LB_BA || R == JK__LB_HY || R == JK__LB_NS || L == JK__LB_BB)
        return 0;
    /* LB21a */
    if ((L == JK__LB_HY || L == JK__LB_BA) && u->prev_cls == JK__LB_HL)
        return 0;
    /* LB21b */
    if (L == JK__LB_SY && R == JK__LB_HL)
        return 0;
    /* LB22 */
    if (R == JK__LB_IN)
        return 0;
    /* LB23 */
    if ((L == JK__LB_AL || L == JK__LB_HL) && R == JK__LB_NU)
        return 0;
    if (L == JK__LB_NU && (R == JK__LB_AL || R == JK__LB_HL))
        return 0;
    /* LB23a */
    if (L == JK__LB_PR && (R == JK__LB_ID || R == JK__LB_EB || R == JK__LB_EM))
        return 0;
    if ((L == JK__LB_ID || L == JK__LB_EB || L == JK__LB_EM) && R == JK__LB_PO)
        return 0;
    /* LB24 */
    if ((L == JK__LB_PR || L == JK__LB_PO) && (R == JK__LB_AL || R == JK__LB_HL))
        return 0;
    if ((L == JK__LB_AL || L == JK__LB_HL) && (R == JK__LB_PR || R == JK__LB_PO))
        return 0;
    /* LB25 (example 7 form) */
    if (L == JK__LB_PR || L == JK__LB_PO) {
        if (R == JK__LB_NU)
            return 0;
        if ((R == JK__LB_OP || R == JK__LB_HY) &&
            next_base_class(cps, n, i + 1) == JK__LB_NU)
            return 0;
    }
    if ((L == JK__LB_OP || L == JK__LB_HY) && R == JK__LB_NU)
        return 0;
    if (u->num == NUM_IN &&
        (R == JK__LB_NU || R == JK__LB_SY || R == JK__LB_IS || R == JK__LB_CL ||
         R == JK__LB_CP))
        return 0;
    if (u->num != NUM_NONE && (R == JK__LB_PO || R == JK__LB_PR))
        return 0;
    /* LB26 */
    if (L == JK__LB_JL && (R == JK__LB_JL || R == JK__LB_JV || R == JK__LB_H2 ||
                          R == JK__LB_H3))
        return 0;
    if ((L == JK__LB_JV || L == JK__LB_H2) && (R == JK__LB_JV || R == JK__LB_JT))
        return 0;
    if ((L == JK__LB_JT || L == JK__LB_H3) && R == JK__LB_JT)
        return 0;
    /* LB27 */
    if ((L == JK__LB_JL || L == JK__LB_JV || L == JK__LB_JT || L == JK__LB_H2 ||
         L == JK__LB_H3) && R == JK__LB_PO)
        return 0;
    if (L == JK__LB_PR && (R == JK__LB_JL || R == JK__LB_JV || R == JK__LB_JT ||
                          R == JK__LB_H2 || R == JK__LB_H3))
        return 0;
    /* LB28 */
    if ((L == JK__LB_AL || L == JK__LB_HL) && (R == JK__LB_AL || R == JK__LB_HL))
        return 0;
    /* LB29 */
    if (L == JK__LB_IS && (R == JK__LB_AL || R == JK__LB_HL))
        return 0;
    /* LB30 */
    if ((L == JK__LB_AL || L == JK__LB_HL || L == JK__LB_NU) && R == JK__LB_OP &&
        !(w & JK__UP_EA_WIDE))
        return 0;
    if (L == JK__LB_CP && !u->wide &&
        (R == JK__LB_AL || R == JK__LB_HL || R == JK__LB_NU))
        return 0;
    /* LB30a */
    if (L == JK__LB_RI && R == JK__LB_RI && (u->ri & 1u))
        return 0;
    /* LB30b */
    if (R == JK__LB_EM && (L == JK__LB_EB || u->epcn))
        return 0;
    /* KLREQ tailoring (a): no line starts with an interpunct */
    if (R == b && is_interpunct(cp))
        return 0;
    /* word-break: keep-all. Brackets written inside a word keep it whole
     * too: "인공지능(AI)입니다" is one 어절, with no break before "(" or
     * after ")" (UAX #14 gives both next to Hangul, CSS keep-all keeps
     * them; Korean typesetting does not); so does a unit and the particle
     * after it, "269℃에서", "50%에서" (UAX #14 keeps a number with its
     * unit, LB25, but breaks after a postfix before Hangul). */
    bool letter_right = HAS(KEEPALL_UNITS, tcls) && !is_interpunct(cp);
    bool inside_word = (u->ka && (letter_right || R == JK__LB_OP)) ||
                       ((L == JK__LB_CP || L == JK__LB_CL ||
                         L == JK__LB_PO) &&
                        letter_right);
    if (mode != JK_WORD_BREAK_NORMAL && inside_word) {
        if (mode == JK_WORD_BREAK_KEEP_ALL)
            return 0;
        return JK__BRK_ALLOWED | JK__BRK_SYLLABLE;
    }
    /* LB31 */
    return brk;
}

void jk__line_breaks(const uint32_t *cps, size_t n, jk_word_break mode,
                     uint8_t *out)
{
    struct lb_unit u;
    uint16_t w, nw;
    int tcls, ntcls;
    /* grapheme state */
    int g, ng;
    int ep;      /* 0 none, 1 ExtPict Extend*, 2 ExtPict Extend* ZWJ */
    size_t gri;  /* consecutive RI characters */
    size_t i;

    if (n == 0 || cps == NULL || out == NULL)
        return;
    if (mode != JK_WORD_BREAK_KEEP_ALL && mode != JK_WORD_BREAK_NORMAL)
        mode = JK_WORD_BREAK_AUTO;

    w = jk__uprops(cps[0]);
    tcls = JK__UP_LB(w);
    start_unit(&u, cps[0], tcls, w, 1);
    g = JK__UP_GCB(w);
    ep = (w & JK__UP_EXTPICT) ? 1 : 0;
    gri = g == JK__GCB_RI ? 1 : 0;

    for (i = 0; i + 1 < n; i++) {
        uint8_t f;
        int gbreak;

        nw = jk__uprops(cps[i + 1]);
        ntcls = JK__UP_LB(nw);
        ng = JK__UP_GCB(nw);

        f = decide(&u, cps, n, i, ntcls, nw, mode);

        /* UAX #29 */
        if (g == JK__GCB_CR && ng == JK__GCB_LF)
            gbreak = 0;                                     /* GB3 */
        else if (g == JK__GCB_CONTROL || g == JK__GCB_CR || g == JK__GCB_LF)
            gbreak = 1;                                     /* GB4 */
        else if (ng == JK__GCB_CONTROL || ng == JK__GCB_CR || ng == JK__GCB_LF)
            gbreak = 1;                                     /* GB5 */
        else if (g == JK__GCB_L && (ng == JK__GCB_L || ng == JK__GCB_V ||
                                   ng == JK__GCB_LV || ng == JK__GCB_LVT))
            gbreak = 0;                                     /* GB6 */
        else if ((g == JK__GCB_LV || g == JK__GCB_V) &&
                 (ng == JK__GCB_V || ng == JK__GCB_T))
            gbreak = 0;                                     /* GB7 */
        else if ((g == JK__GCB_LVT || g == JK__GCB_T) && ng == JK__GCB_T)
            gbreak = 0;                                     /* GB8 */
        else if (ng == JK__GCB_EXTEND || ng == JK__GCB_ZWJ)
            gbreak = 0;                                     /* GB9 */
        else if (ng == JK__GCB_SPACINGMARK)
            gbreak = 0;                                     /* GB9a */
        else if (g == JK__GCB_PREPEND)
            gbreak = 0;                                     /* GB9b */
        else if (g == JK__GCB_ZWJ && ep == 2 && (nw & JK__UP_EXTPICT))
            gbreak = 0;                                     /* GB11 */
        else if (g == JK__GCB_RI && ng == JK__GCB_RI && (gri & 1u))
            gbreak = 0;                                     /* GB12, GB13 */
        else
            gbreak = 1;                                     /* GB999 */
        if (gbreak)
            f |= JK__BRK_GRAPHEME;
        if (u.raw == JK__LB_SP || u.raw == JK__LB_ZW || cps[i] == 0x3000u)
            f |= JK__BRK_SPACE;
        out[i] = f;

        /* advance the line-break state */
        if ((ntcls == JK__LB_CM || ntcls == JK__LB_ZWJ) &&
            !HAS(NO_ATTACH, u.raw)) {
            u.raw = ntcls; /* LB9: attach to the current unit */
        } else {
            start_unit(&u, cps[i + 1], ntcls, nw, 0);
        }
        /* advance the grapheme state */
        if (nw & JK__UP_EXTPICT)
            ep = 1;
        else if (ng == JK__GCB_EXTEND && ep == 1)
            ep = 1;
        else if (ng == JK__GCB_ZWJ && ep == 1)
            ep = 2;
        else
            ep = 0;
        gri = ng == JK__GCB_RI ? gri + 1 : 0;
        g = ng;
    }

    out[n - 1] = JK__BRK_ALLOWED | JK__BRK_MANDATORY | JK__BRK_GRAPHEME;
    if (u.raw == JK__LB_SP || u.raw == JK__LB_ZW || cps[n - 1] == 0x3000u)
        out[n - 1] |= JK__BRK_SPACE;
}
