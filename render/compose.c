/* Composition: break each block into lines at a size and width.
 *
 * Both breakers read the block's items (items.c) as a list of candidate
 * breaks, each with its cost under the settings:
 *  - optimal: total-fit (Knuth & Plass 1981, as in TeX): badness, demerits,
 *    fitness classes, double- and final-hyphen demerits; a first pass at
 *    `tolerance`, a second at `loose_tolerance`, and an emergency pass that
 *    accepts any line and, when nothing fits at all, an overfull one, so it
 *    always returns. The line width is the same for every line, so one
 *    active node per (position, fitness class) suffices, and an active node
 *    is dropped once the text after it no longer fits a line: time is
 *    linear in the paragraph times the candidates per line.
 *  - greedy: first fit, the last candidate that fits each line.
 * Last-resort candidates (after / ? & - _ . first, then any grapheme
 * boundary) are added inside a box wider than the line, so no line extends
 * past the box unless one grapheme alone is wider than it. */
#include <math.h>

#include "internal.h"

typedef struct cand {
    uint32_t pos;     /* the break comes before this code point */
    uint32_t end;     /* the line before it ends here (spaces trimmed) */
    uint32_t next;    /* the next line starts here */
    double penalty;   /* cost; -INFINITY forces the break */
    double width;     /* added at the line end (a hyphen), em */
    double hang;      /* may hang into the margin (punctuation), em */
    uint32_t item;    /* the penalty item, for the hyphen glyph */
    uint8_t kind;     /* JK_PEN_*, or 0xFF for a glue break */
    bool flagged;     /* a hyphen is added */
} cand;

typedef struct node {
    uint32_t cand;    /* index of the break (UINT32_MAX: paragraph start) */
    uint32_t start;   /* code point the line after it starts with */
    int32_t prev;     /* node of the break before it */
    uint8_t fitness;
    bool flagged;
    double demerits;
    double ratio;     /* of the line ending here */
} node;

/* Scratch shared by the blocks of one composition. */
typedef struct work {
    jk_context *ctx;
    cand *cands;
    size_t cand_count, cand_cap;
    double *stretch, *shrink; /* n + 1 prefix sums, em */
    size_t sum_cap;
    node *nodes;
    size_t node_count, node_cap;
    int32_t *active;
    size_t active_count, active_cap;
    double indent; /* the block's first line is this much shorter, em */
} work;

static const double kInfBad = 10000;
/* Demerits of an overfull line: worse than any loose one. */
static const double kOverfull = 1e40;

static bool is_hangable(uint32_t cp)
{
    return cp == '.' || cp == ',' || cp == 0x2019 || cp == 0x201D ||
           cp == '"' || cp == '\'' || cp == 0x3001 || cp == 0x3002;
}

static bool last_resort_after(uint32_t cp)
{
    return cp == '/' || cp == '?' || cp == '&' || cp == '-' || cp == '_' ||
           cp == '.';
}

static size_t trim_end(const jk_block *b, size_t start, size_t end)
{
    while (end > start && jk__is_space(b->cps[end - 1]))
        end--;
    return end;
}

static jk_status add_cand(work *w, const cand *c)
{
    if (!jk__grow(w->ctx, (void **)&w->cands, &w->cand_cap,
                  w->cand_count + 1, sizeof *w->cands))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    w->cands[w->cand_count++] = *c;
    return JK_OK;
}

/* Candidates inside a box [s, e) too wide for the line. */
static jk_status add_last_resort(work *w, const jk_block *b, size_t s,
                                 size_t e, const jk_breaking *k)
{
    for (size_t i = s; i + 1 < e; i++) {
        uint8_t f = b->brk[i];
        if ((f & JK__BRK_CLUSTER) || !(f & JK_BRK_GRAPHEME))
            continue;
        cand c = {0};
        c.pos = c.end = c.next = (uint32_t)(i + 1);
        c.kind = JK_PEN_PLAIN;
        /* Costly, but finite: used only when nothing else fits. */
        c.penalty = last_resort_after(b->cps[i]) ? 2 * k->tolerance
                                                 : 4 * k->tolerance;
        jk_status st = add_cand(w, &c);
        if (st != JK_OK)
            return st;
    }
    return JK_OK;
}

/* The candidate breaks of a block and the prefix sums of its stretch and
 * shrink, under the settings. */
static jk_status collect(work *w, const jk_block *b, const jk_settings *s,
                         double width_em, bool justify)
{
    const jk_breaking *k = &s->breaking;
    jk_status st;
    w->cand_count = 0;
    /* Both sums in one allocation: stretch[0..n], then shrink[0..n]. */
    if (!jk__grow(w->ctx, (void **)&w->stretch, &w->sum_cap, 2 * (b->n + 1),
                  sizeof *w->stretch))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    w->shrink = w->stretch + b->n + 1;
    /* Korean is set solid, but a justified line may open the gaps between
     * syllables a little (normal and auto modes), so its spaces need not
     * carry all the slack. */
    bool syllable_glue = s->word_break != JK_WORD_BREAK_KEEP_ALL && justify;
    w->stretch[0] = w->shrink[0] = 0;
    for (size_t i = 0; i < b->n; i++) {
        double y = 0, z = 0;
        if (justify && jk__is_stretchable(b->cps[i])) {
            double sp = b->xpos[i + 1] - b->xpos[i];
            y = sp * k->space_stretch;
            z = sp * k->space_shrink;
        } else if (syllable_glue && jk__syllable_gap(b, i)) {
            y = k->syllable_stretch; /* the gap after cps[i] */
        }
        w->stretch[i + 1] = w->stretch[i] + y;
        w->shrink[i + 1] = w->shrink[i] + z;
    }

    size_t span = 0; /* where the text since the last candidate starts */
    for (size_t ii = 0; ii <= b->item_count; ii++) {
        cand c = {0};
        if (ii == b->item_count) { /* the paragraph's end: forced, ragged */
            c.pos = c.next = (uint32_t)b->n;
            c.end = (uint32_t)trim_end(b, 0, b->n);
            c.penalty = -INFINITY;
            c.kind = JK_PEN_FORCED;
        } else if (b->items[ii].type == JK_ITEM_GLUE) {
            const jk_item *it = &b->items[ii];
            /* A break at the first space after a box. */
            if (ii == 0 || b->items[ii - 1].type != JK_ITEM_BOX)
                continue;
            size_t next = it->pos;
            while (next < b->n && jk__is_space(b->cps[next]))
                next++;
            if (next >= b->n)
                continue; /* trailing spaces: the paragraph end */
            c.pos = it->pos;
            c.end = (uint32_t)trim_end(b, 0, it->pos);
            c.next = (uint32_t)next;
            c.kind = 0xFF;
        } else if (b->items[ii].type == JK_ITEM_PENALTY) {
            const jk_item *it = &b->items[ii];
            double p;
            switch (it->kind) {
            case JK_PEN_FORCED: p = -INFINITY; break;
            case JK_PEN_WORD:
                if (s->word_break != JK_WORD_BREAK_NORMAL)
                    continue;
                p = 0;
                break;
            case JK_PEN_SYLLABLE:
            case JK_PEN_FRAGMENT:
                if (s->word_break == JK_WORD_BREAK_KEEP_ALL)
                    continue;
                p = s->word_break == JK_WORD_BREAK_NORMAL ? 0
                    : it->kind == JK_PEN_FRAGMENT ? k->fragment_penalty
                                                  : k->syllable_penalty;
                break;
            case JK_PEN_HYPHEN:
                if (!s->hyphenate)
                    continue;
                p = k->hyphen_penalty;
                c.flagged = true;
                c.width = it->width;
                break;
            default: p = k->punct_penalty; break;
            }
            c.item = (uint32_t)ii;
            c.pos = c.end = c.next = it->pos;
            c.penalty = p;
            c.kind = it->kind;
        } else {
            continue; /* a box */
        }
        if (s->hang_punctuation && c.end > 0 && !c.flagged &&
            is_hangable(b->cps[c.end - 1]))
            c.hang = b->xpos[c.end] - b->xpos[c.end - 1];
        /* Text since the last candidate wider than a line: last-resort
         * candidates inside it first. */
        if (c.end > span && b->xpos[c.end] - b->xpos[span] > width_em &&
            (st = add_last_resort(w, b, span, c.end, k)) != JK_OK)
            return st;
        if ((st = add_cand(w, &c)) != JK_OK)
            return st;
        span = c.next;
    }
    return JK_OK;
}

/* Stretch and shrink inside the line [start, e). */
static void glue_of(const work *w, const jk_block *b, size_t start, size_t e,
                    double *y, double *z)
{
    *y = w->stretch[e] - w->stretch[start];
    *z = w->shrink[e] - w->shrink[start];
    /* The syllable gap at the break itself is not inside the line. */
    if (e > start && !jk__is_stretchable(b->cps[e - 1]))
        *y -= w->stretch[e] - w->stretch[e - 1];
}

/* Adjustment ratio of the line [start, c) at width_em; *natural gets its
 * natural width. A ragged line (the last, or before a forced break)
 * stretches for free. */
static double line_ratio(const work *w, const jk_block *b, size_t start,
                         const cand *c, double width_em, bool ragged,
                         double *natural)
{
    size_t e = c->end > start ? c->end : start;
    double nat = b->xpos[e] - b->xpos[start] + c->width - c->hang;
    double y, z;
    glue_of(w, b, start, e, &y, &z);
    *natural = nat;
    double diff = width_em - (start == 0 ? w->indent : 0) - nat;
    if (fabs(diff) < 1e-9)
        return 0;
    if (diff > 0) {
        if (ragged)
            return 0;
        return y > 1e-12 ? diff / y : INFINITY;
    }
    return z > 1e-12 ? diff / z : -INFINITY;
}

/* TeX's badness, capped at 10000 ("infinitely bad"). The emergency pass
 * does not cap it: there every line is acceptable, and a line at ratio 3
 * must still cost far less than one at ratio 100. */
static double badness(double r, bool capped)
{
    if (isinf(r))
        return capped ? kInfBad : 1e15;
    double b = 100 * fabs(r) * fabs(r) * fabs(r);
    return capped && b > kInfBad ? kInfBad : b;
}

static uint8_t fitness_of(double r)
{
    if (r < -0.5)
        return 0; /* tight */
    if (r <= 0.5)
        return 1; /* decent */
    if (r <= 1)
        return 2; /* loose */
    return 3;     /* very loose */
}

static jk_status new_node(work *w, const node *n, int32_t *index)
{
    if (!jk__grow(w->ctx, (void **)&w->nodes, &w->node_cap,
                  w->node_count + 1, sizeof *w->nodes))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    w->nodes[w->node_count] = *n;
    *index = (int32_t)w->node_count++;
    return JK_OK;
}

static jk_status activate(work *w, int32_t index)
{
    if (!jk__grow(w->ctx, (void **)&w->active, &w->active_cap,
                  w->active_count + 1, sizeof *w->active))
        return jk__fail(w->ctx, JK_ERR_NOMEM, "out of memory composing");
    w->active[w->active_count++] = index;
    return JK_OK;
}

/* One total-fit pass. tolerance < 0: the emergency pass (any badness, and
 * overfull lines when nothing else is possible). Sets *last to the best
 * final node, or -1 when no feasible set of breaks exists. */
static jk_status total_fit(work *w, const jk_block *b, const jk_breaking *k,
                           double width_em, double tolerance, int32_t *last)
{
    bool emergency = tolerance < 0;
    jk_status st;
    w->node_count = 0;
    w->active_count = 0;
    *last = -1;
    node first = {UINT32_MAX, 0, -1, 1, false, 0, 0};
    int32_t idx;
    if ((st = new_node(w, &first, &idx)) || (st = activate(w, idx)))
        return st;

    for (size_t ci = 0; ci < w->cand_count; ci++) {
        const cand *c = &w->cands[ci];
        bool final = ci + 1 == w->cand_count;
        bool forced = c->penalty == -INFINITY;
        double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        int32_t from[4] = {-1, -1, -1, -1};
        double ratio[4] = {0};
        int32_t dropped = -1;
        size_t keep = 0;
        for (size_t ai = 0; ai < w->active_count; ai++) {
            int32_t a = w->active[ai];
            const node *an = &w->nodes[a];
            if (c->pos <= an->start && !forced) {
                w->active[keep++] = a; /* the break is not after it */
                continue;
            }
            double nat;
            double r = line_ratio(w, b, an->start, c, width_em, forced, &nat);
            bool drop = r < -1 || forced;
            if (!drop)
                w->active[keep++] = a;
            else
                dropped = a;
            double bad = badness(r, !emergency);
            if (r < -1 || (!emergency && bad > tolerance))
                continue;
            double d = k->line_penalty + bad;
            d *= d;
            if (c->penalty > 0)
                d += c->penalty * c->penalty;
            else if (c->penalty > -INFINITY)
                d -= c->penalty * c->penalty;
            if (c->flagged && an->flagged)
                d += k->double_hyphen_demerits;
            if (final && an->flagged)
                d += k->final_hyphen_demerits;
            uint8_t fit = fitness_of(r);
            if (abs((int)fit - (int)an->fitness) > 1)
                d += k->adj_demerits;
            d += an->demerits;
            if (d < best[fit]) {
                best[fit] = d;
                from[fit] = a;
                ratio[fit] = r;
            }
        }
        w->active_count = keep;
        /* Emergency: nothing fits and nothing is left: an overfull line
         * from the last node dropped keeps the paragraph going. */
        if (emergency && keep == 0 && dropped >= 0 &&
            from[0] < 0 && from[1] < 0 && from[2] < 0 && from[3] < 0) {
            best[0] = w->nodes[dropped].demerits + kOverfull;
            from[0] = dropped;
            ratio[0] = -1;
        }
        double least = INFINITY;
        for (int f = 0; f < 4; f++)
            if (best[f] < least)
                least = best[f];
        for (int f = 0; f < 4; f++) {
            if (from[f] < 0 || best[f] > least + k->adj_demerits)
                continue;
            node n = {(uint32_t)ci, c->next, from[f], (uint8_t)f, c->flagged,
                      best[f], ratio[f]};
            if ((st = new_node(w, &n, &idx)))
                return st;
            if (final) {
                if (*last < 0 || w->nodes[idx].demerits <
                                     w->nodes[*last].demerits)
                    *last = idx;
            } else if ((st = activate(w, idx))) {
                return st;
            }
        }
        if (w->active_count == 0 && !final)
            return JK_OK; /* no way on: this pass fails */
    }
    return JK_OK;
}

/* Greedy: for each line the last candidate that fits, else the first.
 * It cannot weigh costs, so in auto mode it breaks like keep-all (inside
 * a word only when the word alone is wider than the line). */
static jk_status first_fit(work *w, const jk_block *b, double width_em,
                           bool keep_words, int32_t *last)
{
    jk_status st;
    w->node_count = 0;
    node n = {UINT32_MAX, 0, -1, 1, false, 0, 0};
    int32_t prev;
    if ((st = new_node(w, &n, &prev)))
        return st;
    size_t ci = 0;
    while (ci < w->cand_count) {
        uint32_t start = w->nodes[prev].start;
        int32_t fit = -1, inside = -1; /* last fitting; inside a word */
        double fit_r = 0, inside_r = 0;
        for (; ci < w->cand_count; ci++) {
            const cand *c = &w->cands[ci];
            bool forced = c->penalty == -INFINITY;
            if (c->pos <= start && !forced)
                continue;
            double nat;
            double r = line_ratio(w, b, start, c, width_em, forced, &nat);
            if (r < -1) {
                if (fit < 0 && inside >= 0) { /* a word wider than a line */
                    fit = inside;
                    fit_r = inside_r;
                } else if (fit < 0) { /* overfull */
                    fit = (int32_t)ci;
                    fit_r = r;
                }
                break;
            }
            if (keep_words && (c->kind == JK_PEN_SYLLABLE ||
                               c->kind == JK_PEN_FRAGMENT)) {
                inside = (int32_t)ci;
                inside_r = r;
                continue;
            }
            fit = (int32_t)ci;
            fit_r = r;
            if (forced)
                break;
        }
        const cand *c = &w->cands[fit];
        node m = {(uint32_t)fit, c->next, prev, fitness_of(fit_r),
                  c->flagged, 0, fit_r};
        if ((st = new_node(w, &m, &prev)))
            return st;
        ci = (size_t)fit + 1;
    }
    *last = prev;
    return JK_OK;
}

static jk_status add_line(jk_layout *layout, const jk_line *line)
{
    jk_context *ctx = layout->doc->ctx;
    if (!jk__grow(ctx, (void **)&layout->lines, &layout->line_cap,
                  layout->line_count + 1, sizeof *layout->lines))
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory composing");
    layout->lines[layout->line_count++] = *line;
    return JK_OK;
}

/* Lines from the chain of nodes ending at `last`. */
static jk_status emit_lines(jk_layout *layout, work *w, uint32_t bi,
                            int32_t last, double px, double width_em,
                            bool justify)
{
    const jk_settings *s = &layout->settings;
    const jk_breaking *k = &s->breaking;
    const jk_block *b = &layout->doc->blocks[bi];
    const jk_block_style *style = jk__block_style(b->kind);
    double lh = style->line_height > 0 ? style->line_height : s->line_height;
    /* The chain runs backwards: count, then fill from the end. */
    size_t count = 0;
    for (int32_t n = last; w->nodes[n].prev >= 0; n = w->nodes[n].prev)
        count++;
    size_t first = layout->line_count;
    for (size_t i = 0; i < count; i++) {
        jk_line blank = {0};
        jk_status st = add_line(layout, &blank);
        if (st != JK_OK)
            return st;
    }
    size_t li = first + count;
    for (int32_t n = last; w->nodes[n].prev >= 0; n = w->nodes[n].prev) {
        const node *nd = &w->nodes[n];
        const node *pv = &w->nodes[nd->prev];
        const cand *c = &w->cands[nd->cand];
        jk_line *l = &layout->lines[--li];
        l->block = bi;
        l->start = pv->start;
        l->end = c->end > pv->start ? c->end : pv->start;
        l->size_px = px;
        l->height = px * lh;
        l->x = s->margin_left + (l->start == 0 ? w->indent * px : 0);
        l->last = nd->cand + 1 == w->cand_count;
        l->hyphenated = c->flagged;
        l->syllable_break = c->kind == JK_PEN_SYLLABLE ||
                            c->kind == JK_PEN_FRAGMENT ||
                            c->kind == JK_PEN_WORD;
        if (c->flagged) {
            const jk_item *it = &b->items[c->item];
            l->hyphen_gid = it->gid;
            l->hyphen_font = it->font;
        }
        double nat;
        bool ragged = c->penalty == -INFINITY;
        double r = line_ratio(w, b, l->start, c, width_em, ragged, &nat);
        l->overfull = r < -1;
        if (r < -1)
            r = -1;
        if (!justify && r > 0)
            r = 0; /* ragged: natural spaces */
        if (isinf(r))
            r = 0; /* nothing to stretch: underfull, set ragged */
        l->ratio = r;
        l->space_factor = r >= 0 ? r * k->space_stretch
                                 : r * k->space_shrink;
        l->gap_extra = r > 0 && justify &&
                               s->word_break != JK_WORD_BREAK_KEEP_ALL
                           ? r * k->syllable_stretch * px
                           : 0;
        /* Set width: natural plus what the glue took (hanging
         * punctuation and the hyphen included). */
        double y, z;
        glue_of(w, b, l->start, l->end, &y, &z);
        /* Past ratio 1 the gaps between syllables stop opening (letters
         * spaced wider read badly); the spaces take the rest. */
        if (r > 1 && l->gap_extra > 0) {
            double spaces = 0, gaps = 0;
            for (size_t i = l->start; i < l->end; i++) {
                if (jk__is_stretchable(b->cps[i]))
                    spaces += b->xpos[i + 1] - b->xpos[i];
                else if (i + 1 < l->end && jk__syllable_gap(b, i))
                    gaps += k->syllable_stretch;
            }
            if (spaces > 0) {
                l->gap_extra = k->syllable_stretch * px;
                l->space_factor = (r * y - gaps) / spaces;
            }
        }
        l->width = (nat + c->hang + (r >= 0 ? r * y : r * z)) * px;
    }
    return JK_OK;
}

static jk_status compose_block(jk_layout *layout, work *w, uint32_t bi)
{
    const jk_settings *s = &layout->settings;
    const jk_block *b = &layout->doc->blocks[bi];
    const jk_block_style *style = jk__block_style(b->kind);
    double px = jk__body_px(s) * style->size;
    double width_em = (s->page_width - s->margin_left - s->margin_right) / px;
    bool justify = s->align == JK_ALIGN_JUSTIFY &&
                   (b->kind == JK_BLOCK_PARAGRAPH ||
                    b->kind == JK_BLOCK_QUOTE || b->kind == JK_BLOCK_LIST);
    w->indent = b->kind == JK_BLOCK_PARAGRAPH ? s->first_line_indent : 0;
    /* A large indent at a large size on a narrow page: at most half the
     * measure, so the first line never starts past the right margin. */
    if (w->indent > width_em / 2)
        w->indent = width_em / 2;
    jk_status st = collect(w, b, s, width_em, justify);
    if (st != JK_OK)
        return st;
    int32_t last = -1;
    if (s->breaker == JK_BREAKER_GREEDY) {
        st = first_fit(w, b, width_em,
                       s->word_break == JK_WORD_BREAK_AUTO, &last);
    } else {
        const jk_breaking *k = &s->breaking;
        st = total_fit(w, b, k, width_em, k->tolerance, &last);
        if (st == JK_OK && last < 0)
            st = total_fit(w, b, k, width_em, k->loose_tolerance, &last);
        if (st == JK_OK && last < 0)
            st = total_fit(w, b, k, width_em, -1, &last);
    }
    if (st != JK_OK)
        return st;
    if (last < 0)
        return jk__fail(w->ctx, JK_ERR_LIMIT, "no line breaks found");
    return emit_lines(layout, w, bi, last, px, width_em, justify);
}

jk_status jk__compose(jk_layout *layout)
{
    work w = {0};
    w.ctx = layout->doc->ctx;
    jk_status st = JK_OK;
    for (size_t i = 0; i < layout->doc->block_count && st == JK_OK; i++)
        st = compose_block(layout, &w, (uint32_t)i);
    jk__free(w.ctx, w.cands);
    jk__free(w.ctx, w.stretch);
    jk__free(w.ctx, w.nodes);
    jk__free(w.ctx, w.active);
    return st;
}
