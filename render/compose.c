/* Composition: break each block into lines at a size and width.
 *
 * Both breakers read the block's items (items.c) as a list of candidate
 * breaks, each with its cost under the settings:
 *  - optimal: total-fit (Knuth & Plass 1981, as in TeX): badness, demerits,
 *    fitness classes, double- and final-hyphen demerits; a first pass at
 *    `tolerance`, a second at `loose_tolerance`, and an emergency pass that
 *    accepts any line and, when nothing fits at all, an overfull one, so it
 *    always returns. Past ratio 1 the second and emergency passes also
 *    weigh how wide a line's blanks open in em (wide_demerits), which a
 *    ratio over spaces and syllable gaps together hides. The line width
 *    is the same for every line, so one active node per (start geometry,
 *    fitness class, hyphen) suffices:
 *    nodes that start at the same pen position with the same glue behind
 *    them (zero-width candidates in a row) are merged, keeping the
 *    cheapest, and a node is dropped once the text after it no longer fits
 *    a line: time is linear in the paragraph.
 *  - greedy: first fit, the last candidate that fits each line.
 * Last-resort candidates (after / ? & - _ . @ first, then any grapheme
 * boundary, never beside a space) are added inside a box wider than the
 * line, so no line extends past the box unless one grapheme alone is
 * wider than it; the punctuation ones also where the text between two
 * spaces is wider than the line (an address inside Korean words).
 *
 * Justified lines stretch in stages (KLREQ's order, stretch_stages):
 * spaces first, then the gaps between the syllables of Korean words
 * (JK__JUST_GAP), each to a cap before the other grows further; spaces
 * between Korean words stretch less than those beside Latin (the
 * syllables' side bearings already widen them). The adjustment ratio the
 * breaker weighs is the slack over the whole stretch at ratio 1 (spaces
 * and gaps together). Tight lines shrink spaces, squeeze the blank
 * halves of full-width punctuation and close the syllable gaps a little
 * (kGapShrink).
 *
 * Ragged lines (titles, headings, captions, bylines, and everything with
 * JK_ALIGN_LEFT) are set as TeX sets ragged-right: the spaces keep their
 * width and a glue at the right of each line stretches by
 * `ragged_stretch`, so an underfull line has a finite badness and the
 * costs of breaks still count. Titles, headings, captions and bylines of
 * two or more lines are then balanced: set at the narrowest measure that
 * keeps their number of lines.
 *
 * Several layouts of one document can be composed together, block by
 * block (page counts at a slider's sizes): a block's glue sums and
 * candidates are found once, with last resorts for the narrowest of the
 * measures, which the wider ones pass over. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "linebreak.h"
#include "memory.h"
#include "utf8.h"

typedef struct cand {
    uint32_t pos;     /* the break comes before this code point */
    uint32_t end;     /* the line before it ends here (spaces trimmed) */
    uint32_t next;    /* the next line starts here */
    uint8_t kind;     /* JK_PEN_*, or 0xFF for a glue break */
    bool flagged;     /* a hyphen is added */
    double penalty;   /* cost; -INFINITY forces the break */
    double demerits;  /* what the break adds to a line's: its penalty
                         squared, less when negative, none when forced
                         (add_cand) */
    double width;     /* added at the line end (a hyphen), em */
    double hang;      /* may hang into the margin (punctuation), em */
    double piece;     /* a last resort: a measure at least this wide, em,
                         does without it (add_last_resort). 0 otherwise */
    /* For total fit's quick test (loose_of), at the ratio work.reach_ratio
     * and whatever the measure: */
    double reach;     /* of the line before it (reach_of) */
    double ahead;     /* of the line after it (ahead_of) */
    double firm_end;  /* of the line before it (firm_end) */
} cand;

typedef struct node {
    uint32_t cand;    /* index of the break (UINT32_MAX: paragraph start) */
    uint32_t start;   /* code point the line after it starts with */
    int32_t prev;     /* node of the break before it */
    uint8_t fitness;
    bool flagged;
    double demerits;
} node;

/* An active node as total fit's loop reads it: the node's index, the
 * fields of it every candidate tests, kept in the list itself so that no
 * test waits on loading the node first, and its quick tests' bounds. */
typedef struct act {
    uint32_t start;
    int32_t node;
    uint8_t fitness;
    bool flagged;
    double demerits;
    double loose;     /* a line from here is too loose when this exceeds
                         the line end's reach by kLooseEps (reach_of) */
    double firm;      /* ... and too tight when it falls short of the
                         end's firm_end by kLooseEps (firm_of) */
} act;

/* Scratch shared by the blocks of one composition. */
typedef struct work {
    jk_context *ctx;
    cand *cands;
    size_t cand_count, cand_cap;
    /* n + 1 prefix sums each, in one allocation: natural width of the
     * stretchable spaces between Korean words and of those beside Latin
     * letters or digits (em), number of syllable gaps, shrink of spaces
     * and punctuation blanks (em), number of stretchable spaces, number
     * of Latin letters that may open (JK__JUST_LETTER). */
    double *sums, *ko, *latin, *gaps, *shrink, *spaces, *letters;
    size_t sum_cap;
    node *nodes;
    size_t node_count, node_cap;
    act *active;     /* active nodes, in the order of their starts, from
                        active_first to active_count: those dropped at
                        the front are passed over, not moved */
    size_t active_first, active_count, active_cap;
    double width;   /* the measure, em */
    double full;    /* the block's measure at this layout, em: width
                       before balancing narrows it. Last resorts are
                       those it needs (is_used), so that a balanced block
                       has the same ones alone and composed together */
    double indent;  /* the block's first line is this much shorter, em */
    double gap_cap; /* em a syllable gap opens at ratio 1 */
    double max_trim; /* the widest blank an opening bracket at a line's
                        start takes out, em (glue_sums) */
    double inset;    /* pixels the block's lines start right of the left
                        margin (quotes, lists, placeholders) */
    double ko_stretch;    /* share a space grows by at ratio 1: between
                             Korean words */
    double latin_stretch; /* beside Latin letters or digits */
    double ragged;  /* right-side stretch of a ragged line, em; 0: the
                       block is justified */
    double ragged_stretch; /* the settings' ragged stretch, em */
    double widest;  /* widest text between two candidates, em */
    double widest_space, narrowest_space; /* stretchable ones, em
                                             (glue_sums) */
    double reach_ratio; /* the ratio of the candidates' reach and ahead;
                           NAN until total fit sets them */
    double ratio_tol, ratio; /* ratio_at: the last tolerance asked, and
                                its ratio */
    bool balance;   /* the last line counts too (balancing a heading) */
    bool splits;    /* words may break between syllables (not keep-all):
                       total fit weighs blanks opened wide (total_fit) */
} work;

/* A line [start, c) measured: what its glue can give. */
typedef struct fit {
    double natural;    /* em: trims and hang taken out, hyphen added */
    double ko;         /* natural width of its stretchable spaces between
                          Korean words, em */
    double latin;      /* ... and of those beside Latin letters, digits */
    double gaps;       /* syllable gaps that may open */
    double spaces;     /* stretchable spaces */
    double shrink;     /* em */
    double trim_start; /* blank of an opening bracket at its start, em */
} fit;

static const double kInfBad = 10000;
/* Demerits the emergency pass adds to an underfull line with nothing to
 * stretch (set ragged amid justified lines), times the cube of the share
 * of the measure it leaves empty: a word alone on a line ("Cold" above
 * "weather is a well-known", 84% empty) then costs about what a line at
 * ratio 6 does, so lines that loose hold it instead; a fuller one (a URL
 * on half a line) costs little more than before. Lines that end inside a
 * URL (after its punctuation, at a last resort) have none: there nothing
 * but such lines is possible, and slack and penalties decide as before. */
static const double kRaggedDemerits = 1e9;
/* Demerits of a ragged line, not its block's last, shorter than
 * kShortShare of the measure when the text up to the next break would
 * have fitted on it: more than any ragged line's badness (an empty
 * 14-em line costs about 1e6), so `공동연구팀,` does not stand alone
 * where `공동연구팀, 영하` fits, only because the lines after it come out
 * more even. A line that short is what a reader sees as a hole in a
 * heading's shape. */
static const double kShortLine = 1e7;
static const double kShortShare = 0.6;
/* Demerits of an overfull line: worse than any loose one. */
static const double kOverfull = 1e40;
/* Active nodes looked at for a twin (same start geometry) before a new one
 * is added: zero-width candidates in a row are next to each other. */
enum { TWIN_SCAN = 16 };
/* The share of its width a space grows by before the syllable gaps open
 * past 1.5 times their cap (230%: a word gap, with the letters' side
 * bearings, of under an em), and the em a gap opens for each share a space
 * grows by after that (a third of what a 0.3 em space does). */
static const double kWidestSpace = 1.3;
static const double kLateGap = 0.1;
/* Past 270% (with the letters' side bearings, a word gap of about an
 * em) spaces grow no more while there are gaps to take the slack. */
static const double kMaxSpace = 1.7;
/* A word gap's advance at kMaxSpace (0.3 em times 270%), em: past it a
 * blank reads as a hole (widest_open), and a line costs kWideGap
 * demerits for each tenth of an em it opens past that: far more than any
 * line of the second pass costs, as much as a line at ratio 4.6 in the
 * emergency pass. A tenth of an em costs less than a word left alone on
 * a ragged line (kRaggedDemerits: 6e8 for `Cold` above `weather is a
 * well-known`), which is a hole too. */
static const double kWideOpen = 0.81;
static const double kWideGap = 1e8;
/* A line with no more syllable gaps than this leaves them shut when it
 * has two spaces or more (stretch_stages). */
static const double kFewGaps = 1;
/* A line with no syllable gaps to open (English, a Latin run) opens the
 * gaps between its Latin letters by up to this, em, once its spaces are
 * at kMaxSpace, before they grow further: tracking of 3% of an em, which
 * reads as even type, where the spaces alone would leave gaps past an
 * em. */
static const double kLetterCap = 0.03;
/* A tight justified line closes each gap between the syllables of a
 * Korean word by up to this, em, at ratio -1, with its spaces (KLREQ's
 * reduction of inter-character spacing): a line that takes one more
 * word instead of leaving its spaces wide. 0.04 em is a fifth of what a
 * gap may open; Nanum Myeongjo's syllables keep about 0.05 em of blank
 * between them even then. A lone gap beside two spaces stays (kFewGaps,
 * as when lines stretch). */
static const double kGapShrink = 0.04;
/* Past every cap a syllable gap grows to at most this share of the
 * line's average word space before the spaces grow with it. */
static const double kGapToSpace = 0.5;
/* Blocks of more lines than this are not balanced. */
enum { BALANCE_MAX_LINES = 8, BALANCE_STEPS = 12 };

/* Titles, headings, captions and bylines of several lines are balanced
 * (and never hyphenated). */
static bool balanced_kind(jk_block_kind kind)
{
    return kind == JK_BLOCK_TITLE || kind == JK_BLOCK_HEADING ||
           kind == JK_BLOCK_CAPTION || kind == JK_BLOCK_BYLINE;
}

static bool is_hangable(uint32_t cp)
{
    return cp == '.' || cp == ',' || cp == 0x2019 || cp == 0x201D ||
           cp == '"' || cp == '\'' || cp == 0x3001 || cp == 0x3002;
}

static bool last_resort_after(uint32_t cp)
{
    return cp == '/' || cp == '?' || cp == '&' || cp == '-' || cp == '_' ||
           cp == '.' || cp == '@';
}

/* Spaces a line break takes away (at the end of one line and the start of
 * the next). No-break spaces are text: never trimmed. */
static bool is_break_space(uint32_t cp)
{
    return jk__is_space(cp) && cp != 0xA0 && cp != 0x2007 && cp != 0x202F;
}

static size_t trim_end(const jk__block *b, size_t start, size_t end)
{
    while (end > start && is_break_space(b->cps[end - 1]))
        end--;
    return end;
}

/* Inlined, so that c, built field by field, is stored field by field: a
 * copy of it from the stack would read it back wider than it was written
 * and stall (as node_slot says). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline jk_status add_cand(work *w, const cand *c)
{
    if (!jk__grow(w->ctx, (void **)&w->cands, &w->cand_cap,
                  w->cand_count + 1, sizeof *w->cands))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    cand *added = &w->cands[w->cand_count++];
    *added = *c;
    double p = c->penalty;
    added->demerits = p > 0 ? p * p : p > -INFINITY ? -(p * p) : 0;
    return JK_OK;
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Last resorts in [s, e): after a URL's or an address's punctuation when
 * the text between the spaces around it (`group` em) is wider than the
 * measure, as `사무국(press@example.org)으로` is, whose syllables auto mode
 * breaks between so that no piece between two candidates is; at any
 * other grapheme boundary (a number's separator too) only when that piece
 * (`piece` em) is. Each keeps the width it is needed below (cand.piece),
 * so sizes composed together use exactly those each would alone. */
static jk_status add_last_resort(work *w, const jk__block *b, size_t s,
                                 size_t e, double piece, double group,
                                 const jk_breaking *k)
{
    for (size_t i = s; i + 1 < e; i++) {
        bool number = i > 0 && is_digit(b->cps[i - 1]) &&
                      is_digit(b->cps[i + 1]);
        double need = last_resort_after(b->cps[i]) && !number ? group
                                                              : piece;
        if (!(need > w->width))
            continue;
        uint8_t f = b->brk[i];
        if (!jk__cluster_start(b, i + 1) || !(f & JK__BRK_GRAPHEME))
            continue;
        /* Never beside a space: where a space gives no break, UAX #14 or
         * KLREQ forbid one there ("25 kg", "가 ”라고", ") 々"). */
        if (jk__is_space(b->cps[i]) || jk__is_space(b->cps[i + 1]))
            continue;
        cand c = {0};
        c.pos = c.end = c.next = (uint32_t)(i + 1);
        c.kind = JK__PEN_PLAIN;
        c.piece = need;
        /* Costly, but finite: used only when nothing else fits; after
         * punctuation unless that leaves the line about half empty. */
        c.penalty = last_resort_after(b->cps[i]) ? 2 * k->tolerance
                                                 : 20 * k->tolerance;
        jk_status st = add_cand(w, &c);
        if (st != JK_OK)
            return st;
    }
    return JK_OK;
}

/* The prefix sums of the block's glue under the settings. */
static jk_status glue_sums(work *w, const jk__block *b, const jk_breaking *k,
                           bool justify)
{
    size_t len = b->n + 1;
    if (!jk__grow(w->ctx, (void **)&w->sums, &w->sum_cap, 6 * len,
                  sizeof *w->sums))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    w->ko = w->sums;
    w->latin = w->sums + len;
    w->gaps = w->sums + 2 * len;
    w->shrink = w->sums + 3 * len;
    w->spaces = w->sums + 4 * len;
    w->letters = w->sums + 5 * len;
    /* The running sums and bounds in locals: the arrays are written, never
     * read back, so no sum waits on the store of the one before it. */
    double *ko = w->ko, *latin_sum = w->latin, *gaps = w->gaps;
    double *shrink = w->shrink, *spaces = w->spaces, *letters = w->letters;
    double s_ko = 0, s_latin = 0, s_gaps = 0, s_shrink = 0, s_spaces = 0;
    double s_letters = 0, max_trim = 0, widest = 0, narrowest = INFINITY;
    const double space_shrink = k->space_shrink;
    ko[0] = latin_sum[0] = gaps[0] = shrink[0] = spaces[0] = letters[0] = 0;
    for (size_t i = 0; i < b->n; i++) {
        uint8_t just = b->just[i];
        if ((just & JK__JUST_OPEN) && jk__blank_em(b, i) > max_trim)
            max_trim = jk__blank_em(b, i);
        double y = 0, g = 0, z = 0;
        bool latin = (just & JK__JUST_LATIN_SPACE) != 0;
        if (justify) {
            if (jk__is_stretchable(b->cps[i])) {
                y = b->xpos[i + 1] - b->xpos[i];
                z = y * space_shrink;
            } else if (just & (JK__JUST_OPEN | JK__JUST_CLOSE)) {
                z = jk__blank_em(b, i);
            }
            g = (just & JK__JUST_GAP) ? 1 : 0;
        }
        if (y > 0) {
            widest = y > widest ? y : widest;
            narrowest = y < narrowest ? y : narrowest;
        }
        ko[i + 1] = s_ko += latin ? 0 : y;
        latin_sum[i + 1] = s_latin += latin ? y : 0;
        gaps[i + 1] = s_gaps += g;
        shrink[i + 1] = s_shrink += z;
        spaces[i + 1] = s_spaces += y > 0;
        letters[i + 1] = s_letters += (just & JK__JUST_LETTER) != 0;
    }
    w->max_trim = max_trim;
    w->widest_space = widest;
    w->narrowest_space = narrowest;
    return JK_OK;
}

/* The candidate breaks of a block under the settings, with last resorts
 * for any measure down to w->width (a wider one passes over those it
 * does not need: is_used). */
static jk_status collect(work *w, const jk__block *b, const jk_settings *s,
                         bool ragged)
{
    const jk_breaking *k = &s->breaking;
    jk_status st;
    w->cand_count = 0;
    /* Ragged lines never break inside a Korean word in auto mode: nothing
     * there is loose, so a split buys nothing. */
    jk_word_break mode = s->word_break;
    if (ragged && mode == JK_WORD_BREAK_AUTO)
        mode = JK_WORD_BREAK_KEEP_ALL;

    /* Each kind of penalty's cost under the settings, and whether it is a
     * candidate at all (looked up, not switched on, for every one). */
    double cost[8];
    bool takes[8];
    for (int kind = 0; kind < 8; kind++) {
        cost[kind] = k->punct_penalty;
        takes[kind] = true;
    }
    cost[JK__PEN_FORCED] = -INFINITY;
    cost[JK__PEN_WORD] = 0;
    takes[JK__PEN_WORD] = mode == JK_WORD_BREAK_NORMAL;
    cost[JK__PEN_SYLLABLE] = mode == JK_WORD_BREAK_NORMAL ? 0
                                                          : k->syllable_penalty;
    cost[JK__PEN_FRAGMENT] = mode == JK_WORD_BREAK_NORMAL ? 0
                                                          : k->fragment_penalty;
    takes[JK__PEN_SYLLABLE] = takes[JK__PEN_FRAGMENT] =
        mode != JK_WORD_BREAK_KEEP_ALL;
    /* (a heading split "elec-|tric" reads as two words) */
    cost[JK__PEN_HYPHEN] = k->hyphen_penalty;
    takes[JK__PEN_HYPHEN] = s->hyphenate && !(b->flags & JK__BLOCK_PRE) &&
                            !balanced_kind(b->kind);
    const bool hang = s->hang_punctuation;
    const double width = w->width;
    double widest = 0;

    size_t span = 0; /* where the text since the last candidate starts */
    /* The text between the spaces around it, found once a group (so
     * collecting stays linear). */
    size_t group_start = 0, group_end = 0;
    jk__item_iter iter = {0, 0};
    for (bool more = true; more;) {
        cand c = {0};
        jk__item item;
        const jk__item *it = &item;
        more = jk__next_item(b, &iter, &item);
        if (!more) { /* the paragraph's end: forced, ragged */
            c.pos = c.next = (uint32_t)b->n;
            c.end = (uint32_t)trim_end(b, 0, b->n);
            c.penalty = -INFINITY;
            c.kind = JK__PEN_FORCED;
        } else if (item.type == JK__ITEM_GLUE) {
            /* A run of spaces after text breaks after its last space
             * where UAX #14 and our rules allow it ("25 kg" with a no-break
             * space, "( " and " ·" do not). */
            size_t run = it->pos;
            while (run < b->n && jk__is_space(b->cps[run]))
                run++;
            size_t at = run;
            while (at > it->pos && !(b->brk[at - 1] & JK__BRK_ALLOWED))
                at--;
            if (at == it->pos)
                continue; /* no break in this run */
            size_t next = at;
            while (next < b->n && is_break_space(b->cps[next]))
                next++;
            if (next >= b->n)
                continue; /* trailing spaces: the paragraph end */
            c.pos = (uint32_t)at;
            c.end = (uint32_t)trim_end(b, 0, at);
            c.next = (uint32_t)next;
            c.kind = 0xFF;
        } else {
            if (!takes[it->kind & 7])
                continue;
            if (it->kind == JK__PEN_HYPHEN) {
                c.flagged = true;
                c.width = jk__hyphen_at(b, it->pos)->width;
            }
            double p = cost[it->kind & 7];
            c.pos = c.end = c.next = it->pos;
            c.penalty = p;
            c.kind = it->kind;
        }
        if (hang && c.end > 0 && !c.flagged &&
            is_hangable(b->cps[c.end - 1]))
            c.hang = b->xpos[c.end] - b->xpos[c.end - 1];
        /* Text since the last candidate, or between the spaces around
         * it, wider than a line: last-resort candidates inside it first. */
        double piece = c.end > span ? b->xpos[c.end] - b->xpos[span] : 0;
        if (piece > widest)
            widest = piece;
        if (c.end > span && span >= group_end) {
            group_start = span;
            while (group_start > 0 && !jk__is_space(b->cps[group_start - 1]))
                group_start--;
            group_end = c.end;
            while (group_end < b->n && !jk__is_space(b->cps[group_end]))
                group_end++;
        }
        double group = c.end > span ? b->xpos[group_end] - b->xpos[group_start]
                                    : 0;
        if (group < piece) /* the piece holds a space with no break */
            group = piece;
        if (group > width &&
            (st = add_last_resort(w, b, span, c.end, piece, group, k)) !=
                JK_OK)
            return st;
        if ((st = add_cand(w, &c)) != JK_OK)
            return st;
        span = c.next;
    }
    w->widest = widest;
    return JK_OK;
}

/* Whether the breakers look at c at the block's measure: a last resort
 * only inside text wider than it (also while balancing: a narrower trial
 * measure adds none). */
static bool is_used(const work *w, const cand *c)
{
    return !(c->piece > 0) || c->piece > w->full;
}

/* Whether a line's syllable gaps stay shut, stretched or tight: a lone
 * one beside two spaces or more, which would split its word
 * (stretch_stages); the spaces take the slack. */
static bool gaps_stay_shut(const fit *f)
{
    return f->gaps <= kFewGaps && f->spaces >= 2;
}

/* What the line [start, c) holds. Inlined: total fit calls it for every
 * line it weighs. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void measure(const work *w, const jk__block *b, size_t start,
                    const cand *c, fit *f)
{
    size_t e = c->end > start ? c->end : start;
    f->trim_start = 0;
    double trim_end = 0;
    if (e > start && (b->just[start] & JK__JUST_OPEN))
        f->trim_start = jk__blank_em(b, start);
    if (e > start && (b->just[e - 1] & JK__JUST_CLOSE) && c->hang == 0)
        trim_end = jk__blank_em(b, e - 1);
    f->natural = b->xpos[e] - b->xpos[start] + c->width - c->hang -
                 f->trim_start - trim_end;
    f->ko = w->ko[e] - w->ko[start];
    f->latin = w->latin[e] - w->latin[start];
    /* The gap after the line's last character is at the break, not in
     * the line. */
    f->gaps = e > start ? w->gaps[e - 1] - w->gaps[start] : 0;
    f->shrink = w->shrink[e] - w->shrink[start];
    f->spaces = w->spaces[e] - w->spaces[start];
    if (w->ragged == 0) /* trimmed blanks are gone already */
        f->shrink -= f->trim_start + trim_end;
    if (w->ragged == 0 && !gaps_stay_shut(f))
        f->shrink += f->gaps * kGapShrink;
    if (f->shrink < 0)
        f->shrink = 0;
}

/* Slack of a measured line: the measure less its natural width. */
static double slack_of(const work *w, size_t start, const fit *f)
{
    return w->width - (start == 0 ? w->indent : 0) - f->natural;
}

/* What spaces (natural width between Korean words and beside Latin,
 * em) and syllable gaps give at ratio 1, em. */
static double stretch_sum(const work *w, double ko, double latin,
                          double gaps)
{
    return ko * w->ko_stretch + latin * w->latin_stretch + gaps * w->gap_cap;
}

/* Stretch of a measured line at ratio 1, em. */
static double stretch_of(const work *w, const fit *f)
{
    return w->ragged > 0 ? w->ragged
                         : stretch_sum(w, f->ko, f->latin, f->gaps);
}

/* Adjustment ratio of a measured line. A line before a forced break (the
 * last) stretches for free. */
static double line_ratio(const work *w, size_t start, const fit *f,
                         bool last)
{
    double diff = slack_of(w, start, f);
    if (fabs(diff) < 1e-9)
        return 0;
    if (diff > 0) {
        if (last && !w->balance)
            return 0;
        double y = stretch_of(w, f);
        return y > 1e-12 ? diff / y : INFINITY;
    }
    return f->shrink > 1e-12 ? diff / f->shrink : -INFINITY;
}

/* TeX's badness, capped at 10000 ("infinitely bad"). The emergency pass
 * does not cap it: there every line is acceptable, and a line at ratio 3
 * must still cost far less than one at ratio 100. An underfull line with
 * nothing to stretch (a URL, one long word) is set ragged: there it costs
 * 10000 plus what a ragged line that short would, so fuller lines and
 * cheaper breaks still win. */
static double badness(const work *w, double r, double slack, bool capped)
{
    if (isinf(r)) {
        if (capped)
            return kInfBad;
        double q = fabs(slack) / (w->ragged_stretch > 0 ? w->ragged_stretch
                                                        : 1);
        return kInfBad + 100 * q * q * q;
    }
    double b = 100 * fabs(r) * fabs(r) * fabs(r);
    return capped && b > kInfBad ? kInfBad : b;
}

/* Tight (below -0.5), decent (to 0.5), loose (to 1), very loose; by
 * comparisons added, not branches: total fit asks for every line. */
static uint8_t fitness_of(double r)
{
    return (uint8_t)(!(r < -0.5) + !(r <= 0.5) + !(r <= 1));
}

/* The slot the next node is made in, or NULL when memory runs out; the
 * node counts once node_count is raised past it. Total fit sets a node's
 * fields there: a copy of one built on the stack stalls, its bytes read
 * back wider than they were written. */
static node *node_slot(work *w)
{
    if (!jk__grow(w->ctx, (void **)&w->nodes, &w->node_cap,
                  w->node_count + 1, sizeof *w->nodes))
        return NULL;
    return &w->nodes[w->node_count];
}

static jk_status new_node(work *w, const node *n, int32_t *index)
{
    node *slot = node_slot(w);
    if (!slot)
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    *slot = *n;
    *index = (int32_t)w->node_count++;
    return JK_OK;
}

/* Slot a of the active list holds node n, number `index`: field by
 * field, as node_slot says, from the node the caller has just made. */
static inline void set_act(act *a, const node *n, int32_t index,
                           double loose, double firm)
{
    a->start = n->start;
    a->node = index;
    a->fitness = n->fitness;
    a->flagged = n->flagged;
    a->demerits = n->demerits;
    a->loose = loose;
    a->firm = firm;
}

static inline jk_status activate(work *w, const node *n, int32_t index,
                                 double loose, double firm)
{
    if (!jk__grow(w->ctx, (void **)&w->active, &w->active_cap,
                  w->active_count + 1, sizeof *w->active))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    set_act(&w->active[w->active_count++], n, index, loose, firm);
    return JK_OK;
}

/* Lines starting at s1 and at s2 measure the same wherever they end. */
static bool same_start(const work *w, const jk__block *b, size_t s1,
                       size_t s2)
{
    return b->xpos[s1] == b->xpos[s2] && w->ko[s1] == w->ko[s2] &&
           w->latin[s1] == w->latin[s2] &&
           w->gaps[s1] == w->gaps[s2] && w->shrink[s1] == w->shrink[s2] &&
           w->spaces[s1] == w->spaces[s2] && (s1 == 0) == (s2 == 0) &&
           (s1 < b->n && (b->just[s1] & JK__JUST_OPEN)) ==
               (s2 < b->n && (b->just[s2] & JK__JUST_OPEN));
}

/* The slot in the active list of a node that any line from `n` would
 * cost the same from (its twin), or NULL. */
static act *find_twin(work *w, const jk__block *b, const node *n)
{
    size_t seen = 0;
    for (size_t ai = w->active_count; ai-- > w->active_first && seen < TWIN_SCAN;
         seen++) {
        const act *a = &w->active[ai];
        if (b->xpos[a->start] != b->xpos[n->start])
            break; /* active nodes are in pen order */
        if (a->fitness == n->fitness && a->flagged == n->flagged &&
            same_start(w, b, a->start, n->start))
            return &w->active[ai];
    }
    return NULL;
}

/* Whether the newest active node starts at n's pen position: if not, no
 * active node does (they are in pen order), and find_twin (not inlined)
 * need not be called. For nearly every node made it need not. */
static bool may_have_twin(const work *w, const jk__block *b, const node *n)
{
    return w->active_count > w->active_first &&
           b->xpos[w->active[w->active_count - 1].start] ==
               b->xpos[n->start];
}

/* Index of the lowest bit set in m (m > 0). */
static int lowest_bit(unsigned m)
{
#if defined(__GNUC__)
    return __builtin_ctz(m);
#else
    int i = 0;
    while (!(m >> i & 1))
        i++;
    return i;
#endif
}

/* How much each kind of glue of a justified line has grown. */
typedef struct growth {
    double ko, latin; /* share of its width each space grows by */
    double gap;       /* em each syllable gap opens */
    double letter;    /* em each gap between Latin letters opens */
} growth;

/* Raise the spaces' shares toward (ko, latin), together, with at most
 * *slack em. */
static void grow_spaces(const fit *f, double ko, double latin, growth *g,
                        double *slack)
{
    double dk = fmax(0, ko - g->ko), dl = fmax(0, latin - g->latin);
    double need = dk * f->ko + dl * f->latin;
    if (need <= 1e-12 || *slack <= 1e-12)
        return;
    double t = fmin(1, *slack / need);
    g->ko += t * dk;
    g->latin += t * dl;
    *slack -= t * need;
}

static void grow_gaps(const fit *f, double gap, growth *g, double *slack)
{
    double need = fmax(0, gap - g->gap) * f->gaps;
    if (need <= 1e-12 || *slack <= 1e-12)
        return;
    double t = fmin(1, *slack / need);
    g->gap += t * (gap - g->gap);
    *slack -= t * need;
}

/* The share a space has grown by once the stages have taken it to 230%
 * (kWidestSpace), or to twice its stretch if that is more. */
static double early_share(double stretch)
{
    return fmax(2 * stretch, kWidestSpace);
}

/* Whether syllable gaps open wide (widest_open) even at 1.5 times their
 * cap, where the stages leave them until spaces reach early_share. */
static bool early_gaps_wide(const work *w)
{
    return 1.5 * w->gap_cap > kGapToSpace * kWideOpen;
}

/* How a justified line takes its slack (em), in stages: spaces to half
 * their stretch at ratio 1, the syllable gaps to half their cap, spaces
 * and then gaps to their full stretch (ratio 1: the loosest a line should
 * be), spaces to twice their stretch, gaps to 1.5 times their cap, spaces
 * to 230% of their width; then both grow, each gap by a third of what an
 * average space does, so letters stay closer than words, until spaces
 * reach 270% (with the letters' side bearings, a word gap of an em); past
 * that only the gaps open. A line with a single gap and two spaces or
 * more keeps the gap shut; a line without gaps opens the gaps between
 * its `letters` Latin letters by up to kLetterCap once its spaces reach
 * 270%, and puts the rest on its spaces; one without spaces puts
 * everything on its gaps. */
static growth stretch_stages(const work *w, const fit *line, double letters,
                             double slack)
{
    const double ks = w->ko_stretch, ls = w->latin_stretch, cap = w->gap_cap;
    growth g = {0, 0, 0, 0};
    /* A single gap beside two spaces or more never opens: alone it would
     * split its word ("번 역beta Translated by"), where gaps spread over a
     * line's words do not, and two spaces can take the slack. */
    fit lone = *line;
    if (gaps_stay_shut(&lone))
        lone.gaps = 0;
    const fit *f = &lone;
    grow_spaces(f, ks / 2, ls / 2, &g, &slack);
    grow_gaps(f, cap / 2, &g, &slack);
    grow_spaces(f, ks, ls, &g, &slack);
    grow_gaps(f, cap, &g, &slack);
    grow_spaces(f, 2 * ks, 2 * ls, &g, &slack);
    grow_gaps(f, 1.5 * cap, &g, &slack);
    grow_spaces(f, early_share(ks), early_share(ls), &g, &slack);
    double spaces = f->ko + f->latin;
    bool gaps = f->gaps > 0 && cap > 0;
    if (slack > 1e-12 && spaces > 0 && f->gaps == 0 && letters > 0) {
        /* Spaces to kMaxSpace, then letters to their cap; the spaces
         * take what is left below. */
        grow_spaces(f, kMaxSpace, kMaxSpace, &g, &slack);
        double open = fmin(kLetterCap, slack / letters);
        g.letter = open;
        slack -= open * letters;
    }
    if (slack > 1e-12 && spaces > 0) {
        /* Both grow, each gap kLateGap em for each share of a space, the
         * spaces up to kMaxSpace while there are gaps. */
        double per = spaces + (gaps ? f->gaps * kLateGap : 0);
        double d = slack / per;
        if (f->gaps > 0)
            d = fmin(d, fmax(0, kMaxSpace - fmax(g.ko, g.latin)));
        g.ko += d;
        g.latin += d;
        if (gaps)
            g.gap += d * kLateGap;
        slack -= d * per;
    }
    if (slack > 1e-12 && f->gaps > 0) {
        /* Past every cap the gaps take the rest, but only until each is
         * half as wide as the line's average word space; then both grow,
         * keeping that, so that words stay apart from their letters ("김
         * 태 윤 SK hynix" read as three words when the gaps alone grew). */
        double n = f->spaces, natural = f->ko + f->latin;
        bool words = n > 0 && natural > 0;
        double word =
            words ? (natural + g.ko * f->ko + g.latin * f->latin) / n : 0;
        double open = words ? fmax(0, kGapToSpace * word - g.gap) : INFINITY;
        double alone = fmin(slack, open * f->gaps);
        g.gap += alone / f->gaps;
        slack -= alone;
        if (slack > 1e-12 && words) {
            double per_space = slack / (n + kGapToSpace * f->gaps);
            g.ko += per_space * n / natural;
            g.latin += per_space * n / natural;
            g.gap += kGapToSpace * per_space;
        }
    }
    return g;
}

/* Latin letters of the line [start, end) that may open: only on a line
 * whose syllable gaps stay shut (stretch_stages); the gap after the last
 * is at the line's end. */
static double letters_of(const work *w, const fit *f, size_t start,
                         size_t end)
{
    if (end <= start + 1 || !(f->gaps == 0 || gaps_stay_shut(f)))
        return 0;
    return w->letters[end - 1] - w->letters[start];
}

/* Whether a line's blanks might open past kWideOpen at all (widest_open).
 * Cheap: total fit asks for every line past ratio 1. Up to the stage
 * where spaces reach kWidestSpace (and gaps 1.5 times their cap) the
 * stages cannot open a 0.3 em space past it; most lines take less slack
 * than that. */
static bool may_open_wide(const work *w, const fit *f, double slack)
{
    double ko = early_share(w->ko_stretch);
    double latin = early_share(w->latin_stretch);
    double gaps = gaps_stay_shut(f) ? 0 : f->gaps;
    if (slack > f->ko * ko + f->latin * latin + gaps * 1.5 * w->gap_cap)
        return true;
    return (gaps > 0 && early_gaps_wide(w)) ||
           f->ko * (1 + ko) + f->latin * (1 + latin) >
               kWideOpen * f->spaces;
}

/* The widest blank a stretched justified line opens, as a word space's
 * advance, em: its average word space, or its syllable gaps' opening
 * over kGapToSpace (a gap at half a word space reads as that space does:
 * syllables apart as words are). From the stages that set the line. */
static double widest_open(const work *w, const fit *f, size_t start,
                          size_t end, double slack)
{
    growth g = stretch_stages(w, f, letters_of(w, f, start, end), slack);
    double widest = g.gap / kGapToSpace;
    if (f->spaces > 0) {
        double word = f->ko * (1 + g.ko) + f->latin * (1 + g.latin);
        widest = fmax(widest, word / f->spaces);
    }
    return widest;
}

/* What a line past ratio 1 adds for a blank it opens past kWideOpen:
 * kWideGap for each tenth of an em. It only raises the cost, so total
 * fit asks only where the line might win. A Korean line's ratio counts
 * its syllable gaps' stretch too, so at one ratio its blanks open far
 * wider than an English line's, and ratio alone had total fit set
 * `최고기술책임자(CTO) 대` (a 0.94 em space, gaps of 0.47 em) so that the
 * English lines after it came out even, where `models, and we have al-`
 * at ratio 4.26 opens 0.75 em. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static double wide_demerits(const work *w, const fit *f, size_t start,
                            size_t end, double slack)
{
    double over = widest_open(w, f, start, end, slack) - kWideOpen;
    return over > 0 ? kWideGap * over / 0.1 : 0;
}

/* The adjustment ratio whose badness is `tolerance`: a cube root, asked
 * for by every pass of every block, of one tolerance or two. */
static double ratio_at(work *w, double tolerance)
{
    if (tolerance != w->ratio_tol) {
        w->ratio_tol = tolerance;
        w->ratio = cbrt(tolerance / 100);
    }
    return w->ratio;
}

/* Whether lines past ratio 1 of a pass at `tolerance` may open a blank
 * wide at all (may_open_wide for every line, bounded). Up to ratio 1.5
 * the stages stop where spaces reach kWidestSpace and gaps 1.5 times
 * their cap, except on a line whose lone gap stays shut: there the
 * spaces (two at least) take the gap's stretch too. With the default
 * stretches the first pass never does; the second and the emergency
 * pass may. */
static bool wide_possible(work *w, double tolerance)
{
    double rmax = ratio_at(w, tolerance);
    if (tolerance >= kInfBad || rmax > 1.5)
        return true;
    double grow =
        fmax(early_share(w->ko_stretch), early_share(w->latin_stretch));
    double lone = rmax * (fmax(w->ko_stretch, w->latin_stretch) +
                          kFewGaps * w->gap_cap / (2 * w->narrowest_space));
    return w->widest_space * (1 + fmax(grow, lone)) > kWideOpen ||
           early_gaps_wide(w);
}

/* Whether every line to the same break from a later start is too loose
 * as well, given this line's slack and fit: a later start has less text,
 * so more slack and no more stretch, and (an opening bracket's trimmed
 * blank) at most max_trim em less slack. The active nodes are in the
 * order of their starts, so total fit stops at the first such line. */
static bool too_loose_after(const work *w, const fit *f, double slack,
                            double tolerance)
{
    double least = slack - w->max_trim, y = stretch_of(w, f);
    if (least <= 0)
        return false;
    if (y <= 1e-12)
        return true; /* nothing later stretches either: infinitely bad */
    double r = least / y;
    return 100 * r * r * r > tolerance;
}

/* The same test, in one comparison, for most lines it stops at: with its
 * stretch at the ratio the tolerance allows folded into pen positions,
 * a line from node `n` to candidate `c` is too loose, and so is every
 * later one, when n.loose - reach_of(c) > kLooseEps. Trims and hang only
 * add slack, so they are left out; rmax is raised a little above the
 * tolerance's ratio and kLooseEps covers rounding, so the test never
 * stops where too_loose_after would not. Lines it does not settle are
 * weighed as before. */
static const double kLooseEps = 1e-6;

static double ahead_of(const work *w, const jk__block *b, size_t start,
                       double rmax)
{
    double stretch = w->ragged > 0 ? -w->ragged
                                   : stretch_sum(w, w->ko[start],
                                                 w->latin[start],
                                                 w->gaps[start]);
    return b->xpos[start] + rmax * stretch;
}

static double loose_of(const work *w, size_t start, double ahead)
{
    return w->width - (start == 0 ? w->indent : 0) - w->max_trim + ahead;
}

static double reach_of(const work *w, const jk__block *b, const cand *c,
                       double rmax)
{
    size_t e = c->end;
    if (e == 0)
        return INFINITY; /* an empty line: weighed in full */
    double stretch = w->ragged > 0 ? 0
                                   : stretch_sum(w, w->ko[e], w->latin[e],
                                                 w->gaps[e - 1]);
    return b->xpos[e] + c->width - c->hang + rmax * stretch;
}

/* The same for lines too tight, where no trimmed blank is in play: the
 * slack plus the shrink of a line from node n to c is then at most
 * n.firm - c.firm_end (less only when a lone syllable gap stays shut),
 * and below -kLooseEps the line is too tight, and dropped unweighed. A
 * start or end with a blank to trim has +INF and -INF: such lines are
 * weighed. */
static double firm_of(const work *w, const jk__block *b, size_t start)
{
    if (start < b->n && (b->just[start] & JK__JUST_OPEN))
        return INFINITY;
    return w->width - (start == 0 ? w->indent : 0) + b->xpos[start] -
           w->shrink[start] -
           (w->ragged == 0 ? w->gaps[start] * kGapShrink : 0);
}

static double firm_end(const work *w, const jk__block *b, const cand *c)
{
    size_t e = c->end;
    if (e == 0 || ((b->just[e - 1] & JK__JUST_CLOSE) && c->hang == 0))
        return -INFINITY;
    return b->xpos[e] + c->width - c->hang - w->shrink[e] -
           (w->ragged == 0 ? w->gaps[e - 1] * kGapShrink : 0);
}

/* Every candidate's reach and ahead at ratio rmax, and its firm_end: the
 * same at every measure, so the sizes composed together share them. */
static void set_reach(work *w, const jk__block *b, double rmax)
{
    /* Read through a copy, which the stores to the candidates cannot
     * alias: the stretches and sums' pointers stay in registers. */
    const work glue = *w;
    for (size_t i = 0; i < glue.cand_count; i++) {
        cand *c = &glue.cands[i];
        c->reach = reach_of(&glue, b, c, rmax);
        c->ahead = ahead_of(&glue, b, c->next, rmax);
        c->firm_end = firm_end(&glue, b, c);
    }
    w->reach_ratio = rmax;
}

/* The node total fit is at drops out: when no node before it stayed, the
 * list starts after it instead of the rest moving down. */
static void pass_front(work *w, size_t *keep)
{
    if (*keep == w->active_first)
        w->active_first = ++*keep;
}

/* The quick tests of a line from active node a to c, for lines that are
 * not empty: too loose, and so is every line from a later node (loose_of;
 * reach is c's, INFINITY at a forced break); too tight, and the node
 * drops unweighed (firm_of; firm is c's firm_end, -INFINITY at a forced
 * break). */
static inline bool too_loose_from(const act *a, const cand *c, double reach)
{
    return a->loose - reach > kLooseEps && c->end > a->start;
}

static inline bool too_tight_from(const act *a, const cand *c, double firm)
{
    return a->firm - firm < -kLooseEps && c->end > a->start;
}

/* The active nodes from `from` on all stay, moved down to `keep` when
 * nodes before them were dropped; the list's new end. */
static size_t keep_rest(work *w, size_t keep, size_t from)
{
    if (keep == from)
        return w->active_count; /* nothing dropped: all in place */
    while (from < w->active_count)
        w->active[keep++] = w->active[from++];
    return keep;
}

/* One total-fit pass (total_fit); `wide` whether lines may cost for
 * blanks opened wide (wide_demerits), `emergency` whether it is the
 * emergency pass: compiled apart for each, so that the pass where lines
 * never do (the first, nearly every block's only one) carries no call in
 * its loop. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline jk_status fit_pass(work *w, const jk__block *b,
                                 const jk_breaking *k, double tolerance,
                                 bool wide, bool emergency, int32_t *last)
{
    /* The quick test needs a tolerance below infinite badness. */
    bool quick = !emergency && tolerance < kInfBad;
    /* What a line adds for a fitness class more than one from the line
     * before's, by index: the classes come in no order a branch
     * predictor learns. */
    const double adjacent[2] = {0, k->adj_demerits};
    double rmax = quick ? ratio_at(w, tolerance) * (1 + 1e-9) : 0;
    jk_status st;
    w->node_count = 0;
    w->active_first = w->active_count = 0;
    *last = -1;
    if (quick && w->reach_ratio != rmax)
        set_reach(w, b, rmax);
    node first = {UINT32_MAX, 0, -1, 1, false, 0};
    int32_t idx = -1;
    if ((st = new_node(w, &first, &idx)) ||
        (st = activate(w, &w->nodes[idx], idx,
                       loose_of(w, 0, ahead_of(w, b, 0, rmax)),
                       firm_of(w, b, 0))))
        return st;

    for (size_t ci = 0; ci < w->cand_count; ci++) {
        const cand *c = &w->cands[ci];
        if (!is_used(w, c))
            continue;
        bool final = ci + 1 == w->cand_count;
        bool forced = c->penalty == -INFINITY;
        /* Most candidates no line reaches: when the line from the first
         * active node is too loose, so is every line (loose_of), and
         * nothing drops. Settled before the loop's set-up, as are the
         * first nodes the loop would drop unweighed (firm_of), in the
         * same order of tests: nearly half the candidates of a pass. */
        bool dead = false;
        while (quick && !forced && !final &&
               w->active_first < w->active_count) {
            const act *front = &w->active[w->active_first];
            if (c->pos <= front->start)
                break;
            dead = too_loose_from(front, c, c->reach);
            if (dead || !too_tight_from(front, c, c->firm_end))
                break;
            w->active_first++; /* dropped (pass_front) */
        }
        if (dead)
            continue;
        double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        int32_t from[4] = {-1, -1, -1, -1};
        int32_t dropped = -1;
        size_t keep = w->active_first;
        double reach = quick && !forced ? c->reach : INFINITY;
        double firm = quick && !forced ? c->firm_end : -INFINITY;
        /* A ragged line's next break, to weigh a short line (kShortLine):
         * each used candidate looks past the unused ones after it once. */
        const cand *next = NULL;
        if (w->ragged > 0 && !forced) {
            size_t nj = ci + 1;
            while (nj < w->cand_count && !is_used(w, &w->cands[nj]))
                nj++;
            next = nj < w->cand_count ? &w->cands[nj] : NULL;
        }
        /* At the paragraph's end only the cheapest line counts (*last),
         * and every term of a line's demerits is at least 0: a node whose
         * own demerits and line_penalty squared exceed the cheapest so
         * far cannot give it, nor tie with it. Outside the emergency
         * pass, whose overfull fallback needs the node dropped last. */
        double floor_at_end = k->line_penalty * k->line_penalty;
        double least = INFINITY; /* the cheapest of best[] */
        for (size_t ai = w->active_first; ai < w->active_count; ai++) {
            const act *an = &w->active[ai];
            int32_t a = an->node;
            if (final && !emergency && an->demerits + floor_at_end > least)
                continue;
            if (c->pos <= an->start && !forced) {
                if (keep != ai) /* the break is not after it */
                    w->active[keep] = *an;
                keep++;
                continue;
            }
            if (too_loose_from(an, c, reach)) {
                keep = keep_rest(w, keep, ai);
                break; /* too loose from here on */
            }
            if (too_tight_from(an, c, firm)) {
                dropped = a;
                pass_front(w, &keep);
                continue;
            }
            fit f;
            measure(w, b, an->start, c, &f);
            double r = line_ratio(w, an->start, &f, forced);
            bool drop = r < -1 || forced;
            if (drop) {
                dropped = a;
                pass_front(w, &keep);
            } else {
                if (keep != ai)
                    w->active[keep] = *an;
                keep++;
            }
            if (r < -1)
                continue; /* too tight, and tighter still further on */
            double slack = slack_of(w, an->start, &f);
            double bad = badness(w, r, slack, !emergency);
            if (!emergency && bad > tolerance) {
                if (!forced && r > 0 &&
                    too_loose_after(w, &f, slack, tolerance)) {
                    /* The active nodes after this one start later: their
                     * lines are shorter still, and too loose as well. */
                    keep = keep_rest(w, keep, ai + 1);
                    break;
                }
                continue;
            }
            double d = k->line_penalty + bad;
            d *= d;
            d += c->demerits;
            if (c->flagged && an->flagged)
                d += k->double_hyphen_demerits;
            if (final && an->flagged)
                d += k->final_hyphen_demerits;
            if (next && slack > (1 - kShortShare) * w->width) {
                fit more;
                measure(w, b, an->start, next, &more);
                if (slack_of(w, an->start, &more) >= 0)
                    d += kShortLine;
            }
            if (emergency && r == INFINITY && c->kind != JK__PEN_PLAIN) {
                /* set ragged before more words (not inside a URL) */
                double empty = slack / w->width;
                d += kRaggedDemerits * empty * empty * empty;
            }
            uint8_t fitc = fitness_of(r);
            d += adjacent[abs((int)fitc - (int)an->fitness) > 1];
            d += an->demerits;
            if (wide && r > 1 && d < best[fitc] && r != INFINITY &&
                may_open_wide(w, &f, slack)) {
                fit cold = f; /* f itself stays in registers */
                d += wide_demerits(w, &cold, an->start, c->end, slack);
            }
            if (d < best[fitc]) {
                best[fitc] = d;
                from[fitc] = a;
                least = d < least ? d : least;
            }
        }
        w->active_count = keep;
        /* Emergency: nothing fits and nothing is left: an overfull line
         * from the last node dropped keeps the paragraph going. */
        if (emergency && keep == w->active_first && dropped >= 0 &&
            from[0] < 0 && from[1] < 0 && from[2] < 0 && from[3] < 0) {
            best[0] = least = w->nodes[dropped].demerits + kOverfull;
            from[0] = dropped;
        }
        if (least == INFINITY) { /* no line ends here */
            if (w->active_count == w->active_first && !final)
                return JK_OK;
            continue;
        }
        double loose = quick ? loose_of(w, c->next, c->ahead) : 0;
        double firm_next = quick ? firm_of(w, b, c->next) : INFINITY;
        /* The classes a node is made for: reached, and within
         * adj_demerits of the cheapest (a mask: most candidates have one
         * class, and four tests a candidate mispredict). */
        unsigned live = 0;
        for (int f = 0; f < 4; f++)
            live |= (unsigned)((from[f] >= 0) &
                               !(best[f] > least + k->adj_demerits))
                    << f;
        for (; live; live &= live - 1) {
            int f = lowest_bit(live);
            node *n = node_slot(w);
            if (!n)
                return jk__fail(w->ctx, JK_ERR_NOMEM,
                                "out of memory composing");
            n->cand = (uint32_t)ci;
            n->start = c->next;
            n->prev = from[f];
            n->fitness = (uint8_t)f;
            n->flagged = c->flagged;
            n->demerits = best[f];
            act *twin = final || !may_have_twin(w, b, n)
                                ? NULL
                                : find_twin(w, b, n);
            if (twin && twin->demerits <= n->demerits)
                continue; /* as good a node is active already */
            idx = (int32_t)w->node_count++;
            if (final) {
                if (*last < 0 || w->nodes[idx].demerits <
                                     w->nodes[*last].demerits)
                    *last = idx;
            } else if (twin) {
                set_act(twin, n, idx, loose, firm_next);
            } else if ((st = activate(w, n, idx, loose, firm_next))) {
                return st;
            }
        }
        if (w->active_count == w->active_first && !final)
            return JK_OK; /* no way on: this pass fails */
    }
    return JK_OK;
}

/* One total-fit pass. tolerance < 0: the emergency pass (any badness, and
 * overfull lines when nothing else is possible). Sets *last to the best
 * final node, or -1 when no feasible set of breaks exists. */
static jk_status total_fit(work *w, const jk__block *b, const jk_breaking *k,
                           double tolerance, int32_t *last)
{
    /* Only where words may break (not keep-all) can a line that opens
     * wide be avoided: in keep-all, letter-spacing is the only way to
     * justify, and such a line would only give way to a word left alone
     * on a ragged line (`15일` above `(현지시간) 밤 미국 캘리포니아주`) or an
     * address split at its dots (`사무국(press@` / `example.`). */
    bool wide = w->ragged == 0 && w->splits;
    if (tolerance < 0)
        return fit_pass(w, b, k, tolerance, wide, true, last);
    if (wide && wide_possible(w, tolerance))
        return fit_pass(w, b, k, tolerance, true, false, last);
    return fit_pass(w, b, k, tolerance, false, false, last);
}

/* Greedy: for each line the last candidate that fits, else the first.
 * It cannot weigh costs, so in auto mode it breaks like keep-all (inside
 * a word only when the word alone is wider than the line). */
static jk_status first_fit(work *w, const jk__block *b, bool keep_words,
                           int32_t *last)
{
    jk_status st;
    w->node_count = 0;
    node n = {UINT32_MAX, 0, -1, 1, false, 0};
    int32_t prev = -1;
    if ((st = new_node(w, &n, &prev)))
        return st;
    size_t ci = 0;
    while (ci < w->cand_count) {
        uint32_t start = w->nodes[prev].start;
        int32_t fitc = -1, inside = -1; /* last fitting; inside a word */
        double fit_r = 0, inside_r = 0;
        for (; ci < w->cand_count; ci++) {
            const cand *c = &w->cands[ci];
            bool forced = c->penalty == -INFINITY;
            if ((c->pos <= start && !forced) || !is_used(w, c))
                continue;
            fit f;
            measure(w, b, start, c, &f);
            double r = line_ratio(w, start, &f, forced);
            if (r < -1) {
                if (fitc < 0 && inside >= 0) { /* a word wider than a line */
                    fitc = inside;
                    fit_r = inside_r;
                } else if (fitc < 0) { /* overfull */
                    fitc = (int32_t)ci;
                    fit_r = r;
                }
                break;
            }
            if (keep_words && (c->kind == JK__PEN_SYLLABLE ||
                               c->kind == JK__PEN_FRAGMENT)) {
                inside = (int32_t)ci;
                inside_r = r;
                continue;
            }
            fitc = (int32_t)ci;
            fit_r = r;
            if (forced)
                break;
        }
        const cand *c = &w->cands[fitc];
        node m = {(uint32_t)fitc, c->next, prev, fitness_of(fit_r),
                  c->flagged, 0};
        if ((st = new_node(w, &m, &prev)))
            return st;
        ci = (size_t)fitc + 1;
    }
    *last = prev;
    return JK_OK;
}

/* Break the block at w->width with the settings' breaker, from the
 * candidates collected; *last is the final node of the chain. */
static jk_status break_block(work *w, const jk__block *b, const jk_settings *s,
                             int32_t *last)
{
    jk_status st;
    *last = -1;
    if (s->breaker == JK_BREAKER_GREEDY) {
        st = first_fit(w, b, s->word_break == JK_WORD_BREAK_AUTO, last);
    } else {
        const jk_breaking *k = &s->breaking;
        st = total_fit(w, b, k, k->tolerance, last);
        if (st == JK_OK && *last < 0)
            st = total_fit(w, b, k, k->loose_tolerance, last);
        if (st == JK_OK && *last < 0)
            st = total_fit(w, b, k, -1, last);
    }
    if (st == JK_OK && *last < 0)
        return jk__fail(w->ctx, JK_ERR_LIMIT, "no line breaks found");
    return st;
}

/* Lines of the chain ending at `last`; whether one of them overflows. */
static size_t chain_lines(const work *w, const jk__block *b, int32_t last,
                          bool *overfull)
{
    size_t count = 0;
    *overfull = false;
    for (int32_t n = last; w->nodes[n].prev >= 0; n = w->nodes[n].prev) {
        const node *nd = &w->nodes[n];
        fit f;
        measure(w, b, w->nodes[nd->prev].start, &w->cands[nd->cand], &f);
        if (slack_of(w, w->nodes[nd->prev].start, &f) < -f.shrink - 1e-9)
            *overfull = true;
        count++;
    }
    return count;
}

static jk_status add_line(jk_layout *layout, const jk__line *line)
{
    jk_context *ctx = layout->ctx;
    if (!jk__grow(ctx, (void **)&layout->lines, &layout->line_cap,
                  layout->line_count + 1, sizeof *layout->lines))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory composing");
    layout->lines[layout->line_count++] = *line;
    return JK_OK;
}

/* Lines from the chain of nodes ending at `last`. */
static jk_status emit_lines(jk_layout *layout, work *w, uint32_t bi,
                            int32_t last, double px)
{
    const jk_settings *s = &layout->settings;
    const jk_breaking *k = &s->breaking;
    const jk__block *b = &layout->doc->blocks[bi];
    const jk__style *style = jk__style_of(b);
    double lh = style->line_height > 0 ? style->line_height : s->line_height;
    bool justify = w->ragged == 0;
    /* The chain runs backwards: count, then fill from the end. */
    size_t count = 0;
    for (int32_t n = last; w->nodes[n].prev >= 0; n = w->nodes[n].prev)
        count++;
    size_t first = layout->line_count;
    if (!jk__grow(layout->ctx, (void **)&layout->lines, &layout->line_cap,
                  first + count, sizeof *layout->lines))
        return jk__fail(layout->ctx, JK_ERR_NOMEM, "out of memory composing");
    if (count > 0)
        memset(layout->lines + first, 0, count * sizeof *layout->lines);
    layout->line_count = first + count;
    size_t li = first + count;
    for (int32_t n = last; w->nodes[n].prev >= 0; n = w->nodes[n].prev) {
        const node *nd = &w->nodes[n];
        const node *pv = &w->nodes[nd->prev];
        const cand *c = &w->cands[nd->cand];
        jk__line *l = &layout->lines[--li];
        l->block = bi;
        l->start = pv->start;
        l->end = c->end > pv->start ? c->end : pv->start;
        l->size_px = px;
        l->height = px * lh;
        l->x = s->margin_left + w->inset + (l->start == 0 ? w->indent * px : 0);
        l->last = nd->cand + 1 == w->cand_count;
        l->hyphenated = c->flagged;
        l->syllable_break = c->kind == JK__PEN_SYLLABLE ||
                            c->kind == JK__PEN_FRAGMENT ||
                            c->kind == JK__PEN_WORD;
        if (layout->counting)
            continue;
        if (c->flagged) {
            const jk__hyphen *h = jk__hyphen_at(b, c->pos);
            l->hyphen_gid = h->gid;
            l->hyphen_font = h->font;
            l->hyphen_advance = h->width * px;
        }
        fit f;
        measure(w, b, l->start, c, &f);
        bool forced = c->penalty == -INFINITY;
        double r = line_ratio(w, l->start, &f, forced);
        l->overfull = r < -1;
        if (r < -1)
            r = -1;
        if (!justify && r > 0)
            r = 0; /* ragged: natural spaces */
        if (isinf(r))
            r = 0; /* nothing to stretch: underfull, set ragged */
        l->ratio = r;
        l->trim_start = f.trim_start * px;
        double taken = 0; /* em the glue took (negative: gave) */
        if (r > 0) {
            taken = r * stretch_of(w, &f);
            growth g = stretch_stages(w, &f,
                                      letters_of(w, &f, l->start, l->end),
                                      taken);
            l->space_factor = g.latin;
            l->ko_space_factor = g.ko;
            l->gap_extra = g.gap * px;
            if (g.letter > 0) {
                l->gap_extra = g.letter * px;
                l->letters = 1;
            }
        } else if (r < 0) {
            taken = r * f.shrink;
            l->space_factor = l->ko_space_factor = r * k->space_shrink;
            l->squeeze = -r;
            if (f.gaps > 0 && !gaps_stay_shut(&f))
                l->gap_extra = r * kGapShrink * px;
        }
        /* Set width: natural plus what the glue took (hanging
         * punctuation and the hyphen included). */
        l->width = (f.natural + c->hang + taken) * px;
    }
    return JK_OK;
}

/* The text box's height, pixels: the page less its margins and running
 * bands. */
static double box_height(const jk_settings *s)
{
    jk__bands bands;
    jk__running_bands(s, &bands);
    return (double)s->page_height - s->margin_top - s->margin_bottom -
           bands.header - bands.footer;
}

/* A figure's image: one line as tall as the image set at the measure, no
 * wider than its natural size at the page's dpi (96 pixels an inch when
 * the file does not say), no taller than the text box; centred. */
static jk_status emit_figure(jk_layout *layout, uint32_t bi, double inset)
{
    const jk_settings *s = &layout->settings;
    const jk__block *b = &layout->doc->blocks[bi];
    const jk__image *img = &layout->doc->figures[b->figure].image;
    double measure =
        (double)s->page_width - s->margin_left - s->margin_right - inset;
    double dpi = img->dpi > 0 ? img->dpi : 96;
    double nat_w = img->natural_width * s->dpi / dpi;
    double aspect = (double)img->natural_height / img->natural_width;
    double w = fmin(measure, nat_w), h = w * aspect;
    double most = box_height(s);
    if (h > most) {
        h = most;
        w = h / aspect;
    }
    jk__line l = {0};
    l.block = bi;
    l.width = fmax(1, w);
    l.height = fmax(1, h);
    l.x = s->margin_left + inset + (measure - l.width) / 2;
    l.size_px = jk__body_px(s);
    l.last = 1;
    return add_line(layout, &l);
}

/* A figure's caption must share its page: when the two are taller than
 * the text box, the image gives way (keeping its proportions). `fig` is
 * the figure's line, the caption's lines follow it. */
static void fit_caption(jk_layout *layout, size_t fig)
{
    jk__line *f = &layout->lines[fig];
    double caption = 0;
    for (size_t i = fig + 1; i < layout->line_count; i++)
        caption += layout->lines[i].height;
    double gap = jk__gap_between(layout, fig + 1);
    double most = box_height(&layout->settings) - caption - gap;
    double least = jk__body_px(&layout->settings) * 2;
    if (f->height <= most || most < least)
        return;
    double shrink = most / f->height;
    f->x += f->width * (1 - shrink) / 2;
    f->width *= shrink;
    f->height = most;
}

/* A thematic break: one line, drawn as a rule (place.c). */
static jk_status emit_rule(jk_layout *layout, uint32_t bi, double px,
                           double lh, double inset)
{
    const jk_settings *s = &layout->settings;
    jk__line l = {0};
    l.block = bi;
    l.end = (uint32_t)layout->doc->blocks[bi].n;
    l.x = s->margin_left + inset;
    l.width = (double)s->page_width - s->margin_left - s->margin_right -
              inset;
    l.height = px * lh;
    l.size_px = px;
    l.last = 1;
    return add_line(layout, &l);
}

/* Em a table row set on its table's columns, `gap` em apart, takes up to
 * code point end (its text's end). */
static double row_width(const jk__table *t, const jk__block *b, size_t end,
                        double gap)
{
    double column = 0;
    size_t k = 0, cell = 0;
    for (size_t i = 0; i < end; i++)
        if (b->cps[i] == 0x2003 && k + 1 < t->col_count) {
            column += t->cols[k++] + gap;
            cell = i + 1;
        }
    return column + (end > cell ? b->xpos[end] - b->xpos[cell] : 0);
}

/* What a block is set as at one layout's settings (block_setup). */
typedef enum set_as { SET_TEXT, SET_FIGURE, SET_RULE } set_as;

typedef struct setup {
    set_as as;
    double px;   /* the block's em, pixels */
    double lh;   /* its line height, em */
    bool justify;
    /* A row of a table whose columns fit the measure: one line, its
     * cells `gap` em apart. */
    const jk__table *table;
    bool columns;
    double gap;
} setup;

/* The block's measure, inset, indent and glue at the layout's settings,
 * into w; what it is set as, into g. */
static void block_setup(const jk_layout *layout, work *w, uint32_t bi,
                        setup *g)
{
    const jk_settings *s = &layout->settings;
    const jk_breaking *k = &s->breaking;
    const jk_document *doc = layout->doc;
    const jk__block *b = &doc->blocks[bi];
    const jk__style *style = jk__style_of(b);
    double body = jk__body_px(s);
    double px = body * style->size;
    double box_w = (double)s->page_width - s->margin_left - s->margin_right;
    memset(g, 0, sizeof *g);
    g->px = px;
    g->lh = style->line_height > 0 ? style->line_height : s->line_height;
    /* Nested quotes and lists step right, but always leave a measure of
     * at least 8 em; a placeholder's text sits inside its frame. */
    w->inset = fmin(jk__block_inset(b) * body, fmax(0, box_w - 8 * px));
    bool placeholder = b->kind == JK_BLOCK_FIGURE && !(
        b->figure != UINT32_MAX &&
        doc->figures[b->figure].status == JK_IMAGE_OK);
    double pad = placeholder ? fmin(px, box_w / 8) : 0;
    g->as = b->kind == JK_BLOCK_FIGURE && !placeholder ? SET_FIGURE
            : b->kind == JK_BLOCK_RULE                ? SET_RULE
                                                      : SET_TEXT;
    if (g->as != SET_TEXT)
        return;
    w->inset += pad;
    double measure_em = (box_w - w->inset - pad) / px;
    g->table = b->kind == JK_BLOCK_TABLE ? jk__table_of(doc, bi) : NULL;
    if (g->table && g->table->col_count > 1) {
        size_t gaps = g->table->col_count - 1;
        double cells = g->table->width - gaps * JK__CELL_GAP;
        g->gap = fmin(JK__CELL_GAP, (measure_em - cells) / (double)gaps);
    }
    g->columns = g->gap >= JK__CELL_GAP_MIN;
    g->justify = s->align == JK_ALIGN_JUSTIFY &&
                 (b->kind == JK_BLOCK_PARAGRAPH ||
                  b->kind == JK_BLOCK_QUOTE || b->kind == JK_BLOCK_LIST);
    /* (a row on columns is one line: as text, its cells an em space
     * apart, it is no wider than the table) */
    w->width = g->columns ? fmax(measure_em, g->table->width) : measure_em;
    w->full = w->width;
    w->gap_cap = k->syllable_stretch;
    w->ko_stretch = k->hangul_space_stretch;
    w->latin_stretch = k->space_stretch;
    w->ragged_stretch = k->ragged_stretch;
    w->ragged = g->justify ? 0 : k->ragged_stretch;
    w->splits = s->word_break != JK_WORD_BREAK_KEEP_ALL;
    if (!g->justify && w->ragged <= 0)
        w->ragged = 1e-3; /* finite all the same */
    w->indent = b->kind == JK_BLOCK_PARAGRAPH ? s->first_line_indent : 0;
    /* A large indent at a large size on a narrow page: at most half the
     * measure, so the first line never starts past the right margin. */
    if (w->indent > measure_em / 2)
        w->indent = measure_em / 2;
}

/* The glue sums and candidates of block bi for measures down to
 * w->width. */
static jk_status prepare_block(work *w, const jk__block *b,
                               const jk_settings *s, bool justify)
{
    jk_status st = glue_sums(w, b, &s->breaking, justify);
    w->reach_ratio = NAN; /* new candidates */
    return st == JK_OK ? collect(w, b, s, !justify) : st;
}

/* Block bi's lines at the layout's settings; its candidates are those in
 * w already when `prepared`. */
static jk_status compose_block(jk_layout *layout, work *w, uint32_t bi,
                               bool prepared)
{
    const jk_settings *s = &layout->settings;
    const jk__block *b = &layout->doc->blocks[bi];
    setup g;
    block_setup(layout, w, bi, &g);
    if (g.as == SET_FIGURE)
        return emit_figure(layout, bi, w->inset);
    if (g.as == SET_RULE)
        return emit_rule(layout, bi, g.px, g.lh, w->inset);
    double measure_em = w->width;
    jk_status st = prepared ? JK_OK : prepare_block(w, b, s, g.justify);
    int32_t last = -1;
    if (st == JK_OK)
        st = break_block(w, b, s, &last);
    if (st != JK_OK)
        return st;

    bool overfull = false, balance = !g.justify && balanced_kind(b->kind);
    size_t lines = balance ? chain_lines(w, b, last, &overfull) : 0;
    if (balance && lines >= 2 && lines <= BALANCE_MAX_LINES && !overfull) {
        /* The narrowest measure that keeps the number of lines, found by
         * bisection; never narrower than the widest word, so balancing
         * never breaks a word (nor needs a last resort). */
        double lo = fmax(w->widest, measure_em / (double)lines * 0.9);
        double hi = measure_em;
        w->balance = true;
        for (int step = 0; step < BALANCE_STEPS && lo < hi; step++) {
            w->width = (lo + hi) / 2;
            if ((st = break_block(w, b, s, &last)) != JK_OK)
                return st;
            bool over;
            if (chain_lines(w, b, last, &over) <= lines && !over)
                hi = w->width;
            else
                lo = w->width;
        }
        w->width = hi;
        st = break_block(w, b, s, &last);
        w->balance = false;
        if (st != JK_OK)
            return st;
    }
    size_t first = layout->line_count;
    st = emit_lines(layout, w, bi, last, g.px);
    if (st == JK_OK && g.columns && layout->line_count == first + 1) {
        jk__line *l = &layout->lines[first];
        l->columns = 1;
        l->gap_extra = (float)(g.gap * g.px);
        l->width = row_width(g.table, b, l->end, g.gap) * g.px;
    }
    return st;
}

bool jk__same_candidates(const jk_settings *a, const jk_settings *b)
{
    return a->align == b->align && a->word_break == b->word_break &&
           a->hyphenate == b->hyphenate &&
           a->hang_punctuation == b->hang_punctuation &&
           memcmp(&a->breaking, &b->breaking, sizeof a->breaking) == 0;
}

/* Block bi into each of the layouts. Text blocks are prepared once, for
 * the narrowest of their measures. */
static jk_status compose_many(jk_layout *const *layouts, size_t count,
                              work *w, uint32_t bi)
{
    if (count == 1)
        return compose_block(layouts[0], w, bi, false);
    const jk__block *b = &layouts[0]->doc->blocks[bi];
    setup g = {.as = SET_RULE};
    double narrowest = INFINITY;
    for (size_t i = 0; i < count; i++) {
        block_setup(layouts[i], w, bi, &g);
        if (g.as == SET_TEXT && w->width < narrowest)
            narrowest = w->width;
    }
    jk_status st = JK_OK;
    bool prepared = g.as == SET_TEXT;
    if (prepared) {
        w->width = narrowest;
        st = prepare_block(w, b, &layouts[0]->settings, g.justify);
    }
    for (size_t i = 0; i < count && st == JK_OK; i++)
        st = compose_block(layouts[i], w, bi, prepared);
    return st;
}

/* Asks for a block's text, pen positions and break and justification
 * flags to be read into the cache: a long document's blocks are not in
 * it, and the glue sums, the first to read a block, would wait on every
 * line of them. Called a block ahead. */
static void prefetch_block(const jk__block *b)
{
#if defined(__GNUC__)
    const char *p[4] = {(const char *)b->xpos, (const char *)b->cps,
                        (const char *)b->just, (const char *)b->brk};
    size_t size[4] = {(b->n + 1) * sizeof *b->xpos, b->n * sizeof *b->cps,
                      b->n, b->n};
    for (int a = 0; a < 4; a++)
        for (size_t at = 0; p[a] && at < size[a]; at += 64)
            __builtin_prefetch(p[a] + at);
#else
    (void)b;
#endif
}

jk_status jk__compose_blocks(jk_layout *const *layouts, size_t count,
                             size_t first, size_t end)
{
    if (count == 0)
        return JK_OK;
    const jk_document *doc = layouts[0]->doc;
    work w = {0};
    w.ctx = layouts[0]->ctx;
    w.ratio_tol = NAN; /* ratio_at has none */
    jk_status st = JK_OK;
    for (size_t i = first; i < end && st == JK_OK; i++) {
        size_t before[JK__COMPOSE_MAX];
        for (size_t j = 0; j < count; j++)
            before[j] = layouts[j]->line_count;
        st = jk__progress(w.ctx, JK_STAGE_LAYOUT, i, doc->block_count);
        if (i + 1 < end)
            prefetch_block(&doc->blocks[i + 1]);
        if (st == JK_OK)
            st = compose_many(layouts, count, &w, (uint32_t)i);
        for (size_t j = 0; j < count && st == JK_OK; j++)
            if (doc->blocks[i].kind == JK_BLOCK_CAPTION && i > 0 &&
                doc->blocks[i - 1].kind == JK_BLOCK_FIGURE &&
                before[j] > 0 &&
                layouts[j]->lines[before[j] - 1].block == i - 1)
                fit_caption(layouts[j], before[j] - 1);
    }
    jk__free(w.ctx, w.cands);
    jk__free(w.ctx, w.sums);
    jk__free(w.ctx, w.nodes);
    jk__free(w.ctx, w.active);
    return st;
}

jk_status jk__compose(jk_layout *layout)
{
    jk_status st = jk__compose_blocks(&layout, 1, 0, layout->doc->block_count);
    /* Lines grew geometrically: a long document gives back the slack. */
    if (st == JK_OK && layout->line_count > 0 &&
        layout->line_cap > layout->line_count + 1024) {
        jk__line *fit = jk__realloc_array(layout->ctx, layout->lines,
                                          layout->line_count, sizeof *fit);
        if (fit) {
            layout->lines = fit;
            layout->line_cap = layout->line_count;
        }
    }
    return st;
}
